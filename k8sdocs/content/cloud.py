"""The cloud-controller-manager page: node initialization (the uninitialized taint) and a LoadBalancer Service.

Timelines come from the trace (verbatim events and calls); the Node before and after initialization from the
store's history (the version the kubelet registered and the one the cloud node controller wrote). The taint key is
``node.cloudprovider.kubernetes.io/uninitialized`` (``staging/src/k8s.io/cloud-provider/api/well_known_taints.go``,
``TaintExternalCloudProvider``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.model import observe as ob
from k8sdocs.model.trace import TraceEvent
from k8sdocs.render.markdown import code, escape_text, table
from k8sdocs.render.timefmt import format_time

UNINITIALIZED_TAINT = "node.cloudprovider.kubernetes.io/uninitialized"


@dataclass(frozen=True)
class Step:
    time_ms: int
    actor: str
    text: str  # verbatim protocol text (request, call or event)
    meaning: str  # Spanish
    bound_node: str | None = None  # the node a binding request names


def _meanings(events: Sequence[TraceEvent], pod: str) -> dict[int, str]:
    """What each event of node initialization means, by ``seq``: registration, cloud call, initialization,
    FailedScheduling, binding."""
    found: list[tuple[list[TraceEvent], str]] = [
        ([e for e in ob.requests(events, verb="POST", resource="nodes", name=None)
          if e.sender.component == "kubelet" and e.api is not None and e.api.group == "" and not e.api.query],
         "el kubelet registra su nodo"),
        (ob.cloud_calls(events, op="InstanceMetadata"),
         "el controlador de nodos de nube pide al proveedor los datos de la máquina"),
        ([e for e in ob.requests(events, source="cloud-node-controller", verb="PUT", resource="nodes")
          if e.api is not None and e.api.group == "" and e.api.name],
         "escribe providerID, zona, región y tipo de instancia, y quita el taint"),
        (ob.kube_events(events, involved_kind="Pod", involved_name=pod, reason="FailedScheduling"),
         "el planificador no encuentra nodo para el Pod"),
        ([e for e in ob.bindings(events, pod=pod) if e.source == "kube-scheduler"],
         "el planificador vincula el Pod a un nodo ya inicializado"),
    ]
    meanings: dict[int, str] = {}
    for events_found, meaning in found:
        for e in events_found:
            meanings.setdefault(e.seq, meaning)
    return meanings


def node_initialization_steps(book: ExampleBook, escenario: str, pod: str) -> list[Step]:
    events = book.run(escenario).events
    meanings = _meanings(events, pod)
    steps = []
    for e in events:
        if e.seq in meanings:
            bound = e.get("node") if e.api is not None and e.api.subresource == "binding" else None
            text = e.summary + (f" node={bound}" if bound else "")
            steps.append(Step(e.time_ms, e.source, text, meanings[e.seq], bound))
    if not any(s.actor == "cloud-node-controller" for s in steps):
        raise ContentError(f"en {escenario} el cloud-controller-manager no inicializa ningún nodo")
    return steps


def node_initialization_table(book: ExampleBook, escenario: str, pod: str, espera: str | None = None) -> str:
    """Timeline: registration, cloud calls, initialization, FailedScheduling, binding; ``espera``: the bound node."""
    steps = node_initialization_steps(book, escenario, pod)
    bound = next((s.bound_node for s in steps if s.bound_node), "ninguno")
    expect(f"el nodo al que se vincula {pod}", espera, bound)
    rows = [[format_time(s.time_ms), escape_text(s.actor), code(s.text), s.meaning] for s in steps]
    return table(["Tiempo", "Quién", "Petición, llamada o evento", "Qué significa"], rows,
                 align=["right", "left", "left", "left"])


# -- the Node before and after ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NodeChange:
    field: str
    before: str
    after: str


def _node_fields(node: dict) -> dict[str, str]:
    spec = node.get("spec") or {}
    out = {f"metadata.labels[{k}]": v for k, v in sorted(((node.get("metadata") or {}).get("labels") or {}).items())}
    out["spec.providerID"] = spec.get("providerID") or ""
    out["spec.taints"] = ", ".join(f"{t['key']}={t.get('value', '')}:{t['effect']}" for t in spec.get("taints") or [])
    return out


def node_changes(book: ExampleBook, escenario: str, node: str) -> list[NodeChange]:
    """Fields the cloud node controller changed: the registered Node vs the Node right after its first write."""
    run = book.run(escenario)
    writers = ob.writes_by_revision(run.events, op="PUT", kind="Node", name=node)
    history = ob.object_history(run.history, "Node", node)
    if not history:
        raise ContentError(f"el escenario {escenario} no registra el nodo {node}")
    writes = ob.writes_by_revision(run.events)
    initialized = None
    for h in history[1:]:
        write = writes.get(h.revision)
        request = ob.request_of(run.events, write) if write is not None else None
        if request is not None and request.source == "cloud-node-controller":
            initialized = h
            break
    if initialized is None or history[0].revision not in writers:
        raise ContentError(f"el cloud-controller-manager no inicializa el nodo {node} en {escenario}")
    before, after = _node_fields(history[0].kv.value), _node_fields(initialized.kv.value)
    return [NodeChange(f, before.get(f, ""), after.get(f, "")) for f in sorted(set(before) | set(after))
            if before.get(f, "") != after.get(f, "")]


def node_changes_table(book: ExampleBook, escenario: str, node: str) -> str:
    """Campos del Node antes y después de que el cloud-controller-manager lo inicialice."""
    rows = [[code(c.field), code(c.before) if c.before else "—", code(c.after) if c.after else "—"]
            for c in node_changes(book, escenario, node)]
    return table(["Campo", "Al registrarse (kubelet)", "Tras la inicialización (cloud-controller-manager)"], rows)


# -- LoadBalancer ---------------------------------------------------------------------------------------------------
def service_steps(book: ExampleBook, escenario: str, service: str) -> list[Step]:
    """service-controller's events on the Service and its calls to the cloud, in order (verbatim)."""
    events = book.run(escenario).events
    notes = {e.seq for e in ob.kube_events(events, involved_kind="Service", involved_name=service)}
    lb_calls = {e.seq for e in ob.cloud_calls(events) if e.op is not None and "LoadBalancer" in e.op}
    steps = []
    for e in events:
        if e.seq in notes:
            steps.append(Step(e.time_ms, e.source, e.summary, "evento"))
        elif e.seq in lb_calls:
            extra = "".join(f" {k}={v}" for k, v in e.data if k in ("ip", "nodes"))
            steps.append(Step(e.time_ms, e.source, e.summary + extra, "llamada al proveedor"))
    return steps


