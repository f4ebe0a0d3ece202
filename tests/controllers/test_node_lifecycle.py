"""node-lifecycle-controller + taint-eviction-controller over a real APIServer + Clock, with fake heartbeats.

Timing from upstream defaults: ``--node-monitor-period`` 5 s, ``--node-monitor-grace-period`` 50 s (v1.32+, PR
#126287), taint queue ticker 100 ms, ``tolerationSeconds`` 300 added by DefaultTolerationSeconds.
"""

from __future__ import annotations

from k8sdocs.model import observe as ob
from k8sdocs.model.controllers import nodelifecycle as nl
from k8sdocs.model.controllers import taint_eviction as te
from k8sdocs.model.controllers.manager import KubeControllerManager


class FakeNode:
    """A node whose 'kubelet' only renews its Lease every 10 s (at 2 s, 12 s, 22 s, …) until stopped."""

    def __init__(self, api, clock, name: str, zone: str = "z1", first_renewal_ms: int = 2000) -> None:
        self.client = api.client(f"kubelet/{name}")
        self.clock = clock
        self.name = name
        now = clock.timestamp()
        self.client.create({"apiVersion": "v1", "kind": "Node",
                            "metadata": {"name": name, "labels": {"topology.kubernetes.io/zone": zone}},
                            "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                                       "message": "kubelet is posting ready status",
                                                       "lastHeartbeatTime": now, "lastTransitionTime": now}]}})
        self.lease = self.client.create({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                         "metadata": {"name": name, "namespace": "kube-node-lease"},
                                         "spec": {"holderIdentity": name, "leaseDurationSeconds": 40,
                                                  "renewTime": clock.micro_timestamp()}})
        self.alive = True
        clock.call_later(first_renewal_ms, self._renew)

    def _renew(self) -> None:
        if not self.alive:
            return
        self.lease["spec"]["renewTime"] = self.clock.micro_timestamp()
        self.lease = self.client.update(self.lease)
        self.clock.call_later(10_000, self._renew)

    def stop(self) -> None:
        self.alive = False

    def recover(self) -> None:
        self.alive = True
        node = self.client.get("Node", self.name)
        now = self.clock.timestamp()
        node["status"]["conditions"] = [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                         "message": "kubelet is posting ready status",
                                         "lastHeartbeatTime": now, "lastTransitionTime": now}]
        self.client.update_status(node)
        self._renew()


def _pod(api, name: str, node: str, tolerations: list | None = None) -> None:
    k = api.client("kubectl")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
           "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]}}
    if tolerations is not None:
        pod["spec"]["tolerations"] = tolerations
    created = k.create(pod)
    created["status"].update(phase="Running", podIP="10.0.0.1",
                             conditions=[{"type": "Ready", "status": "True", "lastTransitionTime": api.clock.timestamp()}])
    k.update_status(created)


def _setup(h, nodes=("node-1", "node-2"), first_renewal_ms: int = 2000):
    clock, trace, api = h.make_api()
    fakes = {n: FakeNode(api, clock, n, first_renewal_ms=first_renewal_ms) for n in nodes}
    KubeControllerManager(api.client, clock, trace).start()
    return clock, trace, api, fakes


def _first(trace, kind: str, needle: str):
    """The first Kubernetes Event whose ``type reason message`` contains ``needle``."""
    assert kind == "event", "decisions are selected by code and fields: ob.decisions(..., code=...)"
    for e in trace.events:
        if e.note is not None and needle in f"{e.note.type} {e.note.reason} {e.note.message}":
            return e
    return None


def _first_decision(trace, code: str, **fields: str):
    """The first node-lifecycle decision ``code`` whose fields include ``fields``."""
    return next((e for e in ob.decisions(trace.events, source="node-lifecycle-controller", code=code)
                 if all(e.get(k) == v for k, v in fields.items())), None)


def test_defaults_match_upstream() -> None:
    assert nl.NODE_MONITOR_PERIOD_MS == 5_000
    assert nl.NODE_MONITOR_GRACE_PERIOD_MS == 50_000
    assert nl.NODE_STARTUP_GRACE_PERIOD_MS == 60_000
    assert nl.NODE_EVICTION_RATE == 0.1 and nl.SECONDARY_NODE_EVICTION_RATE == 0.01
    assert nl.UNHEALTHY_ZONE_THRESHOLD == 0.55 and nl.LARGE_CLUSTER_SIZE_THRESHOLD == 50


