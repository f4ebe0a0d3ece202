"""Workload kinds whose pod templates the model stores: DaemonSet, StatefulSet (``pkg/apis/apps/validation``
@2dd1588c490775be7cd90d0afc59c6dcef07032a: ValidateDaemonSetSpec, ValidateStatefulSetSpec) and
ReplicationController (``pkg/apis/core/validation`` ValidateReplicationControllerSpec, ValidatePodTemplateSpecForRC).

The model does not run these controllers, but it stores the objects, so it rejects what the API server rejects.
The versioned defaults they get before validation (SetDefaults_DaemonSet / SetDefaults_StatefulSet /
SetDefaults_ReplicationController in pkg/apis/{apps,core}/v1/defaults.go, and the pod template's defaults) are
applied here to a copy, only for validation.
"""

from __future__ import annotations

import copy
from typing import Any

from k8sdocs.model.api.defaults import default_pod_template_spec
from k8sdocs.model.labels import SelectorError, label_selector
from k8sdocs.model.validation import (
    FieldError,
    _raw,
    forbidden,
    go_map_repr,
    invalid,
    not_supported,
    required,
    validate_labels,
    validate_nonnegative,
    validate_pod_spec,
)
from k8sdocs.model.validators.meta import raw, validate_label_selector


def _defaulted_template(spec: dict) -> dict:
    # the pod template's defaults (SetDefaults_PodSpec, containers...), as SetObjectDefaults_<Kind> applies them
    template = copy.deepcopy(spec.get("template")) if isinstance(spec.get("template"), dict) else {}
    default_pod_template_spec(template)
    return template


def _template_labels(template: dict) -> Any:
    meta = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
    return meta.get("labels")


def _selector_matches(selector: Any, labels: Any) -> bool | None:
    """``metav1.LabelSelectorAsSelector(sel).Matches(labels)``; None when the selector does not convert."""
    try:
        sel = label_selector(selector) if isinstance(selector, dict) else None
    except SelectorError:
        return None
    if sel is None:
        return False  # a nil selector converts to labels.Nothing()
    return sel.matches(labels if isinstance(labels, dict) else {})


def _pod_template_errors(template: dict, fld: str) -> list[FieldError]:
    """``ValidatePodTemplateSpec``: labels (path ``<fld>.labels``, upstream's), then the pod spec."""
    errs = validate_labels(_template_labels(template), f"{fld}.labels")
    tspec = template.get("spec") if isinstance(template.get("spec"), dict) else {}
    errs.extend(validate_pod_spec(tspec, f"{fld}.spec"))
    return errs


def _restart_and_deadline(template: dict, kind: str) -> list[FieldError]:
    tspec = template.get("spec") if isinstance(template.get("spec"), dict) else {}
    errs: list[FieldError] = []
    rp = tspec.get("restartPolicy", "Always")
    if rp != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds", f"activeDeadlineSeconds in {kind} is not Supported"))
    return errs


