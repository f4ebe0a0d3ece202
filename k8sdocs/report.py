"""How the site reports a content error to its author: one Spanish line in the log, and under serve a box in the page.

Used by the macros adapter (``k8sdocs/macros.py``). Two modes:

* **build** (``mkdocs build``, ``make build``, ``make test``, CI): the error is logged as one line at
  ERROR level, ``k8sdocs: <página>: <causa>``, and mkdocs-macros stops the build (``on_error_fail:
  true`` in mkdocs.yml, exit status 100). No error text is ever published inside a page.
* **serve** (``make serve`` runs ``python -m k8sdocs.serve``, which sets ``K8SDOCS_SERVE=1``; a bare
  ``mkdocs serve`` is recognised too): the same line is logged, and the page is rendered with an
  error box (page, file, field, cause, what to do) instead of its content, so the server keeps
  running and the next save of the fixed file brings the page back.

The error line goes to the ``k8sdocs`` logger, which is not under ``mkdocs``: MkDocs' strict mode
counts warnings of the ``mkdocs`` loggers, and under serve a counted error would abort the rebuild
and keep the old page instead of showing the box.

mkdocs-macros' own chatter (``INFO - [macros] - ...``, some ten lines per build) is hidden unless
MkDocs runs with ``-v``; its ``WARNING - [macros] - ERROR`` copy of our line is dropped.
"""

from __future__ import annotations

import html
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

SERVE_ENV = "K8SDOCS_SERVE"
LOGGER_NAME = "k8sdocs"
MACROS_LOGGER = "mkdocs.plugins.mkdocs_macros.util"  # mkdocs_macros/util.py: LOG
BOX_MARKER = "k8sdocs-error"


def serving(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """True under ``make serve`` (``K8SDOCS_SERVE=1``) or a bare ``mkdocs serve`` / ``python -m mkdocs serve``."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    if env.get(SERVE_ENV) == "1":
        return True
    argv = sys.argv if argv is None else argv
    if not argv:
        return False
    program = Path(argv[0])
    is_mkdocs = program.name == "mkdocs" or program.parent.name == "mkdocs" or program.name == "properdocs"
    return is_mkdocs and "serve" in argv[1:2]


class _MkDocsStyle(logging.Formatter):
    """``ERROR    -  message``, the layout of MkDocs' own log lines (mkdocs/__main__.py, ColorFormatter)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8} -  {record.getMessage()}"


def logger() -> logging.Logger:
    """The ``k8sdocs`` logger, with one stderr handler in MkDocs' layout (added once)."""
    log = logging.getLogger(LOGGER_NAME)
    if not any(getattr(h, "k8sdocs", False) for h in log.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(_MkDocsStyle())
        handler.k8sdocs = True  # type: ignore[attr-defined]
        log.addHandler(handler)
        log.propagate = False
        log.setLevel(logging.INFO)
    return log


class _QuietMacros(logging.Filter):
    """Drops mkdocs-macros' INFO chatter unless MkDocs is verbose, and its WARNING copy of our error line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return logging.getLogger("mkdocs").isEnabledFor(logging.DEBUG)
        message = record.getMessage()
        return not ("ERROR" in message and ("k8sdocs: " in message or BOX_MARKER in message))


class _ServeDirtyWarning(logging.Filter):
    """Under serve only: drops MkDocs' warning that a dirty build is being performed.

    ``python -m k8sdocs.serve`` runs ``mkdocs serve --dirty`` and rebuilds the pages that need it
    itself (k8sdocs/dirty.py); with ``strict: true`` that warning alone would abort every rebuild.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (serving() and record.getMessage().startswith("A 'dirty' build is being performed"))


def quiet_macros_chatter() -> None:
    """Install the filters on mkdocs-macros' and MkDocs' build loggers (idempotent)."""
    log = logging.getLogger(MACROS_LOGGER)
    if not any(isinstance(f, _QuietMacros) for f in log.filters):
        log.addFilter(_QuietMacros())
    build_log = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _ServeDirtyWarning) for f in build_log.filters):
        build_log.addFilter(_ServeDirtyWarning())


