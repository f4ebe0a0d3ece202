"""A run as pages show it: each decision's summary is its Spanish sentence from the phrasebook.

The model records decisions as reason codes plus fields (``Trace.decide``); every run a page reads goes through
:func:`phrase_run` once (``ExampleBook``'s runner, the playground), so content modules keep showing
``event.summary``. A decision recorded without a code keeps its summary (none should remain: see
tests/content/test_phrased.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from k8sdocs.render.phrasebook import has_phrase, sentence

if TYPE_CHECKING:
    from k8sdocs.model.cluster import ClusterRun
    from k8sdocs.model.trace import TraceEvent


def phrase_event(event: TraceEvent) -> TraceEvent:
    """``event`` with its Spanish text when its code has a phrase (decisions; kube-proxy's iptables-restore)."""
    if not event.code or not has_phrase(event.code):
        return event
    return replace(event, summary=sentence(event.code, dict(event.data)))


def phrase_events(events: tuple[TraceEvent, ...] | list[TraceEvent]) -> tuple[TraceEvent, ...]:
    return tuple(phrase_event(e) for e in events)


def phrase_run(run: ClusterRun) -> ClusterRun:
    events = phrase_events(run.events)
    return replace(run, events=events, trace_text="".join(e.to_line() + "\n" for e in events))
