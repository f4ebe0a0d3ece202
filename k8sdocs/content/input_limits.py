"""The «Límites» section of the Contribuir page: the caps of ``model/limits.py``, generated from the code.

The model names each limit in English (``Limit.name``) and keeps its number; the Spanish wording of the limit and
of its value lives here, keyed by that name (the model holds no reader text, k8sdocs/ARCHITECTURE.md).
"""

from __future__ import annotations

from typing import Callable

from k8sdocs.content.book import ExampleBook
from k8sdocs.model.limits import LIMITS_TABLE, Limit
from k8sdocs.render.markdown import escape_text, table


def _kib(n: int) -> str:
    return f"{n // 1024} KiB"


def _ki(n: int) -> str:
    return f"{n // 1024} Ki"


def _minutes(ms: int) -> str:
    return f"{ms // 60_000} min"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _int32(n: int) -> str:
    return f"0 … {n} (`int32`)"


#: Per limit name: (what it limits, its value as the page words it: a fixed text, or a function of the number).
DESCRIPTIONS: dict[str, tuple[str, str | Callable[[int], str]]] = {
    "file size": ("Tamaño de un archivo de escenario, manifiesto o casos", _kib),
    "YAML anchors and aliases": ("Anclas y alias de YAML (`&a`, `*a`)", "no se admiten"),
    "YAML nesting depth": ("Profundidad de anidamiento de un documento YAML", str),
    "items of one collection": ("Elementos de una lista o de un mapa", str),
    "characters of one scalar": ("Caracteres de un valor de texto", _ki),
    "digits of one integer": ("Cifras de un número entero", str),
    "file encoding": ("Codificación de los archivos", "UTF-8"),
    "replicas int32": ("`replicas`", _int32),
    "replicas": ("`replicas` de una carga o de un paso `scale`", str),
    "pods of one scenario": ("Pods que pide un escenario (Pods sueltos más todas las `replicas` que escribe)", str),
    "nodes of one scenario": ("Nodos de un escenario", str),
    "steps of one scenario": ("Pasos (`steps`) de un escenario", str),
    "duration syntax": ("Duraciones (`until`, `at`)", "sintaxis y desbordamiento de `time.ParseDuration` de Go"),
    "simulated time": ("Tiempo simulado (`until` y cada `at`)", _minutes),
    "clock callbacks": ("Trabajo simulado por escenario (llamadas del reloj simulado)", _thousands),
}


def _cell(text: str) -> str:
    """Escaped text, keeping the `code` spans the table's Spanish wording uses."""
    parts = text.split("`")
    return "".join(f"<code>{escape_text(p)}</code>" if i % 2 else escape_text(p) for i, p in enumerate(parts))


def describe(lim: Limit) -> tuple[str, str]:
    """``(what, value)`` in Spanish; a limit without a description is a KeyError (a test checks every one)."""
    what, value = DESCRIPTIONS[lim.name]
    if isinstance(value, str):
        return what, value
    if lim.value is None:
        raise ValueError(f"limit {lim.name!r} has no number to word")
    return what, value(lim.value)


def limits_table(book: ExampleBook) -> str:
    """Every limit a scenario, manifest or case file must respect, with its value and who sets it."""
    rows = []
    for lim in LIMITS_TABLE:
        what, value = describe(lim)
        rows.append([_cell(what), _cell(value), "Kubernetes" if lim.source == "Kubernetes" else "el modelo"])
    return table(["Límite", "Valor", "Lo fija"], rows)


MACROS = {"limites_entrada": limits_table}
