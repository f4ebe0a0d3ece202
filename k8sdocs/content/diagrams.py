"""Hand-written diagrams in a page: a chain of steps written in the page, drawn as SVG at build time.

``{{ diagrama_cadena("Autenticación", "Autorización", ..., titulo="...", ciclo=false) }}`` draws the steps top
to bottom with arrows (``ciclo=true`` adds the arrow from the last step back to the first). The labels stay in
the page's source, where the prose that explains them is, and are drawn by ``k8sdocs.render.flowchart``.
"""

from __future__ import annotations

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError
from k8sdocs.render.flowchart import chain_figure

MAX_STEPS = 20


def chain(book: ExampleBook, *pasos: str, titulo: str = "", ciclo: bool = False) -> str:
    """A vertical chain of ``pasos`` (strings); ``titulo`` names the diagram for screen readers."""
    del book  # drawn from the page's own text, not from a scenario run
    if not pasos or len(pasos) > MAX_STEPS:
        raise ContentError(f"diagrama_cadena necesita entre 1 y {MAX_STEPS} pasos, no {len(pasos)}")
    if not all(isinstance(p, str) and p.strip() for p in pasos):
        raise ContentError("diagrama_cadena: cada paso debe ser un texto no vacío")
    if not isinstance(titulo, str) or not titulo.strip():
        raise ContentError("diagrama_cadena necesita titulo=\"…\" (el nombre del diagrama para lectores de pantalla)")
    if not isinstance(ciclo, bool):
        raise ContentError("diagrama_cadena: ciclo debe ser true o false")
    return chain_figure(list(pasos), title=titulo, loop=ciclo)


MACROS = {"diagrama_cadena": chain}
