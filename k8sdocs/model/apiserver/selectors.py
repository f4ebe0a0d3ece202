"""Label and field selectors of list and watch requests, and the query string client-go sends them in.

Field selectors are ``fields.ParseSelector`` (``staging/src/k8s.io/apimachinery/pkg/fields/selector.go``) over the
fields each registry's ``GetAttrs`` exposes; label selectors are :mod:`k8sdocs.model.api.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from k8sdocs.model.api.labels import (
    Selector,
    SelectorParseError,
    everything,
    label_selector_as_selector,
    parse,
    selector_from_set,
)
from k8sdocs.model.apiserver.errors import APIError, bad_request
from k8sdocs.model.resources import RESOURCES

#: A label selector as callers give it: selector text, a ``LabelSelector`` dict or a plain label map.
LabelSelectorArg = str | dict[str, Any] | None

# Field selectors each kind supports (the registries' GetAttrs / field label conversion funcs);
# metadata.name and metadata.namespace work for every kind.
SUPPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "Pod": (
        "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
        "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName",
        "spec.host",  # old alias, converted to spec.nodeName (pkg/apis/core/v1/conversion.go)
    ),
    "Node": ("spec.unschedulable",),
    "Namespace": ("status.phase",),
    "Event": (
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ),
    "ReplicaSet": ("status.replicas",),
    "Secret": ("type",),
}


def to_label_selector(sel: LabelSelectorArg) -> Selector:
    """A string selector, a ``LabelSelector`` dict (matchLabels/matchExpressions) or a plain label map."""
    try:
        if sel is None or sel == "" or sel == {}:
            return everything()
        if isinstance(sel, str):
            return parse(sel)  # the ?labelSelector= text: labels.Parse
        if "matchLabels" in sel or "matchExpressions" in sel:
            return label_selector_as_selector(sel)
        return selector_from_set({str(k): str(v) for k, v in sel.items()})
    except SelectorParseError as e:
        # labels.Parse's error text as is (it carries its own "unable to parse requirement: " where upstream has it)
        raise bad_request(str(e)) from None


def label_selector_text(sel: LabelSelectorArg) -> str:
    """The ``labelSelector`` query parameter client-go sends: the text as given, or ``Selector.String()`` of a
    ``LabelSelector`` dict (``LabelSelectorAsSelector``) or label map (``SelectorFromSet``): requirements sorted by
    key. A dict that does not convert is sent as no selector; the API server then answers 400 for it."""
    if sel is None:
        return ""
    if isinstance(sel, str):
        return sel
    try:
        return to_label_selector(sel).string()
    except APIError:
        return ""


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    op: str  # "=" or "!="
    value: str


def parse_field_selector(kind: str, text: str | None) -> tuple[FieldRequirement, ...]:
    """``fields.ParseSelector``: ``a=b``, ``a==b``, ``a!=b`` joined by commas; unsupported labels are a 400."""
    if not text:
        return ()
    reqs: list[FieldRequirement] = []
    info = RESOURCES.get(kind)
    base = ("metadata.name", "metadata.namespace") if info is None or info.namespaced else ("metadata.name",)
    allowed = base + SUPPORTED_FIELDS.get(kind, ())
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "!=" in part:
            f, v = part.split("!=", 1)
            op = "!="
        elif "==" in part:
            f, v = part.split("==", 1)
            op = "="
        elif "=" in part:
            f, v = part.split("=", 1)
            op = "="
        else:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
        f = f.strip()
        if f not in allowed:
            # k8s.io/apimachinery/pkg/runtime: fmt.Errorf("field label not supported: %s", label)
            raise bad_request(f'field label not supported: {f}')
        if f == "spec.host":
            f = "spec.nodeName"
        reqs.append(FieldRequirement(f, op, v.strip()))
    return tuple(reqs)


def field_value(obj: dict[str, Any], path: str) -> str:
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            cur = None
            break
        cur = cur.get(part)
    if path == "source" and isinstance(obj.get("source"), dict):
        cur = obj["source"].get("component")
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def fields_match(obj: dict[str, Any], reqs: tuple[FieldRequirement, ...]) -> bool:
    for r in reqs:
        v = field_value(obj, r.field)
        if (r.op == "=" and v != r.value) or (r.op == "!=" and v == r.value):
            return False
    return True


def labels_of(obj: dict[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = (obj.get("metadata") or {}).get("labels") or {}
    return labels


def query_string(label_selector: LabelSelectorArg, field_selector: str | None, watch: bool,
                 rv: str | None = None) -> str:
    """Query string as client-go encodes it (``url.Values.Encode``: keys sorted, ``QueryEscape``)."""
    params: list[tuple[str, str]] = []
    if rv:
        params.append(("resourceVersion", str(rv)))
    if field_selector:
        params.append(("fieldSelector", field_selector))
    lt = label_selector_text(label_selector)
    if lt:
        params.append(("labelSelector", lt))
    if watch:
        params.append(("watch", "true"))
    if not params:
        return ""
    return "?" + "&".join(f"{k}={quote_plus(v, safe='')}" for k, v in sorted(params))
