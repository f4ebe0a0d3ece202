"""meta/v1 validation helpers and Go value renderings used in API-server messages.

* ``ValidateLabelName`` and ``ValidateLabelSelector`` / ``ValidateLabelSelectorRequirement``:
  ``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go``.
* ``field.ErrorBody`` (errors.go @014a908c): a value whose pointer type has ``String()`` prints with it
  (``resource.Quantity`` -> ``500m``); other structs print with ``%#v``.
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.validation import (
    FieldError,
    _Raw,
    forbidden,
    go_quote,
    invalid,
    is_label_key,
    is_label_value,
    required,
    validate_labels,
)

SELECTOR_OPS = ("In", "NotIn", "Exists", "DoesNotExist")


def raw(text: str) -> _Raw:
    """A bad value printed verbatim (a Go ``String()`` or ``%#v`` rendering)."""
    return _Raw(text)


def duplicate(field: str, value: Any, detail: str = "") -> FieldError:
    return FieldError("Duplicate", field, value, detail)


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


def validate_label_selector_requirement(req: dict, fld: str, allow_invalid_label_value: bool = False) -> list[FieldError]:
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


def go_struct(type_name: str, fields: list[tuple[str, str]]) -> str:
    """Go ``%#v`` of a struct whose field renderings are given: ``core.Taint{Key:"a", ...}``."""
    return type_name + "{" + ", ".join(f"{k}:{v}" for k, v in fields) + "}"


def go_str(value: Any) -> str:
    """``%#v`` of a string (or a named string type): Go-quoted."""
    return go_quote(value if isinstance(value, str) else ("" if value is None else str(value)))


def go_int(value: Any) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "0"
