"""The kube-controller-manager page: ReplicaSet slow start and a Deployment rolling update as timelines.

The timelines are read from the store's history (every write of every ReplicaSet of the Deployment, with the time
of its etcd revision from the trace), the events verbatim from the trace (``ScalingReplicaSet``, written by
``pkg/controller/deployment/sync.go`` as ``Scaled up replica set %s from %d to %d``), slow-start batches from
``controller_utils.slow_start_batches`` (``slowStartBatch``, ``pkg/controller/replicaset/replica_set.go``) and the
rolling-update limits from ``deployment_util.resolve_fenceposts`` (``ResolveFenceposts``,
``pkg/controller/deployment/util/deployment_util.go``).
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.model import observe as ob
from k8sdocs.model.controllers.controller_utils import BURST_REPLICAS, slow_start_batches
from k8sdocs.model.controllers.deployment_util import resolve_fenceposts
from k8sdocs.render.markdown import code, escape_text, table
from k8sdocs.render.timefmt import format_time


@dataclass(frozen=True)
class RSState:
    name: str
    image: str
    replicas: int
    ready: int


@dataclass(frozen=True)
class TimelineRow:
    time_ms: int
    replica_sets: tuple[RSState, ...]  # in creation order
    events: tuple[str, ...]  # "Scaled up replica set ... from a to b" (verbatim messages)


@dataclass(frozen=True)
class Event:
    time_ms: int
    type: str
    reason: str
    message: str


def deployment_events(book: ExampleBook, escenario: str, deployment: str, razon: str = "ScalingReplicaSet") -> list[Event]:
    """Events recorded on ``deployment`` with reason ``razon``."""
    return [Event(e.time_ms, e.note.type, e.note.reason, e.note.message)
            for e in ob.kube_events(book.run(escenario).events, involved_kind="Deployment", involved_name=deployment,
                                    reason=razon) if e.note is not None]


def _template_image(rs: dict) -> str:
    containers = (((rs.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers") or []
    return ", ".join(str(c.get("image", "")) for c in containers)


def replicaset_timeline(book: ExampleBook, escenario: str, deployment: str) -> list[TimelineRow]:
    """One row per instant at which a ReplicaSet of ``deployment`` changed its desired or ready replicas."""
    run = book.run(escenario)
    time_of = {rev: e.time_ms for rev, e in ob.writes_by_revision(run.events).items()}
    history = ob.kind_history(run.history, "ReplicaSet")
    state: dict[str, RSState] = {}
    created: dict[str, int] = {}
    snapshots: dict[int, tuple[RSState, ...]] = {}
    for ev in history:
        rs = ev.kv.value
        owners = [o for o in (rs.get("metadata") or {}).get("ownerReferences") or []
                  if o.get("kind") == "Deployment" and o.get("name") == deployment]
        if not owners:
            continue
        name = rs["metadata"]["name"]
        created.setdefault(name, ev.kv.create_revision)
        if ev.type == "DELETE":
            state.pop(name, None)
        else:
            status = rs.get("status") or {}
            replicas = (rs.get("spec") or {}).get("replicas")
            state[name] = RSState(name, _template_image(rs), 1 if replicas is None else int(replicas),
                                  int(status.get("readyReplicas") or 0))
        t = time_of.get(ev.revision)
        if t is None:
            raise ContentError(f"la revisión {ev.revision} no aparece en la traza de {escenario}")
        snapshots[t] = tuple(state[n] for n in sorted(state, key=lambda n: created[n]))
    if not snapshots:
        raise ContentError(f"el escenario {escenario} no tiene ReplicaSets del Deployment {deployment}")
    events_at: dict[int, list[str]] = {}
    for e in deployment_events(book, escenario, deployment):
        events_at.setdefault(e.time_ms, []).append(e.message)
    rows: list[TimelineRow] = []
    last: tuple | None = None
    for t in sorted(set(snapshots) | set(events_at)):
        rss = snapshots.get(t) or (rows[-1].replica_sets if rows else ())
        key = tuple((r.name, r.replicas, r.ready) for r in rss)
        if key == last and t not in events_at:
            continue
        last = key
        rows.append(TimelineRow(t, rss, tuple(events_at.get(t, ()))))
    return rows


def timeline_table(book: ExampleBook, escenario: str, deployment: str, espera_eventos: int | None = None) -> str:
    """Time → per ReplicaSet (creation order) desired and ready replicas → ScalingReplicaSet messages."""
    rows = replicaset_timeline(book, escenario, deployment)
    expect(f"el número de eventos ScalingReplicaSet de {deployment}", espera_eventos,
           sum(len(r.events) for r in rows))
    names: list[RSState] = []
    for r in rows:
        for rs in r.replica_sets:
            if rs.name not in [n.name for n in names]:
                names.append(rs)
    headers = ["Tiempo"]
    for rs in names:
        headers.append(f"{code(rs.name)} ({escape_text(rs.image)}): deseadas / listas")
    headers.append("Eventos `ScalingReplicaSet` del Deployment")
    cells = []
    for r in rows:
        by_name = {rs.name: rs for rs in r.replica_sets}
        line = [format_time(r.time_ms)]
        for rs in names:
            now = by_name.get(rs.name)
            line.append(f"{now.replicas} / {now.ready}" if now else "—")
        line.append("<br>".join(escape_text(m) for m in r.events) or "")
        cells.append(line)
    align = ["right"] + ["center"] * len(names) + ["left"]
    return table(headers, cells, align=align)  # type: ignore[arg-type]


def events_table(book: ExampleBook, escenario: str, deployment: str) -> str:
    """The ScalingReplicaSet events verbatim, as ``kubectl describe deployment`` lists them."""
    rows = [[format_time(e.time_ms), escape_text(e.type), escape_text(e.reason), code(e.message)]
            for e in deployment_events(book, escenario, deployment)]
    return table(["Tiempo", "Tipo", "Motivo", "Mensaje"], rows, align=["right", "left", "left", "left"])


# -- slow start ---------------------------------------------------------------------------------------------------
def slow_start_rows(counts: list[int]) -> list[list[str]]:
    rows = []
    for n in counts:
        batches = slow_start_batches(min(n, BURST_REPLICAS))
        rows.append([str(n), " + ".join(str(b) for b in batches), str(len(batches))])
    return rows


def slow_start_table(book: ExampleBook, cantidades: str = "1,3,9,10,25,100") -> str:
    """Lotes de creación de Pods del controlador de ReplicaSet (arranque lento: 1, 2, 4...) para cada cantidad."""
    try:
        counts = [int(c) for c in cantidades.split(",")]
    except ValueError:
        raise ContentError(f"cantidades debe ser una lista de enteros separados por comas, no {cantidades!r}") from None
    return table(["Pods que faltan", "Lotes", "Número de lotes"], slow_start_rows(counts),
                 align=["right", "left", "right"])


def replicaset_decision(book: ExampleBook, escenario: str, replicaset_prefix: str, desde: str = "0s") -> str:
    """The replicaset-controller's first decision on a ReplicaSet named ``<prefix>…`` at or after ``desde``."""
    from k8sdocs.model.scenario import parse_duration_ms

    start = parse_duration_ms(desde)
    for e in ob.decisions(book.run(escenario).events, source="replicaset-controller"):
        if e.time_ms >= start and e.obj is not None and e.obj.name.startswith(replicaset_prefix):
            return f"[{format_time(e.time_ms)}] {e.summary}"
    raise ContentError(f"no hay decisiones del controlador de ReplicaSet sobre {replicaset_prefix}… desde {desde}")


