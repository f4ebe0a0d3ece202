"""cloud-controller-manager with a fake cloud provider.

Two of its controllers are modelled, as in ``staging/src/k8s.io/cloud-provider/controllers/``:

* **node controller** (``node/node_controller.go``, ``syncNode``): a Node registered by a kubelet
  started with ``--cloud-provider=external`` carries the taint
  ``node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule``
  (``cloudproviderapi.TaintExternalCloudProvider``). The controller asks the cloud for the
  instance metadata (``InstancesV2.InstanceMetadata``), then in one Node update sets
  ``spec.providerID`` (only if empty), the labels ``node.kubernetes.io/instance-type`` (+ the
  deprecated ``beta.kubernetes.io/instance-type``), ``topology.kubernetes.io/zone`` (+
  ``failure-domain.beta.kubernetes.io/zone``), ``topology.kubernetes.io/region`` (+
  ``failure-domain.beta.kubernetes.io/region``) and removes the taint; then it records the event
  ``Normal Synced Node synced successfully``. Until then the scheduler cannot place ordinary pods
  on the node (the taint is ``NoSchedule`` and pods do not tolerate it).
* **service controller** (``service/controller.go``, ``syncLoadBalancerIfNeeded``): for a Service
  of ``type: LoadBalancer`` (without ``spec.loadBalancerClass``) it adds the finalizer
  ``service.kubernetes.io/load-balancer-cleanup``, records ``Normal EnsuringLoadBalancer Ensuring
  load balancer`` (plus ``Warning UnAvailableLoadBalancer There are no available nodes for
  LoadBalancer`` when no node qualifies), calls ``EnsureLoadBalancer`` with the host nodes, records
  ``Normal EnsuredLoadBalancer Ensured load balancer`` and writes ``status.loadBalancer.ingress``
  through the ``/status`` subresource. When the set of host nodes changes (a node is initialized,
  joins or leaves) the node sync calls ``UpdateLoadBalancer`` and records ``Normal
  UpdatedLoadBalancer Updated load balancer with new hosts``. When the Service goes away:
  ``DeletingLoadBalancer`` / ``EnsureLoadBalancerDeleted`` / ``DeletedLoadBalancer``. Host nodes
  (simplified predicates): nodes with a ``providerID``, without the
  ``node.kubernetes.io/exclude-from-external-load-balancers`` label.

Event sources are the upstream component names: ``cloud-node-controller`` and
``service-controller``; both run inside the ``cloud-controller-manager`` binary.

The fake cloud (a simplification, documented for readers): every Node the cluster knows is an
instance. Instances are placed round robin, in node-name order, in the zones of one region;
``providerID`` is ``fake://<zone>/<node>``; the instance type is ``standard-<cpu>`` from the
Node's cpu capacity unless the scenario sets it; load-balancer IPs come in order from
``203.0.113.0/24`` (TEST-NET-3, documentation range) starting at ``.10``. Cloud calls take the
simulated times of :data:`CLOUD_LATENCY_MS` and are traced as kind ``cloud``
(``cloud-controller-manager -> cloud``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.clock import Clock
from k8sdocs.model.objcopy import clone
from k8sdocs.model.trace import ObjectRef, Trace

# cloudproviderapi.TaintExternalCloudProvider (staging/src/k8s.io/cloud-provider/api/well_known_taints.go)
TAINT_EXTERNAL_CLOUD_PROVIDER = "node.cloudprovider.kubernetes.io/uninitialized"
# staging/src/k8s.io/api/core/v1/well_known_labels.go
LABEL_INSTANCE_TYPE_STABLE = "node.kubernetes.io/instance-type"
LABEL_INSTANCE_TYPE = "beta.kubernetes.io/instance-type"
LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone"
LABEL_FAILURE_DOMAIN_BETA_ZONE = "failure-domain.beta.kubernetes.io/zone"
LABEL_TOPOLOGY_REGION = "topology.kubernetes.io/region"
LABEL_FAILURE_DOMAIN_BETA_REGION = "failure-domain.beta.kubernetes.io/region"
# service/controller.go: servicehelper.LoadBalancerCleanupFinalizer
LOAD_BALANCER_CLEANUP_FINALIZER = "service.kubernetes.io/load-balancer-cleanup"
# service/controller.go: nodes labelled with this key are left out of load balancers
LABEL_EXCLUDE_FROM_EXTERNAL_LB = "node.kubernetes.io/exclude-from-external-load-balancers"

CLOUD_ACTOR = "cloud-controller-manager"
CLOUD_TARGET = "cloud"
NODE_CONTROLLER = "cloud-node-controller"
SERVICE_CONTROLLER = "service-controller"

#: Simulated cloud API latencies (ms), a simplification.
CLOUD_LATENCY_MS: dict[str, int] = {
    "InstanceMetadata": 150,
    "EnsureLoadBalancer": 3_000,
    "EnsureLoadBalancerDeleted": 2_000,
    "UpdateLoadBalancer": 1_000,
}
DEFAULT_REGION = "eu-south-1"
DEFAULT_ZONES = ("eu-south-1a", "eu-south-1b", "eu-south-1c")
LB_POOL = "203.0.113.0/24"
LB_FIRST_INDEX = 10


@dataclass(frozen=True)
class InstanceMetadata:
    """``cloudprovider.InstanceMetadata``."""

    provider_id: str
    instance_type: str
    node_addresses: tuple[tuple[str, str], ...]
    zone: str
    region: str


@dataclass
class FakeCloud:
    """A deterministic cloud: instances for known nodes, load balancers from an IP pool."""

    clock: Clock
    trace: Trace
    region: str = DEFAULT_REGION
    zones: tuple[str, ...] = DEFAULT_ZONES
    instance_types: dict[str, str] = field(default_factory=dict)  # node name -> instance type
    cluster_name: str = "kubernetes"
    latency_ms: dict[str, int] = field(default_factory=lambda: dict(CLOUD_LATENCY_MS))

    def __post_init__(self) -> None:
        self._nodes: list[str] = []
        self._load_balancers: dict[str, str] = {}  # "ns/name" -> IP
        self._next_lb = LB_FIRST_INDEX

    def add_instance(self, node_name: str, instance_type: str | None = None) -> None:
        if node_name not in self._nodes:
            self._nodes.append(node_name)
            self._nodes.sort()
        if instance_type:
            self.instance_types[node_name] = instance_type

    def zone_of(self, node_name: str) -> str:
        if node_name not in self._nodes:
            self.add_instance(node_name)
        return self.zones[self._nodes.index(node_name) % len(self.zones)]

    def _record(self, method: str, obj: ObjectRef, *, zone: str | None = None, ip: str | None = None,
                nodes: str | None = None) -> int:
        d = self.latency_ms[method]
        self.trace.record("cloud", CLOUD_ACTOR, CLOUD_TARGET, f"{method} {obj.key}", op=method, obj=obj,
                          duration_ms=d, zone=zone, ip=ip, nodes=nodes)
        return d

    # InstancesV2.InstanceMetadata
    def instance_metadata(self, node: dict[str, Any]) -> tuple[InstanceMetadata, int]:
        name = node["metadata"]["name"]
        zone = self.zone_of(name)
        cpu = str(((node.get("status") or {}).get("capacity") or {}).get("cpu", "2"))
        itype = self.instance_types.get(name) or f"standard-{cpu}"
        addresses = tuple((a.get("type", ""), a.get("address", ""))
                          for a in (node.get("status") or {}).get("addresses", []) or [])
        meta = InstanceMetadata(f"fake://{zone}/{name}", itype, addresses, zone, self.region)
        d = self._record("InstanceMetadata", ObjectRef("Node", None, name), zone=zone)
        return meta, d

    # LoadBalancer.EnsureLoadBalancer
    def ensure_load_balancer(self, service: dict[str, Any], nodes: list[str]) -> tuple[dict[str, Any], int]:
        key = f"{service['metadata'].get('namespace', 'default')}/{service['metadata']['name']}"
        ip = self._load_balancers.get(key)
        if ip is None:
            net = ipaddress.ip_network(LB_POOL)
            ip = str(net.network_address + self._next_lb)
            self._next_lb += 1
            self._load_balancers[key] = ip
        d = self._record("EnsureLoadBalancer", _service_ref(service), ip=ip, nodes=",".join(nodes))
        # ipMode VIP: the default the API server fills in (LoadBalancerIPMode, GA in v1.32)
        return {"ingress": [{"ip": ip, "ipMode": "VIP"}]}, d

    # LoadBalancer.UpdateLoadBalancer (new set of hosts)
    def update_load_balancer(self, service: dict[str, Any], nodes: list[str]) -> int:
        return self._record("UpdateLoadBalancer", _service_ref(service), nodes=",".join(nodes))

    # LoadBalancer.EnsureLoadBalancerDeleted
    def ensure_load_balancer_deleted(self, service: dict[str, Any]) -> int:
        key = f"{service['metadata'].get('namespace', 'default')}/{service['metadata']['name']}"
        self._load_balancers.pop(key, None)
        return self._record("EnsureLoadBalancerDeleted", _service_ref(service))

    def load_balancers(self) -> dict[str, str]:
        return dict(sorted(self._load_balancers.items()))


def _service_ref(service: dict[str, Any]) -> ObjectRef:
    return ObjectRef("Service", service["metadata"].get("namespace", "default"), service["metadata"]["name"])


def _has_cloud_taint(node: dict[str, Any]) -> bool:
    return any(t.get("key") == TAINT_EXTERNAL_CLOUD_PROVIDER for t in (node.get("spec") or {}).get("taints") or [])


def _lb_candidate(node: dict[str, Any]) -> bool:
    """Host predicates of the service controller (simplified): initialized by the CCM (has a providerID),
    not labelled ``node.kubernetes.io/exclude-from-external-load-balancers``, not being deleted by the
    cluster autoscaler (taint ``ToBeDeletedByClusterAutoscaler``)."""
    meta = node.get("metadata") or {}
    spec = node.get("spec") or {}
    if LABEL_EXCLUDE_FROM_EXTERNAL_LB in (meta.get("labels") or {}) or meta.get("deletionTimestamp"):
        return False
    if any(t.get("key") == "ToBeDeletedByClusterAutoscaler" for t in spec.get("taints") or []):
        return False
    return bool(spec.get("providerID"))


def wants_load_balancer(service: dict[str, Any]) -> bool:
    spec = service.get("spec") or {}
    return spec.get("type") == "LoadBalancer" and not spec.get("loadBalancerClass")


class CloudControllerManager:
    """``CloudControllerManager(client, clock, trace, cloud)``; ``client`` may also be a factory ``actor -> client``."""

    def __init__(self, client: Any, clock: Clock, trace: Trace, cloud: FakeCloud) -> None:
        if callable(client) and not hasattr(client, "create"):
            factory: Callable[[str], Any] = client
            self.node_client = factory(NODE_CONTROLLER)
            self.service_client = factory(SERVICE_CONTROLLER)
        else:
            self.node_client = self.service_client = client
        self.clock = clock
        self.trace = trace
        self.cloud = cloud
        self._initializing: set[str] = set()
        self._services: dict[str, dict[str, Any]] = {}
        self._ensured: dict[str, dict[str, Any]] = {}
        self._lb_hosts: dict[str, bool] = {}
        self._nodes: dict[str, dict[str, Any]] = {}
        self._last_hosts: tuple[str, ...] = ()
        self._node_sync_timer: int | None = None

    def start(self) -> None:
        self.node_client.watch("Node", self._on_node)
        self.service_client.watch("Service", self._on_service)

    # -- node controller ------------------------------------------------------------------------
    def _on_node(self, event_type: str, node: dict[str, Any]) -> None:
        name = node["metadata"]["name"]
        if event_type == "DELETED":
            self._lb_hosts.pop(name, None)
            self._nodes.pop(name, None)
            self._maybe_sync_nodes()
            return
        self._nodes[name] = node
        self._lb_hosts[name] = _lb_candidate(node)
        self._maybe_sync_nodes()
        if _has_cloud_taint(node) and name not in self._initializing:
            self._initializing.add(name)
            # node_controller.go: klog "Initializing node %s with cloud provider"
            self.trace.decide(NODE_CONTROLLER, "InitializingNode", node=name)
            meta, delay = self.cloud.instance_metadata(node)
            self.clock.call_later(delay, lambda: self._initialize(name, meta), f"{NODE_CONTROLLER} {name}")

    def _initialize(self, name: str, meta: InstanceMetadata) -> None:
        for attempt in range(5):  # clientretry.RetryOnConflict(UpdateNodeSpecBackoff, ...)
            node = self._nodes.get(name) if attempt == 0 else None  # the informer's copy first (nodeLister)
            if node is None:
                try:
                    node = self.node_client.get("Node", name)
                except Exception as err:
                    if getattr(err, "code", None) == 404:
                        self._initializing.discard(name)
                        return
                    raise
            if not _has_cloud_taint(node):
                self._initializing.discard(name)
                return
            new = clone(node)
            spec = new.setdefault("spec", {})
            if not spec.get("providerID") and meta.provider_id:
                spec["providerID"] = meta.provider_id
            labels = new.setdefault("metadata", {}).setdefault("labels", {})
            if meta.instance_type:
                labels[LABEL_INSTANCE_TYPE] = meta.instance_type
                labels[LABEL_INSTANCE_TYPE_STABLE] = meta.instance_type
            if meta.zone:
                labels[LABEL_FAILURE_DOMAIN_BETA_ZONE] = meta.zone
                labels[LABEL_TOPOLOGY_ZONE] = meta.zone
            if meta.region:
                labels[LABEL_FAILURE_DOMAIN_BETA_REGION] = meta.region
                labels[LABEL_TOPOLOGY_REGION] = meta.region
            spec["taints"] = [t for t in spec.get("taints") or [] if t.get("key") != TAINT_EXTERNAL_CLOUD_PROVIDER]
            if not spec["taints"]:
                del spec["taints"]
            try:
                self.node_client.update(new)
            except Exception as err:
                if getattr(err, "code", None) == 409:
                    continue
                raise
            self.node_client.record_event(node, "Normal", "Synced", "Node synced successfully")
            self._initializing.discard(name)
            return
        self._initializing.discard(name)

    # -- service controller ----------------------------------------------------------------------
    def _on_service(self, event_type: str, svc: dict[str, Any]) -> None:
        key = f"{svc['metadata'].get('namespace', 'default')}/{svc['metadata']['name']}"
        if event_type == "DELETED" or svc["metadata"].get("deletionTimestamp"):
            self._services.pop(key, None)
            if key in self._ensured:
                self._delete_lb(key, svc)
            return
        self._services[key] = svc
        if wants_load_balancer(svc):
            if key not in self._ensured:
                self._sync_service(key)
        elif key in self._ensured:
            self._delete_lb(key, svc)

    def _lb_nodes(self) -> list[str]:
        return sorted(n for n, ok in self._lb_hosts.items() if ok)

    def _maybe_sync_nodes(self) -> None:
        """nodeSyncLoop: when the set of load-balancer hosts changes, UpdateLoadBalancer for every service."""
        hosts = tuple(self._lb_nodes())
        if hosts == self._last_hosts:
            return
        self._last_hosts = hosts
        if self._node_sync_timer is None and self._ensured:
            self._node_sync_timer = self.clock.call_later(0, self._node_sync, f"{SERVICE_CONTROLLER} node sync")

    def _node_sync(self) -> None:
        self._node_sync_timer = None
        hosts = self._lb_nodes()
        for key in sorted(self._ensured):
            svc = self._services.get(key)
            if svc is None:
                continue
            delay = self.cloud.update_load_balancer(svc, hosts)

            def done(svc: dict[str, Any] = svc) -> None:
                # service/controller.go lockedUpdateLoadBalancerHosts
                self.service_client.record_event(svc, "Normal", "UpdatedLoadBalancer", "Updated load balancer with new hosts")
            self.clock.call_later(delay, done, f"{SERVICE_CONTROLLER} update {key}")

    def _sync_service(self, key: str) -> None:
        svc = self._services.get(key)
        if svc is None:
            return
        ns, name = key.split("/", 1)
        finalizers = svc["metadata"].get("finalizers") or []
        if LOAD_BALANCER_CLEANUP_FINALIZER not in finalizers:
            new = clone(svc)
            new["metadata"]["finalizers"] = finalizers + [LOAD_BALANCER_CLEANUP_FINALIZER]
            new["metadata"].pop("resourceVersion", None)
            svc = self.service_client.update(new)
            self._services[key] = svc
        self.service_client.record_event(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer")
        hosts = self._lb_nodes()
        self.trace.decide(SERVICE_CONTROLLER, "EnsuringLoadBalancer", service=key, nodes=",".join(hosts))
        if not hosts:
            self.service_client.record_event(svc, "Warning", "UnAvailableLoadBalancer",
                                             "There are no available nodes for LoadBalancer")
        self._last_hosts = tuple(hosts)
        status, delay = self.cloud.ensure_load_balancer(svc, hosts)
        self._ensured[key] = status

        def done() -> None:
            current = self._services.get(key)
            if current is None:
                return
            self.service_client.record_event(current, "Normal", "EnsuredLoadBalancer", "Ensured load balancer")
            if (current.get("status") or {}).get("loadBalancer") == status:
                return
            try:
                fresh = self.service_client.get("Service", name, ns)
            except Exception as err:
                if getattr(err, "code", None) == 404:
                    return
                raise
            fresh.setdefault("status", {})["loadBalancer"] = clone(status)
            fresh["metadata"].pop("resourceVersion", None)
            self._services[key] = self.service_client.update_status(fresh)
        self.clock.call_later(delay, done, f"{SERVICE_CONTROLLER} {key}")

    def _delete_lb(self, key: str, svc: dict[str, Any]) -> None:
        self._ensured.pop(key, None)
        self.service_client.record_event(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer")
        delay = self.cloud.ensure_load_balancer_deleted(svc)

        def done() -> None:
            self.service_client.record_event(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer")
        self.clock.call_later(delay, done, f"{SERVICE_CONTROLLER} delete {key}")
