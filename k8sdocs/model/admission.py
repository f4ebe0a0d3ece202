"""Defaulting and the admission plugins the model runs on create.

Order, as kube-apiserver does it: decoding applies the versioned defaults (``SetDefaults_*``), then the
mutating admission chain runs (NamespaceLifecycle, DefaultTolerationSeconds, Priority, in upstream's
recommended plugin order), then the registry strategy (``PrepareForCreate``) and validation.

Sources:
* ``pkg/apis/core/v1/defaults.go`` (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Service,
  SetDefaults_Namespace...), ``pkg/apis/apps/v1/defaults.go`` @a79f3c787d204848670cdf3e424107053ffcea3e
  (SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600;
  SetDefaults_ReplicaSet: replicas 1), ``pkg/apis/scheduling/v1/defaults.go`` (preemptionPolicy PreemptLowerPriority).
* ``plugin/pkg/admission/defaulttolerationseconds/admission.go``: not-ready / unreachable NoExecute, 300 s,
  added only when the pod does not already tolerate the taint (empty key or empty effect count as tolerating).
* ``plugin/pkg/admission/priority/admission.go``: priority from ``priorityClassName`` or the global default class,
  ``DefaultPriorityWhenNoDefaultClassExists = 0`` (``pkg/apis/scheduling/types.go``); unknown class ->
  Forbidden ``no PriorityClass with name %v was found``.
* ``pkg/apis/scheduling/types.go``: built-in classes ``system-node-critical`` = 2000001000 and
  ``system-cluster-critical`` = 2000000000 (``SystemCriticalPriority = 2 * HighestUserDefinablePriority``).
* ``pkg/apis/core/helper/qos/qos.go`` (GetPodQOS) for ``status.qosClass``.
* ``pkg/registry/core/pod/strategy.go``@03e060242dcb9ab9191451bbe2bd16d1e5d43733 (PrepareForCreate ->
  ``mutatePodAffinity``): with ``MatchLabelKeysInPodAffinity`` (on by default in v1.35) each pod (anti-)affinity term's
  ``matchLabelKeys`` / ``mismatchLabelKeys`` are merged into its ``labelSelector`` as ``key In (value)`` /
  ``key NotIn (value)`` from the pod's own labels, once, at creation.
"""

from __future__ import annotations

from typing import Any, Callable

from k8sdocs.model.objcopy import clone
from k8sdocs.model.quantity import QuantityError, parse_quantity
from k8sdocs.model.scheduler.plugins.interpodaffinity.terms import merge_label_keys

# plugin/pkg/admission/defaulttolerationseconds/admission.go
DEFAULT_NOT_READY_TOLERATION_SECONDS = 300
DEFAULT_UNREACHABLE_TOLERATION_SECONDS = 300
TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"  # staging/src/k8s.io/api/core/v1/well_known_taints.go
TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable"

# pkg/apis/scheduling/types.go
HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000
SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY
SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical"
SYSTEM_NODE_CRITICAL = "system-node-critical"
DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0

# pkg/apis/core/v1/defaults.go / pkg/apis/core/types.go
DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30
DEFAULT_SCHEDULER_NAME = "default-scheduler"  # v1.DefaultSchedulerName
TERMINATION_MESSAGE_PATH_DEFAULT = "/dev/termination-log"


def system_priority_classes() -> list[dict]:
    """The PriorityClasses kube-apiserver creates at start-up (``SystemPriorityClasses()``)."""
    return [
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": SYSTEM_NODE_CRITICAL},
            "value": SYSTEM_CRITICAL_PRIORITY + 1000,
            "description": "Used for system critical pods that must not be moved from their current node.",
        },
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": SYSTEM_CLUSTER_CRITICAL},
            "value": SYSTEM_CRITICAL_PRIORITY,
            "description": "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
        },
    ]


