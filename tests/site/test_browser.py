"""What a reader's browser does with the built site: headless Debian Chromium via Playwright.

Every page of the nav (read from mkdocs.yml, cross-checked against the built site) is opened in a
light and in a dark context: no console error, no request leaving the served origin, every Mermaid
diagram drawn, 0 axe-core WCAG A/AA violations. Then Spanish search and the palette toggle.
Fixtures (one browser, one served site, one context per theme): tests/site/conftest.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json, installed by npm ci
# axe-core's WCAG 2.0/2.1 level A and AA rules (axe-core doc/API.md, "runOnly" tags).
AXE_RUN = """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}))
    .violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
THEMES = ("light", "dark")
SCHEME_OF_THEME = {"light": "default", "dark": "slate"}  # mkdocs.yml theme.palette, by system preference
DIAGRAM_TIMEOUT_MS = 20_000


# --- the pages: mkdocs.yml nav, plus the 404 page Material always writes -------------------------


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (!ENV, !!python/name:...)."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def nav_files(nav: Any) -> list[str]:
    """The Markdown files of a mkdocs.yml ``nav:``, in order (sections flattened, URLs left out)."""
    if isinstance(nav, str):
        return [] if "://" in nav else [nav]
    if isinstance(nav, list):
        return [name for entry in nav for name in nav_files(entry)]
    if isinstance(nav, dict):
        return [name for value in nav.values() for name in nav_files(value)]
    return []


def page_url(markdown_file: str) -> str:
    """The served path of a docs/ file with MkDocs' default use_directory_urls: a/b.md -> /a/b/."""
    stem = markdown_file.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    return "/" + (stem + "/" if stem and not stem.endswith("/") else stem)


CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
NAV_PAGES = [page_url(name) for name in nav_files(CONFIG["nav"])]
PAGES = NAV_PAGES + ["/404.html"]  # Material's 404 page is outside the nav but served to readers


def test_nav_and_pages_agree_with_the_built_site(built_site: Path) -> None:
    """The list the browser tests walk is the built site's: its nav, and every HTML file it holds."""
    assert {"/", "/arquitectura/", "/plano-de-control/kube-scheduler/"} <= set(NAV_PAGES)
    assert len(NAV_PAGES) == len(set(NAV_PAGES))
    built = sorted(
        "/" + str(path.relative_to(built_site)).removesuffix("index.html") for path in built_site.rglob("*.html")
    )
    assert built == sorted(PAGES)
    parser = _NavLinks()
    parser.feed((built_site / "index.html").read_text(encoding="utf-8"))
    assert parser.links == NAV_PAGES


