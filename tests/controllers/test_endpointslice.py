"""endpointslice-controller: slice shape, port resolution, placeholder slice and the 100-endpoint limit."""

from __future__ import annotations

import re

from k8sdocs.model.controllers import endpointslice as es
from k8sdocs.model.controllers.manager import KubeControllerManager


def _svc(target_port: object = "http", selector: dict | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default",
                                                              "labels": {"team": "a"}},
            "spec": {"selector": selector if selector is not None else {"app": "web"},
                     "ports": [{"name": "http", "port": 80, "targetPort": target_port}]}}


def _node(api, name: str, zone: str) -> None:
    api.client("kubelet/" + name).create({"apiVersion": "v1", "kind": "Node",
                                          "metadata": {"name": name, "labels": {"topology.kubernetes.io/zone": zone}}})


def test_slices_for_a_deployment_behind_a_service(h) -> None:
    clock, trace, api = h.make_api()
    _node(api, "node-1", "eu-1a")
    KubeControllerManager(api.client, clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=500, node_name="node-1")
    k = api.client("kubectl")
    k.create(_svc())
    clock.run_until(100)
    # no pods yet: one placeholder slice without ports or endpoints
    slices = k.list("EndpointSlice", "default")
    assert len(slices) == 1 and slices[0]["endpoints"] is None and slices[0]["ports"] is None
    placeholder = slices[0]["metadata"]["name"]
    k.create(h.deployment("web", 2))
    clock.run_until(5000)
    slices = k.list("EndpointSlice", "default")
    assert len(slices) == 1
    s = slices[0]
    assert s["metadata"]["name"] == placeholder  # recycled instead of delete + create
    assert re.fullmatch(r"web-[bcdfghjklmnpqrstvwxz2456789]{5}", s["metadata"]["name"])
    assert s["metadata"]["generateName"] == "web-"
    assert s["metadata"]["labels"] == {"team": "a", "kubernetes.io/service-name": "web",
                                       "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    owner = s["metadata"]["ownerReferences"][0]
    assert (owner["apiVersion"], owner["kind"], owner["name"], owner["controller"]) == ("v1", "Service", "web", True)
    assert s["addressType"] == "IPv4"
    assert s["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]  # named targetPort -> containerPort
    assert len(s["endpoints"]) == 2
    for ep in s["endpoints"]:
        assert ep["conditions"] == {"ready": True, "serving": True, "terminating": False}
        assert ep["nodeName"] == "node-1" and ep["zone"] == "eu-1a"
        assert ep["targetRef"]["kind"] == "Pod" and ep["targetRef"]["namespace"] == "default"
        assert re.fullmatch(r"10\.244\.0\.\d+", ep["addresses"][0])
    # scale to zero: the slice becomes the placeholder again
    d = k.get("Deployment", "web", "default")
    d["spec"]["replicas"] = 0
    k.update(d)
    clock.run_until(10000)
    slices = k.list("EndpointSlice", "default")
    assert len(slices) == 1 and not slices[0]["endpoints"]


def test_service_deleted_removes_its_slices(h) -> None:
    clock, trace, api = h.make_api()
    KubeControllerManager(api.client, clock, trace).start()
    k = api.client("kubectl")
    k.create(_svc())
    clock.run_until(100)
    assert k.list("EndpointSlice", "default")
    k.delete("Service", "web", "default")
    clock.run_until(200)
    assert k.list("EndpointSlice", "default") == []


def _pod(name: str, ip: str, ready: bool = True, ports=None, node: str = "n1", deleting: bool = False) -> dict:
    meta = {"name": name, "namespace": "default", "uid": f"uid-{name}", "labels": {"app": "web"}}
    if deleting:
        meta["deletionTimestamp"] = "2025-12-17T00:00:10Z"
    return {"metadata": meta,
            "spec": {"nodeName": node, "containers": [{"name": "c", "ports": ports or [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]}]},
            "status": {"phase": "Running", "podIP": ip,
                       "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}


def test_endpoint_conditions_follow_pod_state() -> None:
    svc = _svc()
    svc["metadata"]["uid"] = "svc-uid"
    assert es.pod_to_endpoint(_pod("a", "10.0.0.1", ready=False), None, svc)["conditions"] == \
        {"ready": False, "serving": False, "terminating": False}
    # terminating pods stay in the slice, serving but not ready
    assert es.pod_to_endpoint(_pod("b", "10.0.0.2", deleting=True), None, svc)["conditions"] == \
        {"ready": False, "serving": True, "terminating": True}
    svc["spec"]["publishNotReadyAddresses"] = True
    assert es.pod_to_endpoint(_pod("a", "10.0.0.1", ready=False), None, svc)["conditions"]["ready"] is True


def test_pods_without_ip_or_terminal_are_left_out() -> None:
    assert not es.should_pod_be_in_endpoints(_pod("a", ""))
    p = _pod("b", "10.0.0.2")
    p["status"]["phase"] = "Succeeded"
    assert not es.should_pod_be_in_endpoints(p)
    assert es.should_pod_be_in_endpoints(_pod("c", "10.0.0.3", deleting=True), True)


def test_find_port_named_numeric_and_protocol_mismatch() -> None:
    pod = _pod("a", "10.0.0.1", ports=[{"name": "http", "containerPort": 8080, "protocol": "TCP"},
                                       {"name": "dns", "containerPort": 53, "protocol": "UDP"}])
    assert es.find_port(pod, {"port": 80, "targetPort": "http", "protocol": "TCP"}) == 8080
    assert es.find_port(pod, {"port": 80, "targetPort": 9376, "protocol": "TCP"}) == 9376
    assert es.find_port(pod, {"port": 53, "targetPort": "dns", "protocol": "TCP"}) is None
    assert es.find_port(pod, {"port": 53, "targetPort": "dns", "protocol": "UDP"}) == 53


def test_pods_with_different_ports_go_to_different_slices() -> None:
    svc = _svc()
    svc["metadata"]["uid"] = "svc-uid"
    pods = [_pod("a", "10.0.0.1"), _pod("b", "10.0.0.2", ports=[{"name": "http", "containerPort": 9090, "protocol": "TCP"}])]
    create, update, delete = es.reconcile(svc, pods, {"n1": {"metadata": {"name": "n1"}}}, [])
    assert sorted(s["ports"][0]["port"] for s in create) == [8080, 9090]
    assert update == [] and delete == []


def test_at_most_100_endpoints_per_slice() -> None:
    svc = _svc()
    svc["metadata"]["uid"] = "svc-uid"
    pods = [_pod(f"p{i:03d}", f"10.0.{i // 250}.{i % 250 + 1}") for i in range(250)]
    create, _, _ = es.reconcile(svc, pods, {"n1": {"metadata": {"name": "n1"}}}, [])
    assert sorted(len(s["endpoints"]) for s in create) == [50, 100, 100]
    assert es.MAX_ENDPOINTS_PER_SLICE == 100


def test_a_slice_deleted_by_someone_else_is_recreated_without_spinning(h) -> None:
    clock, trace, api = h.make_api()
    _node(api, "node-1", "eu-1a")
    KubeControllerManager(api.client, clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=100, node_name="node-1")
    k = api.client("kubectl")
    k.create(_svc())
    k.create(h.deployment("web", 1))
    clock.run_until(2000)
    s = k.list("EndpointSlice", "default")[0]
    k.delete("EndpointSlice", s["metadata"]["name"], "default")
    clock.run_until(3000)
    slices = k.list("EndpointSlice", "default")
    assert len(slices) == 1 and slices[0]["metadata"]["name"] != s["metadata"]["name"]
    assert len(slices[0]["endpoints"]) == 1
    k.delete("Service", "web", "default")
    clock.run_until(4000)
    assert k.list("EndpointSlice", "default") == []
    assert clock.pending() < 20  # no endless re-queue of a stale-cache check
