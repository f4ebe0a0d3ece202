"""Benchmark (not a test): Lighthouse on every page of the built site, served on 127.0.0.1.

Issue 6, item 3 (c) and issue 10, item 7. Targets, median of ``--runs`` (default 3) on a quiet machine:
performance 100 with the desktop preset and >= 95 with the mobile preset; accessibility, best practices
and SEO = 100.

* Lighthouse 12.2.3 comes from bench/package.json (a separate npm project, so `make test` never
  installs it); this script runs `npm ci --prefix bench` when bench/node_modules lacks it.
* Chrome is Debian's `/usr/bin/chromium` (``CHROME_PATH``), started by Lighthouse with
  ``--headless=new --no-sandbox --disable-gpu`` and ``--proxy-server=http://127.0.0.1:9``: Chrome
  never sends loopback requests through a proxy (its implicit ``<-loopback>`` bypass rule), so the
  site on 127.0.0.1 loads and anything else fails at once instead of reaching the network.
* The site is built from a snapshot of the project with ``SITE_URL`` set to the address it is
  served on (mkdocs.yml: ``site_url: !ENV [SITE_URL, ...]``), so canonical links, the sitemap and
  the 404 page's absolute links point at the served site, as on GitHub Pages.
* Every page: each ``index.html`` of the build and ``404.html``.
* Default ``--preset both``: every page with Lighthouse's desktop config (desktop form factor and
  screen, simulated 40 ms RTT / 10 Mbit/s, no CPU slowdown) and with its default mobile config (Moto G
  Power screen, slow 4G, 4x CPU slowdown); ``--preset desktop`` or ``mobile`` runs one. Each page is
  run ``--runs`` times per preset and the table shows the median of each score (and of the bytes).
  Throttling is simulated (Lantern), so the performance score still depends on the machine's load:
  the load is printed with every run and under the table.
* Text files (HTML, CSS, JS, JSON, SVG, XML) are sent gzip-compressed, as GitHub Pages sends them
  (``--no-gzip`` to turn it off); "bytes transferred" is Lighthouse's ``total-byte-weight``.

Writes one JSON report per page, preset and run to bench/out/lighthouse/ (git-ignored: /bench/out/).

Run: .venv/bin/python bench/lighthouse.py [--preset both|desktop|mobile] [--runs 3] [--page /ruta/ ...] [--site DIR]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path


def _load_common():
    name = "k8sdocs_bench_common"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("common.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


common = _load_common()

BENCH = Path(__file__).resolve().parent
LIGHTHOUSE_BIN = BENCH / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION_PREFIX = "12.2."
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --proxy-server=http://127.0.0.1:9"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")
TARGETS_BY_PRESET = {
    "desktop": {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100},
    "mobile": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
}
TARGETS = TARGETS_BY_PRESET["desktop"]
HEADERS = {"performance": "rendimiento", "accessibility": "accesibilidad", "best-practices": "buenas prácticas", "seo": "SEO"}
# Lighthouse's performance metrics (core/config/default-config.js, category "performance").
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")


def site_pages(site_dir: Path) -> list[str]:
    """URL paths of every page of a built site: each directory's index.html and 404.html, sorted."""
    paths = []
    for index in site_dir.rglob("index.html"):
        rel = index.parent.relative_to(site_dir).as_posix()
        paths.append("/" if rel == "." else f"/{rel}/")
    if (site_dir / "404.html").is_file():
        paths.append("/404.html")
    return sorted(paths)


def report_name(path: str, preset: str = "", run: int = 0) -> str:
    """File name for a page's JSON report: ``/`` -> ``inicio.json``, ``/a/b/`` -> ``a_b.json``;
    with a preset and a run number: ``a_b-mobile-2.json``."""
    slug = path.strip("/").replace("/", "_").replace(".html", "") or "inicio"
    return f"{slug}-{preset}-{run}.json" if preset else f"{slug}.json"


def lighthouse_cmd(url: str, output: Path, preset: str) -> list[str]:
    cmd = [
        str(LIGHTHOUSE_BIN), url,
        "--output=json", f"--output-path={output}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--disable-full-page-screenshot",
    ]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    return cmd


