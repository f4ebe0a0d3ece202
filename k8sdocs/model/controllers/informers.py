"""Informers and work queues, as client-go gives them to controllers (``tools/cache``, ``util/workqueue``).

An :class:`Informer` keeps a local cache of one kind, filled by ONE watch through the API server; handlers
(``on_add``, ``on_update``, ``on_delete``) run in registration order on every notification, as a shared
informer's listeners do. As with client-go's listers and event handlers, the objects handed out are shared with
the cache and must be treated as read-only: copy (``copy.deepcopy``) before changing one. ``get`` returns a copy. A :class:`WorkQueue` deduplicates keys and runs the controller's sync for each key in
its own clock callback (never inside the watch handler). Both are deterministic: caches are listed sorted by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers.controller_utils import object_key
from k8sdocs.model.objcopy import clone

AddFn = Callable[[dict[str, Any]], None]
UpdateFn = Callable[[dict[str, Any], dict[str, Any]], None]
DeleteFn = Callable[[dict[str, Any]], None]


@dataclass
class _Handler:
    on_add: AddFn | None
    on_update: UpdateFn | None
    on_delete: DeleteFn | None


class Informer:
    def __init__(self, client: Any, kind: str, namespace: str | None = None, field_selector: str | None = None) -> None:
        self.client = client
        self.kind = kind
        self.namespace = namespace
        self.field_selector = field_selector
        self.cache: dict[str, dict[str, Any]] = {}
        self._handlers: list[_Handler] = []
        self.watch_id: int | None = None

    def add_handler(self, on_add: AddFn | None = None, on_update: UpdateFn | None = None,
                    on_delete: DeleteFn | None = None) -> None:
        self._handlers.append(_Handler(on_add, on_update, on_delete))

    def start(self) -> None:
        if self.watch_id is None:
            self.watch_id = self.client.watch(self.kind, self._on_event, namespace=self.namespace,
                                              field_selector=self.field_selector)

    def stop(self) -> None:
        if self.watch_id is not None:
            self.client.stop_watch(self.watch_id)
            self.watch_id = None

    def _on_event(self, event_type: str, obj: dict[str, Any]) -> None:
        key = object_key(obj)
        if event_type == "DELETED":
            gone = self.cache.pop(key, obj)
            for h in list(self._handlers):
                if h.on_delete:
                    h.on_delete(obj if obj else gone)
            return
        old = self.cache.get(key)
        self.cache[key] = obj
        for h in list(self._handlers):
            if old is None:
                if h.on_add:
                    h.on_add(obj)
            elif h.on_update:
                h.on_update(old, obj)

    # -- lister -------------------------------------------------------------------------------------------------
    def get(self, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        obj = self.cache.get(f"{namespace}/{name}" if namespace else name)
        return clone(obj) if obj is not None else None

    def list(self, namespace: str | None = None) -> list[dict[str, Any]]:
        """The cached objects sorted by key (shared with the cache: read-only)."""
        return [obj for key, obj in sorted(self.cache.items())
                if namespace is None or (obj.get("metadata") or {}).get("namespace") == namespace]


class SharedInformerFactory:
    """One informer per (kind, namespace), shared by every controller of a kube-controller-manager."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._informers: dict[tuple[str, str | None], Informer] = {}

    def informer(self, kind: str, namespace: str | None = None) -> Informer:
        key = (kind, namespace)
        if key not in self._informers:
            self._informers[key] = Informer(self.client, kind, namespace)
        return self._informers[key]

    def start(self) -> None:
        for key in sorted(self._informers, key=lambda k: (k[0], k[1] or "")):
            self._informers[key].start()


@dataclass
class WorkQueue:
    """A deduplicating queue: ``add(key)`` schedules ``process(key)`` in a new clock callback unless the key is
    already waiting. A sync that raises is retried with the default controller rate limiter's per-item
    exponential backoff (5 ms doubling, ``workqueue.DefaultTypedControllerRateLimiter``)."""

    clock: Clock
    process: Callable[[str], None]
    name: str
    _pending: set[str] = field(default_factory=set)
    _failures: dict[str, int] = field(default_factory=dict)
    _waiting: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (ready at, timer id)

    def add(self, key: str) -> None:
        if key in self._pending:
            return
        self._pending.add(key)
        self.clock.call_later(0, lambda: self._run(key), f"{self.name} sync {key}")

    def add_after(self, key: str, delay_ms: int) -> int:
        """``AddAfter``: one waiting entry per key, the earliest wins (``delaying_queue.go``)."""
        ready_at = self.clock.now_ms + max(0, int(delay_ms))
        waiting = self._waiting.get(key)
        if waiting is not None:
            if waiting[0] <= ready_at:
                return waiting[1]
            self.clock.cancel(waiting[1])

        def fire() -> None:
            self._waiting.pop(key, None)
            self.add(key)

        timer = self.clock.call_at(ready_at, fire, f"{self.name} requeue {key}")
        self._waiting[key] = (ready_at, timer)
        return timer

    def _run(self, key: str) -> None:
        self._pending.discard(key)
        try:
            self.process(key)
        except Exception as err:  # noqa: BLE001 - any sync error requeues the key, as processNextWorkItem does
            from k8sdocs.model.apiserver.errors import APIError

            if not isinstance(err, APIError):
                raise
            n = self._failures.get(key, 0)
            self._failures[key] = n + 1
            self.add_after(key, min(5 * 2**n, 1000 * 1000))
        else:
            self._failures.pop(key, None)
