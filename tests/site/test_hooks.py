"""Unit tests of k8sdocs/hooks.py with the real Markdown extensions the site uses."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from mkdocs.exceptions import PluginError

from k8sdocs import hooks

ROOT = Path(__file__).resolve().parents[2]


def render(text: str) -> str:
    return markdown.markdown(
        text,
        extensions=["admonition", "pymdownx.details", "pymdownx.quotes", hooks.SpanishAdmonitionTitlesExtension()],
        extension_configs={"pymdownx.quotes": {"callouts": True}},
    )


@pytest.mark.parametrize(
    ("source", "title", "css_class"),
    [
        # GitHub's five alert types (docs.github.com "Alerts"), as pymdownx.quotes renders them.
        ("> [!NOTE]\n> Texto.", "Nota", "note"),
        ("> [!TIP]\n> Texto.", "Consejo", "tip"),
        ("> [!IMPORTANT]\n> Texto.", "Importante", "important"),
        ("> [!WARNING]\n> Texto.", "Advertencia", "warning"),
        ("> [!CAUTION]\n> Texto.", "Precaución", "caution"),
        # Material's admonition syntax without a title.
        ("!!! note\n    Texto.", "Nota", "note"),
        ("!!! danger\n    Texto.", "Peligro", "danger"),
    ],
)
def test_untitled_alerts_get_a_spanish_title(source: str, title: str, css_class: str) -> None:
    html = render(source)
    assert f'<div class="admonition {css_class}">\n<p class="admonition-title">{title}</p>' in html


def test_explicit_titles_are_kept() -> None:
    assert '<p class="admonition-title">Note bien</p>' in render("> [!NOTE] Note bien\n> Texto.")
    assert '<p class="admonition-title">Warning</p>' in render('!!! note "Warning"\n    Texto.')


def test_collapsible_callout_summary_is_spanish() -> None:
    html = render("> [!TIP]-\n> Texto.")
    assert '<details class="tip">\n<summary>Consejo</summary>' in html


def test_plain_blockquotes_and_code_are_untouched() -> None:
    assert render("> Note") == "<blockquote>\n<p>Note</p>\n</blockquote>"
    assert "[!NOTE]" in render("    > [!NOTE]\n    > en un bloque de código")


def test_image_files_are_every_file_under_imagenes_sorted(tmp_path: Path) -> None:
    (tmp_path / "imagenes" / "sub").mkdir(parents=True)
    for name in ("b.svg", "a.png", "sub/c.svg", ".oculto"):
        (tmp_path / "imagenes" / name).write_text("x")
    assert [uri for uri, _ in hooks.image_files(tmp_path)] == ["imagenes/a.png", "imagenes/b.svg", "imagenes/sub/c.svg"]


def test_real_figure_is_served() -> None:
    assert ("imagenes/03-arquitectura-general.svg", ROOT / "imagenes/03-arquitectura-general.svg") in hooks.image_files(ROOT)


def test_table_identifiers_break_only_after_slash_dot_dash_equals() -> None:
    html = ("<p>/registry/pods</p><table><tr><td><code>/registry/endpointslices</code></td>"
            "<td>disktype=ssd <code>imagePullPolicy</code> 10.244.0.2:80 a&amp;b</td></tr></table>")
    out = hooks.identifier_breaks(html)
    assert out.startswith("<p>/registry/pods</p>")  # outside tables: untouched
    assert "<code>/<wbr>registry/<wbr>endpointslices</code>" in out
    assert "disktype=<wbr>ssd" in out and "<code>imagePullPolicy</code>" in out
    assert "10.<wbr>244.<wbr>0.<wbr>2:80" in out and "a&amp;b" in out
    assert hooks.identifier_breaks("<table><td><code>linea&#95;temporal</code></td></table>") == (
        "<table><td><code>linea&#95;<wbr>temporal</code></td></table>")
    assert hooks.identifier_breaks('<table><tr><td><a href="/a/b.md">x</a></td></tr></table>') == (
        '<table><tr><td><a href="/a/b.md">x</a></td></tr></table>')  # attributes are not text


class _Page:
    def __init__(self, src: str, url: str) -> None:
        self.file = type("F", (), {"src_path": src})()
        self.url = url


@pytest.mark.parametrize("html", ['<pre class="mermaid"><code>flowchart LR</code></pre>',
                                  '<div class="highlight"><pre><code class="language-mermaid">x</code></pre></div>'])
def test_a_mermaid_block_is_refused_naming_the_page(html: str) -> None:
    with pytest.raises(PluginError, match=r"^k8sdocs: a/b\.md: bloque ```mermaid"):
        hooks.on_page_content(html, _Page("a/b.md", "a/b/"))


@pytest.mark.parametrize("md", ["```mermaid\nflowchart LR\n```", "~~~ Mermaid\nx\n~~~", "``` {.mermaid}\nx\n```"])
def test_a_mermaid_fence_is_refused_in_markdown(md: str) -> None:
    with pytest.raises(PluginError, match=r"^k8sdocs: a/b\.md: bloque ```mermaid"):
        hooks.on_page_markdown("# T\n\n" + md + "\n", _Page("a/b.md", "a/b/"))
    assert hooks.on_page_markdown("```yaml\nmermaid: 1\n```\n", _Page("a/b.md", "a/b/")).startswith("```yaml")


def test_each_diagram_gets_its_standalone_file_and_a_link(tmp_path: Path) -> None:
    from k8sdocs.render.sequence import Message, sequence_figure

    figure = sequence_figure(["a"], [Message("a", "b", "GET /x")], title="Prueba")
    html = markdown.markdown(figure)
    out, files = hooks.standalone_diagrams(html, "../../")
    [(name, svg)] = files.items()
    assert name.startswith("k8s-seq-") and svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns=')
    assert svg.split("\n", 1)[1].rstrip("\n") in out  # the same drawing as on the page
    assert f'<a class="k8s-diagram__open" href="../../diagramas/{name}">' in out
    assert hooks._site_prefix(_Page("x.md", "plano-de-control/etcd/")) == "../../"
    assert hooks._site_prefix(_Page("index.md", "")) == ""


def test_whitespace_highlight_spans_become_bare_whitespace() -> None:
    """Pygments' <span class="w"> (styled by nothing) is unwrapped; the text and every other span stay."""
    source = "```yaml\nspec:\n  containers:\n    - name: web   # comentario\n      image: nginx:1.27\n```\n"
    html = markdown.markdown(source, extensions=["pymdownx.highlight", "pymdownx.superfences"])
    assert '<span class="w">' in html  # control: Pygments does emit them
    out = hooks.bare_whitespace(html)
    assert '<span class="w">' not in out
    assert re.sub(r"<[^>]+>", "", out) == re.sub(r"<[^>]+>", "", html)
    assert re.findall(r'<span class="(?!w")[^"]*">', out) == re.findall(r'<span class="(?!w")[^"]*">', html)
    assert hooks.bare_whitespace('<span class="w">x</span><span class="w"></span>') == '<span class="w">x</span>'


