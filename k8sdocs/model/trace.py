"""The trace: an append-only record of everything that crosses a component boundary.

Every request to kube-apiserver, every etcd write, every watch notification, scheduler
decision, CRI call, Event, iptables sync and cloud call is one :class:`TraceEvent`.
``summary`` is protocol text exactly as Kubernetes shows it (English); the model writes no reader
text: a decision (and kube-proxy's iptables-restore) carries a reason ``code`` plus fields, and the
Spanish sentence comes from :mod:`k8sdocs.render.phrasebook`, applied by the content layer. ``summary`` is for people (diagrams, the text trace);
code asks the typed fields instead: :class:`Actor` for ``source``/``target``, and ``api`` (a request),
``cri`` (a CRI call), ``obj`` (the object a watch notification or an etcd write is about). The
questions pages and tests ask of a run live in :mod:`k8sdocs.model.observe`.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdocs.model.clock import Clock
from k8sdocs.model.resources import resource_path, rest_path

KINDS = ("request", "etcd", "watch", "decision", "cri", "event", "iptables", "cloud", "timer")


@dataclass(frozen=True)
class Actor:
    """Who sends or receives: ``kubelet/node-1`` is component ``kubelet``, instance ``node-1``.

    Per-node components (kubelet, kube-proxy, container-runtime) carry the node as instance; control-plane
    components and controllers have none. The one place actor strings are decoded.
    """

    component: str
    instance: str = ""

    @classmethod
    def parse(cls, actor: str) -> "Actor":
        component, _, instance = actor.partition("/")
        return cls(component, instance)

    def __str__(self) -> str:
        return f"{self.component}/{self.instance}" if self.instance else self.component


@dataclass(frozen=True)
class APIRequest:
    """One request to kube-apiserver, as client-go builds its URL (``rest.Request.URL``)."""

    verb: str                   # HTTP method: GET, POST, PUT, PATCH, DELETE
    group: str                  # "" for the core group
    version: str
    resource: str               # plural: pods, deployments, leases...
    namespace: str | None = None
    name: str | None = None
    subresource: str | None = None   # status, binding, scale
    query: str = ""             # "?labelSelector=...&watch=true", already encoded
    watch: bool = False

    @property
    def path(self) -> str:
        return rest_path(self.group, self.version, self.resource, self.namespace, self.name,
                         self.subresource) + self.query

    @property
    def resource_path(self) -> str:
        """:attr:`path` without the group version, the namespace and the query (``pods/web-1/binding``): what a
        diagram shows where the whole path does not fit."""
        return resource_path(self.resource, self.name, self.subresource)


@dataclass(frozen=True)
class CRICall:
    """One CRI call; ``pod`` is ``namespace/name`` when the call is made for a Pod."""

    method: str
    pod: str | None = None
    container: str | None = None
    image: str | None = None

    @property
    def service(self) -> str:
        # staging/src/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto: the ImageService methods
        return "ImageService" if self.method in IMAGE_SERVICE_METHODS else "RuntimeService"


IMAGE_SERVICE_METHODS = ("ImageStatus", "PullImage", "ListImages", "RemoveImage", "ImageFsInfo")


@dataclass(frozen=True)
class ObjectRef:
    """The object a watch notification or an etcd write is about."""

    kind: str
    namespace: str | None
    name: str

    @property
    def key(self) -> str:
        """``namespace/name``, or ``name`` for cluster-scoped objects."""
        return f"{self.namespace}/{self.name}" if self.namespace else self.name


@dataclass(frozen=True)
class EventNote:
    """A Kubernetes Event an ``event`` trace entry records (``obj`` is its involved object)."""

    type: str       # Normal, Warning
    reason: str
    message: str


@dataclass(frozen=True)
class TraceEvent:
    seq: int
    time_ms: int
    kind: str
    source: str
    target: str
    summary: str
    data: tuple[tuple[str, str], ...] = ()
    api: APIRequest | None = None
    cri: CRICall | None = None
    obj: ObjectRef | None = None
    op: str | None = None       # watch: ADDED/MODIFIED/DELETED; etcd: PUT/DELETE
    note: EventNote | None = None
    code: str | None = None     # decision: a reason code (``NodeStopped``...) pages select by
    etcd_key: str | None = None  # etcd: the key written or deleted

    @property
    def sender(self) -> Actor:
        return Actor.parse(self.source)

    @property
    def receiver(self) -> Actor:
        return Actor.parse(self.target)

    @property
    def node(self) -> str:
        """The node a per-node component acts for (kubelet, kube-proxy, container runtime), else ``""``."""
        return self.sender.instance or self.receiver.instance

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.data:
            if k == key:
                return v
        return default

    def to_line(self) -> str:
        extra = "".join(f" {k}={v}" for k, v in self.data)
        return (
            f"{self.seq:05d} {format_ms(self.time_ms)} {self.kind:<8} "
            f"{self.source} -> {self.target}: {self.summary}{extra}"
        )


def format_ms(time_ms: int) -> str:
    """``12.345s`` style, fixed width to 3 decimals (deterministic)."""
    return f"{time_ms // 1000:>5d}.{time_ms % 1000:03d}s"


def _to_str(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Trace:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.events: list[TraceEvent] = []

    def record(self, kind: str, source: str, target: str, summary: str, *, api: APIRequest | None = None,
               cri: CRICall | None = None, obj: ObjectRef | None = None, op: str | None = None,
               note: EventNote | None = None, code: str | None = None, etcd_key: str | None = None, **data: object) -> TraceEvent:
        return self._append(kind, source, target, summary, data, api=api, cri=cri, obj=obj, op=op, note=note, code=code,
                            etcd_key=etcd_key)

    def _append(self, kind: str, source: str, target: str, summary: str, data: dict[str, object], *,
                api: APIRequest | None = None, cri: CRICall | None = None, obj: ObjectRef | None = None,
                op: str | None = None, note: EventNote | None = None, code: str | None = None,
                etcd_key: str | None = None) -> TraceEvent:
        if kind not in KINDS:
            raise ValueError(f"unknown trace kind {kind!r}; expected one of {', '.join(KINDS)}")
        event = TraceEvent(
            seq=len(self.events) + 1,
            time_ms=self.clock.now_ms,
            kind=kind,
            source=source,
            target=target,
            summary=summary,
            data=tuple(sorted((str(k), _to_str(v)) for k, v in data.items() if v is not None)),
            api=api,
            cri=cri,
            obj=obj,
            op=op,
            note=note,
            code=code,
            etcd_key=etcd_key,
        )
        self.events.append(event)
        return event

    def decide(self, source: str, code: str, *, target: str | None = None, api: APIRequest | None = None,
               cri: CRICall | None = None, obj: ObjectRef | None = None, op: str | None = None,
               note: EventNote | None = None, etcd_key: str | None = None, **fields: object) -> TraceEvent:
        """Record a component's decision as a reason code plus fields: the model keeps no reader text.

        ``code`` is an UpperCamelCase reason (``NodeStopped``, ``ScaleUp``...), unique across components;
        ``fields`` are what a sentence needs (strings, numbers, booleans; lists joined with ``,``). The Spanish
        sentence a page shows comes from :mod:`k8sdocs.render.phrasebook`, applied by the content layer.
        """
        return self._append("decision", source, target or source, code, fields, api=api, cri=cri, obj=obj, op=op,
                            note=note, code=code, etcd_key=etcd_key)

    def filter(self, kind: str | None = None, source: str | None = None, target: str | None = None) -> list[TraceEvent]:
        return [
            e
            for e in self.events
            if (kind is None or e.kind == kind)
            and (source is None or e.source == source)
            and (target is None or e.target == target)
        ]

    def to_text(self) -> str:
        return "".join(e.to_line() + "\n" for e in self.events)
