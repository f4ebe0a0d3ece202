"""``make serve``: ``mkdocs serve`` under a small supervisor that keeps it alive and reloads the Python code.

Run: ``python -m k8sdocs.serve [--dev-addr HOST:PORT] [MKDOCS SERVE OPTIONS...]``

* **Busy port**: checked before anything is built, answered with one line that names ``ADDR``
  (``make serve ADDR=127.0.0.1:8001``), exit status 2.
* **Content errors**: the child runs with ``K8SDOCS_SERVE=1``, so a failing macro, scenario or
  expectation is shown as an error box in its page (k8sdocs/report.py) and the server keeps running.
* **Code and global inputs**: MkDocs loads ``k8sdocs/hooks.py`` once (mkdocs/mkdocs#3993), and ``k8sdocs/macros.py``
  is imported once by mkdocs-macros. The supervisor polls every ``.py`` file of the ``k8sdocs``
  package and, when one changes, logs one line naming it and restarts ``mkdocs serve`` (the
  browser reconnects by itself). Pages, scenarios, ``imagenes/`` and ``mkdocs.yml`` are reloaded by
  MkDocs itself, without a restart; its watcher polls them every :data:`WATCH_POLL_SECONDS` (0.1 s, not
  MkDocs' 0.5 s), so a saved page starts rebuilding sooner.
* **A build that cannot start** (say, a broken ``mkdocs.yml``): MkDocs exits; the supervisor says so in
  one line and starts it again when a watched file changes.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.5
# How often the child's MkDocs looks for edited pages and scenarios. MkDocs 1.6 polls every 0.5 s
# (mkdocs/livereload/__init__.py, ``LiveReloadServer(polling_interval=0.5)``), on average a quarter of a
# second of every page edit -> served; a poll of docs/, imagenes/ and k8sdocs/ is a few hundred stat() calls.
WATCH_POLL_SECONDS = 0.1
# `python -m mkdocs`, after k8sdocs.report has quieted mkdocs-macros (so even its first lines are hidden) and
# MkDocs' file watcher polls every WATCH_POLL_SECONDS.
# Ctrl-C (SIGINT) stops MkDocs cleanly even when this process was started with SIGINT ignored (a background job
# of a non-interactive shell, as the benchmarks and tests run it): Python would keep it ignored in the child.
CHILD = ("import runpy, signal, k8sdocs.report, k8sdocs.serve; signal.signal(signal.SIGINT, signal.default_int_handler); "
         "k8sdocs.serve.install_fast_watcher(); runpy.run_module('mkdocs', run_name='__main__', alter_sys=True)")
DEFAULT_ADDR = "127.0.0.1:8000"
PACKAGE_DIR = Path(__file__).resolve().parent
# What MkDocs watches for this project (mkdocs.yml: docs_dir, watch:); used only after MkDocs exited.
RESTART_WATCH = ("docs", "imagenes", "mkdocs.yml")
# Inputs of every page: a change restarts MkDocs, whose first build is complete (k8sdocs/dirty.py).
GLOBAL_INPUTS = ("mkdocs.yml", "docs/includes")


def fast_livereload_server(polling_interval: float = WATCH_POLL_SECONDS) -> Any:
    """MkDocs' ``LiveReloadServer`` polling the watched files every ``polling_interval`` seconds."""
    from mkdocs.livereload import LiveReloadServer

    class FastLiveReloadServer(LiveReloadServer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("polling_interval", polling_interval)
            super().__init__(*args, **kwargs)

    return FastLiveReloadServer


def install_fast_watcher() -> None:
    """In the ``mkdocs serve`` child: make ``mkdocs.commands.serve`` build its server with the faster poll."""
    from mkdocs.commands import serve as serve_command

    serve_command.LiveReloadServer = fast_livereload_server()  # type: ignore[misc]


def say(message: str, level: str = "INFO") -> None:
    """One log line in MkDocs' layout (``INFO    -  …``)."""
    print(f"{level:<8} -  {message}", file=sys.stderr, flush=True)


def parse_addr(addr: str) -> tuple[str, int]:
    """``HOST:PORT`` -> (host, port); raises ValueError with a Spanish message."""
    host, sep, port = addr.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"dirección no válida {addr!r}: se espera HOST:PUERTO, por ejemplo {DEFAULT_ADDR}")
    return host.strip("[]"), int(port)


