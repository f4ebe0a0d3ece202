"""Smoke tests for the site benchmarks in bench/ (argument parsing and pure helpers; no timing)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"k8sdocs_bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = load("build")
serve = load("serve")
lighthouse = load("lighthouse")
style_trace = load("style_trace")
common = sys.modules["k8sdocs_bench_common"]


# --- common -----------------------------------------------------------------------------------

def test_median_and_ratio():
    assert common.median([3.0, 1.0, 2.0]) == 2.0
    assert common.median([1.0, 2.0, 4.0, 10.0]) == 3.0
    assert common.ratio(11.0, 10.0) == pytest.approx(1.1)
    with pytest.raises(ValueError):
        common.median([])
    with pytest.raises(ValueError):
        common.ratio(1.0, 0.0)


def test_positive_int_rejects_zero():
    assert common.positive_int("3") == 3
    with pytest.raises(ValueError):
        common.positive_int("0")


def test_snapshot_copies_what_a_build_reads_and_skips_caches(tmp_path):
    src = tmp_path / "src"
    for rel in ["mkdocs.yml", "docs/index.md", "k8sdocs/hooks.py", "tests/fidelity/a.yaml",
                "k8sdocs/__pycache__/x.pyc", ".git/HEAD", "site/index.html", "bench/out/x.json"]:
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text("x")
    (src / "node_modules" / "mermaid").mkdir(parents=True)
    dst = common.snapshot_project(tmp_path / "dst", src=src)
    for rel in ["mkdocs.yml", "docs/index.md", "k8sdocs/hooks.py", "tests/fidelity/a.yaml"]:
        assert (dst / rel).is_file(), rel
    for rel in ["k8sdocs/__pycache__", ".git", "site", "bench"]:
        assert not (dst / rel).exists(), rel
    assert (dst / "node_modules").is_symlink()
    assert (dst / "node_modules" / "mermaid").is_dir()


# --- build.py ---------------------------------------------------------------------------------

CONFIG = """site_name: x
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
hooks:
  - k8sdocs/hooks.py     # comment
watch:
  - k8sdocs
plugins:
  - search:
      lang: es
  - macros:
      modules: [k8sdocs.macros]
      render_by_default: false

  - other
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def test_remove_plugin_drops_the_whole_entry_and_nothing_else():
    out = build.remove_plugin(CONFIG, "macros")
    assert "macros" not in out
    assert "render_by_default" not in out
    assert "  - search:\n      lang: es\n\n  - other\n" in out
    assert out.replace(out, "") == ""
    assert CONFIG.replace(
        "  - macros:\n      modules: [k8sdocs.macros]\n      render_by_default: false\n", "") == out
    assert build.remove_plugin(CONFIG, "other").endswith("render_by_default: false\n\nmarkdown_extensions:\n"
                                                          + CONFIG.split("markdown_extensions:\n", 1)[1])
    with pytest.raises(ValueError):
        build.remove_plugin(CONFIG, "mermaid")  # a markdown extension's key, not a plugin


def test_add_hook_appends_to_the_list_or_creates_it():
    out = build.add_hook(CONFIG, "capture.py")
    assert "hooks:\n  - k8sdocs/hooks.py     # comment\n  - capture.py\nwatch:" in out
    assert build.add_hook("site_name: x", "c.py") == "site_name: x\nhooks:\n  - c.py\n"


def test_edited_project_config_loads_in_mkdocs_without_macros(tmp_path):
    """The real mkdocs.yml, edited as the benchmark edits it, is still a valid MkDocs config."""
    from mkdocs.config import load_config

    project = common.snapshot_project(tmp_path / "project")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    edited = build.add_hook(build.remove_plugin(text, "macros"), "capture_hook.py")
    (project / "capture_hook.py").write_text(build.CAPTURE_HOOK)
    (project / "mkdocs.yml").write_text(edited, encoding="utf-8")
    config = load_config(config_file=str(project / "mkdocs.yml"))
    assert "macros" not in config.plugins
    assert "material/search" in config.plugins
    assert [Path(h).name for h in config.hooks] == ["hooks.py", "capture_hook.py"]


