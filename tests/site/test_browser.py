"""What a reader's browser does with the built site: headless Debian Chromium via Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MERMAID_PAGE = """# Diagrama

```mermaid
flowchart LR
  s[kube-scheduler] --> a[kube-apiserver]
  a --> e[(etcd)]
```
"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/arquitectura/"])
def test_pages_load_offline_without_errors(built_site: Path, open_site, path: str, color_scheme: str) -> None:
    visit = open_site(built_site, color_scheme)
    visit.page.goto(visit.base_url + path, wait_until="networkidle")
    assert visit.external_requests == []
    assert visit.page_errors == []
    scheme = visit.page.get_attribute("body", "data-md-color-scheme")
    assert scheme == ("slate" if color_scheme == "dark" else "default")


def test_figure_and_nota_are_displayed(built_site: Path, open_site) -> None:
    visit = open_site(built_site)
    visit.page.goto(visit.base_url + "/arquitectura/", wait_until="networkidle")
    figure = visit.page.locator("article img[src$='03-arquitectura-general.svg']")
    assert figure.evaluate("img => img.complete && img.naturalWidth") == 1000
    assert figure.bounding_box()["height"] > 300
    assert visit.page.locator(".admonition.note > .admonition-title").inner_text() == "Nota"


def test_spanish_search_finds_the_architecture_page(built_site: Path, open_site) -> None:
    visit = open_site(built_site)
    page = visit.page
    page.goto(visit.base_url + "/", wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("planificador", delay=20)
    results = page.locator(".md-search-result__item a[href*='arquitectura']")
    results.first.wait_for(timeout=10_000)
    assert "documento" in page.locator(".md-search-result__meta").inner_text()
    assert visit.external_requests == []


def test_mermaid_renders_from_the_vendored_bundle(project_copy, open_site) -> None:
    project_copy.add_page("diagrama.md", MERMAID_PAGE, "Diagrama")
    result, site = project_copy.build()
    assert result.returncode == 0, result.stderr
    visit = open_site(site)
    visit.page.goto(visit.base_url + "/diagrama/", wait_until="networkidle")
    diagram = visit.page.locator("div.mermaid")
    diagram.wait_for(timeout=15_000)
    assert diagram.bounding_box()["height"] > 50
    assert visit.external_requests == []  # Material would ask unpkg.com without the bundle
    assert visit.page_errors == []
