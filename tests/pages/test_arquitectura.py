"""The architecture page: the generated component table matches the model, and the seed text stays."""

from __future__ import annotations

import pytest

from k8sdocs.content import architecture
from support.built_html import code_blocks, details, md_table, read_page, tables_of_html, text_of


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
    # the seed's voice stays, without its contradictions (issue #10): components do not share tasks by talking to
    # each other (hub and spoke, control-plane-node-communication.md), a Pod is not "a container", and the
    # unsupported "muy fiable" claim is gone
    assert "sus componentes no se reparten las tareas hablando entre sí" in text
    assert "repartiéndose las tareas" not in text and "se comunican entre sí" not in text
    assert "Pods (contenedores)" not in text and "cada Pod agrupa uno o varios contenedores" in text
    assert "muy fiable" not in text
    assert "hub-and-spoke («cubo y radios»)" in text
    summaries = [s for _, s, _ in details(html)]
    assert "Manifiestos del escenario «despliegue-basico.yaml»" in summaries
    assert any("kubectl apply -f manifiestos/nginx-deployment.yaml" in c for c in code_blocks(html))


def test_addons_and_control_plane_node_communication(html):
    text = text_of(html)
    # kubernetes.io «Communication between Nodes and the Control Plane» and «Ports and Protocols» (k8s-facts §1.1, §1.3)
    assert "en el puerto 10250, para kubectl logs" in text
    assert "por HTTPS (puerto 6443 por defecto" in text
    assert "Konnectivity" in text
    assert "CoreDNS" in text and "kube-dns" in text and "CNI" in text


def test_each_corrected_fact_cites_its_source():
    from pathlib import Path

    src = (Path(__file__).resolve().parents[2] / "docs/arquitectura.md").read_text(encoding="utf-8")
    for cited in ("control-plane-node-communication.md", "KEP-5495", "network-plugins.md"):
        assert cited in src