def replicaset_decision_md(book: ExampleBook, escenario: str, replicaset: str, desde: str = "0s") -> str:
    """Cálculo del controlador de ReplicaSet (réplicas deseadas frente a Pods existentes) en un momento del escenario."""
    return f"```text\n{replicaset_decision(book, escenario, replicaset, desde)}\n```\n"


def created_pods_at(book: ExampleBook, escenario: str, desde: str, espera: int | None = None) -> str:
    """How many SuccessfulCreate events the replicaset-controller records at the first instant ≥ ``desde``."""
    from k8sdocs.model.scenario import parse_duration_ms

    start = parse_duration_ms(desde)
    times = [e.time_ms for e in ob.kube_events(book.run(escenario).events, source_component="replicaset-controller",
                                               reason="SuccessfulCreate") if e.time_ms >= start]
    n = times.count(times[0]) if times else 0
    expect(f"los Pods creados a partir de {desde}", espera, n)
    return str(n)


# -- rolling update limits ------------------------------------------------------------------------------------------
def rolling_limits(replicas: int, max_surge: int | str = "25%", max_unavailable: int | str = "25%") -> tuple[int, int]:
    return resolve_fenceposts(max_surge, max_unavailable, replicas)


def _pods(n: int) -> str:
    return f"{n} Pod" if n == 1 else f"{n} Pods"


