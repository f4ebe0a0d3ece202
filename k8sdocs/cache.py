"""On-disk cache of what the macros put in pages: the model runs only when its inputs change.

Shared by ``make serve``, ``make build`` and the tests (they all build through the macros adapter).
What is cached is plain data: for each macro call, the Markdown it returned, in a JSON file. No
model object is ever stored or loaded (no pickle), so a stale, corrupt or planted entry can at worst
be ignored; it can never run code.

**Key** (the entry's file name): SHA-256 of the cache format version, the *source fingerprint*
(every ``.py``/``.yaml`` file of the ``k8sdocs`` package, the Python version, the versions of the
libraries the model uses), the docs folder, the macro's name and its arguments (JSON).

The fingerprint reads and hashes every source file (~220); a build first compares the files' ``stat``
(path, size, mtime, ctime, inode) and the interpreter's and libraries' versions with those recorded in
``<cache>/sources.memo`` next to the fingerprint they gave, and hashes the files only when anything differs
(issue 12, item 4: a warm build's fixed cost). Every write to a file changes its ctime, which nothing but the
kernel sets, so an edited, added, removed or replaced source file always makes the sources hashed again.

**Dependencies** (checked on every hit): while a macro runs, the :class:`~k8sdocs.content.book.ExampleBook`
records the files it reads: a scenario file and the manifests it references
(:func:`k8sdocs.content.book.scenario_inputs`), a folder of fidelity cases. The entry stores each
file's SHA-256; a hit needs every file to still exist with the same hash, so editing one scenario
invalidates the pages' calls that use that scenario and nothing else. The hashes a build computed are kept in
``<fingerprint>/hashes.memo`` with each file's ``stat``: the next build rehashes only a file whose ``stat``
changed (the same rule as for the sources above).

**Safety**: an entry that does not parse, has another shape, another key or a changed dependency is
ignored and recomputed; a call that reads a file outside the project is never cached; failures are
never cached. Entries are written atomically (a temporary file ``.tmp-<pid>-*.json`` + rename; the
temporary file is removed if writing fails or is interrupted, and temporary files left by a process that was
killed are swept when the next build opens the cache). The two memos (``sources.memo``, ``hashes.memo``) are
plain JSON read with the same care; whoever can write them could as well write an entry. The folder is git-ignored
and a test checks that nothing under it is committed. Old fingerprints are pruned (the newest
:data:`KEEP_FINGERPRINTS` stay).

**Two processes** (k8sdocs/prefetch.py): during a cold build a forked child fills the same cache. Before
computing a call each process *claims* it (``.claim-<key>``, created exclusively, holding its pid); the child
skips a call the parent claimed, and the parent waits for a call the child claimed (or computes it if the child
ends without storing it). Claims of processes that are gone are ignored and swept.

Environment: ``K8SDOCS_CACHE=0`` disables it; ``K8SDOCS_CACHE_DIR`` moves it (default
``.cache/k8sdocs`` beside mkdocs.yml).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple

FORMAT_VERSION = 1
DEFAULT_DIR = Path(".cache") / "k8sdocs"
KEEP_FINGERPRINTS = 3
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # a page's Markdown is far smaller; bigger files are not read
# Libraries whose behaviour shapes the model's output (YAML parsing, Jinja rendering of the macro's text).
LIBRARIES = ("PyYAML", "Jinja2", "Markdown")


# The modules of LIBRARIES, whose ``__version__`` is read (already imported by MkDocs) to check the memo.
LIBRARY_MODULES = {"PyYAML": "yaml", "Jinja2": "jinja2", "Markdown": "markdown"}
SOURCE_SUFFIXES = (".py", ".yaml")
MEMO_NAME = "sources.memo"  # in the cache folder; not *.json, which are entries
HASH_MEMO_NAME = "hashes.memo"  # in a fingerprint's folder: the dependency hashes (MacroCache.save_hash_memo)
RACY_NS = 2_000_000_000  # a file written less than 2 s before the walk makes the memo untrustworthy


class SourceFile(NamedTuple):
    """One source file of the package and the ``stat`` fields that change whenever it is written or replaced."""

    path: str  # relative to the package, with "/"
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def source_files(package_dir: Path | None = None) -> tuple[SourceFile, ...]:
    """Every ``.py``/``.yaml`` file under the package (``__pycache__`` and symlinked folders skipped), sorted by
    path components; one ``os.scandir`` walk."""
    base = str(package_dir or _package_dir())
    found: list[tuple[tuple[str, ...], SourceFile]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(base, ())]
    while pending:
        folder, parts = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, (*parts, entry.name)))
                    continue
                if os.path.splitext(entry.name)[1] not in SOURCE_SUFFIXES:
                    continue
                stat = entry.stat()
            except OSError:
                continue
            key = (*parts, entry.name)
            found.append((key, SourceFile("/".join(key), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)))
    return tuple(file for _key, file in sorted(found))


def _library_versions() -> list[str]:
    out = []
    for lib in LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "-"
        out.append(f"{lib} {version}")
    return out


def source_fingerprint(package_dir: Path | None = None, files: Iterable[SourceFile] | None = None) -> str:
    """SHA-256 over the package's ``.py``/``.yaml`` files (path and bytes), Python's and the libraries' versions."""
    base = package_dir or _package_dir()
    digest = hashlib.sha256()
    digest.update(f"python {sys.version}\n".encode())
    for line in _library_versions():
        digest.update(f"{line}\n".encode())
    for file in source_files(base) if files is None else files:
        digest.update(file.path.encode() + b"\0")
        digest.update(hashlib.sha256((base / file.path).read_bytes()).digest())
    return digest.hexdigest()


