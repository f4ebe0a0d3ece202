"""The Glosario page (BUILT site) and the tooltips of the glossary terms on every page.

The tooltips need two settings in mkdocs.yml that the integrator adds (MKDOCS_YML_TOOLTIPS below); until then
test_tooltips_with_the_proposed_config builds a scratch copy of the project with them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support.built_html import find_table, md_table, read_page, text_of

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


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "glosario")


@pytest.mark.parametrize("orden", ["es", "en"])
def test_glossary_tables_equal_the_data(page, orden):
    expected = md_table(glossary.glossary_table(None, orden=orden))
    table = find_table(page, expected)
    assert table == expected
    assert len(table) - 1 == len(glossary.load_glossary())


def test_glossary_terms(page):
    expected = md_table(glossary.glossary_table(None, orden="es"))
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
