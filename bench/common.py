"""Helpers shared by the site benchmarks (bench/build.py, bench/serve.py, bench/lighthouse.py).

Benchmarks, not tests: they print figures measured in one run and never assert on time. Each one
works on a snapshot of the project copied to a temporary directory, so edits that other people
make to the working tree while a benchmark runs cannot change what it measures, and the
benchmark's own edits (a line appended to a page, a changed mkdocs.yml) never touch the tree.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Never copied into a snapshot: caches anywhere; at the top level, build output, VCS data, the venv
# and the npm trees. node_modules/ is symlinked instead (the browser tests read node_modules/axe-core).
SNAPSHOT_IGNORE_ANYWHERE = frozenset({"__pycache__", ".hypothesis", ".pytest_cache", "node_modules"})
SNAPSHOT_IGNORE_TOP = frozenset({
    ".git", ".venv", ".cache", "site", ".stamps", "capturas", "build", "bench", "k8sdocs.egg-info", ".ci", ".github",
})


def venv_python(root: Path = ROOT) -> Path:
    """The project's interpreter (`make` installs it); benchmarks run MkDocs with it."""
    return root / ".venv" / "bin" / "python"


def mkdocs_env() -> dict[str, str]:
    """Environment for a MkDocs subprocess: no Material end-of-life banner (Makefile, NO_MKDOCS_2_WARNING),
    no SITE_URL from the caller (mkdocs.yml falls back to 127.0.0.1:8000), no stray .pyc in the snapshot.

    ``PYTHONDONTWRITEBYTECODE`` is dropped: the warm-up builds write the snapshot's .pyc, as any second build on
    an author's machine has them. Left set (some sandboxes set it), every timed build compiled all of k8sdocs
    from source again, ~0.15 s of CPU that no author pays and that the pre-rendered build pays less of."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("SITE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def snapshot_project(dst: Path, src: Path = ROOT) -> Path:
    """Copy the project at ``src`` into ``dst`` (created) for a benchmark, and return ``dst``.

    Everything a build reads is copied: mkdocs.yml, docs/, imagenes/, k8sdocs/ (the hooks path in
    mkdocs.yml and ``python -m mkdocs`` run from ``dst`` both import it from there) and tests/fidelity
    (the fidelity page reads it relative to the working directory). node_modules/ is a symlink.
    """

    top = src.resolve()

    def ignore(directory: str, names: list[str]) -> set[str]:
        at_top = Path(directory).resolve() == top
        return {
            n for n in names
            if n in SNAPSHOT_IGNORE_ANYWHERE or n.endswith(".pyc") or (at_top and n in SNAPSHOT_IGNORE_TOP)
        }

    shutil.copytree(src, dst, ignore=ignore, symlinks=True, dirs_exist_ok=True)
    modules = src / "node_modules"
    if modules.exists() and not (dst / "node_modules").exists():
        (dst / "node_modules").symlink_to(modules.resolve(), target_is_directory=True)
    return dst


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def ratio(numerator: float, denominator: float) -> float:
    if denominator <= 0:
        raise ValueError(f"ratio with a non-positive denominator: {denominator}")
    return numerator / denominator


def load_average() -> str:
    """`uptime`'s load averages (1, 5, 15 min) and the CPU count, printed next to every figure."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free on ``host`` a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def positive_int(text: str) -> int:
    """argparse type for run counts."""
    value = int(text)
    if value < 1:
        raise ValueError(f"expected an integer >= 1, got {text}")
    return value


@dataclass(frozen=True)
class Timed:
    seconds: float       # wall clock
    cpu_seconds: float   # user + system CPU of the child: far less sensitive to other processes' load
    returncode: int
    stderr: str


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timed:
    """Run ``cmd`` to completion; return its wall-clock time (monotonic clock) and CPU time."""
    cpu = _children_cpu()
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return Timed(time.monotonic() - start, _children_cpu() - cpu, proc.returncode, proc.stderr)


def format_seconds(seconds: float) -> str:
    return f"{seconds:.3f} s"
