"""``PodInfo`` / ``NodeInfo``: typed data the plugins read, built from manifest dicts.

Upstream: pkg/scheduler/framework/types.go (``Resource``, ``PodInfo.calculateResource``, ``NodeInfo.AddPod``/``RemovePod``,
``HostPortInfo``), staging/src/k8s.io/component-helpers/resource/helpers.go (``PodRequests``: sum of containers, max with
init containers, restartable init containers, pod-level requests, overhead) and pkg/scheduler/util/pod_resources.go
(non-zero defaults 100m / 200Mi, used only by NodeResourcesFit scoring).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from k8sdocs.model.api import resource as resourcehelper
from k8sdocs.model.quantity import parse_quantity

from .features import DEFAULT_FEATURE_GATES

# pkg/scheduler/util/pod_resources.go: DefaultMilliCPURequest, DefaultMemoryRequest.
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

CPU = "cpu"
MEMORY = "memory"
EPHEMERAL_STORAGE = "ephemeral-storage"
PODS = "pods"
# One copy of the v1helper / component-helpers resource predicates (k8sdocs/model/api/resource.py).
is_supported_pod_level_resource = resourcehelper.is_supported_pod_level_resource
is_native_resource = resourcehelper.is_native_resource
is_hugepage_resource = resourcehelper.is_huge_page_resource_name
is_prefixed_native_resource = resourcehelper.is_prefixed_native_resource


def is_extended_resource(name: str) -> bool:
    """v1helper.IsExtendedResourceName: not native and not ``requests.``-prefixed."""
    return not is_native_resource(name) and not name.startswith("requests.")


def is_scalar_resource(name: str) -> bool:
    """v1helper.IsScalarResourceName: extended, hugepages, prefixed native or attachable-volumes-*."""
    return (
        is_extended_resource(name)
        or is_hugepage_resource(name)
        or is_prefixed_native_resource(name)
        or name.startswith("attachable-volumes-")
    )


@dataclass(slots=True)
class Resource:
    """``framework.Resource``: cpu in millicores, everything else in base units; ``scalar`` holds scalar resources."""

    milli_cpu: int = 0
    memory: int = 0
    ephemeral_storage: int = 0
    allowed_pod_number: int = 0
    scalar: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_list(cls, resources: Mapping[str, Any] | None) -> "Resource":
        """``NewResource(rl)``: cpu via MilliValue, others via Value; non-scalar unknown names are ignored."""
        res = cls()
        for name, qty in (resources or {}).items():
            res.add_amount(str(name), _as_int(str(name), parse_quantity(qty).amount))
        return res

    def add_amount(self, name: str, amount: int) -> None:
        if name == CPU:
            self.milli_cpu += amount
        elif name == MEMORY:
            self.memory += amount
        elif name == EPHEMERAL_STORAGE:
            self.ephemeral_storage += amount
        elif name == PODS:
            self.allowed_pod_number += amount
        elif is_scalar_resource(name):
            self.scalar[name] = self.scalar.get(name, 0) + amount

    def add(self, other: "Resource", sign: int = 1) -> None:
        self.milli_cpu += sign * other.milli_cpu
        self.memory += sign * other.memory
        self.ephemeral_storage += sign * other.ephemeral_storage
        self.allowed_pod_number += sign * other.allowed_pod_number
        for name, amount in other.scalar.items():
            self.scalar[name] = self.scalar.get(name, 0) + sign * amount

    def get(self, name: str) -> int:
        if name == CPU:
            return self.milli_cpu
        if name == MEMORY:
            return self.memory
        if name == EPHEMERAL_STORAGE:
            return self.ephemeral_storage
        if name == PODS:
            return self.allowed_pod_number
        return self.scalar.get(name, 0)

    def clone(self) -> "Resource":
        return Resource(self.milli_cpu, self.memory, self.ephemeral_storage, self.allowed_pod_number, dict(self.scalar))



def _as_int(name: str, amount: Fraction) -> int:
    """MilliValue for cpu, Value for the rest (both round up away from zero)."""
    q = amount * 1000 if name == CPU else amount
    if q.denominator == 1:
        return int(q)
    return -((-q.numerator) // q.denominator) if q > 0 else -((q.numerator) // -q.denominator)


def pod_level_requests_set(pod: Mapping[str, Any]) -> bool:
    """resourcehelper.IsPodLevelRequestsSet (k8sdocs/model/api/resource.py)."""
    return resourcehelper.is_pod_level_requests_set(pod)


def pod_requests(
    pod: Mapping[str, Any],
    non_missing: Mapping[str, Fraction] | None = None,
    pod_level_resources: bool = True,
) -> dict[str, Fraction]:
    """resourcehelper.PodRequests: exact aggregated requests of a pod (one copy, k8sdocs/model/api/resource.py).

    ``non_missing`` = NonMissingContainerRequests (a value used for a container whose requests lack that key).
    """
    return resourcehelper.pod_requests(pod, non_missing=non_missing, skip_pod_level_resources=not pod_level_resources)


def _requests_to_resource(reqs: Mapping[str, Fraction]) -> Resource:
    res = Resource()
    for name, amount in reqs.items():
        res.add_amount(name, _as_int(name, amount))
    return res


@dataclass(frozen=True, slots=True)
class HostPort:
    ip: str
    protocol: str
    port: int


def pod_host_ports(pod: Mapping[str, Any]) -> tuple[HostPort, ...]:
    """Ports with a hostPort (pkg/scheduler/util/utils.go ``GetHostPorts``): those of the init containers with
    ``restartPolicy: Always`` (sidecars, "running the entire duration of the Pod") first, then the containers'."""
    out: list[HostPort] = []
    spec = pod.get("spec") or {}
    sidecars = [c for c in spec.get("initContainers") or []
                if isinstance(c, Mapping) and c.get("restartPolicy") == "Always"]
    for c in sidecars + list(spec.get("containers") or []):
        for p in c.get("ports") or []:
            host_port = int(p.get("hostPort") or 0)
            if host_port <= 0:
                continue
            out.append(HostPort(str(p.get("hostIP") or "0.0.0.0"), str(p.get("protocol") or "TCP"), host_port))
    return tuple(out)


