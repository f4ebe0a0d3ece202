"""Shared pieces of the build-time SVG diagrams: inert text, label wrapping, the scrollable figure.

Diagrams are drawn at their natural size: the ``width``/``height`` attributes equal the ``viewBox``, so one
user unit is one CSS pixel and the text keeps the font size written here (never below ``MIN_FONT_PX``). A
diagram wider than the text column scrolls sideways inside its frame (keyboard-focusable), it never shrinks.

Text is monospace so that its width is known at build time (every glyph advances ``CHAR_EM`` em in the
monospace fonts browsers use: DejaVu Sans Mono, Menlo, Consolas, Liberation Mono), and every label is
XML-escaped inert text: nothing in an object name can add an element, an attribute or a directive.
Colours come from attributes (black on white, for the standalone file) that the site's stylesheet overrides
with Material's palette variables (``.k8s-svg`` rules in docs/stylesheets/k8sdocs.css), so the same SVG
follows the light and dark themes.
"""

from __future__ import annotations

import hashlib
import re
from xml.sax.saxutils import escape as _xml_escape

MIN_FONT_PX = 12
FONT_PX = 13
CHAR_EM = 0.62  # a little more than the 0.60 em advance of common monospace fonts: labels never overflow
LINE_PX = 18
FONT_FAMILY = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace"
MAX_LABEL_CHARS = 160  # longer labels end in "…" and keep the full text in a <title> (tooltip)
ELLIPSIS = "…"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Break opportunities inside a long word: after these characters only (never in the middle of a word).
_BREAK_AFTER = "/.-=,:"


def xml_text(text: str) -> str:
    """Text for an XML element or attribute: ``& < > " '`` escaped, control characters dropped."""
    return _xml_escape(_CONTROL.sub("", text), {'"': "&quot;", "'": "&#39;"})


def clean(text: str) -> str:
    """One line of text: whitespace runs folded into one space, control characters dropped."""
    return " ".join(_CONTROL.sub("", str(text)).split())


def capped(text: str, limit: int = MAX_LABEL_CHARS) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters with an ellipsis; the flag says whether it was cut."""
    text = clean(text)
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + ELLIPSIS, True


def _split_word(word: str, width: int) -> list[str]:
    """Pieces of a word no longer than ``width``, cut after ``/ . - = , :`` where possible."""
    pieces: list[str] = []
    while len(word) > width:
        cut = max((word.rfind(ch, 0, width) for ch in _BREAK_AFTER), default=-1)
        cut = cut + 1 if cut > 0 else width
        pieces.append(word[:cut])
        word = word[cut:]
    if word:
        pieces.append(word)
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap into lines of at most ``width`` characters (long words cut after punctuation)."""
    lines: list[str] = []
    current = ""
    for word in clean(text).split(" "):
        for piece in _split_word(word, width):
            if not current:
                current = piece
            elif len(current) + 1 + len(piece) <= width:
                current += " " + piece
            else:
                lines.append(current)
                current = piece
    if current or not lines:
        lines.append(current)
    return lines


def text_width(chars: int, font_px: float = FONT_PX) -> float:
    """Width in CSS px of ``chars`` monospace characters at ``font_px``."""
    return chars * font_px * CHAR_EM


def num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing ``.0`` (stable text for byte-identical output)."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def text_lines(x: float, y: float, lines: list[str], anchor: str = "middle", css: str = "k8s-label",
               full: str | None = None, font_px: int = FONT_PX, weight: str | None = None) -> str:
    """A ``<text>`` with one ``<tspan>`` per line, first baseline at ``y``; ``full`` adds a ``<title>``."""
    assert font_px >= MIN_FONT_PX
    attrs = f'x="{num(x)}" y="{num(y)}" text-anchor="{anchor}" class="{css}" fill="#1a1a1a"'
    if font_px != FONT_PX:
        attrs += f' font-size="{font_px}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    title = f"<title>{xml_text(full)}</title>" if full else ""
    spans = "".join(
        f'<tspan x="{num(x)}" dy="{0 if i == 0 else LINE_PX}">{xml_text(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f"<text {attrs}>{title}{spans}</text>"


def svg_document(width: float, height: float, body: list[str], title: str, desc: str, kind: str) -> str:
    """The ``<svg>`` element: natural size (width/height = viewBox), ``role="img"`` named by its title and desc.

    Ids come from a hash of the drawing, so two different diagrams on one page never share an id.
    """
    title, desc = clean(title), clean(desc)
    digest = hashlib.sha256("\n".join([title, desc, *body]).encode("utf-8")).hexdigest()[:10]
    ident = f"k8s-{kind}-{digest}"
    w, h = num(width), num(height)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="k8s-svg k8s-{kind}" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="{xml_text(FONT_FAMILY)}" font-size="{FONT_PX}" data-k8s-diagram="{ident}">'
    )
    lines = [
        head,
        f'<title id="{ident}-t">{xml_text(title)}</title>',
        f'<desc id="{ident}-d">{xml_text(desc)}</desc>',
        f'<rect class="k8s-bg" width="{w}" height="{h}" fill="#ffffff"/>',
        *body,
        "</svg>",
    ]
    return "\n".join(lines)


_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([0-9.]+)" height="([0-9.]+)"')


def frame_style(svg: str) -> str:
    """The frame's inline style: ``content-visibility: auto`` with the drawing's size as its placeholder size.

    A diagram off screen is then neither styled nor laid out (its hundreds of SVG elements would be, on each of
    the full style recalculations Material's script triggers while a page loads: issue 10, item 7, Lighthouse
    mobile), and the placeholder keeps the page exactly as tall, so nothing moves when it is drawn. The text stays
    in the DOM and in the accessibility tree (screen readers and the search index still read it); ``auto``
    remembers the drawn size after the first time.
    """
    size = _SVG_SIZE.search(svg)
    if size is None:
        return "content-visibility:auto"
    return f"content-visibility:auto;contain-intrinsic-size:auto {size.group(1)}px auto {size.group(2)}px"


def figure(svg: str, label: str) -> str:
    """The HTML block a page shows: the SVG at natural size inside a horizontally scrollable, focusable frame.

    Every line starts with ``<`` (no Markdown or snippet syntax can start a line) and the block has no blank
    line, so Python-Markdown keeps it as one raw HTML block. k8sdocs/hooks.py adds the link that opens the
    diagram on its own (a standalone .svg file). The frame is rendered only near the viewport (frame_style).
    """
    return (
        '\n<figure class="k8s-diagram">\n'
        f'<div class="k8s-diagram__scroll" tabindex="0" role="region" aria-label="{xml_text(clean(label))}" '
        f'style="{frame_style(svg)}">\n'
        f"{svg}\n"
        "</div>\n"
        "</figure>\n\n"
    )
