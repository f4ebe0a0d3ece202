"""Reading multi-document YAML manifests into API objects, checked as kubectl and the API server check them.

A manifest error is a :class:`ManifestError` whose ``str()`` names the file, the 1-based document index and the
field path, then the message Kubernetes itself prints (English, verbatim), e.g.::

    web.yaml: document 2: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of ...

Checks, in the order a real ``kubectl apply`` meets them:

1. YAML syntax -> ``web.yaml: document 2: line 7, column 3: <PyYAML problem>`` (1-based line and column);
   a duplicated key is an error too (``key "replicas" already set in map``), as in kubectl's YAML-to-JSON step.
2. ``apiVersion`` / ``kind`` present (kubectl's client-side validation: ``apiVersion not set``, ``kind not set``).
3. The pair is a known resource, else kubectl's REST-mapping error
   ``no matches for kind "Foo" in version "example.com/v1"`` (``meta.NoKindMatchError``,
   ``staging/src/k8s.io/apimachinery/pkg/api/meta/errors.go``).
4. Decoding, as the API server does with kubectl's default ``--validate=strict``: resource quantities must
   parse (``resource.ParseQuantity``), values must have the schema's JSON type (encoding/json's
   ``json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32``) and
   unknown fields are rejected (``strict decoding error: unknown field "spec.replica"``); see
   ``validation.decode_errors`` (v1.35 schemas from ``kubernetes-validate``).
5. The API server's validation of the defaulted object (``k8sdocs.model.validation``): names per kind, labels,
   annotations, required fields, container names, selectors...

A ``kind: List`` document (``apiVersion: v1``) is expanded into its ``items`` (paths ``items[i]...``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from k8sdocs.model import admission
from k8sdocs.model.api.obj import Obj
from k8sdocs.model.api.validation import go_quote
from k8sdocs.model.limits import BoundedLoader, InputLimitError, Utf8Error, describe_yaml_error, json_key, read_bounded
from k8sdocs.model.objcopy import clone
from k8sdocs.model.resources import UnknownKindError, lookup_gvk
from k8sdocs.model.validation import FieldError, aggregate, decode_errors, quantity_errors, validate_object


class ManifestError(ValueError):
    """A manifest that Kubernetes would reject; ``str()`` = ``<file>: document <n>: <field>: <message>``."""

    def __init__(
        self,
        file: str,
        document: int | None,
        field: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        errors: list[FieldError] | None = None,
    ) -> None:
        self.file = file
        self.document = document
        self.field = field
        self.message = message
        self.line = line
        self.column = column
        self.errors = list(errors or [])
        super().__init__(self._text())

    def _text(self) -> str:
        parts = [self.file]
        if self.document is not None:
            parts.append(f"document {self.document}")
        if self.line is not None:
            parts.append(f"line {self.line}, column {self.column}")
        if self.errors:
            parts.append(aggregate(self.errors))
        elif self.field:
            parts.append(f"{self.field}: {self.message}")
        else:
            parts.append(self.message)
        return ": ".join(parts)

    def __str__(self) -> str:
        return self._text()


@dataclass(frozen=True)
class Manifest:
    """One object and where it came from."""

    source: str
    document: int  # 1-based index of the YAML document in the file
    obj: Obj = field(hash=False, compare=False)
    path: str = ""  # "" or "items[2]" for objects inside a List


class StrictLoader(BoundedLoader):
    """SafeLoader that rejects duplicate keys, as kubectl's YAML-to-JSON conversion does
    (go-yaml: ``key "replicas" already set in map``), with the bounds of ``model/limits.py`` (no aliases,
    depth and sizes); keys become strings as in kubernetes-sigs/yaml."""

    fast_path = True  # _construct_mapping below is the rule limits._fast_documents builds with


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Obj:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        json_key(loader, key, key_node)  # a null or list key is an error, as in kubectl
        marker = (type(key), key)  # true and 1 are different YAML keys (Python has True == 1)
        try:
            duplicate = marker in seen
        except TypeError:
            duplicate = False
        if duplicate:
            shown = go_quote(key) if isinstance(key, str) else str(key)
            raise yaml.constructor.ConstructorError(
                None, None, f"key {shown} already set in map", key_node.start_mark
            )
        try:
            seen.add(marker)
        except TypeError:
            pass
    loader.flatten_mapping(node)  # YAML merge keys, as SafeConstructor.construct_mapping
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = json_key(loader, loader.construct_object(key_node, deep=deep), key_node)
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_documents(text: str, source: str = "<inline>") -> list[Manifest]:
    """Parse and check every document of ``text``; ``source`` names the file in errors."""
    out: list[Manifest] = []
    index = 0
    try:
        for doc in yaml.load_all(text, Loader=StrictLoader):  # noqa: S506 - a SafeLoader subclass
            index += 1
            if doc is None:
                continue
            out.extend(_expand(doc, source, index))
    except yaml.YAMLError as e:
        problem, line, column = describe_yaml_error(e)
        raise ManifestError(source, index + 1, "", problem, line=line, column=column) from None
    for m in out:
        check_object(m.obj, source, m.document, m.path)
    return out


def without_nulls(value: Any) -> Any:
    """JSON ``null`` decodes to Go's zero value: a field written ``metadata: null`` is as if absent
    (encoding/json leaves the field untouched). The model drops such keys, and a ``null`` list item becomes
    an empty object (a zero struct). Simplification: a ``null`` map value (``labels: {a: null}``) is dropped
    where Go would store ``""``."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [{} if v is None else without_nulls(v) for v in value]
    return value


