"""DefaultPreemption (PostFilter), transcribed from upstream table tests.

Source: kubernetes/kubernetes pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go
(text-search ids 3489822106 and 71798768) — TestPostFilter (wantStatus / wantResult), TestDryRunPreemption (victims
per candidate node), TestSelectBestCandidate (picked node), TestPodEligibleToPreemptOthers, plus
calculateNumCandidates (TestGetOffsetAndNumCandidates) and the args validation of validation_pluginargs.go.
Fixtures as upstream: priorities neg −100, low 0, mid 100, high 1000, veryHigh 10000; small/medium/large/veryLarge =
100m/200m/300m/500m cpu with memory 100/200/300/500; ``st.MakeNode().Capacity(r)`` = r plus pods 32 as capacity and
allocatable. Upstream start times epochTime1..6 are 1..6 ns after the epoch; we use 1..6 s (same order).
"""

from __future__ import annotations

import pytest

from k8sdocs.fidelity import scheduler_cases
from k8sdocs.model.scheduler.framework.interface import NodeToStatus
from k8sdocs.model.scheduler.framework.profile import PluginSpec, Profile
from k8sdocs.model.scheduler.framework.runtime import Framework
from k8sdocs.model.scheduler.framework.snapshot import Snapshot
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status
from k8sdocs.model.scheduler.plugins.defaultpreemption.default_preemption import (
    DefaultPreemption,
    DefaultPreemptionArgs,
    calculate_num_candidates,
    more_important_pod,
)
from k8sdocs.model.scheduler.registry import IN_TREE_REGISTRY

NEG, LOW, MID, HIGH, VERY_HIGH = -100, 0, 100, 1000, 10000
SMALL = {"cpu": "100m", "memory": "100"}
MEDIUM = {"cpu": "200m", "memory": "200"}
LARGE = {"cpu": "300m", "memory": "300"}
VERY_LARGE = {"cpu": "500m", "memory": "500"}
ONE_POD = {"pods": "1"}
NODE_RES = {"cpu": "200m", "memory": "400"}
U, UU = "Unschedulable", "UnschedulableAndUnresolvable"


def make_node(name, capacity, **labels):
    res = {"pods": "32"}
    res.update(capacity)
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
            "spec": {}, "status": {"capacity": dict(res), "allocatable": dict(res)}}


def make_pod(name, priority=None, node=None, req=None, start=None, labels=None, **spec):
    s = dict(spec)
    s["containers"] = [{"name": "c", "image": "pause", "resources": {"requests": dict(req)}}] if req else []
    if priority is not None:
        s["priority"] = priority
    if node:
        s["nodeName"] = node
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default",
                                                           "labels": dict(labels or {})}, "spec": s}
    if start is not None:
        pod["status"] = {"startTime": f"1970-01-01T00:00:{start:02d}Z"}
    return pod


def postfilter_case(pod, pods, nodes, statuses, pdbs=()):
    """A PostFilter case as tests/fidelity/scheduler/fit_error_messages.yaml writes them (msg-09..msg-14)."""
    return {"id": "postfilter", "plugin": "DefaultPreemption", "extension_point": "PostFilter",
            "filter_plugins_during_dry_run": ["NodeResourcesFit"], "nodes": nodes, "existing_pods": pods, "pod": pod,
            "filtered_node_statuses": {n: {"code": c} for n, c in statuses.items()},
            "absent_nodes_status": {"code": UU}, "pdbs": list(pdbs)}


VIOLATING = {"test.kubernetes.io/is-violating-pdb": "violating"}
NON_VIOLATING = {"test.kubernetes.io/is-violating-pdb": "non-violating"}
PDBS = [
    {"metadata": {"name": "violating-pdb", "namespace": "default"},
     "spec": {"selector": {"matchLabels": VIOLATING}, "minAvailable": "100%"}, "status": {"disruptionsAllowed": 0}},
    {"metadata": {"name": "non-violating-pdb", "namespace": "default"},
     "spec": {"selector": {"matchLabels": NON_VIOLATING}, "minAvailable": 0},
     "status": {"disruptionsAllowed": 2**31 - 1}},
]

