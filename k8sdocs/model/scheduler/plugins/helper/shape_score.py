"""BuildBrokenLinearFunction (upstream pkg/scheduler/framework/plugins/helper/shape_score.go).

For p ≤ first point → its score; for the first point i with p ≤ u_i:
s_{i-1} + (s_i − s_{i-1}) × (p − u_{i-1}) / (u_i − u_{i-1}) in Go int64 (truncating) division; beyond the last point
→ the last score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FunctionShapePoint:
    utilization: int
    score: int


def _go_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def build_broken_linear_function(shape: Sequence[FunctionShapePoint]) -> Callable[[int], int]:
    points = tuple(shape)

    def f(p: int) -> int:
        for i, pt in enumerate(points):
            if p <= pt.utilization:
                if i == 0:
                    return points[0].score
                prev = points[i - 1]
                return prev.score + _go_div((pt.score - prev.score) * (p - prev.utilization), pt.utilization - prev.utilization)
        return points[-1].score

    return f
