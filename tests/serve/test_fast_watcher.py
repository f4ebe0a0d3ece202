"""`make serve` polls the watched files every 0.1 s instead of MkDocs' 0.5 s (issue 12, item 4)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
