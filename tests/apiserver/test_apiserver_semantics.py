"""Update/status/generation semantics, events, watch resume and selectors."""

from __future__ import annotations

import pytest

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import EventNote, ObjectRef, Trace


def make() -> tuple[Clock, Trace, APIServer]:
    clock = Clock()
    trace = Trace(clock)
    return clock, trace, APIServer(clock, trace)


def deployment(replicas: int = 1) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}}


def pod(name: str, labels: dict | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels or {}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}


def test_generation_bumps_on_spec_change_only():
    _, _, api = make()
    k = api.client("kubectl")
    d = k.create(deployment())
    d = k.update({**d, "metadata": {**d["metadata"], "labels": {"app": "web", "tier": "fe"}}})
    assert d["metadata"]["generation"] == 1
    d = k.update({**d, "spec": {**d["spec"], "replicas": 3}})
    assert d["metadata"]["generation"] == 2
    d = api.client("deployment-controller").update_status({**d, "status": {"observedGeneration": 2, "replicas": 0}})
    assert d["metadata"]["generation"] == 2 and d["status"]["observedGeneration"] == 2


def test_update_ignores_status_and_update_status_ignores_spec():
    _, _, api = make()
    k = api.client("kubectl")
    d = k.create(deployment())
    d2 = k.update({**d, "spec": {**d["spec"], "replicas": 2}, "status": {"replicas": 99}})
    assert d2["status"] == {} and d2["spec"]["replicas"] == 2
    d3 = k.update_status({**d2, "spec": {**d2["spec"], "replicas": 7}, "status": {"replicas": 2}})
    assert d3["spec"]["replicas"] == 2 and d3["status"] == {"replicas": 2}
    reqs = [e.api for e in api.trace.filter(kind="request", source="kubectl")]
    last = reqs[-1]
    assert last is not None and (last.verb, last.resource, last.name, last.subresource) == (
        "PUT", "deployments", "web", "status")
    assert last.path == "/apis/apps/v1/namespaces/default/deployments/web/status"


def test_noop_update_writes_nothing():
    clock, trace, api = make()
    k = api.client("kubectl")
    d = k.create(deployment())
    rev = api.store.revision
    same = k.update(d)
    assert same["metadata"]["resourceVersion"] == d["metadata"]["resourceVersion"]
    assert api.store.revision == rev
    assert [(e.op, e.etcd_key) for e in trace.filter(kind="etcd")] == [("PUT", "/registry/deployments/default/web")]


def test_update_of_missing_object_is_404_and_delete_twice_is_404():
    _, _, api = make()
    k = api.client("kubectl")
    with pytest.raises(APIError) as e:
        k.update(pod("ghost"))
    assert str(e.value) == 'pods "ghost" not found'
    k.create(pod("a"))
    k.delete("Pod", "a")
    with pytest.raises(APIError) as e:
        k.delete("Pod", "a")
    assert (e.value.code, str(e.value)) == (404, 'pods "a" not found')
    with pytest.raises(APIError) as e:
        k.get("Deployment", "nope")
    assert str(e.value) == 'deployments.apps "nope" not found'


def test_every_request_and_write_is_traced():
    clock, trace, api = make()
    k = api.client("kubectl")
    k.create(pod("web-1"))
    k.get("Pod", "web-1")
    k.delete("Pod", "web-1")
    lines = [(e.kind, e.source, e.target, (e.api.verb, e.api.path) if e.api else (e.op, e.etcd_key))
             for e in trace.events]
    assert lines == [
        ("request", "kubectl", "kube-apiserver", ("POST", "/api/v1/namespaces/default/pods")),
        ("etcd", "kube-apiserver", "etcd", ("PUT", "/registry/pods/default/web-1")),
        ("request", "kubectl", "kube-apiserver", ("GET", "/api/v1/namespaces/default/pods/web-1")),
        ("request", "kubectl", "kube-apiserver", ("DELETE", "/api/v1/namespaces/default/pods/web-1")),
        ("etcd", "kube-apiserver", "etcd", ("DELETE", "/registry/pods/default/web-1")),
    ]
    etcd = [e for e in trace.events if e.kind == "etcd"]
    assert [e.obj for e in etcd] == [ObjectRef("Pod", "default", "web-1")] * 2


