"""Defaulting and the admission plugins the model runs on create.

Order, as kube-apiserver does it: decoding applies the versioned defaults (``SetDefaults_*``), then the
mutating admission chain runs (NamespaceLifecycle, ServiceAccount, Priority, DefaultTolerationSeconds, in upstream's
recommended plugin order, ``AllOrderedPlugins`` in pkg/kubeapiserver/options/plugins.go), then the registry strategy (``PrepareForCreate``) and validation.

Sources:
* Defaulting: ``SetObjectDefaults_<Kind>`` of core/v1 and apps/v1, ported in ``k8sdocs.model.api.defaults`` /
  ``apps_defaults`` and refereed by tests/fidelity/functions; ``pkg/apis/scheduling/v1/defaults.go``
  (preemptionPolicy PreemptLowerPriority).
* ``plugin/pkg/admission/defaulttolerationseconds/admission.go``: not-ready / unreachable NoExecute, 300 s,
  added only when the pod does not already tolerate the taint (empty key or empty effect count as tolerating).
* ``plugin/pkg/admission/priority/admission.go``: priority from ``priorityClassName`` or the global default class,
  ``DefaultPriorityWhenNoDefaultClassExists = 0`` (``pkg/apis/scheduling/types.go``) with preemption policy
  ``PreemptLowerPriority`` (``getDefaultPriority``), else the class's ``preemptionPolicy``; unknown class ->
  Forbidden ``no PriorityClass with name %v was found``.
* ``plugin/pkg/admission/serviceaccount/admission.go`` (``Admit``/``Validate`` on create, ``mountServiceAccountToken``,
  ``TokenVolumeSource``): ``serviceAccountName: default``, the ``kube-api-access-<5 chars>`` projected volume and its
  read-only mount in every init container and container. Read at the v1.3x version that has
  ``if a.GetOperation() != admission.Create { // we only mutate pods during create requests`` and ``ptr.To`` in
  ``TokenVolumeSource``.
* ``pkg/apis/scheduling/types.go``: built-in classes ``system-node-critical`` = 2000001000 and
  ``system-cluster-critical`` = 2000000000 (``SystemCriticalPriority = 2 * HighestUserDefinablePriority``).
* ``pkg/apis/core/v1/helper/qos/qos.go`` (GetPodQOS, in ``k8sdocs.model.api.qos``) for ``status.qosClass``.
* ``pkg/registry/core/pod/strategy.go``@03e060242dcb9ab9191451bbe2bd16d1e5d43733 (PrepareForCreate ->
  ``mutatePodAffinity``): with ``MatchLabelKeysInPodAffinity`` (on by default in v1.35) each pod (anti-)affinity term's
  ``matchLabelKeys`` / ``mismatchLabelKeys`` are merged into its ``labelSelector`` as ``key In (value)`` /
  ``key NotIn (value)`` from the pod's own labels, once, at creation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

from k8sdocs.model.api import apps_defaults
from k8sdocs.model.api import defaults as apidefaults
from k8sdocs.model.api.obj import Obj
from k8sdocs.model.api.qos import compute_pod_qos
from k8sdocs.model.objcopy import clone

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
PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority"  # v1.PreemptLowerPriority

# plugin/pkg/admission/serviceaccount/admission.go
DEFAULT_SERVICE_ACCOUNT_NAME = "default"
SERVICE_ACCOUNT_VOLUME_NAME = "kube-api-access"
DEFAULT_API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
MIRROR_POD_ANNOTATION_KEY = "kubernetes.io/config.mirror"
# pkg/serviceaccount/claims.go: WarnOnlyBoundTokenExpirationSeconds = 60*60 + 7
WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7
# staging/src/k8s.io/api/core/v1/types.go: ProjectedVolumeSourceDefaultMode int32 = 0644
PROJECTED_VOLUME_SOURCE_DEFAULT_MODE = 0o644
# pkg/controller/certificates/rootcacertpublisher/publisher.go: the ConfigMap every namespace gets
ROOT_CA_CONFIGMAP_NAME = "kube-root-ca.crt"

# pkg/apis/core/v1/defaults.go / pkg/apis/core/types.go (kept here for the pages that name them)
DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = apidefaults.DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS
DEFAULT_SCHEDULER_NAME = apidefaults.DEFAULT_SCHEDULER_NAME
TERMINATION_MESSAGE_PATH_DEFAULT = apidefaults.TERMINATION_MESSAGE_PATH_DEFAULT


def system_priority_classes() -> list[dict[str, Any]]:
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
    """``SetDefaults_Container``'s pull policy (k8sdocs.model.api.defaults.default_image_pull_policy)."""
    return apidefaults.default_image_pull_policy(image)


