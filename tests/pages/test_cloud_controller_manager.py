"""The cloud-controller-manager page: node initialization and the load balancer, as the model runs them."""

from __future__ import annotations

import pytest

from k8sdocs.content import cloud
from support.built_html import code_blocks, fence_body, inline_codes, md_table, read_page, tables_of_html


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return read_page(built_site, "plano-de-control/cloud-controller-manager")


def test_tables(html, book):
    page_tables = tables_of_html(html)
    assert md_table(cloud.node_initialization_table(book, "nodo-sin-inicializar.yaml", "web")) in page_tables
    assert md_table(cloud.node_changes_table(book, "nodo-sin-inicializar.yaml", "node-1")) in page_tables
    assert md_table(cloud.service_steps_table(book, "nodo-sin-inicializar.yaml", "web")) in page_tables


def test_taint_and_messages_verbatim(html):
    codes = inline_codes(html)
    assert "node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule" in codes
    assert "Warning FailedScheduling no nodes available to schedule pods" in codes


def test_external_ip(html, book):
    blocks = [c.strip() for c in code_blocks(html)]
    md = cloud.service_get_row(book, "nodo-sin-inicializar.yaml", "web")
    assert fence_body(md, "text").strip() in blocks
    assert any("ingress:" in b and "203.0.113.10" in b for b in blocks)
