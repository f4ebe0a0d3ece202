"""Top-down flowcharts drawn as SVG at build time (k8sdocs/render/flowchart.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from k8sdocs.render.flowchart import FlowEdge, FlowNode, chain_figure, flowchart_svg
from k8sdocs.render.svg import MIN_FONT_PX

SVG = "{http://www.w3.org/2000/svg}"


def boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    return [(float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))
            for r in root.iter(f"{SVG}rect") if r.get("class") == "k8s-box"]


def texts(root: ET.Element, css: str) -> list[str]:
    return [" ".join(t.text or "" for t in el.iter(f"{SVG}tspan")) for el in root.iter(f"{SVG}text") if el.get("class") == css]


FAN = (
    [FlowNode("svc", "KUBE-SVC-P4Q3KNUAWJVP4ILH")]
    + [FlowNode(f"sep{i}", f"KUBE-SEP-{i}ABCDEFGHIJKLMNO") for i in range(3)]
    + [FlowNode(f"dnat{i}", f"DNAT a 10.244.{i}.2:80") for i in range(3)],
    [FlowEdge("svc", f"sep{i}", f"p = {p}") for i, p in enumerate(["1/3", "1/2", "1"])]
    + [FlowEdge(f"sep{i}", f"dnat{i}") for i in range(3)],
)


def test_tree_layers_and_children_under_their_parent():
    root = ET.fromstring(flowchart_svg(*FAN, title="Camino"))
    b = boxes(root)
    centres = [x + w / 2 for x, _, w, _ in b]
    tops = [y for _, y, _, _ in b]
    assert tops[1] == tops[2] == tops[3] > tops[0]  # the three SEP chains share a layer below the SVC chain
    assert tops[4] == tops[5] == tops[6] > tops[1]
    assert centres[1] < centres[2] < centres[3]
    assert [round(c) for c in centres[4:]] == [round(c) for c in centres[1:4]]  # each DNAT under its chain
    assert centres[0] == pytest.approx(centres[2])
    for (x1, _, w1, _), (x2, _, _, _) in zip(b[1:3], b[2:4]):
        assert x1 + w1 < x2  # siblings never overlap
    assert texts(root, "k8s-edge-label") == ["p = 1/3", "p = 1/2", "p = 1"]


def test_natural_size_and_fonts():
    root = ET.fromstring(flowchart_svg(*FAN, title="Camino"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    default = float(root.get("font-size"))
    assert min(float(t.get("font-size", default)) for t in root.iter(f"{SVG}text")) >= MIN_FONT_PX
    right = max(x + w for x, _, w, _ in boxes(root))
    assert right < float(root.get("width"))


def test_a_loop_goes_back_around_the_right_side():
    html = chain_figure(["Observar", "Comparar", "Actuar", "Escribir"], title="Bucle", loop=True)
    root = ET.fromstring(html[html.index("<svg"):html.index("</svg>") + 6])
    paths = [p.get("d") for p in root.iter(f"{SVG}path") if p.get("class") == "k8s-line"]
    assert len(paths) == 1 and paths[0].startswith("M")
    right = max(x + w for x, _, w, _ in boxes(root))
    lane = float(paths[0].split("H")[1].split()[0])
    assert lane > right
    assert "Escribir → Observar" in root.find(f"{SVG}desc").text


def test_labels_are_inert_and_edges_checked():
    svg = flowchart_svg([FlowNode("a", '%%{init: {"theme":"dark"}}%% <b>x</b>'), FlowNode("b", "b")],
                        [FlowEdge("a", "b", "-->|x| c")], title="t")
    root = ET.fromstring(svg)
    assert texts(root, "k8s-label")[0] == '%%{init: {"theme":"dark"}}%% <b>x</b>'
    assert not list(root.iter("b"))
    with pytest.raises(ValueError, match="unknown node"):
        flowchart_svg([FlowNode("a", "a")], [FlowEdge("a", "z")], title="t")
    with pytest.raises(ValueError, match="duplicate"):
        flowchart_svg([FlowNode("a", "a"), FlowNode("a", "b")], [], title="t")
