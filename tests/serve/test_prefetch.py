"""Cold builds compute the macro calls in a forked child too (k8sdocs/prefetch.py), and the cache never leaves
temporary files or claims behind (k8sdocs/cache.py; issue 12, item 4)."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from k8sdocs import prefetch
from k8sdocs.cache import MacroCache, sweep_orphans, write_atomically

sys.path.insert(0, str(Path(__file__).parent))
from test_serve_survives import make_project  # noqa: E402


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if p.name.startswith((".tmp-", ".claim-")))


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "entry.json"
    target.mkdir()  # os.replace onto a folder fails
    write_atomically(tmp_path, target, "{}")
    assert leftovers(tmp_path) == []
    write_atomically(tmp_path, tmp_path / "ok.json", '{"a": 1}')
    assert (tmp_path / "ok.json").read_text() == '{"a": 1}' and leftovers(tmp_path) == []


def test_files_of_dead_processes_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    gone, me = dead_pid(), os.getpid()
    (tmp_path / f".tmp-{gone}-abc.json").write_text("x")
    (tmp_path / ".tmp-oldstyle.json").write_text("x")  # written before the pid was in the name
    (tmp_path / f".tmp-{me}-def.json").write_text("x")
    (tmp_path / ".claim-k1").write_text(str(gone))
    (tmp_path / ".claim-k2").write_text(str(os.getppid()))
    sweep_orphans(tmp_path)
    assert leftovers(tmp_path) == [".claim-k2", f".tmp-{me}-def.json"]
    sweep_orphans(tmp_path, [os.getppid()])
    assert leftovers(tmp_path) == [f".tmp-{me}-def.json"]


def test_claims_exclude_live_processes_and_take_over_dead_ones(tmp_path: Path) -> None:
    cache = MacroCache(tmp_path, tmp_path / "c", "f" * 64)
    cache.directory.mkdir()
    assert cache.claim("k") and cache.claim_path("k").read_text() == str(os.getpid())
    cache.release("k")
    assert not cache.claim_path("k").exists()
    cache.claim_path("k").write_text(str(os.getppid()))  # held by a live process
    assert not cache.claim("k")
    cache.claim_path("k").write_text(str(dead_pid()))  # held by a process that is gone
    assert cache.claim("k")


def test_the_parent_waits_for_a_call_the_child_claimed(tmp_path: Path) -> None:
    cache = MacroCache(tmp_path, tmp_path / "c", "f" * 64, role="parent", peer_alive=lambda: True)
    cache.directory.mkdir()
    cache.claim_path("k").write_text(str(os.getppid()))  # "the child" is computing it

    class Book:
        def recording(self):
            import contextlib
            return contextlib.nullcontext(set())

    calls = []
    stored = {"n": 0}

    def load_entry(key: str):
        stored["n"] += 1
        if stored["n"] < 3:
            return None
        return {"output": "from the child", "deps": {}}

    cache.load_entry = load_entry  # type: ignore[method-assign]
    assert cache.get_or_compute("k", Book(), lambda: calls.append(1) or "here") == "from the child"
    assert calls == [] and cache.peer_waits == 1
    child = MacroCache(tmp_path, tmp_path / "c", "f" * 64, role="child", peer_alive=lambda: True)
    assert child.get_or_compute("k", Book(), lambda: calls.append(1) or "here") == ""  # parent holds it: skipped
    assert calls == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_prefetch_forks_only_with_an_idle_core_unless_told() -> None:
    assert not prefetch.enabled({"K8SDOCS_PREFETCH": "0"}, load=0.0, cpus=8)
    assert prefetch.enabled({"K8SDOCS_PREFETCH": "1"}, load=50.0, cpus=2)
    assert prefetch.enabled({}, load=0.5, cpus=2)
    assert not prefetch.enabled({}, load=1.5, cpus=2)  # no core idle: the child would only compete


def build(root: Path, site: str, cache_dir: str, **env: str) -> str:
    environ = dict(os.environ, NO_MKDOCS_2_WARNING="1", K8SDOCS_CACHE_DIR=str(root / cache_dir), **env)
    environ.pop("K8SDOCS_TRACEBACK", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-v", "--site-dir", site], cwd=root,
                            env=environ, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_cold_build_with_and_without_the_child_gives_the_same_site(tmp_path: Path) -> None:
    make_project(tmp_path)
    index = tmp_path / "docs" / "index.md"
    # A second page with the same macros, so both processes have calls to share.
    (tmp_path / "docs" / "otra.md").write_text(index.read_text(encoding="utf-8"), encoding="utf-8")
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"].append({"Otra": "otra.md"})
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    with_child = build(tmp_path, "site-a", "cache-a", K8SDOCS_PREFETCH="1")
    without = build(tmp_path, "site-b", "cache-b", K8SDOCS_PREFETCH="0")
    assert "k8sdocs prefetch:" in with_child and "k8sdocs prefetch:" not in without
    comparison = filecmp.dircmp(tmp_path / "site-a", tmp_path / "site-b")
    assert not (comparison.diff_files or comparison.left_only or comparison.right_only)
    assert leftovers(tmp_path / "cache-a") == [] and leftovers(tmp_path / "cache-b") == []
    warm = build(tmp_path, "site-c", "cache-a")  # filled by both processes: no child, same site
    assert "k8sdocs prefetch:" not in warm
    assert (tmp_path / "site-c" / "index.html").read_bytes() == (tmp_path / "site-b" / "index.html").read_bytes()


def test_the_child_takes_pages_without_a_scenario_first_then_the_rest_from_the_end() -> None:
    """prefetch.child_order: only the order of the child's pages; a page counts as running a scenario when one of
    its macro calls names a .yaml file (text outside {{ }} does not count)."""
    pages = [
        ("a.md", 'Texto sobre escenario.yaml fuera de las llaves {{ tabla("x.yaml") }}'),
        ("fidelidad.md", '{{ fidelidad_resumen("tests/fidelity") }} y despliegue.yaml en el texto'),
        ("c.md", '{{ linea(\n"y.yaml") }}'),
        ("glosario.md", "{{ glosario() }}"),
        ("e.md", '{{ otra("z.yaml") }}'),
    ]
    order = [name for name, _ in prefetch.child_order(pages)]
    assert order == ["fidelidad.md", "glosario.md", "e.md", "c.md", "a.md"]
    assert sorted(order) == sorted(name for name, _ in pages)
