"""Questions pages and tests ask of a run, answered from the trace's typed fields.

Every query takes the run's events (``ClusterRun.events`` or ``Trace.events``) and returns the
matching :class:`~k8sdocs.model.trace.TraceEvent` s in trace order; ``after`` keeps only events with a
larger ``seq``. The questions about the store's history (``ClusterRun.history``: every value every key
had) take that history and return its :class:`~k8sdocs.model.store.WatchEvent` s in revision order. A criterion left at its default matches anything; ``None`` given for an optional field
(``name``, ``subresource``...) asks for its absence. Nothing here reads ``summary``: that text is for
readers and may change wording without changing what a page shows.
"""

from __future__ import annotations

from typing import Final, Iterable, Sequence

from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.store import WatchEvent
from k8sdocs.model.trace import IMAGE_SERVICE_METHODS, ObjectRef, TraceEvent

#: The namespace of the nodes' heartbeat Leases (pkg/apis/core: NamespaceNodeLease).
NODE_LEASE_NAMESPACE = "kube-node-lease"


class _Any:
    """Sentinel: the criterion is not asked."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Final = _Any()

Events = Sequence[TraceEvent]


def _ok(wanted: object, actual: object) -> bool:
    return wanted is ANY or wanted == actual


def requests(events: Events, *, source: str | _Any = ANY, verb: str | _Any = ANY, resource: str | _Any = ANY,
             namespace: str | None | _Any = ANY, name: str | None | _Any = ANY,
             subresource: str | None | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """Requests to kube-apiserver (``source`` is the full actor, e.g. ``kubelet/node-1``)."""
    return [e for e in events if e.seq > after and e.kind == "request" and e.api is not None
            and _ok(source, e.source) and _ok(verb, e.api.verb) and _ok(resource, e.api.resource)
            and _ok(namespace, e.api.namespace) and _ok(name, e.api.name) and _ok(subresource, e.api.subresource)]


def watch_requests(events: Events, *, source: str | _Any = ANY, resource: str | _Any = ANY) -> list[TraceEvent]:
    """The watches a client opened (``GET …?watch=true``)."""
    return [e for e in requests(events, source=source, verb="GET", resource=resource) if e.api and e.api.watch]


def etcd_writes(events: Events, *, op: str | _Any = ANY, kind: str | _Any = ANY, namespace: str | None | _Any = ANY,
                name: str | _Any = ANY, etcd_key: str | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """kube-apiserver's writes to etcd (``op`` PUT or DELETE) of objects of ``kind`` (or of one ``etcd_key``)."""
    return [e for e in events if e.seq > after and e.kind == "etcd" and _ok(op, e.op) and _ok(etcd_key, e.etcd_key)
            and (kind is ANY and namespace is ANY and name is ANY
                 or e.obj is not None and _ok(kind, e.obj.kind) and _ok(namespace, e.obj.namespace)
                 and _ok(name, e.obj.name))]


def revision(write: TraceEvent) -> int:
    """The store revision an etcd ``write`` made (the object's new ``resourceVersion``), or 0 when it has none."""
    return int(write.get("revision") or 0)


def writes_by_revision(events: Events, *, op: str | _Any = ANY, kind: str | _Any = ANY,
                       namespace: str | None | _Any = ANY, name: str | _Any = ANY,
                       etcd_key: str | _Any = ANY) -> dict[int, TraceEvent]:
    """The etcd writes :func:`etcd_writes` selects, by the revision each made: how an entry of the store's history
    finds its simulated time (``.time_ms``) and, through :func:`request_of`, who asked for it."""
    return {revision(e): e for e in etcd_writes(events, op=op, kind=kind, namespace=namespace, name=name,
                                                 etcd_key=etcd_key)}


