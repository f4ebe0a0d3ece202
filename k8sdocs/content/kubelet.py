"""The kubelet page: CRI calls of one Pod, its conditions as they change, its events, the Lease heartbeats.

Every table is read from a scenario run (trace and store history); nothing is typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.content.nodes import (
    actor_component,
    cri_service,
    duration_text,
    kube_events,
    pod_cri_calls,
    pod_node,
    select_pod,
)
from k8sdocs.model import observe as ob
from k8sdocs.render.markdown import camel_code, code, escape_text, table
from k8sdocs.render.timefmt import format_time

# The order the kubelet writes pod conditions (pkg/kubelet/kubelet_pods.go generateAPIPodStatus):
# PodReadyToStartContainers, Initialized, Ready, ContainersReady, then PodScheduled. The table shows
# them in the order they usually become True.
CONDITION_COLUMNS = ("PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready")

#: What each CRI call does, for readers (api.proto method comments, summarised in Spanish).
CRI_PURPOSE = {
    "RunPodSandbox": "crea el entorno aislado del Pod (espacios de nombres de Linux, red con CNI) y le da su IP",
    "PodSandboxStatus": "pregunta el estado del entorno aislado y la IP del Pod",
    "ImageStatus": "¿está ya la imagen en el nodo?",
    "PullImage": "descarga la imagen del registro",
    "CreateContainer": "crea el contenedor dentro del entorno aislado (todavía no se ejecuta)",
    "StartContainer": "arranca el proceso del contenedor",
    "StopContainer": "detiene el contenedor",
    "RemoveContainer": "borra el contenedor",
    "StopPodSandbox": "detiene el entorno aislado del Pod",
    "RemovePodSandbox": "borra el entorno aislado del Pod",
    "Version": "versión del entorno de ejecución y de la API CRI",
}


def _detail(data: tuple[tuple[str, str], ...]) -> str:
    shown = [(k, v) for k, v in data if k not in ("duration_ms",)]
    return ", ".join(code(f"{k}={v}") for k, v in shown) or "—"


def cri_rows(book: ExampleBook, escenario: str, pod: str | None = None, nodo: str | None = None) -> list[list[str]]:
    run = book.run(escenario)
    pod_key = select_pod(run.events, pod, nodo)
    rows = []
    for i, ev in enumerate(pod_cri_calls(run, pod_key), start=1):
        method = ev.cri.method if ev.cri else ""
        rows.append([
            str(i),
            format_time(ev.time_ms),
            code(method),
            escape_text(cri_service(method)),
            escape_text(CRI_PURPOSE.get(method, "")),
            duration_text(int(ev.get("duration_ms", "0") or 0)),
        ])
    return rows


def cri_table(book: ExampleBook, escenario: str, pod: str | None = None, nodo: str | None = None,
              espera: str | None = None) -> str:
    """The CRI calls the kubelet makes for one Pod, in order; ``espera`` is the expected list of methods (``"A, B"``)."""
    run = book.run(escenario)
    pod_key = select_pod(run.events, pod, nodo)
    methods = [ev.cri.method for ev in pod_cri_calls(run, pod_key) if ev.cri is not None]
    if espera is not None:
        expect(f"llamadas CRI de {pod_key}", [m.strip() for m in espera.split(",")], methods)
    if not methods:
        raise ContentError(f"el Pod {pod_key} no tiene llamadas CRI en la traza")
    headers = ["#", "Tiempo", "Llamada", "Servicio", "Qué hace", "Duración simulada"]
    return table(headers, cri_rows(book, escenario, pod, nodo), align=["right", "right", "left", "left", "left", "right"])


@dataclass(frozen=True)
class ConditionRow:
    time_ms: int
    writer: str
    phase: str
    conditions: tuple[str, ...]  # one cell per CONDITION_COLUMNS


def _condition_cell(cond: dict | None) -> str:
    if cond is None:
        return "—"
    status = str(cond.get("status", ""))
    reason = cond.get("reason")
    return f"{status} ({reason})" if reason else status


def _cell_markdown(text: str) -> str:
    """``False (ContainersNotReady)`` -> the status, and the reason on a second, smaller line."""
    if " (" in text:
        status, reason = text.split(" (", 1)
        return f"{escape_text(status)}<br><small>{escape_text(reason.rstrip(')'))}</small>"
    return escape_text(text)


def condition_timeline(book: ExampleBook, escenario: str, pod: str | None = None, nodo: str | None = None) -> list[ConditionRow]:
    """One row per write of the Pod that changed its phase or a condition, with the simulated time and the writer."""
    run = book.run(escenario)
    pod_key = select_pod(run.events, pod, nodo)
    ns, name = pod_key.split("/", 1)
    # revision -> (time, writer): the etcd write carries the revision; the request just before it is the writer
    writers: dict[int, tuple[int, str]] = {}
    for revision, ev in ob.writes_by_revision(run.events, op="PUT", kind="Pod", namespace=ns, name=name).items():
        request = ob.request_of(run.events, ev)
        writers[revision] = (ev.time_ms, request.source if request else "")
    rows: list[ConditionRow] = []
    previous: tuple[str, tuple[str, ...]] | None = None
    for h in ob.object_history(run.history, "Pod", name, ns):
        if h.type == "DELETE":
            continue
        revision = h.revision
        status = h.kv.value.get("status") or {}
        by_type = {c.get("type"): c for c in status.get("conditions") or []}
        cells = tuple(_condition_cell(by_type.get(t)) for t in CONDITION_COLUMNS)
        state = (str(status.get("phase", "")), cells)
        if state == previous:
            continue
        previous = state
        time_ms, writer = writers.get(revision, (0, ""))
        rows.append(ConditionRow(time_ms, writer, state[0], cells))
    return rows


def conditions_table(book: ExampleBook, escenario: str, pod: str | None = None, nodo: str | None = None) -> str:
    """How the Pod's phase and conditions change, write by write (one column per write, from the store history)."""
    rows = condition_timeline(book, escenario, pod, nodo)
    headers = ["Escritura"] + [format_time(r.time_ms) for r in rows]
    body = [["Quién escribe"] + [escape_text(r.writer) for r in rows],
            ["Fase"] + [code(r.phase) for r in rows]]
    for i, cond in enumerate(CONDITION_COLUMNS):
        body.append([camel_code(cond)] + [_cell_markdown(r.conditions[i]) for r in rows])
    return table(headers, body, align=["left"] * (len(rows) + 1))


