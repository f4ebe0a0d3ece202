"""``Obj``: the type of a manifest-shaped dict (``apiVersion``, ``kind``, ``metadata``, ``spec``...).

API objects are the JSON-like dicts ``yaml.safe_load`` gives for a manifest (k8sdocs/ARCHITECTURE.md); their
values are any JSON value, so the alias says only that keys are strings.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Obj: TypeAlias = dict[str, Any]