# (name, case, want code, want message, want nominated node)
POSTFILTER_CASES = [
    ("pod with higher priority can be made schedulable",
     postfilter_case(make_pod("p", HIGH), [make_pod("p1", None, "node1")], [make_node("node1", ONE_POD)],
                     {"node1": U}), "Success", "", "node1"),
    ("pod with tied priority is still unschedulable",
     postfilter_case(make_pod("p"), [make_pod("p1", None, "node1")], [make_node("node1", ONE_POD)], {"node1": U}),
     U, "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.", ""),
    ("preemption should respect filteredNodesStatuses",
     postfilter_case(make_pod("p", HIGH), [make_pod("p1", None, "node1")], [make_node("node1", ONE_POD)],
                     {"node1": UU}),
     U, "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", ""),
    ("pod can be made schedulable on one node",
     postfilter_case(make_pod("p", MID), [make_pod("p1", HIGH, "node1"), make_pod("p2", LOW, "node2")],
                     [make_node("node1", ONE_POD), make_node("node2", ONE_POD)], {"node1": U, "node2": U}),
     "Success", "", "node2"),
    ("pod can be made schedulable on minHighestPriority node",
     postfilter_case(make_pod("p", VERY_HIGH),
                     [make_pod("p1", HIGH, "node1", labels=NON_VIOLATING), make_pod("p2", LOW, "node1", labels=VIOLATING),
                      make_pod("p3", MID, "node2", labels=VIOLATING)],
                     [make_node("node1", ONE_POD), make_node("node2", ONE_POD)], {"node1": U, "node2": U}, PDBS),
     "Success", "", "node2"),
    ("no candidate nodes found, no enough resource after removing low priority pods",
     postfilter_case(make_pod("p", HIGH, req=LARGE), [make_pod("p1", None, "node1"), make_pod("p2", None, "node2")],
                     [make_node("node1", NODE_RES), make_node("node2", NODE_RES)], {"node1": U, "node2": U}),
     U, "preemption: 0/2 nodes are available: 2 Insufficient cpu.", ""),
    ("no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource",
     postfilter_case(make_pod("p", HIGH, req=LARGE),
                     [make_pod("p1", HIGH, "node1"), make_pod("p2", None, "node2"), make_pod("p3", HIGH, "node3")],
                     [make_node("node1", ONE_POD), make_node("node2", NODE_RES), make_node("node3", ONE_POD)],
                     {"node1": U, "node2": U, "node3": U}),
     U, "preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod.", ""),
    ("no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes don't have enough "
     "CPU resource",
     postfilter_case(make_pod("p", HIGH, req=LARGE), [make_pod("p1", None, "node1"), make_pod("p2", None, "node2")],
                     [make_node(f"node{i}", NODE_RES) for i in range(1, 5)], {"node1": U, "node2": U, "node4": UU}),
     U, "preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.", ""),
]


def run_postfilter(case, code, message, nominated, victims=None):
    """Run ``case`` through the fidelity runner (k8sdocs/fidelity/scheduler_cases.py) with these expectations."""
    expected = {"status": {"code": code, "message": message}, "nominated_node_name": nominated}
    if victims is not None:
        expected["victims"] = victims
    return scheduler_cases.run_case(dict(case, expected=expected))


@pytest.mark.parametrize("case,code,message,nominated", [c[1:] for c in POSTFILTER_CASES],
                         ids=[f"TestPostFilter/{c[0][:90]}" for c in POSTFILTER_CASES])
def test_post_filter(case, code, message, nominated):
    result = run_postfilter(case, code, message, nominated)
    assert (result.outcome, result.detail) == ("PASS", "")


def test_post_filter_victims_are_reported():
    """The model's PostFilterResult also names the victims the scheduler must delete (upstream deletes them itself)."""
    assert run_postfilter(POSTFILTER_CASES[0][1], "Success", "", "node1", ["default/p1"]).outcome == "PASS"
    result = run_postfilter(POSTFILTER_CASES[0][1], "Success", "", "node1", ["default/other"])
    assert (result.outcome, result.detail) == ("FAIL", "victims: expected ['default/other'] vs got ['default/p1']")


