"""Object validation with the API server's own messages.

Texts and regexes are verbatim from upstream:

* ``staging/src/k8s.io/apimachinery/pkg/api/validate/content/dns.go`` and ``kube.go``
  (IsDNS1123Label, IsDNS1123Subdomain, IsLabelKey, IsLabelValue; also in
  ``pkg/util/validation/validation.go`` @008b3652959ca58af8be3fb5b6ecfe9ae7638282), helpers ``RegexError``,
  ``MaxLenError``, ``EmptyError``.
* ``staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go``: ``<field>: <Type>: <value>: <detail>``
  with ``%q`` for strings, ``%v`` for numbers/bools; ``Required value`` and ``Forbidden`` print no value.
* ``staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go`` (ValidateObjectMetaAccessor):
  ``metadata.name: Required value: name or generateName is required``; ``metadata.namespace: Forbidden: not allowed on
  this type``.
* aggregate text (``k8s.io/apimachinery/pkg/util/errors.aggregate.Error``): one message alone, several as ``[a, b]``
  (duplicates dropped by ``ErrorList.ToAggregate``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

# -- upstream formats and messages ----------------------------------------------------------------
DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_ERR_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_ERR_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_ERR_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
LABEL_KEY_CHAR_FMT = "[A-Za-z0-9]"
LABEL_KEY_EXT_CHAR_FMT = "[-A-Za-z0-9_.]"
LABEL_KEY_FMT = "(" + LABEL_KEY_CHAR_FMT + LABEL_KEY_EXT_CHAR_FMT + "*)?" + LABEL_KEY_CHAR_FMT
LABEL_KEY_ERR_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
LABEL_KEY_MAX_LENGTH = 63
LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?"
LABEL_VALUE_ERR_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
LABEL_VALUE_MAX_LENGTH = 63

_dns1123_label_re = re.compile("^" + DNS1123_LABEL_FMT + "$")
_dns1123_subdomain_re = re.compile("^" + DNS1123_SUBDOMAIN_FMT + "$")
_dns1035_label_re = re.compile("^" + DNS1035_LABEL_FMT + "$")
_label_key_re = re.compile("^" + LABEL_KEY_FMT + "$")
_label_value_re = re.compile("^" + LABEL_VALUE_FMT + "$")


def _fullmatch(regex: re.Pattern[str], value: str) -> bool:
    # Go's `$` does not match before a trailing newline, Python's does: use fullmatch semantics.
    return regex.fullmatch(value) is not None


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """``RegexError`` from validation.go, transcribed literally (note upstream's ``',  or '`` double space)."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    out = msg + " (e.g. "
    for i, e in enumerate(examples):
        if i > 0:
            out += " or "
        out += f"'{e}', "
    return out + f"regex used for validation is '{fmt}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def empty_error() -> str:
    return "must be non-empty"


def is_dns1123_label(value: str) -> list[str]:
    errs: list[str] = []
    if len(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _fullmatch(_dns1123_label_re, value):
        if _fullmatch(_dns1123_subdomain_re, value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs: list[str] = []
    if len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _fullmatch(_dns1123_subdomain_re, value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs: list[str] = []
    if len(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _fullmatch(_dns1035_label_re, value):
        errs.append(regex_error(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_label_key(value: str) -> list[str]:
    """``content.IsLabelKey`` (= IsQualifiedName)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if len(prefix) == 0:
            errs.append("prefix part " + empty_error())
        else:
            msgs = is_dns1123_subdomain(prefix)
            errs.extend("prefix part " + m for m in msgs)
    else:
        return [
            "a valid label key "
            + regex_error(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if len(name) == 0:
        errs.append("name part " + empty_error())
    elif len(name) > LABEL_KEY_MAX_LENGTH:
        errs.append("name part " + max_len_error(LABEL_KEY_MAX_LENGTH))
    if not _fullmatch(_label_key_re, name):
        errs.append("name part " + regex_error(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"))
    return errs


is_qualified_name = is_label_key


def is_label_value(value: str) -> list[str]:
    errs: list[str] = []
    if len(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _fullmatch(_label_value_re, value):
        errs.append(regex_error(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# -- field errors ---------------------------------------------------------------------------------
_TYPE_TEXT = {
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
_OMIT = object()


def _go_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def go_quote(s: str) -> str:
    """Go's ``%q`` for the common (printable) cases."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


@dataclass(frozen=True)
class FieldError:
    type: str  # "Required" | "Invalid" | "NotSupported" | "Forbidden" | ...
    field: str  # "metadata.name", "spec.containers[0].image"
    value: Any = None
    detail: str = ""

    def body(self) -> str:
        if self.type in _NO_VALUE or self.value is _OMIT:
            s = _TYPE_TEXT[self.type]
        else:
            s = f"{_TYPE_TEXT[self.type]}: {_go_value(self.value)}"
        if self.detail:
            s += f": {self.detail}"
        return s

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def required(field: str, detail: str = "") -> FieldError:
    return FieldError("Required", field, "", detail)


def invalid(field: str, value: Any, detail: str) -> FieldError:
    return FieldError("Invalid", field, value, detail)


def forbidden(field: str, detail: str) -> FieldError:
    return FieldError("Forbidden", field, "", detail)


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


# -- object metadata ------------------------------------------------------------------------------
NameFn = Callable[[str], list[str]]


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    """``NameIsDNSSubdomain``: a generateName prefix may end in ``-`` (a dummy char is appended)."""
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1123_subdomain(name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1123_label(name)


def mask_trailing_dash(name: str) -> str:
    # staging/src/k8s.io/apimachinery/pkg/api/validation/generic.go maskTrailingDash
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def validate_labels(labels: Any, fld: str) -> list[FieldError]:
    """``v1validation.ValidateLabels`` (meta/v1/validation): key via IsQualifiedName, value via IsValidLabelValue."""
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


def validate_annotations(annotations: Any, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if annotations is None:
        return errs
    if not isinstance(annotations, dict):
        return [invalid(fld, annotations, "must be a map of string keys to string values")]
    total = 0
    for k in sorted(annotations):
        for msg in is_label_key(str(k).lower()):
            errs.append(invalid(fld, str(k), msg))
        total += len(str(k)) + len(str(annotations[k]))
    if total > 256 * (1 << 10):
        errs.append(FieldError("TooLong", fld, "", f"must have at most {256 * (1 << 10)} bytes"))
    return errs


def validate_object_meta(meta: Any, namespaced: bool, name_fn: Callable[[str, bool], list[str]], fld: str = "metadata") -> list[FieldError]:
    """``ValidateObjectMetaAccessor`` (objectmeta.go) for create."""
    if not isinstance(meta, dict):
        return [required(f"{fld}.name", "name or generateName is required")]
    errs: list[FieldError] = []
    gen = meta.get("generateName")
    if gen:
        for msg in name_fn(str(gen), True):
            errs.append(invalid(f"{fld}.generateName", str(gen), msg))
    name = meta.get("name")
    if not name:
        errs.append(required(f"{fld}.name", "name or generateName is required"))
    else:
        name = name if isinstance(name, str) else str(name)
        for msg in name_fn(name, False):
            errs.append(invalid(f"{fld}.name", name, msg))
    ns = meta.get("namespace")
    if namespaced:
        if not ns:
            errs.append(required(f"{fld}.namespace"))
        else:
            for msg in name_is_dns_label(str(ns), False):
                errs.append(invalid(f"{fld}.namespace", str(ns), msg))
    elif ns:
        errs.append(forbidden(f"{fld}.namespace", "not allowed on this type"))
    gen_n = meta.get("generation")
    if isinstance(gen_n, int) and gen_n < 0:
        # ValidateNonnegativeField: apimachinery/pkg/api/validation/generic.go
        errs.append(invalid(f"{fld}.generation", gen_n, "must be greater than or equal to 0"))
    errs.extend(validate_labels(meta.get("labels"), f"{fld}.labels"))
    errs.extend(validate_annotations(meta.get("annotations"), f"{fld}.annotations"))
    return errs


# -- whole objects --------------------------------------------------------------------------------
def name_fn_for(info: Any) -> Callable[[str, bool], list[str]]:
    return name_is_dns_label if getattr(info, "name_rule", "subdomain") == "label" else name_is_dns_subdomain


def validate_object(obj: dict, info: Any) -> list[FieldError]:
    """Validate a (defaulted) object as the registry strategy's ``Validate`` does, for the fields the model uses."""
    errs = validate_object_meta(obj.get("metadata"), info.namespaced, name_fn_for(info))
    errs.extend(validate_kind(obj, info.kind))
    return errs


def validate_kind(obj: dict, kind: str) -> list[FieldError]:
    """Kind-specific rules (filled in below)."""
    return []
