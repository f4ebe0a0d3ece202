"""core/v1 defaulting, as kube-apiserver applies it when it decodes an object (``SetObjectDefaults_<Kind>``).

Upstream: ``pkg/apis/core/v1/defaults.go`` (kubernetes/kubernetes@023f88a32c95647b94e47df54948a0af9517dd0c:
``SetDefaults_*``, ``defaultPodRequests``, ``defaultHugePagePodLimits``) and the generated walker
``pkg/apis/core/v1/zz_generated.defaults.go`` (which nested ``SetDefaults_*`` run for each kind, in which order; the
inline defaults ``protocol: TCP``, probe ``grpc.service: ""``, ``fileKeyRef.optional: false``, RC ``replicas: 1``).
The full list of template defaults is the one ``TestWorkloadDefaults`` asserts (defaults_test.go@030880a5dc54).

Objects are manifest dicts, changed in place like the Go pointers upstream. A Go string or pointer that is "unset"
is a key that is absent or null (``""`` for strings). A Go struct field that is a value, not a pointer (``Pod.spec``,
``Deployment.spec.template``), is created when absent so that its defaults apply, as upstream does. Values of the
wrong type are left alone: validation reports them afterwards. Feature gates: the v1.35 defaults
(``PodLevelResources`` on, ``ImageVolume`` off); ``features`` overrides them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from k8sdocs.model.api import resource as resourcehelper
from k8sdocs.model.api.obj import Obj, as_obj
from k8sdocs.model.quantity import QuantityError, parse_quantity

# staging/src/k8s.io/api/core/v1/types.go
DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30
DEFAULT_SCHEDULER_NAME = "default-scheduler"
TERMINATION_MESSAGE_PATH_DEFAULT = "/dev/termination-log"
DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 10800
SECRET_VOLUME_SOURCE_DEFAULT_MODE = 0o644
CONFIG_MAP_VOLUME_SOURCE_DEFAULT_MODE = 0o644
DOWNWARD_API_VOLUME_SOURCE_DEFAULT_MODE = 0o644
PROJECTED_VOLUME_SOURCE_DEFAULT_MODE = 0o644
LABEL_METADATA_NAME = "kubernetes.io/metadata.name"
DEFAULT_FEATURES: Mapping[str, bool] = {"PodLevelResources": True, "ImageVolume": False}

#: Every field of v1.VolumeSource (all pointers): a volume with none of them defaults to emptyDir.
VOLUME_SOURCE_FIELDS = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
    "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
    "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
    "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
)


def _unset(value: Any) -> bool:
    return value is None or value == ""


def _dict(parent: Obj, key: str, create: bool = False) -> Obj | None:
    """The dict at ``parent[key]``; with ``create`` (a Go value field) an absent/null one is created."""
    value = parent.get(key)
    if isinstance(value, dict):
        return value
    if value is None and create:
        created: Obj = {}
        parent[key] = created
        return created
    return None


def _dicts(parent: Mapping[str, Any], key: str) -> list[Obj]:
    value = parent.get(key)
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict)]


def _enabled(features: Mapping[str, bool] | None, name: str) -> bool:
    if features is not None and name in features:
        return bool(features[name])
    return DEFAULT_FEATURES[name]


# -- image references (pkg/util/parsers.ParseImageName via github.com/distribution/reference) --------------------
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?"
_NAME_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_REFERENCE_RE = re.compile(
    rf"((?:{_DOMAIN}/)?{_NAME_COMPONENT}(?:/{_NAME_COMPONENT})*)"
    r"(?::([\w][\w.-]{0,127}))?"
    r"(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}))?"
)
_ANCHORED_IDENTIFIER_RE = re.compile(r"[a-f0-9]{64}")
NAME_TOTAL_LENGTH_MAX = 255


def image_tag(image: str) -> tuple[str, str]:
    """(tag, digest) as ``parsers.ParseImageName`` returns them: no tag and no digest means ``latest``; a
    digest-only reference has an empty tag; a reference ``ParseNormalizedNamed`` rejects (empty, uppercase
    repository, bad characters, 64-hex identifier, name over 255 characters) gives an error, i.e. an empty tag."""
    if _ANCHORED_IDENTIFIER_RE.fullmatch(image):
        return "", ""
    m = _REFERENCE_RE.fullmatch(image)
    if m is None or len(m.group(1)) > NAME_TOTAL_LENGTH_MAX:
        return "", ""
    name = m.group(1)
    first, slash, rest = name.partition("/")
    if slash and not ("." in first or ":" in first or first == "localhost" or first.lower() != first):
        rest = name  # no domain: the whole name is the remote name
    elif not slash:
        rest = name
    if rest.lower() != rest:
        return "", ""  # "repository name must be lowercase"
    tag, digest = m.group(2) or "", m.group(3) or ""
    if not tag and not digest:
        tag = "latest"
    return tag, digest


def default_image_pull_policy(image: str) -> str:
    """``SetDefaults_Container``: ``Always`` for the ``latest`` tag (or none), else ``IfNotPresent``."""
    return "Always" if image_tag(image)[0] == "latest" else "IfNotPresent"


# -- hand-written SetDefaults_* (defaults.go) ---------------------------------------------------------------------
def SetDefaults_ResourceList(obj: Any) -> None:
    """Round every quantity up to milli scale (``val.RoundUp(-3)``); values already at that scale keep their text."""
    if not isinstance(obj, dict):
        return
    for key, val in list(obj.items()):
        try:
            amount = parse_quantity(val).amount
        except QuantityError:
            continue
        milli = amount * 1000
        if milli.denominator != 1:
            # RoundUp rounds away from zero.
            rounded = -((-milli.numerator) // milli.denominator) if milli > 0 else -(milli.numerator // -milli.denominator)
            obj[key] = resourcehelper.format_amount(Fraction(rounded, 1000))


def SetDefaults_ReplicationController(obj: Obj) -> None:
    spec = _dict(obj, "spec", create=True)
    if spec is None:
        return
    template = _dict(spec, "template")
    labels = None
    if template is not None:
        meta = template.get("metadata")
        labels = meta.get("labels") if isinstance(meta, dict) else None
    if isinstance(labels, dict):
        if not spec.get("selector"):
            spec["selector"] = labels
        meta = _dict(obj, "metadata", create=True)
        if meta is not None and not meta.get("labels"):
            meta["labels"] = labels


def SetDefaults_Volume(obj: Obj, features: Mapping[str, bool] | None = None) -> None:
    if all(obj.get(f) is None for f in VOLUME_SOURCE_FIELDS):
        obj["emptyDir"] = {}
    image = obj.get("image")
    if _enabled(features, "ImageVolume") and isinstance(image, dict) and _unset(image.get("pullPolicy")):
        image["pullPolicy"] = default_image_pull_policy(str(image.get("reference") or ""))


def SetDefaults_Container(obj: Obj) -> None:
    if _unset(obj.get("imagePullPolicy")):
        obj["imagePullPolicy"] = default_image_pull_policy(obj["image"] if isinstance(obj.get("image"), str) else "")
    if _unset(obj.get("terminationMessagePath")):
        obj["terminationMessagePath"] = TERMINATION_MESSAGE_PATH_DEFAULT
    if _unset(obj.get("terminationMessagePolicy")):
        obj["terminationMessagePolicy"] = "File"


def SetDefaults_EphemeralContainer(obj: Obj) -> None:
    SetDefaults_Container(obj)


def externally_accessible(service: Mapping[str, Any]) -> bool:
    """``pkg/api/v1/service.ExternallyAccessible``."""
    raw_spec = service.get("spec")
    spec: Mapping[str, Any] = raw_spec if isinstance(raw_spec, Mapping) else {}
    stype = spec.get("type")
    return stype in ("LoadBalancer", "NodePort") or (stype == "ClusterIP" and bool(spec.get("externalIPs")))


def SetDefaults_Service(obj: Obj) -> None:
    spec = _dict(obj, "spec", create=True)
    if spec is None:
        return
    if _unset(spec.get("sessionAffinity")):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    if spec["sessionAffinity"] == "ClientIP":
        config = spec.get("sessionAffinityConfig")
        client_ip = config.get("clientIP") if isinstance(config, dict) else None
        if not isinstance(client_ip, dict) or client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS}}
    if _unset(spec.get("type")):
        spec["type"] = "ClusterIP"
    for sp in _dicts(spec, "ports"):
        if _unset(sp.get("protocol")):
            sp["protocol"] = "TCP"
        target = sp.get("targetPort")
        if target is None or target == 0 or target == "":
            if "port" in sp:
                sp["targetPort"] = sp["port"]
            else:
                sp["targetPort"] = 0
    if externally_accessible(obj) and _unset(spec.get("externalTrafficPolicy")):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is None:
            spec["allocateLoadBalancerNodePorts"] = True
        status = obj.get("status")
        lb = status.get("loadBalancer") if isinstance(status, dict) else None
        for ing in _dicts(lb, "ingress") if isinstance(lb, dict) else []:
            if not _unset(ing.get("ip")) and ing.get("ipMode") is None:
                ing["ipMode"] = "VIP"


def _default_requests_to_limits(containers: list[Obj]) -> None:
    for c in containers:
        res = c.get("resources")
        if not isinstance(res, dict) or not isinstance(res.get("limits"), dict):
            continue
        if res.get("requests") is None:
            res["requests"] = {}
        requests = res["requests"]
        if not isinstance(requests, dict):
            continue
        for key, value in res["limits"].items():
            if key not in requests:
                requests[key] = value


def _set_resource_list(res: Obj, key: str, values: dict[str, Fraction], original: Mapping[str, Any]) -> None:
    """Write a ResourceList back, keeping the caller's text for entries that were already there."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        out[k] = original[k] if k in original else resourcehelper.format_amount(v)
    res[key] = out


