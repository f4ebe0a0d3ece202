"""ReplicaSet and Deployment controllers over a real APIServer + Clock (with a fake kubelet that marks pods Ready)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sdocs.model import observe as ob
from k8sdocs.model.controllers import deployment_util as du
from k8sdocs.model.controllers.deployment import DeploymentController
from k8sdocs.model.controllers.manager import KubeControllerManager
from k8sdocs.model.controllers.replicaset import ReplicaSetController

POD_NAME = re.compile(r"^rs-[bcdfghjklmnpqrstvwxz2456789]{5}$")


def _events(trace, reason: str) -> list[str]:
    return [f"{e.note.type} {e.note.reason} {e.note.message}" for e in ob.kube_events(trace.events, reason=reason)]


def test_replicaset_scales_up_in_slow_start_batches_and_down(h) -> None:
    clock, trace, api = h.make_api()
    ReplicaSetController(api.client("replicaset-controller"), clock, trace).start()
    k = api.client("kubectl")
    k.create(h.replicaset("rs", 3))
    clock.run_until(1000)
    pods = k.list("Pod", "default")
    assert len(pods) == 3
    for p in pods:
        assert POD_NAME.match(p["metadata"]["name"])  # generateName "rs-" + 5 chars of the apiserver alphabet
        assert p["metadata"]["generateName"] == "rs-"
        assert p["metadata"]["labels"] == {"app": "rs"}
        ref = p["metadata"]["ownerReferences"][0]
        assert (ref["kind"], ref["name"], ref["controller"], ref["blockOwnerDeletion"]) == ("ReplicaSet", "rs", True, True)
    created = _events(trace, "SuccessfulCreate")
    assert sorted(created) == sorted(f"Normal SuccessfulCreate Created pod: {p['metadata']['name']}" for p in pods)
    create = ob.decisions(trace.events, source="replicaset-controller", code="SuccessfulCreate")
    assert create[0].get("batches") == "1,2" and create[0].obj is not None and create[0].obj.name == "rs"
    rs = k.get("ReplicaSet", "rs", "default")
    # JSON order of ReplicaSetStatus; terminatingReplicas shown (DeploymentReplicaSetTerminatingReplicas, beta in v1.35)
    assert list(rs["status"].items()) == [("replicas", 3), ("fullyLabeledReplicas", 3), ("terminatingReplicas", 0),
                                          ("observedGeneration", 1)]
    # events come from the replicaset-controller component
    ev = [e for e in k.list("Event", "default") if e["reason"] == "SuccessfulCreate"]
    assert {e["source"]["component"] for e in ev} == {"replicaset-controller"}

    rs["spec"]["replicas"] = 1
    k.update(rs)
    clock.run_until(2000)
    left = k.list("Pod", "default")
    assert len(left) == 1
    deleted = _events(trace, "SuccessfulDelete")
    assert len(deleted) == 2 and all(re.fullmatch(r"Normal SuccessfulDelete Deleted pod: rs-\w{5}", d) for d in deleted)
    rs = k.get("ReplicaSet", "rs", "default")
    assert rs["status"]["replicas"] == 1 and rs["status"]["observedGeneration"] == 2


def test_replicaset_deletes_not_ready_pods_first(h) -> None:
    clock, trace, api = h.make_api()
    ReplicaSetController(api.client("replicaset-controller"), clock, trace).start()
    k = api.client("kubectl")
    k.create(h.replicaset("rs", 3))
    clock.run_until(100)
    names = sorted(p["metadata"]["name"] for p in k.list("Pod", "default"))
    # two pods become Ready, one stays not ready
    for name in names[:2]:
        pod = k.get("Pod", name, "default")
        pod["status"].update(phase="Running", conditions=[{"type": "Ready", "status": "True",
                                                           "lastTransitionTime": clock.timestamp()}])
        k.update_status(pod)
    clock.run_until(200)
    rs = k.get("ReplicaSet", "rs", "default")
    assert rs["status"]["readyReplicas"] == 2 and rs["status"]["availableReplicas"] == 2
    rs["spec"]["replicas"] = 2
    k.update(rs)
    clock.run_until(300)
    assert sorted(p["metadata"]["name"] for p in k.list("Pod", "default")) == names[:2]


def test_deployment_creates_replicaset_and_pods(h) -> None:
    clock, trace, api = h.make_api()
    KubeControllerManager(api.client, clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=500)
    k = api.client("kubectl")
    k.create(h.deployment("web", 3))
    clock.run_until(5000)
    rss = k.list("ReplicaSet", "default")
    assert len(rss) == 1
    rs = rss[0]
    pod_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert re.fullmatch(r"[4-9bcdf]{1,10}", pod_hash)
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "web", "pod-template-hash": pod_hash}
    ann = rs["metadata"]["annotations"]
    assert ann[du.REVISION_ANNOTATION] == "1"
    assert ann[du.DESIRED_REPLICAS_ANNOTATION] == "3" and ann[du.MAX_REPLICAS_ANNOTATION] == "4"
    d = k.get("Deployment", "web", "default")
    assert d["metadata"]["annotations"][du.REVISION_ANNOTATION] == "1"
    st_ = d["status"]
    assert [k for k in st_] == ["observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                                "availableReplicas", "terminatingReplicas", "conditions"]
    assert (st_["replicas"], st_["updatedReplicas"], st_["readyReplicas"], st_["availableReplicas"]) == (3, 3, 3, 3)
    assert st_["terminatingReplicas"] == 0
    conds = {c["type"]: (c["status"], c["reason"], c["message"]) for c in st_["conditions"]}
    assert conds["Available"] == ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
    assert conds["Progressing"] == ("True", "NewReplicaSetAvailable",
                                    f'ReplicaSet "{rs["metadata"]["name"]}" has successfully progressed.')
    pods = k.list("Pod", "default")
    assert len(pods) == 3 and all(p["metadata"]["labels"]["pod-template-hash"] == pod_hash for p in pods)
    assert _events(trace, "ScalingReplicaSet") == [
        f"Normal ScalingReplicaSet Scaled up replica set {rs['metadata']['name']} from 0 to 3"]
    sources = {e["reason"]: e["source"]["component"] for e in k.list("Event", "default")}
    assert sources["ScalingReplicaSet"] == "deployment-controller"
    assert sources["SuccessfulCreate"] == "replicaset-controller"


def test_scaling_event_resizes_the_replicaset_with_from_to_message(h) -> None:
    clock, trace, api = h.make_api()
    KubeControllerManager(api.client, clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=500)
    k = api.client("kubectl")
    k.create(h.deployment("web", 3))
    clock.run_until(5000)
    d = k.get("Deployment", "web", "default")
    d["spec"]["replicas"] = 5
    k.update(d)
    clock.run_until(10000)
    rs = k.list("ReplicaSet", "default")[0]
    assert rs["spec"]["replicas"] == 5
    assert _events(trace, "ScalingReplicaSet")[-1] == \
        f"Normal ScalingReplicaSet Scaled up replica set {rs['metadata']['name']} from 3 to 5"
    d = k.get("Deployment", "web", "default")
    d["spec"]["replicas"] = 2
    k.update(d)
    clock.run_until(15000)
    assert _events(trace, "ScalingReplicaSet")[-1] == \
        f"Normal ScalingReplicaSet Scaled down replica set {rs['metadata']['name']} from 5 to 2"
    assert len(k.list("Pod", "default")) == 2


def _rollout(h, replicas: int, surge: object, unavailable: object, ready_ms: int = 700):
    """Run a rollout from nginx:1.27 to nginx:1.28 and check the bounds at every pod write."""
    clock, trace, api = h.make_api()
    KubeControllerManager(api.client, clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=ready_ms)
    k = api.client("kubectl")
    k.create(h.deployment("web", replicas, type="RollingUpdate",
                          rollingUpdate={"maxSurge": surge, "maxUnavailable": unavailable}))
    clock.run_until(20_000)
    max_surge, max_unavailable = du.resolve_fenceposts(surge, unavailable, replicas)
    max_unavailable = min(max_unavailable, replicas)
    violations: list[str] = []

    def check(_ev) -> None:
        pods = [kv.value for kv in api.store.range("/registry/pods/default/")]
        ready = sum(1 for p in pods if any(c.get("type") == "Ready" and c.get("status") == "True"
                                           for c in (p.get("status") or {}).get("conditions") or []))
        if len(pods) > replicas + max_surge:
            violations.append(f"t={clock.now_ms}: {len(pods)} pods > {replicas} + {max_surge}")
        if ready < replicas - max_unavailable:
            violations.append(f"t={clock.now_ms}: {ready} ready < {replicas} - {max_unavailable}")

    api.store.watch("/registry/pods/", check)
    d = k.get("Deployment", "web", "default")
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    k.update(d)
    clock.run_until(200_000)
    return k, trace, violations


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(replicas=st.integers(1, 10),
       surge=st.one_of(st.integers(0, 4), st.sampled_from(["0%", "10%", "25%", "33%", "50%", "100%"])),
       unavailable=st.one_of(st.integers(0, 4), st.sampled_from(["0%", "10%", "25%", "33%", "50%", "100%"])),
       ready_ms=st.sampled_from([1, 300, 700, 2500]))
def test_rolling_update_respects_max_surge_and_max_unavailable(h, replicas, surge, unavailable, ready_ms) -> None:
    # validation rejects maxSurge and maxUnavailable both literally 0
    if str(surge) in ("0", "0%") and str(unavailable) in ("0", "0%"):
        return
    k, trace, violations = _rollout(h, replicas, surge, unavailable, ready_ms)
    assert violations == []
    pods = k.list("Pod", "default")
    assert len(pods) == replicas
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.28" for p in pods)
    d = k.get("Deployment", "web", "default")
    assert d["metadata"]["annotations"][du.REVISION_ANNOTATION] == "2"
    assert d["status"]["updatedReplicas"] == replicas and d["status"]["availableReplicas"] == replicas


def test_rolling_update_event_sequence_for_three_replicas(h) -> None:
    # replicas 3, 25%/25% -> surge 1, unavailable 0: up new to 1, down old to 2, up new to 2, ... (one at a time)
    k, trace, violations = _rollout(h, 3, "25%", "25%")
    assert violations == []
    rss = {rs["metadata"]["annotations"][du.REVISION_ANNOTATION]: rs["metadata"]["name"] for rs in k.list("ReplicaSet", "default")}
    old, new = rss["1"], rss["2"]
    msgs = [m.removeprefix("Normal ScalingReplicaSet ") for m in _events(trace, "ScalingReplicaSet")][1:]
    assert msgs == [
        f"Scaled up replica set {new} from 0 to 1",
        f"Scaled down replica set {old} from 3 to 2",
        f"Scaled up replica set {new} from 1 to 2",
        f"Scaled down replica set {old} from 2 to 1",
        f"Scaled up replica set {new} from 2 to 3",
        f"Scaled down replica set {old} from 1 to 0",
    ]


def test_recreate_deletes_old_pods_before_creating_new_ones(h) -> None:
    clock, trace, api = h.make_api()
    KubeControllerManager(api.client, clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=500)
    k = api.client("kubectl")
    k.create(h.deployment("web", 2, type="Recreate"))
    clock.run_until(5000)
    seen: list[tuple[int, int]] = []

    def watch(_ev) -> None:
        pods = [kv.value for kv in api.store.range("/registry/pods/default/")]
        images = {p["spec"]["containers"][0]["image"] for p in pods}
        seen.append((len(pods), len(images)))
    api.store.watch("/registry/pods/", watch)
    d = k.get("Deployment", "web", "default")
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    k.update(d)
    clock.run_until(20000)
    assert all(n_images <= 1 for _, n_images in seen)  # never old and new pods together
    pods = k.list("Pod", "default")
    assert len(pods) == 2 and {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.28"}


def test_revision_history_limit_deletes_oldest_empty_replicasets(h) -> None:
    clock, trace, api = h.make_api()
    DeploymentController(api.client("deployment-controller"), clock, trace).start()
    ReplicaSetController(api.client("replicaset-controller"), clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=100)
    k = api.client("kubectl")
    d = h.deployment("web", 1)
    d["spec"]["revisionHistoryLimit"] = 2
    k.create(d)
    clock.run_until(3000)
    for i in range(5):
        d = k.get("Deployment", "web", "default")
        d["spec"]["template"]["spec"]["containers"][0]["image"] = f"nginx:1.{30 + i}"
        k.update(d)
        clock.run_until(clock.now_ms + 5000)
    revisions = sorted(int(rs["metadata"]["annotations"][du.REVISION_ANNOTATION]) for rs in k.list("ReplicaSet", "default"))
    assert revisions == [4, 5, 6]  # the new one plus revisionHistoryLimit = 2 old ones


def test_failed_creates_set_replica_failure_and_are_retried_with_backoff(h) -> None:
    clock, trace, api = h.make_api()
    ReplicaSetController(api.client("replicaset-controller"), clock, trace).start()
    k = api.client("kubectl")
    rs = h.replicaset("rs", 2)
    rs["spec"]["template"]["spec"]["priorityClassName"] = "missing"  # Priority admission rejects every pod
    k.create(rs)
    clock.run_until(100)
    rs = k.get("ReplicaSet", "rs", "default")
    cond = rs["status"]["conditions"][0]
    assert (cond["type"], cond["status"], cond["reason"]) == ("ReplicaFailure", "True", "FailedCreate")
    failed = ob.kube_events(trace.events, reason="FailedCreate")
    assert failed and failed[0].note.type == "Warning" and failed[0].note.message.startswith("Error creating: ")
    # the status update re-queues the key at once (updateRS); then per-item exponential backoff 5 ms, 10 ms, 20 ms,
    # 40 ms ... with one waiting entry per key (workqueue.DefaultTypedControllerRateLimiter + delaying queue)
    posts = [e.time_ms for e in ob.requests(trace.events, source="replicaset-controller", verb="POST", resource="pods",
                                            namespace="default", name=None)]
    assert posts[:5] == [0, 0, 5, 25, 65]


def test_deleting_a_deployment_cascades_to_replicasets_and_pods(h) -> None:
    clock, trace, api = h.make_api()
    KubeControllerManager(api.client, clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=200)
    k = api.client("kubectl")
    k.create(h.deployment("web", 3))
    clock.run_until(3000)
    assert len(k.list("Pod", "default")) == 3
    k.delete("Deployment", "web", "default")
    clock.run_until(4000)
    assert k.list("ReplicaSet", "default") == [] and k.list("Pod", "default") == []
    gc = ob.requests(trace.events, source="generic-garbage-collector", verb="DELETE", namespace="default")
    assert sorted((e.api.group, e.api.resource) for e in gc) == [("", "pods")] * 3 + [("apps", "replicasets")]


def test_replicaset_adopts_matching_orphans_and_deletes_the_surplus(h) -> None:
    # docs "Non-Template Pod acquisitions": bare pods with the ReplicaSet's labels count towards its replicas
    clock, trace, api = h.make_api()
    ReplicaSetController(api.client("replicaset-controller"), clock, trace).start()
    k = api.client("kubectl")
    for name in ("pod1", "pod2"):
        k.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default",
                                                                  "labels": {"app": "rs"}},
                  "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    k.create(h.replicaset("rs", 1))
    clock.run_until(1000)
    pods = k.list("Pod", "default")
    assert len(pods) == 1  # both adopted, then one deleted: no pod created from the template
    assert pods[0]["metadata"]["name"] in ("pod1", "pod2")
    assert pods[0]["metadata"]["ownerReferences"][0]["name"] == "rs"
    assert not ob.kube_events(trace.events, reason="SuccessfulCreate")
    # a pod whose labels stop matching is released (and replaced)
    p = k.get("Pod", pods[0]["metadata"]["name"], "default")
    p["metadata"]["labels"] = {"app": "other"}
    k.update(p)
    clock.run_until(2000)
    released = k.get("Pod", p["metadata"]["name"], "default")
    assert not released["metadata"].get("ownerReferences")
    assert len(k.list("Pod", "default", label_selector={"app": "rs"})) == 1


def test_deployment_adopts_an_orphan_replicaset_with_its_template(h) -> None:
    clock, trace, api = h.make_api()
    KubeControllerManager(api.client, clock, trace).start()
    h.FakeKubelet(api, clock, ready_after_ms=100)
    k = api.client("kubectl")
    k.create(h.deployment("web", 2))
    clock.run_until(3000)
    rs_name = k.list("ReplicaSet", "default")[0]["metadata"]["name"]
    k.delete("Deployment", "web", "default")
    # before the garbage collector acts (same instant), recreate: the orphaned ReplicaSet is adopted, not duplicated
    clock.run_until(3000)
    assert k.list("ReplicaSet", "default") == []  # background deletion already removed it
    rs = h.replicaset("web", 2)
    rs["metadata"]["labels"] = {"app": "web"}
    rs["spec"]["selector"] = {"matchLabels": {"app": "web"}}
    k.create(rs)
    clock.run_until(4000)
    k.create(h.deployment("other", 1))  # a Deployment that does not select it leaves it alone
    d = h.deployment("web2", 2)
    d["spec"]["selector"] = {"matchLabels": {"app": "web"}}
    d["spec"]["template"]["metadata"]["labels"] = {"app": "web"}
    k.create(d)
    clock.run_until(10_000)
    owners = {r["metadata"]["name"]: [o["name"] for o in r["metadata"].get("ownerReferences", [])]
              for r in k.list("ReplicaSet", "default")}
    assert owners["web"] == ["web2"]
    adopted = ob.decisions(trace.events, source="deployment-controller", code="ReplicaSetAdopted")
    assert [(e.get("deployment"), e.get("replicaset")) for e in adopted] == [("web2", "web")]
    assert rs_name not in owners
