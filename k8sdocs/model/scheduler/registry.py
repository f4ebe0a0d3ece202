"""The in-tree plugin registry: upstream name -> factory(args, handle) (upstream pkg/scheduler/framework/plugins/registry.go).

Out of scope (documented, not registered): the volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding,
VolumeZone), DynamicResources (DRA) and SchedulingGates — the model has no PersistentVolumes, CSI or DRA objects, and
pods with scheduling gates are never queued by the component.

PodTopologySpread, InterPodAffinity and DefaultPreemption are written by a colleague; each is registered when its
module imports (one line each below), so the default profile gains it without other changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .framework.runtime import PluginFactory
from .plugins.defaultbinder import DefaultBinder
from .plugins.imagelocality import ImageLocality
from .plugins.nodeaffinity import NodeAffinity
from .plugins.nodename import NodeName
from .plugins.nodeports import NodePorts
from .plugins.noderesources import BalancedAllocation, Fit
from .plugins.nodeunschedulable import NodeUnschedulable
from .plugins.queuesort import PrioritySort
from .plugins.tainttoleration import TaintToleration

_registry: dict[str, Any] = {
    "PrioritySort": PrioritySort,
    "NodeUnschedulable": NodeUnschedulable,
    "NodeName": NodeName,
    "TaintToleration": TaintToleration,
    "NodeAffinity": NodeAffinity,
    "NodePorts": NodePorts,
    "NodeResourcesFit": Fit,
    "NodeResourcesBalancedAllocation": BalancedAllocation,
    "ImageLocality": ImageLocality,
    "DefaultBinder": DefaultBinder,
}

try:  # colleague plugin: k8sdocs/model/scheduler/plugins/podtopologyspread
    from .plugins.podtopologyspread import new as _new_pts

    _registry["PodTopologySpread"] = _new_pts
except ImportError:  # pragma: no cover - until the module lands
    pass
try:  # colleague plugin: k8sdocs/model/scheduler/plugins/interpodaffinity
    from .plugins.interpodaffinity import new as _new_ipa

    _registry["InterPodAffinity"] = _new_ipa
except ImportError:  # pragma: no cover
    pass
try:  # colleague plugin: k8sdocs/model/scheduler/plugins/defaultpreemption
    from .plugins.defaultpreemption import new as _new_dp

    _registry["DefaultPreemption"] = _new_dp
except ImportError:  # pragma: no cover
    pass

IN_TREE_REGISTRY: Mapping[str, PluginFactory] = MappingProxyType(_registry)
