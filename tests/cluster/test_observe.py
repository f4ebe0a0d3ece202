"""The run as a typed record: every trace event carries the fields its summary shows, and model/observe.py
selects by them (no test or page parses a summary)."""

from __future__ import annotations

import pytest

from k8sdocs.model import observe as ob
from k8sdocs.model.cluster import Cluster
from k8sdocs.model.resources import RESOURCES, rest_path
from k8sdocs.model.trace import Actor, APIRequest, CRICall

from .conftest import require_components, scenario_run

SCENARIOS = ("despliegue-basico.yaml", "nodo-imagen.yaml", "nodo-falla.yaml")


# -- the REST path, built in one place ---------------------------------------------------------------------------
# client-go rest.Request.URL: /api/<version> for the core group, /apis/<group>/<version> otherwise, then
# namespaces/<ns>, the resource, the name and the subresource.
@pytest.mark.parametrize("args, path", [
    (("", "v1", "pods", "default", "web-1", "status"), "/api/v1/namespaces/default/pods/web-1/status"),
    (("", "v1", "pods", "default", "web-1", "binding"), "/api/v1/namespaces/default/pods/web-1/binding"),
    (("apps", "v1", "deployments", "default"), "/apis/apps/v1/namespaces/default/deployments"),
    (("", "v1", "nodes", None, "node-1"), "/api/v1/nodes/node-1"),
    (("coordination.k8s.io", "v1", "leases", "kube-node-lease", "node-1"),
     "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1"),
    (("", "v1", "pods"), "/api/v1/pods"),
])
def test_rest_path(args, path):
    assert rest_path(*args) == path


def test_resource_info_paths_use_rest_path():
    pods, nodes = RESOURCES["Pod"], RESOURCES["Node"]
    assert pods.object_path("p", "ns") == "/api/v1/namespaces/ns/pods/p"
    assert nodes.object_path("n", "ignored-for-cluster-scoped") == "/api/v1/nodes/n"


def test_resource_path_is_the_tail_of_the_rest_path():
    bind = APIRequest("POST", "", "v1", "pods", "default", "web-1", "binding")
    assert bind.resource_path == "pods/web-1/binding" and bind.path.endswith("/" + bind.resource_path)
    assert APIRequest("POST", "apps", "v1", "deployments", "default").resource_path == "deployments"
    watch = APIRequest("GET", "", "v1", "pods", None, query="?watch=true", watch=True)
    assert watch.resource_path == "pods"  # no query


def test_api_request_path_keeps_the_query():
    req = APIRequest("GET", "", "v1", "pods", None, query="?fieldSelector=spec.nodeName%3Dnode-1&watch=true",
                     watch=True)
    assert req.path == "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&watch=true"


# -- actors ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, component, instance", [
    ("kubelet/node-1", "kubelet", "node-1"),
    ("container-runtime/node-2", "container-runtime", "node-2"),
    ("kube-apiserver", "kube-apiserver", ""),
    ("deployment-controller", "deployment-controller", ""),
])
def test_actor_parse_round_trip(text, component, instance):
    actor = Actor.parse(text)
    assert (actor.component, actor.instance) == (component, instance)
    assert str(actor) == text


def test_cri_service_split():
    # cri-api api.proto: ImageService vs RuntimeService
    assert CRICall("PullImage").service == "ImageService"
    assert CRICall("ImageStatus").service == "ImageService"
    assert CRICall("RunPodSandbox").service == "RuntimeService"


# -- every event carries its typed fields, and they agree with the text readers see -------------------------------
@pytest.fixture(scope="module", params=SCENARIOS)
def run(request):
    require_components()
    return scenario_run(request.param)


def test_requests_are_typed_and_match_their_summary(run):
    reqs = [e for e in run.events if e.kind == "request"]
    assert reqs
    for e in reqs:
        assert e.api is not None, e.to_line()
        assert e.summary == f"{e.api.verb} {e.api.path}"
        assert e.api.watch == ("watch=true" in e.api.query)


def test_watch_notices_and_etcd_writes_name_their_object(run):
    for e in run.events:
        if e.kind == "watch":
            assert e.obj is not None and e.op in ("ADDED", "MODIFIED", "DELETED")
            assert e.summary == f"{e.op} {e.obj.kind} {e.obj.key}"
        elif e.kind == "etcd":
            assert e.op in ("PUT", "DELETE") and e.etcd_key is not None
            assert e.summary == f"{e.op} {e.etcd_key}"
            assert e.obj is not None
            assert RESOURCES[e.obj.kind].key(e.obj.name, e.obj.namespace) == e.etcd_key


