"""InterPodAffinity Filter and Score, transcribed from upstream table tests.

Sources (kubernetes/kubernetes):
* pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go@072825f9a367e9ca0f73f91830945f1b7f46e0d9
  — TestRequiredAffinitySingleNode, TestRequiredAffinityMultipleNodes (wantPreFilterStatus / wantFilterStatus).
* pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go (text-search id 30376605) — TestPreferredAffinity,
  TestPreferredAffinityWithHardPodAffinitySymmetricWeight (scores after NormalizeScore).
Upstream pods without a namespace are in namespace ""; ours default to "default" on every side, so a term listing
the namespace "" upstream lists "default" here. The ``namespaces`` fixture is upstream's (team1/team2 labels).
"""

from __future__ import annotations

import pytest

from k8sdocs.model.scheduler.framework.status import Code
from k8sdocs.model.scheduler.plugins.interpodaffinity.filtering import filter_node, pre_filter
from k8sdocs.model.scheduler.plugins.interpodaffinity.scoring import (
    InterPodAffinityArgs,
    normalize_score,
    pre_score,
    score,
)
from k8sdocs.model.scheduler.plugins.interpodaffinity.terms import NamespaceLister

AFF = "node(s) didn't match pod affinity rules"
ANTI = "node(s) didn't match pod anti-affinity rules"
EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules"
NAMESPACES = NamespaceLister((
    {"metadata": {"name": "subteam1.team1", "labels": {"team": "team1"}}},
    {"metadata": {"name": "subteam2.team1", "labels": {"team": "team1"}}},
    {"metadata": {"name": "subteam1.team2", "labels": {"team": "team2"}}},
    {"metadata": {"name": "subteam2.team2", "labels": {"team": "team2"}}},
))


def node(name, **labels):
    return {"metadata": {"name": name, "labels": labels}}


def expr(key, op, values=None):
    e = {"key": key, "operator": op}
    if values is not None:
        e["values"] = values
    return e


def term(topology_key, *exprs, namespaces=None, ns_selector=None):
    t = {"labelSelector": {"matchExpressions": list(exprs)}, "topologyKey": topology_key}
    if namespaces is not None:
        t["namespaces"] = namespaces
    if ns_selector is not None:
        t["namespaceSelector"] = ns_selector
    return t


