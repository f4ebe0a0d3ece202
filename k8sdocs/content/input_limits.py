"""The «Límites» section of the Contribuir page: the caps of ``model/limits.py``, generated from the code."""

from __future__ import annotations

from k8sdocs.content.book import ExampleBook
from k8sdocs.model.limits import LIMITS_TABLE
from k8sdocs.render.markdown import escape_text, table


def _cell(text: str) -> str:
    """Escaped text, keeping the `code` spans the table's Spanish wording uses."""
    parts = text.split("`")
    return "".join(f"<code>{escape_text(p)}</code>" if i % 2 else escape_text(p) for i, p in enumerate(parts))


def limits_table(book: ExampleBook) -> str:
    """Every limit a scenario, manifest or case file must respect, with its value and who sets it."""
    rows = [[_cell(lim.what), _cell(lim.value), "Kubernetes" if lim.source == "Kubernetes" else "el modelo"]
            for lim in LIMITS_TABLE]
    return table(["Límite", "Valor", "Lo fija"], rows)


MACROS = {"limites_entrada": limits_table}
