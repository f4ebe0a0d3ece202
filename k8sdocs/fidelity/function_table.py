"""The one table from upstream Go function names to the model's code (used by ``functions.py``).

Each entry gives the Go parameter names, in Go order (the adapter receives the arguments positionally) (``logger``/``ctx`` left out, as the cases do), the optional
extra arguments a case may add (``now`` for a package clock such as deployment util's ``nowFn``), and an adapter
that calls the model and returns the Go result in the cases' conventions (tests/fidelity/functions/*.yaml
headers): several results as a list in Go order without a nil error; objects returned by pointer given by
``metadata.name``; functions that mutate their argument return that argument; a Go error raised as ``GoError``.
Methods are ``<import path>.(<Type>).<Name>`` with the receiver passed as arguments; ``(ActivePods).Less`` and
``(ActivePodsWithRanks).Less`` mean "sort.Sort with this Less" and return the names in sorted order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any

from k8sdocs.model.api import apps_defaults, defaults, qos
from k8sdocs.model.api import labels as apilabels
from k8sdocs.model.api import pod as podutil
from k8sdocs.model.api import validation as apivalidation
from k8sdocs.model.api.gotime import format_duration, parse_time_ms
from k8sdocs.model.controllers import controller_utils, taint_eviction
from k8sdocs.model.controllers import deployment_util as dutil


class GoError(Exception):
    """The function returned a non-nil error; ``str()`` is its ``Error()`` text."""


@dataclass(frozen=True)
class GoFunction:
    params: tuple[str, ...]
    call: Callable[..., Any]
    optional: tuple[str, ...] = ()
    #: The function returns a list of messages ([]string) instead of an error.
    messages: bool = False


def _name(obj: Mapping[str, Any] | None) -> str | None:
    if obj is None:
        return None
    return (obj.get("metadata") or {}).get("name")


def _names(objs: Sequence[Mapping[str, Any]] | None) -> list[str] | None:
    """A Go slice of pointers as names; nil or empty slice → None (the cases' ``null``)."""
    if not objs:
        return None
    return [str(_name(o)) for o in objs]


def _ms(value: Any) -> int | None:
    return parse_time_ms(value) if value else None


def _mutating(fn: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    def call(obj: Any) -> Any:
        fn(obj)
        return obj
    return call


def _validator(fn: Callable[[str], list[str]]) -> GoFunction:
    return GoFunction(("value",), lambda value: list(fn(value)), messages=True)


def _go_sort(items: list[Any], less: Callable[[Any, Any], bool]) -> list[Any]:
    """sort.Sort with ``less`` (insertion order kept for equivalent items, as Go's small-slice insertion sort)."""
    def cmp(a: Any, b: Any) -> int:
        if less(a, b):
            return -1
        if less(b, a):
            return 1
        return 0
    return sorted(items, key=cmp_to_key(cmp))


# -- k8s.io/kubernetes/pkg/controller ------------------------------------------------------------------------------
def _active_pods_sort(pods: list[dict[str, Any]]) -> list[str]:
    return [str(_name(p)) for p in _go_sort(pods, controller_utils.active_pods_less)]


def _active_pods_with_ranks_sort(Pods: list[dict[str, Any]], Rank: list[int], Now: Any = None) -> list[str]:
    if len(Pods) != len(Rank):
        raise ValueError("Pods and Rank differ in length")
    now_ms = _ms(Now)
    ranked = [controller_utils.RankedPod(p, int(r)) for p, r in zip(Pods, Rank)]
    ordered = _go_sort(ranked, lambda a, b: controller_utils.pod_less(a, b, now_ms))
    return [str(_name(r.pod)) for r in ordered]


# -- k8s.io/kubernetes/pkg/controller/deployment/util ---------------------------------------------------------------
def _resolve_fenceposts(maxSurge: Any, maxUnavailable: Any, desired: int) -> list[int]:
    try:
        return list(dutil.resolve_fenceposts(maxSurge, maxUnavailable, desired))
    except dutil.IntOrStringError as err:
        raise GoError(str(err)) from None


def _find_old(deployment: dict[str, Any], rsList: list[dict[str, Any]]) -> list[Any]:
    required, all_old = dutil.find_old_replica_sets(deployment, rsList)
    return [_names(required), _names(all_old)]


def _new_rs_new_replicas(deployment: dict[str, Any], allRSs: list[dict[str, Any] | None], newRS: dict[str, Any]) -> int:
    try:
        return dutil.new_rs_new_replicas(deployment, allRSs, newRS)
    except (ValueError, dutil.IntOrStringError) as err:
        raise GoError(str(err)) from None


def _set_condition(status: dict[str, Any], condition: dict[str, Any]) -> dict[str, Any]:
    dutil.set_deployment_condition(status, condition)
    return status


def _remove_condition(status: dict[str, Any], condType: str) -> dict[str, Any]:
    dutil.remove_deployment_condition(status, condType)
    return status


def _timed_out(deployment: dict[str, Any], newStatus: dict[str, Any], now: Any = None) -> bool:
    now_ms = _ms(now)
    if now_ms is None:
        raise ValueError("DeploymentTimedOut reads nowFn: pass `now`")
    return dutil.deployment_timed_out(deployment, newStatus, now_ms)


# -- k8s.io/kubernetes/pkg/api/v1/pod -------------------------------------------------------------------------------
def _find_port(pod: dict[str, Any], svcPort: dict[str, Any]) -> int:
    try:
        return podutil.find_port(pod, svcPort)
    except podutil.PortNotFoundError as err:
        raise GoError(str(err)) from None


def _is_pod_available(pod: dict[str, Any], minReadySeconds: int, now: Any) -> bool:
    return podutil.is_pod_available(pod, int(minReadySeconds), _ms(now))


# -- k8s.io/apimachinery/pkg/labels and meta/v1 ---------------------------------------------------------------------
def _parse_selector(selector: str) -> apilabels.Selector:
    try:
        return apilabels.parse(selector)
    except apilabels.SelectorParseError as err:
        raise GoError(str(err)) from None


def _internal_selector(requirements: list[dict[str, Any]]) -> apilabels.Selector:
    reqs = []
    for r in requirements:
        try:
            reqs.append(apilabels.new_requirement(str(r.get("key", "")), str(r.get("operator", "")),
                                                  [str(v) for v in (r.get("values") or [])]))
        except apilabels.SelectorParseError as err:
            raise GoError(str(err)) from None
    return apilabels.new_selector_from_requirements(reqs)


def _label_selector_as_selector(ps: Any) -> str:
    try:
        return apilabels.label_selector_as_selector(ps).string()
    except apilabels.SelectorParseError as err:
        raise GoError(str(err)) from None


def _label_selector_as_map(ps: Any) -> Any:
    try:
        return apilabels.label_selector_as_map(ps)
    except apilabels.SelectorParseError as err:
        raise GoError(str(err)) from None


_K8S = "k8s.io/kubernetes/pkg"
_CORE_V1 = f"{_K8S}/apis/core/v1"
_APPS_V1 = f"{_K8S}/apis/apps/v1"
_CTRL = f"{_K8S}/controller"
_DUTIL = f"{_K8S}/controller/deployment/util"
_POD = f"{_K8S}/api/v1/pod"
_VALIDATION = "k8s.io/apimachinery/pkg/util/validation"
_CONTENT = "k8s.io/apimachinery/pkg/api/validate/content"
_LABELS = "k8s.io/apimachinery/pkg/labels"
_METAV1 = "k8s.io/apimachinery/pkg/apis/meta/v1"

TABLE: dict[str, GoFunction] = {
    # core/v1 defaulting (generated walkers take `in`, hand-written SetDefaults_* take `obj`)
    **{f"{_CORE_V1}.SetObjectDefaults_{kind}": GoFunction(("in",), _mutating(getattr(defaults, f"SetObjectDefaults_{kind}")))
       for kind in ("Pod", "PodTemplate", "ReplicationController", "Service", "Secret", "ConfigMap", "Endpoints",
                    "Namespace", "Node", "LimitRange", "ResourceQuota", "PersistentVolume", "PersistentVolumeClaim")},
    **{f"{_CORE_V1}.SetDefaults_{name}": GoFunction(("obj",), _mutating(getattr(defaults, f"SetDefaults_{name}")))
       for name in ("Pod", "PodSpec", "Volume", "Container", "EphemeralContainer", "Service", "ReplicationController",
                    "Probe", "SecretVolumeSource", "ConfigMapVolumeSource", "DownwardAPIVolumeSource",
                    "ProjectedVolumeSource", "Secret", "ServiceAccountTokenProjection", "PersistentVolume",
                    "PersistentVolumeClaim", "PersistentVolumeClaimSpec", "Endpoints", "HTTPGetAction", "Namespace",
                    "NamespaceStatus", "NodeStatus", "ObjectFieldSelector", "LimitRangeItem", "ConfigMap",
                    "HostPathVolumeSource", "ResourceList", "ISCSIVolumeSource", "RBDVolumeSource",
                    "AzureDiskVolumeSource", "ScaleIOVolumeSource")},
    # apps/v1 defaulting
    **{f"{_APPS_V1}.SetObjectDefaults_{kind}": GoFunction(("in",), _mutating(getattr(apps_defaults, f"SetObjectDefaults_{kind}")))
       for kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet")},
    **{f"{_APPS_V1}.SetDefaults_{kind}": GoFunction(("obj",), _mutating(getattr(apps_defaults, f"SetDefaults_{kind}")))
       for kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet")},
    # QoS
    f"{_CORE_V1}/helper/qos.ComputePodQOS": GoFunction(("pod",), qos.compute_pod_qos),
    f"{_CORE_V1}/helper/qos.GetPodQOS": GoFunction(("pod",), qos.get_pod_qos),
    f"{_K8S}/apis/core/helper/qos.ComputePodQOS": GoFunction(("pod",), qos.compute_pod_qos),
    f"{_K8S}/apis/core/helper/qos.GetPodQOS": GoFunction(("pod",), qos.get_pod_qos),
    # pkg/api/v1/pod
    f"{_POD}.FindPort": GoFunction(("pod", "svcPort"), _find_port),
    f"{_POD}.IsPodAvailable": GoFunction(("pod", "minReadySeconds", "now"), _is_pod_available),
    f"{_POD}.IsPodReady": GoFunction(("pod",), podutil.is_pod_ready),
    f"{_POD}.IsPodTerminal": GoFunction(("pod",), podutil.is_pod_terminal),
    f"{_POD}.IsPodPhaseTerminal": GoFunction(("phase",), podutil.is_pod_phase_terminal),
    f"{_POD}.IsRestartableInitContainer": GoFunction(("initContainer",), podutil.is_restartable_init_container),
    f"{_POD}.IsPodReadyConditionTrue": GoFunction(("status",), podutil.is_pod_ready_condition_true),
    f"{_POD}.GetPodReadyCondition": GoFunction(("status",), lambda status: podutil.get_pod_condition(status, "Ready")),
    f"{_POD}.ArePodReadinessGatesTrue": GoFunction(("pod",), podutil.are_pod_readiness_gates_true),
    # pkg/controller
    f"{_CTRL}.(ActivePods).Less": GoFunction(("pods",), _active_pods_sort),
    f"{_CTRL}.(ActivePodsWithRanks).Less": GoFunction(("Pods", "Rank"), _active_pods_with_ranks_sort, ("Now",)),
    f"{_CTRL}.FilterActivePods": GoFunction(("pods",), lambda pods: _names(controller_utils.filter_active_pods(pods))),
    f"{_CTRL}.FilterTerminatingPods": GoFunction(("pods",), lambda pods: _names(controller_utils.filter_terminating_pods(pods))),
    f"{_CTRL}.CountTerminatingPods": GoFunction(("pods",), controller_utils.count_terminating_pods),
    f"{_CTRL}.IsPodActive": GoFunction(("p",), controller_utils.is_pod_active),
    # pkg/controller/tainteviction
    f"{_CTRL}/tainteviction.getMinTolerationTime": GoFunction(
        ("tolerations",), lambda tolerations: format_duration(taint_eviction.get_min_toleration_ns(tolerations))),
    # pkg/controller/deployment/util
    f"{_DUTIL}.EqualIgnoreHash": GoFunction(("template1", "template2"), dutil.equal_ignore_hash),
    f"{_DUTIL}.FindNewReplicaSet": GoFunction(("deployment", "rsList"), lambda deployment, rsList: _name(dutil.find_new_replica_set(deployment, rsList))),
    f"{_DUTIL}.FindOldReplicaSets": GoFunction(("deployment", "rsList"), _find_old),
    f"{_DUTIL}.GetReplicaCountForReplicaSets": GoFunction(("replicaSets",), dutil.get_replica_count),
    f"{_DUTIL}.GetActualReplicaCountForReplicaSets": GoFunction(("replicaSets",), dutil.get_actual_replica_count),
    f"{_DUTIL}.GetReadyReplicaCountForReplicaSets": GoFunction(("replicaSets",), dutil.get_ready_replica_count),
    f"{_DUTIL}.GetAvailableReplicaCountForReplicaSets": GoFunction(("replicaSets",), dutil.get_available_replica_count),
    f"{_DUTIL}.GetTerminatingReplicaCountForReplicaSets": GoFunction(("replicaSets",), dutil.get_terminating_replica_count),
    f"{_DUTIL}.ResolveFenceposts": GoFunction(("maxSurge", "maxUnavailable", "desired"), _resolve_fenceposts),
    f"{_DUTIL}.NewRSNewReplicas": GoFunction(("deployment", "allRSs", "newRS"), _new_rs_new_replicas),
    f"{_DUTIL}.SetDeploymentCondition": GoFunction(("status", "condition"), _set_condition),
    f"{_DUTIL}.RemoveDeploymentCondition": GoFunction(("status", "condType"), _remove_condition),
    f"{_DUTIL}.GetDeploymentCondition": GoFunction(("status", "condType"), dutil.get_deployment_condition),
    f"{_DUTIL}.DeploymentComplete": GoFunction(("deployment", "newStatus"), dutil.deployment_complete),
    f"{_DUTIL}.DeploymentProgressing": GoFunction(("deployment", "newStatus"), dutil.deployment_progressing),
    f"{_DUTIL}.DeploymentTimedOut": GoFunction(("deployment", "newStatus"), _timed_out, ("now",)),
    f"{_DUTIL}.MaxUnavailable": GoFunction(("deployment",), dutil.max_unavailable),
    f"{_DUTIL}.MaxSurge": GoFunction(("deployment",), dutil.max_surge),
    f"{_DUTIL}.MinAvailable": GoFunction(("deployment",), dutil.min_available),
    f"{_DUTIL}.ReplicasAnnotationsNeedUpdate": GoFunction(("rs", "desiredReplicas", "maxReplicas"), dutil.replicas_annotations_need_update),
    f"{_DUTIL}.IsSaturated": GoFunction(("deployment", "rs"), dutil.is_saturated),
    f"{_DUTIL}.getReplicaSetFraction": GoFunction(("rs", "d"), dutil.get_replica_set_fraction),
    f"{_DUTIL}.GetProportion": GoFunction(("rs", "d", "deploymentReplicasToAdd", "deploymentReplicasAdded"),
                                         dutil.get_replica_set_proportion),
    f"{_DUTIL}.HasProgressDeadline": GoFunction(("d",), dutil.has_progress_deadline),
    f"{_DUTIL}.HasRevisionHistoryLimit": GoFunction(("d",), dutil.has_revision_history_limit),
    f"{_DUTIL}.Revision": GoFunction(("obj",), dutil.revision),
    f"{_DUTIL}.MaxRevision": GoFunction(("allRSs",), dutil.max_revision),
    f"{_DUTIL}.IsRollingUpdate": GoFunction(("deployment",), dutil.is_rolling_update),
    f"{_DUTIL}.FilterActiveReplicaSets": GoFunction(("replicaSets",), lambda replicaSets: _names(dutil.filter_active(replicaSets))),
    f"{_DUTIL}.FindActiveOrLatest": GoFunction(("newRS", "oldRSs"), lambda newRS, oldRSs: _name(dutil.find_active_or_latest(newRS, oldRSs or []))),
    f"{_DUTIL}.SetReplicasAnnotations": GoFunction(("rs", "desiredReplicas", "maxReplicas"), dutil.set_replicas_annotations),
    # apimachinery validation
    **{f"{_VALIDATION}.{name}": _validator(fn) for name, fn in (
        ("IsDNS1123Label", apivalidation.is_dns1123_label),
        ("IsDNS1123Subdomain", apivalidation.is_dns1123_subdomain),
        ("IsDNS1123SubdomainWithUnderscore", apivalidation.is_dns1123_subdomain_with_underscore),
        ("IsDNS1035Label", apivalidation.is_dns1035_label),
        ("IsWildcardDNS1123Subdomain", apivalidation.is_wildcard_dns1123_subdomain),
        ("IsQualifiedName", apivalidation.is_qualified_name),
        ("IsValidLabelValue", apivalidation.is_valid_label_value),
        ("IsCIdentifier", apivalidation.is_c_identifier),
        ("IsValidPortName", apivalidation.is_valid_port_name),
        ("IsValidPercent", apivalidation.is_valid_percent),
        ("IsHTTPHeaderName", apivalidation.is_http_header_name),
        ("IsEnvVarName", apivalidation.is_env_var_name),
        ("IsRelaxedEnvVarName", apivalidation.is_relaxed_env_var_name),
        ("IsConfigMapKey", apivalidation.is_config_map_key),
    )},
    f"{_VALIDATION}.IsValidPortNum": GoFunction(("port",), apivalidation.is_valid_port_num, messages=True),
    f"{_VALIDATION}.IsInRange": GoFunction(("value", "min", "max"), apivalidation.is_in_range, messages=True),
    f"{_VALIDATION}.IsValidGroupID": GoFunction(("gid",), apivalidation.is_valid_group_id, messages=True),
    f"{_VALIDATION}.IsValidUserID": GoFunction(("uid",), apivalidation.is_valid_user_id, messages=True),
    **{f"{_CONTENT}.{name}": _validator(fn) for name, fn in (
        ("IsLabelKey", apivalidation.is_label_key),
        ("IsQualifiedName", apivalidation.is_label_key),
        ("IsLabelValue", apivalidation.is_label_value),
        ("IsDNS1123Label", apivalidation.content_is_dns1123_label),
        ("IsDNS1123Subdomain", apivalidation.content_is_dns1123_subdomain),
        ("IsDNS1123SubdomainCaseless", apivalidation.is_dns1123_subdomain_caseless),
        ("IsCIdentifier", apivalidation.is_c_identifier),
        ("IsDecimalInteger", apivalidation.is_decimal_integer),
    )},
    # apimachinery labels / meta/v1
    f"{_LABELS}.Parse": GoFunction(("selector",), lambda selector: _parse_selector(selector).string()),
    f"{_LABELS}.(Selector).Matches": GoFunction(("selector", "l"), lambda selector, lbls: _parse_selector(selector).matches(lbls or {})),
    f"{_LABELS}.(internalSelector).Matches": GoFunction(("requirements", "l"), lambda requirements, lbls: _internal_selector(requirements).matches(lbls or {})),
    f"{_LABELS}.(internalSelector).String": GoFunction(("requirements",), lambda requirements: _internal_selector(requirements).string()),
    f"{_LABELS}.SelectorFromSet": GoFunction(("ls",), lambda ls: apilabels.selector_from_set(ls).string()),
    f"{_METAV1}.LabelSelectorAsSelector": GoFunction(("ps",), _label_selector_as_selector),
    f"{_METAV1}.LabelSelectorAsMap": GoFunction(("ps",), _label_selector_as_map),
}
