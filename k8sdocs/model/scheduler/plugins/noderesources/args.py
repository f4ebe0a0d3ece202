"""NodeResourcesFitArgs / NodeResourcesBalancedAllocationArgs: defaults and validation.

Upstream: pkg/scheduler/apis/config/v1/defaults.go@00fe7a37 (SetDefaults_NodeResourcesFitArgs: LeastAllocated,
cpu:1 memory:1, weight 0 -> 1) and pkg/scheduler/apis/config/validation/validation_pluginargs.go
(ValidateNodeResourcesFitArgs, validateResources: weight in (0, 100]; validateFunctionShape at
"scoringStrategy.shape": utilization in [0, 100] strictly increasing, score in [0, 10];
ValidateNodeResourcesBalancedAllocationArgs: no duplicate names, weight must be 1).
Errors are (type, field, message) as field.ErrorList entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sdocs.model.api.validation import is_qualified_name as qualified_name_errors
from k8sdocs.model.objcopy import clone

LEAST_ALLOCATED = "LeastAllocated"
MOST_ALLOCATED = "MostAllocated"
REQUESTED_TO_CAPACITY_RATIO = "RequestedToCapacityRatio"
STRATEGIES = (LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO)
DEFAULT_RESOURCES = ({"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1})
MAX_CUSTOM_PRIORITY_SCORE = 10  # config.MaxCustomPriorityScore
MAX_UTILIZATION = 100  # noderesources.maxUtilization
MAX_NODE_SCORE = 100

Error = tuple[str, str, str]


def default_fit_args(args: Mapping[str, Any] | None) -> dict[str, Any]:
    """SetDefaults_NodeResourcesFitArgs."""
    out = clone(dict(args or {}))
    strategy = out.setdefault("scoringStrategy", {})
    strategy.setdefault("type", LEAST_ALLOCATED)
    if not strategy.get("resources"):
        strategy["resources"] = [dict(r) for r in DEFAULT_RESOURCES]
    for r in strategy["resources"]:
        if not r.get("weight"):
            r["weight"] = 1
    return out


def default_balanced_args(args: Mapping[str, Any] | None) -> dict[str, Any]:
    """SetDefaults_NodeResourcesBalancedAllocationArgs."""
    out = clone(dict(args or {}))
    if not out.get("resources"):
        out["resources"] = [dict(r) for r in DEFAULT_RESOURCES]
    for r in out["resources"]:
        if not r.get("weight"):
            r["weight"] = 1
    return out


def _go_value(v: object) -> str:
    return f'"{v}"' if isinstance(v, str) else str(v)


def _invalid(field: str, value: object, detail: str) -> Error:
    return ("FieldValueInvalid", field, f"{field}: Invalid value: {_go_value(value)}: {detail}")


def validate_resources(resources: list[Mapping[str, Any]], path: str) -> list[Error]:
    """validateResources: every weight in (0, 100]."""
    errs: list[Error] = []
    for i, r in enumerate(resources):
        weight = int(r.get("weight") or 0)
        if weight <= 0 or weight > MAX_NODE_SCORE:
            msg = f"resource weight of {r.get('name')} not in valid range (0, {MAX_NODE_SCORE}]"
            errs.append(_invalid(f"{path}[{i}].weight", weight, msg))
    return errs


def validate_function_shape(shape: list[Mapping[str, Any]], path: str) -> list[Error]:
    """validateFunctionShape: at least one point; utilizations strictly increasing (first violation only);
    utilization in [0, 100] and score in [0, 10] for every point."""
    if not shape:
        return [("FieldValueRequired", path, f"{path}: Required value: at least one point must be specified")]
    errs: list[Error] = []
    for i in range(1, len(shape)):
        if int(shape[i - 1].get("utilization", 0)) >= int(shape[i].get("utilization", 0)):
            # validation_pluginargs.go (v1.34+, pre-#132120): "values must be sorted in increasing order"; older
            # releases said "utilization values must be sorted in increasing order".
            errs.append(_invalid(f"{path}[{i}].utilization", int(shape[i].get("utilization", 0)),
                                 "values must be sorted in increasing order"))
            break
    for i, point in enumerate(shape):
        u = int(point.get("utilization", 0))
        sc = int(point.get("score", 0))
        if u < 0 or u > MAX_UTILIZATION:
            errs.append(_invalid(f"{path}[{i}].utilization", u, f"not in valid range [0, {MAX_UTILIZATION}]"))
        if sc < 0 or sc > MAX_CUSTOM_PRIORITY_SCORE:
            errs.append(_invalid(f"{path}[{i}].score", sc, f"not in valid range [0, {MAX_CUSTOM_PRIORITY_SCORE}]"))
    return errs


def validate_fit_args(args: Mapping[str, Any]) -> list[Error]:
    """ValidateNodeResourcesFitArgs (validation_pluginargs.go); plus NewFit's own checks."""
    errs: list[Error] = []
    for i, name in enumerate(args.get("ignoredResources") or []):
        for e in qualified_name_errors(str(name)):
            errs.append(_invalid(f"ignoredResources[{i}]", str(name), e))
    for i, group in enumerate(args.get("ignoredResourceGroups") or []):
        field = f"ignoredResourceGroups[{i}]"
        if "/" in str(group):
            errs.append(_invalid(field, str(group), "resource group name can't contain '/'"))
        for e in qualified_name_errors(str(group)):
            errs.append(_invalid(field, str(group), e))
    strategy = args.get("scoringStrategy")
    if strategy is None:
        return errs
    kind = strategy.get("type")
    if kind not in STRATEGIES:
        field = "scoringStrategy.type"
        supported = ", ".join(f'"{s}"' for s in sorted(STRATEGIES))
        errs.append(("FieldValueNotSupported", field, f'{field}: Unsupported value: "{kind}": supported values: {supported}'))
    errs.extend(validate_resources(list(strategy.get("resources") or []), "scoringStrategy.resources"))
    rtc = strategy.get("requestedToCapacityRatio")
    if rtc is not None:
        errs.extend(validate_function_shape(list(rtc.get("shape") or []), "scoringStrategy.shape"))
    elif kind == REQUESTED_TO_CAPACITY_RATIO:
        # v1.35 NewFit would dereference a nil RequestedToCapacityRatio; the model reports it as v1.36 validation
        # does (kubernetes PR #132120, validation_pluginargs.go): field.Required with this detail.
        errs.append(("FieldValueRequired", "scoringStrategy.requestedToCapacityRatio",
                     "scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is "
                     "RequestedToCapacityRatio"))
    return errs


def validate_balanced_args(args: Mapping[str, Any]) -> list[Error]:
    """ValidateNodeResourcesBalancedAllocationArgs: no duplicate names, every weight must be 1."""
    errs: list[Error] = []
    seen: set[str] = set()
    for i, r in enumerate(args.get("resources") or []):
        name = str(r.get("name"))
        if name in seen:
            field = f"resources[{i}].name"
            errs.append(("FieldValueDuplicate", field, f'{field}: Duplicate value: "{name}"'))
        seen.add(name)
        weight = int(r.get("weight") or 0)
        if weight != 1:
            errs.append(_invalid(f"resources[{i}].weight", weight, "must be 1"))
    return errs