def _default_pod_requests(pod: Obj) -> None:
    """``defaultPodRequests`` (PodLevelResources)."""
    spec = pod["spec"]
    res = spec.get("resources")
    if not isinstance(res, dict):
        return
    limits = res.get("limits")
    if not isinstance(limits, dict) or not limits:
        return
    given = as_obj(res.get("requests"))
    pod_reqs = resourcehelper.resource_list(given)
    text: dict[str, Any] = dict(given)
    for key, value in resourcehelper.aggregate_container_requests(pod).items():
        if key not in pod_reqs and resourcehelper.is_supported_pod_level_resource(key) \
                and resourcehelper.is_overcommit_allowed(key):
            pod_reqs[key] = value
    for key, value in resourcehelper.resource_list(limits).items():
        if key not in pod_reqs and resourcehelper.is_supported_pod_level_resource(key):
            pod_reqs[key] = value
            text[key] = limits[key]
    if pod_reqs:
        _set_resource_list(res, "requests", pod_reqs, text)


def _default_huge_page_pod_limits(pod: Obj) -> None:
    """``defaultHugePagePodLimits`` (PodLevelResources)."""
    spec = pod["spec"]
    res = spec.get("resources")
    if not isinstance(res, dict):
        return
    limits = as_obj(res.get("limits"))
    requests = as_obj(res.get("requests"))
    if not limits and not requests:
        return
    pod_lims = resourcehelper.resource_list(limits)
    for key, value in resourcehelper.aggregate_container_limits(pod).items():
        if not resourcehelper.is_supported_pod_level_resource(key) or not resourcehelper.is_huge_page_resource_name(key):
            continue
        if key in requests:
            continue
        if key not in pod_lims:
            pod_lims[key] = value
    if pod_lims:
        _set_resource_list(res, "limits", pod_lims, limits)


