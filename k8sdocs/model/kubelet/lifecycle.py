"""Pod admission on the node (``pkg/kubelet/lifecycle/predicate.go`` canAdmitPod, ``kubelet.go`` rejectPod).

The model's ``canAdmitPod`` checks only the resource fit of cpu, memory and pods against ``status.allocatable``
(the scheduler's other filters are not re-run). A rejected pod gets phase ``Failed``, reason ``OutOf<resource>`` and message
``Pod was rejected: Node didn't have enough resource: …``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from k8sdocs.model.api import resource as resourcehelper
from k8sdocs.model.api.defaults import SetDefaults_Pod
from k8sdocs.model.objcopy import clone
from k8sdocs.model.quantity import int_value, milli_value

# pkg/kubelet/lifecycle/predicate.go (InsufficientResourceError) and kubelet.rejectPod
MSG_INSUFFICIENT = "Node didn't have enough resource: {resource}, requested: {requested}, used: {used}, capacity: {capacity}"


def pod_requests(pod: dict[str, Any]) -> dict[str, int]:
    """Effective cpu (milli) and memory (bytes) requests, as ``resourcehelper.PodRequests`` computes them (one copy:
    k8sdocs.model.api.resource): containers plus sidecars, or the largest regular init container plus the sidecars
    started before it, whichever is larger; pod-level requests and overhead included. Requests missing next to
    limits are defaulted first, as the API server's ``SetDefaults_Pod`` does."""
    defaulted = clone(pod)
    if isinstance(defaulted.get("spec"), dict):
        SetDefaults_Pod(defaulted)
    reqs = resourcehelper.pod_requests(defaulted)
    cpu, mem = reqs.get("cpu", 0), reqs.get("memory", 0)
    return {"cpu": math.ceil(cpu * 1000), "memory": math.ceil(mem)}


def can_admit_pod(pod: dict[str, Any], admitted: Iterable[dict[str, Any]],
                  allocatable: dict[str, Any]) -> tuple[str, str] | None:
    """None when ``pod`` fits next to the ``admitted`` pods, else the rejection's (reason, message)."""
    used = {"cpu": 0, "memory": 0, "pods": 0}
    for other in admitted:
        r = pod_requests(other)
        used["cpu"] += r["cpu"]
        used["memory"] += r["memory"]
        used["pods"] += 1
    req = pod_requests(pod)
    checks = [("pods", 1, used["pods"], int_value(allocatable["pods"]) if "pods" in allocatable else None),
              ("cpu", req["cpu"], used["cpu"], milli_value(allocatable["cpu"]) if "cpu" in allocatable else None),
              ("memory", req["memory"], used["memory"],
               int_value(allocatable["memory"]) if "memory" in allocatable else None)]
    for name, requested, in_use, capacity in checks:
        if capacity is None or requested == 0 and name != "pods":
            continue
        if requested + in_use > capacity:
            return (f"OutOf{name}", MSG_INSUFFICIENT.format(resource=name, requested=requested, used=in_use,
                                                            capacity=capacity))
    return None