def _expand(doc: Any, source: str, index: int) -> list[Manifest]:
    doc = without_nulls(doc)
    if not isinstance(doc, dict):
        raise ManifestError(source, index, "", f"a manifest must be a mapping (got {type(doc).__name__})")
    if doc.get("kind") == "List" and doc.get("apiVersion") == "v1":
        items = doc.get("items") or []
        if not isinstance(items, list):
            raise ManifestError(source, index, "items", "must be a list")
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise ManifestError(source, index, f"items[{i}]", "a manifest must be a mapping")
            out.append(Manifest(source, index, item, f"items[{i}]"))
        return out
    return [Manifest(source, index, doc)]


def check_object(obj: Obj, source: str = "<inline>", document: int | None = 1, prefix: str = "") -> None:
    """Raise :class:`ManifestError` if kubectl or the API server would reject ``obj``."""

    def at(path: str) -> str:
        return f"{prefix}.{path}" if prefix else path

    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    if not api_version:
        raise ManifestError(source, document, at("apiVersion"), "apiVersion not set")
    if not kind:
        raise ManifestError(source, document, at("kind"), "kind not set")
    try:
        info = lookup_gvk(str(api_version), str(kind))
    except UnknownKindError as e:
        raise ManifestError(source, document, at("kind"), str(e)) from None
    meta = obj.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise ManifestError(source, document, at("metadata"), "must be a mapping")
    for path, value, message in quantity_errors(obj):
        # Quantity.UnmarshalJSON fails at once, before saved type errors or unknown fields are reported
        shown = go_quote(value) if isinstance(value, str) else str(value)
        raise ManifestError(source, document, at(path), f"Invalid value: {shown}: {message}")
    for err in decode_errors(obj):
        raise ManifestError(source, document, at(err.path), err.message)
    candidate = admission.apply_defaults(obj)
    cmeta = candidate.setdefault("metadata", {})
    if info.namespaced:
        cmeta.setdefault("namespace", "default")
    else:
        # rest.BeforeCreate (EnsureObjectNamespaceMatchesRequestNamespace): a cluster-scoped object's namespace is
        # cleared, not rejected (kubectl sends no namespace for it either)
        cmeta.pop("namespace", None)
    errs = validate_object(candidate, info)
    if errs:
        if prefix:
            errs = [FieldError(e.type, at(e.field), e.value, e.detail) for e in errs]
        raise ManifestError(source, document, errs[0].field, str(errs[0]), errors=errs)


def parse_manifests(text: str, source: str = "<inline>") -> list[Obj]:
    """Objects of a multi-document YAML string (deep copies, in document order)."""
    return [clone(m.obj) for m in parse_documents(text, source)]


def read_manifest_text(path: str | Path, display_name: str | None = None) -> str:
    """A manifest or scenario file as text, within ``model/limits.py``'s size and UTF-8 rules."""
    name = display_name or str(path)
    try:
        return read_bounded(path)
    except OSError as e:
        raise ManifestError(name, None, "", f"cannot read file: {e.strerror}") from None
    except Utf8Error as e:
        raise ManifestError(name, None, "", f"yaml: {e.problem} (byte offset {e.offset})", line=e.line, column=e.column) from None
    except InputLimitError as e:
        raise ManifestError(name, None, "", str(e)) from None


def load_manifest_file(path: str | Path, display_name: str | None = None) -> list[Obj]:
    return parse_manifests(read_manifest_text(path, display_name), display_name or str(path))


def load_manifests(paths: Iterable[str | Path]) -> list[Obj]:
    out: list[Obj] = []
    for p in paths:
        out.extend(load_manifest_file(p))
    return out
