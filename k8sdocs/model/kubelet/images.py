"""The image manager (``pkg/kubelet/images/image_manager.go``, ``puller.go``): EnsureImageExists and its Events.

The pull policy decides whether to pull (``Always``; ``IfNotPresent`` when the runtime lacks the image; never with
``Never``). Pulls are serialized per node (``serializeImagePulls: true`` is the default): a pod waits for the pulls
before its own, which is what the "including waiting" part of the ``Pulled`` message measures.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from k8sdocs.model.api.defaults import default_image_pull_policy
from k8sdocs.model.clock import Clock
from k8sdocs.model.kubelet.pod_workers import PodState, Wait
from k8sdocs.model.kubelet.sandbox import sandbox_config
from k8sdocs.model.runtime import ContainerRuntime

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.client import Client

# --- v1.35 event wording (image_manager.go) ----------------------------------------------------
MSG_PULLING = 'Pulling image "{image}"'
MSG_PULLED = 'Successfully pulled image "{image}" in {pull} ({total} including waiting). Image size: {size} bytes.'
# v1.35 has KubeletEnsureSecretPulledImages on by default, which appends "and can be accessed by the pod"
# (image_manager.go; v1.35 clusters show it next to "Container created"/"Container started", e.g. minikube v1.35.1
# `kubectl describe pod` output); without the gate the text ends at "machine" (k8s-facts §2.4).
MSG_PRESENT = 'Container image "{image}" already present on machine and can be accessed by the pod'
MSG_NEVER_PULL = 'Container image "{image}" is not present with pull policy of Never'


def go_duration(ms: int) -> str:
    """Go's ``time.Duration.String()`` for a whole number of milliseconds (``1.44s``, ``250ms``, ``1m2.5s``)."""
    if ms == 0:
        return "0s"
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    if ms < 1000:
        return f"{sign}{ms}ms"
    hours, rem = divmod(ms, 3_600_000)
    minutes, rem = divmod(rem, 60_000)
    secs, frac = divmod(rem, 1000)
    sec_text = str(secs) + (("." + f"{frac:03d}".rstrip("0")) if frac else "") + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{sec_text}"
    if minutes:
        return f"{sign}{minutes}m{sec_text}"
    return sign + sec_text


class ImageManager:
    """``imageManager`` with the serial puller: one pull at a time on the node, in request order."""

    def __init__(self, actor: str, client: Client, clock: Clock, runtime: ContainerRuntime,
                 stopped: Callable[[], bool]) -> None:
        self.actor = actor
        self.client = client
        self.clock = clock
        self.runtime = runtime
        self.stopped = stopped
        self._queue: list[tuple[str, dict[str, Any], Wait]] = []
        self._busy = False

    def clear(self) -> None:
        """The node stopped: pulls in flight and queued are forgotten."""
        self._queue.clear()
        self._busy = False

    def ensure_image_exists(self, st: PodState, c: dict[str, Any], field_path: str) -> Generator[Any, Any, str | None]:
        """``EnsureImageExists``: the image reference, or None (``st.waiting`` says why when the policy forbids the
        pull; the node stopped otherwise)."""
        image = c.get("image", "")
        policy = c.get("imagePullPolicy") or default_image_pull_policy(image)
        resp = self.runtime.ImageStatus(image, for_pod=st.key)
        yield resp.duration_ms
        found = resp.response["image"]
        pod = st.pod
        if policy == "Never" or (policy == "IfNotPresent" and found is not None):
            if found is not None:
                self.client.record_event(pod, "Normal", "Pulled", MSG_PRESENT.format(image=image), field_path=field_path)
                return str(found["repoDigests"][0])
            self.client.record_event(pod, "Warning", "ErrImageNeverPull", MSG_NEVER_PULL.format(image=image),
                                     field_path=field_path)
            st.waiting[c["name"]] = ("ErrImageNeverPull", MSG_NEVER_PULL.format(image=image))
            return None
        self.client.record_event(pod, "Normal", "Pulling", MSG_PULLING.format(image=image), field_path=field_path)
        requested_ms = self.clock.now_ms
        wait = Wait()
        self._queue.append((image, sandbox_config(st.pod), wait))
        if not self._busy:
            self._next_pull()
        pull_ms, pulled = yield wait
        if self.stopped():
            return None
        total_ms = self.clock.now_ms - requested_ms
        self.client.record_event(pod, "Normal", "Pulled", MSG_PULLED.format(
            image=image, pull=go_duration(pull_ms), total=go_duration(total_ms), size=pulled["size"]),
            field_path=field_path)
        return str(pulled["imageRef"])

    def _next_pull(self) -> None:
        if self.stopped() or not self._queue:
            self._busy = False
            return
        self._busy = True
        image, config, wait = self._queue.pop(0)
        resp = self.runtime.PullImage(image, config)  # PullImageRequest.sandbox_config: the Pod's

        def done() -> None:
            if self.stopped():
                return
            wait.set((resp.duration_ms, resp.response))
            self._next_pull()
        self.clock.call_later(resp.duration_ms, done, f"{self.actor} pull {image}")
