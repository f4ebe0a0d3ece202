"""Strategic-merge patches of an object's ``status``, as the kubelet sends them.

Upstream: ``staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go`` (``CreateTwoWayMergePatch``,
``StrategicMergePatch``). Lists with a ``patchMergeKey`` in the API types are merged element by element by that key
(a removed element becomes ``{"<key>": ..., "$patch": "delete"}``, the new order travels as
``$setElementOrder/<field>``); other lists and scalars are replaced; a removed map key is sent as ``null``.

Only the merge keys of the status fields the model writes are listed (``staging/src/k8s.io/api/core/v1/types.go``:
``PodStatus.Conditions``/``NodeStatus.Conditions`` ``patchMergeKey=type``, ``PodStatus.PodIPs``/``HostIPs``
``patchMergeKey=ip``). ``NodeStatus.Addresses`` is annotated ``patchMergeKey=type`` but the kubelet replaces it as a
whole (``nodeutil.PatchNodeStatus``: "NodeStatus.Addresses is incorrectly annotated as patchStrategy=merge"), so it
is treated as a plain list here. Container statuses have no merge key and are replaced.
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.objcopy import clone

MERGE_KEYS: dict[str, str] = {"conditions": "type", "podIPs": "ip", "hostIPs": "ip"}
ORDER_PREFIX = "$setElementOrder/"


def create_two_way_merge_patch(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The patch that turns ``old`` into ``new`` (``CreateTwoWayMergePatch``)."""
    patch: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        if key not in new:
            patch[key] = None
            continue
        if key in old and old[key] == new[key]:
            continue
        before, after = old.get(key), new[key]
        merge_key = MERGE_KEYS.get(key)
        if isinstance(before, dict) and isinstance(after, dict):
            patch[key] = create_two_way_merge_patch(before, after)
        elif merge_key and isinstance(before, list) and isinstance(after, list) and _keyed(before + after, merge_key):
            patch[ORDER_PREFIX + key] = [{merge_key: e[merge_key]} for e in after]
            by_key = {e[merge_key]: e for e in before}
            items: list[dict[str, Any]] = []
            for e in after:
                was = by_key.get(e[merge_key])
                if was is None:
                    items.append(clone(e))
                elif was != e:
                    items.append({merge_key: e[merge_key], **create_two_way_merge_patch(was, e)})
            kept = {e[merge_key] for e in after}
            items += [{merge_key: e[merge_key], "$patch": "delete"} for e in before if e[merge_key] not in kept]
            if items:
                patch[key] = items
        else:
            patch[key] = clone(after)
    return patch


def strategic_merge(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``current`` with ``patch`` applied (``StrategicMergePatch``); returns a new dict."""
    out = clone(current)
    for key, value in patch.items():
        if key.startswith(ORDER_PREFIX):
            continue
        merge_key = MERGE_KEYS.get(key)
        if value is None:
            out.pop(key, None)
        elif merge_key and isinstance(value, list) and isinstance(out.get(key), list) and _keyed(out[key], merge_key):
            out[key] = _merge_list(out[key], value, merge_key, patch.get(ORDER_PREFIX + key))
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = strategic_merge(out[key], value)
        else:
            out[key] = _strip_directives(clone(value))
    return out


def _keyed(items: list[Any], merge_key: str) -> bool:
    return all(isinstance(e, dict) and merge_key in e for e in items)


def _merge_list(current: list[dict[str, Any]], patch: list[Any], merge_key: str, order: Any) -> list[dict[str, Any]]:
    items = [clone(e) for e in current]
    for p in patch:
        if not isinstance(p, dict) or merge_key not in p:
            continue
        index = next((i for i, e in enumerate(items) if e.get(merge_key) == p[merge_key]), None)
        if p.get("$patch") == "delete":
            if index is not None:
                del items[index]
        elif index is None:
            items.append(_strip_directives(clone(p)))
        else:
            items[index] = strategic_merge(items[index], p)
    if isinstance(order, list):
        rank = {o.get(merge_key): i for i, o in enumerate(order) if isinstance(o, dict)}
        items.sort(key=lambda e: rank.get(e.get(merge_key), len(rank)))  # stable: unlisted ones keep their order
    return items


def _strip_directives(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_directives(v) for k, v in value.items() if not k.startswith("$")}
    if isinstance(value, list):
        return [_strip_directives(v) for v in value]
    return value
