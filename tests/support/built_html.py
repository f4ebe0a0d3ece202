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
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import markdown

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

class _Tables(HTMLParser):
    """Every <table> as a list of rows, each row a list of whitespace-normalised cell texts (tags stripped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._cell: list[str] | None = None

    def _close_cell(self) -> None:
        if self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(_fold("".join(self._cell)))
        self._cell = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._close_cell()
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._close_cell()  # an unclosed cell ends where the next row starts
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._close_cell()
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")  # "a<br>b" reads as two words, not "ab"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "tr", "table"):
            self._close_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of_html(page_html: str) -> list[Table]:
    """Every table of an HTML page or fragment, in document order."""
    parser = _Tables()
    parser.feed(page_html)
    parser.close()
    return parser.tables


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
# pymdownx.highlight: the div may carry a language class and a title span before <pre>;
# Pygments opens the block with <span></span>
_HIGHLIGHT = re.compile(
    r'<div class="(?:[^"]*\s)?highlight(?:\s[^"]*)?">(?:<span class="filename">.*?</span>)?'
    r"<pre[^>]*>(?:<span></span>)?<code>(.*?)</code></pre></div>", re.S)
_TAG = re.compile(r"<[^>]+>")
_PRE = re.compile(r"<pre[^>]*>.*?</pre>", re.S)
_INLINE_CODE = re.compile(r"<code>(.*?)</code>", re.S)


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
    return [html.unescape(_TAG.sub("", m)) for m in _HIGHLIGHT.findall(page_html)]


def inline_codes(page_html: str) -> list[str]:
    """The text of every inline ``<code>`` (outside <pre> blocks), entities decoded, tags stripped."""
    return [html.unescape(_TAG.sub("", c)) for c in _INLINE_CODE.findall(_PRE.sub("", page_html))]


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

_DETAILS = re.compile(r'<details class="([^"]*)"[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>', re.S)
_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)
_LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def details(page_html: str) -> list[tuple[str, str, str]]:
    """(class, summary text, inner HTML) of every <details> block (pymdownx.details)."""
    return [(cls, _fold(html.unescape(_TAG.sub("", summary))), body)
            for cls, summary, body in _DETAILS.findall(page_html)]


def list_items(fragment: str) -> list[str]:
    """The visible text of every (non-nested) <li> of an HTML fragment, whitespace folded."""
    return [_visible_text(li) for li in _LIST_ITEM.findall(fragment)]


class _Text(HTMLParser):
    """Visible text: inline tags join their text ("(<code>x</code>)" → "(x)"), block tags separate words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template", "title", "desc"):
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "title", "desc"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _visible_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return _fold("".join(parser.parts))


def text_of(page_html: str) -> str:
    """The visible text of the page's <article> (the Markdown body), whitespace folded; fails without one."""
    article = _ARTICLE.search(page_html)
    assert article, "no <article> in the page"
    return _visible_text(article.group(1))
