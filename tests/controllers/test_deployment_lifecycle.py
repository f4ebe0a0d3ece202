"""Deployment rollback to an old template, pause/resume and progress deadline, over a real APIServer + Clock."""

from __future__ import annotations

from k8sdocs.model.controllers import deployment_util as du
from k8sdocs.model.controllers.manager import KubeControllerManager


def _start(h, ready_after_ms: int | None = 200):
    clock, trace, api = h.make_api()
    KubeControllerManager(api.client, clock, trace).start()
    if ready_after_ms is not None:
        h.FakeKubelet(api, clock, ready_after_ms=ready_after_ms)
    return clock, trace, api, api.client("kubectl")


def _set_image(k, image: str) -> None:
    d = k.get("Deployment", "web", "default")
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    k.update(d)


def _progressing(k) -> dict:
    d = k.get("Deployment", "web", "default")
    return du.get_deployment_condition(d["status"], "Progressing")


def test_rollback_to_an_old_template_reuses_its_replicaset_and_keeps_revision_history(h) -> None:
    clock, trace, api, k = _start(h)
    k.create(h.deployment("web", 2))
    clock.run_until(5_000)
    _set_image(k, "nginx:1.28")
    clock.run_until(15_000)
    _set_image(k, "nginx:1.27")
    clock.run_until(25_000)
    rss = k.list("ReplicaSet", "default")
    assert len(rss) == 2
    by_image = {r["spec"]["template"]["spec"]["containers"][0]["image"]: r for r in rss}
    back = by_image["nginx:1.27"]["metadata"]["annotations"]
    assert back[du.REVISION_ANNOTATION] == "3" and back[du.REVISION_HISTORY_ANNOTATION] == "1"
    assert by_image["nginx:1.27"]["spec"]["replicas"] == 2 and by_image["nginx:1.28"]["spec"]["replicas"] == 0
    assert k.get("Deployment", "web", "default")["metadata"]["annotations"][du.REVISION_ANNOTATION] == "3"


def test_paused_deployment_does_not_roll_out_until_resumed(h) -> None:
    clock, trace, api, k = _start(h)
    k.create(h.deployment("web", 2))
    clock.run_until(5_000)
    d = k.get("Deployment", "web", "default")
    d["spec"]["paused"] = True
    k.update(d)
    clock.run_until(6_000)
    cond = _progressing(k)
    assert (cond["status"], cond["reason"], cond["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    _set_image(k, "nginx:1.28")
    clock.run_until(10_000)
    assert len(k.list("ReplicaSet", "default")) == 1
    d = k.get("Deployment", "web", "default")
    d["spec"]["paused"] = False
    k.update(d)
    clock.run_until(20_000)
    assert len(k.list("ReplicaSet", "default")) == 2
    cond = _progressing(k)
    assert (cond["status"], cond["reason"]) == ("True", "NewReplicaSetAvailable")


def test_progress_deadline_exceeded_when_pods_never_become_ready(h) -> None:
    clock, trace, api, k = _start(h, ready_after_ms=None)  # no kubelet: pods stay Pending
    d = h.deployment("web", 2)
    d["spec"]["progressDeadlineSeconds"] = 30
    k.create(d)
    clock.run_until(20_000)
    cond = _progressing(k)
    assert cond["status"] == "True" and cond["reason"] in ("NewReplicaSetCreated", "ReplicaSetUpdated")
    clock.run_until(60_000)
    cond = _progressing(k)
    rs = k.list("ReplicaSet", "default")[0]["metadata"]["name"]
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False", "ProgressDeadlineExceeded", f'ReplicaSet "{rs}" has timed out progressing.')
    # requeueStuckDeployment: lastUpdateTime (0 s) + progressDeadlineSeconds (30 s) + 1 s of skew margin
    assert cond["lastUpdateTime"] == "2025-12-17T00:00:31Z"
    avail = du.get_deployment_condition(k.get("Deployment", "web", "default")["status"], "Available")
    assert (avail["status"], avail["reason"]) == ("False", "MinimumReplicasUnavailable")


def test_min_ready_seconds_delays_availability(h) -> None:
    clock, trace, api, k = _start(h, ready_after_ms=1000)
    d = h.deployment("web", 2)
    d["spec"]["minReadySeconds"] = 10
    k.create(d)
    clock.run_until(10_500)
    st = k.get("Deployment", "web", "default")["status"]
    assert st.get("readyReplicas") == 2 and not st.get("availableReplicas")
    # ready at 1 s + minReadySeconds 10 s: available at 11 s, when the ReplicaSet is requeued (AddAfter)
    clock.run_until(10_999)
    assert not k.list("ReplicaSet", "default")[0]["status"].get("availableReplicas")
    clock.run_until(11_000)
    st = k.get("Deployment", "web", "default")["status"]
    assert st["availableReplicas"] == 2
    rs = k.list("ReplicaSet", "default")[0]
    assert rs["spec"]["minReadySeconds"] == 10


def test_replica_failure_of_the_new_replicaset_shows_on_the_deployment(h) -> None:
    clock, trace, api, k = _start(h)
    d = h.deployment("web", 2)
    d["spec"]["template"]["spec"]["priorityClassName"] = "missing"  # admission rejects the pods
    k.create(d)
    clock.run_until(2_000)
    cond = du.get_deployment_condition(k.get("Deployment", "web", "default")["status"], "ReplicaFailure")
    rs_cond = k.list("ReplicaSet", "default")[0]["status"]["conditions"][0]
    assert (cond["status"], cond["reason"], cond["message"]) == ("True", "FailedCreate", rs_cond["message"])
    assert cond["lastUpdateTime"] == rs_cond["lastTransitionTime"]
