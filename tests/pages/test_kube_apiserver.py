"""The kube-apiserver page: diagrams from the trace, watches, added fields and the 409, as the model gives them."""

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


from k8sdocs.content import apiserver  # noqa: E402


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return h.page(built_site, "plano-de-control/kube-apiserver")


def _fence_body(md: str) -> str:
    return md.removeprefix("```mermaid\n").removesuffix("```\n").rstrip("\n")


def test_sequence_diagrams_are_the_trace(html, book):
    sources = [s.rstrip("\n") for s in h.mermaid_sources(html)]
    deploy = _fence_body(apiserver.request_diagram(book, "despliegue-basico.yaml", "Deployment", "nginx", reacciones=True))
    service = _fence_body(apiserver.request_diagram(book, "despliegue-basico.yaml", "Service", "nginx"))
    assert deploy in sources and service in sources
    assert "PUT /registry/deployments/default/nginx" in deploy


def test_request_path_flowchart(html):
    flow = next(s for s in h.mermaid_sources(html) if s.startswith("flowchart"))
    order = ["Autenticación", "Autorización", "Admisión mutante", "Validación", "Admisión validante", "etcd"]
    positions = [flow.index(step) for step in order]
    assert positions == sorted(positions)


def test_tables_match_the_model(html, book):
    page_tables = h.tables(html)
    assert h.md_table(apiserver.watch_table(book, "despliegue-basico.yaml", nodo="node-1")) in page_tables
    assert h.md_table(apiserver.added_fields_table(book, "planificacion.yaml", "Pod", "cabe-en-uno")) in page_tables
    assert h.md_table(apiserver.conflict_table(book)) in page_tables


def test_conflict_message_verbatim(html):
    # store.go OptimisticLockErrorMsg inside errors.go NewConflict
    expected = ('409 Conflict: Operation cannot be fulfilled on configmaps "ajustes": the object has been modified; '
                "please apply your changes to the latest version and try again")
    assert expected in [c.strip() for c in h.code_texts(html)]
