"""The «Fidelidad del modelo» page: the fidelity runner's results, computed at build time.

The runner is ``k8sdocs.fidelity`` (the same code as ``python -m k8sdocs.fidelity tests/fidelity``); this
module runs it case by case so the page can group results per case file and per plugin. The page
also lists every simplification the model's code documents (docstring paragraphs that start with
``Simplification``/``Out of scope`` and ``# Simplification:`` comments), quoted from the code.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
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


def _cases_root(ruta: str) -> Path:
    root = Path(ruta)
    if not root.is_absolute():
        root = Path.cwd() / root
    if not root.is_dir():
        raise ContentError(
            f"no existe la carpeta de casos de fidelidad {ruta!r} (se busca en {root}); "
            "mkdocs debe ejecutarse desde la raíz del repositorio"
        )
    return root


def _group(case: dict) -> tuple[str, str]:
    from k8sdocs.fidelity.runner import KUBE_PROXY_KIND

    if case.get("kind") == KUBE_PROXY_KIND:
        return KUBE_PROXY_GROUP, "syncProxyRules"
    return str(case.get("plugin") or CORE_GROUP), str(case.get("extension_point") or "—")


def run_fidelity(ruta: str = DEFAULT_CASES) -> list[CaseOutcome]:
    """Every case of every case file under ``ruta``, in the runner's order (files sorted, cases in file order)."""
    from k8sdocs.fidelity.runner import case_files, run_case

    root = _cases_root(ruta)
    files = case_files([root])
    if not files:
        raise ContentError(f"la carpeta {ruta!r} no tiene archivos de casos (*.yaml)")
    out: list[CaseOutcome] = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        try:
            cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as err:
            out.append(CaseOutcome(rel, rel, "—", "—", "FAIL", f"cannot read cases: {err}"))
            continue
        if not isinstance(cases, list):
            out.append(CaseOutcome(rel, rel, "—", "—", "FAIL", "a case file must be a YAML list of cases"))
            continue
        for i, case in enumerate(cases):
            result = run_case(case, path.parent, f"{path}#{i}")
            group, point = _group(case) if isinstance(case, dict) else ("—", "—")
            out.append(CaseOutcome(rel, result.case_id, group, point, result.outcome, result.detail))
    return out


def cached_results(book: ExampleBook, ruta: str = DEFAULT_CASES) -> list[CaseOutcome]:
    """:func:`run_fidelity`, once per build (keyed by the folder and the newest mtime of its files)."""
    root = _cases_root(ruta)
    newest = max((p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()), default=0)
    key = (root.resolve(), newest, "fidelity")
    return book.memo(key, lambda: run_fidelity(ruta))


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
        rel = path.relative_to(repo).as_posix()
        tree = ast.parse(source)
        nodes: list[tuple[str, ast.AST]] = [("módulo", tree)]
        nodes += [(n.name, n) for n in ast.walk(tree) if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
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


MACROS = {
    "fidelidad_resumen": summary_sentence,
    "fidelidad_por_archivo": by_file_table,
    "fidelidad_por_plugin": by_plugin_table,
    "fidelidad_no_pasan": not_passing_table,
    "fidelidad_simplificaciones": simplifications_table,
    "fidelidad_num_simplificaciones": simplification_count,
}
