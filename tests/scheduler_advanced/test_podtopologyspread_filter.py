"""PodTopologySpread PreFilter/Filter, transcribed from upstream table tests.

Source: kubernetes/kubernetes pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go
@e7827879dbc282e7f5103451dc63169e964b6bb7 — TestSingleConstraint, TestMultipleConstraints, TestPreFilterState.
Upstream ``st.MakePod()`` leaves the namespace empty; our pods default to ``default`` on both sides, which is
equivalent. The expected codes and counts below are upstream's ``wantStatusCode`` / ``TpPairToMatchNum``.
"""

from __future__ import annotations

import pytest

from k8sdocs.model.scheduler.framework.status import Code
from k8sdocs.model.scheduler.plugins.podtopologyspread.common import (
    ERR_REASON_CONSTRAINTS_NOT_MATCH,
    ERR_REASON_NODE_LABEL_NOT_MATCH,
)
from k8sdocs.model.scheduler.plugins.podtopologyspread.filtering import cal_pre_filter_state, filter_node, pre_filter

FOO = {"matchExpressions": [{"key": "foo", "operator": "Exists"}]}
BAR = {"matchExpressions": [{"key": "bar", "operator": "Exists"}]}
UNSCHEDULABLE_TAINT = [{"key": "node.kubernetes.io/unschedulable", "value": "", "effect": "NoSchedule"}]


def node(name, taints=None, **labels):
    return {"metadata": {"name": name, "labels": dict(labels)}, "spec": {"taints": taints or []}}


def zn(name, zone):
    """st.MakeNode().Name(name).Label("zone", zone).Label("node", name)."""
    return node(name, zone=zone, node=name)


def pod(name, labels=None, node_name=None, ns=None, constraints=(), terminating=False, **spec):
    meta = {"name": name, "labels": dict(labels or {})}
    if ns:
        meta["namespace"] = ns
    if terminating:
        meta["deletionTimestamp"] = "2024-01-01T00:00:00Z"
    s = dict(spec)
    if node_name:
        s["nodeName"] = node_name
    if constraints:
        s["topologySpreadConstraints"] = list(constraints)
    return {"metadata": meta, "spec": s}


def tsc(max_skew, key, when="DoNotSchedule", selector=FOO, **extra):
    c = {"maxSkew": max_skew, "topologyKey": key, "whenUnsatisfiable": when, "labelSelector": selector}
    c.update(extra)
    return c


def foo_pods(*placements):
    """Existing pods labelled foo="" : ("p-a1", "node-a") ..."""
    return [pod(n, {"foo": ""}, node_name=nn) for n, nn in placements]


def snapshot(nodes, pods):
    return [(n, [p for p in pods if p["spec"].get("nodeName") == n["metadata"]["name"]]) for n in nodes]


def run_filter(incoming, nodes, existing):
    snap = snapshot(nodes, existing)
    state, status = pre_filter(incoming, snap)
    assert status.is_success(), status
    return {n["metadata"]["name"]: filter_node(state, incoming, n) for n in nodes}


FOUR_NODES = [zn("node-a", "zone1"), zn("node-b", "zone1"), zn("node-x", "zone2"), zn("node-y", "zone2")]
SPREAD_2_1_0_3 = foo_pods(
    ("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b"),
    ("p-y1", "node-y"), ("p-y2", "node-y"), ("p-y3", "node-y"),
)
S, U, UU = Code.Success, Code.Unschedulable, Code.UnschedulableAndUnresolvable