def test_record_event_creates_core_event_and_aggregates_duplicates():
    clock, trace, api = make()
    d = api.client("kubectl").create(deployment())
    c = api.client("deployment-controller")
    e1 = c.record_event(d, "Normal", "ScalingReplicaSet", "Scaled up replica set web-5d4f8c7b9 from 0 to 1")
    assert e1["source"] == {"component": "deployment-controller"}
    assert e1["involvedObject"]["kind"] == "Deployment" and e1["involvedObject"]["uid"] == d["metadata"]["uid"]
    assert e1["count"] == 1 and e1["type"] == "Normal"
    # record.makeEvent: fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())
    assert e1["metadata"]["name"] == f"web.{1765929600 * 10**9:x}"
    clock.run_until(3000)
    e2 = c.record_event(d, "Normal", "ScalingReplicaSet", "Scaled up replica set web-5d4f8c7b9 from 0 to 1")
    assert e2["metadata"]["name"] == e1["metadata"]["name"] and e2["count"] == 2
    assert e2["lastTimestamp"] == "2025-12-17T00:00:03Z" and e2["firstTimestamp"] == "2025-12-17T00:00:00Z"
    ev = trace.filter(kind="event")
    assert ev[0].note == EventNote("Normal", "ScalingReplicaSet", "Scaled up replica set web-5d4f8c7b9 from 0 to 1")
    assert ev[0].obj == ObjectRef("Deployment", "default", "web")
    assert ev[0].source == "deployment-controller"


def test_kubelet_and_scheduler_event_sources():
    _, _, api = make()
    p = api.client("kubectl").create(pod("web-1"))
    e = api.client("kubelet/node-1").record_event(p, "Normal", "Pulling", 'Pulling image "nginx:1.27"')
    assert e["source"] == {"component": "kubelet", "host": "node-1"}
    s = api.client("kube-scheduler").record_event(p, "Normal", "Scheduled", "Successfully assigned default/web-1 to node-1", "Binding")
    assert s["source"] == {"component": "default-scheduler"} and s["action"] == "Binding"
    names = [x["reason"] for x in api.client("kubectl").list("Event", field_selector="involvedObject.name=web-1")]
    assert sorted(names) == ["Pulling", "Scheduled"]


def test_watch_resume_from_list_resource_version():
    clock, _, api = make()
    k = api.client("kubectl")
    k.create(pod("a"))
    items, rv = api.client("ctrl").list_with_version("Pod")
    assert [p["metadata"]["name"] for p in items] == ["a"]
    k.create(pod("b"))
    seen: list[tuple[str, str]] = []
    api.client("ctrl").watch("Pod", lambda t, o: seen.append((t, o["metadata"]["name"])), resource_version=rv)
    k.delete("Pod", "a")
    clock.run_until(0)
    assert seen == [("ADDED", "b"), ("DELETED", "a")]


def test_stop_watch_drops_pending_deliveries():
    clock, _, api = make()
    seen: list[str] = []
    w = api.client("ctrl").watch("Pod", lambda t, o: seen.append(t))
    api.client("kubectl").create(pod("a"))
    api.client("ctrl").stop_watch(w)
    clock.run_until(10)
    assert seen == []


def test_leaving_a_field_selector_is_deleted_with_old_content():
    clock, _, api = make()
    k = api.client("kubectl")
    p = k.create(pod("a"))
    seen: list[tuple[str, str]] = []
    api.client("ctrl").watch("Pod", lambda t, o: seen.append((t, o["metadata"]["labels"].get("tier", ""))),
                             label_selector="tier=fe")
    p = k.update({**p, "metadata": {**p["metadata"], "labels": {"tier": "fe"}}})
    k.update({**p, "metadata": {**p["metadata"], "labels": {"tier": "be"}}})
    clock.run_until(0)
    assert seen == [("ADDED", "fe"), ("DELETED", "fe")]


def test_label_selectors_on_list():
    _, _, api = make()
    k = api.client("kubectl")
    k.create(pod("a", {"app": "web", "tier": "fe"}))
    k.create(pod("b", {"app": "web"}))
    k.create(pod("c", {"app": "db"}))
    names = lambda sel: [p["metadata"]["name"] for p in k.list("Pod", label_selector=sel)]  # noqa: E731
    assert names("app=web") == ["a", "b"]
    assert names("app=web,!tier") == ["b"]
    assert names("app in (db,cache)") == ["c"]
    assert names({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}) == ["a"]
    assert names({"app": "db"}) == ["c"]
    reqs = [(e.api.verb, e.api.resource, e.api.namespace, e.api.query) for e in api.trace.filter(kind="request") if e.api]
    assert ("GET", "pods", None, "?labelSelector=app%3Dweb%2C%21tier") in reqs


