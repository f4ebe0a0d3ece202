"""The etcd page: keys, revisions and key histories equal what the model's store holds."""

from __future__ import annotations

import pytest

from k8sdocs.content import etcd
from k8sdocs.model import etcd_layout
from k8sdocs.model.resources import RESOURCES
from support.built_html import md_table, read_page, tables_of_html, text_of


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return read_page(built_site, "plano-de-control/etcd")


def test_keys_table(html, book):
    expected = md_table(etcd.keys_table(book, "despliegue-basico.yaml", excluir="Event"))
    assert expected in tables_of_html(html)
    rows = expected[1:]
    # mod revision == the object's resourceVersion (etcd3 store: ResourceVersion from ModRevision)
    objs = {r.key: r for r in etcd.key_rows(book, "despliegue-basico.yaml", ("Event",))}
    assert all(row[3] == objs[row[0]].resource_version for row in rows)
    assert "/registry/minions/node-1" in [row[0] for row in rows]
    assert any(row[0].startswith("/registry/services/specs/") for row in rows)


def test_layout_exceptions(html, book):
    expected = md_table(etcd.layout_exceptions_table(book))
    assert expected in tables_of_html(html)
    assert ["Node", "(núcleo)", "nodes", "/registry/minions/<nombre>"] in expected
    # pkg/kubeapiserver/default_storage_factory_builder.go SpecialDefaultResourcePrefixes: Ingress in both groups
    assert ["Ingress", "networking.k8s.io", "ingresses", "/registry/ingress/<espacio>/<nombre>"] in expected
    assert ["Ingress", "extensions", "ingresses", "/registry/ingress/<espacio>/<nombre>"] in expected
    assert len(expected) - 1 == len(etcd_layout.SPECIAL_DEFAULT_RESOURCE_PREFIXES) == 6


def test_model_kinds_follow_the_upstream_prefixes():
    """Every kind the model stores uses the prefix kube-apiserver would (special one, or the plural name)."""
    for info in RESOURCES.values():
        assert info.etcd_prefix == etcd_layout.builtin_prefix(info.group, info.resource), info.kind


def test_group_appears_only_for_custom_resources(html):
    text = text_of(html)
    assert "el grupo de la API no aparece" in text and "En los recursos personalizados" in text
    # customresource_handler.go CRDRESTOptionsGetter: ResourcePrefix = group + "/" + resource
    key = etcd_layout.custom_resource_key("example.com", "widgets", "<nombre>", "<espacio>")
    assert key == "/registry/example.com/widgets/<espacio>/<nombre>"
    assert f"se guarda en {key}." in text
    assert "El grupo de la API no aparece:" not in text  # the old, unqualified statement


def test_histories(html, book):
    page_tables = tables_of_html(html)
    for prefix in ("/registry/pods/default/nginx-", "/registry/deployments/default/nginx"):
        assert md_table(etcd.key_history_table(book, "despliegue-basico.yaml", prefix)) in page_tables


def test_numbers_in_text(html, book):
    text = text_of(html)
    assert f"sin contar los {etcd.key_count(book, 'despliegue-basico.yaml', 'Event')} eventos" in text
    assert f"va por la revisión {etcd.store_revision(book, 'despliegue-basico.yaml')}" in text
    assert "protobuf" in text and "k8s\\x00" in text
