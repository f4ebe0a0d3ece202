"""HTML helpers for the control-plane page tests: tables, Mermaid sources, code blocks, details blocks.

Not collected by pytest (no ``test_`` prefix); each page test loads it by path (``--import-mode=importlib`` puts no
test folder on ``sys.path``). A content function's Markdown table is rendered with Python-Markdown's ``tables``
extension and parsed with the same parser, so page and model are compared cell by cell as the reader sees them.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown

Table = list[list[str]]


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(page_html: str) -> list[Table]:
    p = _Tables()
    p.feed(page_html)
    return p.tables


def md_table(md: str) -> Table:
    """The first table of a Markdown fragment, as the site renders it (cells as text)."""
    found = tables(markdown.markdown(md, extensions=["tables", "md_in_html"]))
    assert found, f"no table in:\n{md}"
    return found[0]


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def mermaid_sources(page_html: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page_html, re.S)]


def code_texts(page_html: str) -> list[str]:
    """Text of every <pre><code> block (syntax highlighting and line anchors stripped)."""
    out = []
    for block in re.findall(r"<pre[^>]*>(?:<span></span>)?<code>(.*?)</code></pre>", page_html, re.S):
        out.append(html.unescape(re.sub(r"<[^>]+>", "", block)))
    return out


def inline_codes(page_html: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<code>(.*?)</code>", page_html, re.S)]


def details(page_html: str) -> list[tuple[str, str, str]]:
    """(class, summary text, inner HTML) of every <details> block."""
    return [(cls, html.unescape(re.sub(r"<[^>]+>", "", summary)).strip(), body)
            for cls, summary, body in re.findall(
                r'<details class="([^"]*)"[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>', page_html, re.S)]


def text(page_html: str) -> str:
    """Visible text of the article (tags stripped, whitespace folded)."""
    article = re.search(r"<article[^>]*>(.*?)</article>", page_html, re.S)
    body = article.group(1) if article else page_html
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
