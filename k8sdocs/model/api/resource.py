"""Pod resource aggregation as ``k8s.io/component-helpers/resource`` computes it, on exact amounts.

Upstream: staging/src/k8s.io/component-helpers/resource/helpers.go (kubernetes/kubernetes@0085214e563468088672cf8c50849884198a18cc):
``IsSupportedPodLevelResource`` (cpu, memory, ``hugepages-*``), ``IsPodLevelResourcesSet``/``IsPodLevelRequestsSet``/
``IsPodLevelLimitsSet``, ``AggregateContainerRequests``/``AggregateContainerLimits`` (sum of containers and sidecars,
max with each init container plus the sidecars started before it), ``PodRequests`` (pod-level requests replace the
aggregate for supported resources, overhead added). ``pkg/apis/core/v1/helper/helpers.go``: ``IsHugePageResourceName``,
``IsNativeResource``, ``IsOvercommitAllowed``. Only the spec is read (``UseStatusResources`` false).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from k8sdocs.model.quantity import QuantityError, parse_quantity

CPU = "cpu"
MEMORY = "memory"
HUGEPAGES_PREFIX = "hugepages-"
DEFAULT_RESOURCE_REQUESTS_PREFIX = "requests."

ResourceList = dict[str, Fraction]


def is_supported_pod_level_resource(name: str) -> bool:
    return name in (CPU, MEMORY) or name.startswith(HUGEPAGES_PREFIX)


def is_huge_page_resource_name(name: str) -> bool:
    return name.startswith(HUGEPAGES_PREFIX)


def is_prefixed_native_resource(name: str) -> bool:
    return "kubernetes.io/" in name


def is_native_resource(name: str) -> bool:
    return "/" not in name or is_prefixed_native_resource(name)


def is_overcommit_allowed(name: str) -> bool:
    return is_native_resource(name) and not is_huge_page_resource_name(name)


def resource_list(value: Any) -> ResourceList:
    """A manifest ResourceList → exact amounts (unparsable quantities are left out; validation reports them)."""
    out: ResourceList = {}
    if not isinstance(value, Mapping):
        return out
    for k, v in value.items():
        try:
            out[str(k)] = parse_quantity(v).amount
        except QuantityError:
            continue
    return out


def _spec(pod: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = pod.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _pod_resources(pod: Mapping[str, Any]) -> Mapping[str, Any]:
    res = _spec(pod).get("resources")
    return res if isinstance(res, Mapping) else {}


def is_pod_level_resources_set(pod: Mapping[str, Any]) -> bool:
    res = _pod_resources(pod)
    names = list(res.get("requests") or {}) + list(res.get("limits") or {})
    return any(is_supported_pod_level_resource(str(n)) for n in names)


def is_pod_level_requests_set(pod: Mapping[str, Any]) -> bool:
    return any(is_supported_pod_level_resource(str(n)) for n in (_pod_resources(pod).get("requests") or {}))


def is_pod_level_limits_set(pod: Mapping[str, Any]) -> bool:
    return any(is_supported_pod_level_resource(str(n)) for n in (_pod_resources(pod).get("limits") or {}))


def _add(into: ResourceList, other: Mapping[str, Fraction]) -> None:
    for k, v in other.items():
        into[k] = into.get(k, Fraction(0)) + v


def _max(into: ResourceList, other: Mapping[str, Fraction]) -> None:
    for k, v in other.items():
        if k not in into or v > into[k]:
            into[k] = v


def _containers(pod: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [c for c in (_spec(pod).get(key) or []) if isinstance(c, Mapping)]


def _container_list(c: Mapping[str, Any], which: str) -> ResourceList:
    res = c.get("resources")
    return resource_list(res.get(which)) if isinstance(res, Mapping) else {}


def _aggregate(pod: Mapping[str, Any], which: str, non_missing: Mapping[str, Fraction] | None = None) -> ResourceList:
    result: ResourceList = {}

    def get(c: Mapping[str, Any]) -> ResourceList:
        got = _container_list(c, which)
        if non_missing:
            for k, v in non_missing.items():
                if k not in got:
                    got[k] = v
        return got

    for c in _containers(pod, "containers"):
        _add(result, get(c))
    restartable: ResourceList = {}
    init: ResourceList = {}
    for c in _containers(pod, "initContainers"):
        cres = get(c)
        if c.get("restartPolicy") == "Always":
            _add(result, cres)
            _add(restartable, cres)
            cres = dict(restartable)
        else:
            combined: ResourceList = {}
            _add(combined, cres)
            _add(combined, restartable)
            cres = combined
        _max(init, cres)
    _max(result, init)
    return result


def aggregate_container_requests(pod: Mapping[str, Any], non_missing: Mapping[str, Fraction] | None = None) -> ResourceList:
    """``AggregateContainerRequests`` (spec only)."""
    return _aggregate(pod, "requests", non_missing)


def aggregate_container_limits(pod: Mapping[str, Any]) -> ResourceList:
    """``AggregateContainerLimits`` (spec only)."""
    return _aggregate(pod, "limits")


def pod_requests(pod: Mapping[str, Any], *, exclude_overhead: bool = False, skip_pod_level_resources: bool = False,
                 non_missing: Mapping[str, Fraction] | None = None) -> ResourceList:
    """``PodRequests`` (spec only)."""
    reqs = aggregate_container_requests(pod, non_missing)
    if not skip_pod_level_resources and is_pod_level_requests_set(pod):
        for k, v in resource_list(_pod_resources(pod).get("requests")).items():
            if is_supported_pod_level_resource(k):
                reqs[k] = v
    if not exclude_overhead:
        _add(reqs, resource_list(_spec(pod).get("overhead")))
    return reqs


def all_containers_have_limit_for_resource(pod: Mapping[str, Any], name: str) -> bool:
    """``AllContainersHaveLimitForResource``: every container and init container sets a limit for ``name``."""
    for key in ("initContainers", "containers"):
        for c in _containers(pod, key):
            res = c.get("resources")
            limits = res.get("limits") if isinstance(res, Mapping) else None
            if not isinstance(limits, Mapping) or name not in limits:
                return False
    return True


def format_amount(amount: Fraction) -> str:
    """A canonical-enough quantity text for an exact amount: integer, milli (``m``) or nano (``n``) units."""
    if amount.denominator == 1:
        return str(amount.numerator)
    milli = amount * 1000
    if milli.denominator == 1:
        return f"{milli.numerator}m"
    nano = amount * 10**9
    if nano.denominator == 1:
        return f"{nano.numerator}n"
    raise ValueError(f"amount {amount} is finer than nano precision")
