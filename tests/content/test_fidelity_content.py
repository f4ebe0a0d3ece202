"""The fidelity page content: per-file and per-plugin results of the runner, and the model's simplifications."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from k8sdocs.content import fidelity
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, ExpectationError
from k8sdocs.fidelity.runner import main

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "fidelity"


@pytest.fixture(scope="module")
def results():
    return fidelity.run_fidelity("tests/fidelity", ROOT)


def test_counts_equal_the_runner_summary(results):
    out = io.StringIO()
    main([str(CASES)], out)
    summary = out.getvalue().strip().splitlines()[-1]
    passed = sum(r.outcome == "PASS" for r in results)
    failed = sum(r.outcome == "FAIL" for r in results)
    skipped = sum(r.outcome == "SKIP" for r in results)
    assert summary == f"{passed} passed, {failed} failed, {skipped} skipped"
    lines = out.getvalue().strip().splitlines()[:-1]
    assert [ln.split(" ", 2)[1].rstrip(":") for ln in lines] == [r.case_id for r in results]


def test_every_case_of_every_file_is_counted(results):
    total = 0
    for path in sorted(CASES.rglob("*.yaml")):
        total += len(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert len(results) == total
    assert {r.file for r in results} == {p.relative_to(CASES).as_posix() for p in CASES.rglob("*.yaml")}


def test_groups_come_from_the_cases(results):
    by_id = {r.case_id: r for r in results}
    assert by_id["fit-01"].group == "NodeResourcesFit" and by_id["fit-01"].extension_point == "PreFilter+Filter"
    assert by_id["kp-01"].group == fidelity.KUBE_PROXY_GROUP
    assert by_id["normalize-00"].group == fidelity.CORE_GROUP
    skips = [r for r in results if r.outcome == "SKIP"]
    assert skips and all(r.detail.startswith("incomplete: ") for r in skips)


def test_missing_folder_fails_clearly(tmp_path):
    (tmp_path / "tests" / "vacia").mkdir(parents=True)
    with pytest.raises(ContentError, match="raíz del repositorio"):
        fidelity.run_fidelity("tests/no-existe", tmp_path)
    with pytest.raises(ContentError, match="no tiene archivos de casos"):
        fidelity.run_fidelity("tests/vacia", tmp_path)


@pytest.mark.parametrize("ruta", ["/etc", "/proc/self", "../..", "tests/../docs", "docs"])
def test_case_folders_stay_inside_tests(tmp_path, ruta):
    """Issue 15, item 1: a page cannot point the fidelity macros at a folder of the build machine."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "docs").mkdir()
    with pytest.raises(ContentError, match=r"ruta=.*(must be relative|leads outside)"):
        fidelity.run_fidelity(ruta, tmp_path)


def test_a_symlinked_case_folder_leading_out_is_refused(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "fuera").mkdir()
    (tmp_path / "tests" / "enlace").symlink_to(tmp_path / "fuera", target_is_directory=True)
    with pytest.raises(ContentError, match="leads outside"):
        fidelity.run_fidelity("tests/enlace", tmp_path)


def test_a_failing_case_shows_up(tmp_path):
    case = {"id": "roto-1", "plugin": "NodeResourcesFit", "extension_point": "Score", "expected": {"algo": 1}}
    (tmp_path / "tests" / "casos").mkdir(parents=True)
    (tmp_path / "tests" / "casos" / "roto.yaml").write_text(yaml.safe_dump([case]))
    (out,) = fidelity.run_fidelity("tests/casos", tmp_path)
    assert (out.case_id, out.outcome, out.file) == ("roto-1", "FAIL", "roto.yaml")
    book = ExampleBook(tmp_path / "docs")
    sentence = fidelity.summary_sentence(book, "tests/casos")
    assert sentence.startswith("**1 caso**: **0 pasan** (0,0 %), **1 falla** y **0 se omiten**.")
    with pytest.raises(ExpectationError):
        fidelity.summary_sentence(book, "tests/casos", espera_fallos=0)
    assert "<code>roto-1</code>" in fidelity.not_passing_table(book, "tests/casos")


def test_a_duplicate_key_case_is_a_failure_on_the_page(tmp_path):
    """Issue 15, item 7: ``expected:`` written twice must not count as passing (the page uses the runner's loader)."""
    folder = tmp_path / "tests" / "casos"
    folder.mkdir(parents=True)
    good = (CASES / "scheduler" / "least_allocated.yaml").read_text(encoding="utf-8")
    first_case_end = good.index("\n- ", good.index("\n- ") + 1)
    (folder / "dup.yaml").write_text(good[:first_case_end] + "\n  expected: {}\n", encoding="utf-8")
    (out,) = fidelity.run_fidelity("tests/casos", tmp_path)
    assert out.outcome == "FAIL" and "already set in map" in out.detail, out


def test_simplifications_are_collected_from_the_model():
    items = fidelity.model_simplifications()
    modules = {s.module for s in items}
    assert {"k8sdocs/model/kubelet/__init__.py", "k8sdocs/model/runtime.py", "k8sdocs/model/apiserver/server.py",
            "k8sdocs/model/controllers/nodelifecycle.py"} <= modules
    assert all(s.text.startswith(("Simplification", "Out of scope")) for s in items)
    runtime = next(s for s in items if s.module == "k8sdocs/model/runtime.py")
    assert "•" in runtime.text  # the bullet list after "Simplifications (documented for readers):"


def test_rst_literals_become_code():
    assert fidelity.rst_to_markdown("uses ``x_y`` and :data:`LATENCY_MS`.") == \
        "uses <code>x&#95;y</code> and <code>LATENCY&#95;MS</code>."


def test_the_statement_walk_finds_the_defs_in_ast_walks_order() -> None:
    """model_simplifications walks statements only (issue 12: half the cost); every class and def of the project and
    of the standard library's ast/typing/dataclasses modules comes in ast.walk's order."""
    import ast
    import dataclasses
    import typing

    from k8sdocs.content.fidelity import _statements

    defs = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    root = Path(__file__).resolve().parents[2]
    paths = sorted((root / "k8sdocs").rglob("*.py")) + [Path(m.__file__ or "") for m in (ast, dataclasses, typing)]
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert [n for n in _statements(tree) if isinstance(n, defs)] == [n for n in ast.walk(tree) if isinstance(n, defs)]
