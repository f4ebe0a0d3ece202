"""Geometry of a build-time SVG diagram read back from its markup: where each label and step badge is drawn.

The diagrams (k8sdocs/render/sequence.py, flowchart.py) draw monospace text at a known size, so a label's box is
known from the SVG alone: its width from the renderer's own ``text_width`` (``CHAR_EM`` em per character at the
``font-size`` the element inherits), its height from the baseline (``y`` plus each ``<tspan>``'s ``dy``) and the
glyphs' reach above and below it in the monospace fonts of ``FONT_FAMILY`` (DejaVu Sans Mono: 0.76 and 0.24 em;
rounded up).

:func:`problems` lists, in words, what would make a diagram hard to read: two labels drawn over each other, a step
badge over a label, an arrowhead or another badge, a badge's number wider than its badge, a label or badge outside
the ``viewBox``, text under ``MIN_FONT_PX`` at natural size (width/height equal to the viewBox), a label that spills
out of the box or note it is written in or lies over another one, step numbers out of order or out of step with the
``<desc>`` a screen reader reads. An empty list is a readable diagram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree

from k8sdocs.render.svg import MIN_FONT_PX, text_width

SVG_NS = "{http://www.w3.org/2000/svg}"
ASCENT_EM = 0.8  # above the baseline
DESCENT_EM = 0.25  # below it
TOLERANCE = 0.5  # coordinates are written with one decimal: boxes closer than this do not count as overlapping
LABEL_CLASSES = ("k8s-label", "k8s-edge-label")
CONTAINER_CLASSES = ("k8s-box", "k8s-note")
_MOVE_TO = re.compile(r"M(-?[\d.]+) (-?[\d.]+) L")  # an arrowhead: a triangle drawn from its tip
_DESC_STEP = re.compile(r"(?:^|\. )(\d+)\. [^→]+? → ")


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (self.x0 < other.x1 - TOLERANCE and other.x0 < self.x1 - TOLERANCE
                and self.y0 < other.y1 - TOLERANCE and other.y0 < self.y1 - TOLERANCE)

    def inside(self, other: Box) -> bool:
        return (self.x0 >= other.x0 - TOLERANCE and self.x1 <= other.x1 + TOLERANCE
                and self.y0 >= other.y0 - TOLERANCE and self.y1 <= other.y1 + TOLERANCE)

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass(frozen=True)
class Line:
    """One drawn line of a ``<text>``: ``element`` numbers the ``<text>`` in document order."""

    element: int
    css: str
    text: str
    font_px: float
    anchor_x: float
    baseline: float
    box: Box


@dataclass(frozen=True)
class Badge:
    """A step-number circle and the number written on it."""

    cx: float
    cy: float
    r: float
    number: str
    number_width: float

    def overlaps(self, box: Box) -> bool:
        """Whether the circle and the box share area (more than ``TOLERANCE``)."""
        nx = min(max(self.cx, box.x0), box.x1)
        ny = min(max(self.cy, box.y0), box.y1)
        return (self.cx - nx) ** 2 + (self.cy - ny) ** 2 < (self.r - TOLERANCE) ** 2

    @property
    def box(self) -> Box:
        return Box(self.cx - self.r, self.cy - self.r, self.cx + self.r, self.cy + self.r)


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    view_box: tuple[float, ...]
    root_font_px: float
    lines: tuple[Line, ...]  # labels and badge numbers, every line of every <text>
    badges: tuple[Badge, ...]  # in document order
    containers: tuple[Box, ...]  # participant boxes, notes, flowchart nodes
    arrow_tips: tuple[tuple[float, float], ...]  # the point of every arrowhead
    desc_numbers: tuple[int, ...]  # the step numbers the <desc> reads out, in order

    @property
    def labels(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.css in LABEL_CLASSES)

    @property
    def numbers(self) -> list[int]:
        return [int(b.number) for b in self.badges]


def _float(el: ElementTree.Element, name: str, default: float | None = None) -> float:
    value = el.get(name)
    if value is None:
        if default is None:
            raise AssertionError(f"<{el.tag.removeprefix(SVG_NS)}> without {name}")
        return default
    return float(value)


def _text_lines(index: int, el: ElementTree.Element, root_font: float) -> list[Line]:
    font = _float(el, "font-size", root_font)
    anchor = el.get("text-anchor", "start")
    css = el.get("class", "")
    baseline = _float(el, "y")
    out = []
    for span in el.iter(f"{SVG_NS}tspan"):
        baseline += _float(span, "dy", 0.0)
        x = _float(span, "x", _float(el, "x"))
        text = span.text or ""
        w = text_width(len(text), font)
        left = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        box = Box(left, baseline - ASCENT_EM * font, left + w, baseline + DESCENT_EM * font)
        out.append(Line(index, css, text, font, x, baseline, box))
    return out


def geometry(svg: str) -> Geometry:
    """Every label line, badge and container of one ``<svg>`` (as sequence.py and flowchart.py write them)."""
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg", root.tag
    root_font = _float(root, "font-size")
    lines: list[Line] = []
    for i, el in enumerate(root.iter(f"{SVG_NS}text")):
        lines += _text_lines(i, el, root_font)
    numbers = [line for line in lines if line.css == "k8s-badge-text"]
    circles = [el for el in root.iter(f"{SVG_NS}circle") if el.get("class") == "k8s-badge"]
    assert len(circles) == len(numbers), f"{len(circles)} badges, {len(numbers)} badge numbers"
    badges = []
    for el, num in zip(circles, numbers):
        cx, cy, r = _float(el, "cx"), _float(el, "cy"), _float(el, "r")
        assert abs(num.anchor_x - cx) <= TOLERANCE, f"badge number {num.text} is not on its badge"
        badges.append(Badge(cx, cy, r, num.text, num.box.x1 - num.box.x0))
    rects = [el for el in root.iter(f"{SVG_NS}rect") if el.get("class") in CONTAINER_CLASSES]
    containers = tuple(Box(_float(r, "x"), _float(r, "y"), _float(r, "x") + _float(r, "width"),
                           _float(r, "y") + _float(r, "height")) for r in rects)
    tips = []
    for el in root.iter(f"{SVG_NS}path"):
        start = _MOVE_TO.match(el.get("d", "")) if el.get("class") == "k8s-line-fill" else None
        if start:
            tips.append((float(start[1]), float(start[2])))
    desc = root.find(f"{SVG_NS}desc")
    # "N. source → target: text." (sequence.py's _description; a participant may have spaces in its name)
    desc_numbers = tuple(int(n) for n in _DESC_STEP.findall(desc.text or "")) if desc is not None else ()
    view_box = tuple(float(v) for v in (root.get("viewBox") or "").split())
    return Geometry(_float(root, "width"), _float(root, "height"), view_box, root_font, tuple(lines), tuple(badges),
                    containers, tuple(tips), desc_numbers)


def _show(line: Line) -> str:
    return f"{line.text!r} at ({line.box.x0:.1f}, {line.box.y0:.1f})-({line.box.x1:.1f}, {line.box.y1:.1f})"


def problems(g: Geometry, first_number: int | None = 1) -> list[str]:
    """What makes the diagram hard to read, one sentence each (empty: none). ``first_number``: the number the
    first badge must carry (``None``: any, for a diagram that continues an earlier one's numbering)."""
    found: list[str] = []
    if g.view_box != (0.0, 0.0, g.width, g.height):
        found.append(f"not drawn at natural size: viewBox {g.view_box}, size {g.width}x{g.height}")
    frame = Box(*g.view_box[:2], g.view_box[0] + g.view_box[2], g.view_box[1] + g.view_box[3]) \
        if len(g.view_box) == 4 else Box(0, 0, g.width, g.height)
    for line in g.lines:
        if line.font_px < MIN_FONT_PX:
            found.append(f"font-size {line.font_px} < {MIN_FONT_PX} px: {_show(line)}")
        if not line.box.inside(frame):
            found.append(f"label outside the viewBox {g.view_box}: {_show(line)}")
    labels = g.labels
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if a.element != b.element and a.box.overlaps(b.box):
                found.append(f"labels overlap: {_show(a)} and {_show(b)}")
    for line in labels:
        around = [c for c in g.containers if c.contains_point(line.anchor_x, line.baseline)]
        if around and not any(line.box.inside(c) for c in around):
            found.append(f"label spills out of its box: {_show(line)}")
        for c in g.containers:
            if c not in around and line.box.overlaps(c):
                found.append(f"label over a box it is not written in: {_show(line)}, box at ({c.x0:.1f}, {c.y0:.1f})")
    for i, badge in enumerate(g.badges):
        if not badge.box.inside(frame):
            found.append(f"badge {badge.number} outside the viewBox")
        if badge.number_width > 2 * badge.r + TOLERANCE:
            found.append(f"badge {badge.number}: the number ({badge.number_width:.1f} px) is wider than its badge "
                         f"({2 * badge.r:.1f} px)")
        for line in labels:
            if badge.overlaps(line.box):
                found.append(f"badge {badge.number} at ({badge.cx}, {badge.cy}) covers the label {_show(line)}")
        for tx, ty in g.arrow_tips:
            if (badge.cx - tx) ** 2 + (badge.cy - ty) ** 2 < (badge.r - TOLERANCE) ** 2:
                found.append(f"badge {badge.number} at ({badge.cx}, {badge.cy}) hides the arrowhead at ({tx}, {ty})")
        for other in g.badges[i + 1:]:
            if (badge.cx - other.cx) ** 2 + (badge.cy - other.cy) ** 2 < (badge.r + other.r - TOLERANCE) ** 2:
                found.append(f"badges {badge.number} and {other.number} overlap")
    numbers = g.numbers
    if numbers:
        start = numbers[0] if first_number is None else first_number
        if numbers != list(range(start, start + len(numbers))):
            found.append(f"step numbers {numbers} are not {start}..{start + len(numbers) - 1} in order")
        if [b.cy for b in g.badges] != sorted(b.cy for b in g.badges):
            found.append("step badges are not drawn top to bottom in number order")
    if list(g.desc_numbers) != numbers:
        found.append(f"the <desc> reads steps {list(g.desc_numbers)}, the picture shows {numbers}")
    return found
