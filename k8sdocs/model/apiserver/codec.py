"""What turns a request body into a stored object and a stored value back into an object.

* :func:`decode_body` is the handler's decode (``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go``):
  the body's ``apiVersion`` must match the resource's, unparsable quantities are a 400, and defaulting runs
  (``SetObjectDefaults_*``, :func:`k8sdocs.model.admission.apply_defaults`).
* :func:`decode` / :func:`encode` are the etcd3 codec's ``resourceVersion`` handling
  (``staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go``): ``metadata.resourceVersion`` is not stored, it is
  filled in from the key's ``mod_revision`` when the object is read (the deletion revision for a ``DELETED`` watch
  event).
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model import admission
from k8sdocs.model.apiserver.errors import bad_request
from k8sdocs.model.objcopy import clone
from k8sdocs.model.resources import ResourceInfo
from k8sdocs.model.store import KeyValue
from k8sdocs.model.trace import ObjectRef
from k8sdocs.model.validation import quantity_errors

#: A manifest-shaped API object (``apiVersion``, ``kind``, ``metadata``, ``spec``, ``status``).
Obj = dict[str, Any]


def decode(kv: KeyValue, revision: int | None = None, *, owned: bool = False) -> Obj:
    """The object of ``kv`` with its ``resourceVersion``. A copy, unless ``owned``: ``kv`` is the caller's own copy
    (``Store.get``, ``range`` and the writes return one), whose value becomes the object (one copy per read, not two)."""
    obj: Obj = kv.value if owned else clone(kv.value)
    obj.setdefault("metadata", {})["resourceVersion"] = str(revision if revision is not None else kv.mod_revision)
    return obj


def encode(obj: Obj) -> Obj:
    value: Obj = clone(obj)
    value.get("metadata", {}).pop("resourceVersion", None)
    return value


def check_decodable(info: ResourceInfo, obj: Obj) -> None:
    """What decoding the request body rejects before any validation: unparsable quantities.

    ``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go`` transformDecodeError:
    ``%v in version %q cannot be handled as a %v: %v`` (400 BadRequest).
    """
    errs = quantity_errors(obj)
    if errs:
        raise bad_request(f'{info.kind} in version "{info.version}" cannot be handled as a {info.kind}: {errs[0][2]}')


def decode_body(info: ResourceInfo, obj: Obj) -> Obj:
    """A create's body as the handler decodes it: version check, quantities, then defaulting (a new dict)."""
    api_version = obj.get("apiVersion")
    if api_version != info.api_version:
        raise bad_request(
            f"the API version in the data ({api_version}) does not match the expected API version ({info.api_version})"
        )
    check_decodable(info, obj)
    return admission.apply_defaults(obj)


def object_ref(obj: Obj) -> str:
    """``Pod default/web-1`` or ``Node node-1``: how a watch notification names its object."""
    meta = obj.get("metadata") or {}
    if meta.get("namespace"):
        return f"{obj.get('kind')} {meta['namespace']}/{meta.get('name')}"
    return f"{obj.get('kind')} {meta.get('name')}"


def object_ref_of(obj: Obj) -> ObjectRef:
    meta = obj.get("metadata") or {}
    return ObjectRef(str(obj.get("kind")), meta.get("namespace") or None, str(meta.get("name")))
