"""The macro reference of the Contribuir page, generated from the registered macros themselves.

Every macro a page can call is listed with its signature (without the ``ExampleBook`` the adapter binds)
and the first paragraph of its docstring, so the reference cannot fall behind the code.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError
from k8sdocs.content.fidelity import rst_to_markdown
from k8sdocs.render.markdown import code, table


@dataclass(frozen=True)
class MacroDoc:
    name: str
    signature: str  # "name(a, b=None)"
    module: str  # "k8sdocs.content.kubelet"
    summary: str  # first docstring paragraph, one line


def macro_signature(name: str, fn: Callable[..., Any]) -> str:
    """``name(arg, opt=default)``: the page-facing signature (the first parameter, the book, is bound by the adapter)."""
    params = list(inspect.signature(fn).parameters.values())[1:]
    parts = []
    for p in params:
        if p.default is inspect.Parameter.empty:
            parts.append(p.name)
        else:
            parts.append(f"{p.name}={p.default!r}")
    return f"{name}({', '.join(parts)})"


def macro_docs(macros: dict[str, Callable[..., Any]] | None = None) -> list[MacroDoc]:
    """One entry per registered macro, sorted by macro name."""
    if macros is None:
        from k8sdocs.content.registry import content_macros

        macros = content_macros()
    docs = []
    for name in sorted(macros):
        fn = macros[name]
        doc = inspect.getdoc(fn) or ""
        summary = " ".join(doc.split("\n\n", 1)[0].split())
        docs.append(MacroDoc(name, macro_signature(name, fn), fn.__module__, summary))
    return docs


def macro_reference(book: ExampleBook, modulo: str | None = None) -> str:
    """The table of every registered macro (or only those of ``modulo``, e.g. ``"kubelet"``): signature, module, docstring."""
    docs = macro_docs()
    if modulo is not None:
        docs = [d for d in docs if d.module == f"k8sdocs.content.{modulo}"]
        if not docs:
            raise ContentError(f"el módulo k8sdocs.content.{modulo} no registra macros")
    rows = [[code(d.signature), code(d.module.removeprefix("k8sdocs.content.")),
             rst_to_markdown(d.summary) if d.summary else "*(sin docstring: falta documentarla)*"] for d in docs]
    return table(["Macro y argumentos", "Módulo", "Qué devuelve (docstring, en inglés)"], rows)


def macro_count(book: ExampleBook) -> str:
    """How many macros are registered (for a sentence of the Contribuir page)."""
    return str(len(macro_docs()))


MACROS = {
    "referencia_macros": macro_reference,
    "referencia_num_macros": macro_count,
}
