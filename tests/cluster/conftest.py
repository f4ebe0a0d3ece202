"""Scenario runs shared by the cluster tests (each scenario file runs once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.model.cluster import Cluster, ClusterRun

SCENARIOS = Path(__file__).resolve().parents[2] / "docs" / "escenarios"
_RUNS: dict[str, ClusterRun] = {}


def scenario_run(name: str) -> ClusterRun:
    if name not in _RUNS:
        _RUNS[name] = Cluster.from_scenario(SCENARIOS / name).run()
    return _RUNS[name]


def require_components() -> None:
    """The end-to-end tests need the colleagues' scheduler and controller-manager components."""
    pytest.importorskip("k8sdocs.model.scheduler.component")
    pytest.importorskip("k8sdocs.model.controllers.manager")
