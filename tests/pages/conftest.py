"""Fixtures of the page tests (the built site itself comes from tests/conftest.py's ``built_site``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content.book import ExampleBook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    """The example book the site's macros read (docs/ and its scenarios), one per test module as before."""
    return ExampleBook(ROOT / "docs")