def test_split_front_matter_as_mkdocs_does():
    front, body = build.split_front_matter("---\nrender_macros: true\n---\n\n# T\n\n{{ x() }}\n")
    assert front == "---\nrender_macros: true\n---\n\n"
    assert body == "# T\n\n{{ x() }}\n"
    assert build.split_front_matter("# T\n") == ("", "# T\n")


def test_prerender_replaces_only_pages_whose_markdown_changed(tmp_path):
    docs, captured = tmp_path / "docs", tmp_path / "captured"
    (docs / "a").mkdir(parents=True)
    (captured / "a").mkdir(parents=True)
    (docs / "a" / "p.md").write_text("---\nrender_macros: true\n---\n# P\n{{ t() }}\n")
    (captured / "a" / "p.md").write_text("# P\n| x |\n")
    (docs / "q.md").write_text("# Q\n")
    (captured / "q.md").write_text("# Q\n")
    assert build.prerender(docs, captured) == ["a/p.md"]
    assert (docs / "a" / "p.md").read_text() == "---\nrender_macros: true\n---\n# P\n| x |\n"
    assert (docs / "q.md").read_text() == "# Q\n"


def test_differing_files_and_slowest(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        (d / "s").mkdir(parents=True)
        (d / "same.html").write_text("1")
    (a / "s" / "x.html").write_text("1")
    (b / "s" / "x.html").write_text("2")
    (a / "only.html").write_text("1")
    assert build.differing_files(a, b) == ["only.html", "s/x.html"]
    assert build.slowest({"b": 1.0, "a": 1.0, "c": 2.0}, 2) == [("c", 2.0), ("a", 1.0)]


def test_build_arguments():
    args = build.parse_args([])
    assert (args.runs, args.warmup, args.keep) == (3, 1, None)
    assert build.parse_args(["--runs", "5"]).runs == 5
    with pytest.raises(SystemExit):
        build.parse_args(["--runs", "0"])
    cmd = build.mkdocs_build_cmd(Path("/p"), Path("/s"))
    assert cmd[1:5] == ["-m", "mkdocs", "build", "--strict"]


def test_capture_hook_runs_after_mkdocs_macros():
    # mkdocs_macros/plugin.py on_page_markdown has no event_priority (0); -100 is MkDocs' "last".
    assert "@event_priority(-100)" in build.CAPTURE_HOOK
    compile(build.CAPTURE_HOOK, "bench_capture_hook.py", "exec")


# --- serve.py ---------------------------------------------------------------------------------

@pytest.mark.parametrize("src, url", [
    ("index.md", "/"),
    ("arquitectura.md", "/arquitectura/"),
    ("plano-de-control/kube-scheduler.md", "/plano-de-control/kube-scheduler/"),
    ("nodos/index.md", "/nodos/"),
    ("README.md", "/"),
])
def test_page_url_uses_directory_urls(src, url):
    assert serve.page_url(src) == url


def test_page_url_rejects_non_pages():
    with pytest.raises(ValueError):
        serve.page_url("escenarios/x.yaml")


def test_serve_arguments_default_to_index_all_modes():
    args = serve.parse_args([])
    assert (args.runs, args.page, args.mode, args.scenario) == (5, ["index.md"], ["plain", "dirty", "make"], None)
    args = serve.parse_args(["--page", "a.md", "--mode", "dirty", "--runs", "2"])
    assert (args.runs, args.page, args.mode) == (2, ["a.md"], ["dirty"])
    with pytest.raises(SystemExit):
        serve.parse_args(["--mode", "fast"])
    # strict: true in mkdocs.yml turns the dirty-build WARNING into an abort.
    assert serve.MODES["dirty"] == ["--dirty", "--no-strict"]


def test_marker_is_one_paragraph():
    line = serve.marker_line("dirty", 2, "ab")
    assert line == "\n\nk8sdocs-bench-dirty-2-ab\n"


def test_log_reader_finds_lines_after_a_time():
    reader = serve.LogReader()
    reader.follow(iter(["INFO    -  Detected file changes\n", "INFO    -  Reloading browsers\n"]))
    first = reader.lines[0][0]
    assert reader.first_after(serve.DETECTED, first) == first
    assert reader.first_after(serve.RELOADING, reader.lines[1][0] + 1) is None


# --- lighthouse.py ----------------------------------------------------------------------------

def test_site_pages_lists_every_index_and_404(tmp_path):
    for rel in ["index.html", "a/index.html", "a/b/index.html", "404.html", "assets/x.js", "search/search_index.json"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    assert lighthouse.site_pages(tmp_path) == ["/", "/404.html", "/a/", "/a/b/"]


def test_report_names():
    assert lighthouse.report_name("/") == "inicio.json"
    assert lighthouse.report_name("/plano-de-control/etcd/") == "plano-de-control_etcd.json"
    assert lighthouse.report_name("/404.html") == "404.json"


def test_lighthouse_command_is_local_and_headless():
    cmd = lighthouse.lighthouse_cmd("http://127.0.0.1:1/", Path("/o.json"), "desktop")
    assert "--chrome-flags=--headless=new --no-sandbox --disable-gpu --proxy-server=http://127.0.0.1:9" in cmd
    assert "--only-categories=performance,accessibility,best-practices,seo" in cmd
    assert "--preset=desktop" in cmd
    assert "--preset=desktop" not in lighthouse.lighthouse_cmd("u", Path("/o"), "mobile")


def test_bench_package_pins_lighthouse_12_2_3():
    import json

    pkg = json.loads((ROOT / "bench" / "package.json").read_text())
    lock = json.loads((ROOT / "bench" / "package-lock.json").read_text())
    assert pkg["devDependencies"]["lighthouse"] == "12.2.3"
    assert lock["packages"]["node_modules/lighthouse"]["version"] == "12.2.3"


LHR = {
    "categories": {
        "performance": {"score": 0.88, "auditRefs": [
            {"id": "total-blocking-time", "weight": 30}, {"id": "largest-contentful-paint", "weight": 25},
            {"id": "diagnostics", "weight": 0}]},
        "accessibility": {"score": 1, "auditRefs": [{"id": "color-contrast", "weight": 7}]},
        "best-practices": {"score": 1, "auditRefs": []},
        "seo": {"score": 0.92, "auditRefs": [{"id": "meta-description", "weight": 1}]},
    },
    "audits": {
        "total-blocking-time": {"score": 0.63, "displayValue": "280 ms"},
        "largest-contentful-paint": {"score": 1, "displayValue": "0.6 s"},
        "diagnostics": {"score": 0},
        "color-contrast": {"score": 1},
        "meta-description": {"score": 0},
        "total-byte-weight": {"numericValue": 4157849.0, "displayValue": "Total size was 4,060 KiB"},
    },
}


def test_summarize_reads_scores_bytes_and_the_audits_behind_a_miss():
    r = lighthouse.summarize("/x/", LHR)
    assert r.scores == {"performance": 88, "accessibility": 100, "best-practices": 100, "seo": 92}
    assert r.bytes == 4157849
    assert r.misses == {"performance": ["total-blocking-time (0.63, 280 ms)"], "seo": ["meta-description (0.00)"]}
    assert r.metrics == {"total-blocking-time": "280 ms", "largest-contentful-paint": "0.6 s"}
    assert r.runtime_error is None


def test_table_marks_scores_under_target():
    text = lighthouse.table([lighthouse.summarize("/x/", LHR)])
    assert text.splitlines()[2] == "| /x/ | 88* | 100 | 100 | 92* | 4060.4 |"


def test_median_of_runs_and_per_preset_targets():
    runs = [lighthouse.summarize("/x/", LHR)]
    for perf, size in ((0.97, 100_000), (0.93, 120_000)):
        lhr = {**LHR, "categories": {**LHR["categories"], "performance": {**LHR["categories"]["performance"], "score": perf}},
               "audits": {**LHR["audits"], "total-byte-weight": {"numericValue": size}}}
        runs.append(lighthouse.summarize("/x/", lhr, lighthouse.TARGETS_BY_PRESET["mobile"]))
    mobile = lighthouse.median_result(runs, lighthouse.TARGETS_BY_PRESET["mobile"])
    assert mobile.scores["performance"] == 93 and mobile.bytes == 120_000
    assert "performance" in mobile.misses  # 93 < 95
    passing = lighthouse.median_result(runs[1:2], lighthouse.TARGETS_BY_PRESET["mobile"])
    assert "performance" not in passing.misses  # 97 >= 95 on mobile ...
    assert lighthouse.table([passing], lighthouse.TARGETS_BY_PRESET["desktop"]).splitlines()[2].startswith("| /x/ | 97* |")
    assert lighthouse.report_name("/a/b/", "mobile", 2) == "a_b-mobile-2.json"


def test_main_thread_breakdown_and_long_tasks_explain_a_high_tbt():
    lhr = {**LHR, "audits": {**LHR["audits"],
        "mainthread-work-breakdown": {"details": {"items": [
            {"group": "scriptEvaluation", "duration": 610.4}, {"group": "styleLayout", "duration": 1252.6}]}},
        "long-tasks": {"details": {"items": [
            {"url": "http://127.0.0.1:1/assets/javascripts/bundle.a5f9d56c.min.js", "duration": 299, "startTime": 1643},
            {"url": "http://127.0.0.1:1/plano-de-control/kube-apiserver/", "duration": 51, "startTime": 918},
            {"url": "Unattributable", "duration": 124, "startTime": 760},
            {"url": "http://127.0.0.1:1/assets/javascripts/bundle.a5f9d56c.min.js", "duration": 529, "startTime": 1942}]}}}}
    r = lighthouse.summarize("/x/", lhr, lighthouse.TARGETS_BY_PRESET["mobile"])
    assert r.main_thread == {"styleLayout": 1253, "scriptEvaluation": 610}  # largest first
    assert r.long_tasks == [("bundle.a5f9d56c.min.js", 529), ("bundle.a5f9d56c.min.js", 299), ("Unattributable", 124),
                            ("page", 51)]
    assert lighthouse.explain(r) == ("styleLayout 1253 ms, scriptEvaluation 610 ms; long tasks bundle.a5f9d56c.min.js "
                                     "529 ms, bundle.a5f9d56c.min.js 299 ms, Unattributable 124 ms, page 51 ms")
    assert lighthouse.median_result([r]).long_tasks == r.long_tasks
    bare = lighthouse.summarize("/x/", LHR)  # a report without those audits
    assert bare.main_thread == {} and bare.long_tasks == [] and lighthouse.explain(bare) == ""


def test_presets_table_shows_both_presets_tbt_and_load():
    mobile = lighthouse.summarize("/x/", LHR, lighthouse.TARGETS_BY_PRESET["mobile"])
    desktop_lhr = {**LHR, "categories": {**LHR["categories"], "performance": {**LHR["categories"]["performance"], "score": 1}}}
    desktop = lighthouse.summarize("/x/", desktop_lhr)
    text = lighthouse.presets_table({"mobile": [mobile], "desktop": [desktop]},
                                    {"mobile /x/": [5.44, 5.03], "desktop /x/": [4.9]})
    assert text.splitlines()[0] == "| página | rendimiento mobile (TBT) | rendimiento desktop (TBT) | carga (1 min) |"
    assert text.splitlines()[2] == "| /x/ | 88* (280 ms) | 100 (280 ms) | 4.9–5.4 |"


def test_lighthouse_arguments():
    args = lighthouse.parse_args([])
    assert (args.preset, args.runs, args.page, args.site, args.gzip, args.retries) == ("both", 3, None, None, True, 1)
    with pytest.raises(SystemExit):
        lighthouse.parse_args(["--preset", "tablet"])


@pytest.mark.parametrize("header, expected", [
    ("gzip, deflate, br, zstd", True),  # what Chromium sends
    ("br", False),
    ("gzip;q=0, br", False),
    ("*", True),
    (None, False),
])
def test_wants_gzip(header, expected):
    assert lighthouse.wants_gzip(header) is expected


def test_served_site_is_gzipped_when_asked(tmp_path):
    import gzip
    import urllib.request

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<html>" + "x" * 1000 + "</html>")
    (tmp_path / "i.png").write_bytes(b"\x89PNG")
    port = common.free_port()
    server = lighthouse.serve_directory(tmp_path, port)
    try:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/a/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as resp:
            assert resp.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(resp.read()).decode() == "<html>" + "x" * 1000 + "</html>"
        req = urllib.request.Request(f"http://127.0.0.1:{port}/i.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as resp:
            assert resp.headers["Content-Encoding"] is None
            assert resp.read() == b"\x89PNG"
    finally:
        server.shutdown()
        server.server_close()


def test_run_timed_reports_wall_and_cpu_time(tmp_path):
    timed = common.run_timed([sys.executable, "-c", "sum(range(2_000_000))"], cwd=tmp_path)
    assert timed.returncode == 0
    assert timed.seconds > 0 and timed.cpu_seconds > 0


def test_result_ratios():
    r = build.Result([2.0, 4.0, 3.0], [1.0, 2.0, 1.5], [4.0], [2.0])
    assert r.ratio == 2.0
    assert r.cpu_ratio == 2.0


# --- style_trace ------------------------------------------------------------------------------

def _event(name, tid, dur_us, elements=0, frames=()):
    stack = [{"functionName": f, "url": "http://x/assets/bundle.js", "lineNumber": 14} for f in frames]
    args = {"beginData": {"stackTrace": stack}} if stack else {}
    if name == "UpdateLayoutTree":
        args["elementCount"] = elements
    return {"name": name, "ph": "X", "pid": 1, "tid": tid, "dur": dur_us, "args": args}


def test_style_trace_groups_the_main_thread_work_by_forcing_frames():
    events = [
        {"name": "thread_name", "ph": "M", "pid": 1, "tid": 7, "args": {"name": "CrRendererMain"}},
        {"name": "thread_name", "ph": "M", "pid": 1, "tid": 8, "args": {"name": "Compositor"}},
        _event("UpdateLayoutTree", 7, 20_000, 900, ("wn", "Tn")),
        _event("Layout", 7, 10_000, frames=("wn", "Tn")),
        _event("UpdateLayoutTree", 7, 5_000, 300),
        _event("UpdateLayoutTree", 8, 99_000, 5000, ("other",)),  # not the page's main thread
        {"name": "UpdateLayoutTree", "ph": "B", "pid": 1, "tid": 7, "args": {"elementCount": 77}},  # not a complete event
    ]
    work = style_work = style_trace.style_work(events)
    assert work.total_styled == 1200 and work.total_ms == pytest.approx(35.0)
    assert style_work.styled == {"wn@bundle.js:14 < Tn@bundle.js:14": 900, "rendering": 300}
    text = style_trace.report("/etcd/", work)
    assert text.splitlines()[0] == "/etcd/: 1200 elements styled, style+layout 35 ms"
    assert "wn@bundle.js:14 < Tn@bundle.js:14" in text.splitlines()[1] and "30.0 ms" in text.splitlines()[1]


def test_style_trace_arguments():
    args = style_trace.parse_args(["--site", "site", "--page", "/a/", "--page", "/b/"])
    assert args.page == ["/a/", "/b/"] and args.width == 412 and args.slowdown == 4.0
    with pytest.raises(SystemExit):
        style_trace.parse_args([])


def test_mkdocs_env_lets_the_warm_up_builds_write_bytecode(monkeypatch):
    """The timed builds run with the .pyc the warm-up wrote, as an author's second build does."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("SITE_URL", "http://x/")
    env = common.mkdocs_env()
    assert "PYTHONDONTWRITEBYTECODE" not in env and "SITE_URL" not in env and env["NO_MKDOCS_2_WARNING"] == "1"
