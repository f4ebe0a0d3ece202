"""kube-apiserver: the request handlers over the registry, the watch cache and the etcd-like store.

Every request a :class:`~k8sdocs.model.apiserver.client.Client` sends is traced as ``<actor> -> kube-apiserver``
(kind ``request``; a failed one gains ``code``, ``reason`` and ``error`` data in place) with the HTTP verb and path
kube-apiserver serves. A handler (``staging/src/k8s.io/apiserver/pkg/endpoints/handlers``) decodes the body
(:mod:`~k8sdocs.model.apiserver.codec`), runs mutating admission, in upstream order for a create (NamespaceLifecycle,
ServiceAccount, Priority, DefaultTolerationSeconds), and calls the registry
(:mod:`~k8sdocs.model.apiserver.registry`), which writes to etcd; watches are served by
:mod:`~k8sdocs.model.apiserver.watch`.

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

import dataclasses
import random
import uuid
from dataclasses import dataclass

from k8sdocs.model import admission
from k8sdocs.model.admission import AdmissionError
from k8sdocs.model.apiserver.alloc import SERVICE_CIDR
from k8sdocs.model.apiserver.client import Client
from k8sdocs.model.apiserver.codec import Obj, decode, decode_body
from k8sdocs.model.apiserver.errors import APIError, bad_request, forbidden, no_such_resource, not_found
from k8sdocs.model.apiserver.events import EventCorrelator
from k8sdocs.model.apiserver.registry import Registry
from k8sdocs.model.apiserver.selectors import LabelSelectorArg, parse_field_selector, query_string, to_label_selector
from k8sdocs.model.apiserver.watch import WatchCache, Watcher, WatchHandler
from k8sdocs.model.clock import Clock
from k8sdocs.model.resources import RESOURCES, ResourceInfo
from k8sdocs.model.store import KeyValue, Store
from k8sdocs.model.strategicpatch import strategic_merge
from k8sdocs.model.trace import APIRequest, Trace

# staging/src/k8s.io/apiserver/pkg/storage/names/generate.go + apimachinery/pkg/util/rand/rand.go
GENERATE_NAME_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
MAX_NAME_LENGTH = 63
RANDOM_LENGTH = 5
MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH

# Namespaces a cluster has right after start-up (kube-apiserver's system namespaces controller).
SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


@dataclass
class RequestScope:
    """One request in flight: who sent it and where its entry is in the trace (to annotate it if it fails)."""

    actor: str
    index: int


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
        self._seed = seed
        self._rng = random.Random(seed)
        # names.SimpleNameGenerator of the ServiceAccount admission plugin (kube-api-access-<5 chars>): its own stream,
        # seeded from the scenario's seed, so that generated pod names do not depend on it.
        self._admission_rng = random.Random(f"serviceaccount-admission/{seed}")
        self.events = EventCorrelator()
        self.advertise_address = advertise_address
        self.registry = Registry(self)
        self.watch_cache = WatchCache(self.store, clock, trace, watch_latency_ms)
        if bootstrap:
            self._bootstrap(kubernetes_service)

    @property
    def rng(self) -> random.Random:
        """The stream uids, generated names and allocated Service values are drawn from."""
        return self._rng

    def client(self, actor: str) -> Client:
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

    @staticmethod
    def decode(kv: KeyValue, revision: int | None = None) -> Obj:
        return decode(kv, revision)

    # -- the admission plugins' listers (informer caches in kube-apiserver: no request traced) ---------
    def service_account(self, namespace: str, name: str) -> Obj | None:
        kv = self.store.get(RESOURCES["ServiceAccount"].key(name, namespace))
        return decode(kv) if kv is not None else None

    def namespace_exists(self, ns: str) -> bool:
        return self.store.get(RESOURCES["Namespace"].key(ns)) is not None

    def priority_classes(self) -> list[Obj]:
        return [kv.value for kv in self.store.range(RESOURCES["PriorityClass"].key_prefix())]

    # -- request plumbing -----------------------------------------------------------------------
    def begin(self, actor: str, verb: str, info: ResourceInfo, ns: str | None, name: str | None = None,
              subresource: str | None = None, query: str = "", *, node: str | None = None,
              replicas: int | None = None) -> RequestScope:
        """Trace one request as client-go sends it (``rest.Request.URL``)."""
        req = APIRequest(verb, info.group, info.version, info.resource, ns if info.namespaced else None, name,
                         subresource, query, watch="watch=true" in query)
        self.trace.record("request", actor, "kube-apiserver", f"{verb} {req.path}", api=req, node=node,
                          replicas=replicas)
        return RequestScope(actor, len(self.trace.events) - 1)

    def fail(self, scope: RequestScope, err: APIError) -> APIError:
        """A failed request keeps its place in the trace; its entry gains ``code``, ``reason`` and ``error``."""
        events = self.trace.events
        i = scope.index
        if 0 <= i < len(events) and events[i].source == scope.actor and events[i].kind == "request":
            data = dict(events[i].data)
            data.update(code=str(err.code), reason=err.reason, error=err.message)
            events[i] = dataclasses.replace(events[i], data=tuple(sorted(data.items())))
        return err

    @staticmethod
    def resource_info(kind: str) -> ResourceInfo:
        info = RESOURCES.get(kind)
        if info is None:
            raise no_such_resource()
        return info

    @staticmethod
    def request_namespace(info: ResourceInfo, namespace: str | None) -> str | None:
        if not info.namespaced:
            return None
        return namespace or "default"

    # -- admission ------------------------------------------------------------------------------
    def _admit_create(self, info: ResourceInfo, obj: Obj, ns: str | None) -> None:
        """Mutating and validating admission of a create, in upstream's plugin order
        (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins)."""
        meta = obj["metadata"]
        # NamespaceLifecycle admission
        if info.namespaced and not self.namespace_exists(ns or ""):
            raise not_found(RESOURCES["Namespace"], ns or "")
        if info.kind == "Pod":
            # NamespaceLifecycle, ServiceAccount, Priority, DefaultTolerationSeconds
            try:
                admission.service_account(
                    obj, ns or "", lambda name: self.service_account(ns or "", name),
                    lambda base: self.generate_name(base, self._admission_rng),
                    lambda msg: AdmissionError(403, "Forbidden", msg))
                admission.priority(obj, self.priority_classes(), lambda msg: AdmissionError(403, "Forbidden", msg))
                admission.default_toleration_seconds(obj)
                admission.convert_service_account_alias(obj.get("spec"))
            except AdmissionError as e:
                # admission.NewForbidden / extractResourceName: before name generation the attributes carry
                # the object's name, else its generateName, else "Unknown".
                raise forbidden(info, meta.get("name") or meta.get("generateName") or "Unknown", e.message) from None
        if info.kind == "PriorityClass" and obj.get("globalDefault"):
            # Priority admission plugin, validatePriorityClass: only one global default
            current_default = admission.default_priority_class(self.priority_classes())
            if current_default is not None:
                raise forbidden(info, meta.get("name") or "", f"PriorityClass {current_default['metadata']['name']} "
                                "is already marked as default. Only one default can exist")

    @staticmethod
    def _admit_update(info: ResourceInfo, new: Obj, old: Obj) -> None:
        if info.kind == "Pod":
            # Priority admission on update keeps the computed priority when the client omits it;
            # DefaultTolerationSeconds also runs on update (admission.NewHandler(Create, Update)).
            nspec, ospec = new.setdefault("spec", {}), old.get("spec") or {}
            for k in ("priority", "preemptionPolicy", "priorityClassName"):
                if k not in nspec and k in ospec:
                    nspec[k] = ospec[k]
            admission.default_toleration_seconds(new)

    # -- handlers -------------------------------------------------------------------------------
    def handle_create(self, actor: str, obj: Obj) -> Obj:
        """POST: decode, admission, then the registry's create."""
        if not isinstance(obj, dict):
            raise bad_request("the body of the request was in an unknown format")
        info = self.resource_info(str(obj.get("kind")))
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        ns = self.request_namespace(info, (meta or {}).get("namespace"))
        scope = self.begin(actor, "POST", info, ns)
        try:
            obj = decode_body(info, obj)
            meta = obj.setdefault("metadata", {})
            if info.namespaced:
                meta["namespace"] = ns
            else:
                meta.pop("namespace", None)  # rest.BeforeCreate clears the namespace of cluster-scoped objects
            self._admit_create(info, obj, ns)
            return self.registry.create(info, obj, ns)
        except APIError as e:
            raise self.fail(scope, e) from None

    def handle_get(self, actor: str, kind: str, name: str, namespace: str | None) -> Obj:
        info = self.resource_info(kind)
        ns = self.request_namespace(info, namespace)
        scope = self.begin(actor, "GET", info, ns, name)
        try:
            return self.registry.get(info, name, ns)
        except APIError as e:
            raise self.fail(scope, e) from None

    def handle_list(self, actor: str, kind: str, namespace: str | None, label_selector: LabelSelectorArg,
                    field_selector: str | None) -> list[Obj]:
        info = self.resource_info(kind)
        ns = namespace if info.namespaced else None
        scope = self.begin(actor, "GET", info, ns, query=query_string(label_selector, field_selector, watch=False))
        try:
            fields = parse_field_selector(kind, field_selector)
            labels = to_label_selector(label_selector)
        except APIError as e:
            raise self.fail(scope, e) from None
        return self.registry.list(info, ns, fields, labels)

    def handle_update(self, actor: str, obj: Obj, status: bool, scope: RequestScope | None = None) -> Obj:
        """PUT of the object or of its ``/status``; ``scope`` when the update serves another request (``/scale``)."""
        info = self.resource_info(str(obj.get("kind")))
        meta = obj.get("metadata") or {}
        ns = self.request_namespace(info, meta.get("namespace"))
        if scope is None:
            scope = self.begin(actor, "PUT", info, ns, str(meta.get("name") or ""), "status" if status else None)
        try:
            return self.registry.update(info, obj, ns, status, self._admit_update)
        except APIError as e:
            raise self.fail(scope, e) from None

    def handle_patch_status(self, actor: str, kind: str, name: str, patch: Obj, namespace: str | None) -> Obj:
        info = self.resource_info(kind)
        ns = self.request_namespace(info, namespace)
        scope = self.begin(actor, "PATCH", info, ns, name, "status")
        try:
            return self.registry.patch_status(info, name, ns, patch, strategic_merge)
        except APIError as e:
            raise self.fail(scope, e) from None

    def handle_scale(self, actor: str, kind: str, name: str, replicas: int, namespace: str | None) -> Obj:
        """PATCH of the ``/scale`` subresource, which sets ``spec.replicas``."""
        info = self.resource_info(kind)
        ns = self.request_namespace(info, namespace)
        scope = self.begin(actor, "PATCH", info, ns, name, "scale", replicas=replicas)
        try:
            current = self.registry.get(info, name, ns)
        except APIError as e:
            raise self.fail(scope, e) from None
        current.setdefault("spec", {})["replicas"] = replicas
        return self.handle_update(actor, current, status=False, scope=scope)

    def handle_delete(self, actor: str, kind: str, name: str, namespace: str | None, resource_version: str | None,
                      uid: str | None) -> Obj:
        info = self.resource_info(kind)
        ns = self.request_namespace(info, namespace)
        scope = self.begin(actor, "DELETE", info, ns, name)
        try:
            return self.registry.delete(info, name, ns, resource_version, uid)
        except APIError as e:
            raise self.fail(scope, e) from None

    def handle_bind(self, actor: str, namespace: str, pod_name: str, node_name: str, uid: str | None) -> Obj:
        scope = self.begin(actor, "POST", RESOURCES["Pod"], namespace, pod_name, "binding", node=node_name)
        try:
            return self.registry.bind(namespace, pod_name, node_name, uid)
        except APIError as e:
            raise self.fail(scope, e) from None

    def handle_watch(self, actor: str, kind: str, handler: WatchHandler, namespace: str | None,
                     field_selector: str | None, label_selector: LabelSelectorArg, resource_version: str | None) -> int:
        info = self.resource_info(kind)
        ns = namespace if info.namespaced else None
        scope = self.begin(actor, "GET", info, ns,
                           query=query_string(label_selector, field_selector, watch=True, rv=resource_version))
        try:
            fields = parse_field_selector(kind, field_selector)
            labels = to_label_selector(label_selector)
            w = Watcher(self.watch_cache.new_watch_id(), actor, info, ns, fields, labels, handler)
            self.watch_cache.add(w, resource_version)
        except APIError as e:
            raise self.fail(scope, e) from None
        return w.watch_id

    def stop_watch(self, watch_id: int) -> None:
        self.watch_cache.stop(watch_id)
