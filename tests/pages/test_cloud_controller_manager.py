"""The cloud-controller-manager page: node initialization and the load balancer, as the model runs them."""

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


from k8sdocs.content import cloud  # noqa: E402


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return h.page(built_site, "plano-de-control/cloud-controller-manager")


def test_tables(html, book):
    page_tables = h.tables(html)
    assert h.md_table(cloud.node_initialization_table(book, "nodo-sin-inicializar.yaml", "web")) in page_tables
    assert h.md_table(cloud.node_changes_table(book, "nodo-sin-inicializar.yaml", "node-1")) in page_tables
    assert h.md_table(cloud.service_steps_table(book, "nodo-sin-inicializar.yaml", "web")) in page_tables


def test_taint_and_messages_verbatim(html):
    codes = h.inline_codes(html)
    assert "node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule" in codes
    assert "Warning FailedScheduling no nodes available to schedule pods" in codes


def test_external_ip(html, book):
    blocks = [c.strip() for c in h.code_texts(html)]
    md = cloud.service_get_row(book, "nodo-sin-inicializar.yaml", "web")
    assert md.removeprefix("```text\n").removesuffix("```\n").strip() in blocks
    assert any("ingress:" in b and "203.0.113.10" in b for b in blocks)
