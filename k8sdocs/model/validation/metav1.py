"""meta/v1 validation: labels and label selectors.

Upstream: ``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go`` (``ValidateLabels``,
``ValidateLabelName``, ``ValidateLabelSelector``, ``ValidateLabelSelectorRequirement``).
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.api.validation import is_label_key, is_label_value
from k8sdocs.model.validation.field import FieldError, forbidden, invalid, required


def validate_labels(labels: Any, fld: str) -> list[FieldError]:
    """``ValidateLabels``: key via IsQualifiedName, value via IsValidLabelValue."""
    errs: list[FieldError] = []
    if labels is None:
        return errs
    if not isinstance(labels, dict):
        return [invalid(fld, labels, "must be a map of string keys to string values")]
    for k in sorted(labels):
        v = labels[k]
        for msg in is_label_key(str(k)):
            errs.append(invalid(fld, str(k), msg))
        if not isinstance(v, str):
            errs.append(invalid(f"{fld}[{k}]", v, "must be a string"))
            continue
        for msg in is_label_value(v):
            errs.append(invalid(fld, v, msg))
    return errs


def validate_label_name(name: Any, fld: str) -> list[FieldError]:
    """``ValidateLabelName``: one Invalid per ``IsQualifiedName`` message."""
    text = name if isinstance(name, str) else ("" if name is None else str(name))
    return [invalid(fld, text, msg) for msg in is_label_key(text)]


def label_value_errors(value: Any) -> list[str]:
    return is_label_value(value if isinstance(value, str) else ("" if value is None else str(value)))


def validate_label_selector(selector: Any, fld: str, allow_invalid_label_value: bool = False) -> list[FieldError]:
    """``ValidateLabelSelector`` (matchLabels via ValidateLabels, then each matchExpressions requirement)."""
    if not isinstance(selector, dict):
        return []
    errs = validate_labels(selector.get("matchLabels"), f"{fld}.matchLabels")
    for i, req in enumerate(selector.get("matchExpressions") or []):
        if isinstance(req, dict):
            errs.extend(validate_label_selector_requirement(req, f"{fld}.matchExpressions[{i}]", allow_invalid_label_value))
    return errs


def validate_label_selector_requirement(req: dict[str, Any], fld: str, allow_invalid_label_value: bool = False
                                        ) -> list[FieldError]:
    errs: list[FieldError] = []
    op = req.get("operator") or ""
    values = req.get("values") or []
    if op in ("In", "NotIn"):
        if not values:
            errs.append(required(f"{fld}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(forbidden(f"{fld}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    else:
        errs.append(invalid(f"{fld}.operator", str(op), "not a valid selector operator"))
    errs.extend(validate_label_name(req.get("key"), f"{fld}.key"))
    if not allow_invalid_label_value:
        for j, v in enumerate(values):
            for msg in label_value_errors(v):
                errs.append(invalid(f"{fld}.values[{j}]", str(v), msg))
    return errs
