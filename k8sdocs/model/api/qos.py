"""Pod QoS class: ``pkg/apis/core/v1/helper/qos/qos.go`` (kubernetes/kubernetes@00c269c7d269989d555b69c295ba88e73e8acf94).

``GetPodQOS`` returns ``status.qosClass`` when set and ``ComputePodQOS`` otherwise. ComputePodQOS only looks at cpu
and memory (``supportedQoSComputeResources``) and only at positive quantities: with ``PodLevelResources`` (beta, on
in v1.35) and pod-level resources set, the pod-level requests/limits decide; otherwise containers and init containers
(not ephemeral ones) are summed, and every one of them must have positive cpu and memory limits for Guaranteed.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from k8sdocs.model.api.resource import is_pod_level_resources_set, resource_list

SUPPORTED_QOS_COMPUTE_RESOURCES = ("cpu", "memory")
GUARANTEED = "Guaranteed"
BURSTABLE = "Burstable"
BEST_EFFORT = "BestEffort"


def _positive(values: Mapping[str, Fraction]) -> dict[str, Fraction]:
    return {k: v for k, v in values.items() if k in SUPPORTED_QOS_COMPUTE_RESOURCES and v > 0}


def compute_pod_qos(pod: Mapping[str, Any], pod_level_resources: bool = True) -> str:
    """``ComputePodQOS``."""
    raw_spec = pod.get("spec")
    spec: Mapping[str, Any] = raw_spec if isinstance(raw_spec, Mapping) else {}
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    if pod_level_resources and is_pod_level_resources_set(pod):
        res: Mapping[str, Any] = spec.get("resources") or {}
        requests = _positive(resource_list(res.get("requests")))
        limits = _positive(resource_list(res.get("limits")))
        if not all(n in limits for n in SUPPORTED_QOS_COMPUTE_RESOURCES):
            guaranteed = False
    else:
        containers = [c for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
                      if isinstance(c, Mapping)]
        for c in containers:
            raw_res = c.get("resources")
            res = raw_res if isinstance(raw_res, Mapping) else {}
            for k, v in _positive(resource_list(res.get("requests"))).items():
                requests[k] = requests.get(k, Fraction(0)) + v
            found = _positive(resource_list(res.get("limits")))
            for k, v in found.items():
                limits[k] = limits.get(k, Fraction(0)) + v
            if not all(n in found for n in SUPPORTED_QOS_COMPUTE_RESOURCES):
                guaranteed = False
    if not requests and not limits:
        return BEST_EFFORT
    if guaranteed:
        for name, req in requests.items():
            if name not in limits or limits[name] != req:
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return GUARANTEED
    return BURSTABLE


def get_pod_qos(pod: Mapping[str, Any]) -> str:
    """``GetPodQOS``: the status field when set, else ComputePodQOS."""
    status = pod.get("status")
    if isinstance(status, Mapping) and status.get("qosClass"):
        return str(status["qosClass"])
    return compute_pod_qos(pod)
