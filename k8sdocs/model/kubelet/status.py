"""Pod status: what the kubelet writes to ``pods/<name>/status`` and how.

* ``generateAPIPodStatus`` (``pkg/kubelet/kubelet_pods.go``) with the conditions of ``pkg/kubelet/status/generate.go``,
  in the order PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.
* The status manager (``pkg/kubelet/status/status_manager.go`` syncPod): GET the pod, then
  ``statusutil.PatchPodStatus``, a strategic-merge PATCH of the ``/status`` subresource with a ``metadata.uid``
  precondition, only when the status differs from the server's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from k8sdocs.model.api.qos import compute_pod_qos
from k8sdocs.model.clock import Clock
from k8sdocs.model.kubelet.pod_workers import PodState
from k8sdocs.model.runtime import normalize_image
from k8sdocs.model.strategicpatch import create_two_way_merge_patch

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.client import Client

# pkg/kubelet/status/generate.go
REASON_CONTAINERS_NOT_READY = "ContainersNotReady"
REASON_CONTAINERS_NOT_INITIALIZED = "ContainersNotInitialized"


def is_sidecar(container: dict[str, Any]) -> bool:
    """A restartable init container (``restartPolicy: Always`` on an init container, podutil.IsRestartableInitContainer)."""
    return container.get("restartPolicy") == "Always"


def _container_status(st: PodState, c: dict[str, Any], init: bool, clock: Clock) -> dict[str, Any]:
    name = c["name"]
    cid = st.containers.get(name)
    image = c.get("image", "")
    if cid is None:
        reason = "PodInitializing" if (not init and st.pod.get("spec", {}).get("initContainers")) else "ContainerCreating"
        waiting = {"reason": reason}
        if name in st.waiting:
            waiting = {"message": st.waiting[name][1], "reason": st.waiting[name][0]}
        return {"image": image, "imageID": "", "lastState": {}, "name": name, "ready": False,
                "restartCount": 0, "started": False, "state": {"waiting": waiting}}
    status: dict[str, Any] = {"containerID": f"containerd://{cid}", "image": normalize_image(image),
                              "imageID": st.image_ref.get(name, ""), "lastState": {}, "name": name,
                              "ready": bool(st.ready.get(name)), "restartCount": 0}
    if init and name in st.finished_ms and not is_sidecar(c):
        status["started"] = False
        status["state"] = {"terminated": {"containerID": f"containerd://{cid}", "exitCode": 0,
                                          "finishedAt": clock.timestamp(st.finished_ms[name]),
                                          "reason": "Completed",
                                          "startedAt": clock.timestamp(st.started_ms[name])}}
    elif name in st.started_ms:
        status["started"] = True
        status["state"] = {"running": {"startedAt": clock.timestamp(st.started_ms[name])}}
    else:
        status["started"] = False
        status["state"] = {"waiting": {"reason": "ContainerCreating"}}
    return status


def _condition(st: PodState, clock: Clock, ctype: str, status: str, reason: str = "",
               message: str = "") -> dict[str, Any]:
    old = st.condition_times.get(ctype)
    when = old[1] if old and old[0] == status else clock.timestamp()
    st.condition_times[ctype] = (status, when)
    cond: dict[str, Any] = {"type": ctype}
    generation = st.pod.get("metadata", {}).get("generation")
    if generation is not None:
        # PodObservedGenerationTracking (GA in v1.35): kubelet conditions carry the pod's generation
        cond["observedGeneration"] = generation
    cond.update({"status": status, "lastProbeTime": None, "lastTransitionTime": when})
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    return cond


def generate_pod_status(st: PodState, clock: Clock, host_ip: str) -> dict[str, Any]:
    """``generateAPIPodStatus`` + ``pkg/kubelet/status/generate.go`` for the states this model has."""
    spec = st.pod.get("spec", {})
    inits = spec.get("initContainers", [])
    containers = spec.get("containers", [])
    init_statuses = [_container_status(st, c, True, clock) for c in inits]
    statuses = [_container_status(st, c, False, clock) for c in containers]
    # isInitContainerInitialized: a sidecar counts once started, a regular init container once it succeeded
    incomplete = [c["name"] for c in inits
                  if not (c["name"] in st.started_ms if is_sidecar(c) else c["name"] in st.finished_ms)]
    # GenerateContainersReadyCondition: restartable init containers first, then the containers
    unready = [c["name"] for c in [i for i in inits if is_sidecar(i)] + containers if not st.ready.get(c["name"])]
    running = any(c["name"] in st.started_ms for c in containers)
    phase = "Running" if running and not incomplete else "Pending"
    conds = [_condition(st, clock, "PodReadyToStartContainers", "True" if st.sandbox_id else "False")]
    if incomplete and not running:
        conds.append(_condition(st, clock, "Initialized", "False", REASON_CONTAINERS_NOT_INITIALIZED,
                                f"containers with incomplete status: [{' '.join(incomplete)}]"))
    else:
        conds.append(_condition(st, clock, "Initialized", "True"))
    if unready:
        msg = f"containers with unready status: [{' '.join(unready)}]"
        conds.append(_condition(st, clock, "Ready", "False", REASON_CONTAINERS_NOT_READY, msg))
        conds.append(_condition(st, clock, "ContainersReady", "False", REASON_CONTAINERS_NOT_READY, msg))
    else:
        conds.append(_condition(st, clock, "Ready", "True"))
        conds.append(_condition(st, clock, "ContainersReady", "True"))
    scheduled = next((c for c in st.pod.get("status", {}).get("conditions", []) if c.get("type") == "PodScheduled"),
                     None)
    ps = _condition(st, clock, "PodScheduled", "True")
    ps["lastTransitionTime"] = (scheduled or {}).get("lastTransitionTime") or st.start_time
    conds.append(ps)
    status: dict[str, Any] = {"phase": phase, "conditions": conds}
    if host_ip:
        status["hostIP"] = host_ip
        status["hostIPs"] = [{"ip": host_ip}]
    if st.ip:
        status["podIP"] = st.ip
        status["podIPs"] = [{"ip": st.ip}]
    status["startTime"] = st.start_time
    if init_statuses:
        status["initContainerStatuses"] = init_statuses
    status["containerStatuses"] = statuses
    status["qosClass"] = st.pod.get("status", {}).get("qosClass") or compute_pod_qos(st.pod)
    if st.pod.get("metadata", {}).get("generation") is not None:
        # status_manager.go SetPodStatus: podutil.CalculatePodStatusObservedGeneration(pod)
        status["observedGeneration"] = st.pod["metadata"]["generation"]
    return status


class StatusManager:
    """The status manager: GET the pod, then PATCH ``pods/<name>/status`` when the status changed."""

    def __init__(self, client: Client, clock: Clock, host_ip: str, stopped: Callable[[], bool]) -> None:
        self.client = client
        self.clock = clock
        self.host_ip = host_ip    # the node's InternalIP (status.hostIP)
        self.stopped = stopped

    def set_pod_status(self, st: PodState, status: dict[str, Any] | None = None) -> None:
        """Post the pod's generated status, or ``status`` as given (a rejected pod's)."""
        if self.stopped() or st.deleted:
            return
        new_status = status if status is not None else generate_pod_status(st, self.clock, self.host_ip)
        # compare with what the API server holds (status manager's needsUpdate), not with our last post:
        # a status changed by someone else (node lifecycle controller) is re-asserted
        if new_status == st.pod.get("status") or (new_status == st.last_status and st.pod.get("status") is None):
            return
        # status_manager.go syncPod: GET the pod, then PatchPodStatus (two-way strategic-merge patch from the
        # server's status to the new one, with the pod's uid as precondition)
        meta = st.pod.get("metadata", {})
        try:
            pod = self.client.get("Pod", meta["name"], meta.get("namespace"))
        except Exception as err:
            if getattr(err, "code", None) == 404:
                return  # "Pod does not exist on the server"
            raise
        if pod.get("metadata", {}).get("uid") != st.uid:
            return  # a new pod with the same name: the status is for another pod
        patch = {"metadata": {"uid": st.uid}, "status": create_two_way_merge_patch(pod.get("status") or {}, new_status)}
        if not patch["status"]:
            st.pod, st.last_status = pod, new_status
            return  # PatchPodStatus: unchanged, no request
        try:
            updated = self.client.patch_status("Pod", meta["name"], patch, meta.get("namespace"))
        except Exception as err:
            if getattr(err, "code", None) in (404, 409):
                return
            raise
        st.pod = updated
        st.last_status = new_status
