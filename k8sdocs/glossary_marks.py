"""Markdown extension: mark the first use of each glossary concept on a page.

Loaded by mkdocs.yml (``markdown_extensions: - k8sdocs.glossary_marks``). For every concept of
``k8sdocs/content/glossary.yaml`` that has ``tooltip`` forms, the first occurrence of any of its forms in the page's
running text becomes ``<abbr class="k8s-termino" title="<definition> En inglés: <term>." tabindex="0">…</abbr>``.
Later occurrences stay plain text. Never marked: headings, table headers, code, links, admonition titles, details
summaries, diagrams (their fences are stashed as raw HTML, so this processor never sees them) and anything inside an
element with the class ``k8s-sin-terminos`` (the Glosario page's own tables).

``tabindex="0"`` makes the term reachable with the keyboard and focusable by a tap; Material's
``content.tooltips`` shows the ``title`` as a tooltip on hover and on focus, so it works with a mouse, the keyboard
and touch. Without JavaScript the browser shows the ``title`` on hover.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension, Markdown, util
from markdown.treeprocessors import Treeprocessor

from k8sdocs.content.glossary import GLOSSARY_FILE, Concept, concepts

#: Elements whose text (and descendants) is never marked.
SKIP_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "th", "code", "pre", "kbd", "a", "abbr", "summary",
                       "script", "style", "button", "svg"})
SKIP_CLASSES = frozenset({"admonition-title", "k8s-sin-terminos", "mermaid", "highlight"})
MARK_CLASS = "k8s-termino"
# Python-Markdown's placeholder for stashed raw HTML (markdown.util.HTML_PLACEHOLDER).
_PLACEHOLDER = util.HTML_PLACEHOLDER_RE
_RAW_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b")
_RAW_CLOSE = re.compile(r"</([A-Za-z][A-Za-z0-9]*)\s*>")


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    by_form: dict[str, Concept]


def build_pattern(items: list[Concept]) -> _Pattern:
    """One regex for every form (longest first, so «entorno de ejecución de contenedores» beats «entorno de ejecución»)."""
    by_form: dict[str, Concept] = {}
    for c in items:
        for form in c.forms:
            for variant in (form, form[:1].upper() + form[1:]):
                by_form[variant] = c
    forms = sorted(by_form, key=lambda f: (-len(f), f))
    regex = re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
    return _Pattern(regex, by_form)


def _skipped(el: etree.Element) -> bool:
    return el.tag in SKIP_TAGS or bool(SKIP_CLASSES & set((el.get("class") or "").split()))


class FirstUseMarker(Treeprocessor):
    """Wrap the first use of each concept in an ``abbr`` carrying its definition and English name."""

    def __init__(self, md: Markdown, pattern: _Pattern) -> None:
        super().__init__(md)
        self.pattern = pattern

    def run(self, root: etree.Element) -> None:
        marked: set[str] = set()  # English names of the concepts already marked on this page
        self._walk(root, marked)

    def _eligible_ranges(self, text: str) -> list[tuple[int, int]]:
        """Parts of ``text`` outside inline raw HTML that opens a skipped element (``<code>…</code>`` written by a
        macro reaches this processor as two stashed tags with plain text between them)."""
        ranges: list[tuple[int, int]] = []
        depth, pos = 0, 0
        for m in _PLACEHOLDER.finditer(text):
            if depth == 0 and m.start() > pos:
                ranges.append((pos, m.start()))
            raw = self._stashed(int(m.group(1)))
            opening, closing = _RAW_OPEN.match(raw), _RAW_CLOSE.match(raw)
            if opening and opening.group(1).lower() in SKIP_TAGS and not raw.rstrip().endswith("/>"):
                depth += 1
            elif closing and closing.group(1).lower() in SKIP_TAGS and depth:
                depth -= 1
            pos = m.end()
        if depth == 0 and pos < len(text):
            ranges.append((pos, len(text)))
        return ranges

    def _stashed(self, index: int) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        raw = blocks[index] if 0 <= index < len(blocks) else ""
        return raw if isinstance(raw, str) else ""

    def _split(self, text: str, marked: set[str]) -> tuple[str, list[etree.Element]]:
        """``text`` cut at the first use of each concept not marked yet: leading text and the new elements."""
        found: list[tuple[int, int, Concept]] = []
        for lo, hi in self._eligible_ranges(text):
            for m in self.pattern.regex.finditer(text, lo, hi):
                concept = self.pattern.by_form[m.group(1)]
                after = text[m.end():].lstrip()
                if concept.en in marked or any(after.startswith(w) for w in concept.not_before):
                    continue
                marked.add(concept.en)
                found.append((m.start(), m.end(), concept))
        if not found:
            return text, []
        pieces: list[etree.Element] = []
        head = text[:found[0][0]]
        for k, (a, b, concept) in enumerate(found):
            mark = etree.Element("abbr", {"class": MARK_CLASS, "title": concept.title, "tabindex": "0"})
            mark.text = text[a:b]
            mark.tail = text[b:found[k + 1][0]] if k + 1 < len(found) else text[b:]
            pieces.append(mark)
        return head, pieces

    def _walk(self, el: etree.Element, marked: set[str]) -> None:
        if _skipped(el):
            return
        if el.text:
            el.text, new = self._split(el.text, marked)
            for i, node in enumerate(new):
                el.insert(i, node)
        i = 0
        while i < len(el):
            child = el[i]
            if child.get("class") == MARK_CLASS and child.tag == "abbr":
                i += 1
                continue
            self._walk(child, marked)
            if child.tail:
                child.tail, new = self._split(child.tail, marked)
                for j, node in enumerate(new, start=1):
                    el.insert(i + j, node)
                i += len(new)
            i += 1


# MkDocs makes a Markdown instance per page, and reading and checking glossary.yaml took ~12 ms each (a fifth of
# a warm build's CPU, and of every serve rebuild): the pattern is kept while the file's mtime and size stay.
_PATTERNS: dict[tuple[str, int, int], _Pattern] = {}


def glossary_pattern() -> _Pattern:
    """``build_pattern(concepts())``, computed again only when glossary.yaml changes."""
    try:
        stat = GLOSSARY_FILE.stat()
    except OSError:
        return build_pattern(concepts())  # load_glossary says what is wrong
    key = (str(GLOSSARY_FILE), stat.st_mtime_ns, stat.st_size)
    if key not in _PATTERNS:
        pattern = build_pattern(concepts())
        _PATTERNS.clear()
        _PATTERNS[key] = pattern
    return _PATTERNS[key]


class GlossaryMarksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After "inline" (20), so text nodes are final; before "prettify" (10) and "unescape" (0).
        md.treeprocessors.register(FirstUseMarker(md, glossary_pattern()), "k8sdocs_glossary_marks", 15)


def makeExtension(**kwargs: object) -> GlossaryMarksExtension:  # noqa: N802 - Python-Markdown's entry point name
    return GlossaryMarksExtension(**kwargs)
