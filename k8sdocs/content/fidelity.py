"""The «Fidelidad del modelo» page: the fidelity runner's results, computed at build time.

The runner is ``k8sdocs.fidelity`` (the same code as ``python -m k8sdocs.fidelity tests/fidelity``); this
module runs it case by case so the page can group results per case file and per plugin. The page
also lists every simplification the model's code documents (docstring paragraphs that start with
``Simplification``/``Out of scope`` and ``# Simplification:`` comments), quoted from the code.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.model.confine import ConfinementError, confined
from k8sdocs.render.markdown import code, escape_text, table

DEFAULT_CASES = "tests/fidelity"
KUBE_PROXY_GROUP = "kube-proxy (iptables)"
CORE_GROUP = "núcleo del planificador"


@dataclass(frozen=True)
class CaseOutcome:
    file: str  # relative to the cases folder
    case_id: str
    group: str  # plugin name, or kube-proxy / scheduler core
    extension_point: str
    outcome: str  # PASS / FAIL / SKIP
    detail: str
    function: str = ""  # a function case's upstream function (``<import path>.<Name>``), else ""


#: Folders (under the repository root) a page may name with ``ruta=`` (issue 15: never an absolute path).
FIDELITY_FOLDERS = ("tests",)


def _cases_root(ruta: str, root: Path | None = None) -> Path:
    """``ruta`` under the repository root (``root``; by default the working folder, where mkdocs runs), confined
    to :data:`FIDELITY_FOLDERS` with symlinks resolved."""
    base = root if root is not None else Path.cwd()
    try:
        folder = confined(base, ruta, [base / f for f in FIDELITY_FOLDERS])
    except ConfinementError as err:
        raise ContentError(f"ruta={ruta!r}: {err} (la carpeta de casos debe estar en {', '.join(FIDELITY_FOLDERS)}/)") from None
    if not folder.is_dir():
        raise ContentError(
            f"no existe la carpeta de casos de fidelidad {ruta!r}; mkdocs debe ejecutarse desde la raíz del repositorio"
        )
    return folder


def _group(case: dict) -> tuple[str, str]:
    from k8sdocs.fidelity.runner import KUBE_PROXY_KIND

    if case.get("kind") == KUBE_PROXY_KIND:
        return KUBE_PROXY_GROUP, "syncProxyRules"
    function = case.get("function")
    if isinstance(function, str) and "input" not in case and "/" in function:
        # Function cases (tests/fidelity/functions): grouped by upstream Go package.
        package = re.sub(r"\.(\([^)]*\)\.)?[^./]*$", "", function)
        return package.removeprefix("k8s.io/kubernetes/").removeprefix("k8s.io/"), "—"
    return str(case.get("plugin") or CORE_GROUP), str(case.get("extension_point") or "—")


def run_fidelity(ruta: str = DEFAULT_CASES, root: Path | None = None) -> list[CaseOutcome]:
    """Every case of every case file under ``ruta``, in the runner's order (files sorted, cases in file order).

    The files are read by ``k8sdocs.fidelity.loader``, as the runner reads them: a file that cannot count
    (duplicate keys, an empty list, bytes that are not UTF-8...) is one FAIL row, never a pass."""
    from k8sdocs.fidelity.loader import CaseFileError, find_case_files, load_cases
    from k8sdocs.fidelity.runner import run_case

    folder = _cases_root(ruta, root)
    found = find_case_files([folder])
    if not found.files:
        raise ContentError(f"la carpeta {ruta!r} no tiene archivos de casos (*.yaml)")
    out: list[CaseOutcome] = []
    for where, why in found.problems:
        rel = Path(where).relative_to(folder).as_posix() if Path(where).is_relative_to(folder) else ruta
        out.append(CaseOutcome(rel, rel, "—", "—", "FAIL", why))
    for path in found.files:
        rel = path.relative_to(folder).as_posix()
        try:
            cases = load_cases(path)
        except CaseFileError as err:
            out.append(CaseOutcome(rel, rel, "—", "—", "FAIL", str(err)))
            continue
        for i, case in enumerate(cases):
            result = run_case(case, path.parent, f"{rel}#{i}")
            group, point = _group(case) if isinstance(case, dict) else ("—", "—")
            function = str(case.get("function") or "") if isinstance(case, dict) else ""
            out.append(CaseOutcome(rel, result.case_id, group, point, result.outcome, result.detail, function))
    return out


def cached_results(book: ExampleBook, ruta: str = DEFAULT_CASES) -> list[CaseOutcome]:
    """:func:`run_fidelity`, once per build (keyed by the folder and the newest mtime of its files)."""
    repo = book.docs_dir.resolve().parent
    folder = _cases_root(ruta, repo)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    key = (folder, tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files), "fidelity")
    return book.memo(key, lambda: run_fidelity(ruta, repo), inputs=files)


def _counts(results: list[CaseOutcome]) -> tuple[int, int, int]:
    return (sum(r.outcome == "PASS" for r in results), sum(r.outcome == "FAIL" for r in results),
            sum(r.outcome == "SKIP" for r in results))


def summary_sentence(book: ExampleBook, ruta: str = DEFAULT_CASES, espera_fallos: int | None = None) -> str:
    """``N casos: P pasan, F fallan, S se omiten``, the runner's own summary in Spanish."""
    results = cached_results(book, ruta)
    passed, failed, skipped = _counts(results)
    expect("número de casos que fallan", espera_fallos, failed)
    pct = f"{100 * passed / len(results):.1f}".replace(".", ",")
    def verb(n: int, one: str, many: str) -> str:
        return f"**{n} {one if n == 1 else many}**"

    return (f"{verb(len(results), 'caso', 'casos')}: {verb(passed, 'pasa', 'pasan')} ({pct} %), {verb(failed, 'falla', 'fallan')} "
            f"y {verb(skipped, 'se omite', 'se omiten')}. "
            f"La misma cuenta imprime `python -m k8sdocs.fidelity {ruta}` en su última línea: "
            f"`{passed} passed, {failed} failed, {skipped} skipped`.")


