"""The CRI runtime model: proto method names, response shapes, IPAM and tracing."""

from __future__ import annotations

import pytest

from k8sdocs.model.clock import Clock
from k8sdocs.model.runtime import ContainerRuntime, CRIError
from k8sdocs.model.trace import Trace


def _rt(cidr: str = "10.244.1.0/30") -> ContainerRuntime:
    clock = Clock()
    return ContainerRuntime("node-1", clock, Trace(clock), pod_cidr=cidr,
                            images=[{"names": ["docker.io/library/busybox@sha256:" + "a" * 64, "busybox:1.36"],
                                     "sizeBytes": 2_000_000}])


def _sandbox(name: str) -> dict:
    return {"metadata": {"name": name, "namespace": "default", "uid": name, "attempt": 0}}


def test_every_call_is_traced_from_kubelet_to_runtime() -> None:
    rt = _rt()
    sb = rt.RunPodSandbox(_sandbox("a")).response["podSandboxId"]
    rt.PodSandboxStatus(sb)
    rt.ImageStatus("busybox:1.36")
    cid = rt.CreateContainer(sb, {"metadata": {"name": "c"}, "image": {"image": "busybox:1.36"}}).response["containerId"]
    rt.StartContainer(cid)
    rt.StopContainer(cid)
    rt.StopPodSandbox(sb)
    rt.RemovePodSandbox(sb)
    ev = rt.trace.events
    assert {(e.kind, e.source, e.target) for e in ev} == {("cri", "kubelet/node-1", "container-runtime/node-1")}
    assert [e.cri.method for e in ev] == ["RunPodSandbox", "PodSandboxStatus", "ImageStatus", "CreateContainer",
                                                  "StartContainer", "StopContainer", "StopPodSandbox", "RemovePodSandbox"]


def test_sandbox_status_reports_ip_and_ready_state() -> None:
    rt = _rt()
    sb = rt.RunPodSandbox(_sandbox("a")).response["podSandboxId"]
    status = rt.PodSandboxStatus(sb).response["status"]
    assert status["state"] == "SANDBOX_READY"  # runtime.v1 PodSandboxState
    assert status["network"]["ip"] == "10.244.1.2"
    assert status["metadata"] == {"name": "a", "uid": "a", "namespace": "default", "attempt": 0}
    assert len(sb) == 64 and all(ch in "0123456789abcdef" for ch in sb)


def test_host_local_ipam_exhaustion_and_reuse() -> None:
    rt = _rt("10.244.1.0/29")  # .2 .. .6 usable (network, gateway .1, broadcast excluded)
    ids = [rt.RunPodSandbox(_sandbox(f"p{i}")).response["podSandboxId"] for i in range(5)]
    ips = [rt.PodSandboxStatus(i).response["status"]["network"]["ip"] for i in ids]
    assert ips == ["10.244.1.2", "10.244.1.3", "10.244.1.4", "10.244.1.5", "10.244.1.6"]
    with pytest.raises(CRIError, match="no IP addresses available in range set: 10.244.1.0/29"):
        rt.RunPodSandbox(_sandbox("p5"))
    rt.StopPodSandbox(ids[1])
    rt.RemovePodSandbox(ids[1])
    again = rt.RunPodSandbox(_sandbox("p6")).response["podSandboxId"]
    assert rt.PodSandboxStatus(again).response["status"]["network"]["ip"] == "10.244.1.3"


def test_image_status_and_pull() -> None:
    rt = _rt()
    assert rt.ImageStatus("nginx:1.27").response == {"image": None}  # absent: ImageStatusResponse.image unset
    present = rt.ImageStatus("busybox:1.36").response["image"]
    assert present["repoTags"] == ["docker.io/library/busybox:1.36"]
    assert present["repoDigests"] == ["docker.io/library/busybox@sha256:" + "a" * 64]
    pulled = rt.PullImage("nginx:1.27")
    assert pulled.response["imageRef"].startswith("docker.io/library/nginx@sha256:")
    assert rt.ImageStatus("nginx:1.27").response["image"] is not None
    # a second pull of a present image only resolves the manifest: cheaper than the first
    assert rt.PullImage("nginx:1.27").duration_ms < pulled.duration_ms


def test_create_container_needs_the_image() -> None:
    rt = _rt()
    sb = rt.RunPodSandbox(_sandbox("a")).response["podSandboxId"]
    with pytest.raises(CRIError, match='failed to get image "nginx:1.27": not found'):
        rt.CreateContainer(sb, {"metadata": {"name": "c"}, "image": {"image": "nginx:1.27"}})


def test_node_images_largest_first() -> None:
    rt = _rt()
    rt.PullImage("nginx:1.27")
    names = [e["names"][-1] for e in rt.node_images()]
    assert names == ["docker.io/library/nginx:1.27", "docker.io/library/busybox:1.36"]