def test_cri_calls_name_pod_container_and_image(run):
    calls = [e for e in run.events if e.kind == "cri"]
    assert calls
    for e in calls:
        assert e.cri is not None
        assert e.sender == Actor("kubelet", e.node) and e.receiver == Actor("container-runtime", e.node)
        if e.cri.method in ("RunPodSandbox", "CreateContainer", "StartContainer", "ImageStatus", "PullImage"):
            assert e.cri.pod, e.to_line()
        if e.cri.method in ("CreateContainer", "StartContainer"):
            assert e.cri.container, e.to_line()
        # the text readers see names what the typed fields hold: the image of an image call, the pod's container
        # of a container call, the pod of a sandbox call, nothing more for a call about no pod (Version)
        if e.cri.method in ("ImageStatus", "PullImage"):
            assert e.summary == f"{e.cri.method} {e.cri.image}"
            # the image call ran on the node that ran the pod's sandbox
            assert ob.pod_node(run.events, e.cri.pod) == e.node
        elif e.cri.container:
            assert e.summary == f"{e.cri.method} {e.cri.pod}/{e.cri.container}"
        elif e.cri.pod:
            assert e.summary == f"{e.cri.method} {e.cri.pod}"
        else:
            assert e.summary == e.cri.method


def test_kube_events_carry_type_reason_message(run):
    evs = ob.kube_events(run.events)
    assert evs
    for e in evs:
        assert e.note is not None and e.obj is not None
        assert e.summary == f"{e.note.type} {e.note.reason} {e.note.message}"
        assert e.target == f"{e.obj.kind.lower()}/{e.obj.name}"


# -- observe queries --------------------------------------------------------------------------------------------
def test_none_asks_for_absence_any_for_anything():
    require_components()
    evs = scenario_run("despliegue-basico.yaml").events
    posts = ob.requests(evs, source="replicaset-controller", verb="POST", resource="pods", name=None)
    assert posts and all(e.api and e.api.name is None for e in posts)
    binds = ob.requests(evs, source="kube-scheduler", verb="POST", resource="pods", subresource="binding")
    assert len(binds) == len(posts)  # each replica created is bound once
    assert not ob.requests(evs, source="kube-scheduler", verb="POST", resource="pods", subresource=None)
    # after= keeps only later events, in trace order
    later = ob.requests(evs, source="kube-scheduler", subresource="binding", after=binds[0].seq)
    assert later == binds[1:]


def test_watch_requests_of_a_kubelet():
    require_components()
    evs = scenario_run("despliegue-basico.yaml").events
    node = ob.pod_node(evs, ob.pods_with_sandbox(evs)[0])
    watched = sorted(e.api.resource for e in ob.watch_requests(evs, source=f"kubelet/{node}") if e.api)
    # pkg/kubelet/kubelet.go NewMainKubelet: Services and its Node; config/apiserver.go: its Pods
    assert watched == ["nodes", "pods", "services"]


def test_image_pull_is_recorded_for_the_pod_that_asked():
    """Two Pods on one node with different images: each PullImage names its own Pod (PullImageRequest's
    sandbox_config), so no page has to guess which Pod a pull belongs to."""
    require_components()
    capacity = {"cpu": "2", "memory": "4Gi", "pods": "110"}
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"},
            "status": {"capacity": capacity, "allocatable": capacity}}

    def pod(name: str, image: str) -> dict:
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
                "spec": {"nodeName": "node-1", "containers": [{"name": "app", "image": image}]}}

    run = Cluster([node, pod("a", "nginx:1.27"), pod("b", "redis:7.2")], seed=1).run(10_000)
    pulls = ob.cri_calls(run.events, node="node-1", method="PullImage")
    assert sorted((e.cri.pod, e.cri.image) for e in pulls if e.cri) == [("default/a", "nginx:1.27"),
                                                                      ("default/b", "redis:7.2")]
    for key, image in (("default/a", "nginx:1.27"), ("default/b", "redis:7.2")):
        calls = ob.image_calls(run.events, node="node-1", pod=key)
        assert [e.cri.method for e in calls if e.cri] == ["ImageStatus", "PullImage"]
        assert {e.cri.image for e in calls if e.cri} == {image}


def test_decision_reason_code_of_a_failed_node():
    require_components()
    evs = scenario_run("nodo-falla.yaml").events
    stopped = ob.decisions(evs, code="NodeStopped")
    assert len(stopped) == 1 and stopped[0].sender.component == "kubelet"
    assert stopped[0].time_ms == 65_000  # nodo-falla.yaml: fail-node at 65 s


def test_stored_by_names_what_a_create_with_generate_name_stored():
    """replicaset-controller creates Pods with generateName: the request has no name, its etcd write has it, and
    the SuccessfulCreate Event that follows reports that name (replica_set.go: "Created pod: %v")."""
    require_components()
    evs = scenario_run("despliegue-basico.yaml").events
    posts = ob.requests(evs, source="replicaset-controller", verb="POST", resource="pods", name=None)
    assert posts
    for post in posts:
        stored = ob.stored_by(evs, post)
        assert stored is not None and stored.op == "PUT" and stored.obj is not None and stored.obj.kind == "Pod"
        created = ob.kube_events(evs, source="replicaset-controller", reason="SuccessfulCreate", after=post.seq)[0]
        assert created.note is not None and created.note.message == f"Created pod: {stored.obj.name}"
    # a read stores nothing
    get = ob.requests(evs, source="kubectl", verb="GET")[0]
    assert ob.stored_by(evs, get) is None


