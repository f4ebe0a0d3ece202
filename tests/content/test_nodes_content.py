"""Shared helpers of the node pages: which CRI calls belong to which Pod, number and time formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError
from k8sdocs.content.nodes import decimal_es, duration_text, pod_cri_calls, select_pod, span_text
from k8sdocs.model import observe as ob

# Two Pods on one node start together; both need nginx:1.27 (absent) and the second one also busybox.
# The kubelet's image calls name only the image, and pulls are serialized (serializeImagePulls: true).
TWO_PODS = """
name: dos-pods
seed: 1
until: 15s
manifests: |
  apiVersion: v1
  kind: Node
  metadata: {name: node-1}
  status:
    capacity: {cpu: "2", memory: 4Gi, pods: "110"}
    allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
steps:
  - at: 1s
    action: apply
    manifests: |
      apiVersion: v1
      kind: Pod
      metadata: {name: a}
      spec:
        nodeName: node-1
        containers: [{name: c, image: "nginx:1.27"}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: b}
      spec:
        nodeName: node-1
        containers: [{name: c, image: "nginx:1.27"}, {name: d, image: "busybox:1.36"}]
"""


@pytest.fixture(scope="module")
def two_pods(tmp_path_factory) -> ExampleBook:
    docs = tmp_path_factory.mktemp("docs")
    (docs / "escenarios").mkdir()
    (docs / "escenarios" / "dos-pods.yaml").write_text(TWO_PODS, encoding="utf-8")
    return ExampleBook(docs)


def test_each_pod_gets_its_own_image_calls(two_pods):
    run = two_pods.run("dos-pods.yaml")
    assert ob.pods_with_sandbox(run.events) == ["default/a", "default/b"]
    def calls(pod: str) -> list[tuple[str, str | None, str | None, str | None]]:
        return [(e.cri.method, e.cri.pod, e.cri.container, e.cri.image) for e in pod_cri_calls(run, pod) if e.cri]

    # startContainer (kuberuntime_container.go): image ensured right before each CreateContainer
    assert calls("default/a") == [
        ("RunPodSandbox", "default/a", None, None), ("PodSandboxStatus", "default/a", None, None),
        ("ImageStatus", "default/a", None, "nginx:1.27"), ("PullImage", "default/a", None, "nginx:1.27"),
        ("CreateContainer", "default/a", "c", "nginx:1.27"), ("StartContainer", "default/a", "c", None)]
    assert calls("default/b") == [
        ("RunPodSandbox", "default/b", None, None), ("PodSandboxStatus", "default/b", None, None),
        ("ImageStatus", "default/b", None, "nginx:1.27"), ("PullImage", "default/b", None, "nginx:1.27"),
        ("CreateContainer", "default/b", "c", "nginx:1.27"), ("StartContainer", "default/b", "c", None),
        ("ImageStatus", "default/b", None, "busybox:1.36"), ("PullImage", "default/b", None, "busybox:1.36"),
        ("CreateContainer", "default/b", "d", "busybox:1.36"), ("StartContainer", "default/b", "d", None)]
    seqs_a = {e.seq for e in pod_cri_calls(run, "default/a")}
    seqs_b = {e.seq for e in pod_cri_calls(run, "default/b")}
    assert not seqs_a & seqs_b  # no call counted twice


def test_deleted_pod_keeps_its_image_calls():
    """The evicted Pod of nodo-falla is gone from the final objects; its calls are still found."""
    book = ExampleBook(Path(__file__).resolve().parents[2] / "docs")
    run = book.run("nodo-falla.yaml")
    names = {o["metadata"]["name"] for o in run.objects_of("Pod")}
    gone = [p for p in ob.pods_with_sandbox(run.events) if p.split("/")[1] not in names]
    assert gone
    methods = [e.cri.method for e in pod_cri_calls(run, gone[0])]
    assert methods[:4] == ["RunPodSandbox", "PodSandboxStatus", "ImageStatus", "PullImage"]


def test_select_pod(two_pods):
    events = two_pods.run("dos-pods.yaml").events
    assert select_pod(events) == "default/a"
    assert select_pod(events, pod="b") == "default/b"
    with pytest.raises(ContentError, match="default/a, default/b"):
        select_pod(events, pod="c")
    with pytest.raises(ContentError):
        select_pod(events, node="node-9")


def test_number_and_time_formats():
    assert decimal_es(1 / 3, 4) == "0,3333"
    assert decimal_es(10.0) == "10"
    assert duration_text(400) == "400 ms"
    assert duration_text(1690) == "1,69 s"
    assert span_text(300_000) == "5 min"
    assert span_text(355_100) == "5 min 55,1 s"
    assert span_text(55_000) == "55 s"