def by_file_table(book: ExampleBook, ruta: str = DEFAULT_CASES) -> str:
    """One row per case file: the plugins it covers, cases, passes, failures and skips."""
    results = cached_results(book, ruta)
    files: dict[str, list[CaseOutcome]] = {}
    for r in results:
        files.setdefault(r.file, []).append(r)
    rows = []
    for name, rs in files.items():
        passed, failed, skipped = _counts(rs)
        groups = sorted({r.group for r in rs})
        rows.append([escape_text(name), ", ".join(escape_text(g) for g in groups), str(len(rs)), str(passed),
                     str(failed) if not failed else f"**{failed}**", str(skipped)])
    passed, failed, skipped = _counts(results)
    rows.append(["**Total**", "", f"**{len(results)}**", f"**{passed}**", f"**{failed}**", f"**{skipped}**"])
    return table(["Archivo de casos", "Plugin o área", "Casos", "Pasan", "Fallan", "Se omiten"], rows,
                 align=["left", "left", "right", "right", "right", "right"])


def by_plugin_table(book: ExampleBook, ruta: str = DEFAULT_CASES) -> str:
    """One row per plugin (or area) and extension point."""
    results = cached_results(book, ruta)
    groups: dict[tuple[str, str], list[CaseOutcome]] = {}
    for r in results:
        groups.setdefault((r.group, r.extension_point), []).append(r)
    rows = []
    for (group, point), rs in sorted(groups.items()):
        passed, failed, skipped = _counts(rs)
        rows.append([escape_text(group), escape_text(point), str(len(rs)), str(passed), str(failed), str(skipped)])
    return table(["Plugin o área", "Punto de extensión", "Casos", "Pasan", "Fallan", "Se omiten"], rows,
                 align=["left", "left", "right", "right", "right", "right"])


