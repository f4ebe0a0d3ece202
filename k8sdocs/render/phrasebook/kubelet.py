"""Spanish sentences for the kubelet decisions (see k8sdocs/render/phrasebook/__init__.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping


def _node_stopped(f: Mapping[str, str]) -> str:
    return f"el nodo {f['node']} deja de responder (fallo simulado)"


def _node_recovered(f: Mapping[str, str]) -> str:
    return f"el nodo {f['node']} vuelve a responder"


def _pod_admission_rejected(f: Mapping[str, str]) -> str:
    # kubelet.go rejectPod; ``reason`` is the Event's (OutOfcpu, OutOfmemory, OutOfpods)
    return f"rechaza el Pod {f['pod']} en la admisión: {f['reason']}"


PHRASES: dict[str, Callable[[Mapping[str, str]], str]] = {
    "NodeStopped": _node_stopped,
    "NodeRecovered": _node_recovered,
    "PodAdmissionRejected": _pod_admission_rejected,
}
