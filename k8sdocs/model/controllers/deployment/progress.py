"""``pkg/controller/deployment/progress.go``: the Progressing condition (``syncRolloutStatus``) and stuck rollouts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from k8sdocs.model.api.gotime import parse_time_ms
from k8sdocs.model.controllers import deployment_util as du
from k8sdocs.model.controllers import events as ev
from k8sdocs.model.controllers.controller_utils import object_key
from k8sdocs.model.controllers.deployment.base import NAME
from k8sdocs.model.controllers.deployment.sync import DeploymentSync


class DeploymentProgress(DeploymentSync):
    def _sync_rollout_status(self, all_rss: Sequence[dict[str, Any] | None], new_rs: dict[str, Any] | None, d: dict[str, Any]) -> None:
        new_status = self.calculate_status(all_rss, new_rs, d)
        if not du.has_progress_deadline(d):
            du.remove_deployment_condition(new_status, "Progressing")
        current = du.get_deployment_condition(d.get("status") or {}, "Progressing")
        complete = int(new_status.get("replicas") or 0) == int(new_status.get("updatedReplicas") or 0) and \
            current is not None and current.get("reason") == ev.NEW_RS_AVAILABLE_REASON
        if du.has_progress_deadline(d) and not complete:
            rs_name = new_rs["metadata"]["name"] if new_rs is not None else None
            dname = d["metadata"]["name"]
            if du.deployment_complete(d, new_status):
                msg = ev.RS_PROGRESSED_MSG.format(rs=rs_name) if rs_name else ev.DEPLOYMENT_PROGRESSED_MSG.format(d=dname)
                du.set_deployment_condition(new_status, du.new_deployment_condition(
                    "Progressing", "True", ev.NEW_RS_AVAILABLE_REASON, msg, self._now()))
                self.trace.decide(NAME, "NewReplicaSetAvailable", deployment=dname)
            elif du.deployment_progressing(d, new_status):
                msg = ev.RS_PROGRESSING_MSG.format(rs=rs_name) if rs_name else ev.DEPLOYMENT_PROGRESSING_MSG.format(d=dname)
                cond = du.new_deployment_condition("Progressing", "True", ev.REPLICA_SET_UPDATED_REASON, msg, self._now())
                if current is not None:
                    if current.get("status") == "True":
                        cond["lastTransitionTime"] = current.get("lastTransitionTime")
                    du.remove_deployment_condition(new_status, "Progressing")
                du.set_deployment_condition(new_status, cond)
            elif du.deployment_timed_out(d, new_status, self._now_unix_ms()):
                msg = ev.RS_TIMED_OUT_MSG.format(rs=rs_name) if rs_name else ev.DEPLOYMENT_TIMED_OUT_MSG.format(d=dname)
                du.set_deployment_condition(new_status, du.new_deployment_condition(
                    "Progressing", "False", ev.TIMED_OUT_REASON, msg, self._now()))
        # "Move failure conditions of all replica sets in deployment conditions" (new ReplicaSet first)
        failures = self._replica_failures(all_rss, new_rs)
        if failures:
            du.set_deployment_condition(new_status, failures[0])
        else:
            du.remove_deployment_condition(new_status, "ReplicaFailure")
        if new_status == (d.get("status") or {}):
            self._requeue_stuck(d, new_status)
            return
        d["status"] = new_status
        self.client.update_status(d)

    @staticmethod
    def _replica_failures(all_rss: Sequence[dict[str, Any] | None], new_rs: dict[str, Any] | None) -> list[dict[str, Any]]:
        """``getReplicaFailures`` + ``ReplicaSetToDeploymentCondition``."""
        def conds(rs: dict[str, Any] | None) -> list[dict[str, Any]]:
            return [{"type": c["type"], "status": c.get("status"), "lastUpdateTime": c.get("lastTransitionTime"),
                     "lastTransitionTime": c.get("lastTransitionTime"), "reason": c.get("reason"),
                     "message": c.get("message")}
                    for c in ((rs or {}).get("status") or {}).get("conditions") or [] if c.get("type") == "ReplicaFailure"]
        found = conds(new_rs)
        if found:
            return found
        return [c for rs in all_rss for c in conds(rs)]

    def _requeue_stuck(self, d: dict[str, Any], new_status: dict[str, Any]) -> None:
        """``requeueStuckDeployment``: check again when progressDeadlineSeconds would expire."""
        cond = du.get_deployment_condition(new_status, "Progressing")
        if not du.has_progress_deadline(d) or cond is None or cond.get("reason") in (
                ev.NEW_RS_AVAILABLE_REASON, ev.TIMED_OUT_REASON) or du.deployment_complete(d, new_status):
            return
        since = parse_time_ms(cond.get("lastUpdateTime"))
        if since is None:
            return
        after = since + int(d["spec"]["progressDeadlineSeconds"]) * 1000 - self._now_unix_ms()
        # upstream adds one second (time.Duration(...)*time.Second + time.Second) so the deadline is surely past;
        # AddAfter keeps one waiting entry per key (the earliest)
        self.queue.add_after(object_key(d), max(0, after) + 1000)
