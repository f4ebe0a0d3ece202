"""Cold builds: a forked child computes the pages' macro calls while MkDocs goes on (issue 12, item 4).

With an empty cache (k8sdocs/cache.py: no macro index for these sources) every scenario and the fidelity
suite run while MkDocs renders the pages one after another. :func:`start`, called by ``define_env``,
forks the build process once: the child renders the Jinja of every page that opts in
(``render_macros: true``), in the reverse of MkDocs' page order, with the same macros and the same
cache, and exits; its rendered text is thrown away, only the cache entries it stores count. The
parent builds as usual: a call already stored is a hit, a call the child is computing is waited for,
any other call it computes itself (the child then skips it). Both sides claim a call before computing
it (``MacroCache.claim``), so no call is computed twice and the site is the same bytes as without the
child. When the parent's build ends the child is stopped if still running, and its temporary files
and claims are removed.

Only in a process with a single thread (``os.fork`` with threads could copy a held lock), on systems
with ``fork``, and with the cache on. The two processes run some scenarios twice (each keeps its own runs), about
0.8 s of CPU more than one process: on a machine with no idle core the child slows the build down (measured at
load 9–11 on 2 cores: 9.1 s against 7.1 s). So by default it forks only when a core is idle (1-minute load
average + 1 ≤ CPUs). ``K8SDOCS_PREFETCH=1`` always forks, ``K8SDOCS_PREFETCH=0`` never.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from k8sdocs import collector
from k8sdocs.cache import MacroCache, sweep_orphans

_MACRO_CALL = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)

ENV = "K8SDOCS_PREFETCH"


def enabled(environ: Mapping[str, str] | None = None, load: float | None = None, cpus: int | None = None) -> bool:
    """Whether to fork: ``K8SDOCS_PREFETCH`` 0 (never), 1 (always), else only when a core is idle."""
    environ = os.environ if environ is None else environ
    setting = environ.get(ENV, "auto")
    if setting == "0" or not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    if setting == "1":
        return True
    try:
        load = os.getloadavg()[0] if load is None else load
    except OSError:
        return False
    cpus = (os.cpu_count() or 1) if cpus is None else cpus
    return load + 1 <= cpus


@dataclass
class Prefetch:
    """The parent's handle on the child."""

    pid: int
    cache: MacroCache
    exited: bool = field(default=False)

    def alive(self) -> bool:
        if self.exited:
            return False
        try:
            done, _status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            done = self.pid
        if done:
            self.exited = True
        return not self.exited

    def stop(self) -> None:
        """Stop the child if it still runs, reap it, remove its temporary files and claims."""
        if self.alive():
            try:
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.exited = True
        sweep_orphans(self.cache.directory, [self.pid])
        collector.release()  # frozen by start(); the hooks release too, at the end of every build
        if self.cache.role == "parent":
            logging.getLogger("mkdocs.k8sdocs.prefetch").debug(
                "k8sdocs prefetch: %d calls computed here, %d taken from the child", self.cache.misses, self.cache.peer_waits)
        self.cache.role = None
        self.cache.peer_alive = None


def macro_pages(config: Any) -> list[tuple[str, str]]:
    """(src_uri, Markdown body) of every page with ``render_macros: true``, in MkDocs' build order."""
    from mkdocs.structure.files import get_files
    from mkdocs.utils.meta import get_data

    out = []
    for file in get_files(config).documentation_pages():
        if file.abs_src_path is None:
            continue
        try:
            body, meta = get_data(Path(file.abs_src_path).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if meta.get("render_macros") is True:
            out.append((file.src_uri, body))
    return out


def render_pages(pages: list[tuple[str, str]], macros: Mapping[str, Callable[..., str]],
                 plugin_config: Mapping[str, Any], docs_dir: str) -> int:
    """Render each page's Jinja with ``macros`` (outputs discarded); returns how many rendered without error."""
    from jinja2 import ChainableUndefined, FileSystemLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    options = {key[3:]: value for key, value in plugin_config.items() if key.startswith("j2_") and value}
    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(plugin_config.get("include_dir") or docs_dir),
                                        undefined=ChainableUndefined, **options)
    env.globals.update(macros)
    done = 0
    for _src, body in pages:
        try:
            env.from_string(body).render()
        except Exception:  # noqa: BLE001 - the parent reports every error in its own build
            continue
        done += 1
    return done


def child_order(pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The child's page order: the pages whose macro calls name no scenario file first, then the rest from the end.

    Only the order changes, never what is computed. Pages that call macros without a scenario (the fidelity
    suite: a third of the model's work in a cold build) share no run with the others, so the child takes them while the parent renders the
    first pages; the scenario pages go in the reverse of MkDocs' order, so the two processes meet in
    the middle and few scenarios run in both."""
    def runs_scenario(body: str) -> bool:
        return any(".yaml" in call for call in _MACRO_CALL.findall(body))

    alone = [page for page in pages if not runs_scenario(page[1])]
    rest = [page for page in reversed(pages) if runs_scenario(page[1])]
    return alone + rest


def _child(config: Any, macros: Mapping[str, Callable[..., str]], plugin_config: Mapping[str, Any],
           cache: MacroCache, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the child
    logging.disable(logging.CRITICAL)
    os.environ.pop("K8SDOCS_TRACEBACK", None)
    cache.role = "child"
    cache.peer_alive = lambda: os.getppid() == parent
    pages = macro_pages(config)
    render_pages(child_order(pages), macros, plugin_config, str(config["docs_dir"]))


def start(config: Any, macros: Mapping[str, Callable[..., str]], plugin_config: Mapping[str, Any],
          cache: MacroCache | None) -> Prefetch | None:
    """Fork the child (see the module docstring); None when prefetching is off or impossible."""
    if cache is None or not enabled():
        return None
    parent = os.getpid()
    collector.freeze()  # the gc.freeze recipe for fork: the child's collections leave the parent's pages alone
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: never returns into MkDocs
        try:
            _child(config, macros, plugin_config, cache, parent)
        except BaseException:  # noqa: BLE001, S110 - the parent computes whatever the child did not
            pass
        finally:
            os._exit(0)
    handle = Prefetch(pid, cache)
    cache.role = "parent"
    cache.peer_alive = handle.alive
    atexit.register(handle.stop)
    return handle
