"""The on-disk cache of macro outputs (k8sdocs/cache.py, issue 12 item 3).

A hit needs the same model sources, the same call and unchanged input files; anything else (a
corrupt, foreign or stale entry, an edited scenario) is ignored and recomputed. Entries are JSON
text, never Python objects.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from k8sdocs import cache as cache_module
from k8sdocs.cache import (
    FORMAT_VERSION,
    HASH_MEMO_NAME,
    MEMO_NAME,
    MacroCache,
    call_key,
    memoized_source_fingerprint,
    source_files,
    source_fingerprint,
    stays_inside,
)
from k8sdocs.content.book import ExampleBook, scenario_inputs

ROOT = Path(__file__).resolve().parents[2]


def scenario(docs: Path, name: str, manifest: str) -> None:
    folder = docs / "escenarios"
    (folder / "manifiestos").mkdir(parents=True, exist_ok=True)
    (folder / "manifiestos" / manifest).write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", encoding="utf-8")
    (folder / name).write_text(
        f"name: x\nmanifests: [manifiestos/{manifest}]\nsteps:\n  - {{at: 1s, action: apply, manifests: [manifiestos/{manifest}]}}\n",
        encoding="utf-8",
    )


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, ExampleBook, list[str]]:
    docs = tmp_path / "docs"
    scenario(docs, "a.yaml", "ma.yaml")
    scenario(docs, "b.yaml", "mb.yaml")
    runs: list[str] = []

    def runner(path: Path) -> str:
        runs.append(path.name)
        return f"run of {path.name}: {path.read_text(encoding='utf-8')!r}"

    return tmp_path, ExampleBook(docs, runner=runner), runs


def macro(book: ExampleBook, escenario: str) -> str:
    return book.run(escenario)


def call(cache: MacroCache, book: ExampleBook, name: str) -> str:
    key = call_key(cache.fingerprint, str(book.docs_dir), "macro", (name,), {})
    return cache.get_or_compute(key, book, lambda: macro(book, name))


def new_cache(root: Path) -> MacroCache:
    cache = MacroCache.for_project(root, environ={"K8SDOCS_CACHE_DIR": str(root / ".cache")})
    assert cache is not None
    return cache


def test_scenario_inputs_are_the_file_and_the_manifests_it_references(tmp_path: Path) -> None:
    scenario(tmp_path, "a.yaml", "ma.yaml")
    folder = tmp_path / "escenarios"
    assert scenario_inputs(folder / "a.yaml") == [folder / "a.yaml", folder / "manifiestos/ma.yaml"]


def test_a_second_build_reads_the_disk_and_runs_nothing(project) -> None:
    root, book, runs = project
    first = [call(new_cache(root), book, n) for n in ("a.yaml", "b.yaml")]
    fresh = ExampleBook(book.docs_dir, runner=book.runner)  # a new process: empty in-memory book
    cache = new_cache(root)
    assert [call(cache, fresh, n) for n in ("a.yaml", "b.yaml")] == first
    assert runs == ["a.yaml", "b.yaml"] and cache.hits == 2 and cache.misses == 0


def test_editing_one_manifest_reruns_only_the_scenario_that_reads_it(project) -> None:
    root, book, runs = project
    for n in ("a.yaml", "b.yaml"):
        call(new_cache(root), book, n)
    (book.docs_dir / "escenarios" / "manifiestos" / "ma.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: changed}\n", encoding="utf-8")
    cache = new_cache(root)
    fresh = ExampleBook(book.docs_dir, runner=book.runner)
    for n in ("a.yaml", "b.yaml"):
        call(cache, fresh, n)
    assert runs == ["a.yaml", "b.yaml", "a.yaml"] and (cache.hits, cache.misses) == (1, 1)


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[]", b'{"format": 1}', "\u00ff".encode("latin-1")])
def test_a_corrupt_entry_is_ignored_and_rewritten(project, garbage: bytes) -> None:
    root, book, runs = project
    cache = new_cache(root)
    expected = call(cache, book, "a.yaml")
    key = call_key(cache.fingerprint, str(book.docs_dir), "macro", ("a.yaml",), {})
    cache.entry_path(key).write_bytes(garbage)
    fresh = ExampleBook(book.docs_dir, runner=book.runner)
    again = new_cache(root)
    assert call(again, fresh, "a.yaml") == expected and again.misses == 1
    assert json.loads(cache.entry_path(key).read_text(encoding="utf-8"))["output"] == expected


def test_an_entry_naming_a_file_outside_the_project_or_another_key_is_ignored(project) -> None:
    root, book, runs = project
    cache = new_cache(root)
    call(cache, book, "a.yaml")
    key = call_key(cache.fingerprint, str(book.docs_dir), "macro", ("a.yaml",), {})
    path = cache.entry_path(key)
    entry = json.loads(path.read_text(encoding="utf-8"))
    for planted in ({**entry, "output": "mentira", "deps": {"../fuera.yaml": "0" * 64}},
                    {**entry, "output": "mentira", "key": "otra"},
                    {**entry, "output": "mentira", "format": FORMAT_VERSION + 1}):
        path.write_text(json.dumps(planted), encoding="utf-8")
        assert new_cache(root).load(key) is None


def test_failures_and_calls_with_non_data_arguments_are_not_cached(project) -> None:
    root, book, runs = project
    cache = new_cache(root)
    assert call_key(cache.fingerprint, "docs", "m", (object(),), {}) is None

    def boom() -> str:
        book.run("a.yaml")
        raise ValueError("roto")

    key = call_key(cache.fingerprint, "docs", "m", (), {})
    with pytest.raises(ValueError):
        cache.get_or_compute(key, book, boom)
    assert cache.load(key) is None


def test_the_fingerprint_follows_every_source_file(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("A = 1\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text("a: 1\n", encoding="utf-8")
    first = source_fingerprint(tmp_path)
    (tmp_path / "d.yaml").write_text("a: 2\n", encoding="utf-8")
    assert source_fingerprint(tmp_path) != first


LATER = time.time_ns() + 3_600 * 10**9  # a clock an hour ahead: no source file counts as just written


def package(tmp_path: Path) -> Path:
    folder = tmp_path / "pkg"
    (folder / "sub" / "__pycache__").mkdir(parents=True)
    (folder / "m.py").write_text("A = 1\n", encoding="utf-8")
    (folder / "sub" / "d.yaml").write_text("a: 1\n", encoding="utf-8")
    (folder / "sub" / "notes.txt").write_text("not a source\n", encoding="utf-8")
    (folder / "sub" / "__pycache__" / "x.py").write_text("B = 2\n", encoding="utf-8")
    return folder


def memoized(tmp_path: Path, folder: Path, now_ns: int = LATER) -> str:
    return memoized_source_fingerprint(tmp_path / "cache", folder, source_files(folder), now_ns=now_ns)


def test_the_walk_lists_the_sources_as_the_fingerprint_always_did(tmp_path: Path) -> None:
    folder = package(tmp_path)
    assert [f.path for f in source_files(folder)] == ["m.py", "sub/d.yaml"]
    assert [f.path for f in source_files()] == sorted(
        (p.relative_to(cache_module._package_dir()).as_posix() for p in cache_module._package_dir().rglob("*")
         if p.suffix in {".py", ".yaml"} and "__pycache__" not in p.parts),
        key=lambda path: path.split("/"))


def test_the_memo_gives_the_fingerprint_without_reading_the_sources(tmp_path: Path, monkeypatch) -> None:
    folder = package(tmp_path)
    first = memoized(tmp_path, folder)
    assert first == source_fingerprint(folder) and (tmp_path / "cache" / MEMO_NAME).is_file()

    def no_reading(*args: object, **kwargs: object) -> str:
        raise AssertionError("the sources were hashed again")

    monkeypatch.setattr(cache_module, "source_fingerprint", no_reading)
    assert memoized(tmp_path, folder) == first


@pytest.mark.parametrize("change", ["same size and mtime", "added", "removed", "renamed", "library"])
def test_any_change_of_the_sources_or_versions_misses_the_memo(tmp_path: Path, monkeypatch, change: str) -> None:
    folder = package(tmp_path)
    first = memoized(tmp_path, folder)
    time.sleep(0.05)  # past the kernel's timestamp granularity, so a write changes ctime
    target = folder / "sub" / "d.yaml"
    if change == "same size and mtime":
        before = target.stat()
        target.write_text("a: 2\n", encoding="utf-8")
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert (target.stat().st_size, target.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    elif change == "added":
        (folder / "n.py").write_text("", encoding="utf-8")
    elif change == "removed":
        target.unlink()
    elif change == "renamed":
        target.rename(folder / "sub" / "e.yaml")
    else:
        monkeypatch.setattr(cache_module, "_loaded_version", lambda lib: "99")
        monkeypatch.setattr(cache_module, "_library_versions", lambda: ["PyYAML 99"])
    again = memoized(tmp_path, folder)
    assert again == source_fingerprint(folder) != first


def test_sources_written_just_now_are_hashed_again_next_time(tmp_path: Path) -> None:
    """On a file system with coarse timestamps a second write in the same tick leaves the same stat: no memo then."""
    folder = package(tmp_path)
    memoized(tmp_path, folder, now_ns=time.time_ns())
    assert not (tmp_path / "cache" / MEMO_NAME).exists()


@pytest.mark.parametrize("garbage", ["", "{", "[]", '{"stat": "x", "fingerprint": "y"}'])
def test_a_corrupt_or_foreign_memo_is_ignored(tmp_path: Path, garbage: str) -> None:
    folder = package(tmp_path)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / MEMO_NAME).write_text(garbage, encoding="utf-8")
    assert memoized(tmp_path, folder) == source_fingerprint(folder)


@pytest.mark.parametrize("rel", ["", ".", "./", "a", "a/b", "/a", "//a", "a/../b", "..", "a/..", "./a", "a//b",
                                 "a/./b", "...", "a..b", ".a", "a/", "/", "a\\.."])
def test_a_dependency_path_stays_inside_as_pathlib_would_say(rel: str) -> None:
    parts = Path(rel).parts
    assert stays_inside(rel) == (bool(parts) and not Path(rel).is_absolute() and ".." not in parts)


def test_dependency_hashes_are_kept_for_the_next_build_and_an_edit_still_reruns(project, monkeypatch) -> None:
    """hashes.memo: a warm build checks dependencies by stat; editing a file (same size, mtime put back) reruns."""
    root, book, runs = project
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # the fixture's files were written just now
    cache = new_cache(root)
    for n in ("a.yaml", "b.yaml"):
        call(cache, book, n)
    cache.save_hash_memo()
    assert (cache.directory / HASH_MEMO_NAME).is_file()

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a dependency was read again")

    warm = new_cache(root)
    fresh = ExampleBook(book.docs_dir, runner=book.runner)
    monkeypatch.setattr(cache_module, "open", no_reading, raising=False)  # file_hash's open()
    assert [call(warm, fresh, n) for n in ("a.yaml", "b.yaml")] and (warm.hits, warm.misses) == (2, 0)
    monkeypatch.delattr(cache_module, "open")

    time.sleep(0.05)  # past the kernel's timestamp granularity, so the write changes ctime
    manifest = book.docs_dir / "escenarios" / "manifiestos" / "ma.yaml"
    before = manifest.stat()
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("name: a", "name: z"), encoding="utf-8")
    os.utime(manifest, ns=(before.st_atime_ns, before.st_mtime_ns))
    edited = new_cache(root)
    fresh = ExampleBook(book.docs_dir, runner=book.runner)
    for n in ("a.yaml", "b.yaml"):
        call(edited, fresh, n)
    assert runs == ["a.yaml", "b.yaml", "a.yaml"] and (edited.hits, edited.misses) == (1, 1)


def test_a_file_hashed_just_after_it_was_written_is_not_kept(tmp_path: Path) -> None:
    cache = new_cache(tmp_path)
    target = tmp_path / "f.yaml"
    target.write_text("a: 1\n", encoding="utf-8")
    assert cache.file_hash(target) is not None
    cache.save_hash_memo()
    assert not cache.hash_memo_path().exists()
    later = new_cache(tmp_path)  # the next build, two seconds on
    assert later.file_hash(target, now_ns=target.stat().st_ctime_ns + cache_module.RACY_NS) == cache.file_hash(target)
    later.save_hash_memo()
    assert list(json.loads(later.hash_memo_path().read_text(encoding="utf-8"))["files"]) == [str(target)]


@pytest.mark.parametrize("garbage", ["", "{", "[]", '{"format": 1, "files": {"x": [1, 2, 3, 4, "short"]}}'])
def test_a_corrupt_hash_memo_is_ignored(tmp_path: Path, garbage: str) -> None:
    cache = new_cache(tmp_path)
    target = tmp_path / "f.yaml"
    target.write_text("a: 1\n", encoding="utf-8")
    cache.directory.mkdir(parents=True, exist_ok=True)
    cache.hash_memo_path().write_text(garbage, encoding="utf-8")
    import hashlib

    assert new_cache(tmp_path).file_hash(target) == hashlib.sha256(b"a: 1\n").hexdigest()


def test_a_planted_hash_memo_for_another_stat_is_not_believed(tmp_path: Path) -> None:
    cache = new_cache(tmp_path)
    target = tmp_path / "f.yaml"
    target.write_text("a: 1\n", encoding="utf-8")
    stat = target.stat()
    cache.directory.mkdir(parents=True, exist_ok=True)
    planted = {str(target): [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns - 1, stat.st_ino, "0" * 64]}
    cache.hash_memo_path().write_text(json.dumps({"format": FORMAT_VERSION, "files": planted}), encoding="utf-8")
    assert new_cache(tmp_path).file_hash(target) != "0" * 64


def test_the_cache_can_be_turned_off(tmp_path: Path) -> None:
    assert MacroCache.for_project(tmp_path, environ={"K8SDOCS_CACHE": "0"}) is None


def test_the_cache_folder_is_ignored_by_git_and_nothing_in_it_is_committed() -> None:
    """A committed entry would be read by CI: entries can only be made on the machine that builds."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "check-ignore", "-q", ".cache/k8sdocs/x.json"], cwd=ROOT, check=False)
    tracked = subprocess.run(["git", "ls-files", ".cache"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert ignored.returncode == 0 and tracked.stdout == ""
