"""The «De kubectl apply a un contenedor» walkthrough, read from the BUILT site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.built_html import fence_body, list_items, mermaid_sources, read_page, render_markdown

from k8sdocs.content import walkthrough

ARGS = ("despliegue-basico.yaml", "nginx")


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "recorridos/de-kubectl-apply-a-contenedor")


def test_both_halves_of_the_diagram(page, book):
    expected = [fence_body(walkthrough.apply_diagram(book, *ARGS, parte=p)) for p in walkthrough.PARTS]
    assert mermaid_sources(page) == expected


def test_numbered_explanation_matches_the_diagram(page, book):
    expected_items = list_items(render_markdown(walkthrough.apply_explanation(book, *ARGS)))
    body = page.split('id="paso-a-paso"', 1)[1]
    ol = body.split("<ol>", 1)[1].split("</ol>", 1)[0]
    items = list_items(ol)
    assert items == expected_items
    arrows = sum(len(re.findall(r"-{1,2}>>", m)) for m in mermaid_sources(page))
    assert len(items) == arrows


def test_follows_one_replica(page, book):
    pod = re.sub(r"<[^>]+>", "", walkthrough.apply_pod(book, *ARGS))
    assert pod.startswith("nginx-")
    for source in mermaid_sources(page):
        pods = set(re.findall(r"nginx-[a-z0-9]+-[a-z0-9]{5}", source))
        assert pods <= {pod}