def _default_host_network_ports(containers: list[Obj]) -> None:
    for c in containers:
        for p in _dicts(c, "ports"):
            if not p.get("hostPort"):
                p["hostPort"] = p.get("containerPort", 0)


def SetDefaults_Pod(obj: Obj, features: Mapping[str, bool] | None = None) -> None:
    spec = _dict(obj, "spec", create=True)
    if spec is None:
        return
    _default_requests_to_limits(_dicts(spec, "containers"))
    _default_requests_to_limits(_dicts(spec, "initContainers"))
    if _enabled(features, "PodLevelResources"):
        _default_huge_page_pod_limits(obj)
        _default_pod_requests(obj)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True  # v1.DefaultEnableServiceLinks
    if spec.get("hostNetwork") is True:
        _default_host_network_ports(_dicts(spec, "containers"))
        _default_host_network_ports(_dicts(spec, "initContainers"))


def SetDefaults_PodSpec(obj: Obj) -> None:
    if _unset(obj.get("dnsPolicy")):
        obj["dnsPolicy"] = "ClusterFirst"
    if _unset(obj.get("restartPolicy")):
        obj["restartPolicy"] = "Always"
    if obj.get("securityContext") is None:
        obj["securityContext"] = {}
    if obj.get("terminationGracePeriodSeconds") is None:
        obj["terminationGracePeriodSeconds"] = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS
    if _unset(obj.get("schedulerName")):
        obj["schedulerName"] = DEFAULT_SCHEDULER_NAME


