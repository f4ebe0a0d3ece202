"""Former home of the Mermaid renderer; the site no longer ships Mermaid (diagrams are SVG drawn at build
time by ``k8sdocs.render.sequence`` and ``k8sdocs.render.flowchart``).

Only ``format_time`` is left here, re-exported so that content modules written against the old import
keep working; new code imports it from ``k8sdocs.render.timefmt``.
"""

from __future__ import annotations

from k8sdocs.render.timefmt import format_time

__all__ = ["format_time"]
