"""The kube-proxy page, read from the BUILT site: rules, chain path and probabilities equal the model's."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import kube_proxy
from support.built_html import code_blocks, diagrams, fence_body, find_table, md_table, read_page, text_of

ARGS = ("despliegue-basico.yaml", "default/nginx:http", "node-1")


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "nodos/kube-proxy")


def test_rules_block_equals_the_model(page, book):
    expected = fence_body(kube_proxy.rules_block(book, *ARGS)).strip()
    blocks = [b.strip() for b in code_blocks(page) if b.startswith("*nat")]
    assert blocks == [expected]


def test_chain_path_diagram_equals_the_model(page, book):
    expected = diagrams(kube_proxy.chain_path(book, *ARGS))
    flowcharts = [m for m in diagrams(page) if 'class="k8s-svg k8s-flow"' in m]
    assert flowcharts == expected and len(expected) == 1


def test_probability_table(page, book):
    expected = md_table(kube_proxy.probability_table(book, *ARGS))
    table = find_table(page, expected)
    assert table == expected
    # upstream computeProbability for 3 endpoints, and a third each
    assert [row[2] for row in table[1:]] == ["0.3333333333", "0.5000000000", "sin statistic (siempre)"]
    assert [row[5] for row in table[1:]] == ["1/3 ≈ 0,3333"] * 3


def test_heading_and_sentence(page):
    text = text_of(page)
    assert "Las reglas de un Service con 3 endpoints" in text
    assert "(en este orden: 1/3, luego 1/2, luego 1)" in text
    assert "A la regla 2 llegan los 2/3 restantes, y se queda con 1/2 de ellos: 2/3 × 1/2 = 1/3." in text
    from k8sdocs.model.cluster import CLUSTER_CIDR

    assert f"(! -s {CLUSTER_CIDR}, el rango de IP de los Pods del clúster)" in text
