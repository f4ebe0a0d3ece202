"""The etcd page: keys, revisions and key histories equal what the model's store holds."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from k8sdocs.content.book import ExampleBook

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("_cp_html", Path(__file__).with_name("_cp_html.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


from k8sdocs.content import etcd  # noqa: E402


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return h.page(built_site, "plano-de-control/etcd")


def test_keys_table(html, book):
    expected = h.md_table(etcd.keys_table(book, "despliegue-basico.yaml", excluir="Event"))
    assert expected in h.tables(html)
    rows = expected[1:]
    # mod revision == the object's resourceVersion (etcd3 store: ResourceVersion from ModRevision)
    objs = {r.key: r for r in etcd.key_rows(book, "despliegue-basico.yaml", ("Event",))}
    assert all(row[3] == objs[row[0]].resource_version for row in rows)
    assert "/registry/minions/node-1" in [row[0] for row in rows]
    assert any(row[0].startswith("/registry/services/specs/") for row in rows)


def test_layout_exceptions(html, book):
    expected = h.md_table(etcd.layout_exceptions_table(book))
    assert expected in h.tables(html)
    assert ["Node", "nodes", "/registry/minions/<nombre>"] in expected


def test_histories(html, book):
    page_tables = h.tables(html)
    for prefix in ("/registry/pods/default/nginx-", "/registry/deployments/default/nginx"):
        assert h.md_table(etcd.key_history_table(book, "despliegue-basico.yaml", prefix)) in page_tables


def test_numbers_in_text(html, book):
    text = h.text(html)
    assert f"sin contar los {etcd.key_count(book, 'despliegue-basico.yaml', 'Event')} eventos" in text
    assert f"va por la revisión {etcd.store_revision(book, 'despliegue-basico.yaml')}" in text
    assert "protobuf" in text and "k8s\\x00" in text
