"""pod-garbage-collector (``pkg/controller/podgc/gc_controller.go``).

Every ``gcCheckPeriod`` (20 s, first pass at start-up) it deletes, with ``gracePeriodSeconds: 0``:

* terminated pods (``Succeeded``/``Failed``) beyond ``--terminated-pod-gc-threshold`` (12500), oldest first;
* orphaned pods: bound to a Node that no longer exists. A missing node is quarantined for 40 s
  (``quarantineTime``) and then checked with a GET; the pod is first marked ``Failed`` with the
  ``DisruptionTarget`` condition (``DeletionByPodGC``, ``PodGC: node no longer exists``).

Simplifications (documented): no ``gcUnscheduledTerminating`` / out-of-service ``gcTerminating`` (the API server
model deletes pods immediately, so no pod is left terminating).
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.api.gotime import parse_time_ms
from k8sdocs.model.api.pod import update_pod_condition
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers import events as ev
from k8sdocs.model.controllers.informers import SharedInformerFactory
from k8sdocs.model.objcopy import clone
from k8sdocs.model.trace import Trace

NAME = "pod-garbage-collector"
GC_CHECK_PERIOD_MS = 20_000  # gcCheckPeriod
QUARANTINE_MS = 40_000  # quarantineTime
TERMINATED_POD_GC_THRESHOLD = 12_500  # --terminated-pod-gc-threshold default


class PodGCController:
    def __init__(self, client: Any, clock: Clock, trace: Trace, informers: SharedInformerFactory | None = None,
                 terminated_pod_threshold: int = TERMINATED_POD_GC_THRESHOLD) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.terminated_pod_threshold = terminated_pod_threshold
        self.informers = informers or SharedInformerFactory(client)
        self.pod_informer = self.informers.informer("Pod")
        self.node_informer = self.informers.informer("Node")
        self.node_queue: dict[str, int] = {}  # node name -> ready at (ms): the delaying nodeQueue

    def start(self) -> None:
        self.informers.start()
        # wait.UntilWithContext runs the first pass right away (after the caches have synced)
        self.clock.call_later(0, self._tick, f"{NAME} gc")

    def _tick(self) -> None:
        self.gc()
        self.clock.call_later(GC_CHECK_PERIOD_MS, self._tick, f"{NAME} gc")

    def gc(self) -> None:
        pods = self.pod_informer.list()
        nodes = self.node_informer.list()
        if self.terminated_pod_threshold > 0:
            self._gc_terminated(pods)
        self._gc_orphaned(pods, nodes)

    def _gc_terminated(self, pods: list[dict[str, Any]]) -> None:
        terminated = [p for p in pods if (p.get("status") or {}).get("phase") in ("Succeeded", "Failed")]
        excess = len(terminated) - self.terminated_pod_threshold
        if excess <= 0:
            return
        # byEvictionAndCreationTimestamp: evicted first, then oldest
        terminated.sort(key=lambda p: ((p.get("status") or {}).get("reason") != "Evicted",
                                       parse_time_ms(p["metadata"].get("creationTimestamp")) or 0, p["metadata"]["name"]))
        self.trace.decide(NAME, "TerminatedPodsOverThreshold", terminated=len(terminated),
                          threshold=self.terminated_pod_threshold, excess=excess)
        for pod in terminated[:excess]:
            self._mark_failed_and_delete(pod, None)

    def _gc_orphaned(self, pods: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> None:
        existing = {n["metadata"]["name"] for n in nodes}
        now = self.clock.now_ms
        for pod in pods:
            node = (pod.get("spec") or {}).get("nodeName")
            if node and node not in existing and node not in self.node_queue:
                self.node_queue[node] = now + QUARANTINE_MS
        deleted: set[str] = set()
        for node in sorted(n for n, at in self.node_queue.items() if at <= now):
            del self.node_queue[node]
            if node in existing:
                continue
            try:
                self.client.get("Node", node)
            except APIError as err:
                if err.code == 404:
                    deleted.add(node)
        for pod in pods:
            if (pod.get("spec") or {}).get("nodeName") in deleted:
                self.trace.decide(NAME, "DeletionByPodGC", pod=f"{pod['metadata'].get('namespace')}/{pod['metadata']['name']}",
                                  node=pod["spec"]["nodeName"])
                self._mark_failed_and_delete(pod, {"type": "DisruptionTarget", "status": "True",
                                                   "reason": ev.DELETION_BY_POD_GC_REASON, "message": ev.POD_GC_NODE_GONE_MSG})

    def _mark_failed_and_delete(self, pod: dict[str, Any], condition: dict[str, Any] | None) -> None:
        """``markFailedAndDeletePodWithCondition``."""
        name, ns = pod["metadata"]["name"], pod["metadata"].get("namespace")
        try:
            if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                pod = clone(pod)
                status = pod.setdefault("status", {})
                status["phase"] = "Failed"
                if condition is not None:
                    update_pod_condition(status, condition, self.clock.timestamp())
                self.client.update_status(pod)
            self.client.delete("Pod", name, ns)
        except APIError as err:
            if err.code not in (404, 409):
                raise
