"""Helpers shared by the controllers, mirroring ``pkg/controller/controller_utils.go`` (and a few pod helpers from
``pkg/api/v1/pod/util.go``): the pod-template hash, slow-start batches, the order in which a ReplicaSet deletes
pods (``ActivePodsWithRanks``), expectations, and owner references.

Pure functions only: no client, no clock. Times are handled as integer milliseconds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cmp_to_key
from typing import Any, Callable, Iterable, TypeVar

from k8sdocs.model.api.gotime import parse_time_ms
from k8sdocs.model.api.pod import is_pod_ready

# pkg/controller/replicaset/replica_set.go: "Realistic value of the burstReplica field for the replica set manager
# based off performance requirements for kubernetes 1.0."
BURST_REPLICAS = 500
# pkg/controller/controller_utils.go
SLOW_START_INITIAL_BATCH_SIZE = 1
EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000  # ExpectationsTimeout = 5 * time.Minute
# staging/src/k8s.io/api/apps/v1/types.go: DefaultDeploymentUniqueLabelKey
POD_TEMPLATE_HASH_LABEL = "pod-template-hash"
# pkg/apis/core/types.go (PodDeletionCost): annotation read by helper.GetDeletionCostFromPodAnnotations
POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost"

# staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go: "We omit vowels from the set of available characters to
# reduce the chances of "bad words" being formed."
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"


# -- pod-template-hash ------------------------------------------------------------------------------------------
def safe_encode_string(s: str) -> str:
    """``rand.SafeEncodeString``: ``alphanums[int(b) % len(alphanums)]`` for every rune."""
    return "".join(ALPHANUMS[ord(ch) % len(ALPHANUMS)] for ch in s)


def fnv1a_32(data: bytes) -> int:
    """``hash/fnv`` New32a: offset basis 2166136261, prime 16777619."""
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def compute_hash(template: dict[str, Any], collision_count: int | None) -> str:
    """``controller.ComputeHash`` (pkg/controller/controller_utils.go).

    Upstream feeds FNV-1a 32 with go-spew's ``%#v`` dump of the Go ``PodTemplateSpec`` struct
    (``hashutil.DeepHashObject``), then ``binary.LittleEndian.PutUint32`` of the collision count into an 8-byte
    slice, and returns ``rand.SafeEncodeString(fmt.Sprint(hash.Sum32()))``. This model hashes a canonical JSON of the
    manifest-shaped template instead of the spew dump, so the value has upstream's alphabet (``4-9bcdf``) and
    length (the decimal digits of a uint32) but is NOT byte-identical to what a real cluster computes.
    """
    data = json.dumps(template, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    if collision_count is not None:
        data += (int(collision_count) & 0xFFFFFFFF).to_bytes(4, "little") + b"\x00\x00\x00\x00"
    return safe_encode_string(str(fnv1a_32(data)))


# -- slow start -------------------------------------------------------------------------------------------------
def slow_start_batches(count: int, initial_batch_size: int = SLOW_START_INITIAL_BATCH_SIZE) -> list[int]:
    """Batch sizes of ``slowStartBatch``: ``for batchSize := min(remaining, initialBatchSize); batchSize > 0;
    batchSize = min(2*batchSize, remaining)`` (pkg/controller/replicaset/replica_set.go)."""
    sizes: list[int] = []
    remaining = count
    batch = min(remaining, initial_batch_size)
    while batch > 0:
        sizes.append(batch)
        remaining -= batch
        batch = min(2 * batch, remaining)
    return sizes


E = TypeVar("E", bound=Exception)


def slow_start_batch(count: int, initial_batch_size: int, fn: Callable[[], E | None]) -> tuple[int, E | None]:
    """Run ``fn`` ``count`` times in growing batches; stop after the first batch with an error.

    Returns ``(successes, first_error)`` as upstream's ``slowStartBatch``. Calls inside a batch run concurrently
    upstream; here they run one after the other, in order (deterministic).
    """
    successes = 0
    for size in slow_start_batches(count, initial_batch_size):
        errors = [e for e in (fn() for _ in range(size)) if e is not None]
        successes += size - len(errors)
        if errors:
            return successes, errors[0]
    return successes, None


# -- pods -------------------------------------------------------------------------------------------------------
def _meta(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("metadata") or {}


def _status(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("status") or {}


def get_condition(obj: dict[str, Any], ctype: str) -> dict[str, Any] | None:
    conditions: list[dict[str, Any]] = _status(obj).get("conditions") or []
    for c in conditions:
        if c.get("type") == ctype:
            return c
    return None


def is_pod_active(pod: dict[str, Any]) -> bool:
    """``controller.IsPodActive``: not Succeeded, not Failed, no deletionTimestamp."""
    return _status(pod).get("phase") not in ("Succeeded", "Failed") and not _meta(pod).get("deletionTimestamp")


def is_pod_available(pod: dict[str, Any], min_ready_seconds: int, now_ms: int) -> bool:
    """``podutil.IsPodAvailable``: ready, and ready for longer than ``minReadySeconds``."""
    if not is_pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    since = parse_time_ms((get_condition(pod, "Ready") or {}).get("lastTransitionTime"))
    # Upstream: lastTransitionTime.Add(minReadySeconds).Before(now). lastTransitionTime is truncated to the second
    # and the re-check queued with AddAfter(minReadySeconds) runs a little after the deadline, so in real time the
    # check at the deadline passes; in zero-latency simulated time that instant is equality, hence "<=".
    return since is not None and since + int(min_ready_seconds) * 1000 <= now_ms


def pod_ready_time_ms(pod: dict[str, Any]) -> int | None:
    """``podReadyTime``: lastTransitionTime of Ready=True, else the zero time (``None``)."""
    if is_pod_ready(pod):
        return parse_time_ms((get_condition(pod, "Ready") or {}).get("lastTransitionTime"))
    return None


def get_controller_of(obj: dict[str, Any]) -> dict[str, Any] | None:
    """``metav1.GetControllerOf``: the ownerReference with ``controller: true``."""
    refs: list[dict[str, Any]] = _meta(obj).get("ownerReferences") or []
    for ref in refs:
        if ref.get("controller"):
            return ref
    return None


def new_controller_ref(owner: dict[str, Any]) -> dict[str, Any]:
    """``metav1.NewControllerRef``: controller and blockOwnerDeletion are true."""
    meta = _meta(owner)
    return {
        "apiVersion": owner.get("apiVersion"),
        "kind": owner.get("kind"),
        "name": meta.get("name"),
        "uid": meta.get("uid"),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def object_key(obj: dict[str, Any]) -> str:
    meta = _meta(obj)
    return f"{meta['namespace']}/{meta['name']}" if meta.get("namespace") else str(meta.get("name"))


# -- which pods to delete first (ActivePodsWithRanks) -------------------------------------------------------------
# pkg/controller/controller_utils.go: podPhaseToOrdinal
POD_PHASE_TO_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def deletion_cost(pod: dict[str, Any]) -> int:
    """``helper.GetDeletionCostFromPodAnnotations``: an int32, 0 when absent or invalid."""
    raw = (_meta(pod).get("annotations") or {}).get(POD_DELETION_COST_ANNOTATION)
    if raw is None:
        return 0
    try:
        value = int(str(raw).strip())
    except ValueError:
        return 0
    return value if -(2**31) <= value < 2**31 else 0


def max_container_restarts(pod: dict[str, Any]) -> tuple[int, int]:
    """``maxContainerRestarts``: (regular containers, restartable init containers = sidecars)."""
    status = _status(pod)
    regular = max([int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or []], default=0)
    sidecar_names = {
        c.get("name") for c in ((pod.get("spec") or {}).get("initContainers") or []) if c.get("restartPolicy") == "Always"
    }
    sidecar = max(
        [int(c.get("restartCount") or 0) for c in status.get("initContainerStatuses") or [] if c.get("name") in sidecar_names],
        default=0,
    )
    return regular, sidecar


def _after_or_zero(t1: int | None, t2: int | None) -> bool:
    """``afterOrZero``: a zero time counts as after a non-zero one."""
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _log_rank(now_ms: int, t_ms: int) -> int:
    """``int64(math.Log2(float64(d)))`` of the duration in nanoseconds, -1 when not positive."""
    d_ns = (now_ms - t_ms) * 1_000_000
    return int(math.log2(d_ns)) if d_ns > 0 else -1


def _log_compare(t1: int | None, t2: int | None, uid1: str, uid2: str, now_ms: int | None) -> bool:
    # LogarithmicScaleDown (GA): compare log2 buckets of the age, ties broken by the lower UID.
    if now_ms is None or t1 is None or t2 is None:
        return _after_or_zero(t1, t2)
    diff = _log_rank(now_ms, t1) - _log_rank(now_ms, t2)
    if diff == 0:
        return uid1 < uid2
    return diff < 0


@dataclass(frozen=True)
class RankedPod:
    pod: dict[str, Any]
    rank: int  # active related pods on the same node


def pod_less(a: RankedPod, b: RankedPod, now_ms: int | None) -> bool:
    """``ActivePodsWithRanks.Less`` (pkg/controller/controller_utils.go); "less" = deleted first.

    1. Unassigned < assigned; 2. PodPending < PodUnknown < PodRunning; 3. Not ready < ready;
    4. lower pod-deletion-cost < higher; 5. doubled up (higher rank) < not doubled up;
    6. been ready for empty time < less time < more time; 7. higher restart counts < lower;
    8. empty creation time < newer < older.
    """
    pi, pj = a.pod, b.pod
    ni, nj = (pi.get("spec") or {}).get("nodeName") or "", (pj.get("spec") or {}).get("nodeName") or ""
    if ni != nj and (not ni or not nj):
        return not ni
    oi = POD_PHASE_TO_ORDINAL.get(_status(pi).get("phase") or "", 0)
    oj = POD_PHASE_TO_ORDINAL.get(_status(pj).get("phase") or "", 0)
    if oi != oj:
        return oi < oj
    ri, rj = is_pod_ready(pi), is_pod_ready(pj)
    if ri != rj:
        return not ri
    ci, cj = deletion_cost(pi), deletion_cost(pj)
    if ci != cj:
        return ci < cj
    if a.rank != b.rank:
        return a.rank > b.rank
    uid_i, uid_j = str(_meta(pi).get("uid") or ""), str(_meta(pj).get("uid") or "")
    if ri and rj:
        t1, t2 = pod_ready_time_ms(pi), pod_ready_time_ms(pj)
        if t1 != t2:
            return _log_compare(t1, t2, uid_i, uid_j, now_ms)
    (rgi, sci), (rgj, scj) = max_container_restarts(pi), max_container_restarts(pj)
    if rgi != rgj:
        return rgi > rgj
    if sci != scj:
        return sci > scj
    c1, c2 = parse_time_ms(_meta(pi).get("creationTimestamp")), parse_time_ms(_meta(pj).get("creationTimestamp"))
    if c1 != c2:
        return _log_compare(c1, c2, uid_i, uid_j, now_ms)
    return False


def active_pods_less(pi: dict[str, Any], pj: dict[str, Any]) -> bool:
    """``ActivePods.Less`` (no deletion cost, no rank, no logarithmic buckets): unassigned < assigned;
    Pending < Unknown < Running; not ready < ready; ready for less time < more (zero first); more restarts <
    fewer (regular containers, then sidecars); empty creation time < newer < older."""
    ni, nj = (pi.get("spec") or {}).get("nodeName") or "", (pj.get("spec") or {}).get("nodeName") or ""
    if ni != nj and (not ni or not nj):
        return not ni
    oi = POD_PHASE_TO_ORDINAL.get(_status(pi).get("phase") or "", 0)
    oj = POD_PHASE_TO_ORDINAL.get(_status(pj).get("phase") or "", 0)
    if oi != oj:
        return oi < oj
    ri, rj = is_pod_ready(pi), is_pod_ready(pj)
    if ri != rj:
        return not ri
    if ri and rj:
        t1, t2 = pod_ready_time_ms(pi), pod_ready_time_ms(pj)
        if t1 != t2:
            return _after_or_zero(t1, t2)
    (rgi, sci), (rgj, scj) = max_container_restarts(pi), max_container_restarts(pj)
    if rgi != rgj:
        return rgi > rgj
    if sci != scj:
        return sci > scj
    c1, c2 = parse_time_ms(_meta(pi).get("creationTimestamp")), parse_time_ms(_meta(pj).get("creationTimestamp"))
    if c1 != c2:
        return _after_or_zero(c1, c2)
    return False


def filter_active_pods(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``FilterActivePods``: the pods for which IsPodActive holds, in their order."""
    return [p for p in pods if p is not None and is_pod_active(p)]