def service_steps_table(book: ExampleBook, escenario: str, service: str) -> str:
    """Pasos del cloud-controller-manager para un Service de tipo LoadBalancer, con sus tiempos y textos."""
    rows = [[format_time(s.time_ms), escape_text(s.actor), s.meaning, code(s.text)]
            for s in service_steps(book, escenario, service)]
    return table(["Tiempo", "Quién", "Tipo", "Texto"], rows, align=["right", "left", "left", "left"])


def service_get_row(book: ExampleBook, escenario: str, service: str, espera_ip: str | None = None) -> str:
    """``kubectl get service`` columns for the Service at the end of the scenario."""
    svc = book.run(escenario).get("Service", service)
    if svc is None:
        raise ContentError(f"el escenario {escenario} no tiene el Service {service}")
    spec, status = svc.get("spec") or {}, svc.get("status") or {}
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    external = ",".join(i.get("ip") or i.get("hostname") or "" for i in ingress) or "<pending>"
    expect(f"la IP externa de {service}", espera_ip, external)
    ports = ",".join(f"{p['port']}:{p['nodePort']}/{p.get('protocol', 'TCP')}" if p.get("nodePort")
                     else f"{p['port']}/{p.get('protocol', 'TCP')}" for p in spec.get("ports") or [])
    header = f"{'NAME':<8}{'TYPE':<14}{'CLUSTER-IP':<15}{'EXTERNAL-IP':<15}PORT(S)"
    line = f"{service:<8}{spec.get('type', 'ClusterIP'):<14}{spec.get('clusterIP', ''):<15}{external:<15}{ports}"
    return f"```text\n$ kubectl get service {service}\n{header}\n{line}\n```\n"


def load_balancer_status(book: ExampleBook, escenario: str, service: str) -> str:
    """The Service's ``status`` as YAML, from the end of the scenario."""
    import yaml

    svc = book.run(escenario).get("Service", service)
    if svc is None:
        raise ContentError(f"el escenario {escenario} no tiene el Service {service}")
    return "```yaml\n" + yaml.safe_dump({"status": svc.get("status") or {}}, sort_keys=False) + "```\n"


MACROS = {
    "linea_temporal_nodo_nube": node_initialization_table,
    "cambios_nodo_nube": node_changes_table,
    "pasos_balanceador": service_steps_table,
    "servicio_balanceador": service_get_row,
    "estado_balanceador": load_balancer_status,
}
