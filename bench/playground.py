"""Playground benchmark (issue 13): bytes on first use, time to the first result cold and warm, time per re-run.

Builds nothing: it reads an already built site (default ``site/``, from ``make build``), serves it on 127.0.0.1
with the CSP of tests/site/test_playground_browser.py and drives Debian's Chromium. Figures, never asserts.

* bytes on first use: every file the browser fetches after "Planificar" (worker, Pyodide's runtime files, the
  bundle), each gzip-compressed at level 6 as a server would send it;
* cold: a new browser context (empty HTTP cache), page loaded, click until the report is in the page;
* warm: a second page in the same context (files from the HTTP cache; Pyodide starts again);
* re-run: the reader edits the Pod and presses again (the worker and Python are already up).

    .venv/bin/python bench/playground.py [SITE_DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]


def first_use_bytes(site: Path) -> list[tuple[str, int, int]]:
    from k8sdocs.playground import BUNDLE_URI, PYODIDE_RUNTIME, PYODIDE_URI

    names = ["javascripts/playground-worker.js", *[f"{PYODIDE_URI}/{n}" for n in PYODIDE_RUNTIME], BUNDLE_URI]
    return [(n, (site / n).stat().st_size, len(gzip.compress((site / n).read_bytes(), 6))) for n in names]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    site = Path(args.site)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min), "
          f"{os.cpu_count()} CPUs")
    rows = first_use_bytes(site)
    for name, raw, gz in rows:
        print(f"  {name:48} {raw:>10} B  gzip {gz:>9} B")
    print(f"bytes on first use: {sum(r[1] for r in rows)} B, gzip {sum(r[2] for r in rows)} B "
          f"({sum(r[2] for r in rows) / 1e6:.2f} MB)")

    import functools
    import http.server  # noqa: E401 - local to the browser part
    import threading

    from playwright.sync_api import sync_playwright

    from support.playground_cases import cpu_request, edit_pod, start
    from support.site_csp import make_handler

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(make_handler(site), directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/prueba-el-planificador/"
    inp = start("planificacion.yaml", "cabe-en-uno")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        context = browser.new_context(viewport={"width": 1280, "height": 1800})

        def first(label: str) -> object:
            page = context.new_page()
            page.goto(url, wait_until="load")
            t = time.perf_counter()
            page.get_by_role("button", name="Planificar", exact=True).click()
            page.wait_for_selector('.k8s-playground[data-runs="1"]', state="attached", timeout=300_000)
            print(f"{label}: first result after {time.perf_counter() - t:.2f} s")
            return page

        first("cold (empty cache)").close()
        page = first("warm (HTTP cache)")
        box = page.locator(".k8s-playground textarea").nth(1)
        times = []
        for i in range(args.runs):
            box.fill(edit_pod(inp, cpu_request(f"{1 + i % 5}")).pod)
            t = time.perf_counter()
            page.get_by_role("button", name="Planificar", exact=True).click()
            page.wait_for_selector(f'.k8s-playground[data-runs="{i + 2}"]', state="attached", timeout=60_000)
            times.append((time.perf_counter() - t) * 1000)
        print(f"re-run after an edit: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
              f"({args.runs} runs)")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
