"""AddPod/RemovePod keep the PreFilter states equal to a fresh PreFilter (what preemption's dry run relies on).

Upstream checks this with hand-written tables (podtopologyspread/filtering_test.go TestPreFilterStateAddPod /
TestPreFilterStateRemovePod, interpodaffinity/filtering_test.go TestPreFilterStateAddRemovePod); here a seeded
generator builds many small clusters and compares the incremental state with one recomputed from scratch.
"""

from __future__ import annotations

import random

import pytest

from k8sdocs.model.scheduler.plugins.interpodaffinity import filtering as ipa
from k8sdocs.model.scheduler.plugins.podtopologyspread.filtering import cal_pre_filter_state

ZONES = ["z1", "z2", "z3"]
APPS = ["web", "db"]


def _cluster(rng: random.Random):
    nodes = []
    for i in range(rng.randint(2, 6)):
        labels = {"node": f"n{i}"}
        if rng.random() < 0.85:
            labels["zone"] = rng.choice(ZONES)
        nodes.append({"metadata": {"name": f"n{i}", "labels": labels}, "spec": {}})
    pods = []
    for j in range(rng.randint(0, 12)):
        spec = {"nodeName": rng.choice(nodes)["metadata"]["name"], "containers": []}
        if rng.random() < 0.3:
            spec["affinity"] = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": {"app": rng.choice(APPS)}}, "topologyKey": rng.choice(["zone", "node"])}]}}
        pods.append({"metadata": {"name": f"p{j}", "namespace": rng.choice(["default", "default", "other"]),
                                  "labels": {"app": rng.choice(APPS)}}, "spec": spec})
    return nodes, pods


def _snapshot(nodes, pods):
    return [(n, [p for p in pods if p["spec"]["nodeName"] == n["metadata"]["name"]]) for n in nodes]


def _incoming(rng: random.Random):
    sel = {"matchLabels": {"app": "web"}}
    return {"metadata": {"name": "in", "namespace": "default", "labels": {"app": "web"}}, "spec": {
        "containers": [],
        "topologySpreadConstraints": [
            {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", "labelSelector": sel},
            {"maxSkew": 2, "topologyKey": "node", "whenUnsatisfiable": "DoNotSchedule", "labelSelector": sel}],
        "affinity": {
            "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": {"app": rng.choice(APPS)}}, "topologyKey": "zone"}]},
            "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": {"app": rng.choice(APPS)}}, "topologyKey": "node"}]}}}}


@pytest.mark.parametrize("seed", range(60))
def test_remove_then_add_matches_fresh_prefilter(seed):
    rng = random.Random(seed)
    nodes, pods = _cluster(rng)
    incoming = _incoming(rng)
    node = rng.choice(nodes)
    on_node = [p for p in pods if p["spec"]["nodeName"] == node["metadata"]["name"]]
    removed = [p for p in on_node if rng.random() < 0.6]
    remaining = [p for p in pods if p not in removed]

    pts = cal_pre_filter_state(incoming, _snapshot(nodes, pods)).clone()
    state, _ = ipa.pre_filter(incoming, _snapshot(nodes, pods))
    for p in removed:
        pts.update_with_pod(p, incoming, node, -1)
        if state is not None:
            state.update_with_pod(p, node, -1)
    fresh_pts = cal_pre_filter_state(incoming, _snapshot(nodes, remaining))
    # Domains come from the nodes, not the pods: an emptied domain stays in the map with 0, as in a fresh state.
    assert pts.tp_value_to_match_num == fresh_pts.tp_value_to_match_num
    fresh_state, _ = ipa.pre_filter(incoming, _snapshot(nodes, remaining))
    if state is not None and fresh_state is not None:
        assert state.existing_anti_affinity_counts == fresh_state.existing_anti_affinity_counts
        assert state.affinity_counts == fresh_state.affinity_counts
        assert state.anti_affinity_counts == fresh_state.anti_affinity_counts
        for n in nodes:
            assert ipa.filter_node(state, n) == ipa.filter_node(fresh_state, n)
    for p in removed:  # adding the victims back restores the original state
        pts.update_with_pod(p, incoming, node, +1)
    assert pts.tp_value_to_match_num == cal_pre_filter_state(incoming, _snapshot(nodes, pods)).tp_value_to_match_num
