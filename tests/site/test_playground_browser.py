"""The playground in Chromium, under the CSP the issue names, offline: the page's answer is the Python model's.

The built site is served on 127.0.0.1 with ``Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'
<hashes of Material's own inline scripts>; worker-src 'self'; connect-src 'self'``: the playground needs nothing
beyond 'self' and WebAssembly compilation (Material's inline scripts are allowed by their hashes only). Every
request that would leave the served origin is aborted and fails the test.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from k8sdocs.content.playground import PlaygroundInput, browser_report
from support.playground_cases import edited_cases, start
from support.site_csp import make_handler

pytestmark = pytest.mark.browser

PAGE = "/prueba-el-planificador/"
RUN_TIMEOUT_MS = 180_000  # cold start on a loaded 2-core machine; the figures live in bench/playground.py
@pytest.fixture(scope="module")
def csp_url(built_site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(make_handler(built_site),
                                                                                directory=str(built_site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def normalized(page: Any, html: str) -> str:
    """``html`` as the browser serializes it (so the comparison is about content, not about quoting)."""
    return page.evaluate("(h) => { const t = document.createElement('template'); t.innerHTML = h; return t.innerHTML; }",
                         html)


def plan(page: Any, widget: Any, inp: PlaygroundInput, runs: int) -> str:
    boxes = widget.locator("textarea")
    boxes.nth(0).fill(inp.nodes)
    boxes.nth(1).fill(inp.pod)
    widget.get_by_role("button", name="Planificar", exact=True).click()
    page.wait_for_selector(f'.k8s-playground[data-runs="{runs}"]', state="attached", timeout=RUN_TIMEOUT_MS)
    return widget.locator(".k8s-playground__result").inner_html().strip()


def test_playground_gives_the_models_report_under_csp_and_offline(chromium_browser: Any, csp_url: str) -> None:
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 1800})
    outside: list[str] = []
    requests: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(csp_url + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(csp_url + PAGE, wait_until="load")
        page.wait_for_timeout(500)
        # Nothing of Pyodide or the model before the button.
        assert [u for u in requests if "/playground/" in u or "playground-worker" in u] == []
        widget = page.locator(".k8s-playground").first
        assert widget.locator("form").is_visible()
        cases = [start("planificacion.yaml", "cabe-en-uno"), edited_cases()["cpu-5"],
                 edited_cases()["campo-desconocido"], start("cp-ejercicio-tolerancia.yaml", "entrenamiento"),
                 edited_cases()["sin-tolerancia"]]
        for runs, inp in enumerate(cases, start=1):
            # The exercise's scenario has its own seed and simulated time: the widget carries them as data.
            widget.evaluate("(w, d) => { w.dataset.seed = d[0]; w.dataset.untilMs = d[1]; }",
                            [str(inp.seed), str(inp.until_ms)])
            got = plan(page, widget, inp, runs)
            want = browser_report(inp.nodes, inp.pod, inp.seed, inp.until_ms)
            assert got == normalized(page, str(want["html"]).strip()), f"case {runs}"
            assert ("Los manifiestos no son válidos" in got) == (not want["ok"])
        assert any(u.endswith("/playground/pyodide/pyodide.asm.wasm") for u in requests)
        assert outside == [] and errors == [], (outside, errors)
    finally:
        context.close()


@pytest.mark.parametrize("path", [PAGE, "/plano-de-control/kube-scheduler/"])
def test_the_form_shows_from_the_first_paint_and_never_without_javascript(chromium_browser: Any, csp_url: str,
                                                                          path: str) -> None:
    """With JavaScript the widget is drawn with the page (nothing appears later and moves the text: Lighthouse's
    layout shift); without it the <noscript> rule hides the form and the compact widget, the report stays."""
    for javascript in (True, False):
        context = chromium_browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            page.goto(csp_url + path, wait_until="domcontentloaded")
            forms = page.locator(".k8s-playground__form, .k8s-playground--compact")
            assert forms.count() >= 1
            shown = [forms.nth(i).is_visible() for i in range(forms.count())]
            assert any(shown) if javascript else not any(shown), (javascript, shown)
            if path == PAGE:
                assert page.locator(".k8s-playground__result").first.is_visible()
        finally:
            context.close()
