"""kube-apiserver page content: request diagrams from the trace, added fields, the 409 text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from k8sdocs.content import apiserver
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, ExpectationError
from support.built_html import diagram_participants, diagram_rows, diagrams

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(DOCS)


def test_deployment_creation_path(book):
    events = apiserver.request_events(book, "despliegue-basico.yaml", "Deployment", "nginx")
    # kubectl apply: GET (404), POST to the collection, then one etcd write of the key (store.go Create)
    # the 404 is either a reply event or data on the GET (then shown as "→ 404 NotFound")
    events = [e for e in events if e.source != "kube-apiserver" or e.kind != "request"]
    assert [(e.kind, e.source, e.target, e.summary) for e in events[:3]] == [
        ("request", "kubectl", "kube-apiserver",
         "GET /apis/apps/v1/namespaces/default/deployments/nginx → 404 NotFound"),
        ("request", "kubectl", "kube-apiserver", "POST /apis/apps/v1/namespaces/default/deployments"),
        ("etcd", "kube-apiserver", "etcd", "PUT /registry/deployments/default/nginx"),
    ]
    assert apiserver.notified_actors(book, "despliegue-basico.yaml", "Deployment", "nginx") == ["kube-controller-manager"]


def test_service_is_announced_to_every_kube_proxy_and_kubelet(book):
    actors = apiserver.notified_actors(book, "despliegue-basico.yaml", "Service", "nginx")
    assert {"kube-proxy/node-1", "kube-proxy/node-2", "kube-proxy/node-3", "service-controller"} <= set(actors)
    # pkg/kubelet/kubelet.go NewMainKubelet: a Service informer for the containers' environment variables
    assert {"kubelet/node-1", "kubelet/node-2", "kubelet/node-3"} <= set(actors)


def test_diagram_text_and_expectation(book):
    md = apiserver.request_diagram(book, "despliegue-basico.yaml", "Deployment", "nginx", reacciones=True)
    [svg] = diagrams(md)
    rows = [r[1:] for r in diagram_rows(svg)]
    assert ("kube-apiserver", "etcd", "[5 s] PUT /registry/deployments/default/nginx") in rows
    assert ("deployment-controller", "kube-apiserver", "[5 s] POST /apis/apps/v1/namespaces/default/replicasets") in rows
    assert diagram_participants(svg)[:3] == ["kubectl", "kube-apiserver", "etcd"]
    with pytest.raises(ExpectationError):
        apiserver.request_diagram(book, "despliegue-basico.yaml", "Deployment", "nginx", espera="kube-scheduler")
    with pytest.raises(ContentError):
        apiserver.request_events(book, "despliegue-basico.yaml", "Deployment", "no-existe")


def test_kubelet_watches_services_its_node_and_its_pods(book):
    rows = apiserver.watch_rows(book, "despliegue-basico.yaml", nodo="node-1")
    kubelet = [r[1] for r in rows if r[0] == "kubelet/node-1"]
    # pkg/kubelet/kubelet.go NewMainKubelet (Service informer; Node informer with metadata.name) and
    # pkg/kubelet/config/apiserver.go: fields.OneTermEqualSelector("spec.nodeName", nodeName)
    assert kubelet == ["<code>/api/v1/services?watch=true</code>",
                       "<code>/api/v1/nodes?fieldSelector=metadata.name=node-1&amp;watch=true</code>",
                       "<code>/api/v1/pods?fieldSelector=spec.nodeName=node-1&amp;watch=true</code>"]
    assert not any(r[0].endswith("node-2") for r in rows)


def test_added_fields_include_default_toleration_seconds(book):
    fields = {f.path: f for f in apiserver.added_fields(book, "planificacion.yaml", "Pod", "cabe-en-uno")}
    # plugin/pkg/admission/defaulttolerationseconds: not-ready and unreachable, NoExecute, 300 s
    assert fields["spec.tolerations[0]"].value == (
        '{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}')
    assert "DefaultTolerationSeconds" in fields["spec.tolerations[1]"].origin
    # pkg/apis/core/v1/defaults.go
    assert fields["spec.schedulerName"].value == '"default-scheduler"'
    assert fields["spec.terminationGracePeriodSeconds"].value == "30"
    assert fields["spec.restartPolicy"].value == '"Always"'
    assert fields["status.phase"].value == '"Pending"'
    assert "spec.containers[0].resources.requests.cpu" not in fields  # in the manifest already


def test_conflict_is_the_upstream_optimistic_lock_error():
    steps = apiserver.conflict_steps()
    assert steps[-1].result == (
        '409 Conflict: Operation cannot be fulfilled on configmaps "ajustes": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert steps[1].resource_version == steps[2].resource_version
    assert int(steps[3].resource_version) == int(steps[1].resource_version) + 1


def test_added_fields_show_service_account_and_priority_admission(book):
    """plugin/pkg/admission/serviceaccount (serviceAccountName, kube-api-access-<5> projected volume, mounts) and
    plugin/pkg/admission/priority getDefaultPriority (PreemptLowerPriority without a default class)."""
    fields = {f.path: f for f in apiserver.added_fields(book, "planificacion.yaml", "Pod", "cabe-en-uno")}
    assert fields["spec.serviceAccountName"].value == '"default"'
    assert "ServiceAccount" in fields["spec.serviceAccountName"].origin
    assert "alias obsoleto" in fields["spec.serviceAccount"].origin
    assert (fields["spec.preemptionPolicy"].value, fields["spec.preemptionPolicy"].origin) == (
        '"PreemptLowerPriority"', "admisión `Priority`")
    volume = json.loads(fields["spec.volumes[0]"].value)
    assert re.fullmatch(r"kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}", volume["name"])
    assert volume["projected"]["defaultMode"] == 420
    assert volume["projected"]["sources"][0] == {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}
    mount = json.loads(fields["spec.containers[0].volumeMounts[0]"].value)
    assert mount == {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": volume["name"],
                     "readOnly": True}
    assert fields["spec.containers[0].volumeMounts[0]"].origin == "admisión `ServiceAccount`"
    assert all(f.origin != "—" for f in fields.values())
