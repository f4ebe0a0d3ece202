"""Reader features in a real browser (Chromium): glossary tooltips by keyboard and by tap, and «Siguiente» at the
end of every page in route order."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_glossary_tooltip_opens_with_the_keyboard_and_shows_definition_and_english(open_page) -> None:
    visit = open_page("/arquitectura/")
    page = visit.page
    marks = page.locator("article abbr.k8s-termino")
    count = marks.count()
    assert 5 <= count <= 30  # first use only (issue #10: 43 underlines before)
    assert page.locator("article h1 abbr, article h2 abbr, article h3 abbr, article th abbr, article code abbr").count() == 0
    first = marks.first
    first.focus()  # as Tab would: the mark has tabindex=0
    assert page.evaluate("document.activeElement.classList.contains('k8s-termino')")
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    text = tooltip.inner_text()
    assert "La parte del clúster que lo gestiona" in text and "En inglés: control plane." in text
    assert not visit.page_errors


def test_glossary_tooltip_opens_with_a_tap(chromium_browser, site_url) -> None:
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(site_url + "/nodos/kubelet/", wait_until="load")
        mark = page.locator("article abbr.k8s-termino").first
        mark.scroll_into_view_if_needed()
        mark.tap()
        page.locator(".md-tooltip2--active").wait_for(state="visible", timeout=5000)
        assert "En inglés:" in page.locator(".md-tooltip2--active").inner_text()
    finally:
        context.close()


def test_siguiente_leads_along_the_route(open_page) -> None:
    visit = open_page("/")
    page = visit.page
    seen = ["/"]
    for _ in range(30):
        nxt = page.locator("a.md-footer__link--next")
        if nxt.count() == 0:
            break
        assert "Siguiente" in nxt.inner_text()
        nxt.click()
        page.wait_for_load_state("load")
        seen.append(page.url.removeprefix(visit.base_url))
    assert seen[:4] == ["/", "/arquitectura/", "/recorridos/de-kubectl-apply-a-contenedor/",
                        "/plano-de-control/kube-apiserver/"]
    assert seen.index("/recorridos/cuando-un-nodo-falla/") < seen.index("/ejercicios/") < seen.index("/fidelidad/")
    assert seen[-1] == "/contribuir/"
