"""The architecture page: the generated component table matches the model, and the seed text stays."""

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


from k8sdocs.content import architecture, architecture_scenarios  # noqa: E402


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return h.page(built_site, "arquitectura")


def test_component_table_is_the_models(html, book):
    expected = h.md_table(architecture.component_table(book, "despliegue-basico.yaml"))
    assert expected in h.tables(html)
    assert expected[0] == ["Componente", "Plano", "Función", "Habla con", "Puerto", "Proceso"]
    assert len(expected) == 9  # header + the eight components


def test_habla_con_comes_from_the_trace(html, book):
    table = next(t for t in h.tables(html) if t[0][0] == "Componente")
    by_name = {row[0]: row for row in table[1:]}
    assert by_name["kube-apiserver"][3] == "etcd"
    for name in ("kube-scheduler", "kube-controller-manager", "kubelet", "kube-proxy", "cloud-controller-manager"):
        assert by_name[name][3].startswith("kube-apiserver"), name
    assert by_name["etcd"][3] == "—"
    assert by_name["entorno de ejecución de contenedores"][3] == "—"
    assert "entorno de ejecución de contenedores" in by_name["kubelet"][3]


def test_seed_text_and_scenario_blocks_are_there(html, book):
    text = h.text(html)
    assert "Los componentes, eso sí, no se hablan directamente" in text
    summaries = [s for _, s, _ in h.details(html)]
    assert "Manifiestos del escenario «despliegue-basico.yaml»" in summaries
    assert any("kubectl apply -f manifiestos/nginx-deployment.yaml" in c for c in h.code_texts(html))
