"""Mermaid ``sequenceDiagram`` text from trace events.

The trace is the model's record (``k8sdocs.model.trace.TraceEvent``); this module only decides how
each kind of event is drawn. Text is escaped with Mermaid's entity codes so that ``;``, ``#``, ``<``
or ``>`` in an object name cannot end a statement or inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol


class TraceEventLike(Protocol):
    seq: int
    time_ms: int
    kind: str
    source: str
    target: str
    summary: str


# Mermaid entity codes (https://mermaid.js.org/syntax/sequenceDiagram.html#entity-codes-to-escape-characters)
_ENTITIES = {"#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;", "&": "#amp;", '"': "#quot;"}

# How each trace kind is drawn: solid arrow for a call, dashed for a notification.
_ARROWS = {
    "request": "->>",
    "etcd": "->>",
    "cri": "->>",
    "iptables": "->>",
    "cloud": "->>",
    "watch": "-->>",
}


def escape(text: str) -> str:
    """Escape message or label text for Mermaid."""
    out = "".join(_ENTITIES.get(ch, ch) for ch in " ".join(text.split()))
    return out


def participant_id(name: str) -> str:
    """A stable identifier for a participant (Mermaid ids cannot contain ``/`` or ``-``)."""
    ident = re.sub(r"[^A-Za-z0-9]", "_", name)
    return ident if ident[:1].isalpha() else "p_" + ident


def format_time(time_ms: int) -> str:
    """Simulated time as Spanish readers expect it: ``12,5 s`` (decimal comma), ``0 s``, ``5 min 50 s``."""
    seconds, millis = divmod(time_ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    frac = f",{millis:03d}".rstrip("0").rstrip(",") if millis else ""
    if minutes:
        return f"{minutes} min {seconds}{frac} s"
    return f"{seconds}{frac} s"


def sequence_diagram(
    events: Iterable[TraceEventLike],
    participants: Sequence[str] | None = None,
    show_time: bool = True,
    autonumber: bool = True,
) -> str:
    """A ``sequenceDiagram`` with one message per event.

    ``participants`` fixes the left-to-right order; any other actor that appears is appended in
    order of first appearance. Events of kind ``decision`` are drawn as notes over their source;
    kinds without a drawing rule (``event``, ``timer``) are skipped.
    """
    events = list(events)
    order: list[str] = list(participants or [])
    for ev in events:
        for name in (ev.source, ev.target):
            if name and name not in order and (ev.kind in _ARROWS or (ev.kind == "decision" and name == ev.source)):
                order.append(name)
    lines = ["sequenceDiagram"]
    if autonumber:
        lines.append("    autonumber")
    for name in order:
        lines.append(f"    participant {participant_id(name)} as {escape(name)}")
    for ev in events:
        prefix = f"[{format_time(ev.time_ms)}] " if show_time else ""
        text = escape(prefix + ev.summary)
        if ev.kind == "decision":
            lines.append(f"    Note over {participant_id(ev.source)}: {text}")
        elif ev.kind in _ARROWS:
            arrow = _ARROWS[ev.kind]
            lines.append(f"    {participant_id(ev.source)}{arrow}{participant_id(ev.target)}: {text}")
    return "\n".join(lines) + "\n"


def mermaid_block(diagram: str) -> str:
    """Wrap diagram text in the fence that pymdownx.superfences renders as a Mermaid diagram."""
    return f"```mermaid\n{diagram}```\n"
