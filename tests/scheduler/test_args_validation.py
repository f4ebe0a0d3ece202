"""Plugin args validation against pkg/scheduler/apis/config/validation/validation_pluginargs.go (messages and
field paths) and the v1.35 default profile (apis/config/v1/default_plugins.go)."""

import pytest

from k8sdocs.model.scheduler.default_plugins import default_profile
from k8sdocs.model.scheduler.framework import ConfigError
from k8sdocs.model.scheduler.plugins.noderesources import BalancedAllocation, Fit


def _errors(factory, args):
    with pytest.raises(ConfigError) as exc:
        factory(args)
    return exc.value.errors


def test_fit_weight_out_of_range():
    errs = _errors(Fit, {"scoringStrategy": {"type": "LeastAllocated", "resources": [{"name": "cpu", "weight": 101}]}})
    assert errs == (("FieldValueInvalid", "scoringStrategy.resources[0].weight",
                     "scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]"),)


def test_fit_unknown_strategy():
    errs = _errors(Fit, {"scoringStrategy": {"type": "Fancy", "resources": [{"name": "cpu", "weight": 1}]}})
    assert errs[0][:2] == ("FieldValueNotSupported", "scoringStrategy.type")
    assert errs[0][2].endswith('supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"')


def test_rtc_shape_is_validated_under_scoring_strategy_shape():
    args = {"scoringStrategy": {"type": "RequestedToCapacityRatio", "resources": [{"name": "cpu", "weight": 1}],
                                "requestedToCapacityRatio": {"shape": [{"utilization": 60, "score": 11},
                                                                       {"utilization": 50, "score": 1}]}}}
    fields = [(t, f) for t, f, _ in _errors(Fit, args)]
    assert fields == [("FieldValueInvalid", "scoringStrategy.shape[1].utilization"),
                      ("FieldValueInvalid", "scoringStrategy.shape[0].score")]


def test_balanced_weight_must_be_one_and_names_unique():
    errs = _errors(BalancedAllocation, {"resources": [{"name": "cpu", "weight": 1}, {"name": "cpu", "weight": 2}]})
    assert [(t, f) for t, f, _ in errs] == [("FieldValueDuplicate", "resources[1].name"),
                                            ("FieldValueInvalid", "resources[1].weight")]


def test_default_profile_order_and_weights():
    profile = default_profile()
    names = [n for n in profile.names() if n not in ("PodTopologySpread", "InterPodAffinity", "DefaultPreemption")]
    assert names == ["PrioritySort", "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                     "NodeResourcesFit", "NodeResourcesBalancedAllocation", "ImageLocality", "DefaultBinder"]
    weights = profile.weights()
    assert (weights["TaintToleration"], weights["NodeAffinity"], weights["NodeResourcesFit"],
            weights["NodeResourcesBalancedAllocation"], weights["ImageLocality"]) == (3, 2, 1, 1, 1)


def test_shape_order_message_is_v1_35_text():
    """validation_pluginargs.go (v1.34/v1.35, before kubernetes PR #132120): validateFunctionShape says
    "values must be sorted in increasing order" (older releases prefixed "utilization")."""
    args = {"scoringStrategy": {"type": "RequestedToCapacityRatio", "resources": [{"name": "cpu", "weight": 1}],
                                "requestedToCapacityRatio": {"shape": [{"utilization": 10, "score": 3},
                                                                       {"utilization": 20, "score": 3},
                                                                       {"utilization": 15, "score": 3}]}}}
    assert _errors(Fit, args) == (("FieldValueInvalid", "scoringStrategy.shape[2].utilization",
                                   "scoringStrategy.shape[2].utilization: Invalid value: 15: values must be sorted in increasing order"),)


def test_rtc_without_parameters_is_required_as_in_pr_132120():
    errs = _errors(Fit, {"scoringStrategy": {"type": "RequestedToCapacityRatio", "resources": [{"name": "cpu", "weight": 1}]}})
    assert errs == (("FieldValueRequired", "scoringStrategy.requestedToCapacityRatio",
                     "scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is RequestedToCapacityRatio"),)
