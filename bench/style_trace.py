"""Where a page's style and layout work goes while it loads (issue 10, item 7: Lighthouse mobile).

    .venv/bin/python bench/style_trace.py --site site [--page /plano-de-control/etcd/ ...] [--width 412] [--slowdown 4]

Loads each page of an already built site (``make build``) in Debian's Chromium with the CPU slowed down as
Lighthouse's mobile preset does, records a DevTools trace and prints, per page: the elements styled and the time
spent in style (``UpdateLayoutTree``) and layout (``Layout``) on the page's main thread, grouped by the script
frames that forced them ("rendering" when no script did). A script that reads a size right after another one
wrote to the page forces a restyle of everything the write made dirty: that is what Lighthouse counts as blocking
time. Element counts move much less with the machine's load than milliseconds do. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import json
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline",
              "disabled-by-default-devtools.timeline.stack"]


@dataclass
class StyleWork:
    """Style and layout of one page load, grouped by the script frames that forced them."""

    styled: collections.Counter[str] = field(default_factory=collections.Counter)
    milliseconds: collections.Counter[str] = field(default_factory=collections.Counter)

    @property
    def total_styled(self) -> int:
        return sum(self.styled.values())

    @property
    def total_ms(self) -> float:
        return sum(self.milliseconds.values())


def _frames(event: dict[str, Any], depth: int = 3) -> str:
    stack = ((event.get("args") or {}).get("beginData") or {}).get("stackTrace") or []
    names = [f'{f.get("functionName") or "?"}@{str(f.get("url", "")).rsplit("/", 1)[-1]}:{f.get("lineNumber")}'
             for f in stack[:depth]]
    return " < ".join(names) or "rendering"


def style_work(trace_events: list[dict[str, Any]]) -> StyleWork:
    """Sum ``UpdateLayoutTree`` (elements, ms) and ``Layout`` (ms) of the renderer's main thread(s) by forcing frames."""
    mains = {(e.get("pid"), e.get("tid")) for e in trace_events
             if e.get("name") == "thread_name" and (e.get("args") or {}).get("name") == "CrRendererMain"}
    work = StyleWork()
    for event in trace_events:
        if (event.get("pid"), event.get("tid")) not in mains or event.get("ph") != "X":
            continue
        if event.get("name") not in ("UpdateLayoutTree", "Layout"):
            continue
        where = _frames(event)
        work.milliseconds[where] += event.get("dur", 0) / 1000
        if event["name"] == "UpdateLayoutTree":
            work.styled[where] += int((event.get("args") or {}).get("elementCount") or 0)
    return work


def report(path: str, work: StyleWork, top: int = 5) -> str:
    lines = [f"{path}: {work.total_styled} elements styled, style+layout {work.total_ms:.0f} ms"]
    for where, count in work.styled.most_common(top):
        lines.append(f"  {count:6d} elements  {work.milliseconds[where]:6.1f} ms  {where[:140]}")
    return "\n".join(lines)


def trace_page(browser: Any, url: str, width: int, slowdown: float) -> list[dict[str, Any]]:
    context = browser.new_context(viewport={"width": width, "height": 823}, device_scale_factor=1.75)
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    browser.start_tracing(page=page, categories=CATEGORIES)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1500)  # Material mounts its components after DOMContentLoaded, some after load
    events = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    return events


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (make build writes site/)")
    parser.add_argument("--page", action="append", default=None, help="a page's path, e.g. /plano-de-control/etcd/")
    parser.add_argument("--width", type=int, default=412, help="viewport width in CSS px (412: Lighthouse mobile)")
    parser.add_argument("--slowdown", type=float, default=4.0, help="CPU slowdown (4: Lighthouse mobile)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from playwright.sync_api import sync_playwright

    site = args.site.resolve()
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}: no index.html; build the site first (make build)")
    pages = args.page or ["/"]
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            for path in pages:
                url = f"http://127.0.0.1:{server.server_address[1]}{path}"
                print(report(path, style_work(trace_page(browser, url, args.width, args.slowdown))))
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
