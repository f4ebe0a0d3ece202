"""Benchmark (not a test): `mkdocs serve` rebuild time after editing one page.

Issue 6, item 3 (b). Target: <= 1 s from saving the page to the browser getting the new text.

For each mode (plain `mkdocs serve`, then `mkdocs serve --dirty`), in a temporary copy of the
project: start the project's `.venv` MkDocs on a free 127.0.0.1 port, wait for the first build
(the page answers 200), then N times append a line with a unique marker to the page and poll it
over HTTP until the served HTML contains the marker. MkDocs' server holds a request while a
rebuild runs (mkdocs/livereload/__init__.py ``_serve_request``: "Wait until the ongoing rebuild
(if any) finishes"), so the time measured is edit -> change detected -> whole rebuild -> served.

Two parts of it are printed apart, from the timestamps of serve's own log lines:
* detection: edit -> "Detected file changes". MkDocs 1.6 watches with watchdog's
  ``PollingObserver(timeout=polling_interval)``, ``polling_interval=0.5``, then waits for the
  changes to settle (``build_delay = 0.1``) (mkdocs/livereload/__init__.py, ``LiveReloadServer``);
* rebuild: "Detected file changes" -> "Reloading browsers".

Run: .venv/bin/python bench/serve.py [--runs 5] [--page index.md ...] [--mode plain --mode dirty]
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
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

# mkdocs.yml sets `strict: true`, and a dirty build logs a WARNING ("A 'dirty' build is being
# performed...", mkdocs/commands/build.py), so `mkdocs serve --dirty` alone aborts at once
# ("Aborted with 1 warnings in strict mode!"): the dirty mode needs --no-strict.
MODES = {"plain": [], "dirty": ["--dirty", "--no-strict"], "make": []}
# `make`: what `make serve` runs, `python -m k8sdocs.serve` (mkdocs serve --dirty with the pages whose
# scenarios changed invalidated too, k8sdocs/dirty.py; the macro cache on disk, k8sdocs/cache.py).
# Log messages of mkdocs 1.6.1 (mkdocs/livereload/__init__.py, mkdocs/commands/serve.py).
SERVING = "Serving on "
DETECTED = "Detected file changes"
RELOADING = "Reloading browsers"


def page_url(src_uri: str) -> str:
    """URL path MkDocs gives a page with ``use_directory_urls: true`` (the default; mkdocs.yml keeps it):
    ``index.md`` -> ``/``, ``a/index.md`` -> ``/a/``, ``a/b.md`` -> ``/a/b/`` (mkdocs/structure/files.py ``_get_dest_path``)."""
    if not src_uri.endswith(".md"):
        raise ValueError(f"not a Markdown page: {src_uri}")
    stem = src_uri[: -len(".md")]
    parts = stem.split("/")
    if parts[-1] in ("index", "README"):
        parts = parts[:-1]
    return "/" + "".join(p + "/" for p in parts)


def marker_line(mode: str, run: int, nonce: str) -> str:
    """The line appended to the page: one Markdown paragraph that renders as the same text."""
    return f"\n\nk8sdocs-bench-{mode}-{run}-{nonce}\n"


@dataclass
class LogReader:
    """Collects (monotonic time, line) for every stderr line of the server, in a thread."""

    lines: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def follow(self, stream) -> None:
        for line in stream:
            with self.lock:
                self.lines.append((time.monotonic(), line.rstrip("\n")))

    def first_after(self, text: str, after: float) -> float | None:
        with self.lock:
            for stamp, line in self.lines:
                if stamp >= after and text in line:
                    return stamp
        return None

    def wait_for(self, text: str, after: float, timeout: float, proc: subprocess.Popen | None = None) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            stamp = self.first_after(text, after)
            if stamp is not None:
                return stamp
            if proc is not None and proc.poll() is not None:
                time.sleep(0.2)  # let the reader thread take the last lines
                raise RuntimeError(f"mkdocs serve exited ({proc.returncode}); last lines:\n" + self.tail())
            time.sleep(0.01)
        raise TimeoutError(f"mkdocs serve did not log {text!r} within {timeout} s; last lines:\n" + self.tail())

    def tail(self, count: int = 15) -> str:
        with self.lock:
            return "\n".join(line for _stamp, line in self.lines[-count:])


def fetch(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for_text(url: str, text: str, timeout: float, interval: float = 0.02) -> float:
    """Poll ``url`` until its body contains ``text``; return the monotonic time it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = fetch(url, timeout=max(1.0, deadline - time.monotonic()))
        if status == 200 and text in body:
            return time.monotonic()
        time.sleep(interval)
    raise TimeoutError(f"{url} did not serve {text!r} within {timeout} s")


