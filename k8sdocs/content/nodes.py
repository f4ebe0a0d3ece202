"""Shared helpers of the node pages (kubelet, kube-proxy, container runtime) and the walkthroughs.

They read a scenario run (``ExampleBook.run``) and pick, from its trace, the events of one Pod or one
node. Nothing here renders a whole page; the topic modules (``kubelet.py``, ``runtime.py``...) do.

Pod conditions as they change are not in the trace (it records that a status was written, not what
was written): pages read them from the store's MVCC history that the run carries (``ClusterRun.history``:
every value of every key, with its revision) through ``observe.object_history`` and ``observe.kind_history``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from k8sdocs.content.errors import ContentError
from k8sdocs.model import observe as ob
from k8sdocs.model.trace import Actor, CRICall, TraceEvent
from k8sdocs.render.markdown import escape_text


def actor_component(actor: str) -> str:
    """``kubelet/node-2`` -> ``kubelet``; ``kube-apiserver`` stays."""
    return Actor.parse(actor).component


def select_pod(events: tuple[TraceEvent, ...] | list[TraceEvent], pod: str | None = None, node: str | None = None) -> str:
    """The ``namespace/name`` of the Pod a page talks about.

    ``pod`` may be ``name`` or ``namespace/name``; without it, the first Pod that got a sandbox (on
    ``node`` if given). A ContentError lists the candidates when nothing matches.
    """
    candidates = ob.pods_with_sandbox(events)
    on_node = ob.pods_with_sandbox(events, node=node) if node else candidates
    if pod:
        wanted = pod if "/" in pod else f"default/{pod}"
        if wanted in on_node:
            return wanted
    elif on_node:
        return on_node[0]
    where = f" en el nodo {node}" if node else ""
    raise ContentError(
        f"no hay ningún Pod {pod or ''} con contenedores{where} en la traza; Pods: {', '.join(candidates) or 'ninguno'}"
    )


def pod_node(events: tuple[TraceEvent, ...] | list[TraceEvent], pod_key: str) -> str:
    node = ob.pod_node(events, pod_key)
    if node is None:
        raise ContentError(f"el Pod {pod_key} no llegó a ejecutarse en ningún nodo")
    return node


def pod_cri_calls(run: Any, pod_key: str) -> list[TraceEvent]:
    """CRI calls the kubelet makes for one Pod, in order, on the node that ran it: sandbox and container
    calls, and the image calls (ImageStatus/PullImage) of its containers, as the runtime recorded them."""
    return ob.cri_calls(run.events, node=pod_node(run.events, pod_key), pod=pod_key)


def cri_service(method: str) -> str:
    return CRICall(method).service


@dataclass(frozen=True)
class KubeEvent:
    """A Kubernetes Event as the trace records it: type, reason and message about an involved object."""

    seq: int
    time_ms: int
    source: str
    involved_kind: str
    involved_name: str
    type: str
    reason: str
    message: str


def kube_events(events: Sequence[TraceEvent], *, kind: str | None = None, name: str | None = None,
                source: str | None = None) -> list[KubeEvent]:
    """The Events about objects of ``kind`` named ``name`` recorded by ``source`` (the full actor), in trace order."""
    out = []
    for ev in ob.kube_events(events, involved_kind=ob.ANY if kind is None else kind,
                             involved_name=ob.ANY if name is None else name, source=ob.ANY if source is None else source):
        assert ev.note is not None and ev.obj is not None
        out.append(KubeEvent(ev.seq, ev.time_ms, ev.source, ev.obj.kind, ev.obj.name, ev.note.type, ev.note.reason,
                             ev.note.message))
    return out


def decimal_es(value: float, digits: int = 2) -> str:
    """A number for Spanish readers: decimal comma, trailing zeros trimmed (``0,33``, ``10``)."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return escape_text(text.replace(".", ","))


def duration_text(ms: int) -> str:
    """A simulated duration for readers: ``400 ms`` below a second, ``1,69 s`` above."""
    from k8sdocs.render.timefmt import format_time

    return f"{ms} ms" if ms < 1000 else format_time(ms)


def span_text(ms: int) -> str:
    """A span of simulated time without a zero seconds part: ``5 min``, ``5 min 50 s``, ``55 s``."""
    from k8sdocs.render.timefmt import format_time

    text = format_time(ms)
    return text[: -len(" 0 s")] if text.endswith(" min 0 s") else text
