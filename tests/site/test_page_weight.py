"""Mermaid (3.5 MB) is shipped only to pages that draw a diagram; the search dialog has a Spanish name."""

from __future__ import annotations

from pathlib import Path


def test_mermaid_script_only_on_pages_with_diagrams(built_site: Path) -> None:
    with_diagram = without = 0
    for page in sorted(built_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        has_diagram = 'class="mermaid"' in html
        loads_mermaid = "javascripts/mermaid.min.js" in html
        assert loads_mermaid == has_diagram, page.relative_to(built_site)
        with_diagram += has_diagram
        without += not has_diagram
    assert with_diagram >= 3 and without >= 3  # both kinds exist, so the check above means something


def test_search_dialog_has_an_accessible_name(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label="Búsqueda">' in html
