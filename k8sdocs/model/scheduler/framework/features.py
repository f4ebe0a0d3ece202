"""Feature gates the modelled plugins read, with their v1.35 defaults.

Upstream: pkg/features/kube_features.go (versioned specs). Only gates that change a modelled code path are listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# kube_features.go: PodLevelResources beta (on) since v1.34; TaintTolerationComparisonOperators alpha (off) in v1.35;
# MatchLabelKeysInPodTopologySpread beta (on) since v1.27 (pkg/scheduler/framework/plugins/feature/feature.go
# EnableMatchLabelKeysInPodTopologySpread).
DEFAULT_FEATURE_GATES: Mapping[str, bool] = MappingProxyType(
    {
        "MatchLabelKeysInPodTopologySpread": True,
        "PodLevelResources": True,
        "TaintTolerationComparisonOperators": False,
    }
)


class UnknownFeatureGateError(ValueError):
    """``featureGate.SetFromMap`` (staging/src/k8s.io/component-base/featuregate/feature_gate.go) refuses a gate it
    does not know: ``unrecognized feature gate: <name>``; kube-scheduler then refuses to start."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unrecognized feature gate: {name}")
        self.name = name


def feature_gates(overrides: Mapping[str, bool] | None = None) -> Mapping[str, bool]:
    """The v1.35 defaults with ``overrides`` applied. A gate the model does not know raises
    :class:`UnknownFeatureGateError` (upstream stops at the first unknown one, in the map's order; here the
    names are checked in sorted order so that the message does not depend on the input's order)."""
    merged = dict(DEFAULT_FEATURE_GATES)
    for name, value in sorted((overrides or {}).items(), key=lambda kv: str(kv[0])):
        if str(name) not in DEFAULT_FEATURE_GATES:
            raise UnknownFeatureGateError(str(name))
        merged[str(name)] = bool(value)
    return MappingProxyType(merged)
