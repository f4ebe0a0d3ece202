"""``pkg/apis/core/validation/validation.go`` for the fields the model accepts: Pod spec (containers, ports,
env, resources, affinity, topology spread, tolerations), Pod updates, Node, Service, ConfigMap and Secret keys,
ReplicationController and pod templates.

Every message is upstream's text. Sources read (kubernetes/kubernetes, as stored by the look-up index):
``pkg/apis/core/validation/validation.go`` @000f26050b9be6fb3d79fae95e06b47fc96128cd,
``pkg/apis/core/helper/helpers.go`` @00010901c746f9ad7ae204b123615c2880d6f2fd,
``staging/src/k8s.io/apimachinery/pkg/util/validation/ip.go`` @19e1ae1d2bb9cdae3bd629e04cfa36ba84949903.
``ValidateServiceName = NameIsDNS1035Label``. Go iterates maps in random order; the model sorts map keys so that
the same manifest always gives the same line.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from k8sdocs.model.api.defaults import default_pod_template_spec
from k8sdocs.model.api.obj import Obj, as_list, as_obj
from k8sdocs.model.api.validation import (
    is_config_map_key,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_port_name,
)
from k8sdocs.model.objcopy import clone
from k8sdocs.model.quantity import QuantityError, canonical_string, parse_quantity
from k8sdocs.model.validation.field import (
    FieldError,
    duplicate,
    forbidden,
    go_int,
    go_map_repr,
    go_str,
    go_struct,
    invalid,
    invalid_raw,
    not_supported,
    raw,
    required,
)
from k8sdocs.model.validation.field import text as _text
from k8sdocs.model.validation.metav1 import (
    label_value_errors,
    validate_label_name,
    validate_label_selector,
    validate_labels,
)
from k8sdocs.model.validation.objectmeta import IS_NEGATIVE_ERROR_MSG, validate_nonnegative

IS_NOT_INTEGER_ERROR_MSG = "must be an integer"  # validation.go isNotIntegerErrorMsg
IS_NOT_POSITIVE_ERROR_MSG = "must be greater than zero"  # validation.go isNotPositiveErrorMsg
# validateTaintEffect: the order upstream lists them in (not sorted)
TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
TOLERATION_OPERATORS = ["Equal", "Exists"]
PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"]  # sets.List(supportedPortProtocols): sorted
SCHEDULE_ACTIONS = ["DoNotSchedule", "ScheduleAnyway"]  # sets.List(supportedScheduleActions)
NODE_INCLUSION_POLICIES = ["Honor", "Ignore"]  # sets.List(supportedPodTopologySpreadNodePolicies)
CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"  # util/validation/ip.go IsValidCIDR
RELAXED_ENV_VAR_NAME_MSG = (  # util/validation/validation.go relaxedEnvVarNameFmtErrMsg (RelaxedEnvironmentVariableValidation GA)
    "a valid environment variable name must consist only of printable ASCII characters other than '='"
)

# pkg/apis/core/helper/helpers.go
_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
_STANDARD_RESOURCES = {
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services",
    "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
    "services.nodeports", "services.loadbalancers",
}
_INTEGER_RESOURCES = {
    "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
    "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
}
_HUGEPAGES_PREFIX = "hugepages-"


# -- resource names and quantities (helpers.go) ----------------------------------------------------------------
def is_native_resource(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def is_hugepage_resource(name: str) -> bool:
    return name.startswith(_HUGEPAGES_PREFIX)


def is_extended_resource(name: str) -> bool:
    if is_native_resource(name) or name.startswith("requests."):
        return False
    return not is_qualified_name("requests." + name)


def is_integer_resource(name: str) -> bool:
    return name in _INTEGER_RESOURCES or is_extended_resource(name)


def is_overcommit_allowed(name: str) -> bool:
    return is_native_resource(name) and not is_hugepage_resource(name)


def _is_standard_resource(name: str) -> bool:
    return name in _STANDARD_RESOURCES or name.startswith(_HUGEPAGES_PREFIX) or name.startswith("requests.hugepages-")


def validate_resource_name(name: str, fld: str) -> list[FieldError]:
    """``validateResourceName``."""
    errs = [invalid(fld, name, msg) for msg in is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name and not _is_standard_resource(name):
        errs.append(invalid(fld, name, "must be a standard resource type or fully qualified"))
    return errs


def validate_container_resource_name(name: str, fld: str) -> list[FieldError]:
    """``validateContainerResourceName``."""
    errs = validate_resource_name(name, fld)
    if "/" not in name:
        if not (name in _STANDARD_CONTAINER_RESOURCES or is_hugepage_resource(name)):
            errs.append(invalid(fld, name, "must be a standard resource for containers"))
    elif not is_native_resource(name) and not is_extended_resource(name):
        errs.append(invalid(fld, name, "doesn't follow extended resource name standard"))
    return errs


def validate_resource_quantity_value(name: str, value: Any, fld: str) -> list[FieldError]:
    """``ValidateResourceQuantityValue``: not negative (value.String(), quoted), integer for integer resources
    (the Quantity itself, printed by its String method, unquoted)."""
    try:
        q = parse_quantity(value)
    except QuantityError:
        return []  # rejected while decoding (validation.quantity_errors)
    errs: list[FieldError] = []
    if q.amount < 0:
        errs.append(invalid(fld, canonical_string(q), IS_NEGATIVE_ERROR_MSG))
    if is_integer_resource(name) and q.milli_value() % 1000 != 0:
        errs.append(invalid(fld, raw(canonical_string(q)), IS_NOT_INTEGER_ERROR_MSG))
    return errs


def validate_resource_requirements(resources: Any, fld: str) -> list[FieldError]:
    """``ValidateContainerResourceRequirements`` (validateResourceRequirements with container resource names)."""
    if not isinstance(resources, dict):
        return []
    limits = as_obj(resources.get("limits"))
    requests = as_obj(resources.get("requests"))
    lim_path, req_path = f"{fld}.limits", f"{fld}.requests"
    errs: list[FieldError] = []
    cpu_or_memory = hugepages = False
    for name in sorted(limits, key=str):
        key = str(name)
        errs.extend(validate_container_resource_name(key, f"{lim_path}[{key}]"))
        errs.extend(validate_resource_quantity_value(key, limits[name], f"{lim_path}[{key}]"))
        hugepages = hugepages or is_hugepage_resource(key)
        cpu_or_memory = cpu_or_memory or key in ("cpu", "memory")
    for name in sorted(requests, key=str):
        key = str(name)
        errs.extend(validate_container_resource_name(key, f"{req_path}[{key}]"))
        errs.extend(validate_resource_quantity_value(key, requests[name], f"{req_path}[{key}]"))
        try:
            rq = parse_quantity(requests[name])
            lq = parse_quantity(limits[name]) if name in limits else None
        except QuantityError:
            continue
        if lq is not None:
            if rq.amount != lq.amount and not is_overcommit_allowed(key):
                errs.append(invalid(req_path, canonical_string(rq),
                                    f"must be equal to {key} limit of {canonical_string(lq)}"))
            elif rq.amount > lq.amount:
                errs.append(invalid(req_path, canonical_string(rq),
                                    f"must be less than or equal to {key} limit of {canonical_string(lq)}"))
        elif not is_overcommit_allowed(key):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
        hugepages = hugepages or is_hugepage_resource(key)
        cpu_or_memory = cpu_or_memory or key in ("cpu", "memory")
    if hugepages and not cpu_or_memory:
        errs.append(forbidden(fld, "HugePages require cpu or memory"))
    return errs


# -- containers ------------------------------------------------------------------------------------------------
def validate_container_ports(ports: Any, fld: str) -> list[FieldError]:
    """``validateContainerPorts``."""
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, p in enumerate(ports if isinstance(ports, list) else []):
        if not isinstance(p, dict):
            continue
        pp = f"{fld}[{i}]"
        name = _text(p.get("name"))
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs.extend(invalid(f"{pp}.name", name, m) for m in msgs)
            elif name in names:
                errs.append(duplicate(f"{pp}.name", name))
            else:
                names.add(name)
        cport = p.get("containerPort")
        if not cport:
            errs.append(required(f"{pp}.containerPort"))
        else:
            errs.extend(invalid(f"{pp}.containerPort", cport, m) for m in is_valid_port_num(cport))
        hport = p.get("hostPort")
        if hport:
            errs.extend(invalid(f"{pp}.hostPort", hport, m) for m in is_valid_port_num(hport))
        proto = p.get("protocol")
        if not proto:
            errs.append(required(f"{pp}.protocol"))
        elif proto not in PORT_PROTOCOLS:
            errs.append(not_supported(f"{pp}.protocol", proto, PORT_PROTOCOLS))
    return errs


def host_port_conflicts(containers: Any, fld: str) -> list[FieldError]:
    """``AccumulateUniqueHostPorts``: ``<protocol>/<hostIP>/<hostPort>`` must be unique across the containers."""
    seen: set[str] = set()
    errs: list[FieldError] = []
    for ci, c in enumerate(containers if isinstance(containers, list) else []):
        if not isinstance(c, dict):
            continue
        for pi, p in enumerate(as_list(c.get("ports"))):
            if not isinstance(p, dict) or not p.get("hostPort"):
                continue
            key = f"{_text(p.get('protocol'))}/{_text(p.get('hostIP'))}/{p['hostPort']}"
            if key in seen:
                errs.append(duplicate(f"{fld}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return errs


def validate_env(env: Any, fld: str) -> list[FieldError]:
    """``ValidateEnv`` with ``AllowRelaxedEnvironmentVariableValidation`` (the feature is GA in v1.35)."""
    errs: list[FieldError] = []
    for i, ev in enumerate(env if isinstance(env, list) else []):
        if not isinstance(ev, dict):
            continue
        name = _text(ev.get("name"))
        if not name:
            errs.append(required(f"{fld}[{i}].name"))
        elif any(ord(ch) > 0x7E or ord(ch) < 0x20 or ch == "=" for ch in name):
            errs.append(invalid(f"{fld}[{i}].name", name, RELAXED_ENV_VAR_NAME_MSG))
    return errs


# -- taints and tolerations ------------------------------------------------------------------------------------
def validate_taint_effect(effect: Any, allow_empty: bool, fld: str) -> list[FieldError]:
    """``validateTaintEffect``."""
    text = _text(effect)
    if not allow_empty and not text:
        return [required(fld)]
    if text not in TAINT_EFFECTS:
        return [not_supported(fld, text, TAINT_EFFECTS)]
    return []


def _taint_repr(t: Obj) -> str:
    added = t.get("timeAdded")
    time_added = "(*v1.Time)(nil)" if added is None else f"&v1.Time{{Time:{go_str(added)}}}"
    return go_struct("core.Taint", [
        ("Key", go_str(t.get("key"))), ("Value", go_str(t.get("value"))),
        ("Effect", go_str(t.get("effect"))), ("TimeAdded", time_added),
    ])


def validate_taints(taints: Any, fld: str) -> list[FieldError]:
    """``validateNodeTaints``: key, value, effect, then unique by (key, effect)."""
    errs: list[FieldError] = []
    unique: dict[str, set[str]] = {}
    for i, t in enumerate(taints if isinstance(taints, list) else []):
        if not isinstance(t, dict):
            continue
        ip = f"{fld}[{i}]"
        key, value, effect = _text(t.get("key")), _text(t.get("value")), _text(t.get("effect"))
        errs.extend(validate_label_name(key, f"{ip}.key"))
        msgs = label_value_errors(value)
        if msgs:
            errs.append(invalid(f"{ip}.value", value, ";".join(msgs)))
        errs.extend(validate_taint_effect(effect, False, f"{ip}.effect"))
        if key in unique.get(effect, set()):
            errs.append(duplicate(ip, raw(_taint_repr(t)), "taints must be unique by key and effect pair"))
            continue
        unique.setdefault(effect, set()).add(key)
    return errs


def validate_tolerations(tolerations: Any, fld: str) -> list[FieldError]:
    """``ValidateTolerations``."""
    errs: list[FieldError] = []
    for i, t in enumerate(tolerations if isinstance(tolerations, list) else []):
        if not isinstance(t, dict):
            continue
        ip = f"{fld}[{i}]"
        key, op, value, effect = (_text(t.get(k)) for k in ("key", "operator", "value", "effect"))
        if key:
            errs.extend(validate_label_name(key, f"{ip}.key"))
        if not key and op != "Exists":
            errs.append(invalid(f"{ip}.operator", op,
                                "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(invalid(f"{ip}.effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            msgs = label_value_errors(value)
            if msgs:
                errs.append(invalid(f"{ip}.operator", value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(invalid(f"{ip}.operator", value, "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(f"{ip}.operator", op, TOLERATION_OPERATORS))
        if effect:
            errs.extend(validate_taint_effect(effect, True, f"{ip}.effect"))
    return errs


# -- affinity --------------------------------------------------------------------------------------------------
def validate_node_selector_requirement(req: Obj, allow_invalid_label_value: bool, fld: str) -> list[FieldError]:
    """``ValidateNodeSelectorRequirement``."""
    errs: list[FieldError] = []
    op = _text(req.get("operator"))
    values = as_list(req.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(required(f"{fld}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(forbidden(f"{fld}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(required(f"{fld}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'"))
    else:
        errs.append(invalid(f"{fld}.operator", op, "not a valid selector operator"))
    errs.extend(validate_label_name(req.get("key"), f"{fld}.key"))
    if not allow_invalid_label_value:
        for j, v in enumerate(values):
            errs.extend(invalid(f"{fld}.values[{j}]", _text(v), m) for m in label_value_errors(v))
    return errs


def validate_node_field_selector_requirement(req: Obj, fld: str) -> list[FieldError]:
    """``ValidateNodeFieldSelectorRequirement``: only ``metadata.name``, In/NotIn with one value."""
    errs: list[FieldError] = []
    op = _text(req.get("operator"))
    values = as_list(req.get("values"))
    if op in ("In", "NotIn"):
        if len(values) != 1:
            errs.append(required(f"{fld}.values",
                                 "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
    else:
        errs.append(invalid(f"{fld}.operator", op, "not a valid selector operator"))
    key = _text(req.get("key"))
    if key != "metadata.name":
        errs.append(invalid(f"{fld}.key", key, "not a valid field selector key"))
    else:
        for j, v in enumerate(values):
            errs.extend(invalid(f"{fld}.values[{j}]", _text(v), m) for m in is_dns1123_subdomain(_text(v)))
    return errs


def validate_node_selector_term(term: Any, allow_invalid_label_value: bool, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not isinstance(term, dict):
        return errs
    for j, req in enumerate(term.get("matchExpressions") or []):
        if isinstance(req, dict):
            errs.extend(validate_node_selector_requirement(req, allow_invalid_label_value, f"{fld}.matchExpressions[{j}]"))
    for j, req in enumerate(term.get("matchFields") or []):
        if isinstance(req, dict):
            errs.extend(validate_node_field_selector_requirement(req, f"{fld}.matchFields[{j}]"))
    return errs


def _weight_errors(weight: Any, fld: str) -> list[FieldError]:
    w = weight if isinstance(weight, int) and not isinstance(weight, bool) else 0
    if w <= 0 or w > 100:
        return [invalid(fld, w, "must be in the range 1-100")]
    return []


def validate_node_affinity(na: Obj, fld: str) -> list[FieldError]:
    """``validateNodeAffinity`` (ValidateNodeSelector, ValidatePreferredSchedulingTerms)."""
    errs: list[FieldError] = []
    req = na.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(req, dict):
        rp = f"{fld}.requiredDuringSchedulingIgnoredDuringExecution"
        terms = req.get("nodeSelectorTerms") or []
        if not terms:
            errs.append(required(f"{rp}.nodeSelectorTerms", "must have at least one node selector term"))
        for i, term in enumerate(terms):
            errs.extend(validate_node_selector_term(term, False, f"{rp}.nodeSelectorTerms[{i}]"))
    pp = f"{fld}.preferredDuringSchedulingIgnoredDuringExecution"
    for i, term in enumerate(na.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
        if not isinstance(term, dict):
            continue
        errs.extend(_weight_errors(term.get("weight"), f"{pp}[{i}].weight"))
        # "we always allow invalid label-value for preferred affinity"
        errs.extend(validate_node_selector_term(term.get("preference"), True, f"{pp}[{i}].preference"))
    return errs


def _label_keys(keys: Any, selector: Any, fld: str) -> list[FieldError]:
    """``validateLabelKeys`` (matchLabelKeys / mismatchLabelKeys of a pod affinity term)."""
    if not keys:
        return []
    if selector is None:
        return [forbidden(fld, "must not be specified when labelSelector is not set")]
    errs: list[FieldError] = []
    for i, key in enumerate(keys if isinstance(keys, list) else []):
        errs.extend(validate_label_name(key, f"{fld}[{i}]"))
    return errs


def validate_pod_affinity_term(term: Obj, fld: str) -> list[FieldError]:
    """``validatePodAffinityTerm``. The "exists in both matchLabelKeys and labelSelector" check is left out: it
    depends on the selector as PrepareForCreate merged it (admission.mutate_pod_affinity)."""
    errs = validate_label_selector(term.get("labelSelector"), f"{fld}.labelSelector")
    errs.extend(validate_label_selector(term.get("namespaceSelector"), f"{fld}.namespaceSelector"))
    for name in term.get("namespaces") or []:
        # upstream's path is "namespace" (singular), and ValidateNamespaceName is a DNS-1123 label
        errs.extend(invalid(f"{fld}.namespace", _text(name), m) for m in is_dns1123_label(_text(name)))
    match_keys, mismatch_keys = term.get("matchLabelKeys") or [], term.get("mismatchLabelKeys") or []
    errs.extend(_label_keys(match_keys, term.get("labelSelector"), f"{fld}.matchLabelKeys"))
    errs.extend(_label_keys(mismatch_keys, term.get("labelSelector"), f"{fld}.mismatchLabelKeys"))
    for i, key in enumerate(match_keys if isinstance(match_keys, list) else []):
        if isinstance(mismatch_keys, list) and key in mismatch_keys:
            errs.append(invalid(f"{fld}.matchLabelKeys[{i}]", _text(key), "exists in both matchLabelKeys and mismatchLabelKeys"))
    topology_key = _text(term.get("topologyKey"))
    if not topology_key:
        errs.append(required(f"{fld}.topologyKey", "can not be empty"))
    errs.extend(validate_label_name(topology_key, f"{fld}.topologyKey"))
    return errs


def _validate_pod_affinity(pa: Obj, fld: str) -> list[FieldError]:
    errs: list[FieldError] = []
    rp = f"{fld}.requiredDuringSchedulingIgnoredDuringExecution"
    for i, term in enumerate(pa.get("requiredDuringSchedulingIgnoredDuringExecution") or []):
        if isinstance(term, dict):
            errs.extend(validate_pod_affinity_term(term, f"{rp}[{i}]"))
    pp = f"{fld}.preferredDuringSchedulingIgnoredDuringExecution"
    for i, wt in enumerate(pa.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
        if not isinstance(wt, dict):
            continue
        errs.extend(_weight_errors(wt.get("weight"), f"{pp}[{i}].weight"))
        term = wt.get("podAffinityTerm")
        errs.extend(validate_pod_affinity_term(term if isinstance(term, dict) else {}, f"{pp}[{i}].podAffinityTerm"))
    return errs


def validate_affinity(affinity: Any, fld: str) -> list[FieldError]:
    """``validateAffinity``."""
    if not isinstance(affinity, dict):
        return []
    errs: list[FieldError] = []
    if isinstance(affinity.get("nodeAffinity"), dict):
        errs.extend(validate_node_affinity(affinity["nodeAffinity"], f"{fld}.nodeAffinity"))
    if isinstance(affinity.get("podAffinity"), dict):
        errs.extend(_validate_pod_affinity(affinity["podAffinity"], f"{fld}.podAffinity"))
    if isinstance(affinity.get("podAntiAffinity"), dict):
        errs.extend(_validate_pod_affinity(affinity["podAntiAffinity"], f"{fld}.podAntiAffinity"))
    return errs


# -- topology spread -------------------------------------------------------------------------------------------
def validate_topology_spread_constraints(constraints: Any, fld: str) -> list[FieldError]:
    """``validateTopologySpreadConstraints``."""
    items = [c for c in (constraints if isinstance(constraints, list) else [])]
    errs: list[FieldError] = []
    for i, c in enumerate(items):
        if not isinstance(c, dict):
            continue
        sp = f"{fld}[{i}]"
        raw_skew = c.get("maxSkew")
        max_skew = raw_skew if isinstance(raw_skew, int) and not isinstance(raw_skew, bool) else 0
        if max_skew <= 0:
            errs.append(invalid(f"{sp}.maxSkew", max_skew, IS_NOT_POSITIVE_ERROR_MSG))
        key, action = _text(c.get("topologyKey")), _text(c.get("whenUnsatisfiable"))
        if not key:
            errs.append(required(f"{sp}.topologyKey", "can not be empty"))
        if action not in SCHEDULE_ACTIONS:
            errs.append(not_supported(f"{sp}.whenUnsatisfiable", action, SCHEDULE_ACTIONS))
        for other in items[i + 1:]:
            if isinstance(other, dict) and _text(other.get("topologyKey")) == key and _text(other.get("whenUnsatisfiable")) == action:
                errs.append(duplicate(f"{sp}.{{topologyKey, whenUnsatisfiable}}", f"{{{key}, {action}}}"))
                break
        min_domains = c.get("minDomains")
        if min_domains is not None:
            md = min_domains if isinstance(min_domains, int) and not isinstance(min_domains, bool) else 0
            if md <= 0:
                errs.append(invalid(f"{sp}.minDomains", md, IS_NOT_POSITIVE_ERROR_MSG))
            if action != "DoNotSchedule":
                errs.append(invalid(f"{sp}.minDomains", md,
                                    f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"))
        for policy_field in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            policy = c.get(policy_field)
            if policy is not None and policy not in NODE_INCLUSION_POLICIES:
                errs.append(not_supported(f"{sp}.{policy_field}", _text(policy), NODE_INCLUSION_POLICIES))
        errs.extend(_match_label_keys_in_topology_spread(c.get("matchLabelKeys"), c.get("labelSelector"), f"{sp}.matchLabelKeys"))
        errs.extend(validate_label_selector(c.get("labelSelector"), f"{sp}.labelSelector"))
    return errs


def _match_label_keys_in_topology_spread(keys: Any, selector: Any, fld: str) -> list[FieldError]:
    """``validateMatchLabelKeysInTopologySpread``."""
    if not keys or not isinstance(keys, list):
        return []
    errs: list[FieldError] = []
    selector_keys: set[str] = set()
    if isinstance(selector, dict):
        selector_keys.update(str(k) for k in (selector.get("matchLabels") or {}))
        selector_keys.update(_text(e.get("key")) for e in (selector.get("matchExpressions") or []) if isinstance(e, dict))
    else:
        errs.append(forbidden(fld, "must not be specified when labelSelector is not set"))
    for i, key in enumerate(keys):
        errs.extend(validate_label_name(key, f"{fld}[{i}]"))
        if _text(key) in selector_keys:
            errs.append(invalid(f"{fld}[{i}]", _text(key), "exists in both matchLabelKeys and labelSelector"))
    return errs


# -- Node ------------------------------------------------------------------------------------------------------
def validate_node_resources(status: Any) -> list[FieldError]:
    """``ValidateNodeResources``: paths are ``status.capacity.<name>`` (Child, not Key)."""
    errs: list[FieldError] = []
    if not isinstance(status, dict):
        return errs
    for part in ("capacity", "allocatable"):
        mapping = status.get(part)
        if isinstance(mapping, dict):
            for name in sorted(mapping, key=str):
                errs.extend(validate_resource_quantity_value(str(name), mapping[name], f"status.{part}.{name}"))
    return errs


def _parse_cidr_sloppy(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """``netutils.ParseCIDRSloppy``: like net.ParseCIDR, but IPv4 octets may have leading zeros."""
    if "/" not in value:
        return None
    addr, _, prefix = value.partition("/")
    if not prefix.isdigit() or not prefix.isascii():
        return None
    if "." in addr and ":" not in addr:
        octets = addr.split(".")
        if len(octets) == 4 and all(o.isdigit() and o.isascii() and len(o) <= 3 for o in octets):
            addr = ".".join(str(int(o)) for o in octets)
    try:
        return ipaddress.ip_network(f"{addr}/{int(prefix)}", strict=False)
    except ValueError:
        return None


def validate_node(obj: Obj) -> list[FieldError]:
    """``ValidateNode`` after ObjectMeta: taints, resources, pod CIDRs.

    Upstream validates taints under ``field.NewPath("metadata").Child("taints")``, so the messages say
    ``metadata.taints[0]...`` although the field is ``spec.taints``; the model prints what the API server prints.
    ``spec.podCIDR`` reaches validation as ``spec.podCIDRs[0]`` (Convert_v1_NodeSpec_To_core_NodeSpec).
    """
    errs: list[FieldError] = []
    spec = as_obj(obj.get("spec"))
    taints = spec.get("taints")
    if taints:
        errs.extend(validate_taints(taints, "metadata.taints"))
    errs.extend(validate_node_resources(obj.get("status")))
    cidrs = as_list(spec.get("podCIDRs"))
    if not cidrs and spec.get("podCIDR"):
        cidrs = [spec["podCIDR"]]
    parsed = []
    for i, value in enumerate(cidrs):
        net = _parse_cidr_sloppy(_text(value))
        if net is None:
            errs.append(invalid(f"spec.podCIDRs[{i}]", _text(value), CIDR_MSG))
        parsed.append(net)
    if len(cidrs) > 1 and all(parsed):
        families = {n.version for n in parsed if n is not None}
        if len(families) != 2 or len(cidrs) > 2:
            shown = "[]string{" + ", ".join(go_str(c) for c in cidrs) + "}"
            errs.append(invalid("spec.podCIDRs", raw(shown), "may specify no more than one CIDR for each IP family"))
        seen: set[str] = set()
        for i, value in enumerate(cidrs):
            if _text(value) in seen:
                errs.append(duplicate(f"spec.podCIDRs[{i}]", _text(value)))
            seen.add(_text(value))
    return errs


# -- Service ---------------------------------------------------------------------------------------------------
def _service_port_repr(protocol: str, port: Any) -> str:
    return go_struct("core.ServicePort", [
        ("Name", '""'), ("Protocol", go_str(protocol)), ("AppProtocol", "(*string)(nil)"), ("Port", go_int(port)),
        ("TargetPort", 'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}'), ("NodePort", "0"),
    ])


def service_port_duplicates(ports: Any) -> list[FieldError]:
    """``ValidateService``: duplicate nodePorts, then duplicate (protocol, port) pairs (the key printed with %#v)."""
    errs: list[FieldError] = []
    items = [p for p in (ports if isinstance(ports, list) else [])]
    node_ports: set[tuple[str, Any]] = set()
    for i, p in enumerate(items):
        if isinstance(p, dict) and p.get("nodePort"):
            key = (_text(p.get("protocol")), p["nodePort"])
            if key in node_ports:
                errs.append(duplicate(f"spec.ports[{i}].nodePort", p["nodePort"]))
            node_ports.add(key)
    seen: set[tuple[str, Any]] = set()
    for i, p in enumerate(items):
        if not isinstance(p, dict):
            continue
        key = (_text(p.get("protocol")), p.get("port"))
        if key in seen:
            errs.append(duplicate(f"spec.ports[{i}]", raw(_service_port_repr(*key))))
        seen.add(key)
    return errs


# -- ConfigMap and Secret keys --------------------------------------------------------------------------------


def validate_data_keys(obj: Obj, parts: tuple[str, ...]) -> list[FieldError]:
    """``ValidateConfigMap`` / ``ValidateSecret``: every key of ``data`` (and ``binaryData``) is a config key."""
    errs: list[FieldError] = []
    for part in parts:
        mapping = obj.get(part)
        if isinstance(mapping, dict):
            for key in sorted(mapping, key=str):
                errs.extend(invalid(f"{part}[{key}]", str(key), m) for m in is_config_map_key(str(key)))
    return errs

def is_valid_port_num(port: Any) -> list[str]:
    """``IsValidPortNum`` for a manifest value (anything but an int in range fails)."""
    if isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535:
        return []
    return ["must be between 1 and 65535, inclusive"]


# -- Pod ----------------------------------------------------------------------------------------------------
_RESTART_POLICIES = ["Always", "OnFailure", "Never"]  # validateRestartPolicy
_DNS_POLICIES = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]  # sets.List (sorted)
_PULL_POLICIES = ["Always", "IfNotPresent", "Never"]