def test_fidelity_case_shape_comparison():
    """The runner reads expected.status / expected.nominated_node_name as fit_error_messages.yaml writes them."""
    case, code, message, _ = POSTFILTER_CASES[1][1:]
    assert run_postfilter(case, code, message, "").outcome == "PASS"
    wrong_message = run_postfilter(case, code, "other", "")
    assert wrong_message.outcome == "FAIL" and wrong_message.detail.startswith("postfilter status message:")
    wrong_node = run_postfilter(case, code, message, "node1")
    assert (wrong_node.outcome, wrong_node.detail) == ("FAIL", "nominated node: expected 'node1' vs got ''")
    # "" (a result that clears the nomination) is not null (no result at all)
    assert run_postfilter(case, code, message, None).detail == "nominated node: expected None vs got ''"


def build(nodes, pods, filters=("NodeResourcesFit",), pdbs=(), args=None):
    registry = dict(IN_TREE_REGISTRY)
    registry["DefaultPreemption"] = lambda a, h: DefaultPreemption(a, h, pdbs=pdbs)
    specs = tuple(PluginSpec(f) for f in filters) + (PluginSpec("DefaultPreemption", args),)
    fw = Framework(Profile(specs), registry)
    fw.snapshot = Snapshot.build(nodes, pods, fw.features)
    return fw, fw.plugin("DefaultPreemption")


def dry_run(pod, pods, node_names, filters=("NodeResourcesFit",), labels_of=None):
    nodes = [make_node(n, VERY_LARGE, **((labels_of or {}).get(n, {}))) for n in node_names]
    fw, pl = build(nodes, pods, filters)
    state = CycleState()
    fw.run_pre_filter_plugins(state, pod)
    m = NodeToStatus({n: Status(Code.Unschedulable) for n in node_names})
    candidates, _, _ = pl.find_candidates(state, fw.snapshot.node_infos, pod, m)
    # As upstream's test, victims are compared sorted by name (the model keeps them most-important first).
    return {c.name: sorted(v.name for v in c.victims) for c in candidates}, pl, candidates


DRY_RUN_CASES = [
    ("a pod that fits on both nodes when lower priority pods are preempted",
     make_pod("p", HIGH, req=LARGE), [make_pod("p1", MID, "node1", LARGE), make_pod("p2", MID, "node2", LARGE)],
     {"node1": ["p1"], "node2": ["p2"]}),
    ("a pod that would fit on the nodes, but other pods running are higher priority, no preemption would happen",
     make_pod("p", LOW, req=LARGE), [make_pod("p1", MID, "node1", LARGE), make_pod("p2", MID, "node2", LARGE)], {}),
    ("medium priority pod is preempted, but lower priority one stays as it is small",
     make_pod("p", HIGH, req=LARGE),
     [make_pod("p1.1", LOW, "node1", SMALL), make_pod("p1.2", MID, "node1", LARGE), make_pod("p2", MID, "node2", LARGE)],
     {"node1": ["p1.2"], "node2": ["p2"]}),
    ("mixed priority pods are preempted",
     make_pod("p", HIGH, req=LARGE),
     [make_pod("p1.1", MID, "node1", SMALL), make_pod("p1.2", LOW, "node1", SMALL), make_pod("p1.3", MID, "node1", MEDIUM),
      make_pod("p1.4", HIGH, "node1", SMALL), make_pod("p2", HIGH, "node2", LARGE)],
     {"node1": ["p1.2", "p1.3"]}),
    ("mixed priority pods are preempted, pick later StartTime one when priorities are equal",
     make_pod("p", HIGH, req=LARGE),
     [make_pod("p1.1", LOW, "node1", SMALL, 5), make_pod("p1.2", LOW, "node1", SMALL, 4),
      make_pod("p1.3", MID, "node1", MEDIUM, 3), make_pod("p1.4", HIGH, "node1", SMALL, 2),
      make_pod("p2", HIGH, "node2", LARGE, 1)],
     {"node1": ["p1.1", "p1.3"]}),
]


@pytest.mark.parametrize("pod,pods,want", [c[1:] for c in DRY_RUN_CASES],
                         ids=[f"TestDryRunPreemption/{c[0][:90]}" for c in DRY_RUN_CASES])
def test_dry_run_preemption(pod, pods, want):
    got, _, _ = dry_run(pod, pods, ["node1", "node2"])
    assert got == want