def test_silent_node_goes_unknown_tainted_and_its_pods_evicted(h) -> None:
    clock, trace, api, fakes = _setup(h)
    _pod(api, "default-tol", "node-1")  # gets the 300 s tolerations from admission
    _pod(api, "short-tol", "node-1", [{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                                       "effect": "NoExecute", "tolerationSeconds": 30}])
    _pod(api, "forever", "node-1", [{"operator": "Exists"}])
    _pod(api, "elsewhere", "node-2")
    clock.run_until(24_000)
    fakes["node-1"].stop()  # last renewal at 22 s, first seen by the monitor pass at 25 s
    k = api.client("kubectl")

    clock.run_until(74_999)
    ready = [c for c in k.get("Node", "node-1")["status"]["conditions"] if c["type"] == "Ready"][0]
    assert ready["status"] == "True"
    clock.run_until(75_000)  # seen at the 25 s pass + 50 s grace -> the pass at 75 s
    node = k.get("Node", "node-1")
    conds = {c["type"]: c for c in node["status"]["conditions"]}
    assert (conds["Ready"]["status"], conds["Ready"]["reason"], conds["Ready"]["message"]) == \
        ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    assert conds["MemoryPressure"]["reason"] == "NodeStatusNeverUpdated"
    assert _first(trace, "event", "Normal NodeNotReady Node node-1 status is now: NodeNotReady").time_ms == 75_000
    pod = k.get("Pod", "default-tol", "default")
    assert [c["status"] for c in pod["status"]["conditions"] if c["type"] == "Ready"] == ["False"]
    assert _first(trace, "event", "Warning NodeNotReady Node is not ready") is not None
    node_events = [e for e in k.list("Event", "default") if e["reason"] == "NodeNotReady" and e["involvedObject"]["kind"] == "Node"]
    assert node_events[0]["source"]["component"] == "node-controller"
    # NoSchedule counterpart right away, NoExecute from the next pass (the observed condition) + 100 ms tick
    assert {(t["key"], t["effect"]) for t in node["spec"].get("taints", [])} == {("node.kubernetes.io/unreachable", "NoSchedule")}
    clock.run_until(80_099)
    assert not any(t["effect"] == "NoExecute" for t in k.get("Node", "node-1")["spec"]["taints"])
    clock.run_until(80_100)
    taints = {(t["key"], t["effect"]) for t in k.get("Node", "node-1")["spec"]["taints"]}
    assert taints == {("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")}

    clock.run_until(110_099)
    assert k.list("Pod", "default", field_selector="metadata.name=short-tol")
    clock.run_until(110_100)  # 80.1 s + 30 s
    assert not k.list("Pod", "default", field_selector="metadata.name=short-tol")
    ev = _first(trace, "event", "TaintManagerEviction Marking for deletion Pod default/short-tol")
    assert ev is not None and ev.time_ms == 110_100
    clock.run_until(380_099)
    assert k.list("Pod", "default", field_selector="metadata.name=default-tol")
    clock.run_until(380_100)  # 80.1 s + 300 s
    left = sorted(p["metadata"]["name"] for p in k.list("Pod", "default"))
    assert left == ["elsewhere", "forever"]
    tm = [e for e in k.list("Event", "default") if e["reason"] == "TaintManagerEviction"]
    assert {e["source"]["component"] for e in tm} == {"taint-eviction-controller"}
    assert {e["message"] for e in tm} == {"Marking for deletion Pod default/short-tol",
                                          "Marking for deletion Pod default/default-tol"}


def test_recovery_removes_taints_and_cancels_evictions(h) -> None:
    clock, trace, api, fakes = _setup(h)
    _pod(api, "web", "node-1")
    clock.run_until(24_000)
    fakes["node-1"].stop()
    clock.run_until(100_000)
    k = api.client("kubectl")
    assert any(t["effect"] == "NoExecute" for t in k.get("Node", "node-1")["spec"]["taints"])
    fakes["node-1"].recover()
    clock.run_until(110_000)
    assert not k.get("Node", "node-1")["spec"].get("taints")
    assert _first(trace, "event", "Normal TaintManagerEviction Cancelling deletion of Pod default/web") is not None
    clock.run_until(500_000)
    assert k.list("Pod", "default", field_selector="metadata.name=web")


def test_single_node_zone_fully_disrupted_is_not_evicted(h) -> None:
    # all nodes not ready -> "master disruption mode": no NoExecute taint, no eviction (handleDisruption)
    clock, trace, api, fakes = _setup(h, nodes=("solo",))
    _pod(api, "web", "solo")
    clock.run_until(24_000)
    fakes["solo"].stop()
    clock.run_until(600_000)
    k = api.client("kubectl")
    taints = k.get("Node", "solo")["spec"].get("taints") or []
    assert [t["effect"] for t in taints] == ["NoSchedule"]
    assert k.list("Pod", "default")


