"""The «Alta disponibilidad» page, read from the BUILT site: the failover timeline is the leader-election model's."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import leaderelection
from k8sdocs.model import leaderelection as model
from support.built_html import diagrams, find_table, md_table, read_page, text_of


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "plano-de-control/alta-disponibilidad")


def test_timeline_table_equals_the_model(page, book):
    expected = md_table(leaderelection.timeline_table(book))
    table = find_table(page, expected)
    assert table == expected
    rows = table[1:]
    assert rows[0][0] == "0 s" and rows[0][1].startswith("control-plane-1: no hay Lease")
    take = next(r for r in rows if "lo toma" in r[1])
    assert take[0] == "37 s" and take[1].startswith("control-plane-2") and take[2] == "control-plane-2, 37 s, 1"


def test_defaults_table_shows_the_upstream_constants(page):
    # component-base/config/v1alpha1/defaults.go: 15 s, 10 s, 2 s
    table = find_table(page, [["Parámetro (opción de línea de órdenes)", "Valor por defecto", "Para qué sirve"]])
    assert [r[1] for r in table[1:]] == [f"{model.LEASE_DURATION_MS // 1000} s", f"{model.RENEW_DEADLINE_MS // 1000} s",
                                         f"{model.RETRY_PERIOD_MS // 1000} s"]


def test_sentences_carry_the_computed_values(page, book):
    text = text_of(page)
    def v(d: str) -> str:
        return leaderelection.value(book, d)

    # the takeover comes one lease after the candidate SAW the last renewal (isLeaseValid uses observedTime)
    assert v("caducidad") == f"{(21_000 + model.LEASE_DURATION_MS) // 1000} s"
    assert f"La última renovación del líder fue en el {v('ultima_renovacion')}" in text
    assert f"hasta el {v('caducidad')}. Su siguiente intento, en el {v('toma')}," in text
    assert f"han pasado {v('sin_lider')} sin planificador activo" in text
    assert v("sin_lider") == "16 s"


def test_diagram_equals_the_model(page, book):
    expected = diagrams(leaderelection.diagram(book))
    assert len(expected) == 1 and expected[0] in diagrams(page)


def test_sources_cited_in_the_page_source():
    src = (Path(__file__).resolve().parents[2] / "docs/plano-de-control/alta-disponibilidad.md").read_text(encoding="utf-8")
    for cited in ("client-go/tools/leaderelection/leaderelection.go", "component-base/config/v1alpha1/defaults.go",
                  "pkg/scheduler/apis/config/v1/defaults.go"):
        assert cited in src