def SetDefaults_Probe(obj: Obj) -> None:
    for key, default in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                         ("failureThreshold", 3)):
        if not obj.get(key):
            obj[key] = default


def _default_mode(obj: Obj, mode: int) -> None:
    if obj.get("defaultMode") is None:
        obj["defaultMode"] = mode


def SetDefaults_SecretVolumeSource(obj: Obj) -> None:
    _default_mode(obj, SECRET_VOLUME_SOURCE_DEFAULT_MODE)


def SetDefaults_ConfigMapVolumeSource(obj: Obj) -> None:
    _default_mode(obj, CONFIG_MAP_VOLUME_SOURCE_DEFAULT_MODE)


def SetDefaults_DownwardAPIVolumeSource(obj: Obj) -> None:
    _default_mode(obj, DOWNWARD_API_VOLUME_SOURCE_DEFAULT_MODE)


def SetDefaults_ProjectedVolumeSource(obj: Obj) -> None:
    _default_mode(obj, PROJECTED_VOLUME_SOURCE_DEFAULT_MODE)


def SetDefaults_Secret(obj: Obj) -> None:
    if _unset(obj.get("type")):
        obj["type"] = "Opaque"


def SetDefaults_ServiceAccountTokenProjection(obj: Obj) -> None:
    if obj.get("expirationSeconds") is None:
        obj["expirationSeconds"] = 3600


def SetDefaults_PersistentVolume(obj: Obj) -> None:
    status = _dict(obj, "status", create=True)
    if status is not None and _unset(status.get("phase")):
        status["phase"] = "Pending"
    spec = _dict(obj, "spec", create=True)
    if spec is None:
        return
    if _unset(spec.get("persistentVolumeReclaimPolicy")):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"


def SetDefaults_PersistentVolumeClaim(obj: Obj) -> None:
    status = _dict(obj, "status", create=True)
    if status is not None and _unset(status.get("phase")):
        status["phase"] = "Pending"


def SetDefaults_PersistentVolumeClaimSpec(obj: Obj) -> None:
    if obj.get("volumeMode") is None:
        obj["volumeMode"] = "Filesystem"


def SetDefaults_Endpoints(obj: Obj) -> None:
    for ss in _dicts(obj, "subsets"):
        for ep in _dicts(ss, "ports"):
            if _unset(ep.get("protocol")):
                ep["protocol"] = "TCP"


def SetDefaults_HTTPGetAction(obj: Obj) -> None:
    if _unset(obj.get("path")):
        obj["path"] = "/"
    if _unset(obj.get("scheme")):
        obj["scheme"] = "HTTP"


def SetDefaults_Namespace(obj: Obj) -> None:
    meta = obj.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("name"), str) and meta["name"]:
        if meta.get("labels") is None:
            meta["labels"] = {}
        if isinstance(meta["labels"], dict):
            meta["labels"][LABEL_METADATA_NAME] = meta["name"]


def SetDefaults_NamespaceStatus(obj: Obj) -> None:
    if _unset(obj.get("phase")):
        obj["phase"] = "Active"


