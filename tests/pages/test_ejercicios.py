"""The exercises page: five questions, answers hidden in collapsible blocks and equal to the model's."""

from __future__ import annotations

import pytest

from k8sdocs.content import exercises, scheduling
from support.built_html import details, inline_codes, md_table, read_page, select, tables_of_html, text_of

EXERCISES = [
    ("cp-ejercicio-taints.yaml", "api"),
    ("cp-ejercicio-afinidad.yaml", "cache"),
    ("cp-ejercicio-recursos.yaml", "web"),
    ("cp-ejercicio-empate.yaml", "trabajo"),
    ("cp-ejercicio-imposible.yaml", "analitica"),
    ("cp-ejercicio-tolerancia.yaml", "entrenamiento"),
]


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return read_page(built_site, "ejercicios")


def test_five_hidden_answers(html):
    answers = [d for d in details(html) if d[0] == "question"]
    assert len(answers) == len(EXERCISES)
    assert all(summary == "Ver la respuesta" for _, summary, _ in answers)
    assert not any("open" in cls for cls, _, _ in answers)
    # pymdownx.details writes `???+` (shown open) as an attribute, not a class: <details class="question" open="open">
    assert select(html, "details.question[open]") == []


@pytest.mark.parametrize("index, case", list(enumerate(EXERCISES)))
def test_answer_is_the_models_report(html, book, index, case):
    scenario, pod = case
    result, nodes = scheduling.schedule(book, scenario, pod)
    _, _, body = [d for d in details(html) if d[0] == "question"][index]
    expected = md_table(scheduling.report(result, nodes))
    assert tables_of_html(body) == [expected]
    if result.selected_node:
        assert f"al nodo {result.selected_node}" in text_of(f"<article>{body}</article>")
    else:
        assert result.message in inline_codes(body)


@pytest.mark.parametrize("scenario, pod", EXERCISES)
def test_nodes_table_before_the_question(html, book, scenario, pod):
    expected = md_table(exercises.exercise(book, scenario, pod))
    assert expected in tables_of_html(html)


def test_expected_answers_by_hand(book):
    # taints exclude "grande"; nodeSelector + preferred zone -> node-2; LeastAllocated -> empty node-2
    assert scheduling.schedule(book, "cp-ejercicio-taints.yaml", "api")[0].selected_node == "pequeno"
    assert scheduling.schedule(book, "cp-ejercicio-afinidad.yaml", "cache")[0].selected_node == "node-2"
    assert scheduling.schedule(book, "cp-ejercicio-recursos.yaml", "web")[0].selected_node == "node-2"
    assert scheduling.schedule(book, "cp-ejercicio-imposible.yaml", "analitica")[0].selected_node is None
    # tolerated taint: LeastAllocated grande (16-1)/16 -> 93, (64-2)/64 -> 96 => 94; pequeno 50/50 => 50
    tolerant, _ = scheduling.schedule(book, "cp-ejercicio-tolerancia.yaml", "entrenamiento")
    assert dict(tolerant.scores["NodeResourcesFit"]) == {"grande": 94, "pequeno": 50}
    assert tolerant.selected_node == "grande"