SINGLE_CONSTRAINT_CASES = [
    ("no existing pods", pod("p", {"foo": ""}, constraints=[tsc(1, "zone")]), FOUR_NODES, [],
     {"node-a": S, "node-b": S, "node-x": S, "node-y": S}),
    ("no existing pods, incoming pod doesn't match itself",
     pod("p", {"foo": ""}, constraints=[tsc(1, "zone", selector=BAR)]), FOUR_NODES, [],
     {"node-a": S, "node-b": S, "node-x": S, "node-y": S}),
    ("existing pods in a different namespace do not count", pod("p", {"foo": ""}, constraints=[tsc(1, "zone")]),
     FOUR_NODES,
     [pod("p-a1", {"foo": ""}, "node-a", ns="ns1"), pod("p-b1", {"foo": ""}, "node-a", ns="ns2"),
      pod("p-x1", {"foo": ""}, "node-x"), pod("p-y1", {"foo": ""}, "node-y")],
     {"node-a": S, "node-b": S, "node-x": U, "node-y": U}),
    ("existing pods do not match null selector", pod("p", {"foo": ""}, constraints=[tsc(1, "zone", selector=None)]),
     FOUR_NODES, foo_pods(("p-x1", "node-x"), ("p-y1", "node-y")),
     {"node-a": S, "node-b": S, "node-x": S, "node-y": S}),
    ("pods spread across zones as 3/3, all nodes fit", pod("p", {"foo": ""}, constraints=[tsc(1, "zone")]),
     FOUR_NODES, SPREAD_2_1_0_3, {"node-a": S, "node-b": S, "node-x": S, "node-y": S}),
    ("pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
     pod("p", {"foo": ""}, constraints=[tsc(1, "zone")]),
     [zn("node-a", "zone1"), node("node-b", zon="zone1", node="node-b"), zn("node-x", "zone2"), zn("node-y", "zone2")],
     foo_pods(("p-a1", "node-a"), ("p-b1", "node-b"), ("p-x1", "node-x"), ("p-y1", "node-y")),
     {"node-a": S, "node-b": UU, "node-x": U, "node-y": U}),
    ("pod cannot be scheduled as all nodes don't have label 'rack'",
     pod("p", {"foo": ""}, constraints=[tsc(1, "rack")]), [zn("node-a", "zone1"), zn("node-x", "zone2")], [],
     {"node-a": UU, "node-x": UU}),
    ("pods spread across nodes as 2/1/0/3, only node-x fits", pod("p", {"foo": ""}, constraints=[tsc(1, "node")]),
     FOUR_NODES, SPREAD_2_1_0_3, {"node-a": U, "node-b": U, "node-x": S, "node-y": U}),
    ("pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
     pod("p", {"foo": ""}, constraints=[tsc(2, "node")]), FOUR_NODES, SPREAD_2_1_0_3,
     {"node-a": U, "node-b": S, "node-x": S, "node-y": U}),
    ("pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
     pod("p", {"bar": ""}, constraints=[tsc(1, "node")]), FOUR_NODES, SPREAD_2_1_0_3,
     {"node-a": U, "node-b": S, "node-x": S, "node-y": U}),
    ("incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
     pod("p", {"foo": ""}, constraints=[tsc(1, "node")], affinity={"nodeAffinity": {
         "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [
             {"key": "node", "operator": "In", "values": ["node-a", "node-y"]}]}]}}}),
     FOUR_NODES, SPREAD_2_1_0_3, {"node-a": S, "node-b": S, "node-x": S, "node-y": U}),
    ("terminating Pods should be excluded", pod("p", {"foo": ""}, constraints=[tsc(1, "node")]),
     [node("node-a", node="node-a"), node("node-b", node="node-b")],
     [pod("p-a", {"foo": ""}, "node-a", terminating=True), pod("p-b", {"foo": ""}, "node-b")],
     {"node-a": S, "node-b": U}),
    ("pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits",
     pod("p", {"foo": ""}, constraints=[tsc(2, "node", minDomains=4)]),
     [node("node-a", node="node-a"), node("node-b", node="node-b"), node("node-c", node="node-c")],
     foo_pods(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b"), ("p-b2", "node-b"), ("p-c1", "node-c")),
     {"node-a": U, "node-b": U, "node-c": S}),
    ("pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit",
     pod("p", {"foo": ""}, constraints=[tsc(2, "node", minDomains=2)]),
     [node("node-a", node="node-a"), node("node-b", node="node-b"), node("node-c", node="node-c")],
     foo_pods(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b"), ("p-b2", "node-b"), ("p-c1", "node-c")),
     {"node-a": S, "node-b": S, "node-c": S}),
    ("pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, "
     "then the third and fourth nodes fit",
     pod("p", {"foo": ""}, constraints=[tsc(2, "zone", minDomains=3)]), FOUR_NODES,
     foo_pods(("p-b1", "node-a"), ("p-b2", "node-b"), ("p-y1", "node-y")),
     {"node-a": U, "node-b": U, "node-x": S, "node-y": S}),
    ("pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit",
     pod("p", {"foo": ""}, constraints=[tsc(2, "zone", minDomains=1)]), FOUR_NODES,
     foo_pods(("p-b1", "node-a"), ("p-b2", "node-b"), ("p-y1", "node-y")),
     {"node-a": S, "node-b": S, "node-x": S, "node-y": S}),
    ("NodeAffinityPolicy honored with labelSelectors",
     pod("p", {"foo": ""}, constraints=[tsc(1, "node")], nodeSelector={"foo": ""}),
     [node("node-a", node="node-a", foo=""), node("node-b", node="node-b", foo=""),
      node("node-x", node="node-x", foo=""), node("node-y", node="node-y")],
     foo_pods(("p-b1", "node-a"), ("p-b2", "node-b"), ("p-y1", "node-y")),
     {"node-a": U, "node-b": U, "node-x": S, "node-y": S}),
    ("NodeAffinityPolicy ignored with labelSelectors",
     pod("p", {"foo": ""}, constraints=[tsc(1, "node", nodeAffinityPolicy="Ignore")], nodeSelector={"foo": ""}),
     [node("node-a", node="node-a", foo=""), node("node-b", node="node-b", foo=""),
      node("node-x", node="node-x", foo=""), node("node-y", node="node-y")],
     foo_pods(("p-b1", "node-a"), ("p-b2", "node-b"), ("p-y1", "node-y")),
     {"node-a": U, "node-b": U, "node-x": S, "node-y": U}),
    ("NodeTaintsPolicy honored",
     pod("p", {"foo": ""}, constraints=[tsc(1, "node", nodeTaintsPolicy="Honor")]),
     [node("node-a", node="node-a", foo=""), node("node-b", node="node-b", foo=""),
      node("node-x", node="node-x", foo=""), node("node-y", UNSCHEDULABLE_TAINT, node="node-y")],
     foo_pods(("p-b1", "node-a"), ("p-b2", "node-b"), ("p-y1", "node-y")),
     {"node-a": U, "node-b": U, "node-x": S, "node-y": S}),
    ("NodeTaintsPolicy ignored",
     pod("p", {"foo": ""}, constraints=[tsc(1, "node")]),
     [node("node-a", node="node-a", foo=""), node("node-b", node="node-b", foo=""),
      node("node-x", node="node-x", foo=""), node("node-y", UNSCHEDULABLE_TAINT, node="node-y")],
     foo_pods(("p-b1", "node-a"), ("p-b2", "node-b"), ("p-y1", "node-y")),
     {"node-a": U, "node-b": U, "node-x": S, "node-y": U}),
]


@pytest.mark.parametrize(
    "incoming,nodes,existing,want",
    [c[1:] for c in SINGLE_CONSTRAINT_CASES],
    ids=[f"TestSingleConstraint/{c[0]}" for c in SINGLE_CONSTRAINT_CASES],
)
def test_single_constraint(incoming, nodes, existing, want):
    got = {name: st.code for name, st in run_filter(incoming, nodes, existing).items()}
    assert got == want


MULTI_CASES = [
    ("two Constraints on zone and node, spreads = [3/3, 2/1/0/3]",
     pod("p", {"foo": ""}, constraints=[tsc(1, "zone"), tsc(1, "node")]), FOUR_NODES, SPREAD_2_1_0_3,
     {"node-a": U, "node-b": U, "node-x": S, "node-y": U}),
    ("two Constraints on zone and node, spreads = [3/4, 2/1/0/4]",
     pod("p", {"foo": ""}, constraints=[tsc(1, "zone"), tsc(1, "node")]), FOUR_NODES,
     SPREAD_2_1_0_3 + foo_pods(("p-y4", "node-y")),
     {"node-a": U, "node-b": U, "node-x": U, "node-y": U}),
]


@pytest.mark.parametrize(
    "incoming,nodes,existing,want", [c[1:] for c in MULTI_CASES],
    ids=[f"TestMultipleConstraints/{c[0]}" for c in MULTI_CASES],
)
def test_multiple_constraints(incoming, nodes, existing, want):
    got = {name: st.code for name, st in run_filter(incoming, nodes, existing).items()}
    assert got == want


def test_reason_strings_verbatim_plugin_go():
    """plugin.go ErrReasonConstraintsNotMatch / ErrReasonNodeLabelNotMatch and their codes."""
    statuses = run_filter(*SINGLE_CONSTRAINT_CASES[5][1:4])
    assert statuses["node-b"].reasons == ("node(s) didn't match pod topology spread constraints (missing required label)",)
    assert statuses["node-x"].reasons == ("node(s) didn't match pod topology spread constraints",)
    assert ERR_REASON_NODE_LABEL_NOT_MATCH == ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"


def test_prefilter_state_normal_case_with_two_constraints():
    """TestPreFilterState/normal case with two spreadConstraints: TpPairToMatchNum."""
    incoming = pod("p", {"foo": ""}, constraints=[tsc(1, "zone"), tsc(1, "node")])
    existing = SPREAD_2_1_0_3[:3] + foo_pods(("p-y1", "node-y"), ("p-y2", "node-y"), ("p-y3", "node-y"),
                                             ("p-y4", "node-y"))
    state = cal_pre_filter_state(incoming, snapshot(FOUR_NODES, existing))
    assert state.tp_value_to_match_num == [
        {"zone1": 3, "zone2": 4},
        {"node-a": 2, "node-b": 1, "node-x": 0, "node-y": 4},
    ]


def test_prefilter_state_soft_constraints_bypassed():
    """TestPreFilterState/soft spreadConstraints should be bypassed: only the 2 DoNotSchedule constraints stay."""
    incoming = pod("p", {"foo": ""}, constraints=[
        tsc(1, "zone", "ScheduleAnyway"), tsc(1, "zone"), tsc(1, "node", "ScheduleAnyway"), tsc(1, "node")])
    nodes = [zn("node-a", "zone1"), zn("node-b", "zone1"), zn("node-y", "zone2")]
    existing = foo_pods(("p-a1", "node-a"), ("p-a2", "node-a"), ("p-b1", "node-b"), ("p-y1", "node-y"),
                        ("p-y2", "node-y"), ("p-y3", "node-y"), ("p-y4", "node-y"))
    state = cal_pre_filter_state(incoming, snapshot(nodes, existing))
    assert [c.topology_key for c in state.constraints] == ["zone", "node"]
    assert state.tp_value_to_match_num == [{"zone1": 3, "zone2": 4}, {"node-a": 2, "node-b": 1, "node-y": 4}]


def test_prefilter_state_namespace_mismatch_does_not_count():
    """TestPreFilterState/namespace mismatch doesn't count: zone1 2, zone2 1."""
    incoming = pod("p", {"foo": ""}, constraints=[tsc(1, "zone")])
    existing = [pod("p-a1", {"foo": ""}, "node-a"), pod("p-a2", {"foo": ""}, "node-a", ns="ns1"),
                pod("p-b1", {"foo": ""}, "node-b"), pod("p-y1", {"foo": ""}, "node-y", ns="ns2"),
                pod("p-y2", {"foo": ""}, "node-y")]
    state = cal_pre_filter_state(incoming, snapshot(FOUR_NODES, existing))
    assert state.tp_value_to_match_num == [{"zone1": 2, "zone2": 1}]


def test_prefilter_skip_without_hard_constraints():
    """filtering.go PreFilter: no DoNotSchedule constraint (and no List defaults) → Skip."""
    incoming = pod("p", {"foo": ""}, constraints=[tsc(1, "zone", "ScheduleAnyway")])
    state, status = pre_filter(incoming, snapshot(FOUR_NODES, []))
    assert state is None and status.code == Code.Skip


def test_add_remove_pod_updates_counts():
    """PreFilterExtensions AddPod/RemovePod (updateWithPod), as used by preemption's dry run."""
    incoming = pod("p", {"foo": ""}, constraints=[tsc(1, "node")])
    state = cal_pre_filter_state(incoming, snapshot(FOUR_NODES, SPREAD_2_1_0_3))
    copy = state.clone()
    victim = SPREAD_2_1_0_3[-1]
    copy.update_with_pod(victim, incoming, FOUR_NODES[3], -1)
    assert copy.tp_value_to_match_num[0]["node-y"] == 2
    assert state.tp_value_to_match_num[0]["node-y"] == 3  # the original is untouched
    other_ns = pod("q", {"foo": ""}, "node-x", ns="other")
    copy.update_with_pod(other_ns, incoming, FOUR_NODES[2], +1)
    assert copy.tp_value_to_match_num[0]["node-x"] == 0


def test_match_label_keys_narrow_the_selector_to_the_pod_revision():
    """Derived (not an upstream row): filterTopologySpreadConstraints + mergeLabelSetWithSelector in
    common.go@76b564f1 — with matchLabelKeys only pods carrying the incoming pod's pod-template-hash count."""
    c = tsc(1, "node", matchLabelKeys=["pod-template-hash"])
    incoming = pod("p", {"foo": "", "pod-template-hash": "v2"}, constraints=[c])
    existing = [pod("old1", {"foo": "", "pod-template-hash": "v1"}, "node-a"),
                pod("old2", {"foo": "", "pod-template-hash": "v1"}, "node-a"),
                pod("new1", {"foo": "", "pod-template-hash": "v2"}, "node-b")]
    nodes = [node("node-a", node="node-a"), node("node-b", node="node-b")]
    state = cal_pre_filter_state(incoming, snapshot(nodes, existing))
    assert state.tp_value_to_match_num == [{"node-a": 0, "node-b": 1}]
    got = {n["metadata"]["name"]: filter_node(state, incoming, n).code for n in nodes}
    assert got == {"node-a": Code.Success, "node-b": Code.Unschedulable}


def test_empty_label_selector_counts_no_pod_in_v1_35():
    """common.go countPodsMatchSelector returns 0 for selector.Empty() (PR #116607), so ``labelSelector: {}`` counts
    nothing in v1.35 (fixed upstream only by PR #141340, Aug 2026); the incoming pod still matches itself."""
    incoming = pod("p", {"foo": ""}, constraints=[tsc(1, "node", selector={})])
    nodes = [node("node-a", node="node-a"), node("node-b", node="node-b")]
    existing = [pod("a1", {"foo": ""}, "node-a"), pod("a2", {"foo": ""}, "node-a")]
    state = cal_pre_filter_state(incoming, snapshot(nodes, existing))
    assert state.tp_value_to_match_num == [{"node-a": 0, "node-b": 0}]
    assert all(filter_node(state, incoming, n).is_success() for n in nodes)
