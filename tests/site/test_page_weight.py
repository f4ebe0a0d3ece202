"""No diagram JavaScript: pages with diagrams load the same scripts as pages without; the search dialog has a
Spanish name."""

from __future__ import annotations

import re
from pathlib import Path

from support.built_html import resources


def _scripts(html: str) -> list[str]:
    """Script files a page loads, relative to the site root (404.html uses absolute URLs)."""
    return [re.sub(r"^https?://[^/]+/", "", re.sub(r"^(?:\.\./|/)*", "", src))
            for kind, src in resources(html) if kind == "script[src]"]


def test_pages_with_diagrams_load_no_extra_script(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    plain = _scripts((built_site / "index.html").read_text(encoding="utf-8"))
    assert plain and not any("mermaid" in s for s in plain)
    with_diagram = [p for p in pages if '<figure class="k8s-diagram">' in p.read_text(encoding="utf-8")]
    assert len(with_diagram) >= 7
    widget = [p for p in pages if 'class="k8s-playground' in p.read_text(encoding="utf-8")]
    assert widget, "no page carries the playground widget"
    for page in pages:
        # the playground's small loader is the one extra script, only where its widget is (Pyodide loads on click)
        extra = ["javascripts/playground.js"] if page in widget else []
        assert _scripts(page.read_text(encoding="utf-8")) == plain + extra, page.relative_to(built_site)


def test_diagram_pages_weigh_like_text(built_site: Path) -> None:
    """The heaviest page with diagrams stays under 200 KB of HTML (the inline SVG is text, ~5-25 KB each)."""
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if '<figure class="k8s-diagram">' in html:
            assert len(html.encode("utf-8")) < 200_000, page.relative_to(built_site)


def test_search_dialog_has_a_spanish_name(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label="Búsqueda">' in html
