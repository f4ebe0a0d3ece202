"""The kube-controller-manager page: slow start and rolling-update timelines equal the model's."""

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


from k8sdocs.content import controllers  # noqa: E402


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return h.page(built_site, "plano-de-control/kube-controller-manager")


def test_timelines(html, book):
    page_tables = h.tables(html)
    for scenario, deployment in (("cp-escalado.yaml", "api"), ("actualizacion-progresiva.yaml", "web")):
        assert h.md_table(controllers.timeline_table(book, scenario, deployment)) in page_tables


def test_events_verbatim(html, book):
    expected = h.md_table(controllers.events_table(book, "actualizacion-progresiva.yaml", "web"))
    assert expected in h.tables(html)
    assert all(row[2] == "ScalingReplicaSet" and row[3].startswith("Scaled ") for row in expected[1:])


def test_slow_start(html, book):
    assert h.md_table(controllers.slow_start_table(book, "1,3,9,10,25,100")) in h.tables(html)
    decision = controllers.replicaset_decision(book, "cp-escalado.yaml", "api-", "20s")
    assert decision in [c.strip() for c in h.code_texts(html)]
    assert "1, 2, 4, 2" in decision


def test_rolling_limits_sentence(html):
    assert "como mucho 5 Pods a la vez y al menos 3 disponibles" in h.text(html)


def test_endpointslice_timeline(html, book):
    expected = h.md_table(controllers.endpointslice_table(book, "despliegue-basico.yaml", "nginx"))
    assert expected in h.tables(html)
