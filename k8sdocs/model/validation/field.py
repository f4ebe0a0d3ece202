"""``field.Error`` and ``ErrorList`` as the API server prints them, and Go's renderings of the bad values.

Upstream: ``staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go``
@014a908cc4151fb52a3a3c9e1adc028a02ae2e6f: ``<field>: <Type>: <value>: <detail>`` with ``%q`` for strings, ``%v``
for numbers and bools; ``Required value``, ``Forbidden``, ``Too long`` and ``Internal error`` print no value. A value
whose pointer type has ``String()`` prints with it (``resource.Quantity`` -> ``500m``), other structs with ``%#v``:
the model passes those as :class:`Raw` text. Aggregate text (``k8s.io/apimachinery/pkg/util/errors``,
``aggregate.Error``): one message alone, several as ``[a, b]`` (duplicates dropped by ``ErrorList.ToAggregate``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from k8sdocs.model.api.validation import go_quote

ErrorType = Literal[
    "NotFound", "Required", "Duplicate", "Invalid", "NotSupported", "Forbidden", "TooLong", "TooMany", "Internal"
]

_TYPE_TEXT: dict[str, str] = {
    "NotFound": "Not found",
    "Required": "Required value",
    "Duplicate": "Duplicate value",
    "Invalid": "Invalid value",
    "NotSupported": "Unsupported value",
    "Forbidden": "Forbidden",
    "TooLong": "Too long",
    "TooMany": "Too many",
    "Internal": "Internal error",
}
_NO_VALUE = {"Required", "Forbidden", "TooLong", "Internal"}


class Raw:
    """A value printed verbatim after ``Invalid value:`` (Go Stringer / ``%#v`` renderings)."""

    def __init__(self, text: str) -> None:
        self.text = text


def raw(text: str) -> Raw:
    """A bad value printed verbatim (a Go ``String()`` or ``%#v`` rendering)."""
    return Raw(text)


def go_value(value: Any) -> str:
    """How ``ErrorBody`` prints a plain value: ``%q`` for strings, ``%v`` for numbers and bools, JSON otherwise."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class FieldError:
    type: ErrorType
    field: str  # "metadata.name", "spec.containers[0].image"
    value: Any = None
    detail: str = ""

    def body(self) -> str:
        if self.type in _NO_VALUE:
            s = _TYPE_TEXT[self.type]
        elif isinstance(self.value, Raw):
            s = f"{_TYPE_TEXT[self.type]}: {self.value.text}"
        else:
            s = f"{_TYPE_TEXT[self.type]}: {go_value(self.value)}"
        if self.detail:
            s += f": {self.detail}"
        return s

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def required(field: str, detail: str = "") -> FieldError:
    return FieldError("Required", field, "", detail)


def invalid(field: str, value: Any, detail: str) -> FieldError:
    return FieldError("Invalid", field, value, detail)


def invalid_raw(field: str, text: str, detail: str) -> FieldError:
    """``field.Invalid`` whose value prints verbatim (a Go ``%#v`` or ``String()`` rendering)."""
    return FieldError("Invalid", field, Raw(text), detail)


def forbidden(field: str, detail: str) -> FieldError:
    return FieldError("Forbidden", field, "", detail)


def duplicate(field: str, value: Any, detail: str = "") -> FieldError:
    return FieldError("Duplicate", field, value, detail)


def too_long(field: str, detail: str) -> FieldError:
    return FieldError("TooLong", field, "", detail)


def not_supported(field: str, value: Any, valid: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(go_quote(v) for v in valid) if valid else ""
    return FieldError("NotSupported", field, value, detail)


def aggregate(errors: list[FieldError]) -> str:
    """``ErrorList.ToAggregate().Error()``: dedupe, one -> itself, several -> ``[a, b]``."""
    seen: list[str] = []
    for e in errors:
        s = str(e)
        if s not in seen:
            seen.append(s)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


# -- Go's %#v renderings used as Raw values -------------------------------------------------------------------
def go_map_repr(m: Any) -> str:
    """Go ``%#v`` of a ``map[string]string`` (keys sorted, as fmt prints maps)."""
    if not m:
        return "map[string]string(nil)" if m is None else "map[string]string{}"
    return "map[string]string{" + ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(m.items())) + "}"


def go_struct(type_name: str, fields: list[tuple[str, str]]) -> str:
    """Go ``%#v`` of a struct whose field renderings are given: ``core.Taint{Key:"a", ...}``."""
    return type_name + "{" + ", ".join(f"{k}:{v}" for k, v in fields) + "}"


def go_str(value: Any) -> str:
    """``%#v`` of a string (or a named string type): Go-quoted."""
    return go_quote(value if isinstance(value, str) else ("" if value is None else str(value)))


def go_int(value: Any) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "0"


def text(value: Any) -> str:
    """A Go string field read from a manifest: the string, ``""`` for null, ``str()`` of anything else."""
    return value if isinstance(value, str) else ("" if value is None else str(value))
