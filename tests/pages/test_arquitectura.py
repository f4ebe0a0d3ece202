"""The architecture page: the generated component table matches the model, and the seed text stays."""

from __future__ import annotations

import pytest
from support.built_html import code_blocks, details, md_table, read_page, tables_of_html, text_of

from k8sdocs.content import architecture


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return read_page(built_site, "arquitectura")


def test_component_table_is_the_models(html, book):
    expected = md_table(architecture.component_table(book, "despliegue-basico.yaml"))
    assert expected in tables_of_html(html)
    assert expected[0] == ["Componente", "Plano", "Función", "Habla con", "Puerto", "Proceso"]
    assert len(expected) == 9  # header + the eight components


def test_habla_con_comes_from_the_trace(html, book):
    table = next(t for t in tables_of_html(html) if t[0][0] == "Componente")
    by_name = {row[0]: row for row in table[1:]}
    assert by_name["kube-apiserver"][3] == "etcd"
    for name in ("kube-scheduler", "kube-controller-manager", "kubelet", "kube-proxy", "cloud-controller-manager"):
        assert by_name[name][3].startswith("kube-apiserver"), name
    assert by_name["etcd"][3] == "—"
    assert by_name["entorno de ejecución de contenedores"][3] == "—"
    assert "entorno de ejecución de contenedores" in by_name["kubelet"][3]


def test_seed_text_and_scenario_blocks_are_there(html, book):
    text = text_of(html)
    assert "Los componentes, eso sí, no se hablan directamente" in text
    summaries = [s for _, s, _ in details(html)]
    assert "Manifiestos del escenario «despliegue-basico.yaml»" in summaries
    assert any("kubectl apply -f manifiestos/nginx-deployment.yaml" in c for c in code_blocks(html))
