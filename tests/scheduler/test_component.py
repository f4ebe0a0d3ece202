"""kube-scheduler component against the real simulated API server (k8sdocs/model/apiserver/)."""

from __future__ import annotations

import pytest

from k8sdocs.model import observe as ob
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.scheduler.component import KubeScheduler
from k8sdocs.model.scheduler.schedule_one import Scheduler
from k8sdocs.model.trace import Trace


def node(name: str, cpu: str = "2", taints: list | None = None) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
        "spec": {"taints": taints or []},
        "status": {"capacity": {"cpu": cpu, "memory": "4Gi", "pods": "110"},
                   "allocatable": {"cpu": cpu, "memory": "4Gi", "pods": "110"}},
    }


def pod(name: str, cpu: str = "500m", priority_class: str | None = None) -> dict:
    spec: dict = {"containers": [{"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": cpu}}}]}
    if priority_class:
        spec["priorityClassName"] = priority_class
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"}, "spec": spec}


@pytest.fixture()
def cluster():
    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace)
    kubectl = api.client("kubectl")
    sched = KubeScheduler(api.client("kube-scheduler"), clock, trace, Scheduler(seed=7))
    sched.start()
    return clock, trace, api, kubectl, sched


def _events(kubectl, reason):
    return [e for e in kubectl.list("Event", "default") if e.get("reason") == reason]


def test_binds_pod_and_emits_scheduled_event(cluster):
    clock, trace, api, kubectl, sched = cluster
    kubectl.create(node("node-1"))
    kubectl.create(pod("web-1"))
    clock.run_until_idle(60_000)
    bound = kubectl.get("Pod", "web-1", "default")
    assert bound["spec"]["nodeName"] == "node-1"
    [ev] = _events(kubectl, "Scheduled")
    assert ev["message"] == "Successfully assigned default/web-1 to node-1"  # schedule_one.go Eventf format
    assert ev["type"] == "Normal"
    assert ev.get("action") == "Binding"
    [decision] = ob.decisions(trace.events, source="kube-scheduler")
    assert (decision.code, decision.get("pod"), decision.get("node")) == ("NodeSelected", "default/web-1", "node-1")
    assert decision.get("score") is None  # the only feasible node is not scored
    [binding] = ob.requests(trace.events, source="kube-scheduler", verb="POST", resource="pods", name="web-1",
                            subresource="binding")
    assert binding.api is not None and binding.api.path == "/api/v1/namespaces/default/pods/web-1/binding"


def test_unschedulable_then_retried_when_a_node_is_added(cluster):
    clock, trace, api, kubectl, sched = cluster
    kubectl.create(node("small", cpu="1"))
    kubectl.create(pod("big", cpu="1500m"))
    clock.run_until_idle(5_000)
    p = kubectl.get("Pod", "big", "default")
    assert not p["spec"].get("nodeName")
    cond = next(c for c in p["status"]["conditions"] if c["type"] == "PodScheduled")
    expected = (
        "0/1 nodes are available: 1 Insufficient cpu. "
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    )
    assert (cond["status"], cond["reason"], cond["message"]) == ("False", "Unschedulable", expected)
    [ev] = _events(kubectl, "FailedScheduling")
    assert (ev["type"], ev["message"], ev.get("action")) == ("Warning", expected, "Scheduling")
    [decision] = ob.decisions(trace.events, source="kube-scheduler")
    assert (decision.code, decision.get("pod"), decision.get("message")) == ("FailedScheduling", "default/big", expected)
    kubectl.create(node("large", cpu="4"))
    clock.run_until_idle(60_000)
    assert kubectl.get("Pod", "big", "default")["spec"]["nodeName"] == "large"


class _RejectingBinder:
    """The scheduler's client, except that the first binding is rejected (as a conflicting POST .../binding is)."""

    def __init__(self, client):
        self._client = client
        self.rejected = False

    def __getattr__(self, name):
        return getattr(self._client, name)

    def bind(self, namespace, name, node):
        if not self.rejected:
            self.rejected = True
            raise APIError(409, "Conflict", "binding rejected")
        return self._client.bind(namespace, name, node)


def test_rejected_binding_is_a_decision_and_the_pod_is_retried():
    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace)
    kubectl = api.client("kubectl")
    KubeScheduler(_RejectingBinder(api.client("kube-scheduler")), clock, trace, Scheduler(seed=7)).start()
    kubectl.create(node("node-1"))
    kubectl.create(pod("web-1"))
    clock.run_until_idle(60_000)
    assert [(d.code, d.get("pod"), d.get("node"), d.get("error")) for d in ob.decisions(trace.events)] == [
        ("NodeSelected", "default/web-1", "node-1", None),
        ("BindingFailed", "default/web-1", "node-1", "binding rejected"),
        ("NodeSelected", "default/web-1", "node-1", None),
    ]
    assert kubectl.get("Pod", "web-1", "default")["spec"]["nodeName"] == "node-1"