@dataclass(slots=True)
class PodInfo:
    """``framework.PodInfo`` plus the cached request totals (``podResource``) used by NodeInfo and the plugins."""

    pod: Mapping[str, Any]
    key: str
    namespace: str
    name: str
    labels: Mapping[str, str]
    priority: int
    requests: Resource
    non0_cpu: int
    non0_mem: int
    host_ports: tuple[HostPort, ...]
    has_affinity: bool
    has_required_anti_affinity: bool
    node_name: str

    @classmethod
    def from_pod(cls, pod: Mapping[str, Any], features: Mapping[str, bool] = DEFAULT_FEATURE_GATES) -> "PodInfo":
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        ns = str(meta.get("namespace") or "default")
        name = str(meta.get("name") or "")
        plr = bool(features.get("PodLevelResources", True))
        reqs = pod_requests(pod, pod_level_resources=plr)
        # types.go calculateResource + getNonMissingContainerRequests: defaults only for keys missing everywhere.
        level_set = plr and pod_level_requests_set(pod)
        non_missing: dict[str, Fraction] = {}
        if not level_set or CPU not in reqs:
            non_missing[CPU] = Fraction(DEFAULT_MILLI_CPU_REQUEST, 1000)
        if not level_set or MEMORY not in reqs:
            non_missing[MEMORY] = Fraction(DEFAULT_MEMORY_REQUEST)
        non0 = pod_requests(pod, non_missing, plr) if non_missing else reqs
        affinity = spec.get("affinity") or {}
        pa = affinity.get("podAffinity") or {}
        paa = affinity.get("podAntiAffinity") or {}
        return cls(
            pod=pod,
            key=f"{ns}/{name}",
            namespace=ns,
            name=name,
            labels=dict(meta.get("labels") or {}),
            priority=int(spec.get("priority") or 0),
            requests=_requests_to_resource(reqs),
            non0_cpu=_as_int(CPU, non0.get(CPU, Fraction(0))),
            non0_mem=_as_int(MEMORY, non0.get(MEMORY, Fraction(0))),
            host_ports=pod_host_ports(pod),
            has_affinity=bool(pa or paa),
            has_required_anti_affinity=bool(paa.get("requiredDuringSchedulingIgnoredDuringExecution")),
            node_name=str(spec.get("nodeName") or ""),
        )


@dataclass(frozen=True, slots=True)
class ImageStateSummary:
    """``framework.ImageStateSummary``: image size and how many nodes of the snapshot have it."""

    size: int
    num_nodes: int