def _serialized_containers(spec: Any) -> None:
    """``resources`` is a struct field without a pointer: a stored container always shows ``resources: {}``."""
    if not isinstance(spec, dict):
        return
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict) and c.get("resources") is None:
                c["resources"] = {}


def _templates(obj: dict[str, Any]) -> list[Any]:
    spec = obj.get("spec")
    return [spec.get("template")] if isinstance(spec, dict) else []


#: kind -> the generated defaulter kube-apiserver runs when it decodes that kind (SetObjectDefaults_<Kind>).
OBJECT_DEFAULTERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "Pod": apidefaults.SetObjectDefaults_Pod,
    "PodTemplate": apidefaults.SetObjectDefaults_PodTemplate,
    "ReplicationController": apidefaults.SetObjectDefaults_ReplicationController,
    "Service": apidefaults.SetObjectDefaults_Service,
    "Secret": apidefaults.SetObjectDefaults_Secret,
    "ConfigMap": apidefaults.SetObjectDefaults_ConfigMap,
    "Endpoints": apidefaults.SetObjectDefaults_Endpoints,
    "Namespace": apidefaults.SetObjectDefaults_Namespace,
    "Node": apidefaults.SetObjectDefaults_Node,
    "LimitRange": apidefaults.SetObjectDefaults_LimitRange,
    "ResourceQuota": apidefaults.SetObjectDefaults_ResourceQuota,
    "PersistentVolume": apidefaults.SetObjectDefaults_PersistentVolume,
    "PersistentVolumeClaim": apidefaults.SetObjectDefaults_PersistentVolumeClaim,
    "Deployment": apps_defaults.SetObjectDefaults_Deployment,
    "ReplicaSet": apps_defaults.SetObjectDefaults_ReplicaSet,
    "DaemonSet": apps_defaults.SetObjectDefaults_DaemonSet,
    "StatefulSet": apps_defaults.SetObjectDefaults_StatefulSet,
}


