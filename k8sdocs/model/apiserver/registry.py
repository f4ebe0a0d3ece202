"""The generic registry store (``staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go``) over the
etcd-like store, with the per-resource strategies of :mod:`k8sdocs.model.apiserver.strategy`.

Create runs the strategy's ``PrepareForCreate`` + ``BeforeCreate`` (generateName, uid, creationTimestamp,
generation), validation, then an etcd txn ``If(ModRevision(key) == 0)``. Update checks
``metadata.resourceVersion`` (409 Conflict when stale, an empty one means an unconditional update as
``AllowUnconditionalUpdate`` allows), keeps ``status`` (main resource) or everything but ``status`` (``/status``),
bumps ``metadata.generation`` when ``spec`` changes and skips the etcd write when nothing changed
(``GuaranteedUpdate`` does not write identical bytes). Every store write is traced as ``kube-apiserver -> etcd``
(kind ``etcd``, ``PUT``/``DELETE`` of the ``/registry/...`` key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from k8sdocs.model import admission
from k8sdocs.model.api.labels import Selector
from k8sdocs.model.apiserver.alloc import allocate_service
from k8sdocs.model.apiserver.codec import Obj, check_decodable, decode, encode, object_ref_of
from k8sdocs.model.apiserver.errors import already_exists, conflict, forbidden, invalid, not_found
from k8sdocs.model.apiserver.selectors import FieldRequirement, fields_match, labels_of
from k8sdocs.model.apiserver.strategy import strategy_for
from k8sdocs.model.objcopy import clone
from k8sdocs.model.resources import RESOURCES, ResourceInfo
from k8sdocs.model.store import KeyValue

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.server import APIServer

# staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
OPTIMISTIC_LOCK_ERROR_MSG = "the object has been modified; please apply your changes to the latest version and try again"

# staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go: maxNameGenerationCreateAttempts
# (RetryGenerateName, GA in v1.32): a generated name that collides is retried up to 8 times in total.
MAX_NAME_GENERATION_CREATE_ATTEMPTS = 8

# NamespaceLifecycle's immortalNamespaces (default, kube-system, kube-public)
IMMORTAL_NAMESPACES = ("default", "kube-public", "kube-system")

#: Admission on update (the object as it will be stored, the stored one), run before ``ValidateUpdate``.
UpdateAdmission = Callable[[ResourceInfo, Obj, Obj], None]


def _uid_precondition_failed(uid: str, current: Obj) -> str:
    # staging/src/k8s.io/apiserver/pkg/storage/interfaces.go Preconditions.Check
    return f"Precondition failed: UID in precondition: {uid}, UID in object meta: {current['metadata'].get('uid')}"


class Registry:
    """The REST storage of every resource: one generic store, a strategy per kind."""

    def __init__(self, server: APIServer) -> None:
        self.server = server

    # -- etcd ---------------------------------------------------------------------------------------
    def write(self, key: str, value: Obj, expected_mod_revision: int) -> KeyValue:
        kv = self.server.store.txn_put(key, encode(value), expected_mod_revision)
        self.server.trace.record("etcd", "kube-apiserver", "etcd", f"PUT {key}", obj=object_ref_of(value), op="PUT",
                                 etcd_key=key, revision=kv.mod_revision)
        return kv

    def remove(self, key: str, expected_mod_revision: int) -> KeyValue:
        store = self.server.store
        kv = store.txn_delete(key, expected_mod_revision)
        ref = object_ref_of(kv.value) if isinstance(kv.value, dict) else None
        self.server.trace.record("etcd", "kube-apiserver", "etcd", f"DELETE {key}", obj=ref, op="DELETE", etcd_key=key,
                                 revision=store.revision)
        return kv

    def get_kv(self, info: ResourceInfo, name: str, ns: str | None) -> KeyValue:
        kv = self.server.store.get(info.key(name, ns))
        if kv is None:
            raise not_found(info, name)
        return kv

    # -- create -------------------------------------------------------------------------------------
    def create(self, info: ResourceInfo, obj: Obj, ns: str | None) -> Obj:
        """``Store.Create`` of an admitted object: ``BeforeCreate``, name generation, validation, the etcd txn."""
        srv = self.server
        strategy = strategy_for(info)
        meta = obj.setdefault("metadata", {})
        # rest.BeforeCreate / FillObjectMetaSystemFields
        for k in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"):
            meta.pop(k, None)
        meta["uid"] = srv.new_uid()
        meta["creationTimestamp"] = srv.clock.timestamp()
        if info.sets_generation:
            meta["generation"] = 1
        else:
            meta.pop("generation", None)
        strategy.prepare_for_create(obj)
        generated = bool(meta.get("generateName")) and not meta.get("name")
        attempts = MAX_NAME_GENERATION_CREATE_ATTEMPTS if generated else 1
        for attempt in range(attempts):
            if generated:
                meta["name"] = srv.generate_name(str(meta["generateName"]))
            errs = strategy.validate(obj)
            if errs:
                raise invalid(info, str(meta.get("name") or ""), errs)
            key = info.key(meta["name"], ns)
            if srv.store.get(key) is not None:
                if generated and attempt + 1 < attempts:
                    continue
                raise already_exists(info, meta["name"])
            if info.kind == "Service":
                allocate_service(srv.store, srv.rng, obj)
            return decode(self.write(key, obj, 0), owned=True)
        raise already_exists(info, meta["name"])  # pragma: no cover - loop always returns or raises

    # -- reads --------------------------------------------------------------------------------------
    def get(self, info: ResourceInfo, name: str, ns: str | None) -> Obj:
        return decode(self.get_kv(info, name, ns), owned=True)

    def list(self, info: ResourceInfo, ns: str | None, fields: tuple[FieldRequirement, ...],
             labels: Selector) -> list[Obj]:
        out = []
        for kv in self.server.store.range(info.key_prefix(ns)):
            obj = decode(kv, owned=True)
            if fields_match(obj, fields) and labels.matches(labels_of(obj)):
                out.append(obj)
        out.sort(key=lambda o: (o["metadata"].get("namespace") or "", o["metadata"]["name"]))
        return out

    # -- update -------------------------------------------------------------------------------------
    def update(self, info: ResourceInfo, obj: Obj, ns: str | None, status: bool, admit: UpdateAdmission) -> Obj:
        """``Store.Update`` (PUT of the object or of its ``/status``) with an optimistic-concurrency check."""
        meta = obj.get("metadata") or {}
        name = str(meta.get("name") or "")
        strategy = strategy_for(info)
        kv = self.get_kv(info, name, ns)
        current = decode(kv, owned=True)
        rv = meta.get("resourceVersion")
        if rv not in (None, "") and str(rv) != current["metadata"]["resourceVersion"]:
            raise conflict(info.qualified_resource, name, OPTIMISTIC_LOCK_ERROR_MSG)
        check_decodable(info, obj)
        if status:
            new = strategy.prepare_for_status_update(obj, current)
        else:
            new = admission.apply_defaults(obj)
            new_meta = new.setdefault("metadata", {})
            # system fields are not changeable by clients
            for k in ("uid", "creationTimestamp", "generation", "namespace"):
                if k in current["metadata"]:
                    new_meta[k] = current["metadata"][k]
                else:
                    new_meta.pop(k, None)
            strategy.prepare_for_update(new, current)
            admit(info, new, current)
            errs = strategy.validate_update(new, current)
            if errs:
                raise invalid(info, name, errs)
            if info.sets_generation and new.get("spec") != current.get("spec"):
                new_meta["generation"] = int(current["metadata"].get("generation", 0)) + 1
        new["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        errs = strategy.validate(new)
        if errs:
            raise invalid(info, name, errs)
        if new == current:
            return current  # no-op update: no etcd write, no watch event
        return decode(self.write(kv.key, new, kv.mod_revision), owned=True)

    def patch_status(self, info: ResourceInfo, name: str, ns: str | None, patch: Obj,
                     merge: Callable[[Obj, Obj], Obj]) -> Obj:
        """PATCH of ``/status``: no resourceVersion precondition; a ``metadata.uid`` in the patch must match."""
        kv = self.get_kv(info, name, ns)
        current = decode(kv, owned=True)
        uid = (patch.get("metadata") or {}).get("uid")
        if uid is not None and uid != current["metadata"].get("uid"):
            raise conflict(info.qualified_resource, name, _uid_precondition_failed(uid, current))
        new = clone(current)
        new["status"] = merge(current.get("status") or {}, patch.get("status") or {})
        errs = strategy_for(info).validate(new)
        if errs:
            raise invalid(info, name, errs)
        if new == current:
            return current
        return decode(self.write(kv.key, new, kv.mod_revision), owned=True)

    # -- delete -------------------------------------------------------------------------------------
    def delete(self, info: ResourceInfo, name: str, ns: str | None, resource_version: str | None,
               uid: str | None) -> Obj:
        """``Store.Delete`` with upstream's ``Preconditions``; a Namespace takes its content along."""
        kv = self.get_kv(info, name, ns)
        current = decode(kv, owned=True)
        if uid is not None and current["metadata"].get("uid") != uid:
            raise conflict(info.qualified_resource, name, _uid_precondition_failed(uid, current))
        if resource_version is not None and current["metadata"]["resourceVersion"] != resource_version:
            raise conflict(
                info.qualified_resource, name,
                f"Precondition failed: ResourceVersion in precondition: {resource_version}, "
                f"ResourceVersion in object meta: {current['metadata']['resourceVersion']}",
            )
        if info.kind == "Namespace" and name in IMMORTAL_NAMESPACES:
            # plugin/pkg/admission/namespace/lifecycle/admission.go
            raise forbidden(info, name, "this namespace may not be deleted")
        self.remove(kv.key, kv.mod_revision)
        if info.kind == "Namespace":
            self.purge_namespace(name)
        return current

    def purge_namespace(self, ns: str) -> None:
        """What the namespace controller eventually does after a Namespace is deleted: delete its content.

        Simplification: upstream first marks the Namespace ``Terminating`` (``deletionTimestamp`` + the
        ``kubernetes`` finalizer) and the namespace controller deletes the content before the Namespace goes.
        """
        for info in sorted(RESOURCES.values(), key=lambda r: r.etcd_prefix):
            if not info.namespaced:
                continue
            for kv in self.server.store.range(info.key_prefix(ns)):
                self.remove(kv.key, kv.mod_revision)

    # -- pods/binding -------------------------------------------------------------------------------
    def bind(self, namespace: str, pod_name: str, node_name: str, uid: str | None) -> Obj:
        """``BindingREST`` (``pkg/registry/core/pod/storage/storage.go``): sets ``spec.nodeName`` and
        ``PodScheduled=True``; 409 texts as upstream (already assigned, being deleted, scheduling gates, UID
        precondition when the binder sends the pod's ``uid``)."""
        kv = self.get_kv(RESOURCES["Pod"], pod_name, namespace)
        pod = decode(kv, owned=True)
        if uid is not None and pod["metadata"].get("uid") != uid:
            raise conflict("pods/binding", pod_name, _uid_precondition_failed(uid, pod))
        spec = pod.setdefault("spec", {})
        if pod["metadata"].get("deletionTimestamp"):
            raise conflict("pods/binding", pod_name, f"pod {pod_name} is being deleted, cannot be assigned to a host")
        if spec.get("nodeName"):
            raise conflict(
                "pods/binding", pod_name, f'pod {pod_name} is already assigned to node "{spec["nodeName"]}"'
            )
        if spec.get("schedulingGates"):
            raise conflict("pods/binding", pod_name, f"pod {pod_name} has non-empty .spec.schedulingGates")
        spec["nodeName"] = node_name
        # ClearingNominatedNodeNameAfterBinding: the nomination hint is stale once the pod is bound
        pod.setdefault("status", {}).pop("nominatedNodeName", None)
        conditions = pod.setdefault("status", {}).setdefault("conditions", [])
        now = self.server.clock.timestamp()
        for c in conditions:
            if c.get("type") == "PodScheduled":
                c.update({"status": "True", "lastTransitionTime": now})
                c.pop("reason", None)
                c.pop("message", None)
                break
        else:
            conditions.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": now})
        return decode(self.write(kv.key, pod, kv.mod_revision), owned=True)
