"""A thin client bound to one component name, as a client-go ``Clientset`` is: every call is one request to
kube-apiserver (:class:`~k8sdocs.model.apiserver.server.APIServer`), which does all the work."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import TYPE_CHECKING

from k8sdocs.model.apiserver import events
from k8sdocs.model.apiserver.codec import Obj
from k8sdocs.model.apiserver.selectors import LabelSelectorArg
from k8sdocs.model.apiserver.watch import WatchHandler

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.server import APIServer


@dataclass
class Client:
    """A client bound to one component name (``kubectl``, ``kube-scheduler``, ``kubelet/node-1``...)."""

    server: APIServer
    actor: str

    def create(self, obj: Obj) -> Obj:
        return self.server.handle_create(self.actor, obj)

    def get(self, kind: str, name: str, namespace: str | None = None) -> Obj:
        return self.server.handle_get(self.actor, kind, name, namespace)

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        label_selector: LabelSelectorArg = None,
        field_selector: str | None = None,
    ) -> list[Obj]:
        return self.server.handle_list(self.actor, kind, namespace, label_selector, field_selector)

    def list_with_version(
        self,
        kind: str,
        namespace: str | None = None,
        label_selector: LabelSelectorArg = None,
        field_selector: str | None = None,
    ) -> tuple[builtins.list[Obj], str]:
        """:meth:`list` plus the list's ``metadata.resourceVersion`` (the store revision), for list-then-watch."""
        items = self.list(kind, namespace, label_selector, field_selector)
        return items, str(self.server.store.revision)

    def update(self, obj: Obj) -> Obj:
        return self.server.handle_update(self.actor, obj, status=False)

    def update_status(self, obj: Obj) -> Obj:
        return self.server.handle_update(self.actor, obj, status=True)

    def patch_status(self, kind: str, name: str, patch: Obj, namespace: str | None = None) -> Obj:
        """``PATCH <object>/status`` with a strategic-merge patch (``application/strategic-merge-patch+json``), as the
        kubelet sends Pod and Node status (pkg/util/pod ``PatchPodStatus``, component-helpers ``PatchNodeStatus``).
        No resourceVersion precondition; a ``metadata.uid`` in the patch must match the stored object's uid."""
        return self.server.handle_patch_status(self.actor, kind, name, patch, namespace)

    def scale(self, kind: str, name: str, replicas: int, namespace: str | None = None) -> Obj:
        """``kubectl scale``: PATCH of the ``/scale`` subresource, which sets ``spec.replicas``."""
        return self.server.handle_scale(self.actor, kind, name, replicas, namespace)

    def delete(
        self, kind: str, name: str, namespace: str | None = None, *,
        resource_version: str | None = None, uid: str | None = None,
    ) -> Obj:
        """DELETE: the object leaves etcd at once and the deleted object is returned.

        Simplification: no graceful deletion. Upstream a Pod first gets ``deletionTimestamp`` and
        ``deletionGracePeriodSeconds`` (``terminationGracePeriodSeconds``, 30 s by default), the kubelet stops its
        containers and then deletes it with grace 0; here the Pod disappears immediately and watchers see
        ``DELETED`` (the kubelet reacts to that). Optional ``uid`` / ``resource_version`` preconditions give
        upstream's 409 ``Precondition failed`` texts.
        """
        return self.server.handle_delete(self.actor, kind, name, namespace, resource_version, uid)

    def bind(self, namespace: str, pod_name: str, node_name: str, *, uid: str | None = None) -> Obj:
        """POST ``pods/<name>/binding``: sets ``spec.nodeName`` and ``PodScheduled=True``."""
        return self.server.handle_bind(self.actor, namespace, pod_name, node_name, uid)

    def record_event(
        self, involved: Obj, event_type: str, reason: str, message: str, action: str = "", *,
        field_path: str | None = None, component: str | None = None,
    ) -> Obj:
        """Create a core/v1 Event about ``involved``, or bump the count of an identical one
        (:func:`k8sdocs.model.apiserver.events.record_event`)."""
        return events.record_event(self.server, self.actor, involved, event_type, reason, message, action,
                                   field_path=field_path, component=component)

    def watch(
        self,
        kind: str,
        handler: WatchHandler,
        namespace: str | None = None,
        field_selector: str | None = None,
        label_selector: LabelSelectorArg = None,
        *,
        resource_version: str | None = None,
    ) -> int:
        """Watch ``kind``; ``resource_version`` (from :meth:`list_with_version`) resumes after that revision
        instead of starting with the current objects as ADDED."""
        return self.server.handle_watch(self.actor, kind, handler, namespace, field_selector, label_selector,
                                        resource_version)

    def stop_watch(self, watch_id: int) -> None:
        self.server.stop_watch(watch_id)
