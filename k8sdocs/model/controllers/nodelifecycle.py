"""node-lifecycle-controller (``pkg/controller/nodelifecycle/node_lifecycle_controller.go``, the rate-limited
queue of ``pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go`` and the helpers of
``pkg/controller/util/node/controller_utils.go``).

Every ``--node-monitor-period`` (5 s) it checks each Node: when neither the Ready condition's heartbeat nor the
node Lease (``kube-node-lease/<node>``) changed for ``--node-monitor-grace-period`` (50 s since v1.32,
PR #126287; ``--node-startup-grace-period`` 1 min for a node that never posted status), it sets Ready,
MemoryPressure, DiskPressure and PIDPressure to ``Unknown`` (``NodeStatusUnknown``, ``Kubelet stopped posting
node status.``), records ``NodeNotReady`` and marks the node's pods not ready. The ``NoExecute`` taint
(``node.kubernetes.io/unreachable`` for Unknown, ``node.kubernetes.io/not-ready`` for False) is added through a
per-zone queue rate limited by ``--node-eviction-rate`` (0.1 node/s, burst 1), decided from the condition seen
at the start of the pass (so one pass after the condition changed); the ``NoSchedule`` counterparts follow the
conditions on every Node update (``doNoScheduleTaintingPass``). A zone where every node is not ready is in
``FullDisruption``; when every zone is, evictions stop and the taints are removed (master disruption mode).
Recovery removes the taints.

Simplifications (documented): the taint queue is checked at 100 ms boundaries only while it has work (upstream:
a 100 ms ticker); no ``nodesToRetry`` bookkeeping; node events use the upstream recorder name
``node-controller`` as ``source.component`` while requests carry the client's actor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.api.gotime import parse_time_ms
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers import events as ev
from k8sdocs.model.controllers.controller_utils import get_condition
from k8sdocs.model.controllers.informers import SharedInformerFactory
from k8sdocs.model.objcopy import clone
from k8sdocs.model.trace import Trace

NAME = "node-lifecycle-controller"
#: EventSource component of the node lifecycle controller's recorder (``"node-controller"``).
EVENT_COMPONENT = "node-controller"

# kube-controller-manager flag defaults (kube-controller-manager reference page; PR #126287 for the grace period)
NODE_MONITOR_PERIOD_MS = 5_000  # --node-monitor-period 5s
NODE_MONITOR_GRACE_PERIOD_MS = 50_000  # --node-monitor-grace-period 50s (40s before v1.32)
NODE_STARTUP_GRACE_PERIOD_MS = 60_000  # --node-startup-grace-period 1m0s
NODE_EVICTION_RATE = 0.1  # --node-eviction-rate
SECONDARY_NODE_EVICTION_RATE = 0.01  # --secondary-node-eviction-rate
LARGE_CLUSTER_SIZE_THRESHOLD = 50  # --large-cluster-size-threshold
UNHEALTHY_ZONE_THRESHOLD = 0.55  # --unhealthy-zone-threshold
# pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go
NODE_EVICTION_PERIOD_MS = 100  # NodeEvictionPeriod
EVICTION_RATE_LIMITER_BURST = 1  # EvictionRateLimiterBurst

TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"  # staging/src/k8s.io/api/core/v1/well_known_taints.go
TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
UNREACHABLE_TAINT = {"key": TAINT_NODE_UNREACHABLE, "effect": "NoExecute"}  # UnreachableTaintTemplate
NOT_READY_TAINT = {"key": TAINT_NODE_NOT_READY, "effect": "NoExecute"}  # NotReadyTaintTemplate
# nodeConditionToTaintKeyStatusMap
NODE_CONDITION_TO_TAINT = {
    "Ready": {"False": TAINT_NODE_NOT_READY, "Unknown": TAINT_NODE_UNREACHABLE},
    "MemoryPressure": {"True": "node.kubernetes.io/memory-pressure"},
    "DiskPressure": {"True": "node.kubernetes.io/disk-pressure"},
    "NetworkUnavailable": {"True": "node.kubernetes.io/network-unavailable"},
    "PIDPressure": {"True": "node.kubernetes.io/pid-pressure"},
}
CONDITION_TAINT_KEYS = frozenset(k for m in NODE_CONDITION_TO_TAINT.values() for k in m.values())
# Conditions set to Unknown when the kubelet goes silent (NodeNetworkUnavailable is left alone)
UNKNOWN_CONDITION_TYPES = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")
LABEL_ZONE = "topology.kubernetes.io/zone"
LABEL_REGION = "topology.kubernetes.io/region"
LABEL_EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption"

STATE_INITIAL, STATE_NORMAL, STATE_FULL, STATE_PARTIAL = "Initial", "Normal", "FullDisruption", "PartialDisruption"


def get_zone_key(node: dict[str, Any]) -> str:
    """``nodetopology.GetZoneKey``: ``region + ":\\x00:" + zone``, empty when neither label is set."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    region, zone = labels.get(LABEL_REGION, ""), labels.get(LABEL_ZONE, "")
    if not region and not zone:
        return ""
    return f"{region}:\x00:{zone}"


