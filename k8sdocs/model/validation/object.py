"""The entry point: validate a defaulted object as the registry strategy's ``Validate`` does on create.

ObjectMeta first (``ValidateObjectMetaAccessor`` with the kind's name rule), then the kind's own rules, one module per
upstream package (core, apps, scheduling, discovery), for the fields the model uses.
"""

from __future__ import annotations

from typing import Protocol

from k8sdocs.model.api.obj import Obj
from k8sdocs.model.validation import apps, core, discovery, scheduling
from k8sdocs.model.validation.field import FieldError
from k8sdocs.model.validation.objectmeta import name_fn_for, validate_object_meta


class KindInfo(Protocol):
    """What validation reads of a kind's registration (``resources.ResourceInfo``)."""

    @property
    def kind(self) -> str: ...

    @property
    def namespaced(self) -> bool: ...

    @property
    def name_rule(self) -> str: ...


def validate_object(obj: Obj, info: KindInfo) -> list[FieldError]:
    """Validate a (defaulted) object as the registry strategy's ``Validate`` does, for the fields the model uses."""
    errs = validate_object_meta(obj.get("metadata"), info.namespaced, name_fn_for(info.name_rule))
    errs.extend(validate_kind(obj, info.kind))
    return errs


def validate_kind(obj: Obj, kind: str) -> list[FieldError]:
    """Kind-specific rules of ``pkg/apis/<group>/validation`` for the fields the model uses."""
    raw_spec = obj.get("spec")
    spec: Obj = raw_spec if isinstance(raw_spec, dict) else {}
    if kind == "Pod":
        return core.validate_pod_spec(spec, "spec")
    if kind in ("Deployment", "ReplicaSet"):
        return apps.validate_workload_spec(spec, kind)
    if kind == "Service":
        return core.validate_service_spec(spec)
    if kind == "PriorityClass":
        return scheduling.validate_priority_class(obj)
    if kind == "EndpointSlice":
        return discovery.validate_endpoint_slice(obj)
    if kind == "Node":
        return core.validate_node(obj)
    if kind == "DaemonSet":
        return apps.validate_daemonset_spec(spec)
    if kind == "StatefulSet":
        return apps.validate_statefulset_spec(spec)
    if kind == "ReplicationController":
        return core.validate_replication_controller_spec(spec)
    if kind == "ConfigMap":
        return core.validate_data_keys(obj, ("data", "binaryData"))
    if kind == "Secret":
        return core.validate_data_keys(obj, ("data", "stringData"))
    return []
