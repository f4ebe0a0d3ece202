"""Read the BUILT site's HTML as a reader sees it: tables, diagrams (inline SVG), code blocks, details, article text.

One module for every page test (``from support.built_html import …``; pyproject's ``pythonpath = ["tests"]`` puts
``tests/`` on ``sys.path``, which ``--import-mode=importlib`` alone does not). A content function's Markdown is
rendered with the same Python-Markdown and parsed with the same parser as the page, so page and model are compared
cell by cell / line by line.

Markup these helpers expect (mkdocs.yml's extensions, as MkDocs 1.6 + Material 9 + pymdown-extensions 10 write it):
- tables: Python-Markdown ``tables`` → ``<table><thead><tr><th>…``; a ``<br>`` inside a cell reads as a space;
- diagrams: inline ``<svg … class="k8s-svg …">`` drawn by k8sdocs/render/ (sequence.py, flowchart.py), kept
  verbatim by Python-Markdown as raw HTML;
- code: pymdownx.highlight (Pygments, ``anchor_linenums``) → ``<div class="highlight"><pre><span></span><code>``
  with ``<a id="__codelineno-…">`` anchors and ``<span class="…">`` tokens inside;
- the page body: Material's ``<article class="md-content__inner md-typeset">``.

HTML is parsed with Beautiful Soup (``html.parser`` tree builder: the standard library's tokenizer, no C
parser); :func:`soup` gives the tree to a test that needs a selector of its own.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

import markdown
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

Table = list[list[str]]

#: The Markdown extensions (of mkdocs.yml's list) that shape a table, a list or a fenced block's surroundings.
MARKDOWN_EXTENSIONS = ["tables", "attr_list", "md_in_html"]

#: Tags a browser lays out as their own box: their boundaries separate words in the visible text.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})


def _fold(text: str) -> str:
    """Whitespace runs (newlines, tabs, non-breaking spaces) folded to one space, ends trimmed."""
    return " ".join(text.split())


def read_page(site: Path, path: str) -> str:
    """The built HTML of the page at ``path`` (``"nodos/kubelet"`` → ``site/nodos/kubelet/index.html``)."""
    return (site / path / "index.html").read_text(encoding="utf-8")


# --- tables -------------------------------------------------------------------------------------------------------

def soup(page_html: str) -> BeautifulSoup:
    """The parsed tree of an HTML page or fragment (CSS selectors through ``.select``, soupsieve)."""
    return BeautifulSoup(page_html, "html.parser")


def is_text(node: object) -> bool:
    """Character data as the reader gets it: not a comment, CDATA section, doctype or processing instruction."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def _nearest(tag: Tag, names: tuple[str, ...]) -> Tag | None:
    parent = tag.find_parent(names)
    return parent if isinstance(parent, Tag) else None


def _cell_text(cell: Tag) -> str:
    """A cell's text: its own strings (not those of a cell, row or table inside it), ``<br>`` as a space.

    ``html.parser`` does not close an unclosed ``<td>`` at the next one, so "<td>1<td>2" nests the second cell in
    the first: each cell keeps only what is its own, as a browser would lay it out.
    """
    parts: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                if child.name in ("td", "th", "tr", "table"):
                    continue
                if child.name == "br":
                    parts.append(" ")  # "a<br>b" reads as two words, not "ab"
                walk(child)
            elif is_text(child):
                parts.append(str(child))

    walk(cell)
    return _fold("".join(parts))


def tables_of_html(page_html: str) -> list[Table]:
    """Every table of an HTML page or fragment, in document order: rows of whitespace-normalised cell texts."""
    tables: list[Table] = []
    for table in soup(page_html).find_all("table"):
        rows = [tr for tr in table.find_all("tr") if _nearest(tr, ("table",)) is table]
        tables.append([[_cell_text(c) for c in tr.find_all(["td", "th"]) if _nearest(c, ("tr",)) is tr]
                       for tr in rows])
    return tables


def render_markdown(md: str) -> str:
    """A Markdown fragment as HTML (the same Python-Markdown MkDocs runs)."""
    return markdown.markdown(md, extensions=MARKDOWN_EXTENSIONS)


def tables_of_markdown(md: str) -> list[Table]:
    """The tables a content function's Markdown renders to."""
    return tables_of_html(render_markdown(md))


def md_table(md: str) -> Table:
    """The one table of a Markdown fragment, as the site renders it (fails if there is none or several)."""
    found = tables_of_markdown(md)
    assert len(found) == 1, f"{len(found)} tables in:\n{md}"
    return found[0]


