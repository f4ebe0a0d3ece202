"""The exercises: each answer as worked out by hand from the upstream plugins."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import exercises, scheduling
from k8sdocs.content.book import ExampleBook

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(DOCS)


def test_taint_excludes_the_big_node(book):
    result, _ = scheduling.schedule(book, "cp-ejercicio-taints.yaml", "api")
    assert result.selected_node == "pequeno"
    assert result.filter_statuses["grande"].plugin == "TaintToleration"


def test_node_selector_then_preferred_affinity(book):
    # node_affinity.go: node-3 fails the selector; preferred term weight 50 -> raw 50/0, normalized 100/0, x2.
    result, _ = scheduling.schedule(book, "cp-ejercicio-afinidad.yaml", "cache")
    assert result.filter_statuses["node-3"].reasons == ("node(s) didn't match Pod's node affinity/selector",)
    assert dict(result.scores["NodeAffinity"]) == {"node-1": 0, "node-2": 100}
    assert result.selected_node == "node-2"


def test_resources_prefer_the_empty_node(book):
    # LeastAllocated: node-1 cpu (4-4)/4 -> 0, mem (8-7)/8 -> 12 -> 6; node-2 cpu 75, mem 87 -> 81
    result, _ = scheduling.schedule(book, "cp-ejercicio-recursos.yaml", "web")
    assert dict(result.scores["NodeResourcesFit"]) == {"node-1": 6, "node-2": 81}
    assert result.selected_node == "node-2"


def test_tie_between_three_identical_nodes(book):
    result, _ = scheduling.schedule(book, "cp-ejercicio-empate.yaml", "trabajo")
    assert len(set(result.total_scores.values())) == 1 and len(result.total_scores) == 3
    assert result.selected_node in {"node-1", "node-2", "node-3"}


def test_impossible_pod_message(book):
    result, _ = scheduling.schedule(book, "cp-ejercicio-imposible.yaml", "analitica")
    assert result.selected_node is None
    assert result.message == (
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, "
        "1 node(s) had untolerated taint(s). preemption: 0/3 nodes are available: "
        "3 Preemption is not helpful for scheduling."
    )


def test_answer_is_hidden_and_title_does_not_reveal_it(book):
    md = exercises.exercise(book, "cp-ejercicio-recursos.yaml", "web", espera="node-2")
    assert '??? question "Ver la respuesta"' in md
    assert "node-2" not in md.split('??? question')[1].split("\n")[0]


def test_node_rows_show_what_is_already_requested(book):
    rows = exercises.node_rows(book, "cp-ejercicio-recursos.yaml", "web")
    assert rows[0][0] == "<code>node-1</code>" and rows[0][5] == "3 CPU, 6 GiB"
    assert rows[1][5] == "—"
    assert [r[3] for r in rows] == ["4", "4"]


@pytest.mark.parametrize("milli, text", [(1500, "1,5"), (250, "0,25"), (4000, "4")])
def test_format_cpu(milli, text):
    assert exercises.format_cpu(milli) == text


def test_format_memory():
    assert exercises.format_memory(512 * (1 << 20)) == "512 MiB"
    assert exercises.format_memory(3 * (1 << 29)) == "1,5 GiB"


def test_tie_is_stated_by_the_tied_nodes_not_the_random_winner(book):
    result, _ = scheduling.schedule(book, "cp-ejercicio-empate.yaml", "trabajo")
    assert exercises.tied_nodes(result) == ["node-1", "node-2", "node-3"]
    exercises.exercise(book, "cp-ejercicio-empate.yaml", "trabajo", empatados="node-1,node-2,node-3")
    with pytest.raises(Exception, match="empatados"):
        exercises.exercise(book, "cp-ejercicio-empate.yaml", "trabajo", empatados="node-1,node-2")
    other, _ = scheduling.schedule(book, "cp-ejercicio-recursos.yaml", "web")
    assert exercises.tied_nodes(other) == []