def SetDefaults_NodeStatus(obj: Obj) -> None:
    if obj.get("allocatable") is None and isinstance(obj.get("capacity"), dict):
        obj["allocatable"] = dict(obj["capacity"])


def SetDefaults_ObjectFieldSelector(obj: Obj) -> None:
    if _unset(obj.get("apiVersion")):
        obj["apiVersion"] = "v1"


def SetDefaults_LimitRangeItem(obj: Obj) -> None:
    if obj.get("type") != "Container":
        return
    if obj.get("default") is None:
        obj["default"] = {}
    if obj.get("defaultRequest") is None:
        obj["defaultRequest"] = {}
    default, default_request = obj["default"], obj["defaultRequest"]
    if not isinstance(default, dict) or not isinstance(default_request, dict):
        return
    for key, value in (obj.get("max") or {}).items():
        default.setdefault(key, value)
    for key, value in default.items():
        default_request.setdefault(key, value)
    for key, value in (obj.get("min") or {}).items():
        default_request.setdefault(key, value)


def SetDefaults_ConfigMap(obj: Obj) -> None:
    if obj.get("data") is None:
        obj["data"] = {}


def SetDefaults_HostPathVolumeSource(obj: Obj) -> None:
    if obj.get("type") is None:
        obj["type"] = ""  # v1.HostPathUnset


def SetDefaults_ISCSIVolumeSource(obj: Obj) -> None:
    if _unset(obj.get("iscsiInterface")):
        obj["iscsiInterface"] = "default"


SetDefaults_ISCSIPersistentVolumeSource = SetDefaults_ISCSIVolumeSource


def SetDefaults_RBDVolumeSource(obj: Obj) -> None:
    if _unset(obj.get("pool")):
        obj["pool"] = "rbd"
    if _unset(obj.get("user")):
        obj["user"] = "admin"
    if _unset(obj.get("keyring")):
        obj["keyring"] = "/etc/ceph/keyring"


SetDefaults_RBDPersistentVolumeSource = SetDefaults_RBDVolumeSource


def SetDefaults_AzureDiskVolumeSource(obj: Obj) -> None:
    if obj.get("cachingMode") is None:
        obj["cachingMode"] = "ReadWrite"
    if obj.get("kind") is None:
        obj["kind"] = "Shared"
    if obj.get("fsType") is None:
        obj["fsType"] = "ext4"
    if obj.get("readOnly") is None:
        obj["readOnly"] = False


def SetDefaults_ScaleIOVolumeSource(obj: Obj) -> None:
    if _unset(obj.get("storageMode")):
        obj["storageMode"] = "ThinProvisioned"
    if _unset(obj.get("fsType")):
        obj["fsType"] = "xfs"


SetDefaults_ScaleIOPersistentVolumeSource = SetDefaults_ScaleIOVolumeSource


# -- the generated walkers (zz_generated.defaults.go) ----------------------------------------------------------
def _defaults_volume(a: Obj, features: Mapping[str, bool] | None) -> None:
    SetDefaults_Volume(a, features)
    for key, fn in (("hostPath", SetDefaults_HostPathVolumeSource), ("secret", SetDefaults_SecretVolumeSource),
                    ("iscsi", SetDefaults_ISCSIVolumeSource), ("rbd", SetDefaults_RBDVolumeSource)):
        if isinstance(a.get(key), dict):
            fn(a[key])
    if isinstance(a.get("downwardAPI"), dict):
        SetDefaults_DownwardAPIVolumeSource(a["downwardAPI"])
        for item in _dicts(a["downwardAPI"], "items"):
            if isinstance(item.get("fieldRef"), dict):
                SetDefaults_ObjectFieldSelector(item["fieldRef"])
    if isinstance(a.get("configMap"), dict):
        SetDefaults_ConfigMapVolumeSource(a["configMap"])
    if isinstance(a.get("azureDisk"), dict):
        SetDefaults_AzureDiskVolumeSource(a["azureDisk"])
    if isinstance(a.get("projected"), dict):
        SetDefaults_ProjectedVolumeSource(a["projected"])
        for src in _dicts(a["projected"], "sources"):
            if isinstance(src.get("downwardAPI"), dict):
                for item in _dicts(src["downwardAPI"], "items"):
                    if isinstance(item.get("fieldRef"), dict):
                        SetDefaults_ObjectFieldSelector(item["fieldRef"])
            if isinstance(src.get("serviceAccountToken"), dict):
                SetDefaults_ServiceAccountTokenProjection(src["serviceAccountToken"])
    if isinstance(a.get("scaleIO"), dict):
        SetDefaults_ScaleIOVolumeSource(a["scaleIO"])
    eph = a.get("ephemeral")
    if isinstance(eph, dict) and isinstance(eph.get("volumeClaimTemplate"), dict):
        claim_spec = _dict(eph["volumeClaimTemplate"], "spec", create=True)
        if claim_spec is not None:
            SetDefaults_PersistentVolumeClaimSpec(claim_spec)
            res = claim_spec.get("resources")
            if isinstance(res, dict):
                SetDefaults_ResourceList(res.get("limits"))
                SetDefaults_ResourceList(res.get("requests"))