def rolling_limits_text(book: ExampleBook, replicas: int, max_surge: str = "25%", max_unavailable: str = "25%") -> str:
    """Frase con los límites de una actualización progresiva (maxSurge y maxUnavailable, con su redondeo)."""
    surge, unavailable = rolling_limits(replicas, max_surge, max_unavailable)
    return (f"con {replicas} réplicas, `maxSurge: {max_surge}` permite {_pods(surge)} de más (se redondea hacia arriba) "
            f"y `maxUnavailable: {max_unavailable}` permite {_pods(unavailable)} sin estar disponibles (se redondea hacia "
            f"abajo): como mucho **{_pods(replicas + surge)}** a la vez y al menos **{replicas - unavailable} "
            f"disponibles**")


# -- EndpointSlice -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SliceRow:
    time_ms: int
    endpoints: tuple[tuple[str, str, bool], ...]  # (address, node, ready), in the slice's order


def endpointslice_timeline(book: ExampleBook, escenario: str, service: str, namespace: str = "default") -> list[SliceRow]:
    """Every write of the Service's EndpointSlices (label ``kubernetes.io/service-name``), with its endpoints."""
    run = book.run(escenario)
    time_of = {rev: e.time_ms for rev, e in ob.writes_by_revision(run.events).items()}
    rows: list[SliceRow] = []
    current: dict[str, tuple[tuple[str, str, bool], ...]] = {}
    for h in ob.kind_history(run.history, "EndpointSlice", namespace):
        labels = (h.kv.value.get("metadata") or {}).get("labels") or {}
        if labels.get("kubernetes.io/service-name") != service:
            continue
        if h.type == "DELETE":
            current.pop(h.kv.key, None)
        else:
            current[h.kv.key] = tuple(
                (",".join(ep.get("addresses") or []), str(ep.get("nodeName") or ""),
                 bool((ep.get("conditions") or {}).get("ready")))
                for ep in h.kv.value.get("endpoints") or [])
        rows.append(SliceRow(time_of[h.revision], tuple(ep for k in sorted(current) for ep in current[k])))
    if not rows:
        raise ContentError(f"en {escenario} no hay EndpointSlices del Service {service}")
    return rows


def endpointslice_table(book: ExampleBook, escenario: str, service: str) -> str:
    """Línea temporal de los endpoints de un Service según los escribe el controlador de EndpointSlice."""
    cells = []
    for r in endpointslice_timeline(book, escenario, service):
        eps = "<br>".join(f"{code(a)} en {escape_text(n)}: {'listo' if ready else 'no listo'}" for a, n, ready in r.endpoints)
        cells.append([format_time(r.time_ms), str(len(r.endpoints)), str(sum(1 for *_, ready in r.endpoints if ready)),
                      eps or "ninguno"])
    return table(["Tiempo", "Endpoints", "Listos", "Endpoints (IP del Pod, nodo, estado)"], cells,
                 align=["right", "right", "right", "left"])


# -- which controllers act ----------------------------------------------------------------------------------------
def controller_rows(book: ExampleBook, escenario: str) -> list[list[str]]:
    """Controllers of kube-controller-manager that write through the API in the scenario, with their write count."""
    from k8sdocs.content.components import KUBE_CONTROLLER_MANAGER, component_of_actor

    writes: dict[str, int] = {}
    for e in ob.write_requests(book.run(escenario).events):
        if e.source != KUBE_CONTROLLER_MANAGER and component_of_actor(e.source) == KUBE_CONTROLLER_MANAGER:
            writes[e.source] = writes.get(e.source, 0) + 1
    return [[code(name), str(n)] for name, n in sorted(writes.items())]


def controllers_table(book: ExampleBook, escenario: str) -> str:
    """Peticiones de escritura que hace cada controlador de kube-controller-manager en el escenario."""
    return table(["Controlador", "Peticiones de escritura a la API"], controller_rows(book, escenario),
                 align=["left", "right"])


MACROS = {
    "linea_temporal_replicasets": timeline_table,
    "eventos_deployment": events_table,
    "tabla_arranque_lento": slow_start_table,
    "decision_replicaset": replicaset_decision_md,
    "pods_creados": created_pods_at,
    "limites_actualizacion": rolling_limits_text,
    "controladores_activos": controllers_table,
    "linea_temporal_endpointslice": endpointslice_table,
}
