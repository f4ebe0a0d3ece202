"""EndpointSlice: part of ``ValidateEndpointSlice`` (``pkg/apis/discovery/validation/validation.go``)."""

from __future__ import annotations

from k8sdocs.model.api.obj import Obj
from k8sdocs.model.validation.field import FieldError, not_supported, required


def validate_endpoint_slice(obj: Obj) -> list[FieldError]:
    """Part of ``ValidateEndpointSlice`` (pkg/apis/discovery/validation/validation.go)."""
    errs: list[FieldError] = []
    at = obj.get("addressType")
    if not at:
        errs.append(required("addressType"))
    elif at not in ("FQDN", "IPv4", "IPv6"):
        errs.append(not_supported("addressType", at, ["FQDN", "IPv4", "IPv6"]))
    for i, ep in enumerate(obj.get("endpoints") or []):
        if isinstance(ep, dict) and not ep.get("addresses"):
            errs.append(required(f"endpoints[{i}].addresses", "must contain at least 1 address"))
    return errs