def test_dry_run_pod_with_anti_affinity_is_preempted():
    """TestDryRunPreemption/pod with anti-affinity is preempted (NodeResourcesFit + InterPodAffinity filters)."""
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchExpressions": [{"key": "foo", "operator": "Exists"}]}, "topologyKey": "hostname"}]}}
    pods = [make_pod("p1.1", LOW, "node1", SMALL, labels={"foo": ""}, affinity=anti),
            make_pod("p1.2", MID, "node1", SMALL), make_pod("p1.3", HIGH, "node1", SMALL),
            make_pod("p2", HIGH, "node2", SMALL)]
    got, _, _ = dry_run(make_pod("p", HIGH, req=SMALL, labels={"foo": ""}), pods, ["node1", "node2"],
                        ("NodeResourcesFit", "InterPodAffinity"),
                        {"node1": {"hostname": "node1"}, "node2": {"hostname": "node2"}})
    assert got == {"node1": ["p1.1"]}


E = None  # StartTime(epochTime) = the epoch
SELECT_CASES = [
    ("node with min highest priority pod is picked", ["node1", "node2", "node3"],
     [("p1.1", MID, "node1", MEDIUM), ("p1.2", MID, "node1", LARGE), ("p2.1", MID, "node2", MEDIUM),
      ("p2.2", LOW, "node2", MEDIUM), ("p3.1", LOW, "node3", MEDIUM), ("p3.2", LOW, "node3", MEDIUM)], "node3"),
    ("when highest priorities are the same, minimum sum of priorities is picked", ["node1", "node2", "node3"],
     [("p1.1", MID, "node1", MEDIUM), ("p1.2", MID, "node1", LARGE), ("p2.1", MID, "node2", LARGE),
      ("p2.2", LOW, "node2", MEDIUM), ("p3.1", MID, "node3", MEDIUM), ("p3.2", MID, "node3", MEDIUM)], "node2"),
    ("when highest priority and sum are the same, minimum number of pods is picked", ["node1", "node2", "node3"],
     [("p1.1", MID, "node1", SMALL), ("p1.2", NEG, "node1", SMALL), ("p1.3", MID, "node1", SMALL),
      ("p1.4", NEG, "node1", SMALL), ("p2.1", MID, "node2", LARGE), ("p2.2", NEG, "node2", MEDIUM),
      ("p3.1", MID, "node3", MEDIUM), ("p3.2", NEG, "node3", SMALL), ("p3.3", LOW, "node3", SMALL)], "node2"),
    ("sum of adjusted priorities is considered", ["node1", "node2", "node3"],
     [("p1.1", MID, "node1", SMALL), ("p1.2", NEG, "node1", SMALL), ("p1.3", NEG, "node1", SMALL),
      ("p2.1", MID, "node2", LARGE), ("p2.2", NEG, "node2", MEDIUM), ("p3.1", MID, "node3", MEDIUM),
      ("p3.2", NEG, "node3", SMALL), ("p3.3", LOW, "node3", SMALL)], "node2"),
    ("non-overlapping lowest high priority, sum priorities, and number of pods",
     ["node1", "node2", "node3", "node4"],
     [("p1.1", MID, "node1", SMALL), ("p1.2", LOW, "node1", SMALL), ("p1.3", LOW, "node1", SMALL),
      ("p2.1", HIGH, "node2", LARGE), ("p3.1", MID, "node3", MEDIUM), ("p3.2", LOW, "node3", SMALL),
      ("p3.3", LOW, "node3", SMALL), ("p3.4", LOW, "node3", MEDIUM), ("p4.1", MID, "node4", MEDIUM),
      ("p4.2", MID, "node4", SMALL), ("p4.3", MID, "node4", SMALL), ("p4.4", NEG, "node4", SMALL)], "node1"),
]
START_CASES = [
    ("same priority, same number of victims, different start time for each node's pod",
     [("p1.1", MID, "node1", 2), ("p1.2", MID, "node1", 2), ("p2.1", MID, "node2", 3), ("p2.2", MID, "node2", 3),
      ("p3.1", MID, "node3", 1), ("p3.2", MID, "node3", 1)], "node2"),
    ("same priority, same number of victims, different start time for all pods",
     [("p1.1", MID, "node1", 4), ("p1.2", MID, "node1", 2), ("p2.1", MID, "node2", 5), ("p2.2", MID, "node2", 1),
      ("p3.1", MID, "node3", 3), ("p3.2", MID, "node3", 6)], "node3"),
    ("different priority, same number of victims, different start time for all pods",
     [("p1.1", LOW, "node1", 4), ("p1.2", MID, "node1", 2), ("p2.1", MID, "node2", 6), ("p2.2", LOW, "node2", 1),
      ("p3.1", LOW, "node3", 3), ("p3.2", MID, "node3", 5)], "node2"),
]


