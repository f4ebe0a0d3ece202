"""Benchmark (not a test): what running the cluster model costs `mkdocs build --strict`.

Issue 6 item 3 (a), issue 12 item 4. Targets: warm / pre-rendered <= 1.05, cold / pre-rendered <= 1.5.

Three builds of the same snapshot of the project are timed, in turn, N times each:

* **warm**: the real site, `mkdocs build --strict`, with the on-disk macro cache (k8sdocs/cache.py)
  already filled by an earlier build of the same sources: what `make build` costs when the model and
  the scenarios did not change;
* **cold**: the same with an empty cache (a fresh ``K8SDOCS_CACHE_DIR`` for every run): every scenario
  and the fidelity suite run;
* **pre-rendered**: the same site where each page that opts in with ``render_macros: true`` already holds
  the Markdown its macros produce, and mkdocs.yml has no ``macros`` plugin: MkDocs + Material alone.

The Markdown is captured once, untimed, by a build with one more hook, ``on_page_markdown`` at
``event_priority(-100)`` (MkDocs runs it after every plugin's ``on_page_markdown``, mkdocs/plugins.py
``event_priority``: "-100 ... last"), which writes ``page.markdown`` as mkdocs-macros left it. The
sites are then compared file by file: equal HTML proves the pre-rendered copy is the same site minus
the model, and that warm and cold builds give the same bytes.

``ratio = median(variant) / median(pre-rendered)`` (wall clock; the same ratio of the builds'
user+system CPU time is printed too, as it moves much less when other processes load the machine).

Run: .venv/bin/python bench/build.py [--runs 3] [--warmup 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import json
import re
import sys
import tempfile
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

CAPTURE_ENV = "K8SDOCS_BENCH_CAPTURE"
CAPTURE_HOOK_NAME = "bench_capture_hook.py"
CAPTURE_HOOK = f'''"""Written by bench/build.py into a throwaway copy of the project: dumps each page's Markdown
after every plugin's on_page_markdown (mkdocs-macros included) into ${CAPTURE_ENV}/<src_uri>, and
the seconds from on_pre_page to that point (reading the source + macros) into ${CAPTURE_ENV}.times.json."""
import json
import os
import time
from pathlib import Path

from mkdocs.plugins import event_priority

_started = {{}}
_seconds = {{}}


@event_priority(-100)  # mkdocs/plugins.py: -100 runs last
def on_pre_page(page, **kwargs):
    _started[page.file.src_uri] = time.perf_counter()
    return page


@event_priority(-100)
def on_page_markdown(markdown, page, **kwargs):
    _seconds[page.file.src_uri] = time.perf_counter() - _started[page.file.src_uri]
    out = Path(os.environ["{CAPTURE_ENV}"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")
    return markdown


def on_post_build(config, **kwargs):
    Path(os.environ["{CAPTURE_ENV}"] + ".times.json").write_text(json.dumps(_seconds, sort_keys=True))
'''

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """(first, end) line indexes of the top-level ``key:`` mapping entry, header line included."""
    for i, line in enumerate(lines):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            end = i + 1
            while end < len(lines) and not _TOP_KEY.match(lines[end]):
                end += 1
            return i, end
    return None


def remove_plugin(config_text: str, name: str) -> str:
    """mkdocs.yml text without the ``name`` entry of ``plugins:`` (line-based, so ``!ENV`` and
    ``!!python/name`` tags and comments elsewhere stay untouched). Raises ValueError when absent."""
    lines = config_text.splitlines(keepends=True)
    block = _block(lines, "plugins")
    if block is None:
        raise ValueError("mkdocs.yml has no top-level plugins:")
    first, end = block
    item = re.compile(rf"^(\s*)-\s+{re.escape(name)}\s*(:|#|$)")
    for i in range(first + 1, end):
        m = item.match(lines[i].rstrip("\n"))
        if not m:
            continue
        depth = len(m.group(1))
        stop = i + 1
        while stop < end and (not lines[stop].strip() or _indent(lines[stop]) > depth):
            stop += 1
        # Blank lines between this entry and the next one belong to the layout, keep them.
        while stop > i + 1 and not lines[stop - 1].strip():
            stop -= 1
        return "".join(lines[:i] + lines[stop:])
    raise ValueError(f"mkdocs.yml: no plugin named {name!r} under plugins:")


def add_hook(config_text: str, hook: str) -> str:
    """mkdocs.yml text with ``hook`` appended to the top-level ``hooks:`` list (created if absent)."""
    lines = config_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    block = _block(lines, "hooks")
    if block is None:
        return "".join(lines) + f"hooks:\n  - {hook}\n"
    first, end = block
    items = [i for i in range(first + 1, end) if lines[i].lstrip().startswith("- ")]
    if not items:
        raise ValueError("mkdocs.yml: hooks: is not a block list")
    last = items[-1]
    indent = " " * _indent(lines[last])
    return "".join(lines[: last + 1] + [f"{indent}- {hook}\n"] + lines[last + 1 :])


def split_front_matter(source: str) -> tuple[str, str]:
    """(front matter text, body) as MkDocs splits a page (mkdocs/utils/meta.py ``get_data``)."""
    from mkdocs.utils.meta import get_data

    body, _meta = get_data(source)
    if not source.endswith(body):
        raise ValueError("page body is not a suffix of its source (MultiMarkdown meta with CRLF?)")
    return source[: len(source) - len(body)], body


def prerender(docs_dir: Path, captured_dir: Path) -> list[str]:
    """Replace, in ``docs_dir``, the body of every page whose captured Markdown differs from its
    source body by the captured text (front matter kept). Returns the replaced pages, sorted."""
    replaced = []
    for captured in sorted(captured_dir.rglob("*.md")):
        rel = captured.relative_to(captured_dir)
        page = docs_dir / rel
        source = page.read_text(encoding="utf-8-sig")
        front, body = split_front_matter(source)
        rendered = captured.read_text(encoding="utf-8")
        if rendered != body:
            page.write_text(front + rendered, encoding="utf-8")
            replaced.append(rel.as_posix())
    return replaced


def slowest(times: dict[str, float], count: int) -> list[tuple[str, float]]:
    """The ``count`` largest entries, largest first (ties by name, so the order is stable)."""
    return sorted(times.items(), key=lambda item: (-item[1], item[0]))[:count]


def differing_files(a: Path, b: Path) -> list[str]:
    """Relative paths present in only one tree or with different bytes, sorted."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _match, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(prefix + n for n in mismatch + errors)
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(out)


