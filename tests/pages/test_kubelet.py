"""The kubelet page, read from the BUILT site: every generated table equals what the model gives now."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import kubelet
from support.built_html import find_table, md_table, read_page, text_of

SCENARIO = "despliegue-basico.yaml"


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "nodos/kubelet")


@pytest.mark.parametrize("make", [
    lambda b: kubelet.cri_table(b, SCENARIO, nodo="node-2"),
    lambda b: kubelet.conditions_table(b, SCENARIO, nodo="node-2"),
    lambda b: kubelet.kubelet_events(b, SCENARIO, nodo="node-2"),
    lambda b: kubelet.heartbeat_table(b, SCENARIO, "node-2"),
], ids=["cri", "condiciones", "eventos", "latidos"])
def test_tables_equal_the_model(page, book, make):
    expected = md_table(make(book))
    assert find_table(page, expected) == expected


def test_cri_rows_in_upstream_order(page, book):
    expected = md_table(kubelet.cri_table(book, SCENARIO, nodo="node-2"))
    table = find_table(page, expected)
    assert [row[2] for row in table[1:]] == ["RunPodSandbox", "PodSandboxStatus", "ImageStatus", "PullImage",
                                            "CreateContainer", "StartContainer"]


def test_events_and_heartbeat_text(page):
    text = text_of(page)
    assert "Container created" in text and "Container started" in text
    assert "Latidos: un Lease cada 10 s" in text
    assert "despliegue-basico.yaml" in text and "kubectl apply -f manifiestos/nginx-deployment.yaml" in text
