"""Spanish sentences for the scheduler decisions (see k8sdocs/render/phrasebook/__init__.py).

Codes and fields: k8sdocs/model/scheduler/component.py (``NODE_SELECTED``, ``FAILED_SCHEDULING``, ``BINDING_FAILED``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def _node_selected(f: Mapping[str, str]) -> str:
    detail = f"puntuación total {f['score']}" if "score" in f else "único nodo factible"
    return f"elige {f['node']} ({detail})"


def _failed_scheduling(f: Mapping[str, str]) -> str:
    return f"no hay nodo: {f['message']}"


def _binding_failed(f: Mapping[str, str]) -> str:
    return f"no pudo vincular {f['pod']} a {f['node']}: {f['error']}"


PHRASES: dict[str, Callable[[Mapping[str, str]], str]] = {
    "NodeSelected": _node_selected,
    "FailedScheduling": _failed_scheduling,
    "BindingFailed": _binding_failed,
}
