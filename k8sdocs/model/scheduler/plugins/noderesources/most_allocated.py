"""MostAllocated scoring (upstream pkg/scheduler/framework/plugins/noderesources/most_allocated.go).

Per resource: requested is clamped to capacity (pods without requests get the 100m/200Mi defaults and may exceed it),
then requested × 100 / capacity (int64 division); node score Σ(score × weight) / Σ(weight), int64 division.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

MAX_NODE_SCORE = 100


def most_requested_score(requested: int, capacity: int) -> int:
    if capacity == 0:
        return 0
    if requested > capacity:
        requested = capacity
    return requested * MAX_NODE_SCORE // capacity


def most_resource_scorer(weights: Sequence[int]) -> Callable[[list[int], list[int]], int]:
    def scorer(requested: list[int], allocatable: list[int]) -> int:
        node_score = weight_sum = 0
        for i, alloc in enumerate(allocatable):
            if alloc == 0:
                continue
            node_score += most_requested_score(requested[i], alloc) * weights[i]
            weight_sum += weights[i]
        return node_score // weight_sum if weight_sum else 0

    return scorer
