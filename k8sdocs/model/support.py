"""What the model simulates: the kinds a scenario may declare, who acts on each, and the defaults it applies.

The API server of the model stores every kind of its registry (``model/resources.py``), but only some
have a component that acts on them. A scenario that declares, say, a DaemonSet would be stored and then
silently do nothing, so :func:`check_scenario_kind` rejects it (``model/scenario.py`` calls it for every
object of a scenario). The «Contribuir» page lists this table, generated from here
(``k8sdocs/content/support.py``), and a test checks each actor against the running model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# kind -> the model's components that act on it. Controller names are the classes of
# model/controllers/ that KubeControllerManager runs; the others are the model's component names.
SCENARIO_KINDS: dict[str, tuple[str, ...]] = {
    "Namespace": ("kube-apiserver (admission NamespaceLifecycle)",),
    "Node": ("kubelet", "kube-scheduler", "NodeLifecycleController", "TaintEvictionController",
             "cloud-controller-manager", "kube-proxy"),
    "Pod": ("kube-scheduler", "kubelet", "PodGCController", "TaintEvictionController"),
    "Deployment": ("DeploymentController",),
    "ReplicaSet": ("ReplicaSetController", "GarbageCollector"),
    "Service": ("EndpointSliceController", "kube-proxy", "cloud-controller-manager"),
    "PriorityClass": ("kube-apiserver (admission Priority)",),
    "ServiceAccount": ("kube-apiserver (admission ServiceAccount)",),
    # Data objects: upstream the kubelet reads them for volumes and env; the model only stores them (model/kubelet/).
    "ConfigMap": ("kube-apiserver (stored; the model's kubelet does not read it)",),
    "Secret": ("kube-apiserver (stored; the model's kubelet does not read it)",),
}


class UnsupportedKindError(ValueError):
    """A scenario declares a kind the model stores but does not simulate."""


def check_scenario_kind(obj: Any) -> None:
    """Raise :class:`UnsupportedKindError` when ``obj`` (a manifest dict) has a kind the model does not simulate."""
    kind = obj.get("kind") if isinstance(obj, dict) else None
    if kind in SCENARIO_KINDS:
        return
    raise UnsupportedKindError(
        f'kind "{kind}" is not simulated by the model (the API server would store it and nothing would act on it); '
        f"kinds a scenario may declare: {', '.join(sorted(SCENARIO_KINDS))}"
    )


# Minimal valid objects whose defaulting the Contribuir page shows (admission.apply_defaults).
_TEMPLATE = {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}
DEFAULTING_SAMPLES: dict[str, dict[str, Any]] = {
    "Pod": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}},
    "Deployment": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                   "spec": {"selector": {"matchLabels": {"app": "a"}}, "template": _TEMPLATE}},
    "ReplicaSet": {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"},
                   "spec": {"selector": {"matchLabels": {"app": "a"}}, "template": _TEMPLATE}},
    "Service": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
                "spec": {"selector": {"app": "a"}, "ports": [{"port": 80}]}},
}


@dataclass(frozen=True)
class Default:
    kind: str
    path: str  # e.g. spec.containers[0].imagePullPolicy
    value: Any


def added_fields(before: Any, after: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path, value) of every leaf present in ``after`` but not in ``before``, in document order."""
    if isinstance(after, dict):
        out: list[tuple[str, Any]] = []
        for key, value in after.items():
            sub = f"{path}.{key}" if path else str(key)
            if not isinstance(before, dict) or key not in before:
                out.append((sub, value))
            else:
                out += added_fields(before[key], value, sub)
        return out
    if isinstance(after, list) and isinstance(before, list):
        out = []
        for i, value in enumerate(after):
            out += added_fields(before[i] if i < len(before) else None, value, f"{path}[{i}]")
        return out
    return [] if before is not None else [(path, after)]


def model_defaults() -> list[Default]:
    """The defaults the model's decoding applies to each sample object (``admission.apply_defaults``)."""
    from k8sdocs.model.admission import apply_defaults

    return [Default(kind, path, value)
            for kind, sample in DEFAULTING_SAMPLES.items()
            for path, value in added_fields(sample, apply_defaults(sample))]


def controllers() -> list[str]:
    """The class names of the controllers the model's kube-controller-manager runs, in its start order."""
    from k8sdocs.model.cluster import Cluster

    cluster = Cluster([])
    cluster.start()
    assert cluster.controller_manager is not None  # created by start()
    return [type(c).__name__ for c in cluster.controller_manager.controllers]