def pod(labels=None, node_name=None, ns=None, affinity=None, anti=None, pref_affinity=None, pref_anti=None,
        name="p"):
    meta = {"name": name, "labels": dict(labels or {})}
    if ns:
        meta["namespace"] = ns
    spec = {}
    if node_name:
        spec["nodeName"] = node_name
    aff = {}
    if affinity or pref_affinity:
        aff["podAffinity"] = {}
        if affinity:
            aff["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = affinity
        if pref_affinity:
            aff["podAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] = pref_affinity
    if anti or pref_anti:
        aff["podAntiAffinity"] = {}
        if anti:
            aff["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = anti
        if pref_anti:
            aff["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] = pref_anti
    if aff:
        spec["affinity"] = aff
    return {"metadata": meta, "spec": spec}


def snapshot(nodes, pods):
    return [(n, [p for p in pods if p["spec"].get("nodeName") == n["metadata"]["name"]]) for n in nodes]


SEC = {"service": "securityscan"}
SEC2 = {"security": "S1"}
NODE1 = node("node1", region="r1", zone="z11")
EXISTING_SEC = pod(SEC, "node1", name="existing")
TEAM1 = {"matchExpressions": [expr("team", "In", ["team1"])]}

# (name, incoming pod, existing pods, want) — want is "Skip", None (success) or (code, reason) for node1.
SINGLE_NODE_CASES = [
    ("A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
     pod(), [], "Skip"),
    ("satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches "
     "the existing pod", pod(SEC2, affinity=[term("region", expr("service", "In", ["securityscan", "value2"]))]),
     [EXISTING_SEC], None),
    ("satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator "
     "in labelSelector that matches the existing pod",
     pod(SEC2, affinity=[term("region", expr("service", "NotIn", ["securityscan3", "value3"]))]),
     [EXISTING_SEC], None),
    ("Does not satisfy the PodAffinity with labelSelector because of diff Namespace",
     pod(SEC2, affinity=[term("", expr("service", "In", ["securityscan", "value2"]), namespaces=["DiffNameSpace"])]),
     [pod(SEC, "node1", ns="ns", name="e")], (Code.UnschedulableAndUnresolvable, AFF)),
    ("Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
     pod(SEC, affinity=[term("", expr("service", "In", ["antivirusscan", "value2"]))]),
     [EXISTING_SEC], (Code.UnschedulableAndUnresolvable, AFF)),
    ("satisfies the PodAffinity and PodAntiAffinity with the existing pod",
     pod(SEC2, affinity=[term("region", expr("service", "In", ["securityscan", "value2"]))],
         anti=[term("node", expr("service", "In", ["antivirusscan", "value2"]))]), [EXISTING_SEC], None),
    ("satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
     pod(SEC2, affinity=[term("region", expr("service", "In", ["securityscan", "value2"]))],
         anti=[term("zone", expr("service", "In", ["securityscan", "value2"]))]), [EXISTING_SEC],
     (Code.Unschedulable, ANTI)),
    ("satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the "
     "existing pod",
     pod(SEC, affinity=[term("region", expr("service", "In", ["securityscan", "value2"]))],
         anti=[term("node", expr("service", "In", ["antivirusscan", "value2"]))]),
     [pod(SEC, "node1", anti=[term("zone", expr("service", "In", ["securityscan", "value2"]))], name="e")],
     (Code.Unschedulable, EXISTING)),
    ("pod matches its own Label in PodAffinity and that matches the existing pod Labels",
     pod(SEC, affinity=[term("region", expr("service", "NotIn", ["securityscan", "value2"]))]),
     [pod(SEC, "node2", name="e")], (Code.UnschedulableAndUnresolvable, AFF)),
    ("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't "
     "satisfy PodAntiAffinity symmetry with the existing pod",
     pod(SEC), [pod(SEC, "node1", anti=[term("zone", expr("service", "In", ["securityscan", "value2"]))], name="e")],
     (Code.Unschedulable, EXISTING)),
    ("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy "
     "PodAntiAffinity symmetry with the existing pod",
     pod(SEC), [pod(SEC, "node1", anti=[term("zone", expr("service", "NotIn", ["securityscan", "value2"]))],
                    name="e")], "Skip"),
    ("PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms",
     pod(SEC, anti=[term("zone", expr("service", "Exists")), term("zone", expr("security", "Exists"))]),
     [pod(SEC2, "node1", anti=[term("zone", expr("security", "Exists"))], name="e")], (Code.Unschedulable, ANTI)),
    ("PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms",
     pod(SEC2, anti=[term("zone", expr("security", "Exists"))]),
     [pod(SEC, "node1", anti=[term("zone", expr("service", "Exists")), term("zone", expr("security", "Exists"))],
          name="e")], (Code.Unschedulable, EXISTING)),
    ("affinity with NamespaceSelector",
     pod(SEC2, affinity=[term("region", expr("service", "In", ["securityscan", "value2"]), ns_selector=TEAM1)]),
     [pod(SEC, "node1", ns="subteam1.team1", name="e")], None),
    ("affinity with non-matching NamespaceSelector",
     pod(SEC2, affinity=[term("region", expr("service", "In", ["securityscan", "value2"]), ns_selector=TEAM1)]),
     [pod(SEC, "node1", ns="subteam1.team2", name="e")], (Code.UnschedulableAndUnresolvable, AFF)),
    ("anti-affinity with matching NamespaceSelector",
     pod(SEC2, ns="subteam1.team1",
         anti=[term("zone", expr("service", "In", ["securityscan", "value2"]), ns_selector=TEAM1)]),
     [pod(SEC, "node1", ns="subteam2.team1", name="e")], (Code.Unschedulable, ANTI)),
    ("anti-affinity with matching all NamespaceSelector",
     pod(SEC2, ns="subteam1.team1", anti=[term("zone", expr("service", "In", ["securityscan", "value2"]),
                                               ns_selector={})]),
     [pod(SEC, "node1", ns="subteam2.team1", name="e")], (Code.Unschedulable, ANTI)),
    ("anti-affinity with non-matching NamespaceSelector",
     pod(SEC2, ns="subteam1.team1",
         anti=[term("zone", expr("service", "In", ["securityscan", "value2"]), ns_selector=TEAM1)]),
     [pod(SEC, "node1", ns="subteam1.team2", name="e")], None),
]


@pytest.mark.parametrize("incoming,existing,want", [c[1:] for c in SINGLE_NODE_CASES],
                         ids=[f"TestRequiredAffinitySingleNode/{c[0]}" for c in SINGLE_NODE_CASES])
def test_required_affinity_single_node(incoming, existing, want):
    state, status = pre_filter(incoming, snapshot([NODE1], existing), NAMESPACES)
    if want == "Skip":
        assert status.code == Code.Skip
        return
    assert status.is_success()
    got = filter_node(state, NODE1)
    if want is None:
        assert got.is_success(), got
    else:
        assert (got.code, got.reasons) == (want[0], (want[1],))


CHINA = {"region": "China"}
CHINA_AZ1 = {"region": "China", "az": "az1"}
INDIA = {"region": "India"}
MULTI_CASES = [
    ("A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has "
     "an existing pod that matches the affinity rules",
     pod(affinity=[term("region", expr("foo", "In", ["bar"]))]), [pod({"foo": "bar"}, "node1", name="p1")],
     [node("node1", **CHINA), node("node2", **CHINA_AZ1), node("node3", **INDIA)],
     [None, None, (Code.UnschedulableAndUnresolvable, AFF)]),
    ("The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the "
     "collection should not be blocked from being scheduled onto any node, even there's no existing pod that "
     "matches the rule anywhere.",
     pod({"foo": "bar", "service": "securityscan"}, affinity=[term("zone", expr("foo", "In", ["bar"])),
                                                              term("zone", expr("service", "In", ["securityscan"]))]),
     [pod({"foo": "bar"}, "nodeA", name="p1")],
     [node("nodeA", zone="az1", hostname="h1"), node("nodeB", zone="az2", hostname="h2")], [None, None]),
    ("The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys",
     pod({"foo": "bar", "service": "securityscan"}, affinity=[term("zone", expr("foo", "In", ["bar"])),
                                                              term("zone", expr("service", "In", ["securityscan"]))]),
     [pod({"foo": "bar"}, "nodeA", name="p1")],
     [node("nodeA", zoneLabel="az1", hostname="h1"), node("nodeB", zoneLabel="az2", hostname="h2")],
     [(Code.UnschedulableAndUnresolvable, AFF), (Code.UnschedulableAndUnresolvable, AFF)]),
    ("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod "
     "affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC",
     pod(anti=[term("region", expr("foo", "In", ["abc"]))]), [pod({"foo": "abc"}, "nodeA", name="e")],
     [node("nodeA", **CHINA), node("nodeB", **CHINA_AZ1), node("nodeC", **INDIA)],
     [(Code.Unschedulable, ANTI), (Code.Unschedulable, ANTI), None]),
    ("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod "
     "affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an "
     "existing pod that match the inter pod affinity rule but in different namespace)",
     pod({"foo": "123"}, ns="NS1", anti=[term("region", expr("foo", "In", ["bar"]))]),
     [pod({"foo": "bar"}, "nodeA", ns="NS1", name="e1"),
      pod(None, "nodeC", ns="NS2", anti=[term("region", expr("foo", "In", ["123"]))], name="e2")],
     [node("nodeA", **CHINA), node("nodeB", **CHINA_AZ1), node("nodeC", **INDIA)],
     [(Code.Unschedulable, ANTI), (Code.Unschedulable, ANTI), None]),
]


@pytest.mark.parametrize("incoming,existing,nodes,want", [c[1:] for c in MULTI_CASES],
                         ids=[f"TestRequiredAffinityMultipleNodes/{c[0][:80]}" for c in MULTI_CASES])
def test_required_affinity_multiple_nodes(incoming, existing, nodes, want):
    state, status = pre_filter(incoming, snapshot(nodes, existing), NAMESPACES)
    assert status.is_success()
    got = [filter_node(state, n) for n in nodes]
    assert [None if s.is_success() else (s.code, s.reasons[0]) for s in got] == want


def weighted(weight, t):
    return {"weight": weight, "podAffinityTerm": t}


S1_REGION = [weighted(5, term("region", expr("security", "In", ["S1"])))]
S2_REGION = [weighted(6, term("region", expr("security", "In", ["S2"])))]
AWAY_S1_AZ = [weighted(5, term("az", expr("security", "In", ["S1"])))]
AWAY_S2_AZ = [weighted(5, term("az", expr("security", "In", ["S2"])))]
AFFINITY3 = [weighted(8, term("region", expr("security", "NotIn", ["S1"]), expr("security", "In", ["S2"]))),
             weighted(2, term("region", expr("security", "Exists"), expr("wrongkey", "DoesNotExist")))]
HARD = [term("region", expr("security", "In", ["S1", "value2"])),
        term("region", expr("security", "Exists"), expr("wrongkey", "DoesNotExist"))]
NS_SEL = [weighted(5, term("region", expr("security", "In", ["S1"]), namespaces=["subteam2.team2"],
                           ns_selector=TEAM1))]
L_S1, L_S2 = {"security": "S1"}, {"security": "S2"}
AZ1, AZ2 = {"az": "az1"}, {"az": "az2"}
THREE = [node("node1", **CHINA), node("node2", **INDIA), node("node3", **AZ1)]


def both(name, labels, node_name, pref_aff, pref_anti, ns=None):
    return pod(labels, node_name, ns=ns, pref_affinity=pref_aff, pref_anti=pref_anti, name=name)


SCORE_CASES = [
    ("all nodes are same priority as Affinity is nil", pod(L_S1), [], THREE, "Skip"),
    ("Affinity: pod that matches topology key & pods in nodes will get high score comparing to otherswhich doesn't "
     "match either pods in nodes or in topology key", pod(L_S1, pref_affinity=S1_REGION),
     [pod(L_S1, "node1", name="a"), pod(L_S2, "node2", name="b"), pod(L_S1, "node3", name="c")], THREE,
     [100, 0, 0]),
    ("All the nodes that have the same topology key & label value with one of them has an existing pod that match "
     "the affinity rules, have the same score", pod(pref_affinity=S1_REGION), [pod(L_S1, "node1", name="a")],
     [node("node1", **CHINA), node("node2", **CHINA_AZ1), node("node3", **INDIA)], [100, 100, 0]),
    ("Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more "
     "matches will get high score", pod(L_S1, pref_affinity=S2_REGION),
     [pod(L_S2, n, name=f"e{i}") for i, n in enumerate(["node1", "node1", "node2", "node3", "node4", "node5"])],
     [node("node1", **CHINA), node("node2", **INDIA), node("node3", **CHINA), node("node4", **CHINA),
      node("node5", **INDIA)], [100, 0, 100, 100, 0]),
    ("Affinity: different Label operators and values for pod affinity scheduling preference, including some match "
     "failures ", pod(L_S1, pref_affinity=AFFINITY3),
     [pod(L_S1, "node1", name="a"), pod(L_S2, "node2", name="b"), pod(L_S1, "node3", name="c")], THREE,
     [20, 100, 0]),
    ("Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity "
     "symmetry", pod(L_S2),
     [pod(L_S1, "node1", pref_affinity=S1_REGION, name="a"), pod(L_S2, "node2", pref_affinity=S2_REGION, name="b")],
     THREE, [0, 100, 0]),
    ("Affinity symmetry with namespace selector", pod(L_S1, ns="subteam1.team1"),
     [pod(L_S1, "node1", pref_affinity=NS_SEL, name="a"), pod(L_S2, "node2", pref_affinity=S2_REGION, name="b")],
     THREE, [100, 0, 0]),
    ("AntiAffinity symmetry with namespace selector", pod(L_S1, ns="subteam1.team1"),
     [pod(L_S1, "node1", pref_anti=NS_SEL, name="a"), pod(L_S2, "node2", pref_affinity=S2_REGION, name="b")],
     THREE, [0, 100, 100]),
    ("Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
     pod(L_S1), [pod(L_S1, "node1", affinity=HARD, name="a"), pod(L_S2, "node2", affinity=HARD, name="b")],
     THREE, [100, 100, 0]),
    ("Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches "
     "will get high score", pod(L_S1, pref_anti=AWAY_S1_AZ),
     [pod(L_S1, "node1", name="a"), pod(L_S1, "node1", name="b"), pod(L_S2, "node2", name="c")],
     [node("node1", **AZ1), node("node2", **INDIA)], [0, 100]),
    ("Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score",
     pod(L_S2), [pod(L_S1, "node1", pref_anti=AWAY_S2_AZ, name="a"), pod(L_S2, "node2", pref_anti=AWAY_S1_AZ, name="b")],
     [node("node1", **AZ1), node("node2", **AZ2)], [0, 100]),
    ("Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in "
     "both pod affinity & anti affinity & symmetry", both("x", L_S1, None, [weighted(8, S1_REGION[0]["podAffinityTerm"])],
                                                          AWAY_S2_AZ),
     [pod(L_S1, "node1", name="a"), pod(L_S2, "node2", name="b"),
      both("c", None, "node3", [weighted(8, S1_REGION[0]["podAffinityTerm"])], AWAY_S2_AZ),
      pod(None, "node4", pref_anti=AWAY_S1_AZ, name="d")],
     [node("node1", **CHINA), node("node2", **AZ1), node("node3", **INDIA), node("node4", **AZ2)], [100, 0, 100, 0]),
    ("Avoid panic when partial nodes in a topology don't have pods with affinity", pod(L_S1),
     [pod(L_S1, "node1", name="a"), both("b", None, "node2", [weighted(8, S1_REGION[0]["podAffinityTerm"])], AWAY_S2_AZ)],
     [node("node1", **CHINA), node("node2", **CHINA)], [0, 0]),
    ("Affinity with pods matching both NamespaceSelector and Namespaces fields",
     pod(L_S1, ns="subteam1.team1", pref_affinity=NS_SEL),
     [pod(L_S1, "node1", ns="subteam1.team1", name="a"), pod(L_S1, "node1", ns="subteam1.team1", name="b"),
      pod(L_S1, "node1", ns="subteam2.team2", name="c"), pod(L_S1, "node2", ns="subteam2.team1", name="d")],
     [node("node1", **CHINA), node("node2", **INDIA)], [100, 0]),
    ("No nodes to score", pod(L_S2), [], [], "Skip"),
]


def run_scores(incoming, existing, nodes, args=InterPodAffinityArgs()):
    state, status = pre_score(incoming, snapshot(nodes, existing), args, NAMESPACES)
    if status.code == Code.Skip:
        return "Skip"
    assert status.is_success()
    raw = [(n["metadata"]["name"], score(state, n)) for n in nodes]
    return [s for _, s in normalize_score(state, raw)]


@pytest.mark.parametrize("incoming,existing,nodes,want", [c[1:] for c in SCORE_CASES],
                         ids=[f"TestPreferredAffinity/{c[0][:90]}" for c in SCORE_CASES])
def test_preferred_affinity(incoming, existing, nodes, want):
    assert run_scores(incoming, existing, nodes) == want


def test_ignore_preferred_terms_of_existing_pods():
    """TestPreferredAffinity/Ignore preferred terms of existing pods → Skip; Do not ignore → 0/100."""
    existing = [both("a", L_S1, "node1", [weighted(8, S1_REGION[0]["podAffinityTerm"])], AWAY_S2_AZ),
                pod(L_S2, "node2", pref_affinity=S2_REGION, name="b")]
    nodes = [node("node1", **CHINA), node("node2", **INDIA)]
    assert run_scores(pod(L_S2), existing, nodes, InterPodAffinityArgs(1, True)) == "Skip"
    assert run_scores(pod(L_S2), existing, nodes, InterPodAffinityArgs(1, False)) == [0, 100]


HARD_SYM = [term("region", expr("service", "In", ["S1"]), namespaces=["default", "subteam2.team2"],
                 ns_selector=TEAM1)]
HARD_CASES = [
    ("with default weight", None, 1, [100, 100, 0]),
    ("with zero weight", None, 0, "Skip"),
    ("with no matching namespace", "subteam1.team2", 1, "Skip"),
    ("with matching NamespaceSelector", "subteam1.team1", 1, [100, 100, 0]),
    ("with matching Namespaces", "subteam2.team2", 1, [100, 100, 0]),
]


@pytest.mark.parametrize("ns,weight,want", [c[1:] for c in HARD_CASES],
                         ids=[f"TestPreferredAffinityWithHardPodAffinitySymmetricWeight/{c[0]}" for c in HARD_CASES])
def test_hard_pod_affinity_symmetric_weight(ns, weight, want):
    existing = [pod(None, "node1", affinity=HARD_SYM, name="a"), pod(None, "node2", affinity=HARD_SYM, name="b")]
    got = run_scores(pod({"service": "S1"}, ns=ns), existing, THREE, InterPodAffinityArgs(weight))
    assert got == want


def test_add_remove_pod_for_preemption():
    """updateWithPod: removing the only pod that an existing anti-affinity blocks with frees the node."""
    blocker = pod(SEC, "node1", anti=[term("zone", expr("service", "In", ["securityscan"]))], name="e")
    state, _ = pre_filter(pod(SEC), snapshot([NODE1], [blocker]), NAMESPACES)
    assert filter_node(state, NODE1).reasons == (EXISTING,)
    copy = state.clone()
    copy.update_with_pod(blocker, NODE1, -1)
    assert filter_node(copy, NODE1).is_success()
    assert filter_node(state, NODE1).reasons == (EXISTING,)


BAD = "{{.bad-value.}}"
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation "
    "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def _plugin_prefilter(incoming):
    from k8sdocs.model.scheduler.framework.snapshot import Snapshot
    from k8sdocs.model.scheduler.framework.status import CycleState
    from k8sdocs.model.scheduler.plugins.interpodaffinity import InterPodAffinity

    snap = Snapshot.build([NODE1], [])
    pl = InterPodAffinity(None, None, namespaces=NAMESPACES.namespaces)
    return pl, snap, pl.pre_filter(CycleState(), incoming, snap.node_infos)[1]


def test_prefilter_fails_with_an_invalid_affinity_label_syntax():
    """TestRequiredAffinitySingleNode/PodAffinity fails PreFilter with an invalid affinity label syntax."""
    incoming = pod(SEC, affinity=[term("region", expr("service", "In", [BAD])),
                                  term("node", expr("service", "In", ["antivirusscan", "value2"]))])
    _, _, status = _plugin_prefilter(incoming)
    assert status.code == Code.UnschedulableAndUnresolvable
    assert status.reasons == (
        f'parsing pod: requiredAffinityTerms: values[0][service]: Invalid value: "{BAD}": {LABEL_VALUE_MSG}',)


def test_prefilter_fails_with_an_invalid_antiaffinity_label_syntax():
    """TestRequiredAffinitySingleNode/PodAntiAffinity fails PreFilter with an invalid antiaffinity label syntax
    (upstream builds it with two PodAffinityIn terms, the second one invalid)."""
    incoming = pod(SEC, affinity=[term("region", expr("service", "In", ["foo"])),
                                  term("node", expr("service", "In", [BAD]))])
    _, _, status = _plugin_prefilter(incoming)
    assert status.reasons == (
        f'parsing pod: requiredAffinityTerms: values[0][service]: Invalid value: "{BAD}": {LABEL_VALUE_MSG}',)


def test_invalid_affinity_fails_prescore():
    """TestPreferredAffinity/invalid Affinity fails PreScore: Error whose message contains Invalid value: "{{.bad-value.}}"."""
    from k8sdocs.model.scheduler.framework.status import CycleState
    from k8sdocs.model.scheduler.plugins.interpodaffinity import InterPodAffinity

    incoming = pod(pref_affinity=[weighted(8, term("region", expr("security", "In", [BAD])))])
    nodes = [node("node1", **CHINA), node("node2", **CHINA)]
    from k8sdocs.model.scheduler.framework.snapshot import Snapshot
    snap = Snapshot.build(nodes, [])
    status = InterPodAffinity(None, None, namespaces=()).pre_score(CycleState(), incoming, snap.node_infos)
    assert status.code == Code.Error
    assert f'Invalid value: "{BAD}"' in status.message()


def test_existing_pod_with_an_unparsable_term_is_ignored_not_fatal():
    """A cached pod keeps the term lists that parsed (PodInfo.Update); its bad list adds nothing."""
    bad_existing = pod(SEC, "node1", anti=[term("zone", expr("service", "In", [BAD]))], name="e")
    state, status = pre_filter(pod(SEC), snapshot([NODE1], [bad_existing]), NAMESPACES)
    assert status.code == Code.Skip


def test_merge_label_keys_as_kube_apiserver_does():
    """Derived from KEP-3633 (matchLabelKeys/mismatchLabelKeys, merged by kube-apiserver at pod creation): the owner's
    values become ``In`` / ``NotIn`` requirements; keys the pod lacks are ignored; the scheduler reads labelSelector."""
    from k8sdocs.model.admission import merge_label_keys

    t = {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "zone",
         "matchLabelKeys": ["pod-template-hash", "absent"], "mismatchLabelKeys": ["tenant"]}
    merged = merge_label_keys(t, {"app": "web", "pod-template-hash": "abc", "tenant": "t1"})
    assert merged["labelSelector"]["matchExpressions"] == [
        {"key": "pod-template-hash", "operator": "In", "values": ["abc"]},
        {"key": "tenant", "operator": "NotIn", "values": ["t1"]},
    ]
    assert t["labelSelector"] == {"matchLabels": {"app": "web"}}  # the input is not modified
