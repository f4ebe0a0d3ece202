"""Content of the high-availability page: rows grouped from the model's steps, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import leaderelection
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, ExpectationError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


def test_rows_cover_every_step_once(book):
    run = leaderelection.failover(book)
    rows = leaderelection.timeline_rows(run)
    grouped = [s for r in rows for s in r.steps]
    assert len(grouped) == len(run.steps) and set(grouped) == set(run.steps)
    assert [s for r in rows for s in r.steps if s.action == "crash"] == [run.first_step(run.first, "crash")]
    times = [r.first.time_ms for r in rows]
    assert times == sorted(times)


def test_expectation_and_unknown_value(book):
    with pytest.raises(ExpectationError):
        leaderelection.timeline_table(book, espera_toma="35 s")
    with pytest.raises(ContentError):
        leaderelection.value(book, "nada")
