"""The kube-controller-manager page: slow start and rolling-update timelines equal the model's."""

from __future__ import annotations

import pytest

from k8sdocs.content import controllers
from support.built_html import code_blocks, md_table, read_page, tables_of_html, text_of


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return read_page(built_site, "plano-de-control/kube-controller-manager")


def test_timelines(html, book):
    page_tables = tables_of_html(html)
    for scenario, deployment in (("cp-escalado.yaml", "api"), ("actualizacion-progresiva.yaml", "web")):
        assert md_table(controllers.timeline_table(book, scenario, deployment)) in page_tables


def test_events_verbatim(html, book):
    expected = md_table(controllers.events_table(book, "actualizacion-progresiva.yaml", "web"))
    assert expected in tables_of_html(html)
    assert all(row[2] == "ScalingReplicaSet" and row[3].startswith("Scaled ") for row in expected[1:])


def test_slow_start(html, book):
    assert md_table(controllers.slow_start_table(book, "1,3,9,10,25,100")) in tables_of_html(html)
    decision = controllers.replicaset_decision(book, "cp-escalado.yaml", "api-", "20s")
    assert decision in [c.strip() for c in code_blocks(html)]
    assert "1, 2, 4, 2" in decision


def test_rolling_limits_sentence(html):
    assert "como mucho 5 Pods a la vez y al menos 3 disponibles" in text_of(html)


def test_endpointslice_timeline(html, book):
    expected = md_table(controllers.endpointslice_table(book, "despliegue-basico.yaml", "nginx"))
    assert expected in tables_of_html(html)
