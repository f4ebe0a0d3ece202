"""LeastAllocated scoring (upstream pkg/scheduler/framework/plugins/noderesources/least_allocated.go@13cca8b4).

Per resource: 0 if requested > capacity, else (capacity − requested) × 100 / capacity (int64 division); node score
Σ(score × weight) / Σ(weight) over resources with allocatable > 0 (int64 division; 0 when the weight sum is 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

MAX_NODE_SCORE = 100


def least_requested_score(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def least_resource_scorer(weights: Sequence[int]) -> Callable[[list[int], list[int]], int]:
    def scorer(requested: list[int], allocatable: list[int]) -> int:
        node_score = weight_sum = 0
        for i, alloc in enumerate(allocatable):
            if alloc == 0:
                continue
            node_score += least_requested_score(requested[i], alloc) * weights[i]
            weight_sum += weights[i]
        return node_score // weight_sum if weight_sum else 0

    return scorer