def _defaults_probe(probe: Any) -> None:
    if not isinstance(probe, dict):
        return
    SetDefaults_Probe(probe)
    if isinstance(probe.get("httpGet"), dict):
        SetDefaults_HTTPGetAction(probe["httpGet"])
    if isinstance(probe.get("grpc"), dict) and probe["grpc"].get("service") is None:
        probe["grpc"]["service"] = ""


def _defaults_container(a: Obj, ephemeral: bool = False) -> None:
    if ephemeral:
        SetDefaults_EphemeralContainer(a)
    else:
        SetDefaults_Container(a)
    for p in _dicts(a, "ports"):
        if _unset(p.get("protocol")):
            p["protocol"] = "TCP"
    for env in _dicts(a, "env"):
        value_from = env.get("valueFrom")
        if not isinstance(value_from, dict):
            continue
        if isinstance(value_from.get("fieldRef"), dict):
            SetDefaults_ObjectFieldSelector(value_from["fieldRef"])
        if isinstance(value_from.get("fileKeyRef"), dict) and value_from["fileKeyRef"].get("optional") is None:
            value_from["fileKeyRef"]["optional"] = False
    res = a.get("resources")
    if isinstance(res, dict):
        SetDefaults_ResourceList(res.get("limits"))
        SetDefaults_ResourceList(res.get("requests"))
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        _defaults_probe(a.get(key))
    lifecycle = a.get("lifecycle")
    if isinstance(lifecycle, dict):
        for key in ("postStart", "preStop"):
            handler = lifecycle.get(key)
            if isinstance(handler, dict) and isinstance(handler.get("httpGet"), dict):
                SetDefaults_HTTPGetAction(handler["httpGet"])


def _defaults_pod_spec_fields(spec: Obj, features: Mapping[str, bool] | None) -> None:
    """What every generated walker does for a PodSpec after SetDefaults_PodSpec."""
    for v in _dicts(spec, "volumes"):
        _defaults_volume(v, features)
    for c in _dicts(spec, "initContainers"):
        _defaults_container(c)
    for c in _dicts(spec, "containers"):
        _defaults_container(c)
    for c in _dicts(spec, "ephemeralContainers"):
        _defaults_container(c, ephemeral=True)
    res = spec.get("resources")
    if isinstance(res, dict):
        SetDefaults_ResourceList(res.get("limits"))
        SetDefaults_ResourceList(res.get("requests"))
    SetDefaults_ResourceList(spec.get("overhead"))


def default_pod_template_spec(template: Obj, features: Mapping[str, bool] | None = None) -> None:
    """The walker's part for a PodTemplateSpec (SetDefaults_PodSpec and the nested defaults; no SetDefaults_Pod)."""
    spec = _dict(template, "spec", create=True)
    if spec is None:
        return
    SetDefaults_PodSpec(spec)
    _defaults_pod_spec_fields(spec, features)


