"""Spanish sentences for the controllers decisions (see k8sdocs/render/phrasebook/__init__.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

PHRASES: dict[str, Callable[[Mapping[str, str]], str]] = {}
