"""DaemonSet rolling-update fields as ``ValidateRollingUpdateDaemonSet`` (pkg/apis/apps/validation) checks them.

The rejected inputs, with the API server's lines, are in tests/bad_inputs/validation/daemonset-*.yaml; here the
accepted ones (a scenario cannot declare a DaemonSet, so the corpus can only show rejections through it) and the
IntOrString helpers.
"""

from __future__ import annotations

from typing import Any

import pytest

from k8sdocs.model.validation.apps import int_or_percent_value, int_or_string_repr, validate_daemonset_spec


def _spec(rolling_update: dict[str, Any] | None) -> dict[str, Any]:
    strategy: dict[str, Any] = {"type": "RollingUpdate"}
    if rolling_update is not None:
        strategy["rollingUpdate"] = rolling_update
    return {"selector": {"matchLabels": {"app": "a"}}, "updateStrategy": strategy,
            "template": {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}


@pytest.mark.parametrize("rolling_update", [
    None,  # SetDefaults_DaemonSet: maxUnavailable 1, maxSurge 0
    {"maxUnavailable": "100%"},  # 100% itself is allowed
    {"maxUnavailable": 0, "maxSurge": "25%"},
    {"maxUnavailable": 0, "maxSurge": "100%"},
])
def test_accepted(rolling_update: dict[str, Any] | None) -> None:
    assert validate_daemonset_spec(_spec(rolling_update)) == []


def test_a_number_in_a_string_is_not_a_percent_but_counts_as_non_zero() -> None:
    # IsValidPercent rejects "5"; getIntOrPercentValue falls back to Atoi("5") = 5, so no "cannot be 0" error
    errs = [str(e) for e in validate_daemonset_spec(_spec({"maxUnavailable": "5"}))]
    assert errs == ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, '
                    'IntVal:0, StrVal:"5"}: a valid percent string must be a numeric string followed by an ending '
                    "'%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]


def test_negative_int_is_printed_as_a_number() -> None:
    # ValidatePositiveIntOrPercent -> ValidateNonnegativeField(int64(IntValue())): an int64, printed with %v
    errs = [str(e) for e in validate_daemonset_spec(_spec({"maxUnavailable": -1}))]
    assert errs == ["spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"]


@pytest.mark.parametrize(("value", "expected"), [
    (3, 3), ("25%", 25), ("0%", 0), ("7", 7), ("abc", 0), ("²%", 0), ("٣%", 0), ("+4", 4), (None, 0),
])
def test_get_int_or_percent_value(value: Any, expected: int) -> None:
    assert int_or_percent_value(value) == expected


def test_int_or_string_is_printed_with_go_syntax() -> None:
    assert int_or_string_repr(1) == 'intstr.IntOrString{Type:0, IntVal:1, StrVal:""}'
    assert int_or_string_repr("150%") == 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}'
