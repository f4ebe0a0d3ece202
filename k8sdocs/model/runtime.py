"""A CRI container runtime (containerd-like) for one node.

The kubelet talks to the runtime over gRPC with two services defined in
``staging/src/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto``, ``RuntimeService`` and ``ImageService``.
The calls the model's kubelet makes are here, with the proto names: Version, RunPodSandbox,
PodSandboxStatus, StopPodSandbox, RemovePodSandbox, CreateContainer, StartContainer, StopContainer,
ImageStatus and PullImage. Requests and responses are plain dicts shaped like the proto messages'
JSON (camelCase fields).

Every call is recorded in the trace as kind ``cri``, source ``kubelet/<node>`` and target
``container-runtime/<node>``, at the simulated moment the kubelet issues it.

Simplifications (documented for readers):

* Durations are simulated: each call returns a :class:`CRIResponse` with ``duration_ms``
  taken from :data:`LATENCY_MS`; a pull takes ``PULL_BASE_MS`` plus the image size divided
  by :data:`PULL_BYTES_PER_MS` (i.e. a fixed registry bandwidth). The caller (kubelet)
  decides how to wait for it on the clock; the runtime itself never schedules timers.
* The network plugin (CNI) is folded into RunPodSandbox: the pod IP is allocated from the
  node's ``spec.podCIDR`` like the ``host-local`` IPAM plugin does (first usable address is
  ``.2``, the bridge gateway takes ``.1``; addresses are handed out in order, round robin,
  skipping addresses in use).
* IDs are 64 hex characters like containerd's, but derived deterministically
  (``sha256(node/kind/counter)``) so that runs are byte-identical.
* The pause image pull that containerd does inside RunPodSandbox is not modelled.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import CRICall, Trace

# --- simulated latencies (one table; a simplification, not measurements) ---------------------
LATENCY_MS: dict[str, int] = {
    "Version": 1,
    "RunPodSandbox": 400,  # namespaces + CNI ADD
    "PodSandboxStatus": 2,
    "StopPodSandbox": 100,
    "RemovePodSandbox": 20,
    "ImageStatus": 2,
    "CreateContainer": 80,
    "StartContainer": 120,
    "StopContainer": 200,  # SIGTERM handled promptly (graceful stop shortened)
}
#: Fixed part of an image pull (resolve the tag, fetch the manifest), in ms.
PULL_BASE_MS = 250
#: Simulated registry bandwidth: 50 MB/s = 50 000 bytes per ms.
PULL_BYTES_PER_MS = 50_000
#: Size used for images the node has never heard of (bytes).
DEFAULT_IMAGE_SIZE_BYTES = 50_000_000
#: Sizes of a few well-known images (compressed size order of magnitude, bytes).
KNOWN_IMAGE_SIZES: dict[str, int] = {
    "docker.io/library/nginx": 72_000_000,
    "docker.io/library/busybox": 2_200_000,
    "docker.io/library/redis": 45_000_000,
    "docker.io/library/httpd": 58_000_000,
    "registry.k8s.io/pause": 320_000,
}

#: KubeletConfiguration.nodeStatusMaxImages default (pkg/kubelet/apis/config/v1beta1/defaults.go).
NODE_STATUS_MAX_IMAGES = 50

RUNTIME_NAME = "containerd"
RUNTIME_VERSION = "2.1.4"
RUNTIME_API_VERSION = "v1"

SANDBOX_READY = "SANDBOX_READY"
SANDBOX_NOTREADY = "SANDBOX_NOTREADY"
CONTAINER_CREATED = "CONTAINER_CREATED"
CONTAINER_RUNNING = "CONTAINER_RUNNING"
CONTAINER_EXITED = "CONTAINER_EXITED"


class CRIError(Exception):
    """A gRPC error returned by the runtime (status code name + message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"rpc error: code = {code} desc = {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CRIResponse:
    response: dict[str, Any]
    duration_ms: int


def normalize_image(image: str) -> str:
    """Docker-style normalization: ``nginx`` -> ``docker.io/library/nginx:latest``.

    Mirrors ``docker/distribution/reference.ParseNormalizedNamed`` + the default tag that
    kubelet's ``applyDefaultImageTag`` appends (``pkg/kubelet/images/image_manager.go``).
    """
    name, digest = (image.split("@", 1) + [""])[:2]
    tag = ""
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    first = name.split("/", 1)[0]
    if "/" not in name or ("." not in first and ":" not in first and first != "localhost"):
        name = f"docker.io/{name}" if "/" in name else f"docker.io/library/{name}"
    if digest:
        return f"{name}@{digest}"
    return f"{name}:{tag or 'latest'}"


def _repo(normalized: str) -> str:
    if "@" in normalized:
        return normalized.split("@", 1)[0]
    return normalized.rsplit(":", 1)[0]


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def image_digest(normalized: str) -> str:
    """Deterministic ``sha256:<hex>`` for an image reference (not the registry's digest)."""
    return "sha256:" + _hex("image:" + normalized)


def image_size(normalized: str, sizes: dict[str, int] | None = None) -> int:
    if sizes and normalized in sizes:
        return sizes[normalized]
    return KNOWN_IMAGE_SIZES.get(_repo(normalized), DEFAULT_IMAGE_SIZE_BYTES)


def _sandbox_pod(sandbox_config: dict[str, Any] | None) -> str | None:
    """``namespace/name`` from a PullImageRequest's ``sandbox_config`` (the kubelet sends the Pod's)."""
    meta = (sandbox_config or {}).get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}" if meta.get("name") else None


