"""The «Cuando un nodo falla» walkthrough, read from the BUILT site."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import walkthrough
from support.built_html import code_blocks, diagrams, find_table, md_table, read_page, text_of

ARGS = ("nodo-falla.yaml", "node-2")


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "recorridos/cuando-un-nodo-falla")


def test_timeline_table_equals_the_model(page, book):
    expected = md_table(walkthrough.failure_table(book, *ARGS))
    table = find_table(page, expected)
    assert table == expected
    components = [row[2] for row in table[1:]]
    assert components[:5] == ["kubelet", "kubelet", "node-lifecycle-controller", "node-lifecycle-controller",
                              "node-lifecycle-controller"]
    assert "taint-eviction-controller" in components and "replicaset-controller" in components


def test_failure_diagram_equals_the_model(page, book):
    assert diagrams(page) == diagrams(walkthrough.failure_diagram(book, *ARGS))
    assert len(diagrams(page)) == 1


def test_sentences_carry_the_computed_values(page, book):
    text = text_of(page)
    def value(d: str) -> str:
        return walkthrough.failure_value(book, *ARGS, d)

    assert "renovaciones de su Lease cada 10 s." in text
    assert f"en el instante {value('fallo')}, el kubelet de node-2 deja de responder" in text
    # DefaultTolerationSeconds: 300 s between the NoExecute taint and the eviction
    assert value("tolerancia") == "5 min"
    assert f"espera {value('tolerancia')} antes de borrar el Pod" in text
    assert f"pasan {value('total')}" in text
    assert f"pasan aquí {value('gracia')}" in text


@pytest.mark.parametrize("path", ["nodos/kubelet", "nodos/kube-proxy", "nodos/entorno-de-ejecucion",
                                  "recorridos/de-kubectl-apply-a-contenedor", "recorridos/cuando-un-nodo-falla"])
def test_scenario_pages_show_manifests_and_kubectl(built_site, path):
    """Every node page and walkthrough shows its scenario files and how to reproduce it with kubectl."""
    html = (built_site / path / "index.html").read_text(encoding="utf-8")
    assert 'Manifiestos del escenario' in html and "<details" in html
    commands = "\n".join(code_blocks(html))
    for needed in ("kubectl apply -f ", "kubectl get ", "kubectl describe ", "kubectl get events"):
        assert needed in commands, f"{path}: falta «{needed}»"