class AdmissionError(Exception):
    """An admission plugin rejected the request; the API server turns it into a Status."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message


# -- defaults -----------------------------------------------------------------------------------------
def image_pull_policy_default(image: str) -> str:
    """``SetDefaults_Container``: ``Always`` if the tag is ``latest`` (or absent), else ``IfNotPresent``.

    Tag as ``parsers.ParseImageName`` finds it: no tag and no digest means ``latest``; a digest-only
    reference has an empty tag (-> ``IfNotPresent``).
    """
    ref = image
    digest = ""
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    tag = ""
    last_slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > last_slash:
        tag = ref[colon + 1 :]
    if not tag and not digest:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _default_container(c: dict) -> None:
    if not isinstance(c, dict):
        return
    if "imagePullPolicy" not in c and isinstance(c.get("image"), str):
        c["imagePullPolicy"] = image_pull_policy_default(c["image"])
    c.setdefault("terminationMessagePath", TERMINATION_MESSAGE_PATH_DEFAULT)
    c.setdefault("terminationMessagePolicy", "File")
    for p in c.get("ports") or []:
        if isinstance(p, dict):
            p.setdefault("protocol", "TCP")
    c.setdefault("resources", {})


def default_pod_spec(spec: dict) -> None:
    """``SetDefaults_PodSpec`` + ``SetDefaults_Pod`` (limits copied into missing requests) + containers."""
    if not isinstance(spec, dict):
        return
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", DEFAULT_SCHEDULER_NAME)
    spec.setdefault("enableServiceLinks", True)
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            _default_container(c)
            if not isinstance(c, dict):
                continue
            res = c.get("resources")
            if isinstance(res, dict) and isinstance(res.get("limits"), dict):
                # SetDefaults_Pod: "If limits are specified, but requests are not, default requests to limits"
                requests = res.setdefault("requests", {})
                if isinstance(requests, dict):
                    for name, value in res["limits"].items():
                        requests.setdefault(name, value)


def default_pod_template(template: Any) -> None:
    if isinstance(template, dict) and isinstance(template.get("spec"), dict):
        default_pod_spec(template["spec"])


def apply_defaults(obj: dict) -> dict:
    """Return a copy of ``obj`` with the versioned defaults applied (what decoding does)."""
    obj = clone(obj)
    kind = obj.get("kind")
    spec = obj.get("spec")
    if kind == "Pod":
        default_pod_spec(spec if isinstance(spec, dict) else obj.setdefault("spec", {}))
    elif kind == "Deployment" and isinstance(spec, dict):
        spec.setdefault("replicas", 1)
        strategy = spec.setdefault("strategy", {})
        if isinstance(strategy, dict):
            strategy.setdefault("type", "RollingUpdate")
            if strategy["type"] == "RollingUpdate":
                ru = strategy.setdefault("rollingUpdate", {})
                if isinstance(ru, dict):
                    ru.setdefault("maxUnavailable", "25%")
                    ru.setdefault("maxSurge", "25%")
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        default_pod_template(spec.get("template"))
    elif kind in ("ReplicaSet", "ReplicationController") and isinstance(spec, dict):
        spec.setdefault("replicas", 1)
        default_pod_template(spec.get("template"))
    elif kind == "Service" and isinstance(spec, dict):
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        spec.setdefault("internalTrafficPolicy", "Cluster")
        if spec["type"] in ("NodePort", "LoadBalancer"):
            spec.setdefault("externalTrafficPolicy", "Cluster")
        for p in spec.get("ports") or []:
            if isinstance(p, dict):
                p.setdefault("protocol", "TCP")
                if "targetPort" not in p and "port" in p:
                    p["targetPort"] = p["port"]
    elif kind == "Namespace":
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
        obj.setdefault("status", {}).setdefault("phase", "Active")
    elif kind == "PriorityClass":
        obj.setdefault("preemptionPolicy", "PreemptLowerPriority")
    elif kind == "Node":
        if isinstance(obj.get("status"), dict):
            status = obj["status"]
            if isinstance(status.get("capacity"), dict):
                # SetDefaults_NodeStatus: allocatable defaults to capacity
                status.setdefault("allocatable", dict(status["capacity"]))
    return obj


# -- admission plugins --------------------------------------------------------------------------------
def default_toleration_seconds(pod: dict) -> None:
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    tolerations = spec.get("tolerations") or []
    tolerates_not_ready = tolerates_unreachable = False
    for t in tolerations:
        if not isinstance(t, dict):
            continue
        key, effect = t.get("key") or "", t.get("effect") or ""
        if key in (TAINT_NODE_NOT_READY, "") and effect in ("NoExecute", ""):
            tolerates_not_ready = True
        if key in (TAINT_NODE_UNREACHABLE, "") and effect in ("NoExecute", ""):
            tolerates_unreachable = True
    tolerations = list(tolerations)
    if not tolerates_not_ready:
        tolerations.append(
            {"key": TAINT_NODE_NOT_READY, "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": DEFAULT_NOT_READY_TOLERATION_SECONDS}
        )
    if not tolerates_unreachable:
        tolerations.append(
            {"key": TAINT_NODE_UNREACHABLE, "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": DEFAULT_UNREACHABLE_TOLERATION_SECONDS}
        )
    spec["tolerations"] = tolerations


def default_priority_class(priority_classes: list[dict]) -> dict | None:
    """``getDefaultPriorityClass``: the globalDefault class; with several, the one with the lowest value."""
    defaults = [pc for pc in priority_classes if pc.get("globalDefault")]
    if not defaults:
        return None
    return sorted(defaults, key=lambda pc: (int(pc.get("value", 0)), pc["metadata"]["name"]))[0]


def priority(pod: dict, priority_classes: list[dict], forbidden: Callable[[str], AdmissionError]) -> None:
    """The Priority admission plugin (create of pods)."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    name = spec.get("priorityClassName") or ""
    policy: str | None = None
    if not name:
        pc = default_priority_class(priority_classes)
        if pc is None:
            value = DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS
        else:
            value = int(pc.get("value", 0))
            policy = pc.get("preemptionPolicy")
            spec["priorityClassName"] = pc["metadata"]["name"]
    else:
        match = [pc for pc in priority_classes if pc["metadata"]["name"] == name]
        if not match:
            raise forbidden(f"no PriorityClass with name {name} was found")
        value = int(match[0].get("value", 0))
        policy = match[0].get("preemptionPolicy")
    given = spec.get("priority")
    if given is not None and given != value:
        raise forbidden(
            f"the integer value of priority ({given}) must not be provided in pod spec; "
            f"priority admission controller computed {value} from the given PriorityClass name"
        )
    spec["priority"] = value
    if policy is not None:
        given_policy = spec.get("preemptionPolicy")
        if given_policy is not None and given_policy != policy:
            raise forbidden(
                f"the string value of PreemptionPolicy ({given_policy}) must not be provided in pod spec; "
                f"priority admission controller computed {policy} from the given PriorityClass name"
            )
        spec["preemptionPolicy"] = policy