def test_kube_events_by_full_actor():
    require_components()
    evs = scenario_run("despliegue-basico.yaml").events
    node = ob.pod_node(evs, ob.pods_with_sandbox(evs)[0])
    assert node is not None
    mine = ob.kube_events(evs, source=f"kubelet/{node}")
    assert mine and all(e.sender == Actor("kubelet", node) for e in mine)
    assert len(ob.kube_events(evs, source_component="kubelet")) > len(mine)  # the other nodes' kubelets too


def test_request_of_is_the_inverse_of_stored_by():
    require_components()
    evs = scenario_run("despliegue-basico.yaml").events
    writes = ob.etcd_writes(evs, op="PUT")
    assert writes
    for write in writes:
        request = ob.request_of(evs, write)
        assert request is not None and request.target == "kube-apiserver" and request.api is not None
        assert ob.stored_by(evs, request) == write  # one write per request in the model


def test_writes_by_revision_match_the_store_history():
    """Every entry of the store's history has the etcd write that made it, at the same revision and key."""
    require_components()
    run = scenario_run("despliegue-basico.yaml")
    by_revision = ob.writes_by_revision(run.events)
    traced = [h for h in run.history if h.revision in by_revision]
    assert traced
    for h in traced:
        write = by_revision[h.revision]
        assert ob.revision(write) == h.revision and write.etcd_key == h.kv.key and write.op == h.type
    pods = ob.writes_by_revision(run.events, kind="Pod")
    assert pods and all(e.obj is not None and e.obj.kind == "Pod" for e in pods.values())
    assert list(pods) == sorted(pods)  # trace order is revision order


def test_object_and_kind_history_use_the_registry_layout():
    require_components()
    run = scenario_run("despliegue-basico.yaml")
    node = ob.object_history(run.history, "Node", "node-1")
    assert node and {h.kv.key for h in node} == {"/registry/minions/node-1"}  # a Node's key is under minions
    assert [h.revision for h in node] == sorted(h.revision for h in node)
    slices = ob.kind_history(run.history, "EndpointSlice", "default")
    assert slices and all(h.kv.key.startswith("/registry/endpointslices/default/") for h in slices)
    replica_sets = ob.kind_history(run.history, "ReplicaSet")
    assert {h.kv.value["metadata"]["name"] for h in replica_sets} == {r["metadata"]["name"]
                                                                      for r in run.objects_of("ReplicaSet")}


def test_bindings_name_the_node_and_agree_with_where_the_pod_ran():
    require_components()
    evs = scenario_run("despliegue-basico.yaml").events
    binds = ob.bindings(evs)
    assert binds and all(e.source == "kube-scheduler" and e.api and e.api.subresource == "binding" for e in binds)
    for bind in binds:
        assert bind.api is not None and bind.api.name is not None
        assert ob.pod_node(evs, f"{bind.api.namespace}/{bind.api.name}") == bind.get("node")
        assert ob.bindings(evs, pod=bind.api.name, node=bind.get("node")) == [bind]


def test_node_lease_writes_are_a_create_then_periodic_renewals():
    require_components()
    evs = scenario_run("despliegue-basico.yaml").events
    writes = ob.node_lease_writes(evs, "node-1")
    assert [e.api.verb for e in writes if e.api][:2] == ["POST", "PUT"]
    assert all(e.source == "kubelet/node-1" for e in writes)
    renewals = ob.node_lease_writes(evs, "node-1", verb="PUT")
    assert renewals == writes[1:]
    assert len({b.time_ms - a.time_ms for a, b in zip(renewals, renewals[1:])}) == 1  # one renewal interval


def test_write_requests_are_every_verb_but_get():
    require_components()
    evs = scenario_run("despliegue-basico.yaml").events
    writes = ob.write_requests(evs)
    assert writes and {e.api.verb for e in writes if e.api} <= {"POST", "PUT", "PATCH", "DELETE"}
    assert len(writes) + len(ob.requests(evs, verb="GET")) == len(ob.requests(evs))
    assert ob.write_requests(evs, source="kubectl") == [e for e in writes if e.source == "kubectl"]


def test_cloud_calls_name_the_method_and_the_object():
    require_components()
    evs = scenario_run("nodo-sin-inicializar.yaml").events
    metadata = ob.cloud_calls(evs, op="InstanceMetadata")
    assert metadata and all(e.kind == "cloud" and e.obj is not None and e.obj.kind == "Node" for e in metadata)
    assert ob.cloud_calls(evs, after=metadata[0].seq) == [e for e in ob.cloud_calls(evs) if e.seq > metadata[0].seq]


def test_created_before_finds_the_pod_a_successful_create_reports():
    require_components()
    evs = scenario_run("nodo-falla.yaml").events
    created = ob.kube_events(evs, source="replicaset-controller", reason="SuccessfulCreate")
    assert created
    for event in created:
        ref = ob.created_before(evs, source="replicaset-controller", resource="pods", before=event.seq)
        assert ref is not None and ref.kind == "Pod" and event.note is not None
        assert event.note.message == f"Created pod: {ref.name}"  # replica_set.go: "Created pod: %v"
    assert ob.created_before(evs, source="replicaset-controller", resource="pods", before=0) is None
