"""The fidelity runner over the project's copy of the upstream cases (tests/fidelity), run as a subprocess exactly as
documented: ``python -m k8sdocs.fidelity tests/fidelity``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fidelity"


def _run(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "k8sdocs.fidelity", *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def test_runner_passes_every_case():
    """The plain documented run over the project's copy: 0 failed, exit code 0."""
    proc = _run(CASES)
    lines = proc.stdout.splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    assert failed == [], "\n".join(failed)
    assert proc.returncode == 0
    summary = lines[-1]
    passed, failed_n, skipped = (int(part.split()[0]) for part in summary.split(", "))
    assert failed_n == 0
    assert passed >= 150  # every visible scheduler and kube-proxy case runs for real
    assert skipped == sum(line.startswith("SKIP") for line in lines)


def test_input_less_cases_run_on_a_witness_cluster():
    """The end-to-end cases that carry no nodes/pod (msg-16, msg-17 and any such case) are checked on a witness
    cluster built from their message (k8sdocs/fidelity/witness.py), so they PASS on the plain run."""
    proc = _run(CASES)
    without_inputs = sorted(
        case["id"]
        for path in sorted((CASES / "scheduler").glob("*.yaml"))
        for case in yaml.safe_load(path.read_text())
        if case.get("plugin") == "scheduler" and "nodes" not in case and "pod" not in case
    )
    assert {"msg-16", "msg-17"} <= set(without_inputs)
    passed = {line.removeprefix("PASS ") for line in proc.stdout.splitlines() if line.startswith("PASS ")}
    assert set(without_inputs) <= passed


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
    # 10 extra cases + 8 for the three v1.35 fidelity bugs (upstream_v135_fidelity_bugs.yaml)
    assert proc.stdout.splitlines()[-1] == "18 passed, 0 failed, 0 skipped"
