"""The default v1.35 profile (upstream pkg/scheduler/apis/config/v1/default_plugins.go@01db4ae9, MultiPoint order and
weights; defaults.go@00fe7a37 for the plugin args).

Order: SchedulingGates*, PrioritySort, NodeUnschedulable, NodeName, TaintToleration (3), NodeAffinity (2), NodePorts,
NodeResourcesFit (1), VolumeRestrictions*, NodeVolumeLimits*, VolumeBinding*, VolumeZone*, PodTopologySpread (2),
InterPodAffinity (2), DynamicResources*, DefaultPreemption, NodeResourcesBalancedAllocation (1), ImageLocality (1),
DefaultBinder. (* out of scope: no volumes, DRA objects or scheduling gates in the model.)
``default_profile(registry)`` leaves out the plugins a smaller registry (a test's) does not have.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .framework.profile import PluginSpec, Profile
from .plugins.noderesources.args import default_balanced_args, default_fit_args
from .registry import IN_TREE_REGISTRY

# (name, weight, default args) in MultiPoint order.
DEFAULT_PLUGINS: tuple[tuple[str, int, Mapping[str, Any] | None], ...] = (
    ("PrioritySort", 0, None),
    ("NodeUnschedulable", 0, None),
    ("NodeName", 0, None),
    ("TaintToleration", 3, None),
    ("NodeAffinity", 2, None),
    ("NodePorts", 0, None),
    ("NodeResourcesFit", 1, default_fit_args(None)),
    ("PodTopologySpread", 2, {"defaultingType": "System"}),
    ("InterPodAffinity", 2, {"hardPodAffinityWeight": 1}),
    ("DefaultPreemption", 0, {"minCandidateNodesPercentage": 10, "minCandidateNodesAbsolute": 100}),
    ("NodeResourcesBalancedAllocation", 1, default_balanced_args(None)),
    ("ImageLocality", 1, None),
    ("DefaultBinder", 0, None),
)

OUT_OF_SCOPE_PLUGINS = (
    "SchedulingGates",
    "VolumeRestrictions",
    "NodeVolumeLimits",
    "VolumeBinding",
    "VolumeZone",
    "DynamicResources",
)


def default_profile(
    registry: Mapping[str, Any] = IN_TREE_REGISTRY,
    percentage_of_nodes_to_score: int | None = None,
    feature_gates: Mapping[str, bool] | None = None,
) -> Profile:
    """The v1.35 ``default-scheduler`` profile restricted to the plugins available in ``registry``."""
    specs = tuple(PluginSpec(name, args, weight) for name, weight, args in DEFAULT_PLUGINS if name in registry)
    return Profile(
        plugins=specs,
        scheduler_name="default-scheduler",
        percentage_of_nodes_to_score=percentage_of_nodes_to_score,
        feature_gates=dict(feature_gates or {}),
    )
