"""controller_utils: slow-start batches, the pod-template hash, and the order in which a ReplicaSet deletes pods
(``ActivePodsWithRanks.Less`` in ``pkg/controller/controller_utils.go``, one test per rule)."""

from __future__ import annotations

import re

import pytest

from k8sdocs.model.controllers import controller_utils as cu


# -- slowStartBatch (pkg/controller/replicaset/replica_set.go) -----------------------------------------------------
@pytest.mark.parametrize("count,batches", [
    (0, []), (1, [1]), (3, [1, 2]), (10, [1, 2, 4, 3]), (15, [1, 2, 4, 8]), (500, [1, 2, 4, 8, 16, 32, 64, 128, 245]),
])
def test_slow_start_batches_double_from_one(count: int, batches: list[int]) -> None:
    assert cu.slow_start_batches(count, cu.SLOW_START_INITIAL_BATCH_SIZE) == batches
    assert sum(batches) == count


def test_slow_start_stops_after_the_first_failing_batch() -> None:
    calls = iter([None, None, RuntimeError("boom"), None] + [None] * 10)
    successes, err = cu.slow_start_batch(10, 1, lambda: next(calls))
    # batches 1 and 2 (3 calls): the second batch has one failure -> stop; successes = 1 + 1
    assert successes == 2 and isinstance(err, RuntimeError)


def test_constants_match_upstream() -> None:
    assert cu.BURST_REPLICAS == 500  # replica_set.go BurstReplicas
    assert cu.SLOW_START_INITIAL_BATCH_SIZE == 1  # controller_utils.go
    assert cu.EXPECTATIONS_TIMEOUT_MS == 300_000  # ExpectationsTimeout = 5 * time.Minute


# -- pod-template-hash (ComputeHash + rand.SafeEncodeString) -------------------------------------------------------
def test_safe_encode_string_maps_decimal_digits_as_upstream() -> None:
    # alphanums = "bcdfghjklmnpqrstvwxz2456789"; '0' is rune 48, 48 % 27 = 21 -> '4'
    assert cu.safe_encode_string("0123456789") == "456789bcdf"


def test_fnv1a_32_reference_vectors() -> None:
    # FNV-1a 32-bit test vectors (offset basis for the empty string; "a" -> 0xe40c292c)
    assert cu.fnv1a_32(b"") == 0x811C9DC5
    assert cu.fnv1a_32(b"a") == 0xE40C292C
    assert cu.fnv1a_32(b"foobar") == 0xBF9CF968


