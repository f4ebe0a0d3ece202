"""The trace: an append-only record of everything that crosses a component boundary.

Every request to kube-apiserver, every etcd write, every watch notification, scheduler
decision, CRI call, Event, iptables sync and cloud call is one :class:`TraceEvent`.
``summary`` is protocol text exactly as Kubernetes shows it (English); only ``decision``
summaries are Spanish sentences for readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdocs.model.clock import Clock

KINDS = ("request", "etcd", "watch", "decision", "cri", "event", "iptables", "cloud", "timer")


@dataclass(frozen=True)
class TraceEvent:
    seq: int
    time_ms: int
    kind: str
    source: str
    target: str
    summary: str
    data: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.data:
            if k == key:
                return v
        return default

    def to_line(self) -> str:
        extra = "".join(f" {k}={v}" for k, v in self.data)
        return (
            f"{self.seq:05d} {format_ms(self.time_ms)} {self.kind:<8} "
            f"{self.source} -> {self.target}: {self.summary}{extra}"
        )


def format_ms(time_ms: int) -> str:
    """``12.345s`` style, fixed width to 3 decimals (deterministic)."""
    return f"{time_ms // 1000:>5d}.{time_ms % 1000:03d}s"


def _to_str(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Trace:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.events: list[TraceEvent] = []

    def record(self, kind: str, source: str, target: str, summary: str, **data: object) -> TraceEvent:
        if kind not in KINDS:
            raise ValueError(f"unknown trace kind {kind!r}; expected one of {', '.join(KINDS)}")
        event = TraceEvent(
            seq=len(self.events) + 1,
            time_ms=self.clock.now_ms,
            kind=kind,
            source=source,
            target=target,
            summary=summary,
            data=tuple(sorted((str(k), _to_str(v)) for k, v in data.items() if v is not None)),
        )
        self.events.append(event)
        return event

    def filter(self, kind: str | None = None, source: str | None = None, target: str | None = None) -> list[TraceEvent]:
        return [
            e
            for e in self.events
            if (kind is None or e.kind == kind)
            and (source is None or e.source == source)
            and (target is None or e.target == target)
        ]

    def to_text(self) -> str:
        return "".join(e.to_line() + "\n" for e in self.events)
