"""``pkg/apis/apps/validation/validation.go`` @2dd1588c490775be7cd90d0afc59c6dcef07032a: Deployment and ReplicaSet
(ValidateDeploymentSpec, ValidateReplicaSetSpec), DaemonSet (ValidateDaemonSetSpec) and StatefulSet
(ValidateStatefulSetSpec).

The model does not run the DaemonSet and StatefulSet controllers, but it stores the objects, so it rejects what the
API server rejects. The versioned defaults they get before validation (SetDefaults_DaemonSet / SetDefaults_StatefulSet
in pkg/apis/apps/v1/defaults.go, and the pod template's defaults) are applied to a copy, only for validation.
"""

from __future__ import annotations

import json
import re
from typing import Any

from k8sdocs.model.api.labels import Selector, SelectorParseError, label_selector_as_selector
from k8sdocs.model.api.obj import Obj, as_obj
from k8sdocs.model.api.validation import go_quote, is_valid_percent
from k8sdocs.model.validation.core import (
    defaulted_template,
    template_labels,
    validate_pod_spec,
    validate_pod_template,
    validate_template_restart_policy,
)
from k8sdocs.model.validation.field import (
    FieldError,
    forbidden,
    go_map_repr,
    invalid,
    invalid_raw,
    not_supported,
    raw,
    required,
)
from k8sdocs.model.validation.metav1 import validate_label_selector, validate_labels
from k8sdocs.model.validation.objectmeta import validate_nonnegative

