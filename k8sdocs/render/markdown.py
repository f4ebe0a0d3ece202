"""Markdown building blocks with escaping: tables, inline code, code blocks, collapsible blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Literal

Align = Literal["left", "right", "center"]

_CODE_SPECIAL = frozenset("|`*_[]{}\\~")

_ALIGN_MARK: dict[Align, str] = {"left": ":--", "right": "--:", "center": ":-:"}


def escape_text(value: object) -> str:
    """Escape a value for plain Markdown text inside a table cell or a paragraph.

    HTML-escapes ``& < >`` (no markup can be injected), escapes the Markdown characters that
    would start emphasis, code, links or break a table cell, and folds newlines into spaces.
    """
    text = html.escape(str(value), quote=False)
    text = " ".join(text.split())
    out = []
    for ch in text:
        if ch in "\\`*_[]|#{}":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def code(value: object) -> str:
    """Inline code that survives backticks and pipes in the value.

    Inside a table, Python-Markdown splits cells on ``|`` even within backticks, so code spans are
    emitted as HTML ``<code>`` with the content HTML-escaped and ``|`` as an entity.
    """
    text = html.escape(" ".join(str(value).split()), quote=True)
    # Markdown still parses inline syntax inside raw <code>: neutralise every character that could
    # start emphasis, a link, a code span, a table cell or an attribute list.
    text = "".join(f"&#{ord(ch)};" if ch in _CODE_SPECIAL else ch for ch in text)
    return f"<code>{text}</code>"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[Align] | None = None) -> str:
    """A pipe table. ``headers`` and ``rows`` must already be escaped cell text (see ``escape_text``/``code``)."""
    if align is None:
        align = ["left"] * len(headers)
    if len(align) != len(headers):
        raise ValueError("align must have one entry per column")
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, table has {len(headers)} columns: {row!r}")
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(_ALIGN_MARK[a] for a in align) + " |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")


def camel_breaks(escaped: str) -> str:
    """Already-escaped text with ``<wbr>`` at its CamelCase boundaries (Node|Resources|Fit), so wide tables fit."""
    return _CAMEL_BOUNDARY.sub("<wbr>", escaped)


def camel_code(value: str) -> str:
    """Inline code (HTML) that may wrap at its CamelCase boundaries (``<wbr>``): plugin and condition names
    (``PodReadyToStartContainers``) in a wide table, whose code text is at least 12 px on a phone."""
    return "<code>" + camel_breaks(html.escape(value, quote=True).replace("|", "&#124;")) + "</code>"


def code_block(text: str, language: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run inside the text."""
    longest = 0
    run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{fence}{language}\n{body}{fence}\n"


def details(title: str, body: str, kind: str = "question", open_: bool = False) -> str:
    """A collapsible block (pymdownx.details): ``??? kind "title"`` with the body indented."""
    marker = "???+" if open_ else "???"
    safe_title = title.replace('"', "&quot;")
    indented = "\n".join(("    " + line) if line else "" for line in body.rstrip("\n").split("\n"))
    return f'{marker} {kind} "{safe_title}"\n\n{indented}\n'


def admonition(kind: str, title: str, body: str) -> str:
    """A non-collapsible admonition (``!!! kind "title"``) with a Spanish title."""
    safe_title = title.replace('"', "&quot;")
    indented = "\n".join(("    " + line) if line else "" for line in body.rstrip("\n").split("\n"))
    return f'!!! {kind} "{safe_title}"\n\n{indented}\n'
