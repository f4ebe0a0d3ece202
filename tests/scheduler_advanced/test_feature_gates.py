"""Feature gates: v1.35 defaults, and an unknown gate refused as component-base/featuregate does
(staging/src/k8s.io/component-base/featuregate/feature_gate.go SetFromMap: "unrecognized feature gate: %s")."""

from __future__ import annotations

import pytest

from k8sdocs.model.cluster import Cluster
from k8sdocs.model.scenario import ScenarioError, parse_scenario
from k8sdocs.model.scheduler.framework.features import UnknownFeatureGateError, feature_gates


def test_v135_defaults_and_overrides():
    gates = feature_gates({"MatchLabelKeysInPodTopologySpread": False})
    assert gates["MatchLabelKeysInPodTopologySpread"] is False and gates["PodLevelResources"] is True
    assert feature_gates()["MatchLabelKeysInPodTopologySpread"] is True


def test_unknown_gate_is_refused_with_upstream_text():
    with pytest.raises(UnknownFeatureGateError, match=r"^unrecognized feature gate: NoSuchGate$"):
        feature_gates({"NoSuchGate": True})


def test_scenario_refuses_unknown_gate_in_one_line():
    text = "name: x\nfeatureGates:\n  NoSuchGate: true\n"
    with pytest.raises(ScenarioError) as e:
        parse_scenario(text, "docs/escenarios/x.yaml")
    assert str(e.value) == "docs/escenarios/x.yaml: featureGates.NoSuchGate: unrecognized feature gate: NoSuchGate"
    with pytest.raises(ScenarioError, match="featureGates.PodLevelResources: must be true or false"):
        parse_scenario("name: x\nfeatureGates: {PodLevelResources: 'yes'}\n", "x.yaml")


def test_scenario_gate_reaches_the_scheduler():
    scenario = parse_scenario("name: x\nfeatureGates: {MatchLabelKeysInPodTopologySpread: false}\n", "x.yaml")
    cluster = Cluster.from_parsed(scenario)
    cluster.start()
    assert cluster.scheduler.scheduler.framework.features["MatchLabelKeysInPodTopologySpread"] is False
