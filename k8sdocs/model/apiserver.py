"""kube-apiserver: a REST-like API over the etcd-like store.

Every call made through a :class:`Client` is traced as ``<actor> -> kube-apiserver`` (kind ``request``; a failed
one gains ``code``, ``reason`` and ``error`` data in place) with the
HTTP verb and path kube-apiserver serves, every store write as ``kube-apiserver -> etcd`` (kind ``etcd``,
``PUT``/``DELETE`` of the ``/registry/...`` key), and every watch notification as
``kube-apiserver -> <actor>`` (kind ``watch``, ``ADDED Pod default/web-1``).

Create runs, in upstream order: defaulting (decode), mutating admission (NamespaceLifecycle,
ServiceAccount, Priority, DefaultTolerationSeconds), the strategy's ``PrepareForCreate`` + ``BeforeCreate``
(generateName, uid, creationTimestamp, generation), validation, then an etcd txn
``If(ModRevision(key) == 0)``. Update checks ``metadata.resourceVersion`` (409 Conflict when stale, an empty one
means an unconditional update as ``AllowUnconditionalUpdate`` allows), keeps ``status`` (main resource) or
everything but ``status`` (``/status``), bumps ``metadata.generation`` when ``spec`` changes and skips the etcd
write when nothing changed (``GuaranteedUpdate`` does not write identical bytes).

Error texts (``staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go``):
``NewNotFound``: ``%s %q not found``; ``NewAlreadyExists``: ``%s %q already exists``;
``NewConflict``: ``Operation cannot be fulfilled on %s %q: %v``; ``NewInvalid``: ``%s %q is invalid: %v``
(GroupKind, e.g. ``Deployment.apps``); ``NewForbidden``: ``%s %q is forbidden: %v``; the resource is
``schema.GroupResource.String()`` = ``pods`` for core, ``deployments.apps`` otherwise.
Optimistic lock text: ``OptimisticLockErrorMsg`` in ``staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go``.

Simplifications (documented, deliberate):
* Deletion is immediate for every kind, Pods included: no graceful deletion (``deletionTimestamp`` +
  ``terminationGracePeriodSeconds``), no finalizers, no garbage collection cascade (a controller's job).
* No authentication/authorization, no server-side apply; the only PATCHes are the ``/scale`` subresource and the
  strategic-merge patches of ``/status`` the kubelet sends (:meth:`Client.patch_status`); other clients send full
  objects (PUT).
* ``metadata.resourceVersion`` is not stored in etcd: as upstream's etcd3 codec, it is filled in from the key's
  ``mod_revision`` when the object is read (the deletion revision for a ``DELETED`` watch event).
"""

from __future__ import annotations

import copy
import dataclasses
import ipaddress
import random
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote_plus

from k8sdocs.model import admission
from k8sdocs.model.admission import AdmissionError
from k8sdocs.model.clock import Clock
from k8sdocs.model.labels import Selector, SelectorError, label_selector, parse_selector, set_selector
from k8sdocs.model.objcopy import clone
from k8sdocs.model.resources import RESOURCES, ResourceInfo
from k8sdocs.model.store import KeyValue, Store, WatchEvent
from k8sdocs.model.strategicpatch import strategic_merge
from k8sdocs.model.trace import Actor, APIRequest, EventNote, ObjectRef, Trace
from k8sdocs.model.validation import aggregate, quantity_errors, validate_object, validate_pod_update

# staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
OPTIMISTIC_LOCK_ERROR_MSG = "the object has been modified; please apply your changes to the latest version and try again"

# staging/src/k8s.io/apiserver/pkg/storage/names/generate.go + apimachinery/pkg/util/rand/rand.go
GENERATE_NAME_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
MAX_NAME_LENGTH = 63
RANDOM_LENGTH = 5
MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH
# staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go: maxNameGenerationCreateAttempts
# (RetryGenerateName, GA in v1.32): a generated name that collides is retried up to 8 times in total.
MAX_NAME_GENERATION_CREATE_ATTEMPTS = 8

# kube-apiserver --service-cluster-ip-range (kubeadm default) and --service-node-port-range default
SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORT_RANGE = (30000, 32767)

# Namespaces a cluster has right after start-up (kube-apiserver's system namespaces controller).
SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
# NamespaceLifecycle's immortalNamespaces (default, kube-system, kube-public)
IMMORTAL_NAMESPACES = ("default", "kube-public", "kube-system")

WATCH_EVENT_TYPES = ("ADDED", "MODIFIED", "DELETED")

# Field selectors each kind supports (the registries' GetAttrs / field label conversion funcs);
# metadata.name and metadata.namespace work for every kind.
SUPPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "Pod": (
        "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
        "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName",
        "spec.host",  # old alias, converted to spec.nodeName (pkg/apis/core/v1/conversion.go)
    ),
    "Node": ("spec.unschedulable",),
    "Namespace": ("status.phase",),
    "Event": (
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ),
    "ReplicaSet": ("status.replicas",),
    "Secret": ("type",),
}