def SetObjectDefaults_Pod(in_: Obj, features: Mapping[str, bool] | None = None) -> None:
    SetDefaults_Pod(in_, features)
    spec = _dict(in_, "spec", create=True)
    if spec is None:
        return
    SetDefaults_PodSpec(spec)
    _defaults_pod_spec_fields(spec, features)


def SetObjectDefaults_PodTemplate(in_: Obj, features: Mapping[str, bool] | None = None) -> None:
    template = _dict(in_, "template", create=True)
    if template is not None:
        default_pod_template_spec(template, features)


def SetObjectDefaults_ReplicationController(in_: Obj, features: Mapping[str, bool] | None = None) -> None:
    SetDefaults_ReplicationController(in_)
    spec = _dict(in_, "spec", create=True)
    if spec is None:
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1  # +default=1 (declarative default, v1.35)
    template = _dict(spec, "template")
    if template is not None:
        default_pod_template_spec(template, features)


def SetObjectDefaults_Service(in_: Obj) -> None:
    SetDefaults_Service(in_)
    spec = in_.get("spec")
    for p in _dicts(spec, "ports") if isinstance(spec, dict) else []:
        if _unset(p.get("protocol")):
            p["protocol"] = "TCP"


def SetObjectDefaults_Secret(in_: Obj) -> None:
    SetDefaults_Secret(in_)


def SetObjectDefaults_ConfigMap(in_: Obj) -> None:
    SetDefaults_ConfigMap(in_)


def SetObjectDefaults_Endpoints(in_: Obj) -> None:
    SetDefaults_Endpoints(in_)


def SetObjectDefaults_Namespace(in_: Obj) -> None:
    SetDefaults_Namespace(in_)
    status = _dict(in_, "status", create=True)
    if status is not None:
        SetDefaults_NamespaceStatus(status)


def SetObjectDefaults_Node(in_: Obj) -> None:
    status = _dict(in_, "status", create=True)
    if status is None:
        return
    SetDefaults_NodeStatus(status)
    SetDefaults_ResourceList(status.get("capacity"))
    SetDefaults_ResourceList(status.get("allocatable"))


def SetObjectDefaults_LimitRange(in_: Obj) -> None:
    spec = _dict(in_, "spec", create=True)
    for item in _dicts(spec, "limits") if spec is not None else []:
        SetDefaults_LimitRangeItem(item)
        for key in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            SetDefaults_ResourceList(item.get(key))


def SetObjectDefaults_ResourceQuota(in_: Obj) -> None:
    spec = in_.get("spec")
    if isinstance(spec, dict):
        SetDefaults_ResourceList(spec.get("hard"))
    status = in_.get("status")
    if isinstance(status, dict):
        SetDefaults_ResourceList(status.get("hard"))
        SetDefaults_ResourceList(status.get("used"))


def SetObjectDefaults_PersistentVolume(in_: Obj) -> None:
    SetDefaults_PersistentVolume(in_)
    spec = in_["spec"] if isinstance(in_.get("spec"), dict) else None
    if spec is None:
        return
    SetDefaults_ResourceList(spec.get("capacity"))
    for key, fn in (("hostPath", SetDefaults_HostPathVolumeSource), ("rbd", SetDefaults_RBDPersistentVolumeSource),
                    ("iscsi", SetDefaults_ISCSIPersistentVolumeSource), ("azureDisk", SetDefaults_AzureDiskVolumeSource),
                    ("scaleIO", SetDefaults_ScaleIOPersistentVolumeSource)):
        if isinstance(spec.get(key), dict):
            fn(spec[key])


def SetObjectDefaults_PersistentVolumeClaim(in_: Obj) -> None:
    SetDefaults_PersistentVolumeClaim(in_)
    spec = _dict(in_, "spec", create=True)
    if spec is None:
        return
    SetDefaults_PersistentVolumeClaimSpec(spec)
    res = spec.get("resources")
    if isinstance(res, dict):
        SetDefaults_ResourceList(res.get("limits"))
        SetDefaults_ResourceList(res.get("requests"))
    status = in_.get("status")
    if isinstance(status, dict):
        SetDefaults_ResourceList(status.get("capacity"))
        SetDefaults_ResourceList(status.get("allocatedResources"))
