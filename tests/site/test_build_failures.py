"""The build must fail, naming the culprit, when a page is broken (copies of the project in tmp)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def assert_fails_naming(result, *needles: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for needle in needles:
        assert needle in output, f"{needle!r} not in build output:\n{output}"


def test_copy_of_the_project_builds(project_copy) -> None:
    """Control: without the broken page the copy builds, so the failures below come from the page."""
    result, site = project_copy.build()
    assert result.returncode == 0, result.stderr
    assert (site / "arquitectura" / "index.html").is_file()


def test_link_to_missing_page_fails_the_build(project_copy) -> None:
    project_copy.add_page("rota.md", "# Rota\n\nVer [otra página](no-existe.md).\n", "Rota")
    result, _ = project_copy.build()
    # mkdocs/structure/pages.py, _RelativePathTreeprocessor: "Doc file '%s' contains a link '%s', but the
    # target '%s' is not found among documentation files."
    assert_fails_naming(result, "Doc file 'rota.md' contains a link 'no-existe.md'", "strict mode")


def test_link_to_missing_anchor_fails_the_build(project_copy) -> None:
    project_copy.add_page("rota.md", "# Rota\n\nVer [el plano](arquitectura.md#no-hay-tal-ancla).\n", "Rota")
    result, _ = project_copy.build()
    # mkdocs/structure/pages.py: "Doc file '%s' contains a link '%s', but the doc '%s' does not contain an
    # anchor '#%s'."
    assert_fails_naming(result, "Doc file 'rota.md'", "does not contain an anchor '#no-hay-tal-ancla'")


def test_absolute_link_fails_the_build(project_copy) -> None:
    project_copy.add_page("rota.md", "# Rota\n\nVer [inicio](/arquitectura/).\n", "Rota")
    result, _ = project_copy.build()
    assert_fails_naming(result, "Doc file 'rota.md' contains an absolute link '/arquitectura/'")


def test_page_missing_from_nav_fails_the_build(project_copy) -> None:
    (project_copy.root / "docs" / "suelta.md").write_text("# Suelta\n", encoding="utf-8")
    result, _ = project_copy.build()
    assert_fails_naming(result, "suelta.md")


@pytest.mark.parametrize(
    "body",
    [
        "{{ macro_que_no_existe() }}",  # on_undefined: strict
        "{{ variable_que_no_existe }}",
        "{{ 1 + }}",  # Jinja syntax error
    ],
)
def test_broken_macro_fails_the_build_naming_the_page(project_copy, body: str) -> None:
    project_copy.add_page("macro-rota.md", f"---\nrender_macros: true\n---\n# Macro rota\n\n{body}\n", "Macro rota")
    result, _ = project_copy.build()
    # mkdocs_macros/plugin.py render(): on_error_fail -> exit(ERROR_MACRO), ERROR_MACRO = 100 (errors.py)
    assert result.returncode == 100, result.stdout + result.stderr
    assert_fails_naming(result, "macro-rota.md")


def test_pages_without_opt_in_keep_double_braces_verbatim(project_copy) -> None:
    """Kubernetes pages quote Go/Helm templates; macros only run where a page asks for them."""
    project_copy.add_page("plantillas.md", "# Plantillas\n\n`kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'`\n", "Plantillas")
    result, site = project_copy.build()
    assert result.returncode == 0, result.stderr
    html = (site / "plantillas" / "index.html").read_text(encoding="utf-8")
    assert "{{range .items}}{{.metadata.name}}{{end}}" in html


def test_heading_ids_survive_the_macro_comment_delimiters(project_copy) -> None:
    """``{#id}`` would open a Jinja comment with the default delimiters (docs-stack.md §2)."""
    project_copy.add_page("ancla.md", "---\nrender_macros: true\n---\n# Ancla\n\n## Título {#mi-ancla}\n", "Ancla")
    result, site = project_copy.build()
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'id="mi-ancla"' in (site / "ancla" / "index.html").read_text(encoding="utf-8")


def test_missing_mermaid_fails_with_the_fix(project_copy_without_node_modules) -> None:
    result, _ = project_copy_without_node_modules.build()
    assert_fails_naming(result, "node_modules/mermaid/dist/mermaid.min.js", "npm ci", "make serve")


def test_mermaid_fence_becomes_a_mermaid_block(project_copy) -> None:
    project_copy.add_page("diagrama.md", MERMAID_PAGE, "Diagrama")
    result, site = project_copy.build()
    assert result.returncode == 0, result.stderr
    html = (site / "diagrama" / "index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid"><code>flowchart LR' in html


MERMAID_PAGE = """# Diagrama

```mermaid
flowchart LR
  s[kube-scheduler] --> a[kube-apiserver]
  k[kubelet] --> a
  a --> e[(etcd)]
```
"""