def test_tables_are_wrapped_as_material_would_and_marked_so_it_does_not_again() -> None:
    """Issue 10, item 7: Material's script wraps each `table:not([class])` at load (a restyle of the table); the hook
    writes the same wrapper and the class k8s-table. Tables with a class (the playground's, raw HTML) are left alone;
    other attributes are kept; the cells are not touched."""
    source = "| Clave | Valor |\n|---|---|\n| `a/b` | 1 |\n"
    html = markdown.markdown(source, extensions=["tables"])
    assert html.startswith("<table>")  # control: Python-Markdown writes a bare table
    out = hooks.wrapped_tables(html)
    assert out.startswith('<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="k8s-table">')
    assert out.endswith("</table></div></div>")
    assert re.sub(r"<table[^>]*>", "", out.removeprefix(out[: out.index("<table")]).removesuffix("</div></div>")) == \
        re.sub(r"<table[^>]*>", "", html)
    assert hooks.wrapped_tables('<table class="x"><tr><td>1</td></tr></table>') == '<table class="x"><tr><td>1</td></tr></table>'
    assert hooks.wrapped_tables('<table id="t"><tr></tr></table>') == (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="k8s-table" id="t"><tr></tr>'
        '</table></div></div>')
    two = hooks.wrapped_tables("<table><tr><td>1</td></tr></table><p>x</p><table><tr><td>2</td></tr></table>")
    assert two.count('<div class="md-typeset__scrollwrap">') == 2 and "<p>x</p>" in two
    # raw HTML may nest tables: only the inner one is wrapped, the outer one keeps its shape for Material's script
    nested = hooks.wrapped_tables("<table><tr><td><table><tr><td>1</td></tr></table></td></tr></table>")
    assert nested == ('<table><tr><td><div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
                      '<table class="k8s-table"><tr><td>1</td></tr></table></div></div></td></tr></table>')
    assert hooks.wrapped_tables("<TABLE border='1'><tr></tr></TABLE>") == "<TABLE border='1'><tr></tr></TABLE>"
