"""Function cases (tests/fidelity/functions): every visible case passes through the one table, and the runner fails
what it cannot check — an unmapped function, an unknown expected shape, a wrong result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from k8sdocs.fidelity import functions
from k8sdocs.fidelity.function_table import TABLE
from k8sdocs.fidelity.runner import run_case

ROOT = Path(__file__).resolve().parents[2]
FUNCTION_CASES = ROOT / "tests" / "fidelity" / "functions"
CASES = [case for path in sorted(FUNCTION_CASES.glob("*.yaml")) for case in yaml.safe_load(path.read_text())]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_every_visible_function_case_passes(case):
    result = run_case(case, FUNCTION_CASES, case["id"])
    assert (result.outcome, result.detail) == ("PASS", "")


def test_every_function_named_by_a_case_is_in_the_table():
    assert {c["function"] for c in CASES} <= set(TABLE)
    assert len(CASES) >= 400


def _case(**over):
    case = {"id": "t-1", "name": "t", "source": "test", "function": "k8s.io/apimachinery/pkg/util/validation.IsDNS1123Label",
            "args": {"value": "my-name"}, "expected": {"errors": []}}
    case.update(over)
    return case


def test_unmapped_function_fails_as_not_implemented():
    name = "k8s.io/kubernetes/pkg/controller/deployment/util.NoSuchHelper"
    result = run_case(_case(function=name), FUNCTION_CASES, "x")
    assert result.line() == f"FAIL t-1: not implemented: {name}"


@pytest.mark.parametrize("expected", [{"value": 1}, {}, {"result": 1, "errors": []}, {"result_fields": {}}])
def test_unknown_or_ambiguous_expected_shape_fails(expected):
    assert run_case(_case(expected=expected), FUNCTION_CASES, "x").outcome == "FAIL"


def test_wrong_result_fails_with_expected_vs_got():
    line = run_case(_case(args={"value": "A"}, expected={"errors": []}), FUNCTION_CASES, "x").line()
    assert line.startswith("FAIL t-1: result: expected 0 items [] vs got 1 [")


def test_error_true_on_a_valid_value_fails():
    assert run_case(_case(expected={"error": True}), FUNCTION_CASES, "x").outcome == "FAIL"
    assert run_case(_case(args={"value": "A"}, expected={"error": True}), FUNCTION_CASES, "x").outcome == "PASS"


def test_wrong_or_missing_args_fail():
    assert "args do not match" in run_case(_case(args={"val": "x"}), FUNCTION_CASES, "x").detail
    assert "args do not match" in run_case(_case(args={"value": "x", "extra": 1}), FUNCTION_CASES, "x").detail


def test_result_fields_null_means_absent_or_empty_and_values_are_typed():
    pod = {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"image": "nginx"}]}}
    base = {"function": "k8s.io/kubernetes/pkg/apis/core/v1.SetObjectDefaults_Pod", "args": {"in": pod}}
    ok = _case(**base, expected={"result_fields": {"spec.containers[0].imagePullPolicy": "Always",
                                                    "spec.nodeName": None, "spec.terminationGracePeriodSeconds": 30}})
    assert run_case(ok, FUNCTION_CASES, "x").outcome == "PASS"
    as_string = _case(**base, expected={"result_fields": {"spec.terminationGracePeriodSeconds": "30"}})
    assert run_case(as_string, FUNCTION_CASES, "x").outcome == "FAIL"
    not_null = _case(**base, expected={"result_fields": {"spec.dnsPolicy": None}})
    assert run_case(not_null, FUNCTION_CASES, "x").outcome == "FAIL"


def test_quantities_compare_by_value_only_inside_resource_lists():
    assert functions.compare({"requests": {"memory": "1Gi"}}, {"requests": {"memory": "1024Mi"}}, "") is None
    assert functions.compare({"name": "1Gi"}, {"name": "1024Mi"}, "") is not None
    assert functions.compare(True, 1, "") is not None


def test_field_paths_with_bracketed_keys():
    assert functions.parse_path('metadata.labels["kubernetes.io/metadata.name"]') == [
        "metadata", "labels", "kubernetes.io/metadata.name"]
    assert functions.parse_path("spec.containers[0].ports[1].hostPort") == [
        "spec", "containers", 0, "ports", 1, "hostPort"]


def test_documented_command_over_the_function_folder():
    proc = subprocess.run([sys.executable, "-m", "k8sdocs.fidelity", str(FUNCTION_CASES)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert proc.stdout.splitlines()[-1] == f"{len(CASES)} passed, 0 failed, 0 skipped"


def test_fidelity_page_groups_function_cases_by_go_package():
    from k8sdocs.content.fidelity import _group

    assert _group({"function": "k8s.io/kubernetes/pkg/controller.(ActivePods).Less", "args": {}}) == ("pkg/controller", "—")
    assert _group({"function": "k8s.io/apimachinery/pkg/util/validation.IsDNS1123Label", "args": {}}) == (
        "apimachinery/pkg/util/validation", "—")
    assert _group({"function": "DefaultNormalizeScore", "input": {}})[0] == "núcleo del planificador"
