"""The simulation contract: store keys, resourceVersion, conflicts, watches through the clock."""

from __future__ import annotations

import pytest

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import Trace


def make() -> tuple[Clock, Trace, APIServer]:
    clock = Clock()
    trace = Trace(clock)
    return clock, trace, APIServer(clock, trace)


def pod(name: str, **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}], **spec},
    }


def test_etcd_keys_follow_upstream_layout_after_writes():
    # pkg/kubeapiserver/default_storage_factory_builder.go SpecialDefaultResourcePrefixes (nodes -> minions,
    # services -> services/specs); namespaced keys are <prefix>/<ns>/<name>.
    _, _, api = make()
    k = api.client("kubectl")
    k.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}})
    k.create(pod("web-1"))
    k.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
              "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
    k.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "kube-system"},
              "spec": {"selector": {"matchLabels": {"app": "web"}},
                       "template": {"metadata": {"labels": {"app": "web"}},
                                    "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    assert api.store.keys("/registry/minions/") == ["/registry/minions/node-1"]
    assert api.store.keys("/registry/pods/") == ["/registry/pods/default/web-1"]
    assert api.store.keys("/registry/services/") == ["/registry/services/specs/default/web"]
    assert api.store.keys("/registry/deployments/") == ["/registry/deployments/kube-system/web"]
    assert api.store.keys("/registry/namespaces/") == [
        "/registry/namespaces/default", "/registry/namespaces/kube-node-lease",
        "/registry/namespaces/kube-public", "/registry/namespaces/kube-system",
    ]


def test_resource_version_is_global_revision_at_last_write():
    _, _, api = make()
    k = api.client("kubectl")
    a = k.create(pod("a"))
    b = k.create(pod("b"))
    assert int(b["metadata"]["resourceVersion"]) == int(a["metadata"]["resourceVersion"]) + 1
    a2 = k.update({**a, "metadata": {**a["metadata"], "labels": {"app": "x"}}})
    assert int(a2["metadata"]["resourceVersion"]) == int(b["metadata"]["resourceVersion"]) + 1
    assert k.get("Pod", "b")["metadata"]["resourceVersion"] == b["metadata"]["resourceVersion"]
    assert api.store.get("/registry/pods/default/a").version == 2


def test_stale_update_is_409_with_upstream_text():
    _, _, api = make()
    k = api.client("kubectl")
    p = k.create(pod("web-1"))
    k.update({**p, "metadata": {**p["metadata"], "labels": {"v": "2"}}})
    with pytest.raises(APIError) as e:
        k.update({**p, "metadata": {**p["metadata"], "labels": {"v": "3"}}})
    assert e.value.code == 409 and e.value.reason == "Conflict"
    assert str(e.value) == (
        'Operation cannot be fulfilled on pods "web-1": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


def test_stale_update_names_group_for_apps_resources():
    _, _, api = make()
    k = api.client("kubectl")
    d = k.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    d2 = dict(d, spec={**d["spec"], "replicas": 3})
    k.update(d2)
    with pytest.raises(APIError) as e:
        k.update(d2)
    assert str(e.value).startswith('Operation cannot be fulfilled on deployments.apps "web": ')


def test_watch_delivers_only_through_the_clock_in_revision_order():
    clock, _, api = make()
    k = api.client("kubectl")
    k.create(pod("old"))
    got: list[tuple[str, str, str]] = []
    api.client("kube-scheduler").watch(
        "Pod", lambda t, o: got.append((t, o["metadata"]["name"], o["metadata"]["resourceVersion"]))
    )
    p = k.create(pod("new"))
    p = k.update({**p, "metadata": {**p["metadata"], "labels": {"app": "x"}}})
    k.delete("Pod", "new")
    assert got == []  # nothing synchronous
    clock.run_until(0)
    assert [(t, n) for t, n, _ in got] == [("ADDED", "old"), ("ADDED", "new"), ("MODIFIED", "new"), ("DELETED", "new")]
    revs = [int(r) for _, _, r in got]
    assert revs == sorted(revs) and len(set(revs)) == 4


def test_field_selector_spec_node_name():
    clock, _, api = make()
    k = api.client("kubectl")
    for n in ("a", "b", "c"):
        k.create(pod(n))
    s = api.client("kube-scheduler")
    s.bind("default", "a", "node-1")
    s.bind("default", "b", "node-2")
    assert [p["metadata"]["name"] for p in k.list("Pod", field_selector="spec.nodeName=node-1")] == ["a"]
    assert [p["metadata"]["name"] for p in k.list("Pod", field_selector="spec.nodeName=")] == ["c"]
    seen: list[tuple[str, str]] = []
    api.client("kubelet/node-1").watch("Pod", lambda t, o: seen.append((t, o["metadata"]["name"])),
                                       field_selector="spec.nodeName=node-1")
    s.bind("default", "c", "node-1")  # entering the selector is an ADDED for this watcher
    clock.run_until(0)
    assert seen == [("ADDED", "a"), ("ADDED", "c")]


def test_bind_twice_is_upstream_conflict():
    # pkg/registry/core/pod/storage/storage.go BindingREST
    _, _, api = make()
    api.client("kubectl").create(pod("web-1"))
    s = api.client("kube-scheduler")
    bound = s.bind("default", "web-1", "node-2")
    assert bound["spec"]["nodeName"] == "node-2"
    assert [c["type"] for c in bound["status"]["conditions"]] == ["PodScheduled"]
    with pytest.raises(APIError) as e:
        s.bind("default", "web-1", "node-1")
    assert e.value.code == 409
    assert str(e.value) == 'Operation cannot be fulfilled on pods/binding "web-1": pod web-1 is already assigned to node "node-2"'


def test_trace_is_deterministic():
    def run() -> Trace:
        clock, trace, api = make()
        k = api.client("replicaset-controller")
        api.client("kubelet/node-1").watch("Pod", lambda t, o: None, field_selector="spec.nodeName=node-1")
        for _ in range(3):
            k.create({**pod(""), "metadata": {"generateName": "web-5d4f8c7b9-"}})
        for p in k.list("Pod"):
            api.client("kube-scheduler").bind("default", p["metadata"]["name"], "node-1")
        clock.run_until(1000)
        return trace

    assert run().events == run().events
    binds = [e.api for e in run().events if e.api is not None and e.api.subresource == "binding"]
    assert len(binds) == 3 and all(r.verb == "POST" and r.resource == "pods" and r.name and
                                   r.name.startswith("web-5d4f8c7b9-") for r in binds)
