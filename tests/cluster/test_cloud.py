"""cloud-controller-manager: node initialization and LoadBalancer Services (cloud-provider controllers)."""

from __future__ import annotations

from k8sdocs.model import observe as ob
from k8sdocs.model.cloud import FakeCloud
from k8sdocs.model.cluster import Cluster, ClusterRun
from k8sdocs.model.trace import TraceEvent

UNINIT = {"key": "node.cloudprovider.kubernetes.io/uninitialized", "value": "true", "effect": "NoSchedule"}


def _node(name: str, tainted: bool = True, cpu: str = "4") -> dict:
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
            "status": {"capacity": {"cpu": cpu, "memory": "8Gi", "pods": "110"}}}
    if tainted:
        node["spec"] = {"taints": [dict(UNINIT)]}
    return node


def _svc(name: str, type_: str) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"type": type_, "selector": {"app": name}, "ports": [{"port": 80, "targetPort": 80}]}}


def _cloud_calls(run: ClusterRun) -> list[TraceEvent]:
    return [e for e in run.events if e.kind == "cloud"]


def _ref(e: TraceEvent) -> tuple[str, str | None, str] | None:
    return (e.obj.kind, e.obj.namespace, e.obj.name) if e.obj is not None else None


def _service_events(run: ClusterRun, name: str = "web") -> list[tuple[str, str, str]]:
    """Events about Service ``name`` as (type, reason, message)."""
    return [(e.note.type, e.note.reason, e.note.message)
            for e in ob.kube_events(run.events, involved_kind="Service", involved_name=name) if e.note is not None]


def ensuring_ms(run: ClusterRun) -> int:
    return ob.kube_events(run.events, reason="EnsuringLoadBalancer")[0].time_ms


def test_node_controller_initializes_tainted_node() -> None:
    run = Cluster([_node("node-1"), _node("node-2")], seed=1).run(5_000)
    for name, zone in (("node-1", "eu-south-1a"), ("node-2", "eu-south-1b")):
        node = run.get("Node", name)
        labels = node["metadata"]["labels"]
        # node_controller.go getNodeModifiersFromCloudProvider: stable + deprecated label pairs
        assert labels["topology.kubernetes.io/zone"] == labels["failure-domain.beta.kubernetes.io/zone"] == zone
        assert labels["topology.kubernetes.io/region"] == labels["failure-domain.beta.kubernetes.io/region"] == "eu-south-1"
        assert labels["node.kubernetes.io/instance-type"] == labels["beta.kubernetes.io/instance-type"] == "standard-4"
        assert node["spec"]["providerID"] == f"fake://{zone}/{name}"
        assert not any(t["key"] == UNINIT["key"] for t in node["spec"].get("taints", []))
    synced = [e for e in run.objects_of("Event") if e["reason"] == "Synced"]
    assert sorted(e["involvedObject"]["name"] for e in synced) == ["node-1", "node-2"]
    assert {(e["type"], e["message"], e["source"]["component"]) for e in synced} == {
        ("Normal", "Node synced successfully", "cloud-node-controller")}
    assert [(e.source, e.target, e.op, _ref(e)) for e in _cloud_calls(run)] == [
        ("cloud-controller-manager", "cloud", "InstanceMetadata", ("Node", None, "node-1")),
        ("cloud-controller-manager", "cloud", "InstanceMetadata", ("Node", None, "node-2")),
    ]
    assert [(e.source, e.code, e.get("node")) for e in ob.decisions(run.events, code="InitializingNode")] == [
        ("cloud-node-controller", "InitializingNode", "node-1"), ("cloud-node-controller", "InitializingNode", "node-2")]


def test_initialized_node_is_left_alone() -> None:
    run = Cluster([_node("node-1", tainted=False)], seed=1).run(5_000)
    assert not _cloud_calls(run)
    assert "providerID" not in run.get("Node", "node-1").get("spec", {})


