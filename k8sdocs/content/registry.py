"""The macros the content layer offers: every ``MACROS`` entry of the modules in ``k8sdocs.content``.

Lives in the content layer so that both the MkDocs adapter (``k8sdocs/macros.py``) and the macro reference
table (``content/reference.py``) read it without the content layer importing the adapter (issue #14, item 4).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Callable

from k8sdocs.content.errors import ContentError


def content_macros() -> dict[str, Callable[..., str]]:
    """Every ``MACROS`` entry of the modules in ``k8sdocs.content``, sorted by module name."""
    import k8sdocs.content as package

    found: dict[str, Callable[..., str]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, fn in getattr(module, "MACROS", {}).items():
            if name in found:
                raise ContentError(f"la macro {name} está definida dos veces (k8sdocs.content.{info.name})")
            found[name] = fn
    return found
