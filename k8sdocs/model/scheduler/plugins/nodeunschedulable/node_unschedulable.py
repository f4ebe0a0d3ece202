"""NodeUnschedulable (upstream pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go@09b2e8f6):
a node with spec.unschedulable is rejected (UnschedulableAndUnresolvable) unless the pod tolerates
``node.kubernetes.io/unschedulable:NoSchedule``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sdocs.model.scheduler.framework.signature import spec_fragment
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status
from k8sdocs.model.scheduler.framework.types import NodeInfo

from ..helper.taints import tolerations_tolerate_taint

NAME = "NodeUnschedulable"
# node_unschedulable.go ErrReasonUnschedulable.
ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"
_UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class NodeUnschedulable:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        pass

    def sign_pod(self, pod: Mapping[str, Any]) -> str:
        return spec_fragment(pod, "tolerations")

    def filter(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> Status:
        if not node_info.unschedulable:
            return Status()
        tolerations = (pod.get("spec") or {}).get("tolerations") or []
        if tolerations_tolerate_taint(tolerations, _UNSCHEDULABLE_TAINT, ignore_errors=True):
            return Status()
        return Status(Code.UnschedulableAndUnresolvable, (ERR_REASON_UNSCHEDULABLE,))
