"""The kube-apiserver page: one request drawn from a scenario's trace, what the server adds to an object,
who watches what, and optimistic concurrency (the 409 Conflict) produced by the model's own API server.

Everything is computed: the diagram from ``ClusterRun.events`` (``k8sdocs.render.sequence``), the added fields by
creating the manifest on a fresh :class:`~k8sdocs.model.apiserver.server.APIServer`, and the 409 text by sending a stale
update to it (``OptimisticLockErrorMsg``, ``staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go``;
``NewConflict``, ``staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go``).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.components import component_of_actor
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.model import observe as ob
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.trace import Actor, Trace, TraceEvent
from k8sdocs.render.markdown import code, escape_text, table
from k8sdocs.render.sequence import trace_sequence


# -- one request, from the trace --------------------------------------------------------------------------------
def request_events(book: ExampleBook, escenario: str, tipo: str, nombre: str,
                   namespace: str = "default") -> list[TraceEvent]:
    """The creation of ``tipo/nombre`` by kubectl as the trace recorded it.

    kubectl's GET (and the server's 404) that ``kubectl apply`` sends first, the POST, the etcd write of the object's
    key, and every watch notification that announces the new object (``ADDED <Kind> <ns>/<name>``).
    """
    info = RESOURCES.get(tipo)
    if info is None:
        raise ContentError(f"tipo desconocido: {tipo}")
    ns = namespace if info.namespaced else None
    events = book.run(escenario).events
    puts = ob.etcd_writes(events, op="PUT", kind=tipo, namespace=ns, name=nombre)
    if not puts:
        raise ContentError(f"el escenario {escenario} no crea {tipo} {nombre}")
    write = puts[0]
    # kubectl apply first GETs the object (404), then POSTs it, at the same simulated time
    gets = [e for e in ob.requests(events, source="kubectl", verb="GET", resource=info.resource, namespace=ns,
                                   name=nombre, subresource=None)
            if e.api is not None and not e.api.query and e.seq < write.seq and e.time_ms == write.time_ms]
    start = gets[-1].seq if gets else write.seq
    put_seqs = {e.seq for e in puts}
    picked = [e for e in events if start <= e.seq <= write.seq
              and (e.source == "kubectl" or e.target == "kubectl" or e.seq in put_seqs)]
    picked += ob.watch_notices(events, op="ADDED", kind=tipo, namespace=ns, name=nombre, after=write.seq)
    return [with_reply(e) for e in picked]


def with_reply(event: TraceEvent) -> TraceEvent:
    """A failed request recorded with ``code``/``reason`` data shows its answer in the summary (``→ 404 NotFound``)."""
    code_ = event.get("code")
    if event.kind == "request" and code_:
        return dataclasses.replace(event, summary=f"{event.summary} → {code_} {event.get('reason') or ''}".rstrip())
    return event


def _same_component(actor: str, watcher: str) -> bool:
    """Per-node actors (``kube-proxy/node-1``) must match exactly; others by component (deployment-controller
    runs in kube-controller-manager, which opened the watch)."""
    if Actor.parse(watcher).instance:
        return actor == watcher
    return component_of_actor(actor) == component_of_actor(watcher)


def reaction_events(book: ExampleBook, escenario: str, tipo: str, nombre: str) -> list[TraceEvent]:
    """For each notified component, its first write that follows the notification: a non-GET request to
    kube-apiserver and the etcd write it causes, or an iptables/cloud call."""
    events = list(book.run(escenario).events)
    notified = request_events(book, escenario, tipo, nombre)
    writes = {e.seq for e in ob.write_requests(events)}
    out: list[TraceEvent] = []
    for note in (e for e in notified if e.kind == "watch"):
        start = events.index(note)
        for i in range(start + 1, len(events)):
            e = events[i]
            if not _same_component(e.source, note.target):
                continue
            if e.seq in writes:
                out.append(e)
                stored = ob.stored_by(events, e)
                if stored is not None:
                    out.append(stored)
                break
            if e.kind in ("iptables", "cloud"):
                out.append(e)
                break
    return sorted(set(out), key=lambda e: e.seq)


def notified_actors(book: ExampleBook, escenario: str, tipo: str, nombre: str) -> list[str]:
    """Who receives the ADDED notification of the new object, in notification order."""
    return [e.target for e in request_events(book, escenario, tipo, nombre) if e.kind == "watch"]


def request_diagram(book: ExampleBook, escenario: str, tipo: str, nombre: str, espera: str | None = None,
                    reacciones: bool = False) -> str:
    """Sequence diagram (SVG) of the creation of ``tipo/nombre``; ``espera``: the notified actors, comma-separated.

    With ``reacciones``, each notified component's first write after the notification is drawn too.
    """
    events = request_events(book, escenario, tipo, nombre)
    expect(f"los notificados de la creación de {tipo} {nombre}", espera,
           ", ".join(e.target for e in events if e.kind == "watch"))
    if reacciones:
        events = sorted(set(events) | set(reaction_events(book, escenario, tipo, nombre)), key=lambda e: e.seq)
    return trace_sequence(events, ["kubectl", "kube-apiserver", "etcd"], title=f"Creación de {tipo} {nombre}: peticiones, escrituras y avisos")


# -- who watches what ---------------------------------------------------------------------------------------------
def watch_rows(book: ExampleBook, escenario: str, nodo: str | None = None) -> list[list[str]]:
    """Every watch opened in the scenario: actor and path (URL-decoded), in the order they were opened.

    With ``nodo``, per-node actors (``kubelet/<nodo>``, ``kube-proxy/<nodo>``) of other nodes are left out.
    """
    rows = []
    for e in ob.watch_requests(book.run(escenario).events):
        if nodo is not None and e.sender.instance and e.sender.instance != nodo:
            continue
        assert e.api is not None
        rows.append([escape_text(e.source), code(unquote(e.api.path))])
    return rows


def watch_table(book: ExampleBook, escenario: str, nodo: str | None = None) -> str:
    """Tabla de los *watch* que abre cada componente en el escenario (quién observa y qué petición hace)."""
    return table(["Quién observa", "Petición (GET … watch=true)"], watch_rows(book, escenario, nodo))


# -- what the server adds -----------------------------------------------------------------------------------------
#: Who sets each added field, by path prefix (``[*]`` matches any list index); first match wins. Upstream:
#: rest.FillObjectMetaSystemFields (staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go), the Pod strategy's
#: PrepareForCreate (pkg/registry/core/pod/strategy.go: generation 1, status Pending + QOS class), the etcd3 codec
#: (resourceVersion), plugin/pkg/admission/serviceaccount (serviceAccountName, the kube-api-access-* volume and its
#: mounts), plugin/pkg/admission/priority (priority, preemptionPolicy), plugin/pkg/admission/defaulttolerationseconds,
#: pkg/apis/core/v1/conversion.go (serviceAccount, the deprecated alias), pkg/apis/core/v1/defaults.go.
FIELD_ORIGIN = (
    ("metadata.uid", "registro genérico (`rest.FillObjectMetaSystemFields`)"),
    ("metadata.creationTimestamp", "registro genérico (`rest.FillObjectMetaSystemFields`)"),
    ("metadata.resourceVersion", "etcd: la revisión de la escritura"),
    ("metadata.generation", "estrategia del recurso (`PrepareForCreate`)"),
    ("metadata.namespace", "la URL de la petición"),
    ("spec.serviceAccountName", "admisión `ServiceAccount`"),
    ("spec.serviceAccount", "conversión a `v1`: alias obsoleto de `serviceAccountName`"),
    ("spec.volumes", "admisión `ServiceAccount`"),
    ("spec.containers[*].volumeMounts", "admisión `ServiceAccount`"),
    ("spec.initContainers[*].volumeMounts", "admisión `ServiceAccount`"),
    ("spec.tolerations", "admisión `DefaultTolerationSeconds`"),
    ("spec.priority", "admisión `Priority`"),
    ("spec.preemptionPolicy", "admisión `Priority`"),
    ("status", "estrategia del recurso (`PrepareForCreate`)"),
    ("spec", "valores por defecto (`pkg/apis/core/v1/defaults.go`)"),
)


def field_origin(path: str) -> str:
    """Who sets the added field ``path`` (:data:`FIELD_ORIGIN`); ``—`` when no entry matches."""
    for prefix, origin in FIELD_ORIGIN:
        pattern = re.escape(prefix).replace(re.escape("[*]"), r"\[\d+\]")
        if re.match(pattern + r"(?:$|[.\[])", path):
            return origin
    return "—"


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_leaves(v, f"{path}.{k}" if path else str(k)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, v in enumerate(value):
            out.update(_leaves(v, f"{path}[{i}]"))
        return out
    return {path: value}


@dataclass(frozen=True)
class AddedField:
    path: str
    value: str
    origin: str


def added_fields(book: ExampleBook, escenario: str, tipo: str, nombre: str) -> list[AddedField]:
    """Fields the API server adds when the scenario's manifest ``tipo/nombre`` is created on a fresh server."""
    scenario = book.scenario(escenario)
    manifest = next((m for m in scenario.all_objects() if m.get("kind") == tipo and m["metadata"].get("name") == nombre), None)
    if manifest is None:
        raise ContentError(f"el escenario {escenario} no tiene {tipo} {nombre}")
    clock = Clock()
    server = APIServer(clock, Trace(clock), seed=scenario.seed)
    stored = server.client("kubectl").create(copy.deepcopy(manifest))
    before = _leaves(manifest)
    out: list[AddedField] = []
    seen: set[str] = set()
    for path, value in sorted(_leaves(stored).items()):
        if path in before:
            continue
        # a list element that is new as a whole (e.g. one toleration) is shown as one row
        element = _new_element(path, before)
        if element is not None:
            if element in seen:
                continue
            seen.add(element)
            path, value = element, _get_path(stored, element)
        origin = field_origin(path)
        out.append(AddedField(path, json.dumps(value, ensure_ascii=False, separators=(", ", ": ")), origin))
    return out


