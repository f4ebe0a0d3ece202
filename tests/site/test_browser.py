"""What a reader's browser does with the built site: headless Debian Chromium via Playwright.

Every page of the nav (read from mkdocs.yml, cross-checked against the built site) is opened in a
light and in a dark context: no console error, no request leaving the served origin, every diagram readable
(text >= 12 px at natural size), 0 axe-core WCAG A/AA violations; at 1280 and 390 px wide: tables that fit,
identifiers never broken mid-word, code that wraps. Then Spanish search and the palette toggle.
Fixtures (one browser, one served site, one context per theme): tests/site/conftest.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json, installed by npm ci
# axe-core's WCAG 2.0/2.1 level A and AA rules (axe-core doc/API.md, "runOnly" tags).
AXE_RUN = """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}))
    .violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
THEMES = ("light", "dark")
SCHEME_OF_THEME = {"light": "default", "dark": "slate"}  # mkdocs.yml theme.palette, by system preference


# --- the pages: mkdocs.yml nav, plus the 404 page Material always writes -------------------------


from support.built_html import select  # noqa: E402
from support.site_nav import NAV_PAGES, nav_files, page_url  # noqa: E402,F401 - mkdocs.yml's nav

PAGES = NAV_PAGES + ["/404.html"]  # Material's 404 page is outside the nav but served to readers


def test_nav_and_pages_agree_with_the_built_site(built_site: Path) -> None:
    """The list the browser tests walk is the built site's: its nav, and every HTML file it holds."""
    assert {"/", "/arquitectura/", "/plano-de-control/kube-scheduler/"} <= set(NAV_PAGES)
    assert len(NAV_PAGES) == len(set(NAV_PAGES))
    built = sorted(
        "/" + str(path.relative_to(built_site)).removesuffix("index.html") for path in built_site.rglob("*.html")
    )
    assert built == sorted(PAGES)
    assert _nav_links((built_site / "index.html").read_text(encoding="utf-8")) == NAV_PAGES


def _nav_links(page_html: str) -> list[str]:
    """Page links of Material's primary nav (``nav.md-nav--primary``) on the home page, as site paths."""
    links: list[str] = []
    for a in select(page_html, "nav.md-nav--primary a.md-nav__link"):
        href = str(a.get("href") or "")
        if href and not href.startswith("#"):
            path = urlparse(urljoin("http://127.0.0.1/", href)).path  # home page: href "." -> "/"
            if path not in links:
                links.append(path)
    return links


# --- what a reader sees: diagrams at natural size, tables that fit, code that wraps --------------------

# Each diagram (figure.k8s-diagram, an inline SVG drawn by k8sdocs/render/): its frame takes keyboard focus and
# scrolls; the SVG is drawn at its viewBox size (never scaled down); every text's rendered size (computed
# font-size x rendered width / viewBox width) is >= 12 px; no text pokes out of its drawing.
DIAGRAMS_JS = """() => {
  const problems = [];
  document.querySelectorAll('article figure.k8s-diagram').forEach((fig, i) => {
    const n = 'diagram ' + (i + 1);
    const frame = fig.querySelector('.k8s-diagram__scroll'), svg = fig.querySelector('svg');
    if (!frame || !svg) { problems.push(n + ': no frame or no svg'); return; }
    // Frames off screen are skipped (content-visibility: auto, k8sdocs/render/svg.py frame_style) and hold the
    // drawing's size: check that, then draw the frame for real before measuring its text.
    const lazy = getComputedStyle(frame).contentVisibility, inline = frame.style.contentVisibility;
    const before = frame.getBoundingClientRect().height;
    frame.style.contentVisibility = 'visible';
    const after = frame.getBoundingClientRect().height;
    if (lazy !== 'auto') problems.push(n + ': content-visibility is ' + lazy);
    if (lazy === 'auto' && frame.scrollWidth <= frame.clientWidth && Math.abs(before - after) > 1)
      problems.push(n + ': placeholder ' + before.toFixed(1) + ' px high, drawn ' + after.toFixed(1) + ' px');
    if (frame.tabIndex !== 0) problems.push(n + ': frame cannot take keyboard focus');
    if (frame.scrollWidth > frame.clientWidth + 1 && !['auto', 'scroll'].includes(getComputedStyle(frame).overflowX))
      problems.push(n + ': wider than its frame, which does not scroll');
    const box = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
    if (!vb || !vb.width) { problems.push(n + ': no viewBox'); return; }
    const scale = box.width / vb.width;
    if (Math.abs(scale - 1) > 0.002) problems.push(n + ': scaled by ' + scale.toFixed(3));
    const texts = svg.querySelectorAll('text');
    if (!texts.length) problems.push(n + ': no text');
    texts.forEach(t => {
      const label = t.textContent.trim().slice(0, 40);
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (!(px >= 11.95)) problems.push(n + ': "' + label + '" at ' + px.toFixed(1) + ' px');
      const r = t.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        problems.push(n + ': "' + label + '" outside the drawing');
    });
    frame.style.contentVisibility = inline;
  });
  return problems;
}"""

