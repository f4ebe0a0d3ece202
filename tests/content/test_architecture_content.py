"""The component table of the architecture page: "habla con" derived from the trace, never typed."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from k8sdocs.content import architecture, architecture_scenarios
from k8sdocs.content.book import ExampleBook
from support.built_html import code_blocks

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(DOCS)


def test_table_has_eight_components_in_order(book):
    md = architecture.component_table(book, "despliegue-basico.yaml")
    names = [line.split("|")[1].strip().strip("*") for line in md.splitlines()[2:]]
    assert names == ["kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager", "cloud-controller-manager",
                     "kubelet", "kube-proxy", "entorno de ejecución de contenedores"]


def test_hub_and_spoke_from_the_trace(book):
    rows = {r.componente: r for r in architecture.rows(book, "despliegue-basico.yaml")}
    # only kube-apiserver writes to etcd; every other talking component talks to kube-apiserver
    assert rows["kube-apiserver"].habla_con == ("etcd",)
    for name in ("kubelet", "kube-proxy", "cloud-controller-manager", "kube-controller-manager"):
        assert rows[name].habla_con[0] == "kube-apiserver"
        assert "etcd" not in rows[name].habla_con
    assert "container runtime" in rows["kubelet"].habla_con
    assert rows["etcd"].habla_con == ()


def test_ports_are_upstream_defaults(book):
    # kubernetes/website content/en/docs/reference/networking/ports-and-protocols.md
    rows = {r.componente: r.puerto for r in architecture.rows(book, "despliegue-basico.yaml")}
    assert rows["kube-apiserver"] == "6443/TCP"
    assert rows["kubelet"] == "10250/TCP"
    assert rows["kube-scheduler"] == "10259/TCP"
    assert rows["kube-controller-manager"] == "10257/TCP"


def test_manifests_block_reads_the_files(book):
    md = architecture_scenarios.scenario_manifests(book, "despliegue-basico.yaml")
    assert md.startswith('<details class="example">\n<summary>Manifiestos del escenario «despliegue-basico.yaml»</summary>')
    assert "escenarios/manifiestos/nginx-deployment.yaml" in md
    shown = code_blocks(md)
    folder = book.docs_dir / "escenarios"
    assert shown == [(folder / "despliegue-basico.yaml").read_text(encoding="utf-8"),
                     *[(folder / ref).read_text(encoding="utf-8")
                       for ref in architecture_scenarios.manifest_files(book, "despliegue-basico.yaml")]]
    assert "\n\n" not in md.split("</summary>")[1], "a blank line would end the raw HTML block"


def _text(md: str) -> str:
    """What a reader sees in the verbatim blocks: tags stripped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", md))


def test_kubectl_skips_node_files_and_applies_inline_pods(book):
    md = _text(architecture_scenarios.kubectl_commands(book, "despliegue-basico.yaml"))
    assert "kubectl apply -f manifiestos/nginx-deployment.yaml" in md
    assert "kubectl apply -f manifiestos/tres-nodos.yaml" not in md
    inline = _text(architecture_scenarios.kubectl_commands(book, "cp-ejercicio-empate.yaml"))
    assert "kubectl apply -f - <<'EOF'" in inline and "kind: Node" not in inline and "name: trabajo" in inline
