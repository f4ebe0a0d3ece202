"""The Spanish summary that opens the fidelity page, for a learner: what is checked, against what, with what result,
and which parts of the model no case checks yet.

Computed from the same runner results as the rest of the page (:func:`k8sdocs.content.fidelity.cached_results`). Each
model area has the case folders (first folder under ``tests/fidelity/``) that referee it; an area with no case there
has no referee. Cases in a folder no area claims are counted apart, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import expect
from k8sdocs.content.fidelity import DEFAULT_CASES, CaseOutcome, cached_results


@dataclass(frozen=True)
class Area:
    """A part of the model as the site names it, and the case folders that check it."""

    name: str  # Spanish, for the page
    folders: tuple[str, ...]


#: The model's parts, in the order of the site's route (k8sdocs/model/: scheduler/, kube_proxy/, apiserver/ with
#: admission.py and validation/, controllers/, kubelet/ with runtime.py, cloud.py, leaderelection.py).
AREAS: tuple[Area, ...] = (
    Area("el servidor de la API, con su admisión y su validación", ("apiserver", "admission", "validation")),
    Area("el planificador kube-scheduler", ("scheduler",)),
    Area("los controladores de kube-controller-manager", ("controllers",)),
    Area("el kubelet con el entorno de ejecución de contenedores", ("kubelet", "runtime")),
    Area("cloud-controller-manager", ("cloud",)),
    Area("la elección de líder", ("leaderelection",)),
    Area("kube-proxy en modo iptables", ("kube-proxy",)),
)


def _folder(outcome: CaseOutcome) -> str:
    return outcome.file.split("/", 1)[0] if "/" in outcome.file else ""


@dataclass(frozen=True)
class AreaResult:
    area: Area
    cases: int
    passed: int
    failed: int
    skipped: int


def area_results(results: list[CaseOutcome]) -> tuple[list[AreaResult], list[CaseOutcome]]:
    """Per area, its cases' counts; and the cases of folders that no area claims."""
    out = []
    claimed: set[str] = set()
    for area in AREAS:
        rs = [r for r in results if _folder(r) in area.folders]
        claimed.update(area.folders)
        out.append(AreaResult(area, len(rs), sum(r.outcome == "PASS" for r in rs), sum(r.outcome == "FAIL" for r in rs),
                              sum(r.outcome == "SKIP" for r in rs)))
    return out, [r for r in results if _folder(r) not in claimed]


def _n(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]


def reader_summary(book: ExampleBook, ruta: str = DEFAULT_CASES, espera_sin_arbitro: int | None = None) -> str:
    """A short Markdown list: checked areas with their counts, the referee, the result, the areas without referee."""
    results = cached_results(book, ruta)
    areas, others = area_results(results)
    checked = [a for a in areas if a.cases]
    unchecked = [a for a in areas if not a.cases]
    expect("el número de partes del modelo sin árbitro", espera_sin_arbitro, len(unchecked))
    passed = sum(r.outcome == "PASS" for r in results)
    failed = sum(r.outcome == "FAIL" for r in results)
    skipped = [r for r in results if r.outcome == "SKIP"]
    what = [f"{a.area.name} ({_n(a.cases, 'caso', 'casos')})" for a in checked]
    if others:
        what.append(f"otras funciones de Kubernetes ({_n(len(others), 'caso', 'casos')})")
    lines = [
        f"- **Qué se comprueba**: {_join(what)}.",
        "- **Contra qué**: casos copiados de las pruebas del propio código de Kubernetes v1.35 (`kubernetes/kubernetes`). "
        "Cada caso da al modelo los mismos datos de entrada que la prueba original y exige el mismo resultado.",
        f"- **Con qué resultado**: de {_n(len(results), 'caso', 'casos')}, {_n(passed, 'pasa', 'pasan')}, "
        f"{_n(failed, 'falla', 'fallan')} y {_n(len(skipped), 'se omite', 'se omiten')}"
        + (" (porque necesita algo que el modelo no tiene; la tabla «Casos que no pasan» dice qué)." if skipped else "."),
    ]
    if unchecked:
        lines.append(
            f"- **Sin árbitro todavía**: {_join([a.area.name for a in unchecked])}. Lo que muestran esas páginas sale "
            "del modelo y de las pruebas del proyecto, que citan el código de Kubernetes, pero ningún caso de esta "
            "comprobación lo contrasta con las pruebas de Kubernetes."
        )
    return "\n".join(lines) + "\n"


MACROS = {"fidelidad_resumen_lector": reader_summary}