@dataclass(frozen=True)
class PageResult:
    path: str
    scores: dict[str, int | None]      # category id -> 0..100 (None: Lighthouse could not score it)
    bytes: int | None                  # audits["total-byte-weight"].numericValue (transfer sizes)
    misses: dict[str, list[str]]       # category id -> failing audits, when under the target
    metrics: dict[str, str]            # performance metrics' displayValue
    runtime_error: str | None
    # Where the main thread went (mainthread-work-breakdown: group -> ms, simulated CPU) and the long tasks
    # (long-tasks: script or page -> ms), the two audits that explain a Total Blocking Time.
    main_thread: dict[str, int] = field(default_factory=dict)
    long_tasks: list[tuple[str, int]] = field(default_factory=list)


def summarize(path: str, lhr: dict, targets: dict[str, int] = TARGETS) -> PageResult:
    """The figures of one Lighthouse result (LHR JSON: ``categories``, ``audits``)."""
    audits = lhr.get("audits", {})
    scores: dict[str, int | None] = {}
    misses: dict[str, list[str]] = {}
    for cat in CATEGORIES:
        category = lhr.get("categories", {}).get(cat)
        score = None if category is None or category.get("score") is None else round(category["score"] * 100)
        scores[cat] = score
        if category is None or (score is not None and score >= targets[cat]):
            continue
        failing = []
        for ref in category.get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                shown = audit.get("displayValue")
                failing.append(f"{ref['id']} ({audit['score']:.2f}{', ' + shown if shown else ''})")
        misses[cat] = failing
    weight = audits.get("total-byte-weight", {}).get("numericValue")
    metrics = {m: audits[m].get("displayValue", "") for m in METRICS if m in audits}
    error = (lhr.get("runtimeError") or {}).get("message")
    return PageResult(path, scores, None if weight is None else int(weight), misses, metrics, error,
                      main_thread_breakdown(audits), long_tasks(audits))


def main_thread_breakdown(audits: dict) -> dict[str, int]:
    """``mainthread-work-breakdown`` as {group: ms}, largest first (groups: styleLayout, scriptEvaluation...)."""
    items = ((audits.get("mainthread-work-breakdown") or {}).get("details") or {}).get("items", [])
    rows = sorted(((it["group"], round(it["duration"])) for it in items if "group" in it), key=lambda kv: -kv[1])
    return dict(rows)


def long_tasks(audits: dict, limit: int = 5) -> list[tuple[str, int]]:
    """The longest main-thread tasks (``long-tasks``): the script they are attributed to (file name, or "page"
    for the document itself) and their simulated duration in ms, longest first."""
    items = ((audits.get("long-tasks") or {}).get("details") or {}).get("items", [])
    tasks = []
    for it in items:
        url = str(it.get("url", ""))
        name = url.rstrip("/").rsplit("/", 1)[-1] if url.endswith((".js", ".css")) else ("page" if "://" in url else url)
        tasks.append((name, round(it.get("duration", 0))))
    return sorted(tasks, key=lambda t: -t[1])[:limit]


def explain(result: PageResult) -> str:
    """One line: where the main thread went and the longest tasks (what to attack when TBT is high)."""
    parts = [", ".join(f"{group} {ms} ms" for group, ms in result.main_thread.items())]
    if result.long_tasks:
        parts.append("long tasks " + ", ".join(f"{name} {ms} ms" for name, ms in result.long_tasks))
    return "; ".join(p for p in parts if p)


def median_result(runs: list[PageResult], targets: dict[str, int] = TARGETS) -> PageResult:
    """One page's runs as one row: the median of each score and of the bytes (low median: a real run's
    value); misses, metrics and errors of the run whose performance is that median."""
    scores: dict[str, int | None] = {}
    for cat in CATEGORIES:
        values = [r.scores[cat] for r in runs if r.scores[cat] is not None]
        scores[cat] = statistics.median_low(values) if values else None
    sizes = [r.bytes for r in runs if r.bytes is not None]
    perf = scores["performance"]
    typical = next((r for r in runs if r.scores["performance"] == perf), runs[0])
    misses = {cat: typical.misses.get(cat, []) for cat in CATEGORIES
              if scores[cat] is not None and scores[cat] < targets[cat]}
    return PageResult(runs[0].path, scores, statistics.median_low(sizes) if sizes else None, misses,
                      typical.metrics, typical.runtime_error, typical.main_thread, typical.long_tasks)


