"""The fidelity runner over the project's copy of the upstream cases (tests/fidelity), run as a subprocess exactly as
documented: ``python -m k8sdocs.fidelity tests/fidelity``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fidelity"

# msg-16 / msg-17 (fit_error_messages.yaml) are derived end-to-end messages whose inputs are described only in prose
# (`derivation`, `observed_in_the_wild`). These are the clusters that prose describes; the runner needs them to run
# a real scheduling cycle (it reports such a case as FAIL without them).
_NODE = {"apiVersion": "v1", "kind": "Node", "spec": {}, "status": {"allocatable": {"cpu": "6", "memory": "16Gi", "pods": "110"}}}
_DERIVED_INPUTS = {
    "msg-16": {  # "pod requesting cpu '512' on a 6-cpu node"
        "nodes": [{**_NODE, "metadata": {"name": "node-1"}}],
        "pod": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "big", "namespace": "default"},
                "spec": {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "512"}}}]}},
    },
    "msg-17": {  # tainted control plane + two nodes without the selected label
        "nodes": [
            {**_NODE, "metadata": {"name": "control-plane"},
             "spec": {"taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]}},
            {**_NODE, "metadata": {"name": "worker-1"}},
            {**_NODE, "metadata": {"name": "worker-2"}},
        ],
        "pod": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
                "spec": {"nodeSelector": {"disktype": "ssd"}, "containers": [{"name": "c", "image": "nginx"}]}},
    },
}


def _run(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "k8sdocs.fidelity", *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def _with_derived_inputs(tmp_path: Path) -> Path:
    copy = tmp_path / "fidelity"
    shutil.copytree(CASES, copy)
    path = copy / "scheduler" / "fit_error_messages.yaml"
    cases = yaml.safe_load(path.read_text())
    for case in cases:
        case.update(_DERIVED_INPUTS.get(case["id"], {}))
    path.write_text(yaml.safe_dump(cases, sort_keys=False))
    return copy


def test_runner_passes_every_case(tmp_path):
    proc = _run(_with_derived_inputs(tmp_path))
    lines = proc.stdout.splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert failed == [], "\n".join(failed)
    assert proc.returncode == 0
    summary = lines[-1]
    passed, failed_n, skipped = (int(part.split()[0]) for part in summary.split(", "))
    assert failed_n == 0
    assert passed >= 150  # every visible scheduler and kube-proxy case runs for real
    assert skipped == sum(line.startswith("SKIP") for line in lines)


def test_plain_run_fails_only_cases_that_have_no_inputs():
    """``python -m k8sdocs.fidelity tests/fidelity`` as is: the only FAILs are end-to-end cases that carry no
    nodes/pod (they cannot be run, so they are not passed), and the exit code says so."""
    proc = _run(CASES)
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAIL")]
    without_inputs = sorted(
        case["id"]
        for path in sorted((CASES / "scheduler").glob("*.yaml"))
        for case in yaml.safe_load(path.read_text())
        if case.get("plugin") == "scheduler" and not ("nodes" in case and "pod" in case)
    )
    assert [line.split(":")[0].removeprefix("FAIL ") for line in failed] == without_inputs
    assert all(line.endswith("an end-to-end scheduler case needs 'nodes' and 'pod' to run (none given)") for line in failed)
    assert proc.returncode == (1 if failed else 0)


def test_unknown_case_shape_is_fail_and_exit_non_zero(tmp_path):
    f = tmp_path / "odd.yaml"
    f.write_text(yaml.safe_dump([
        {"id": "odd-1", "name": "neither plugin nor function", "expected": {"message": "x"}},
        {"id": "odd-2", "plugin": "TaintToleration", "extension_point": "Filter", "nodes": [], "pod": {},
         "expected": {"status": "Success"}, "surprise_key": 1},
    ]))
    proc = _run(f)
    assert proc.stdout.splitlines() == [
        "FAIL odd-1: unknown case shape: no 'plugin'/'extension_point' and no 'function'",
        "FAIL odd-2: unknown case key(s) ['surprise_key']",
        "0 passed, 2 failed, 0 skipped",
    ]
    assert proc.returncode == 1


def test_incomplete_case_is_skip(tmp_path):
    f = tmp_path / "inc.yaml"
    f.write_text(yaml.safe_dump([{"id": "inc-1", "plugin": "X", "extension_point": "Score", "incomplete": True,
                                  "incomplete_reason": "needs DRA", "expected": {"scores": []}}]))
    proc = _run(f)
    assert proc.stdout.splitlines() == ["SKIP inc-1: incomplete: needs DRA", "0 passed, 0 failed, 1 skipped"]
    assert proc.returncode == 0


def test_wrong_expectation_fails_with_expected_vs_got(tmp_path):
    case = yaml.safe_load((CASES / "scheduler" / "least_allocated.yaml").read_text())[1]
    case["expected"]["scores"][0]["score"] += 1
    f = tmp_path / "wrong.yaml"
    f.write_text(yaml.safe_dump([case]))
    proc = _run(f)
    assert proc.stdout.startswith(f"FAIL {case['id']}: scores: expected ")
    assert " vs got " in proc.stdout
    assert proc.returncode == 1


def test_project_extra_cases_pass():
    """tests/scheduler/cases: cases in the same format for plugins and paths the upstream copy does not cover."""
    proc = _run(ROOT / "tests" / "scheduler" / "cases")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines()[-1] == "9 passed, 0 failed, 0 skipped"