def test_backoff_doubles_from_one_second_to_ten():
    sched = KubeScheduler(None, Clock(), None, Scheduler())
    assert [sched._backoff_ms(n) for n in range(1, 7)] == [1000, 2000, 4000, 8000, 10000, 10000]


def test_queue_orders_by_priority_then_arrival(cluster):
    clock, trace, api, kubectl, sched = cluster
    kubectl.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                    "value": 1000})
    kubectl.create(node("node-1", cpu="1"))
    kubectl.create(pod("low", cpu="800m"))
    kubectl.create(pod("high", cpu="800m", priority_class="high"))
    clock.run_until_idle(2_000)
    # both are queued before the first cycle: the high-priority pod is scheduled first and gets the only room
    assert kubectl.get("Pod", "high", "default")["spec"].get("nodeName") == "node-1"
    assert not kubectl.get("Pod", "low", "default")["spec"].get("nodeName")


def test_same_inputs_same_trace():
    def run() -> str:
        clock = Clock()
        trace = Trace(clock)
        api = APIServer(clock, trace)
        kubectl = api.client("kubectl")
        KubeScheduler(api.client("kube-scheduler"), clock, trace, Scheduler(seed=3)).start()
        for i in range(3):
            kubectl.create(node(f"node-{i}"))
        for i in range(5):
            kubectl.create(pod(f"web-{i}", cpu="300m"))
        clock.run_until_idle(60_000)
        return trace.to_text()

    assert run() == run()


def test_preemption_nominates_deletes_victim_and_then_binds(cluster):
    clock, trace, api, kubectl, sched = cluster
    kubectl.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                    "value": 1000})
    kubectl.create(node("node-1", cpu="1"))
    kubectl.create(pod("low", cpu="800m"))
    clock.run_until_idle(2_000)
    assert kubectl.get("Pod", "low", "default")["spec"]["nodeName"] == "node-1"
    kubectl.create(pod("high", cpu="800m", priority_class="high"))
    clock.run_until(clock.now_ms + 500)  # first attempt fails, preempts, and backs off for 1 s
    high = kubectl.get("Pod", "high", "default")
    assert high["status"].get("nominatedNodeName") == "node-1"
    assert not high["spec"].get("nodeName")
    assert "low" not in [p["metadata"]["name"] for p in kubectl.list("Pod", "default")]
    clock.run_until_idle(60_000)
    high = kubectl.get("Pod", "high", "default")
    assert high["spec"].get("nodeName") == "node-1"
    [ev] = _events(kubectl, "Preempted")
    assert ev["message"] == f"Preempted by pod {high['metadata']['uid']} on node node-1"


def test_default_topology_spread_reads_replicasets_through_the_handle(cluster):
    """Pods owned by a ReplicaSet get the system default spread constraints (PodTopologySpread DefaultSelector
    reads ReplicaSets through the scheduler's informers)."""
    clock, trace, api, kubectl, sched = cluster
    assert "PodTopologySpread" in sched.scheduler.framework.weights
    for i in range(3):
        kubectl.create(node(f"node-{i}", cpu="4"))
    rs = kubectl.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web", "namespace": "default"},
                         "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                                  "template": {"metadata": {"labels": {"app": "web"}},
                                               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    clock.run_until_idle(1_000)
    assert [o["metadata"]["name"] for o in sched._list_objects("ReplicaSet")] == ["web"]
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": rs["metadata"]["uid"], "controller": True}
    for i in range(3):
        p = pod(f"web-{i}", cpu="100m")
        p["metadata"]["labels"] = {"app": "web"}
        p["metadata"]["ownerReferences"] = [owner]
        kubectl.create(p)
        clock.run_until_idle(10_000)
    placed = sorted(kubectl.get("Pod", f"web-{i}", "default")["spec"]["nodeName"] for i in range(3))
    assert placed == ["node-0", "node-1", "node-2"]  # spread one per node
    pts = [r.scores.get("PodTopologySpread") for r in sched.results if r.scores]
    assert pts and all(s is not None for s in pts)


class _BrokenBinder(_RejectingBinder):
    def bind(self, namespace, name, node):
        raise TypeError("a bug in the client")


def test_a_bug_while_binding_is_not_taken_for_an_api_error():
    """Only API errors are a rejected binding; any other exception is a model bug and must surface."""
    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace)
    kubectl = api.client("kubectl")
    KubeScheduler(_BrokenBinder(api.client("kube-scheduler")), clock, trace, Scheduler(seed=7)).start()
    kubectl.create(node("node-1"))
    kubectl.create(pod("web-1"))
    with pytest.raises(TypeError, match="a bug in the client"):
        clock.run_until_idle(60_000)
