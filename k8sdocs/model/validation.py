"""Object validation with the API server's own messages.

Texts and regexes are verbatim from upstream:

* ``staging/src/k8s.io/apimachinery/pkg/api/validate/content/dns.go`` @424faa31eecd9046e764e55d0597d7c4922f2131 and
  ``kube.go`` @26c0309663d6df7426e5ce03835f15c34b1c7399 (IsDNS1123Label, IsDNS1123Subdomain, IsLabelKey,
  IsLabelValue; also in ``pkg/util/validation/validation.go`` @008b3652959ca58af8be3fb5b6ecfe9ae7638282 with the
  helpers ``RegexError``, ``MaxLenError``, ``EmptyError``, IsDNS1035Label, IsValidPortName).
* ``staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go`` @014a908cc4151fb52a3a3c9e1adc028a02ae2e6f:
  ``<field>: <Type>: <value>: <detail>`` with ``%q`` for strings, ``%v`` for numbers/bools; ``Required value`` and
  ``Forbidden`` print no value.
* ``pkg/apis/apps/validation/validation.go`` @2dd1588c490775be7cd90d0afc59c6dcef07032a (Deployment/ReplicaSet),
  ``pkg/apis/scheduling/validation/validation.go`` @00447344aba092d2e9fed602d0a9522dda4fdd14 (PriorityClass),
  ``pkg/apis/core/validation/validation.go`` (Pod, Service; ``ValidateServiceName = NameIsDNS1035Label``).
* ``staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go`` @008b3652959ca58af8be3fb5b6ecfe9ae7638282
  (ValidateObjectMetaAccessor):
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

# -- upstream formats and messages: one copy, in k8sdocs.model.api.validation (apimachinery v1.35) ----------
from k8sdocs.model.api.validation import (  # noqa: E402  (re-exported for the validators below)
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_label_key,
    is_label_value,
    max_len_error,
)
from k8sdocs.model.labels import SelectorError, label_selector
from k8sdocs.model.quantity import QuantityError, parse_quantity

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


from k8sdocs.model.api.validation import go_quote  # noqa: E402  (Go's %q, one copy)


@dataclass(frozen=True)
class FieldError:
    type: str  # "Required" | "Invalid" | "NotSupported" | "Forbidden" | ...
    field: str  # "metadata.name", "spec.containers[0].image"
    value: Any = None
    detail: str = ""

    def body(self) -> str:
        if self.type in _NO_VALUE or self.value is _OMIT:
            s = _TYPE_TEXT[self.type]
        elif isinstance(self.value, _Raw):
            s = f"{_TYPE_TEXT[self.type]}: {self.value.text}"
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


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    if prefix:
        name = mask_trailing_dash(name)
    return is_dns1035_label(name)


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
    errs.extend(validate_owner_references(meta.get("ownerReferences"), f"{fld}.ownerReferences"))
    return errs


def validate_owner_references(refs: Any, fld: str) -> list[FieldError]:
    """``ValidateOwnerReferences`` (objectmeta.go): apiVersion/kind/name/uid set, at most one controller."""
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
                errs.append(_raw(fld, json.dumps(refs, sort_keys=True),
                                 f'Only one reference can have Controller set to true. Found "true" in references for '
                                 f"{first_controller} and {current}"))
            else:
                first_controller = current
    return errs


# -- whole objects --------------------------------------------------------------------------------
def name_fn_for(info: Any) -> Callable[[str, bool], list[str]]:
    rule = getattr(info, "name_rule", "subdomain")
    if rule == "label":
        return name_is_dns_label
    if rule == "dns1035":
        return name_is_dns1035_label
    return name_is_dns_subdomain


def validate_object(obj: dict, info: Any) -> list[FieldError]:
    """Validate a (defaulted) object as the registry strategy's ``Validate`` does, for the fields the model uses."""
    errs = validate_object_meta(obj.get("metadata"), info.namespaced, name_fn_for(info))
    errs.extend(validate_kind(obj, info.kind))
    return errs


