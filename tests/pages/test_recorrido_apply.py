"""The «De kubectl apply a un contenedor» walkthrough, read from the BUILT site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from k8sdocs.content import walkthrough
from support.built_html import (
    diagram_numbers,
    diagram_participants,
    diagram_texts,
    diagrams,
    list_items,
    read_page,
    render_markdown,
    soup,
)

ARGS = ("despliegue-basico.yaml", "nginx")


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "recorridos/de-kubectl-apply-a-contenedor")


def test_both_halves_of_the_diagram(page, book):
    expected = [svg for p in walkthrough.PARTS for svg in diagrams(walkthrough.apply_diagram(book, *ARGS, parte=p))]
    assert diagrams(page) == expected
    assert all(len(diagram_participants(svg)) <= 6 for svg in expected)


def test_numbered_explanation_matches_the_diagram(page, book):
    expected_items = list_items(render_markdown(walkthrough.apply_explanation(book, *ARGS)))
    ol = soup(page).find(id="paso-a-paso").find_next("ol")  # the numbered list under the «Paso a paso» heading
    items = list_items(ol)
    assert items == expected_items
    numbers = [n for svg in diagrams(page) for n in diagram_numbers(svg)]
    assert numbers == list(range(1, len(items) + 1))  # the list's items are the pictures' numbers, in step


def test_follows_one_replica(page, book):
    pod = re.sub(r"<[^>]+>", "", walkthrough.apply_pod(book, *ARGS))
    assert pod.startswith("nginx-")
    for svg in diagrams(page):
        pods = set(re.findall(r"nginx-[a-z0-9]+-[a-z0-9]{5}", " ".join(diagram_texts(svg))))
        assert pods <= {pod}
