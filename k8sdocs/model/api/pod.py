"""Pod helpers of ``pkg/api/v1/pod/util.go`` (kubernetes/kubernetes@959795b430c6b44a24bc75745f5e94a0f90b56ed and later).

``FindPort`` (a Service targetPort → container port; named ports also in sidecars, i.e. init containers with
``restartPolicy: Always``), ``IsPodReady`` / ``IsPodAvailable`` (Ready for longer than minReadySeconds:
``lastTransitionTime + minReadySeconds`` strictly before ``now``), ``IsPodTerminal`` / ``IsPodPhaseTerminal``, ``UpdatePodCondition``,
``IsRestartableInitContainer`` and the readiness-gate check (``status/generate.go`` ``ArePodReadinessGatesTrue``...).
Times are epoch milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sdocs.model.api.gotime import parse_time_ms


class PortNotFoundError(LookupError):
    """FindPort's ``no suitable port for manifest: <uid>``."""


def _spec(pod: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = pod.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _status(pod: Mapping[str, Any]) -> Mapping[str, Any]:
    status = pod.get("status")
    return status if isinstance(status, Mapping) else {}


def is_restartable_init_container(init_container: Mapping[str, Any] | None) -> bool:
    return isinstance(init_container, Mapping) and init_container.get("restartPolicy") == "Always"


def find_port(pod: Mapping[str, Any], svc_port: Mapping[str, Any]) -> int:
    """``FindPort``: an int targetPort as it is; a named one looked up by name and protocol."""
    target = svc_port.get("targetPort")
    protocol = svc_port.get("protocol") or ""
    if isinstance(target, str):
        containers = list(_spec(pod).get("containers") or [])
        containers += [c for c in _spec(pod).get("initContainers") or [] if is_restartable_init_container(c)]
        for container in containers:
            for port in (container or {}).get("ports") or []:
                if (port.get("name") or "") == target and (port.get("protocol") or "") == protocol:
                    return int(port.get("containerPort") or 0)
    elif isinstance(target, int) and not isinstance(target, bool):
        return target
    elif target is None:
        return 0  # intstr zero value: Type Int, IntVal 0
    uid = ((pod.get("metadata") or {}).get("uid")) or ""
    raise PortNotFoundError(f"no suitable port for manifest: {uid}")


def get_pod_condition(status: Mapping[str, Any] | None, condition_type: str) -> Mapping[str, Any] | None:
    """``GetPodConditionFromList`` over ``status.conditions``."""
    for c in (status or {}).get("conditions") or []:
        if isinstance(c, Mapping) and c.get("type") == condition_type:
            return c
    return None


def is_pod_ready_condition_true(status: Mapping[str, Any] | None) -> bool:
    c = get_pod_condition(status, "Ready")
    return c is not None and c.get("status") == "True"


def is_pod_ready(pod: Mapping[str, Any]) -> bool:
    return is_pod_ready_condition_true(_status(pod))


def is_pod_available(pod: Mapping[str, Any], min_ready_seconds: int, now_ms: int | None) -> bool:
    """``IsPodAvailable``: ready, and minReadySeconds is 0 or the Ready transition + minReadySeconds is before now."""
    if not is_pod_ready(pod):
        return False
    if min_ready_seconds == 0:
        return True
    since = parse_time_ms((get_pod_condition(_status(pod), "Ready") or {}).get("lastTransitionTime"))
    return since is not None and now_ms is not None and since + min_ready_seconds * 1000 < now_ms


def is_pod_phase_terminal(phase: str | None) -> bool:
    return phase in ("Failed", "Succeeded")


def is_pod_terminal(pod: Mapping[str, Any]) -> bool:
    return is_pod_phase_terminal(_status(pod).get("phase"))


def are_pod_readiness_gates_true(pod: Mapping[str, Any]) -> bool:
    """Every ``spec.readinessGates[].conditionType`` has a condition with status True."""
    for gate in _spec(pod).get("readinessGates") or []:
        c = get_pod_condition(_status(pod), str((gate or {}).get("conditionType") or ""))
        if c is None or c.get("status") != "True":
            return False
    return True


def update_pod_condition(status: dict[str, Any], condition: Mapping[str, Any], now: str) -> bool:
    """``UpdatePodCondition``: add ``condition`` (lastTransitionTime ``now``) or replace the condition of its type,
    keeping the old lastTransitionTime when the status is unchanged; True if anything (status, reason, message,
    lastProbeTime, lastTransitionTime) changed. Changes ``status`` in place."""
    new = dict(condition, lastTransitionTime=now)
    conditions = status.setdefault("conditions", [])
    for i, old in enumerate(conditions):
        if old.get("type") != new.get("type"):
            continue
        if new.get("status") == old.get("status"):
            new["lastTransitionTime"] = old.get("lastTransitionTime")
        equal = all(new.get(k) == old.get(k) for k in ("status", "reason", "message", "lastProbeTime",
                                                       "lastTransitionTime"))
        conditions[i] = new
        return not equal
    conditions.append(new)
    return True