def kubelet_events(book: ExampleBook, escenario: str, pod: str | None = None, nodo: str | None = None) -> str:
    """The events the kubelet records on the Pod, verbatim (v1.35 wording, as ``kubectl get events`` prints them)."""
    run = book.run(escenario)
    pod_key = select_pod(run.events, pod, nodo)
    node = pod_node(run.events, pod_key)
    evs = kube_events(run.events, kind="Pod", name=pod_key.split("/", 1)[1], source=f"kubelet/{node}")
    if not evs:
        raise ContentError(f"el kubelet de {node} no registró eventos para {pod_key}")
    cells = [[format_time(e.time_ms), escape_text(e.type), code(e.reason), code(e.message),
              escape_text(actor_component(e.source))] for e in evs]
    return table(["Tiempo", "Tipo", "Motivo (reason)", "Mensaje", "Origen"], cells,
                 align=["right", "left", "left", "left", "left"])


def lease_renewals(book: ExampleBook, escenario: str, nodo: str) -> list[int]:
    """Times (ms) at which the kubelet of ``nodo`` writes its Lease (create, then each renewal)."""
    times = [e.time_ms for e in ob.node_lease_writes(book.run(escenario).events, nodo)]
    if not times:
        raise ContentError(f"el kubelet de {nodo} no escribe ningún Lease en {escenario}")
    return times


def lease_interval_ms(book: ExampleBook, escenario: str, nodo: str) -> int:
    """The renewal interval the run shows (all renewals must be evenly spaced, or it is an error)."""
    times = lease_renewals(book, escenario, nodo)
    gaps = sorted({b - a for a, b in zip(times, times[1:])})
    if len(gaps) != 1:
        raise ContentError(f"los latidos de {nodo} no son periódicos: intervalos {gaps} ms")
    return gaps[0]


