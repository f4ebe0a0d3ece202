"""Label selectors (apimachinery labels/selector.go and meta/v1 helpers.go LabelSelectorAsSelector semantics), from
the model's one implementation, k8sdocs.model.api.labels."""

import pytest

from k8sdocs.model.api.labels import SelectorParseError, label_selector_as_selector, parse, selector_from_set


def _matches(selector, labels):
    return label_selector_as_selector(selector).matches(labels)


def test_nil_selector_matches_nothing_and_empty_matches_everything():
    assert not _matches(None, {"a": "b"})
    assert _matches({}, {})
    assert _matches({"matchLabels": {}, "matchExpressions": []}, {"x": "y"})


def test_notin_and_doesnotexist_match_absent_keys():
    sel = {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]},
                                {"key": "legacy", "operator": "DoesNotExist"}]}
    assert _matches(sel, {})
    assert not _matches(sel, {"tier": "db"})
    assert not _matches(sel, {"legacy": ""})


def test_invalid_operator_is_rejected_with_upstream_text():
    with pytest.raises(SelectorParseError) as exc:
        label_selector_as_selector({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]})
    assert str(exc.value) == '"Gt" is not a valid label selector operator'


def test_string_selector():
    sel = parse("app=web,tier in (a, b),!legacy,env!=prod")
    assert sel.matches({"app": "web", "tier": "b"})
    assert sel.matches({"app": "web", "tier": "a", "env": "dev"})
    assert not sel.matches({"app": "web", "tier": "a", "legacy": "1"})
    assert not sel.matches({"app": "web", "tier": "c"})
    assert not sel.matches({"app": "web", "tier": "a", "env": "prod"})


# -- differences between the model's former fast matcher (k8sdocs/model/labels.py) and upstream, resolved for upstream


def test_label_selector_as_selector_validates_keys_and_values_as_new_requirement():
    """helpers.go: every matchLabels entry and expression goes through labels.NewRequirement, so a bad key or value
    is an error (the former matcher accepted any key)."""
    with pytest.raises(SelectorParseError) as exc:
        label_selector_as_selector({"matchLabels": {"bad key": "x"}})
    assert str(exc.value).startswith('key: Invalid value: "bad key": name part must consist of')
    with pytest.raises(SelectorParseError) as exc:
        label_selector_as_selector({"matchLabels": {"app": "-web"}})
    assert str(exc.value).startswith('values[0][app]: Invalid value: "-web": a valid label must be')


def test_in_without_values_prints_a_nil_slice():
    """``append([]string(nil), expr.Values...)`` is nil for no values: field.Invalid prints ``[]string(nil)``."""
    for values in (None, []):
        expr = {"key": "a", "operator": "In"}
        if values is not None:
            expr["values"] = values
        with pytest.raises(SelectorParseError) as exc:
            label_selector_as_selector({"matchExpressions": [expr]})
        assert str(exc.value) == ("values: Invalid value: []string(nil): "
                                  "for 'in', 'notin' operators, values set can't be empty")


def test_parse_supports_gt_lt_and_upstream_errors():
    """labels.Parse knows ``>``/``<`` (the former parser read ``a>1`` as an Exists key) and reports upstream's text."""
    sel = parse("replicas>2")
    assert sel.matches({"replicas": "3"}) and not sel.matches({"replicas": "2"})
    with pytest.raises(SelectorParseError) as exc:
        parse("a in (x")
    assert str(exc.value) == "unable to parse requirement: found '', expected: ',' or ')'"


def test_selector_from_set_is_equals_sorted_by_key():
    sel = selector_from_set({"b": "2", "a": "1"})
    assert sel.string() == "a=1,b=2"
    assert selector_from_set({}).empty() and selector_from_set(None).matches({"x": "y"})
