"""The two walkthroughs: the apply path of one replica and the node-failure timeline.

Upstream facts checked:
- apply path (k8s-facts §2.1): kubectl POST → etcd → deployment controller creates the ReplicaSet → replicaset
  controller creates Pods → scheduler binds (pods/binding subresource) → the kubelet, watching spec.nodeName, runs
  the CRI calls → status Running → EndpointSlice → kube-proxy.
- node failure (pkg/controller/nodelifecycle, v1.32+ defaults): --node-monitor-grace-period 50 s checked every
  --node-monitor-period 5 s, taint node.kubernetes.io/unreachable (NoSchedule and NoExecute), DefaultTolerationSeconds
  300 s (plugin/pkg/admission/defaulttolerationseconds), eviction by the taint eviction controller, a replacement Pod
  created by the ReplicaSet and bound to another node.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import walkthrough
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, ExpectationError
from support.built_html import diagram_numbers, diagram_participants, diagram_rows, diagrams

ROOT = Path(__file__).resolve().parents[2]
APPLY = ("despliegue-basico.yaml", "nginx")
FAIL = ("nodo-falla.yaml", "node-2")
GRACE_MS = 50_000
MONITOR_PERIOD_MS = 5_000
TOLERATION_MS = 300_000


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


def test_apply_steps_follow_the_upstream_path(book):
    steps = walkthrough.apply_steps(book, *APPLY)
    kinds = [(s.event.kind, s.event.sender.component, s.event.receiver.component) for s in steps]
    expected_prefix = [
        ("request", "kubectl", "kube-apiserver"),
        ("etcd", "kube-apiserver", "etcd"),
        ("watch", "kube-apiserver", "kube-controller-manager"),
        ("request", "deployment-controller", "kube-apiserver"),
        ("etcd", "kube-apiserver", "etcd"),
        ("watch", "kube-apiserver", "kube-controller-manager"),
        ("request", "replicaset-controller", "kube-apiserver"),
        ("etcd", "kube-apiserver", "etcd"),
        ("watch", "kube-apiserver", "kube-scheduler"),
        ("decision", "kube-scheduler", "kube-scheduler"),
        ("request", "kube-scheduler", "kube-apiserver"),
        ("etcd", "kube-apiserver", "etcd"),
        ("watch", "kube-apiserver", "kubelet"),
    ]
    assert kinds[: len(expected_prefix)] == expected_prefix
    cri = [s.event.cri.method for s in steps if s.event.cri is not None]
    assert cri == ["RunPodSandbox", "PodSandboxStatus", "ImageStatus", "PullImage", "CreateContainer", "StartContainer"]
    assert kinds[-4:] == [("request", "kubelet", "kube-apiserver"), ("request", "endpointslice-controller", "kube-apiserver"),
                          ("watch", "kube-apiserver", "kube-proxy"), ("iptables", "kube-proxy", "iptables")]
    assert steps[10].event.api is not None and steps[10].event.api.subresource == "binding"
    times = [s.event.time_ms for s in steps]
    assert times == sorted(times)


def test_diagram_halves_continue_the_numbering(book):
    first = walkthrough.apply_diagram(book, *APPLY, parte="plano-de-control")
    second = walkthrough.apply_diagram(book, *APPLY, parte="nodo")
    steps = walkthrough.apply_steps(book, *APPLY)
    head, tail = walkthrough.split_steps(steps)
    n_first = sum(1 for s in head if s.event.kind not in ("decision", "iptables"))
    [first], [second] = diagrams(first), diagrams(second)
    assert diagram_numbers(first) == list(range(1, n_first + 1))
    assert diagram_numbers(second)[0] == n_first + 1
    assert not any(p.startswith("kubelet") for p in diagram_participants(first))
    assert "kube-scheduler" not in diagram_participants(second)
    assert max(len(diagram_participants(d)) for d in (first, second)) <= 6  # each half fits about six lifelines
    [whole] = diagrams(walkthrough.apply_diagram(book, *APPLY))
    assert diagram_numbers(whole) == diagram_numbers(first) + diagram_numbers(second)
    with pytest.raises(ContentError):
        walkthrough.apply_diagram(book, *APPLY, parte="otra")


def test_explanation_has_one_item_per_arrow(book):
    md = walkthrough.apply_explanation(book, *APPLY)
    items = [ln for ln in md.splitlines() if ln.startswith("1. ")]
    steps = walkthrough.apply_steps(book, *APPLY)
    assert len(items) == sum(1 for s in steps if s.event.kind not in ("decision", "iptables"))
    assert "iptables-restore" in md.splitlines()[-1]


def test_short_labels_drop_the_api_prefix():
    from k8sdocs.model.trace import APIRequest, CRICall, TraceEvent

    req = APIRequest("POST", "apps", "v1", "deployments", "default")
    ev = TraceEvent(1, 0, "request", "kubectl", "kube-apiserver", f"POST {req.path}", api=req)
    assert walkthrough.short_summary(ev) == "POST deployments"
    req = APIRequest("PUT", "", "v1", "pods", "default", "p", "status")
    ev = TraceEvent(1, 0, "request", "k", "kube-apiserver", f"PUT {req.path}", api=req)
    assert walkthrough.short_summary(ev) == "PUT pods/p/status"
    ev = TraceEvent(1, 0, "cri", "kubelet/n", "container-runtime/n", "RunPodSandbox default/p",
                    cri=CRICall("RunPodSandbox", "default/p"))
    assert walkthrough.short_summary(ev) == "RunPodSandbox"
    ev = TraceEvent(1, 0, "cri", "kubelet/n", "container-runtime/n", "PullImage nginx:1.27",
                    cri=CRICall("PullImage", "default/p", image="nginx:1.27"))
    assert walkthrough.short_summary(ev) == "PullImage nginx:1.27"


def test_failure_timeline_upstream_timing(book):
    tl = walkthrough.failure_timeline(book, *FAIL)
    assert tl.failure_ms == 65_000  # the scenario's fail-node step
    assert tl.last_heartbeat_ms < tl.failure_ms <= tl.last_heartbeat_ms + 10_000  # Lease every 10 s
    # Ready=Unknown once the grace period passed since the monitor pass that saw the last renewal
    assert GRACE_MS <= tl.unknown_ms - tl.last_heartbeat_ms <= GRACE_MS + MONITOR_PERIOD_MS
    assert tl.noschedule_ms >= tl.unknown_ms
    assert tl.unknown_ms <= tl.noexecute_ms <= tl.unknown_ms + MONITOR_PERIOD_MS + 1_000
    assert len(tl.evictions) == 1
    assert tl.evictions[0][0] - tl.noexecute_ms == TOLERATION_MS
    (pod, created, node, started), = tl.replacements
    assert node and node != "node-2"
    assert created == tl.evictions[0][0] and started > created


def test_failure_values_and_expectation(book):
    assert walkthrough.failure_value(book, *FAIL, "tolerancia") == "5 min"
    assert walkthrough.failure_value(book, *FAIL, "fallo") == "1 min 5 s"
    with pytest.raises(ContentError):
        walkthrough.failure_value(book, *FAIL, "otro")
    md = walkthrough.failure_table(book, *FAIL, espera_tolerancia="5 min")
    assert "node.kubernetes.io/unreachable:NoExecute" in md
    assert "TaintManagerEviction Marking for deletion Pod default/nginx-" in md
    with pytest.raises(ExpectationError):
        walkthrough.failure_table(book, *FAIL, espera_tolerancia="40 s")


def test_no_failure_is_a_content_error(book):
    with pytest.raises(ContentError, match="fail-node"):
        walkthrough.failure_timeline(book, "despliegue-basico.yaml", "node-2")


def test_failure_diagram(book):
    md = walkthrough.failure_diagram(book, *FAIL)
    [svg] = diagrams(md)
    messages = [(d, t) for n, s, d, t in diagram_rows(svg) if n != "nota"]
    texts = [t for _, t in messages]
    assert texts[0] == "PUT leases/node-2"
    assert "node-lifecycle-controller: PUT nodes/node-2/status (Ready=Unknown)" in texts
    noschedule = texts.index("node-lifecycle-controller: PUT nodes/node-2 (unreachable:NoSchedule)")
    noexecute = texts.index("node-lifecycle-controller: PUT nodes/node-2 (unreachable:NoExecute)")
    delete = next(i for i, t in enumerate(texts) if t.startswith("taint-eviction-controller: DELETE pods/"))
    create = texts.index("replicaset-controller: POST pods")
    bind = next(i for i, t in enumerate(texts) if t.endswith("/binding"))
    assert noschedule < noexecute < delete < create < bind
    assert messages[-1][0] == "kube-apiserver" and texts[-1].endswith("/status")
    assert any(n == "nota" and s == "kubelet/node-2" for n, s, _, _ in diagram_rows(svg))
