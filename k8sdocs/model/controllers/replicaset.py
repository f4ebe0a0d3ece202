"""replicaset-controller (``pkg/controller/replicaset/replica_set.go``, ``replica_set_utils.go`` and the pod control
in ``pkg/controller/controller_utils.go``).

``manageReplicas`` compares the active pods a ReplicaSet controls with ``spec.replicas``: it creates the missing
ones in slow-start batches (1, 2, 4, …; at most ``burstReplicas`` = 500 per sync) with ``generateName: <rs>-``,
the template's labels/annotations and a controller ownerReference, or deletes the surplus chosen by
``ActivePodsWithRanks``. Expectations keep it from acting again before its own creations/deletions are observed.
Then it writes the status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration).

A failed create/delete records ``FailedCreate``/``FailedDelete``, sets the ``ReplicaFailure`` condition and the
sync is retried with the work queue's exponential backoff.

Orphan pods that match the selector are adopted and controlled pods that stop matching are released (ClaimPods),
with a PUT of the pod instead of upstream's PATCH of ``ownerReferences``.

Simplifications (documented): calls inside one slow-start batch run one after the other (upstream: concurrently).
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.api.labels import label_selector_as_selector, selector_from_set
from k8sdocs.model.api.pod import is_pod_ready
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers import events as ev
from k8sdocs.model.controllers.controller_utils import (
    BURST_REPLICAS,
    SLOW_START_INITIAL_BATCH_SIZE,
    ControllerExpectations,
    get_controller_of,
    get_pods_to_delete,
    is_pod_active,
    is_pod_available,
    new_controller_ref,
    object_key,
    slow_start_batch,
    slow_start_batches,
)
from k8sdocs.model.controllers.informers import SharedInformerFactory, WorkQueue
from k8sdocs.model.objcopy import clone
from k8sdocs.model.trace import ObjectRef, Trace

NAME = "replicaset-controller"


def get_pod_from_template(rs: dict[str, Any]) -> dict[str, Any]:
    """``GetPodFromTemplate``: labels, annotations and finalizers of the template, ``generateName: <rs>-``,
    the controller ownerReference and a copy of the template's spec."""
    template = (rs.get("spec") or {}).get("template") or {}
    tmeta = template.get("metadata") or {}
    meta: dict[str, Any] = {"generateName": f"{rs['metadata']['name']}-", "namespace": rs["metadata"].get("namespace")}
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    if tmeta.get("finalizers"):
        meta["finalizers"] = list(tmeta["finalizers"])
    meta["ownerReferences"] = [new_controller_ref(rs)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": clone(template.get("spec") or {})}


def calculate_status(rs: dict[str, Any], active_pods: list[dict[str, Any]], now_unix_ms: int, manage_error: APIError | None = None,
                     now: str = "", terminating: int = 0) -> dict[str, Any]:
    """``calculateStatus`` (replica_set_utils.go), with the ``ReplicaFailure`` condition on a create/delete error.

    ``terminatingReplicas`` is always set: the ``DeploymentReplicaSetTerminatingReplicas`` gate is beta and on by
    default in v1.35 (PR #133087). Keys follow the Go struct's JSON order; zero counts other than ``replicas`` and
    ``terminatingReplicas`` (a pointer) are omitted (omitempty).
    """
    template_labels = selector_from_set(((rs.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels") or {})
    min_ready = int((rs.get("spec") or {}).get("minReadySeconds") or 0)
    fully = sum(1 for p in active_pods if template_labels.matches((p.get("metadata") or {}).get("labels") or {}))
    ready = sum(1 for p in active_pods if is_pod_ready(p))
    available = sum(1 for p in active_pods if is_pod_available(p, min_ready, now_unix_ms))
    status = clone(rs.get("status") or {})
    conditions = [c for c in status.get("conditions") or []]
    failure = next((c for c in conditions if c.get("type") == "ReplicaFailure"), None)
    if manage_error is not None and failure is None:
        diff = len(active_pods) - int((rs.get("spec") or {}).get("replicas", 1))
        reason = ev.FAILED_CREATE if diff < 0 else (ev.FAILED_DELETE if diff > 0 else "")
        conditions.append({"type": "ReplicaFailure", "status": "True", "lastTransitionTime": now,
                           "reason": reason, "message": manage_error.message})
    elif manage_error is None and failure is not None:
        conditions = [c for c in conditions if c.get("type") != "ReplicaFailure"]
    out: dict[str, Any] = {"replicas": len(active_pods)}
    for k, v in (("fullyLabeledReplicas", fully), ("readyReplicas", ready), ("availableReplicas", available)):
        if v:
            out[k] = v
    out["terminatingReplicas"] = terminating
    if status.get("observedGeneration"):
        out["observedGeneration"] = status["observedGeneration"]
    if conditions:
        out["conditions"] = conditions
    return out


class ReplicaSetController:
    def __init__(self, client: Any, clock: Clock, trace: Trace, informers: SharedInformerFactory | None = None,
                 burst_replicas: int = BURST_REPLICAS) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.burst_replicas = burst_replicas
        self.informers = informers or SharedInformerFactory(client)
        self.rs_informer = self.informers.informer("ReplicaSet")
        self.pod_informer = self.informers.informer("Pod")
        self.expectations = ControllerExpectations()
        self.queue = WorkQueue(clock, self.sync_replica_set, NAME)

    # -- wiring -----------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.rs_informer.add_handler(self._enqueue, lambda old, new: self._enqueue(new), self._rs_deleted)
        self.pod_informer.add_handler(self._add_pod, self._update_pod, self._delete_pod)
        self.informers.start()

    def _enqueue(self, rs: dict[str, Any]) -> None:
        self.queue.add(object_key(rs))

    def _rs_deleted(self, rs: dict[str, Any]) -> None:
        self.expectations.delete(object_key(rs))
        self._enqueue(rs)

    def _rs_of(self, pod: dict[str, Any]) -> dict[str, Any] | None:
        ref = get_controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return None
        rs = self.rs_informer.get(ref["name"], pod["metadata"].get("namespace"))
        if rs is None or rs["metadata"].get("uid") != ref.get("uid"):
            return None
        return rs

    def _matching_rss(self, pod: dict[str, Any]) -> list[dict[str, Any]]:
        """``getPodReplicaSets``: ReplicaSets of the pod's namespace whose selector matches its labels."""
        labels = (pod.get("metadata") or {}).get("labels") or {}
        return [rs for rs in self.rs_informer.list(pod["metadata"].get("namespace"))
                if label_selector_as_selector((rs.get("spec") or {}).get("selector")).matches(labels)]

    def _add_pod(self, pod: dict[str, Any]) -> None:
        if pod["metadata"].get("deletionTimestamp"):
            self._delete_pod(pod)
            return
        if get_controller_of(pod) is not None:
            rs = self._rs_of(pod)
            if rs is not None:
                self.expectations.creation_observed(object_key(rs))
                self._enqueue(rs)
            return
        # an orphan: sync every matching ReplicaSet so one of them adopts it
        for rs in self._matching_rss(pod):
            self._enqueue(rs)

    def _update_pod(self, old: dict[str, Any], cur: dict[str, Any]) -> None:
        if old["metadata"].get("resourceVersion") == cur["metadata"].get("resourceVersion"):
            return
        if cur["metadata"].get("deletionTimestamp"):
            self._delete_pod(cur)
            return
        old_rs, cur_rs = self._rs_of(old), self._rs_of(cur)
        if old_rs is not None and (cur_rs is None or object_key(old_rs) != object_key(cur_rs)):
            self._enqueue(old_rs)
        if get_controller_of(cur) is None and (
                (old.get("metadata") or {}).get("labels") != (cur.get("metadata") or {}).get("labels")
                or get_controller_of(old) is not None):
            for rs in self._matching_rss(cur):  # an orphan whose labels changed: try to adopt it
                self._enqueue(rs)
        if cur_rs is not None:
            self._enqueue(cur_rs)
            min_ready = int((cur_rs.get("spec") or {}).get("minReadySeconds") or 0)
            if not is_pod_ready(old) and is_pod_ready(cur) and min_ready > 0:
                # "Requeue the ReplicaSet after minReadySeconds to check if the pod became available."
                self.queue.add_after(object_key(cur_rs), min_ready * 1000 + 1000)

    def _delete_pod(self, pod: dict[str, Any]) -> None:
        rs = self._rs_of(pod)
        if rs is not None:
            self.expectations.deletion_observed(object_key(rs), object_key(pod))
            self._enqueue(rs)

    # -- sync -------------------------------------------------------------------------------------------------
    def _now_unix_ms(self) -> int:
        return self.clock.unix_nano() // 1_000_000

    def _decide(self, rs: dict[str, Any], code: str, **fields: Any) -> None:
        """A decision about ``rs``: its code and fields, the ReplicaSet as ``obj`` and its name as ``replicaset``."""
        meta = rs.get("metadata") or {}
        self.trace.decide(NAME, code, obj=ObjectRef("ReplicaSet", meta.get("namespace") or None, str(meta.get("name"))),
                          replicaset=meta.get("name"), **fields)

    def _claim_pods(self, rs: dict[str, Any]) -> list[dict[str, Any]]:
        """``ClaimPods`` (``controller_ref_manager.go``) over the active pods of the namespace: keep the pods this
        ReplicaSet controls and still selects, adopt matching orphans, release controlled pods that no longer
        match. Upstream adopts/releases with a strategic-merge PATCH of ``ownerReferences``; the model's API has no
        PATCH, so it is a PUT of the pod."""
        selector = label_selector_as_selector((rs.get("spec") or {}).get("selector"))
        uid = rs["metadata"].get("uid")
        deleting = bool(rs["metadata"].get("deletionTimestamp"))
        claimed: list[dict[str, Any]] = []
        can_adopt: bool | None = None
        for p in self.pod_informer.list(rs["metadata"].get("namespace")):
            if not is_pod_active(p):
                continue
            matches = selector.matches((p.get("metadata") or {}).get("labels") or {})
            ref = get_controller_of(p)
            if ref is not None:
                if ref.get("uid") != uid:
                    continue
                if matches:
                    claimed.append(p)
                elif not deleting:
                    self._decide(rs, "PodReleased", pod=p["metadata"]["name"])
                    released = clone(p)
                    released["metadata"]["ownerReferences"] = [
                        o for o in released["metadata"].get("ownerReferences") or [] if o.get("uid") != uid]
                    self._write_owner_refs(released)
                continue
            if deleting or not matches or p["metadata"].get("deletionTimestamp"):
                continue
            if can_adopt is None:
                # RecheckDeletionTimestamp: a fresh GET of the ReplicaSet before the first adoption of the sync
                fresh = self.client.get("ReplicaSet", rs["metadata"]["name"], rs["metadata"].get("namespace"))
                can_adopt = fresh["metadata"].get("uid") == uid and not fresh["metadata"].get("deletionTimestamp")
            if not can_adopt:
                continue
            self._decide(rs, "PodAdopted", pod=p["metadata"]["name"])
            adopted = clone(p)
            adopted["metadata"]["ownerReferences"] = list(adopted["metadata"].get("ownerReferences") or []) + [
                new_controller_ref(rs)]
            written = self._write_owner_refs(adopted)
            if written is not None:
                claimed.append(written)
        return claimed

    def _write_owner_refs(self, pod: dict[str, Any]) -> dict[str, Any] | None:
        if not pod["metadata"].get("ownerReferences"):
            pod["metadata"].pop("ownerReferences", None)
        try:
            written: dict[str, Any] = self.client.update(pod)
            return written
        except APIError as err:
            if err.code == 404:
                return None
            raise

    def _terminating_pods(self, rs: dict[str, Any]) -> list[dict[str, Any]]:
        """``controller.FilterTerminatingPods``: deletionTimestamp set and not yet Succeeded/Failed."""
        uid = rs["metadata"].get("uid")
        return [p for p in self.pod_informer.list(rs["metadata"].get("namespace"))
                if (p.get("metadata") or {}).get("deletionTimestamp")
                and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
                and (get_controller_of(p) or {}).get("uid") == uid]

    def sync_replica_set(self, key: str) -> None:
        ns, _, name = key.rpartition("/")
        rs = self.rs_informer.get(name, ns or None)
        if rs is None:
            self.expectations.delete(key)
            return
        needs_sync = self.expectations.satisfied(key, self.clock.now_ms)
        pods = self._claim_pods(rs)
        manage_error: APIError | None = None
        if needs_sync and not rs["metadata"].get("deletionTimestamp"):
            manage_error = self.manage_replicas(pods, rs)
        new_status = calculate_status(rs, pods, self._now_unix_ms(), manage_error, self.clock.timestamp(),
                                      len(self._terminating_pods(rs)))
        updated = self._update_status(rs, new_status)
        min_ready = int((rs.get("spec") or {}).get("minReadySeconds") or 0)
        spec_replicas = int((rs.get("spec") or {}).get("replicas", 1))
        st = (updated or rs).get("status") or {}
        if manage_error is not None:
            raise manage_error  # the work queue retries the ReplicaSet with exponential backoff
        if min_ready > 0 and int(st.get("readyReplicas") or 0) == spec_replicas and \
                int(st.get("availableReplicas") or 0) != spec_replicas:
            self.queue.add_after(key, min_ready * 1000)

    def _update_status(self, rs: dict[str, Any], new_status: dict[str, Any]) -> dict[str, Any] | None:
        """``updateReplicaSetStatus``: skip the write in the steady state; record observedGeneration."""
        old = rs.get("status") or {}
        generation = int(rs["metadata"].get("generation") or 0)
        fields = ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas")
        if all(int(old.get(f) or 0) == int(new_status.get(f) or 0) for f in fields) and \
                old.get("terminatingReplicas") == new_status.get("terminatingReplicas") and \
                generation == int(old.get("observedGeneration") or 0) and old.get("conditions") == new_status.get("conditions"):
            return None
        ordered = {k: v for k, v in new_status.items() if k != "conditions"}
        ordered["observedGeneration"] = generation
        if new_status.get("conditions"):
            ordered["conditions"] = new_status["conditions"]
        new_status = ordered
        rs = clone(rs)
        rs["status"] = new_status
        try:
            updated: dict[str, Any] = self.client.update_status(rs)
            return updated
        except APIError as err:
            if err.code != 409:
                raise
            # statusUpdateRetries = 1: one GET and one more try with the latest resourceVersion
            latest = self.client.get("ReplicaSet", rs["metadata"]["name"], rs["metadata"].get("namespace"))
            latest["status"] = new_status
            retried: dict[str, Any] = self.client.update_status(latest)
            return retried

    def manage_replicas(self, pods: list[dict[str, Any]], rs: dict[str, Any]) -> APIError | None:
        """``manageReplicas``: returns the first create/delete error (the sync is then retried)."""
        key = object_key(rs)
        spec_replicas = int((rs.get("spec") or {}).get("replicas", 1))
        diff = len(pods) - spec_replicas
        if diff < 0:
            diff = min(-diff, self.burst_replicas)
            self.expectations.expect_creations(key, diff, self.clock.now_ms)
            batches = slow_start_batches(diff, SLOW_START_INITIAL_BATCH_SIZE)
            self._decide(rs, "SuccessfulCreate", pods=len(pods), replicas=spec_replicas, create=diff,
                         batches=",".join(str(b) for b in batches))
            successes, first_error = slow_start_batch(diff, SLOW_START_INITIAL_BATCH_SIZE, lambda: self._create_pod(rs))
            skipped = diff - successes
            if skipped > 0:
                self._decide(rs, "SlowStartFailure", skipped=skipped)
                for _ in range(skipped):
                    self.expectations.creation_observed(key)
            return first_error
        if diff > 0:
            diff = min(diff, self.burst_replicas)
            related = self._indirectly_related_pods(rs)
            victims = get_pods_to_delete(pods, related, diff, self._now_unix_ms())
            self.expectations.expect_deletions(key, [object_key(p) for p in victims], self.clock.now_ms)
            self._decide(rs, "SuccessfulDelete", pods=len(pods), replicas=spec_replicas,
                         victims=",".join(p["metadata"]["name"] for p in victims))
            errors = [e for e in (self._delete_pod_via_api(rs, pod) for pod in victims) if e is not None]
            return errors[0] if errors else None
        return None

    def _create_pod(self, rs: dict[str, Any]) -> APIError | None:
        pod = get_pod_from_template(rs)
        try:
            created = self.client.create(pod)
        except APIError as err:
            self.client.record_event(rs, ev.WARNING, ev.FAILED_CREATE, ev.CREATE_ERROR_MSG.format(err=err.message))
            return err
        self.client.record_event(rs, ev.NORMAL, ev.SUCCESSFUL_CREATE, ev.created_pod(created["metadata"]["name"]))
        return None

    def _delete_pod_via_api(self, rs: dict[str, Any], pod: dict[str, Any]) -> APIError | None:
        name, ns = pod["metadata"]["name"], pod["metadata"].get("namespace")
        try:
            self.client.delete("Pod", name, ns)
        except APIError as err:
            # DeletePod: a NotFound is not reported; the expectation is lowered (manageReplicas)
            self.expectations.deletion_observed(object_key(rs), object_key(pod))
            if err.code == 404:
                return None
            self.client.record_event(rs, ev.WARNING, ev.FAILED_DELETE, ev.DELETE_ERROR_MSG.format(err=err.message))
            return err
        self.client.record_event(rs, ev.NORMAL, ev.SUCCESSFUL_DELETE, ev.deleted_pod(name))
        return None

    def _indirectly_related_pods(self, rs: dict[str, Any]) -> list[dict[str, Any]]:
        """``getIndirectlyRelatedPods``: pods selected by every ReplicaSet with the same controller."""
        ref = get_controller_of(rs)
        if ref is None:
            return []
        ns = rs["metadata"].get("namespace")
        seen: set[str] = set()
        related: list[dict[str, Any]] = []
        pods = self.pod_informer.list(ns)
        for other in self.rs_informer.list(ns):
            if (get_controller_of(other) or {}).get("uid") != ref.get("uid"):
                continue
            sel = label_selector_as_selector((other.get("spec") or {}).get("selector"))
            for p in pods:
                uid = p["metadata"].get("uid")
                if uid in seen or not sel.matches(p["metadata"].get("labels") or {}):
                    continue
                seen.add(uid)
                related.append(p)
        return related
