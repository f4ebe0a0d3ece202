"""An etcd-like key-value store: ordered keys, one global revision, per-key revisions, watches.

Modelled on etcd v3's MVCC store as kube-apiserver uses it
(``staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go``):

* **Revision.** A fresh etcd cluster reports revision ``1`` before any write; every write
  (put or delete) increments the global revision by one and the write takes that value.
  So the first write of a brand-new store gets revision ``2``, as with a new etcd.
* **Per key** (``mvccpb.KeyValue``): ``create_revision`` (revision of the put that created the key),
  ``mod_revision`` (revision of its last put), ``version`` (number of puts since creation, 1 on create).
* **Compare-and-swap** (``txn``): kube-apiserver creates with ``If(ModRevision(key) == 0)`` and updates
  with ``If(ModRevision(key) == <rv read>)``; :meth:`Store.txn_put` / :meth:`Store.txn_delete` do the same.
* **Watch** from a revision: every past event with revision ``>= start_revision`` for keys under the prefix
  is replayed, then new events are passed on as they happen (synchronously: the store is a library;
  kube-apiserver turns them into clock-driven notifications).
* Compaction is not modelled: the whole history is kept.

Values are deep copies of dicts on the way in and out; no caller ever shares a dict with the store.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Callable

from k8sdocs.model.objcopy import clone

INITIAL_REVISION = 1


@dataclass(frozen=True)
class KeyValue:
    key: str
    value: dict[str, Any]
    create_revision: int
    mod_revision: int
    version: int


@dataclass(frozen=True)
class WatchEvent:
    type: str  # "PUT" | "DELETE"
    kv: KeyValue  # for DELETE: the key with the last value, mod_revision = the delete's revision
    prev_kv: KeyValue | None
    revision: int


class CompareFailed(Exception):
    """The txn's ``ModRevision(key) == expected`` comparison was false."""

    def __init__(self, key: str, expected: int, actual: int) -> None:
        super().__init__(f"compare failed on {key}: expected mod_revision {expected}, found {actual}")
        self.key = key
        self.expected = expected
        self.actual = actual


@dataclass
class _Watcher:
    prefix: str
    callback: Callable[[WatchEvent], None]
    copies: bool = True


class Store:
    def __init__(self) -> None:
        self.revision: int = INITIAL_REVISION
        self._keys: list[str] = []  # sorted
        self._data: dict[str, KeyValue] = {}
        self._history: list[WatchEvent] = []
        self._watchers: dict[int, _Watcher] = {}
        self._next_watch = 0

    # -- reads --------------------------------------------------------------------------
    def get(self, key: str) -> KeyValue | None:
        kv = self._data.get(key)
        return _copy(kv) if kv else None

    def mod_revision(self, key: str) -> int:
        """0 when the key does not exist (as etcd's compare on a missing key)."""
        kv = self._data.get(key)
        return kv.mod_revision if kv else 0

    def range(self, prefix: str) -> list[KeyValue]:
        """All live keys starting with ``prefix``, in key order."""
        start = bisect.bisect_left(self._keys, prefix)
        out: list[KeyValue] = []
        for key in self._keys[start:]:
            if not key.startswith(prefix):
                break
            out.append(_copy(self._data[key]))
        return out

    def keys(self, prefix: str = "") -> list[str]:
        return [kv.key for kv in self.range(prefix)]

    def history(self, prefix: str = "", start_revision: int = 0) -> list[WatchEvent]:
        return [e for e in self._history if e.revision >= start_revision and e.kv.key.startswith(prefix)]

    # -- writes -------------------------------------------------------------------------
    def put(self, key: str, value: dict[str, Any]) -> KeyValue:
        """Unconditional put."""
        return self._put(key, value)

    def txn_put(self, key: str, value: dict[str, Any], expected_mod_revision: int) -> KeyValue:
        """``If(ModRevision(key) == expected).Then(Put)``; ``expected == 0`` means "must not exist"."""
        actual = self.mod_revision(key)
        if actual != expected_mod_revision:
            raise CompareFailed(key, expected_mod_revision, actual)
        return self._put(key, value)

    def delete(self, key: str) -> KeyValue | None:
        """Unconditional delete; returns the deleted key (``None`` if absent, no revision bump)."""
        if key not in self._data:
            return None
        return self._delete(key)

    def txn_delete(self, key: str, expected_mod_revision: int) -> KeyValue:
        actual = self.mod_revision(key)
        if actual != expected_mod_revision or actual == 0:
            raise CompareFailed(key, expected_mod_revision, actual)
        return self._delete(key)

    def _put(self, key: str, value: dict[str, Any]) -> KeyValue:
        self.revision += 1
        prev = self._data.get(key)
        kv = KeyValue(
            key=key,
            value=clone(value),
            create_revision=prev.create_revision if prev else self.revision,
            mod_revision=self.revision,
            version=prev.version + 1 if prev else 1,
        )
        if prev is None:
            bisect.insort(self._keys, key)
        self._data[key] = kv
        self._emit(WatchEvent("PUT", kv, prev, self.revision))
        return _copy(kv)

    def _delete(self, key: str) -> KeyValue:
        self.revision += 1
        prev = self._data.pop(key)
        self._keys.pop(bisect.bisect_left(self._keys, key))
        tomb = KeyValue(key, prev.value, prev.create_revision, self.revision, 0)
        self._emit(WatchEvent("DELETE", tomb, prev, self.revision))
        return _copy(prev)

    # -- watches ------------------------------------------------------------------------
    def watch(self, prefix: str, callback: Callable[[WatchEvent], None], start_revision: int | None = None,
              copy_events: bool = True) -> int:
        """Call ``callback`` for every event under ``prefix``; replay history from ``start_revision`` first.

        Each event is a copy, unless ``copy_events`` is False: then the callback gets the store's own event and
        must not change it (the API server's watch cache, which only reads and decodes)."""
        self._next_watch += 1
        wid = self._next_watch
        if start_revision is not None:
            for event in self.history(prefix, start_revision):
                callback(_copy_event(event) if copy_events else event)
        self._watchers[wid] = _Watcher(prefix, callback, copy_events)
        return wid

    def cancel_watch(self, watch_id: int) -> None:
        self._watchers.pop(watch_id, None)

    def _emit(self, event: WatchEvent) -> None:
        self._history.append(event)
        for wid in sorted(self._watchers):
            w = self._watchers.get(wid)
            if w is not None and event.kv.key.startswith(w.prefix):
                w.callback(_copy_event(event) if w.copies else event)


def _copy(kv: KeyValue) -> KeyValue:
    return KeyValue(kv.key, clone(kv.value), kv.create_revision, kv.mod_revision, kv.version)


def _copy_event(e: WatchEvent) -> WatchEvent:
    return WatchEvent(e.type, _copy(e.kv), _copy(e.prev_kv) if e.prev_kv else None, e.revision)