@dataclass(slots=True)
class NodeInfo:
    """``framework.NodeInfo``: a node, its pods and the running totals the plugins read.

    ``requested`` sums real requests; ``non_zero_requested`` sums non-zero cpu/memory (scoring only);
    ``used_ports`` maps (protocol, port) to the set of host IPs in use.
    """

    node: Mapping[str, Any]
    name: str
    labels: Mapping[str, str]
    taints: tuple[Mapping[str, Any], ...]
    unschedulable: bool
    allocatable: Resource
    pods: list[PodInfo] = field(default_factory=list)
    pods_with_affinity: list[PodInfo] = field(default_factory=list)
    pods_with_required_anti_affinity: list[PodInfo] = field(default_factory=list)
    requested: Resource = field(default_factory=Resource)
    non_zero_requested: Resource = field(default_factory=Resource)
    used_ports: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    image_states: dict[str, ImageStateSummary] = field(default_factory=dict)
    generation: int = 0
    # memos of the scheduler's per-signature results: (signature, ...); cleared on every change, never cloned
    filter_memo: tuple[Any, ...] | None = None
    feasible_sig: object = None  # the filter signature for which this node is known feasible
    score_sig: object = None  # the score signature of ``score_values``
    score_values: tuple[Any, ...] | None = None

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> "NodeInfo":
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        status = node.get("status") or {}
        return cls(
            node=node,
            name=str(meta.get("name") or ""),
            labels=dict(meta.get("labels") or {}),
            taints=tuple(spec.get("taints") or ()),
            unschedulable=bool(spec.get("unschedulable")),
            allocatable=Resource.from_list(status.get("allocatable")),
        )

    def add_pod(self, pi: PodInfo) -> None:
        """``NodeInfo.AddPodInfo``."""
        self.pods.append(pi)
        if pi.has_affinity:
            self.pods_with_affinity.append(pi)
        if pi.has_required_anti_affinity:
            self.pods_with_required_anti_affinity.append(pi)
        self._update(pi, 1)

    def remove_pod(self, key: str) -> PodInfo | None:
        """``NodeInfo.RemovePod`` by "namespace/name"; returns the removed PodInfo (None when absent)."""
        for i, pi in enumerate(self.pods):
            if pi.key == key:
                del self.pods[i]
                self.pods_with_affinity[:] = [p for p in self.pods_with_affinity if p.key != key]
                self.pods_with_required_anti_affinity[:] = [
                    p for p in self.pods_with_required_anti_affinity if p.key != key
                ]
                self._update(pi, -1)
                return pi
        return None

    def _update(self, pi: PodInfo, sign: int) -> None:
        self.requested.add(pi.requests, sign)
        self.non_zero_requested.milli_cpu += sign * pi.non0_cpu
        self.non_zero_requested.memory += sign * pi.non0_mem
        for hp in pi.host_ports:
            k = (hp.protocol, hp.port)
            if sign > 0:
                self.used_ports.setdefault(k, set()).add(hp.ip)
            else:
                ips = self.used_ports.get(k)
                if ips is not None:
                    ips.discard(hp.ip)
                    if not ips:
                        del self.used_ports[k]
        self.generation += 1
        self.filter_memo = None
        self.feasible_sig = None
        self.score_sig = None
        self.score_values = None

    def clone(self) -> "NodeInfo":
        """Copy whose pod lists and totals can change without touching this one (``NodeInfo.Snapshot``)."""
        return NodeInfo(
            node=self.node,
            name=self.name,
            labels=self.labels,
            taints=self.taints,
            unschedulable=self.unschedulable,
            allocatable=self.allocatable,
            pods=list(self.pods),
            pods_with_affinity=list(self.pods_with_affinity),
            pods_with_required_anti_affinity=list(self.pods_with_required_anti_affinity),
            requested=self.requested.clone(),
            non_zero_requested=self.non_zero_requested.clone(),
            used_ports={k: set(v) for k, v in self.used_ports.items()},
            image_states=self.image_states,
            generation=self.generation,
        )

    def port_conflict(self, ports: Iterable[HostPort]) -> bool:
        """HostPortInfo.CheckConflict: same protocol and port, and same IP or either side 0.0.0.0."""
        for hp in ports:
            ips = self.used_ports.get((hp.protocol, hp.port))
            if not ips:
                continue
            if hp.ip == "0.0.0.0" or "0.0.0.0" in ips or hp.ip in ips:
                return True
        return False


def node_image_names(node: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(name, sizeBytes) for every name of every image in ``status.images``."""
    out: list[tuple[str, int]] = []
    for image in ((node.get("status") or {}).get("images")) or []:
        size = int(image.get("sizeBytes") or 0)
        for name in image.get("names") or []:
            out.append((str(name), size))
    return out
