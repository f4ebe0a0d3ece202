"""Pure Deployment arithmetic and bookkeeping, ported from ``pkg/controller/deployment/util/deployment_util.go``
(and ``staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr.go``). No client, no clock: callers pass ``now``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cmp_to_key
from typing import Any

from k8sdocs.model.api.gotime import parse_time_ms
from k8sdocs.model.controllers.controller_utils import POD_TEMPLATE_HASH_LABEL
from k8sdocs.model.objcopy import clone

# deployment_util.go annotation keys
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
ROLLBACK_TO_ANNOTATION = "deprecated.deployment.rollback.to"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
# annotationsToSkip in deployment_util.go: never copied from the Deployment to its ReplicaSets
ANNOTATIONS_TO_SKIP = frozenset({
    LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION,
})
# pkg/controller/deployment/sync.go: maxRevHistoryLengthInChars
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000
MAX_INT32 = 2**31 - 1


class IntOrStringError(ValueError):
    pass


# -- intstr ------------------------------------------------------------------------------------------------------
def get_scaled_value_from_int_or_percent(value: int | str | None, total: int, round_up: bool) -> int:
    """``intstr.GetScaledValueFromIntOrPercent``: ints as they are; ``"25%"`` scaled by ``total`` with
    ``math.Ceil`` (round_up) or ``math.Floor``."""
    if value is None:
        raise IntOrStringError("nil value for IntOrString")
    if isinstance(value, bool):
        raise IntOrStringError(f"invalid type for IntOrString: {value!r}")
    if isinstance(value, int):
        return value
    s = str(value)
    if not s.endswith("%"):
        # intstr.go getIntOrPercentValueSafely: "invalid value for IntOrString: invalid type: string is not a percentage"
        raise IntOrStringError("invalid value for IntOrString: invalid type: string is not a percentage")
    pct = _atoi(s[:-1])
    if isinstance(pct, str):
        raise IntOrStringError(f'invalid value for IntOrString: invalid value "{s}": {pct}')
    scaled = pct * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def _atoi(text: str) -> int | str:
    """Go's ``strconv.Atoi``: the int, or its error text."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return f'strconv.Atoi: parsing "{text}": invalid syntax'
    value = int(text)
    if not -(2**63) <= value < 2**63:
        return f'strconv.Atoi: parsing "{text}": value out of range'
    return value


