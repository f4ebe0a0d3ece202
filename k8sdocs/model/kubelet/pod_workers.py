"""Pod workers (``pkg/kubelet/pod_workers.go``): one worker per pod, never two at once for the same pod.

A worker runs the kubelet's sync (``SyncPod``) or, once the pod is gone, its termination (``killPod``), and runs
again when a newer update arrived meanwhile. Here a worker is a generator that yields how long it waits (ms) or a
:class:`Wait` (an image pull in the serialized puller); :class:`PodWorkers` drives it on the simulated clock.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.clock import Clock

#: From a watch notification to the pod worker starting SyncPod (a simulated latency).
POD_WORKER_DELAY_MS = 10
#: A failed SyncPod is retried after this long (pod_workers.go ``workerBackOffPeriod``, 10 s).
SYNC_ERROR_BACKOFF_MS = 10_000

#: A pod worker step: yields ms delays or :class:`Wait` objects.
Step = Generator[Any, Any, None]


@dataclass
class Wait:
    """A point a pod worker waits on (an image pull in the serialized puller)."""

    done: bool = False
    value: Any = None
    resume: Callable[[], None] | None = None

    def set(self, value: Any) -> None:
        self.done, self.value = True, value
        if self.resume is not None:
            fn, self.resume = self.resume, None
            fn()


@dataclass
class PodState:
    """What the kubelet knows of one pod (pod_workers.go ``podSyncStatus`` plus the runtime's view)."""

    key: str
    uid: str
    pod: dict[str, Any]
    sandbox_id: str = ""
    ip: str = ""
    start_time: str = ""
    containers: dict[str, str] = field(default_factory=dict)          # name -> container id
    started_ms: dict[str, int] = field(default_factory=dict)          # name -> start time
    finished_ms: dict[str, int] = field(default_factory=dict)         # init containers
    ready: dict[str, bool] = field(default_factory=dict)
    image_ref: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (reason, message) of a failed start
    rejected: bool = False
    deleted: bool = False
    worker_active: bool = False
    needs_sync: bool = True
    last_status: dict[str, Any] | None = None
    condition_times: dict[str, tuple[str, str]] = field(default_factory=dict)  # type -> (status, time)


class PodWorkers:
    """``podWorkers``: the pods a kubelet knows (``pods``, by ``namespace/name``) and their workers."""

    def __init__(self, actor: str, clock: Clock, timers: list[int], stopped: Callable[[], bool],
                 sync_pod: Callable[[PodState], Step], kill_pod: Callable[[PodState], Step]) -> None:
        self.actor = actor
        self.clock = clock
        self.timers = timers          # the kubelet's timers, cancelled when the node fails
        self.stopped = stopped        # the node stopped answering: no pod work
        self.sync_pod = sync_pod
        self.kill_pod = kill_pod
        self.pods: dict[str, PodState] = {}

    def is_current(self, st: PodState) -> bool:
        """``st`` is still the pod known under its name (not deleted and replaced meanwhile)."""
        return self.pods.get(st.key) is st

    def stop_all(self) -> None:
        for st in self.pods.values():
            st.worker_active = False

    def kick(self, st: PodState) -> None:
        """UpdatePod: start the pod's worker unless one is running (it re-runs when ``needs_sync`` is set)."""
        if st.worker_active or self.stopped():
            return
        st.worker_active = True
        gen = self._work(st)
        self.clock.call_later(POD_WORKER_DELAY_MS, lambda: self._drive(st, gen), f"{self.actor} pod worker {st.key}")

    def _drive(self, st: PodState, gen: Step, value: Any = None) -> None:
        """Run a pod worker generator: it yields ms delays or :class:`Wait` objects."""
        if self.stopped() or not st.worker_active:
            gen.close()
            return
        try:
            item = gen.send(value)
        except StopIteration:
            st.worker_active = False
            if self.is_current(st) and (st.needs_sync or st.deleted):
                self.kick(st)
            return
        if isinstance(item, Wait):
            if item.done:
                self.clock.call_later(0, lambda: self._drive(st, gen, item.value))
            else:
                item.resume = lambda: self._drive(st, gen, item.value)
        else:
            self.clock.call_later(int(item), lambda: self._drive(st, gen), f"{self.actor} {st.key}")

    def _work(self, st: PodState) -> Step:
        while True:
            if st.deleted:
                yield from self.kill_pod(st)
                if self.is_current(st):
                    del self.pods[st.key]
                return
            if not st.needs_sync:
                return
            st.needs_sync = False
            yield from self.sync_pod(st)

    def retry_later(self, st: PodState) -> None:
        """A failed sync is retried after :data:`SYNC_ERROR_BACKOFF_MS` (``workerBackOffPeriod``)."""
        if st.deleted or self.stopped():
            return

        def retry() -> None:
            if self.stopped() or st.deleted or not self.is_current(st):
                return
            st.needs_sync = True
            self.kick(st)
        self.timers.append(self.clock.call_later(SYNC_ERROR_BACKOFF_MS, retry, f"{self.actor} retry {st.key}"))
