"""Toleration.ToleratesTaint against upstream staging/src/k8s.io/api/core/v1/toleration_test.go@19c6083b5c8b499f3bdd52e5f58a0b6f645d0fd3
(TestTolerationToleratesTaint, v1.35 era with the alpha Gt/Lt comparison operators enabled)."""

from __future__ import annotations

import pytest

from k8sdocs.model.scheduler.plugins.helper.taints import TaintParseError, tolerates_taint

NS, NE = "NoSchedule", "NoExecute"
SLA = "node.kubernetes.io/sla"

CASES = [
    ("same key and effect, Exists, taint has no value", {"key": "foo", "operator": "Exists", "effect": NS}, {"key": "foo", "effect": NS}, True),
    ("same key and effect, Exists, taint has some value", {"key": "foo", "operator": "Exists", "effect": NS}, {"key": "foo", "value": "bar", "effect": NS}, True),
    ("empty key and Exists matches all taints", {"key": "", "operator": "Exists", "effect": NS}, {"key": "foo", "value": "bar", "effect": NS}, True),
    ("same key, effect and value, Equal", {"key": "foo", "operator": "Equal", "value": "bar", "effect": NS}, {"key": "foo", "value": "bar", "effect": NS}, True),
    ("same key and effect, different values, Equal", {"key": "foo", "operator": "Equal", "value": "value1", "effect": NS}, {"key": "foo", "value": "value2", "effect": NS}, False),
    ("same key and value, different effects, Equal", {"key": "foo", "operator": "Equal", "value": "bar", "effect": NS}, {"key": "foo", "value": "bar", "effect": NE}, False),
    ("Gt: taint value less than toleration value", {"key": SLA, "operator": "Gt", "value": "950", "effect": NS}, {"key": SLA, "value": "800", "effect": NS}, False),
    ("Gt: taint value greater than toleration value", {"key": SLA, "operator": "Gt", "value": "750", "effect": NS}, {"key": SLA, "value": "950", "effect": NS}, True),
    ("Lt: taint value greater than toleration value", {"key": SLA, "operator": "Lt", "value": "800", "effect": NS}, {"key": SLA, "value": "950", "effect": NS}, False),
    ("Lt: taint value less than toleration value", {"key": SLA, "operator": "Lt", "value": "950", "effect": NS}, {"key": SLA, "value": "800", "effect": NS}, True),
    ("Gt with equal numeric value", {"key": SLA, "operator": "Gt", "value": "950", "effect": NS}, {"key": SLA, "value": "950", "effect": NS}, False),
    ("Gt with negative values, taint below threshold", {"key": "test-key", "operator": "Gt", "value": "-100", "effect": NS}, {"key": "test-key", "value": "-200", "effect": NS}, False),
    ("Gt with large int64 threshold", {"key": "test-key", "operator": "Gt", "value": "9223372036854775806", "effect": NS}, {"key": "test-key", "value": "100", "effect": NS}, False),
]


@pytest.mark.parametrize("toleration, taint, tolerated", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_tolerates_taint(toleration: dict, taint: dict, tolerated: bool) -> None:
    assert tolerates_taint(toleration, taint, comparison_operators=True) is tolerated


def test_gt_with_non_numeric_taint_value_is_an_error_and_not_tolerated() -> None:
    """Upstream: expectTolerated false, expectError true (the error text is the TaintToleration Filter's message)."""
    with pytest.raises(TaintParseError, match='failed to parse taint value "high" as int64: must be a valid decimal integer in canonical form'):
        tolerates_taint({"key": SLA, "operator": "Gt", "value": "950", "effect": NS}, {"key": SLA, "value": "high", "effect": NS}, comparison_operators=True)


def test_comparison_operators_need_the_feature_gate() -> None:
    assert tolerates_taint({"key": SLA, "operator": "Gt", "value": "750", "effect": NS}, {"key": SLA, "value": "950", "effect": NS}) is False
