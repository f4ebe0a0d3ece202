"""The in-tree plugin registry: upstream name -> factory(args, handle) (upstream pkg/scheduler/framework/plugins/registry.go).

Out of scope (documented, not registered): the volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding,
VolumeZone), DynamicResources (DRA) and SchedulingGates — the model has no PersistentVolumes, CSI or DRA objects, and
pods with scheduling gates are never queued by the component.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .framework.runtime import PluginFactory
from .plugins.defaultbinder import DefaultBinder
from .plugins.defaultpreemption import new as new_default_preemption
from .plugins.imagelocality import ImageLocality
from .plugins.interpodaffinity import new as new_inter_pod_affinity
from .plugins.nodeaffinity import NodeAffinity
from .plugins.nodename import NodeName
from .plugins.nodeports import NodePorts
from .plugins.noderesources import BalancedAllocation, Fit
from .plugins.nodeunschedulable import NodeUnschedulable
from .plugins.podtopologyspread import new as new_pod_topology_spread
from .plugins.queuesort import PrioritySort
from .plugins.tainttoleration import TaintToleration

_registry: dict[str, PluginFactory] = {
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
    "PodTopologySpread": new_pod_topology_spread,
    "InterPodAffinity": new_inter_pod_affinity,
    "DefaultPreemption": new_default_preemption,
}

IN_TREE_REGISTRY: Mapping[str, PluginFactory] = MappingProxyType(_registry)