def find_table(page_html: str, expected: Table) -> Table:
    """The page's table whose header row equals the expected one exactly (fails if none or several)."""
    found = [t for t in tables_of_html(page_html) if t and t[0] == expected[0]]
    assert len(found) == 1, f"{len(found)} tables with header {expected[0]}"
    return found[0]


# --- diagrams and code ----------------------------------------------------------------------------------------------

_DIAGRAM = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" class="k8s-svg.*?</svg>', re.S)
_SVG_NS = "{http://www.w3.org/2000/svg}"


def diagrams(page_html: str) -> list[str]:
    """The markup of every diagram (inline SVG drawn by k8sdocs/render/), in page order."""
    return _DIAGRAM.findall(page_html)


def diagram_texts(svg: str, css: str = "k8s-label") -> list[str]:
    """The visible text of each ``<text class=css>`` of a diagram (lines joined by a space, tooltips left out).

    Classes: ``k8s-label`` (participants, messages, notes, boxes), ``k8s-edge-label``, ``k8s-badge-text``
    (the step numbers).
    """
    root = ElementTree.fromstring(svg)
    return [" ".join(t.text or "" for t in el.iter(f"{_SVG_NS}tspan"))
            for el in root.iter(f"{_SVG_NS}text") if el.get("class") == css]


def diagram_rows(svg: str) -> list[tuple[str, str, str, str]]:
    """A sequence diagram's rows from its text description (``<desc>``, what a screen reader reads), in order:
    ``(number, source, target, text)`` for an arrow (number "" when unnumbered), ``("nota", source, source, text)``
    for a note."""
    desc = ElementTree.fromstring(svg).find(f"{_SVG_NS}desc")
    assert desc is not None and desc.text, "diagram without <desc>"
    rows = []
    pattern = re.compile(r"(?:^| )(?:(\d+)\. (\S+) → (\S+)|Nota sobre (\S+)): ")
    matches = list(pattern.finditer(desc.text))
    for m, nxt in zip(matches, matches[1:] + [None]):
        text = desc.text[m.end(): nxt.start() if nxt else len(desc.text)].removesuffix(".")
        rows.append((m[1], m[2], m[3], text) if m[4] is None else ("nota", m[4], m[4], text))
    return rows


def diagram_participants(svg: str) -> list[str]:
    """The participants a sequence diagram's ``<desc>`` names, left to right."""
    desc = ElementTree.fromstring(svg).find(f"{_SVG_NS}desc")
    m = re.match(r"Participantes: (.*?)\.(?: |$)", desc.text or "")
    assert m, "no participant list"
    return m[1].split(", ")


def diagram_numbers(svg: str) -> list[int]:
    """The step numbers drawn on a sequence diagram's arrows, top to bottom."""
    return [int(n) for n in diagram_texts(svg, "k8s-badge-text")]


def code_blocks(page_html: str) -> list[str]:
    """The text of every highlighted code block (token spans and line anchors stripped)."""
    blocks = []
    for div in soup(page_html).select("div.highlight"):
        code = div.select_one(":scope > pre > code")
        if code is not None:
            blocks.append(code.get_text())
    return blocks


def inline_codes(page_html: str | Tag) -> list[str]:
    """The text of every inline ``<code>`` (outside <pre> blocks, no attributes), entities decoded, tags stripped."""
    tree = soup(page_html) if isinstance(page_html, str) else page_html
    return [c.get_text() for c in tree.find_all("code") if not c.attrs and _nearest(c, ("pre",)) is None]


def fence_body(md: str, lang: str | None = None) -> str:
    """The text inside the fenced block that opens ``md`` (```lang … ```), without its final newline.

    That is what the page's ``<code>`` holds; text after the closing fence is ignored. With ``lang``, the fence
    must be of that language.
    """
    first_line, _, rest = md.partition("\n")
    language = re.escape(lang) if lang is not None else r"[\w+-]*"
    assert re.fullmatch(rf"```{language}(?:\s.*)?", first_line), f"not a ```{lang or ''} fence: {first_line!r}"
    body, closed, _ = ("\n" + rest).partition("\n```")
    assert closed, f"unclosed fence:\n{md}"
    return body.removeprefix("\n").rstrip("\n")


# --- collapsible blocks, lists and text -----------------------------------------------------------------------------

def details(page_html: str) -> list[tuple[str, str, str]]:
    """(class, summary text, inner HTML after the summary) of every <details class=…> block (pymdownx.details)."""
    out = []
    for block in soup(page_html).find_all("details", class_=True):
        summary = next((c for c in block.children if isinstance(c, Tag)), None)
        if summary is None or summary.name != "summary":
            continue
        body = "".join(str(n) for n in summary.next_siblings)
        out.append((" ".join(block.get_attribute_list("class")), _visible_text(summary), body))
    return out