def presets_table(results: dict[str, list[PageResult]], loads: dict[str, list[float]]) -> str:
    """Markdown table: page, median performance (and TBT) per preset, and the 1-minute load average range
    over that page's runs (the figure moves a lot with load on a shared machine)."""
    presets = [p for p in PRESETS if p in results]
    head = "| página | " + " | ".join(f"rendimiento {p} (TBT)" for p in presets) + " | carga (1 min) |"
    rows = [head, "|---|" + "---:|" * len(presets) + "---|"]
    paths = [r.path for r in results[presets[0]]] if presets else []
    for path in paths:
        cells = []
        for preset in presets:
            r = next((r for r in results[preset] if r.path == path), None)
            perf = None if r is None else r.scores["performance"]
            tbt = "" if r is None else r.metrics.get("total-blocking-time", "")
            cells.append("–" if perf is None else f"{perf}{'*' if perf < TARGETS_BY_PRESET[preset]['performance'] else ''}"
                         + (f" ({tbt})" if tbt else ""))
        values = [v for preset in presets for v in loads.get(f"{preset} {path}", [])]
        load = f"{min(values):.1f}–{max(values):.1f}" if values else "–"
        rows.append(f"| {path} | " + " | ".join(cells) + f" | {load} |")
    return "\n".join(rows)


def table(results: list[PageResult], targets: dict[str, int] = TARGETS) -> str:
    """Markdown table: page, the four scores, KiB transferred; a ``*`` marks a score under its target."""
    head = "| página | " + " | ".join(HEADERS[c] for c in CATEGORIES) + " | KiB transferidos |"
    rule = "|---|" + "---:|" * (len(CATEGORIES) + 1)
    rows = [head, rule]
    for r in results:
        cells = []
        for cat in CATEGORIES:
            score = r.scores[cat]
            cells.append("–" if score is None else f"{score}{'*' if score < targets[cat] else ''}")
        size = "–" if r.bytes is None else f"{r.bytes / 1024:.1f}"
        rows.append(f"| {r.path} | " + " | ".join(cells) + f" | {size} |")
    return "\n".join(rows)


def ensure_lighthouse() -> str:
    """Install bench/package-lock.json's Lighthouse when missing; return its version."""
    manifest = BENCH / "node_modules" / "lighthouse" / "package.json"
    if not LIGHTHOUSE_BIN.exists() or not manifest.is_file():
        subprocess.run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if not version.startswith(LIGHTHOUSE_VERSION_PREFIX):
        raise SystemExit(f"bench/node_modules has lighthouse {version}, expected {LIGHTHOUSE_VERSION_PREFIX}x: run npm ci --prefix bench")
    return version


# Types GitHub Pages serves gzip-compressed (text); images and fonts go as they are.
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map"})