def heartbeat_table(book: ExampleBook, escenario: str, nodo: str, espera_intervalo: str | None = None,
                    maximo: int = 5) -> str:
    """The first ``maximo`` Lease writes of ``nodo`` and the node-status writes between them."""
    run = book.run(escenario)
    interval = lease_interval_ms(book, escenario, nodo)
    expect(f"intervalo de latidos de {nodo}", espera_intervalo, format_time(interval))
    rows = []
    count = 0
    for ev in ob.requests(run.events, source=f"kubelet/{nodo}"):
        req = ev.api
        assert req is not None
        if req.resource == "leases" and req.namespace == ob.NODE_LEASE_NAMESPACE:
            if req.verb == "GET":
                what = "busca su Lease (la primera vez no existe: 404)"
            elif req.verb == "POST":
                what = "crea su Lease"
            else:
                what = "renueva el Lease (latido)"
                count += 1
            rows.append([format_time(ev.time_ms), code(ev.summary), escape_text(what)])
        elif req.resource == "nodes" and req.group == "" and (req.verb == "PATCH" and req.name or req.verb == "POST"):
            # pkg/kubelet/kubelet_node_status.go: registerWithAPIServer (POST), then PatchNodeStatus (PATCH)
            what = "registra el Node" if req.verb == "POST" else "actualiza el estado del Node (.status)"
            rows.append([format_time(ev.time_ms), code(ev.summary), escape_text(what)])
        if count >= maximo:
            break
    return table(["Tiempo", "Petición del kubelet", "Qué es"], rows, align=["right", "left", "left"])


def heartbeat_interval(book: ExampleBook, escenario: str, nodo: str) -> str:
    """The Lease renewal interval of ``nodo`` as text (``10 s``), for a sentence of the page."""
    return format_time(lease_interval_ms(book, escenario, nodo))


#: What each of the kubelet's watches is for (pkg/kubelet/kubelet.go NewMainKubelet; pkg/kubelet/config/apiserver.go).
WATCH_PURPOSE = {
    "services": "todos los Services: las variables de entorno `<SERVICIO>_SERVICE_HOST` de los contenedores",
    "nodes": "su propio Node: de ahí parte cada actualización de su estado",
    "pods": "los Pods vinculados a su nodo: el trabajo que tiene que hacer",
}


def kubelet_watches(book: ExampleBook, escenario: str, nodo: str, espera: str | None = None) -> str:
    """Los *watch* que abre el kubelet de ``nodo`` en el escenario y para qué sirve cada uno."""
    rows = []
    resources = []
    for ev in ob.watch_requests(book.run(escenario).events, source=f"kubelet/{nodo}"):
        assert ev.api is not None
        path = unquote(ev.api.path)
        purpose = WATCH_PURPOSE.get(ev.api.resource) if ev.api.group == "" else None
        if purpose is None:
            raise ContentError(f"el kubelet de {nodo} observa {path.split('?', 1)[0]}, que esta página no explica")
        resources.append(ev.api.resource)
        # `x` in the purpose is a code span
        cell = "".join(code(seg) if i % 2 else (" " * seg[:1].isspace() + escape_text(seg) + " " * seg[-1:].isspace())
                       for i, seg in enumerate(purpose.split("`")))
        rows.append([code(path), cell])
    if not rows:
        raise ContentError(f"el kubelet de {nodo} no abre ningún watch en {escenario}")
    expect(f"watches del kubelet de {nodo}", espera, ", ".join(resources))
    return table(["Petición (GET … watch=true)", "Para qué"], rows)


MACROS = {
    "kubelet_watches": kubelet_watches,
    "kubelet_llamadas_cri": cri_table,
    "kubelet_condiciones": conditions_table,
    "kubelet_eventos": kubelet_events,
    "kubelet_latidos": heartbeat_table,
    "kubelet_intervalo_latidos": heartbeat_interval,
}
