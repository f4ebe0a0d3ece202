"""NodeName (upstream pkg/scheduler/framework/plugins/nodename/node_name.go@6f137b77): when spec.nodeName is set,
every other node is rejected (UnschedulableAndUnresolvable)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status
from k8sdocs.model.scheduler.framework.types import NodeInfo

NAME = "NodeName"
# node_name.go ErrReason.
ERR_REASON = "node(s) didn't match the requested node name"


class NodeName:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        pass

    def sign_pod(self, pod: Mapping[str, Any]) -> str:
        return str((pod.get("spec") or {}).get("nodeName") or "")

    def filter(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> Status:
        node_name = (pod.get("spec") or {}).get("nodeName") or ""
        if not node_name or node_name == node_info.name:
            return Status()
        return Status(Code.UnschedulableAndUnresolvable, (ERR_REASON,))