def is_pod_terminating(pod: dict[str, Any]) -> bool:
    """``isPodTerminating``: not terminal (Succeeded/Failed) and a deletionTimestamp set."""
    return _status(pod).get("phase") not in ("Succeeded", "Failed") and bool(_meta(pod).get("deletionTimestamp"))


def filter_terminating_pods(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in pods if p is not None and is_pod_terminating(p)]


def count_terminating_pods(pods: list[dict[str, Any]]) -> int:
    """``CountTerminatingPods``."""
    return len(filter_terminating_pods(pods))


def rank_pods_by_related_on_same_node(pods: Iterable[dict[str, Any]], related: Iterable[dict[str, Any]]) -> list[RankedPod]:
    """``getPodsRankedByRelatedPodsOnSameNode``: rank = active related pods on the pod's node."""
    on_node: dict[str, int] = {}
    for p in related:
        if is_pod_active(p):
            n = (p.get("spec") or {}).get("nodeName") or ""
            on_node[n] = on_node.get(n, 0) + 1
    return [RankedPod(p, on_node.get((p.get("spec") or {}).get("nodeName") or "", 0)) for p in pods]


def sort_pods_for_deletion(pods: list[dict[str, Any]], related: list[dict[str, Any]], now_ms: int | None) -> list[dict[str, Any]]:
    """Pods in deletion order. Upstream uses Go's unstable ``sort.Sort``; this model sorts by name first and then
    stably, so ties that upstream leaves to the sort algorithm come out by name (deterministic)."""
    ranked = rank_pods_by_related_on_same_node(sorted(pods, key=lambda p: _meta(p).get("name") or ""), related)

    def cmp(x: RankedPod, y: RankedPod) -> int:
        if pod_less(x, y, now_ms):
            return -1
        if pod_less(y, x, now_ms):
            return 1
        return 0

    return [r.pod for r in sorted(ranked, key=cmp_to_key(cmp))]


