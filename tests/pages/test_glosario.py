"""The Glosario page (BUILT site) and the tooltips of the glossary terms on every page.

The tooltips need two settings in mkdocs.yml that the integrator adds (MKDOCS_YML_TOOLTIPS below); until then
test_tooltips_with_the_proposed_config builds a scratch copy of the project with them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from k8sdocs.content import glossary

ROOT = Path(__file__).resolve().parents[2]

#: The exact mkdocs.yml additions (reported to the integrator): abbreviations appended to every page, and
#: docs/includes/ kept out of the built site.
MKDOCS_YML_TOOLTIPS = {
    "markdown_extensions:\n  - abbr\n": (
        "markdown_extensions:\n"
        "  - abbr\n"
        "  - pymdownx.snippets:\n"
        "      base_path: [docs/includes]\n"
        "      auto_append: [abreviaturas.txt]\n"
        "      check_paths: true\n"
    ),
    "\nnav:\n": "\nexclude_docs: |\n  includes/\n\nnav:\n",
}

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
    return (built_site / "glosario" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("orden", ["es", "en"])
def test_glossary_tables_equal_the_data(page, orden):
    (expected,) = tables_of_markdown(glossary.glossary_table(None, orden=orden))
    table = find_table(page, expected)
    assert table == expected
    assert len(table) - 1 == len(glossary.load_glossary())


def test_glossary_terms(page):
    (expected,) = tables_of_markdown(glossary.glossary_table(None, orden="es"))
    rows = {row[0]: row[1] for row in find_table(page, expected)[1:]}
    assert rows["planificador (kube-scheduler)"] == "kube-scheduler / scheduler"
    assert rows["plano de control"] == "control plane"
    assert f"{len(glossary.tooltips())} formas" in text_of(page)


def _config_ready(text: str) -> bool:
    return "auto_append: [abreviaturas.txt]" in text and "includes/" in text


def test_tooltips_with_the_proposed_config(tmp_path, build_project):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    copy = tmp_path / "proyecto"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info"))
    (copy / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    if not _config_ready(config):
        for old, new in MKDOCS_YML_TOOLTIPS.items():
            assert old in config, f"mkdocs.yml changed: cannot find {old!r}"
            config = config.replace(old, new, 1)
        (copy / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build_project(copy, copy / "site")
    assert result.returncode == 0, result.stderr
    site = copy / "site"
    assert not (site / "includes").exists()
    arquitectura = (site / "arquitectura" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="control plane">plano de control</abbr>' in arquitectura
    kubelet = (site / "nodos" / "kubelet" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="heartbeats?">latidos?</abbr>', kubelet)
    # code and diagrams are left alone
    for pre in re.findall(r"<pre.*?</pre>", kubelet + arquitectura, re.S):
        assert "<abbr" not in pre
    # no abbreviation definitions leak into a page
    assert "*[" not in text_of(arquitectura)


def test_built_site_tooltips_when_configured(built_site):
    """Once mkdocs.yml has the settings, the real site carries the tooltips too."""
    if not _config_ready((ROOT / "mkdocs.yml").read_text(encoding="utf-8")):
        pytest.skip("mkdocs.yml does not append docs/includes/abreviaturas.txt yet (see MKDOCS_YML_TOOLTIPS)")
    html = (built_site / "arquitectura" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="control plane">plano de control</abbr>' in html