@dataclass(frozen=True)
class ErrorReport:
    page: str      # docs-relative page path
    file: str      # the file to fix (the page itself, a scenario, a manifest)
    field: str     # where in that file ("" when unknown)
    cause: str     # the one-line message
    fix: str       # what to do, in Spanish

    @property
    def line(self) -> str:
        return f"k8sdocs: {self.page}: {self.cause}"


def _chain(error: BaseException) -> list[BaseException]:
    """``error``, the model error a MacroError wraps (``original``), and their causes, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = getattr(current, "original", None) or current.__cause__ or current.__context__
    return seen


def _type_names(error: BaseException) -> set[str]:
    return {c.__name__ for c in type(error).__mro__}


def _fix_for(chain: list[BaseException]) -> str:
    names = set().union(*(_type_names(e) for e in chain))
    if "MissingOptIn" in names:
        return "Añade `render_macros: true` al front matter de la página (entre las líneas `---` del principio)."
    if "ExpectationError" in names:
        return ("El modelo ya no da el resultado que la página afirma: o el cambio del modelo es un error, "
                "o hay que actualizar el texto de la página y su valor `espera=` (y su prueba) juntos.")
    if names & {"ScenarioError", "ManifestError", "QuantityError", "APIError", "UnsupportedKindError"}:
        return ("Corrige ese campo en el archivo indicado y guarda: la página se reconstruye sola. El formato de "
                "los escenarios está en CONTRIBUTING.md, «Añadir un escenario».")
    if names & {"UndefinedError", "TemplateSyntaxError"}:
        return ("Revisa el nombre y la sintaxis de la macro en la página; la lista de macros está en la página "
                "«Contribuir», «Referencia de las macros». Un `{{ }}` literal va entre `{% raw %}` y `{% endraw %}`.")
    if "ContentError" in names or "MacroError" in names:
        return "Corrige la llamada a la macro o el archivo que nombra el mensaje, y guarda."
    return ("Es un error interno del modelo: repite con K8SDOCS_TRACEBACK=1 para ver la traza "
            "y abre una incidencia si no lo causa tu cambio.")


def analyse(error: BaseException, page_path: str, message: str) -> ErrorReport:
    """The report for ``error`` raised while rendering ``page_path``; ``message`` is its one-line text."""
    chain = _chain(error)
    file, field = page_path, ""
    for exc in reversed(chain):  # the innermost error names the most precise place
        f = getattr(exc, "file", None)
        if isinstance(f, str) and f and file == page_path:
            file = f
        w = getattr(exc, "where", None) or getattr(exc, "field", None)
        if isinstance(w, str) and w and not field:
            field = w
    lineno = getattr(error, "lineno", None)
    if not field and isinstance(lineno, int):
        field = f"línea {lineno}"
    return ErrorReport(page_path, _relative(file), field, " ".join(message.split()), _fix_for(chain))


def _relative(file: str) -> str:
    try:
        return Path(file).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return file


def box(report: ErrorReport) -> str:
    """The error box shown in place of the page under serve (raw HTML inside the Markdown, escaped)."""
    rows = [
        ("Página", report.page),
        ("Archivo", report.file),
        ("Campo", report.field or "—"),
        ("Causa", report.cause),
        ("Qué hacer", report.fix),
    ]
    cells = "\n".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return (
        f'<div class="admonition failure {BOX_MARKER}" markdown="0">\n'
        '<p class="admonition-title">Error al construir esta página</p>\n'
        f"<table>\n{cells}\n</table>\n"
        "<p>El servidor sigue en marcha: al guardar el archivo corregido, la página vuelve sola. "
        "<code>make build</code> y <code>make test</code> fallan con este mismo error.</p>\n"
        "</div>\n"
    )


def report(error: BaseException, page: Any, message: str) -> str:
    """Log the one-line error; return what mkdocs-macros puts in the page (the box under serve, else the line).

    Under build, mkdocs-macros stops right after (``on_error_fail``), so the returned text is never published.
    """
    page_path = getattr(getattr(page, "file", None), "src_path", None) or "?"
    info = analyse(error, page_path, message)
    logger().error(info.line)
    return box(info) if serving() else info.line


quiet_macros_chatter()