def list_items(fragment: str | Tag) -> list[str]:
    """The visible text of every outermost, attribute-less <li> of an HTML fragment, whitespace folded."""
    tree = soup(fragment) if isinstance(fragment, str) else fragment
    return [_visible_text(li) for li in tree.find_all("li") if not li.attrs and _nearest(li, ("li",)) is None]


#: Elements whose text a reader never sees on the page.
_HIDDEN_TAGS = frozenset({"script", "style", "template", "title", "desc"})


def _visible_parts(node: Tag, parts: list[str]) -> None:
    """Visible text: inline tags join their text ("(<code>x</code>)" → "(x)"), block tags separate words."""
    for child in node.children:
        if isinstance(child, Tag):
            if child.name in _HIDDEN_TAGS:
                continue
            block = child.name in _BLOCK_TAGS
            if block:
                parts.append(" ")
            _visible_parts(child, parts)
            if block:
                parts.append(" ")
        elif is_text(child):
            parts.append(str(child))


def _visible_text(fragment: str | Tag) -> str:
    parts: list[str] = []
    _visible_parts(soup(fragment) if isinstance(fragment, str) else fragment, parts)
    return _fold("".join(parts))


def article(page_html: str) -> Tag:
    """The page's <article> (the Markdown body); fails without one."""
    found = soup(page_html).find("article")
    assert isinstance(found, Tag), "no <article> in the page"
    return found


def text_of(page_html: str) -> str:
    """The visible text of the page's <article> (the Markdown body), whitespace folded; fails without one."""
    return _visible_text(article(page_html))


# --- what a page loads and declares --------------------------------------------------------------------------------

#: Elements that fetch their ``src`` when the page loads.
_SRC_TAGS = ("script", "img", "iframe", "source", "audio", "video", "embed", "track")
#: ``<link rel=…>`` values that make the browser fetch (or connect to) ``href``.
_FETCHING_RELS = frozenset({"stylesheet", "preload", "modulepreload", "preconnect", "dns-prefetch", "icon"})


def resources(page_html: str) -> list[tuple[str, str]]:
    """(``tag[attribute]``, url) of everything the page fetches: ``src`` of scripts, images, frames and media,
    ``object[data]``, and ``link[href]`` whose ``rel`` fetches (``link[rel=icon]``...), in document order."""
    found = []
    for el in soup(page_html).find_all(True):
        if el.name in _SRC_TAGS and el.get("src"):
            found.append((f"{el.name}[src]", str(el["src"])))
        elif el.name == "object" and el.get("data"):
            found.append(("object[data]", str(el["data"])))
        elif el.name == "link":
            rel = {r.lower() for r in (el.get("rel") or [])}
            if rel & _FETCHING_RELS:
                found.append((f"link[rel={' '.join(sorted(rel))}]", str(el.get("href") or "")))
    return found


def external_resources(page_html: str) -> list[tuple[str, str]]:
    """(kind, url) of every resource the page would fetch from a host other than its own (``data:`` is inline)."""
    found = []
    for kind, url in resources(page_html):
        parsed = urlparse(urljoin("http://127.0.0.1/", url))
        if parsed.scheme != "data" and parsed.hostname != "127.0.0.1":
            found.append((kind, url))
    return found


def admonition_titles(page_html: str) -> list[str]:
    """The text of every admonition title (``.admonition-title``), as written."""
    return [el.get_text() for el in soup(page_html).select(".admonition-title")]


def html_lang(page_html: str) -> str | None:
    """The ``lang`` of the page's ``<html>`` element."""
    root = soup(page_html).find("html")
    return str(root["lang"]) if isinstance(root, Tag) and root.get("lang") is not None else None


def between(page_html: str, start_id: str, end_id: str) -> list[Tag]:
    """The elements after the one with ``id=start_id`` and before the one with ``id=end_id``, in document order
    (a page's section between two headings)."""
    tree = soup(page_html)
    start, end = tree.find(id=start_id), tree.find(id=end_id)
    assert isinstance(start, Tag) and isinstance(end, Tag), f"no #{start_id} or no #{end_id}"
    found = []
    for el in start.find_all_next(True):
        if el is end:
            return found
        found.append(el)
    raise AssertionError(f"#{end_id} does not follow #{start_id}")


def select(page_html: str, selector: str) -> list[Tag]:
    """The elements the CSS ``selector`` (soupsieve) picks, in document order."""
    return soup(page_html).select(selector)
