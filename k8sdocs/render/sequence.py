"""Sequence diagrams as SVG, drawn at build time from typed messages (or straight from trace events).

``sequence_svg(participants, messages)`` is the whole API a content module needs: one lifeline per distinct
participant name (compared as written: ``node-2`` and ``node.2`` are two lifelines), numbered arrows in
order (``first_number`` continues the numbering of an earlier diagram), notes over one participant (not
numbered, as in Mermaid, so a page's "Paso a paso" list keeps the same numbers). Lifelines are spaced so
that every label fits between the two lifelines it joins; a long label wraps onto several lines and one
past ``MAX_LABEL_CHARS`` ends in "…" with the full text in a ``<title>``.

``trace_sequence(events, ...)`` maps the model's trace (``k8sdocs.model.trace.TraceEvent``) to messages:
calls as solid arrows, watch notifications dashed, decisions as notes, other kinds skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from k8sdocs.render.svg import (
    FONT_PX,
    LINE_PX,
    capped,
    clean,
    figure,
    num,
    svg_document,
    text_lines,
    text_width,
    wrap,
)
from k8sdocs.render.timefmt import format_time


class TraceEventLike(Protocol):
    # read-only members: frozen dataclasses (TraceEvent) satisfy the protocol
    @property
    def seq(self) -> int: ...
    @property
    def time_ms(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def summary(self) -> str: ...


@dataclass(frozen=True)
class Message:
    """One row of a sequence diagram: an arrow ``source -> target`` or, with ``note``, a note over ``source``."""

    source: str
    target: str
    text: str
    dashed: bool = False  # a notification (watch event) rather than a call
    note: bool = False


# How each trace kind is drawn: solid arrow for a call, dashed for a notification.
_ARROWS = {"request": False, "etcd": False, "cri": False, "iptables": False, "cloud": False, "watch": True}

MESSAGE_WRAP = 40  # characters per label line of an arrow
NOTE_WRAP = 40
NAME_WRAP = 16  # participant names wrap after "/" or "-"
MIRROR_AFTER = 6  # more rows than this: the participant boxes are drawn again at the bottom
PAD = 10
BOX_H_LINE = LINE_PX
BADGE_R = 10  # the step badge's radius; a wider number (100 and up) gets a larger one (see _badge_r)
BADGE_FONT_PX = 12
ROW_GAP = 14
MARGIN = 12


def messages_from_trace(events: Iterable[TraceEventLike], show_time: bool = True) -> list[Message]:
    """Messages for the drawable trace events, in trace order (decisions become notes)."""
    out = []
    for ev in events:
        prefix = f"[{format_time(ev.time_ms)}] " if show_time else ""
        if ev.kind == "decision":
            out.append(Message(ev.source, ev.source, prefix + ev.summary, note=True))
        elif ev.kind in _ARROWS:
            out.append(Message(ev.source, ev.target, prefix + ev.summary, dashed=_ARROWS[ev.kind]))
    return out


def participant_order(participants: Sequence[str], messages: Sequence[Message]) -> list[str]:
    """``participants`` first (duplicates dropped), then every other name in order of first appearance."""
    order: list[str] = []
    for name in [*participants, *(n for m in messages for n in (m.source, m.target))]:
        if name and name not in order:
            order.append(name)
    return order


@dataclass(frozen=True)
class _Row:
    message: Message
    lines: list[str]
    full: str | None  # the uncut text when the label was capped
    width: float
    number: int | None


def _rows(messages: Sequence[Message], first_number: int, numbered: bool) -> list[_Row]:
    rows = []
    number = first_number
    for m in messages:
        text, cut = capped(m.text)
        lines = wrap(text, NOTE_WRAP if m.note else MESSAGE_WRAP)
        width = text_width(max(len(line) for line in lines))
        rows.append(_Row(m, lines, clean(m.text) if cut else None, width, None if m.note or not numbered else number))
        if not m.note and numbered:
            number += 1
    return rows


def _badge_r(rows: list[_Row]) -> float:
    """The radius of every step badge of a diagram: ``BADGE_R``, or more when the widest number needs it."""
    digits = max((len(str(row.number)) for row in rows if row.number is not None), default=1)
    return max(float(BADGE_R), text_width(digits, BADGE_FONT_PX) / 2 + 2)


def _positions(names: list[list[str]], rows: list[_Row], index: dict[str, int],
               badge_r: float = BADGE_R) -> tuple[list[float], float]:
    """x of each lifeline (left to right) and the total width: the smallest spacing where every label fits."""
    box_w = [text_width(max(len(line) for line in lines)) + 2 * PAD for lines in names]
    n = len(names)
    need: dict[tuple[int, int], float] = {}  # (i, j), i < j: x[j] - x[i] >= value
    left = [box_w[0] / 2 + MARGIN] * 1
    right_extra = [w / 2 + MARGIN for w in box_w]
    left_extra = [w / 2 + MARGIN for w in box_w]

    def at_least(i: int, j: int, value: float) -> None:
        need[(i, j)] = max(need.get((i, j), 0.0), value)

    for i in range(n - 1):
        at_least(i, i + 1, (box_w[i] + box_w[i + 1]) / 2 + 24)
    for row in rows:
        s, t = index[row.message.source], index[row.message.target]
        if row.message.note:
            half = row.width / 2 + PAD
            left_extra[s] = max(left_extra[s], half + MARGIN)
            right_extra[s] = max(right_extra[s], half + MARGIN)
            if s > 0:
                at_least(s - 1, s, half + 12)
            if s < n - 1:
                at_least(s, s + 1, half + 12)
        elif s == t:  # a message to itself: label to the right of a small loop
            span = row.width + 40
            right_extra[s] = max(right_extra[s], span + MARGIN)
            if s < n - 1:
                at_least(s, s + 1, span + 12)
        else:
            i, j = min(s, t), max(s, t)
            at_least(i, j, row.width + 2 * badge_r + 3 * PAD)
    x = [0.0] * n
    x[0] = max(left[0], left_extra[0])
    for j in range(1, n):
        x[j] = max([x[i] + v for (i, jj), v in need.items() if jj == j] + [left_extra[j]])
    width = max(x[i] + right_extra[i] for i in range(n))
    return x, width


def _arrowhead(x: float, y: float, direction: int) -> str:
    """A filled triangle pointing ``direction`` (+1 right, -1 left) with its tip at (x, y)."""
    back = x - direction * 9
    return f'<path class="k8s-line-fill" d="M{num(x)} {num(y)} L{num(back)} {num(y - 4.5)} L{num(back)} {num(y + 4.5)} Z" fill="#444444"/>'


def sequence_svg(participants: Sequence[str], messages: Sequence[Message], *, title: str = "Diagrama de secuencia",
                 first_number: int = 1, numbered: bool = True) -> str:
    """The SVG text of a sequence diagram (see the module docstring)."""
    order = participant_order(participants, messages)
    if not order:
        raise ValueError("a sequence diagram needs at least one participant")
    index = {name: i for i, name in enumerate(order)}
    names = [wrap(capped(name, 60)[0], NAME_WRAP) for name in order]
    rows = _rows(messages, first_number, numbered)
    badge_r = _badge_r(rows)
    x, width = _positions(names, rows, index, badge_r)

    body: list[str] = []
    box_h = max(len(lines) for lines in names) * BOX_H_LINE + 2 * PAD - (BOX_H_LINE - FONT_PX)
    top = MARGIN
    y = top + box_h + 24
    drawn: list[str] = []
    for row in rows:
        m = row.message
        s, t = index[m.source], index[m.target]
        label_h = len(row.lines) * LINE_PX
        if m.note:
            w = row.width + 2 * PAD
            h = label_h + PAD
            drawn.append(f'<rect class="k8s-note" x="{num(x[s] - w / 2)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" '
                         f'rx="3" fill="#fff8c5" stroke="#9a8a00"/>')
            drawn.append(text_lines(x[s], y + PAD / 2 + FONT_PX, row.lines, full=row.full))
            y += h + ROW_GAP
            continue
        arrow_y = y + label_h + 6
        badge_y = arrow_y  # on the arrow's start (a message to itself: the top of its loop, clear of the arrowhead)
        dash = ' stroke-dasharray="6 4"' if m.dashed else ""
        if s == t:
            x0 = x[s]
            drawn.append(text_lines(x0 + 30, y + FONT_PX, row.lines, anchor="start", full=row.full))
            loop_y = arrow_y
            drawn.append(f'<path class="k8s-line" d="M{num(x0)} {num(loop_y)} H{num(x0 + 24)} V{num(loop_y + 14)} '
                         f'H{num(x0 + 2)}" fill="none" stroke="#444444" stroke-width="1.5"{dash}/>')
            drawn.append(_arrowhead(x0 + 1, loop_y + 14, -1))
            arrow_y += 14
        else:
            direction = 1 if t > s else -1
            # left-aligned next to the left end of the arrow: readable before scrolling sideways
            start = min(x[s], x[t]) + (badge_r + 8 if direction == 1 else 14)
            drawn.append(text_lines(start, y + FONT_PX, row.lines, anchor="start", full=row.full))
            tip = x[t] - direction * 1
            drawn.append(f'<line class="k8s-line" x1="{num(x[s])}" y1="{num(arrow_y)}" x2="{num(tip - direction * 8)}" '
                         f'y2="{num(arrow_y)}" stroke="#444444" stroke-width="1.5"{dash}/>')
            drawn.append(_arrowhead(tip, arrow_y, direction))
        if row.number is not None:
            drawn.append(f'<circle class="k8s-badge" cx="{num(x[s])}" cy="{num(badge_y)}" r="{num(badge_r)}" '
                         'fill="#3f51b5"/>')
            drawn.append(text_lines(x[s], badge_y + 4, [str(row.number)], css="k8s-badge-text", font_px=BADGE_FONT_PX))
        y = arrow_y + ROW_GAP + 6
    bottom = y + 6
    tops = [top] + ([bottom] if len(rows) > MIRROR_AFTER else [])
    height = (bottom + box_h if len(tops) > 1 else bottom) + MARGIN
    for i, lines in enumerate(names):
        w = text_width(max(len(line) for line in lines)) + 2 * PAD
        body.append(f'<line class="k8s-lifeline" x1="{num(x[i])}" y1="{num(top + box_h)}" x2="{num(x[i])}" y2="{num(bottom)}" '
                    f'stroke="#8a8a8a" stroke-width="1"/>')
        for box_top in tops:
            body.append(f'<rect class="k8s-box" x="{num(x[i] - w / 2)}" y="{num(box_top)}" width="{num(w)}" '
                        f'height="{num(box_h)}" rx="4" fill="#eef0fb" stroke="#3f51b5"/>')
            body.append(text_lines(x[i], box_top + PAD + FONT_PX - 1, lines, weight="bold",
                                   full=order[i] if capped(order[i], 60)[1] else None))
    body += drawn
    return svg_document(width, height, body, title, _description(order, rows), "seq")


def _description(order: list[str], rows: list[_Row]) -> str:
    """The diagram as text for screen readers (the SVG is role="img"): participants, then every row in order."""
    parts = [f"Participantes: {', '.join(order)}."]
    for row in rows:
        m = row.message
        text = clean(m.text) if row.full is None else row.full
        if m.note:
            parts.append(f"Nota sobre {m.source}: {text}.")
        else:
            number = f"{row.number}. " if row.number is not None else ""
            parts.append(f"{number}{m.source} → {m.target}: {text}.")
    return " ".join(parts)


def sequence_figure(participants: Sequence[str], messages: Sequence[Message], *, title: str = "Diagrama de secuencia",
                    first_number: int = 1, numbered: bool = True) -> str:
    """``sequence_svg`` inside the page's scrollable frame (an HTML block for a Markdown page)."""
    svg = sequence_svg(participants, messages, title=title, first_number=first_number, numbered=numbered)
    return figure(svg, title)


def trace_sequence(events: Iterable[TraceEventLike], participants: Sequence[str] = (), *, show_time: bool = True,
                   title: str = "Diagrama de secuencia", first_number: int = 1) -> str:
    """The page block for a trace: ``messages_from_trace`` drawn by ``sequence_figure``."""
    return sequence_figure(participants, messages_from_trace(events, show_time), title=title, first_number=first_number)
