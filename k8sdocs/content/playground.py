"""The playground ("Prueba el planificador"): the scheduling report for manifests the reader edits.

The same functions run in two places:

* at build time, where :func:`playground` (the ``prueba_planificador`` macro) takes a Pod of a scenario, writes
  the widget (the scenario's Nodes and placed Pods, the Pod, a "Planificar" button) and shows the report the page
  already computes;
* in the reader's browser, under Pyodide (``k8sdocs/playground.py`` packs this package into the site), where
  ``docs/javascripts/playground-worker.js`` calls :func:`browser_report` with the edited text.

Both paths go through :func:`schedule_manifests`, which runs the manifests in a model cluster exactly as a scenario
runs (the kubelets register the Nodes, the API server validates, defaults and admits the Pods) and then uses
``k8sdocs.content.scheduling.case_from_run``, ``decide`` and ``k8sdocs.render.scheduling.report``: the browser
shows the text the build produces, never a JavaScript copy of it. An invalid manifest is one line that names
the file, the document and the field with the API server's words, as a build error does; never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.content.phrased import phrase_run
from k8sdocs.content.scheduling import case_from_run, decide
from k8sdocs.model.manifests import parse_manifests
from k8sdocs.render.playground import report_html, widget
from k8sdocs.render.scheduling import report

#: The names the two text boxes carry in error messages (and in their labels on the page).
NODES_FILE = "nodos.yaml"
POD_FILE = "pod.yaml"
#: Upper bound of the text a reader may submit (characters per box): work stays bounded in the browser too.
MAX_TEXT = 200_000
#: Kinds the nodes box accepts: the cluster the Pod is scheduled against.
NODE_BOX_KINDS = ("Node", "Pod")


@dataclass(frozen=True)
class PlaygroundInput:
    """What the widget sends: the two YAML texts, and the scenario's seed and simulated time."""

    nodes: str  # Nodes, and Pods already placed on them (spec.nodeName)
    pod: str  # the one Pod to schedule
    seed: int = 0
    until_ms: int = 5000


@dataclass(frozen=True)
class PlaygroundOutput:
    """The report as Markdown and HTML, or one error line (``ok`` False)."""

    ok: bool
    markdown: str
    html: str
    selected_node: str | None = None


def dump_manifests(objects: list[dict]) -> str:
    """Objects as a multi-document YAML text (key order kept), as the widget shows them."""
    return "---\n".join(yaml.safe_dump(o, sort_keys=False, allow_unicode=True) for o in objects)


def playground_input(book: ExampleBook, escenario: str, pod: str) -> PlaygroundInput:
    """The widget's starting text: the scenario's Nodes and placed Pods, and its Pod ``pod``, as written."""
    scenario = book.scenario(escenario)
    manifests = scenario.all_objects()
    nodes = [m for m in manifests if m.get("kind") == "Node"]
    placed = [m for m in manifests if m.get("kind") == "Pod" and (m.get("spec") or {}).get("nodeName")]
    target = [m for m in manifests if m.get("kind") == "Pod" and m["metadata"]["name"] == pod]
    if not target:
        raise ContentError(f"el escenario {escenario} no tiene el Pod {pod!r}")
    return PlaygroundInput(dump_manifests(nodes + placed), dump_manifests(target[:1]), scenario.seed,
                           scenario.until_ms or 5000)


def _parse(inp: PlaygroundInput) -> tuple[list[dict], dict]:
    """The objects of both boxes; anything but Nodes and Pods in the first, or not one Pod in the second, is an error."""
    for name, text in ((NODES_FILE, inp.nodes), (POD_FILE, inp.pod)):
        if len(text) > MAX_TEXT:
            raise ContentError(f"{name}: el texto tiene {len(text)} caracteres; el máximo es {MAX_TEXT}")
    cluster = parse_manifests(inp.nodes, NODES_FILE)
    for i, obj in enumerate(cluster, start=1):
        if obj.get("kind") not in NODE_BOX_KINDS:
            raise ContentError(f"{NODES_FILE}: objeto {i}: kind {obj.get('kind')!r}: aquí solo caben Node y Pod")
    pods = parse_manifests(inp.pod, POD_FILE)
    if len(pods) != 1 or pods[0].get("kind") != "Pod":
        kinds = ", ".join(str(o.get("kind")) for o in pods) or "ninguno"
        raise ContentError(f"{POD_FILE}: debe contener exactamente un objeto de kind Pod (contiene: {kinds})")
    if not any(o.get("kind") == "Node" for o in cluster):
        raise ContentError(f"{NODES_FILE}: no hay ningún Node")
    return cluster, pods[0]


def schedule_manifests(inp: PlaygroundInput) -> tuple[str, str | None]:
    """The Markdown report for the Pod of ``inp.pod`` against ``inp.nodes``, and the chosen node (None: none).

    Raises the model's input errors (``ManifestError``, ``ScenarioError``…) and ``ContentError``.
    """
    from k8sdocs.model.cluster import Cluster

    cluster, pod = _parse(inp)
    run = phrase_run(Cluster([*cluster, pod], seed=inp.seed, name="playground", source=f"{NODES_FILE}, {POD_FILE}",
                  until_ms=inp.until_ms).run())
    return _report_of_run(run, cluster, pod)


