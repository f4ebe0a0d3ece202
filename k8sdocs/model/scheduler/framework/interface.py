"""Plugin extension points and the ``Handle`` plugins receive (upstream pkg/scheduler/framework/interface.go,
staging/src/k8s.io/kube-scheduler/framework/interface.go).

A plugin is a class with ``name`` and the methods of the extension points it implements. Upstream signatures are kept,
with Go's ``(value, *Status)`` pairs returned as Python tuples. ``Status()`` is upstream's nil (success).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .status import Code, CycleState, Status
from .types import NodeInfo, PodInfo

if TYPE_CHECKING:  # pragma: no cover
    from .snapshot import Snapshot

Pod = Mapping[str, object]


@dataclass(frozen=True)
class PreFilterResult:
    """``framework.PreFilterResult``: ``node_names=None`` means all nodes are eligible."""

    node_names: frozenset[str] | None = None

    def all_nodes(self) -> bool:
        return self.node_names is None

    def merge(self, other: "PreFilterResult | None") -> "PreFilterResult":
        """Intersection of two results (``PreFilterResult.Merge``)."""
        if other is None or other.all_nodes():
            return self
        if self.all_nodes():
            return other
        return PreFilterResult(self.node_names & other.node_names)  # type: ignore[operator]


@dataclass
class NodeToStatus:
    """``framework.NodeToStatus``: statuses of rejected nodes; nodes not in ``statuses`` have ``absent_nodes_status``."""

    statuses: dict[str, Status] = field(default_factory=dict)
    absent_nodes_status: Status = field(default_factory=lambda: Status(Code.UnschedulableAndUnresolvable))

    def get(self, node_name: str) -> Status:
        return self.statuses.get(node_name, self.absent_nodes_status)

    def set(self, node_name: str, status: Status) -> None:
        self.statuses[node_name] = status


@dataclass(frozen=True)
class PostFilterResult:
    """``framework.PostFilterResult``: the nominated node (and, in this model, the victims to delete)."""

    nominated_node_name: str = ""
    victims: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodePluginScores:
    node: str
    scores: Mapping[str, int]
    total: int


class Handle(Protocol):
    """What plugins may use: the snapshot, the feature gates and the other plugins of the profile (for preemption).

    ``snapshot`` is replaced at the start of each scheduling cycle; plugins must read it through the handle.
    """

    @property
    def snapshot(self) -> "Snapshot": ...

    @property
    def features(self) -> Mapping[str, bool]: ...

    @property
    def parallelism(self) -> int: ...

    def list_objects(self, kind: str) -> list[Mapping[str, object]]: ...

    def run_filter_plugins(self, state: CycleState, pod: Pod, node_info: NodeInfo) -> Status: ...

    def run_filter_plugins_with_nominated_pods(self, state: CycleState, pod: Pod, node_info: NodeInfo) -> Status: ...

    def run_prefilter_extension_add_pod(
        self, state: CycleState, pod: Pod, pod_info_to_add: PodInfo, node_info: NodeInfo
    ) -> Status: ...

    def run_prefilter_extension_remove_pod(
        self, state: CycleState, pod: Pod, pod_info_to_remove: PodInfo, node_info: NodeInfo
    ) -> Status: ...


@runtime_checkable
class Plugin(Protocol):
    name: str


@runtime_checkable
class QueueSortPlugin(Plugin, Protocol):
    def less(self, a: PodInfo, a_timestamp: int, b: PodInfo, b_timestamp: int) -> bool: ...


@runtime_checkable
class PreFilterPlugin(Plugin, Protocol):
    def pre_filter(
        self, state: CycleState, pod: Pod, nodes: Sequence[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status]: ...


class PreFilterExtensions(Protocol):
    """Optional methods of a PreFilter plugin so preemption can simulate adding/removing pods."""

    def add_pod(self, state: CycleState, pod: Pod, pod_info_to_add: PodInfo, node_info: NodeInfo) -> Status: ...

    def remove_pod(self, state: CycleState, pod: Pod, pod_info_to_remove: PodInfo, node_info: NodeInfo) -> Status: ...


@runtime_checkable
class FilterPlugin(Plugin, Protocol):
    def filter(self, state: CycleState, pod: Pod, node_info: NodeInfo) -> Status: ...


@runtime_checkable
class PostFilterPlugin(Plugin, Protocol):
    def post_filter(
        self, state: CycleState, pod: Pod, filtered_node_status_map: NodeToStatus
    ) -> tuple[PostFilterResult | None, Status]: ...


@runtime_checkable
class PreScorePlugin(Plugin, Protocol):
    def pre_score(self, state: CycleState, pod: Pod, nodes: Sequence[NodeInfo]) -> Status: ...


@runtime_checkable
class ScorePlugin(Plugin, Protocol):
    """``score`` returns the raw score; ``normalize_score`` (optional) rewrites ``scores`` (node -> score) in place."""

    def score(self, state: CycleState, pod: Pod, node_info: NodeInfo) -> tuple[int, Status]: ...


class ScoreExtensions(Protocol):
    def normalize_score(self, state: CycleState, pod: Pod, scores: list[list[Any]]) -> Status: ...  # [[node, score], ...]


@runtime_checkable
class BindPlugin(Plugin, Protocol):
    def bind(self, state: CycleState, pod: Pod, node_name: str) -> Status: ...
