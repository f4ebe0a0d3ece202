"""The Spanish summary that opens the fidelity page: counts from the runner, areas with and without a referee."""

from __future__ import annotations

from k8sdocs.content import fidelity, fidelity_summary
from support.built_html import read_page, text_of


def test_summary_opens_the_page_and_carries_the_runner_counts(built_site, book):
    html = read_page(built_site, "fidelidad")
    text = text_of(html)
    assert text.index("En resumen") < text.index("Por archivo de casos")
    results = fidelity.cached_results(book)
    passed = sum(r.outcome == "PASS" for r in results)
    assert f"de {len(results)} casos, {passed} pasan" in text
    areas, others = fidelity_summary.area_results(results)
    assert sum(a.cases for a in areas) + len(others) == len(results)  # every case counted once
    for a in areas:
        if a.cases:
            assert f"{a.area.name} ({a.cases} caso" in text
    unchecked = [a.area.name for a in areas if not a.cases]
    assert unchecked, "today some parts of the model have no referee"
    sentence = text[text.index("Sin árbitro todavía"):]
    assert all(name in sentence for name in unchecked)
    assert "la elección de líder" in unchecked and "el planificador kube-scheduler" not in unchecked


def test_no_que_tan_register(built_site):
    """Issue 10, Spanish: «¿Qué tan…?» is not the site's neutral register, on no page (the link text that named the
    fidelity page on prueba-el-planificador kept it after the page's own title had changed)."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 19
    assert [p.relative_to(built_site).as_posix() for p in pages if "Qué tan" in p.read_text(encoding="utf-8")] == []
