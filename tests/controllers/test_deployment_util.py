"""Rolling-update arithmetic and Deployment bookkeeping, against upstream's own expectations
(``pkg/controller/deployment/util/deployment_util_test.go``) and the documented 25 %/25 % examples."""

from __future__ import annotations

import pytest

from k8sdocs.model.controllers import deployment_util as du


def _d(replicas: int, surge: object = "25%", unavailable: object = "25%", strategy: str = "RollingUpdate") -> dict:
    spec: dict = {"replicas": replicas, "strategy": {"type": strategy}}
    if strategy == "RollingUpdate":
        spec["strategy"]["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    return {"metadata": {"name": "d", "generation": 1}, "spec": spec}


# k8s-facts.md §4.2: with the 25%/25% defaults, surge rounds up and unavailable rounds down.
@pytest.mark.parametrize("replicas,surge,unavailable", [(3, 1, 0), (4, 1, 1), (10, 3, 2), (1, 1, 0)])
def test_default_fenceposts_docs_examples(replicas: int, surge: int, unavailable: int) -> None:
    assert du.resolve_fenceposts("25%", "25%", replicas) == (surge, unavailable)
    assert du.max_surge(_d(replicas)) == surge
    assert du.max_unavailable(_d(replicas)) == unavailable


# deployment_util_test.go TestResolveFenceposts
@pytest.mark.parametrize("surge,unavail,desired,expect", [
    ("0%", "0%", 0, (0, 1)),
    ("39%", "39%", 10, (4, 3)),
    (None, "39%", 10, (0, 3)),
    ("39%", None, 10, (4, 0)),
    (None, None, 10, (0, 1)),
])
def test_resolve_fenceposts_upstream_table(surge, unavail, desired, expect) -> None:
    assert du.resolve_fenceposts(surge, unavail, desired) == expect


@pytest.mark.parametrize("surge,unavail", [("oops", "39%"), ("55%", "urg")])
def test_resolve_fenceposts_invalid_values_error(surge: str, unavail: str) -> None:
    with pytest.raises(du.IntOrStringError):
        du.resolve_fenceposts(surge, unavail, 10)


def test_scaled_value_rounding_is_ceil_for_surge_and_floor_for_unavailable() -> None:
    # intstr.GetScaledValueFromIntOrPercent: math.Ceil / math.Floor of value*total/100
    assert du.get_scaled_value_from_int_or_percent("25%", 5, True) == 2
    assert du.get_scaled_value_from_int_or_percent("25%", 5, False) == 1
    assert du.get_scaled_value_from_int_or_percent(7, 5, False) == 7


# deployment_util_test.go TestMaxUnavailable (maxSurge 1)
@pytest.mark.parametrize("replicas,unavail,expected", [
    (10, 5, 5), (10, 10, 10), (5, 10, 5), (0, 10, 0), (10, "50%", 5), (10, "100%", 10), (5, "100%", 5),
])
def test_max_unavailable_upstream_table(replicas: int, unavail: object, expected: int) -> None:
    assert du.max_unavailable(_d(replicas, 1, unavail)) == expected


def test_max_unavailable_recreate_is_zero() -> None:
    assert du.max_unavailable(_d(3, strategy="Recreate")) == 0
    assert du.max_surge(_d(3, strategy="Recreate")) == 0


# deployment_util_test.go TestNewRSNewReplicas: other RS has 5 replicas, maxUnavailable 1
@pytest.mark.parametrize("strategy,dep,new,surge,expected", [
    ("RollingUpdate", 1, 5, 1, 5),   # can not scale up - to newRSReplicas
    ("RollingUpdate", 6, 2, 10, 6),  # scale up - to depReplicas
    ("Recreate", 3, 1, 1, 3),        # recreate - to depReplicas
])
def test_new_rs_new_replicas_upstream_table(strategy, dep, new, surge, expected) -> None:
    d = _d(dep, surge, 1, strategy)
    if strategy == "Recreate":
        d["spec"]["strategy"]["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": 1}
    rs5 = {"spec": {"replicas": 5}}
    new_rs = {"spec": {"replicas": new}}
    assert du.new_rs_new_replicas(d, [rs5], new_rs) == expected


def test_new_rs_of_a_brand_new_deployment_gets_all_replicas() -> None:
    # k8s-facts.md §2.1: maxTotalPods = replicas + maxSurge and nothing else exists
    new_rs = {"spec": {"replicas": 0}}
    assert du.new_rs_new_replicas(_d(10), [new_rs], new_rs) == 10


# deployment_util_test.go TestDeploymentComplete: deployment(desired, current, updated, available, maxUnav, maxSurge)
@pytest.mark.parametrize("desired,current,updated,available,expected", [
    (5, 5, 5, 4, False), (5, 5, 5, 3, False), (5, 5, 5, 5, True), (5, 5, 4, 5, False), (1, 2, 1, 1, False),
    (1, 1, 1, 0, False),
])
def test_deployment_complete_upstream_table(desired, current, updated, available, expected) -> None:
    d = _d(desired, 0, 0)
    del d["metadata"]["generation"]  # upstream's test object has generation 0 = observedGeneration
    status = {"replicas": current, "updatedReplicas": updated, "availableReplicas": available}
    assert du.deployment_complete(d, status) is expected


# deployment_util_test.go TestDeploymentProgressing: (current, updated, ready, available) old -> new
@pytest.mark.parametrize("old,new,expected", [
    ((10, 4, 4, 4), (10, 6, 4, 4), True),
    ((10, 4, 4, 4), (10, 4, 4, 4), False),
    ((10, 4, 6, 6), (8, 4, 6, 6), True),
    ((10, 7, 3, 3), (10, 6, 3, 3), False),
    ((10, 4, 7, 7), (8, 8, 5, 5), True),
    ((10, 10, 9, 8), (10, 10, 10, 8), True),
    ((10, 10, 10, 9), (10, 10, 10, 10), True),
])
def test_deployment_progressing_upstream_table(old, new, expected) -> None:
    keys = ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas")
    d = {"status": dict(zip(keys, old))}
    assert du.deployment_progressing(d, dict(zip(keys, new))) is expected


# deployment_util_test.go TestDeploymentTimedOut: lastUpdateTime 00:01:09 / 00:01:11, now 00:01:20
@pytest.mark.parametrize("pds,from_s,expected", [(None, 69, False), (2**31 - 1, 69, False), (10, 69, True), (10, 71, False)])
def test_deployment_timed_out_upstream_table(pds, from_s, expected) -> None:
    d = {"spec": {"progressDeadlineSeconds": pds} if pds is not None else {}}
    status = {"conditions": [{"type": "Progressing", "status": "True", "reason": "",
                              "lastUpdateTime": f"2016-01-01T00:01:{from_s - 60:02d}Z"}]}
    now = du.parse_time_ms("2016-01-01T00:01:20Z")
    assert du.deployment_timed_out(d, status, now) is expected


def test_set_condition_keeps_transition_time_and_moves_to_end() -> None:
    status = {"conditions": [
        {"type": "Progressing", "status": "True", "reason": "A", "lastTransitionTime": "t0", "lastUpdateTime": "t0"},
        {"type": "Available", "status": "True", "reason": "B"}]}
    du.set_deployment_condition(status, du.new_deployment_condition("Progressing", "True", "C", "m", "t1"))
    assert [c["type"] for c in status["conditions"]] == ["Available", "Progressing"]
    assert status["conditions"][1]["lastTransitionTime"] == "t0"
    assert status["conditions"][1]["lastUpdateTime"] == "t1"
    # same status and reason: no change at all (upstream returns early)
    du.set_deployment_condition(status, du.new_deployment_condition("Progressing", "True", "C", "other", "t2"))
    assert status["conditions"][1]["message"] == "m"


def test_proportion_is_rounded_half_away_from_zero() -> None:
    # getReplicaSetFraction: round(size * (replicas+maxSurge) / max-replicas annotation) - size
    d = _d(15, 3, 2)  # max = 18
    rs = {"metadata": {"annotations": {du.MAX_REPLICAS_ANNOTATION: "13"}}, "spec": {"replicas": 5}}
    # 5*18/13 = 6.92 -> 7 -> +2
    assert du.get_replica_set_fraction(rs, d) == 2
    assert du.get_replica_set_proportion(rs, d, 5, 0) == 2
    assert du.get_replica_set_proportion(rs, d, 1, 0) == 1  # never more than what is left


def test_revision_history_is_appended_when_rolling_back() -> None:
    d = {"metadata": {"annotations": {"team": "a", du.LAST_APPLIED_ANNOTATION: "{}"}}, "spec": {"replicas": 2}}
    rs = {"metadata": {"annotations": {du.REVISION_ANNOTATION: "1"}}, "spec": {"replicas": 2}}
    assert du.set_new_replica_set_annotations(d, rs, "3", True)
    ann = rs["metadata"]["annotations"]
    assert ann[du.REVISION_ANNOTATION] == "3"
    assert ann[du.REVISION_HISTORY_ANNOTATION] == "1"
    assert ann["team"] == "a" and du.LAST_APPLIED_ANNOTATION not in ann
