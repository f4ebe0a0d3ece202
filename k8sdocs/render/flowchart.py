"""Top-down flowcharts as SVG, drawn at build time: boxes in layers, arrows with optional labels.

``flowchart_svg(nodes, edges)`` lays the graph out as a tidy tree: each node sits one layer below its first
parent (the first edge that reaches it), children are centred under their parent, siblings side by side in
the order of ``nodes``. An edge back to an earlier layer (a loop, as in the control loop) is routed around the
right-hand side. Edge labels sit just above the box they point to, on a background that hides the line.
Labels are inert text (see ``k8sdocs.render.svg``), wrapped at ``wrap_chars``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from k8sdocs.render.svg import FONT_PX, LINE_PX, capped, clean, figure, num, svg_document, text_lines, text_width, wrap


@dataclass(frozen=True)
class FlowNode:
    ident: str
    label: str


@dataclass(frozen=True)
class FlowEdge:
    source: str
    target: str
    label: str = ""


PAD = 10
H_GAP = 24
V_GAP = 30
MARGIN = 12
BACK_GAP = 26  # distance of a back edge's vertical run from the widest box it passes


def _validate(nodes: Sequence[FlowNode], edges: Sequence[FlowEdge]) -> None:
    idents = [n.ident for n in nodes]
    if len(set(idents)) != len(idents):
        raise ValueError(f"duplicate node ids: {sorted({i for i in idents if idents.count(i) > 1})}")
    for e in edges:
        if e.source not in idents or e.target not in idents:
            raise ValueError(f"edge {e.source!r} -> {e.target!r} names an unknown node")


def flowchart_svg(nodes: Sequence[FlowNode], edges: Sequence[FlowEdge], *, title: str, wrap_chars: int = 24) -> str:
    """The SVG text of a top-down flowchart (see the module docstring)."""
    if not nodes:
        raise ValueError("a flowchart needs at least one node")
    _validate(nodes, edges)
    order = {n.ident: i for i, n in enumerate(nodes)}
    lines = {n.ident: wrap(capped(n.label, 120)[0], wrap_chars) for n in nodes}
    labels = {(e.source, e.target): wrap(capped(e.label, 120)[0], wrap_chars) if clean(e.label) else [] for e in edges}
    size = {k: (text_width(max(len(s) for s in v)) + 2 * PAD, len(v) * LINE_PX + 2 * PAD - (LINE_PX - FONT_PX))
            for k, v in lines.items()}

    # Tree: the first edge that reaches a node (in edge order, from a node already placed) is its parent edge.
    parent: dict[str, str] = {}
    layer: dict[str, int] = {}
    roots = [n.ident for n in nodes if not any(e.target == n.ident for e in edges)] or [nodes[0].ident]
    for r in roots:
        layer[r] = 0
    changed = True
    while changed:
        changed = False
        for e in edges:
            if e.source in layer and e.target not in layer:
                layer[e.target] = layer[e.source] + 1
                parent[e.target] = e.source
                changed = True
    for n in nodes:  # unreachable nodes start their own tree
        layer.setdefault(n.ident, 0)
    children = {k: sorted((c for c, p in parent.items() if p == k), key=order.__getitem__) for k in order}

    def label_w(ident: str) -> float:
        lab = labels.get((parent.get(ident, ""), ident), [])
        return text_width(max(len(s) for s in lab)) + 2 * 4 if lab else 0.0

    span: dict[str, float] = {}

    def measure(ident: str) -> float:
        own = max(size[ident][0], label_w(ident))
        kids = children[ident]
        total = sum(measure(c) for c in kids) + H_GAP * (len(kids) - 1) if kids else 0.0
        span[ident] = max(own, total)
        return span[ident]

    tree_roots = [n.ident for n in nodes if n.ident not in parent]
    for r in tree_roots:
        measure(r)
    cx: dict[str, float] = {}

    def place(ident: str, left: float) -> None:
        cx[ident] = left + span[ident] / 2
        kids = children[ident]
        total = sum(span[c] for c in kids) + H_GAP * (len(kids) - 1) if kids else 0.0
        start = cx[ident] - total / 2
        for c in kids:
            place(c, start)
            start += span[c] + H_GAP

    left: float = MARGIN
    for r in tree_roots:
        place(r, left)
        left += span[r] + H_GAP

    depth = max(layer.values()) + 1
    row_h = [max(size[k][1] for k in order if layer[k] == d) for d in range(depth)]
    label_rows = [max((len(labels.get((parent.get(k, ""), k), [])) for k in order if layer[k] == d), default=0)
                  for d in range(depth)]
    top: list[float] = []
    y = MARGIN
    for d in range(depth):
        y += label_rows[d] * LINE_PX + (6 if label_rows[d] else 0)
        top.append(y)
        y += row_h[d] + V_GAP
    height = y - V_GAP + MARGIN
    right_edge = max(cx[k] + size[k][0] / 2 for k in order)

    body: list[str] = []
    back = [e for e in edges if e.target in layer and layer[e.target] <= layer[e.source] and parent.get(e.target) != e.source]
    forward = [e for e in edges if e not in back]
    back_x = right_edge + BACK_GAP
    for k, e in enumerate(back):  # each loop one lane further right
        sx, sy = cx[e.source] + size[e.source][0] / 2, top[layer[e.source]] + size[e.source][1] / 2
        tx, ty = cx[e.target] + size[e.target][0] / 2, top[layer[e.target]] + size[e.target][1] / 2
        lane = back_x + k * 16
        body.append(f'<path class="k8s-line" d="M{num(sx)} {num(sy)} H{num(lane)} V{num(ty)} H{num(tx + 9)}" '
                    f'fill="none" stroke="#444444" stroke-width="1.5"/>')
        body.append(f'<path class="k8s-line-fill" d="M{num(tx)} {num(ty)} L{num(tx + 9)} {num(ty - 4.5)} '
                    f'L{num(tx + 9)} {num(ty + 4.5)} Z" fill="#444444"/>')
    width = max(right_edge + MARGIN, back_x + 16 * len(back) + MARGIN if back else 0.0)
    for e in forward:
        x1, y1 = cx[e.source], top[layer[e.source]] + size[e.source][1]
        x2, y2 = cx[e.target], top[layer[e.target]]
        body.append(f'<line class="k8s-line" x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2 - 8)}" '
                    f'stroke="#444444" stroke-width="1.5"/>')
        body.append(f'<path class="k8s-line-fill" d="M{num(x2)} {num(y2)} L{num(x2 - 4.5)} {num(y2 - 9)} '
                    f'L{num(x2 + 4.5)} {num(y2 - 9)} Z" fill="#444444"/>')
    for e in forward:
        lab = labels.get((e.source, e.target), [])
        if not lab:
            continue
        w = text_width(max(len(s) for s in lab)) + 8
        h = len(lab) * LINE_PX
        x2, y2 = cx[e.target], top[layer[e.target]]
        if parent.get(e.target) != e.source:  # a second parent: label at the middle of the line
            x2 = (x2 + cx[e.source]) / 2
            y2 = (y2 + top[layer[e.source]] + size[e.source][1] + h) / 2
        body.append(f'<rect class="k8s-bg" x="{num(x2 - w / 2)}" y="{num(y2 - h - 10)}" width="{num(w)}" '
                    f'height="{num(h)}" fill="#ffffff"/>')
        body.append(text_lines(x2, y2 - h - 10 + FONT_PX, lab, css="k8s-edge-label"))
    for n in nodes:
        w, h = size[n.ident]
        x0, y0 = cx[n.ident] - w / 2, top[layer[n.ident]]
        body.append(f'<rect class="k8s-box" x="{num(x0)}" y="{num(y0)}" width="{num(w)}" height="{num(h)}" rx="4" '
                    f'fill="#eef0fb" stroke="#3f51b5"/>')
        full = clean(n.label) if capped(n.label, 120)[1] else None
        body.append(text_lines(cx[n.ident], y0 + PAD + FONT_PX - 1, lines[n.ident], full=full))
    return svg_document(width, height, body, title, _description(nodes, edges), "flow")


def _description(nodes: Sequence[FlowNode], edges: Sequence[FlowEdge]) -> str:
    name = {n.ident: clean(n.label) for n in nodes}
    parts = [f"{name[e.source]} → {name[e.target]}" + (f" ({clean(e.label)})" if clean(e.label) else "") for e in edges]
    return "Diagrama de flujo. " + "; ".join(parts) + "." if parts else "Diagrama de flujo: " + ", ".join(name.values()) + "."


def flowchart_figure(nodes: Sequence[FlowNode], edges: Sequence[FlowEdge], *, title: str, wrap_chars: int = 24) -> str:
    """``flowchart_svg`` inside the page's scrollable frame (an HTML block for a Markdown page)."""
    return figure(flowchart_svg(nodes, edges, title=title, wrap_chars=wrap_chars), title)


def chain_figure(steps: Sequence[str], *, title: str, loop: bool = False, wrap_chars: int = 30) -> str:
    """A vertical chain of steps (``loop``: an arrow from the last back to the first)."""
    nodes = [FlowNode(f"s{i}", step) for i, step in enumerate(steps)]
    edges = [FlowEdge(f"s{i}", f"s{i + 1}") for i in range(len(steps) - 1)]
    if loop and len(steps) > 1:
        edges.append(FlowEdge(f"s{len(steps) - 1}", "s0"))
    return flowchart_figure(nodes, edges, title=title, wrap_chars=wrap_chars)