def validate_kind(obj: dict, kind: str) -> list[FieldError]:
    """Kind-specific rules of ``pkg/apis/<group>/validation`` for the fields the model uses."""
    spec = obj.get("spec")
    if kind == "Pod":
        return validate_pod_spec(spec if isinstance(spec, dict) else {}, "spec")
    if kind in ("Deployment", "ReplicaSet"):
        return validate_workload_spec(spec if isinstance(spec, dict) else {}, kind)
    if kind == "Service":
        return validate_service_spec(spec if isinstance(spec, dict) else {})
    if kind == "PriorityClass":
        return validate_priority_class(obj)
    if kind == "EndpointSlice":
        return validate_endpoint_slice(obj)
    if kind == "Node":
        from k8sdocs.model.validators import core  # ValidateNode

        return core.validate_node(obj)
    if kind in ("DaemonSet", "StatefulSet", "ReplicationController"):
        from k8sdocs.model.validators import (
            apps,  # ValidateDaemonSetSpec, ValidateStatefulSetSpec, ValidateReplicationControllerSpec
        )

        fn = {"DaemonSet": apps.validate_daemonset_spec, "StatefulSet": apps.validate_statefulset_spec,
              "ReplicationController": apps.validate_replication_controller_spec}[kind]
        return fn(spec if isinstance(spec, dict) else {})
    if kind in ("ConfigMap", "Secret"):
        from k8sdocs.model.validators import core  # ValidateConfigMap / ValidateSecret: keys

        return core.validate_data_keys(obj, ("data", "binaryData") if kind == "ConfigMap" else ("data", "stringData"))
    return []


# -- helpers mirroring pkg/apis/core/validation ---------------------------------------------------------
IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"  # apimachinery/pkg/api/validation/generic.go


def go_map_repr(m: Any) -> str:
    """Go ``%#v`` of a ``map[string]string`` (keys sorted, as fmt prints maps)."""
    if not m:
        return "map[string]string(nil)" if m is None else "map[string]string{}"
    return "map[string]string{" + ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(m.items())) + "}"