def apply_defaults(obj: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``obj`` with the versioned defaults applied (what decoding does): the kind's
    ``SetObjectDefaults_<Kind>`` (k8sdocs.model.api), then what the registry strategy adds on create
    (Namespace ``spec.finalizers``) and the scheduling/v1 PriorityClass default."""
    obj = clone(obj)
    kind = obj.get("kind")
    defaulter = OBJECT_DEFAULTERS.get(str(kind))
    if defaulter is not None and isinstance(obj.get("spec", {}), dict):
        defaulter(obj)
    if kind == "Pod":
        _serialized_containers(obj.get("spec"))
        convert_service_account_alias(obj.get("spec"))
    else:
        for template in _templates(obj):
            if isinstance(template, dict):
                _serialized_containers(template.get("spec"))
                convert_service_account_alias(template.get("spec"))
    if kind == "Namespace" and isinstance(obj.get("spec", {}), dict):
        # pkg/registry/core/namespace/strategy.go PrepareForCreate: finalizers [kubernetes]
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
    elif kind == "PriorityClass":
        obj.setdefault("preemptionPolicy", "PreemptLowerPriority")  # pkg/apis/scheduling/v1/defaults.go
    return obj


# -- admission plugins --------------------------------------------------------------------------------
def default_toleration_seconds(pod: dict[str, Any]) -> None:
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


def default_priority_class(priority_classes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``getDefaultPriorityClass``: the globalDefault class; with several, the one with the lowest value."""
    defaults = [pc for pc in priority_classes if pc.get("globalDefault")]
    if not defaults:
        return None
    return sorted(defaults, key=lambda pc: (int(pc.get("value", 0)), pc["metadata"]["name"]))[0]


def priority(pod: dict[str, Any], priority_classes: list[dict[str, Any]], forbidden: Callable[[str], AdmissionError]) -> None:
    """The Priority admission plugin (create of pods)."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    name = spec.get("priorityClassName") or ""
    policy: str | None = None
    if not name:
        pc = default_priority_class(priority_classes)
        if pc is None:
            # getDefaultPriority: no global default class -> priority 0 and a PreemptLowerPriority policy
            value = DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS
            policy = PREEMPT_LOWER_PRIORITY
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


def token_volume_source() -> dict[str, Any]:
    """``TokenVolumeSource()``: the projected volume every pod gets for its ServiceAccount's API access (a bound token
    that expires after 3607 s, the cluster's CA from the ``kube-root-ca.crt`` ConfigMap, the pod's namespace)."""
    return {
        "defaultMode": PROJECTED_VOLUME_SOURCE_DEFAULT_MODE,  # "explicitly set default value, see #104464"
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, "path": "token"}},
            {"configMap": {"name": ROOT_CA_CONFIGMAP_NAME, "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [{"path": "namespace",
                                        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
        ],
    }


def service_account(
    pod: dict[str, Any],
    namespace: str,
    get_service_account: Callable[[str], dict[str, Any] | None],
    generate_name: Callable[[str], str],
    forbidden: Callable[[str], AdmissionError],
) -> None:
    """The ServiceAccount admission plugin on pod create (``Admit`` then ``Validate``).

    * mirror pods are not changed, and may not name a ServiceAccount;
    * ``spec.serviceAccountName`` defaults to ``default``; the ServiceAccount must exist, else Forbidden
      ``error looking up service account <ns>/<name>: serviceaccount "<name>" not found`` (upstream first asks its
      informer, then GETs it up to 10 times for ``default``, which the serviceaccounts controller should create);
    * unless ``automountServiceAccountToken`` is false (the pod's value wins over the ServiceAccount's), a projected
      volume ``kube-api-access-<5 random chars>`` (:func:`token_volume_source`) is added, mounted read-only at
      ``/var/run/secrets/kubernetes.io/serviceaccount`` in every init container and container that has nothing
      mounted there yet (``mountServiceAccountToken``); an existing ``kube-api-access-*`` volume is reused;
    * with no ``imagePullSecrets``, the ServiceAccount's are copied.
    """
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    annotations = ((pod.get("metadata") or {}).get("annotations")) or {}
    if MIRROR_POD_ANNOTATION_KEY in annotations:
        if spec.get("serviceAccountName"):
            raise forbidden("a mirror pod may not reference service accounts")
        return
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = DEFAULT_SERVICE_ACCOUNT_NAME
    name = str(spec["serviceAccountName"])
    sa = get_service_account(name)
    if sa is None:
        raise forbidden(f'error looking up service account {namespace}/{name}: serviceaccount "{name}" not found')
    automount = spec.get("automountServiceAccountToken")
    if automount is None:
        automount = sa.get("automountServiceAccountToken")
    if automount is None or automount is True:
        _mount_service_account_token(spec, generate_name)
    if not spec.get("imagePullSecrets") and sa.get("imagePullSecrets"):
        spec["imagePullSecrets"] = [{"name": s.get("name")} for s in sa["imagePullSecrets"] if isinstance(s, dict)]


def _mount_service_account_token(spec: dict[str, Any], generate_name: Callable[[str], str]) -> None:
    found = spec.get("volumes")
    volumes: list[Any] = found if isinstance(found, list) else []
    existing = next((v.get("name") for v in volumes if isinstance(v, dict)
                     and str(v.get("name", "")).startswith(SERVICE_ACCOUNT_VOLUME_NAME + "-")), None)
    volume_name = existing or generate_name(SERVICE_ACCOUNT_VOLUME_NAME + "-")
    mount = {"mountPath": DEFAULT_API_TOKEN_MOUNT_PATH, "name": volume_name, "readOnly": True}
    needs_volume = False
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            if not isinstance(c, dict):
                continue
            found_mounts = c.get("volumeMounts")
            mounts: list[Any] = found_mounts if isinstance(found_mounts, list) else []
            if any(isinstance(m, dict) and m.get("mountPath") == DEFAULT_API_TOKEN_MOUNT_PATH for m in mounts):
                continue
            c["volumeMounts"] = list(mounts) + [dict(mount)]
            needs_volume = True
    if existing is None and needs_volume:
        spec["volumes"] = list(volumes) + [{"name": volume_name, "projected": token_volume_source()}]


def convert_service_account_alias(spec: Any) -> None:
    """pkg/apis/core/v1/conversion.go: ``serviceAccount`` is the deprecated alias of ``serviceAccountName``. Reading
    v1 (``Convert_v1_PodSpec_To_core_PodSpec``) takes it when ``serviceAccountName`` is empty; writing v1
    (``Convert_core_PodSpec_To_v1_PodSpec``) always copies ``serviceAccountName`` into it (omitted when empty)."""
    if not isinstance(spec, dict):
        return
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    else:
        spec.pop("serviceAccount", None)


def namespace_bootstrap_objects(namespace: str) -> list[dict[str, Any]]:
    """What kube-controller-manager puts in every namespace: the ``default`` ServiceAccount (serviceaccounts controller,
    pkg/controller/serviceaccount/serviceaccounts_controller.go) and the ``kube-root-ca.crt`` ConfigMap with the
    cluster's CA in ``ca.crt`` (root-ca-cert-publisher, pkg/controller/certificates/rootcacertpublisher)."""
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": DEFAULT_SERVICE_ACCOUNT_NAME, "namespace": namespace}},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": ROOT_CA_CONFIGMAP_NAME, "namespace": namespace,
                      "annotations": {"kubernetes.io/description": (
                          "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
                          "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
                          "guaranteed across distributions of Kubernetes clusters.")}},
         "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\n(the model cluster's CA: no real certificate)\n-----END CERTIFICATE-----\n"}},
    ]


