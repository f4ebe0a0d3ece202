"""The kube-proxy page, read from the BUILT site: rules, chain path and probabilities equal the model's."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import kube_proxy
from k8sdocs.content.book import ExampleBook

ROOT = Path(__file__).resolve().parents[2]
ARGS = ("despliegue-basico.yaml", "default/nginx:http", "node-1")

# --- helpers to read the built HTML (kept in this file: test modules are not importable with importlib mode) ---
import html as _html
import re as _re
from html.parser import HTMLParser as _HTMLParser

import markdown as _markdown


class _Tables(_HTMLParser):
    """Every <table> as a list of rows, each row a list of whitespace-normalised cell texts (tags stripped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of_html(text: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(text)
    return parser.tables


def tables_of_markdown(md: str) -> list[list[list[str]]]:
    """The tables a macro's Markdown renders to (same Python-Markdown as MkDocs)."""
    return tables_of_html(_markdown.markdown(md, extensions=["tables", "attr_list", "md_in_html"]))


def find_table(page_html: str, expected: list[list[str]]) -> list[list[str]]:
    """The page's table whose header row equals the expected one (fails if none or several)."""
    found = [t for t in tables_of_html(page_html) if t and t[0] == expected[0]]
    assert len(found) == 1, f"{len(found)} tables with header {expected[0]}"
    return found[0]


def mermaid_sources(page_html: str) -> list[str]:
    found = _re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page_html, _re.S)
    return [_html.unescape(m).rstrip("\n") for m in found]


def fence_body(md: str) -> str:
    """The text inside a ```lang fenced block (without the final newline, as the HTML has it)."""
    return md.split("\n", 1)[1].rsplit("```", 1)[0].rstrip("\n")


def code_blocks(page_html: str) -> list[str]:
    out = []
    for m in _re.findall(r'<div class="highlight"><pre>.*?<code>(.*?)</code></pre></div>', page_html, _re.S):
        out.append(_html.unescape(_re.sub(r"<[^>]+>", "", m)))
    return out


def text_of(page_html: str) -> str:
    body = page_html.split('<article', 1)[1].split("</article>", 1)[0]
    return " ".join(_html.unescape(_re.sub(r"<[^>]+>", "", body)).split())


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return (built_site / "nodos" / "kube-proxy" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


def test_rules_block_equals_the_model(page, book):
    expected = fence_body(kube_proxy.rules_block(book, *ARGS)).strip()
    blocks = [b.strip() for b in code_blocks(page) if b.startswith("*nat")]
    assert blocks == [expected]


def test_chain_path_diagram_equals_the_model(page, book):
    expected = fence_body(kube_proxy.chain_path(book, *ARGS))
    flowcharts = [m for m in mermaid_sources(page) if m.startswith("flowchart")]
    assert flowcharts == [expected]


def test_probability_table(page, book):
    (expected,) = tables_of_markdown(kube_proxy.probability_table(book, *ARGS))
    table = find_table(page, expected)
    assert table == expected
    # upstream computeProbability for 3 endpoints, and a third each
    assert [row[2] for row in table[1:]] == ["0.3333333333", "0.5000000000", "sin statistic (siempre)"]
    assert [row[5] for row in table[1:]] == ["1/3 ≈ 0,3333"] * 3


def test_heading_and_sentence(page):
    text = text_of(page)
    assert "Las reglas de un Service con 3 endpoints" in text
    assert "(en este orden: 1/3, luego 1/2, luego 1)" in text
    assert "A la regla 2 llegan los 2/3 restantes, y se queda con 1/2 de ellos: 2/3 × 1/2 = 1/3." in text
    from k8sdocs.model.cluster import CLUSTER_CIDR

    assert f"(! -s {CLUSTER_CIDR}, el rango de IP de los Pods del clúster)" in text