def wants_gzip(accept_encoding: str | None) -> bool:
    """True when an Accept-Encoding header accepts gzip (RFC 9110 §12.5.3; ``gzip;q=0`` refuses it)."""
    for part in (accept_encoding or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            return not (q.startswith("q=") and float(q[2:] or 0) == 0)
    return False


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; with ``gzip`` set, text files are gzip-compressed as GitHub Pages sends them."""

    gzip = True

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (upstream signature)
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (self.gzip and path.suffix in COMPRESSIBLE and path.is_file()
                and wants_gzip(self.headers.get("Accept-Encoding"))):
            return super().send_head()
        if not self.path.split("?", 1)[0].endswith("/") and Path(self.translate_path(self.path)).is_dir():
            return super().send_head()  # the redirect to the trailing-slash URL
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve_directory(directory: Path, port: int, compress: bool = True) -> http.server.ThreadingHTTPServer:
    handler_class = type("Handler", (_QuietHandler,), {"gzip": compress})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build_site(work: Path, site_url: str) -> Path:
    project = common.snapshot_project(work / "project")
    site = work / "site"
    env = dict(common.mkdocs_env(), SITE_URL=site_url)
    proc = subprocess.run(
        [str(common.venv_python()), "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=project, env=env, stderr=subprocess.PIPE, text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"mkdocs build failed (exit {proc.returncode})")
    return site


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=("both", "desktop", "mobile"), default="both")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and preset (the median is shown)")
    parser.add_argument("--page", action="append", default=None, help="URL path to audit (repeatable; default: every page)")
    parser.add_argument("--site", type=Path, default=None,
                        help="already built site to serve (built with SITE_URL=http://127.0.0.1:PORT/); default: build one")
    parser.add_argument("--no-gzip", dest="gzip", action="store_false",
                        help="send files uncompressed (default: gzip text files, as GitHub Pages does)")
    parser.add_argument("--retries", type=int, default=1, help="runs again a page whose Lighthouse run failed")
    parser.add_argument("--port", type=int, default=0, help="port to serve on (default: a free one)")
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "lighthouse", help="folder for the JSON reports")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    version = ensure_lighthouse()
    port = args.port or common.free_port()
    base = f"http://127.0.0.1:{port}"
    args.out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CHROME_PATH=CHROME_PATH)
    with tempfile.TemporaryDirectory(prefix="k8sdocs-bench-lighthouse-") as tmp:
        site = args.site or build_site(Path(tmp), base + "/")
        pages = args.page or site_pages(site)
        server = serve_directory(site, port, compress=args.gzip)
        presets = PRESETS if args.preset == "both" else (args.preset,)
        results: dict[str, list[PageResult]] = {preset: [] for preset in presets}
        loads: dict[str, list[float]] = {}
        try:
            for preset in presets:
                for path in pages:
                    runs = []
                    for run in range(1, args.runs + 1):
                        r = run_page(base, path, preset, run, args, env)
                        loads.setdefault(f"{preset} {path}", []).append(os.getloadavg()[0])
                        if r is not None:
                            runs.append(r)
                    if runs:
                        results[preset].append(median_result(runs, TARGETS_BY_PRESET[preset]))
        finally:
            server.shutdown()
            server.server_close()
    for preset in presets:
        targets = TARGETS_BY_PRESET[preset]
        print()
        print(f"Lighthouse {version}, --preset {preset}, median of {args.runs} runs, Chromium at {CHROME_PATH}, "
              f"site served on {base} ({'gzip' if args.gzip else 'uncompressed'}); targets: "
              + ", ".join(f"{c} >= {targets[c]}" for c in CATEGORIES))
        print(table(results[preset], targets))
        print()
        for r in results[preset]:
            if r.runtime_error:
                print(f"{r.path}: runtimeError: {r.runtime_error}")
            for cat, failing in r.misses.items():
                print(f"{r.path}: {cat} {r.scores[cat]} < {targets[cat]}: " + ("; ".join(failing) or "no weighted audit failed"))
            if r.misses.get("performance") is not None:
                print(f"{r.path}: metrics " + ", ".join(f"{k} {v}" for k, v in r.metrics.items()))
                print(f"{r.path}: main thread {explain(r)}")
    print()
    print(presets_table(results, loads))
    print(f"({common.load_average()})")
    return 0


def run_page(base: str, path: str, preset: str, run: int, args: argparse.Namespace, env: dict[str, str]) -> PageResult | None:
    """One Lighthouse run of one page (retried when Lighthouse itself fails); None when every attempt failed."""
    output = args.out / report_name(path, preset, run)
    for attempt in range(1 + args.retries):
        output.unlink(missing_ok=True)
        proc = subprocess.run(lighthouse_cmd(base + path, output, preset), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode == 0 and output.is_file():
            break
        # Under load, Chrome can miss a DevTools deadline ("Waiting for DevTools protocol
        # response has exceeded the allotted time"): that is the machine, not the page.
        print(f"{path}: lighthouse failed (exit {proc.returncode}, attempt {attempt + 1}): "
              f"{proc.stderr.strip()[-300:]}", flush=True)
    else:
        return None
    result = summarize(path, json.loads(output.read_text(encoding="utf-8")), TARGETS_BY_PRESET[preset])
    print(f"{preset} {run} {path}: " + ", ".join(f"{c} {result.scores[c]}" for c in CATEGORIES)
          + f"  ({common.load_average()})", flush=True)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
