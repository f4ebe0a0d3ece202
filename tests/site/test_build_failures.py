"""Builds of copies of the project: extra pages that must build, broken pages that must fail
the build naming the culprit. (The real site is ``built_site``, in tests/conftest.py.)"""

from __future__ import annotations

import filecmp

import pytest

from k8sdocs.render.svg import xml_text
from support.hostile import HOSTILE_STEP


def assert_fails_naming(result, *needles: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for needle in needles:
        assert needle in output, f"{needle!r} not in build output:\n{output}"


# --- pages that must build (one shared build: ``extended_copy``) ----------------------------------


def test_copy_with_extra_pages_builds(extended_copy) -> None:
    """Control for the failures below: the copy itself builds, so they come from the broken page."""
    _, result, site = extended_copy
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "arquitectura" / "index.html").is_file()


def test_diagram_labels_are_inert_text(extended_copy) -> None:
    """Mermaid directives, arrows and markup in a label stay text inside the SVG (issue 15, item 5)."""
    _, _, site = extended_copy
    html = (site / "diagrama" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="k8s-svg ') == 1 and "<b>x</b>" not in html and "mermaid" not in html
    words = xml_text(HOSTILE_STEP).split(" ")
    assert all(word in html for word in words)  # every word drawn, escaped (the label wraps at spaces)


def test_a_mermaid_fence_fails_the_build_naming_the_page(project_copy) -> None:
    """The site ships no Mermaid; Material would fetch it from unpkg.com for a ```mermaid fence."""
    project_copy.add_page("diagrama-mermaid.md", "# Diagrama\n\n```mermaid\nflowchart LR\n  a --> b\n```\n", "Mermaid")
    result, _ = project_copy.build()
    assert_fails_naming(result, "diagrama-mermaid.md", "```mermaid", "k8sdocs/render/")
    assert "Traceback" not in result.stdout + result.stderr


def test_pages_without_opt_in_keep_double_braces_verbatim(extended_copy) -> None:
    """Kubernetes pages quote Go/Helm templates; macros only run where a page asks for them."""
    _, _, site = extended_copy
    html = (site / "plantillas" / "index.html").read_text(encoding="utf-8")
    assert "{{range .items}}{{.metadata.name}}{{end}}" in html


def test_heading_ids_survive_the_macro_comment_delimiters(extended_copy) -> None:
    """``{#id}`` would open a Jinja comment with the default delimiters (docs-stack.md §2)."""
    _, _, site = extended_copy
    assert 'id="mi-ancla"' in (site / "ancla" / "index.html").read_text(encoding="utf-8")


def test_build_is_reproducible(extended_copy) -> None:
    """A second build of the same sources is byte-identical (SOURCE_DATE_EPOCH fixed; a snapshot copy,
    so edits elsewhere in the working tree cannot race with it)."""
    copy, first, site_a = extended_copy
    second, site_b = copy.build("site-b")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr

    def differences(cmp: filecmp.dircmp, prefix: str = "") -> list[str]:
        found = [prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files]
        for name, sub in sorted(cmp.subdirs.items()):
            found += differences(sub, f"{prefix}{name}/")
        return found

    assert differences(filecmp.dircmp(site_a, site_b)) == []


# --- pages that must fail the build -------------------------------------------------------------


def test_broken_links_and_pages_outside_nav_fail_the_build(project_copy) -> None:
    project_copy.add_page(
        "rota.md",
        "# Rota\n\nVer [otra página](no-existe.md), [el plano](arquitectura.md#no-hay-tal-ancla)"
        " y [inicio](/arquitectura/).\n",
        "Rota",
    )
    (project_copy.root / "docs" / "suelta.md").write_text("# Suelta\n", encoding="utf-8")
    result, _ = project_copy.build()
    # Messages of mkdocs/structure/pages.py (_RelativePathTreeprocessor) and mkdocs/commands/build.py
    # (omitted_files), each at `warn` in mkdocs.yml `validation:`, so --strict aborts.
    assert_fails_naming(
        result,
        "Doc file 'rota.md' contains a link 'no-existe.md', but the target is not found among documentation files.",
        "Doc file 'rota.md' contains a link 'arquitectura.md#no-hay-tal-ancla', but the doc 'arquitectura.md'"
        " does not contain an anchor '#no-hay-tal-ancla'.",
        "Doc file 'rota.md' contains an absolute link '/arquitectura/'",
        'are not included in the "nav" configuration:\n  - suelta.md',
        "Aborted with 4 warnings in strict mode!",
    )


@pytest.mark.parametrize(
    "body",
    [
        "{{ macro_que_no_existe() }}",  # on_undefined: strict
        "{{ 1 + }}",  # Jinja syntax error
    ],
)
def test_broken_macro_fails_the_build_naming_the_page(project_copy, body: str) -> None:
    project_copy.add_page("macro-rota.md", f"---\nrender_macros: true\n---\n# Macro rota\n\n{body}\n", "Macro rota")
    result, _ = project_copy.build()
    # mkdocs_macros/plugin.py render(): on_error_fail -> exit(ERROR_MACRO), ERROR_MACRO = 100 (errors.py)
    assert result.returncode == 100, result.stdout + result.stderr
    assert_fails_naming(result, "macro-rota.md")


def test_the_site_without_node_modules_fails_in_one_line_saying_how_to_install(project_copy_without_node_modules) -> None:
    """Only Pyodide comes from npm (the playground; diagrams are SVG drawn by Python). Without node_modules the build
    cannot ship it: it fails with one line naming the missing package and the command that installs it, never a
    traceback and never a site without its playground."""
    result, _ = project_copy_without_node_modules.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "pyodide" in output.lower() and "npm ci" in output, output
    assert "Traceback" not in output, output