class APIError(Exception):
    """A ``metav1.Status`` failure: HTTP ``code``, ``reason`` (StatusReason) and the message kubectl prints."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


# -- upstream error constructors ----------------------------------------------------------------------
def not_found(info: ResourceInfo | str, name: str) -> APIError:
    res = info.qualified_resource if isinstance(info, ResourceInfo) else info
    return APIError(404, "NotFound", f'{res} "{name}" not found')


def already_exists(info: ResourceInfo, name: str) -> APIError:
    return APIError(409, "AlreadyExists", f'{info.qualified_resource} "{name}" already exists')


def conflict(resource: str, name: str, err: str) -> APIError:
    return APIError(409, "Conflict", f'Operation cannot be fulfilled on {resource} "{name}": {err}')


def invalid(info: ResourceInfo, name: str, errs: list) -> APIError:
    return APIError(422, "Invalid", f'{info.qualified_kind} "{name}" is invalid: {aggregate(errs)}')


def forbidden(info: ResourceInfo, name: str, err: str) -> APIError:
    if name:
        return APIError(403, "Forbidden", f'{info.qualified_resource} "{name}" is forbidden: {err}')
    return APIError(403, "Forbidden", f"{info.qualified_resource} is forbidden: {err}")


def bad_request(message: str) -> APIError:
    return APIError(400, "BadRequest", message)


# -- selectors ----------------------------------------------------------------------------------------
def to_label_selector(sel: str | dict | None) -> Selector:
    """A string selector, a ``LabelSelector`` dict (matchLabels/matchExpressions) or a plain label map."""
    try:
        if sel is None or sel == "" or sel == {}:
            return parse_selector(None)
        if isinstance(sel, str):
            return parse_selector(sel)
        if "matchLabels" in sel or "matchExpressions" in sel:
            return label_selector(sel)
        return set_selector({str(k): str(v) for k, v in sel.items()})
    except SelectorError as e:
        raise bad_request(f"unable to parse requirement: {e}") from None


def label_selector_text(sel: str | dict | None) -> str:
    if sel is None:
        return ""
    if isinstance(sel, str):
        return sel
    if "matchLabels" in sel or "matchExpressions" in sel:
        parts = [f"{k}={v}" for k, v in sorted((sel.get("matchLabels") or {}).items())]
        for e in sel.get("matchExpressions") or []:
            op = e.get("operator")
            vals = ",".join(sorted(e.get("values") or []))
            if op == "In":
                parts.append(f"{e['key']} in ({vals})")
            elif op == "NotIn":
                parts.append(f"{e['key']} notin ({vals})")
            elif op == "Exists":
                parts.append(e["key"])
            else:
                parts.append(f"!{e['key']}")
        return ",".join(parts)
    return ",".join(f"{k}={v}" for k, v in sorted(sel.items()))


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    op: str  # "=" or "!="
    value: str


def parse_field_selector(kind: str, text: str | None) -> tuple[FieldRequirement, ...]:
    """``fields.ParseSelector``: ``a=b``, ``a==b``, ``a!=b`` joined by commas; unsupported labels are a 400."""
    if not text:
        return ()
    reqs: list[FieldRequirement] = []
    info = RESOURCES.get(kind)
    base = ("metadata.name", "metadata.namespace") if info is None or info.namespaced else ("metadata.name",)
    allowed = base + SUPPORTED_FIELDS.get(kind, ())
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "!=" in part:
            f, v = part.split("!=", 1)
            op = "!="
        elif "==" in part:
            f, v = part.split("==", 1)
            op = "="
        elif "=" in part:
            f, v = part.split("=", 1)
            op = "="
        else:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
        f = f.strip()
        if f not in allowed:
            # k8s.io/apimachinery/pkg/runtime: fmt.Errorf("field label not supported: %s", label)
            raise bad_request(f'field label not supported: {f}')
        if f == "spec.host":
            f = "spec.nodeName"
        reqs.append(FieldRequirement(f, op, v.strip()))
    return tuple(reqs)


def field_value(obj: dict, path: str) -> str:
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            cur = None
            break
        cur = cur.get(part)
    if path == "source" and isinstance(obj.get("source"), dict):
        cur = obj["source"].get("component")
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def fields_match(obj: dict, reqs: tuple[FieldRequirement, ...]) -> bool:
    for r in reqs:
        v = field_value(obj, r.field)
        if (r.op == "=" and v != r.value) or (r.op == "!=" and v == r.value):
            return False
    return True


def _labels(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("labels") or {}


def object_ref(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    if meta.get("namespace"):
        return f"{obj.get('kind')} {meta['namespace']}/{meta.get('name')}"
    return f"{obj.get('kind')} {meta.get('name')}"


def object_ref_of(obj: dict) -> ObjectRef:
    meta = obj.get("metadata") or {}
    return ObjectRef(str(obj.get("kind")), meta.get("namespace") or None, str(meta.get("name")))


def component_of(actor: str) -> tuple[str, str]:
    """``kubelet/node-1`` -> (``kubelet``, ``node-1``); ``kube-scheduler`` reports as ``default-scheduler``."""
    parsed = Actor.parse(actor)
    component, host = parsed.component, parsed.instance
    if component == "kube-scheduler":
        component = admission.DEFAULT_SCHEDULER_NAME  # the profile's schedulerName is the event source
    return component, host


# -- watches ------------------------------------------------------------------------------------------
@dataclass
class _Watch:
    watch_id: int
    actor: str
    info: ResourceInfo
    namespace: str | None
    fields: tuple[FieldRequirement, ...]
    labels: Selector
    handler: Callable[[str, dict], None]
    active: bool = True

    def matches(self, obj: dict | None) -> bool:
        if obj is None:
            return False
        if self.namespace and (obj.get("metadata") or {}).get("namespace") != self.namespace:
            return False
        return fields_match(obj, self.fields) and self.labels.matches(_labels(obj))


# -- the server ---------------------------------------------------------------------------------------
class APIServer:
    def __init__(
        self,
        clock: Clock,
        trace: Trace,
        store: Store | None = None,
        *,
        seed: int = 0,
        watch_latency_ms: int = 0,
        bootstrap: bool = True,
        kubernetes_service: bool = False,
        advertise_address: str = "192.168.0.2",
    ) -> None:
        self.clock = clock
        self.trace = trace
        self.store = store if store is not None else Store()
        self.watch_latency_ms = watch_latency_ms
        self._seed = seed
        self._rng = random.Random(seed)
        # names.SimpleNameGenerator of the ServiceAccount admission plugin (kube-api-access-<5 chars>): its own stream,
        # seeded from the scenario's seed, so that generated pod names do not depend on it.
        self._admission_rng = random.Random(f"serviceaccount-admission/{seed}")
        self._watches: dict[int, _Watch] = {}
        self._next_watch = 0
        self._event_names: dict[str, int] = {}
        # EventCorrelator aggregation key -> etcd key of the Event that carries its count, so that
        # recording an event does not scan every stored Event.
        self._event_keys: dict[tuple[str, ...], str] = {}
        self.advertise_address = advertise_address
        self.store.watch("/registry/", self._on_store_event)
        if bootstrap:
            self._bootstrap(kubernetes_service)

    def client(self, actor: str) -> "Client":
        return Client(self, actor)

    # -- start-up -------------------------------------------------------------------------------
    def _bootstrap(self, kubernetes_service: bool = False) -> None:
        """What a fresh cluster holds: the system namespaces and the system PriorityClasses; optionally the
        ``default/kubernetes`` Service (ClusterIP ``10.96.0.1``, ``https`` 443 -> 6443) and its EndpointSlice
        pointing at ``advertise_address``, as kube-apiserver's bootstrap controller creates them.

        Written before anything is traced (the trace starts with the first request of a scenario).
        """
        c = self.client("kube-apiserver")
        mark = len(self.trace.events)
        for ns in SYSTEM_NAMESPACES:
            c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        # Each namespace's default ServiceAccount and kube-root-ca.crt ConfigMap, as kube-controller-manager's
        # serviceaccounts controller and root-ca-cert-publisher leave them before any scenario starts. Their uids come
        # from a stream of their own so that adding them does not change the names and uids of the scenario's objects.
        main_rng, self._rng = self._rng, random.Random(f"namespace-bootstrap/{self._seed}")
        for ns in SYSTEM_NAMESPACES:
            for obj in admission.namespace_bootstrap_objects(ns):
                c.create(obj)
        self._rng = main_rng
        for pc in admission.system_priority_classes():
            c.create(pc)
        if kubernetes_service:
            labels = {"component": "apiserver", "provider": "kubernetes"}
            c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubernetes", "labels": labels},
                      "spec": {"clusterIP": str(SERVICE_CIDR.network_address + 1),
                               "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}})
            c.create({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                      "metadata": {"name": "kubernetes", "labels": {"kubernetes.io/service-name": "kubernetes"}},
                      "addressType": "IPv4",
                      "endpoints": [{"addresses": [self.advertise_address], "conditions": {"ready": True}}],
                      "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]})
        del self.trace.events[mark:]

    # -- helpers --------------------------------------------------------------------------------
    def new_uid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def generate_name(self, base: str, rng: random.Random | None = None) -> str:
        """``names.SimpleNameGenerator.GenerateName``: ``base`` (cut to 58 characters) + ``utilrand.String(5)``."""
        if len(base) > MAX_GENERATED_NAME_LENGTH:
            base = base[:MAX_GENERATED_NAME_LENGTH]
        rng = rng if rng is not None else self._rng
        return base + "".join(rng.choice(GENERATE_NAME_ALPHANUMS) for _ in range(RANDOM_LENGTH))

    def service_account(self, namespace: str, name: str) -> dict | None:
        """The ServiceAccount admission plugin's lister (an informer cache in kube-apiserver: no request traced)."""
        kv = self.store.get(RESOURCES["ServiceAccount"].key(name, namespace))
        return self.decode(kv) if kv is not None else None

    @staticmethod
    def decode(kv: KeyValue, revision: int | None = None) -> dict:
        obj = clone(kv.value)
        obj.setdefault("metadata", {})["resourceVersion"] = str(revision if revision is not None else kv.mod_revision)
        return obj

    @staticmethod
    def encode(obj: dict) -> dict:
        value = clone(obj)
        value.get("metadata", {}).pop("resourceVersion", None)
        return value

    def write(self, actor: str, key: str, value: dict, expected_mod_revision: int) -> KeyValue:
        kv = self.store.txn_put(key, self.encode(value), expected_mod_revision)
        self.trace.record("etcd", "kube-apiserver", "etcd", f"PUT {key}", obj=object_ref_of(value), op="PUT", etcd_key=key,
                          revision=kv.mod_revision)
        return kv

    def remove(self, key: str, expected_mod_revision: int) -> KeyValue:
        kv = self.store.txn_delete(key, expected_mod_revision)
        ref = object_ref_of(kv.value) if isinstance(kv.value, dict) else None
        self.trace.record("etcd", "kube-apiserver", "etcd", f"DELETE {key}", obj=ref, op="DELETE", etcd_key=key,
                          revision=self.store.revision)
        return kv

    # -- Service IP / NodePort allocation ---------------------------------------------------------
    def _used_service_values(self) -> tuple[set[str], set[int]]:
        ips: set[str] = set()
        ports: set[int] = set()
        for kv in self.store.range(RESOURCES["Service"].key_prefix()):
            spec = kv.value.get("spec") or {}
            ips.update(ip for ip in spec.get("clusterIPs") or [] if ip != "None")
            ports.update(int(p["nodePort"]) for p in spec.get("ports") or [] if p.get("nodePort"))
        return ips, ports

    def allocate_service(self, svc: dict) -> None:
        """ClusterIP and NodePort allocation on create, as the Service REST storage does.

        Range ``--service-cluster-ip-range`` (kubeadm default ``10.96.0.0/12``; ``.1`` is the ``kubernetes``
        Service) and ``--service-node-port-range`` ``30000-32767``. Upstream picks free values at random
        (preferring the upper, "dynamic" band of the range); the model draws from its seeded RNG in the same band.
        Sets ``clusterIPs``, ``ipFamilies: [IPv4]`` and ``ipFamilyPolicy: SingleStack``.
        """
        spec = svc.setdefault("spec", {})
        stype = spec.get("type", "ClusterIP")
        if stype == "ExternalName":
            return
        used_ips, used_ports = self._used_service_values()
        name = svc["metadata"]["name"]
        info = RESOURCES["Service"]
        ip = spec.get("clusterIP") or ""
        if ip == "None":
            spec["clusterIPs"] = ["None"]
        elif ip:
            try:
                addr = ipaddress.ip_address(ip)
            except ValueError:
                addr = None
            if addr is None or addr not in SERVICE_CIDR:
                raise APIError(422, "Invalid", f'Service "{name}" is invalid: spec.clusterIPs: Invalid value: []string{{"{ip}"}}: '
                                               f"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. "
                                               f"The range of valid IPs is {SERVICE_CIDR}")
            if ip in used_ips:
                raise APIError(422, "Invalid", f'Service "{name}" is invalid: spec.clusterIPs: Invalid value: []string{{"{ip}"}}: '
                                               f"failed to allocate IP {ip}: provided IP is already allocated")
            spec["clusterIPs"] = [ip]
        else:
            size = SERVICE_CIDR.num_addresses - 2
            # ipallocator calculateRangeOffset: dynamic allocation starts above the static band (which also
            # keeps 10.96.0.1, the kubernetes Service's address, out of reach)
            static_band = min(max(16, size // 16), 256)
            while True:
                offset = self._rng.randrange(static_band + 1, size + 1)
                candidate = str(SERVICE_CIDR.network_address + offset)
                if candidate not in used_ips:
                    break
            spec["clusterIP"] = candidate
            spec["clusterIPs"] = [candidate]
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
        if stype in ("NodePort", "LoadBalancer"):
            for p in spec.get("ports") or []:
                if p.get("nodePort"):
                    if int(p["nodePort"]) in used_ports:
                        raise APIError(422, "Invalid", f'{info.qualified_kind} "{name}" is invalid: spec.ports[0].nodePort: '
                                                       f"Invalid value: {p['nodePort']}: provided port is already allocated")
                    used_ports.add(int(p["nodePort"]))
                    continue
                while True:
                    port = self._rng.randrange(NODE_PORT_RANGE[0], NODE_PORT_RANGE[1] + 1)
                    if port not in used_ports:
                        break
                p["nodePort"] = port
                used_ports.add(port)

    def purge_namespace(self, ns: str) -> None:
        """What the namespace controller eventually does after a Namespace is deleted: delete its content.

        Simplification: upstream first marks the Namespace ``Terminating`` (``deletionTimestamp`` + the
        ``kubernetes`` finalizer) and the namespace controller deletes the content before the Namespace goes.
        """
        for info in sorted(RESOURCES.values(), key=lambda r: r.etcd_prefix):
            if not info.namespaced:
                continue
            for kv in self.store.range(info.key_prefix(ns)):
                self.remove(kv.key, kv.mod_revision)

    def namespace_exists(self, ns: str) -> bool:
        return self.store.get(RESOURCES["Namespace"].key(ns)) is not None

    def priority_classes(self) -> list[dict]:
        return [kv.value for kv in self.store.range(RESOURCES["PriorityClass"].key_prefix())]

    # -- watches --------------------------------------------------------------------------------
    def add_watch(self, w: _Watch, resource_version: str | None = None) -> None:
        """Start ``w``: without ``resource_version`` the current objects come first as ADDED (as a watch with
        ``resourceVersion`` unset / ``"0"``); with one, every change after that revision is replayed in order."""
        self._watches[w.watch_id] = w
        if resource_version in (None, "", "0"):
            for kv in self.store.range(w.info.key_prefix(w.namespace)):
                obj = self.decode(kv)
                if w.matches(obj):
                    self._schedule(w, "ADDED", obj)
            return
        try:
            start = int(str(resource_version)) + 1
        except ValueError:
            raise bad_request(f'invalid resource version "{resource_version}"') from None
        for ev in self.store.history(w.info.key_prefix(w.namespace), start):
            for event_type, obj in self._translate(w, ev):
                self._schedule(w, event_type, obj)

    def new_watch_id(self) -> int:
        self._next_watch += 1
        return self._next_watch

    def stop_watch(self, watch_id: int) -> None:
        w = self._watches.pop(watch_id, None)
        if w is not None:
            w.active = False

    def _on_store_event(self, ev: WatchEvent) -> None:
        for wid in sorted(self._watches):
            w = self._watches[wid]
            for event_type, obj in self._translate(w, ev):
                self._schedule(w, event_type, obj)

    def _translate(self, w: _Watch, ev: WatchEvent) -> list[tuple[str, dict]]:
        """One store event as this watcher sees it.

        Cacher filtering (``staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go``,
        ``convertToWatchEvent``): both states match -> MODIFIED; only the new one -> ADDED; only the old one ->
        DELETED carrying the *previous* content with the event's resourceVersion.
        """
        if not ev.kv.key.startswith(w.info.key_prefix(w.namespace)):
            return []
        if ev.type == "DELETE":
            obj = self.decode(ev.prev_kv, ev.revision) if ev.prev_kv else None
            return [("DELETED", obj)] if obj is not None and w.matches(obj) else []
        new = self.decode(ev.kv)
        old = self.decode(ev.prev_kv) if ev.prev_kv else None
        cur_ok, old_ok = w.matches(new), w.matches(old)
        if cur_ok and old_ok:
            return [("MODIFIED", new)]
        if cur_ok:
            return [("ADDED", new)]
        if old_ok and ev.prev_kv is not None:
            return [("DELETED", self.decode(ev.prev_kv, ev.revision))]
        return []

    def _schedule(self, w: _Watch, event_type: str, obj: dict) -> None:
        def deliver() -> None:
            if not w.active:
                return
            self.trace.record(
                "watch", "kube-apiserver", w.actor, f"{event_type} {object_ref(obj)}",
                obj=object_ref_of(obj), op=event_type, resourceVersion=obj["metadata"].get("resourceVersion"),
            )
            w.handler(event_type, clone(obj))

        self.clock.call_later(self.watch_latency_ms, deliver, f"watch {w.actor} {event_type} {object_ref(obj)}")


@dataclass
class Client:
    """A client bound to one component name (``kubectl``, ``kube-scheduler``, ``kubelet/node-1``...)."""

    server: APIServer
    actor: str
    _last_request: int = field(default=-1, repr=False)

    # -- request plumbing -----------------------------------------------------------------------
    def _request(self, verb: str, info: ResourceInfo, ns: str | None, name: str | None = None,
                 subresource: str | None = None, query: str = "", **data: object) -> None:
        req = APIRequest(verb, info.group, info.version, info.resource, ns if info.namespaced else None, name,
                         subresource, query, watch="watch=true" in query)
        self.server.trace.record("request", self.actor, "kube-apiserver", f"{verb} {req.path}", api=req, **data)
        self._last_request = len(self.server.trace.events) - 1

    def _fail(self, err: APIError) -> APIError:
        """A failed request keeps its place in the trace; its entry gains ``code``, ``reason`` and ``error``."""
        events = self.server.trace.events
        i = self._last_request
        if 0 <= i < len(events) and events[i].source == self.actor and events[i].kind == "request":
            data = dict(events[i].data)
            data.update(code=str(err.code), reason=err.reason, error=err.message)
            events[i] = dataclasses.replace(events[i], data=tuple(sorted(data.items())))
        return err

    @staticmethod
    def _info(kind: str) -> ResourceInfo:
        info = RESOURCES.get(kind)
        if info is None:
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        return info

    @staticmethod
    def _ns(info: ResourceInfo, namespace: str | None) -> str | None:
        if not info.namespaced:
            return None
        return namespace or "default"

    def _get_kv(self, info: ResourceInfo, name: str, ns: str | None) -> KeyValue:
        kv = self.server.store.get(info.key(name, ns))
        if kv is None:
            raise self._fail(not_found(info, name))
        return kv

    # -- create ---------------------------------------------------------------------------------
    def create(self, obj: dict) -> dict:
        if not isinstance(obj, dict):
            raise bad_request("the body of the request was in an unknown format")
        info = self._info(str(obj.get("kind")))
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        ns = self._ns(info, meta.get("namespace"))
        self._request("POST", info, ns)
        try:
            return self._create(info, obj, ns)
        except APIError as e:
            raise self._fail(e) from None

    def _create(self, info: ResourceInfo, obj: dict, ns: str | None) -> dict:
        srv = self.server
        api_version = obj.get("apiVersion")
        if api_version != info.api_version:
            raise bad_request(
                f"the API version in the data ({api_version}) does not match the expected API version ({info.api_version})"
            )
        _check_decodable(info, obj)
        obj = admission.apply_defaults(obj)
        meta = obj.setdefault("metadata", {})
        if info.namespaced:
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)  # rest.BeforeCreate clears the namespace of cluster-scoped objects
        # NamespaceLifecycle admission
        if info.namespaced and not srv.namespace_exists(ns or ""):
            raise not_found(RESOURCES["Namespace"], ns or "")
        if info.kind == "Pod":
            # mutating admission in upstream's plugin order (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins):
            # NamespaceLifecycle, ServiceAccount, Priority, DefaultTolerationSeconds
            try:
                admission.service_account(
                    obj, ns or "", lambda name: srv.service_account(ns or "", name),
                    lambda base: srv.generate_name(base, srv._admission_rng),
                    lambda msg: AdmissionError(403, "Forbidden", msg))
                admission.priority(obj, srv.priority_classes(), lambda msg: AdmissionError(403, "Forbidden", msg))
                admission.default_toleration_seconds(obj)
                admission.convert_service_account_alias(obj.get("spec"))
            except AdmissionError as e:
                # admission.NewForbidden / extractResourceName: before name generation the attributes carry
                # the object's name, else its generateName, else "Unknown".
                raise forbidden(info, meta.get("name") or meta.get("generateName") or "Unknown", e.message) from None
            # rest.BeforeCreate -> podStrategy.PrepareForCreate runs after mutating admission
            # (pkg/registry/core/pod/strategy.go mutatePodAffinity; MatchLabelKeysInPodAffinity, on in v1.35)
            admission.mutate_pod_affinity(obj)
        if info.kind == "PriorityClass" and obj.get("globalDefault"):
            # Priority admission plugin, validatePriorityClass: only one global default
            current_default = admission.default_priority_class(srv.priority_classes())
            if current_default is not None:
                raise forbidden(info, meta.get("name") or "", f"PriorityClass {current_default['metadata']['name']} "
                                "is already marked as default. Only one default can exist")
        # strategy.PrepareForCreate + rest.BeforeCreate / FillObjectMetaSystemFields
        for k in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"):
            meta.pop(k, None)
        meta["uid"] = srv.new_uid()
        meta["creationTimestamp"] = srv.clock.timestamp()
        if info.sets_generation:
            meta["generation"] = 1
        else:
            meta.pop("generation", None)
        if info.kind == "Pod":
            spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
            obj["status"] = {"phase": "Pending", "qosClass": admission.pod_qos_class(spec)}
        elif info.kind in ("Deployment", "ReplicaSet"):
            obj["status"] = {}
        attempts = MAX_NAME_GENERATION_CREATE_ATTEMPTS if (meta.get("generateName") and not meta.get("name")) else 1
        generated = bool(meta.get("generateName")) and not meta.get("name")
        for attempt in range(attempts):
            if generated:
                meta["name"] = srv.generate_name(str(meta["generateName"]))
            errs = validate_object(obj, info)
            if errs:
                raise invalid(info, str(meta.get("name") or ""), errs)
            key = info.key(meta["name"], ns)
            if srv.store.get(key) is not None:
                if generated and attempt + 1 < attempts:
                    continue
                raise already_exists(info, meta["name"])
            if info.kind == "Service":
                srv.allocate_service(obj)
            kv = srv.write(self.actor, key, obj, 0)
            return srv.decode(kv)
        raise already_exists(info, meta["name"])  # pragma: no cover - loop always returns or raises

    # -- reads ----------------------------------------------------------------------------------
    def get(self, kind: str, name: str, namespace: str | None = None) -> dict:
        info = self._info(kind)
        ns = self._ns(info, namespace)
        self._request("GET", info, ns, name)
        return self.server.decode(self._get_kv(info, name, ns))

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        label_selector: str | dict | None = None,
        field_selector: str | None = None,
    ) -> list[dict]:
        info = self._info(kind)
        ns = namespace if info.namespaced else None
        self._request("GET", info, ns, query=_query(label_selector, field_selector, watch=False))
        try:
            fields = parse_field_selector(kind, field_selector)
            labels = to_label_selector(label_selector)
        except APIError as e:
            raise self._fail(e) from None
        out = []
        for kv in self.server.store.range(info.key_prefix(ns)):
            obj = self.server.decode(kv)
            if fields_match(obj, fields) and labels.matches(_labels(obj)):
                out.append(obj)
        out.sort(key=lambda o: (o["metadata"].get("namespace") or "", o["metadata"]["name"]))
        return out

    def list_with_version(
        self,
        kind: str,
        namespace: str | None = None,
        label_selector: str | dict | None = None,
        field_selector: str | None = None,
    ) -> tuple[list[dict], str]:
        """:meth:`list` plus the list's ``metadata.resourceVersion`` (the store revision), for list-then-watch."""
        items = self.list(kind, namespace, label_selector, field_selector)
        return items, str(self.server.store.revision)

    # -- update ---------------------------------------------------------------------------------
    def update(self, obj: dict) -> dict:
        return self._update(obj, status=False)

    def update_status(self, obj: dict) -> dict:
        return self._update(obj, status=True)

    def patch_status(self, kind: str, name: str, patch: dict, namespace: str | None = None) -> dict:
        """``PATCH <object>/status`` with a strategic-merge patch (``application/strategic-merge-patch+json``), as the
        kubelet sends Pod and Node status (pkg/util/pod ``PatchPodStatus``, component-helpers ``PatchNodeStatus``).
        No resourceVersion precondition; a ``metadata.uid`` in the patch must match the stored object's uid."""
        info = self._info(kind)
        ns = self._ns(info, namespace)
        self._request("PATCH", info, ns, name, "status")
        try:
            kv = self._get_kv(info, name, ns)
            current = self.server.decode(kv)
            uid = (patch.get("metadata") or {}).get("uid")
            if uid is not None and uid != current["metadata"].get("uid"):
                # staging/src/k8s.io/apiserver/pkg/storage/interfaces.go, Preconditions.Check
                raise conflict(info.qualified_resource, name, "Precondition failed: UID in precondition: "
                               f"{uid}, UID in object meta: {current['metadata'].get('uid')}")
            new = copy.deepcopy(current)
            new["status"] = strategic_merge(current.get("status") or {}, patch.get("status") or {})
            errs = validate_object(new, info)
            if errs:
                raise invalid(info, name, errs)
            if new == current:
                return current
            new_kv = self.server.write(self.actor, kv.key, new, kv.mod_revision)
            return self.server.decode(new_kv)
        except APIError as e:
            raise self._fail(e) from None

    def scale(self, kind: str, name: str, replicas: int, namespace: str | None = None) -> dict:
        """``kubectl scale``: PATCH of the ``/scale`` subresource, which sets ``spec.replicas``."""
        info = self._info(kind)
        ns = self._ns(info, namespace)
        self._request("PATCH", info, ns, name, "scale", replicas=replicas)
        try:
            current = self.server.decode(self._get_kv(info, name, ns))
        except APIError as e:
            raise self._fail(e) from None
        current.setdefault("spec", {})["replicas"] = replicas
        return self._update(current, status=False, traced=False)

    def _update(self, obj: dict, status: bool, traced: bool = True) -> dict:
        info = self._info(str(obj.get("kind")))
        meta = obj.get("metadata") or {}
        name = str(meta.get("name") or "")
        ns = self._ns(info, meta.get("namespace"))
        if traced:
            self._request("PUT", info, ns, name, "status" if status else None)
        try:
            kv = self._get_kv(info, name, ns)
            current = self.server.decode(kv)
            rv = meta.get("resourceVersion")
            if rv not in (None, "") and str(rv) != current["metadata"]["resourceVersion"]:
                raise conflict(info.qualified_resource, name, OPTIMISTIC_LOCK_ERROR_MSG)
            _check_decodable(info, obj)
            if status:
                new = copy.deepcopy(current)
                if "status" in obj:
                    new["status"] = copy.deepcopy(obj["status"])
                else:
                    new.pop("status", None)
            else:
                new = admission.apply_defaults(obj)
                new_meta = new.setdefault("metadata", {})
                # system fields are not changeable by clients
                for k in ("uid", "creationTimestamp", "generation", "namespace"):
                    if k in current["metadata"]:
                        new_meta[k] = current["metadata"][k]
                    else:
                        new_meta.pop(k, None)
                if info.has_status:
                    if "status" in current:
                        new["status"] = copy.deepcopy(current["status"])
                    else:
                        new.pop("status", None)
                if info.kind == "Service":
                    _keep_allocated(current, new)
                if info.kind == "Pod":
                    # Priority admission on update keeps the computed priority when the client omits it;
                    # DefaultTolerationSeconds also runs on update (admission.NewHandler(Create, Update)).
                    nspec, ospec = new.setdefault("spec", {}), current.get("spec") or {}
                    for k in ("priority", "preemptionPolicy", "priorityClassName"):
                        if k not in nspec and k in ospec:
                            nspec[k] = ospec[k]
                    admission.default_toleration_seconds(new)
                    errs = validate_pod_update(new.get("spec"), current.get("spec"))
                    if errs:
                        raise invalid(info, name, errs)
                if info.sets_generation and new.get("spec") != current.get("spec"):
                    new_meta["generation"] = int(current["metadata"].get("generation", 0)) + 1
            new["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            errs = validate_object(new, info)
            if errs:
                raise invalid(info, name, errs)
            if new == current:
                return current  # no-op update: no etcd write, no watch event
            new_kv = self.server.write(self.actor, kv.key, new, kv.mod_revision)
            return self.server.decode(new_kv)
        except APIError as e:
            raise self._fail(e) from None

    # -- delete ---------------------------------------------------------------------------------
    def delete(
        self, kind: str, name: str, namespace: str | None = None, *,
        resource_version: str | None = None, uid: str | None = None,
    ) -> dict:
        """DELETE: the object leaves etcd at once and the deleted object is returned.

        Simplification: no graceful deletion. Upstream a Pod first gets ``deletionTimestamp`` and
        ``deletionGracePeriodSeconds`` (``terminationGracePeriodSeconds``, 30 s by default), the kubelet stops its
        containers and then deletes it with grace 0; here the Pod disappears immediately and watchers see
        ``DELETED`` (the kubelet reacts to that). Optional ``uid`` / ``resource_version`` preconditions give
        upstream's 409 ``Precondition failed`` texts.
        """
        info = self._info(kind)
        ns = self._ns(info, namespace)
        self._request("DELETE", info, ns, name)
        try:
            kv = self._get_kv(info, name, ns)
            current = self.server.decode(kv)
            if uid is not None and current["metadata"].get("uid") != uid:
                # staging/src/k8s.io/apiserver/pkg/storage/interfaces.go Preconditions.Check
                raise conflict(
                    info.qualified_resource, name,
                    f"Precondition failed: UID in precondition: {uid}, UID in object meta: {current['metadata'].get('uid')}",
                )
            if resource_version is not None and current["metadata"]["resourceVersion"] != resource_version:
                raise conflict(
                    info.qualified_resource, name,
                    f"Precondition failed: ResourceVersion in precondition: {resource_version}, "
                    f"ResourceVersion in object meta: {current['metadata']['resourceVersion']}",
                )
            if info.kind == "Namespace" and name in IMMORTAL_NAMESPACES:
                # plugin/pkg/admission/namespace/lifecycle/admission.go
                raise forbidden(info, name, "this namespace may not be deleted")
            self.server.remove(kv.key, kv.mod_revision)
            if info.kind == "Namespace":
                self.server.purge_namespace(name)
            return current
        except APIError as e:
            raise self._fail(e) from None

    # -- binding --------------------------------------------------------------------------------
    def bind(self, namespace: str, pod_name: str, node_name: str, *, uid: str | None = None) -> dict:
        """POST ``pods/<name>/binding`` (``pkg/registry/core/pod/storage/storage.go``, BindingREST): sets
        ``spec.nodeName`` and ``PodScheduled=True``; 409 texts as upstream (already assigned, being deleted,
        scheduling gates, UID precondition when the binder sends the pod's ``uid``)."""
        info = RESOURCES["Pod"]
        self._request("POST", info, namespace, pod_name, "binding", node=node_name)
        try:
            kv = self._get_kv(info, pod_name, namespace)
            pod = self.server.decode(kv)
            if uid is not None and pod["metadata"].get("uid") != uid:
                raise conflict(
                    "pods/binding", pod_name,
                    f"Precondition failed: UID in precondition: {uid}, UID in object meta: {pod['metadata'].get('uid')}",
                )
            spec = pod.setdefault("spec", {})
            if pod["metadata"].get("deletionTimestamp"):
                raise conflict("pods/binding", pod_name, f"pod {pod_name} is being deleted, cannot be assigned to a host")
            if spec.get("nodeName"):
                raise conflict(
                    "pods/binding", pod_name, f'pod {pod_name} is already assigned to node "{spec["nodeName"]}"'
                )
            if spec.get("schedulingGates"):
                raise conflict("pods/binding", pod_name, f"pod {pod_name} has non-empty .spec.schedulingGates")
            spec["nodeName"] = node_name
            # ClearingNominatedNodeNameAfterBinding: the nomination hint is stale once the pod is bound
            pod.setdefault("status", {}).pop("nominatedNodeName", None)
            conditions = pod.setdefault("status", {}).setdefault("conditions", [])
            now = self.server.clock.timestamp()
            for c in conditions:
                if c.get("type") == "PodScheduled":
                    c.update({"status": "True", "lastTransitionTime": now})
                    c.pop("reason", None)
                    c.pop("message", None)
                    break
            else:
                conditions.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": now})
            new_kv = self.server.write(self.actor, kv.key, pod, kv.mod_revision)
            return self.server.decode(new_kv)
        except APIError as e:
            raise self._fail(e) from None

    # -- events ---------------------------------------------------------------------------------
    def record_event(
        self, involved: dict, event_type: str, reason: str, message: str, action: str = "", *,
        field_path: str | None = None, component: str | None = None,
    ) -> dict:
        """Create a core/v1 Event about ``involved`` (as ``record.EventRecorder``), or bump the count of an
        identical one (``EventCorrelator`` aggregation by source, object, type, reason and message)."""
        srv = self.server
        imeta = involved.get("metadata") or {}
        ns = imeta.get("namespace") or "default"
        comp, host = component_of(self.actor)
        if component:
            comp = component
        ref = {
            "apiVersion": involved.get("apiVersion"),
            "kind": involved.get("kind"),
            "name": imeta.get("name"),
            "namespace": imeta.get("namespace"),
            "resourceVersion": imeta.get("resourceVersion"),
            "uid": imeta.get("uid"),
        }
        if field_path:
            ref["fieldPath"] = field_path
        ref = {k: v for k, v in ref.items() if v is not None}
        srv.trace.record(
            "event", self.actor, f"{str(involved.get('kind')).lower()}/{imeta.get('name')}",
            f"{event_type} {reason} {message}", namespace=imeta.get("namespace"),
            obj=ObjectRef(str(involved.get("kind")), imeta.get("namespace") or None, str(imeta.get("name"))),
            note=EventNote(event_type, reason, message),
        )
        now = srv.clock.timestamp()
        source = {"component": comp}
        if host:
            source["host"] = host
        # client-go tools/record/events_cache.go getEventKey: source, involvedObject (incl. fieldPath), type,
        # reason and message; a pod's two containers get separate "Container created" Events.
        aggregate = (
            ns, str(ref.get("uid")), str(ref.get("name")), str(ref.get("kind")), str(ref.get("fieldPath")),
            reason, message, event_type,
            str(source.get("component")), str(source.get("host")),
        )
        existing = srv.store.get(srv._event_keys[aggregate]) if aggregate in srv._event_keys else None
        if existing is not None:
            updated = srv.decode(existing)
            updated["count"] = int(updated.get("count", 1)) + 1
            updated["lastTimestamp"] = now
            self._request("PATCH", RESOURCES["Event"], ns, existing.value["metadata"]["name"])
            kv = srv.write(self.actor, existing.key, updated, existing.mod_revision)
            return srv.decode(kv)
        # record/event.go makeEvent: name = fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())
        nanos = srv.clock.unix_nano()
        base = f"{imeta.get('name')}.{nanos:x}"
        n = self._bump_event_name(base)
        name = base if n == 0 else f"{imeta.get('name')}.{nanos + n:x}"
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": ns},
            "involvedObject": ref,
            "reason": reason,
            "message": message,
            "source": source,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "type": event_type,
            "eventTime": None,
            "reportingComponent": comp,
            "reportingInstance": host,
        }
        if action:
            event["action"] = action
        created = self.create(event)
        srv._event_keys[aggregate] = RESOURCES["Event"].key(created["metadata"]["name"], ns)
        return created

    def _bump_event_name(self, base: str) -> int:
        n = self.server._event_names.get(base, -1) + 1
        self.server._event_names[base] = n
        return n

    # -- watch ----------------------------------------------------------------------------------
    def watch(
        self,
        kind: str,
        handler: Callable[[str, dict], None],
        namespace: str | None = None,
        field_selector: str | None = None,
        label_selector: str | dict | None = None,
        *,
        resource_version: str | None = None,
    ) -> int:
        """Watch ``kind``; ``resource_version`` (from :meth:`list_with_version`) resumes after that revision
        instead of starting with the current objects as ADDED."""
        info = self._info(kind)
        ns = namespace if info.namespaced else None
        self._request("GET", info, ns, query=_query(label_selector, field_selector, watch=True, rv=resource_version))
        try:
            fields = parse_field_selector(kind, field_selector)
            labels = to_label_selector(label_selector)
            w = _Watch(self.server.new_watch_id(), self.actor, info, ns, fields, labels, handler)
            self.server.add_watch(w, resource_version)
        except APIError as e:
            raise self._fail(e) from None
        return w.watch_id

    def stop_watch(self, watch_id: int) -> None:
        self.server.stop_watch(watch_id)


