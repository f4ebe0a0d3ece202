"""Watches: the watch cache between etcd and the clients (``staging/src/k8s.io/apiserver/pkg/storage/cacher``).

Every store event is translated for each open watch as the cacher's ``cacheWatcher`` does and delivered through the
clock (never synchronously inside the writer's call), in store-revision order, traced as
``kube-apiserver -> <actor>`` (kind ``watch``, ``ADDED Pod default/web-1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from k8sdocs.model.api.labels import Selector
from k8sdocs.model.apiserver.codec import Obj, decode, object_ref, object_ref_of
from k8sdocs.model.apiserver.errors import bad_request
from k8sdocs.model.apiserver.selectors import FieldRequirement, fields_match, labels_of
from k8sdocs.model.clock import Clock
from k8sdocs.model.resources import ResourceInfo
from k8sdocs.model.store import Store, WatchEvent
from k8sdocs.model.trace import Trace

#: What a watcher is called with: the event type (ADDED, MODIFIED, DELETED) and a copy of the object.
WatchHandler = Callable[[str, Obj], None]


@dataclass
class Watcher:
    """One open watch (``cacheWatcher``): who asked, for which resource, namespace and selectors."""

    watch_id: int
    actor: str
    info: ResourceInfo
    namespace: str | None
    fields: tuple[FieldRequirement, ...]
    labels: Selector
    handler: WatchHandler
    active: bool = True

    def matches(self, obj: Obj | None) -> bool:
        if obj is None:
            return False
        if self.namespace and (obj.get("metadata") or {}).get("namespace") != self.namespace:
            return False
        return fields_match(obj, self.fields) and self.labels.matches(labels_of(obj))


class WatchCache:
    """The open watches of one API server, fed by one store watch on ``/registry/``."""

    def __init__(self, store: Store, clock: Clock, trace: Trace, latency_ms: int = 0) -> None:
        self.store = store
        self.clock = clock
        self.trace = trace
        self.latency_ms = latency_ms
        self._watches: dict[int, Watcher] = {}
        self._next_watch = 0
        # The store's events are read, never changed, here: each delivered object is decoded (copied) on its own.
        store.watch("/registry/", self._on_store_event, copy_events=False)

    def new_watch_id(self) -> int:
        self._next_watch += 1
        return self._next_watch

    def add(self, w: Watcher, resource_version: str | None = None) -> None:
        """Start ``w``: without ``resource_version`` the current objects come first as ADDED (as a watch with
        ``resourceVersion`` unset / ``"0"``); with one, every change after that revision is replayed in order."""
        self._watches[w.watch_id] = w
        if resource_version in (None, "", "0"):
            for kv in self.store.range(w.info.key_prefix(w.namespace)):
                obj = decode(kv)
                if w.matches(obj):
                    self._schedule(w, "ADDED", obj)
            return
        try:
            start = int(str(resource_version)) + 1
        except ValueError:
            raise bad_request(f'invalid resource version "{resource_version}"') from None
        for ev in self.store.history(w.info.key_prefix(w.namespace), start):
            for event_type, obj in self._translate(w, ev):
                self._schedule(w, event_type, obj)

    def stop(self, watch_id: int) -> None:
        w = self._watches.pop(watch_id, None)
        if w is not None:
            w.active = False

    def _on_store_event(self, ev: WatchEvent) -> None:
        for wid in sorted(self._watches):
            w = self._watches[wid]
            for event_type, obj in self._translate(w, ev):
                self._schedule(w, event_type, obj)

    def _translate(self, w: Watcher, ev: WatchEvent) -> list[tuple[str, Obj]]:
        """One store event as this watcher sees it.

        Cacher filtering (``staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go``,
        ``convertToWatchEvent``): both states match -> MODIFIED; only the new one -> ADDED; only the old one ->
        DELETED carrying the *previous* content with the event's resourceVersion.
        """
        if not ev.kv.key.startswith(w.info.key_prefix(w.namespace)):
            return []
        if ev.type == "DELETE":
            if ev.prev_kv is None or not w.matches(ev.prev_kv.value):
                return []
            return [("DELETED", decode(ev.prev_kv, ev.revision))]
        # Matching reads the stored values as they are (namespace, labels, supported fields: never
        # resourceVersion); only what is delivered is decoded, one copy per watcher and event.
        cur_ok = w.matches(ev.kv.value)
        old_ok = w.matches(ev.prev_kv.value if ev.prev_kv else None)
        if cur_ok and old_ok:
            return [("MODIFIED", decode(ev.kv))]
        if cur_ok:
            return [("ADDED", decode(ev.kv))]
        if old_ok and ev.prev_kv is not None:
            return [("DELETED", decode(ev.prev_kv, ev.revision))]
        return []

    def _schedule(self, w: Watcher, event_type: str, obj: Obj) -> None:
        def deliver() -> None:
            if not w.active:
                return
            self.trace.record(
                "watch", "kube-apiserver", w.actor, f"{event_type} {object_ref(obj)}",
                obj=object_ref_of(obj), op=event_type, resourceVersion=obj["metadata"].get("resourceVersion"),
            )
            w.handler(event_type, obj)  # a fresh decode of this watcher's own: nobody else holds it

        self.clock.call_later(self.latency_ms, deliver, f"watch {w.actor} {event_type} {object_ref(obj)}")