@dataclass(frozen=True)
class Sample:
    served: float      # edit -> page served with the new text
    detection: float   # edit -> "Detected file changes"
    rebuild: float     # "Detected file changes" -> "Reloading browsers"


def measure(project: Path, page: str, mode: str, runs: int, timeout: float, nonce: str,
            scenario: str | None = None) -> list[Sample]:
    python = common.venv_python()
    port = common.free_port()
    if mode == "make":
        cmd = [str(python), "-m", "k8sdocs.serve", "--dev-addr", f"127.0.0.1:{port}"]
    else:
        cmd = [str(python), "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *MODES[mode]]
    url = f"http://127.0.0.1:{port}{page_url(page)}"
    # The edited file: the page itself, or a scenario the page shows (cp_manifiestos prints its YAML,
    # so a comment line with the marker reaches the page only through a rerun of that scenario).
    source = project / "docs" / (f"escenarios/{scenario}" if scenario else page)
    if not source.is_file():
        raise SystemExit(f"no file {source.relative_to(project)} in the project")
    proc = subprocess.Popen(cmd, cwd=project, env=common.mkdocs_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    log = LogReader()
    threading.Thread(target=log.follow, args=(proc.stderr,), daemon=True).start()
    samples: list[Sample] = []
    try:
        started = time.monotonic()
        log.wait_for(SERVING, started, timeout, proc)
        first = wait_for_text(url, "</html>", timeout)
        print(f"  [{mode}] first build served after {first - started:.2f} s  ({common.load_average()})")
        for run in range(runs):
            time.sleep(1.0)  # let the observer settle; the next edit starts a fresh polling period
            marker = marker_line(mode, run, nonce)
            if scenario:
                marker = "\n# " + marker.strip() + "\n"
            with source.open("a", encoding="utf-8") as handle:
                edited = time.monotonic()
                handle.write(marker)
            served = wait_for_text(url, marker.strip().lstrip("# "), timeout)
            detected = log.wait_for(DETECTED, edited, timeout, proc)
            reloaded = log.wait_for(RELOADING, detected, timeout, proc)
            samples.append(Sample(served - edited, detected - edited, reloaded - detected))
            print(f"  [{mode}] run {run + 1}/{runs}: served {served - edited:.3f} s (detection {detected - edited:.3f} s, "
                  f"rebuild {reloaded - detected:.3f} s)  ({common.load_average()})")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return samples


def summary(mode: str, page: str, samples: list[Sample]) -> str:
    served = [s.served for s in samples]
    return (f"{mode:5} {page}: served median {common.median(served):.3f} s, max {max(served):.3f} s "
            f"(detection median {common.median([s.detection for s in samples]):.3f} s, "
            f"rebuild median {common.median([s.rebuild for s in samples]):.3f} s; n={len(samples)}) "
            f"target <= {0.8 if 'escenarios/' not in page else 1.2} s")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=common.positive_int, default=5, help="edits per page and mode")
    parser.add_argument("--page", action="append", default=None,
                        help="page under docs/ to edit (repeatable; default index.md)")
    parser.add_argument("--mode", action="append", choices=sorted(MODES), default=None,
                        help="plain, dirty and/or make (repeatable; default all three)")
    parser.add_argument("--scenario", default=None,
                        help="edit this file of docs/escenarios/ instead of the page (the page must show it)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for a build")
    args = parser.parse_args(argv)
    args.page = args.page or ["index.md"]
    args.mode = args.mode or ["plain", "dirty", "make"]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    lines = []
    with tempfile.TemporaryDirectory(prefix="k8sdocs-bench-serve-") as tmp:
        base = common.snapshot_project(Path(tmp) / "base")
        for page in args.page:
            for mode in args.mode:
                project = common.snapshot_project(Path(tmp) / f"{mode}-{page.replace('/', '_')}", src=base)
                samples = measure(project, page, mode, args.runs, args.timeout, nonce=f"{time.time_ns():x}",
                                  scenario=args.scenario)
                what = f"{page} (edit escenarios/{args.scenario})" if args.scenario else page
                lines.append(summary(mode, what, samples))
    print("\n".join(lines))
    print(f"({common.load_average()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