def validate_daemonset_spec(spec: dict) -> list[FieldError]:
    """``ValidateDaemonSetSpec``."""
    template = _defaulted_template(spec)
    selector = spec.get("selector")
    errs = validate_label_selector(selector, "spec.selector")
    if _selector_matches(selector, _template_labels(template)) is False:
        errs.append(_raw("spec.template.metadata.labels", go_map_repr(_template_labels(template)),
                         "`selector` does not match template `labels`"))
    if isinstance(selector, dict) and not (selector.get("matchLabels") or selector.get("matchExpressions")):
        errs.append(invalid("spec.selector", raw("&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}"),
                            "empty selector is invalid for daemonset"))
    errs.extend(_pod_template_errors(template, "spec.template"))
    errs.extend(_restart_and_deadline(template, "DaemonSet"))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    strategy = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
    stype = strategy.get("type", "RollingUpdate")  # SetDefaults_DaemonSet
    if stype == "RollingUpdate":
        ru = strategy.get("rollingUpdate") if isinstance(strategy.get("rollingUpdate"), dict) else {}
        unavailable, surge = ru.get("maxUnavailable", 1), ru.get("maxSurge", 0)
        for name, value in (("maxUnavailable", unavailable), ("maxSurge", surge)):
            if isinstance(value, int) and not isinstance(value, bool):
                errs.extend(validate_nonnegative(value, f"spec.updateStrategy.rollingUpdate.{name}"))
        has_unavailable, has_surge = _int_or_percent_value(unavailable) != 0, _int_or_percent_value(surge) != 0
        if has_unavailable and has_surge:
            errs.append(invalid("spec.updateStrategy.rollingUpdate.maxSurge", raw(str(surge)),
                                "may not be set when maxUnavailable is non-zero"))
        elif not has_unavailable and not has_surge:
            errs.append(required("spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    elif stype != "OnDelete":
        errs.append(not_supported("spec.updateStrategy", raw(f"&DaemonSetUpdateStrategy{{Type:{stype},RollingUpdate:nil,}}"),
                                  ["RollingUpdate", "OnDelete"]))
    errs.extend(validate_nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit"))
    return errs


def _int_or_percent_value(value: Any) -> int:
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        return int(value[:-1])
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def validate_statefulset_spec(spec: dict) -> list[FieldError]:
    """``ValidateStatefulSetSpec``. Upstream does not validate the template's pod spec (a TODO there): only its
    labels and annotations, the selector match, restartPolicy and activeDeadlineSeconds."""
    errs: list[FieldError] = []
    policy = spec.get("podManagementPolicy", "OrderedReady")  # SetDefaults_StatefulSet
    if policy not in ("OrderedReady", "Parallel"):
        errs.append(invalid("spec.podManagementPolicy", str(policy), "must be 'OrderedReady' or 'Parallel'"))
    strategy = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
    stype = strategy.get("type", "RollingUpdate")
    ru = strategy.get("rollingUpdate")
    if stype == "OnDelete":
        if ru is not None:
            errs.append(invalid("spec.updateStrategy.rollingUpdate", raw(str(ru)), "only allowed for updateStrategy 'RollingUpdate'"))
    elif stype == "RollingUpdate":
        if isinstance(ru, dict):
            errs.extend(validate_nonnegative(ru.get("partition"), "spec.updateStrategy.rollingUpdate.partition"))
    else:
        errs.append(invalid("spec.updateStrategy", raw(str(strategy)), "must be 'RollingUpdate' or 'OnDelete'"))
    errs.extend(validate_nonnegative(spec.get("replicas"), "spec.replicas"))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    selector = spec.get("selector")
    if selector is None:
        errs.append(required("spec.selector"))
    else:
        errs.extend(validate_label_selector(selector, "spec.selector"))
        if isinstance(selector, dict) and not (selector.get("matchLabels") or selector.get("matchExpressions")):
            errs.append(invalid("spec.selector", raw("&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}"),
                                "empty selector is invalid for statefulset"))
    template = _defaulted_template(spec)
    matches = _selector_matches(selector, _template_labels(template))
    if matches is False and selector is not None and (selector.get("matchLabels") or selector.get("matchExpressions")):
        errs.append(_raw("spec.template.metadata.labels", go_map_repr(_template_labels(template)),
                         "`selector` does not match template `labels`"))
    errs.extend(validate_labels(_template_labels(template), "spec.template.labels"))
    errs.extend(_restart_and_deadline(template, "StatefulSet"))
    return errs


def validate_replication_controller_spec(spec: dict) -> list[FieldError]:
    """``ValidateReplicationControllerSpec`` (core). SetDefaults_ReplicationController fills an empty selector
    from the template's labels before validation."""
    errs = validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    template = _defaulted_template(spec) if isinstance(spec.get("template"), dict) else None
    selector = spec.get("selector") or (_template_labels(template) if template else None) or {}
    if not selector:
        errs.append(required("spec.selector"))
    errs.extend(validate_nonnegative(spec.get("replicas"), "spec.replicas"))
    if template is None:
        errs.append(required("spec.template"))
        return errs
    labels = _template_labels(template)
    if selector and isinstance(selector, dict):
        tl = labels if isinstance(labels, dict) else {}
        if not all(tl.get(k) == v for k, v in selector.items()):
            errs.append(_raw("spec.template.metadata.labels", go_map_repr(labels), "`selector` does not match template `labels`"))
    errs.extend(_pod_template_errors(template, "spec.template"))
    errs.extend(_restart_and_deadline(template, "ReplicationController"))
    return errs