def watch_notices(events: Events, *, target: str | _Any = ANY, op: str | _Any = ANY, kind: str | _Any = ANY,
                  namespace: str | None | _Any = ANY, name: str | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """Watch notifications kube-apiserver delivered to ``target`` (``op`` ADDED, MODIFIED or DELETED)."""
    return [e for e in events if e.seq > after and e.kind == "watch" and e.obj is not None
            and _ok(target, e.target) and _ok(op, e.op) and _ok(kind, e.obj.kind)
            and _ok(namespace, e.obj.namespace) and _ok(name, e.obj.name)]


def bindings(events: Events, *, pod: str | _Any = ANY, namespace: str | None | _Any = ANY,
             node: str | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """Bindings of Pods to nodes (``POST …/pods/<pod>/binding``, kube-scheduler's); the field ``node`` names the node."""
    return [e for e in requests(events, verb="POST", resource="pods", namespace=namespace, name=pod,
                                subresource="binding", after=after) if _ok(node, e.get("node"))]


def node_lease_writes(events: Events, node: str, *, verb: str | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """The kubelet of ``node``'s heartbeats: the create (``POST``) and the renewals (``PUT``) of its Lease in
    ``kube-node-lease`` (pkg/kubelet/nodelease)."""
    return [e for e in requests(events, source=f"kubelet/{node}", verb=verb, resource="leases",
                                namespace=NODE_LEASE_NAMESPACE, subresource=None, after=after)
            if e.api is not None and (e.api.verb == "POST" and e.api.name is None
                                      or e.api.verb == "PUT" and e.api.name == node)]


def decisions(events: Events, *, source: str | _Any = ANY, pod: str | _Any = ANY, code: str | _Any = ANY,
              about: str | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """Decisions a component recorded (``pod`` is ``namespace/name`` where the decision is about a Pod;
    ``code`` the reason code where the component records one; ``about`` the name of the object it is about)."""
    return [e for e in events if e.seq > after and e.kind == "decision"
            and _ok(source, e.source) and _ok(pod, e.get("pod")) and _ok(code, e.code)
            and (about is ANY or e.obj is not None and e.obj.name == about)]


def cri_calls(events: Events, *, node: str | _Any = ANY, method: str | Iterable[str] | _Any = ANY,
              pod: str | None | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """CRI calls a kubelet made to the container runtime of ``node``, for ``pod`` (``namespace/name``)."""
    methods: tuple[str, ...] | None
    if isinstance(method, _Any):
        methods = None
    else:
        methods = (method,) if isinstance(method, str) else tuple(method)
    return [e for e in events if e.seq > after and e.kind == "cri" and e.cri is not None
            and _ok(node, e.receiver.instance) and (methods is None or e.cri.method in methods)
            and _ok(pod, e.cri.pod)]


def image_calls(events: Events, *, node: str | _Any = ANY, pod: str | None | _Any = ANY) -> list[TraceEvent]:
    """ImageService calls (``ImageStatus``, ``PullImage``...) made for ``pod`` on ``node``."""
    return cri_calls(events, node=node, method=IMAGE_SERVICE_METHODS, pod=pod)


def pods_with_sandbox(events: Events, *, node: str | _Any = ANY) -> list[str]:
    """``namespace/name`` of every Pod that got a sandbox (on ``node``), in order of its first RunPodSandbox."""
    seen: list[str] = []
    for e in cri_calls(events, node=node, method="RunPodSandbox"):
        assert e.cri is not None
        if e.cri.pod and e.cri.pod not in seen:
            seen.append(e.cri.pod)
    return seen


def pod_node(events: Events, pod: str) -> str | None:
    """The node whose runtime ran ``pod``'s first sandbox, or ``None``."""
    calls = cri_calls(events, method="RunPodSandbox", pod=pod)
    return calls[0].receiver.instance if calls else None


def kube_events(events: Events, *, involved_kind: str | _Any = ANY, involved_name: str | _Any = ANY,
                source: str | _Any = ANY, source_component: str | _Any = ANY, reason: str | _Any = ANY,
                after: int = 0) -> list[TraceEvent]:
    """Kubernetes Events recorded (``note`` holds type, reason and message; ``obj`` the involved object) by
    ``source`` (the full actor, e.g. ``kubelet/node-1``) or by any instance of ``source_component``."""
    return [e for e in events if e.seq > after and e.kind == "event" and e.note is not None and e.obj is not None
            and _ok(involved_kind, e.obj.kind) and _ok(involved_name, e.obj.name) and _ok(source, e.source)
            and _ok(source_component, e.sender.component) and _ok(reason, e.note.reason)]


def stored_by(events: Events, request: TraceEvent) -> TraceEvent | None:
    """The etcd write kube-apiserver made for ``request``, or ``None`` (a read, or a rejected write).

    kube-apiserver handles a request synchronously, so its write is the first etcd entry after the request and
    before the next request; for a create with ``generateName`` this is where the generated name shows.
    """
    for e in events:
        if e.seq <= request.seq:
            continue
        if _is_api_request(e):
            return None
        if e.kind == "etcd":
            return e
    return None


def created_before(events: Events, *, source: str, resource: str, before: int) -> ObjectRef | None:
    """The object stored by ``source``'s last create of ``resource`` with ``generateName`` (``POST`` without a name)
    before ``seq`` ``before``, or ``None``: how an Event such as replicaset-controller's ``SuccessfulCreate``
    ("Created pod: …", recorded right after the create) finds the object it reports."""
    posts = [e for e in requests(events, source=source, verb="POST", resource=resource, name=None) if e.seq < before]
    stored = stored_by(events, posts[-1]) if posts else None
    return stored.obj if stored is not None else None


def request_of(events: Events, write: TraceEvent) -> TraceEvent | None:
    """The request an etcd ``write`` was made for: the last request to kube-apiserver before it (see :func:`stored_by`),
    or ``None`` when the trace has none."""
    found = None
    for e in events:
        if e.seq >= write.seq:
            break
        if _is_api_request(e):
            found = e
    return found


def _is_api_request(e: TraceEvent) -> bool:
    return e.kind == "request" and e.target == "kube-apiserver"


def write_requests(events: Events, *, source: str | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """Requests to kube-apiserver that ask for a change (every verb but ``GET``) made by ``source``."""
    return [e for e in requests(events, source=source, after=after) if _is_api_request(e)
            and e.api is not None and e.api.verb != "GET"]


def cloud_calls(events: Events, *, op: str | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """Calls to the cloud provider's API (``op``: the method, ``InstanceMetadata``, ``EnsureLoadBalancer``...);
    ``obj`` is the Node or Service the call is for."""
    return [e for e in events if e.seq > after and e.kind == "cloud" and _ok(op, e.op)]


def iptables_syncs(events: Events, *, node: str | _Any = ANY, after: int = 0) -> list[TraceEvent]:
    """kube-proxy's iptables-restore runs on ``node``."""
    return [e for e in events if e.seq > after and e.kind == "iptables" and _ok(node, e.sender.instance)]


# -- the store's history ------------------------------------------------------------------------------------------
History = Sequence[WatchEvent]


def object_history(history: History, kind: str, name: str, namespace: str | None = None) -> list[WatchEvent]:
    """Every write (PUT or DELETE) of one object, with its value then; ``namespace`` is ignored for cluster-scoped
    kinds. The key comes from the resource registry (``/registry/minions/<node>`` for a Node)."""
    key = RESOURCES[kind].key(name, namespace)
    return [h for h in history if h.kv.key == key]


def kind_history(history: History, kind: str, namespace: str | None = None) -> list[WatchEvent]:
    """Every write of every object of ``kind`` (in ``namespace`` when given and the kind is namespaced)."""
    prefix = RESOURCES[kind].key_prefix(namespace)
    return [h for h in history if h.kv.key.startswith(prefix)]
