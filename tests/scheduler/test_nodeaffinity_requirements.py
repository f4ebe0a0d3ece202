"""component-helpers nodeaffinity over labels.NewRequirement (k8sdocs.model.api.nodeaffinity).

Each test pins a place where the model's former copies (scheduler/plugins/helper/node_selector.py's own
NewRequirement, PodTopologySpread's local node_selector_requirement) differed from upstream
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go and
staging/src/k8s.io/apimachinery/pkg/labels/selector.go ``NewRequirement``; upstream won.
"""

from k8sdocs.model.api.nodeaffinity import LazyErrorNodeSelector
from k8sdocs.model.scheduler.plugins.podtopologyspread.node_filters import required_node_affinity_matches


def _errors(*exprs: dict) -> list[str]:
    return LazyErrorNodeSelector.parse({"nodeSelectorTerms": [{"matchExpressions": list(exprs)}]}).errors()


P = "nodeSelectorTerms[0].matchExpressions[0]"


def test_unsupported_operator_is_field_not_supported():
    """nodeSelectorRequirementsAsSelector: field.NotSupported(p.Child("operator"), op, validSelectorOperators)."""
    assert _errors({"key": "a", "operator": "Foo"}) == [
        f'{P}.operator: Unsupported value: "Foo": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"'
    ]


def test_values_are_validated_for_every_operator():
    """NewRequirement validates each value as a label value whatever the operator (formerly In/NotIn only), at
    ``values[i][key]`` (validateLabelValue's path.Key(k))."""
    errs = _errors({"key": "b", "operator": "Exists", "values": ["x y"]})
    assert errs[0] == f'{P}.values: Invalid value: []string{{"x y"}}: values set must be empty for exists and does not exist'
    assert errs[1].startswith(f'{P}.values[0][b]: Invalid value: "x y": a valid label must be')
    assert len(errs) == 2


def test_gt_lt_checks_every_value_is_an_integer():
    """With a wrong number of values, NewRequirement still checks each value with strconv.ParseInt."""
    assert _errors({"key": "c", "operator": "Gt", "values": ["1", "z"]}) == [
        f'{P}.values: Invalid value: []string{{"1", "z"}}: for \'Gt\', \'Lt\' operators, exactly one value is required',
        f'{P}.values[1]: Invalid value: "z": for \'Gt\', \'Lt\' operators, the value must be an integer',
    ]


def test_bad_key_is_one_error_with_the_messages_joined():
    """validateLabelKey: field.Invalid(path, k, strings.Join(errs, "; ")), one error (formerly one per message)."""
    errs = _errors({"key": "-bad/-bad", "operator": "Exists"})
    assert len(errs) == 1
    assert errs[0].startswith(f'{P}.key: Invalid value: "-bad/-bad": prefix part ')
    assert "; name part must consist of" in errs[0]


def _pod(required: dict) -> dict:
    return {"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": required}}}}


def _node(name: str, labels: dict | None = None) -> dict:
    return {"metadata": {"name": name, "labels": labels or {}}}


def test_pod_topology_spread_node_inclusion_uses_required_node_affinity():
    """PodTopologySpread's nodeAffinityPolicy: Honor is GetRequiredNodeAffinity(pod).Match(node): a matchFields
    requirement needs exactly one value ("must have one element"; the local copy accepted several) and an invalid
    key makes the term unparsable (the local copy matched on it)."""
    fields = _pod({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In",
                                                            "values": ["n1", "n2"]}]}]})
    assert not required_node_affinity_matches(fields, _node("n1"))
    one = _pod({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]})
    assert required_node_affinity_matches(one, _node("n1")) and not required_node_affinity_matches(one, _node("n2"))
    bad_key = _pod({"nodeSelectorTerms": [{"matchExpressions": [{"key": "bad key", "operator": "DoesNotExist"}]}]})
    assert not required_node_affinity_matches(bad_key, _node("n1"))
    gt = _pod({"nodeSelectorTerms": [{"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["4"]}]}]})
    assert required_node_affinity_matches(gt, _node("n1", {"cores": "8"}))
    assert not required_node_affinity_matches(gt, _node("n1", {"cores": "2"}))