# -- strategy (PrepareForCreate) ----------------------------------------------------------------------
def mutate_pod_affinity(pod: dict, enabled: bool = True) -> None:
    """strategy.go ``mutatePodAffinity`` (create only): merge ``matchLabelKeys`` (In) and ``mismatchLabelKeys``
    (NotIn) of every required and preferred pod (anti-)affinity term into its ``labelSelector``, with the values of
    the pod's own labels; keys the pod lacks and terms without a ``labelSelector`` are left alone
    (``applyMatchLabelKeysAndMismatchLabelKeys``). ``enabled``: the MatchLabelKeysInPodAffinity feature gate."""
    spec = pod.get("spec")
    if not enabled or not isinstance(spec, dict) or not isinstance(spec.get("affinity"), dict):
        return
    labels = ((pod.get("metadata") or {}).get("labels")) or {}
    for kind in ("podAffinity", "podAntiAffinity"):
        affinity = spec["affinity"].get(kind)
        if not isinstance(affinity, dict):
            continue
        preferred = affinity.get("preferredDuringSchedulingIgnoredDuringExecution")
        if isinstance(preferred, list):
            for weighted in preferred:
                if isinstance(weighted, dict) and isinstance(weighted.get("podAffinityTerm"), dict):
                    weighted["podAffinityTerm"] = merge_label_keys(weighted["podAffinityTerm"], labels)
        required = affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(required, list):
            affinity["requiredDuringSchedulingIgnoredDuringExecution"] = [
                merge_label_keys(t, labels) if isinstance(t, dict) else t for t in required
            ]


def pod_qos_class(spec: dict) -> str:
    """``GetPodQOS`` for cpu and memory: BestEffort / Guaranteed / Burstable."""
    requests: dict[str, int] = {}
    limits: dict[str, int] = {}
    guaranteed = True
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    for c in containers:
        res = (c or {}).get("resources") or {}
        req = res.get("requests") or {}
        lim = res.get("limits") or {}
        for name in ("cpu", "memory"):
            try:
                if name in req and parse_quantity(req[name]).milli_value() != 0:
                    requests[name] = requests.get(name, 0) + parse_quantity(req[name]).milli_value()
                if name in lim and parse_quantity(lim[name]).milli_value() != 0:
                    limits[name] = limits.get(name, 0) + parse_quantity(lim[name]).milli_value()
            except QuantityError:
                pass
        if not all(n in lim for n in ("cpu", "memory")):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(requests.get(n) == limits.get(n) for n in ("cpu", "memory")):
        return "Guaranteed"
    return "Burstable"
