"""The container-runtime page: the CRI conversation for one Pod (an SVG sequence diagram) and image present vs pulled.

The diagram is drawn from the trace of a scenario: the watch notification that hands the Pod to the
kubelet, every CRI call the kubelet makes for it, the Events it records and its status writes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.content.nodes import decimal_es, duration_text, kube_events, pod_cri_calls, pod_node, select_pod
from k8sdocs.model import observe as ob
from k8sdocs.model.trace import TraceEvent
from k8sdocs.render.markdown import code, table
from k8sdocs.render.sequence import trace_sequence
from k8sdocs.render.timefmt import format_time


def sandbox_events(book: ExampleBook, escenario: str, pod: str | None = None, nodo: str | None = None) -> list[TraceEvent]:
    """Trace events between kube-apiserver, the kubelet and its runtime for one Pod, in trace order.

    Included: the watch notification ``ADDED Pod`` to the kubelet, the kubelet's status writes of the
    Pod, the CRI calls for it (see ``nodes.pod_cri_calls``). Events (``Pulling``, ``Started``...) are
    drawn as notes over the kubelet.
    """
    run = book.run(escenario)
    pod_key = select_pod(run.events, pod, nodo)
    node = pod_node(run.events, pod_key)
    kubelet = f"kubelet/{node}"
    cri = {ev.seq for ev in pod_cri_calls(run, pod_key)}
    if not cri:
        raise ContentError(f"el Pod {pod_key} no tiene llamadas CRI")
    last_cri = max(cri)
    ns, name = pod_key.split("/", 1)
    added = {e.seq for e in ob.watch_notices(run.events, target=kubelet, op="ADDED", kind="Pod", namespace=ns, name=name)}
    status = {e.seq for e in ob.requests(run.events, source=kubelet, verb="PATCH", resource="pods", name=name,
                                         subresource="status") if e.seq <= last_cri + 20}
    notes = {e.seq for e in ob.kube_events(run.events, involved_kind="Pod", involved_name=name) if e.source == kubelet}
    picked: list[TraceEvent] = []
    for ev in run.events:
        if ev.seq in cri or ev.seq in added:
            picked.append(ev)
        elif ev.seq in status and ev.api is not None:
            # the path without /api/v1/namespaces/<ns>/ keeps the diagram narrow
            picked.append(replace(ev, summary=f"{ev.api.verb} {ev.api.resource_path}"))
        elif ev.seq in notes and ev.note is not None:
            # an Event as a note over the kubelet: "Normal Pulling ..." -> "evento Pulling"
            picked.append(replace(ev, kind="decision", target=kubelet,
                                  summary=f"evento {ev.note.reason}: {ev.note.message}"))
    return picked


def sequence(book: ExampleBook, escenario: str, pod: str | None = None, nodo: str | None = None) -> str:
    """Sequence diagram (SVG): kube-apiserver, the kubelet and the container runtime for one Pod."""
    events = sandbox_events(book, escenario, pod, nodo)
    node = next(ev.sender.instance for ev in events if ev.kind == "cri")
    participants = ["kube-apiserver", f"kubelet/{node}", f"container-runtime/{node}"]
    return trace_sequence(events, participants, title=f"Arranque del Pod en {node}: kube-apiserver, kubelet y entorno de ejecución")


def _method(calls: list[TraceEvent], method: str) -> list[TraceEvent]:
    return [c for c in calls if c.cri is not None and c.cri.method == method]


@dataclass(frozen=True)
class ImageCase:
    pod: str
    node: str
    present: bool
    pulled: bool
    pulled_message: str
    sandbox_to_start_ms: int


def image_case(book: ExampleBook, escenario: str, pod: str) -> ImageCase:
    run = book.run(escenario)
    pod_key = select_pod(run.events, pod)
    node = pod_node(run.events, pod_key)
    calls = pod_cri_calls(run, pod_key)
    status = next(iter(_method(calls, "ImageStatus")), None)
    if status is None:
        raise ContentError(f"el Pod {pod_key} no consulta ninguna imagen (ImageStatus)")
    start = _method(calls, "StartContainer")[0]
    pulled_ev = [e for e in kube_events(run.events, kind="Pod", name=pod_key.split("/", 1)[1]) if e.reason == "Pulled"]
    return ImageCase(
        pod=pod_key,
        node=node,
        present=status.get("present") == "true",
        pulled=bool(_method(calls, "PullImage")),
        pulled_message=pulled_ev[0].message if pulled_ev else "",
        sandbox_to_start_ms=start.time_ms + int(start.get("duration_ms", "0") or 0) - calls[0].time_ms,
    )


def image_comparison(book: ExampleBook, escenario: str, pods: str, espera_descarga: str | None = None) -> str:
    """A table comparing Pods (``pods="a, b"``): was the image there, was it pulled, the ``Pulled`` event, total time.

    ``espera_descarga`` names the Pods expected to pull (``"b"``), checked against the model.
    """
    cases = [image_case(book, escenario, p.strip()) for p in pods.split(",") if p.strip()]
    if espera_descarga is not None:
        expect("Pods que descargan la imagen", sorted(p.strip() for p in espera_descarga.split(",") if p.strip()),
               sorted(c.pod.split("/", 1)[1] for c in cases if c.pulled))
    rows = [[
        code(c.pod.split("/", 1)[1]),
        code(c.node),
        "sí" if c.present else "no",
        "sí" if c.pulled else "no",
        code(c.pulled_message),
        duration_text(c.sandbox_to_start_ms),
    ] for c in cases]
    headers = ["Pod", "Nodo", "¿Imagen presente? (ImageStatus)", "¿PullImage?", "Evento Pulled", "Del sandbox al contenedor en marcha"]
    return table(headers, rows, align=["left", "left", "left", "left", "left", "right"])


def pull_time(book: ExampleBook, escenario: str, pod: str) -> str:
    """The simulated PullImage duration of ``pod`` (``1,69 s``), for a sentence of the page."""
    run = book.run(escenario)
    pod_key = select_pod(run.events, pod)
    pulls = _method(pod_cri_calls(run, pod_key), "PullImage")
    if not pulls:
        raise ContentError(f"el Pod {pod_key} no descarga ninguna imagen")
    return format_time(int(pulls[0].get("duration_ms", "0") or 0))


def simulated_durations(book: ExampleBook) -> str:
    """The model's CRI durations as a Spanish sentence (``model/runtime.py`` LATENCY_MS, PULL_BASE_MS, PULL_BYTES_PER_MS)."""
    from k8sdocs.model import runtime as rt

    mb_per_s = rt.PULL_BYTES_PER_MS * 1000 / 1_000_000
    calls = ", ".join(f"{rt.LATENCY_MS[m]} ms para {code(m)}" for m in ("RunPodSandbox", "CreateContainer", "StartContainer"))
    return (f"{calls} y, para {code('PullImage')}, {rt.PULL_BASE_MS} ms más el tamaño de la imagen a "
            f"{decimal_es(mb_per_s)} MB/s")


def control_plane_delays(book: ExampleBook) -> str:
    """The model's fixed reaction delays as a Spanish phrase (kubelet pod worker, scheduling cycle, binding)."""
    from k8sdocs.model import kubelet as kl
    from k8sdocs.model.scheduler import component as sched

    return (f"{kl.POD_WORKER_DELAY_MS} ms para que el kubelet empiece a trabajar en un Pod, "
            f"{sched.SCHEDULING_CYCLE_MS} ms por ciclo de planificación, {sched.BINDING_MS} ms por vinculación")


MACROS = {
    "entorno_duraciones": simulated_durations,
    "modelo_retardos": control_plane_delays,
    "entorno_secuencia": sequence,
    "entorno_imagenes": image_comparison,
    "entorno_tiempo_descarga": pull_time,
}