def _select(pod, pods, node_names):
    _, _, candidates = dry_run(pod, pods, node_names)
    from k8sdocs.model.scheduler.plugins.defaultpreemption.default_preemption import pick_one_node_for_preemption
    return pick_one_node_for_preemption(candidates)


@pytest.mark.parametrize("node_names,pods,want", [c[1:] for c in SELECT_CASES],
                         ids=[f"TestSelectBestCandidate/{c[0]}" for c in SELECT_CASES])
def test_select_best_candidate(node_names, pods, want):
    existing = [make_pod(n, prio, node, req, 0) for n, prio, node, req in pods]
    pod = make_pod("p", VERY_HIGH if len(node_names) == 4 else HIGH, req=VERY_LARGE)
    assert _select(pod, existing, node_names) == want


@pytest.mark.parametrize("pods,want", [c[1:] for c in START_CASES],
                         ids=[f"TestSelectBestCandidate/{c[0]}" for c in START_CASES])
def test_select_best_candidate_by_start_time(pods, want):
    existing = [make_pod(n, prio, node, MEDIUM, start) for n, prio, node, start in pods]
    assert _select(make_pod("p", HIGH, req=VERY_LARGE), existing, ["node1", "node2", "node3"]) == want


def _eligible(pod, pods, nominated_status):
    fw, pl = build([make_node("node1", VERY_LARGE)], pods)
    return pl.pod_eligible_to_preempt_others(pod, nominated_status)


TERMINATING = {"deletionTimestamp": "1970-01-01T00:00:00Z"}
DISRUPTION = [{"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler"}]


def test_pod_eligible_to_preempt_others():
    """TestPodEligibleToPreemptOthers: Never policy, nominated node UU, terminating victims (with/without condition)."""
    nominated = make_pod("p_with_nominated_node", HIGH)
    nominated["status"] = {"nominatedNodeName": "node1"}
    term = make_pod("p1", LOW, "node1")
    term["metadata"].update(TERMINATING)
    term_preempted = make_pod("p1", LOW, "node1")
    term_preempted["metadata"].update(TERMINATING)
    term_preempted["status"] = {"conditions": DISRUPTION}
    never = make_pod("p_with_preempt_never_policy", HIGH, preemptionPolicy="Never")
    taint_uu = Status(Code.UnschedulableAndUnresolvable, ("node(s) had untolerated taint(s)",))
    assert _eligible(nominated, [term], taint_uu) == (True, "")
    assert _eligible(make_pod("p_without_nominated_node", HIGH), [], Status()) == (True, "")
    assert _eligible(never, [], Status()) == (False, "not eligible due to preemptionPolicy=Never.")
    assert _eligible(nominated, [term_preempted], Status(Code.Unschedulable)) == (
        False, "not eligible due to a terminating pod on the nominated node.")
    # Terminating for another reason (no DisruptionTarget condition): still eligible.
    assert _eligible(nominated, [term], Status(Code.Unschedulable)) == (True, "")


def test_post_filter_preemption_policy_never_message():
    """PostFilter prefixes the eligibility message: ``preemption: not eligible due to preemptionPolicy=Never.``"""
    case = postfilter_case(make_pod("p", HIGH, preemptionPolicy="Never"), [make_pod("p1", None, "node1")],
                           [make_node("node1", ONE_POD)], {"node1": U})
    result = run_postfilter(case, U, "preemption: not eligible due to preemptionPolicy=Never.", None)
    assert (result.outcome, result.detail) == ("PASS", "")  # null: PostFilter returns no result


