"""NodeResourcesFit (upstream pkg/scheduler/framework/plugins/noderesources/fit.go, fit.go@903b1f7e (v1.30) and
helper/resource_fit.go@5570de21 for the newest checks).

* PreFilter computes the pod's real request (resource.PodRequests: containers, init containers, sidecars,
  pod-level requests, overhead). Filter (``fitsRequest``) checks, in order: pod count (``Too many pods``); then, unless
  every request is 0, cpu, memory, ephemeral-storage and each scalar resource (``Insufficient <name>``), skipping
  ignored extended resources. All reasons are returned together; the code is UnschedulableAndUnresolvable when some
  request exceeds the node's allocatable itself (it could not fit even on an empty node), else Unschedulable.
* PreScore/Score: the configured scoring strategy (LeastAllocated default, MostAllocated, RequestedToCapacityRatio)
  over ``scoringStrategy.resources`` with non-zero requests for cpu/memory. No NormalizeScore. Default weight 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from k8sdocs.model.scheduler.framework.interface import PreFilterResult
from k8sdocs.model.scheduler.framework.runtime import ConfigError
from k8sdocs.model.scheduler.framework.signature import spec_fragment
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status, as_status_error
from k8sdocs.model.scheduler.framework.types import (
    NodeInfo,
    Resource,
    _requests_to_resource,
    is_extended_resource,
    pod_requests,
)

from .args import (
    LEAST_ALLOCATED,
    MOST_ALLOCATED,
    REQUESTED_TO_CAPACITY_RATIO,
    default_fit_args,
    validate_fit_args,
)
from .least_allocated import least_resource_scorer
from .most_allocated import most_resource_scorer
from .requested_to_capacity_ratio import requested_to_capacity_ratio_scorer
from .resource_allocation import ResourceAllocationScorer, pod_resource_request_list

NAME = "NodeResourcesFit"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME


@dataclass(frozen=True)
class InsufficientResource:
    """fit.go InsufficientResource (cpu in millicores, the rest in units)."""

    resource_name: str
    reason: str
    requested: int
    used: int
    capacity: int
    unresolvable: bool = False


def compute_pod_resource_request(pod: Mapping[str, Any], pod_level_resources: bool = True) -> Resource:
    """fit.go computePodResourceRequest: the real (not non-zero) request."""
    return _requests_to_resource(pod_requests(pod, None, pod_level_resources))


def fits_request(
    request: Resource,
    node_info: NodeInfo,
    ignored_extended_resources: frozenset[str] = frozenset(),
    ignored_resource_groups: frozenset[str] = frozenset(),
) -> list[InsufficientResource]:
    """fitsRequest: every insufficient resource, in upstream check order (scalar resources sorted by name)."""
    out: list[InsufficientResource] = []
    alloc = node_info.allocatable
    used = node_info.requested
    if len(node_info.pods) + 1 > alloc.allowed_pod_number:
        out.append(InsufficientResource("pods", "Too many pods", 1, len(node_info.pods), alloc.allowed_pod_number))
    if request.milli_cpu == 0 and request.memory == 0 and request.ephemeral_storage == 0 and not request.scalar:
        return out
    for name, req, have, cap in (
        ("cpu", request.milli_cpu, used.milli_cpu, alloc.milli_cpu),
        ("memory", request.memory, used.memory, alloc.memory),
        ("ephemeral-storage", request.ephemeral_storage, used.ephemeral_storage, alloc.ephemeral_storage),
    ):
        if req > 0 and req > cap - have:
            out.append(InsufficientResource(name, f"Insufficient {name}", req, have, cap, req > cap))
    for name in sorted(request.scalar):
        req = request.scalar[name]
        if req == 0:
            continue
        if is_extended_resource(name):
            prefix = name.split("/")[0]
            if name in ignored_extended_resources or prefix in ignored_resource_groups:
                continue
        cap = alloc.scalar.get(name, 0)
        have = used.scalar.get(name, 0)
        if req > cap - have:
            out.append(InsufficientResource(name, f"Insufficient {name}", req, have, cap, req > cap))
    return out


class Fit:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        args = default_fit_args(None) if args is None else dict(args)
        errs = validate_fit_args(args)
        if errs:
            raise ConfigError(NAME, errs)
        features = getattr(handle, "features", None) or {}
        self.pod_level_resources = bool(features.get("PodLevelResources", True))
        self.ignored_resources = frozenset(str(r) for r in (args.get("ignoredResources") or []))
        self.ignored_resource_groups = frozenset(str(r) for r in (args.get("ignoredResourceGroups") or []))
        strategy = args.get("scoringStrategy") or default_fit_args(None)["scoringStrategy"]
        self.strategy = str(strategy.get("type") or LEAST_ALLOCATED)
        resources = list(strategy.get("resources") or [])
        names = tuple(str(r["name"]) for r in resources)
        weights = tuple(int(r.get("weight") or 0) for r in resources)
        if self.strategy == LEAST_ALLOCATED:
            scorer = least_resource_scorer(weights)
        elif self.strategy == MOST_ALLOCATED:
            scorer = most_resource_scorer(weights)
        elif self.strategy == REQUESTED_TO_CAPACITY_RATIO:
            shape = (strategy.get("requestedToCapacityRatio") or {}).get("shape") or []
            scorer = requested_to_capacity_ratio_scorer(weights, shape)
        else:  # pragma: no cover - rejected by validation
            raise ConfigError(NAME, [("FieldValueNotSupported", "scoringStrategy.type", f"scoring strategy {self.strategy} is not supported")])
        self.scorer = ResourceAllocationScorer(names, weights, scorer, use_requested=False)

    def sign_pod(self, pod: Mapping[str, Any]) -> str:
        return spec_fragment(pod, "containers", "initContainers", "overhead", "resources")

    # -- PreFilter / Filter -------------------------------------------------------------------------------------
    def pre_filter(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status]:
        state.write(PRE_FILTER_STATE_KEY, compute_pod_resource_request(pod, self.pod_level_resources))
        return None, Status()

    def insufficient_resources(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> list[InsufficientResource]:
        try:
            request = state.read(PRE_FILTER_STATE_KEY)
        except KeyError:
            request = compute_pod_resource_request(pod, self.pod_level_resources)
        return fits_request(request, node_info, self.ignored_resources, self.ignored_resource_groups)  # type: ignore[arg-type]

    def filter(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> Status:
        try:
            request: Resource = state.read(PRE_FILTER_STATE_KEY)  # type: ignore[assignment]
        except KeyError:
            # fit.go getPreFilterState: Filter without PreFilter is an error upstream.
            return as_status_error(f'error reading "{PRE_FILTER_STATE_KEY}" from cycleState: not found')
        # Fast path for the common case (same result as fits_request).
        alloc = node_info.allocatable
        used = node_info.requested
        if (
            len(node_info.pods) + 1 <= alloc.allowed_pod_number
            and not request.scalar
            and request.milli_cpu <= alloc.milli_cpu - used.milli_cpu
            and request.memory <= alloc.memory - used.memory
            and request.ephemeral_storage <= alloc.ephemeral_storage - used.ephemeral_storage
        ):
            return Status()
        insufficient = fits_request(request, node_info, self.ignored_resources, self.ignored_resource_groups)
        if not insufficient:
            return Status()
        code = Code.UnschedulableAndUnresolvable if any(r.unresolvable for r in insufficient) else Code.Unschedulable
        return Status(code, tuple(r.reason for r in insufficient))

    # -- Score --------------------------------------------------------------------------------------------------
    def _pod_requests(self, pod: Mapping[str, Any]) -> list[int]:
        return pod_resource_request_list(pod, self.scorer.names, False, self.pod_level_resources)

    def pre_score(self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> Status:
        state.write(PRE_SCORE_STATE_KEY, self._pod_requests(pod))
        return Status()

    def score(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> tuple[int, Status]:
        try:
            requests = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            requests = self._pod_requests(pod)
        return self.scorer.score(node_info, requests)  # type: ignore[arg-type]

    def score_nodes(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> tuple[list[int], Status]:
        """Batch form of ``score`` (same values, one call per cycle)."""
        try:
            requests = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            requests = self._pod_requests(pod)
        out: list[int] = []
        score = self.scorer.score
        for ni in nodes:
            v, s = score(ni, requests)  # type: ignore[arg-type]
            if not s.is_success():
                return [], s
            out.append(v)
        return out, Status()