def test_unsupported_field_selector_is_400():
    _, _, api = make()
    with pytest.raises(APIError) as e:
        api.client("kubectl").list("Pod", field_selector="spec.priority=3")
    assert (e.value.code, str(e.value)) == (400, "field label not supported: spec.priority")


def test_list_is_sorted_by_namespace_then_name():
    _, _, api = make()
    k = api.client("kubectl")
    for ns, n in (("kube-system", "a"), ("default", "z"), ("default", "b")):
        k.create({**pod(n), "metadata": {"name": n, "namespace": ns}})
    assert [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in k.list("Pod")] == [
        ("default", "b"), ("default", "z"), ("kube-system", "a"),
    ]
    assert [p["metadata"]["name"] for p in k.list("Pod", namespace="kube-system")] == ["a"]


def test_cluster_scoped_objects_drop_namespace():
    _, _, api = make()
    n = api.client("kubectl").create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1", "namespace": "default"},
                                      "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}})
    assert "namespace" not in n["metadata"]
    assert n["status"]["allocatable"] == {"cpu": "4", "memory": "8Gi", "pods": "110"}
    assert api.store.keys("/registry/minions/") == ["/registry/minions/node-1"]


def test_service_gets_cluster_ip_in_range_and_keeps_it_on_update():
    import ipaddress

    _, _, api = make()
    k = api.client("kubectl")
    svc = k.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                    "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80}]}})
    ip = svc["spec"]["clusterIP"]
    assert ipaddress.ip_address(ip) in ipaddress.ip_network("10.96.0.0/12") and ip != "10.96.0.1"
    assert svc["spec"]["clusterIPs"] == [ip] and svc["spec"]["ipFamilies"] == ["IPv4"]
    assert svc["spec"]["ports"][0]["targetPort"] == 80 and svc["spec"]["ports"][0]["protocol"] == "TCP"
    assert 30000 <= svc["spec"]["ports"][0]["nodePort"] <= 32767
    spec = {k2: v for k2, v in svc["spec"].items() if k2 not in ("clusterIP", "clusterIPs")}
    spec["ports"] = [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    upd = k.update({**svc, "spec": spec})
    assert upd["spec"]["clusterIP"] == ip and upd["spec"]["ports"][0]["nodePort"] == svc["spec"]["ports"][0]["nodePort"]
    with pytest.raises(APIError) as e:
        k.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "dup"},
                  "spec": {"clusterIP": ip, "ports": [{"port": 80}]}})
    assert str(e.value).endswith(f"failed to allocate IP {ip}: provided IP is already allocated")


def test_deployment_without_selector_gives_upstreams_two_errors():
    _, _, api = make()
    d = deployment()
    del d["spec"]["selector"]
    with pytest.raises(APIError) as e:
        api.client("kubectl").create(d)
    assert str(e.value) == (
        'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: '
        'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]'
    )


def test_namespace_delete_removes_content_and_immortal_ones_are_forbidden():
    _, trace, api = make()
    k = api.client("kubectl")
    k.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}})
    # the model does not run the serviceaccounts controller: the test plays it
    k.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "team-a"}})
    k.create({**pod("a"), "metadata": {"name": "a", "namespace": "team-a"}})
    k.delete("Namespace", "team-a")
    assert api.store.keys("/registry/pods/team-a/") == []
    with pytest.raises(APIError) as e:
        k.delete("Namespace", "kube-system")
    assert (e.value.code, str(e.value)) == (403, 'namespaces "kube-system" is forbidden: this namespace may not be deleted')


def test_failed_request_is_annotated_in_place():
    _, trace, api = make()
    k = api.client("kubectl")
    with pytest.raises(APIError):
        k.get("Pod", "ghost")
    (ev,) = trace.events
    assert (ev.kind, ev.source) == ("request", "kubectl") and ev.api is not None
    assert (ev.api.verb, ev.api.resource, ev.api.namespace, ev.api.name) == ("GET", "pods", "default", "ghost")
    assert ev.get("code") == "404" and ev.get("reason") == "NotFound" and ev.get("error") == 'pods "ghost" not found'


