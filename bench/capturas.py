"""Screenshots of every page of the built site at 1280 px and 390 px wide, into ``capturas/``.

Usage: ``make build && .venv/bin/python bench/capturas.py [--site site] [--out capturas] [--full]``

Serves ``site/`` on 127.0.0.1 (a free port), opens each page in Debian's Chromium (``/usr/bin/chromium``,
driven by Playwright, no browser download) and saves ``<page>-1280.jpg`` and ``<page>-390.jpg`` (JPEG quality 85: text stays sharp, the folder stays ~10 MB). Without
``--full`` each capture is the first 2 400 CSS px of the page (enough to see its first diagrams and tables and
keep the folder small); ``--full`` captures whole pages. This is a tool for looking, not a test: the browser tests
(``tests/site/test_browser*.py``) are what assert font sizes, clipping and breaks.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("K8SDOCS_CHROMIUM", "/usr/bin/chromium")
WIDTHS = {1280: 800, 390: 844}  # width -> viewport height (a laptop; an iPhone 12-14)
CLIP_HEIGHT = 2400


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

    handler = functools.partial(Quiet, directory=str(site))
    with socketserver.TCPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()


def pages(site: Path) -> list[str]:
    """Site-relative URLs of every page (``index.html`` files), sorted; the 404 page left out."""
    rels = (p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return sorted("" if rel == "." else rel + "/" for rel in rels)


def name_of(url: str) -> str:
    return url.strip("/").replace("/", "--") or "inicio"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "capturas")
    parser.add_argument("--full", action="store_true", help="whole pages instead of the first 2400 px")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(exist_ok=True)
    urls = pages(args.site)
    with serve(args.site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        for width, height in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for url in urls:
                page.goto(base + url, wait_until="networkidle")
                # Draw every diagram: a capture does not scroll, and frames off screen stay skipped placeholders
                # (content-visibility: auto, k8sdocs/render/svg.py frame_style).
                page.evaluate("document.querySelectorAll('.k8s-diagram__scroll')"
                              ".forEach(f => f.style.contentVisibility = 'visible')")
                full = page.evaluate("document.documentElement.scrollHeight")
                target = args.out / f"{name_of(url)}-{width}.jpg"
                if args.full:
                    page.screenshot(path=str(target), full_page=True, type="jpeg", quality=85)
                else:
                    page.screenshot(path=str(target), full_page=True, type="jpeg", quality=85,
                                    clip={"x": 0, "y": 0, "width": width, "height": min(full, CLIP_HEIGHT)})
                print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
