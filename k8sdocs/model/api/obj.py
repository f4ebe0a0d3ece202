"""``Obj``: the type of a manifest-shaped dict (``apiVersion``, ``kind``, ``metadata``, ``spec``...).

API objects are the JSON-like dicts ``yaml.safe_load`` gives for a manifest (k8sdocs/ARCHITECTURE.md); their
values are any JSON value, so the alias says only that keys are strings.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Obj: TypeAlias = dict[str, Any]


def as_obj(value: object) -> Obj:
    """``value`` if it is a mapping, else a new empty one (a missing or mistyped field reads as empty)."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    """``value`` if it is a list, else a new empty one."""
    return value if isinstance(value, list) else []