# Tables: no cell clips its content; with `fit`, no table is wider than the text column (a hidden column);
# a line inside a table cell never ends in the middle of a word: only at a space, after / . - = _ , : ? & ;
# ) or at a CamelCase boundary (plugin names: Node|Resources|Fit). Code blocks never scroll sideways.
LAYOUT_JS = r"""(fit) => {
  const problems = [];
  const okBefore = ' \u00a0/.-=_,:?&;)]}—', range = document.createRange();
  document.querySelectorAll('article table').forEach(table => {
    const head = (table.rows[0] ? table.rows[0].innerText : '').replace(/\s+/g, ' ').trim().slice(0, 50);
    const wrap = table.closest('.md-typeset__scrollwrap');
    if (fit && wrap && wrap.scrollWidth > wrap.clientWidth + 1)
      problems.push('table "' + head + '": ' + wrap.scrollWidth + ' px wide in a ' + wrap.clientWidth + ' px column');
    table.querySelectorAll('td, th').forEach(cell => {
      if (cell.scrollWidth > cell.clientWidth + 1) problems.push('table "' + head + '": cell "' + cell.innerText.slice(0, 30) + '" clipped');
      const chars = [], walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode());) for (let i = 0; i < node.length; i++) chars.push([node, i]);
      let prevTop = null, prev = '', prevNode = null;
      for (const [node, i] of chars) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const r = range.getClientRects()[0], ch = node.data[i];
        if (!r) continue;
        // a line may also end between two elements (a <br>, the end of a <code>): only breaks inside one text run count
        if (prevTop !== null && r.top > prevTop + 2 && node === prevNode && !okBefore.includes(prev) && !/\s/.test(ch)
            && !(/[a-z0-9]/.test(prev) && /[A-Z]/.test(ch))) {
          const text = chars.map(([n, j]) => n.data[j]).join('');
          const at = chars.findIndex(([n, j]) => n === node && j === i);
          problems.push('table "' + head + '": broken mid-word: ' + text.slice(Math.max(0, at - 20), at) + '|' + text.slice(at, at + 20));
        }
        prevTop = r.top; prev = ch; prevNode = node;
      }
    });
  });
  document.querySelectorAll('article pre > code').forEach(code => {
    if (code.scrollWidth > code.clientWidth + 1) {
      const longest = code.textContent.split('\n').sort((a, b) => b.length - a.length)[0];
      problems.push('code block scrolls (' + code.scrollWidth + ' > ' + code.clientWidth + ' px): ' + longest.slice(0, 60));
    }
  });
  return problems;
}"""


