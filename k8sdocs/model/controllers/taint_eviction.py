"""taint-eviction-controller (``pkg/controller/tainteviction/taint_eviction.go`` and ``timed_workers.go``).

Watches Nodes and Pods. For each pod on a node with ``NoExecute`` taints: a taint the pod does not tolerate →
delete now; all tolerated with ``tolerationSeconds`` → delete after the smallest one (counted from when the
controller noticed, not from the taint's ``timeAdded``); tolerated forever → cancel any scheduled deletion.
At deletion time it records ``TaintManagerEviction`` ``Marking for deletion Pod <ns>/<name>``, adds the
``DisruptionTarget`` condition to the pod status and deletes the pod. When the taints go away the scheduled
deletions are cancelled (``Cancelling deletion of Pod <ns>/<name>``).

Simplification (documented): the per-node sharding over 8 workers and the 5 delete retries are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from k8sdocs.model.api.pod import update_pod_condition
from k8sdocs.model.api.toleration import tolerates_taint
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers import events as ev
from k8sdocs.model.controllers.informers import SharedInformerFactory
from k8sdocs.model.objcopy import clone
from k8sdocs.model.trace import Trace

NAME = "taint-eviction-controller"


def get_no_execute_taints(taints: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [t for t in taints or [] if t.get("effect") == "NoExecute"]


def get_matching_tolerations(taints: list[dict[str, Any]], tolerations: list[dict[str, Any]]) -> tuple[bool, list[dict[str, Any]]]:
    """``v1helper.GetMatchingTolerations``: (all taints tolerated, the first toleration used for each)."""
    if not taints:
        return True, []
    if not tolerations:
        return False, []
    used: list[dict[str, Any]] = []
    for taint in taints:
        for tol in tolerations:
            if tolerates_taint(tol, taint):
                used.append(tol)
                break
        else:
            return False, []
    return True, used


def get_min_toleration_ms(tolerations: list[dict[str, Any]]) -> int:
    """``getMinTolerationTime``: 0 with no tolerations or a non-positive one, -1 (forever) when none has
    ``tolerationSeconds``, else the smallest ``tolerationSeconds``."""
    if not tolerations:
        return 0
    minimum: int | None = None
    for t in tolerations:
        secs = t.get("tolerationSeconds")
        if secs is None:
            continue
        secs = int(secs)
        if secs <= 0:
            return 0
        if minimum is None or secs < minimum:
            minimum = secs
    return -1 if minimum is None else minimum * 1000


def get_min_toleration_ns(tolerations: list[dict[str, Any]]) -> int:
    """``getMinTolerationTime`` as the Go ``time.Duration`` it returns (nanoseconds; -1 ns = tolerate forever)."""
    ms = get_min_toleration_ms(tolerations)
    return -1 if ms == -1 else ms * 1_000_000


@dataclass
class TimedWorker:
    created_at_ms: int
    fire_at_ms: int
    timer_id: int | None  # None: started immediately


class TaintEvictionController:
    def __init__(self, client: Any, clock: Clock, trace: Trace, informers: SharedInformerFactory | None = None) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.informers = informers or SharedInformerFactory(client)
        self.node_informer = self.informers.informer("Node")
        self.pod_informer = self.informers.informer("Pod")
        self.tainted_nodes: dict[str, list[dict[str, Any]]] = {}
        self.workers: dict[str, TimedWorker] = {}

    def start(self) -> None:
        self.node_informer.add_handler(lambda n: self._node_updated(None, n), self._node_updated,
                                       lambda n: self._node_updated(n, None))
        self.pod_informer.add_handler(lambda p: self._pod_updated(None, p), self._pod_updated,
                                      lambda p: self._pod_updated(p, None))
        self.informers.start()

    # -- handlers (NodeUpdated / PodUpdated) --------------------------------------------------------------------
    def _node_updated(self, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
        name = (new or old or {}).get("metadata", {}).get("name")
        old_t = get_no_execute_taints(((old or {}).get("spec") or {}).get("taints"))
        new_t = get_no_execute_taints(((new or {}).get("spec") or {}).get("taints"))
        if old is not None and new is not None and old_t == new_t:
            return
        self.clock.call_later(0, lambda: self.handle_node_update(name), f"{NAME} node {name}")

    def _pod_updated(self, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
        if old is not None and new is not None and \
                (old.get("spec") or {}).get("tolerations") == (new.get("spec") or {}).get("tolerations") and \
                (old.get("spec") or {}).get("nodeName") == (new.get("spec") or {}).get("nodeName"):
            return
        pod = new or old or {}
        meta = pod.get("metadata") or {}
        ns, name = cast(str, meta.get("namespace")), cast(str, meta.get("name"))
        node = (pod.get("spec") or {}).get("nodeName") or ""
        self.clock.call_later(0, lambda: self.handle_pod_update(ns, name, node),
                              f"{NAME} pod {meta.get('namespace')}/{meta.get('name')}")

    # -- queue of timed deletions (TimedWorkerQueue) ----------------------------------------------------------
    def _add_work(self, ns: str, name: str, created_ms: int, fire_ms: int) -> None:
        key = f"{ns}/{name}"
        if key in self.workers:
            return
        delay = fire_ms - created_ms
        timer = self.clock.call_later(max(0, delay), lambda: self._fire(ns, name), f"{NAME} evict {key}")
        self.workers[key] = TimedWorker(created_ms, fire_ms, timer if delay > 0 else None)

    def _cancel_work(self, ns: str, name: str) -> bool:
        key = f"{ns}/{name}"
        worker = self.workers.pop(key, None)
        if worker is None or worker.timer_id is None:
            return False
        self.clock.cancel(worker.timer_id)
        return True

    def _cancel_with_event(self, ns: str, name: str) -> None:
        if self._cancel_work(ns, name):
            self.trace.decide(NAME, "EvictionCancelled", pod=f"{ns}/{name}")
            self._record_pod_event(ns, name, ev.cancelling_deletion(ns, name))

    def _record_pod_event(self, ns: str, name: str, message: str) -> None:
        ref = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}}
        self.client.record_event(ref, ev.NORMAL, ev.TAINT_MANAGER_EVICTION, message)

    def _fire(self, ns: str, name: str) -> None:
        """``deletePodHandler``: event, DisruptionTarget condition, DELETE."""
        key = f"{ns}/{name}"
        self._record_pod_event(ns, name, ev.marking_for_deletion(ns, name))
        try:
            pod = self.client.get("Pod", name, ns)
            status = clone(pod.get("status") or {})
            if update_pod_condition(status, {
                "type": "DisruptionTarget", "status": "True",
                "reason": ev.DELETION_BY_TAINT_MANAGER_REASON, "message": ev.DELETION_BY_TAINT_MANAGER_MSG,
            }, self.clock.timestamp()):
                pod["status"] = status
                self.client.update_status(pod)
            self.client.delete("Pod", name, ns)
        except APIError:
            pass
        finally:
            self.workers.pop(key, None)

    # -- processing -------------------------------------------------------------------------------------------
    def process_pod_on_node(self, ns: str, name: str, node: str, tolerations: list[dict[str, Any]], taints: list[dict[str, Any]], now_ms: int) -> None:
        if not taints:
            self._cancel_with_event(ns, name)
        all_tolerated, used = get_matching_tolerations(taints, tolerations)
        if not all_tolerated:
            self._cancel_with_event(ns, name)
            self.trace.decide(NAME, "TaintManagerEviction", pod=f"{ns}/{name}", taint=str(taints[0].get("key")), node=node)
            self._add_work(ns, name, now_ms, now_ms)
            return
        min_ms = get_min_toleration_ms(used)
        if min_ms < 0:
            self._cancel_with_event(ns, name)
            return
        start, trigger = now_ms, now_ms + min_ms
        existing = self.workers.get(f"{ns}/{name}")
        if existing is not None:
            start = existing.created_at_ms
            if start + min_ms < trigger:
                return
            self._cancel_with_event(ns, name)
        elif min_ms > 0:
            self.trace.decide(NAME, "EvictionScheduled", pod=f"{ns}/{name}", taint=str(taints[0].get("key")),
                              toleration_ms=min_ms, at_ms=start + min_ms)
        self._add_work(ns, name, start, start + min_ms)

    def _pods_on_node(self, node: str) -> list[dict[str, Any]]:
        return [p for p in self.pod_informer.list() if (p.get("spec") or {}).get("nodeName") == node]

    def handle_node_update(self, name: str) -> None:
        node = self.node_informer.get(name)
        if node is None:
            self.tainted_nodes.pop(name, None)
            return
        taints = get_no_execute_taints((node.get("spec") or {}).get("taints"))
        if taints:
            self.tainted_nodes[name] = taints
        else:
            self.tainted_nodes.pop(name, None)
        pods = self._pods_on_node(name)
        if not pods:
            return
        if not taints:
            for p in pods:
                self._cancel_with_event(p["metadata"].get("namespace"), p["metadata"]["name"])
            return
        now = self.clock.now_ms
        for p in pods:
            self.process_pod_on_node(p["metadata"].get("namespace"), p["metadata"]["name"], name,
                                     (p.get("spec") or {}).get("tolerations") or [], taints, now)

    def handle_pod_update(self, ns: str, name: str, node_name: str) -> None:
        pod = self.pod_informer.get(name, ns)
        if pod is None:
            self._cancel_with_event(ns, name)
            return
        node = (pod.get("spec") or {}).get("nodeName") or ""
        if node != node_name or not node:
            return
        taints = self.tainted_nodes.get(node)
        if taints is None:
            return
        self.process_pod_on_node(ns, name, node, (pod.get("spec") or {}).get("tolerations") or [], taints,
                                 self.clock.now_ms)
