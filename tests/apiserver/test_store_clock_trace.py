"""The etcd-like store, the clock and the trace."""

from __future__ import annotations

import pytest

from k8sdocs.model.clock import Clock
from k8sdocs.model.store import CompareFailed, Store, WatchEvent
from k8sdocs.model.trace import Trace


def test_revisions_like_a_fresh_etcd():
    s = Store()
    assert s.revision == 1  # etcd reports revision 1 before the first write
    a = s.txn_put("/registry/pods/default/a", {"v": 1}, 0)
    assert (a.create_revision, a.mod_revision, a.version) == (2, 2, 1)
    s.put("/registry/pods/default/b", {"v": 1})
    a2 = s.txn_put("/registry/pods/default/a", {"v": 2}, 2)
    assert (a2.create_revision, a2.mod_revision, a2.version) == (2, 4, 2)
    s.delete("/registry/pods/default/b")
    assert s.revision == 5
    assert s.delete("/registry/pods/default/missing") is None and s.revision == 5


def test_compare_and_swap_on_mod_revision():
    s = Store()
    s.txn_put("/k", {"v": 1}, 0)
    with pytest.raises(CompareFailed):
        s.txn_put("/k", {"v": 2}, 0)  # create-only
    with pytest.raises(CompareFailed):
        s.txn_put("/k", {"v": 2}, 99)
    with pytest.raises(CompareFailed):
        s.txn_delete("/k", 1)
    assert s.get("/k").value == {"v": 1}


def test_range_is_ordered_by_key_and_prefix_bounded():
    s = Store()
    for k in ("/registry/pods/b/x", "/registry/pods/a/z", "/registry/podsx/a", "/registry/pods/a/y"):
        s.put(k, {})
    assert s.keys("/registry/pods/") == ["/registry/pods/a/y", "/registry/pods/a/z", "/registry/pods/b/x"]
    assert s.keys("/registry/pods/a/") == ["/registry/pods/a/y", "/registry/pods/a/z"]


def test_values_are_copies():
    s = Store()
    v = {"a": [1]}
    s.put("/k", v)
    v["a"].append(2)
    got = s.get("/k").value
    got["a"].append(3)
    assert s.get("/k").value == {"a": [1]}


def test_watch_from_revision_replays_then_follows():
    s = Store()
    s.put("/r/a", {"n": 1})  # rev 2
    s.put("/r/b", {"n": 1})  # rev 3
    s.delete("/r/a")  # rev 4
    seen: list[tuple[str, str, int]] = []
    s.watch("/r/", lambda e: seen.append((e.type, e.kv.key, e.revision)), start_revision=3)
    s.put("/r/c", {})
    s.put("/other", {})
    assert seen == [("PUT", "/r/b", 3), ("DELETE", "/r/a", 4), ("PUT", "/r/c", 5)]


def test_clock_orders_by_time_then_insertion():
    c = Clock()
    out: list[str] = []
    c.call_at(10, lambda: out.append("b"))
    c.call_at(5, lambda: out.append("a"))
    c.call_at(10, lambda: out.append("c"))
    tid = c.call_at(7, lambda: out.append("cancelled"))
    c.cancel(tid)
    assert c.pending() == 3
    c.run_until(9)
    assert out == ["a"] and c.now_ms == 9
    c.run_until(100)
    assert out == ["a", "b", "c"] and c.now_ms == 100


def test_callbacks_scheduled_while_running_are_run_if_due():
    c = Clock()
    out: list[int] = []

    def first() -> None:
        out.append(c.now_ms)
        c.call_later(0, lambda: out.append(c.now_ms))
        c.call_later(50, lambda: out.append(c.now_ms))

    c.call_at(10, first)
    c.run_until(30)
    assert out == [10, 10]
    c.run_until_idle(1000)
    assert out == [10, 10, 60] and c.now_ms == 60


def test_run_until_idle_stops_at_limit():
    c = Clock()
    c.call_at(500, lambda: None)
    c.call_at(2000, lambda: None)
    c.run_until_idle(1000)
    assert c.now_ms == 500 and c.pending() == 1


def test_trace_lines_are_deterministic_and_sorted_data():
    c = Clock()
    t = Trace(c)
    c.run_until(1234)
    e = t.record("etcd", "kube-apiserver", "etcd", "PUT /registry/pods/default/web-1", revision=12, key="/x")
    assert e.data == (("key", "/x"), ("revision", "12"))
    assert t.to_text() == "00001     1.234s etcd     kube-apiserver -> etcd: PUT /registry/pods/default/web-1 key=/x revision=12\n"
    with pytest.raises(ValueError):
        t.record("gossip", "a", "b", "c")


def test_a_watch_gets_copies_unless_it_only_reads() -> None:
    """Store.watch hands each watcher a copy of the event; the API server's watch cache, which only reads and decodes
    (a copy per delivered object, apiserver/watch.py), asks for the store's own event instead."""
    store = Store()
    copied: list[WatchEvent] = []
    shared: list[WatchEvent] = []
    store.watch("/registry/", copied.append)
    store.watch("/registry/", shared.append, copy_events=False)
    store.put("/registry/pods/default/a", {"metadata": {"name": "a"}})
    [event] = store.history("/registry/")
    assert shared[0] is event
    assert copied[0] == event and copied[0] is not event and copied[0].kv.value is not event.kv.value
    copied[0].kv.value["metadata"]["name"] = "cambiado"
    assert event.kv.value["metadata"]["name"] == "a"
