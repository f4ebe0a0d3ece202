"""``pkg/controller/deployment/rolling.go``: the RollingUpdate strategy (maxSurge, maxUnavailable)."""

from __future__ import annotations

from typing import Any

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.controllers import deployment_util as du
from k8sdocs.model.controllers.deployment.base import NAME
from k8sdocs.model.controllers.deployment.progress import DeploymentProgress


class DeploymentRolling(DeploymentProgress):
    def _rollout_rolling(self, d: dict[str, Any], rs_list: list[dict[str, Any]]) -> None:
        d, new_rs, old_rss = self._get_all_rs_and_sync_revision(d, rs_list, True)
        assert new_rs is not None
        all_rss = old_rss + [new_rs]
        scaled_up, new_rs = self._reconcile_new_replica_set(all_rss, new_rs, d)
        all_rss = old_rss + [new_rs]
        if scaled_up:
            self._sync_rollout_status(all_rss, new_rs, d)
            return
        if self._reconcile_old_replica_sets(all_rss, du.filter_active(old_rss), new_rs, d):
            self._sync_rollout_status(all_rss, new_rs, d)
            return
        if du.deployment_complete(d, d.get("status") or {}):
            self._cleanup(old_rss, d)
        self._sync_rollout_status(all_rss, new_rs, d)

    def _reconcile_new_replica_set(self, all_rss: list[dict[str, Any]], new_rs: dict[str, Any], d: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        if du.spec_replicas(new_rs) == du.spec_replicas(d):
            return False, new_rs
        if du.spec_replicas(new_rs) > du.spec_replicas(d):
            return self._scale_rs_and_record(new_rs, du.spec_replicas(d), d)
        count = du.new_rs_new_replicas(d, all_rss, new_rs)
        return self._scale_rs_and_record(new_rs, count, d)

    def _reconcile_old_replica_sets(self, all_rss: list[dict[str, Any]], old_rss: list[dict[str, Any]], new_rs: dict[str, Any], d: dict[str, Any]) -> bool:
        old_pods = du.get_replica_count(old_rss)
        if old_pods == 0:
            return False
        all_pods = du.get_replica_count(all_rss)
        max_unavailable = du.max_unavailable(d)
        min_available = du.spec_replicas(d) - max_unavailable
        new_unavailable = du.spec_replicas(new_rs) - du.status_int(new_rs, "availableReplicas")
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        try:
            old_rss, cleanup_count = self._cleanup_unhealthy_replicas(old_rss, d, max_scaled_down)
        except APIError:
            return False
        all_rss = old_rss + [new_rs]
        try:
            scaled_down = self._scale_down_old_for_rolling_update(all_rss, old_rss, d)
        except APIError:
            return False
        return cleanup_count + scaled_down > 0

    def _cleanup_unhealthy_replicas(self, old_rss: list[dict[str, Any]], d: dict[str, Any], max_cleanup: int) -> tuple[list[dict[str, Any]], int]:
        """``cleanupUnhealthyReplicas``: first remove old replicas that are not available."""
        old_rss = du.by_creation_timestamp(old_rss)
        total = 0
        for i, rs in enumerate(old_rss):
            if total >= max_cleanup:
                break
            if du.spec_replicas(rs) == 0:
                continue
            if du.spec_replicas(rs) == du.status_int(rs, "availableReplicas"):
                continue
            count = min(max_cleanup - total, du.spec_replicas(rs) - du.status_int(rs, "availableReplicas"))
            new_count = du.spec_replicas(rs) - count
            if new_count > du.spec_replicas(rs):
                raise ValueError("invalid scale down request")
            self.trace.decide(NAME, "UnhealthyReplicasCleanedUp", replicaset=rs["metadata"]["name"], count=count)
            _, updated = self._scale_rs_and_record(rs, new_count, d)
            total += count
            old_rss[i] = updated
        return old_rss, total

    def _scale_down_old_for_rolling_update(self, all_rss: list[dict[str, Any]], old_rss: list[dict[str, Any]], d: dict[str, Any]) -> int:
        """``scaleDownOldReplicaSetsForRollingUpdate``: never below replicas - maxUnavailable available pods."""
        min_available = du.spec_replicas(d) - du.max_unavailable(d)
        available = du.get_available_replica_count(all_rss)
        if available <= min_available:
            return 0
        total_to_scale = available - min_available
        total = 0
        for rs in du.by_creation_timestamp(old_rss):
            if total >= total_to_scale:
                break
            if du.spec_replicas(rs) == 0:
                continue
            count = min(du.spec_replicas(rs), total_to_scale - total)
            self._scale_rs_and_record(rs, du.spec_replicas(rs) - count, d)
            total += count
        return total