# Text of the article (tables, code, admonitions, widgets) at >= 12 CSS px (diagrams have their own check above):
# one line per kind of element drawn smaller, with how many text runs and the size.
SMALL_TEXT_JS = r"""() => {
  const found = {}, root = document.querySelector('article') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const el = node.parentElement;
    if (!node.data.trim() || el.closest('svg') || !el.getClientRects().length) continue;
    const style = getComputedStyle(el), size = parseFloat(style.fontSize);
    if (style.visibility === 'hidden' || size >= 12) continue;
    const key = el.tagName.toLowerCase() + ' in ' + el.parentElement.tagName.toLowerCase() + ' at ' + size.toFixed(1) + ' px';
    found[key] = (found[key] || 0) + 1;
  }
  return Object.entries(found).map(([k, n]) => 'text below 12 px: ' + k + ' (' + n + ')').sort();
}"""


def diagram_problems(page: Any) -> list[str]:
    """What is wrong with the page's diagrams as drawn (empty: all good). Opens every <details> first."""
    page.evaluate("document.querySelectorAll('details:not([open])').forEach(d => d.open = true)")
    return page.evaluate(DIAGRAMS_JS)


def layout_problems(page: Any, fit: bool) -> list[str]:
    """Clipped or mid-word-broken table cells, tables wider than the column (``fit``), code that scrolls."""
    page.evaluate("document.querySelectorAll('details:not([open])').forEach(d => d.open = true)")
    return page.evaluate(LAYOUT_JS, fit) + page.evaluate(SMALL_TEXT_JS)


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN)


# --- every page, both themes ------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("theme", THEMES)
def test_page_in_browser(open_page, theme: str, path: str) -> None:
    """Loads offline with no console error, every diagram readable, and 0 axe violations."""
    visit = open_page(path, theme)
    page = visit.page
    findings = {
        "color scheme": page.get_attribute("body", "data-md-color-scheme"),
        "diagrams": diagram_problems(page),
        "axe": axe_violations(page),
    }
    findings["browser"] = visit.problems()
    assert findings == {"color scheme": SCHEME_OF_THEME[theme], "diagrams": [], "axe": [], "browser": []}


@pytest.mark.parametrize("path", NAV_PAGES)
@pytest.mark.parametrize("width", [1280, 390])
def test_page_layout_at_laptop_and_phone_width(open_at_width, width: int, path: str) -> None:
    """Diagram and article text >= 12 px, no clipped or mid-word-broken cell, no code block that scrolls; at 1280 px every
    table fits the column (on a phone a wide table scrolls, its first column stays in place)."""
    visit = open_at_width(path, width)
    page = visit.page
    assert page.evaluate("window.innerWidth") == width
    assert {"diagrams": diagram_problems(page), "layout": layout_problems(page, fit=width >= 1280),
            "browser": visit.problems()} == {"diagrams": [], "layout": [], "browser": []}


def test_diagram_pages_are_the_expected_ones(built_site: Path) -> None:
    """Control for the per-page checks: they walk pages that do have diagrams."""
    with_diagrams = {p for p in NAV_PAGES
                     if '<figure class="k8s-diagram">' in (built_site / p.lstrip("/") / "index.html").read_text(encoding="utf-8")}
    assert {"/plano-de-control/kube-apiserver/", "/recorridos/de-kubectl-apply-a-contenedor/",
            "/recorridos/cuando-un-nodo-falla/", "/plano-de-control/kube-scheduler/", "/nodos/entorno-de-ejecucion/",
            "/nodos/kube-proxy/", "/plano-de-control/kube-controller-manager/"} <= with_diagrams