def _loaded_version(lib: str) -> str:
    """``__version__`` of the library's module, imported (MkDocs has imported all three); "-" if it has none."""
    try:
        module = sys.modules.get(LIBRARY_MODULES[lib]) or importlib.import_module(LIBRARY_MODULES[lib])
    except ImportError:
        return "-"
    return str(getattr(module, "__version__", "-"))


def stat_signature(package_dir: Path, files: Iterable[SourceFile]) -> str:
    """SHA-256 of what the fingerprint depends on, read without opening a source file: the package's folder,
    Python's and the libraries' versions, each file's path and ``stat``."""
    lines = [f"format {FORMAT_VERSION}", f"package {package_dir}", f"python {sys.version}"]
    lines += [f"{lib} {_loaded_version(lib)}" for lib in LIBRARIES]
    lines += [f"{f.path}\0{f.size} {f.mtime_ns} {f.ctime_ns} {f.inode}" for f in files]
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def memoized_source_fingerprint(base: Path, package_dir: Path | None = None,
                                files: tuple[SourceFile, ...] | None = None, now_ns: int | None = None) -> str:
    """:func:`source_fingerprint`, taken from ``base/sources.memo`` when the files' ``stat`` and the versions are
    those it was computed with; otherwise computed and recorded there (unless a file is too recent, :func:`_racy`;
    ``now_ns``: the clock, for tests)."""
    package = package_dir or _package_dir()
    files = source_files(package) if files is None else files
    signature = stat_signature(package, files)
    memo = base / MEMO_NAME
    try:
        data = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if (isinstance(data, dict) and data.get("stat") == signature and isinstance(data.get("fingerprint"), str)
            and len(data["fingerprint"]) == 64):
        return str(data["fingerprint"])
    fingerprint = source_fingerprint(package, files)
    if not _racy(files, time.time_ns() if now_ns is None else now_ns):
        write_atomically(base, memo, json.dumps({"stat": signature, "fingerprint": fingerprint}, sort_keys=True))
    return fingerprint


def _racy(files: Iterable[SourceFile], now_ns: int) -> bool:
    """Whether a file was written so recently that a second write could leave the same ``stat`` on a file system
    with coarse timestamps (git's "racily clean" entries): then the memo is not written."""
    return any(now_ns - max(f.mtime_ns, f.ctime_ns) < RACY_NS for f in files)


