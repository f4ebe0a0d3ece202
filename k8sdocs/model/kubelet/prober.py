"""Readiness probes (``pkg/kubelet/prober``): when a started container becomes ready.

A container without a ``readinessProbe`` is ready once started; one with a probe becomes ready
``initialDelaySeconds`` after it started, as if every probe then succeeded (the model runs no probe).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8sdocs.model.clock import Clock
from k8sdocs.model.kubelet.pod_workers import PodState


class ProbeManager:
    """``prober.Manager.AddPod`` for readiness: marks the container ready and posts the pod's status."""

    def __init__(self, actor: str, clock: Clock, timers: list[int], is_live: Callable[[PodState], bool],
                 set_pod_status: Callable[[PodState], None]) -> None:
        self.actor = actor
        self.clock = clock
        self.timers = timers
        self.is_live = is_live        # the pod is still this kubelet's, not deleted, and the node answers
        self.set_pod_status = set_pod_status

    def container_started(self, st: PodState, c: dict[str, Any]) -> None:
        probe = c.get("readinessProbe")
        if probe is None:
            st.ready[c["name"]] = True
            return
        st.ready[c["name"]] = False
        delay_ms = int(probe.get("initialDelaySeconds", 0)) * 1000
        name = c["name"]

        def become_ready() -> None:
            if not self.is_live(st):
                return
            st.ready[name] = True
            self.set_pod_status(st)
        self.timers.append(self.clock.call_later(delay_ms, become_ready, f"{self.actor} readiness {st.key}"))
