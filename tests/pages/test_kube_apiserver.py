"""The kube-apiserver page: diagrams from the trace, watches, added fields and the 409, as the model gives them."""

from __future__ import annotations

import pytest

from k8sdocs.content import apiserver
from support.built_html import code_blocks, diagram_texts, diagrams, md_table, read_page, tables_of_html, text_of


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return read_page(built_site, "plano-de-control/kube-apiserver")


def test_sequence_diagrams_are_the_trace(html, book):
    sources = diagrams(html)
    [deploy] = diagrams(apiserver.request_diagram(book, "despliegue-basico.yaml", "Deployment", "nginx", reacciones=True))
    [service] = diagrams(apiserver.request_diagram(book, "despliegue-basico.yaml", "Service", "nginx"))
    assert deploy in sources and service in sources
    assert "[5 s] PUT /registry/deployments/default/nginx" in diagram_texts(deploy)


def test_request_path_flowchart(html):
    flow = next(s for s in diagrams(html) if 'class="k8s-svg k8s-flow"' in s)
    # controlling-access.md and admission-controllers.md: authn -> authz -> mutating -> validation -> validating -> etcd
    order = ["Autenticación", "Autorización", "Admisión de mutación", "Validación del esquema", "Admisión de validación",
             "etcd"]
    assert diagram_texts(flow) == order  # top to bottom
    text = text_of(html)
    assert "mutante" not in text and "validante" not in text  # calques (glossary: «de mutación», «de validación»)
    assert "En el modelo, las etapas 1 y 2 no existen" in text  # the simplification, said at that spot


def test_tables_match_the_model(html, book):
    page_tables = tables_of_html(html)
    assert md_table(apiserver.watch_table(book, "despliegue-basico.yaml", nodo="node-1")) in page_tables
    assert md_table(apiserver.added_fields_table(book, "planificacion.yaml", "Pod", "cabe-en-uno")) in page_tables
    assert md_table(apiserver.conflict_table(book)) in page_tables


def test_conflict_message_verbatim(html):
    # store.go OptimisticLockErrorMsg inside errors.go NewConflict
    expected = ('409 Conflict: Operation cannot be fulfilled on configmaps "ajustes": the object has been modified; '
                "please apply your changes to the latest version and try again")
    assert expected in [c.strip() for c in code_blocks(html)]
