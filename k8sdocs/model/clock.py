"""Deterministic simulated clock with an ordered callback queue.

Time is an integer number of milliseconds starting at 0. Callbacks are ordered by
``(time_ms, seq)`` where ``seq`` is a global insertion counter, so callbacks due at the
same millisecond run in the order they were scheduled. Nothing here reads the wall clock.

The clock also turns simulated milliseconds into the RFC 3339 timestamps the API server
writes (``metav1.Time`` is serialized with second precision, ``metav1.MicroTime`` with
microseconds); the epoch is fixed so output is byte-identical between runs.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

#: Simulated wall-clock time of ``now_ms == 0`` (Kubernetes v1.35 release day).
DEFAULT_EPOCH = datetime(2025, 12, 17, 0, 0, 0, tzinfo=timezone.utc)


@dataclass(order=True)
class _Timer:
    time_ms: int
    seq: int
    timer_id: int = field(compare=False)
    fn: Callable[[], None] = field(compare=False)
    label: str = field(compare=False, default="")


class BudgetExceeded(RuntimeError):
    """More callbacks ran than the clock's ``budget`` allows (a deterministic bound on simulated work)."""

    def __init__(self, budget: int, time_ms: int, label: str) -> None:
        self.budget = budget
        self.time_ms = time_ms
        self.label = label
        super().__init__(f"the simulation ran {budget} callbacks and had not reached its end "
                         f"(at {time_ms} ms, next: {label or 'unnamed callback'})")


class Clock:
    """Simulated time plus a queue of callbacks keyed by ``(time_ms, seq)``.

    ``budget`` (optional) bounds how many callbacks may run in total: one more raises
    :class:`BudgetExceeded`, so a hostile scenario stops with the same verdict on every machine.
    ``current_label`` is the label of the callback running now (for error messages).
    """

    def __init__(self, start_ms: int = 0, epoch: datetime = DEFAULT_EPOCH, budget: int | None = None) -> None:
        self.budget = budget
        self.callbacks_run = 0
        self.current_label = ""
        self.now_ms: int = start_ms
        self.epoch = epoch
        self._queue: list[_Timer] = []
        self._seq = 0
        self._cancelled: set[int] = set()
        self._live: set[int] = set()

    # -- scheduling -------------------------------------------------------------------------
    def call_at(self, time_ms: int, fn: Callable[[], None], label: str = "") -> int:
        """Schedule ``fn`` at absolute ``time_ms`` (a time in the past runs at ``now_ms``)."""
        self._seq += 1
        timer = _Timer(max(int(time_ms), self.now_ms), self._seq, self._seq, fn, label)
        heapq.heappush(self._queue, timer)
        self._live.add(timer.timer_id)
        return timer.timer_id

    def call_later(self, delay_ms: int, fn: Callable[[], None], label: str = "") -> int:
        if delay_ms < 0:
            raise ValueError(f"negative delay: {delay_ms}")
        return self.call_at(self.now_ms + int(delay_ms), fn, label)

    def cancel(self, timer_id: int) -> None:
        if timer_id in self._live:
            self._live.discard(timer_id)
            self._cancelled.add(timer_id)

    def pending(self) -> int:
        return len(self._live)

    def next_time(self) -> int | None:
        """Time of the next live callback, or ``None`` when the queue is empty."""
        self._drop_cancelled()
        return self._queue[0].time_ms if self._queue else None

    def pending_labels(self) -> list[tuple[int, str]]:
        """``(time_ms, label)`` of live callbacks in execution order (for debugging and docs)."""
        return [(t.time_ms, t.label) for t in sorted(self._queue) if t.timer_id in self._live]

    # -- running ----------------------------------------------------------------------------
    def _drop_cancelled(self) -> None:
        while self._queue and self._queue[0].timer_id not in self._live:
            self._cancelled.discard(heapq.heappop(self._queue).timer_id)

    def _run_next(self) -> None:
        if self.budget is not None and self.callbacks_run >= self.budget:
            raise BudgetExceeded(self.budget, self._queue[0].time_ms, self._queue[0].label)
        timer = heapq.heappop(self._queue)
        self._live.discard(timer.timer_id)
        self.now_ms = max(self.now_ms, timer.time_ms)
        self.callbacks_run += 1
        self.current_label = timer.label
        timer.fn()

    def run_until(self, time_ms: int) -> None:
        """Run every callback due at ``<= time_ms`` (including ones scheduled meanwhile), then set ``now_ms = time_ms``."""
        while True:
            nxt = self.next_time()
            if nxt is None or nxt > time_ms:
                break
            self._run_next()
        self.now_ms = max(self.now_ms, int(time_ms))

    def run_for(self, delta_ms: int) -> None:
        self.run_until(self.now_ms + int(delta_ms))

    def run_until_idle(self, limit_ms: int) -> None:
        """Run callbacks until the queue is empty or the next one is due after ``limit_ms``.

        ``now_ms`` stays at the time of the last callback run (it is not advanced to ``limit_ms``).
        """
        while True:
            nxt = self.next_time()
            if nxt is None or nxt > limit_ms:
                break
            self._run_next()

    # -- timestamps -------------------------------------------------------------------------
    def timestamp(self, time_ms: int | None = None) -> str:
        """RFC 3339 with second precision, as ``metav1.Time`` serializes (``2025-12-17T00:00:05Z``)."""
        t = self.epoch + timedelta(milliseconds=self.now_ms if time_ms is None else time_ms)
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def micro_timestamp(self, time_ms: int | None = None) -> str:
        """RFC 3339 with microseconds, as ``metav1.MicroTime`` serializes (``2025-12-17T00:00:05.250000Z``)."""
        t = self.epoch + timedelta(milliseconds=self.now_ms if time_ms is None else time_ms)
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def unix_nano(self, time_ms: int | None = None) -> int:
        ms = self.now_ms if time_ms is None else time_ms
        return int(self.epoch.timestamp()) * 1_000_000_000 + ms * 1_000_000
