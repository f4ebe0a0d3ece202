"""DefaultNormalizeScore (upstream pkg/scheduler/framework/plugins/helper/normalize_score.go).

score = maxPriority × score / maxCount with Go int64 division (scores are ≥ 0, so // is exact);
reverse gives maxPriority − that; when every score is 0, reverse sets all to maxPriority, else leaves them 0.
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.scheduler.framework.status import Status


def default_normalize_score(max_priority: int, reverse: bool, scores: list[list[Any]]) -> Status:
    """Rewrite ``scores`` ([[node, score], ...]) in place."""
    max_count = 0
    for item in scores:
        if item[1] > max_count:
            max_count = item[1]
    if max_count == 0:
        if reverse:
            for item in scores:
                item[1] = max_priority
        return Status()
    for item in scores:
        s = _go_div(max_priority * item[1], max_count)
        item[1] = max_priority - s if reverse else s
    return Status()


def _go_div(a: int, b: int) -> int:
    """Go integer division: truncation toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def default_normalize_values(max_priority: int, reverse: bool, values: list[int]) -> list[int]:
    """``default_normalize_score`` over a plain list of scores (same results, no [node, score] pairs)."""
    max_count = max(values, default=0)
    if max_count <= 0:
        return [max_priority] * len(values) if reverse else list(values)
    if reverse:
        return [max_priority - _go_div(max_priority * v, max_count) for v in values]
    return [_go_div(max_priority * v, max_count) for v in values]
