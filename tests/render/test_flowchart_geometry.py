"""Flowcharts a person can read (issue #10, item 1): the geometry of the drawn SVG, checked from the SVG itself.

The same measures as the sequence diagrams (tests/support/svg_geometry.py): no two labels over each other, every
label inside the viewBox and inside its box, text of at least ``MIN_FONT_PX`` at natural size. The shapes are the
ones the site draws (a tree of chains with labelled edges on the kube-proxy page, ``diagrama_cadena`` chains with
and without a loop) pushed to long labels and many children. The site's own flowcharts are checked with every
other diagram in test_sequence_geometry.py.
"""

from __future__ import annotations

import pytest

import k8sdocs.render.flowchart as flowchart
from k8sdocs.render.flowchart import FlowEdge, FlowNode, chain_figure, flowchart_svg
from support.built_html import diagrams
from support.svg_geometry import geometry, problems

N, E = FlowNode, FlowEdge
LONG = "KUBE-SEP-" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 2 + " (endpoint de un Service con un nombre largo)"


def fan(children: int, label: str) -> tuple[list[FlowNode], list[FlowEdge]]:
    nodes = [N("svc", "KUBE-SVC-P4Q3KNUAWJVP4ILH")]
    edges = []
    for i in range(children):
        nodes += [N(f"sep{i}", f"KUBE-SEP-{i}{LONG[:i * 7]}"), N(f"dnat{i}", f"DNAT a 10.244.{i}.2:80")]
        edges += [E("svc", f"sep{i}", f"{label} {i}/{children}"), E(f"sep{i}", f"dnat{i}")]
    return nodes, edges


CASES: dict[str, tuple[list[FlowNode], list[FlowEdge]]] = {
    "kube-proxy's path with short edge labels": fan(3, "--probability"),
    "eight children with long edge labels": fan(8, "-m statistic --mode random --probability 0.12500000000 de"),
    "long node labels, wrapped and capped": (
        [N("a", LONG * 3), N("b", "b"), N("c", LONG)],
        [E("a", "b", "una etiqueta de arista larga que envuelve en varias líneas"), E("b", "c", LONG)],
    ),
    "a tree, three layers deep, labels on every edge": (
        [N(i, f"nodo {i} " * (len(i) + 1)) for i in ("r", "a", "b", "aa", "ab", "ba")],
        [E("r", "a", "izquierda"), E("r", "b", "derecha, con más texto"), E("a", "aa", "sí"),
         E("a", "ab", "no, y además una explicación"), E("b", "ba", "siempre")],
    ),
}


def svg_of(html: str) -> str:
    [svg] = diagrams(html)
    return svg


@pytest.mark.parametrize("case", list(CASES))
def test_synthetic_flowcharts_are_readable(case: str) -> None:
    assert problems(geometry(flowchart_svg(*CASES[case], title=case))) == []


@pytest.mark.parametrize("loop", [False, True])
def test_chains_are_readable(loop: bool) -> None:
    steps = ["Autenticación", "Autorización", "Admisión de mutación: " + LONG, "Validación del esquema", "etcd"]
    assert problems(geometry(svg_of(chain_figure(steps, title="Cadena", loop=loop)))) == []
    assert problems(geometry(svg_of(chain_figure(["solo un paso"], title="Uno", loop=loop)))) == []


def test_overlapping_siblings_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Siblings drawn with a negative gap collide; a negative margin pushes the first ones out of the picture."""
    monkeypatch.setattr(flowchart, "H_GAP", -150)
    found = problems(geometry(flowchart_svg(*CASES["eight children with long edge labels"], title="t")))
    assert any(p.startswith("labels overlap") for p in found)
    monkeypatch.setattr(flowchart, "H_GAP", 24)
    monkeypatch.setattr(flowchart, "MARGIN", -100)
    found = problems(geometry(flowchart_svg(*CASES["eight children with long edge labels"], title="t")))
    assert any(p.startswith("label outside the viewBox") for p in found)


def test_a_label_wider_than_its_box_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Boxes measured for fewer characters than they hold: the text spills out."""
    monkeypatch.setattr(flowchart, "text_width", lambda chars, font_px=13: chars * 4.0)
    found = problems(geometry(flowchart_svg(*CASES["long node labels, wrapped and capped"], title="t")))
    assert any(p.startswith("label spills out of its box") for p in found)


@pytest.mark.xfail(strict=True, reason="a labelled edge from a second parent is drawn at the middle of its line, "
                                        "where the target's own edge label or a box of a layer between may be")
def test_a_labelled_second_parent_edge() -> None:
    nodes = [N("a", "Inicio"), N("b", "B"), N("c", "C con etiqueta"), N("d", "D")]
    edges = [E("a", "b", "sí"), E("a", "c", "no"), E("b", "d", "siempre que haya algo"),
             E("c", "d", "también desde c con texto largo")]
    assert problems(geometry(flowchart_svg(nodes, edges, title="t"))) == []
