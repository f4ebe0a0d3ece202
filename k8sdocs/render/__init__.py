"""Renderers: turn model results into Markdown, Mermaid and SVG text in Spanish.

Renderers are pure functions of model results: no I/O, no MkDocs, byte-identical output for the
same input. Every value that comes from a manifest or from the model is escaped before it is
placed in Markdown or HTML, so a `|`, a backtick or a `<` in a name, label or annotation cannot
break a table or inject markup.
"""