def _new_element(path: str, before: dict[str, Any]) -> str | None:
    """The outermost ``a.b[i]`` prefix of ``path`` that the manifest has no field under, if any."""
    i = path.find("[")
    while i != -1:
        end = path.index("]", i) + 1
        prefix = path[:end]
        if not any(p == prefix or p.startswith(prefix + ".") or p.startswith(prefix + "[") for p in before):
            return prefix
        i = path.find("[", end)
    return None


def _get_path(obj: Any, path: str) -> Any:
    for part in path.replace("]", "").replace("[", ".").split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


def added_fields_table(book: ExampleBook, escenario: str, tipo: str, nombre: str) -> str:
    """Campos que el servidor de la API añade a un objeto al crearlo (valores por defecto y admisión), y quién los pone."""
    rows = [[code(f.path), code(f.value), f.origin] for f in added_fields(book, escenario, tipo, nombre)]
    return table(["Campo", "Valor", "Quién lo pone"], rows)


# -- optimistic concurrency ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConflictStep:
    actor: str
    action: str
    resource_version: str
    result: str


def conflict_steps() -> list[ConflictStep]:
    """Two clients read the same ConfigMap and both update it: the second update gets a 409 Conflict."""
    clock = Clock()
    server = APIServer(clock, Trace(clock))
    admin = server.client("kubectl")
    created = admin.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ajustes"},
                            "data": {"replicas": "1"}})
    steps = [ConflictStep("kubectl", "crea el ConfigMap `ajustes`", created["metadata"]["resourceVersion"], "201 Created")]
    a, b = server.client("cliente-a"), server.client("cliente-b")
    copy_a, copy_b = a.get("ConfigMap", "ajustes"), b.get("ConfigMap", "ajustes")
    rv = copy_a["metadata"]["resourceVersion"]
    steps.append(ConflictStep("cliente-a", "lee el ConfigMap", rv, "200 OK"))
    steps.append(ConflictStep("cliente-b", "lee el ConfigMap", copy_b["metadata"]["resourceVersion"], "200 OK"))
    copy_a["data"]["replicas"] = "2"
    updated = a.update(copy_a)
    steps.append(ConflictStep("cliente-a", f"envía su cambio con resourceVersion {rv}",
                              updated["metadata"]["resourceVersion"], "200 OK"))
    copy_b["data"]["replicas"] = "3"
    try:
        b.update(copy_b)
    except Exception as err:  # APIError; matched by its code (the module may be reloaded by mkdocs serve)
        if getattr(err, "code", None) != 409:
            raise
        steps.append(ConflictStep("cliente-b", f"envía su cambio con resourceVersion {copy_b['metadata']['resourceVersion']}",
                                  "—", f"{err.code} {err.reason}: {err.message}"))  # type: ignore[attr-defined]
        return steps
    raise ContentError("el modelo aceptó una actualización con una resourceVersion antigua (se esperaba 409)")


def conflict_table(book: ExampleBook) -> str:
    """Dos clientes actualizan el mismo objeto: el segundo recibe el 409 de concurrencia optimista del servidor de la API."""
    rows = [[escape_text(s.actor), s.action, escape_text(s.resource_version),
             code(s.result) if s.result.startswith("409") else escape_text(s.result)] for s in conflict_steps()]
    return table(["Cliente", "Acción", "resourceVersion", "Respuesta"], rows)


def conflict_message(book: ExampleBook, espera: str | None = None) -> str:
    """The exact text of the 409, as a code block."""
    message = conflict_steps()[-1].result
    expect("el mensaje del conflicto", espera, message)
    return f"```text\n{message}\n```\n"


MACROS = {
    "diagrama_peticion": request_diagram,
    "tabla_watches": watch_table,
    "campos_anadidos": added_fields_table,
    "tabla_conflicto": conflict_table,
    "mensaje_conflicto": conflict_message,
}
