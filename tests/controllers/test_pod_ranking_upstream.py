"""``ActivePodsWithRanks.Less`` against upstream's own table
(``pkg/controller/controller_utils_test.go`` TestSortingActivePodsWithRanks, PodDeletionCost and
LogarithmicScaleDown enabled as in v1.35)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from k8sdocs.model.controllers import controller_utils as cu

_NOW = datetime(2025, 12, 17, 12, 0, 0, tzinfo=timezone.utc)
NOW_MS = cu.parse_time_ms(_NOW.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _ts(delta: timedelta | None) -> str:
    return "" if delta is None else (_NOW - delta).strftime("%Y-%m-%dT%H:%M:%SZ")


MONTH = _NOW - _NOW.replace(month=11)  # now.AddDate(0, -1, 0)
ZERO = None


def pod(name, node, phase, ready, restarts, ready_since, created, annotations=None) -> dict:
    status: dict = {"phase": phase}
    if ready:
        status["conditions"] = [{"type": "Ready", "status": "True", "lastTransitionTime": _ts(ready_since)}]
        status["containerStatuses"] = [{"restartCount": restarts}]
    meta: dict = {"name": name, "creationTimestamp": _ts(created)}
    if annotations:
        meta["annotations"] = annotations
    return {"metadata": meta, "spec": {"nodeName": node}, "status": status}


H = timedelta(hours=1)
NOW0 = timedelta(0)
unscheduled = pod("unscheduled", "", "Pending", False, 0, ZERO, ZERO)
pending = pod("pending", "node", "Pending", False, 0, ZERO, ZERO)
unknown_phase = pod("unknown-phase", "node", "Unknown", False, 0, ZERO, ZERO)
not_ready = pod("not-ready", "node", "Running", False, 0, ZERO, ZERO)
ready_no_ltt = pod("ready-no-last-transition-time", "node", "Running", True, 0, ZERO, ZERO)
ready_now = pod("ready-now", "node", "Running", True, 0, NOW0, NOW0)
ready_then = pod("ready-then", "node", "Running", True, 0, MONTH, MONTH)
ready_high_restarts = pod("ready-high-restarts", "node", "Running", True, 9001, NOW0, NOW0)
ready_now_created_then = pod("ready-now-created-then", "node", "Running", True, 0, NOW0, MONTH)
low_cost = pod("low-deletion-cost", "node", "Running", True, 0, NOW0, MONTH, {cu.POD_DELETION_COST_ANNOTATION: "10"})
high_cost = pod("high-deletion-cost", "node", "Running", True, 0, NOW0, MONTH, {cu.POD_DELETION_COST_ANNOTATION: "100"})
unscheduled_5h = pod("unscheduled-5-hours", "", "Pending", False, 0, 5 * H, 5 * H)
unscheduled_8h = pod("unscheduled-10-hours", "", "Pending", False, 0, 8 * H, 8 * H)
ready_2h = pod("ready-2-hours", "", "Running", True, 0, 2 * H, MONTH)
ready_5h = pod("ready-5-hours", "", "Running", True, 0, 5 * H, MONTH)
ready_8h = pod("ready-10-hours", "", "Running", True, 0, 8 * H, MONTH)


@pytest.mark.parametrize("p1,p2", [
    (unscheduled, unscheduled), (pending, pending), (unknown_phase, unknown_phase), (not_ready, not_ready),
    (ready_now_created_then, ready_now_created_then), (ready_now, ready_now), (ready_then, ready_then),
    (ready_high_restarts, ready_high_restarts), (unscheduled_5h, unscheduled_8h), (ready_5h, ready_8h),
])
def test_equality(p1: dict, p2: dict) -> None:
    a, b = cu.RankedPod(p1, 1), cu.RankedPod(p2, 1)
    assert not cu.pod_less(a, b, NOW_MS) and not cu.pod_less(b, a, NOW_MS)


@pytest.mark.parametrize("lesser,lrank,greater,grank", [
    (unscheduled, 1, pending, 2),
    (unscheduled, 2, pending, 1),
    (pending, 1, unknown_phase, 2),
    (unknown_phase, 1, not_ready, 2),
    (not_ready, 1, ready_no_ltt, 1),
    (ready_no_ltt, 1, ready_now, 1),
    (ready_now, 2, ready_no_ltt, 1),
    (ready_now, 1, ready_then, 1),
    (ready_now, 2, ready_then, 1),
    (ready_high_restarts, 1, ready_now, 1),
    (ready_now, 2, ready_high_restarts, 1),
    (ready_now, 1, ready_now_created_then, 1),
    (ready_now_created_then, 2, ready_now, 1),
    (low_cost, 2, high_cost, 1),
    (ready_2h, 1, ready_5h, 1),
])
def test_inequality(lesser: dict, lrank: int, greater: dict, grank: int) -> None:
    a, b = cu.RankedPod(lesser, lrank), cu.RankedPod(greater, grank)
    assert cu.pod_less(a, b, NOW_MS)
    assert not cu.pod_less(b, a, NOW_MS)
