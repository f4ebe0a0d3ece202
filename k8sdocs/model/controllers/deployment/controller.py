"""``pkg/controller/deployment/deployment_controller.go``: event handlers, ReplicaSet claiming and ``syncDeployment``."""

from __future__ import annotations

from typing import Any

from k8sdocs.model.api.labels import label_selector_as_selector
from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers.controller_utils import get_controller_of, new_controller_ref, object_key
from k8sdocs.model.controllers.deployment.base import NAME
from k8sdocs.model.controllers.deployment.recreate import DeploymentRecreate
from k8sdocs.model.controllers.deployment.rolling import DeploymentRolling
from k8sdocs.model.controllers.informers import SharedInformerFactory, WorkQueue
from k8sdocs.model.objcopy import clone
from k8sdocs.model.trace import Trace


class DeploymentController(DeploymentRolling, DeploymentRecreate):
    """The deployment-controller: ``sync.go`` and ``progress.go`` through both strategies' mixins."""

    def __init__(self, client: Any, clock: Clock, trace: Trace, informers: SharedInformerFactory | None = None) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.informers = informers or SharedInformerFactory(client)
        self.d_informer = self.informers.informer("Deployment")
        self.rs_informer = self.informers.informer("ReplicaSet")
        self.pod_informer = self.informers.informer("Pod")
        self.queue = WorkQueue(clock, self.sync_deployment, NAME)

    def start(self) -> None:
        self.d_informer.add_handler(self._enqueue, lambda old, new: self._enqueue(new), self._enqueue)
        self.rs_informer.add_handler(self._rs_changed, self._rs_updated, self._rs_changed)
        self.pod_informer.add_handler(on_delete=self._pod_deleted)
        self.informers.start()

    def _enqueue(self, d: dict[str, Any]) -> None:
        self.queue.add(object_key(d))

    def _deployment_for(self, obj: dict[str, Any]) -> dict[str, Any] | None:
        ref = get_controller_of(obj)
        if ref is None or ref.get("kind") != "Deployment":
            return None
        d = self.d_informer.get(ref["name"], obj["metadata"].get("namespace"))
        if d is None or d["metadata"].get("uid") != ref.get("uid"):
            return None
        return d

    def _rs_changed(self, rs: dict[str, Any]) -> None:
        d = self._deployment_for(rs)
        if d is not None:
            self._enqueue(d)
        elif get_controller_of(rs) is None:
            # an orphan: getDeploymentsForReplicaSet, so a matching Deployment adopts it
            labels = (rs.get("metadata") or {}).get("labels") or {}
            for dep in self.d_informer.list(rs["metadata"].get("namespace")):
                if label_selector_as_selector((dep.get("spec") or {}).get("selector")).matches(labels):
                    self._enqueue(dep)

    def _rs_updated(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        old_d, new_d = self._deployment_for(old), self._deployment_for(new)
        if old_d is not None and (new_d is None or object_key(old_d) != object_key(new_d)):
            self._enqueue(old_d)
        if new_d is not None:
            self._enqueue(new_d)
        elif get_controller_of(new) is None:
            self._rs_changed(new)

    def _pod_deleted(self, pod: dict[str, Any]) -> None:
        # deletePod: a Recreate Deployment waits for its old pods to be gone.
        ref = get_controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        rs = self.rs_informer.get(ref["name"], pod["metadata"].get("namespace"))
        d = self._deployment_for(rs) if rs is not None else None
        if d is not None and ((d.get("spec") or {}).get("strategy") or {}).get("type") == "Recreate":
            self._enqueue(d)

    def _rs_for_deployment(self, d: dict[str, Any]) -> list[dict[str, Any]]:
        """``getReplicaSetsForDeployment`` + ``ClaimReplicaSets``: owned ReplicaSets whose labels still match the
        selector; matching orphans are adopted and non-matching owned ones released (a PUT of the ReplicaSet's
        ``ownerReferences``; upstream uses a PATCH)."""
        uid = d["metadata"].get("uid")
        selector = label_selector_as_selector((d.get("spec") or {}).get("selector"))
        deleting = bool(d["metadata"].get("deletionTimestamp"))
        claimed: list[dict[str, Any]] = []
        for rs in self.rs_informer.list(d["metadata"].get("namespace")):
            rs = clone(rs)  # listers are read-only
            matches = selector.matches((rs.get("metadata") or {}).get("labels") or {})
            ref = get_controller_of(rs)
            if ref is not None:
                if ref.get("uid") != uid:
                    continue
                if matches:
                    claimed.append(rs)
                elif not deleting:
                    self.trace.decide(NAME, "ReplicaSetReleased", replicaset=rs["metadata"]["name"],
                                      deployment=d["metadata"]["name"])
                    rs["metadata"]["ownerReferences"] = [o for o in rs["metadata"].get("ownerReferences") or []
                                                         if o.get("uid") != uid]
                    if not rs["metadata"]["ownerReferences"]:
                        rs["metadata"].pop("ownerReferences")
                    self.client.update(rs)
                continue
            if deleting or not matches or rs["metadata"].get("deletionTimestamp"):
                continue
            self.trace.decide(NAME, "ReplicaSetAdopted", replicaset=rs["metadata"]["name"], deployment=d["metadata"]["name"])
            rs["metadata"]["ownerReferences"] = list(rs["metadata"].get("ownerReferences") or []) + [new_controller_ref(d)]
            claimed.append(self.client.update(rs))
        return claimed

    def sync_deployment(self, key: str) -> None:
        ns, _, name = key.rpartition("/")
        cached = self.d_informer.get(name, ns or None)
        if cached is None:
            return
        d = clone(cached)
        rs_list = self._rs_for_deployment(d)
        if d["metadata"].get("deletionTimestamp"):
            self._sync_status_only(d, rs_list)
            return
        d = self._check_paused_conditions(d)
        if (d.get("spec") or {}).get("paused"):
            self._sync(d, rs_list)
            return
        if self._is_scaling_event(d, rs_list):
            self._sync(d, rs_list)
            return
        strategy = ((d.get("spec") or {}).get("strategy") or {}).get("type", "RollingUpdate")
        if strategy == "Recreate":
            self._rollout_recreate(d, rs_list)
        else:
            self._rollout_rolling(d, rs_list)
