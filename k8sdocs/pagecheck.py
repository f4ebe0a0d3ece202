"""A page that calls a macro must opt in with ``render_macros: true`` (issue 12, item 6).

Without the opt-in mkdocs-macros leaves the page alone (mkdocs.yml: ``render_by_default: false``) and
the reader would see the raw ``{{ tabla_componentes(...) }}``. Only calls of the site's own macros
count: the ``{{ }}`` of Go and Helm templates that pages quote are not calls of a registered name.
Under build the page fails with one line; under serve the page shows the error box.
"""

from __future__ import annotations

import re
from typing import Any

from k8sdocs.report import report, serving

# ``{{ name(`` or ``{{- name(``: a Jinja expression that starts with a call.
MACRO_CALL = re.compile(r"\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")
ERROR_MACRO = 100  # mkdocs-macros' exit status for a macro error (mkdocs_macros/plugin.py, ERROR_MACRO)


class MissingOptIn(Exception):
    """A page calls a macro but has no ``render_macros: true``."""

    def __init__(self, macro: str, line: int) -> None:
        super().__init__(f"la página llama a la macro {macro}() (línea {line}) pero no tiene "
                         "`render_macros: true` en el front matter, así que se publicaría sin calcular")
        self.field = f"línea {line}"


def first_macro_call(markdown: str, macros: set[str]) -> tuple[str, int] | None:
    """(name, 1-based line) of the first call of one of ``macros`` in ``markdown``, or None."""
    for match in MACRO_CALL.finditer(markdown):
        if match.group(1) in macros:
            return match.group(1), markdown.count("\n", 0, match.start()) + 1
    return None


def _front_matter_lines(page: Any, body: str) -> int:
    """Lines before ``body`` in the page's file (its front matter), so the line number is the file's."""
    try:
        source = page.file.content_string
    except (AttributeError, OSError, UnicodeDecodeError):
        return 0
    return source.count("\n", 0, len(source) - len(body)) if source.endswith(body) else 0


def check_opt_in(env: Any, page: Any) -> None:
    """Fail the build (or, under serve, replace the page by the error box) when the opt-in is missing."""
    if (page.meta or {}).get("render_macros") is True:
        return
    body = env.markdown or ""
    found = first_macro_call(body, set(env.macros))
    if found is None:
        return
    error = MissingOptIn(found[0], found[1] + _front_matter_lines(page, body))
    text = report(error, page, str(error))
    if not serving():
        raise SystemExit(ERROR_MACRO)
    env.markdown = text