def get_pods_to_delete(pods: list[dict[str, Any]], related: list[dict[str, Any]], diff: int, now_ms: int | None) -> list[dict[str, Any]]:
    """``getPodsToDelete`` (replica_set.go): sort only when not deleting all of them."""
    if diff < len(pods):
        return sort_pods_for_deletion(pods, related, now_ms)[:diff]
    return sorted(pods, key=lambda p: _meta(p).get("name") or "")[:diff]


# -- expectations -----------------------------------------------------------------------------------------------
@dataclass
class _Expectation:
    add: int
    delete_keys: set[str]
    timestamp_ms: int


@dataclass
class ControllerExpectations:
    """``UIDTrackingControllerExpectations``: creations counted, deletions tracked by pod key."""

    _items: dict[str, _Expectation] = field(default_factory=dict)

    def expect_creations(self, key: str, adds: int, now_ms: int) -> None:
        self._items[key] = _Expectation(adds, set(), now_ms)

    def expect_deletions(self, key: str, pod_keys: Iterable[str], now_ms: int) -> None:
        self._items[key] = _Expectation(0, set(pod_keys), now_ms)

    def creation_observed(self, key: str) -> None:
        e = self._items.get(key)
        if e is not None:
            e.add -= 1

    def deletion_observed(self, key: str, pod_key: str) -> None:
        e = self._items.get(key)
        if e is not None:
            e.delete_keys.discard(pod_key)

    def satisfied(self, key: str, now_ms: int) -> bool:
        """``SatisfiedExpectations``: nothing pending, or the record expired (5 minutes)."""
        e = self._items.get(key)
        if e is None:
            return True
        if e.add <= 0 and not e.delete_keys:
            return True
        return now_ms - e.timestamp_ms > EXPECTATIONS_TIMEOUT_MS

    def delete(self, key: str) -> None:
        self._items.pop(key, None)
