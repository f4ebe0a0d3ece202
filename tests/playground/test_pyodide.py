"""The model under the Pyodide the site ships, on Node: a Python-version difference cannot drift silently.

The browser runs CPython 3.14 compiled to WebAssembly (node_modules/pyodide, pinned in package.json); the build
and the rest of the suite run the venv's CPython. Here pyodide_node.mjs loads that Pyodide in Node with the very
bundle the site publishes (k8sdocs/playground.py) first on sys.path, and

* runs a chosen part of the model's test suite (everything that needs neither processes, Hypothesis's native
  module, the fidelity runner nor jsonschema);
* runs every widget's starting manifests and the edits of tests/support/playground_cases.py and compares the
  answers, byte for byte, with CPython's.

Node is the npm client's runtime (Debian's nodejs package, which .ci/run installs with npm).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

from k8sdocs.content.playground import browser_report
from k8sdocs.playground import bundle_zip
from support.playground_cases import edited_cases, start, widget_cases

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("pyodide_node.mjs")
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
NODE = shutil.which("node")

# Test folders of the model and what in them cannot run under Pyodide (and why).
SUITE = ["tests/apiserver", "tests/manifests", "tests/scheduler", "tests/scheduler_advanced", "tests/cluster",
         "tests/controllers", "tests/kubelet", "tests/kube_proxy"]
NOT_UNDER_PYODIDE = [
    "tests/scheduler/test_properties.py", "tests/apiserver/test_properties.py", "tests/cluster/test_properties.py",
    "tests/controllers/test_workload_controllers.py",  # Hypothesis needs its native module
    "tests/scheduler/test_bench_smoke.py", "tests/scheduler/test_upstream_cases.py",  # start processes
    "tests/kube_proxy/test_fidelity_runner.py", "tests/kube_proxy/test_sync.py",  # k8sdocs.fidelity: not bundled
    "tests/scheduler_advanced/test_defaultpreemption.py",  # runs its cases through k8sdocs.fidelity: not bundled
]
NOT_UNDER_PYODIDE_K = "not across_processes and not hash_randomization and not validate_against_v1_35_schema"
MIN_PASSED = 900  # the suite above has ~914 tests: a collection that silently shrinks fails here


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs node (Debian's nodejs, installed with npm) to run the model under Pyodide")
        pytest.skip("node is not installed")
    if not (ROOT / "node_modules/pyodide/pyodide.mjs").is_file():
        pytest.fail("node_modules/pyodide is missing: run `make deps` (npm ci)")
    path = tmp_path_factory.mktemp("pyodide") / "k8sdocs-playground.zip"
    path.write_bytes(bundle_zip())
    return path


def run_node(bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NODE or "node", str(RUNNER), str(ROOT), str(bundle), str(SITE_PACKAGES), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_model_suite_passes_under_pyodide(bundle: Path) -> None:
    ignores = [f"--ignore={p}" for p in NOT_UNDER_PYODIDE]
    proc = run_node(bundle, "pytest", "-q", "-p", "no:warnings", *SUITE, *ignores, "-k", NOT_UNDER_PYODIDE_K)
    tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
    assert proc.returncode == 0, tail
    assert re.search(r"^python 3\.14\.\d+ k8sdocs from /bundle/k8sdocs$", proc.stdout, re.M), tail
    passed = re.search(r"(\d+) passed", proc.stdout)
    assert passed and int(passed.group(1)) >= MIN_PASSED, tail


def test_playground_answers_equal_cpythons(bundle: Path, tmp_path: Path) -> None:
    inputs = [start(e, p) for e, p in widget_cases()] + list(edited_cases().values())
    cases = [{"nodes": i.nodes, "pod": i.pod, "seed": i.seed, "until_ms": i.until_ms} for i in inputs]
    file = tmp_path / "cases.json"
    file.write_text(json.dumps(cases), encoding="utf-8")
    proc = run_node(bundle, "cases", str(file))
    assert proc.returncode == 0, proc.stderr[-3000:]
    under_pyodide = json.loads(proc.stdout.strip().splitlines()[-1])
    expected = [browser_report(c["nodes"], c["pod"], c["seed"], c["until_ms"]) for c in cases]
    assert len(under_pyodide) == len(expected) >= 14
    for got, want in zip(under_pyodide, expected):
        assert got == want
    assert sum(not r["ok"] for r in expected) >= 4  # the error lines are compared too