# -- strategy (PrepareForCreate) ----------------------------------------------------------------------
def merge_label_keys(term: Obj, owner_labels: Mapping[str, str]) -> Obj:
    """strategy.go ``applyMatchLabelKeysAndMismatchLabelKeys``: ``matchLabelKeys`` become ``In`` and
    ``mismatchLabelKeys`` ``NotIn`` requirements on the term's ``labelSelector``, with the pod's own label values."""
    match_keys = term.get("matchLabelKeys") or []
    mismatch_keys = term.get("mismatchLabelKeys") or []
    if (not match_keys and not mismatch_keys) or term.get("labelSelector") is None:
        return term
    selector = dict(term["labelSelector"])
    exprs = list(selector.get("matchExpressions") or [])
    for k in match_keys:
        if k in owner_labels:
            exprs.append({"key": k, "operator": "In", "values": [owner_labels[k]]})
    for k in mismatch_keys:
        if k in owner_labels:
            exprs.append({"key": k, "operator": "NotIn", "values": [owner_labels[k]]})
    selector["matchExpressions"] = exprs
    out = dict(term)
    out["labelSelector"] = selector
    return out


def mutate_pod_affinity(pod: dict[str, Any], enabled: bool = True) -> None:
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


def pod_qos_class(spec: dict[str, Any]) -> str:
    """``GetPodQOS`` of a pod with this spec (k8sdocs.model.api.qos.compute_pod_qos)."""
    return compute_pod_qos({"spec": spec})