def mkdocs_build_cmd(python: Path, site_dir: Path) -> list[str]:
    return [str(python), "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=common.positive_int, default=3, help="timed builds of each variant (median)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed builds of each variant first (.pyc, page cache)")
    parser.add_argument("--keep", type=Path, default=None, help="work in this directory and keep it (default: a temp dir)")
    return parser.parse_args(argv)


@dataclass(frozen=True)
class Result:
    full: list[float]  # warm cache
    prerendered: list[float]
    full_cpu: list[float]
    prerendered_cpu: list[float]
    cold: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)

    @property
    def cold_ratio(self) -> float:
        return common.ratio(common.median(self.cold), common.median(self.prerendered))

    @property
    def cold_cpu_ratio(self) -> float:
        return common.ratio(common.median(self.cold_cpu), common.median(self.prerendered_cpu))

    @property
    def ratio(self) -> float:
        return common.ratio(common.median(self.full), common.median(self.prerendered))

    @property
    def cpu_ratio(self) -> float:
        return common.ratio(common.median(self.full_cpu), common.median(self.prerendered_cpu))


def _build(python: Path, project: Path, site: Path, env: dict[str, str]):
    timed = common.run_timed(mkdocs_build_cmd(python, site), cwd=project, env=env)
    if timed.returncode != 0:
        sys.stderr.write(timed.stderr)
        raise SystemExit(f"mkdocs build failed in {project} (exit {timed.returncode})")
    return timed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    python = common.venv_python()
    env = common.mkdocs_env()
    with tempfile.TemporaryDirectory(prefix="k8sdocs-bench-build-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        full = common.snapshot_project(work / "full")
        capture = common.snapshot_project(work / "capture", src=full)
        pre = common.snapshot_project(work / "prerendered", src=full)

        # 1. Capture the Markdown after macros (untimed).
        (capture / CAPTURE_HOOK_NAME).write_text(CAPTURE_HOOK, encoding="utf-8")
        config = capture / "mkdocs.yml"
        config.write_text(add_hook(config.read_text(encoding="utf-8"), CAPTURE_HOOK_NAME), encoding="utf-8")
        captured = work / "captured"
        _build(python, capture, work / "site-capture", dict(env, K8SDOCS_CACHE="0", **{CAPTURE_ENV: str(captured)}))

        # 2. The pre-rendered copy: rendered Markdown in docs/, no macros plugin.
        replaced = prerender(pre / "docs", captured)
        config = pre / "mkdocs.yml"
        config.write_text(remove_plugin(config.read_text(encoding="utf-8"), "macros"), encoding="utf-8")
        print(f"pre-rendered pages ({len(replaced)}): {', '.join(replaced)}")
        times = json.loads(Path(str(captured) + ".times.json").read_text(encoding="utf-8"))
        print("slowest pages in the capture build (read + macros, one run): " + ", ".join(
            f"{uri} {seconds:.2f} s" for uri, seconds in slowest(times, 5)))

        # 3. Time the three, in turn, so load changes hit them alike.
        warm_env = dict(env, K8SDOCS_CACHE_DIR=str(work / "cache-warm"))
        _build(python, full, work / "site-full", warm_env)  # fills the warm cache
        for _ in range(args.warmup):
            _build(python, full, work / "site-full", warm_env)
            _build(python, pre, work / "site-pre", env)
        result = Result([], [], [], [])
        for i in range(args.runs):
            cold_env = dict(env, K8SDOCS_CACHE_DIR=str(work / f"cache-cold-{i}"))
            cold_run = _build(python, full, work / "site-cold", cold_env)
            warm_run = _build(python, full, work / "site-full", warm_env)
            pre_run = _build(python, pre, work / "site-pre", env)
            result.cold.append(cold_run.seconds)
            result.cold_cpu.append(cold_run.cpu_seconds)
            result.full.append(warm_run.seconds)
            result.full_cpu.append(warm_run.cpu_seconds)
            result.prerendered.append(pre_run.seconds)
            result.prerendered_cpu.append(pre_run.cpu_seconds)
            print(f"run {i + 1}/{args.runs}: cold {common.format_seconds(cold_run.seconds)} (cpu {cold_run.cpu_seconds:.3f}), "
                  f"warm {common.format_seconds(warm_run.seconds)} (cpu {warm_run.cpu_seconds:.3f}), "
                  f"pre-rendered {common.format_seconds(pre_run.seconds)} (cpu {pre_run.cpu_seconds:.3f})  "
                  f"({common.load_average()})")

        for name in ("site-full", "site-cold"):
            diff = differing_files(work / name, work / "site-pre")
            same = "identical" if not diff else f"{len(diff)} files differ: {', '.join(diff[:10])}"
            print(f"site output, {name.removeprefix('site-').replace('full', 'warm')} vs pre-rendered: {same}")
        for label, values in (("cold build (empty cache)", result.cold), ("warm build (cache filled)", result.full),
                              ("pre-rendered (no macros plugin)", result.prerendered)):
            print(f"{label:33} median {common.format_seconds(common.median(values))} of {args.runs} "
                  f"[{', '.join(f'{t:.3f}' for t in values)}]")
        print(f"CPU time (user+sys) medians: cold {common.median(result.cold_cpu):.3f} s, warm {common.median(result.full_cpu):.3f} s, "
              f"pre-rendered {common.median(result.prerendered_cpu):.3f} s; ratios cold {result.cold_cpu_ratio:.2f}x, "
              f"warm {result.cpu_ratio:.2f}x (less sensitive to other processes than wall time)")
        print(f"ratio warm / pre-rendered: {result.ratio:.2f}x (target <= 1.05x); "
              f"cold / pre-rendered: {result.cold_ratio:.2f}x (target <= 1.5x)  ({common.load_average()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
