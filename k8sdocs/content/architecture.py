"""The architecture page: the eight components, with "habla con" derived from a scenario's trace."""

from __future__ import annotations

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.components import ComponentRow, component_rows
from k8sdocs.render.markdown import code, escape_text, table

HEADERS = ["Componente", "Plano", "Función", "Habla con", "Puerto", "Proceso"]

#: How the page names a component or peer when it differs from the model's identifier (glosario: one Spanish term).
DISPLAY = {"container runtime": "entorno de ejecución de contenedores"}


def display_name(name: str) -> str:
    return DISPLAY.get(name, name)


def rows(book: ExampleBook, escenario: str) -> tuple[ComponentRow, ...]:
    """The model's component rows for the trace of ``escenario``."""
    return component_rows(book.run(escenario).events)


def component_table(book: ExampleBook, escenario: str = "despliegue-basico.yaml") -> str:
    """The table of the eight components; "Habla con" lists who each one sends requests to in ``escenario``."""
    cells = [
        [
            f"**{escape_text(display_name(r.componente))}**",
            escape_text(r.plano),
            escape_text(r.funcion),
            ", ".join(escape_text(display_name(p)) for p in r.habla_con) or "—",
            escape_text(r.puerto),
            code(r.proceso) if r.proceso.replace("-", "").isalnum() else escape_text(r.proceso),
        ]
        for r in rows(book, escenario)
    ]
    return table(HEADERS, cells)


MACROS = {"tabla_componentes": component_table}
