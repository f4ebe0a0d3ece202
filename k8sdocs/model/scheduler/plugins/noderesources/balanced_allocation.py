"""NodeResourcesBalancedAllocation, v1.23–v1.35 formula (upstream
pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go@02d7708a, test @00fdb4ff).

Real requests only (no 100m/200Mi). Per resource with allocatable > 0: fraction = requested / allocatable (float64),
clamped to 1. std = |f0 − f1| / 2 for two fractions, the population standard deviation for more, 0 otherwise.
score = int64((1 − std) × 100) (truncation). PreScore returns Skip for a best-effort pod (every request 0, since
v1.33). The v1.36 formula (PR #135573) is NOT modelled: the target is v1.35. No NormalizeScore. Default weight 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from k8sdocs.model.scheduler.framework.runtime import ConfigError
from k8sdocs.model.scheduler.framework.signature import spec_fragment
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status
from k8sdocs.model.scheduler.framework.types import NodeInfo

from .args import default_balanced_args, validate_balanced_args
from .resource_allocation import ResourceAllocationScorer, pod_resource_request_list

NAME = "NodeResourcesBalancedAllocation"
PRE_SCORE_STATE_KEY = "PreScore" + NAME
MAX_NODE_SCORE = 100


def balanced_resource_scorer(requested: list[int], allocatable: list[int]) -> int:
    fractions: list[float] = []
    total = 0.0
    for i, alloc in enumerate(allocatable):
        if alloc == 0:
            continue
        f = float(requested[i]) / float(alloc)
        if f > 1:
            f = 1.0
        total += f
        fractions.append(f)
    std = 0.0
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    elif len(fractions) > 2:
        mean = total / len(fractions)
        acc = 0.0
        for f in fractions:
            acc = acc + (f - mean) * (f - mean)
        std = math.sqrt(acc / len(fractions))
    return int((1 - std) * float(MAX_NODE_SCORE))


class BalancedAllocation:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        args = default_balanced_args(None) if args is None else dict(args)
        errs = validate_balanced_args(args)
        if errs:
            raise ConfigError(NAME, errs)
        features = getattr(handle, "features", None) or {}
        self.pod_level_resources = bool(features.get("PodLevelResources", True))
        resources = list(args.get("resources") or [])
        self.scorer = ResourceAllocationScorer(
            tuple(str(r["name"]) for r in resources),
            tuple(int(r.get("weight") or 1) for r in resources),
            balanced_resource_scorer,
            use_requested=True,
        )

    def sign_pod(self, pod: Mapping[str, Any]) -> str:
        return spec_fragment(pod, "containers", "initContainers", "overhead", "resources")

    def _pod_requests(self, pod: Mapping[str, Any]) -> list[int]:
        return pod_resource_request_list(pod, self.scorer.names, True, self.pod_level_resources)

    def pre_score(self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> Status:
        requests = self._pod_requests(pod)
        if all(r == 0 for r in requests):
            return Status(Code.Skip)
        state.write(PRE_SCORE_STATE_KEY, requests)
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
        try:
            requests = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            requests = self._pod_requests(pod)
        out: list[int] = []
        for ni in nodes:
            v, s = self.scorer.score(ni, requests)  # type: ignore[arg-type]
            if not s.is_success():
                return [], s
            out.append(v)
        return out, Status()
