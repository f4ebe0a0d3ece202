"""The container-runtime page, read from the BUILT site: the CRI sequence and the image comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import runtime
from support.built_html import diagrams, find_table, md_table, read_page, text_of

SCENARIO = "nodo-imagen.yaml"


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "nodos/entorno-de-ejecucion")


def test_sequence_diagram_equals_the_model(page, book):
    expected = diagrams(runtime.sequence(book, SCENARIO, pod="web-descarga"))
    assert diagrams(page) == expected and len(expected) == 1


def test_image_comparison_table(page, book):
    expected = md_table(runtime.image_comparison(book, SCENARIO, "web-presente, web-descarga"))
    table = find_table(page, expected)
    assert table == expected
    assert [(row[0], row[2], row[3]) for row in table[1:]] == [("web-presente", "sí", "no"), ("web-descarga", "no", "sí")]


def test_pull_time_sentence(page, book):
    pull = runtime.pull_time(book, SCENARIO, "web-descarga")
    assert f"la descarga simulada tarda {pull}" in text_of(page)
    assert "Imagen presente o descargada" in text_of(page)
