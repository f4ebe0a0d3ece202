"""The eight components of a Kubernetes cluster, as data for the architecture page.

Each :class:`Component` says which plane it belongs to, what it does (Spanish, short), its
default port (``kubernetes/website`` ``content/en/docs/reference/networking/ports-and-protocols.md``
@3842a2847339fe9ad1013653ef81c9aa0f77b639, plus the flag reference pages for
cloud-controller-manager ``--secure-port`` 10258 and kube-proxy ``--healthz-bind-address``
``0.0.0.0:10256``) and its process/binary.

"Habla con" is **not typed by hand**: :func:`talks_to` derives it from a scenario's trace (who sends
requests to whom: API requests, etcd writes, CRI calls, cloud calls, iptables-restore), mapping each
actor of the trace to the component it runs in with :func:`component_of_actor`. Watch
notifications (``kube-apiserver -> actor``) and error replies are answers to requests the actor
made, so they do not count as the API server "talking to" the actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from k8sdocs.model.trace import Actor

CONTROL_PLANE = "control"
NODE = "nodo"

KUBE_APISERVER = "kube-apiserver"
ETCD = "etcd"
KUBE_SCHEDULER = "kube-scheduler"
KUBE_CONTROLLER_MANAGER = "kube-controller-manager"
CLOUD_CONTROLLER_MANAGER = "cloud-controller-manager"
KUBELET = "kubelet"
KUBE_PROXY = "kube-proxy"
CONTAINER_RUNTIME = "container runtime"

#: Peers outside the eight components that appear in "habla con".
CLOUD_API = "API del proveedor de nube"
IPTABLES = "iptables (núcleo del nodo)"
KUBECTL = "kubectl"

#: Controllers of the cloud-controller-manager binary (staging/src/k8s.io/cloud-provider/controllers/).
CCM_CONTROLLERS = frozenset({"cloud-node-controller", "cloud-node-lifecycle-controller", "service-controller",
                             "route-controller", "cloud-controller-manager"})


@dataclass(frozen=True)
class Component:
    name: str
    plane: str  # "control" | "nodo"
    function: str  # Spanish, short
    port: str
    binary: str


COMPONENTS: tuple[Component, ...] = (
    Component(KUBE_APISERVER, CONTROL_PLANE,
              "Expone la API de Kubernetes; valida y guarda los objetos en etcd. Todos los demás componentes le hablan a él.",
              "6443/TCP", "kube-apiserver"),
    Component(ETCD, CONTROL_PLANE,
              "Almacén clave-valor consistente donde se guarda todo el estado del clúster.",
              "2379-2380/TCP", "etcd"),
    Component(KUBE_SCHEDULER, CONTROL_PLANE,
              "Elige un nodo para cada Pod sin nodo (filtra y puntúa) y lo vincula.",
              "10259/TCP", "kube-scheduler"),
    Component(KUBE_CONTROLLER_MANAGER, CONTROL_PLANE,
              "Ejecuta los controladores (Deployment, ReplicaSet, nodos, EndpointSlice…) que llevan el estado actual al deseado.",
              "10257/TCP", "kube-controller-manager"),
    Component(CLOUD_CONTROLLER_MANAGER, CONTROL_PLANE,
              "Une el clúster con la API del proveedor de nube: inicializa nodos y crea balanceadores de carga.",
              "10258/TCP", "cloud-controller-manager"),
    Component(KUBELET, NODE,
              "Agente de cada nodo: registra el nodo, envía latidos y arranca los contenedores de sus Pods.",
              "10250/TCP", "kubelet"),
    Component(KUBE_PROXY, NODE,
              "Programa las reglas de red (iptables) que llevan el tráfico de cada Service a sus Pods.",
              "10256/TCP", "kube-proxy"),
    Component(CONTAINER_RUNTIME, NODE,
              "Entorno de ejecución de contenedores: descarga imágenes y ejecuta los contenedores que pide el kubelet (CRI).",
              "socket Unix (sin puerto TCP)", "containerd o CRI-O"),
)

#: Trace kinds that are a request from ``source`` to ``target``.
REQUEST_KINDS = ("request", "etcd", "cri", "cloud", "iptables")


class _Event(Protocol):
    kind: str
    source: str
    target: str
    summary: str


def component_of_actor(actor: str) -> str:
    """The component (or external peer) a trace actor runs in."""
    head = Actor.parse(actor).component
    if head in (KUBE_APISERVER, ETCD, KUBE_SCHEDULER, KUBELET, KUBE_PROXY, KUBECTL):
        return head
    if head == "default-scheduler":
        return KUBE_SCHEDULER
    if head == "container-runtime":
        return CONTAINER_RUNTIME
    if head in CCM_CONTROLLERS:
        return CLOUD_CONTROLLER_MANAGER
    if head == "cloud":
        return CLOUD_API
    if head == "iptables":
        return IPTABLES
    if head.endswith("-controller") or head == KUBE_CONTROLLER_MANAGER:
        return KUBE_CONTROLLER_MANAGER
    return head


def talks_to(events: Iterable[_Event]) -> dict[str, tuple[str, ...]]:
    """component -> sorted peers it sends requests to, derived from a trace."""
    out: dict[str, set[str]] = {c.name: set() for c in COMPONENTS}
    for ev in events:
        if ev.kind not in REQUEST_KINDS:
            continue
        if ev.kind == "request" and ev.source == KUBE_APISERVER:
            continue  # an error reply to the actor's own request
        src, dst = component_of_actor(ev.source), component_of_actor(ev.target)
        if src == dst or src not in out:
            continue
        out[src].add(dst)
    order = [c.name for c in COMPONENTS] + [CLOUD_API, IPTABLES]
    rank = {name: i for i, name in enumerate(order)}
    return {name: tuple(sorted(peers, key=lambda p: (rank.get(p, len(order)), p))) for name, peers in out.items()}


@dataclass(frozen=True)
class ComponentRow:
    """One row of the architecture table."""

    componente: str
    plano: str
    funcion: str
    habla_con: tuple[str, ...]
    puerto: str
    proceso: str


def component_rows(events: Iterable[_Event]) -> tuple[ComponentRow, ...]:
    """The architecture table: the static data plus "habla con" from the trace ``events``."""
    peers = talks_to(events)
    return tuple(ComponentRow(c.name, "plano de control" if c.plane == CONTROL_PLANE else "nodo de trabajo",
                              c.function, peers[c.name], c.port, c.binary) for c in COMPONENTS)
