"""deployment-controller (``pkg/controller/deployment/{deployment_controller,sync,rolling,recreate,progress}.go``).

Watches Deployments, ReplicaSets and Pods; for each Deployment it finds its ReplicaSets (controllerRef), creates
the new ReplicaSet ``<deployment>-<pod-template-hash>`` and scales new and old ReplicaSets following the strategy
(RollingUpdate with maxSurge/maxUnavailable, or Recreate), then writes the Deployment status and conditions.
Every write goes through the API server; every decision is traced (kind ``decision``, Spanish).

Orphan ReplicaSets whose labels match the selector are adopted (ClaimReplicaSets).

Simplifications (documented): no rollback (``rollbackTo`` is deprecated). Upstream persists the ``deployment.kubernetes.io/revision`` annotation through
``UpdateStatus``; the model's ``/status`` only takes ``.status``, so the annotation is written with a PUT of the
Deployment first.
"""

from __future__ import annotations

import copy
from typing import Any

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.controllers import deployment_util as du
from k8sdocs.model.controllers import events as ev
from k8sdocs.model.controllers.controller_utils import (
    POD_TEMPLATE_HASH_LABEL,
    compute_hash,
    get_controller_of,
    new_controller_ref,
    object_key,
)
from k8sdocs.model.controllers.informers import SharedInformerFactory, WorkQueue
from k8sdocs.model.labels import label_selector

NAME = "deployment-controller"


