"""mkdocs-macros adapter for the k8sdocs site (``plugins: macros: modules: [k8sdocs.macros]``).

Placeholder: it registers nothing yet. The macros that turn model results into tables and
diagrams land in later work; they belong here as thin wrappers over ``k8sdocs.model`` and
``k8sdocs.render``. Pages opt in with ``render_macros: true`` in their front matter
(mkdocs.yml sets ``render_by_default: false``, ``on_undefined: strict`` and
``on_error_fail: true``, so an unknown or failing macro stops the build).
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Called by mkdocs-macros once per build; nothing to register yet."""
    del env
