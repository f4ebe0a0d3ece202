"""The playground widget's HTML, and the report as HTML (for the build and for the reader's browser alike).

:func:`report_html` turns the Markdown of ``k8sdocs.render.scheduling.report`` into HTML with Python-Markdown,
the library MkDocs uses, and the same two extensions the report needs (``tables``, ``admonition``). It runs at
build time for the report the widget shows first, and in the browser (Pyodide) after every "Planificar": one
function, so the page never carries a second copy of the wording.
"""

from __future__ import annotations

import html

import markdown
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.tables import TableExtension

from k8sdocs.render.markdown import admonition, code

ERROR_TITLE = "Los manifiestos no son válidos"


def report_html(report_markdown: str | None, error: str | None = None) -> str:
    """HTML of a report, or of one error line (shown as the build shows it, in a «failure» block)."""
    if error is not None:
        text = admonition("failure", ERROR_TITLE, code(error) + "\n")
    else:
        text = report_markdown or ""
    converter = markdown.Markdown(extensions=[TableExtension(), AdmonitionExtension()], output_format="html")
    return converter.convert(text)


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def _textarea(ident: str, label: str, file: str, text: str) -> str:
    rows = min(max(text.count("\n") + 1, 6), 24)
    return (
        f'<label class="k8s-playground__label" for="{_attr(ident)}">{html.escape(label)} '
        f"(<code>{html.escape(file)}</code>)</label>\n"
        f'<textarea id="{_attr(ident)}" class="k8s-playground__text" data-file="{_attr(file)}" rows="{rows}" '
        f'spellcheck="false" autocomplete="off" autocapitalize="off">{html.escape(text)}</textarea>\n'
    )


def widget(*, key: str, nodes: str, pod: str, seed: int, until_ms: int, nodes_file: str, pod_file: str,
           initial_html: str | None, compact: bool) -> str:
    """The widget as one raw-HTML block.

    Without JavaScript the form (a compact widget entirely) is not shown: a ``<noscript>`` rule in
    ``overrides/main.html`` hides it, so a reader sees only the build's report. With JavaScript it is drawn from the
    start (no ``hidden`` to lift after loading, which moved the page: Lighthouse's layout shift), and
    ``docs/javascripts/playground.js`` starts the Web Worker on "Planificar".
    """
    ident = "prueba-" + "".join(ch if ch.isalnum() else "-" for ch in key.lower())
    form = (
        '<form class="k8s-playground__form">\n'
        + _textarea(f"{ident}-nodos", "Nodos y Pods ya colocados", nodes_file, nodes)
        + _textarea(f"{ident}-pod", "Pod que se planifica", pod_file, pod)
        + '<p class="k8s-playground__actions">'
        '<button type="submit" class="md-button md-button--primary">Planificar</button> '
        '<button type="reset" class="md-button">Restaurar</button> '
        '<progress class="k8s-playground__progress" hidden></progress> '
        '<span class="k8s-playground__status" role="status" aria-live="polite"></span></p>\n'
        "</form>\n"
    )
    result = (
        f'<div class="k8s-playground__result" id="{_attr(ident)}-resultado" tabindex="0" role="region" '
        f'aria-label="Resultado de la planificación">\n{initial_html or ""}\n</div>\n'
    )
    data = f'data-seed="{int(seed)}" data-until-ms="{int(until_ms)}"'
    if compact:
        return (
            f'<details class="k8s-playground k8s-playground--compact" {data}>\n'
            "<summary>Pruébalo: cambia los manifiestos y vuelve a planificar</summary>\n"
            + form + result + "</details>\n"
        )
    return f'<div class="k8s-playground" {data}>\n' + form + result + "</div>\n"