BAD_LAYOUT = """<article class="md-typeset">
<figure class="k8s-diagram"><div class="k8s-diagram__scroll">
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20" viewBox="0 0 2000 200"><text x="10" y="100" font-size="13">POST /api/v1/namespaces/default/pods</text></svg>
</div></figure>
<div style="height: 10000px"></div>
<figure class="k8s-diagram"><div class="k8s-diagram__scroll" tabindex="0" style="content-visibility:auto;contain-intrinsic-size:auto 100px auto 400px">
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40" viewBox="0 0 100 40"><text x="10" y="20" font-size="13">un texto que no cabe en su dibujo</text></svg>
</div></figure>
<table style="width: 60px"><tr><th>Campo</th></tr>
<tr><td style="max-width: 60px; word-break: break-all"><code>imagePullPolicy</code></td></tr></table>
<div class="md-typeset__scrollwrap" style="width: 120px; overflow-x: auto"><table><tr><th>Ancho</th></tr>
<tr><td style="width: 300px; min-width: 300px">ancho</td></tr></table></div>
<pre><code style="display: block; width: 100px; overflow: auto; white-space: pre">-A KUBE-SVC-X -m statistic --probability 0.5 -j KUBE-SEP-Y</code></pre>
<p style="font-size: 10px">letra diminuta</p>
</article>"""


def test_layout_checks_can_fail(open_page) -> None:
    """Control: a diagram drawn even off screen, a scaled-down diagram, a placeholder of the wrong height, text
    outside its drawing, a word broken mid-way, a table wider than its
    column, a code block that scrolls and text below 12 px are all reported."""
    visit = open_page("/")
    page = visit.page
    page.set_content(BAD_LAYOUT)
    diagrams = page.evaluate(DIAGRAMS_JS)
    assert diagrams[:4] == ["diagram 1: content-visibility is visible", "diagram 1: frame cannot take keyboard focus",
                            "diagram 1: scaled by 0.100", 'diagram 1: "POST /api/v1/namespaces/default/pods" at 1.3 px']
    assert "diagram 2: placeholder 400.0 px high, drawn 40.0 px" in diagrams
    assert 'diagram 2: "un texto que no cabe en su dibujo" outside the drawing' in diagrams
    layout = page.evaluate(LAYOUT_JS, True)
    assert any(p.startswith('table "Campo": broken mid-word: ') for p in layout), layout
    assert any(p.startswith('table "Ancho": ') and " px wide in a 120 px column" in p for p in layout), layout
    assert any(p.startswith("code block scrolls") for p in layout), layout
    small = page.evaluate(SMALL_TEXT_JS)
    assert small == ["text below 12 px: p in article at 10.0 px (1)"]


def test_hostile_label_changes_nothing_but_its_text(open_page) -> None:
    """Issue 15, item 5: Mermaid directives, arrows and markup in an image name are drawn as its text; every
    other element of the rendered diagram sits where it does with an ordinary name of the same shape."""
    from k8sdocs.render.sequence import Message, sequence_figure
    from support.hostile import HOSTILE_STEP

    plain = "".join(ch if ch in " /.-=,:" else "n" for ch in HOSTILE_STEP)

    def figure(image: str) -> str:
        return sequence_figure(["kube-apiserver"], [Message("kubelet/node-1", "container-runtime/node-1", f"PullImage {image}"),
                                                    Message("kubelet/node-1", "kube-apiserver", "PUT pods/web/status")])

    geometry_js = """() => [...document.querySelectorAll('svg *')].filter(e => !['title', 'desc', 'tspan'].includes(e.localName))
        .map(e => { const r = e.getBoundingClientRect();
                    return [e.localName, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)]; })"""
    visit = open_page("/")
    page = visit.page
    page.set_content(f'<div style="font-family: monospace">{figure(plain)}</div>')
    expected = page.evaluate(geometry_js)
    page.set_content(f'<div style="font-family: monospace">{figure(HOSTILE_STEP)}</div>')
    assert page.evaluate(geometry_js) == expected
    assert page.locator("svg b, svg script").count() == 0
    shown = page.evaluate("[...document.querySelectorAll('svg text')].map(t => [...t.querySelectorAll('tspan')]"
                          ".map(s => s.textContent).join(' '))")
    assert f"PullImage {HOSTILE_STEP}" in shown


