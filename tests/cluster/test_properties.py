"""Property tests over generated clusters: invariants that hold for any scenario."""

from __future__ import annotations

import ipaddress

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sdocs.model import observe as ob
from k8sdocs.model.cluster import Cluster
from k8sdocs.model.scenario import Step

from .conftest import require_components


def _node(i: int, cpu: int, tainted: bool) -> dict:
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": f"node-{i}"},
            "status": {"capacity": {"cpu": str(cpu), "memory": "8Gi", "pods": "110"}}}
    if tainted:
        node["spec"] = {"taints": [{"key": "node.cloudprovider.kubernetes.io/uninitialized", "value": "true",
                                    "effect": "NoSchedule"}]}
    return node


def _deployment(replicas: int, cpu_m: int) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "app"}},
                     "template": {"metadata": {"labels": {"app": "app"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx:1.27",
                                                           "resources": {"requests": {"cpu": f"{cpu_m}m"}}}]}}}}


clusters = st.tuples(
    st.lists(st.tuples(st.integers(1, 4), st.booleans()), min_size=1, max_size=3),  # nodes: cpu, tainted
    st.integers(0, 5),  # replicas
    st.sampled_from([100, 500, 1500]),  # cpu request (m)
    st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(5_000, 30_000))),  # fail node i at t
    st.integers(0, 2**16),  # seed
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clusters)
def test_cluster_invariants(params) -> None:
    require_components()
    nodes, replicas, cpu_m, failure, seed = params
    manifests = [_node(i + 1, cpu, tainted) for i, (cpu, tainted) in enumerate(nodes)] + [_deployment(replicas, cpu_m)]
    steps = []
    if failure is not None and failure[0] <= len(nodes):
        steps.append(Step(1, failure[1], "fail-node", node=f"node-{failure[0]}"))
    run = Cluster(manifests, seed=seed, steps=steps, name="prop").run(60_000)
    # 1. only kube-apiserver talks to etcd
    assert {(e.source, e.target) for e in run.events if "etcd" in (e.source, e.target)} <= {("kube-apiserver", "etcd")}
    # 2. a kubelet is only told about pods bound to its node
    bound = {e.api.name: e.get("node") for e in ob.requests(run.events, source="kube-scheduler", subresource="binding")}
    for e in ob.watch_notices(run.events, kind="Pod"):
        if e.receiver.component == "kubelet":
            assert bound.get(e.obj.name) == e.receiver.instance
    # 3. pod IPs come from the node's podCIDR and are unique per node
    cidrs = {n["metadata"]["name"]: n["spec"]["podCIDR"] for n in run.objects_of("Node")}
    seen: set[tuple[str, str]] = set()
    for p in run.objects_of("Pod"):
        ip = p.get("status", {}).get("podIP")
        if ip:
            node = p["spec"]["nodeName"]
            assert ipaddress.ip_address(ip) in ipaddress.ip_network(cidrs[node])
            assert (node, ip) not in seen
            seen.add((node, ip))
    # 4. no node runs more requested CPU than it has (kubelet admission + scheduler)
    used: dict[str, int] = {}
    for p in run.objects_of("Pod"):
        if p["spec"].get("nodeName") and p["status"].get("phase") == "Running":
            used[p["spec"]["nodeName"]] = used.get(p["spec"]["nodeName"], 0) + cpu_m
    for n in run.objects_of("Node"):
        assert used.get(n["metadata"]["name"], 0) <= int(n["status"]["allocatable"]["cpu"]) * 1000
    # 5. every CRI call goes from a kubelet to the runtime of the same node
    for e in run.events:
        if e.kind == "cri":
            assert e.source.split("/")[1] == e.target.split("/")[1]
