"""NodeResourcesFitArgs / NodeResourcesBalancedAllocationArgs: defaults and validation.

Upstream: pkg/scheduler/apis/config/v1/defaults.go@00fe7a37 (SetDefaults_NodeResourcesFitArgs: LeastAllocated,
cpu:1 memory:1, weight 0 -> 1) and pkg/scheduler/apis/config/validation/validation_pluginargs.go
(ValidateNodeResourcesFitArgs, validateResources: weight in [1, 100]; RTC shape: utilization in [0, 100] strictly
increasing, score in [0, 10]; ValidateNodeResourcesBalancedAllocationArgs: weight must be 1).
Errors are (type, field, message) as field.ErrorList entries.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ..helper.node_selector import qualified_name_errors

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
    out = copy.deepcopy(dict(args or {}))
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
    out = copy.deepcopy(dict(args or {}))
    if not out.get("resources"):
        out["resources"] = [dict(r) for r in DEFAULT_RESOURCES]
    for r in out["resources"]:
        if not r.get("weight"):
            r["weight"] = 1
    return out


def _go_value(v: object) -> str:
    return f'"{v}"' if isinstance(v, str) else str(v)


def validate_resources(resources: list[Mapping[str, Any]], path: str) -> list[Error]:
    errs: list[Error] = []
    for i, r in enumerate(resources):
        weight = int(r.get("weight") or 0)
        if weight <= 0 or weight > MAX_NODE_SCORE:
            field = f"{path}[{i}].weight"
            msg = f"resource weight of {r.get('name')} not in valid range [1, {MAX_NODE_SCORE}]"
            errs.append(("FieldValueInvalid", field, f"{field}: Invalid value: {weight}: {msg}"))
    return errs


def validate_fit_args(args: Mapping[str, Any]) -> list[Error]:
    """ValidateNodeResourcesFitArgs."""
    errs: list[Error] = []
    for i, name in enumerate(args.get("ignoredResources") or []):
        for e in qualified_name_errors(str(name)):
            field = f"ignoredResources[{i}]"
            errs.append(("FieldValueInvalid", field, f"{field}: Invalid value: {_go_value(name)}: {e}"))
    for i, group in enumerate(args.get("ignoredResourceGroups") or []):
        field = f"ignoredResourceGroups[{i}]"
        if "/" in str(group):
            errs.append(("FieldValueInvalid", field, f'{field}: Invalid value: "{group}": resource group name can\'t contain \'/\''))
    strategy = args.get("scoringStrategy")
    if strategy is None:
        return errs
    kind = strategy.get("type")
    if kind not in STRATEGIES:
        field = "scoringStrategy.type"
        supported = ", ".join(f'"{s}"' for s in STRATEGIES)
        errs.append(("FieldValueNotSupported", field, f'{field}: Unsupported value: "{kind}": supported values: {supported}'))
    errs.extend(validate_resources(list(strategy.get("resources") or []), "scoringStrategy.resources"))
    if kind == REQUESTED_TO_CAPACITY_RATIO:
        rtc = strategy.get("requestedToCapacityRatio")
        path = "scoringStrategy.requestedToCapacityRatio.shape"
        shape = list((rtc or {}).get("shape") or [])
        if not shape:
            errs.append(("FieldValueRequired", path, f"{path}: Required value: at least one point must be specified"))
        for i, point in enumerate(shape):
            u = int(point.get("utilization", 0))
            s = int(point.get("score", 0))
            if u < 0 or u > MAX_UTILIZATION:
                f = f"{path}[{i}].utilization"
                errs.append(("FieldValueInvalid", f, f"{f}: Invalid value: {u}: not in valid range [0, {MAX_UTILIZATION}]"))
            elif i > 0 and u <= int(shape[i - 1].get("utilization", 0)):
                f = f"{path}[{i}].utilization"
                errs.append(("FieldValueInvalid", f, f"{f}: Invalid value: {u}: utilization values must be sorted in increasing order"))
            if s < 0 or s > MAX_CUSTOM_PRIORITY_SCORE:
                f = f"{path}[{i}].score"
                errs.append(("FieldValueInvalid", f, f"{f}: Invalid value: {s}: not in valid range [0, {MAX_CUSTOM_PRIORITY_SCORE}]"))
    return errs


def validate_balanced_args(args: Mapping[str, Any]) -> list[Error]:
    """ValidateNodeResourcesBalancedAllocationArgs: every weight must be 1."""
    errs: list[Error] = []
    for i, r in enumerate(args.get("resources") or []):
        weight = int(r.get("weight") or 0)
        if weight != 1:
            field = f"resources[{i}].weight"
            errs.append(("FieldValueInvalid", field, f"{field}: Invalid value: {weight}: must be 1"))
    return errs
