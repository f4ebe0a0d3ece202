"""NodePorts (upstream pkg/scheduler/framework/plugins/nodeports/node_ports.go@53f1b9d6): PreFilter collects the pod's
host ports (Skip when there are none); Filter rejects a node where one conflicts (HostPortInfo.CheckConflict:
same protocol and port, and the same host IP or 0.0.0.0 on either side)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8sdocs.model.scheduler.framework.interface import PreFilterResult
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status
from k8sdocs.model.scheduler.framework.types import NodeInfo, pod_host_ports

NAME = "NodePorts"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
# node_ports.go ErrReason.
ERR_REASON = "node(s) didn't have free ports for the requested pod ports"


class NodePorts:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        pass

    def pre_filter(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status]:
        ports = pod_host_ports(pod)
        if not ports:
            return None, Status(Code.Skip)
        state.write(PRE_FILTER_STATE_KEY, ports)
        return None, Status()

    def sign_pod(self, pod: Mapping[str, Any]) -> tuple[Any, ...]:
        return pod_host_ports(pod)

    def filter(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> Status:
        try:
            ports = state.read(PRE_FILTER_STATE_KEY)
        except KeyError:
            ports = pod_host_ports(pod)
        if node_info.port_conflict(ports):  # type: ignore[arg-type]
            return Status(Code.Unschedulable, (ERR_REASON,))
        return Status()
