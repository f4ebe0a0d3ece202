"""``pkg/controller/deployment/sync.go``: the new ReplicaSet and revisions, scaling, cleanup and status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.controllers import deployment_util as du
from k8sdocs.model.controllers import events as ev
from k8sdocs.model.controllers.controller_utils import (
    POD_TEMPLATE_HASH_LABEL,
    compute_hash,
    get_controller_of,
    new_controller_ref,
)
from k8sdocs.model.controllers.deployment.base import NAME, DeploymentControllerBase
from k8sdocs.model.objcopy import clone


class DeploymentSync(DeploymentControllerBase):
    def _sync_status_only(self, d: dict[str, Any], rs_list: list[dict[str, Any]]) -> None:
        d, new_rs, old_rss = self._get_all_rs_and_sync_revision(d, rs_list, False)
        self._sync_deployment_status(old_rss + [new_rs], new_rs, d)

    def _sync(self, d: dict[str, Any], rs_list: list[dict[str, Any]]) -> None:
        """``sync``: scaling events and paused Deployments (no new ReplicaSet is created)."""
        d, new_rs, old_rss = self._get_all_rs_and_sync_revision(d, rs_list, False)
        self._scale(d, new_rs, old_rss)
        # "Clean up the deployment when it's paused and no rollback is in flight."
        if (d.get("spec") or {}).get("paused"):
            self._cleanup(old_rss, d)
        self._sync_deployment_status(old_rss + [new_rs], new_rs, d)

    def _check_paused_conditions(self, d: dict[str, Any]) -> dict[str, Any]:
        if not du.has_progress_deadline(d):
            return d
        status = d.setdefault("status", {})
        cond = du.get_deployment_condition(status, "Progressing")
        if cond is not None and cond.get("reason") == ev.TIMED_OUT_REASON:
            return d
        paused_exists = cond is not None and cond.get("reason") == ev.PAUSED_DEPLOY_REASON
        paused = bool((d.get("spec") or {}).get("paused"))
        if paused and not paused_exists:
            du.set_deployment_condition(status, du.new_deployment_condition(
                "Progressing", "Unknown", ev.PAUSED_DEPLOY_REASON, ev.PAUSED_MSG, self._now()))
        elif not paused and paused_exists:
            du.set_deployment_condition(status, du.new_deployment_condition(
                "Progressing", "Unknown", ev.RESUMED_DEPLOY_REASON, ev.RESUMED_MSG, self._now()))
        else:
            return d
        updated: dict[str, Any] = self.client.update_status(d)
        return updated

    def _is_scaling_event(self, d: dict[str, Any], rs_list: list[dict[str, Any]]) -> bool:
        """``isScalingEvent``: an active ReplicaSet's desired-replicas annotation differs from spec.replicas."""
        new_rs = du.find_new_replica_set(d, rs_list)
        if new_rs is None:
            return False
        _, old_rss = du.find_old_replica_sets(d, rs_list)
        for rs in du.filter_active(old_rss + [new_rs]):
            desired = du.annotations_of(rs).get(du.DESIRED_REPLICAS_ANNOTATION)
            if desired is None:
                continue
            try:
                if int(desired) != du.spec_replicas(d):
                    return True
            except ValueError:
                continue
        return False

    def _get_all_rs_and_sync_revision(self, d: dict[str, Any], rs_list: list[dict[str, Any]], create: bool) -> tuple[dict[str, Any], dict[str, Any] | None, list[dict[str, Any]]]:
        _, all_old = du.find_old_replica_sets(d, rs_list)
        d, new_rs = self._get_new_replica_set(d, rs_list, all_old, create)
        return d, new_rs, all_old

    def _write_deployment_status(self, d: dict[str, Any], revision_changed: bool) -> dict[str, Any]:
        if revision_changed:
            status = clone(d.get("status") or {})
            d = self.client.update(d)
            d["status"] = status
        updated: dict[str, Any] = self.client.update_status(d)
        return updated

    def _set_revision(self, d: dict[str, Any], rev: str) -> bool:
        """``SetDeploymentRevision``."""
        ann = d.setdefault("metadata", {}).setdefault("annotations", {})
        if ann.get(du.REVISION_ANNOTATION) != rev:
            ann[du.REVISION_ANNOTATION] = rev
            return True
        return False

    def _get_new_replica_set(self, d: dict[str, Any], rs_list: list[dict[str, Any]], old_rss: list[dict[str, Any]], create: bool) -> tuple[dict[str, Any], dict[str, Any] | None]:
        existing = du.find_new_replica_set(d, rs_list)
        new_revision = str(du.max_revision(old_rss) + 1)
        status = d.setdefault("status", {})
        if existing is not None:
            rs_copy = clone(existing)
            annotations_updated = du.set_new_replica_set_annotations(d, rs_copy, new_revision, True)
            mrs_needs_update = (rs_copy["spec"].get("minReadySeconds") or 0) != ((d.get("spec") or {}).get("minReadySeconds") or 0)
            if annotations_updated or mrs_needs_update:
                rs_copy["spec"]["minReadySeconds"] = (d.get("spec") or {}).get("minReadySeconds") or 0
                if not rs_copy["spec"]["minReadySeconds"]:
                    rs_copy["spec"].pop("minReadySeconds")
                return d, self.client.update(rs_copy)
            rev_changed = self._set_revision(d, du.annotations_of(rs_copy).get(du.REVISION_ANNOTATION, ""))
            needs_update = rev_changed
            if du.has_progress_deadline(d) and du.get_deployment_condition(status, "Progressing") is None:
                du.set_deployment_condition(status, du.new_deployment_condition(
                    "Progressing", "True", ev.FOUND_NEW_RS_REASON, ev.FOUND_NEW_RS_MSG.format(rs=rs_copy["metadata"]["name"]), self._now()))
                needs_update = True
            if needs_update:
                d = self._write_deployment_status(d, rev_changed)
            return d, rs_copy
        if not create:
            return d, None

        template = clone((d.get("spec") or {}).get("template") or {})
        pod_hash = compute_hash(template, status.get("collisionCount"))
        template.setdefault("metadata", {})
        template["metadata"]["labels"] = dict(template["metadata"].get("labels") or {}, **{POD_TEMPLATE_HASH_LABEL: pod_hash})
        selector = clone((d.get("spec") or {}).get("selector") or {})
        selector["matchLabels"] = dict(selector.get("matchLabels") or {}, **{POD_TEMPLATE_HASH_LABEL: pod_hash})
        spec: dict[str, Any] = {"replicas": 0, "selector": selector, "template": template}
        if (d.get("spec") or {}).get("minReadySeconds"):
            spec["minReadySeconds"] = d["spec"]["minReadySeconds"]
        new_rs: dict[str, Any] = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": f"{d['metadata']['name']}-{pod_hash}",
                "namespace": d["metadata"].get("namespace"),
                "labels": dict(template["metadata"]["labels"]),
                "ownerReferences": [new_controller_ref(d)],
            },
            "spec": spec,
        }
        new_replicas = du.new_rs_new_replicas(d, old_rss + [new_rs], new_rs)
        new_rs["spec"]["replicas"] = new_replicas
        du.set_new_replica_set_annotations(d, new_rs, new_revision, False)
        self.trace.decide(NAME, "NewReplicaSetCreated", replicaset=new_rs["metadata"]["name"], hash=pod_hash,
                          revision=new_revision, replicas=new_replicas)
        already_exists = False
        try:
            created = self.client.create(new_rs)
        except APIError as err:
            if err.reason == "AlreadyExists":
                already_exists = True
                rs = self.rs_informer.get(new_rs["metadata"]["name"], new_rs["metadata"]["namespace"])
                if rs is None:
                    raise
                ref = get_controller_of(rs)
                if ref is not None and ref.get("uid") == d["metadata"].get("uid") and \
                        du.equal_ignore_hash(d["spec"].get("template"), rs["spec"].get("template")):
                    created = rs
                else:
                    # Hash collision: bump collisionCount and requeue (sync.go getNewReplicaSet).
                    status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
                    self.trace.decide(NAME, "HashCollision", replicaset=new_rs["metadata"]["name"],
                                      collision_count=status["collisionCount"])
                    self.client.update_status(d)
                    raise
            else:
                msg = ev.FAILED_RS_CREATE_MSG.format(rs=new_rs["metadata"]["name"], err=err.message)
                if du.has_progress_deadline(d):
                    du.set_deployment_condition(status, du.new_deployment_condition(
                        "Progressing", "False", ev.FAILED_RS_CREATE, msg, self._now()))
                    self.client.update_status(d)
                self.client.record_event(d, ev.WARNING, ev.FAILED_RS_CREATE, msg)
                raise
        if not already_exists and new_replicas > 0:
            self.client.record_event(d, ev.NORMAL, ev.SCALING_REPLICA_SET, ev.scaled_up_new_rs(created["metadata"]["name"], new_replicas))
        rev_changed = self._set_revision(d, new_revision)
        needs_update = rev_changed
        if not already_exists and du.has_progress_deadline(d):
            du.set_deployment_condition(status, du.new_deployment_condition(
                "Progressing", "True", ev.NEW_REPLICA_SET_REASON, ev.CREATED_NEW_RS_MSG.format(rs=created["metadata"]["name"]), self._now()))
            needs_update = True
        if needs_update:
            d = self._write_deployment_status(d, rev_changed)
        return d, created

    def _scale_rs_and_record(self, rs: dict[str, Any], new_scale: int, d: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        """``scaleReplicaSetAndRecordEvent``."""
        if du.spec_replicas(rs) == new_scale:
            return False, rs
        op = "up" if du.spec_replicas(rs) < new_scale else "down"
        return self._scale_rs(rs, new_scale, d, op)

    def _scale_rs(self, rs: dict[str, Any], new_scale: int, d: dict[str, Any], op: str) -> tuple[bool, dict[str, Any]]:
        """``scaleReplicaSet``: set spec.replicas and the replicas annotations; event ``ScalingReplicaSet``."""
        size_needs_update = du.spec_replicas(rs) != new_scale
        desired, max_total = du.spec_replicas(d), du.spec_replicas(d) + du.max_surge(d)
        if not (size_needs_update or du.replicas_annotations_need_update(rs, desired, max_total)):
            return False, rs
        old_scale = du.spec_replicas(rs)
        rs_copy = clone(rs)
        rs_copy["spec"]["replicas"] = new_scale
        du.set_replicas_annotations(rs_copy, desired, max_total)
        if size_needs_update:
            self.trace.decide(NAME, "ScalingReplicaSet", replicaset=rs["metadata"]["name"], old=old_scale, new=new_scale)
        updated = self.client.update(rs_copy)
        if size_needs_update:
            self.client.record_event(d, ev.NORMAL, ev.SCALING_REPLICA_SET,
                                     ev.scaled_rs(op, updated["metadata"]["name"], old_scale, new_scale))
        return size_needs_update, updated

    def _scale(self, d: dict[str, Any], new_rs: dict[str, Any] | None, old_rss: list[dict[str, Any]]) -> None:
        """``scale``: proportional scaling of all active ReplicaSets on a scaling event."""
        active_or_latest = du.find_active_or_latest(new_rs, old_rss)
        if active_or_latest is not None:
            if du.spec_replicas(active_or_latest) == du.spec_replicas(d):
                return
            self._scale_rs_and_record(active_or_latest, du.spec_replicas(d), d)
            return
        if du.is_saturated(d, new_rs):
            for old in du.filter_active(old_rss):
                self._scale_rs_and_record(old, 0, d)
            return
        if not du.is_rolling_update(d):
            return
        all_rss = du.filter_active(old_rss + [new_rs])
        all_replicas = du.get_replica_count(all_rss)
        allowed = du.spec_replicas(d) + du.max_surge(d) if du.spec_replicas(d) > 0 else 0
        to_add = allowed - all_replicas
        op = ""
        if to_add > 0:
            all_rss = du.by_size_newer(all_rss)
            op = "up"
        elif to_add < 0:
            all_rss = du.by_size_older(all_rss)
            op = "down"
        added = 0
        name_to_size: dict[str, int] = {}
        for rs in all_rss:
            if to_add != 0:
                proportion = du.get_replica_set_proportion(rs, d, to_add, added)
                name_to_size[rs["metadata"]["name"]] = du.spec_replicas(rs) + proportion
                added += proportion
            else:
                name_to_size[rs["metadata"]["name"]] = du.spec_replicas(rs)
        self.trace.decide(NAME, "ProportionalScaling", to_add=to_add, replicasets=len(all_rss))
        for i, rs in enumerate(all_rss):
            name = rs["metadata"]["name"]
            if i == 0 and to_add != 0:
                name_to_size[name] = max(0, name_to_size[name] + to_add - added)
            self._scale_rs(rs, name_to_size[name], d, op)

    def _cleanup(self, old_rss: list[dict[str, Any]], d: dict[str, Any]) -> None:
        """``cleanupDeployment``: keep at most revisionHistoryLimit old ReplicaSets (only empty ones are deleted)."""
        if not du.has_revision_history_limit(d):
            return
        alive = [rs for rs in old_rss if rs is not None and not rs["metadata"].get("deletionTimestamp")]
        diff = len(alive) - int(d["spec"]["revisionHistoryLimit"])
        if diff <= 0:
            return
        for rs in du.by_revision(alive)[:diff]:
            if du.status_int(rs, "replicas") != 0 or du.spec_replicas(rs) != 0 or \
                    int(rs["metadata"].get("generation") or 0) > du.status_int(rs, "observedGeneration"):
                continue
            self.trace.decide(NAME, "OldReplicaSetDeleted", replicaset=rs["metadata"]["name"],
                              limit=d["spec"]["revisionHistoryLimit"])
            try:
                self.client.delete("ReplicaSet", rs["metadata"]["name"], rs["metadata"].get("namespace"))
            except APIError as err:
                if err.code != 404:
                    raise

    def calculate_status(self, all_rss: Sequence[dict[str, Any] | None], new_rs: dict[str, Any] | None, d: dict[str, Any]) -> dict[str, Any]:
        available = du.get_available_replica_count(all_rss)
        total = du.get_replica_count(all_rss)
        status: dict[str, Any] = {
            "observedGeneration": int(d["metadata"].get("generation") or 0),
            "replicas": du.get_actual_replica_count(all_rss),
            "updatedReplicas": du.get_actual_replica_count([new_rs]),
            "readyReplicas": du.get_ready_replica_count(all_rss),
            "availableReplicas": available,
            "unavailableReplicas": max(0, total - available),
        }
        terminating = du.get_terminating_replica_count(all_rss)
        old = d.get("status") or {}
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        if old.get("conditions"):
            status["conditions"] = clone(old["conditions"])
        if available >= du.spec_replicas(d) - du.max_unavailable(d):
            du.set_deployment_condition(status, du.new_deployment_condition(
                "Available", "True", ev.MINIMUM_REPLICAS_AVAILABLE, ev.MIN_AVAILABLE_MSG, self._now()))
        else:
            du.set_deployment_condition(status, du.new_deployment_condition(
                "Available", "False", ev.MINIMUM_REPLICAS_UNAVAILABLE, ev.MIN_UNAVAILABLE_MSG, self._now()))
        # Zero counts are omitted in the stored JSON (omitempty), as a real Deployment shows them; the JSON order
        # of DeploymentStatus is kept (terminatingReplicas is a pointer: 0 is shown).
        out = {k: v for k, v in status.items()
               if k not in ("conditions", "collisionCount") and (v not in (0, None) or k == "observedGeneration")}
        if terminating is not None:
            out["terminatingReplicas"] = terminating
        for k in ("conditions", "collisionCount"):
            if status.get(k) is not None:
                out[k] = status[k]
        return out

    def _sync_deployment_status(self, all_rss: Sequence[dict[str, Any] | None], new_rs: dict[str, Any] | None, d: dict[str, Any]) -> None:
        new_status = self.calculate_status(all_rss, new_rs, d)
        if new_status == (d.get("status") or {}):
            return
        d["status"] = new_status
        self.client.update_status(d)