@pytest.mark.parametrize("num_nodes,pct,absolute,want", [
    (10, 10, 100, 10),      # TestGetOffsetAndNumCandidates-style rows: absolute floor capped by the node count
    (1000, 10, 100, 100),
    (5000, 10, 100, 500),
    (5000, 40, 100, 2000),
    (5000, 0, 1, 1),
])
def test_calculate_num_candidates(num_nodes, pct, absolute, want):
    """calculateNumCandidates: max(numNodes × pct / 100, absolute), at most numNodes."""
    assert calculate_num_candidates(num_nodes, DefaultPreemptionArgs(pct, absolute)) == want


def test_args_validation():
    """validation_pluginargs.go ValidateDefaultPreemptionArgs: ranges, and both zero gives two errors."""
    from k8sdocs.model.scheduler.framework.runtime import ConfigError

    with pytest.raises(ConfigError) as err:
        DefaultPreemptionArgs(0, 0)
    assert [m for _, _, m in err.value.errors] == [
        "minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute",
        "minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage",
    ]
    with pytest.raises(ConfigError, match=r"minCandidateNodesPercentage: Invalid value: 101: not in valid range \[0, 100\]"):
        DefaultPreemptionArgs(101, 100)
    with pytest.raises(ConfigError, match=r"minCandidateNodesAbsolute: Invalid value: -1: not in valid range \[0, inf\)"):
        DefaultPreemptionArgs(10, -1)


def test_more_important_pod():
    """util.MoreImportantPod: priority first, then the earlier start time."""
    assert more_important_pod(make_pod("a", HIGH), make_pod("b", MID))
    assert more_important_pod(make_pod("a", MID, start=1), make_pod("b", MID, start=2))
    assert not more_important_pod(make_pod("a", MID, start=2), make_pod("b", MID, start=1))


def test_victims_are_kept_most_important_first():
    """SelectVictimsOnNode returns victims by descending importance; pickOneNodeForPreemption reads Pods[0]."""
    pods = DRY_RUN_CASES[3][2]
    _, _, candidates = dry_run(DRY_RUN_CASES[3][1], pods, ["node1", "node2"])
    assert [v.name for v in candidates[0].victims] == ["p1.3", "p1.2"]


def _dry_run_with(pod, pods, node_names, pdbs=(), args=None, offset=0, filters=("NodeResourcesFit",), labels_of=None):
    nodes = [make_node(n, VERY_LARGE, **((labels_of or {}).get(n, {}))) for n in node_names]
    fw, pl = build(nodes, pods, filters, pdbs, args)
    state = CycleState()
    fw.run_pre_filter_plugins(state, pod)
    infos = sorted(fw.snapshot.node_infos, key=lambda ni: ni.name)  # upstream's test sorts nodeInfos by name
    num = calculate_num_candidates(len(infos), pl.args)
    candidates, _, _ = pl.dry_run_preemption(state, pod, infos, list(pdbs), offset, num)
    return {c.name: (sorted(v.name for v in c.victims), c.num_pdb_violations) for c in candidates}


APP_FOO = {"app": "foo"}


def _pdb(allowed, disrupted=None):
    return {"metadata": {"name": "pdb"}, "spec": {"selector": {"matchLabels": APP_FOO}},
            "status": {"disruptionsAllowed": allowed, "disruptedPods": disrupted or {}}}


@pytest.mark.parametrize("disrupted,extra,want", [
    (None, False, {"node1": (["p1.1", "p1.2"], 1)}),
    ({"p2": "t"}, False, {"node1": (["p1.1", "p1.2"], 1)}),
    ({"p1.2": "t"}, False, {"node1": (["p1.1", "p1.2"], 0)}),
    ({"p1.3": "t"}, True, {"node1": (["p1.1", "p1.2", "p1.3"], 1)}),
], ids=["TestDryRunPreemption/preemption with violation of same pdb",
        "TestDryRunPreemption/preemption with violation of the pdb with pod whose eviction was processed, "
        "the victim doesn't belong to DisruptedPods",
        "TestDryRunPreemption/preemption with violation of the pdb with pod whose eviction was processed, "
        "the victim belongs to DisruptedPods",
        "TestDryRunPreemption/preemption with violation of the pdb with pod whose eviction was processed, "
        "the victim which belongs to DisruptedPods is treated as 'nonViolating'"])
