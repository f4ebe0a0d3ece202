"""cloud-controller-manager page content: the uninitialized taint, node initialization, the load balancer."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import cloud
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ExpectationError

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(DOCS)


def test_pod_waits_for_initialization(book):
    steps = cloud.node_initialization_steps(book, "nodo-sin-inicializar.yaml", "web")
    texts = [s.text for s in steps]
    # schedule_one.go ErrNoNodesAvailable, then the FitError with the TaintToleration reason (v1.35 wording)
    assert texts[0] == "Warning FailedScheduling no nodes available to schedule pods"
    assert ("Warning FailedScheduling 0/2 nodes are available: 2 node(s) had untolerated taint(s). "
            "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.") in texts
    init = max(s.time_ms for s in steps if s.actor == "cloud-node-controller")
    bind = [s for s in steps if s.text.startswith("POST ") and s.text.endswith("/binding node=node-2")]
    assert bind and bind[0].time_ms > init
    with pytest.raises(ExpectationError):
        cloud.node_initialization_table(book, "nodo-sin-inicializar.yaml", "web", espera="node-1")


def test_initialization_removes_the_taint_and_sets_topology(book):
    changes = {c.field: c for c in cloud.node_changes(book, "nodo-sin-inicializar.yaml", "node-1")}
    # staging/src/k8s.io/cloud-provider/api/well_known_taints.go TaintExternalCloudProvider
    assert changes["spec.taints"].before == "node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule"
    assert changes["spec.taints"].after == ""
    assert changes["metadata.labels[topology.kubernetes.io/zone]"].before == ""
    assert changes["metadata.labels[topology.kubernetes.io/zone]"].after
    assert changes["spec.providerID"].after


def test_load_balancer_events_and_ingress(book):
    texts = [s.text for s in cloud.service_steps(book, "nodo-sin-inicializar.yaml", "web")]
    # staging/src/k8s.io/cloud-provider/controllers/service/controller.go event reasons and messages
    assert texts[0] == "Normal EnsuringLoadBalancer Ensuring load balancer"
    assert "Normal EnsuredLoadBalancer Ensured load balancer" in texts
    steps = cloud.service_steps(book, "nodo-sin-inicializar.yaml", "web")
    ensured = next(s for s in steps if s.text == "Normal EnsuredLoadBalancer Ensured load balancer")
    assert ensured.time_ms == 3000  # the page says the fake provider takes 3 s
    assert texts[1] == "Warning UnAvailableLoadBalancer There are no available nodes for LoadBalancer"
    assert "Normal UpdatedLoadBalancer Updated load balancer with new hosts" in texts
    md = cloud.service_get_row(book, "nodo-sin-inicializar.yaml", "web", espera_ip="203.0.113.10")
    assert "LoadBalancer" in md and "203.0.113.10" in md
    assert "ingress:\n    - ip: 203.0.113.10" in cloud.load_balancer_status(book, "nodo-sin-inicializar.yaml", "web")
