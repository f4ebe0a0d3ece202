"""The kube-scheduler page: the v1.35 default profile, per-node reports, the FailedScheduling message, sampling.

Every number comes from ``k8sdocs.model.scheduler``: the profile and its weights from ``default_profile()``
(upstream ``pkg/scheduler/apis/config/v1/default_plugins.go``), the decisions from ``Scheduler.schedule_one``
(upstream ``pkg/scheduler/schedule_one.go``) and the sampling from ``num_feasible_nodes_to_find``.

A report schedules one Pod of a scenario against the cluster *as the scenario left it*: the Node objects that the
kubelets registered (with the labels the kubelet adds) and the Pods the scenario's manifests had already placed on
a node (``spec.nodeName``). The Pod itself is the one the API server stored (after defaulting and admission), with
``spec.nodeName`` and ``status`` removed, so the report does not depend on whether the cluster's own scheduler has
bound it already.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.model import observe as ob
from k8sdocs.model.scheduler.default_plugins import OUT_OF_SCOPE_PLUGINS, default_profile
from k8sdocs.model.scheduler.framework.runtime import Framework
from k8sdocs.model.scheduler.registry import IN_TREE_REGISTRY
from k8sdocs.model.scheduler.schedule_one import (
    MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND,
    MIN_FEASIBLE_NODES_TO_FIND,
    Scheduler,
    ScheduleResult,
    num_feasible_nodes_to_find,
)
from k8sdocs.render.markdown import camel_code, code, table
from k8sdocs.render.scheduling import report

#: Extension points shown in the profile table: (Framework attribute, Spanish label).
EXTENSION_POINTS = (
    ("queue_sort_plugins", "QueueSort"),
    ("pre_filter_plugins", "PreFilter"),
    ("filter_plugins", "Filter"),
    ("post_filter_plugins", "PostFilter"),
    ("pre_score_plugins", "PreScore"),
    ("score_plugins", "Score"),
    ("bind_plugins", "Bind"),
)

#: What each plugin looks at (Spanish, for readers; the behaviour itself is the model's).
PLUGIN_PURPOSE = {
    "PrioritySort": "Ordena la cola: primero los Pods de mayor prioridad.",
    "NodeUnschedulable": "Descarta los nodos marcados como no planificables (`kubectl cordon`).",
    "NodeName": "Si el Pod pide un nodo concreto (`spec.nodeName`), descarta los demás.",
    "TaintToleration": "Descarta los nodos con *taints* `NoSchedule`/`NoExecute` que el Pod no tolera; "
                       "puntúa mejor los que tienen menos *taints* `PreferNoSchedule` no tolerados.",
    "NodeAffinity": "Aplica `nodeSelector` y la afinidad de nodo obligatoria; puntúa la preferida.",
    "NodePorts": "Descarta los nodos donde ya está ocupado un `hostPort` que pide el Pod.",
    "NodeResourcesFit": "Descarta los nodos sin CPU, memoria o Pods libres suficientes; "
                        "puntúa mejor los menos ocupados (LeastAllocated).",
    "PodTopologySpread": "Reparte los Pods entre zonas y nodos según las restricciones de dispersión.",
    "InterPodAffinity": "Afinidad y antiafinidad entre Pods.",
    "DefaultPreemption": "Si ningún nodo sirve, busca Pods de menor prioridad que expulsar (*preemption*).",
    "NodeResourcesBalancedAllocation": "Puntúa mejor los nodos cuyo uso de CPU y memoria queda más equilibrado.",
    "ImageLocality": "Puntúa mejor los nodos que ya tienen las imágenes del Pod.",
    "DefaultBinder": "Vincula el Pod al nodo elegido (`POST …/pods/<nombre>/binding`).",
}


def profile_rows() -> list[list[str]]:
    """One row per plugin of the default profile: name, extension points, weight (score plugins only), purpose."""
    fwk = Framework(default_profile(), IN_TREE_REGISTRY)
    rows = []
    for plugin in fwk.plugins:
        points = [label for attr, label in EXTENSION_POINTS if plugin in getattr(fwk, attr)]
        weight = str(fwk.weights[plugin.name]) if plugin in fwk.score_plugins else "—"
        rows.append([camel_code(plugin.name), ", ".join(points), weight, PLUGIN_PURPOSE.get(plugin.name, "—")])
    return rows


def profile_table(book: ExampleBook) -> str:
    """The v1.35 default profile as the model builds it, in the order the plugins run."""
    out = table(["Plugin", "Puntos de extensión", "Peso", "Qué hace"], profile_rows(),
                align=["left", "left", "right", "left"])
    missing = ", ".join(code(p) for p in OUT_OF_SCOPE_PLUGINS)
    return out + f"\nEl perfil real incluye además {missing}, que el modelo no simula (no hay volúmenes ni DRA).\n"


# -- one decision -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchedulingCase:
    """A Pod of a scenario and the cluster it is scheduled against."""

    pod: dict  # as stored by the API server, unbound
    nodes: list[dict]
    placed_pods: list[dict]
    seed: int
    manifest: dict  # as written in the scenario


def scheduling_case(book: ExampleBook, escenario: str, pod: str, namespace: str = "default") -> SchedulingCase:
    """The Pod ``pod`` of ``escenario`` (from its manifests), the registered Nodes and the already placed Pods."""
    run = book.run(escenario)
    return case_from_run(run, run.scenario.all_objects(), pod, namespace, f"el escenario {escenario}")


def case_from_run(run: Any, manifests: list[dict], pod: str, namespace: str = "default",
                  where: str = "el escenario") -> SchedulingCase:
    """The case for ``pod`` from a finished cluster run and the manifests it started from.

    Shared by the pages and by the playground (``k8sdocs/content/playground.py``), which runs the manifests a
    reader edits in the browser: one definition of "the cluster a Pod is scheduled against". ``where`` names
    the source in errors (``el escenario planificacion.yaml``).
    """
    pods = [m for m in manifests if m.get("kind") == "Pod"]
    wanted = [p for p in pods if p["metadata"]["name"] == pod and (p["metadata"].get("namespace") or "default") == namespace]
    if not wanted:
        names = ", ".join(sorted(p["metadata"]["name"] for p in pods)) or "ninguno"
        raise ContentError(f"{where} no tiene el Pod {pod!r}; Pods: {names}")
    placed_names = {(p["metadata"].get("namespace") or "default", p["metadata"]["name"])
                    for p in pods if (p.get("spec") or {}).get("nodeName")}
    placed = [copy.deepcopy(p) for p in run.objects_of("Pod")
              if (p["metadata"].get("namespace"), p["metadata"]["name"]) in placed_names]
    # The Pod as the API server stored it (defaults and admission applied: DefaultTolerationSeconds adds the
    # not-ready/unreachable tolerations, Priority sets spec.priority), without the node the cluster may have bound.
    stored = run.get("Pod", pod, namespace)
    if stored is not None:
        target = copy.deepcopy(stored)
        target["spec"].pop("nodeName", None)
        target.pop("status", None)
    else:
        target = copy.deepcopy(wanted[0])
        target["metadata"].setdefault("namespace", namespace)
    nodes = [copy.deepcopy(n) for n in run.objects_of("Node")]
    if not nodes:
        raise ContentError(f"{where} no tiene nodos registrados")
    return SchedulingCase(target, nodes, placed, run.seed, copy.deepcopy(wanted[0]))


def schedule(book: ExampleBook, escenario: str, pod: str) -> tuple[ScheduleResult, list[str]]:
    """The model's decision for ``pod`` and the node names in name order."""
    return decide(scheduling_case(book, escenario, pod))