def test_dry_run_pdb_violations(disrupted, extra, want):
    pods = [make_pod("p1.1", MID, "node1", MEDIUM, labels=APP_FOO), make_pod("p1.2", MID, "node1", MEDIUM, labels=APP_FOO)]
    if extra:
        pods.append(make_pod("p1.3", MID, "node1", MEDIUM, labels=APP_FOO))
    got = _dry_run_with(make_pod("p", HIGH, req=VERY_LARGE), pods, ["node1"], [_pdb(1, disrupted)])
    assert got == want


FIVE = ["node1", "node2", "node3", "node4", "node5"]
LIMIT_2 = {"minCandidateNodesPercentage": 40, "minCandidateNodesAbsolute": 1}


def test_dry_run_all_nodes_possible_but_args_limit_to_two():
    """TestDryRunPreemption/all nodes are possible candidates, but DefaultPreemptionArgs limits to 2 (offset 4)."""
    pods = [make_pod(f"p{i}", MID, f"node{i}", LARGE) for i in range(1, 6)]
    got = _dry_run_with(make_pod("p", HIGH, req=LARGE), pods, FIVE, args=LIMIT_2, offset=4)
    assert got == {"node5": (["p5"], 0), "node1": (["p1"], 0)}


def test_dry_run_some_nodes_not_possible_args_limit_to_two():
    """TestDryRunPreemption/some nodes are not possible candidates, DefaultPreemptionArgs limits to 2 (offset 4)."""
    prios = {1: MID, 2: VERY_HIGH, 3: MID, 4: MID, 5: VERY_HIGH}
    pods = [make_pod(f"p{i}", prios[i], f"node{i}", LARGE) for i in range(1, 6)]
    got = _dry_run_with(make_pod("p", HIGH, req=LARGE), pods, FIVE, args=LIMIT_2, offset=4)
    assert got == {"node1": (["p1"], 0), "node3": (["p3"], 0)}


def test_dry_run_looks_past_num_candidates_for_a_non_violating_node():
    """TestDryRunPreemption/preemption looks past numCandidates until a non-PDB violating node is found:
    node5 and node1 violate the PDB, node2 is dropped (the violating list is full), node3 does not violate."""
    labels = {1: APP_FOO, 2: APP_FOO, 5: APP_FOO}
    pods = [make_pod(f"p{i}", MID, f"node{i}", LARGE, labels=labels.get(i)) for i in range(1, 6)]
    got = _dry_run_with(make_pod("p", HIGH, req=LARGE), pods, FIVE, [_pdb(0)],
                        {"minCandidateNodesPercentage": 40, "minCandidateNodesAbsolute": 2}, offset=4)
    assert got == {"node1": (["p1"], 1), "node3": (["p3"], 0), "node5": (["p5"], 1)}


def test_dry_run_preemption_to_resolve_pod_topology_spread_filter_failure():
    """TestDryRunPreemption/preemption to resolve pod topology spread filter failure (AddPod/RemovePod of PTS)."""
    foo = {"matchExpressions": [{"key": "foo", "operator": "Exists"}]}
    tsc = [{"maxSkew": 1, "topologyKey": k, "whenUnsatisfiable": "DoNotSchedule", "labelSelector": foo}
           for k in ("zone", "hostname")]
    pod = make_pod("p", HIGH, labels={"foo": ""}, topologySpreadConstraints=tsc)
    pods = [make_pod("pod-a1", MID, "node-a", labels={"foo": ""}), make_pod("pod-a2", LOW, "node-a", labels={"foo": ""}),
            make_pod("pod-b1", LOW, "node-b", labels={"foo": ""}), make_pod("pod-x1", HIGH, "node-x", labels={"foo": ""}),
            make_pod("pod-x2", HIGH, "node-x", labels={"foo": ""})]
    labels_of = {"node-a": {"hostname": "node-a", "zone": "zone1"}, "node-b": {"hostname": "node-b", "zone": "zone1"},
                 "node-x": {"hostname": "node-x", "zone": "zone2"}}
    got = _dry_run_with(pod, pods, ["node-a", "node-b", "node-x"], filters=("PodTopologySpread",),
                        labels_of=labels_of)
    assert got == {"node-a": (["pod-a2"], 0), "node-b": (["pod-b1"], 0)}
