"""The exercises page: "¿dónde irá este Pod?", with the answer computed by the scheduler model.

Each exercise is one scenario ``docs/escenarios/cp-ejercicio-*.yaml``: the nodes, the Pods already placed on them
(``spec.nodeName``) and the Pod to place. The page shows the nodes and the Pod, asks the question and hides the
answer (the per-node report of ``k8sdocs.render.scheduling``) in a collapsible block.
"""

from __future__ import annotations

import yaml

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import expect
from k8sdocs.content.playground import playground
from k8sdocs.content.scheduling import schedule, scheduling_case
from k8sdocs.model.quantity import parse_quantity
from k8sdocs.render.markdown import code, details, escape_text, table
from k8sdocs.render.scheduling import report
from k8sdocs.render.verbatim import verbatim_block


def _requests(pod: dict) -> tuple[int, int]:
    """(milli-CPU, bytes of memory) requested by the Pod's containers (no init containers in the exercises)."""
    cpu = mem = 0
    for c in (pod.get("spec") or {}).get("containers") or []:
        req = (c.get("resources") or {}).get("requests") or {}
        if "cpu" in req:
            cpu += parse_quantity(str(req["cpu"])).milli_value()
        if "memory" in req:
            mem += parse_quantity(str(req["memory"])).value()
    return cpu, mem


def format_cpu(milli: int) -> str:
    """``1500`` → ``1,5`` (decimal comma for readers)."""
    whole, frac = divmod(milli, 1000)
    return f"{whole}" + (f",{frac:03d}".rstrip("0") if frac else "")


def format_memory(value: int) -> str:
    """Bytes as GiB/MiB with decimal comma (``1,5 GiB``)."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20)):
        if value >= size:
            text = f"{value / size:.2f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{text} {unit}"
    return f"{value} B"


def _manifest_labels(book: ExampleBook, escenario: str) -> dict[str, dict]:
    objs = book.scenario(escenario).all_objects()
    return {o["metadata"]["name"]: (o["metadata"].get("labels") or {}) for o in objs if o.get("kind") == "Node"}


def node_rows(book: ExampleBook, escenario: str, pod: str) -> list[list[str]]:
    """Node, labels set in the manifest, taints, allocatable CPU/memory, and what placed Pods already request."""
    case = scheduling_case(book, escenario, pod)
    labels = _manifest_labels(book, escenario)
    rows = []
    for node in sorted(case.nodes, key=lambda n: n["metadata"]["name"]):
        name = node["metadata"]["name"]
        alloc = (node.get("status") or {}).get("allocatable") or {}
        used_cpu = used_mem = 0
        for p in case.placed_pods:
            if (p.get("spec") or {}).get("nodeName") == name:
                c, m = _requests(p)
                used_cpu += c
                used_mem += m
        taints = [f"{t['key']}={t.get('value', '')}:{t['effect']}" for t in (node.get("spec") or {}).get("taints") or []]
        rows.append([
            code(name),
            ", ".join(code(f"{k}={v}") for k, v in sorted(labels.get(name, {}).items())) or "—",
            ", ".join(code(t) for t in taints) or "—",
            format_cpu(parse_quantity(str(alloc.get("cpu", "0"))).milli_value()),
            format_memory(parse_quantity(str(alloc.get("memory", "0"))).value()),
            f"{format_cpu(used_cpu)} CPU, {format_memory(used_mem)}" if used_cpu or used_mem else "—",
        ])
    return rows


def tied_nodes(result: object) -> list[str]:
    """Nodes sharing the highest total score (more than one means the winner was drawn at random)."""
    totals = dict(getattr(result, "total_scores", {}) or {})
    if not totals:
        return []
    best = max(totals.values())
    tied = sorted(n for n, t in totals.items() if t == best)
    return tied if len(tied) > 1 else []


def exercise(book: ExampleBook, escenario: str, pod: str, espera: str | None = None,
             empatados: str | None = None) -> str:
    """Nodes table, the Pod's manifest, the question, and the answer in a collapsible block.

    ``espera``: the winner the page states (``"ninguno"`` if unschedulable). For a tie the winner is a seeded
    random draw, so a page states ``empatados`` instead (the tied nodes, comma-separated).
    """
    case = scheduling_case(book, escenario, pod)
    result, nodes = schedule(book, escenario, pod)
    expect(f"el nodo elegido para {pod}", espera, result.selected_node or "ninguno")
    expect(f"los nodos empatados para {pod}", empatados, ",".join(tied_nodes(result)))
    nodes_table = table(["Nodo", "Etiquetas", "*Taints*", "CPU asignable", "Memoria asignable", "Ya solicitado"],
                        node_rows(book, escenario, pod),
                        align=["left", "left", "left", "right", "right", "left"])
    pod_yaml = yaml.safe_dump(case.manifest, sort_keys=False, allow_unicode=True)
    answer = report(result, nodes)
    title = "Ver la respuesta"  # the title stays visible while the block is closed: it must not give the answer away
    return (
        nodes_table
        + f"\nEl Pod {code(pod)}:\n\n"
        + verbatim_block(pod_yaml, "yaml")  # verbatim: no Markdown extension reads a manifest's text
        + f"\n**¿Dónde irá el Pod {escape_text(pod)}?**\n\n"
        + details(title, answer, kind="question")
        + "\n" + playground(book, escenario, pod, compacto=True)
    )


MACROS = {"ejercicio_planificacion": exercise}
