"""Upstream table-test cases that tests/fidelity does not carry (tests/scheduler/upstream_cases/*.yaml, one file per
upstream test file, same format), run through the documented runner ``python -m k8sdocs.fidelity PATH``.

They live outside tests/scheduler/cases because tests/test_fidelity.py pins the case count of that folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM_CASES = ROOT / "tests" / "scheduler" / "upstream_cases"


def _cases() -> list[dict]:
    out: list[dict] = []
    for path in sorted(UPSTREAM_CASES.glob("*.yaml")):
        out.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def test_every_upstream_case_passes() -> None:
    proc = subprocess.run([sys.executable, "-m", "k8sdocs.fidelity", str(UPSTREAM_CASES)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    lines = proc.stdout.splitlines()
    assert [line for line in lines if not line.startswith("PASS")][:-1] == []
    assert lines[-1] == f"{len(_cases())} passed, 0 failed, 0 skipped"
    assert proc.returncode == 0


def test_every_case_cites_an_upstream_test() -> None:
    for case in _cases():
        assert case["source"].startswith("kubernetes/kubernetes "), case["id"]
        assert "_test.go" in case["source"], case["id"]


def test_case_ids_are_unique_and_not_in_the_fidelity_copy() -> None:
    ids = [c["id"] for c in _cases()]
    assert len(ids) == len(set(ids))
    visible: set[str] = set()
    for path in (ROOT / "tests" / "fidelity" / "scheduler").glob("*.yaml"):
        visible.update(c["id"] for c in yaml.safe_load(path.read_text(encoding="utf-8")))
    assert visible.isdisjoint(ids)