def not_passing_table(book: ExampleBook, ruta: str = DEFAULT_CASES) -> str:
    """Every case that does not pass, with the runner's reason verbatim (English, as the runner prints it)."""
    results = [r for r in cached_results(book, ruta) if r.outcome != "PASS"]
    if not results:
        return "Todos los casos pasan.\n"
    rows = [[code(r.case_id), escape_text(r.file), "falla" if r.outcome == "FAIL" else "se omite", code(r.detail)]
            for r in results]
    return table(["Caso", "Archivo", "Resultado", "Motivo (salida del ejecutor)"], rows)


# --- simplifications documented in the model ----------------------------------------------------------

_START = re.compile(r"^(Simplifications?|Out of scope)\b")


def _paragraphs(doc: str) -> list[str]:
    """Docstring paragraphs that start with Simplification/Out of scope, with a following list if they end in ':'."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", doc)]
    found = []
    for i, block in enumerate(blocks):
        if not _START.match(block):
            continue
        text = block
        if text.rstrip().endswith(":") and i + 1 < len(blocks):
            text += "\n" + blocks[i + 1]
        found.append(text)
    return found


_BLOCKS = (ast.stmt, ast.excepthandler, ast.match_case)


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """The statements of ``tree`` (and except/case clauses) in ``ast.walk``'s breadth-first order, without visiting
    expressions: a ``def`` or ``class`` is only ever a statement, and every ancestor of a statement is one too (or a
    clause), so the defs come in the same order and at a third of the cost of walking every node."""
    todo: deque[ast.AST] = deque([tree])
    while todo:
        node = todo.popleft()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                todo.extend(item for item in value if isinstance(item, _BLOCKS))
        yield node


@dataclass(frozen=True)
class Simplification:
    module: str  # k8sdocs/model/...
    where: str  # module, class or function name
    text: str


def model_simplifications(model_dir: Path | None = None) -> list[Simplification]:
    """Every simplification the model's code documents, in module path order."""
    base = model_dir or Path(__file__).resolve().parents[1] / "model"
    repo = base.parents[1]
    out: list[Simplification] = []
    for path in sorted(base.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "Simplification" not in source and "Out of scope" not in source:
            continue  # nothing to quote: parsing every module cost ~0.3 s of a cold build (issue 12, item 3)
        rel = path.relative_to(repo).as_posix()
        tree = ast.parse(source)
        nodes: list[tuple[str, ast.AST]] = [("módulo", tree)]
        nodes += [(n.name, n) for n in _statements(tree) if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
        for where, node in nodes:
            doc = ast.get_docstring(node)  # type: ignore[arg-type]
            for para in _paragraphs(doc or ""):
                out.append(Simplification(rel, where, " ".join(para.replace("\n* ", " • ").split())))
        for line in source.splitlines():
            m = re.match(r"\s*#\s*(Simplification:.*)", line)
            if m:
                out.append(Simplification(rel, "comentario", m.group(1).strip()))
    return out


_RST_CODE = re.compile(r"``(.+?)``|:[a-z]+:`([^`]+)`")


def rst_to_markdown(text: str) -> str:
    """Docstring text (reStructuredText literals ````x```` and roles ``:data:`X```) as escaped Markdown with code spans."""
    def plain(segment: str) -> str:
        lead = " " if segment[:1].isspace() else ""
        trail = " " if segment[-1:].isspace() and segment.strip() else ""
        return lead + escape_text(segment) + trail

    out = []
    pos = 0
    for m in _RST_CODE.finditer(text):
        out.append(plain(text[pos:m.start()]))
        out.append(code(m.group(1) if m.group(1) is not None else m.group(2)))
        pos = m.end()
    out.append(plain(text[pos:]))
    return "".join(out)


def cached_simplifications(book: ExampleBook) -> list[Simplification]:
    """:func:`model_simplifications`, parsed once per build and model version (keyed by the sources' mtimes)."""
    base = Path(__file__).resolve().parents[1] / "model"
    key = ("simplifications", tuple((str(p), p.stat().st_mtime_ns) for p in sorted(base.rglob("*.py"))))
    return book.memo(key, model_simplifications)


def simplifications_table(book: ExampleBook) -> str:
    """The simplifications quoted from the model's code (English, as written next to the code they describe)."""
    items = cached_simplifications(book)
    if not items:
        raise ContentError("el modelo no documenta ninguna simplificación: ¿se movió k8sdocs/model?")
    rows = [[code(s.module), escape_text(s.where), rst_to_markdown(s.text)] for s in items]
    return table(["Módulo", "Dónde", "Simplificación (texto del código)"], rows)


def simplification_count(book: ExampleBook) -> str:
    """How many simplifications the model's code documents (for a sentence of the page)."""
    return str(len(cached_simplifications(book)))


# --- coverage: each part of the model, its referee and the runner's result ---------------------------------------

@dataclass(frozen=True)
class ModelPart:
    """One part of the model; ``matches`` picks the runner's cases that referee it (by case kind, plugin, function)."""

    name: str
    referee: str
    matches: Callable[[CaseOutcome], bool]
    without_cases: str = ""  # what checks it when no fidelity case does (shown instead of numbers)


def _upstream_function(r: CaseOutcome) -> str:
    """The import path of a function case (``k8s.io/kubernetes/pkg/...``); "" for scheduler-core functions."""
    return r.function if "/" in r.function else ""


def _function_under(*fragments: str) -> Callable[[CaseOutcome], bool]:
    return lambda r: any(f in _upstream_function(r) for f in fragments)


_KNOWN_FUNCTION_FRAGMENTS = ("Defaults", "validation", "/pkg/controller/", "/qos", "/pkg/api/v1/pod", "/pkg/api/pod",
                             "plugin/pkg/admission", "/pkg/kubelet/")

#: The parts of the model and their referees, in the order the page lists them. A part without cases says so.
MODEL_PARTS: tuple[ModelPart, ...] = (
    ModelPart("kube-scheduler: plugins", "pruebas de tabla de los plugins (`pkg/scheduler/framework/plugins/*/*_test.go`)",
              lambda r: r.group not in (KUBE_PROXY_GROUP, CORE_GROUP, "—") and not _upstream_function(r)),
    ModelPart("kube-scheduler: núcleo (normalización, nodos evaluados, elección)",
              "`pkg/scheduler/schedule_one_test.go` y el formato de `FitError`",
              lambda r: r.group == CORE_GROUP and not _upstream_function(r)),
    ModelPart("kube-proxy (iptables)", "salida de `iptables-restore` de `pkg/proxy/iptables/proxier_test.go`",
              lambda r: r.group == KUBE_PROXY_GROUP),
    ModelPart("Valores por defecto del servidor de la API (`SetObjectDefaults_*`)",
              "pruebas de `pkg/apis/*/v1/defaults_test.go` como casos de función",
              lambda r: "Defaults" in _upstream_function(r)),
    ModelPart("Validación de nombres y etiquetas", "pruebas de `apimachinery/pkg/util/validation` como casos de función",
              lambda r: "validation" in _upstream_function(r) and "Defaults" not in _upstream_function(r)),
    ModelPart("Controladores: funciones auxiliares (Deployment, orden de Pods, QoS)",
              "pruebas de `pkg/controller/...` y `pkg/apis/core/helper/qos` como casos de función",
              _function_under("/pkg/controller/", "/qos", "/pkg/api/v1/pod", "/pkg/api/pod")),
    ModelPart("Admisión (ServiceAccount, Priority, DefaultTolerationSeconds)", "casos de función de `plugin/pkg/admission`",
              _function_under("plugin/pkg/admission"),
              without_cases="pruebas del proyecto que reproducen filas de `admission_test.go` (tests/apiserver)"),
    ModelPart("kubelet (llamadas CRI, estado, latidos, PATCH)", "casos de función de `pkg/kubelet`",
              _function_under("/pkg/kubelet/"),
              without_cases="pruebas del proyecto contra constantes y textos citados de `pkg/kubelet` (tests/kubelet)"),
    ModelPart("Otras funciones de Kubernetes", "casos de función que no encajan en las filas anteriores",
              lambda r: bool(_upstream_function(r)) and not any(f in _upstream_function(r)
                                                                 for f in _KNOWN_FUNCTION_FRAGMENTS)),
)


def _md(text: str) -> str:
    """Plain text with `code` spans in single backticks, escaped for a table cell."""
    def plain(segment: str) -> str:
        if not segment.strip():
            return segment
        lead = " " if segment[:1].isspace() else ""
        trail = " " if segment[-1:].isspace() else ""
        return lead + escape_text(segment) + trail

    parts = text.split("`")
    return "".join(code(seg) if i % 2 else plain(seg) for i, seg in enumerate(parts))


def coverage_rows(book: ExampleBook, rutas: str = DEFAULT_CASES) -> list[tuple[ModelPart, int, int, int, int]]:
    """``(part, cases, passed, failed, skipped)`` per model part, from the runner's results over ``rutas``
    (folders separated by commas). Every case lands in exactly one part, or it is an error."""
    results: list[CaseOutcome] = []
    for ruta in (r.strip() for r in rutas.split(",") if r.strip()):
        results += cached_results(book, ruta)
    rows = []
    claimed: dict[int, str] = {}
    for part in MODEL_PARTS:
        mine = [r for r in results if part.matches(r)]
        for r in mine:
            if id(r) in claimed:
                raise ContentError(f"el caso {r.case_id} cuenta para dos partes: {claimed[id(r)]} y {part.name}")
            claimed[id(r)] = part.name
        passed, failed, skipped = _counts(mine)
        rows.append((part, len(mine), passed, failed, skipped))
    lost = [r.case_id for r in results if id(r) not in claimed]
    if lost:
        raise ContentError(f"casos que no cuentan para ninguna parte del modelo: {', '.join(lost[:5])}")
    return rows


def coverage_table(book: ExampleBook, rutas: str = DEFAULT_CASES, sin_arbitro: str | None = None) -> str:
    """Cada parte del modelo, su árbitro (las pruebas de Kubernetes que la juzgan) y el resultado del ejecutor.
    ``sin_arbitro``: las partes que la página espera sin ningún caso (separadas por ``;``)."""
    rows = []
    empty = []
    for part, n, passed, failed, skipped in coverage_rows(book, rutas):
        if n == 0:
            empty.append(part.name)
            if part.name.startswith("Otras"):
                continue
            result = "**sin casos de fidelidad todavía**"
            if part.without_cases:
                result += f"; lo comprueban {_md(part.without_cases)}"
        else:
            result = (f"{n} {'caso' if n == 1 else 'casos'}: {passed} {'pasa' if passed == 1 else 'pasan'}, "
                      f"{failed} {'falla' if failed == 1 else 'fallan'}, "
                      f"{skipped} {'se omite' if skipped == 1 else 'se omiten'}")
        rows.append([_md(part.name), _md(part.referee), result])
    expect("partes del modelo sin árbitro", sin_arbitro,
           "; ".join(e for e in empty if not e.startswith("Otras")))
    return table(["Parte del modelo", "Árbitro", "Resultado"], rows)


MACROS = {
    "fidelidad_cobertura": coverage_table,
    "fidelidad_resumen": summary_sentence,
    "fidelidad_por_archivo": by_file_table,
    "fidelidad_por_plugin": by_plugin_table,
    "fidelidad_no_pasan": not_passing_table,
    "fidelidad_simplificaciones": simplifications_table,
    "fidelidad_num_simplificaciones": simplification_count,
}