class _NavLinks(HTMLParser):
    """Page links of Material's primary nav (``nav.md-nav--primary``) on the home page, as site paths."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._depth = 0  # > 0 inside the primary nav

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "nav":
            if self._depth or "md-nav--primary" in a.get("class", "").split():
                self._depth += 1
        elif self._depth and tag == "a" and "md-nav__link" in a.get("class", "").split():
            href = a.get("href", "")
            if href and not href.startswith("#"):
                path = urlparse(urljoin("http://127.0.0.1/", href)).path  # home page: href "." -> "/"
                if path not in self.links:
                    self.links.append(path)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._depth:
            self._depth -= 1


# --- Mermaid: what Material draws inside each div.mermaid's closed shadow root ---------------------


class _MermaidFences(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre" and "mermaid" in (dict(attrs).get("class") or "").split():
            self.count += 1


def mermaid_fences(html: str) -> int:
    """How many ```mermaid fences the page's HTML has (superfences writes each as <pre class="mermaid">)."""
    parser = _MermaidFences()
    parser.feed(html)
    return parser.count


@dataclass(frozen=True)
class Diagram:
    """One rendered div.mermaid: its box on the page and the SVG in its shadow root (if any)."""

    width: float
    height: float
    svg_width: float
    svg_height: float
    role: str  # the SVG's aria-roledescription: "flowchart-v2", "sequence"... or "error"
    text: str  # the SVG's markup

    def problem(self) -> str | None:
        if not self.text:
            return "no SVG in the div.mermaid"
        if min(self.width, self.height, self.svg_width, self.svg_height) <= 0:
            return f"zero-size diagram ({self.width}x{self.height}, svg {self.svg_width}x{self.svg_height})"
        if self.role == "error" or "Syntax error" in self.text:  # Mermaid's error drawing
            return f"Mermaid drew an error ({self.role})"
        return None


def _attributes(node: dict[str, Any]) -> dict[str, str]:
    values = node.get("attributes", [])
    return dict(zip(values[::2], values[1::2]))


def _walk(node: dict[str, Any], found: list[dict[str, Any]]) -> None:
    if node.get("nodeName") == "DIV" and "mermaid" in _attributes(node).get("class", "").split():
        found.append(node)
    for child in node.get("children", []) + node.get("shadowRoots", []):
        _walk(child, found)


def rendered_diagrams(page: Any) -> list[Diagram]:
    """Every div.mermaid in document order, looking into closed shadow roots through the DevTools protocol
    (DOM.getDocument with pierce: true), which page scripts and CSS selectors cannot."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        divs: list[dict[str, Any]] = []
        _walk(root, divs)
        diagrams = []
        for div in divs:
            box = cdp.send("DOM.getBoxModel", {"nodeId": div["nodeId"]})["model"]
            svgs = [c for shadow in div.get("shadowRoots", []) for c in shadow.get("children", []) if c["nodeName"] == "svg"]
            if svgs:
                svg_box = cdp.send("DOM.getBoxModel", {"nodeId": svgs[0]["nodeId"]})["model"]
                markup = cdp.send("DOM.getOuterHTML", {"nodeId": svgs[0]["nodeId"]})["outerHTML"]
                role = _attributes(svgs[0]).get("aria-roledescription", "")
                diagrams.append(Diagram(box["width"], box["height"], svg_box["width"], svg_box["height"], role, markup))
            else:
                diagrams.append(Diagram(box["width"], box["height"], 0, 0, "", ""))
        return diagrams
    finally:
        cdp.detach()


def diagram_problems(page: Any, fences: int, timeout_ms: int = DIAGRAM_TIMEOUT_MS) -> list[str]:
    """Wait until Material has replaced every pre.mermaid, then check what it drew (empty: all good)."""
    page.evaluate("document.querySelectorAll('details:not([open])').forEach(d => d.open = true)")
    if fences:
        try:
            page.wait_for_function(
                "n => document.querySelectorAll('pre.mermaid').length === 0"
                " && document.querySelectorAll('div.mermaid').length >= n",
                arg=fences,
                timeout=timeout_ms,
            )
        except Exception:  # noqa: BLE001 - reported below with what the page shows
            pass
    problems = []
    left = page.locator("pre.mermaid").count()
    if left:
        problems.append(f"{left} pre.mermaid left unrendered")
    diagrams = rendered_diagrams(page)
    if len(diagrams) != fences:
        problems.append(f"{len(diagrams)} diagrams drawn for {fences} mermaid fences")
    for index, locator in enumerate(page.locator("div.mermaid").all()):
        box = locator.bounding_box()
        if box is None or box["width"] <= 0 or box["height"] <= 0:
            problems.append(f"diagram {index + 1}: div.mermaid bounding box {box}")
    problems += [f"diagram {i + 1}: {p}" for i, d in enumerate(diagrams) if (p := d.problem())]
    return problems


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN)


# --- every page, both themes ------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("theme", THEMES)
def test_page_in_browser(built_site: Path, open_page, theme: str, path: str) -> None:
    """Loads offline with no console error, draws every Mermaid diagram, and has 0 axe violations."""
    html_file = built_site / (path.lstrip("/") if path.endswith(".html") else path.lstrip("/") + "index.html")
    fences = mermaid_fences(html_file.read_text(encoding="utf-8"))
    visit = open_page(path, theme)
    page = visit.page
    findings = {
        "color scheme": page.get_attribute("body", "data-md-color-scheme"),
        "diagrams": diagram_problems(page, fences),
        "axe": axe_violations(page),
    }
    findings["browser"] = visit.problems()  # last: it includes anything that failed while drawing
    assert findings == {"color scheme": SCHEME_OF_THEME[theme], "diagrams": [], "axe": [], "browser": []}


def test_diagram_check_sees_every_diagram_on_the_apiserver_page(built_site: Path, open_page) -> None:
    """Control for the per-page check: the kube-apiserver page's three fences are three drawn SVGs."""
    html = (built_site / "plano-de-control" / "kube-apiserver" / "index.html").read_text(encoding="utf-8")
    fences = mermaid_fences(html)
    assert fences == html.count('<pre class="mermaid">') and fences >= 1
    visit = open_page("/plano-de-control/kube-apiserver/")
    assert diagram_problems(visit.page, fences) == []
    diagrams = rendered_diagrams(visit.page)
    assert len(diagrams) == fences
    assert all(d.text.startswith("<svg") and d.role in {"flowchart-v2", "sequence"} for d in diagrams)
    # One fence more than drawn diagrams must be reported (everything is drawn already: a short wait).
    assert diagram_problems(visit.page, fences + 1, timeout_ms=500) == [
        f"{fences} diagrams drawn for {fences + 1} mermaid fences"
    ]


def test_mermaid_renders_from_the_vendored_bundle(extended_copy, open_site) -> None:
    _, result, site = extended_copy
    assert result.returncode == 0, result.stderr
    visit = open_site(site)
    visit.page.goto(visit.base_url + "/diagrama/", wait_until="load")
    assert diagram_problems(visit.page, 1) == []
    assert visit.problems() == []  # Material would ask unpkg.com without the bundle


def test_diagram_check_reports_a_broken_diagram(extended_copy, open_site) -> None:
    """A fence Mermaid cannot parse must fail the per-page check (the check can fail)."""
    _, result, site = extended_copy
    assert result.returncode == 0, result.stderr
    visit = open_site(site)
    visit.page.goto(visit.base_url + "/diagrama-roto/", wait_until="load")
    html = (site / "diagrama-roto" / "index.html").read_text(encoding="utf-8")
    assert mermaid_fences(html) == 1
    assert diagram_problems(visit.page, 1, timeout_ms=5_000) == [
        "1 pre.mermaid left unrendered",
        "0 diagrams drawn for 1 mermaid fences",
    ]
    assert any(p.startswith("page error: Parse error on line 2:") for p in visit.problems()), visit.problems()


def test_figure_and_nota_are_displayed(open_page) -> None:
    visit = open_page("/arquitectura/")
    figure = visit.page.locator("article img[src$='03-arquitectura-general.svg']")
    figure.wait_for()
    assert figure.evaluate("img => img.decode().then(() => img.naturalWidth)") == 1000
    assert figure.bounding_box()["height"] > 300
    assert visit.page.locator(".admonition.note > .admonition-title").inner_text() == "Nota"


# --- search in Spanish ------------------------------------------------------------------------------

# Material's Spanish strings (partials/languages/es.html): "1 documento encontrado" / "# documentos encontrados"
RESULTS_META = r"\d+ documentos? encontrados?"


def search(visit: Any, query: str) -> list[str]:
    """Type ``query`` in Material's search box; the pages of the results shown, in order."""
    page = visit.page
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on keyup
    page.wait_for_function(
        f"() => /^{RESULTS_META}$/.test(document.querySelector('.md-search-result__meta').innerText.trim())"
        " || document.querySelector('.md-search-result__meta').innerText.includes('No se encontraron')",
        timeout=10_000,
    )
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        path = urlparse(href).path
        if path not in paths:
            paths.append(path)
    return paths


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("planificador", {"/plano-de-control/kube-scheduler/"}),
        ("etcd", {"/plano-de-control/etcd/"}),
        ("nodo de trabajo", {"/arquitectura/", "/nodos/kubelet/", "/nodos/kube-proxy/", "/nodos/entorno-de-ejecucion/"}),
        ("desalojo", {"/recorridos/cuando-un-nodo-falla/"}),
    ],
)
def test_spanish_search_finds_the_right_pages(open_page, query: str, expected: set[str]) -> None:
    visit = open_page("/")
    found = search(visit, query)
    assert set(found) & expected, f"{query!r} found {found}"
    assert visit.problems() == []


def test_search_for_a_missing_word_finds_nothing(open_page) -> None:
    """Control for the search tests: the result list is the query's, not whatever the box shows."""
    visit = open_page("/")
    assert search(visit, "zzyzxqw") == []
    assert "No se encontraron documentos" in visit.page.locator(".md-search-result__meta").inner_text()


# --- light/dark toggle ------------------------------------------------------------------------------


def palette_toggle(page: Any) -> Any:
    """The visible toggle of Material's palette form (one label per palette entry, the others hidden)."""
    return page.locator("form[data-md-component='palette'] label:not([hidden])")


@pytest.mark.parametrize(
    ("theme", "after_clicks"),
    [
        # mkdocs.yml palette order: system (auto) -> light "default" -> dark "slate" -> system ...
        ("light", ["default", "slate", "default"]),
        ("dark", ["default", "slate", "slate"]),
    ],
)
def test_palette_toggle_changes_scheme_and_persists(fresh_context, theme: str, after_clicks: list[str]) -> None:
    holder = fresh_context(theme)
    visit = holder.open("/")
    page = visit.page
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEME_OF_THEME[theme]
    seen = []
    for _ in after_clicks:
        palette_toggle(page).click()
        seen.append(page.get_attribute("body", "data-md-color-scheme"))
    assert seen == after_clicks
    # Choose the scheme the system does not prefer, then follow a nav link: the choice stays.
    while page.get_attribute("body", "data-md-color-scheme") == SCHEME_OF_THEME[theme]:
        palette_toggle(page).click()
    chosen = page.get_attribute("body", "data-md-color-scheme")
    with page.expect_navigation():
        page.locator("nav.md-nav--primary a.md-nav__link[href$='arquitectura/']").first.click()
    assert urlparse(page.url).path == "/arquitectura/"
    assert page.get_attribute("body", "data-md-color-scheme") == chosen != SCHEME_OF_THEME[theme]
    assert visit.problems() == []
