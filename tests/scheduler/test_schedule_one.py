"""Scheduling-cycle mechanics against pkg/scheduler/schedule_one.go@003b4460 (numFeasibleNodesToFind, rotation,
nominated node first, single feasible node, FitError text, truncateMessage)."""

import pytest

from k8sdocs.model.scheduler.framework import truncate_message
from k8sdocs.model.scheduler.schedule_one import Scheduler, num_feasible_nodes_to_find


def node(name, cpu="2", labels=None, taints=None, unschedulable=False):
    return {"metadata": {"name": name, "labels": labels or {}},
            "spec": {"taints": taints or [], "unschedulable": unschedulable},
            "status": {"allocatable": {"cpu": cpu, "memory": "4Gi", "pods": "110"}}}


def pod(name, cpu="100m", **spec):
    return {"metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}], **spec}}


@pytest.mark.parametrize("n, pct, want", [(10, 0, 10), (99, 0, 99), (1000, 0, 420), (1000, 40, 400),
                                          (6000, 0, 300), (6000, 40, 2400), (5000, 0, 500), (150, 10, 100)])
def test_num_feasible_nodes_to_find(n, pct, want):
    assert num_feasible_nodes_to_find(None, n, pct) == want


def test_rotation_and_sampling_on_many_nodes():
    nodes = [node(f"n{i:03d}") for i in range(200)]
    s = Scheduler(seed=1)
    r = s.schedule_one(pod("a"), nodes, [])
    # 200 nodes: 50 - 200/125 = 49 % -> 98 -> raised to the 100-node floor; the next cycle starts after them
    assert len(r.feasible_nodes) == 100 and r.evaluated_nodes[0] == "n000"
    assert s.next_start_node_index == 100
    r2 = s.schedule_one(pod("b"), nodes, [])
    assert r2.evaluated_nodes[0] == "n100"


def test_nominated_node_is_tried_first_and_alone():
    nodes = [node("a"), node("b"), node("c")]
    p = pod("p")
    p["status"] = {"nominatedNodeName": "b"}
    r = Scheduler().schedule_one(p, nodes, [])
    assert (r.selected_node, r.evaluated_nodes, r.scores) == ("b", ("b",), {})


def test_single_feasible_node_skips_scoring():
    nodes = [node("a", unschedulable=True), node("b"), node("c", labels={}, taints=[{"key": "k", "effect": "NoSchedule"}])]
    r = Scheduler().schedule_one(pod("p"), nodes, [])
    assert r.selected_node == "b" and r.scores == {} and r.total_scores == {}
    assert {n: s.reasons for n, s in r.filter_statuses.items()} == {
        "a": ("node(s) were unschedulable",), "c": ("node(s) had untolerated taint(s)",)}


def test_fit_error_histogram_and_first_failing_plugin_only():
    nodes = [node("a", cpu="1"), node("b", cpu="1"), node("c", taints=[{"key": "k", "effect": "NoExecute"}], cpu="1")]
    r = Scheduler().schedule_one(pod("p", cpu="2"), nodes, [])
    assert r.message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    )


def test_no_nodes():
    assert Scheduler().schedule_one(pod("p"), [], []).message == "no nodes available to schedule pods"


def test_truncate_message():
    assert truncate_message("x" * 1024) == "x" * 1024
    assert truncate_message("x" * 1030) == "x" * 1020 + " ..."
