"""Shared helpers of the node pages (kubelet, kube-proxy, container runtime) and the walkthroughs.

They read a scenario run (``ExampleBook.run``) and pick, from its trace, the events of one Pod or one
node. Nothing here renders a whole page; the topic modules (``kubelet.py``, ``runtime.py``...) do.

Pod conditions as they change are not in the trace (it records that a status was written, not what
was written), so :func:`history_run` reads the store's MVCC history that the run carries
(``ClusterRun.history``: every value of every key, with its revision).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError
from k8sdocs.model.trace import TraceEvent
from k8sdocs.render.markdown import escape_text

# staging/src/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto: the ImageService methods; every other
# CRI call belongs to RuntimeService.
IMAGE_SERVICE_METHODS = ("ImageStatus", "PullImage", "ListImages", "RemoveImage", "ImageFsInfo")


@dataclass(frozen=True)
class HistoryRun:
    """A scenario run plus the store's history (``(revision, key, value or None when deleted)``)."""

    run: Any
    history: tuple[tuple[int, str, dict | None], ...]


def history_run(book: ExampleBook, escenario: str) -> HistoryRun:
    """The scenario's run (the book's, computed once per build) with its store history as tuples."""
    run = book.run(escenario)
    history = tuple(
        (ev.revision, ev.kv.key, None if ev.type == "DELETE" else ev.kv.value)
        for ev in run.history
        if ev.kv.key.startswith("/registry/")
    )
    return HistoryRun(run, history)


def actor_component(actor: str) -> str:
    """``kubelet/node-2`` -> ``kubelet``; ``kube-apiserver`` stays."""
    return actor.split("/", 1)[0]


def actor_node(actor: str) -> str:
    return actor.split("/", 1)[1] if "/" in actor else ""


def pods_in_trace(events: tuple[TraceEvent, ...] | list[TraceEvent]) -> list[str]:
    """``namespace/name`` of every pod that got a sandbox, in order of RunPodSandbox."""
    seen: list[str] = []
    for ev in events:
        if ev.kind == "cri" and ev.summary.startswith("RunPodSandbox "):
            key = ev.summary.split(" ", 1)[1]
            if key not in seen:
                seen.append(key)
    return seen


def select_pod(events: tuple[TraceEvent, ...] | list[TraceEvent], pod: str | None = None, node: str | None = None) -> str:
    """The ``namespace/name`` of the Pod a page talks about.

    ``pod`` may be ``name`` or ``namespace/name``; without it, the first Pod that got a sandbox (on
    ``node`` if given). A ContentError lists the candidates when nothing matches.
    """
    candidates = pods_in_trace(events)
    if node:
        on_node = [p for p in candidates if any(
            ev.kind == "cri" and ev.target == f"container-runtime/{node}" and ev.summary == f"RunPodSandbox {p}"
            for ev in events)]
    else:
        on_node = candidates
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
    for ev in events:
        if ev.kind == "cri" and ev.summary == f"RunPodSandbox {pod_key}":
            return actor_node(ev.target)
    raise ContentError(f"el Pod {pod_key} no llegó a ejecutarse en ningún nodo")


def _own_calls(events: tuple[TraceEvent, ...] | list[TraceEvent], target: str, pod_key: str) -> list[TraceEvent]:
    """CRI calls whose subject names the pod (sandbox calls) or one of its containers (``ns/pod/container``)."""
    parts = pod_key.split("/")
    return [ev for ev in events if ev.kind == "cri" and ev.target == target
            and (ev.summary.split(" ", 1) + [""])[1].split("/")[:2] == parts]


def _pod_container_images(run: Any, pod_key: str) -> dict[str, str]:
    ns, name = pod_key.split("/", 1)
    obj = run.get("Pod", name, ns)
    if obj is None:
        return {}
    spec = obj.get("spec", {})
    return {c["name"]: c["image"] for c in spec.get("initContainers", []) + spec.get("containers", [])}


def _image_claims(run: Any, node: str) -> dict[int, str]:
    """Which pod each ImageStatus/PullImage call on ``node`` belongs to (trace seq -> ``ns/name``).

    Image calls name only the image. ``startContainer`` (kuberuntime_container.go) ensures the image right
    before ``CreateContainer``, and pulls are served in request order (serialized puller), so for each
    container, in the order pods got their sandbox, the first unclaimed ``ImageStatus`` and ``PullImage`` of its
    image between the pod's previous own call and its ``CreateContainer`` are that container's.
    """
    events = run.events
    target = f"container-runtime/{node}"
    image_calls = [ev for ev in events if ev.kind == "cri" and ev.target == target
                   and ev.summary.split(" ", 1)[0] in IMAGE_SERVICE_METHODS]
    claims: dict[int, str] = {}
    for pod_key in [p for p in pods_in_trace(events) if pod_node(events, p) == node]:
        images = _pod_container_images(run, pod_key)
        previous = 0
        for ev in _own_calls(events, target, pod_key):
            method, _, subject = ev.summary.partition(" ")
            if method == "CreateContainer":
                # a deleted Pod is no longer in the run's objects: then the first ImageStatus names the image
                image = images.get(subject.split("/")[-1])
                for wanted in ("ImageStatus", "PullImage"):
                    for call in image_calls:
                        method_, _, image_ = call.summary.partition(" ")
                        if (previous < call.seq < ev.seq and call.seq not in claims and method_ == wanted
                                and (image is None or image_ == image)):
                            claims[call.seq] = pod_key
                            image = image_
                            break
            previous = ev.seq
    return claims


def pod_cri_calls(run: Any, pod_key: str) -> list[TraceEvent]:
    """CRI calls the kubelet makes for one Pod, in order.

    Sandbox and container calls name the pod; image calls (ImageStatus/PullImage) name only the image and
    are attributed by :func:`_image_claims`.
    """
    events = run.events
    node = pod_node(events, pod_key)
    target = f"container-runtime/{node}"
    own = {ev.seq for ev in _own_calls(events, target, pod_key)}
    claims = _image_claims(run, node)
    return [ev for ev in events if ev.seq in own or claims.get(ev.seq) == pod_key]


def cri_service(method: str) -> str:
    return "ImageService" if method in IMAGE_SERVICE_METHODS else "RuntimeService"


@dataclass(frozen=True)
class KubeEvent:
    """A Kubernetes Event as the trace records it: ``<type> <reason> <message>`` on ``<kind>/<name>``."""

    time_ms: int
    source: str
    involved: str
    type: str
    reason: str
    message: str


def kube_events(events: tuple[TraceEvent, ...] | list[TraceEvent], involved: str | None = None,
                source_prefix: str | None = None) -> list[KubeEvent]:
    out = []
    for ev in events:
        if ev.kind != "event":
            continue
        if involved is not None and ev.target != involved:
            continue
        if source_prefix is not None and not ev.source.startswith(source_prefix):
            continue
        parts = ev.summary.split(" ", 2) + ["", ""]
        out.append(KubeEvent(ev.time_ms, ev.source, ev.target, parts[0], parts[1], parts[2]))
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
