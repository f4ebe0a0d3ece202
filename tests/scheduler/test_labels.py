"""Label selectors (apimachinery labels/selector.go and meta/v1 helpers.go LabelSelectorAsSelector semantics)."""

import pytest

from k8sdocs.model.labels import SelectorError, label_selector, matches_label_selector, parse_selector


def test_nil_selector_matches_nothing_and_empty_matches_everything():
    assert not matches_label_selector(None, {"a": "b"})
    assert matches_label_selector({}, {})
    assert matches_label_selector({"matchLabels": {}, "matchExpressions": []}, {"x": "y"})


def test_notin_and_doesnotexist_match_absent_keys():
    sel = {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]},
                                {"key": "legacy", "operator": "DoesNotExist"}]}
    assert matches_label_selector(sel, {})
    assert not matches_label_selector(sel, {"tier": "db"})
    assert not matches_label_selector(sel, {"legacy": ""})


def test_invalid_operator_is_rejected_with_upstream_text():
    with pytest.raises(SelectorError) as exc:
        label_selector({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]})
    assert str(exc.value) == '"Gt" is not a valid label selector operator'


def test_string_selector():
    sel = parse_selector("app=web,tier in (a, b),!legacy,env!=prod")
    assert sel.matches({"app": "web", "tier": "b"})
    assert sel.matches({"app": "web", "tier": "a", "env": "dev"})
    assert not sel.matches({"app": "web", "tier": "a", "legacy": "1"})
    assert not sel.matches({"app": "web", "tier": "c"})
    assert not sel.matches({"app": "web", "tier": "a", "env": "prod"})
