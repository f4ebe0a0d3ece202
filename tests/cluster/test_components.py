"""The architecture table: eight components, ports from ports-and-protocols.md, "habla con" from a trace."""

from __future__ import annotations

from k8sdocs.content.components import COMPONENTS, component_of_actor, component_rows, talks_to
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import Trace


def test_eight_components_two_planes() -> None:
    names = [c.name for c in COMPONENTS]
    assert names == ["kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager", "cloud-controller-manager",
                     "kubelet", "kube-proxy", "container runtime"]
    assert [c.plane for c in COMPONENTS].count("control") == 5
    assert [c.plane for c in COMPONENTS].count("nodo") == 3


def test_ports_from_ports_and_protocols_page() -> None:
    # kubernetes/website content/en/docs/reference/networking/ports-and-protocols.md
    ports = {c.name: c.port for c in COMPONENTS}
    assert ports["kube-apiserver"] == "6443/TCP"
    assert ports["etcd"] == "2379-2380/TCP"
    assert ports["kube-scheduler"] == "10259/TCP"
    assert ports["kube-controller-manager"] == "10257/TCP"
    assert ports["kubelet"] == "10250/TCP"
    assert ports["kube-proxy"] == "10256/TCP"
    assert ports["cloud-controller-manager"] == "10258/TCP"  # --secure-port default


def test_actor_mapping() -> None:
    assert component_of_actor("deployment-controller") == "kube-controller-manager"
    assert component_of_actor("node-lifecycle-controller") == "kube-controller-manager"
    assert component_of_actor("service-controller") == "cloud-controller-manager"
    assert component_of_actor("cloud-node-controller") == "cloud-controller-manager"
    assert component_of_actor("kubelet/node-2") == "kubelet"
    assert component_of_actor("kube-proxy/node-2") == "kube-proxy"
    assert component_of_actor("container-runtime/node-2") == "container runtime"
    assert component_of_actor("kube-scheduler") == "kube-scheduler"


def test_talks_to_uses_requests_not_watch_notifications() -> None:
    clock = Clock()
    trace = Trace(clock)
    trace.record("request", "kubelet/node-1", "kube-apiserver", "POST /api/v1/nodes")
    trace.record("etcd", "kube-apiserver", "etcd", "PUT /registry/minions/node-1")
    trace.record("watch", "kube-apiserver", "kubelet/node-1", "ADDED Pod default/a")
    trace.record("request", "kube-apiserver", "kubelet/node-1", "404 NotFound")
    trace.record("cri", "kubelet/node-1", "container-runtime/node-1", "RunPodSandbox default/a")
    trace.record("request", "replicaset-controller", "kube-apiserver", "POST /api/v1/namespaces/default/pods")
    peers = talks_to(trace.events)
    assert peers["kubelet"] == ("kube-apiserver", "container runtime")
    assert peers["kube-apiserver"] == ("etcd",)
    assert peers["kube-controller-manager"] == ("kube-apiserver",)
    assert peers["etcd"] == ()
    rows = component_rows(trace.events)
    assert rows[0].plano == "plano de control" and rows[-1].plano == "nodo de trabajo"
