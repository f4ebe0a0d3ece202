"""The node Lease heartbeat (``pkg/kubelet/nodelease/controller.go``, ``component-helpers/apimachinery/lease``).

A Lease ``kube-node-lease/<node>`` with ``holderIdentity=<node>``, ``leaseDurationSeconds=40`` and an
ownerReference to the Node, renewed every ``renewInterval = leaseDuration * renewIntervalFraction (0.25)`` = 10 s
with an update of ``spec.renewTime``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sdocs.model.clock import Clock
from k8sdocs.model.objcopy import clone

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.client import Client

#: KubeletConfiguration.nodeLeaseDurationSeconds default (``pkg/kubelet/apis/config/v1beta1/defaults.go``).
NODE_LEASE_DURATION_SECONDS = 40
#: ``renewIntervalFraction`` in ``pkg/kubelet/nodelease/controller.go``.
RENEW_INTERVAL_FRACTION = 0.25
#: Namespace of node Leases (``corev1.NamespaceNodeLease``).
NAMESPACE_NODE_LEASE = "kube-node-lease"
#: How often the Lease is renewed.
RENEW_INTERVAL_MS = int(NODE_LEASE_DURATION_SECONDS * 1000 * RENEW_INTERVAL_FRACTION)


class NodeLeaseController:
    """``controller.sync``: renew the Lease from the last copy, or ensure it (GET, CREATE when absent)."""

    def __init__(self, node_name: str, client: Client, clock: Clock) -> None:
        self.node_name = node_name
        self.client = client
        self.clock = clock
        self.lease: dict[str, Any] | None = None

    def _new_lease(self, base: dict[str, Any] | None) -> dict[str, Any]:
        if base is None:
            lease: dict[str, Any] = {
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": self.node_name, "namespace": NAMESPACE_NODE_LEASE},
                "spec": {"holderIdentity": self.node_name, "leaseDurationSeconds": NODE_LEASE_DURATION_SECONDS},
            }
        else:
            lease = clone(base)
        lease["spec"]["renewTime"] = self.clock.micro_timestamp()
        return lease

    def sync(self) -> None:
        if self.lease is not None:
            try:
                self.lease = self.client.update(self._new_lease(self.lease))
                return
            except Exception as err:
                if getattr(err, "code", None) not in (404, 409):
                    raise
        # ensureLease: GET, and CREATE (with an ownerReference to the Node) when absent
        try:
            lease = self.client.get("Lease", self.node_name, NAMESPACE_NODE_LEASE)
        except Exception as err:
            if getattr(err, "code", None) != 404:
                raise
            try:
                node = self.client.get("Node", self.node_name)
            except Exception as err2:
                if getattr(err2, "code", None) == 404:
                    return  # no Node to own the Lease: "will not create lease this time" (nodelease/controller.go)
                raise
            new = self._new_lease(None)
            new["metadata"]["ownerReferences"] = [
                {"apiVersion": "v1", "kind": "Node", "name": self.node_name, "uid": node["metadata"].get("uid", "")}]
            self.lease = self.client.create(new)
            return
        self.lease = self.client.update(self._new_lease(lease))
