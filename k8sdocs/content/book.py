"""Scenario runs shared by every page of one build: each scenario file runs once (cached)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from k8sdocs.content.errors import ContentError

SCENARIO_DIR = "escenarios"


def _default_runner(path: Path) -> Any:
    from k8sdocs.model.cluster import Cluster  # imported lazily: the book is also used without the cluster

    return Cluster.from_scenario(path).run()


@dataclass
class ExampleBook:
    """Resolves scenario names under ``docs/escenarios/`` and caches their runs by path and file mtimes.

    ``runner`` is injectable so tests can count runs without the whole cluster.
    """

    docs_dir: Path
    runner: Callable[[Path], Any] = _default_runner
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    runs: int = 0

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
        return path

    def run(self, name: str) -> Any:
        """The cluster run of scenario ``name``; computed once per build (and again only if the file changes)."""
        path = self.scenario_path(name)
        # A scenario reads manifests from files beside it: any change in the folder invalidates the run.
        folder = (self.docs_dir / SCENARIO_DIR).resolve()
        key = (path, tuple((str(p), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*.yaml"))))
        if key not in self._cache:
            self._cache[key] = self.runner(path)
            self.runs += 1
        return self._cache[key]

    def memo(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """Any other per-build result (e.g. the fidelity runner's), computed once under ``key``.

        Callers include in ``key`` what invalidates the result (paths and mtimes).
        """
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]
