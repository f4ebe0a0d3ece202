"""The Contribuir page, read from the BUILT site: the macro reference lists every registered macro."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import reference
from k8sdocs.macros import content_macros
from support.built_html import find_table, md_table, read_page, text_of


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "contribuir")


def test_reference_table_equals_the_registered_macros(page):
    expected = md_table(reference.macro_reference(None))
    table = find_table(page, expected)
    assert table == expected
    assert [row[0].split("(")[0] for row in table[1:]] == sorted(content_macros())
    assert "kubelet_llamadas_cri(escenario, pod=None, nodo=None, espera=None)" in [row[0] for row in table[1:]]


def test_count_and_literal_braces(page):
    text = text_of(page)
    assert f"Hay {len(content_macros())} macros registradas" in text
    # the Jinja syntax is shown literally, not executed
    assert "{## … ##}" in text and "{% raw %}" in text and "{{ }}" in text
    assert "CONTRIBUTING.md" in text


def test_model_support_tables(page):
    from k8sdocs.content import support

    kinds = find_table(page, md_table(support.kinds_table(None)))
    assert [row[0] for row in kinds[1:]] == ["ConfigMap", "Deployment", "Namespace", "Node", "Pod", "PriorityClass",
                                             "ReplicaSet", "Secret", "Service", "ServiceAccount"]
    text = text_of(page)
    assert "también guarda DaemonSet, EndpointSlice," in text and "StatefulSet: unos los escriben" in text
    assert ("kube-controller-manager del modelo, en su orden de arranque: DeploymentController, ReplicaSetController, "
            "NodeLifecycleController, TaintEvictionController, EndpointSliceController, GarbageCollector, PodGCController.") in text
    defaults = find_table(page, md_table(support.defaults_table(None)))
    # Upstream defaults: pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Service)
    # and pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment).
    for row in (["Pod", "spec.restartPolicy", '"Always"'], ["Pod", "spec.schedulerName", '"default-scheduler"'],
                ["Pod", "spec.containers[0].imagePullPolicy", '"IfNotPresent"'], ["Deployment", "spec.replicas", "1"],
                ["Deployment", "spec.progressDeadlineSeconds", "600"], ["Service", "spec.type", '"ClusterIP"']):
        assert row in defaults, row
