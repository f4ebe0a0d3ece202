"""Scenario runs shared by every page of one build: each scenario file runs once (cached)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import yaml

from k8sdocs.content.errors import ContentError

if TYPE_CHECKING:
    from k8sdocs.model.scenario import Scenario

SCENARIO_DIR = "escenarios"
MAX_SCENARIO_BYTES = 1024 * 1024  # scenario_inputs reads at most this much (a scenario is a few KB)
# libyaml's parser with PyYAML's safe constructor: the same objects as yaml.safe_load, ~10x faster.
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def scenario_inputs(path: Path) -> list[Path]:
    """The files a scenario run depends on: the scenario and the manifest files it references.

    The references are the string items of the top-level ``manifests:`` list and of each ``apply``
    step's ``manifests:`` list, relative to the scenario (the format in k8sdocs/model/scenario.py).
    A file that does not parse yields only itself: loading it will fail, and failures are not cached.
    """
    found = [path]
    try:
        if path.stat().st_size > MAX_SCENARIO_BYTES:
            return found
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_SAFE_LOADER)  # noqa: S506 - safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return found
    if not isinstance(data, dict):
        return found
    lists = [data.get("manifests")]
    steps = data.get("steps")
    if isinstance(steps, list):
        lists += [s.get("manifests") for s in steps if isinstance(s, dict)]
    for refs in lists:
        if isinstance(refs, list):
            found += [path.parent / r for r in refs if isinstance(r, str) and (path.parent / r).is_file()]
    return list(dict.fromkeys(found))


def _default_runner(path: Path) -> Any:
    from k8sdocs.model.scenario import load_scenario  # imported lazily: the book is also used without the cluster

    return _run_parsed(load_scenario(path))


def _run_parsed(scenario: Scenario) -> Any:
    from k8sdocs.content.phrased import phrase_run
    from k8sdocs.model.cluster import Cluster

    return phrase_run(Cluster.from_parsed(scenario).run())


@dataclass
class ExampleBook:
    """Resolves scenario names under ``docs/escenarios/`` and caches their runs by path and file mtimes.

    ``runner`` is injectable so tests can count runs without the whole cluster.
    """

    docs_dir: Path
    runner: Callable[[Path], Any] = _default_runner
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    runs: int = 0
    _reads: list[set[Path]] = field(default_factory=list, repr=False)

    @contextlib.contextmanager
    def recording(self) -> Iterator[set[Path]]:
        """Collect, while the block runs, the input files the book hands out (for k8sdocs/cache.py)."""
        reads: set[Path] = set()
        self._reads.append(reads)
        try:
            yield reads
        finally:
            self._reads.remove(reads)

    def note_inputs(self, paths: Iterable[Path]) -> None:
        """Record files a result depends on (scenario_path and memo call it; content modules may too)."""
        items = list(paths)
        for reads in self._reads:
            reads.update(items)

    def scenario_path(self, name: str) -> Path:
        """The file of scenario ``name`` (e.g. ``"despliegue-basico.yaml"``); a missing file is a ContentError."""
        base = (self.docs_dir / SCENARIO_DIR).resolve()
        path = (base / name).resolve()
        if not name or not path.is_relative_to(base):
            raise ContentError(f"nombre de escenario no válido: {name!r} (debe ser un archivo de {SCENARIO_DIR}/)")
        if not path.is_file():
            available = sorted(p.name for p in (self.docs_dir / SCENARIO_DIR).glob("*.yaml"))
            raise ContentError(
                f"no existe el escenario {SCENARIO_DIR}/{name}; escenarios disponibles: {', '.join(available) or 'ninguno'}"
            )
        self.note_inputs(self.inputs_of(path))
        return path

    def inputs_of(self, path: Path) -> list[Path]:
        """:func:`scenario_inputs`, re-read only when the scenario file changes."""
        stat = path.stat()
        key = ("inputs", path, stat.st_mtime_ns, stat.st_size)
        if key not in self._cache:
            self._cache[key] = scenario_inputs(path)
        return self._cache[key]

    def _inputs_key(self, path: Path) -> tuple[Any, ...]:
        # A change in the scenario or in a manifest it references invalidates what was computed from it, and only that.
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in self.inputs_of(path))

    def scenario(self, name: str) -> Scenario:
        """Scenario ``name`` as the model parsed it (``model/scenario.py``: manifests, steps, the files each step
        applied): the value ``run(name).scenario`` holds, without running the cluster. Parsed once per build."""
        # imported lazily, as in the runner: the book is also used without the model
        from k8sdocs.model.scenario import load_scenario

        path = self.scenario_path(name)
        key = ("scenario", path, self._inputs_key(path))
        if key not in self._cache:
            self._cache[key] = load_scenario(path)
        scenario: Scenario = self._cache[key]
        return scenario

    def run(self, name: str) -> Any:
        """The cluster run of scenario ``name``; computed once per build (and again only if the file changes)."""
        path = self.scenario_path(name)
        key = (path, self._inputs_key(path))
        if key not in self._cache:
            # the default runner runs the book's own parse, so run(name).scenario is scenario(name)
            self._cache[key] = (_run_parsed(self.scenario(name)) if self.runner is _default_runner
                                else self.runner(path))
            self.runs += 1
        return self._cache[key]

    def memo(self, key: tuple[Any, ...], compute: Callable[[], Any], inputs: Iterable[Path] = ()) -> Any:
        """Any other per-build result (e.g. the fidelity runner's), computed once under ``key``.

        Callers include in ``key`` what invalidates the result (paths and mtimes), and pass as
        ``inputs`` the files outside the ``k8sdocs`` package it reads (for the on-disk cache).
        """
        self.note_inputs(inputs)
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]
