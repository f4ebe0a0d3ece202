"""etcd page content: key layout, revisions, history of a key."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import etcd
from k8sdocs.content.book import ExampleBook
from k8sdocs.model.resources import RESOURCES, resource_for_key

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(DOCS)


@pytest.mark.parametrize("key, expected", [
    # pkg/kubeapiserver/default_storage_factory_builder.go SpecialDefaultResourcePrefixes
    ("/registry/minions/node-1", ("Node", None, "node-1")),
    ("/registry/services/specs/default/nginx", ("Service", "default", "nginx")),
    ("/registry/services/endpoints/default/nginx", ("Endpoints", "default", "nginx")),
    ("/registry/controllers/default/rc", ("ReplicationController", "default", "rc")),
    ("/registry/deployments/default/nginx", ("Deployment", "default", "nginx")),
    ("/registry/namespaces/default", ("Namespace", None, "default")),
])
def test_resource_for_key(key, expected):
    found = resource_for_key(key)  # model/resources.py, the inverse of ResourceInfo.key
    assert found is not None
    info, ns, name = found
    assert (info.kind, ns, name) == expected
    assert info.key(name, ns) == key
    assert resource_for_key("/registry/minions/a/b") is None  # a cluster-scoped kind has no namespace part
    assert RESOURCES[expected[0]] is info


def test_layout_exceptions_are_the_upstream_special_prefixes():
    # pkg/kubeapiserver/default_storage_factory_builder.go SpecialDefaultResourcePrefixes (v1.35)
    kinds = [r[0] for r in etcd.layout_exceptions()]
    assert kinds == ["Endpoints", "Ingress", "Ingress", "Node", "ReplicationController", "Service"]


def test_resource_version_is_the_mod_revision(book):
    rows = etcd.key_rows(book, "despliegue-basico.yaml", ("Event",))
    assert rows and all(r.resource_version == str(r.mod_revision) for r in rows)
    assert all(r.create_revision <= r.mod_revision for r in rows)
    kinds = {r.kind for r in rows}
    assert {"Deployment", "ReplicaSet", "Pod", "Service", "Node", "Namespace"} <= kinds and "Event" not in kinds
    # a key written once has version 1 and equal revisions: the Service was never updated
    svc = next(r for r in rows if r.kind == "Service")
    assert (svc.version, svc.create_revision) == (1, svc.mod_revision)


def test_pod_history_creator_binder_kubelet(book):
    key, writes = etcd.key_history(book, "despliegue-basico.yaml", "/registry/pods/default/nginx-")
    assert key.startswith("/registry/pods/default/nginx-")
    assert writes[0].actor == "replicaset-controller" and writes[0].request == "POST /api/v1/namespaces/default/pods"
    assert writes[1].actor == "kube-scheduler" and writes[1].request.endswith("/binding")
    assert all(w.actor.startswith("kubelet/") and w.request.endswith("/status") for w in writes[2:])
    revisions = [w.revision for w in writes]
    assert revisions == sorted(revisions) and len(set(revisions)) == len(revisions)
    row = next(r for r in etcd.key_rows(book, "despliegue-basico.yaml") if r.key == key)
    assert (row.version, row.create_revision, row.mod_revision) == (len(writes), revisions[0], revisions[-1])


def test_table_refuses_a_resource_version_that_is_not_the_mod_revision(book):
    import dataclasses

    from k8sdocs.content.errors import ContentError

    real = book.run("despliegue-basico.yaml")
    pods = tuple({**p, "metadata": {**p["metadata"], "resourceVersion": "1"}} for p in real.objects_of("Pod"))
    fake = dataclasses.replace(real, objects={**real.objects, "Pod": pods})
    fake_book = ExampleBook(DOCS, runner=lambda path: fake)
    with pytest.raises(ContentError, match="resourceVersion 1 no es la revisión de modificación"):
        etcd.keys_table(fake_book, "despliegue-basico.yaml")


def test_system_objects_exist_before_the_scenario(book):
    rows = etcd.key_rows(book, "despliegue-basico.yaml", ("Event",))
    first_user_write = min(r.create_revision for r in rows if r.kind in ("Node", "Deployment", "Service"))
    system = [r for r in rows if r.create_revision < first_user_write]
    # the page: "Los cuatro espacios de nombres y las dos PriorityClass del sistema existen desde el arranque"
    assert sorted(r.name for r in system if r.kind == "Namespace") == ["default", "kube-node-lease", "kube-public",
                                                                        "kube-system"]
    assert sorted(r.name for r in system if r.kind == "PriorityClass") == ["system-cluster-critical",
                                                                            "system-node-critical"]


def test_resource_version_order_compares_as_integers(book):
    """KEP-5504 (v1.35): resourceVersions of one resource are comparable integers (client-go CompareResourceVersion)."""
    from k8sdocs.content import etcd as etcd_content

    text = etcd_content.resource_version_order(book, "despliegue-basico.yaml", "/registry/pods/default/nginx-")
    versions = [int(v.replace("<code>", "").replace("</code>", "")) for v in text.split(" &lt; ")]
    assert len(versions) >= 3 and versions == sorted(versions) and len(set(versions)) == len(versions)
