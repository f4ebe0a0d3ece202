"""What a reader's browser does with the built site: headless Debian Chromium via Playwright."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json, installed by npm ci
# axe-core's WCAG 2.0/2.1 level A and AA rules (axe-core doc/API.md, "runOnly" tags).
AXE_RUN = """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}))
    .violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""



@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/arquitectura/"])
def test_pages_load_offline_without_errors_or_wcag_violations(
    built_site: Path, open_site, path: str, color_scheme: str
) -> None:
    visit = open_site(built_site, color_scheme)
    visit.page.goto(visit.base_url + path, wait_until="networkidle")
    assert visit.external_requests == []
    assert visit.page_errors == []
    scheme = visit.page.get_attribute("body", "data-md-color-scheme")
    assert scheme == ("slate" if color_scheme == "dark" else "default")
    visit.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    assert visit.page.evaluate(AXE_RUN) == []


def test_figure_and_nota_are_displayed(built_site: Path, open_site) -> None:
    visit = open_site(built_site)
    visit.page.goto(visit.base_url + "/arquitectura/", wait_until="networkidle")
    figure = visit.page.locator("article img[src$='03-arquitectura-general.svg']")
    assert figure.evaluate("img => img.complete && img.naturalWidth") == 1000
    assert figure.bounding_box()["height"] > 300
    assert visit.page.locator(".admonition.note > .admonition-title").inner_text() == "Nota"


def test_spanish_search_finds_pages(built_site: Path, open_site) -> None:
    visit = open_site(built_site)
    page = visit.page
    page.goto(visit.base_url + "/", wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("planificador", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    # Material's Spanish strings (partials/languages/es.html): "1 documento encontrado" / "# documentos encontrados"
    assert re.fullmatch(r"\d+ documentos? encontrados?", page.locator(".md-search-result__meta").inner_text().strip())
    assert visit.external_requests == []


def test_mermaid_renders_from_the_vendored_bundle(extended_copy, open_site) -> None:
    _, result, site = extended_copy
    assert result.returncode == 0, result.stderr
    visit = open_site(site)
    visit.page.goto(visit.base_url + "/diagrama/", wait_until="networkidle")
    diagram = visit.page.locator("div.mermaid")
    diagram.wait_for(timeout=15_000)
    assert diagram.bounding_box()["height"] > 50
    assert visit.external_requests == []  # Material would ask unpkg.com without the bundle
    assert visit.page_errors == []
