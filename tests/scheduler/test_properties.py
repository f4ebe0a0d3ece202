"""Property tests of the scheduling cycle (hypothesis; each bounded by max_examples)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sdocs.model.scheduler.framework import CycleState, Snapshot
from k8sdocs.model.scheduler.schedule_one import Scheduler

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cpu_milli = st.sampled_from([0, 100, 250, 500, 1000, 1500, 2000])
mem_mi = st.sampled_from([0, 64, 256, 512, 1024])


@st.composite
def nodes(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    out = []
    for i in range(n):
        taints = []
        if draw(st.booleans()) and draw(st.booleans()):
            taints.append({"key": "dedicated", "value": "db", "effect": draw(st.sampled_from(["NoSchedule", "PreferNoSchedule"]))})
        out.append({
            "metadata": {"name": f"node-{i}", "labels": {"zone": draw(st.sampled_from(["a", "b"])), "kubernetes.io/hostname": f"node-{i}"}},
            "spec": {"taints": taints, "unschedulable": draw(st.booleans()) and draw(st.booleans())},
            "status": {"allocatable": {"cpu": f"{draw(st.sampled_from([1000, 2000, 4000]))}m",
                                        "memory": f"{draw(st.sampled_from([512, 1024, 4096]))}Mi",
                                        "pods": str(draw(st.integers(min_value=1, max_value=5)))}},
        })
    return out


@st.composite
def pods(draw, prefix="p"):
    n = draw(st.integers(min_value=1, max_value=8))
    out = []
    for i in range(n):
        requests = {}
        c, m = draw(cpu_milli), draw(mem_mi)
        if c:
            requests["cpu"] = f"{c}m"
        if m:
            requests["memory"] = f"{m}Mi"
        spec = {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": requests}}]}
        if draw(st.booleans()):
            spec["tolerations"] = [{"key": "dedicated", "operator": "Exists"}]
        if draw(st.booleans()) and draw(st.booleans()):
            spec["nodeSelector"] = {"zone": draw(st.sampled_from(["a", "b"]))}
        out.append({"metadata": {"name": f"{prefix}-{i}", "namespace": "default"}, "spec": spec})
    return out


def _schedule_all(sched: Scheduler, node_list: list, pod_list: list) -> tuple[list, list]:
    bound: list = []
    results = []
    for p in pod_list:
        r = sched.schedule_one(p, node_list, bound)
        results.append(r)
        if r.selected_node:
            bound.append({**p, "spec": {**p["spec"], "nodeName": r.selected_node}})
    return bound, results


@SETTINGS
@given(nodes(), pods())
def test_bound_pod_passes_every_filter_on_its_node(node_list, pod_list):
    sched = Scheduler(seed=1)
    bound: list = []
    for p in pod_list:
        r = sched.schedule_one(p, node_list, bound)
        if r.selected_node is None:
            continue
        snap = Snapshot.build(node_list, bound)
        fwk = sched.framework
        fwk.snapshot = snap
        state = CycleState()
        _, status, _ = fwk.run_pre_filter_plugins(state, p)
        assert status.is_success()
        assert fwk.run_filter_plugins(state, p, snap.get(r.selected_node)).is_success()
        bound.append({**p, "spec": {**p["spec"], "nodeName": r.selected_node}})


@SETTINGS
@given(nodes(), pods())
def test_no_allocatable_is_exceeded(node_list, pod_list):
    bound, _ = _schedule_all(Scheduler(seed=2), node_list, pod_list)
    snap = Snapshot.build(node_list, bound)
    for ni in snap.node_infos:
        assert ni.requested.milli_cpu <= ni.allocatable.milli_cpu
        assert ni.requested.memory <= ni.allocatable.memory
        assert len(ni.pods) <= ni.allocatable.allowed_pod_number


@SETTINGS
@given(nodes(), pods(), st.integers(min_value=0, max_value=2**16))
def test_same_input_and_seed_give_the_same_bindings(node_list, pod_list, seed):
    a, _ = _schedule_all(Scheduler(seed=seed), node_list, pod_list)
    b, _ = _schedule_all(Scheduler(seed=seed), node_list, pod_list)
    assert [p["spec"]["nodeName"] for p in a] == [p["spec"]["nodeName"] for p in b]


_HEAD = re.compile(r"^0/(\d+) nodes are available: (.*?)\.(?: preemption: .*)?$")


@SETTINGS
@given(nodes(), pods())
def test_unschedulable_message_accounts_for_every_node(node_list, pod_list):
    _, results = _schedule_all(Scheduler(seed=3), node_list, pod_list)
    for r in results:
        if r.selected_node is not None:
            continue
        m = _HEAD.match(r.message or "")
        assert m, r.message
        assert int(m.group(1)) == len(node_list)
        counts = [int(entry.split(" ", 1)[0]) for entry in m.group(2).split(", ")]
        assert sum(counts) >= len(node_list)
        # plain string sort of the histogram entries (types.go sortReasonsHistogram)
        entries = m.group(2).split(", ")
        assert entries == sorted(entries)


@SETTINGS
@given(nodes(), pods(), st.integers(min_value=0, max_value=2**16))
def test_memoized_incremental_snapshot_decides_like_fresh_snapshots(node_list, pod_list, seed):
    """The per-node memos (signature.py) must not change any decision: scheduling on one incrementally updated
    snapshot (memos warm) gives the same bindings and scores as rebuilding the snapshot for every pod."""
    fresh = Scheduler(seed=seed)
    warm = Scheduler(seed=seed)
    snap = Snapshot.build(node_list, [], warm.framework.features)
    bound: list = []
    for p in pod_list:
        a = fresh.schedule_one(p, node_list, bound)
        b = warm.schedule(p, snap)
        assert (a.selected_node, dict(a.total_scores), a.message) == (b.selected_node, dict(b.total_scores), b.message)
        assert {k: dict(v) for k, v in a.scores.items()} == {k: dict(v) for k, v in b.scores.items()}
        if a.selected_node:
            bound_pod = {**p, "spec": {**p["spec"], "nodeName": a.selected_node}}
            bound.append(bound_pod)
            snap.add_pod(bound_pod)
