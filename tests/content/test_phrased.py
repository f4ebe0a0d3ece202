"""The phrasebook seam (issue #14 item 1): decisions are codes + fields in the model, sentences on the page."""

from __future__ import annotations

from k8sdocs.content.phrased import phrase_events
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import Trace
from k8sdocs.render import phrasebook


def test_decide_records_a_code_and_fields_and_no_sentence():
    trace = Trace(Clock())
    ev = trace.decide("podgc", "SomeReason", pod="default/a", count=2)
    assert (ev.kind, ev.source, ev.target, ev.code, ev.summary) == ("decision", "podgc", "podgc", "SomeReason", "SomeReason")
    assert dict(ev.data) == {"pod": "default/a", "count": "2"}


def test_a_decision_with_a_phrase_shows_the_sentence(monkeypatch):
    monkeypatch.setitem(phrasebook.PHRASES, "SomeReason", lambda f: f"borra {f['pod']} ({f['count']})")
    trace = Trace(Clock())
    trace.decide("podgc", "SomeReason", pod="default/a", count=2)
    trace.record("request", "podgc", "kube-apiserver", "DELETE /api/v1/namespaces/default/pods/a")
    phrased = phrase_events(trace.events)
    assert [e.summary for e in phrased] == ["borra default/a (2)", "DELETE /api/v1/namespaces/default/pods/a"]


def test_an_unknown_code_is_a_key_error_naming_the_code():
    try:
        phrasebook.sentence("NoSuchReason", {})
    except KeyError as err:
        assert "NoSuchReason" in str(err)
    else:
        raise AssertionError("expected a KeyError")
