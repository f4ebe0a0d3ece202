"""endpointslice-controller (``pkg/controller/endpointslice/endpointslice_controller.go`` and the reconciler in
``staging/src/k8s.io/endpointslice/{reconciler,utils}.go``).

For each Service with a selector it keeps EndpointSlices ``<service>-<suffix>`` (``generateName: <service>-``)
labelled ``kubernetes.io/service-name`` and ``endpointslice.kubernetes.io/managed-by:
endpointslice-controller.k8s.io``, owned by the Service, ``addressType: IPv4``. Every pod that has an IP and is
not terminal becomes an endpoint (terminating pods included) with ``conditions.ready`` (serving and not
terminating, or ``publishNotReadyAddresses``), ``serving`` (pod Ready), ``terminating``, ``nodeName``,
``targetRef``, the node's ``topology.kubernetes.io/zone`` as ``zone``; ports are resolved per pod from the
Service's ports (a named ``targetPort`` looks up the container port with that name and protocol), and pods with
different resolved ports go to different slices. At most 100 endpoints per slice (``--max-endpoints-per-slice``).
A Service with no endpoints keeps one placeholder slice without ports or endpoints.

Simplifications (documented): ``UnsortedList``/``PopAny`` order is replaced by pod-name order; no
``endpoints.kubernetes.io/last-change-trigger-time`` annotation; no topology hints; only IPv4; changes to slices
made by others are only repaired when a slice is deleted. The slices of a deleted Service are removed by the
garbage collector (``garbagecollector.py``), as upstream.
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.api.labels import selector_from_set
from k8sdocs.model.api.pod import is_pod_ready
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers.controller_utils import new_controller_ref, object_key
from k8sdocs.model.controllers.informers import SharedInformerFactory, WorkQueue
from k8sdocs.model.objcopy import clone
from k8sdocs.model.trace import Trace

NAME = "endpointslice-controller"
# staging/src/k8s.io/api/discovery/v1/well_known_labels.go
LABEL_SERVICE_NAME = "kubernetes.io/service-name"
LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"  # ControllerName in endpointslice_controller.go
LABEL_HEADLESS = "service.kubernetes.io/headless"  # v1.IsHeadlessService
LABEL_ZONE = "topology.kubernetes.io/zone"
MAX_ENDPOINTS_PER_SLICE = 100  # --max-endpoints-per-slice default


def should_pod_be_in_endpoints(pod: dict[str, Any], include_terminating: bool = True) -> bool:
    """``ShouldPodBeInEndpoints``: not terminal, has an IP, and (unless allowed) not terminating."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    if not status.get("podIP") and not status.get("podIPs"):
        return False
    if not include_terminating and (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    return True


def find_port(pod: dict[str, Any], service_port: dict[str, Any]) -> int | None:
    """``podutil.FindPort``: a numeric targetPort as is; a named one from the containers' ports (same protocol)."""
    target = service_port.get("targetPort", service_port.get("port"))
    protocol = service_port.get("protocol") or "TCP"
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or []) + [
        c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    for c in containers:
        for p in c.get("ports") or []:
            if p.get("name") == target and (p.get("protocol") or "TCP") == protocol:
                return int(p["containerPort"])
    return None


def get_endpoint_ports(service: dict[str, Any], pod: dict[str, Any]) -> list[dict[str, Any]]:
    """``getEndpointPorts``: one EndpointPort per Service port that resolves on this pod, in Service order."""
    spec = service.get("spec") or {}
    out: list[dict[str, Any]] = []
    for sp in spec.get("ports") or []:
        port = find_port(pod, sp)
        if port is None:
            continue
        ep = {"name": sp.get("name") or "", "port": port, "protocol": sp.get("protocol") or "TCP"}
        if sp.get("appProtocol"):
            ep["appProtocol"] = sp["appProtocol"]
        out.append(ep)
    return out


def pod_to_endpoint(pod: dict[str, Any], node: dict[str, Any] | None, service: dict[str, Any]) -> dict[str, Any]:
    """``podToEndpoint``."""
    serving = is_pod_ready(pod)
    terminating = bool((pod.get("metadata") or {}).get("deletionTimestamp"))
    publish = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
    ready = publish or (serving and not terminating)
    status = pod.get("status") or {}
    ips = [p.get("ip") for p in status.get("podIPs") or [] if p.get("ip")] or [status.get("podIP")]
    addresses = [ip for ip in ips if ip and ":" not in ip][:1]
    meta = pod["metadata"]
    ep: dict[str, Any] = {
        "addresses": addresses,
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
    }
    spec = pod.get("spec") or {}
    if spec.get("hostname") and spec.get("subdomain") == service["metadata"]["name"] and \
            meta.get("namespace") == service["metadata"].get("namespace"):
        ep["hostname"] = spec["hostname"]
    if spec.get("nodeName"):
        ep["nodeName"] = spec["nodeName"]
    ep["targetRef"] = {"kind": "Pod", "namespace": meta.get("namespace"), "name": meta["name"], "uid": meta.get("uid")}
    zone = ((node or {}).get("metadata") or {}).get("labels", {}).get(LABEL_ZONE) if node else None
    if zone:
        ep["zone"] = zone
    return ep


def endpoint_key(ep: dict[str, Any]) -> tuple[Any, ...]:
    """``hashEndpoint``: addresses, hostname and the target's namespace/name identify an endpoint."""
    ref = ep.get("targetRef") or {}
    return (tuple(ep.get("addresses") or []), ep.get("hostname") or "", ref.get("namespace") or "", ref.get("name") or "")


def service_slice_labels(service: dict[str, Any]) -> dict[str, Any]:
    """``setEndpointSliceLabels``: the Service's labels (minus reserved keys), headless marker, service name and
    managed-by."""
    labels = {k: v for k, v in ((service.get("metadata") or {}).get("labels") or {}).items()
              if k not in (LABEL_SERVICE_NAME, LABEL_MANAGED_BY)}
    if (service.get("spec") or {}).get("clusterIP") == "None":
        labels[LABEL_HEADLESS] = ""
    else:
        labels.pop(LABEL_HEADLESS, None)
    labels[LABEL_SERVICE_NAME] = service["metadata"]["name"]
    labels[LABEL_MANAGED_BY] = CONTROLLER_NAME
    return labels


def new_endpoint_slice(service: dict[str, Any], ports: list[dict[str, Any]]) -> dict[str, Any]:
    """``newEndpointSlice``: ``generateName: <service>-``, owned by the Service."""
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": f"{service['metadata']['name']}-",
            "namespace": service["metadata"].get("namespace"),
            "labels": service_slice_labels(service),
            "ownerReferences": [dict(new_controller_ref(service), apiVersion="v1", kind="Service")],
        },
        "addressType": "IPv4",
        "endpoints": [],
        "ports": clone(ports),
    }


