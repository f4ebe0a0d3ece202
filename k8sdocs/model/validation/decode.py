"""Decoding the request body against the v1.35 OpenAPI schema (strict field validation), before validation.

The API server decodes the request body into Go structs before anything else: a value of the wrong JSON type fails
with encoding/json's UnmarshalTypeError text (sigs.k8s.io/json keeps it), and with ``fieldValidation=Strict``
(kubectl's default ``--validate=strict``) unknown fields fail with ``strict decoding error: unknown field "<path>"``
(paths keep list indices; several are joined by ", "). The schemas are the v1.35 strict JSON schemas shipped with the
``kubernetes-validate`` package (a run dependency); without it decoding raises SchemaUnavailableError instead of
skipping the checks. Resource quantities are parsed while decoding too (``resource.ParseQuantity``):
:func:`quantity_errors`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from k8sdocs.model.api.obj import Obj
from k8sdocs.model.quantity import QuantityError, parse_quantity

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


def _resolve(schema: Any) -> tuple[Obj, str | None]:
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


def _types(schema: Obj) -> list[str]:
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
        return str(resolved.get("format", "int64"))
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
    limit = 1 << (bits - 1)
    return -limit <= value < limit


def decode_errors(obj: Obj) -> list[DecodeError]:
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


def quantity_errors(obj: Obj) -> list[tuple[str, Any, str]]:
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
