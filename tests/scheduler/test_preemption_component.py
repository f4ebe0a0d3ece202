"""kube-scheduler preemption against the real simulated API server: each victim gets the DisruptionTarget condition
before it is deleted, then the "Preempted" event (pkg/scheduler/framework/preemption/preemption.go@98be7dfc5da8533f
62c063206c5751e884d6294d, Evaluator.PreemptPod; condition helper pkg/api/v1/pod/util.go UpdatePodCondition)."""

from __future__ import annotations

from k8sdocs.model import observe as ob
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.scheduler.component import KubeScheduler, update_pod_condition
from k8sdocs.model.scheduler.schedule_one import Scheduler
from k8sdocs.model.trace import Trace

# preemption.go: Reason v1.PodReasonPreemptionByScheduler, Message "%s: preempting to accommodate a higher priority
# pod" with the preemptor's schedulerName.
CONDITION = {"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
             "message": "default-scheduler: preempting to accommodate a higher priority pod"}


def _node(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "status": {"capacity": {"cpu": "1", "memory": "4Gi", "pods": "110"},
                       "allocatable": {"cpu": "1", "memory": "4Gi", "pods": "110"}}}


def _pod(name: str, priority_class: str | None = None) -> dict:
    spec: dict = {"containers": [{"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": "800m"}}}]}
    if priority_class:
        spec["priorityClassName"] = priority_class
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"}, "spec": spec}


class _FailingStatusClient:
    """The scheduler's client, except that status writes fail (as a rejected PATCH would)."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        return getattr(self._client, name)

    def patch_status(self, kind, name, patch, namespace=None):
        if name == "low":
            raise APIError(422, "Invalid", "status write rejected")
        return self._client.patch_status(kind, name, patch, namespace)


def _cluster(wrap=None):
    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace)
    kubectl = api.client("kubectl")
    client = api.client("kube-scheduler")
    KubeScheduler(wrap(client) if wrap else client, clock, trace, Scheduler(seed=1)).start()
    kubectl.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                    "value": 1000})
    kubectl.create(_node("node-1"))
    kubectl.create(_pod("low"))
    clock.run_until_idle(2_000)
    assert kubectl.get("Pod", "low", "default")["spec"]["nodeName"] == "node-1"
    return clock, trace, kubectl


def _watch_low(kubectl) -> list[tuple[str, dict]]:
    seen: list[tuple[str, dict]] = []
    kubectl.watch("Pod", lambda ev, obj: seen.append((ev, obj)) if obj["metadata"]["name"] == "low" else None,
                  "default")
    return seen


def test_victim_is_marked_disruption_target_before_it_is_deleted():
    clock, trace, kubectl = _cluster()
    seen = _watch_low(kubectl)
    high = kubectl.create(_pod("high", "high"))
    clock.run_until(clock.now_ms + 500)
    with_condition = [(ev, obj) for ev, obj in seen
                      if any({k: c.get(k) for k in CONDITION} == CONDITION
                             for c in obj.get("status", {}).get("conditions", []))]
    assert [ev for ev, _ in with_condition] == ["MODIFIED", "DELETED"]
    assert [ev for ev, _ in seen][-2:] == ["MODIFIED", "DELETED"]
    requests = [(e.api.verb, e.api.subresource) for e in ob.requests(trace.events, source="kube-scheduler",
                                                                      resource="pods", namespace="default", name="low")
                if e.api is not None]
    # pkg/scheduler/framework/preemption/preemption.go prepareCandidate: util.PatchPodStatus, then util.DeletePod
    assert requests[-3:] == [("GET", None), ("PATCH", "status"), ("DELETE", None)]
    [event] = [e for e in kubectl.list("Event", "default") if e.get("reason") == "Preempted"]
    assert event["type"] == "Normal" and event.get("action") == "Preempting"
    assert event["involvedObject"]["name"] == "low"
    assert event["message"] == f"Preempted by pod {high['metadata']['uid']} on node node-1"
    assert kubectl.get("Pod", "high", "default")["status"]["nominatedNodeName"] == "node-1"


def test_failed_status_write_stops_the_preemption():
    clock, trace, kubectl = _cluster(_FailingStatusClient)
    kubectl.create(_pod("high", "high"))
    clock.run_until(clock.now_ms + 500)
    assert kubectl.get("Pod", "low", "default")["spec"]["nodeName"] == "node-1"  # not deleted
    assert not [e for e in kubectl.list("Event", "default") if e.get("reason") == "Preempted"]


def test_update_pod_condition_as_upstream():
    status: dict = {}
    assert update_pod_condition(status, CONDITION, "t1") is True
    assert status["conditions"] == [{**CONDITION, "lastTransitionTime": "t1"}]
    # Same condition again: nothing changes (no status write), the transition time is kept.
    assert update_pod_condition(status, CONDITION, "t2") is False
    assert status["conditions"][0]["lastTransitionTime"] == "t1"
    # Same status, another reason: replaced, transition time kept.
    assert update_pod_condition(status, {**CONDITION, "reason": "DeletionByTaintManager"}, "t3") is True
    assert status["conditions"] == [{**CONDITION, "reason": "DeletionByTaintManager", "lastTransitionTime": "t1"}]
    # Status flips: new transition time.
    assert update_pod_condition(status, {**CONDITION, "status": "False"}, "t4") is True
    assert status["conditions"][0]["lastTransitionTime"] == "t4"