class DeploymentController:
    def __init__(self, client: Any, clock: Any, trace: Any, informers: SharedInformerFactory | None = None) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.informers = informers or SharedInformerFactory(client)
        self.d_informer = self.informers.informer("Deployment")
        self.rs_informer = self.informers.informer("ReplicaSet")
        self.pod_informer = self.informers.informer("Pod")
        self.queue = WorkQueue(clock, self.sync_deployment, NAME)

    # -- wiring -----------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.d_informer.add_handler(self._enqueue, lambda old, new: self._enqueue(new), self._enqueue)
        self.rs_informer.add_handler(self._rs_changed, self._rs_updated, self._rs_changed)
        self.pod_informer.add_handler(on_delete=self._pod_deleted)
        self.informers.start()

    def _enqueue(self, d: dict) -> None:
        self.queue.add(object_key(d))

    def _deployment_for(self, obj: dict) -> dict | None:
        ref = get_controller_of(obj)
        if ref is None or ref.get("kind") != "Deployment":
            return None
        d = self.d_informer.get(ref["name"], obj["metadata"].get("namespace"))
        if d is None or d["metadata"].get("uid") != ref.get("uid"):
            return None
        return d

    def _rs_changed(self, rs: dict) -> None:
        d = self._deployment_for(rs)
        if d is not None:
            self._enqueue(d)
        elif get_controller_of(rs) is None:
            # an orphan: getDeploymentsForReplicaSet, so a matching Deployment adopts it
            labels = (rs.get("metadata") or {}).get("labels") or {}
            for dep in self.d_informer.list(rs["metadata"].get("namespace")):
                if label_selector((dep.get("spec") or {}).get("selector")).matches(labels):
                    self._enqueue(dep)

    def _rs_updated(self, old: dict, new: dict) -> None:
        old_d, new_d = self._deployment_for(old), self._deployment_for(new)
        if old_d is not None and (new_d is None or object_key(old_d) != object_key(new_d)):
            self._enqueue(old_d)
        if new_d is not None:
            self._enqueue(new_d)
        elif get_controller_of(new) is None:
            self._rs_changed(new)

    def _pod_deleted(self, pod: dict) -> None:
        # deletePod: a Recreate Deployment waits for its old pods to be gone.
        ref = get_controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        rs = self.rs_informer.get(ref["name"], pod["metadata"].get("namespace"))
        d = self._deployment_for(rs) if rs is not None else None
        if d is not None and ((d.get("spec") or {}).get("strategy") or {}).get("type") == "Recreate":
            self._enqueue(d)

    # -- helpers ----------------------------------------------------------------------------------------------
    def _now(self) -> str:
        return self.clock.timestamp()

    def _now_unix_ms(self) -> int:
        return self.clock.unix_nano() // 1_000_000

    def _decide(self, summary: str, **data: object) -> None:
        self.trace.record("decision", NAME, NAME, summary, **data)

    def _rs_for_deployment(self, d: dict) -> list[dict]:
        """``getReplicaSetsForDeployment`` + ``ClaimReplicaSets``: owned ReplicaSets whose labels still match the
        selector; matching orphans are adopted and non-matching owned ones released (a PUT of the ReplicaSet's
        ``ownerReferences``; upstream uses a PATCH)."""
        uid = d["metadata"].get("uid")
        selector = label_selector((d.get("spec") or {}).get("selector"))
        deleting = bool(d["metadata"].get("deletionTimestamp"))
        claimed: list[dict] = []
        for rs in self.rs_informer.list(d["metadata"].get("namespace")):
            rs = copy.deepcopy(rs)  # listers are read-only
            matches = selector.matches((rs.get("metadata") or {}).get("labels") or {})
            ref = get_controller_of(rs)
            if ref is not None:
                if ref.get("uid") != uid:
                    continue
                if matches:
                    claimed.append(rs)
                elif not deleting:
                    self._decide(f"el ReplicaSet {rs['metadata']['name']} ya no encaja con el selector de "
                                 f"{d['metadata']['name']}: se libera")
                    rs["metadata"]["ownerReferences"] = [o for o in rs["metadata"].get("ownerReferences") or []
                                                         if o.get("uid") != uid]
                    if not rs["metadata"]["ownerReferences"]:
                        rs["metadata"].pop("ownerReferences")
                    self.client.update(rs)
                continue
            if deleting or not matches or rs["metadata"].get("deletionTimestamp"):
                continue
            self._decide(f"{d['metadata']['name']} adopta el ReplicaSet huérfano {rs['metadata']['name']}")
            rs["metadata"]["ownerReferences"] = list(rs["metadata"].get("ownerReferences") or []) + [new_controller_ref(d)]
            claimed.append(self.client.update(rs))
        return claimed

    def _pods_for_rss(self, rss: list[dict]) -> dict[str, list[dict]]:
        by_uid = {rs["metadata"].get("uid"): rs["metadata"]["name"] for rs in rss}
        out: dict[str, list[dict]] = {name: [] for name in by_uid.values()}
        ns = rss[0]["metadata"].get("namespace") if rss else None
        for pod in self.pod_informer.list(ns):
            ref = get_controller_of(pod)
            if ref is not None and ref.get("uid") in by_uid:
                out[by_uid[ref["uid"]]].append(pod)
        return out

    # -- sync -------------------------------------------------------------------------------------------------
    def sync_deployment(self, key: str) -> None:
        ns, _, name = key.rpartition("/")
        cached = self.d_informer.get(name, ns or None)
        if cached is None:
            return
        d = copy.deepcopy(cached)
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

    def _sync_status_only(self, d: dict, rs_list: list[dict]) -> None:
        d, new_rs, old_rss = self._get_all_rs_and_sync_revision(d, rs_list, False)
        self._sync_deployment_status(old_rss + [new_rs], new_rs, d)

    def _sync(self, d: dict, rs_list: list[dict]) -> None:
        """``sync``: scaling events and paused Deployments (no new ReplicaSet is created)."""
        d, new_rs, old_rss = self._get_all_rs_and_sync_revision(d, rs_list, False)
        self._scale(d, new_rs, old_rss)
        # "Clean up the deployment when it's paused and no rollback is in flight."
        if (d.get("spec") or {}).get("paused"):
            self._cleanup(old_rss, d)
        self._sync_deployment_status(old_rss + [new_rs], new_rs, d)

    def _check_paused_conditions(self, d: dict) -> dict:
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
        return self.client.update_status(d)

    def _is_scaling_event(self, d: dict, rs_list: list[dict]) -> bool:
        """``isScalingEvent``: an active ReplicaSet's desired-replicas annotation differs from spec.replicas."""
        new_rs = du.find_new_replica_set(d, rs_list)
        if new_rs is None:
            return False
        _, old_rss = du.find_old_replica_sets(d, rs_list)
        for rs in du.filter_active(old_rss + [new_rs]):
            desired = du.annotations(rs).get(du.DESIRED_REPLICAS_ANNOTATION)
            if desired is None:
                continue
            try:
                if int(desired) != du.spec_replicas(d):
                    return True
            except ValueError:
                continue
        return False

    # -- new ReplicaSet and revisions ---------------------------------------------------------------------------
    def _get_all_rs_and_sync_revision(self, d: dict, rs_list: list[dict], create: bool) -> tuple[dict, dict | None, list[dict]]:
        _, all_old = du.find_old_replica_sets(d, rs_list)
        d, new_rs = self._get_new_replica_set(d, rs_list, all_old, create)
        return d, new_rs, all_old

    def _write_deployment_status(self, d: dict, revision_changed: bool) -> dict:
        if revision_changed:
            status = copy.deepcopy(d.get("status") or {})
            d = self.client.update(d)
            d["status"] = status
        return self.client.update_status(d)

    def _set_revision(self, d: dict, rev: str) -> bool:
        """``SetDeploymentRevision``."""
        ann = d.setdefault("metadata", {}).setdefault("annotations", {})
        if ann.get(du.REVISION_ANNOTATION) != rev:
            ann[du.REVISION_ANNOTATION] = rev
            return True
        return False

    def _get_new_replica_set(self, d: dict, rs_list: list[dict], old_rss: list[dict], create: bool) -> tuple[dict, dict | None]:
        existing = du.find_new_replica_set(d, rs_list)
        new_revision = str(du.max_revision(old_rss) + 1)
        status = d.setdefault("status", {})
        if existing is not None:
            rs_copy = copy.deepcopy(existing)
            annotations_updated = du.set_new_replica_set_annotations(d, rs_copy, new_revision, True)
            mrs_needs_update = (rs_copy["spec"].get("minReadySeconds") or 0) != ((d.get("spec") or {}).get("minReadySeconds") or 0)
            if annotations_updated or mrs_needs_update:
                rs_copy["spec"]["minReadySeconds"] = (d.get("spec") or {}).get("minReadySeconds") or 0
                if not rs_copy["spec"]["minReadySeconds"]:
                    rs_copy["spec"].pop("minReadySeconds")
                return d, self.client.update(rs_copy)
            rev_changed = self._set_revision(d, du.annotations(rs_copy).get(du.REVISION_ANNOTATION, ""))
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

        template = copy.deepcopy((d.get("spec") or {}).get("template") or {})
        pod_hash = compute_hash(template, status.get("collisionCount"))
        template.setdefault("metadata", {})
        template["metadata"]["labels"] = dict(template["metadata"].get("labels") or {}, **{POD_TEMPLATE_HASH_LABEL: pod_hash})
        selector = copy.deepcopy((d.get("spec") or {}).get("selector") or {})
        selector["matchLabels"] = dict(selector.get("matchLabels") or {}, **{POD_TEMPLATE_HASH_LABEL: pod_hash})
        spec: dict = {"replicas": 0, "selector": selector, "template": template}
        if (d.get("spec") or {}).get("minReadySeconds"):
            spec["minReadySeconds"] = d["spec"]["minReadySeconds"]
        new_rs = {
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
        self._decide(f"crea el ReplicaSet {new_rs['metadata']['name']} (hash de la plantilla {pod_hash}, "
                     f"revisión {new_revision}) con {new_replicas} réplicas")
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
                    self._decide(f"colisión de hash en {new_rs['metadata']['name']}: collisionCount = {status['collisionCount']}")
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

    # -- scaling ----------------------------------------------------------------------------------------------
    def _scale_rs_and_record(self, rs: dict, new_scale: int, d: dict) -> tuple[bool, dict]:
        """``scaleReplicaSetAndRecordEvent``."""
        if du.spec_replicas(rs) == new_scale:
            return False, rs
        op = "up" if du.spec_replicas(rs) < new_scale else "down"
        return self._scale_rs(rs, new_scale, d, op)

    def _scale_rs(self, rs: dict, new_scale: int, d: dict, op: str) -> tuple[bool, dict]:
        """``scaleReplicaSet``: set spec.replicas and the replicas annotations; event ``ScalingReplicaSet``."""
        size_needs_update = du.spec_replicas(rs) != new_scale
        desired, max_total = du.spec_replicas(d), du.spec_replicas(d) + du.max_surge(d)
        if not (size_needs_update or du.replicas_annotations_need_update(rs, desired, max_total)):
            return False, rs
        old_scale = du.spec_replicas(rs)
        rs_copy = copy.deepcopy(rs)
        rs_copy["spec"]["replicas"] = new_scale
        du.set_replicas_annotations(rs_copy, desired, max_total)
        if size_needs_update:
            self._decide(f"escala el ReplicaSet {rs['metadata']['name']} de {old_scale} a {new_scale}")
        updated = self.client.update(rs_copy)
        if size_needs_update:
            self.client.record_event(d, ev.NORMAL, ev.SCALING_REPLICA_SET,
                                     ev.scaled_rs(op, updated["metadata"]["name"], old_scale, new_scale))
        return size_needs_update, updated

    def _scale(self, d: dict, new_rs: dict | None, old_rss: list[dict]) -> None:
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
        self._decide(f"escalado proporcional: {to_add:+d} réplicas repartidas entre {len(all_rss)} ReplicaSets")
        for i, rs in enumerate(all_rss):
            name = rs["metadata"]["name"]
            if i == 0 and to_add != 0:
                name_to_size[name] = max(0, name_to_size[name] + to_add - added)
            self._scale_rs(rs, name_to_size[name], d, op)

    def _cleanup(self, old_rss: list[dict], d: dict) -> None:
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
            self._decide(f"borra el ReplicaSet antiguo {rs['metadata']['name']} (revisionHistoryLimit "
                         f"{d['spec']['revisionHistoryLimit']})")
            try:
                self.client.delete("ReplicaSet", rs["metadata"]["name"], rs["metadata"].get("namespace"))
            except APIError as err:
                if err.code != 404:
                    raise

    # -- RollingUpdate (rolling.go) ---------------------------------------------------------------------------
    def _rollout_rolling(self, d: dict, rs_list: list[dict]) -> None:
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

    def _reconcile_new_replica_set(self, all_rss: list[dict], new_rs: dict, d: dict) -> tuple[bool, dict]:
        if du.spec_replicas(new_rs) == du.spec_replicas(d):
            return False, new_rs
        if du.spec_replicas(new_rs) > du.spec_replicas(d):
            return self._scale_rs_and_record(new_rs, du.spec_replicas(d), d)
        count = du.new_rs_new_replicas(d, all_rss, new_rs)
        return self._scale_rs_and_record(new_rs, count, d)

    def _reconcile_old_replica_sets(self, all_rss: list[dict], old_rss: list[dict], new_rs: dict, d: dict) -> bool:
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

    def _cleanup_unhealthy_replicas(self, old_rss: list[dict], d: dict, max_cleanup: int) -> tuple[list[dict], int]:
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
            self._decide(f"retira {count} réplicas no disponibles del ReplicaSet antiguo {rs['metadata']['name']}")
            _, updated = self._scale_rs_and_record(rs, new_count, d)
            total += count
            old_rss[i] = updated
        return old_rss, total

    def _scale_down_old_for_rolling_update(self, all_rss: list[dict], old_rss: list[dict], d: dict) -> int:
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

    # -- Recreate (recreate.go) -------------------------------------------------------------------------------
    def _rollout_recreate(self, d: dict, rs_list: list[dict]) -> None:
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
            self._decide("Recreate: espera a que terminen los pods antiguos antes de crear los nuevos")
            self._sync_rollout_status(all_rss, new_rs, d)
            return
        if new_rs is None:
            d, new_rs, old_rss = self._get_all_rs_and_sync_revision(d, rs_list, True)
            all_rss = old_rss + [new_rs]
        assert new_rs is not None
        self._scale_rs_and_record(new_rs, du.spec_replicas(d), d)  # scaleUpNewReplicaSetForRecreate
        if du.deployment_complete(d, d.get("status") or {}):
            self._cleanup(old_rss, d)
        self._sync_rollout_status(all_rss, new_rs, d)

    # -- status (sync.go calculateStatus, progress.go syncRolloutStatus) ----------------------------------------
    def calculate_status(self, all_rss: list[dict | None], new_rs: dict | None, d: dict) -> dict:
        available = du.get_available_replica_count(all_rss)
        total = du.get_replica_count(all_rss)
        status: dict = {
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
            status["conditions"] = copy.deepcopy(old["conditions"])
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

    def _sync_deployment_status(self, all_rss: list[dict | None], new_rs: dict | None, d: dict) -> None:
        new_status = self.calculate_status(all_rss, new_rs, d)
        if new_status == (d.get("status") or {}):
            return
        d["status"] = new_status
        self.client.update_status(d)

    def _sync_rollout_status(self, all_rss: list[dict | None], new_rs: dict | None, d: dict) -> None:
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
                self._decide(f"el despliegue {dname} ha completado el rollout")
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
    def _replica_failures(all_rss: list[dict | None], new_rs: dict | None) -> list[dict]:
        """``getReplicaFailures`` + ``ReplicaSetToDeploymentCondition``."""
        def conds(rs: dict | None) -> list[dict]:
            return [{"type": c["type"], "status": c.get("status"), "lastUpdateTime": c.get("lastTransitionTime"),
                     "lastTransitionTime": c.get("lastTransitionTime"), "reason": c.get("reason"),
                     "message": c.get("message")}
                    for c in ((rs or {}).get("status") or {}).get("conditions") or [] if c.get("type") == "ReplicaFailure"]
        found = conds(new_rs)
        if found:
            return found
        return [c for rs in all_rss for c in conds(rs)]

    def _requeue_stuck(self, d: dict, new_status: dict) -> None:
        """``requeueStuckDeployment``: check again when progressDeadlineSeconds would expire."""
        cond = du.get_deployment_condition(new_status, "Progressing")
        if not du.has_progress_deadline(d) or cond is None or cond.get("reason") in (
                ev.NEW_RS_AVAILABLE_REASON, ev.TIMED_OUT_REASON) or du.deployment_complete(d, new_status):
            return
        from k8sdocs.model.controllers.controller_utils import parse_time_ms

        since = parse_time_ms(cond.get("lastUpdateTime"))
        if since is None:
            return
        after = since + int(d["spec"]["progressDeadlineSeconds"]) * 1000 - self._now_unix_ms()
        # upstream adds one second (time.Duration(...)*time.Second + time.Second) so the deadline is surely past;
        # AddAfter keeps one waiting entry per key (the earliest)
        self.queue.add_after(object_key(d), max(0, after) + 1000)
