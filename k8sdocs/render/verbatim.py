"""Files shown exactly as written: already-escaped HTML that no Markdown extension touches (issue 15, item 6).

A fenced block is still read by Markdown preprocessors: ``pymdownx.snippets`` replaces a ``--8<-- "file"``
line with that file's text even inside a fence, so a manifest could pull any file into a page. These helpers
emit the block as raw HTML instead, every ``<``, ``>`` and ``&`` escaped by Pygments (so no ``--8<--``, tag
or entity survives as such), at column 0 so Python-Markdown stashes it whole. The markup is the one
``pymdownx.highlight`` writes (``<div class="language-yaml highlight"><pre><span></span><code>``), so
Material styles it and adds its copy button as for any other block.
"""

from __future__ import annotations

import html

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound


def verbatim_block(text: str, language: str = "text") -> str:
    """A highlighted code block as raw HTML, one line per source line; the text is shown exactly."""
    body = text if text.endswith("\n") else text + "\n"
    try:
        lexer = get_lexer_by_name(language, stripnl=False, ensurenl=True)
        code = highlight(body, lexer, HtmlFormatter(nowrap=True))
    except ClassNotFound:
        code = html.escape(body, quote=False)
    # Markdown must not see a blank line (it would end the raw HTML block) nor a line it could read as syntax:
    # newlines become character references inside <code>, so the whole block is one line of HTML.
    code = code.replace("\n", "&#10;")
    return f'<div class="language-{html.escape(language)} highlight"><pre><span></span><code>{code}</code></pre></div>\n'


def verbatim_details(title: str, parts: list[tuple[str, str]], kind: str = "example", open_: bool = False) -> str:
    """A collapsible block (the ``<details>`` pymdownx.details writes) holding ``(caption, verbatim block)`` pairs.

    ``caption`` is already-escaped inline HTML (e.g. ``<code>escenarios/x.yaml</code>:``)."""
    opened = " open" if open_ else ""
    inner = "".join(f"<p>{caption}</p>\n{block}" for caption, block in parts)
    return f'<details class="{html.escape(kind)}"{opened}>\n<summary>{html.escape(title)}</summary>\n{inner}</details>\n'