def test_rate_limited_tainting_one_node_every_ten_seconds(h) -> None:
    # 4 nodes in one zone, 2 die: 2/4 < 55 % -> Normal state, --node-eviction-rate 0.1 with burst 1
    clock, trace, api, fakes = _setup(h, nodes=("n1", "n2", "n3", "n4"))
    clock.run_until(24_000)
    fakes["n1"].stop()
    fakes["n2"].stop()
    clock.run_until(120_000)
    adds = [e for e in ob.requests(trace.events, source="node-lifecycle-controller", verb="PUT", resource="nodes")
            if e.api.name]
    noexec = ob.decisions(trace.events, source="node-lifecycle-controller", code="NoExecuteTaintAdded")
    assert [e.time_ms for e in noexec] == [80_100, 90_100]
    assert adds


def test_zone_state_thresholds() -> None:
    t = {"status": "True"}
    f = {"status": "Unknown"}
    assert nl.compute_zone_state([f]) == (1, nl.STATE_FULL)
    assert nl.compute_zone_state([t, f, f]) == (2, nl.STATE_NORMAL)  # needs more than 2 not ready
    assert nl.compute_zone_state([t, t, f, f, f]) == (3, nl.STATE_PARTIAL)  # 3/5 = 0.6 >= 0.55
    assert nl.compute_zone_state([t, t, t, f, f, f]) == (3, nl.STATE_NORMAL)  # 0.5 < 0.55
    assert nl.compute_zone_state([None, t]) == (1, nl.STATE_NORMAL)


def test_token_bucket_qps_point_one_burst_one() -> None:
    b = nl.TokenBucket(0.1, 1, 1.0, 0)
    assert b.try_accept(0)
    assert not b.try_accept(9_999)
    assert b.try_accept(10_000)
    assert not nl.TokenBucket(0.0, 1, 1.0, 0).try_accept(0)


# pkg/controller/tainteviction/taint_eviction_test.go TestGetMinTolerationTime
def test_min_toleration_time() -> None:
    one, two = {"tolerationSeconds": 1}, {"tolerationSeconds": 2}
    assert te.get_min_toleration_ms([]) == 0
    assert te.get_min_toleration_ms([{}]) == -1
    assert te.get_min_toleration_ms([one, two]) == 1000
    assert te.get_min_toleration_ms([two, {}]) == 2000
    assert te.get_min_toleration_ms([{"tolerationSeconds": 0}, two]) == 0
    assert te.get_min_toleration_ms([{"tolerationSeconds": -5}]) == 0


def test_matching_tolerations() -> None:
    taint = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
    assert te.get_matching_tolerations([taint], []) == (False, [])
    assert te.get_matching_tolerations([], [{"operator": "Exists"}]) == (True, [])
    tol = {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
    assert te.get_matching_tolerations([taint], [tol]) == (True, [tol])
    wrong = {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}
    assert te.get_matching_tolerations([taint], [wrong]) == (False, [])
    assert te.get_matching_tolerations([dict(taint, value="x")], [{"key": taint["key"], "value": "y"}]) == (False, [])


def test_heartbeat_in_the_same_millisecond_as_a_pass_is_seen_by_the_next_pass(h) -> None:
    # renewals at 10 s, 20 s, ... 60 s coincide with passes: the renewal at 60 s is seen at 65 s (a pass always
    # sees a heartbeat after it happened), so Ready=Unknown 55 s after it, within upstream's (50 s, 55 s] window.
    clock, trace, api, fakes = _setup(h, first_renewal_ms=10_000)
    clock.run_until(64_000)
    fakes["node-1"].stop()
    clock.run_until(200_000)
    unknown = _first_decision(trace, "NodeStatusUnknown", node="node-1")
    assert unknown is not None and unknown.time_ms == 115_000
    noexec = _first_decision(trace, "NoExecuteTaintAdded", node="node-1", taint="node.kubernetes.io/unreachable")
    assert noexec.time_ms == 120_100


def test_pods_of_a_deleted_node_are_garbage_collected_after_quarantine(h) -> None:
    clock, trace, api, fakes = _setup(h)
    _pod(api, "orphan", "node-1")
    clock.run_until(30_000)
    api.client("kubectl").delete("Node", "node-1")
    clock.run_until(200_000)
    k = api.client("kubectl")
    assert [p["metadata"]["name"] for p in k.list("Pod", "default")] == []
    # podgc passes at 0, 20, 40 s...: seen missing at 40 s, quarantined 40 s, checked with a GET and deleted at 80 s
    gets = [e.time_ms for e in ob.requests(trace.events, source="pod-garbage-collector", verb="GET", resource="nodes",
                                           name="node-1", subresource=None) if not e.api.query]
    dels = [e.time_ms for e in ob.requests(trace.events, source="pod-garbage-collector", verb="DELETE", resource="pods",
                                           namespace="default", name="orphan", subresource=None)]
    assert gets == [80_000] and dels == [80_000]
    # the garbage collector removed the node's Lease (ownerReference to the Node)... when it has one
    assert not [e for e in ob.requests(trace.events, verb="PUT", resource="nodes", name="node-1", subresource="status")
                if e.time_ms > 30_000]
