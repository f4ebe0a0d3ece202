"""The scheduling report names the winner, shows every node and keeps the upstream message verbatim."""

from __future__ import annotations

from dataclasses import dataclass, field

import markdown as md

from k8sdocs.render.scheduling import report


@dataclass(frozen=True)
class St:
    reasons: tuple[str, ...]
    plugin: str


@dataclass(frozen=True)
class Res:
    pod: str
    selected_node: str | None
    evaluated_nodes: tuple[str, ...]
    filter_statuses: dict
    feasible_nodes: tuple[str, ...]
    scores: dict
    weights: dict
    total_scores: dict
    message: str | None = None
    nominated_node: str | None = None
    victims: tuple[str, ...] = field(default=())


WEIGHTS = {"TaintToleration": 3, "NodeAffinity": 2, "NodeResourcesFit": 1}


def test_report_rows_and_winner():
    res = Res(
        pod="default/web",
        selected_node="b",
        evaluated_nodes=("a", "b", "c"),
        filter_statuses={"a": St(("node(s) had untolerated taint(s)",), "TaintToleration")},
        feasible_nodes=("b", "c"),
        scores={"TaintToleration": {"b": 100, "c": 100}, "NodeResourcesFit": {"b": 80, "c": 60}},
        weights=WEIGHTS,
        total_scores={"b": 380, "c": 360},
    )
    html = md.markdown(report(res, ["a", "b", "c"]), extensions=["tables"])
    assert html.count("<tr>") == 4
    assert "Taint<wbr>Toleration (×3)" in html and "Node<wbr>Resources<wbr>Fit (×1)" in html
    assert "NodeAffinity" not in html  # a plugin that scored nothing gets no column
    assert "<code>node(s) had untolerated taint(s)</code>" in html
    assert "<strong><code>b</code></strong> ✓" in html
    assert "puntuación total más alta (380)" in html


def test_report_unschedulable_shows_message_verbatim():
    msg = "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
    res = Res("default/big", None, ("a", "b"), {n: St(("Insufficient cpu",), "NodeResourcesFit") for n in "ab"},
              (), {}, WEIGHTS, {}, message=msg)
    text = report(res, ["a", "b"])
    assert "Pod no planificable" in text
    assert msg.replace("/", "/") in text.replace("&#124;", "|")


def test_a_plugin_that_gives_zero_everywhere_loses_its_column_and_is_named():
    """ImageLocality with no image anywhere adds 0 to every total: the column goes, a sentence says so."""
    res = Res(
        pod="default/web", selected_node="b", evaluated_nodes=("b", "c"), filter_statuses={}, feasible_nodes=("b", "c"),
        scores={"TaintToleration": {"b": 100, "c": 100}, "ImageLocality": {"b": 0, "c": 0}},
        weights={"TaintToleration": 3, "ImageLocality": 1}, total_scores={"b": 300, "c": 300},
    )
    html = md.markdown(report(res, ["b", "c"]), extensions=["tables"])
    assert "Image<wbr>Locality (×1)" not in html
    assert html.count("</th>") == 4  # Nodo, Filtros, TaintToleration, Total
    assert "Sin columna (puntúa 0 en todos los nodos, no cambia ningún total): ImageLocality." in html
    res_nonzero = Res(**{**res.__dict__, "scores": {**res.scores, "ImageLocality": {"b": 0, "c": 12}}})
    assert "Image<wbr>Locality (×1)" in md.markdown(report(res_nonzero, ["b", "c"]), extensions=["tables"])
