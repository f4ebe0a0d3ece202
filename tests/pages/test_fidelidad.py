"""The fidelity page, read from the BUILT site: its numbers are the runner's over tests/fidelity."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from k8sdocs.content import fidelity
from k8sdocs.fidelity.runner import main
from support.built_html import find_table, md_table, read_page, text_of

ROOT = Path(__file__).resolve().parents[2]
CASES = "tests/fidelity"


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "fidelidad")


@pytest.fixture(scope="module")
def in_root():
    """The page's macros read tests/fidelity relative to the working directory, as mkdocs (run from the root) does."""
    import os

    old = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(old)


def test_summary_is_the_runner_summary(page, book, in_root):
    out = io.StringIO()
    main([CASES], out)
    last = out.getvalue().strip().splitlines()[-1]
    text = text_of(page)
    assert f"su última línea: {last}." in text
    passed, failed, skipped = (int(last.split()[i]) for i in (0, 2, 4))
    assert f"{passed + failed + skipped} casos: {passed} pasan" in text


@pytest.mark.parametrize("make", [fidelity.by_file_table, fidelity.by_plugin_table, fidelity.not_passing_table],
                         ids=["por-archivo", "por-plugin", "no-pasan"])
def test_tables_equal_the_model(page, book, in_root, make):
    expected = md_table(make(book, CASES))
    assert find_table(page, expected) == expected


def test_simplifications_table(page, book):
    expected = md_table(fidelity.simplifications_table(book))
    table = find_table(page, expected)
    assert table == expected
    assert any(row[0] == "k8sdocs/model/kubelet/__init__.py" for row in table[1:])
    assert f"({len(expected) - 1} notas)" in text_of(page)


def test_target_and_scope(page):
    text = text_of(page)
    assert "Kubernetes v1.35" in text
    for out_of_scope in ("volúmenes", "DRA", "IPv6"):
        assert out_of_scope in text