def resolve_fenceposts(max_surge: int | str | None, max_unavailable: int | str | None, desired: int) -> tuple[int, int]:
    """``ResolveFenceposts``: surge rounds up, unavailable rounds down; both zero → unavailable 1."""
    surge = get_scaled_value_from_int_or_percent(0 if max_surge is None else max_surge, desired, True)
    unavailable = get_scaled_value_from_int_or_percent(0 if max_unavailable is None else max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        # "If both fenceposts resolve to zero, then we should set maxUnavailable to 1 on the theory that surge
        # might not work due to quota."
        unavailable = 1
    return surge, unavailable


# -- accessors ---------------------------------------------------------------------------------------------------
def spec_replicas(obj: dict[str, Any]) -> int:
    r = (obj.get("spec") or {}).get("replicas")
    return 1 if r is None else int(r)


def status_int(obj: dict[str, Any], field: str) -> int:
    return int((obj.get("status") or {}).get(field) or 0)


def annotations_of(obj: dict[str, Any]) -> dict[str, Any]:
    return (obj.get("metadata") or {}).get("annotations") or {}


def is_rolling_update(d: dict[str, Any]) -> bool:
    return ((d.get("spec") or {}).get("strategy") or {}).get("type") == "RollingUpdate"


def _rolling(d: dict[str, Any]) -> dict[str, Any]:
    return ((d.get("spec") or {}).get("strategy") or {}).get("rollingUpdate") or {}


def max_surge(d: dict[str, Any]) -> int:
    """``MaxSurge``: 0 unless RollingUpdate."""
    if not is_rolling_update(d):
        return 0
    ru = _rolling(d)
    return resolve_fenceposts(ru.get("maxSurge"), ru.get("maxUnavailable"), spec_replicas(d))[0]


def max_unavailable(d: dict[str, Any]) -> int:
    """``MaxUnavailable``: 0 unless RollingUpdate with replicas > 0; never more than replicas."""
    replicas = spec_replicas(d)
    if not is_rolling_update(d) or replicas == 0:
        return 0
    ru = _rolling(d)
    unavailable = resolve_fenceposts(ru.get("maxSurge"), ru.get("maxUnavailable"), replicas)[1]
    return min(unavailable, replicas)


def min_available(d: dict[str, Any]) -> int:
    """``MinAvailable``: 0 unless RollingUpdate; else replicas - MaxUnavailable."""
    if not is_rolling_update(d):
        return 0
    return spec_replicas(d) - max_unavailable(d)


def get_replica_count(rss: Sequence[dict[str, Any] | None]) -> int:
    """``GetReplicaCountForReplicaSets``: sum of spec.replicas."""
    return sum(spec_replicas(rs) for rs in rss if rs is not None)


def get_actual_replica_count(rss: Sequence[dict[str, Any] | None]) -> int:
    return sum(status_int(rs, "replicas") for rs in rss if rs is not None)


def get_ready_replica_count(rss: Sequence[dict[str, Any] | None]) -> int:
    return sum(status_int(rs, "readyReplicas") for rs in rss if rs is not None)


def get_available_replica_count(rss: Sequence[dict[str, Any] | None]) -> int:
    return sum(status_int(rs, "availableReplicas") for rs in rss if rs is not None)


def get_terminating_replica_count(rss: Sequence[dict[str, Any] | None]) -> int | None:
    """``GetTerminatingReplicaCountForReplicaSets``: nil as soon as one ReplicaSet the ReplicaSet controller has
    already observed (observedGeneration > 0) does not report ``terminatingReplicas``; one it has not observed yet
    counts 0 (deployment_util_test.go@00216e45 TestGetReplicaCountForReplicaSets rows "scaling up rs3" and
    "invalid/unknown terminating status for rs4")."""
    total = 0
    for rs in rss:
        if rs is None:
            continue
        status = rs.get("status") or {}
        value = status.get("terminatingReplicas")
        if value is None:
            if not status.get("observedGeneration"):
                continue
            return None
        total += int(value)
    return total


def new_rs_new_replicas(d: dict[str, Any], all_rss: Sequence[dict[str, Any] | None], new_rs: dict[str, Any]) -> int:
    """``NewRSNewReplicas``: how big the new ReplicaSet may get now."""
    strategy = ((d.get("spec") or {}).get("strategy") or {}).get("type") or ""
    replicas = spec_replicas(d)
    if strategy == "RollingUpdate":
        surge = get_scaled_value_from_int_or_percent(_rolling(d).get("maxSurge", 0), replicas, True)
        current = get_replica_count(all_rss)
        max_total = replicas + surge
        if current >= max_total:
            return spec_replicas(new_rs)  # Cannot scale up.
        scale_up = min(max_total - current, replicas - spec_replicas(new_rs))
        return spec_replicas(new_rs) + scale_up
    if strategy == "Recreate":
        return replicas
    raise ValueError(f"deployment type {strategy} isn't supported")


# -- ordering ----------------------------------------------------------------------------------------------------
def _created(rs: dict[str, Any]) -> int:
    return parse_time_ms((rs.get("metadata") or {}).get("creationTimestamp")) or 0


def by_creation_timestamp(rss: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``controller.ReplicaSetsByCreationTimestamp``: oldest first, ties by name."""
    return sorted(rss, key=lambda rs: (_created(rs), rs["metadata"]["name"]))


def by_size_newer(rss: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ReplicaSetsBySizeNewer``: bigger first; same size → newer first."""
    def cmp(a: dict[str, Any], b: dict[str, Any]) -> int:
        if spec_replicas(a) == spec_replicas(b):
            ka, kb = (_created(a), a["metadata"]["name"]), (_created(b), b["metadata"]["name"])
            return -1 if ka > kb else (1 if ka < kb else 0)
        return -1 if spec_replicas(a) > spec_replicas(b) else 1
    return sorted(rss, key=cmp_to_key(cmp))


def by_size_older(rss: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ReplicaSetsBySizeOlder``: bigger first; same size → older first."""
    def cmp(a: dict[str, Any], b: dict[str, Any]) -> int:
        if spec_replicas(a) == spec_replicas(b):
            ka, kb = (_created(a), a["metadata"]["name"]), (_created(b), b["metadata"]["name"])
            return -1 if ka < kb else (1 if ka > kb else 0)
        return -1 if spec_replicas(a) > spec_replicas(b) else 1
    return sorted(rss, key=cmp_to_key(cmp))


def revision(rs: dict[str, Any]) -> int:
    try:
        return int(annotations_of(rs).get(REVISION_ANNOTATION, ""))
    except ValueError:
        return 0


def by_revision(rss: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ReplicaSetsByRevision``: lowest revision first, ties by creation time."""
    return sorted(rss, key=lambda rs: (revision(rs), _created(rs), rs["metadata"]["name"]))


def max_revision(rss: list[dict[str, Any]]) -> int:
    return max((revision(rs) for rs in rss), default=0)


def filter_active(rss: Sequence[dict[str, Any] | None]) -> list[dict[str, Any]]:
    """``FilterActiveReplicaSets``: spec.replicas > 0."""
    return [rs for rs in rss if rs is not None and spec_replicas(rs) > 0]


# -- templates ---------------------------------------------------------------------------------------------------
def _without_hash(template: dict[str, Any] | None) -> dict[str, Any]:
    t = clone(template or {})
    labels = (t.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(POD_TEMPLATE_HASH_LABEL, None)
        if not labels:
            t["metadata"].pop("labels")
    if isinstance(t.get("metadata"), dict) and not t["metadata"]:
        t.pop("metadata")
    return t


def _semantic(value: object) -> object:
    """What ``apiequality.Semantic.DeepEqual`` compares: nil and empty maps/slices alike (dropped here)."""
    if isinstance(value, dict):
        out = {k: _semantic(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != {} and v != []}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


def equal_ignore_hash(t1: dict[str, Any] | None, t2: dict[str, Any] | None) -> bool:
    """``EqualIgnoreHash``: templates semantically equal once the pod-template-hash label is removed from both."""
    return _semantic(_without_hash(t1)) == _semantic(_without_hash(t2))


def find_new_replica_set(d: dict[str, Any], rss: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``FindNewReplicaSet``: the oldest ReplicaSet whose template equals the Deployment's."""
    for rs in by_creation_timestamp(rss):
        if equal_ignore_hash((rs.get("spec") or {}).get("template"), (d.get("spec") or {}).get("template")):
            return rs
    return None


def find_old_replica_sets(d: dict[str, Any], rss: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``FindOldReplicaSets``: (old ones with pods, all old ones)."""
    new_rs = find_new_replica_set(d, rss)
    required, all_old = [], []
    # Upstream FindNewReplicaSet sorts rsList in place (oldest first) and the new one is skipped by UID; a
    # ReplicaSet without a UID (never stored) is skipped only when it is that very object.
    for rs in by_creation_timestamp(rss):
        new_uid = (new_rs or {}).get("metadata", {}).get("uid")
        if new_rs is not None and (rs is new_rs or (new_uid and rs["metadata"].get("uid") == new_uid)):
            continue
        all_old.append(rs)
        if spec_replicas(rs) != 0:
            required.append(rs)
    return required, all_old


# -- annotations -------------------------------------------------------------------------------------------------
def set_replicas_annotations(rs: dict[str, Any], desired: int, max_replicas: int) -> bool:
    """``SetReplicasAnnotations``: desired-replicas and max-replicas; True when something changed."""
    ann = rs.setdefault("metadata", {}).setdefault("annotations", {})
    updated = False
    if ann.get(DESIRED_REPLICAS_ANNOTATION) != str(desired):
        ann[DESIRED_REPLICAS_ANNOTATION] = str(desired)
        updated = True
    if ann.get(MAX_REPLICAS_ANNOTATION) != str(max_replicas):
        ann[MAX_REPLICAS_ANNOTATION] = str(max_replicas)
        updated = True
    return updated


def replicas_annotations_need_update(rs: dict[str, Any], desired: int, max_replicas: int) -> bool:
    ann = annotations_of(rs)
    return ann.get(DESIRED_REPLICAS_ANNOTATION) != str(desired) or ann.get(MAX_REPLICAS_ANNOTATION) != str(max_replicas)


def copy_deployment_annotations_to_rs(d: dict[str, Any], rs: dict[str, Any]) -> bool:
    ann = rs.setdefault("metadata", {}).setdefault("annotations", {})
    changed = False
    for k, v in sorted(annotations_of(d).items()):
        if k in ANNOTATIONS_TO_SKIP or ann.get(k) == v:
            continue
        ann[k] = v
        changed = True
    return changed


def set_new_replica_set_annotations(d: dict[str, Any], rs: dict[str, Any], new_revision: str, exists: bool,
                                    rev_history_limit_in_chars: int = MAX_REV_HISTORY_LENGTH_IN_CHARS) -> bool:
    """``SetNewReplicaSetAnnotations``: copy the Deployment's annotations, raise the revision, keep the
    revision history of a ReplicaSet that is rolled back to, and (new ReplicaSet) the replicas annotations."""
    changed = copy_deployment_annotations_to_rs(d, rs)
    ann = rs["metadata"]["annotations"]
    had = REVISION_ANNOTATION in ann
    old_revision = ann.get(REVISION_ANNOTATION, "")
    try:
        old_int = int(old_revision)
    except ValueError:
        if old_revision != "":
            return False
        old_int = 0
    new_int = int(new_revision)
    if old_int < new_int:
        ann[REVISION_ANNOTATION] = new_revision
        changed = True
    if had and old_int < new_int:
        history = ann.get(REVISION_HISTORY_ANNOTATION, "")
        old_revisions = history.split(",")
        if len(old_revisions[0]) == 0:
            ann[REVISION_HISTORY_ANNOTATION] = old_revision
        else:
            total = len(history) + len(old_revision) + 1
            start = 0
            while total > rev_history_limit_in_chars and start < len(old_revisions):
                total = total - len(old_revisions[start]) - 1
                start += 1
            if total <= rev_history_limit_in_chars:
                ann[REVISION_HISTORY_ANNOTATION] = ",".join(old_revisions[start:] + [old_revision])
    if not exists and set_replicas_annotations(rs, spec_replicas(d), spec_replicas(d) + max_surge(d)):
        changed = True
    return changed


# -- proportional scaling ----------------------------------------------------------------------------------------
def _round_to_int32(a: float) -> int:
    """``integer.RoundToInt32``: half away from zero."""
    return int(a - 0.5) if a < 0 else int(a + 0.5)


def get_replica_set_fraction(rs: dict[str, Any], d: dict[str, Any]) -> int:
    """``getReplicaSetFraction``."""
    if spec_replicas(d) == 0:
        return -spec_replicas(rs)
    deployment_max = spec_replicas(d) + max_surge(d)
    try:
        before = int(annotations_of(rs).get(MAX_REPLICAS_ANNOTATION, ""))
        ok = True
    except ValueError:
        before, ok = 0, False
    if not ok or before == 0:
        # "If we cannot find the annotation then fallback to the current deployment size."
        before = status_int(d, "replicas")
        if before == 0:
            return 0
    new_size = spec_replicas(rs) * deployment_max / before
    return _round_to_int32(new_size) - spec_replicas(rs)


def get_replica_set_proportion(rs: dict[str, Any] | None, d: dict[str, Any], to_add: int, added: int) -> int:
    """``GetReplicaSetProportion``: the share of ``to_add`` for one ReplicaSet, never past what is left."""
    if rs is None or spec_replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = get_replica_set_fraction(rs, d)
    allowed = to_add - added
    if to_add > 0:
        return min(fraction, allowed)
    return max(fraction, allowed)


def is_saturated(d: dict[str, Any], rs: dict[str, Any] | None) -> bool:
    """``IsSaturated``: the new ReplicaSet has (and declares) all the Deployment's replicas, all available."""
    if rs is None:
        return False
    desired = _atoi(str(annotations_of(rs).get(DESIRED_REPLICAS_ANNOTATION, "")))
    if isinstance(desired, str):
        return False
    return spec_replicas(rs) == spec_replicas(d) and desired == spec_replicas(d) and \
        status_int(rs, "availableReplicas") == spec_replicas(d)


def find_active_or_latest(new_rs: dict[str, Any] | None, old_rss: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``FindActiveOrLatest``: the only active ReplicaSet, or the newest one when none is active."""
    if new_rs is None and not old_rss:
        return None
    olds = list(reversed(by_creation_timestamp(old_rss)))
    active = filter_active(olds + [new_rs])
    if not active:
        return new_rs if new_rs is not None else olds[0]
    if len(active) == 1:
        return active[0]
    return None


# -- conditions and status ---------------------------------------------------------------------------------------
def get_deployment_condition(status: dict[str, Any], ctype: str) -> dict[str, Any] | None:
    conditions: list[dict[str, Any]] = status.get("conditions") or []
    for c in conditions:
        if c.get("type") == ctype:
            return c
    return None


def new_deployment_condition(ctype: str, status: str, reason: str, message: str, now: str) -> dict[str, Any]:
    return {"type": ctype, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


def set_deployment_condition(status: dict[str, Any], condition: dict[str, Any]) -> None:
    """``SetDeploymentCondition``: no-op when status and reason are unchanged; keeps lastTransitionTime when only
    the reason changes; the condition moves to the end of the list."""
    current = get_deployment_condition(status, condition["type"])
    if current is not None and current.get("status") == condition["status"] and current.get("reason") == condition["reason"]:
        return
    if current is not None and current.get("status") == condition["status"]:
        condition = dict(condition, lastTransitionTime=current.get("lastTransitionTime"))
    status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != condition["type"]] + [condition]


def remove_deployment_condition(status: dict[str, Any], ctype: str) -> None:
    conds = [c for c in status.get("conditions") or [] if c.get("type") != ctype]
    if conds:
        status["conditions"] = conds
    else:
        status.pop("conditions", None)


def has_progress_deadline(d: dict[str, Any]) -> bool:
    pds = (d.get("spec") or {}).get("progressDeadlineSeconds")
    return pds is not None and int(pds) != MAX_INT32


def has_revision_history_limit(d: dict[str, Any]) -> bool:
    rhl = (d.get("spec") or {}).get("revisionHistoryLimit")
    return rhl is not None and int(rhl) != MAX_INT32


def deployment_complete(d: dict[str, Any], new_status: dict[str, Any]) -> bool:
    """``DeploymentComplete``: all replicas updated and available, and the latest generation observed."""
    r = spec_replicas(d)
    return (int(new_status.get("updatedReplicas") or 0) == r and int(new_status.get("replicas") or 0) == r
            and int(new_status.get("availableReplicas") or 0) == r
            and int(new_status.get("observedGeneration") or 0) >= int((d.get("metadata") or {}).get("generation") or 0))


def deployment_progressing(d: dict[str, Any], new_status: dict[str, Any]) -> bool:
    """``DeploymentProgressing``: more updated/ready/available replicas, or fewer old ones, than before."""
    old = d.get("status") or {}

    def g(s: dict[str, Any], k: str) -> int:
        return int(s.get(k) or 0)

    old_old = g(old, "replicas") - g(old, "updatedReplicas")
    new_old = g(new_status, "replicas") - g(new_status, "updatedReplicas")
    return (g(new_status, "updatedReplicas") > g(old, "updatedReplicas") or new_old < old_old
            or g(new_status, "readyReplicas") > g(old, "readyReplicas")
            or g(new_status, "availableReplicas") > g(old, "availableReplicas"))


def deployment_timed_out(d: dict[str, Any], new_status: dict[str, Any], now_ms: int) -> bool:
    """``DeploymentTimedOut``: the Progressing condition's lastUpdateTime + progressDeadlineSeconds is past."""
    if not has_progress_deadline(d):
        return False
    cond = get_deployment_condition(new_status, "Progressing")
    if cond is None or cond.get("reason") == "NewReplicaSetAvailable":
        return False
    if cond.get("reason") == "ProgressDeadlineExceeded":
        return True
    since = parse_time_ms(cond.get("lastUpdateTime"))
    if since is None:
        return True  # a zero lastUpdateTime plus the deadline is long past
    return since + int(d["spec"]["progressDeadlineSeconds"]) * 1000 < now_ms