def _keep_allocated(old: dict, new: dict) -> None:
    """``patchAllocatedValues`` (pkg/registry/core/service/storage): an update that omits allocated values keeps them."""
    ospec, nspec = old.get("spec") or {}, new.setdefault("spec", {})
    for k in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
        if k in ospec and not nspec.get(k):
            nspec[k] = copy.deepcopy(ospec[k])
    if nspec.get("type") in ("NodePort", "LoadBalancer"):
        old_ports = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort") for p in ospec.get("ports") or []}
        for p in nspec.get("ports") or []:
            if not p.get("nodePort") and old_ports.get((p.get("port"), p.get("protocol", "TCP"))):
                p["nodePort"] = old_ports[(p.get("port"), p.get("protocol", "TCP"))]


def _check_decodable(info: ResourceInfo, obj: dict) -> None:
    """What decoding the request body rejects before any validation: unparsable quantities.

    ``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go`` transformDecodeError:
    ``%v in version %q cannot be handled as a %v: %v`` (400 BadRequest).
    """
    errs = quantity_errors(obj)
    if errs:
        raise bad_request(f'{info.kind} in version "{info.version}" cannot be handled as a {info.kind}: {errs[0][2]}')


def _query(label_selector: str | dict | None, field_selector: str | None, watch: bool, rv: str | None = None) -> str:
    """Query string as client-go encodes it (``url.Values.Encode``: keys sorted, ``QueryEscape``)."""
    params: list[tuple[str, str]] = []
    if rv:
        params.append(("resourceVersion", str(rv)))
    if field_selector:
        params.append(("fieldSelector", field_selector))
    lt = label_selector_text(label_selector)
    if lt:
        params.append(("labelSelector", lt))
    if watch:
        params.append(("watch", "true"))
    if not params:
        return ""
    return "?" + "&".join(f"{k}={quote_plus(v, safe='')}" for k, v in sorted(params))
