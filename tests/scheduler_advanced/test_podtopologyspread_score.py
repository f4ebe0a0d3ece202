"""PodTopologySpread PreScore/Score/NormalizeScore, transcribed from upstream table tests.

Source: kubernetes/kubernetes pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go
@38f68d59a73f5685774b2f1e1d1921e231cc8ab4 — TestPodTopologySpreadScore (scores after NormalizeScore, in upstream
node order), TestPreScoreStateEmptyNodes and TestPreScoreSkip. ``nodes`` are the candidates (passed filtering),
``failed`` the other nodes of the snapshot; upstream runs PreScore on the candidates, Score on each candidate and
then NormalizeScore. Those tests use ``DefaultingType: List`` with no default constraints unless stated.
"""

from __future__ import annotations

import math

import pytest

from k8sdocs.model.scheduler.framework.status import Code
from k8sdocs.model.scheduler.plugins.podtopologyspread.common import PodTopologySpreadArgs, SpreadObjects
from k8sdocs.model.scheduler.plugins.podtopologyspread.scoring import (
    go_round,
    normalize_score,
    pre_score,
    score,
    topology_normalizing_weight,
)

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
FOO = {"matchExpressions": [{"key": "foo", "operator": "Exists"}]}
BAR = {"matchExpressions": [{"key": "bar", "operator": "Exists"}]}
LIST = PodTopologySpreadArgs(defaulting_type="List")
TAINTS = [{"key": "node.kubernetes.io/unschedulable", "value": "", "effect": "NoSchedule"}]


def node(name, taints=None, **labels):
    return {"metadata": {"name": name, "labels": dict(labels)},
            "spec": {"taints": taints or []}}


def hn(name):
    return {"metadata": {"name": name, "labels": {HOST: name}}, "spec": {}}


def hz(name, zone):
    return {"metadata": {"name": name, "labels": {"zone": zone, HOST: name}}, "spec": {}}


def pod(name, labels=None, node_name=None, ns=None, constraints=(), terminating=False, owner=None, **spec):
    meta = {"name": name, "labels": dict(labels or {})}
    if ns:
        meta["namespace"] = ns
    if terminating:
        meta["deletionTimestamp"] = "2024-01-01T00:00:00Z"
    if owner:
        meta["ownerReferences"] = [owner]
    s = dict(spec)
    if node_name:
        s["nodeName"] = node_name
    if constraints:
        s["topologySpreadConstraints"] = list(constraints)
    return {"metadata": meta, "spec": s}


def soft(max_skew, key, selector=FOO, **extra):
    c = {"maxSkew": max_skew, "topologyKey": key, "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": selector}
    c.update(extra)
    return c


def foo(*placements, labels=None):
    return [pod(n, labels or {"foo": ""}, node_name=nn) for n, nn in placements]


def run_scores(incoming, nodes, existing, failed=(), args=LIST, objects=None):
    all_nodes = list(nodes) + list(failed)
    snap = [(n, [p for p in existing if p["spec"].get("nodeName") == n["metadata"]["name"]]) for n in all_nodes]
    state, status = pre_score(incoming, nodes, snap, args, objects)
    assert status.is_success(), status
    pods_of = dict((n["metadata"]["name"], ps) for n, ps in snap)
    raw = [(n["metadata"]["name"], score(state, incoming, n, pods_of[n["metadata"]["name"]])) for n in nodes]
    return dict(normalize_score(state, raw))


SPREAD_4321 = foo(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-a3", "node-a"), ("p-a4", "node-a"),
                  ("p-b1", "node-b"), ("p-b2", "node-b"), ("p-b3", "node-b"),
                  ("p-c1", "node-c"), ("p-c2", "node-c"), ("p-d1", "node-d"))
SPREAD_2103 = foo(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b"),
                  ("p-d1", "node-d"), ("p-d2", "node-d"), ("p-d3", "node-d"))
ABCD = [hn("node-a"), hn("node-b"), hn("node-c"), hn("node-d")]
SPREAD_42_1_3 = foo(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-a3", "node-a"), ("p-a4", "node-a"),
                    ("p-b1", "node-b"), ("p-b2", "node-b"), ("p-x1", "node-x"),
                    ("p-y1", "node-y"), ("p-y2", "node-y"), ("p-y3", "node-y"))
NODE_ABC_FOO = [node("node-a", node="node-a", foo=""), node("node-b", node="node-b", foo=""),
                node("node-c", node="node-c")]
PODS_2_1_1 = foo(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b"), ("p-c1", "node-c"))
AFFINITY_FOO = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
    {"matchExpressions": [{"key": "foo", "operator": "In", "values": [""]}]}]}}}