def taint_matches(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """``Taint.MatchTaint``: same key and effect."""
    return a.get("key") == b.get("key") and a.get("effect") == b.get("effect")


def taint_exists(taints: list[dict[str, Any]] | None, taint: dict[str, Any]) -> bool:
    return any(taint_matches(t, taint) for t in taints or [])


def compute_zone_state(ready_conditions: list[dict[str, Any] | None], threshold: float = UNHEALTHY_ZONE_THRESHOLD) -> tuple[int, str]:
    """``ComputeZoneState``: (not ready nodes, FullDisruption / PartialDisruption / Normal)."""
    ready = sum(1 for c in ready_conditions if c is not None and c.get("status") == "True")
    not_ready = len(ready_conditions) - ready
    if ready == 0 and not_ready > 0:
        return not_ready, STATE_FULL
    if not_ready > 2 and not_ready / (not_ready + ready) >= threshold:
        return not_ready, STATE_PARTIAL
    return not_ready, STATE_NORMAL


@dataclass
class TokenBucket:
    """``flowcontrol.NewTokenBucketRateLimiter(qps, burst)`` in simulated time; starts full. qps 0 rejects all."""

    qps: float
    burst: int
    tokens: float
    last_ms: int

    def _refill(self, now_ms: int) -> None:
        if now_ms > self.last_ms:
            self.tokens = min(float(self.burst), self.tokens + (now_ms - self.last_ms) / 1000 * self.qps)
            self.last_ms = now_ms

    def try_accept(self, now_ms: int) -> bool:
        if self.qps <= 0:
            return False
        self._refill(now_ms)
        if self.tokens >= 1 - 1e-9:
            self.tokens -= 1
            return True
        return False

    def next_token_ms(self, now_ms: int) -> int | None:
        if self.qps <= 0:
            return None
        self._refill(now_ms)
        return now_ms + max(0, math.ceil((1 - self.tokens) * 1000 / self.qps))


@dataclass
class RateLimitedTimedQueue:
    """``RateLimitedTimedQueue`` over a ``UniqueQueue``: a value stays in the set after it is processed
    (``RemoveFromQueue``), so it is not queued twice until ``remove``."""

    limiter: TokenBucket
    queue: list[tuple[int, int, str]] = field(default_factory=list)  # (process_at_ms, seq, value)
    members: set[str] = field(default_factory=set)
    seq: int = 0

    def add(self, value: str, now_ms: int) -> bool:
        if value in self.members:
            return False
        self.members.add(value)
        self.seq += 1
        self.queue.append((now_ms, self.seq, value))
        self.queue.sort()
        return True

    def remove(self, value: str) -> bool:
        found = value in self.members
        self.members.discard(value)
        self.queue = [q for q in self.queue if q[2] != value]
        return found

    def swap_limiter(self, qps: float, now_ms: int) -> None:
        if self.limiter.qps == qps:
            return
        new = TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, float(EVICTION_RATE_LIMITER_BURST), now_ms)
        # "If we're currently waiting on limiter, we drain the new one"
        if not self.limiter.try_accept(now_ms):
            new.try_accept(now_ms)
        self.limiter = new


