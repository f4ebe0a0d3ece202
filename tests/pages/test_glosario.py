"""The Glosario page (BUILT site) and the glossary marks: each concept marked once per page, at its first use,
never in headings, table headers or code (k8sdocs/glossary_marks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import Tag

from k8sdocs.content import glossary
from k8sdocs.glossary_marks import MARK_CLASS, SKIP_CLASSES, SKIP_TAGS, build_pattern
from support.built_html import find_table, is_text, md_table, read_page, select, soup, text_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page(built_site: Path) -> str:
    return read_page(built_site, "glosario")


@pytest.mark.parametrize("orden", ["es", "en"])
def test_glossary_tables_equal_the_data(page, orden):
    expected = md_table(glossary.glossary_table(None, orden=orden))
    table = find_table(page, expected)
    assert table == expected
    assert len(table) - 1 == len(glossary.load_glossary())


def test_glossary_terms(page):
    expected = md_table(glossary.glossary_table(None, orden="es"))
    rows = {row[0]: row[1] for row in find_table(page, expected)[1:]}
    assert rows["planificador (kube-scheduler)"] == "kube-scheduler / scheduler"
    assert rows["plano de control"] == "control plane"
    assert f"estos {len(glossary.concepts())} términos" in text_of(page)
    defs = find_table(page, [["Término", "Inglés", "Definición"]])
    assert len(defs) - 1 == len(glossary.concepts())


#: Classes whose text is never marked: glossary_marks.SKIP_CLASSES, and the heading's permalink.
_SKIP_CLASSES = SKIP_CLASSES | {"headerlink"}


@dataclass
class _Article:
    """The article's text in document order, split into (text, context): "mark" for a term mark, "skip" inside
    headings, table headers, code, links, summaries, admonition titles and the Glosario's unmarked block, else "text".
    Also every mark's attributes and, for a mark inside a forbidden element, that element's tag."""

    chunks: list[tuple[str, str]] = field(default_factory=list)
    marks: list[dict[str, str]] = field(default_factory=list)
    bad_marks: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, page_html: str) -> "_Article":
        found = cls()
        for article in soup(page_html).find_all("article"):
            if article.find_parent("article") is None:
                found._walk(article, skip=False, mark=False)
        return found

    def _walk(self, node: Tag, skip: bool, mark: bool) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                classes = set(child.get_attribute_list("class"))
                is_mark = child.name == "abbr" and MARK_CLASS in classes
                if is_mark:
                    self.marks.append({k: " ".join(v) if isinstance(v, list) else v for k, v in child.attrs.items()})
                    if skip:
                        self.bad_marks.append(node.name)
                child_skip = skip or child.name in (SKIP_TAGS - {"abbr"}) or bool(classes & _SKIP_CLASSES)
                self._walk(child, child_skip, mark or is_mark)
            elif is_text(child):
                self.chunks.append((str(child), "mark" if mark else "skip" if skip else "text"))


def _nav_pages() -> list[Path]:
    return sorted(p for p in (ROOT / "docs").rglob("*.md") if "escenarios" not in p.parts)


def _html_of(site: Path, md: Path) -> str:
    rel = md.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return ((site / "index.html") if rel == "index" else (site / rel / "index.html")).read_text(encoding="utf-8")


def test_each_concept_is_marked_at_its_first_use_only(built_site):
    """On every page: at most one mark per concept, none inside headings/th/code/links; the mark is the concept's
    first occurrence in the marked-eligible text; a concept that occurs in that text is marked."""
    pattern = build_pattern(glossary.concepts())
    total = 0
    for md in _nav_pages():
        parser = _Article.of(_html_of(built_site, md))
        page = md.relative_to(ROOT).as_posix()
        assert parser.bad_marks == [], f"{page}: marks inside {parser.bad_marks}"
        seen: dict[str, str] = {}  # concept -> "mark" or "text": how its first eligible occurrence looked
        for data, context in parser.chunks:
            if context == "skip":
                continue
            for m in pattern.regex.finditer(data):
                concept = pattern.by_form[m.group(1)]
                after = data[m.end():].lstrip()
                if any(after.startswith(w) for w in concept.not_before):
                    continue
                if concept.en not in seen:
                    seen[concept.en] = context
                elif context == "mark":
                    pytest.fail(f"{page}: {concept.en!r} marked again after its first use")
        unmarked_first = sorted(k for k, v in seen.items() if v != "mark")
        assert unmarked_first == [], f"{page}: first use not marked: {unmarked_first}"
        titles = [a.get("title") or "" for a in parser.marks]
        assert len(titles) == len({t for t in titles}), f"{page}: a concept marked twice"
        assert all(a.get("tabindex") == "0" for a in parser.marks), f"{page}: a mark cannot take the keyboard focus"
        assert all(re.search(r"\. En inglés: [^.]+\.$", t) for t in titles), page
        total += len(titles)
    assert total > 50  # the rule is exercised on real pages


def test_architecture_marks_few_terms_and_none_in_headings(built_site):
    html = read_page(built_site, "arquitectura")
    marks = select(html, f"abbr.{MARK_CLASS}")
    assert 5 <= len(marks) <= len(glossary.concepts())  # issue #10: 43 dotted underlines before
    assert select(html, f":is(h1, h2, h3, h4, h5, h6) .{MARK_CLASS}") == []
    assert select(html, "pre abbr") == []
    assert any(m.get("tabindex") == "0" and str(m.get("title", "")).startswith("La parte del clúster que lo gestiona")
               for m in marks)


def test_glossary_page_tables_are_not_marked(page):
    body = page[page.index('class="k8s-sin-terminos"'):]
    assert "k8s-termino" not in body
