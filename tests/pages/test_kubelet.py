"""The kubelet page, read from the BUILT site: every generated table equals what the model gives now."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import kubelet
from k8sdocs.content.book import ExampleBook

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "despliegue-basico.yaml"

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
    return (built_site / "nodos" / "kubelet" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


@pytest.mark.parametrize("make", [
    lambda b: kubelet.cri_table(b, SCENARIO, nodo="node-2"),
    lambda b: kubelet.conditions_table(b, SCENARIO, nodo="node-2"),
    lambda b: kubelet.kubelet_events(b, SCENARIO, nodo="node-2"),
    lambda b: kubelet.heartbeat_table(b, SCENARIO, "node-2"),
], ids=["cri", "condiciones", "eventos", "latidos"])
def test_tables_equal_the_model(page, book, make):
    (expected,) = tables_of_markdown(make(book))
    assert find_table(page, expected) == expected


def test_cri_rows_in_upstream_order(page, book):
    (expected,) = tables_of_markdown(kubelet.cri_table(book, SCENARIO, nodo="node-2"))
    table = find_table(page, expected)
    assert [row[2] for row in table[1:]] == ["RunPodSandbox", "PodSandboxStatus", "ImageStatus", "PullImage",
                                            "CreateContainer", "StartContainer"]


def test_events_and_heartbeat_text(page):
    text = text_of(page)
    assert "Container created" in text and "Container started" in text
    assert "Latidos: un Lease cada 10 s" in text
    assert "despliegue-basico.yaml" in text and "kubectl apply -f manifiestos/nginx-deployment.yaml" in text
