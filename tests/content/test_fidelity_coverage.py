"""The coverage table of the Fidelidad page: every part of the model, its referee, and the runner's result."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import fidelity
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ExpectationError

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = "tests/fidelity, tests/scheduler/cases, tests/scheduler/upstream_cases, tests/kube_proxy/cases"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(ROOT / "docs")


def _part(name_start: str) -> fidelity.ModelPart:
    return next(p for p in fidelity.MODEL_PARTS if p.name.startswith(name_start))


def test_function_cases_land_in_their_part_by_import_path():
    def outcome(function: str) -> fidelity.CaseOutcome:
        return fidelity.CaseOutcome("functions/x.yaml", "c", fidelity.CORE_GROUP, "—", "PASS", "", function)

    assert _part("Valores por defecto").matches(outcome("k8s.io/kubernetes/pkg/apis/core/v1.SetObjectDefaults_Pod"))
    assert _part("Controladores").matches(outcome("k8s.io/kubernetes/pkg/controller/deployment/util.ResolveFenceposts"))
    assert _part("Validación").matches(outcome("k8s.io/apimachinery/pkg/util/validation.IsDNS1123Label"))
    assert _part("Otras").matches(outcome("k8s.io/kubernetes/pkg/util/other.Thing"))
    # scheduler-core "function" cases (selectHost...) stay with the scheduler core
    assert _part("kube-scheduler: núcleo").matches(outcome("selectHost"))
    assert not _part("Otras").matches(outcome("selectHost"))


def test_table_counts_come_from_the_runner(book, monkeypatch):
    monkeypatch.chdir(ROOT)
    rows = {p.name: (n, passed, failed, skipped) for p, n, passed, failed, skipped in fidelity.coverage_rows(book, FOLDERS)}
    results = []
    for folder in FOLDERS.split(", "):
        results += fidelity.run_fidelity(folder)
    assert sum(n for n, *_ in rows.values()) == len(results)  # every case counted once
    assert rows["kube-proxy (iptables)"][0] == sum(r.group == fidelity.KUBE_PROXY_GROUP for r in results)
    assert rows["kube-scheduler: plugins"][0] > 250
    md = fidelity.coverage_table(book, FOLDERS)
    assert "sin casos de fidelidad todavía" in md  # parts without a referee say so
    with pytest.raises(ExpectationError):
        fidelity.coverage_table(book, FOLDERS, sin_arbitro="ninguna")
