"""Unit tests of k8sdocs/hooks.py with the real Markdown extensions the site uses."""

from __future__ import annotations

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


def test_mermaid_file_names_the_fix_when_missing(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match=r"node_modules/mermaid/dist/mermaid\.min\.js.*npm ci"):
        hooks.mermaid_file(tmp_path)


def test_mermaid_file_rejects_a_stale_node_modules(tmp_path: Path) -> None:
    dist = tmp_path / "node_modules/mermaid/dist"
    dist.mkdir(parents=True)
    (dist / "mermaid.min.js").write_text("//")
    (tmp_path / "node_modules/mermaid/package.json").write_text('{"version": "11.0.0"}')
    (tmp_path / "package-lock.json").write_text('{"packages": {"node_modules/mermaid": {"version": "11.17.2"}}}')
    with pytest.raises(PluginError, match=r"mermaid 11\.0\.0.*11\.17\.2"):
        hooks.mermaid_file(tmp_path)
