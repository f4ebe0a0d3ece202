"""The glossary (es ↔ en): the Glosario page's tables and the terms that pages mark on first use.

Data: ``k8sdocs/content/glossary.yaml``, the only copy. Each entry may list ``tooltip`` concepts: Spanish forms, the
English name and a short Spanish definition. ``k8sdocs/glossary_marks.py`` (a Markdown extension) marks the first use
of each concept on each page with that text; the Glosario page shows the same data as tables.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError
from k8sdocs.render.markdown import escape_text, table

GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")


@dataclass(frozen=True)
class Concept:
    """One marked concept: its Spanish forms (singular, plural…), English name and short Spanish definition."""

    forms: tuple[str, ...]
    en: str
    definition: str
    not_before: tuple[str, ...] = ()  # a form followed by one of these words is another concept: left unmarked

    @property
    def title(self) -> str:
        """The tooltip text: the definition, then the English term."""
        return f"{self.definition} En inglés: {self.en}."


@dataclass(frozen=True)
class Term:
    en: str
    es: str
    avoid: str
    tooltip: tuple[Concept, ...]


def _text_list(value: object, where: str, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{where}: «{field}» debe ser una lista de textos no vacíos")
    return tuple(v.strip() for v in value)


def _concepts(value: object, where: str) -> tuple[Concept, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ContentError(f"{where}: «tooltip» debe ser una lista de conceptos (formas, en, definicion)")
    out = []
    for j, c in enumerate(value, start=1):
        here = f"{where}, concepto {j}"
        if not isinstance(c, dict):
            raise ContentError(f"{here}: debe ser un mapa con formas, en y definicion")
        unknown = sorted(set(map(str, c)) - {"formas", "en", "definicion", "no_antes_de"})
        if unknown:
            raise ContentError(f"{here}: campos desconocidos: {', '.join(unknown)}")
        if not isinstance(c.get("en"), str) or not isinstance(c.get("definicion"), str) or not c["definicion"].strip():
            raise ContentError(f"{here}: necesita «en» y «definicion» (textos)")
        not_before = _text_list(c["no_antes_de"], here, "no_antes_de") if "no_antes_de" in c else ()
        out.append(Concept(_text_list(c.get("formas"), here, "formas"), c["en"].strip(), c["definicion"].strip(),
                           not_before))
    return tuple(out)


def load_glossary(path: Path = GLOSSARY_FILE) -> list[Term]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ContentError(f"no se puede leer el glosario {path}: {err}") from None
    if not isinstance(data, list):
        raise ContentError(f"{path}: el glosario debe ser una lista")
    terms = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not item.get("en") or not item.get("es"):
            raise ContentError(f"{path}: la entrada {i} necesita «en» y «es»")
        unknown = sorted(set(map(str, item)) - {"en", "es", "evitar", "tooltip"})
        if unknown:  # e.g. an unquoted comma inside a {flow: mapping} makes a stray key
            raise ContentError(f"{path}: la entrada {i} ({item['en']}) tiene campos desconocidos: {', '.join(unknown)}")
        terms.append(Term(str(item["en"]), str(item["es"]), str(item.get("evitar") or ""),
                          _concepts(item.get("tooltip"), f"{path}: la entrada {i} ({item['en']})")))
    return terms


def _sort_key(text: str) -> str:
    """Alphabetical order for Spanish readers: accents do not change the order (á sorts as a)."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def glossary_table(book: ExampleBook, orden: str = "es") -> str:
    """The glossary as a table, sorted by the Spanish term (``orden="es"``) or by the English one (``"en"``)."""
    terms = load_glossary()
    if orden not in ("es", "en"):
        raise ContentError(f"orden debe ser «es» o «en», no {orden!r}")
    if orden == "es":
        terms = sorted(terms, key=lambda t: _sort_key(t.es))
        headers = ["Español (se usa en el sitio)", "Inglés", "Evitar / notas"]
        rows = [[f"**{escape_text(t.es)}**", f"*{escape_text(t.en)}*", escape_text(t.avoid) or "—"] for t in terms]
    else:
        terms = sorted(terms, key=lambda t: _sort_key(t.en))
        headers = ["Inglés", "Español (se usa en el sitio)"]
        rows = [[f"*{escape_text(t.en)}*", f"**{escape_text(t.es)}**"] for t in terms]
    return table(headers, rows)


def concepts(terms: list[Term] | None = None) -> list[Concept]:
    """Every marked concept, in glossary order; a form (any capitalisation of its first letter) belongs to one only."""
    out: list[Concept] = []
    owner: dict[str, str] = {}
    for t in terms if terms is not None else load_glossary():
        for c in t.tooltip:
            for form in c.forms:
                for variant in (form, form[:1].upper() + form[1:]):
                    if variant in owner and owner[variant] != c.en:
                        raise ContentError(f"el término {variant!r} tiene dos traducciones: {owner[variant]!r} y {c.en!r}")
                    owner[variant] = c.en
            out.append(c)
    return out


def tooltips(terms: list[Term] | None = None) -> dict[str, str]:
    """Surface form -> English name, each form also with a capital first letter (sentence start)."""
    return {variant: c.en for c in concepts(terms) for form in c.forms
            for variant in (form, form[:1].upper() + form[1:])}


def definitions_table(book: ExampleBook) -> str:
    """The concepts marked in the pages: Spanish forms, English name and the definition the tooltip shows."""
    rows = [[", ".join(f"**{escape_text(f)}**" for f in c.forms), f"*{escape_text(c.en)}*", escape_text(c.definition)]
            for c in sorted(concepts(), key=lambda c: _sort_key(c.forms[0]))]
    return table(["Término", "Inglés", "Definición"], rows)


def concept_count(book: ExampleBook) -> str:
    """How many concepts the pages mark (each at most once per page)."""
    return str(len(concepts()))


MACROS = {
    "glosario_tabla": glossary_table,
    "glosario_definiciones": definitions_table,
    "glosario_num_conceptos": concept_count,
}
