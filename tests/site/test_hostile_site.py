"""Hostile pull requests against the whole build (issue 15): what a copy of the project must refuse or show verbatim.

* a ``--8<--`` line inside a manifest or a scenario is shown as written, never expanded by pymdownx.snippets;
* a symlink under ``docs/`` or ``imagenes/`` leading outside the repository fails the build, naming it;
* a page cannot call ``now()`` (the build's clock).
"""

from __future__ import annotations

from support.built_html import article, code_blocks

SNIPPET = '--8<-- "secreto.txt"'  # pymdownx.snippets syntax, in case the extension is (re)enabled
SECRET = "LINEA-QUE-NO-DEBE-PUBLICARSE"

SCENARIO = f"""\
name: hostil
description: |
  {SNIPPET}
seed: 1
until: 5s
manifests: [manifiestos/hostil.yaml]
"""

MANIFEST = f"""\
apiVersion: v1
kind: Node
metadata:
  name: nodo-1
status:
  allocatable: {{cpu: "2", memory: 4Gi, pods: "110"}}
  capacity: {{cpu: "2", memory: 4Gi, pods: "110"}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: trozo
data:
  texto: |
    {SNIPPET}
"""


def test_snippet_lines_in_shown_files_stay_verbatim(project_copy) -> None:
    docs = project_copy.root / "docs"
    (docs / "includes").mkdir(exist_ok=True)
    (docs / "includes" / "secreto.txt").write_text(SECRET + "\n", encoding="utf-8")
    (docs / "escenarios" / "hostil.yaml").write_text(SCENARIO, encoding="utf-8")
    (docs / "escenarios" / "manifiestos" / "hostil.yaml").write_text(MANIFEST, encoding="utf-8")
    project_copy.add_page("hostil.md", '---\nrender_macros: true\n---\n# Hostil\n\n'
                          '{{ cp_manifiestos("hostil.yaml", abierto=true) }}\n\n{{ cp_kubectl("hostil.yaml") }}\n', "Hostil")
    result, site = project_copy.build()
    assert result.returncode == 0, result.stdout + result.stderr
    page = (site / "hostil" / "index.html").read_text(encoding="utf-8")
    blocks = code_blocks(page)
    assert SCENARIO in blocks and MANIFEST in blocks, blocks
    assert SECRET not in "".join(article(page).find_all_next(string=True))  # the text from the article on


def test_symlink_under_docs_leading_outside_fails_the_build(project_copy) -> None:
    (project_copy.root / "docs" / "fuga.txt").symlink_to("/etc/hostname")
    result, site = project_copy.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "docs/fuga.txt: symlink leads outside the repository's allowed folders" in output, output
    assert "Traceback" not in output
    assert not (site / "fuga.txt").exists()


def test_symlinked_folder_under_imagenes_leading_outside_fails_the_build(project_copy) -> None:
    (project_copy.root / "imagenes" / "sistema").symlink_to("/etc", target_is_directory=True)
    result, _ = project_copy.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "imagenes/sistema: symlink leads outside" in output, output


def test_a_page_cannot_read_the_clock(project_copy) -> None:
    project_copy.add_page("reloj.md", "---\nrender_macros: true\n---\n# Reloj\n\nConstruido el {{ now() }}.\n", "Reloj")
    result, _ = project_copy.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "k8sdocs: reloj.md: macro o variable desconocida: 'now' is undefined" in output, output