SCROLLWRAPS_JS = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(
  [...document.querySelectorAll('.md-typeset__scrollwrap')].map(w => [w.scrollWidth > w.clientWidth, w.getAttribute('tabindex')])))))"""


def test_wide_tables_take_focus_only_while_they_overflow(open_at_width) -> None:
    """docs/javascripts/k8sdocs.js: on a phone the wide tables scroll and take keyboard focus (axe
    scrollable-region-focusable); widened to a laptop they fit and lose it (the ResizeObserver sees the change)."""
    page = open_at_width("/plano-de-control/kube-apiserver/", 390).page
    phone = page.evaluate(SCROLLWRAPS_JS)
    assert any(over for over, _ in phone), phone  # control: some table does overflow at 390 px
    assert all(tabindex == ("0" if over else None) for over, tabindex in phone), phone
    page.set_viewport_size({"width": 1280, "height": 900})
    laptop = page.evaluate(SCROLLWRAPS_JS)
    assert laptop == [[False, None]] * len(laptop), laptop


TABLE_WRAPS_JS = """() => [...document.querySelectorAll('article table')].map(t =>
  [t.className, t.parentElement.className, t.parentElement.parentElement.className,
   t.parentElement.parentElement.parentElement.closest('.md-typeset__scrollwrap') !== null])"""
COPY_BUTTONS_JS = "() => [...document.querySelectorAll('article pre > code')].map(c => c.parentElement.querySelector('.md-code__button') !== null)"


def test_material_leaves_the_build_time_table_wrappers_and_mounts_code_blocks_in_view(open_at_width) -> None:
    """k8sdocs/hooks.py wrapped_tables: after Material's script has run, every article table is still in exactly one
    scroll wrapper (Material did not wrap it again); with content.lazy the copy button of a code block appears once
    the block comes into view (issue 10, item 7)."""
    page = open_at_width("/plano-de-control/kube-apiserver/", 390).page
    tables = page.evaluate(TABLE_WRAPS_JS)
    assert len(tables) >= 3 and tables == [["k8s-table", "md-typeset__table", "md-typeset__scrollwrap", False]] * len(tables)
    before = page.evaluate(COPY_BUTTONS_JS)
    assert before and not all(before), before  # control: the blocks far below are not mounted yet
    last = page.locator("article pre > code").last
    last.scroll_into_view_if_needed()
    page.wait_for_function("() => { const c = [...document.querySelectorAll('article pre > code')].pop();"
                           " return c.parentElement.querySelector('.md-code__button') !== null; }", timeout=5000)


@pytest.mark.parametrize("width", [1280, 390])
def test_iptables_rules_show_their_options_without_scrolling(open_at_width, width: int) -> None:
    """kube-proxy's iptables-restore block wraps: every -d, --dport, --probability and -j is inside the visible box."""
    page = open_at_width("/nodos/kube-proxy/", width).page
    hidden = page.evaluate(r"""() => {
      const code = [...document.querySelectorAll('article pre > code')].find(c => c.textContent.startsWith('*nat'));
      if (!code) return ['no *nat block'];
      const box = code.getBoundingClientRect(), out = [], range = document.createRange();
      let seen = 0;
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode());) {
        for (const m of node.data.matchAll(/(?<=^|\s)(-d|--dport|--probability|-j)(?=\s)/g)) {
          seen++;
          range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
          const r = range.getBoundingClientRect();
          if (r.right > box.right + 1 || r.left < box.left - 1) out.push(m[0] + ' at x=' + Math.round(r.left));
        }
      }
      return seen >= 10 ? out : ['only ' + seen + ' options found'];
    }""")
    assert hidden == []


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
    """The visible toggle of the palette form (overrides/partials/palette.html; one label per entry, the others hidden)."""
    return page.locator("form[data-k8s-palette] label:not([hidden])")


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
        # docs/javascripts/k8sdocs.js keeps the one <meta name="color-scheme"> (overrides/main.html) in step.
        assert page.evaluate("[...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content)") == [
            "dark" if seen[-1] == "slate" else "light"]
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
