"""``pkg/controller/deployment/recreate.go``: the Recreate strategy (old pods gone before new ones are created)."""

from __future__ import annotations

from typing import Any

from k8sdocs.model.controllers import deployment_util as du
from k8sdocs.model.controllers.deployment.base import NAME
from k8sdocs.model.controllers.deployment.progress import DeploymentProgress


class DeploymentRecreate(DeploymentProgress):
    def _rollout_recreate(self, d: dict[str, Any], rs_list: list[dict[str, Any]]) -> None:
        d, new_rs, old_rss = self._get_all_rs_and_sync_revision(d, rs_list, False)
        all_rss = old_rss + ([new_rs] if new_rs is not None else [])
        active_old = du.filter_active(old_rss)
        scaled_down = False
        for rs in active_old:  # scaleDownOldReplicaSetsForRecreate
            if du.spec_replicas(rs) == 0:
                continue
            scaled, _ = self._scale_rs_and_record(rs, 0, d)
            scaled_down = scaled_down or scaled
        if scaled_down:
            self._sync_rollout_status(all_rss, new_rs, d)
            return
        # oldPodsRunning: any pod of an old ReplicaSet that is not Failed/Succeeded (Pending counts as running).
        pod_map = self._pods_for_rss(old_rss)
        running = any((p.get("status") or {}).get("phase") not in ("Failed", "Succeeded")
                      for pods in pod_map.values() for p in pods)
        if any(du.status_int(rs, "replicas") > 0 for rs in old_rss) or running:
            self.trace.decide(NAME, "OldPodsRunning", deployment=d["metadata"]["name"])
            self._sync_rollout_status(all_rss, new_rs, d)
            return
        if new_rs is None:
            d, new_rs, old_rss = self._get_all_rs_and_sync_revision(d, rs_list, True)
            assert new_rs is not None
            all_rss = old_rss + [new_rs]
        self._scale_rs_and_record(new_rs, du.spec_replicas(d), d)  # scaleUpNewReplicaSetForRecreate
        if du.deployment_complete(d, d.get("status") or {}):
            self._cleanup(old_rss, d)
        self._sync_rollout_status(all_rss, new_rs, d)
