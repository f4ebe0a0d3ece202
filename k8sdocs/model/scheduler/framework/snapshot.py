"""The scheduler cache snapshot the plugins see (upstream pkg/scheduler/backend/cache/snapshot.go and node_tree.go).

A ``Snapshot`` is built incrementally (``add_node``, ``add_pod``, ``remove_pod``, ``remove_node``) so the scheduler does
not rebuild 5 000 NodeInfos per pod. ``node_infos`` is in NodeTree order: nodes grouped by zone
(``topology.kubernetes.io/region`` + ``zone`` labels) and listed round-robin over the zones in order of first appearance,
each zone keeping insertion order (node_tree.go ``list``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .features import DEFAULT_FEATURE_GATES
from .types import ImageStateSummary, NodeInfo, PodInfo, node_image_names

ZONE_LABEL = "topology.kubernetes.io/zone"
REGION_LABEL = "topology.kubernetes.io/region"


def zone_key(labels: Mapping[str, str]) -> str:
    """utilnode.GetZoneKey: "" when neither label is set, else region + ":\\x00:" + zone."""
    region = labels.get(REGION_LABEL, "")
    zone = labels.get(ZONE_LABEL, "")
    if not region and not zone:
        return ""
    return f"{region}:\x00:{zone}"


@dataclass
class Snapshot:
    """All NodeInfos of one scheduling cycle, plus pods waiting for a node that no NodeInfo holds yet."""

    features: Mapping[str, bool] = field(default_factory=lambda: DEFAULT_FEATURE_GATES)
    _by_name: dict[str, NodeInfo] = field(default_factory=dict)
    _zones: dict[str, list[str]] = field(default_factory=dict)
    _order: list[NodeInfo] | None = None
    _image_nodes: dict[str, set[str]] = field(default_factory=dict)
    _image_size: dict[str, int] = field(default_factory=dict)  # "image\x00node" -> sizeBytes
    _images_dirty: bool = False
    _orphans: dict[str, PodInfo] = field(default_factory=dict)  # pods bound to a node we do not know (yet)
    #: bumped whenever the set of nodes (and so image spread or the node count) changes
    image_generation: int = 0

    # -- building -----------------------------------------------------------------------------------------------
    @classmethod
    def build(
        cls, nodes: Sequence[Mapping[str, Any]], pods: Sequence[Mapping[str, Any]],
        features: Mapping[str, bool] = DEFAULT_FEATURE_GATES,
    ) -> "Snapshot":
        snap = cls(features=features)
        for node in nodes:
            snap.add_node(node)
        for pod in pods:
            if (pod.get("spec") or {}).get("nodeName"):
                snap.add_pod(pod)
        return snap

    def add_node(self, node: Mapping[str, Any]) -> NodeInfo:
        """Add or replace a node (its pods are kept, as the cache does on UpdateNode; a node keeps its place in the
        NodeTree unless its zone changes)."""
        ni = NodeInfo.from_node(node)
        old = self._by_name.get(ni.name)
        if old is not None:
            for pi in old.pods:
                ni.add_pod(pi)
            self._forget_images(old)
            if zone_key(old.labels) != zone_key(ni.labels):
                self._remove_from_zone(old)
                self._zones.setdefault(zone_key(ni.labels), []).append(ni.name)
        else:
            for key, pi in list(self._orphans.items()):
                if pi.node_name == ni.name:
                    ni.add_pod(pi)
                    del self._orphans[key]
            self._zones.setdefault(zone_key(ni.labels), []).append(ni.name)
        self._by_name[ni.name] = ni
        for name, size in node_image_names(node):
            self._image_nodes.setdefault(name, set()).add(ni.name)
            self._image_size[name + "\x00" + ni.name] = size
        self._images_dirty = True
        self.image_generation += 1
        self._order = None
        return ni

    def remove_node(self, name: str) -> None:
        ni = self._by_name.pop(name, None)
        if ni is None:
            return
        self._remove_from_zone(ni)
        self._forget_images(ni)
        for pi in ni.pods:
            self._orphans[pi.key] = pi
        self._order = None
        self._images_dirty = True
        self.image_generation += 1

    def _remove_from_zone(self, ni: NodeInfo) -> None:
        zk = zone_key(ni.labels)
        names = self._zones.get(zk, [])
        if ni.name in names:
            names.remove(ni.name)
        if not names:
            self._zones.pop(zk, None)

    def _forget_images(self, ni: NodeInfo) -> None:
        for name, _ in node_image_names(ni.node):
            nodes = self._image_nodes.get(name)
            if nodes is not None:
                nodes.discard(ni.name)
                if not nodes:
                    del self._image_nodes[name]
            self._image_size.pop(name + "\x00" + ni.name, None)

    def add_pod(self, pod: Mapping[str, Any] | PodInfo) -> PodInfo:
        pi = pod if isinstance(pod, PodInfo) else PodInfo.from_pod(pod, self.features)
        ni = self._by_name.get(pi.node_name)
        if ni is None:
            self._orphans[pi.key] = pi
        else:
            ni.add_pod(pi)
        return pi

    def remove_pod(self, key: str, node_name: str) -> PodInfo | None:
        ni = self._by_name.get(node_name)
        if ni is None:
            return self._orphans.pop(key, None)
        return ni.remove_pod(key)

    # -- reading ------------------------------------------------------------------------------------------------
    def _refresh_images(self) -> None:
        if not self._images_dirty:
            return
        for ni in self._by_name.values():
            states: dict[str, ImageStateSummary] = {}
            for name, _ in node_image_names(ni.node):
                states[name] = ImageStateSummary(
                    self._image_size.get(name + "\x00" + ni.name, 0),
                    len(self._image_nodes.get(name, ())),
                )
            ni.image_states = states
        self._images_dirty = False

    @property
    def node_infos(self) -> list[NodeInfo]:
        """NodeInfos in NodeTree order (round-robin over zones)."""
        self._refresh_images()
        if self._order is None:
            zones = [list(v) for v in self._zones.values()]
            order: list[NodeInfo] = []
            index = 0
            while any(index < len(z) for z in zones):
                for z in zones:
                    if index < len(z):
                        order.append(self._by_name[z[index]])
                index += 1
            self._order = order
        return self._order

    def get(self, name: str) -> NodeInfo | None:
        self._refresh_images()
        return self._by_name.get(name)

    def num_nodes(self) -> int:
        return len(self._by_name)

    def image_num_nodes(self, image: str) -> int:
        """How many nodes list this image name (``ImageStateSummary.NumNodes``)."""
        return len(self._image_nodes.get(image, ()))