def port_is_free(host: str, port: int) -> bool:
    """Whether MkDocs could bind ``host:port`` (with SO_REUSEADDR, as its http.server does)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def busy_port_message(addr: str, host: str, port: int) -> str:
    suggestion = f"{host}:{port + 1 if port < 65535 else 8001}"
    return (f"k8sdocs: la dirección {addr} ya está en uso (¿otro `make serve`?); "
            f"elige otra con ADDR, por ejemplo: make serve ADDR={suggestion}")


def python_sources(package_dir: Path = PACKAGE_DIR, extra: tuple[Path, ...] = ()) -> dict[str, int]:
    """``{path: mtime_ns}`` of every source file of the package (``.py``, ``.yaml``) and of ``extra``."""
    out: dict[str, int] = tree_state(list(extra))
    for path in package_dir.rglob("*"):
        if "__pycache__" in path.parts or path.suffix not in {".py", ".yaml"}:
            continue
        try:
            out[str(path)] = path.stat().st_mtime_ns
        except OSError:
            continue
    return out


def tree_state(paths: list[Path]) -> dict[str, int]:
    """``{path: mtime_ns}`` of every file under ``paths`` (files or folders)."""
    out: dict[str, int] = {}
    for base in paths:
        candidates = [base] if base.is_file() else (base.rglob("*") if base.is_dir() else [])
        for path in candidates:
            try:
                if path.is_file():
                    out[str(path)] = path.stat().st_mtime_ns
            except OSError:
                continue
    return out


def changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """Files added, removed or modified between two states, sorted."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def display(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


@dataclass
class Child:
    """The ``mkdocs serve`` process."""

    cmd: list[str]
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(self.cmd, env=self.env)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)  # MkDocs shuts down cleanly on Ctrl-C
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def parse_args(argv: list[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="python -m k8sdocs.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("-a", "--dev-addr", default=DEFAULT_ADDR, help=f"HOST:PORT (default {DEFAULT_ADDR})")
    parser.add_argument("--full", action="store_true",
                        help="rebuild every page on every change (no --dirty; k8sdocs/dirty.py)")
    return parser.parse_known_args(argv)


def supervise(child: Child, package_dir: Path, watch: list[Path], global_inputs: tuple[Path, ...] = ()) -> int:
    """Run until Ctrl-C: restart on code or global changes, restart after an exit once a watched file changes."""
    sources = python_sources(package_dir, global_inputs)
    child.start()
    waiting: dict[str, int] | None = None  # the watched tree when MkDocs exited
    while True:
        time.sleep(POLL_SECONDS)
        now = python_sources(package_dir, global_inputs)
        edits = changed(sources, now)
        sources = now
        if edits:
            shown = ", ".join(display(p) for p in edits[:3]) + (" …" if len(edits) > 3 else "")
            say(f"k8sdocs: cambió {shown}: reinicio mkdocs serve para cargarlo y reconstruir todas las páginas")
            child.stop()
            child.start()
            waiting = None
            continue
        if child.alive():
            continue
        if waiting is None:
            code = child.proc.returncode if child.proc else "?"
            say(f"k8sdocs: mkdocs serve terminó (código {code}); corrige el error de arriba y guarda: "
                "vuelvo a arrancarlo cuando cambie un archivo", "ERROR")
            waiting = tree_state(watch)
            continue
        current = tree_state(watch)
        if changed(waiting, current):
            say("k8sdocs: archivos cambiados: arranco mkdocs serve de nuevo")
            child.start()
            waiting = None


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)  # main()'s finally stops the child


def main(argv: list[str] | None = None) -> int:
    args, rest = parse_args(argv)
    try:
        host, port = parse_addr(args.dev_addr)
    except ValueError as err:
        say(f"k8sdocs: {err}", "ERROR")
        return 2
    if not port_is_free(host, port):
        say(busy_port_message(args.dev_addr, host, port), "ERROR")
        return 2
    env = dict(os.environ, K8SDOCS_SERVE="1")
    dirty = [] if args.full else ["--dirty"]
    cmd = [sys.executable, "-c", CHILD, "serve", "--dev-addr", args.dev_addr, *dirty, *rest]
    child = Child(cmd, env)
    watch = [Path(p) for p in RESTART_WATCH]
    # SIGTERM (kill, a test's terminate()) stops MkDocs too: without this the supervisor died at once and left
    # mkdocs serve running, orphaned, polling its folders.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return supervise(child, PACKAGE_DIR, watch, tuple(Path(p) for p in GLOBAL_INPUTS))
    except KeyboardInterrupt:
        return 0
    finally:
        child.stop()


if __name__ == "__main__":
    raise SystemExit(main())
