"""The shared resource-allocation scorer (upstream pkg/scheduler/framework/plugins/noderesources/resource_allocation.go).

For each configured resource: (allocatable, requested-including-the-pod). cpu/memory use the node's NonZeroRequested and
the pod's non-zero request (100m / 200Mi for a container missing the key) unless ``use_requested`` (BalancedAllocation);
ephemeral-storage and scalar resources always use real requests. A scalar resource the pod does not request, a resource
the node does not expose, or any other name gives (0, 0) and is skipped by the scorers (its weight is not summed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from k8sdocs.model.scheduler.framework.status import Code, Status
from k8sdocs.model.scheduler.framework.types import (
    CPU,
    DEFAULT_MEMORY_REQUEST,
    DEFAULT_MILLI_CPU_REQUEST,
    EPHEMERAL_STORAGE,
    MEMORY,
    NodeInfo,
    _as_int,
    is_scalar_resource,
    pod_requests,
)

_NON_MISSING = {CPU: Fraction(DEFAULT_MILLI_CPU_REQUEST, 1000), MEMORY: Fraction(DEFAULT_MEMORY_REQUEST)}


def pod_resource_request_list(
    pod: Mapping[str, Any], resources: Sequence[str], use_requested: bool, pod_level_resources: bool = True
) -> list[int]:
    """calculatePodResourceRequestList: cpu in millicores, others in units."""
    reqs = pod_requests(pod, None if use_requested else _NON_MISSING, pod_level_resources)
    return [_as_int(name, reqs.get(name, Fraction(0))) for name in resources]


def allocatable_and_requested(node_info: NodeInfo, name: str, pod_request: int, use_requested: bool) -> tuple[int, int]:
    """calculateResourceAllocatableRequest."""
    requested = node_info.requested if use_requested else node_info.non_zero_requested
    if pod_request == 0 and is_scalar_resource(name):
        return 0, 0
    if name == CPU:
        return node_info.allocatable.milli_cpu, requested.milli_cpu + pod_request
    if name == MEMORY:
        return node_info.allocatable.memory, requested.memory + pod_request
    if name == EPHEMERAL_STORAGE:
        return node_info.allocatable.ephemeral_storage, node_info.requested.ephemeral_storage + pod_request
    if name in node_info.allocatable.scalar:
        return node_info.allocatable.scalar[name], node_info.requested.scalar.get(name, 0) + pod_request
    return 0, 0


@dataclass(frozen=True)
class ResourceAllocationScorer:
    """``resourceAllocationScorer``: names + weights, the scorer function and which request totals to read."""

    names: tuple[str, ...]
    weights: tuple[int, ...]
    scorer: Callable[[list[int], list[int]], int]
    use_requested: bool

    def score(self, node_info: NodeInfo, pod_requests_list: Sequence[int]) -> tuple[int, Status]:
        if not self.names:
            return 0, Status(Code.Error, ("resources not found",))
        requested = [0] * len(self.names)
        allocatable = [0] * len(self.names)
        for i, name in enumerate(self.names):
            alloc, req = allocatable_and_requested(node_info, name, pod_requests_list[i], self.use_requested)
            if alloc == 0:
                continue
            allocatable[i] = alloc
            requested[i] = req
        return self.scorer(requested, allocatable), Status()
