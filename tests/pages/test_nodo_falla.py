"""The «Cuando un nodo falla» walkthrough, read from the BUILT site."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import walkthrough
from k8sdocs.content.book import ExampleBook

ROOT = Path(__file__).resolve().parents[2]
ARGS = ("nodo-falla.yaml", "node-2")

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
    return (built_site / "recorridos" / "cuando-un-nodo-falla" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


def test_timeline_table_equals_the_model(page, book):
    (expected,) = tables_of_markdown(walkthrough.failure_table(book, *ARGS))
    table = find_table(page, expected)
    assert table == expected
    components = [row[2] for row in table[1:]]
    assert components[:5] == ["kubelet", "kubelet", "node-lifecycle-controller", "node-lifecycle-controller",
                              "node-lifecycle-controller"]
    assert "taint-eviction-controller" in components and "replicaset-controller" in components


def test_failure_diagram_equals_the_model(page, book):
    assert mermaid_sources(page) == [fence_body(walkthrough.failure_diagram(book, *ARGS))]


def test_sentences_carry_the_computed_values(page, book):
    text = text_of(page)
    value = lambda d: walkthrough.failure_value(book, *ARGS, d)
    assert "renovaciones de su Lease cada 10 s." in text
    assert f"en el instante {value('fallo')}, el kubelet de node-2 deja de responder" in text
    # DefaultTolerationSeconds: 300 s between the NoExecute taint and the eviction
    assert value("tolerancia") == "5 min"
    assert f"espera {value('tolerancia')} antes de borrar el Pod" in text
    assert f"pasan {value('total')}" in text
    assert f"pasan aquí {value('gracia')}" in text


@pytest.mark.parametrize("path", ["nodos/kubelet", "nodos/kube-proxy", "nodos/entorno-de-ejecucion",
                                  "recorridos/de-kubectl-apply-a-contenedor", "recorridos/cuando-un-nodo-falla"])
def test_scenario_pages_show_manifests_and_kubectl(built_site, path):
    """Every node page and walkthrough shows its scenario files and how to reproduce it with kubectl."""
    html = (built_site / path / "index.html").read_text(encoding="utf-8")
    assert 'Manifiestos del escenario' in html and "<details" in html
    commands = "\n".join(code_blocks(html))
    for needed in ("kubectl apply -f ", "kubectl get ", "kubectl describe ", "kubectl get events"):
        assert needed in commands, f"{path}: falta «{needed}»"