def validate_container(c: Any, path: str, names: set[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    if not isinstance(c, dict):
        return [required(path)]
    name = c.get("name")
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        for msg in is_dns1123_label(str(name)):
            errs.append(invalid(f"{path}.name", str(name), msg))
        if name in names:
            errs.append(duplicate(f"{path}.name", str(name)))
        names.add(str(name))
    image = c.get("image")
    if not image:
        errs.append(required(f"{path}.image"))
    elif isinstance(image, str) and image != image.strip():
        errs.append(invalid(f"{path}.image", image, "must not have leading or trailing whitespace"))
    errs.extend(validate_container_ports(c.get("ports"), f"{path}.ports"))
    errs.extend(validate_env(c.get("env"), f"{path}.env"))
    policy = c.get("imagePullPolicy")
    if policy is not None and policy not in _PULL_POLICIES:
        errs.append(not_supported(f"{path}.imagePullPolicy", policy, _PULL_POLICIES))
    errs.extend(validate_resource_requirements(c.get("resources"), f"{path}.resources"))
    return errs


def validate_pod_spec(spec: Obj, path: str) -> list[FieldError]:
    """The parts of ``ValidatePodSpec`` the model relies on."""
    errs: list[FieldError] = []
    containers = spec.get("containers")
    names: set[str] = set()
    # validateContainers runs before validateInitContainers; init names must not clash with either list
    if not containers:
        errs.append(required(f"{path}.containers"))
    else:
        for i, c in enumerate(containers):
            errs.extend(validate_container(c, f"{path}.containers[{i}]", names))
    errs.extend(host_port_conflicts(containers, f"{path}.containers"))
    for i, c in enumerate(spec.get("initContainers") or []):
        errs.extend(validate_container(c, f"{path}.initContainers[{i}]", names))
        # init containers run one by one: their host ports are checked one container at a time
        errs.extend(host_port_conflicts([c], f"{path}.initContainers"))
    rp = spec.get("restartPolicy")
    if rp is not None and rp not in _RESTART_POLICIES:
        errs.append(not_supported(f"{path}.restartPolicy", rp, _RESTART_POLICIES))
    dp = spec.get("dnsPolicy")
    if dp is not None and dp not in _DNS_POLICIES:
        errs.append(not_supported(f"{path}.dnsPolicy", dp, _DNS_POLICIES))
    node = spec.get("nodeName")
    if node:
        for msg in is_dns1123_subdomain(str(node)):
            errs.append(invalid(f"{path}.nodeName", str(node), msg))
    errs.extend(validate_nonnegative(spec.get("terminationGracePeriodSeconds"), f"{path}.terminationGracePeriodSeconds"))
    if isinstance(spec.get("nodeSelector"), dict):
        errs.extend(validate_labels(spec["nodeSelector"], f"{path}.nodeSelector"))
    errs.extend(validate_affinity(spec.get("affinity"), f"{path}.affinity"))
    errs.extend(validate_topology_spread_constraints(spec.get("topologySpreadConstraints"), f"{path}.topologySpreadConstraints"))
    errs.extend(validate_tolerations(spec.get("tolerations"), f"{path}.tolerations"))
    return errs


# pkg/apis/core/validation/validation.go ValidatePodUpdate (the list as v1.35 prints it; upstream then appends a
# cmp.Diff of the two specs, which the model leaves out)
UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


def validate_pod_update(new_spec: Any, old_spec: Any) -> list[FieldError]:
    """Pods are immutable except images, activeDeadlineSeconds, added tolerations, removed scheduling gates."""
    if not isinstance(new_spec, dict) or not isinstance(old_spec, dict):
        return []

    def munge(spec: Obj, other: Obj) -> Obj:
        out: Obj = json.loads(json.dumps(spec))
        for key in ("containers", "initContainers"):
            for c in out.get(key) or []:
                if isinstance(c, dict):
                    c.pop("image", None)
        out.pop("activeDeadlineSeconds", None)
        old_tol = other.get("tolerations") or []
        tol = out.get("tolerations") or []
        if tol[: len(old_tol)] == old_tol:
            out.pop("tolerations", None)
        gates = out.get("schedulingGates") or []
        if all(g in (other.get("schedulingGates") or []) for g in gates):
            out.pop("schedulingGates", None)
        tgps = spec.get("terminationGracePeriodSeconds")
        if tgps == 1 and isinstance(other.get("terminationGracePeriodSeconds"), int) and other["terminationGracePeriodSeconds"] < 0:
            out.pop("terminationGracePeriodSeconds", None)
        return out

    new_m = munge(new_spec, old_spec)
    old_m = munge(old_spec, old_spec)
    for key in ("tolerations", "schedulingGates", "terminationGracePeriodSeconds"):
        if key not in new_m:
            old_m.pop(key, None)
    if new_m != old_m:
        return [forbidden("spec", "pod updates may not change fields other than " + ",".join(UPDATABLE_POD_SPEC_FIELDS))]
    return []


# -- Service ----------------------------------------------------------------------------------------------------
_SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]


def validate_service_spec(spec: Obj) -> list[FieldError]:
    """Part of ``ValidateService`` (pkg/apis/core/validation/validation.go)."""
    errs: list[FieldError] = []
    stype = spec.get("type", "ClusterIP")
    if stype not in _SERVICE_TYPES:
        errs.append(not_supported("spec.type", stype, _SERVICE_TYPES))
    ports = spec.get("ports") or []
    headless = spec.get("clusterIP") == "None"
    if not ports and not headless and stype != "ExternalName":
        errs.append(required("spec.ports"))
    seen_names: set[str] = set()
    for i, p in enumerate(ports):
        if not isinstance(p, dict):
            continue
        pp = f"spec.ports[{i}]"
        name = p.get("name") or ""
        if len(ports) > 1 and not name:
            errs.append(required(f"{pp}.name"))
        elif name:
            for msg in is_dns1123_label(name):
                errs.append(invalid(f"{pp}.name", name, msg))
            if name in seen_names:
                errs.append(duplicate(f"{pp}.name", name))
            seen_names.add(name)
        for msg in is_valid_port_num(p.get("port")):
            errs.append(invalid(f"{pp}.port", p.get("port"), msg))
        proto = p.get("protocol")
        if proto is not None and proto not in PORT_PROTOCOLS:
            errs.append(not_supported(f"{pp}.protocol", proto, PORT_PROTOCOLS))
        tp = p.get("targetPort")
        if isinstance(tp, int) and not isinstance(tp, bool):
            for msg in is_valid_port_num(tp):
                errs.append(invalid(f"{pp}.targetPort", tp, msg))
        elif isinstance(tp, str):
            for msg in is_valid_port_name(tp):
                errs.append(invalid(f"{pp}.targetPort", tp, msg))
    sa = spec.get("sessionAffinity")
    if sa is not None and sa not in ("ClientIP", "None"):
        errs.append(not_supported("spec.sessionAffinity", sa, ["ClientIP", "None"]))
    if isinstance(spec.get("selector"), dict):
        errs.extend(validate_labels(spec["selector"], "spec.selector"))
    errs.extend(service_port_duplicates(ports))
    return errs


# -- pod templates and ReplicationController ------------------------------------------------------------
def defaulted_template(spec: Obj) -> Obj:
    # the pod template's defaults (SetDefaults_PodSpec, containers...), as SetObjectDefaults_<Kind> applies them
    template: Obj = clone(as_obj(spec.get("template")))
    default_pod_template_spec(template)
    return template


def template_labels(template: Obj) -> Any:
    meta = as_obj(template.get("metadata"))
    return meta.get("labels")


def validate_pod_template(template: Obj, fld: str) -> list[FieldError]:
    """``ValidatePodTemplateSpec``: labels (path ``<fld>.labels``, upstream's), then the pod spec."""
    errs = validate_labels(template_labels(template), f"{fld}.labels")
    tspec = as_obj(template.get("spec"))
    errs.extend(validate_pod_spec(tspec, f"{fld}.spec"))
    return errs


def validate_template_restart_policy(template: Obj, kind: str) -> list[FieldError]:
    tspec = as_obj(template.get("spec"))
    errs: list[FieldError] = []
    rp = tspec.get("restartPolicy", "Always")
    if rp != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds", f"activeDeadlineSeconds in {kind} is not Supported"))
    return errs


def validate_replication_controller_spec(spec: Obj) -> list[FieldError]:
    """``ValidateReplicationControllerSpec`` (core). SetDefaults_ReplicationController fills an empty selector
    from the template's labels before validation."""
    errs = validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    template = defaulted_template(spec) if isinstance(spec.get("template"), dict) else None
    selector = spec.get("selector") or (template_labels(template) if template else None) or {}
    if not selector:
        errs.append(required("spec.selector"))
    errs.extend(validate_nonnegative(spec.get("replicas"), "spec.replicas"))
    if template is None:
        errs.append(required("spec.template"))
        return errs
    labels = template_labels(template)
    if selector and isinstance(selector, dict):
        tl = labels if isinstance(labels, dict) else {}
        if not all(tl.get(k) == v for k, v in selector.items()):
            errs.append(invalid_raw("spec.template.metadata.labels", go_map_repr(labels), "`selector` does not match template `labels`"))
    errs.extend(validate_pod_template(template, "spec.template"))
    errs.extend(validate_template_restart_policy(template, "ReplicationController"))
    return errs