def call_key(fingerprint: str, docs_dir: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """The entry's key, or None when the arguments are not plain JSON data (then the call is not cached)."""
    try:
        text = json.dumps([FORMAT_VERSION, fingerprint, docs_dir, name, list(args), kwargs],
                          sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FileState(NamedTuple):
    """What :meth:`MacroCache.file_hash` knows of a file: its ``stat`` when hashed, the hash, and whether that
    ``stat`` identifies the bytes (the file was older than :data:`RACY_NS` when read): only those are kept on disk."""

    stat: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
    digest: str
    durable: bool


def _stat_key(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def load_hash_memo(path: Path) -> dict[str, FileState]:
    """The dependency hashes recorded by earlier builds (``{path: FileState}``); empty if absent or malformed."""
    try:
        if path.stat().st_size > MAX_ENTRY_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("format") == FORMAT_VERSION else None
    if not isinstance(files, dict):
        return {}
    memo: dict[str, FileState] = {}
    for name, value in files.items():
        if (isinstance(name, str) and isinstance(value, list) and len(value) == 5
                and all(type(v) is int for v in value[:4]) and isinstance(value[4], str) and len(value[4]) == 64):
            memo[name] = FileState((value[0], value[1], value[2], value[3]), value[4], True)
    return memo


@dataclass
class MacroCache:
    """The cache of one build (or one serve rebuild).

    File hashes are memoized by path and ``stat`` (size, mtime, ctime, inode), and kept across builds in
    ``<fingerprint>/hashes.memo`` (:meth:`save_hash_memo`): a warm build checks an entry's dependencies with one
    ``stat`` each instead of reading and hashing them. As for the sources (:func:`memoized_source_fingerprint`),
    any write changes ctime, and a file read less than :data:`RACY_NS` after it was written is not kept."""

    root: Path  # the project root: dependencies are stored relative to it
    directory: Path  # <cache>/<fingerprint>/
    fingerprint: str
    hits: int = 0
    misses: int = 0
    last_deps: dict[str, str] | None = None  # the inputs of the last call (None: unknown, not cacheable)
    _hashes: dict[str, FileState] | None = field(default=None, repr=False)  # loaded on first use
    _hashes_changed: bool = field(default=False, repr=False)
    # k8sdocs/prefetch.py: "parent" (waits for calls the child claimed) or "child" (skips calls the parent
    # claimed); peer_alive says whether the other process still runs. None: no other process.
    role: str | None = None
    peer_alive: Callable[[], bool] | None = field(default=None, repr=False)
    peer_waits: int = 0  # calls the parent took from the child (for tests and the bench)

    @classmethod
    def for_project(cls, root: Path, environ: Mapping[str, str] | None = None,
                    files: tuple[SourceFile, ...] | None = None) -> MacroCache | None:
        """The project's cache, or None when ``K8SDOCS_CACHE=0``. ``files``: :func:`source_files` if the caller
        has walked the package already."""
        env: Mapping[str, str] = os.environ if environ is None else environ
        if env.get("K8SDOCS_CACHE", "1") == "0":
            return None
        root = root.resolve()
        base = Path(env.get("K8SDOCS_CACHE_DIR") or root / DEFAULT_DIR)
        fingerprint = memoized_source_fingerprint(base, files=files)
        directory = base / fingerprint[:32]
        _prune(base, keep=directory)
        sweep_orphans(directory)
        sweep_orphans(base)  # the playground zip is written there (k8sdocs/playground.py)
        return cls(root, directory, fingerprint)

    # -- file hashes -------------------------------------------------------------------------
    def file_hash(self, path: Path | str, now_ns: int | None = None) -> str | None:
        """SHA-256 of ``path``'s bytes, or None when it cannot be read (``now_ns``: the clock, for tests)."""
        try:
            stat = os.stat(path)
        except (OSError, ValueError):  # ValueError: a NUL in the name
            return None
        if self._hashes is None:
            self._hashes = load_hash_memo(self.hash_memo_path())
        name = os.fspath(path)
        seen = _stat_key(stat)
        known = self._hashes.get(name)
        if known is not None and known.stat == seen:
            return known.digest
        try:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            return None
        now = time.time_ns() if now_ns is None else now_ns
        durable = now - max(stat.st_mtime_ns, stat.st_ctime_ns) >= RACY_NS
        self._hashes[name] = FileState(seen, digest, durable)
        self._hashes_changed = self._hashes_changed or durable or (known is not None and known.durable)
        return digest

    def hash_memo_path(self) -> Path:
        return self.directory / HASH_MEMO_NAME

    def save_hash_memo(self) -> None:
        """Record the durable file hashes of this build for the next one (atomically; only if any changed)."""
        if not self._hashes_changed or self._hashes is None:
            return
        files = {name: [*state.stat, state.digest] for name, state in sorted(self._hashes.items()) if state.durable}
        write_atomically(self.directory, self.hash_memo_path(),
                         json.dumps({"format": FORMAT_VERSION, "files": files}, sort_keys=True))
        self._hashes_changed = False

    def _relative(self, path: Path) -> str | None:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return None

    def dependency_hashes(self, paths: Iterable[Path]) -> dict[str, str] | None:
        """``{relative path: sha256}``, or None when a file is outside the project or unreadable."""
        out: dict[str, str] = {}
        for path in sorted(set(paths)):
            rel = self._relative(path)
            digest = self.file_hash(path) if rel is not None else None
            if rel is None or digest is None:
                return None
            out[rel] = digest
        return out

    # -- entries -----------------------------------------------------------------------------
    def entry_path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def load(self, key: str) -> str | None:
        """The cached output for ``key`` if the entry is well-formed and every dependency is unchanged."""
        entry = self.load_entry(key)
        return None if entry is None else entry["output"]

    def load_entry(self, key: str) -> dict[str, Any] | None:
        """The entry for ``key`` (``output``, ``deps``...) if well-formed and every dependency is unchanged."""
        path = self.entry_path(key)
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                return None
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not (isinstance(entry, dict) and entry.get("format") == FORMAT_VERSION and entry.get("key") == key
                and isinstance(entry.get("output"), str) and isinstance(entry.get("deps"), dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["deps"].items())):
            return None
        root = str(self.root)
        for rel, digest in entry["deps"].items():
            if not stays_inside(rel) or self.file_hash(os.path.join(root, rel)) != digest:
                return None
        return entry

    def store(self, key: str, output: str, deps: dict[str, str]) -> None:
        """Write the entry atomically; a failure to write only costs a recomputation next time."""
        entry = {"format": FORMAT_VERSION, "key": key, "deps": deps, "output": output}
        write_atomically(self.directory, self.entry_path(key), json.dumps(entry, ensure_ascii=False, sort_keys=True))

    def get_or_compute(self, key: str | None, book: Any, compute: Callable[[], str]) -> str:
        """The cached output, or ``compute()`` while ``book`` records the files it reads (then stored)."""
        self.last_deps = None
        if key is not None:
            entry = self.load_entry(key)
            if entry is not None:
                return self._hit(entry)
        claimed = False
        if key is not None and self.role is not None:
            claimed = self.claim(key)
            if not claimed:
                if self.role == "child":
                    return ""  # the parent computes it; the child's pages are thrown away
                entry = self.wait_for_peer(key)
                if entry is not None:
                    self.peer_waits += 1
                    return self._hit(entry)
                claimed = self.claim(key)
        try:
            self.misses += 1
            with book.recording() as read:
                output = compute()
            deps = self.dependency_hashes(read)
            self.last_deps = deps
            if key is not None and isinstance(output, str) and deps is not None:
                self.store(key, output, deps)
            return output
        finally:
            if claimed:
                self.release(key)  # type: ignore[arg-type]

    def _hit(self, entry: dict[str, Any]) -> str:
        self.hits += 1
        self.last_deps = entry["deps"]
        return entry["output"]

    # -- two processes (k8sdocs/prefetch.py) ---------------------------------------------------------
    def claim_path(self, key: str) -> Path:
        return self.directory / f".claim-{key}"

    def claim(self, key: str) -> bool:
        """Take ``key`` for this process; False when a live process holds it (a dead one's claim is taken over)."""
        path = self.claim_path(key)
        for _ in range(2):
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = _pid_in(path.name, path)
                if owner is None or (owner != os.getpid() and _alive(owner)):
                    return False  # held (None: its owner is writing its pid right now)
                path.unlink(missing_ok=True)  # left by a process that is gone
                continue
            except OSError:
                return True  # cannot coordinate: compute it
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
            return True
        return True

    def release(self, key: str) -> None:
        self.claim_path(key).unlink(missing_ok=True)

    def wait_for_peer(self, key: str, interval: float = 0.005) -> dict[str, Any] | None:
        """The entry the other process is computing, once stored; None if it stops claiming it or ends."""
        path = self.claim_path(key)
        while True:
            entry = self.load_entry(key)
            if entry is not None:
                return entry
            if not path.exists() or self.peer_alive is None or not self.peer_alive():
                return self.load_entry(key)
            time.sleep(interval)


def stays_inside(rel: str) -> bool:
    """Whether ``rel`` (a dependency's path as stored in an entry) names something under the root: not empty,
    not absolute, no ``..`` component. String operations: the same answer as ``pathlib`` on POSIX, cheaper."""
    parts = [part for part in rel.split("/") if part not in ("", ".")]
    return bool(parts) and not rel.startswith("/") and ".." not in parts


def cache_base(root: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder of the project at ``root`` (``K8SDOCS_CACHE_DIR`` or ``.cache/k8sdocs``), None when
    ``K8SDOCS_CACHE=0``."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    if env.get("K8SDOCS_CACHE", "1") == "0":
        return None
    return Path(env.get("K8SDOCS_CACHE_DIR") or root.resolve() / DEFAULT_DIR)


def _prune(base: Path, keep: Path) -> None:
    """Delete fingerprint folders of older model sources, keeping the newest few (bounded disk use)."""
    try:
        folders = [p for p in base.iterdir() if p.is_dir() and p != keep]
    except OSError:
        return
    folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[KEEP_FINGERPRINTS - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def load_index(cache: MacroCache) -> dict[str, str] | None:
    """The cached ``{macro name: content module}`` of these sources, or None (absent or malformed)."""
    try:
        data = json.loads((cache.directory / "macros.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and data.get("fingerprint") == cache.fingerprint and isinstance(data.get("macros"), dict)):
        return None
    index = data["macros"]
    if not all(isinstance(k, str) and isinstance(v, str) and v.startswith("k8sdocs.content.") for k, v in index.items()):
        return None
    return index


def store_index(cache: MacroCache, index: dict[str, str]) -> None:
    """Save the macro index (written like an entry: atomically, plain JSON)."""
    write_atomically(cache.directory, cache.directory / "macros.json",
                     json.dumps({"fingerprint": cache.fingerprint, "macros": index}, sort_keys=True))


def write_atomically(directory: Path, target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through ``.tmp-<pid>-*.json`` + rename; the temporary file never stays behind
    (removed on any error or interruption; one left by a killed process is removed by :func:`sweep_orphans`).
    A failure to write only costs a recomputation next time."""
    write_bytes_atomically(directory, target, text.encode("utf-8"))


def write_bytes_atomically(directory: Path, target: Path, data: bytes) -> None:
    """:func:`write_atomically` for bytes."""
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{os.getpid()}-", suffix=".json", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        tmp = None
    except OSError:
        return
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _pid_in(name: str, claim: Path | None = None) -> int | None:
    """The pid in ``.tmp-<pid>-*.json`` (from the name) or in a claim file (its text); None if there is none."""
    try:
        text = claim.read_text() if claim is not None else name.split("-")[1]
        return int(text)
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def sweep_orphans(directory: Path, pids: Iterable[int] | None = None) -> None:
    """Remove temporary files and claims of processes that are gone (or, with ``pids``, of those processes)."""
    try:
        names = [p for p in directory.iterdir() if p.name.startswith((".tmp-", ".claim-"))]
    except OSError:
        return
    wanted = set(pids) if pids is not None else None
    for path in names:
        pid = _pid_in(path.name, path if path.name.startswith(".claim-") else None)
        if pid == os.getpid() and wanted is None:
            continue
        if (wanted is not None and pid in wanted) or (wanted is None and (pid is None or not _alive(pid))):
            path.unlink(missing_ok=True)