def decide(case: SchedulingCase) -> tuple[ScheduleResult, list[str]]:
    """The model's decision for a case and the node names in name order."""
    result = Scheduler(seed=case.seed).schedule_one(case.pod, case.nodes, case.placed_pods)
    return result, sorted(n["metadata"]["name"] for n in case.nodes)


def scheduling_report(book: ExampleBook, escenario: str, pod: str, espera: str | None = None) -> str:
    """Per-node report (filter verdict, score per plugin × weight, total) and the winner or the failure message.

    ``espera`` is the node the page says wins (``"ninguno"`` for an unschedulable Pod).
    """
    result, nodes = schedule(book, escenario, pod)
    expect(f"el nodo elegido para {pod}", espera, result.selected_node or "ninguno")
    return report(result, nodes)


def failed_scheduling_message(book: ExampleBook, escenario: str, pod: str, espera: str | None = None) -> str:
    """The verbatim ``0/N nodes are available: …`` text for an unschedulable Pod, as a code block line."""
    result, _ = schedule(book, escenario, pod)
    if result.selected_node is not None:
        raise ContentError(f"el Pod {pod} de {escenario} sí es planificable (nodo {result.selected_node})")
    expect(f"el mensaje de FailedScheduling de {pod}", espera, result.message)
    return code(result.message or "")


