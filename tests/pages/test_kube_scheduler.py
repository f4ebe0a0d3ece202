"""The kube-scheduler page: profile, reports, the FailedScheduling message and sampling, as the model computes them."""

from __future__ import annotations

import pytest

from k8sdocs.content import scheduling
from support.built_html import details, diagram_texts, diagrams, inline_codes, md_table, read_page, tables_of_html


@pytest.fixture(scope="module")
def html(built_site) -> str:
    return read_page(built_site, "plano-de-control/kube-scheduler")


def test_profile_table(html, book):
    expected = md_table(scheduling.profile_table(book))
    assert expected in tables_of_html(html)
    weights = {row[0]: row[2] for row in expected[1:]}
    # default_plugins.go@01db4ae9 weights
    assert (weights["TaintToleration"], weights["NodeAffinity"], weights["NodeResourcesFit"]) == ("3", "2", "1")


@pytest.mark.parametrize("scenario, pod, winner", [
    ("planificacion.yaml", "cabe-en-uno", "node-a"),
    ("cp-planificacion-puntuacion.yaml", "ligero", "node-a"),
    ("planificacion.yaml", "demasiado-grande", None),
])
def test_reports_match_the_model(html, book, scenario, pod, winner):
    md = scheduling.scheduling_report(book, scenario, pod)
    assert md_table(md) in tables_of_html(html)
    result, _ = scheduling.schedule(book, scenario, pod)
    assert result.selected_node == winner
    if winner is None:
        assert result.message in inline_codes(html)


def test_failed_scheduling_message_verbatim(html):
    # framework/types.go FitError.Error + DefaultPreemption's message (v1.35 TaintToleration reason)
    assert ("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes "
            "are available: 3 Preemption is not helpful for scheduling.") in inline_codes(html)


def test_sampling_table(html, book):
    expected = md_table(scheduling.sampling_table(book, "50,100,500,1000,5000,15000"))
    assert expected in tables_of_html(html)
    assert [row[2] for row in expected[1:]] == ["50", "100", "230", "420", "500", "750"]


def test_scenarios_shown(html):
    summaries = [s for _, s, _ in details(html)]
    assert "Manifiestos del escenario «cp-planificacion-puntuacion.yaml»" in summaries


def test_cycle_diagram_from_the_trace(html, book):
    md = scheduling.scheduling_cycle_diagram(book, "planificacion.yaml", "cabe-en-uno")
    [body] = diagrams(md)
    assert body in diagrams(html)
    # default_binder.go binds through the pods/binding subresource; schedule_one.go: "Successfully assigned %v/%v to %v"
    assert any(t.replace(" ", "").endswith("/pods/cabe-en-uno/binding") for t in diagram_texts(body))
    assert "Successfully assigned default/cabe-en-uno to node-a" in inline_codes(html)
