"""RequestedToCapacityRatio scoring (upstream pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio.go).

Shape scores (0..10) are scaled by MaxNodeScore / MaxCustomPriorityScore = 10. Per resource: utilization =
requested × 100 / capacity (int64 division), or 100 when requested > capacity (or capacity 0); resourceScore =
shape(utilization). Resources whose resourceScore is 0 are left out of both sums. Node score =
math.Round(Σ(score × weight) / Σ(weight)) in float64 (half away from zero); 0 when the weight sum is 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..helper.shape_score import FunctionShapePoint, build_broken_linear_function

MAX_NODE_SCORE = 100
MAX_CUSTOM_PRIORITY_SCORE = 10
MAX_UTILIZATION = 100


def go_round(x: float) -> int:
    """Go math.Round: half away from zero (Python's round() is half-to-even)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def requested_to_capacity_ratio_scorer(
    weights: Sequence[int], shape: Sequence[Mapping[str, Any]]
) -> Callable[[list[int], list[int]], int]:
    scale = MAX_NODE_SCORE // MAX_CUSTOM_PRIORITY_SCORE
    points = [FunctionShapePoint(int(p["utilization"]), int(p["score"]) * scale) for p in shape]
    raw = build_broken_linear_function(points)

    def resource_score(requested: int, capacity: int) -> int:
        if capacity == 0 or requested > capacity:
            return raw(MAX_UTILIZATION)
        return raw(requested * MAX_UTILIZATION // capacity)

    def scorer(requested: list[int], allocatable: list[int]) -> int:
        node_score = weight_sum = 0
        for i, alloc in enumerate(allocatable):
            if alloc == 0:
                continue
            s = resource_score(requested[i], alloc)
            if s > 0:
                node_score += s * weights[i]
                weight_sum += weights[i]
        if weight_sum == 0:
            return 0
        return go_round(float(node_score) / float(weight_sum))

    return scorer
