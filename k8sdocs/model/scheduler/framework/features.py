"""Feature gates the modelled plugins read, with their v1.35 defaults.

Upstream: pkg/features/kube_features.go (versioned specs). Only gates that change a modelled code path are listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# kube_features.go: PodLevelResources beta (on) since v1.34; TaintTolerationComparisonOperators alpha (off) in v1.35.
DEFAULT_FEATURE_GATES: Mapping[str, bool] = MappingProxyType(
    {
        "PodLevelResources": True,
        "TaintTolerationComparisonOperators": False,
    }
)


def feature_gates(overrides: Mapping[str, bool] | None = None) -> Mapping[str, bool]:
    """The v1.35 defaults with ``overrides`` applied (an unknown gate is kept, so callers can test it)."""
    merged = dict(DEFAULT_FEATURE_GATES)
    merged.update({str(k): bool(v) for k, v in (overrides or {}).items()})
    return MappingProxyType(merged)