def _report_of_run(run: Any, cluster: list[dict], pod: dict) -> tuple[str, str | None]:
    """The report for ``pod`` from ``run``, a run of exactly ``cluster`` and ``pod`` (:func:`schedule_manifests`)."""
    meta = pod.get("metadata") or {}
    case = case_from_run(run, [*cluster, pod], str(meta.get("name")), str(meta.get("namespace") or "default"),
                         f"{POD_FILE}")
    result, nodes = decide(case)
    return report(result, nodes), result.selected_node


def _output_from_book(book: ExampleBook, escenario: str, inp: PlaygroundInput) -> PlaygroundOutput | None:
    """The widget's first report taken from the book's run of ``escenario``, when that run is the one
    :func:`schedule_manifests` would make: the scenario has no steps and no feature gates, the same seed and time,
    and exactly the widget's objects in the same order (the exercises: each scenario is its Nodes and its Pod).
    The model is deterministic, so the report is the same text without a second run (issue 12: half the
    exercises page's cost); None otherwise."""
    scenario = book.scenario(escenario)
    if scenario.steps or scenario.feature_gates or (scenario.seed, scenario.until_ms) != (inp.seed, inp.until_ms):
        return None
    try:
        cluster, pod = _parse(inp)
    except Exception:  # noqa: BLE001 - run_playground reports it
        return None
    if scenario.all_objects() != [*cluster, pod]:
        return None
    markdown, node = _report_of_run(book.run(escenario), cluster, pod)
    return PlaygroundOutput(True, markdown, report_html(markdown), node)


def describe_error(exc: BaseException) -> str:
    """One line for a failed run, as the build prints it (``k8sdocs.macros._describe``): never a traceback."""
    if isinstance(exc, ContentError):
        return str(exc)
    if type(exc).__module__.startswith("k8sdocs.") and isinstance(exc, Exception):
        return f"{type(exc).__name__}: {exc}"
    return f"error interno ({type(exc).__name__}: {exc})"


def run_playground(inp: PlaygroundInput) -> PlaygroundOutput:
    """:func:`schedule_manifests` for the browser: an error becomes an ``ok=False`` output with one line."""
    try:
        markdown, node = schedule_manifests(inp)
    except Exception as exc:  # the reader's input may break anything: show one line, keep the page alive
        line = describe_error(exc)
        return PlaygroundOutput(False, line, report_html(None, error=line), None)
    return PlaygroundOutput(True, markdown, report_html(markdown), node)


def browser_report(nodes: str, pod: str, seed: int, until_ms: int) -> dict[str, object]:
    """Entry point of the Web Worker (plain types across the Pyodide boundary)."""
    out = run_playground(PlaygroundInput(nodes, pod, int(seed), int(until_ms)))
    return {"ok": out.ok, "html": out.html, "markdown": out.markdown, "node": out.selected_node}


def playground(book: ExampleBook, escenario: str, pod: str, espera: str | None = None,
               compacto: bool = False) -> str:
    """The widget for Pod ``pod`` of ``escenario``, showing the build's report until the reader presses the button.

    ``espera``: the node the page says wins (``"ninguno"``: unschedulable). ``compacto``: a closed block (for the
    exercises, where the open report would give the answer away), hidden when JavaScript is off.
    """
    inp = playground_input(book, escenario, pod)
    out = _output_from_book(book, escenario, inp) or run_playground(inp)
    if not out.ok:
        raise ContentError(f"el Pod {pod} de {escenario} no se puede planificar en el banco de pruebas: {out.markdown}")
    expect(f"el nodo elegido para {pod}", espera, out.selected_node or "ninguno")
    return widget(key=f"{escenario.removesuffix('.yaml')}-{pod}", nodes=inp.nodes, pod=inp.pod, seed=inp.seed,
                  until_ms=inp.until_ms, nodes_file=NODES_FILE, pod_file=POD_FILE,
                  initial_html=None if compacto else out.html, compact=compacto)


def _project_root(book: ExampleBook) -> Path:
    return Path(book.docs_dir).resolve().parent


def pyodide_version(book: ExampleBook) -> str:
    """The Pyodide version the site ships (node_modules/pyodide, checked against package-lock.json)."""
    from k8sdocs.playground import pyodide_version as installed  # build side only: not in the browser's bundle

    return installed(_project_root(book))


def pyodide_python_version(book: ExampleBook) -> str:
    """The CPython version inside that Pyodide (``info.python`` of its pyodide-lock.json)."""
    from k8sdocs.playground import PYODIDE_DIR
    from k8sdocs.playground import pyodide_version as installed

    installed(_project_root(book))
    lock = _project_root(book) / PYODIDE_DIR / "pyodide-lock.json"
    return str(json.loads(lock.read_text(encoding="utf-8"))["info"]["python"])


def package_version(book: ExampleBook, nombre: str) -> str:
    """The version of a Python distribution the bundle carries (``PyYAML``, ``Markdown``)."""
    from k8sdocs.playground import VENDORED

    if nombre not in {dist for _, dist in VENDORED}:
        raise ContentError(f"el paquete {nombre!r} no va en el banco de pruebas; van: "
                           + ", ".join(dist for _, dist in VENDORED))
    return metadata.version(nombre)


MACROS = {
    "prueba_planificador": playground,
    "version_pyodide": pyodide_version,
    "version_python_pyodide": pyodide_python_version,
    "version_paquete": package_version,
}