def _ports_key(ports: list[dict[str, Any]] | None) -> tuple[Any, ...]:
    return tuple((p.get("name") or "", p.get("port"), p.get("protocol") or "TCP", p.get("appProtocol") or "")
                 for p in ports or [])


def reconcile(service: dict[str, Any], pods: list[dict[str, Any]], nodes: dict[str, dict[str, Any]], existing: list[dict[str, Any]],
              max_per_slice: int = MAX_ENDPOINTS_PER_SLICE) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """``reconciler.reconcileByAddressType`` for IPv4: returns (slices to create, to update, to delete)."""
    desired: dict[tuple[Any, ...], dict[tuple[Any, ...], dict[str, Any]]] = {}
    ports_by_key: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for pod in sorted(pods, key=lambda p: p["metadata"]["name"]):
        if not should_pod_be_in_endpoints(pod, True):
            continue
        ports = get_endpoint_ports(service, pod)
        node_name = (pod.get("spec") or {}).get("nodeName")
        node = nodes.get(node_name or "")
        if node is None and not (service.get("spec") or {}).get("publishNotReadyAddresses"):
            continue  # "skipping Pod for Service, Node not found"
        ep = pod_to_endpoint(pod, node, service)
        if not ep["addresses"]:
            continue
        key = _ports_key(ports)
        ports_by_key[key] = ports
        desired.setdefault(key, {})[endpoint_key(ep)] = ep

    wanted_labels = service_slice_labels(service)
    existing_by_ports: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    to_delete: list[dict[str, Any]] = []
    for s in sorted(existing, key=lambda s: s["metadata"]["name"]):
        if s.get("addressType") != "IPv4":
            to_delete.append(s)
            continue
        existing_by_ports.setdefault(_ports_key(s.get("ports")), []).append(s)

    to_create: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    for key in sorted(desired):
        c, u, d = _reconcile_by_port_mapping(service, existing_by_ports.get(key, []), desired[key],
                                             ports_by_key[key], wanted_labels, max_per_slice)
        to_create += c
        to_update += u
        to_delete += d
    # "If there are unique sets of ports that are no longer desired, mark the corresponding endpoint slices for
    # deletion."
    for key in sorted(set(existing_by_ports) - set(desired)):
        to_delete += existing_by_ports[key]

    # "When no endpoint slices would usually exist, we need to add a placeholder."
    if len(existing) == len(to_delete) and not to_create:
        placeholder = new_endpoint_slice(service, [])
        if len(to_delete) == 1 and _is_placeholder_equal(to_delete[0], placeholder):
            to_delete = []
        else:
            to_create.append(placeholder)

    # finalize: "Prioritize recycling slices instead of creating new slices"
    i = 0
    while i < len(to_delete) and to_create:
        victim = to_delete[i]
        if victim.get("addressType") == to_create[-1].get("addressType"):
            slice_ = to_create.pop()
            slice_ = dict(slice_, metadata=dict(victim["metadata"], labels=slice_["metadata"]["labels"]))
            to_update.append(slice_)
            to_delete.pop(i)
        else:
            i += 1
    return to_create, to_update, to_delete


