"""kube-scheduler as a component of the simulated cluster: informers, scheduling queue, cycles, binding, events.

Upstream: pkg/scheduler/scheduler.go and eventhandlers.go (informer handlers: unassigned pods go to the queue,
assigned pods to the cache; Node add/update and assigned-Pod delete move unschedulable pods back),
pkg/scheduler/backend/queue/scheduling_queue.go (activeQ ordered by the QueueSort plugin, backoff
podInitialBackoffSeconds 1 s doubling to podMaxBackoffSeconds 10 s), schedule_one.go (handleSchedulingFailure:
FailedScheduling event with action "Scheduling", PodScheduled=False reason Unschedulable; the "Scheduled" event
"Successfully assigned <ns>/<pod> to <node>" with action "Binding"), framework/preemption/preemption.go
(status.nominatedNodeName, victims deleted with a "Preempted" event).

Simplifications (constants below): a scheduling cycle and a binding take fixed simulated times; one pod is
scheduled per cycle (upstream: one at a time too, but real durations vary); the 5-minute flush of
unschedulable pods (podMaxInUnschedulablePodsDuration) and queueing hints are not modelled: any Node add/update or
assigned-Pod delete moves every unschedulable pod out of the unschedulable set.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.api.pod import update_pod_condition
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.objcopy import clone
from k8sdocs.model.strategicpatch import create_two_way_merge_patch

from .framework.snapshot import Snapshot
from .framework.types import PodInfo
from .schedule_one import Scheduler, ScheduleResult, pod_key

ACTOR = "kube-scheduler"
# Informers besides Pods and Nodes: what PodTopologySpread (DefaultSelector), InterPodAffinity (namespace selectors)
# and DefaultPreemption (PodDisruptionBudgets) read through listers upstream.
LISTED_KINDS = ("Service", "ReplicationController", "ReplicaSet", "StatefulSet", "Namespace", "PodDisruptionBudget")
DEFAULT_SCHEDULER_NAME = "default-scheduler"
# Simplification: fixed simulated durations (milliseconds), not measured from upstream.
SCHEDULING_CYCLE_MS = 5
BINDING_MS = 2
# apis/config/v1/defaults.go@00fe7a37: podInitialBackoffSeconds 1, podMaxBackoffSeconds 10.
POD_INITIAL_BACKOFF_MS = 1_000
POD_MAX_BACKOFF_MS = 10_000

# Reason codes of the scheduler's decisions (Trace.decide; the sentences are in k8sdocs/render/phrasebook/scheduler.py).
#: a scheduling cycle picked ``node`` for ``pod`` (``score``: its total score, absent when it was the only feasible
#: node); ``evaluated`` and ``feasible`` count the nodes the cycle looked at and those that passed the filters
NODE_SELECTED = "NodeSelected"
#: no node fits ``pod``: ``message`` is the FailedScheduling event's (upstream reason FailedScheduling)
FAILED_SCHEDULING = "FailedScheduling"
#: the binding of ``pod`` to ``node`` was rejected by the API server with ``error``
BINDING_FAILED = "BindingFailed"

_POD_RELATED_PLUGINS = frozenset({"InterPodAffinity", "PodTopologySpread"})


def node_scheduling_properties_changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """eventhandlers.go nodeSchedulingPropertiesChange: unschedulable, allocatable, labels, taints or conditions
    (type and status) changed; heartbeat-only status updates do not move pods."""
    def props(n: Mapping[str, Any]) -> tuple[Any, ...]:
        spec = n.get("spec") or {}
        status = n.get("status") or {}
        conditions = sorted((c.get("type"), c.get("status")) for c in status.get("conditions") or [])
        return (
            bool(spec.get("unschedulable")),
            sorted((status.get("allocatable") or {}).items()),
            sorted(((n.get("metadata") or {}).get("labels") or {}).items()),
            [sorted(t.items()) for t in spec.get("taints") or []],
            conditions,
        )

    return props(old) != props(new)


def _meta(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("metadata") or {}


def _spec(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("spec") or {}


def responsible_for(pod: dict[str, Any], scheduler_name: str = DEFAULT_SCHEDULER_NAME) -> bool:
    """eventhandlers.go: unassigned, ours, not being deleted and without scheduling gates."""
    spec = _spec(pod)
    return (
        not spec.get("nodeName")
        and (spec.get("schedulerName") or DEFAULT_SCHEDULER_NAME) == scheduler_name
        and not _meta(pod).get("deletionTimestamp")
        and not spec.get("schedulingGates")
    )


@dataclass
class QueuedPod:
    pod: dict[str, Any]
    timestamp: int  # first time it entered the queue (PrioritySort tie-break)
    attempts: int = 0
    backoff_until: int = 0
    unschedulable_plugins: frozenset[str] = frozenset()  # plugins that rejected it in its last attempt


@dataclass
class SchedulingQueue:
    """activeQ (heap by PrioritySort), backoff (timers) and the unschedulable set."""

    active: list[tuple[int, int, int, str]] = field(default_factory=list)  # (-priority, timestamp, seq, key)
    pods: dict[str, QueuedPod] = field(default_factory=dict)
    in_active: set[str] = field(default_factory=set)
    unschedulable: set[str] = field(default_factory=set)
    seq: int = 0

    def push_active(self, key: str) -> None:
        qp = self.pods[key]
        if key in self.in_active:
            return
        self.unschedulable.discard(key)
        self.seq += 1
        priority = int(_spec(qp.pod).get("priority") or 0)
        heapq.heappush(self.active, (-priority, qp.timestamp, self.seq, key))
        self.in_active.add(key)

    def pop(self) -> QueuedPod | None:
        while self.active:
            _, _, _, key = heapq.heappop(self.active)
            if key in self.in_active:
                self.in_active.discard(key)
                qp = self.pods.get(key)
                if qp is not None:
                    return qp
        return None

    def remove(self, key: str) -> None:
        self.pods.pop(key, None)
        self.in_active.discard(key)
        self.unschedulable.discard(key)


class KubeScheduler:
    """Watches Pods and Nodes, keeps its own cache, schedules one pod per cycle and binds it."""

    def __init__(self, client: Any, clock: Any, trace: Any, scheduler: Scheduler | None = None) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.scheduler = scheduler if scheduler is not None else Scheduler()
        self.scheduler_name = self.scheduler.profile.scheduler_name
        self.snapshot = Snapshot(features=self.scheduler.framework.features)
        self.pods: dict[str, dict[str, Any]] = {}  # every pod seen, latest version
        self.assumed: dict[str, str] = {}  # pod key -> node, bound by us but not yet confirmed by the watch
        self.queue = SchedulingQueue()
        self.results: list[ScheduleResult] = []
        self._cycle_timer: int | None = None
        self._watches: list[int] = []
        self.objects: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in LISTED_KINDS}
        self.scheduler.framework.object_lister = self._list_objects

    # -- lifecycle ----------------------------------------------------------------------------------------------
    def start(self) -> None:
        self._watches.append(self.client.watch("Node", self._on_node))
        self._watches.append(self.client.watch("Pod", self._on_pod))
        for kind in LISTED_KINDS:
            try:
                self._watches.append(self.client.watch(kind, lambda ev, obj, k=kind: self._on_object(k, ev, obj)))
            except APIError as err:  # a kind the API server does not serve: its lister stays empty
                if err.code != 404:
                    raise

    def _on_object(self, kind: str, event_type: str, obj: dict[str, Any]) -> None:
        meta = _meta(obj)
        key = f"{meta.get('namespace') or ''}/{meta.get('name')}"
        if event_type == "DELETED":
            self.objects[kind].pop(key, None)
        else:
            self.objects[kind][key] = obj

    def _list_objects(self, kind: str) -> list[dict[str, Any]]:
        store = self.objects.get(kind) or {}
        return [store[k] for k in sorted(store)]

    def stop(self) -> None:
        for wid in self._watches:
            self.client.stop_watch(wid)
        self._watches.clear()

    # -- informer handlers --------------------------------------------------------------------------------------
    def _on_node(self, event_type: str, node: dict[str, Any]) -> None:
        name = _meta(node).get("name", "")
        if event_type == "DELETED":
            self.snapshot.remove_node(name)
            return
        old = self.snapshot.get(name)
        self.snapshot.add_node(clone(node))
        if old is None or node_scheduling_properties_changed(old.node, node):
            self._move_all_to_active_or_backoff()

    def _on_pod(self, event_type: str, pod: dict[str, Any]) -> None:
        key = pod_key(pod)
        node_name = _spec(pod).get("nodeName") or ""
        old = self.pods.get(key)
        if event_type == "DELETED":
            self.pods.pop(key, None)
            self.queue.remove(key)
            if old is not None and (_spec(old).get("nodeName") or self.assumed.get(key)):
                self.snapshot.remove_pod(key, _spec(old).get("nodeName") or self.assumed.get(key, ""))
                self.assumed.pop(key, None)
                self._move_all_to_active_or_backoff()
            return
        self.pods[key] = clone(pod)
        if node_name:
            # assigned pod: (re)place it in the cache; confirms an assumed pod
            self.queue.remove(key)
            previous = self.assumed.pop(key, None) or (_spec(old).get("nodeName") if old else None)
            if previous:
                self.snapshot.remove_pod(key, previous)
            self.snapshot.add_pod(self.pods[key])
            if old is None or not _spec(old).get("nodeName"):
                # AssignedPodAdd: may satisfy pod affinity or topology spread of pods rejected by those plugins
                self._move_all_to_active_or_backoff(_POD_RELATED_PLUGINS)
            return
        if not responsible_for(pod, self.scheduler_name):
            self.queue.remove(key)
            return
        qp = self.queue.pods.get(key)
        if qp is None:
            self.queue.pods[key] = QueuedPod(self.pods[key], self.clock.now_ms)
            self.queue.push_active(key)
        else:
            qp.pod = self.pods[key]
            if key in self.queue.unschedulable and event_type == "MODIFIED" and _spec(old or {}) != _spec(pod):
                self._activate_after_backoff(key)
        self._ensure_cycle()

    # -- queue mechanics ----------------------------------------------------------------------------------------
    def _backoff_ms(self, attempts: int) -> int:
        """scheduling_queue.go calculateBackoffDuration: 1 s doubling per attempt, capped at 10 s."""
        duration = POD_INITIAL_BACKOFF_MS
        for _ in range(1, attempts):
            duration *= 2
            if duration >= POD_MAX_BACKOFF_MS:
                return POD_MAX_BACKOFF_MS
        return duration

    def _activate_after_backoff(self, key: str) -> None:
        qp = self.queue.pods.get(key)
        if qp is None:
            return
        self.queue.unschedulable.discard(key)
        if self.clock.now_ms >= qp.backoff_until:
            self.queue.push_active(key)
            self._ensure_cycle()
            return

        def fire() -> None:
            if key in self.queue.pods and key not in self.queue.in_active:
                self.queue.push_active(key)
                self._ensure_cycle()

        self.clock.call_at(qp.backoff_until, fire, f"kube-scheduler backoff {key}")

    def _move_all_to_active_or_backoff(self, only_rejected_by: frozenset[str] | None = None) -> None:
        """MoveAllToActiveOrBackoffQueue; ``only_rejected_by`` limits it to pods rejected by those plugins."""
        for key in sorted(self.queue.unschedulable):
            qp = self.queue.pods.get(key)
            if only_rejected_by is not None and (qp is None or not qp.unschedulable_plugins & only_rejected_by):
                continue
            self._activate_after_backoff(key)

    def _ensure_cycle(self) -> None:
        if self._cycle_timer is None and self.queue.in_active:
            self._cycle_timer = self.clock.call_later(SCHEDULING_CYCLE_MS, self._cycle, "kube-scheduler scheduleOne")

    # -- one scheduling cycle -----------------------------------------------------------------------------------
    def _nominated(self, exclude: str) -> dict[str, list[PodInfo]]:
        out: dict[str, list[PodInfo]] = {}
        for key in sorted(self.queue.pods):
            pod = self.queue.pods[key].pod
            nnn = (pod.get("status") or {}).get("nominatedNodeName")
            if nnn and key != exclude:
                out.setdefault(nnn, []).append(PodInfo.from_pod(pod, self.snapshot.features))
        return out

    def _cycle(self) -> None:
        self._cycle_timer = None
        qp = self.queue.pop()
        if qp is None:
            return
        pod = qp.pod
        key = pod_key(pod)
        qp.attempts += 1
        result = self.scheduler.schedule(pod, self.snapshot, self._nominated(key))
        self.results.append(result)
        if result.selected_node:
            self._on_scheduled(qp, result)
        else:
            self._on_failure(qp, result)
        self._ensure_cycle()

    def _on_scheduled(self, qp: QueuedPod, result: ScheduleResult) -> None:
        pod = qp.pod
        key = pod_key(pod)
        node = str(result.selected_node)
        # no total score: the only feasible node is not scored (schedule_one.go: len(feasibleNodes) == 1)
        self.trace.decide(ACTOR, NODE_SELECTED, pod=key, node=node, score=result.total_scores.get(node),
                          evaluated=len(result.evaluated_nodes), feasible=len(result.feasible_nodes))
        # assume: the cache counts the pod on the node before the binding is confirmed
        assumed = clone(pod)
        assumed.setdefault("spec", {})["nodeName"] = node
        self.snapshot.add_pod(assumed)
        self.assumed[key] = node
        self.queue.remove(key)
        self.clock.call_later(BINDING_MS, lambda: self._bind(pod, node), f"kube-scheduler bind {key}")

    def _bind(self, pod: dict[str, Any], node: str) -> None:
        key = pod_key(pod)
        meta = _meta(pod)
        try:
            self.client.bind(meta.get("namespace") or "default", meta.get("name"), node)
        except APIError as err:  # forget the assumed pod and retry later
            if self.assumed.pop(key, None) is not None:
                self.snapshot.remove_pod(key, node)
            current = self.pods.get(key)
            if current is not None and responsible_for(current, self.scheduler_name):
                self.queue.pods[key] = QueuedPod(current, self.clock.now_ms, 1, self.clock.now_ms + self._backoff_ms(1))
                self.queue.unschedulable.add(key)
                self._activate_after_backoff(key)
            self.trace.decide(ACTOR, BINDING_FAILED, pod=key, node=node, error=err)
            return
        self.client.record_event(pod, "Normal", "Scheduled", f"Successfully assigned {key} to {node}", "Binding")

    def _on_failure(self, qp: QueuedPod, result: ScheduleResult) -> None:
        pod = qp.pod
        key = pod_key(pod)
        message = result.message or ""
        self.trace.decide(ACTOR, FAILED_SCHEDULING, pod=key, message=message)
        if result.nominated_node:
            self._preempt(pod, result)
        self.client.record_event(pod, "Warning", "FailedScheduling", message, "Scheduling")
        reason = "SchedulerError" if result.code == "Error" else "Unschedulable"
        self._set_pod_scheduled_false(key, reason, message, result.nominated_node)
        qp.backoff_until = self.clock.now_ms + self._backoff_ms(qp.attempts)
        qp.unschedulable_plugins = frozenset(result.unschedulable_plugins)
        self.queue.unschedulable.add(key)

    def _preempt(self, pod: dict[str, Any], result: ScheduleResult) -> None:
        """framework/preemption/preemption.go@98be7dfc5da8533f62c063206c5751e884d6294d ``prepareCandidate`` ->
        ``PreemptPod`` for each victim: add the DisruptionTarget condition (reason PreemptionByScheduler, message
        "<schedulerName>: preempting to accommodate a higher priority pod") with ``apipod.UpdatePodCondition`` and
        PATCH the status (``util.PatchPodStatus``) only if that changed it, then delete the victim, then record "Preempted" on it
        ("Preempted by pod %v on node %v", the preemptor's UID and the candidate node; action "Preempting").
        A failed status write stops the preemption (upstream cancels the remaining victims and returns the error);
        a victim already gone is skipped without an event (NotFound on delete)."""
        node = str(result.nominated_node)
        uid = _meta(pod).get("uid", "")
        scheduler_name = _spec(pod).get("schedulerName") or DEFAULT_SCHEDULER_NAME
        for victim_key in result.victims:
            ns, name = victim_key.split("/", 1)
            try:
                victim = self.client.get("Pod", name, ns)
            except APIError:  # already gone
                continue
            condition = {"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                         "message": f"{scheduler_name}: preempting to accommodate a higher priority pod"}
            old_status = victim.get("status") or {}
            status = clone(old_status)
            if update_pod_condition(status, condition, self.clock.timestamp()):
                # pkg/scheduler/util/utils.go PatchPodStatus: a two-way strategic-merge patch from the victim's
                # status to the new one, sent as PATCH .../pods/<name>/status (no PUT of the whole object)
                patch = {"status": create_two_way_merge_patch(old_status, status)}
                try:
                    victim = self.client.patch_status("Pod", name, patch, ns)
                except APIError:
                    return
            try:
                self.client.delete("Pod", name, ns)
            except APIError:
                continue
            self.client.record_event(victim, "Normal", "Preempted", f"Preempted by pod {uid} on node {node}",
                                     "Preempting")

    def _set_pod_scheduled_false(self, key: str, reason: str, message: str, nominated: str | None) -> None:
        for _ in range(2):
            ns, name = key.split("/", 1)
            try:
                current = self.client.get("Pod", name, ns)
            except APIError:
                return
            if _spec(current).get("nodeName"):
                return
            status = current.setdefault("status", {})
            conditions = status.setdefault("conditions", [])
            cond = next((c for c in conditions if c.get("type") == "PodScheduled"), None)
            if cond is None:
                cond = {"type": "PodScheduled"}
                conditions.append(cond)
            if cond.get("status") != "False":
                cond["lastTransitionTime"] = self.clock.timestamp()
            cond.update({"status": "False", "reason": reason, "message": message, "lastProbeTime": None})
            if nominated:
                status["nominatedNodeName"] = nominated
            try:
                self.client.update_status(current)
                return
            except APIError:
                continue
