"""ObjectMeta validation on create, with the API server's messages.

Upstream: ``staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go``
@008b3652959ca58af8be3fb5b6ecfe9ae7638282 (``ValidateObjectMetaAccessor``, ``ValidateAnnotations``,
``ValidateOwnerReferences``) and ``generic.go`` (``NameIsDNSSubdomain``, ``NameIsDNSLabel``,
``NameIsDNS1035Label``, ``maskTrailingDash``, ``ValidateNonnegativeField``):
``metadata.name: Required value: name or generateName is required``; ``metadata.namespace: Forbidden: not allowed on
this type``.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from k8sdocs.model.api.validation import is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_label_key
from k8sdocs.model.validation.field import FieldError, forbidden, invalid, invalid_raw, required, too_long
from k8sdocs.model.validation.metav1 import validate_labels

#: ``ValidateNameFunc``: (name, prefix) -> messages; ``prefix`` is true for a generateName.
NameFn = Callable[[str, bool], list[str]]

IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"  # generic.go
TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10)  # objectmeta.go totalAnnotationSizeLimitB


def mask_trailing_dash(name: str) -> str:
    """``maskTrailingDash``: a generateName prefix may end in ``-`` (a dummy char is appended)."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1123_subdomain(name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1123_label(name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1035_label(name)


_NAME_FNS: dict[str, NameFn] = {
    "subdomain": name_is_dns_subdomain, "label": name_is_dns_label, "dns1035": name_is_dns1035_label,
}


def name_fn_for(rule: str) -> NameFn:
    """The kind's ``ValidateNameFunc`` from its support entry's ``name_rule`` (subdomain when unknown)."""
    return _NAME_FNS.get(rule, name_is_dns_subdomain)


def validate_nonnegative(value: Any, fld: str) -> list[FieldError]:
    """``ValidateNonnegativeField`` for the int fields the manifest sets (anything else is left to decoding)."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [invalid(fld, value, IS_NEGATIVE_ERROR_MSG)]
    return []


def validate_annotations(annotations: Any, fld: str) -> list[FieldError]:
    """``ValidateAnnotations``: keys are qualified names (lowercased), total size at most 256 KiB."""
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
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B:
        errs.append(too_long(fld, f"must have at most {TOTAL_ANNOTATION_SIZE_LIMIT_B} bytes"))
    return errs


def validate_owner_references(refs: Any, fld: str) -> list[FieldError]:
    """``ValidateOwnerReferences``: apiVersion/kind/name/uid set, at most one controller."""
    errs: list[FieldError] = []
    first_controller = ""
    for ref in refs or []:
        if not isinstance(ref, dict):
            continue
        api_version = str(ref.get("apiVersion") or "")
        version = api_version.rsplit("/", 1)[-1]
        if not version:
            errs.append(invalid(f"{fld}.apiVersion", api_version, "version must not be empty"))
        if not ref.get("kind"):
            errs.append(invalid(f"{fld}.kind", str(ref.get("kind") or ""), "must not be empty"))
        if not ref.get("name"):
            errs.append(invalid(f"{fld}.name", str(ref.get("name") or ""), "must not be empty"))
        if not ref.get("uid"):
            errs.append(invalid(f"{fld}.uid", str(ref.get("uid") or ""), "must not be empty"))
        if ref.get("controller"):
            current = f"{ref.get('kind')}/{ref.get('name')}"
            if first_controller:
                errs.append(invalid_raw(fld, json.dumps(refs, sort_keys=True),
                                        'Only one reference can have Controller set to true. Found "true" in references '
                                        f"for {first_controller} and {current}"))
            else:
                first_controller = current
    return errs


def validate_object_meta(meta: Any, namespaced: bool, name_fn: NameFn, fld: str = "metadata") -> list[FieldError]:
    """``ValidateObjectMetaAccessor`` for create."""
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
        errs.append(invalid(f"{fld}.generation", gen_n, IS_NEGATIVE_ERROR_MSG))
    errs.extend(validate_labels(meta.get("labels"), f"{fld}.labels"))
    errs.extend(validate_annotations(meta.get("annotations"), f"{fld}.annotations"))
    errs.extend(validate_owner_references(meta.get("ownerReferences"), f"{fld}.ownerReferences"))
    return errs
