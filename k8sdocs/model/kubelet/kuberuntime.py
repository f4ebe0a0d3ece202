"""The runtime manager (``pkg/kubelet/kuberuntime``): SyncPod, startContainer and killPod over the CRI.

* ``SyncPod`` (``kuberuntime_manager.go``): create the sandbox (RunPodSandbox, then PodSandboxStatus for the IP),
  then each init container to completion (a restartable one, a "sidecar", only has to start), then each container.
* ``startContainer`` (``kuberuntime_container.go``): EnsureImageExists (ImageStatus → PullImage only when absent or
  policy ``Always``) → CreateContainer → StartContainer, with the v1.35 Events ``Created`` ``Container created`` and
  ``Started`` ``Container started`` (PR #134043).
* ``killPodWithSyncResult``: stop every container, then the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from k8sdocs.model.clock import Clock
from k8sdocs.model.kubelet.images import ImageManager
from k8sdocs.model.kubelet.pod_workers import PodState, Step
from k8sdocs.model.kubelet.prober import ProbeManager
from k8sdocs.model.kubelet.sandbox import sandbox_config
from k8sdocs.model.kubelet.status import is_sidecar
from k8sdocs.model.runtime import ContainerRuntime, CRIError

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.client import Client

#: How long an init container runs before exiting 0 (a simulated duration).
INIT_CONTAINER_RUN_MS = 1_000

# pkg/kubelet/kuberuntime/kuberuntime_container.go (v1.35, PR #134043)
MSG_CREATED = "Container created"
MSG_STARTED = "Container started"
MSG_KILLING = "Stopping container {name}"


class RuntimeManager:
    """``kubeGenericRuntimeManager`` for one node."""

    def __init__(self, client: Client, clock: Clock, runtime: ContainerRuntime, images: ImageManager,
                 prober: ProbeManager, set_pod_status: Callable[[PodState], None],
                 retry_later: Callable[[PodState], None]) -> None:
        self.client = client
        self.clock = clock
        self.runtime = runtime
        self.images = images
        self.prober = prober
        self.set_pod_status = set_pod_status
        self.retry_later = retry_later

    def sync_pod(self, st: PodState, internal_ip: str) -> Step:
        """``SyncPod`` steps 4 (sandbox), 6 (init containers) and 8 (containers); a failed start retries later."""
        pod = st.pod
        spec = pod.get("spec", {})
        # 4. Create sandbox if necessary
        if not st.sandbox_id:
            cfg = sandbox_config(pod)
            resp = self.runtime.RunPodSandbox(cfg)
            yield resp.duration_ms
            if st.deleted:
                st.sandbox_id = resp.response["podSandboxId"]
                return
            st.sandbox_id = resp.response["podSandboxId"]
            status = self.runtime.PodSandboxStatus(st.sandbox_id)
            yield status.duration_ms
            # hostNetwork pods get the node's IPs (kubelet_pods.go generateAPIPodStatus)
            st.ip = status.response["status"]["network"]["ip"] or internal_ip
            self.set_pod_status(st)
        # 6. init containers, one at a time, each to completion; a restartable init container
        # (restartPolicy: Always, a "sidecar") only has to start, and keeps running (KEP-753)
        for c in spec.get("initContainers", []):
            if c["name"] in st.finished_ms or (is_sidecar(c) and c["name"] in st.started_ms):
                continue
            ok = yield from self.start_container(st, c, init=not is_sidecar(c), field_name="initContainers")
            if not ok or st.deleted:
                if not ok:
                    self.retry_later(st)
                return
            if is_sidecar(c):
                self.set_pod_status(st)
                continue
            yield INIT_CONTAINER_RUN_MS
            if st.deleted:
                return
            st.finished_ms[c["name"]] = self.clock.now_ms
            st.ready[c["name"]] = True
            self.set_pod_status(st)
        # 8. normal containers
        for c in spec.get("containers", []):
            if c["name"] in st.containers:
                continue
            ok = yield from self.start_container(st, c, init=False)
            if not ok or st.deleted:
                if not ok:
                    self.retry_later(st)
                return
        self.set_pod_status(st)

    def start_container(self, st: PodState, c: dict[str, Any], init: bool,
                        field_name: str = "containers") -> Generator[Any, Any, bool]:
        """``startContainer``: pull the image, create the container, start the container."""
        # kubecontainer.GenerateContainerRef: fieldPath spec.containers{name} / spec.initContainers{name}
        fp = f"spec.{field_name}{{{c['name']}}}"
        image_ref = yield from self.images.ensure_image_exists(st, c, fp)
        if image_ref is None:
            self.set_pod_status(st)  # ErrImageNeverPull (a stopped node posts nothing)
            return False
        if st.deleted:
            return False
        st.image_ref[c["name"]] = image_ref
        st.waiting.pop(c["name"], None)
        config = {"metadata": {"name": c["name"], "attempt": 0}, "image": {"image": c.get("image", "")},
                  "command": list(c.get("command") or []), "args": list(c.get("args") or [])}
        try:
            created = self.runtime.CreateContainer(st.sandbox_id, config, sandbox_config(st.pod))
        except CRIError as err:
            self.client.record_event(st.pod, "Warning", "Failed", f"Error: {err}", field_path=fp)
            st.waiting[c["name"]] = ("CreateContainerError", str(err))
            self.set_pod_status(st)
            return False
        yield created.duration_ms
        cid = created.response["containerId"]
        st.containers[c["name"]] = cid
        self.client.record_event(st.pod, "Normal", "Created", MSG_CREATED, field_path=fp)
        started = self.runtime.StartContainer(cid)
        yield started.duration_ms
        st.started_ms[c["name"]] = self.clock.now_ms
        self.client.record_event(st.pod, "Normal", "Started", MSG_STARTED, field_path=fp)
        if not init:
            self.prober.container_started(st, c)
        return True

    def kill_pod(self, st: PodState) -> Step:
        """killPodWithSyncResult: stop every container (sidecars after the regular ones), then the sandbox;
        then remove the sandbox."""
        spec = st.pod.get("spec", {})
        grace = int(spec.get("terminationGracePeriodSeconds", 30))
        running = [("containers", c) for c in spec.get("containers", [])] + [
            ("initContainers", c) for c in reversed(spec.get("initContainers", [])) if is_sidecar(c)]
        for field_name, c in running:
            cid = st.containers.get(c["name"])
            if cid is None:
                continue
            self.client.record_event(st.pod, "Normal", "Killing", MSG_KILLING.format(name=c["name"]),
                                     field_path=f"spec.{field_name}{{{c['name']}}}")
            resp = self.runtime.StopContainer(cid, timeout=grace)
            yield resp.duration_ms
        if st.sandbox_id:
            resp = self.runtime.StopPodSandbox(st.sandbox_id)
            yield resp.duration_ms
            resp = self.runtime.RemovePodSandbox(st.sandbox_id)
            yield resp.duration_ms
            st.sandbox_id = ""
        st.containers.clear()