def pull_duration_ms(size_bytes: int) -> int:
    return PULL_BASE_MS + size_bytes // PULL_BYTES_PER_MS


@dataclass
class _Image:
    ref: str  # normalized name:tag
    id: str
    size: int
    repo_digests: list[str]


@dataclass
class _Sandbox:
    id: str
    namespace: str
    name: str
    uid: str
    ip: str
    state: str
    created_at_ns: int
    attempt: int = 0

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass
class _Container:
    id: str
    sandbox_id: str
    name: str
    image: str
    image_ref: str
    state: str
    created_at_ns: int
    started_at_ns: int = 0
    finished_at_ns: int = 0
    exit_code: int = 0
    attempt: int = 0


@dataclass
class ContainerRuntime:
    """The CRI runtime of one node (``RuntimeService`` + ``ImageService``)."""

    node_name: str
    clock: Clock
    trace: Trace
    pod_cidr: str = ""
    images: list[dict[str, Any]] = field(default_factory=list)  # node.status.images entries
    image_sizes: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._images: dict[str, _Image] = {}
        self._sandboxes: dict[str, _Sandbox] = {}
        self._containers: dict[str, _Container] = {}
        self._counter = 0
        self._next_ip_index = 2
        for entry in self.images:
            names = [normalize_image(n) for n in entry.get("names", []) if "@" not in n]
            digests = [n for n in entry.get("names", []) if "@" in n]
            size = int(entry.get("sizeBytes", DEFAULT_IMAGE_SIZE_BYTES))
            for ref in names:
                self.image_sizes.setdefault(ref, size)
                self._images[ref] = _Image(ref, image_digest(ref), size, digests or [f"{_repo(ref)}@{image_digest(ref)}"])

    # -- helpers ------------------------------------------------------------------------------
    @property
    def actor(self) -> str:
        return f"kubelet/{self.node_name}"

    @property
    def target(self) -> str:
        return f"container-runtime/{self.node_name}"

    def _record(self, method: str, subject: str, duration_ms: int, *, pod: str | None = None,
                container: str | None = None, image: str | None = None, pod_sandbox_id: str | None = None,
                container_id: str | None = None, ip: str | None = None, timeout: int | None = None,
                present: bool | None = None, size_bytes: int | None = None) -> None:
        self.trace.record("cri", self.actor, self.target, f"{method} {subject}".rstrip(),
                          cri=CRICall(method, pod, container, image), duration_ms=duration_ms,
                          pod_sandbox_id=pod_sandbox_id, container_id=container_id, ip=ip, timeout=timeout,
                          present=present, size_bytes=size_bytes)

    def _new_id(self, kind: str) -> str:
        self._counter += 1
        return _hex(f"{self.node_name}/{kind}/{self._counter}")

    def _allocate_ip(self) -> str:
        if not self.pod_cidr:
            return ""
        net = ipaddress.ip_network(self.pod_cidr, strict=False)
        in_use = {s.ip for s in self._sandboxes.values() if s.state == SANDBOX_READY}
        usable = net.num_addresses - 3  # network, gateway (.1), broadcast
        for _ in range(max(usable, 0)):
            index = self._next_ip_index
            self._next_ip_index = index + 1 if index + 1 < net.num_addresses - 1 else 2
            ip = str(net.network_address + index)
            if ip not in in_use:
                return ip
        raise CRIError("Unknown", f"failed to allocate for range 0: no IP addresses available in range set: {self.pod_cidr}")

    def _lat(self, method: str) -> int:
        return LATENCY_MS[method]

    # -- RuntimeService -----------------------------------------------------------------------
    def Version(self) -> CRIResponse:  # noqa: N802 - proto names
        d = self._lat("Version")
        self._record("Version", "", d)
        return CRIResponse({"version": "0.1.0", "runtimeName": RUNTIME_NAME, "runtimeVersion": RUNTIME_VERSION,
                            "runtimeApiVersion": RUNTIME_API_VERSION}, d)

    def RunPodSandbox(self, config: dict[str, Any], runtime_handler: str = "") -> CRIResponse:  # noqa: N802
        meta = config.get("metadata", {})
        ns, name, uid = meta.get("namespace", ""), meta.get("name", ""), meta.get("uid", "")
        sandbox_id = self._new_id("sandbox")
        host_network = (config.get("linux", {}).get("securityContext", {}).get("namespaceOptions", {})
                        .get("network") == "NODE")  # NamespaceMode NODE: no CNI, the pod uses the node's IPs
        ip = "" if host_network else self._allocate_ip()
        self._sandboxes[sandbox_id] = _Sandbox(sandbox_id, ns, name, uid, ip, SANDBOX_READY,
                                               self.clock.unix_nano(), int(meta.get("attempt", 0)))
        d = self._lat("RunPodSandbox")
        self._record("RunPodSandbox", f"{ns}/{name}", d, pod=f"{ns}/{name}", pod_sandbox_id=sandbox_id[:13], ip=ip or None)
        return CRIResponse({"podSandboxId": sandbox_id}, d)

    def PodSandboxStatus(self, pod_sandbox_id: str) -> CRIResponse:  # noqa: N802
        sb = self._sandbox(pod_sandbox_id)
        d = self._lat("PodSandboxStatus")
        self._record("PodSandboxStatus", f"{sb.namespace}/{sb.name}", d, pod=sb.key, pod_sandbox_id=sb.id[:13])
        return CRIResponse({"status": {
            "id": sb.id,
            "metadata": {"name": sb.name, "uid": sb.uid, "namespace": sb.namespace, "attempt": sb.attempt},
            "state": sb.state,
            "createdAt": sb.created_at_ns,
            "network": {"ip": sb.ip, "additionalIps": []},
        }}, d)

    def StopPodSandbox(self, pod_sandbox_id: str) -> CRIResponse:  # noqa: N802
        sb = self._sandbox(pod_sandbox_id)
        for c in self._containers.values():
            if c.sandbox_id == sb.id and c.state == CONTAINER_RUNNING:
                c.state, c.finished_at_ns, c.exit_code = CONTAINER_EXITED, self.clock.unix_nano(), 137
        sb.state = SANDBOX_NOTREADY
        d = self._lat("StopPodSandbox")
        self._record("StopPodSandbox", f"{sb.namespace}/{sb.name}", d, pod=sb.key, pod_sandbox_id=sb.id[:13])
        return CRIResponse({}, d)

    def RemovePodSandbox(self, pod_sandbox_id: str) -> CRIResponse:  # noqa: N802
        sb = self._sandbox(pod_sandbox_id)
        for cid in [c.id for c in self._containers.values() if c.sandbox_id == sb.id]:
            del self._containers[cid]
        del self._sandboxes[sb.id]
        d = self._lat("RemovePodSandbox")
        self._record("RemovePodSandbox", f"{sb.namespace}/{sb.name}", d, pod=sb.key, pod_sandbox_id=sb.id[:13])
        return CRIResponse({}, d)

    def CreateContainer(self, pod_sandbox_id: str, config: dict[str, Any], sandbox_config: dict[str, Any] | None = None) -> CRIResponse:  # noqa: N802
        sb = self._sandbox(pod_sandbox_id)
        if sb.state != SANDBOX_READY:
            raise CRIError("Unknown", f"failed to create containerd container: sandbox {sb.id} is not ready")
        name = config.get("metadata", {}).get("name", "")
        image = config.get("image", {}).get("image", "")
        ref = normalize_image(image)
        img = self._images.get(ref)
        if img is None:
            raise CRIError("NotFound", f'failed to create containerd container: failed to get image "{image}": not found')
        cid = self._new_id("container")
        self._containers[cid] = _Container(cid, sb.id, name, image, img.repo_digests[0], CONTAINER_CREATED,
                                           self.clock.unix_nano(), attempt=int(config.get("metadata", {}).get("attempt", 0)))
        d = self._lat("CreateContainer")
        self._record("CreateContainer", f"{sb.namespace}/{sb.name}/{name}", d, pod=sb.key, container=name, image=image,
                     container_id=cid[:13])
        return CRIResponse({"containerId": cid}, d)

    def StartContainer(self, container_id: str) -> CRIResponse:  # noqa: N802
        c = self._container(container_id)
        sb = self._sandboxes[c.sandbox_id]
        d = self._lat("StartContainer")
        c.state, c.started_at_ns = CONTAINER_RUNNING, self.clock.unix_nano() + d * 1_000_000
        self._record("StartContainer", f"{sb.namespace}/{sb.name}/{c.name}", d, pod=sb.key, container=c.name, container_id=c.id[:13])
        return CRIResponse({}, d)

    def StopContainer(self, container_id: str, timeout: int = 30) -> CRIResponse:  # noqa: N802
        c = self._container(container_id)
        sb = self._sandboxes[c.sandbox_id]
        d = self._lat("StopContainer")
        if c.state == CONTAINER_RUNNING:
            c.state, c.finished_at_ns, c.exit_code = CONTAINER_EXITED, self.clock.unix_nano() + d * 1_000_000, 0
        self._record("StopContainer", f"{sb.namespace}/{sb.name}/{c.name}", d, pod=sb.key, container=c.name, container_id=c.id[:13], timeout=timeout)
        return CRIResponse({}, d)


    # -- ImageService -------------------------------------------------------------------------
    def ImageStatus(self, image: str, *, for_pod: str | None = None) -> CRIResponse:  # noqa: N802
        """``for_pod`` (``namespace/name``) is not part of the CRI request: the kubelet passes it so the trace
        records which Pod's ``EnsureImageExists`` asked."""
        ref = normalize_image(image)
        img = self._images.get(ref)
        d = self._lat("ImageStatus")
        self._record("ImageStatus", image, d, pod=for_pod, image=image, present=img is not None)
        if img is None:
            return CRIResponse({"image": None}, d)
        return CRIResponse({"image": {"id": img.id, "repoTags": [img.ref], "repoDigests": list(img.repo_digests),
                                      "size": img.size}}, d)

    def PullImage(self, image: str, sandbox_config: dict[str, Any] | None = None) -> CRIResponse:  # noqa: N802
        ref = normalize_image(image)
        img = self._images.get(ref)
        if img is None:
            size = image_size(ref, self.image_sizes)
            digest = image_digest(ref)
            img = _Image(ref, digest, size, [f"{_repo(ref)}@{digest}"])
            self._images[ref] = img
            d = pull_duration_ms(size)
        else:
            d = PULL_BASE_MS  # already there: only the manifest is checked
        self._record("PullImage", image, d, pod=_sandbox_pod(sandbox_config), image=image, size_bytes=img.size)
        return CRIResponse({"imageRef": img.repo_digests[0], "size": img.size}, d)

    # -- read-only views (no CRI call, no trace) ----------------------------------------------
    def node_images(self, max_images: int = NODE_STATUS_MAX_IMAGES) -> list[dict[str, Any]]:
        """``node.status.images`` as the kubelet's Images setter reports it: largest first, at most
        ``nodeStatusMaxImages`` (50) entries (``pkg/kubelet/nodestatus/setters.go``)."""
        entries: list[dict[str, Any]] = [{"names": list(i.repo_digests) + [i.ref], "sizeBytes": i.size} for i in self._images.values()]
        return sorted(entries, key=lambda e: (-e["sizeBytes"], e["names"][-1]))[:max_images]

    def sandboxes(self) -> list[_Sandbox]:
        return sorted(self._sandboxes.values(), key=lambda s: (s.namespace, s.name, s.created_at_ns))

    def _sandbox(self, sandbox_id: str) -> _Sandbox:
        sb = self._sandboxes.get(sandbox_id)
        if sb is None:
            raise CRIError("NotFound", f'an error occurred when try to find sandbox "{sandbox_id}": not found')
        return sb

    def _container(self, container_id: str) -> _Container:
        c = self._containers.get(container_id)
        if c is None:
            raise CRIError("NotFound", f'an error occurred when try to find container "{container_id}": not found')
        return c
