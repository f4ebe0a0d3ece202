"""`make serve` polls the watched files every 0.1 s instead of MkDocs' 0.5 s (issue 12, item 4)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from k8sdocs import serve


def test_fast_server_polls_every_tenth_of_a_second(tmp_path: Path) -> None:
    server_class = serve.fast_livereload_server()
    server = server_class(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert serve.WATCH_POLL_SECONDS == 0.1
        assert server.observer.timeout == serve.WATCH_POLL_SECONDS
    finally:
        server.server_close()


def test_child_installs_the_fast_watcher_before_mkdocs_runs() -> None:
    code = (serve.CHILD.split("runpy.run_module")[0]
            + "import mkdocs.commands.serve as s; print(s.LiveReloadServer.__name__, "
              "s.LiveReloadServer.__mro__[1].__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["FastLiveReloadServer", "mkdocs.livereload"]
    assert serve.CHILD.index("install_fast_watcher()") < serve.CHILD.index("runpy.run_module('mkdocs'")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the child")
def test_terminating_make_serve_stops_mkdocs_too(tmp_path: Path) -> None:
    """A SIGTERM to the supervisor (a test's or a benchmark's terminate()) used to leave mkdocs serve orphaned."""
    import os
    import signal
    import time

    sys.path.insert(0, str(Path(__file__).parent))
    from test_serve_survives import fetch, free_port, make_project, serve, wait_until

    make_project(tmp_path)
    addr = f"127.0.0.1:{free_port()}"
    proc, log = serve(tmp_path, addr)
    try:
        wait_until(lambda: "node-a" in fetch(f"http://{addr}/"), "the first build was not served", proc, log)
        children = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                    and _ppid(p) == proc.pid]
        assert children, "no mkdocs child found"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(Path(f"/proc/{c}").exists() for c in children):
            time.sleep(0.1)
        assert not any(Path(f"/proc/{c}").exists() for c in children), "mkdocs serve outlived the supervisor"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for child in [c for c in locals().get("children", []) if Path(f"/proc/{c}").exists()]:
            os.kill(child, signal.SIGKILL)


def _ppid(proc_dir: Path) -> int | None:
    try:
        return int((proc_dir / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None