SCORE_CASES = [
    ("one constraint on node, no existing pods", pod("p", {"foo": ""}, constraints=[soft(1, HOST)]),
     [hn("node-a"), hn("node-b")], [], [], {"node-a": 100, "node-b": 100}),
    ("one constraint on node, only one node is candidate", pod("p", {"foo": ""}, constraints=[soft(1, HOST)]),
     [hn("node-a")], foo(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b")), [hn("node-b")],
     {"node-a": 100}),
    ("one constraint on node, all nodes have the same number of matching pods",
     pod("p", {"foo": ""}, constraints=[soft(1, HOST)]), [hn("node-a"), hn("node-b")],
     foo(("p-a1", "node-a"), ("p-b1", "node-b")), [], {"node-a": 100, "node-b": 100}),
    ("one constraint on node, all 4 nodes are candidates", pod("p", {"foo": ""}, constraints=[soft(1, HOST)]),
     ABCD, SPREAD_2103, [], {"node-a": 20, "node-b": 60, "node-c": 100, "node-d": 0}),
    ("one constraint on node, null selector", pod("p", {"foo": ""}, constraints=[soft(1, HOST, selector=None)]),
     ABCD, SPREAD_2103, [], {"node-a": 100, "node-b": 100, "node-c": 100, "node-d": 100}),
    ("one constraint on node, all 4 nodes are candidates, maxSkew=2",
     pod("p", {"foo": ""}, constraints=[soft(2, HOST)]), ABCD, SPREAD_2103, [],
     {"node-a": 33, "node-b": 66, "node-c": 100, "node-d": 16}),
    ("one constraint on node, all 4 nodes are candidates, maxSkew=3",
     pod("p", {"foo": ""}, constraints=[soft(3, HOST)]), ABCD, SPREAD_4321, [],
     {"node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100}),
    ("one constraint on node, 3 out of 4 nodes are candidates", pod("p", {"foo": ""}, constraints=[soft(1, HOST)]),
     [hn("node-a"), hn("node-b"), hn("node-x")], SPREAD_42_1_3, [hn("node-y")],
     {"node-a": 33, "node-b": 83, "node-x": 100}),
    ("one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
     pod("p", {"foo": ""}, constraints=[soft(1, HOST)]),
     [hn("node-a"), node("node-b", n="node-b"), hn("node-x")], SPREAD_42_1_3, [hn("node-y")],
     {"node-a": 16, "node-b": 0, "node-x": 100}),
    ("one constraint on zone, 3 out of 4 nodes are candidates", pod("p", {"foo": ""}, constraints=[soft(1, "zone")]),
     [hz("node-a", "zone1"), hz("node-b", "zone1"), hz("node-x", "zone2")], SPREAD_42_1_3,
     [hz("node-y", "zone2")], {"node-a": 75, "node-b": 75, "node-x": 100}),
    ("two Constraints on zone and node, 2 out of 4 nodes are candidates",
     pod("p", {"foo": ""}, constraints=[soft(1, "zone"), soft(1, HOST)]),
     [hz("node-a", "zone1"), hz("node-x", "zone2")],
     foo(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b"), ("p-x1", "node-x"), ("p-x2", "node-x"),
         ("p-y1", "node-y"), ("p-y2", "node-y"), ("p-y3", "node-y"), ("p-y4", "node-y")),
     [hz("node-b", "zone1"), hz("node-y", "zone2")], {"node-a": 100, "node-x": 63}),
    ("two Constraints on zone and node, with different labelSelectors",
     pod("p", {"foo": "", "bar": ""}, constraints=[soft(1, "zone"), soft(1, HOST, selector=BAR)]),
     [hz("node-a", "zone1"), hz("node-b", "zone1"), hz("node-x", "zone2"), hz("node-y", "zone2")],
     [pod("p-a1", {"foo": ""}, "node-a"), pod("p-b1", {"foo": "", "bar": ""}, "node-b"),
      pod("p-y1", {"foo": ""}, "node-y"), pod("p-y2", {"bar": ""}, "node-y")], [],
     {"node-a": 60, "node-b": 20, "node-x": 100, "node-y": 60}),
    ("two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods",
     pod("p", {"foo": "", "bar": ""}, constraints=[soft(1, "zone"), soft(1, HOST, selector=BAR)]),
     [hz("node-a", "zone1"), hz("node-b", "zone1"), hz("node-x", "zone2"), hz("node-y", "zone2")],
     [pod("p-b1", {"bar": ""}, "node-b"), pod("p-x1", {"foo": ""}, "node-x"),
      pod("p-y1", {"foo": "", "bar": ""}, "node-y")], [],
     {"node-a": 100, "node-b": 60, "node-x": 40, "node-y": 0}),
    ("two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates",
     pod("p", {"foo": "", "bar": ""}, constraints=[soft(1, "zone"), soft(1, HOST, selector=BAR)]),
     [hz("node-a", "zone1"), hz("node-b", "zone1"), hz("node-x", "zone2")],
     [pod("p-a1", {"foo": ""}, "node-a"), pod("p-b1", {"foo": "", "bar": ""}, "node-b"),
      pod("p-y1", {"foo": ""}, "node-y"), pod("p-y2", {"bar": ""}, "node-y")], [hz("node-y", "zone2")],
     {"node-a": 50, "node-b": 25, "node-x": 100}),
    ("existing pods in a different namespace do not count", pod("p", {"foo": ""}, constraints=[soft(1, HOST)]),
     [hn("node-a"), hn("node-b")],
     [pod("p-a1", {"foo": ""}, "node-a", ns="ns1"), pod("p-a2", {"foo": ""}, "node-a"),
      pod("p-b1", {"foo": ""}, "node-b"), pod("p-b2", {"foo": ""}, "node-b")], [],
     {"node-a": 100, "node-b": 33}),
    ("terminating Pods should be excluded", pod("p", {"foo": ""}, constraints=[soft(1, HOST)]),
     [hn("node-a"), hn("node-b")],
     [pod("p-a", {"foo": ""}, "node-a", terminating=True), pod("p-b", {"foo": ""}, "node-b")], [],
     {"node-a": 100, "node-b": 0}),
    ("minDomains has no effect when ScheduleAnyway", pod("p", {"foo": ""}, constraints=[soft(2, "node", minDomains=10)]),
     [node("node-a", node="node-a"), node("node-b", node="node-b"), node("node-c", node="node-c")],
     foo(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b"), ("p-b2", "node-b"), ("p-c1", "node-c")), [],
     {"node-a": 75, "node-b": 75, "node-c": 100}),
    ("NodeAffinityPolicy honoed with labelSelectors",
     pod("p", {"foo": ""}, constraints=[soft(1, "node")], nodeSelector={"foo": ""}), NODE_ABC_FOO, PODS_2_1_1, [],
     {"node-a": 0, "node-b": 33, "node-c": 100}),
    ("NodeAffinityPolicy ignored with labelSelectors",
     pod("p", {"foo": ""}, constraints=[soft(1, "node", nodeAffinityPolicy="Ignore")], nodeSelector={"foo": ""}),
     NODE_ABC_FOO, PODS_2_1_1, [], {"node-a": 66, "node-b": 100, "node-c": 100}),
    ("NodeAffinityPolicy honoed with nodeAffinity",
     pod("p", {"foo": ""}, constraints=[soft(1, "node")], affinity=AFFINITY_FOO), NODE_ABC_FOO, PODS_2_1_1, [],
     {"node-a": 0, "node-b": 33, "node-c": 100}),
    ("NodeAffinityPolicy ignored with nodeAffinity",
     pod("p", {"foo": ""}, constraints=[soft(1, "node", nodeAffinityPolicy="Ignore")], affinity=AFFINITY_FOO),
     NODE_ABC_FOO, PODS_2_1_1, [], {"node-a": 66, "node-b": 100, "node-c": 100}),
    ("NodeTaintsPolicy honored", pod("p", {"foo": ""}, constraints=[soft(1, "node", nodeTaintsPolicy="Honor")]),
     [node("node-a", node="node-a"), node("node-b", node="node-b"), node("node-c", TAINTS, node="node-c")],
     PODS_2_1_1, [], {"node-a": 0, "node-b": 33, "node-c": 100}),
]


@pytest.mark.parametrize(
    "incoming,nodes,existing,failed,want", [c[1:] for c in SCORE_CASES],
    ids=[f"TestPodTopologySpreadScore/{c[0]}" for c in SCORE_CASES],
)
def test_pod_topology_spread_score(incoming, nodes, existing, failed, want):
    assert run_scores(incoming, nodes, existing, failed) == want


def test_system_defaulting_nodes_without_zone_pods_match_service():
    """TestPodTopologySpreadScore/system defaulting, nodes don't have zone, pods match service (44/66/77/100)."""
    svc = {"metadata": {"name": "svc"}, "spec": {"selector": {"foo": ""}}}
    got = run_scores(pod("p", {"foo": ""}), ABCD, SPREAD_4321, args=PodTopologySpreadArgs(),
                     objects=SpreadObjects(services=[svc]))
    assert got == {"node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100}


def test_prescore_state_system_default_constraints_and_a_replicaset():
    """TestPreScoreStateEmptyNodes/system default constraints and a replicaset: nodes without zone form the "" zone."""
    rs = {"metadata": {"namespace": "default", "name": "rs1"}, "spec": {"selector": FOO}}
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs1", "controller": True}
    incoming = pod("p", {"foo": "tar", "baz": "sup"}, ns="default", owner=owner)
    nodes = [node("node-a", **{HOST: "node-a", ZONE: "mars"}), node("node-b", **{HOST: "node-b", ZONE: "mars"}),
             node("node-c", **{HOST: "node-c"}), node("node-d", **{HOST: "node-d"})]
    state, status = pre_score(incoming, nodes, [(n, []) for n in nodes], PodTopologySpreadArgs(),
                              SpreadObjects(replica_sets=[rs]))
    assert status.is_success()
    assert [(c.max_skew, c.topology_key) for c in state.constraints] == [(3, HOST), (5, ZONE)]
    assert state.ignored_nodes == set()
    assert state.topology_value_to_pod_counts[1] == {"mars": 0, "": 0}
    assert state.topology_normalizing_weight == [topology_normalizing_weight(4), topology_normalizing_weight(2)]


def test_prescore_state_node_x_without_zone_is_ignored():
    """TestPreScoreStateEmptyNodes/node-x doesn't have label zone: IgnoredNodes {node-x}, weights ln(1+2), ln(2+2)."""
    incoming = pod("p", {"foo": ""}, constraints=[soft(1, "zone"), soft(1, HOST, selector=BAR)])
    nodes = [hz("node-a", "zone1"), hz("node-b", "zone1"), hn("node-x")]
    state, _ = pre_score(incoming, nodes, [(n, []) for n in nodes], LIST)
    assert state.ignored_nodes == {"node-x"}
    assert state.topology_value_to_pod_counts[0] == {"zone1": 0}
    assert state.topology_normalizing_weight == [math.log(3), math.log(4)]


def test_prescore_skip_without_soft_constraints():
    """TestPreScoreSkip/the pod doesn't have soft topology spread Constraints."""
    nodes = [hn("node-a"), hn("node-b")]
    state, status = pre_score(pod("p", ns="default"), nodes, [(n, []) for n in nodes], LIST)
    assert state is None and status.code == Code.Skip


def test_prescore_skip_default_constraints_and_a_replicaset_that_does_not_match():
    """TestPreScoreSkip/default constraints and a replicaset that doesn't match (owner rs2 is not found)."""
    args = PodTopologySpreadArgs("List", ({"maxSkew": 2, "topologyKey": "planet", "whenUnsatisfiable": "ScheduleAnyway"},))
    rs1 = {"metadata": {"namespace": "default", "name": "rs1"},
           "spec": {"selector": {"matchExpressions": [{"key": "tar", "operator": "Exists"}]}}}
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs2", "controller": True}
    nodes = [node("node-a", planet="mars")]
    state, status = pre_score(pod("p", {"foo": "bar", "baz": "sup"}, ns="default", owner=owner), nodes,
                              [(n, []) for n in nodes], args, SpreadObjects(replica_sets=[rs1]))
    assert state is None and status.code == Code.Skip


def test_go_round_is_half_away_from_zero():
    """scoring.go uses math.Round (half away from zero), not Python's banker's rounding."""
    assert (go_round(2.5), go_round(3.5), go_round(0.49999999999999994), go_round(-2.5)) == (3, 4, 0, -3)


def test_args_validation_system_defaulting_with_constraints():
    """validation_pluginargs_test.go TestValidatePodTopologySpreadArgs/system default constraints, but has constraints:
    wantErr `defaultingType: Invalid value: "System": when .defaultConstraints are not empty`."""
    from k8sdocs.model.scheduler.framework.runtime import ConfigError
    from k8sdocs.model.scheduler.plugins.podtopologyspread.plugin import parse_args

    with pytest.raises(ConfigError) as err:
        parse_args({"defaultingType": "System", "defaultConstraints": [
            {"maxSkew": 1, "topologyKey": "key", "whenUnsatisfiable": "DoNotSchedule"}]})
    assert [m for _, _, m in err.value.errors] == [
        'defaultingType: Invalid value: "System": when .defaultConstraints are not empty']
    assert parse_args({"defaultingType": "List", "defaultConstraints": [
        {"maxSkew": 1, "topologyKey": "key", "whenUnsatisfiable": "DoNotSchedule"}]}).defaulting_type == "List"