def test_service_controller_ensures_load_balancer() -> None:
    node = _node("node-1", tainted=False)
    node["spec"] = {"providerID": "fake://eu-south-1a/node-1"}  # initialized earlier
    run = Cluster([node, _svc("web", "LoadBalancer"), _svc("internal", "ClusterIP")], seed=1).run(10_000)
    svc = run.get("Service", "web", "default")
    assert svc["status"]["loadBalancer"]["ingress"] == [{"ip": "203.0.113.10", "ipMode": "VIP"}]
    assert svc["metadata"]["finalizers"] == ["service.kubernetes.io/load-balancer-cleanup"]
    assert "loadBalancer" not in (run.get("Service", "internal", "default").get("status") or {}) or \
        not run.get("Service", "internal", "default")["status"]["loadBalancer"]
    assert _service_events(run) == [("Normal", "EnsuringLoadBalancer", "Ensuring load balancer"),
                                    ("Normal", "EnsuredLoadBalancer", "Ensured load balancer")]
    decided = ob.decisions(run.events, source="service-controller", code="EnsuringLoadBalancer")
    assert [(dict(e.data), e.time_ms) for e in decided] == [({"service": "default/web", "nodes": "node-1"}, ensuring_ms(run))]
    ensuring = ob.kube_events(run.events, reason="EnsuringLoadBalancer")[0]
    ensured = ob.kube_events(run.events, reason="EnsuredLoadBalancer")[0]
    assert ensured.time_ms - ensuring.time_ms == 3_000  # CLOUD_LATENCY_MS["EnsureLoadBalancer"]
    assert [(e.op, _ref(e), e.get("nodes")) for e in _cloud_calls(run)] == [
        ("EnsureLoadBalancer", ("Service", "default", "web"), "node-1")]
    sources = {e["source"]["component"] for e in run.objects_of("Event") if e["involvedObject"]["kind"] == "Service"}
    assert sources == {"service-controller"}


def test_fake_cloud_zones_round_robin_in_name_order() -> None:
    from k8sdocs.model.clock import Clock
    from k8sdocs.model.trace import Trace

    clock = Clock()
    cloud = FakeCloud(clock, Trace(clock))
    for n in ("c", "a", "b", "d"):
        cloud.add_instance(n)
    assert [cloud.zone_of(n) for n in "abcd"] == ["eu-south-1a", "eu-south-1b", "eu-south-1c", "eu-south-1a"]


def test_load_balancer_without_hosts_warns_then_updates_when_nodes_are_initialized() -> None:
    run = Cluster([_svc("web", "LoadBalancer")], seed=1).run(1_000)
    # no node yet: service/controller.go records UnAvailableLoadBalancer and still ensures the LB
    assert _service_events(run)[:2] == [
        ("Normal", "EnsuringLoadBalancer", "Ensuring load balancer"),
        ("Warning", "UnAvailableLoadBalancer", "There are no available nodes for LoadBalancer")]
    decided = ob.decisions(run.events, code="EnsuringLoadBalancer")
    assert [dict(e.data) for e in decided] == [{"service": "default/web", "nodes": ""}]
    cluster = Cluster([_svc("web", "LoadBalancer")], seed=1)
    cluster.start()
    cluster.clock.run_until(5_000)
    cluster.join_node(_node("node-1"))  # a tainted node joins; the CCM initializes it (providerID)
    run = cluster.run(10_000)
    updates = [(e.time_ms, e.get("nodes")) for e in _cloud_calls(run) if e.op == "UpdateLoadBalancer"]
    assert updates == [(5_150, "node-1")]
    assert ("Normal", "UpdatedLoadBalancer", "Updated load balancer with new hosts") in _service_events(run)


def test_deleting_a_load_balancer_service_deletes_the_cloud_load_balancer() -> None:
    node = _node("node-1", tainted=False)
    node["spec"] = {"providerID": "fake://eu-south-1a/node-1"}
    cluster = Cluster([node, _svc("web", "LoadBalancer")], seed=1)
    cluster.run(5_000)
    assert cluster.cloud.load_balancers() == {"default/web": "203.0.113.10"}
    cluster.kubectl.delete("Service", "web", "default")
    run = cluster.run(10_000)
    assert run.cloud_load_balancers == {}
    assert [(e.op, _ref(e)) for e in _cloud_calls(run)] == [
        ("EnsureLoadBalancer", ("Service", "default", "web")), ("EnsureLoadBalancerDeleted", ("Service", "default", "web"))]
    assert _service_events(run)[-2:] == [("Normal", "DeletingLoadBalancer", "Deleting load balancer"),
                                         ("Normal", "DeletedLoadBalancer", "Deleted load balancer")]