def test_bind_rejects_gated_pods_and_clears_nomination():
    _, _, api = make()
    k = api.client("kubectl")
    k.create({**pod("gated"), "spec": {**pod("gated")["spec"], "schedulingGates": [{"name": "example.com/wait"}]}})
    with pytest.raises(APIError) as e:
        api.client("kube-scheduler").bind("default", "gated", "node-1")
    # pkg/registry/core/pod/storage/storage_test.go: wantErr for non-nil schedulingGates
    assert str(e.value) == 'Operation cannot be fulfilled on pods/binding "gated": pod gated has non-empty .spec.schedulingGates'
    p = k.create(pod("p"))
    p = api.client("kube-scheduler").update_status({**p, "status": {**p["status"], "nominatedNodeName": "node-2"}})
    bound = api.client("kube-scheduler").bind("default", "p", "node-2", uid=p["metadata"]["uid"])
    assert "nominatedNodeName" not in bound["status"]


def test_pod_spec_is_immutable_except_images_and_added_tolerations():
    _, _, api = make()
    k = api.client("kubectl")
    p = k.create(pod("web-1"))
    spec = p["spec"]
    img = k.update({**p, "spec": {**spec, "containers": [{**spec["containers"][0], "image": "nginx:1.28"}]}})
    assert img["spec"]["containers"][0]["image"] == "nginx:1.28" and img["metadata"]["generation"] == 2
    tol = img["spec"]["tolerations"] + [{"key": "x", "operator": "Exists", "effect": "NoSchedule"}]
    img = k.update({**img, "spec": {**img["spec"], "tolerations": tol}})
    with pytest.raises(APIError) as e:
        k.update({**img, "spec": {**img["spec"], "restartPolicy": "Never"}})
    assert str(e.value) == (
        'Pod "web-1" is invalid: spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
        "(allow it to be set to 1 if it was previously negative)"
    )


def test_pod_update_without_admission_fields_keeps_them():
    _, _, api = make()
    k = api.client("kubectl")
    p = k.create(pod("web-1"))
    spec = {k2: v for k2, v in p["spec"].items() if k2 not in ("priority", "tolerations")}
    out = k.update({**p, "metadata": {**p["metadata"], "labels": {"v": "2"}}, "spec": spec})
    assert out["spec"]["priority"] == 0 and out["spec"]["tolerations"] == p["spec"]["tolerations"]
    assert out["metadata"]["generation"] == 1


def test_optional_kubernetes_service_at_bootstrap():
    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace, kubernetes_service=True, advertise_address="192.168.0.10")
    svc = api.client("kubectl").get("Service", "kubernetes")
    assert svc["spec"]["clusterIP"] == "10.96.0.1"
    assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]
    eps = api.client("kubectl").get("EndpointSlice", "kubernetes")
    assert eps["endpoints"][0]["addresses"] == ["192.168.0.10"]
    assert [(e.api.verb, e.api.group, e.api.resource, e.api.name) for e in trace.events if e.api] == [
        ("GET", "", "services", "kubernetes"), ("GET", "discovery.k8s.io", "endpointslices", "kubernetes")]
    assert len(trace.events) == 2


def test_unparsable_label_selector_is_400_with_labels_parse_text():
    """The ?labelSelector= text goes through labels.Parse; its error is the 400's message as is (the former parser
    prefixed every error with "unable to parse requirement: " and quoted the whole part)."""
    _, _, api = make()
    k = api.client("kubectl")
    with pytest.raises(APIError) as e:
        k.list("Pod", label_selector="app in (web")
    assert (e.value.code, str(e.value)) == (400, "unable to parse requirement: found '', expected: ',' or ')'")
    with pytest.raises(APIError) as e:
        k.list("Pod", label_selector="app=web,")
    assert str(e.value) == "found '', expected: identifier after ','"


def test_label_selector_dict_is_sent_as_selector_string_sorted_by_key():
    """client-go sends LabelSelectorAsSelector(sel).String(): requirements sorted by key across matchLabels and
    matchExpressions (the former printer put every matchLabels entry first)."""
    _, _, api = make()
    k = api.client("kubectl")
    k.list("Pod", label_selector={"matchLabels": {"z": "1"},
                                  "matchExpressions": [{"key": "a", "operator": "In", "values": ["y", "x"]}]})
    reqs = [e.api.query for e in api.trace.filter(kind="request") if e.api and e.api.resource == "pods"]
    assert reqs == ["?labelSelector=a+in+%28x%2Cy%29%2Cz%3D1"]