# -- the cycle in the trace -----------------------------------------------------------------------------------------
def scheduling_cycle_events(book: ExampleBook, escenario: str, pod: str, namespace: str = "default") -> list[Any]:
    """From the cluster's trace: the Pod announced to kube-scheduler, its decisions, the binding and its etcd write,
    and the Pod announced to the chosen node's kubelet."""
    events = list(book.run(escenario).events)
    ref = f"{namespace}/{pod}"
    out: list[Any] = []
    added = ob.watch_notices(events, op="ADDED", kind="Pod", namespace=namespace, name=pod)
    announced = next((e for e in added if e.target == "kube-scheduler"), None)
    if announced is None:
        raise ContentError(f"en {escenario} kube-scheduler no recibe el Pod {ref}")
    out.append(announced)
    out += ob.decisions(events, source="kube-scheduler", pod=ref)
    for bind in ob.bindings(events, pod=pod, namespace=namespace):
        stored = ob.stored_by(events, bind)  # the binding's write of spec.nodeName
        out += [bind] if stored is None else [bind, stored]
    kubelet = next((e for e in added if e.receiver.component == "kubelet"), None)
    if kubelet is not None:
        out.append(kubelet)
    return sorted(out, key=lambda e: e.seq)


def scheduled_event(book: ExampleBook, escenario: str, pod: str) -> str | None:
    """The verbatim message of the ``Scheduled`` event (``Successfully assigned <ns>/<pod> to <node>``)."""
    for e in ob.kube_events(book.run(escenario).events, involved_kind="Pod", involved_name=pod, reason="Scheduled"):
        if e.note is not None and e.note.type == "Normal":
            return e.note.message
    return None


def scheduling_cycle_diagram(book: ExampleBook, escenario: str, pod: str, espera: str | None = None) -> str:
    """Sequence diagram (SVG) of the Pod's scheduling as the cluster ran it, and the ``Scheduled`` event text."""
    from k8sdocs.render.sequence import trace_sequence

    events = scheduling_cycle_events(book, escenario, pod)
    message = scheduled_event(book, escenario, pod)
    expect(f"el evento Scheduled de {pod}", espera, message)
    out = trace_sequence(events, ["kube-apiserver", "kube-scheduler", "etcd"], title=f"Ciclo de planificación del Pod {pod}")
    if message:
        out += f"\nEl planificador registra además el evento `Scheduled`: {code(message)}.\n"
    return out


# -- sampling -----------------------------------------------------------------------------------------------------
def sampling_rows(sizes: list[int]) -> list[list[str]]:
    """Cluster size → adaptive percentage → nodes that filtering stops at (numFeasibleNodesToFind)."""
    rows = []
    for n in sizes:
        found = num_feasible_nodes_to_find(None, n)
        if n < MIN_FEASIBLE_NODES_TO_FIND:
            pct = "— (se evalúan todos)"
        else:
            pct = f"{max(50 - n // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)} %"
        share = f"{found * 100 / n:.1f}".replace(".", ",") + " %"
        rows.append([spanish_int(n), pct, spanish_int(found), share])
    return rows


def spanish_int(n: int) -> str:
    """Thousands separated by a narrow no-break space from five digits on (RAE: «1000», «15 000»)."""
    return f"{n:,}".replace(",", "\u202f") if abs(n) >= 10_000 else str(n)


def sampling_table(book: ExampleBook, tamanos: str = "50,100,500,1000,5000,15000") -> str:
    """numFeasibleNodesToFind for a few cluster sizes, with ``percentageOfNodesToScore`` left at 0 (adaptive)."""
    try:
        sizes = [int(s) for s in tamanos.split(",")]
    except ValueError:
        raise ContentError(f"tamanos debe ser una lista de enteros separados por comas, no {tamanos!r}") from None
    return table(["Nodos en el clúster", "Porcentaje adaptativo", "Nodos factibles que busca", "Fracción del clúster"],
                 sampling_rows(sizes), align=["right", "right", "right", "right"])


MACROS = {
    "perfil_planificador": profile_table,
    "informe_planificacion": scheduling_report,
    "mensaje_no_planificable": failed_scheduling_message,
    "tabla_muestreo": sampling_table,
    "diagrama_planificacion": scheduling_cycle_diagram,
}
