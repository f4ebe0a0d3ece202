"""apps/v1 defaulting (``SetObjectDefaults_Deployment/ReplicaSet/DaemonSet/StatefulSet``).

Upstream: ``pkg/apis/apps/v1/defaults.go`` (kubernetes/kubernetes@a79f3c787d204848670cdf3e424107053ffcea3e and later;
defaults_test.go as transcribed in tests/fidelity/functions/apps_v1_defaults.yaml) and ``zz_generated.defaults.go``:
each walker runs the kind's ``SetDefaults_<Kind>`` and then the core/v1 PodSpec defaults of ``spec.template``
(SetDefaults_PodSpec and the container/volume defaults, not SetDefaults_Pod: a template gets no
``enableServiceLinks`` and no requests copied from limits). ``spec.template`` is a Go value, so it is created when
absent. Gates (v1.35 defaults): ``StatefulSetAutoDeletePVC`` on (GA), ``MaxUnavailableStatefulSet`` on (beta).
"""

from __future__ import annotations

from collections.abc import Mapping

from k8sdocs.model.api import defaults as corev1
from k8sdocs.model.api.obj import Obj

DEFAULT_FEATURES: Mapping[str, bool] = {"StatefulSetAutoDeletePVC": True, "MaxUnavailableStatefulSet": True}


def _enabled(features: Mapping[str, bool] | None, name: str) -> bool:
    if features is not None and name in features:
        return bool(features[name])
    return DEFAULT_FEATURES[name]


def _spec(obj: Obj) -> Obj | None:
    return corev1._dict(obj, "spec", create=True)


def SetDefaults_Deployment(obj: Obj) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = corev1._dict(spec, "strategy", create=True)
    if strategy is not None:
        if corev1._unset(strategy.get("type")):
            strategy["type"] = "RollingUpdate"
        if strategy["type"] == "RollingUpdate":
            ru = corev1._dict(strategy, "rollingUpdate", create=True)
            if ru is not None:
                if ru.get("maxUnavailable") is None:
                    ru["maxUnavailable"] = "25%"
                if ru.get("maxSurge") is None:
                    ru["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600


def SetDefaults_ReplicaSet(obj: Obj) -> None:
    spec = _spec(obj)
    if spec is not None and spec.get("replicas") is None:
        spec["replicas"] = 1


def SetDefaults_DaemonSet(obj: Obj) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    strategy = corev1._dict(spec, "updateStrategy", create=True)
    if strategy is not None:
        if corev1._unset(strategy.get("type")):
            strategy["type"] = "RollingUpdate"
        if strategy["type"] == "RollingUpdate":
            ru = corev1._dict(strategy, "rollingUpdate", create=True)
            if ru is not None:
                if ru.get("maxUnavailable") is None:
                    ru["maxUnavailable"] = 1
                if ru.get("maxSurge") is None:
                    ru["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10


def SetDefaults_StatefulSet(obj: Obj, features: Mapping[str, bool] | None = None) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = corev1._dict(spec, "updateStrategy", create=True)
    if strategy is not None:
        if corev1._unset(strategy.get("type")):
            strategy["type"] = "RollingUpdate"
            if strategy.get("rollingUpdate") is None:
                strategy["rollingUpdate"] = {}
        ru = strategy.get("rollingUpdate")
        if strategy["type"] == "RollingUpdate" and isinstance(ru, dict):
            if ru.get("partition") is None:
                ru["partition"] = 0
            if _enabled(features, "MaxUnavailableStatefulSet") and ru.get("maxUnavailable") is None:
                ru["maxUnavailable"] = 1
    if _enabled(features, "StatefulSetAutoDeletePVC"):
        policy = corev1._dict(spec, "persistentVolumeClaimRetentionPolicy", create=True)
        if policy is not None:
            if not policy.get("whenDeleted"):
                policy["whenDeleted"] = "Retain"
            if not policy.get("whenScaled"):
                policy["whenScaled"] = "Retain"
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10


def _template(obj: Obj, features: Mapping[str, bool] | None) -> None:
    spec = obj.get("spec")
    if isinstance(spec, dict):
        template = corev1._dict(spec, "template", create=True)
        if template is not None:
            corev1.default_pod_template_spec(template, features)


def SetObjectDefaults_Deployment(in_: Obj, features: Mapping[str, bool] | None = None) -> None:
    SetDefaults_Deployment(in_)
    _template(in_, features)


def SetObjectDefaults_ReplicaSet(in_: Obj, features: Mapping[str, bool] | None = None) -> None:
    SetDefaults_ReplicaSet(in_)
    _template(in_, features)


def SetObjectDefaults_DaemonSet(in_: Obj, features: Mapping[str, bool] | None = None) -> None:
    SetDefaults_DaemonSet(in_)
    _template(in_, features)


def SetObjectDefaults_StatefulSet(in_: Obj, features: Mapping[str, bool] | None = None) -> None:
    SetDefaults_StatefulSet(in_, features)
    _template(in_, features)
    spec = in_.get("spec")
    for claim in corev1._dicts(spec, "volumeClaimTemplates") if isinstance(spec, dict) else []:
        corev1.SetDefaults_PersistentVolumeClaim(claim)
        claim_spec = corev1._dict(claim, "spec", create=True)
        if claim_spec is not None:
            corev1.SetDefaults_PersistentVolumeClaimSpec(claim_spec)
            res = claim_spec.get("resources")
            if isinstance(res, dict):
                corev1.SetDefaults_ResourceList(res.get("limits"))
                corev1.SetDefaults_ResourceList(res.get("requests"))
