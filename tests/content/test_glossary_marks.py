"""The first-use marker on small Markdown documents: one mark per concept, first eligible use, never in
headings, table headers, code (also code written as raw HTML by a macro), links or admonition titles."""

from __future__ import annotations

import re

import markdown

from k8sdocs.glossary_marks import GlossaryMarksExtension

MARK = re.compile(r'<abbr class="k8s-termino" tabindex="0" title="([^"]*)">([^<]*)</abbr>')


def render(md: str) -> str:
    return markdown.markdown(md, extensions=["tables", "admonition", "md_in_html", GlossaryMarksExtension()])


def test_first_use_only_and_capitalised_forms_count_as_the_same_concept():
    html = render("El plano de control decide.\n\nOtra vez el plano de control. Plano de control.")
    assert [m[1] for m in MARK.findall(html)] == ["plano de control"]
    assert MARK.findall(html)[0][0].endswith("En inglés: control plane.")


def test_forms_of_one_concept_share_the_mark_and_the_longest_form_wins():
    html = render("Los nodos de trabajo; un nodo de trabajo. El entorno de ejecución de contenedores y el entorno de ejecución.")
    assert [m[1] for m in MARK.findall(html)] == ["nodos de trabajo", "entorno de ejecución de contenedores"]


def test_never_in_headings_table_headers_code_links_or_admonition_titles():
    md = (
        "# El planificador\n\n"
        "| planificador | x |\n| --- | --- |\n| a | b |\n\n"
        "`planificador` y <code>planificador</code> y [planificador](x.md)\n\n"
        '!!! note "El planificador"\n\n    Cuerpo.\n\n'
        "Aquí sí: el planificador.\n"
    )
    html = render(md)
    marks = MARK.findall(html)
    assert [m[1] for m in marks] == ["planificador"]
    assert html.index("k8s-termino") > html.index("Aquí sí")


def test_table_cells_are_text_and_glossary_block_is_left_alone():
    html = render('<div class="k8s-sin-terminos" markdown>\n\nEl latido.\n\n</div>\n\n| a |\n| --- |\n| un latido |\n')
    assert [m[1] for m in MARK.findall(html)] == ["latido"]
    assert html.index("k8s-termino") > html.index("<td>")


def test_not_before_keeps_other_concepts_unmarked():
    html = render("Los espacios de nombres de Linux del Pod. El espacio de nombres default.")
    assert [m[1] for m in MARK.findall(html)] == ["espacio de nombres"]


def test_words_inside_other_words_are_not_terms():
    assert MARK.findall(render("Replanificador y planificadores.")) == []


def test_each_document_starts_afresh():
    md = markdown.Markdown(extensions=[GlossaryMarksExtension()])
    assert len(MARK.findall(md.convert("El latido."))) == 1
    md.reset()
    assert len(MARK.findall(md.convert("Otro latido."))) == 1
