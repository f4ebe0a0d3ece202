"""garbage-collector-controller (``pkg/controller/garbagecollector/garbagecollector.go`` and ``graph_builder.go``).

Keeps a graph of owners and dependents from ``metadata.ownerReferences`` of the watched kinds. When an owner is
gone (deleted, or a reference whose UID does not exist), each dependent is processed as ``attemptToDeleteItem``
does: with no owner left it is deleted (background cascading deletion, as ``kubectl delete`` requests by
default) with a UID precondition; with some owners left, only the dangling references are removed. Deleting a
Deployment thus removes its ReplicaSets and then their Pods; deleting a Service removes its EndpointSlices; a
deleted Node takes its Lease along.

Simplifications (documented): only the kinds in :data:`WATCHED_KINDS` are in the graph (an owner of another kind
is checked with a GET); no ``foreground`` deletion and no ``orphan`` propagation (the API server model deletes
immediately and has no finalizers).
"""

from __future__ import annotations

from typing import Any

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers.informers import SharedInformerFactory
from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.trace import ObjectRef, Trace

NAME = "generic-garbage-collector"  # the client kube-controller-manager builds for the garbage collector

WATCHED_KINDS = ("Deployment", "ReplicaSet", "Pod", "Service", "EndpointSlice", "Node", "Lease",
                 "DaemonSet", "StatefulSet", "ConfigMap", "Secret")

ObjRef = tuple[str, str, str]  # kind, namespace ("" when cluster-scoped), name


def _ref(obj: dict[str, Any]) -> ObjRef:
    meta = obj.get("metadata") or {}
    return str(obj.get("kind")), meta.get("namespace") or "", str(meta.get("name"))


class GarbageCollector:
    def __init__(self, client: Any, clock: Clock, trace: Trace, informers: SharedInformerFactory | None = None,
                 kinds: tuple[str, ...] = WATCHED_KINDS) -> None:
        self.client = client
        self.clock = clock
        self.trace = trace
        self.informers = informers or SharedInformerFactory(client)
        self.kinds = tuple(k for k in kinds if k in RESOURCES)
        self.uid_to_ref: dict[str, ObjRef] = {}
        self.dependents: dict[str, set[ObjRef]] = {}
        self._attempts: set[ObjRef] = set()

    def start(self) -> None:
        for kind in self.kinds:
            inf = self.informers.informer(kind)
            inf.add_handler(self._added, lambda old, new: self._added(new), self._deleted)
        self.informers.start()

    # -- graph_builder ----------------------------------------------------------------------------------------
    def _added(self, obj: dict[str, Any]) -> None:
        uid = (obj.get("metadata") or {}).get("uid")
        ref = _ref(obj)
        if uid:
            self.uid_to_ref[uid] = ref
        for owner in (obj.get("metadata") or {}).get("ownerReferences") or []:
            self.dependents.setdefault(owner.get("uid"), set()).add(ref)
            if owner.get("uid") not in self.uid_to_ref:
                self._enqueue(ref)  # an owner this graph has not seen (yet): verify it

    def _deleted(self, obj: dict[str, Any]) -> None:
        uid: str = (obj.get("metadata") or {}).get("uid") or ""
        self.uid_to_ref.pop(uid, None)
        for dep in sorted(self.dependents.pop(uid, set())):
            self._enqueue(dep)

    def _enqueue(self, ref: ObjRef) -> None:
        if ref in self._attempts:
            return
        self._attempts.add(ref)
        self.clock.call_later(0, lambda: self._attempt_to_delete(ref), f"{NAME} {ref[0]} {ref[1]}/{ref[2]}")

    # -- attemptToDeleteItem ----------------------------------------------------------------------------------
    def _owner_exists(self, owner: dict[str, Any], dep_ns: str) -> bool:
        uid = owner.get("uid")
        if uid in self.uid_to_ref:
            return True
        kind = owner.get("kind")
        info = RESOURCES.get(str(kind))
        if info is None:
            return False
        if kind in self.kinds:
            return False  # the graph sees every object of this kind
        try:
            live = self.client.get(str(kind), str(owner.get("name")), dep_ns if info.namespaced else None)
        except APIError as err:
            if err.code == 404:
                return False
            raise
        return (live.get("metadata") or {}).get("uid") == uid

    def _attempt_to_delete(self, ref: ObjRef) -> None:
        self._attempts.discard(ref)
        kind, ns, name = ref
        if kind not in self.kinds:
            return
        obj = self.informers.informer(kind).get(name, ns or None)
        if obj is None:
            return
        owners = (obj.get("metadata") or {}).get("ownerReferences") or []
        if not owners:
            return
        dangling = [o for o in owners if not self._owner_exists(o, ns)]
        if not dangling:
            return
        if len(dangling) == len(owners):
            self.trace.decide(NAME, "OwnersGone", obj=ObjectRef(kind, ns or None, name), object_kind=kind,
                              namespace=ns or None, name=name,
                              owners=",".join(f"{o.get('kind')} {o.get('name')}" for o in dangling))
            try:
                self.client.delete(kind, name, ns or None, uid=(obj.get("metadata") or {}).get("uid"))
            except APIError as err:
                if err.code not in (404, 409):
                    raise
            return
        # some owners are still there: remove only the dangling references
        self.trace.decide(NAME, "DanglingOwnerReferencesRemoved", obj=ObjectRef(kind, ns or None, name),
                          object_kind=kind, namespace=ns or None, name=name)
        obj["metadata"]["ownerReferences"] = [o for o in owners if o not in dangling]
        try:
            self.client.update(obj)
        except APIError as err:
            if err.code == 409:
                self._enqueue(ref)
            elif err.code != 404:
                raise