@dataclass
class NodeHealth:
    probe_ms: int
    ready_transition_ms: int
    status: dict[str, Any]
    lease: dict[str, Any] | None = None


class NodeLifecycleController:
    def __init__(self, client: Any, clock: Clock, trace: Trace, informers: SharedInformerFactory | None = None, *,
                 monitor_period_ms: int = NODE_MONITOR_PERIOD_MS,
                 grace_period_ms: int = NODE_MONITOR_GRACE_PERIOD_MS,
                 startup_grace_period_ms: int = NODE_STARTUP_GRACE_PERIOD_MS,
                 eviction_rate: float = NODE_EVICTION_RATE,
                 secondary_eviction_rate: float = SECONDARY_NODE_EVICTION_RATE) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.monitor_period_ms = monitor_period_ms
        self.grace_period_ms = grace_period_ms
        self.startup_grace_period_ms = startup_grace_period_ms
        self.eviction_rate = eviction_rate
        self.secondary_eviction_rate = secondary_eviction_rate
        self.informers = informers or SharedInformerFactory(client)
        self.node_informer = self.informers.informer("Node")
        self.pod_informer = self.informers.informer("Pod")
        self.lease_informer = self.informers.informer("Lease", "kube-node-lease")
        self.health: dict[str, NodeHealth] = {}
        self.known_nodes: set[str] = set()
        self.zone_states: dict[str, str] = {}
        self.tainters: dict[str, RateLimitedTimedQueue] = {}
        self._taint_pass_timer: int | None = None
        self._taint_pass_at: int | None = None
        self._start_ms = 0

    # -- wiring -----------------------------------------------------------------------------------------------
    def start(self) -> None:
        self._start_ms = self.clock.now_ms
        self.node_informer.add_handler(self._node_changed, lambda old, new: self._node_changed(new))
        self.informers.start()
        # wait.UntilWithContext: the first pass right after start (and cache sync), then every period
        self.clock.call_later(0, self._monitor_tick, f"{NAME} monitor")

    def _monitor_tick(self) -> None:
        # A heartbeat delivered in the same millisecond as a pass is seen by the next pass (as if the pass ran just
        # before it): the pass that sees a heartbeat is always after it, as in real time.
        self.monitor_node_health()
        self.clock.call_later(self.monitor_period_ms, self._monitor_tick, f"{NAME} monitor")

    def _node_changed(self, node: dict[str, Any]) -> None:
        name = node["metadata"]["name"]
        self.clock.call_later(0, lambda: self.do_no_schedule_tainting_pass(name), f"{NAME} noschedule {name}")

    # -- helpers ----------------------------------------------------------------------------------------------
    def _now_ms(self) -> int:
        return self.clock.unix_nano() // 1_000_000

    def _node_event(self, node: dict[str, Any], event_type: str, reason: str, message: str) -> None:
        ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": node["metadata"]["name"],
                                                               "uid": node["metadata"].get("uid")}}
        self.client.record_event(ref, event_type, reason, message, component=EVENT_COMPONENT)

    def _swap_taints(self, name: str, to_add: list[dict[str, Any]], to_remove: list[dict[str, Any]]) -> bool:
        """``SwapNodeControllerTaint``: add (with ``timeAdded``) then remove taints, with fresh GETs on conflict."""
        now = self.clock.timestamp()
        for attempt in range(5):
            try:
                node = self.client.get("Node", name)
                taints = list((node.get("spec") or {}).get("taints") or [])
                changed = False
                for t in to_add:
                    new_t = dict(t, timeAdded=now)
                    for i, old in enumerate(taints):
                        if taint_matches(old, new_t):
                            break
                    else:
                        taints.append(new_t)
                        changed = True
                kept = [t for t in taints if not any(taint_matches(t, r) for r in to_remove)]
                changed = changed or len(kept) != len(taints)
                if not changed:
                    return True
                node.setdefault("spec", {})
                if kept:
                    node["spec"]["taints"] = kept
                else:
                    node["spec"].pop("taints", None)
                self.client.update(node)
                return True
            except APIError as err:
                if err.code == 404:
                    return False
                if err.code != 409:
                    raise
        return False

    def _remove_taints(self, node: dict[str, Any], to_remove: list[dict[str, Any]]) -> None:
        """``RemoveTaintOffNode``: no request when the cached node has none of them."""
        if not any(taint_exists((node.get("spec") or {}).get("taints"), t) for t in to_remove):
            return
        self._swap_taints(node["metadata"]["name"], [], to_remove)

    # -- NoSchedule taints from conditions ----------------------------------------------------------------------
    def do_no_schedule_tainting_pass(self, name: str) -> None:
        node = self.node_informer.get(name)
        if node is None:
            return
        wanted: list[dict[str, Any]] = []
        for c in (node.get("status") or {}).get("conditions") or []:
            key = NODE_CONDITION_TO_TAINT.get(c.get("type"), {}).get(c.get("status"))
            if key:
                wanted.append({"key": key, "effect": "NoSchedule"})
        if (node.get("spec") or {}).get("unschedulable"):
            wanted.append({"key": TAINT_NODE_UNSCHEDULABLE, "effect": "NoSchedule"})
        current = [t for t in (node.get("spec") or {}).get("taints") or []
                   if t.get("effect") == "NoSchedule" and (t.get("key") == TAINT_NODE_UNSCHEDULABLE or t.get("key") in CONDITION_TAINT_KEYS)]
        to_add = [t for t in wanted if not taint_exists(current, t)]
        to_del = [t for t in current if not taint_exists(wanted, t)]
        if not to_add and not to_del:
            return
        self.trace.decide(NAME, "NoScheduleTaintsUpdated", node=name, add=",".join(t["key"] for t in to_add),
                          remove=",".join(t["key"] for t in to_del))
        self._swap_taints(name, to_add, to_del)

    # -- health -----------------------------------------------------------------------------------------------
    def try_update_node_health(self, node: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, Any] | None]:
        """``tryUpdateNodeHealth``: returns (grace period, Ready condition seen at the start, Ready condition now)."""
        name = node["metadata"]["name"]
        now = self._now_ms()
        health = self.health.get(name)
        current = get_condition(node, "Ready")
        created = parse_time_ms(node["metadata"].get("creationTimestamp")) or now
        if current is None:
            observed = {"type": "Ready", "status": "Unknown", "lastHeartbeatTime": node["metadata"].get("creationTimestamp"),
                        "lastTransitionTime": node["metadata"].get("creationTimestamp")}
            grace = self.startup_grace_period_ms
            if health is not None:
                health.status = clone(node.get("status") or {})
            else:
                health = NodeHealth(created, created, clone(node.get("status") or {}))
        else:
            observed = clone(current)
            grace = self.grace_period_ms
        saved = get_condition({"status": health.status}, "Ready") if health is not None else None
        saved_lease = health.lease if health is not None else None
        if health is None:
            health = NodeHealth(now, now, clone(node.get("status") or {}))
        elif saved is None and current is not None:
            health = NodeHealth(now, now, clone(node.get("status") or {}))
        elif saved is not None and current is None:
            health = NodeHealth(now, now, clone(node.get("status") or {}))
        elif saved is not None and current is not None and saved.get("lastHeartbeatTime") != current.get("lastHeartbeatTime"):
            transition = now if saved.get("lastTransitionTime") != current.get("lastTransitionTime") else health.ready_transition_ms
            health = NodeHealth(now, transition, clone(node.get("status") or {}))
        # As upstream, a re-created health record starts without a lease (only the "always update the probe time if
        # node lease is renewed" check below sets it).
        lease = self.lease_informer.get(name, "kube-node-lease")
        if lease is not None and (saved_lease is None or _renew_ms(saved_lease) < _renew_ms(lease)):
            health.lease = lease
            health.probe_ms = now
        # Upstream: nc.now().After(probeTimestamp.Add(gracePeriod)). The probe time is itself a pass time and
        # wait.Until is "sliding" (the 5 s period starts after each pass returns), so the pass that comes
        # grace/period passes later is strictly after probe+grace; with zero-duration passes that is ">=".
        if now >= health.probe_ms + grace:
            stamp = self.clock.timestamp()
            node = clone(node)
            conds = node.setdefault("status", {}).setdefault("conditions", [])
            for ctype in UNKNOWN_CONDITION_TYPES:
                c = get_condition(node, ctype)
                if c is None:
                    conds.append({"type": ctype, "status": "Unknown", "lastHeartbeatTime": node["metadata"].get("creationTimestamp"),
                                  "lastTransitionTime": stamp, "reason": ev.NODE_STATUS_NEVER_UPDATED_REASON,
                                  "message": ev.NODE_STATUS_NEVER_UPDATED_MSG})
                elif c.get("status") != "Unknown":
                    c.update(status="Unknown", reason=ev.NODE_STATUS_UNKNOWN_REASON, message=ev.NODE_STATUS_UNKNOWN_MSG,
                             lastTransitionTime=stamp)
            current = get_condition(node, "Ready")
            if current != observed:
                self.trace.decide(NAME, "NodeStatusUnknown", node=name, silent_ms=now - health.probe_ms, grace_ms=grace)
                try:
                    self.client.update_status(node)
                except APIError as err:
                    if err.code != 409:
                        raise
                    latest = self.client.get("Node", name)
                    latest["status"] = node["status"]
                    self.client.update_status(latest)
                health = NodeHealth(health.probe_ms, now, clone(node["status"]), lease)
        self.health[name] = health
        return grace, observed, current

    # -- the monitor pass -------------------------------------------------------------------------------------
    def monitor_node_health(self) -> None:
        nodes = self.node_informer.list()
        names = {n["metadata"]["name"] for n in nodes}
        for node in nodes:
            name = node["metadata"]["name"]
            zone = get_zone_key(node)
            if zone not in self.zone_states:
                self.zone_states[zone] = STATE_INITIAL
                self.tainters[zone] = RateLimitedTimedQueue(TokenBucket(
                    self.eviction_rate, EVICTION_RATE_LIMITER_BURST, float(EVICTION_RATE_LIMITER_BURST), self.clock.now_ms))
            if name not in self.known_nodes:
                self.known_nodes.add(name)
                self._node_event(node, ev.NORMAL, ev.REGISTERED_NODE, ev.registered_node(name))
                self._mark_node_as_reachable(node)
        for name in sorted(self.known_nodes - names):
            self.known_nodes.discard(name)
            self.health.pop(name, None)
            ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}
            self.client.record_event(ref, ev.NORMAL, ev.REMOVING_NODE, ev.removing_node(name), component=EVENT_COMPONENT)

        zone_conditions: dict[str, list[dict[str, Any] | None]] = {}
        for node in nodes:
            name = node["metadata"]["name"]
            _, observed, current = self.try_update_node_health(node)
            if LABEL_EXCLUDE_DISRUPTION not in ((node.get("metadata") or {}).get("labels") or {}):
                zone_conditions.setdefault(get_zone_key(node), []).append(current)
            if current is None:
                continue
            self._process_taint_based_eviction(node, observed)
            if current.get("status") != "True" and observed.get("status") == "True":
                self._node_event(node, ev.NORMAL, ev.NODE_NOT_READY, ev.node_status_change(name, ev.NODE_NOT_READY))
                self._mark_pods_not_ready(name)
        self._handle_disruption(zone_conditions, nodes)
        self._schedule_taint_pass()

    def _mark_pods_not_ready(self, node_name: str) -> None:
        """``MarkPodsNotReady``: Ready=False on every pod of the node, with a ``NodeNotReady`` event."""
        for pod in self.pod_informer.list():
            if (pod.get("spec") or {}).get("nodeName") != node_name:
                continue
            ready = get_condition(pod, "Ready")
            if ready is None or ready.get("status") == "False":
                continue
            pod = clone(pod)
            c = get_condition(pod, "Ready")
            assert c is not None  # the copy has the Ready condition just read
            c["status"] = "False"
            c["lastTransitionTime"] = self.clock.timestamp()
            try:
                self.client.update_status(pod)
            except APIError:
                continue
            self.client.record_event(pod, ev.WARNING, ev.NODE_NOT_READY, ev.POD_NODE_NOT_READY_MSG, component=EVENT_COMPONENT)

    def _process_taint_based_eviction(self, node: dict[str, Any], observed: dict[str, Any]) -> None:
        name = node["metadata"]["name"]
        taints = (node.get("spec") or {}).get("taints")
        status = observed.get("status")
        if status == "False":
            if taint_exists(taints, UNREACHABLE_TAINT):
                self._swap_taints(name, [NOT_READY_TAINT], [UNREACHABLE_TAINT])
            elif self._mark_node_for_tainting(node, "False"):
                self.trace.decide(NAME, "NodeNotReady", node=name)
        elif status == "Unknown":
            if taint_exists(taints, NOT_READY_TAINT):
                self._swap_taints(name, [UNREACHABLE_TAINT], [NOT_READY_TAINT])
            elif self._mark_node_for_tainting(node, "Unknown"):
                self.trace.decide(NAME, "NodeUnreachable", node=name)
        elif status == "True":
            if self._mark_node_as_reachable(node):
                self.trace.decide(NAME, "NodeReachable", node=name)

    def _mark_node_for_tainting(self, node: dict[str, Any], status: str) -> bool:
        zone = get_zone_key(node)
        taints = (node.get("spec") or {}).get("taints")
        queue = self.tainters[zone]
        if status == "False" and not taint_exists(taints, NOT_READY_TAINT):
            queue.remove(node["metadata"]["name"])
        if status == "Unknown" and not taint_exists(taints, UNREACHABLE_TAINT):
            queue.remove(node["metadata"]["name"])
        return queue.add(node["metadata"]["name"], self._now_ms())

    def _mark_node_as_reachable(self, node: dict[str, Any]) -> bool:
        self._remove_taints(node, [UNREACHABLE_TAINT])
        self._remove_taints(node, [NOT_READY_TAINT])
        queue = self.tainters.get(get_zone_key(node))
        return queue.remove(node["metadata"]["name"]) if queue is not None else False

    # -- rate-limited NoExecute tainting ------------------------------------------------------------------------
    def _schedule_taint_pass(self, at_ms: int | None = None) -> None:
        if not any(q.queue for q in self.tainters.values()):
            return
        now = self.clock.now_ms
        if at_ms is None:
            at_ms = now + 1
        # the ticker runs every NodeEvictionPeriod (100 ms) from the controller start
        elapsed = max(0, at_ms - self._start_ms)
        at_ms = self._start_ms + math.ceil(elapsed / NODE_EVICTION_PERIOD_MS) * NODE_EVICTION_PERIOD_MS
        if self._taint_pass_at is not None and self._taint_pass_at <= at_ms:
            return
        if self._taint_pass_timer is not None:
            self.clock.cancel(self._taint_pass_timer)
        self._taint_pass_at = at_ms
        self._taint_pass_timer = self.clock.call_at(at_ms, self.do_no_execute_tainting_pass, f"{NAME} taint pass")

    def do_no_execute_tainting_pass(self) -> None:
        self._taint_pass_timer = None
        self._taint_pass_at = None
        now_unix = self._now_ms()
        retry_at: int | None = None
        for zone in sorted(self.tainters):
            q = self.tainters[zone]
            while q.queue:
                process_at, _, value = q.queue[0]
                if not q.limiter.try_accept(self.clock.now_ms):
                    nxt = q.limiter.next_token_ms(self.clock.now_ms)
                    if nxt is not None:
                        retry_at = nxt if retry_at is None else min(retry_at, nxt)
                    break
                if now_unix < process_at:
                    break
                ok, wait_ms = self._taint_one(value)
                if ok:
                    q.queue.pop(0)  # RemoveFromQueue: stays in the set
                else:
                    q.queue[0] = (now_unix + wait_ms + 1, q.queue[0][1], value)
                    q.queue.sort()
        if retry_at is not None:
            self._schedule_taint_pass(retry_at)
        elif any(q.queue for q in self.tainters.values()):
            self._schedule_taint_pass()

    def _taint_one(self, name: str) -> tuple[bool, int]:
        node = self.node_informer.get(name)
        if node is None:
            return True, 0
        ready = get_condition(node, "Ready")
        if ready is None:
            return False, 50
        if ready.get("status") == "False":
            add, opposite = NOT_READY_TAINT, UNREACHABLE_TAINT
        elif ready.get("status") == "Unknown":
            add, opposite = UNREACHABLE_TAINT, NOT_READY_TAINT
        else:
            return True, 0
        self.trace.decide(NAME, "NoExecuteTaintAdded", node=name, taint=add["key"], eviction_rate=self.eviction_rate)
        return self._swap_taints(name, [add], [opposite]), 0

    # -- zones ------------------------------------------------------------------------------------------------
    def _set_limiter_in_zone(self, zone: str, size: int, state: str) -> None:
        now = self.clock.now_ms
        if state == STATE_NORMAL:
            self.tainters[zone].swap_limiter(self.eviction_rate, now)
        elif state == STATE_PARTIAL:
            # ReducedQPSFunc: the secondary rate in large zones, 0 in small ones
            qps = self.secondary_eviction_rate if size > LARGE_CLUSTER_SIZE_THRESHOLD else 0.0
            self.tainters[zone].swap_limiter(qps, now)
        elif state == STATE_FULL:
            self.tainters[zone].swap_limiter(self.eviction_rate, now)  # HealthyQPSFunc

    def _handle_disruption(self, zone_conditions: dict[str, list[dict[str, Any] | None]], nodes: list[dict[str, Any]]) -> None:
        new_states: dict[str, str] = {}
        all_fully = True
        for zone in sorted(zone_conditions):
            _, state = compute_zone_state(zone_conditions[zone])
            if state != STATE_FULL:
                all_fully = False
            new_states[zone] = state
            self.zone_states.setdefault(zone, STATE_INITIAL)
        all_was_fully = True
        for zone in sorted(list(self.zone_states)):
            if zone not in zone_conditions:
                del self.zone_states[zone]
                continue
            if self.zone_states[zone] != STATE_FULL:
                all_was_fully = False
                break
        if all_fully and all_was_fully:
            return
        if all_fully:
            self.trace.decide(NAME, "FullDisruptionEntered")
            for node in nodes:
                self._mark_node_as_reachable(node)
            for zone in self.zone_states:
                self.tainters[zone].swap_limiter(0.0, self.clock.now_ms)
                self.zone_states[zone] = STATE_FULL
            return
        if all_was_fully:
            self.trace.decide(NAME, "FullDisruptionExited")
            now = self._now_ms()
            for node in nodes:
                h = self.health.get(node["metadata"]["name"])
                if h is not None:
                    h.probe_ms = now
                    h.ready_transition_ms = now
            for zone in self.zone_states:
                self._set_limiter_in_zone(zone, len(zone_conditions.get(zone, [])), new_states[zone])
                self.zone_states[zone] = new_states[zone]
            return
        for zone in sorted(self.zone_states):
            if self.zone_states[zone] == new_states[zone]:
                continue
            self._set_limiter_in_zone(zone, len(zone_conditions.get(zone, [])), new_states[zone])
            self.zone_states[zone] = new_states[zone]


def _renew_ms(lease: dict[str, Any]) -> int:
    return parse_time_ms((lease.get("spec") or {}).get("renewTime")) or 0
