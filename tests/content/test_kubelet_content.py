"""kubelet page content: CRI calls, pod conditions, kubelet events and Lease heartbeats of a scenario run.

Expected values come from upstream, not from the model's output:
- CRI order: SyncPod (pkg/kubelet/kuberuntime/kuberuntime_manager.go) creates the sandbox (RunPodSandbox, then
  PodSandboxStatus for the IP) and startContainer (kuberuntime_container.go) pulls (ImageStatus, PullImage only if
  absent), creates and starts each container.
- Services: RuntimeService / ImageService method sets of staging/src/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto.
- Events (v1.35): pkg/kubelet/images/image_manager.go ("Pulling image %q", "Successfully pulled image %q in %v
  (%v including waiting). Image size: %v bytes.") and kuberuntime_container.go after PR #134043 ("Container created",
  "Container started").
- Lease renew interval: nodeLeaseDurationSeconds 40 × renewIntervalFraction 0.25 = 10 s (pkg/kubelet/nodelease).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from k8sdocs.content import kubelet
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, ExpectationError
from k8sdocs.content.nodes import cri_service, select_pod
from k8sdocs.model import observe as ob
from support.built_html import inline_codes

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "despliegue-basico.yaml"
UPSTREAM_ORDER = ["RunPodSandbox", "PodSandboxStatus", "ImageStatus", "PullImage", "CreateContainer", "StartContainer"]


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


def test_cri_calls_in_upstream_order(book):
    md = kubelet.cri_table(book, SCENARIO, nodo="node-2", espera=", ".join(UPSTREAM_ORDER))
    rows = kubelet.cri_rows(book, SCENARIO, nodo="node-2")
    assert [re.sub(r"<[^>]+>", "", r[2]) for r in rows] == UPSTREAM_ORDER
    assert [re.sub(r"<[^>]+>", "", r[3]) for r in rows] == [
        "RuntimeService", "RuntimeService", "ImageService", "ImageService", "RuntimeService", "RuntimeService"]
    assert md.count("\n") == 2 + len(UPSTREAM_ORDER)


def test_cri_service_mapping_follows_api_proto():
    for m in ("ImageStatus", "PullImage", "ListImages", "RemoveImage", "ImageFsInfo"):
        assert cri_service(m) == "ImageService"
    for m in ("RunPodSandbox", "StopPodSandbox", "CreateContainer", "StartContainer", "ContainerStatus", "Version"):
        assert cri_service(m) == "RuntimeService"


def test_wrong_cri_expectation_fails(book):
    with pytest.raises(ExpectationError):
        kubelet.cri_table(book, SCENARIO, nodo="node-2", espera="PullImage, RunPodSandbox")


def test_conditions_timeline(book):
    rows = kubelet.condition_timeline(book, SCENARIO, nodo="node-2")
    cols = list(kubelet.CONDITION_COLUMNS)
    # the ReplicaSet controller creates the Pod with no conditions
    assert rows[0].writer == "replicaset-controller" and set(rows[0].conditions) == {"—"}
    # the binding subresource sets PodScheduled=True (pkg/registry/core/pod/storage/storage.go)
    assert rows[1].writer == "kube-scheduler"
    assert rows[1].conditions[cols.index("PodScheduled")] == "True"
    # then only the kubelet writes; Ready waits with ContainersNotReady (pkg/kubelet/status/generate.go)
    assert all(r.writer == "kubelet/node-2" for r in rows[2:])
    assert any(r.conditions[cols.index("Ready")] == "False (ContainersNotReady)" for r in rows[2:])
    last = rows[-1]
    assert last.phase == "Running" and set(last.conditions) == {"True"}
    assert [r.time_ms for r in rows] == sorted(r.time_ms for r in rows)
    # Ready becomes True when StartContainer has finished
    start = ob.cri_calls(book.run(SCENARIO).events, node="node-2", method="StartContainer")[0]
    assert last.time_ms == start.time_ms + int(start.get("duration_ms"))


def test_conditions_table_one_column_per_write(book):
    md = kubelet.conditions_table(book, SCENARIO, nodo="node-2")
    lines = md.splitlines()
    rows = kubelet.condition_timeline(book, SCENARIO, nodo="node-2")
    assert lines[0].count("|") == len(rows) + 2
    assert lines[2].startswith("| Quién escribe | replicaset-controller | kube-scheduler | kubelet/node-2")
    assert "False<br><small>ContainersNotReady</small>" in md
    assert len(lines) == 2 + 2 + len(kubelet.CONDITION_COLUMNS)


def test_kubelet_events_v1_35_wording(book):
    md = kubelet.kubelet_events(book, SCENARIO, nodo="node-2")
    reasons = [c for c in inline_codes(md) if c in ("Pulling", "Pulled", "Created", "Started")]
    assert reasons == ["Pulling", "Pulled", "Created", "Started"]
    assert "<code>Container created</code>" in md and "<code>Container started</code>" in md
    assert "<code>Pulling image &quot;nginx:1.27&quot;</code>" in md
    assert re.search(r"Successfully pulled image &quot;nginx:1\.27&quot; in [0-9.]+m?s \([0-9.]+m?s including waiting\)\. "
                     r"Image size: \d+ bytes\.", md)


def test_heartbeats_every_ten_seconds(book):
    assert kubelet.lease_interval_ms(book, SCENARIO, "node-2") == 40 * 1000 // 4
    assert kubelet.heartbeat_interval(book, SCENARIO, "node-2") == "10 s"
    md = kubelet.heartbeat_table(book, SCENARIO, "node-2", espera_intervalo="10 s", maximo=3)
    renewals = [ln for ln in md.splitlines() if "renueva el Lease" in ln]
    assert len(renewals) == 3
    assert [ln.split("|")[1].strip() for ln in renewals] == ["10 s", "20 s", "30 s"]
    assert "POST /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases" in md
    with pytest.raises(ExpectationError):
        kubelet.heartbeat_table(book, SCENARIO, "node-2", espera_intervalo="40 s")


def test_pod_selection_errors_list_candidates(book):
    events = book.run(SCENARIO).events
    assert select_pod(events, node="node-2").startswith("default/nginx-")
    with pytest.raises(ContentError, match="default/nginx-"):
        select_pod(events, pod="no-existe")
    with pytest.raises(ContentError):
        kubelet.lease_renewals(book, SCENARIO, "node-9")


def test_kubelet_watches_table_lists_services_node_and_pods(book):
    """pkg/kubelet/kubelet.go NewMainKubelet (Service and Node informers) + pkg/kubelet/config/apiserver.go (pods)."""
    md = kubelet.kubelet_watches(book, "despliegue-basico.yaml", "node-2", espera="services, nodes, pods")
    assert "/api/v1/nodes?fieldSelector=metadata.name=node-2&amp;watch=true" in md
    assert "/api/v1/pods?fieldSelector=spec.nodeName=node-2&amp;watch=true" in md
    with pytest.raises(ExpectationError):
        kubelet.kubelet_watches(book, "despliegue-basico.yaml", "node-2", espera="pods")


def test_status_writes_are_patches(book):
    """pkg/kubelet/status/status_manager.go (GET + PatchPodStatus) and kubelet_node_status.go (PatchNodeStatus)."""
    events = book.run("despliegue-basico.yaml").events
    writes = [e.api for e in ob.requests(events, source="kubelet/node-2", subresource="status")]
    assert writes and all(w.verb == "PATCH" for w in writes)
    assert {(w.resource, w.namespace) for w in writes} == {("nodes", None), ("pods", "default")}


def test_kubelet_watches_purpose_renders_code_spans(book):
    md = kubelet.kubelet_watches(book, "despliegue-basico.yaml", "node-2")
    assert "entorno <code>&lt;SERVICIO&gt;&#95;SERVICE&#95;HOST</code> de" in md and "`" not in md