class _Raw:
    """A value printed verbatim after ``Invalid value:`` (Go Stringer / ``%#v`` renderings)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _raw(field_: str, text: str, detail: str) -> FieldError:
    return FieldError("Invalid", field_, _Raw(text), detail)


def validate_nonnegative(value: Any, fld: str) -> list[FieldError]:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [invalid(fld, value, IS_NEGATIVE_ERROR_MSG)]
    return []


def is_valid_port_num(port: Any) -> list[str]:
    if isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535:
        return []
    return ["must be between 1 and 65535, inclusive"]


def is_valid_port_name(port: str) -> list[str]:
    """``IsValidPortName`` (validation.go)."""
    errs: list[str] = []
    if len(port) > 15:
        errs.append(max_len_error(15))
    if not re.fullmatch(r"[-a-z0-9]+", port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def quantity_errors(obj: dict) -> list[tuple[str, Any, str]]:
    """Every resource quantity that ``resource.ParseQuantity`` would reject: ``(yaml path, value, message)``.

    Upstream rejects these while decoding the request body (before validation), so the API server answers
    400 BadRequest; the path is the YAML path (``spec.containers[0].resources.requests.cpu``).
    """
    found: list[tuple[str, Any, str]] = []

    def check(mapping: Any, path: str) -> None:
        if not isinstance(mapping, dict):
            return
        for name in sorted(mapping, key=str):
            value = mapping[name]
            try:
                parse_quantity(value)
            except QuantityError as e:
                found.append((f"{path}.{name}", value, str(e)))

    def pod_spec(spec: Any, path: str) -> None:
        if not isinstance(spec, dict):
            return
        for key in ("initContainers", "containers"):
            items = spec.get(key)
            if not isinstance(items, list):
                continue  # a type error, reported by decode_errors with encoding/json's words
            for i, c in enumerate(items):
                if isinstance(c, dict) and isinstance(c.get("resources"), dict):
                    for part in ("requests", "limits"):
                        check(c["resources"].get(part), f"{path}.{key}[{i}].resources.{part}")
        if isinstance(spec.get("overhead"), dict):
            check(spec["overhead"], f"{path}.overhead")

    kind = obj.get("kind")
    spec = obj.get("spec")
    if kind == "Pod":
        pod_spec(spec, "spec")
    elif kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ReplicationController") and isinstance(spec, dict):
        template = spec.get("template")
        if isinstance(template, dict):
            pod_spec(template.get("spec"), "spec.template.spec")
    elif kind == "Node" and isinstance(obj.get("status"), dict):
        check(obj["status"].get("capacity"), "status.capacity")
        check(obj["status"].get("allocatable"), "status.allocatable")
    return found


_RESTART_POLICIES = ["Always", "OnFailure", "Never"]  # validateRestartPolicy
_DNS_POLICIES = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]  # sets.List (sorted)
_PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
_PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"]


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
            errs.append(FieldError("Duplicate", f"{path}.name", str(name)))
        names.add(str(name))
    image = c.get("image")
    if not image:
        errs.append(required(f"{path}.image"))
    elif isinstance(image, str) and image != image.strip():
        errs.append(invalid(f"{path}.image", image, "must not have leading or trailing whitespace"))
    from k8sdocs.model.validators import core  # validateContainerCommon's order: ports, env, pull policy, resources

    errs.extend(core.validate_container_ports(c.get("ports"), f"{path}.ports"))
    errs.extend(core.validate_env(c.get("env"), f"{path}.env"))
    policy = c.get("imagePullPolicy")
    if policy is not None and policy not in _PULL_POLICIES:
        errs.append(not_supported(f"{path}.imagePullPolicy", policy, _PULL_POLICIES))
    errs.extend(core.validate_resource_requirements(c.get("resources"), f"{path}.resources"))
    return errs


def validate_pod_spec(spec: dict, path: str) -> list[FieldError]:
    """The parts of ``ValidatePodSpec`` (pkg/apis/core/validation/validation.go) the model relies on."""
    from k8sdocs.model.validators import core  # affinity, topology spread, tolerations, host ports

    errs: list[FieldError] = []
    containers = spec.get("containers")
    names: set[str] = set()
    # validateContainers runs before validateInitContainers; init names must not clash with either list
    if not containers:
        errs.append(required(f"{path}.containers"))
    else:
        for i, c in enumerate(containers):
            errs.extend(validate_container(c, f"{path}.containers[{i}]", names))
    errs.extend(core.host_port_conflicts(containers, f"{path}.containers"))
    for i, c in enumerate(spec.get("initContainers") or []):
        errs.extend(validate_container(c, f"{path}.initContainers[{i}]", names))
        # init containers run one by one: their host ports are checked one container at a time
        errs.extend(core.host_port_conflicts([c], f"{path}.initContainers"))
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
    errs.extend(core.validate_affinity(spec.get("affinity"), f"{path}.affinity"))
    errs.extend(core.validate_topology_spread_constraints(spec.get("topologySpreadConstraints"), f"{path}.topologySpreadConstraints"))
    errs.extend(core.validate_tolerations(spec.get("tolerations"), f"{path}.tolerations"))
    return errs


def _int_or_percent(value: Any) -> tuple[int, bool] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value, False
    if isinstance(value, str) and re.fullmatch(r"[0-9]+%", value):
        return int(value[:-1]), True
    return None


def validate_workload_spec(spec: dict, kind: str) -> list[FieldError]:
    """``ValidateDeploymentSpec`` / ``ValidateReplicaSetSpec`` (pkg/apis/apps/validation/validation.go)."""
    errs: list[FieldError] = []
    replicas = spec.get("replicas")
    if replicas is not None and (not isinstance(replicas, int) or isinstance(replicas, bool)):
        errs.append(invalid("spec.replicas", replicas, "must be an integer"))
    errs.extend(validate_nonnegative(replicas, "spec.replicas"))
    if kind == "ReplicaSet":  # ValidateReplicaSetSpec checks minReadySeconds before the selector
        errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    selector = spec.get("selector")
    sel = None
    if selector is None:
        errs.append(required("spec.selector"))
        # LabelSelectorAsSelector(nil) is labels.Nothing(): not Empty() and matches nothing, so upstream
        # also reports the template labels (the well-known two-error message).
        template = spec.get("template") if isinstance(spec.get("template"), dict) else None
        if template is not None:
            tlabels = (template.get("metadata") or {}).get("labels") if isinstance(template.get("metadata"), dict) else None
            errs.append(_raw("spec.template.metadata.labels", go_map_repr(tlabels),
                             "`selector` does not match template `labels`"))
    elif isinstance(selector, dict):
        match_labels = selector.get("matchLabels") or {}
        from k8sdocs.model.validators.meta import validate_label_selector  # ValidateLabelSelector (expressions too)

        errs.extend(validate_label_selector(selector, "spec.selector"))
        if len(match_labels) + len(selector.get("matchExpressions") or []) == 0:
            errs.append(_raw(
                "spec.selector", "&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}",
                "empty selector is invalid for deployment",
            ))
        try:
            sel = label_selector(selector)
        except SelectorError:
            errs.append(_raw("spec.selector", json.dumps(selector, sort_keys=True), "invalid label selector"))
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(required("spec.template"))
        return errs
    tmeta = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
    tlabels = tmeta.get("labels") or {}
    if sel is not None and not sel.empty() and not sel.matches(tlabels):
        errs.append(_raw("spec.template.metadata.labels", go_map_repr(tmeta.get("labels")),
                         "`selector` does not match template `labels`"))
    errs.extend(validate_labels(tmeta.get("labels"), "spec.template.metadata.labels"))
    tspec = template.get("spec") if isinstance(template.get("spec"), dict) else {}
    errs.extend(validate_pod_spec(tspec, "spec.template.spec"))
    rp = tspec.get("restartPolicy")
    if rp is not None and rp != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", rp, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not Supported"))
    if kind == "Deployment":
        errs.extend(_validate_deployment_strategy(spec.get("strategy")))
        errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
        rhl = spec.get("revisionHistoryLimit")
        errs.extend(validate_nonnegative(rhl, "spec.revisionHistoryLimit"))
        pds = spec.get("progressDeadlineSeconds")
        if isinstance(pds, int):
            errs.extend(validate_nonnegative(pds, "spec.progressDeadlineSeconds"))
            if pds <= int(spec.get("minReadySeconds") or 0):
                errs.append(invalid("spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds"))
    return errs


def _validate_deployment_strategy(strategy: Any) -> list[FieldError]:
    errs: list[FieldError] = []
    if not isinstance(strategy, dict):
        return errs
    stype = strategy.get("type")
    if stype == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"))
    elif stype == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if not isinstance(ru, dict):
            errs.append(required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"))
            return errs
        values: dict[str, int] = {}
        for name in ("maxUnavailable", "maxSurge"):
            raw = ru.get(name, 0)
            parsed = _int_or_percent(raw)
            path = f"spec.strategy.rollingUpdate.{name}"
            if parsed is None:
                if isinstance(raw, str):
                    errs.append(_raw(path, raw, "a valid percent string must be a numeric string followed by an ending '%' "
                                               "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"))
                else:
                    errs.append(_raw(path, str(raw), "must be an integer or percentage (e.g '5%%')"))
                values[name] = 0 if not isinstance(raw, int) else raw
            else:
                if not parsed[1]:
                    errs.extend(validate_nonnegative(parsed[0], path))
                values[name] = parsed[0]
        if values.get("maxUnavailable", 0) == 0 and values.get("maxSurge", 0) == 0:
            errs.append(_raw("spec.strategy.rollingUpdate.maxUnavailable", str(ru.get("maxUnavailable", 0)),
                             "may not be 0 when `maxSurge` is 0"))
        mu = _int_or_percent(ru.get("maxUnavailable", 0))
        if mu is not None and mu[1] and mu[0] > 100:
            errs.append(_raw("spec.strategy.rollingUpdate.maxUnavailable", str(ru["maxUnavailable"]), "must not be greater than 100%"))
    else:
        errs.append(not_supported("spec.strategy", strategy, ["Recreate", "RollingUpdate"]))
    return errs


_SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]


def validate_service_spec(spec: dict) -> list[FieldError]:
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
                errs.append(FieldError("Duplicate", f"{pp}.name", name))
            seen_names.add(name)
        for msg in is_valid_port_num(p.get("port")):
            errs.append(invalid(f"{pp}.port", p.get("port"), msg))
        proto = p.get("protocol")
        if proto is not None and proto not in _PORT_PROTOCOLS:
            errs.append(not_supported(f"{pp}.protocol", proto, _PORT_PROTOCOLS))
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
    from k8sdocs.model.validators import core  # duplicate nodePorts and (protocol, port) pairs

    errs.extend(core.service_port_duplicates(ports))
    return errs


# pkg/apis/scheduling/v1/helpers.go (IsKnownSystemPriorityClass) and pkg/apis/scheduling/types.go
_SYSTEM_PRIORITY_CLASSES = {"system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000}


def validate_priority_class(obj: dict) -> list[FieldError]:
    """``ValidatePriorityClass`` (pkg/apis/scheduling/validation/validation.go)."""
    errs: list[FieldError] = []
    name = str((obj.get("metadata") or {}).get("name") or "")
    value = obj.get("value", 0)
    if not isinstance(value, int) or isinstance(value, bool):
        return [invalid("value", value, "must be an integer")]
    if name.startswith("system-"):
        known = _SYSTEM_PRIORITY_CLASSES.get(name)
        if known is None:
            err = f"{name} is not a known system priority class"
        elif known != value:
            err = f"value of {name} PriorityClass must be {known}"
        elif obj.get("globalDefault", False):
            err = f"globalDefault of {name} PriorityClass must be false"
        else:
            err = ""
        if err:
            errs.append(forbidden("metadata.name", "priority class names with 'system-' prefix are reserved for system use only. error: " + err))
    elif value > 1_000_000_000:
        errs.append(forbidden("value", "maximum allowed value of a user defined priority is 1000000000"))
    policy = obj.get("preemptionPolicy")
    if policy is not None and policy not in ("Never", "PreemptLowerPriority"):
        errs.append(not_supported("preemptionPolicy", policy, ["Never", "PreemptLowerPriority"]))
    return errs


def validate_endpoint_slice(obj: dict) -> list[FieldError]:
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


# -- decoding against the v1.35 OpenAPI schema (strict field validation) ------------------------------
# The API server decodes the request body into Go structs before anything else: a value of the wrong JSON
# type fails with encoding/json's UnmarshalTypeError text (sigs.k8s.io/json keeps it), and with
# ``fieldValidation=Strict`` (kubectl's default ``--validate=strict``) unknown fields fail with
# ``strict decoding error: unknown field "<path>"`` (paths keep list indices; several are joined by ", ").
# The schemas are the v1.35 strict JSON schemas shipped with the ``kubernetes-validate`` package (a run
# dependency); without it decoding raises SchemaUnavailableError instead of skipping the checks.
SCHEMA_DIR = "v1.35.0-local-strict"
_QUANTITY_DEF = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_INT_OR_STRING_DEF = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"


@dataclass(frozen=True)
class DecodeError:
    path: str  # with list indices: spec.template.spec.containers[0].imagee
    message: str  # the decoder's text
    unknown_field: bool = False


class SchemaUnavailableError(RuntimeError):
    """The v1.35 schemas are missing, so decoding cannot be strict: a loud error, never a silent skip."""


def _schema_root() -> Any:
    import importlib.resources as resources

    try:
        import kubernetes_validate  # noqa: F401  (a run dependency: pyproject.toml)
    except ImportError:
        raise SchemaUnavailableError(
            "strict decoding needs the v1.35 OpenAPI schemas of the kubernetes-validate package, a dependency of "
            "k8sdocs (pip install -r requirements.lock, or pip install k8sdocs); manifests are not accepted unchecked"
        ) from None
    root = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema", SCHEMA_DIR)
    if not root.is_dir():
        raise SchemaUnavailableError(f"the installed kubernetes-validate has no {SCHEMA_DIR} schemas (k8sdocs needs >= 1.35)")
    return root


_schema_cache: dict[str, Any] = {}


def _load_schema(name: str) -> Any:
    if name not in _schema_cache:
        root = _schema_root()
        try:
            _schema_cache[name] = json.loads(root.joinpath(name).read_text(encoding="utf-8"))
        except (FileNotFoundError, OSError):
            _schema_cache[name] = None  # a kind the schemas do not describe
    return _schema_cache[name]


def _kind_schema(api_version: str, kind: str) -> Any:
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return _load_schema(f"{kind.lower()}-{group_version}.json")


def _resolve(schema: Any) -> tuple[dict, str | None]:
    defs = (_load_schema("_definitions.json") or {}).get("$defs", {})
    name = None
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = defs.get(name, {})
        seen += 1
    return (schema if isinstance(schema, dict) else {}), name


def _go_type_name(def_name: str) -> str:
    """``io.k8s.api.apps.v1.DeploymentSpec`` -> ``v1.DeploymentSpec`` (Go's reflect.Type.String())."""
    parts = def_name.split(".")
    return f"{parts[-2]}.{parts[-1]}"


def _types(schema: dict) -> list[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return [t]
    return [x for x in (t or []) if x != "null"]


def _go_type(schema: Any) -> str:
    resolved, name = _resolve(schema)
    if name and name not in (_QUANTITY_DEF, _INT_OR_STRING_DEF) and ("properties" in resolved or not _types(resolved)):
        return _go_type_name(name)
    types = _types(resolved)
    if "integer" in types:
        return resolved.get("format", "int64")
    if "number" in types:
        return "float64"
    if "boolean" in types:
        return "bool"
    if "string" in types:
        return "string"
    if "array" in types:
        return "[]" + _go_type(resolved.get("items", {}))
    if "object" in types:
        addl = resolved.get("additionalProperties")
        if isinstance(addl, dict):
            return "map[string]" + _go_type(addl)
        return _go_type_name(name) if name else "map[string]interface {}"
    return "interface {}"


def _json_kind(value: Any, target: str) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        if target.startswith("int") and (isinstance(value, float) or not isinstance(value, int)):
            return f"number {value!r}"
        if target in ("int32", "int64") and isinstance(value, int):
            return f"number {value}"  # out of range: UnmarshalTypeError{Value: "number " + literal}
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"  # YAML dates/times reach the API server as strings


_INT_BITS = {"int32": 32, "int64": 64}


def _fits(value: int, fmt: str) -> bool:
    """Whether a JSON integer fits the Go field (int32 / int64) it decodes into."""
    bits = _INT_BITS.get(fmt, 64)
    return -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)


def decode_errors(obj: dict) -> list[DecodeError]:
    """Type errors (first one only, as encoding/json reports) and unknown fields, in document order."""
    schema = _kind_schema(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if schema is None:
        return []
    type_errors: list[DecodeError] = []
    unknown: list[DecodeError] = []

    def walk(value: Any, sch: Any, path: str, go_path: str, struct: str) -> None:
        resolved, name = _resolve(sch)
        if value is None or name in (_QUANTITY_DEF, _INT_OR_STRING_DEF):
            return  # quantities are checked by quantity_errors; IntOrString takes strings and ints
        types = _types(resolved)
        ok = True
        if "object" in types or "properties" in resolved:
            ok = isinstance(value, dict)
        elif "array" in types:
            ok = isinstance(value, list)
        elif "integer" in types:
            ok = isinstance(value, int) and not isinstance(value, bool)
            if ok and not _fits(value, resolved.get("format", "int64")):
                # encoding/json literalStore: v.OverflowInt(n) -> UnmarshalTypeError{Value: "number " + literal}
                target = _go_type(sch)
                type_errors.append(DecodeError(
                    path, f"json: cannot unmarshal number {value} into Go struct field {struct}.{go_path} of type {target}"
                ))
                return
        elif "number" in types:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif "boolean" in types:
            ok = isinstance(value, bool)
        elif "string" in types:
            ok = not isinstance(value, (bool, int, float, list, dict))
        if not ok:
            target = _go_type(sch)
            type_errors.append(DecodeError(
                path, f"json: cannot unmarshal {_json_kind(value, target)} into Go struct field {struct}.{go_path} of type {target}"
            ))
            return
        if isinstance(value, dict):
            props = resolved.get("properties") or {}
            addl = resolved.get("additionalProperties")
            here = name.rsplit(".", 1)[-1] if name else struct
            for key, item in value.items():
                key = str(key)
                sub = f"{path}.{key}" if path else key
                gsub = f"{go_path}.{key}" if go_path else key
                if key in props:
                    walk(item, props[key], sub, gsub, here)
                elif isinstance(addl, dict):
                    walk(item, addl, sub, gsub, here)
                elif addl is False or props:
                    unknown.append(DecodeError(sub, f'unknown field "{sub}"', True))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, resolved.get("items", {}), f"{path}[{i}]", go_path, struct)

    walk(obj, schema, "", "", str(obj.get("kind", "")))
    if type_errors:
        return type_errors[:1]
    if unknown:
        text = "strict decoding error: " + ", ".join(u.message for u in unknown)
        return [DecodeError(unknown[0].path, text, True)]
    return []


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

    def munge(spec: dict, other: dict) -> dict:
        out = json.loads(json.dumps(spec))
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
