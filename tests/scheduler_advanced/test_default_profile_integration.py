"""The three plugins inside the v1.35 default profile (schedule_one): derived end-to-end checks.

These are ``derived`` expectations: each combines upstream formats already asserted in the per-plugin tests —
FitError text (framework/types.go FitError.Error), PostFilter prefix ``preemption: `` (default_preemption.go),
the reason strings of podtopologyspread/plugin.go and interpodaffinity/filtering.go, and NodeResourcesFit's
``Insufficient cpu``. They check that the framework wiring (PreFilter state, Filter order, PostFilter dry run with
AddPod/RemovePod) gives the same answers a v1.35 kube-scheduler would.
"""

from __future__ import annotations

from k8sdocs.model.scheduler.schedule_one import Scheduler

ZONE = "topology.kubernetes.io/zone"
HOST = "kubernetes.io/hostname"
WEB = {"matchLabels": {"app": "web"}}


def node(name, zone, cpu="2"):
    res = {"cpu": cpu, "memory": "4Gi", "pods": "110"}
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {HOST: name, ZONE: zone}},
            "spec": {}, "status": {"capacity": dict(res), "allocatable": dict(res)}}


def pod(name, node_name=None, priority=None, cpu="500m", **spec):
    s = {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": cpu}}}], **spec}
    if node_name:
        s["nodeName"] = node_name
    if priority is not None:
        s["priority"] = priority
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default",
                                                           "labels": {"app": "web"}}, "spec": s}


def test_hard_zone_spread_leaves_only_the_empty_zone():
    """zone a holds 2 web pods, zone b none: with maxSkew 1 only n3 (zone b) passes (skew 0+1-0 = 1)."""
    tsc = [{"maxSkew": 1, "topologyKey": ZONE, "whenUnsatisfiable": "DoNotSchedule", "labelSelector": WEB}]
    result = Scheduler().schedule_one(pod("w3", topologySpreadConstraints=tsc),
                                      [node("n1", "a"), node("n2", "a"), node("n3", "b")],
                                      [pod("w1", "n1"), pod("w2", "n2")])
    assert result.selected_node == "n3"


def test_anti_affinity_everywhere_is_not_helped_by_preemption():
    """All nodes hold a same-priority pod the incoming pod repels: Filter rejects with the anti-affinity reason and
    preemption finds no lower-priority victim."""
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": WEB, "topologyKey": HOST}]}}
    result = Scheduler().schedule_one(pod("w3", affinity=anti), [node("n1", "a"), node("n2", "a")],
                                      [pod("w1", "n1"), pod("w2", "n2")])
    assert result.selected_node is None
    assert result.message == (
        "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are "
        "available: 2 No preemption victims found for incoming pod.")


def test_preemption_nominates_the_node_of_the_lower_priority_pod():
    """n1 runs a priority-0 pod, n2 a priority-1000 pod; a priority-500 pod that fits nowhere preempts on n1."""
    result = Scheduler().schedule_one(pod("vip", priority=500), [node("n1", "a", "1"), node("n2", "a", "1")],
                                      [pod("low", "n1", 0, "900m"), pod("high", "n2", 1000, "900m")])
    assert result.message == "0/2 nodes are available: 2 Insufficient cpu."
    assert (result.nominated_node, result.victims) == ("n1", ("default/low",))


def test_preemption_policy_never():
    result = Scheduler().schedule_one(pod("vip", priority=500, preemptionPolicy="Never"),
                                      [node("n1", "a", "1")], [pod("low", "n1", 0, "900m")])
    assert result.message == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")
    assert result.nominated_node is None


def test_msg_16_request_larger_than_every_node():
    """fit_error_messages.yaml msg-16 (derived; seen verbatim on clusters): cpu "512" on a 6-cpu node."""
    result = Scheduler().schedule_one(pod("big", cpu="512"), [node("n1", "a", "6")], [])
    assert result.message == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not "
        "helpful for scheduling.")


def test_msg_17_tainted_control_plane_and_nodes_without_the_label():
    """fit_error_messages.yaml msg-17 (derived; seen verbatim on a v1.37 kind cluster)."""
    cp = node("cp", "a")
    cp["spec"]["taints"] = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    result = Scheduler().schedule_one(pod("p", nodeSelector={"disk": "ssd"}), [cp, node("w1", "a"), node("w2", "a")], [])
    assert result.message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node "
        "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