def _template(image: str) -> dict:
    return {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": image}]}}


@pytest.mark.parametrize("image", ["nginx:1.27", "nginx:1.28", "busybox", "registry.k8s.io/pause:3.10"])
def test_hash_alphabet_and_length(image: str) -> None:
    h = cu.compute_hash(_template(image), None)
    # the SafeEncoded decimal digits of a uint32: alphabet {4,5,6,7,8,9,b,c,d,f}, at most 10 characters
    assert re.fullmatch(r"[4-9bcdf]{1,10}", h)
    digits = h.translate(str.maketrans("456789bcdf", "0123456789"))
    assert int(digits) < 2**32
    # a real value seen on clusters decodes the same way (k8s-facts.md §5.2): 5869d7778c -> 1425833347
    assert "5869d7778c".translate(str.maketrans("456789bcdf", "0123456789")) == "1425833347"


def test_hash_changes_with_template_and_collision_count_but_is_stable() -> None:
    a = cu.compute_hash(_template("nginx:1.27"), None)
    assert a == cu.compute_hash(_template("nginx:1.27"), None)
    assert a != cu.compute_hash(_template("nginx:1.28"), None)
    assert cu.compute_hash(_template("nginx:1.27"), 1) not in (a, cu.compute_hash(_template("nginx:1.27"), 2))


# -- ActivePodsWithRanks.Less --------------------------------------------------------------------------------------
NOW = cu.parse_time_ms("2025-12-17T01:00:00Z")


def _pod(name: str, node: str = "n1", phase: str = "Running", ready: bool = True, ready_at: str = "2025-12-17T00:10:00Z",
         created: str = "2025-12-17T00:00:00Z", restarts: int = 0, cost: str | None = None, uid: str | None = None) -> dict:
    meta: dict = {"name": name, "uid": uid or f"uid-{name}", "creationTimestamp": created}
    if cost is not None:
        meta["annotations"] = {cu.POD_DELETION_COST_ANNOTATION: cost}
    status: dict = {"phase": phase, "containerStatuses": [{"name": "c", "restartCount": restarts}]}
    status["conditions"] = [{"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": ready_at}]
    return {"metadata": meta, "spec": {"nodeName": node}, "status": status}


def _first(a: dict, b: dict, related: list[dict] | None = None) -> str:
    """Name of the pod deleted first out of two."""
    return cu.get_pods_to_delete([b, a], related if related is not None else [], 1, NOW)[0]["metadata"]["name"]


def test_rule1_unassigned_before_assigned() -> None:
    assert _first(_pod("assigned"), _pod("unassigned", node="")) == "unassigned"


def test_rule2_pending_before_unknown_before_running() -> None:
    assert _first(_pod("running"), _pod("pending", phase="Pending")) == "pending"
    assert _first(_pod("running"), _pod("unknown", phase="Unknown")) == "unknown"
    assert _first(_pod("unknown", phase="Unknown"), _pod("pending", phase="Pending")) == "pending"


def test_rule3_not_ready_before_ready() -> None:
    assert _first(_pod("ready"), _pod("notready", ready=False)) == "notready"


def test_rule4_lower_deletion_cost_first() -> None:
    assert _first(_pod("costly", cost="100"), _pod("cheap", cost="-5")) == "cheap"
    # an invalid annotation counts as 0
    assert _first(_pod("zero", cost="oops"), _pod("neg", cost="-1")) == "neg"


def test_rule5_doubled_up_first() -> None:
    a, b = _pod("alone", node="n2"), _pod("crowded", node="n1")
    related = [b, _pod("other", node="n1"), a]
    assert _first(a, b, related) == "crowded"


def test_rule6_more_recently_ready_first_in_log2_buckets() -> None:
    # ready 10 s ago vs 50 min ago: different log2 buckets -> the recent one goes first
    recent = _pod("recent", ready_at="2025-12-17T00:59:50Z")
    old = _pod("old", ready_at="2025-12-17T00:10:00Z")
    assert _first(old, recent) == "recent"
    # same log2 bucket (ready 40 s vs 50 s ago: both in [2^35, 2^36) ns): the lower UID first
    a = _pod("a", ready_at="2025-12-17T00:59:20Z", uid="uid-2")
    b = _pod("b", ready_at="2025-12-17T00:59:10Z", uid="uid-1")
    assert _first(a, b) == "b"


def test_rule7_more_restarts_first() -> None:
    assert _first(_pod("stable"), _pod("crashy", restarts=4)) == "crashy"


def test_rule8_newer_first_and_empty_creation_time_first() -> None:
    newer = _pod("newer", created="2025-12-17T00:59:00Z")
    older = _pod("older", created="2025-12-17T00:00:00Z")
    assert _first(older, newer) == "newer"
    empty = _pod("empty", created="")
    assert _first(older, empty) == "empty"


def test_all_pods_deleted_without_sorting_when_diff_covers_them() -> None:
    pods = [_pod("b"), _pod("a", ready=False)]
    assert [p["metadata"]["name"] for p in cu.get_pods_to_delete(pods, [], 2, NOW)] == ["a", "b"]


def test_expectations_block_until_observed_or_expired() -> None:
    e = cu.ControllerExpectations()
    e.expect_creations("ns/rs", 2, 0)
    assert not e.satisfied("ns/rs", 1000)
    e.creation_observed("ns/rs")
    e.creation_observed("ns/rs")
    assert e.satisfied("ns/rs", 1000)
    e.expect_deletions("ns/rs", ["ns/p1"], 0)
    assert not e.satisfied("ns/rs", 1000)
    assert e.satisfied("ns/rs", 300_001)  # ExpectationsTimeout


def test_parse_time_ms_is_exact_unix_milli():
    """One parse_time_ms (model/api/gotime.py) for controllers and api helpers, in exact integer arithmetic like Go's
    Time.UnixMilli: the former api copy multiplied the float timestamp by 1000 and truncated a millisecond here."""
    from k8sdocs.model.api import gotime

    assert cu.parse_time_ms is gotime.parse_time_ms
    assert gotime.parse_time_ms("1987-01-17T22:30:05.384Z") == 537_921_005_384
    assert gotime.parse_time_ms("2038-04-24T04:09:24.042Z") == 2_155_694_964_042
    assert gotime.parse_time_ms("1969-12-31T23:59:59.999Z") == -1  # rounds down before the epoch, as UnixMilli
    assert gotime.parse_time_ms("2025-12-17T01:00:00+01:00") == gotime.parse_time_ms("2025-12-17T00:00:00Z")
    assert gotime.parse_time_ms(None) is None and gotime.parse_time_ms("") is None