def _is_placeholder_equal(existing: dict[str, Any], placeholder: dict[str, Any]) -> bool:
    """``placeholderSliceCompare``: same labels, address type, no endpoints and no ports."""
    return (existing.get("addressType") == placeholder["addressType"] and not existing.get("endpoints")
            and not existing.get("ports")
            and (existing.get("metadata") or {}).get("labels") == placeholder["metadata"]["labels"])


def _reconcile_by_port_mapping(service: dict[str, Any], existing: list[dict[str, Any]], desired: dict[tuple[Any, ...], dict[str, Any]], ports: list[dict[str, Any]],
                               wanted_labels: dict[str, Any], max_per_slice: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    desired = dict(desired)
    to_update: dict[str, dict[str, Any]] = {}
    to_delete: list[dict[str, Any]] = []
    unchanged: dict[str, dict[str, Any]] = {}
    # 1. iterate through existing slices: keep desired endpoints, drop the others
    for s in existing:
        new_eps: list[dict[str, Any]] = []
        needs_update = False
        for ep in s.get("endpoints") or []:
            k = endpoint_key(ep)
            got = desired.pop(k, None)
            if got is None:
                needs_update = True
                continue
            if got != ep:
                needs_update = True
            new_eps.append(got)
        if (s.get("metadata") or {}).get("labels") != wanted_labels:
            needs_update = True
        if needs_update:
            if not new_eps:
                to_delete.append(s)
            else:
                u = clone(s)
                u["endpoints"] = new_eps
                u["metadata"]["labels"] = dict(wanted_labels)
                to_update[u["metadata"]["name"]] = u
        else:
            unchanged[s["metadata"]["name"]] = s
    remaining = [desired[k] for k in desired]  # insertion order = pod-name order
    # 2. fill the slices being updated, fullest first
    if remaining and to_update:
        for u in sorted(to_update.values(), key=lambda s: -len(s["endpoints"])):
            while remaining and len(u["endpoints"]) < max_per_slice:
                u["endpoints"].append(remaining.pop(0))
    # 3. fit what is left into an unchanged slice with room, or new slices
    to_create: list[dict[str, Any]] = []
    while remaining:
        fill: dict[str, Any] | None = None
        if len(remaining) < max_per_slice and unchanged:
            candidates = [s for s in unchanged.values() if max_per_slice - len(s.get("endpoints") or []) >= len(remaining)]
            if candidates:
                fill = clone(min(candidates, key=lambda s: (max_per_slice - len(s.get("endpoints") or []),
                                                                     s["metadata"]["name"])))
        if fill is None:
            fill = new_endpoint_slice(service, ports)
        fill.setdefault("endpoints", [])
        while remaining and len(fill["endpoints"]) < max_per_slice:
            fill["endpoints"].append(remaining.pop(0))
        if fill["metadata"].get("name"):
            unchanged.pop(fill["metadata"]["name"], None)
            to_update[fill["metadata"]["name"]] = fill
        else:
            to_create.append(fill)
    return to_create, [to_update[n] for n in sorted(to_update)], to_delete


class EndpointSliceController:
    def __init__(self, client: Any, clock: Clock, trace: Trace, informers: SharedInformerFactory | None = None,
                 max_endpoints_per_slice: int = MAX_ENDPOINTS_PER_SLICE) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.max_endpoints_per_slice = max_endpoints_per_slice
        self.informers = informers or SharedInformerFactory(client)
        self.svc_informer = self.informers.informer("Service")
        self.pod_informer = self.informers.informer("Pod")
        self.node_informer = self.informers.informer("Node")
        self.slice_informer = self.informers.informer("EndpointSlice")
        self.queue = WorkQueue(clock, self.sync_service, NAME)
        # endpointSliceTracker: what this controller last wrote, to detect a stale informer cache
        self._written: dict[str, dict[str, int | None]] = {}

    def start(self) -> None:
        self.svc_informer.add_handler(self._enqueue, lambda old, new: self._enqueue(new), self._enqueue)
        self.pod_informer.add_handler(self._pod_changed, self._pod_updated, self._pod_changed)
        self.slice_informer.add_handler(on_delete=self._slice_deleted)
        self.informers.start()

    def _enqueue(self, svc: dict[str, Any]) -> None:
        self.queue.add(object_key(svc))

    def _services_for_pod(self, pod: dict[str, Any]) -> list[dict[str, Any]]:
        labels = (pod.get("metadata") or {}).get("labels") or {}
        out = []
        for svc in self.svc_informer.list((pod.get("metadata") or {}).get("namespace")):
            sel = (svc.get("spec") or {}).get("selector")
            if sel and selector_from_set(sel).matches(labels):
                out.append(svc)
        return out

    def _pod_changed(self, pod: dict[str, Any]) -> None:
        for svc in self._services_for_pod(pod):
            self._enqueue(svc)

    def _pod_updated(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        keys = {object_key(s): s for s in self._services_for_pod(old) + self._services_for_pod(new)}
        for k in sorted(keys):
            self._enqueue(keys[k])

    def _slice_deleted(self, slice_: dict[str, Any]) -> None:
        # a deleted slice can no longer make the cache look stale (endpointSliceTracker.ExpectDeletion/Delete)
        name = (slice_.get("metadata") or {}).get("name")
        for written in self._written.values():
            if name in written:
                written[name] = None
        labels = (slice_.get("metadata") or {}).get("labels") or {}
        if labels.get(LABEL_MANAGED_BY) != CONTROLLER_NAME or not labels.get(LABEL_SERVICE_NAME):
            return
        ns = slice_["metadata"].get("namespace")
        svc = self.svc_informer.get(labels[LABEL_SERVICE_NAME], ns)
        if svc is not None:
            self._enqueue(svc)

    def _slices_for(self, ns: str | None, name: str) -> list[dict[str, Any]]:
        return [s for s in self.slice_informer.list(ns)
                if ((s.get("metadata") or {}).get("labels") or {}).get(LABEL_SERVICE_NAME) == name
                and ((s.get("metadata") or {}).get("labels") or {}).get(LABEL_MANAGED_BY) == CONTROLLER_NAME]

    def _stale(self, key: str, ns: str | None) -> bool:
        for name, rv in (self._written.get(key) or {}).items():
            cached = self.slice_informer.get(name, ns)
            if rv is None:
                if cached is not None:
                    return True
            elif cached is None or int(cached["metadata"].get("resourceVersion") or 0) < rv:
                return True
        return False

    def sync_service(self, key: str) -> None:
        ns, _, name = key.rpartition("/")
        ns_ = ns or None
        svc = self.svc_informer.get(name, ns_)
        if svc is None:
            self._written.pop(key, None)
            return  # its slices are removed by the garbage collector (ownerReference to the Service)
        if self._stale(key, ns_):
            # "EndpointSlice informer cache is out of date": retry once the watch has caught up
            self.queue.add_after(key, 1)
            return
        self._written.pop(key, None)  # the cache has caught up with every write
        selector = (svc.get("spec") or {}).get("selector")
        if not selector:
            return  # services without a selector receive no endpoint slices from this controller
        sel = selector_from_set(selector)
        pods = [p for p in self.pod_informer.list(ns_) if sel.matches((p.get("metadata") or {}).get("labels") or {})]
        nodes = {n["metadata"]["name"]: n for n in self.node_informer.list()}
        existing = self._slices_for(ns_, name)
        to_create, to_update, to_delete = reconcile(svc, pods, nodes, existing, self.max_endpoints_per_slice)
        if not (to_create or to_update or to_delete):
            return
        written = self._written.setdefault(key, {})
        n_eps = sum(len(s.get("endpoints") or []) for s in to_create + to_update)
        self.trace.decide(NAME, "EndpointSlicesReconciled", service=key,
                          pods=len([p for p in pods if should_pod_be_in_endpoints(p)]), created=len(to_create),
                          updated=len(to_update), deleted=len(to_delete), endpoints=n_eps)
        for s in to_create + to_update:
            # an empty list does not survive the protobuf round trip through etcd: a placeholder reads back as
            # "endpoints: null" and "ports: null"
            for f in ("endpoints", "ports"):
                if not s.get(f):
                    s[f] = None
        if not (svc.get("metadata") or {}).get("deletionTimestamp"):
            for s in to_create:
                created = self.client.create(s)
                written[created["metadata"]["name"]] = int(created["metadata"]["resourceVersion"])
        for s in to_update:
            updated = self.client.update(s)
            written[updated["metadata"]["name"]] = int(updated["metadata"]["resourceVersion"])
        for s in to_delete:
            try:
                self.client.delete("EndpointSlice", s["metadata"]["name"], ns_)
            except APIError as err:
                if err.code != 404:
                    raise
            written[s["metadata"]["name"]] = None
