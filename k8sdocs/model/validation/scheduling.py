"""PriorityClass: ``pkg/apis/scheduling/validation/validation.go`` @00447344aba092d2e9fed602d0a9522dda4fdd14."""

from __future__ import annotations

from k8sdocs.model.api.obj import Obj
from k8sdocs.model.validation.field import FieldError, forbidden, invalid, not_supported

# pkg/apis/scheduling/v1/helpers.go (IsKnownSystemPriorityClass) and pkg/apis/scheduling/types.go
_SYSTEM_PRIORITY_CLASSES = {"system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000}


def validate_priority_class(obj: Obj) -> list[FieldError]:
    """``ValidatePriorityClass`` (pkg/apis/scheduling/validation/validation.go)."""
    errs: list[FieldError] = []
    name = str((obj.get("metadata") or {}).get("name") or "")
    value = obj.get("value", 0)
    if not isinstance(value, int) or isinstance(value, bool):
        return [invalid("value", value, "must be an integer")]
    if name.startswith("system-"):
        known = _SYSTEM_PRIORITY_CLASSES.get(name)
        if known is None:
            err = f"{name} is not a known system priority class"
        elif known != value:
            err = f"value of {name} PriorityClass must be {known}"
        elif obj.get("globalDefault", False):
            err = f"globalDefault of {name} PriorityClass must be false"
        else:
            err = ""
        if err:
            errs.append(forbidden("metadata.name", "priority class names with 'system-' prefix are reserved for system use only. error: " + err))
    elif value > 1_000_000_000:
        errs.append(forbidden("value", "maximum allowed value of a user defined priority is 1000000000"))
    policy = obj.get("preemptionPolicy")
    if policy is not None and policy not in ("Never", "PreemptLowerPriority"):
        errs.append(not_supported("preemptionPolicy", policy, ["Never", "PreemptLowerPriority"]))
    return errs
