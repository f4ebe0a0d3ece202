"""Registration and node status (``pkg/kubelet/kubelet_node_status.go``, ``pkg/kubelet/nodestatus/setters.go``).

* ``registerWithAPIServer`` creates the Node (``POST /api/v1/nodes``) from the node's manifest, with the well-known
  labels and ``status`` filled by the setters (conditions MemoryPressure, DiskPressure, PIDPressure, Ready in that
  order, capacity/allocatable, addresses, nodeInfo, images, daemonEndpoints). If the Node exists it takes it over.
* ``tryUpdateNodeStatus`` computes the status every ``nodeStatusUpdateFrequency`` (10 s) and posts it only when it
  changed or when ``nodeStatusReportFrequency`` (5 min) has passed (``content/en/docs/reference/node/node-status.md``),
  through ``nodeutil.PatchNodeStatus`` (base = the node lister's copy, no GET).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sdocs.model.clock import Clock
from k8sdocs.model.objcopy import clone
from k8sdocs.model.runtime import ContainerRuntime
from k8sdocs.model.strategicpatch import create_two_way_merge_patch

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.client import Client

#: ``nodeStatusUpdateFrequency`` default 10s; ``nodeStatusReportFrequency`` default 5m (node-status.md).
NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000
NODE_STATUS_REPORT_FREQUENCY_MS = 300_000
#: kubelet API port (``ports-and-protocols.md``: TCP 10250 Kubelet API).
KUBELET_PORT = 10250


def internal_ip(node_manifest: dict[str, Any]) -> str:
    for a in (node_manifest.get("status", {}) or {}).get("addresses", []) or []:
        if a.get("type") == "InternalIP":
            return str(a.get("address", ""))
    return ""


def node_status(node_name: str, node_manifest: dict[str, Any], previous: dict[str, Any] | None, now: str,
                images: list[dict[str, Any]]) -> dict[str, Any]:
    """The node status setters (``pkg/kubelet/nodestatus/setters.go``), in kubelet's order."""
    base = clone(node_manifest.get("status", {}) or {})
    # The machine's resources come from the Node manifest (scenario.py requires them, issue #12); the model
    # reports capacity = allocatable when only one is written (SetDefaults_NodeStatus copies capacity).
    capacity = base.get("capacity") or dict(base.get("allocatable") or {})
    allocatable = base.get("allocatable") or dict(capacity)
    if not allocatable:
        raise ValueError(f"Node {node_name}: status.allocatable: Required value: the model invents no machine resources")
    prev_conds = {c["type"]: c for c in (previous or {}).get("conditions", [])}

    def cond(ctype: str, status: str, reason: str, message: str) -> dict[str, Any]:
        old = prev_conds.get(ctype)
        transition = old["lastTransitionTime"] if old and old.get("status") == status and old.get(
            "lastTransitionTime") else now
        return {"type": ctype, "status": status, "lastHeartbeatTime": now, "lastTransitionTime": transition,
                "reason": reason, "message": message}

    conditions = [
        cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
    addresses = base.get("addresses") or []
    if not any(a.get("type") == "Hostname" for a in addresses):
        addresses = list(addresses) + [{"type": "Hostname", "address": node_name}]
    node_info = {
        "architecture": "amd64", "bootID": "", "containerRuntimeVersion": "containerd://2.1.4",
        "kernelVersion": "6.8.0", "kubeProxyVersion": "", "kubeletVersion": "v1.35.0",
        "machineID": "", "operatingSystem": "linux", "osImage": "Ubuntu 24.04 LTS", "systemUUID": "",
    }
    node_info.update(base.get("nodeInfo") or {})
    return {
        "capacity": capacity,
        "allocatable": allocatable,
        "conditions": conditions,
        "addresses": addresses,
        "daemonEndpoints": {"kubeletEndpoint": {"Port": KUBELET_PORT}},
        "nodeInfo": node_info,
        "images": images,
    }


def _comparable(status: dict[str, Any]) -> dict[str, Any]:
    s = clone(status)
    for c in s.get("conditions", []):
        c.pop("lastHeartbeatTime", None)
    return s


class NodeStatus:
    """The kubelet's Node: registration, the node lister's copy (``node``) and status updates."""

    def __init__(self, node_name: str, node_manifest: dict[str, Any], client: Client, clock: Clock,
                 runtime: ContainerRuntime) -> None:
        self.node_name = node_name
        self.node_manifest = node_manifest
        self.client = client
        self.clock = clock
        self.runtime = runtime
        self.node: dict[str, Any] | None = None   # the node lister's copy
        self._last_status_report_ms = -1
        self._last_reported: dict[str, Any] | None = None

    def _status(self, previous: dict[str, Any] | None) -> dict[str, Any]:
        return node_status(self.node_name, self.node_manifest, previous, self.clock.timestamp(),
                           self.runtime.node_images())

    def node_event(self, reason: str, message: str) -> None:
        """Events about the node use kubelet's nodeRef: kind Node, name and UID both the node name."""
        ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": self.node_name, "uid": self.node_name}}
        self.client.record_event(ref, "Normal", reason, message)

    def register(self) -> None:
        """``registerWithAPIServer`` with ``initialNode``'s labels."""
        node = clone(self.node_manifest)
        node.setdefault("apiVersion", "v1")
        node.setdefault("kind", "Node")
        meta = node.setdefault("metadata", {})
        labels = meta.setdefault("labels", {})
        # well-known labels the kubelet sets on registration (pkg/kubelet/kubelet_node_status.go initialNode:
        # LabelHostname, LabelOSStable, LabelArchStable, kubeletapis.LabelOS, kubeletapis.LabelArch)
        labels.setdefault("kubernetes.io/hostname", self.node_name)
        labels.setdefault("kubernetes.io/os", "linux")
        labels.setdefault("kubernetes.io/arch", "amd64")
        labels.setdefault("beta.kubernetes.io/os", "linux")
        labels.setdefault("beta.kubernetes.io/arch", "amd64")
        node["status"] = self._status(None)
        # the setters create MemoryPressure/DiskPressure/PIDPressure and record their transitions
        # (recordNodeStatusEvent: "Node %s status is now: %s"); then the container manager enforces allocatable
        for reason in ("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"):
            self.node_event(reason, f"Node {self.node_name} status is now: {reason}")
        self.node_event("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods")
        try:
            created = self.client.create(node)
        except Exception as err:  # AlreadyExists: take the existing Node over
            if getattr(err, "code", None) != 409:
                raise
            created = self.client.get("Node", self.node_name)
        self.node = created
        if not created.get("status", {}).get("conditions"):
            self._post(node["status"])
        else:
            self._last_reported = _comparable(created.get("status", {}))
            self._last_status_report_ms = self.clock.now_ms

    def _post(self, status: dict[str, Any]) -> None:
        # tryUpdateNodeStatus: the original node comes from the node lister; PatchNodeStatus sends the two-way
        # strategic-merge patch from its status to the new one (no resourceVersion precondition)
        original = (self.node or {}).get("status") or {}
        patch = {"status": create_two_way_merge_patch(original, status)}
        try:
            self.node = self.client.patch_status("Node", self.node_name, patch)
        except Exception as err:
            if getattr(err, "code", None) == 404:
                return  # the Node was deleted: kubelet only registers once, at start-up (registrationCompleted)
            raise
        self._last_reported = _comparable(status)
        self._last_status_report_ms = self.clock.now_ms

    def update(self, force: bool = False) -> None:
        """tryUpdateNodeStatus: post only on change or when the report period has expired."""
        previous = (self.node or {}).get("status")
        status = self._status(previous)
        expired = self.clock.now_ms - self._last_status_report_ms >= NODE_STATUS_REPORT_FREQUENCY_MS
        if force or expired or _comparable(status) != self._last_reported:
            # the condition setters record an event when an existing condition changes status (setters.go)
            old = {c.get("type"): c.get("status") for c in (previous or {}).get("conditions", [])}
            for ctype, reason in (("MemoryPressure", "NodeHasSufficientMemory"), ("DiskPressure", "NodeHasNoDiskPressure"),
                                  ("PIDPressure", "NodeHasSufficientPID"), ("Ready", "NodeReady")):
                new_status = next(c["status"] for c in status["conditions"] if c["type"] == ctype)
                if ctype in old and old[ctype] != new_status:
                    self.node_event(reason, f"Node {self.node_name} status is now: {reason}")
            self._post(status)
