"""What every part of the deployment-controller shares: its informers, work queue, clock and trace.

The controller is one class, :class:`~k8sdocs.model.controllers.deployment.controller.DeploymentController`, built
from one mixin per upstream file (``sync.go``, ``progress.go``, ``rolling.go``, ``recreate.go``) over this base.
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers.controller_utils import get_controller_of
from k8sdocs.model.controllers.informers import Informer, SharedInformerFactory, WorkQueue
from k8sdocs.model.trace import Trace

NAME = "deployment-controller"


class DeploymentControllerBase:
    """The attributes ``DeploymentController.__init__`` sets (``NewDeploymentController``), typed for every part."""

    client: Any
    clock: Clock
    trace: Trace
    informers: SharedInformerFactory
    d_informer: Informer
    rs_informer: Informer
    pod_informer: Informer
    queue: WorkQueue

    def _now(self) -> str:
        return self.clock.timestamp()

    def _now_unix_ms(self) -> int:
        return self.clock.unix_nano() // 1_000_000

    def _pods_for_rss(self, rss: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """``getPodMapForDeployment`` (deployment_controller.go): the pods of each ReplicaSet, by name."""
        by_uid = {rs["metadata"].get("uid"): rs["metadata"]["name"] for rs in rss}
        out: dict[str, list[dict[str, Any]]] = {name: [] for name in by_uid.values()}
        ns = rss[0]["metadata"].get("namespace") if rss else None
        for pod in self.pod_informer.list(ns):
            ref = get_controller_of(pod)
            if ref is not None and ref.get("uid") in by_uid:
                out[by_uid[ref["uid"]]].append(pod)
        return out