# -- IntOrString fields (maxUnavailable, maxSurge) ----------------------------------------------------------------
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _go_atoi(text: str) -> int:
    """``v, _ := strconv.Atoi(s)``: ASCII digits with an optional sign, else 0; out of range clamps (ParseInt)."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return 0
    return min(max(int(text), _INT64_MIN), _INT64_MAX)


def int_or_string_repr(value: Any) -> str:
    """Go ``%#v`` of an ``intstr.IntOrString`` value: ``field.Invalid`` gets the struct, whose ``String()`` has a
    pointer receiver, so ``ErrorBody`` prints it raw (``intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}``)."""
    if isinstance(value, str):
        return f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}"
    number = value if isinstance(value, int) and not isinstance(value, bool) else 0
    return f'intstr.IntOrString{{Type:0, IntVal:{number}, StrVal:""}}'


def _percent_value(value: Any) -> int | None:
    """``getPercentValue``: the number of a valid percent string (``IsValidPercent``: ASCII ``[0-9]+%``), else None."""
    if isinstance(value, str) and not is_valid_percent(value):
        return _go_atoi(value[:-1])
    return None


def int_or_percent_value(value: Any) -> int:
    """``getIntOrPercentValue``: a valid percent's number, else ``IntValue()`` (a string goes through Atoi)."""
    percent = _percent_value(value)
    if percent is not None:
        return percent
    if isinstance(value, str):
        return _go_atoi(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def validate_positive_int_or_percent(value: Any, fld: str) -> list[FieldError]:
    """``ValidatePositiveIntOrPercent``: a string must be a valid percent, an int must not be negative."""
    if isinstance(value, str):
        return [invalid_raw(fld, int_or_string_repr(value), msg) for msg in is_valid_percent(value)]
    return validate_nonnegative(value, fld)


def is_not_more_than_100_percent(value: Any, fld: str) -> list[FieldError]:
    """``IsNotMoreThan100Percent``."""
    percent = _percent_value(value)
    if percent is None or percent <= 100:
        return []
    return [invalid_raw(fld, int_or_string_repr(value), "must not be greater than 100%")]


def validate_workload_spec(spec: Obj, kind: str) -> list[FieldError]:
    """``ValidateDeploymentSpec`` / ``ValidateReplicaSetSpec`` (pkg/apis/apps/validation/validation.go)."""
    errs: list[FieldError] = []
    replicas = spec.get("replicas")
    if replicas is not None and (not isinstance(replicas, int) or isinstance(replicas, bool)):
        errs.append(invalid("spec.replicas", replicas, "must be an integer"))
    errs.extend(validate_nonnegative(replicas, "spec.replicas"))
    if kind == "ReplicaSet":  # ValidateReplicaSetSpec checks minReadySeconds before the selector
        errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    selector = spec.get("selector")
    sel = None
    converted = True  # LabelSelectorAsSelector(spec.Selector) succeeded
    if selector is None:
        errs.append(required("spec.selector"))
        # LabelSelectorAsSelector(nil) is labels.Nothing(): not Empty() and matches nothing, so upstream
        # also reports the template labels (the well-known two-error message).
        template = spec.get("template") if isinstance(spec.get("template"), dict) else None
        if template is not None:
            tlabels = (template.get("metadata") or {}).get("labels") if isinstance(template.get("metadata"), dict) else None
            errs.append(invalid_raw("spec.template.metadata.labels", go_map_repr(tlabels),
                             "`selector` does not match template `labels`"))
    elif isinstance(selector, dict):
        match_labels = selector.get("matchLabels") or {}
        errs.extend(validate_label_selector(selector, "spec.selector"))
        if len(match_labels) + len(selector.get("matchExpressions") or []) == 0:
            errs.append(invalid_raw(
                "spec.selector", "&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}",
                "empty selector is invalid for deployment",
            ))
        try:
            sel = label_selector_as_selector(selector)
        except SelectorParseError:
            converted = False
            errs.append(invalid_raw("spec.selector", json.dumps(selector, sort_keys=True), "invalid label selector"))
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(required("spec.template"))
        return errs
    if converted:  # upstream validates the template (ValidatePodTemplateSpecForReplicaSet) only with a selector
        errs.extend(_validate_template_for_replica_set(template, sel))
    if kind == "Deployment":
        errs.extend(_validate_deployment_strategy(spec.get("strategy")))
        errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
        rhl = spec.get("revisionHistoryLimit")
        errs.extend(validate_nonnegative(rhl, "spec.revisionHistoryLimit"))
        pds = spec.get("progressDeadlineSeconds")
        if isinstance(pds, int):
            errs.extend(validate_nonnegative(pds, "spec.progressDeadlineSeconds"))
            if pds <= int(spec.get("minReadySeconds") or 0):
                errs.append(invalid("spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds"))
    return errs


def _validate_template_for_replica_set(template: Obj, sel: Selector | None) -> list[FieldError]:
    """``ValidatePodTemplateSpecForReplicaSet``: the selector matches the template labels, the labels, the pod spec,
    ``restartPolicy: Always`` and no ``activeDeadlineSeconds``."""
    errs: list[FieldError] = []
    tmeta = as_obj(template.get("metadata"))
    tlabels = tmeta.get("labels") or {}
    if sel is not None and not sel.empty() and not sel.matches(tlabels):
        errs.append(invalid_raw("spec.template.metadata.labels", go_map_repr(tmeta.get("labels")),
                         "`selector` does not match template `labels`"))
    errs.extend(validate_labels(tmeta.get("labels"), "spec.template.metadata.labels"))
    tspec = as_obj(template.get("spec"))
    errs.extend(validate_pod_spec(tspec, "spec.template.spec"))
    rp = tspec.get("restartPolicy")
    if rp is not None and rp != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not Supported"))
    return errs


def _validate_deployment_strategy(strategy: Any) -> list[FieldError]:
    errs: list[FieldError] = []
    if not isinstance(strategy, dict):
        return errs
    stype = strategy.get("type")
    if stype == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"))
    elif stype == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if not isinstance(ru, dict):
            errs.append(required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"))
            return errs
        # ValidateRollingUpdateDeployment
        path = "spec.strategy.rollingUpdate"
        unavailable, surge = ru.get("maxUnavailable", 0), ru.get("maxSurge", 0)
        for name, value in (("maxUnavailable", unavailable), ("maxSurge", surge)):
            if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
                errs.extend(validate_positive_int_or_percent(value, f"{path}.{name}"))
            else:  # neither an int nor a string (the API server's decoder refuses it earlier)
                errs.append(invalid_raw(f"{path}.{name}", str(value), "must be an integer or percentage (e.g '5%%')"))
        if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
            errs.append(invalid_raw(f"{path}.maxUnavailable", int_or_string_repr(unavailable),
                                    "may not be 0 when `maxSurge` is 0"))
        errs.extend(is_not_more_than_100_percent(unavailable, f"{path}.maxUnavailable"))
    else:
        errs.append(not_supported("spec.strategy", strategy, ["Recreate", "RollingUpdate"]))
    return errs


def _selector_matches(selector: Any, labels: Any) -> bool | None:
    """``metav1.LabelSelectorAsSelector(sel).Matches(labels)``; None when the selector does not convert."""
    try:
        sel = label_selector_as_selector(selector) if isinstance(selector, dict) else None
    except SelectorParseError:
        return None
    if sel is None:
        return False  # a nil selector converts to labels.Nothing()
    return sel.matches(labels if isinstance(labels, dict) else {})


def validate_rolling_update_daemonset(ru: Obj, fld: str) -> list[FieldError]:
    """``ValidateRollingUpdateDaemonSet``: both fields non-negative ints or valid percents of at most 100%, and
    exactly one of them non-zero. Unset (or null) fields take SetDefaults_DaemonSet's values: maxUnavailable 1,
    maxSurge 0."""
    unavailable = ru.get("maxUnavailable")
    surge = ru.get("maxSurge")
    unavailable = 1 if unavailable is None else unavailable
    surge = 0 if surge is None else surge
    errs = validate_positive_int_or_percent(unavailable, f"{fld}.maxUnavailable")
    errs.extend(validate_positive_int_or_percent(surge, f"{fld}.maxSurge"))
    errs.extend(is_not_more_than_100_percent(unavailable, f"{fld}.maxUnavailable"))
    errs.extend(is_not_more_than_100_percent(surge, f"{fld}.maxSurge"))
    has_unavailable = int_or_percent_value(unavailable) != 0
    has_surge = int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errs.append(invalid_raw(f"{fld}.maxSurge", int_or_string_repr(surge), "may not be set when maxUnavailable is non-zero"))
    elif not has_unavailable and not has_surge:
        errs.append(required(f"{fld}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    return errs


def validate_daemonset_spec(spec: Obj) -> list[FieldError]:
    """``ValidateDaemonSetSpec``."""
    template = defaulted_template(spec)
    selector = spec.get("selector")
    errs = validate_label_selector(selector, "spec.selector")
    if _selector_matches(selector, template_labels(template)) is False:
        errs.append(invalid_raw("spec.template.metadata.labels", go_map_repr(template_labels(template)),
                         "`selector` does not match template `labels`"))
    if isinstance(selector, dict) and not (selector.get("matchLabels") or selector.get("matchExpressions")):
        errs.append(invalid("spec.selector", raw("&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}"),
                            "empty selector is invalid for daemonset"))
    errs.extend(validate_pod_template(template, "spec.template"))
    errs.extend(validate_template_restart_policy(template, "DaemonSet"))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    strategy = as_obj(spec.get("updateStrategy"))
    stype = strategy.get("type", "RollingUpdate")  # SetDefaults_DaemonSet
    if stype == "RollingUpdate":
        ru = as_obj(strategy.get("rollingUpdate"))
        errs.extend(validate_rolling_update_daemonset(ru, "spec.updateStrategy.rollingUpdate"))
    elif stype != "OnDelete":
        errs.append(not_supported("spec.updateStrategy", raw(f"&DaemonSetUpdateStrategy{{Type:{stype},RollingUpdate:nil,}}"),
                                  ["RollingUpdate", "OnDelete"]))
    errs.extend(validate_nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit"))
    return errs


def validate_statefulset_spec(spec: Obj) -> list[FieldError]:
    """``ValidateStatefulSetSpec``. Upstream does not validate the template's pod spec (a TODO there): only its
    labels and annotations, the selector match, restartPolicy and activeDeadlineSeconds."""
    errs: list[FieldError] = []
    policy = spec.get("podManagementPolicy", "OrderedReady")  # SetDefaults_StatefulSet
    if policy not in ("OrderedReady", "Parallel"):
        errs.append(invalid("spec.podManagementPolicy", str(policy), "must be 'OrderedReady' or 'Parallel'"))
    strategy = as_obj(spec.get("updateStrategy"))
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
    template = defaulted_template(spec)
    matches = _selector_matches(selector, template_labels(template))
    if matches is False and selector is not None and (selector.get("matchLabels") or selector.get("matchExpressions")):
        errs.append(invalid_raw("spec.template.metadata.labels", go_map_repr(template_labels(template)),
                         "`selector` does not match template `labels`"))
    errs.extend(validate_labels(template_labels(template), "spec.template.labels"))
    errs.extend(validate_template_restart_policy(template, "StatefulSet"))
    return errs
