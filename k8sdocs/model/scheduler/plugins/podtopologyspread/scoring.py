"""PodTopologySpread PreScore/Score/NormalizeScore for ``ScheduleAnyway`` constraints and the system defaults.

Upstream: pkg/scheduler/framework/plugins/podtopologyspread/scoring.go@7d6a59c19f3147cff6e089b6250b5ca045417cae

* weight per constraint = ``ln(topologySize + 2)``; for ``kubernetes.io/hostname`` the size is the number of
  filtered nodes that are not ignored, otherwise the number of distinct values among them
  (``topologyNormalizingWeight``);
* raw node score = ``math.Round(Σ count × weight + (maxSkew − 1))`` over the constraints whose key the node has
  (``scoreForCount``), where count is the matching pods on the node itself for the hostname key and in the
  whole domain otherwise (counted over ALL nodes, not only the filtered ones);
* nodes missing a topology key are "ignored" (score 0) — except with system-default constraints, where
  nodes without the zone label still get hostname spreading (``requireAllTopologies``);
* NormalizeScore: ignored nodes → 0; if ``max == 0`` → 100; else ``100 × (max + min − s) / max`` (Go integer
  division), min and max over the non-ignored nodes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from k8sdocs.model.scheduler.framework.status import MAX_NODE_SCORE, Code, Status, new_status

from .common import (
    LABEL_HOSTNAME,
    SCHEDULE_ANYWAY,
    NodeInclusion,
    NodePods,
    Obj,
    PodTopologySpreadArgs,
    SpreadObjects,
    TopologySpreadConstraint,
    build_default_constraints,
    count_pods_match_selector,
    filter_topology_spread_constraints,
    labels_of,
    name_of,
    namespace_of,
    node_labels_match_spread_constraints,
    pod_spread_constraints,
)

PRE_SCORE_STATE_KEY = "PreScorePodTopologySpread"  # "PreScore" + Name
_INVALID_SCORE = -1


def go_round(x: float) -> int:
    """Go ``math.Round``: half away from zero (Python's ``round`` is half to even)."""
    t = math.trunc(x)
    if abs(x - t) >= 0.5:
        t += 1 if x > 0 else -1
    return int(t)


def topology_normalizing_weight(size: int) -> float:
    """``topologyNormalizingWeight``: ``math.Log(float64(size + 2))``."""
    return math.log(size + 2)


def score_for_count(cnt: int, max_skew: int, tp_weight: float) -> float:
    """``scoreForCount``: ``cnt × weight + (maxSkew − 1)``."""
    return float(cnt) * tp_weight + float(max_skew - 1)


@dataclass
class PreScoreState:
    """``preScoreState``."""

    constraints: list[TopologySpreadConstraint] = field(default_factory=list)
    ignored_nodes: set[str] = field(default_factory=set)
    # Per constraint: topology value → matching pods in that domain (hostname constraints are counted in Score).
    topology_value_to_pod_counts: list[dict[str, int]] = field(default_factory=list)
    topology_normalizing_weight: list[float] = field(default_factory=list)

    def clone(self) -> "PreScoreState":
        return self  # upstream Clone returns the same pointer: the state is read-only after PreScore


def _init_pre_score_state(
    pod: Obj,
    filtered_nodes: Sequence[Obj],
    require_all_topologies: bool,
    args: PodTopologySpreadArgs,
    objects: SpreadObjects,
) -> PreScoreState:
    """``initPreScoreState``."""
    if pod_spread_constraints(pod):
        constraints = filter_topology_spread_constraints(pod_spread_constraints(pod), labels_of(pod), SCHEDULE_ANYWAY,
                                                         args.enable_match_label_keys)
    else:
        constraints = build_default_constraints(pod, SCHEDULE_ANYWAY, args, objects)
    state = PreScoreState(constraints=constraints)
    if not constraints:
        return state
    state.topology_value_to_pod_counts = [dict() for _ in constraints]
    topo_size = [0] * len(constraints)
    for node in filtered_nodes:
        node_labels = labels_of(node)
        if require_all_topologies and not node_labels_match_spread_constraints(node_labels, constraints):
            state.ignored_nodes.add(name_of(node))
            continue
        for i, c in enumerate(constraints):
            if c.topology_key == LABEL_HOSTNAME:
                continue  # per-node counts are calculated during Score
            # A missing key reads as "" in Go: with system defaults the "" zone is a domain too.
            value = node_labels.get(c.topology_key, "")
            if value not in state.topology_value_to_pod_counts[i]:
                state.topology_value_to_pod_counts[i][value] = 0
                topo_size[i] += 1
    for i, c in enumerate(constraints):
        size = topo_size[i]
        if c.topology_key == LABEL_HOSTNAME:
            size = len(filtered_nodes) - len(state.ignored_nodes)
        state.topology_normalizing_weight.append(topology_normalizing_weight(size))
    return state


def pre_score(
    pod: Obj,
    filtered_nodes: Sequence[Obj],
    all_nodes: Sequence[NodePods],
    args: PodTopologySpreadArgs | None = None,
    objects: SpreadObjects | None = None,
) -> tuple[PreScoreState | None, Status]:
    """``PreScore``: returns Skip when there are no nodes or no soft constraints (own or default)."""
    args = args or PodTopologySpreadArgs()
    objects = objects or SpreadObjects()
    if not all_nodes:
        return None, new_status(Code.Skip)
    require_all = bool(pod_spread_constraints(pod)) or not args.system_defaulted
    state = _init_pre_score_state(pod, filtered_nodes, require_all, args, objects)
    if not state.constraints:
        return None, new_status(Code.Skip)
    ns = namespace_of(pod)
    inclusion = NodeInclusion(pod)
    for node, pods in all_nodes:
        node_labels = labels_of(node)
        if require_all and not node_labels_match_spread_constraints(node_labels, state.constraints):
            continue
        for i, c in enumerate(state.constraints):
            value = node_labels.get(c.topology_key, "")
            if value not in state.topology_value_to_pod_counts[i]:
                continue  # domain not associated with any candidate node (also skips hostname constraints)
            if not inclusion.matches(c, node):
                continue
            state.topology_value_to_pod_counts[i][value] += count_pods_match_selector(pods, c.selector, ns)
    return state, Status()


def score(state: PreScoreState, pod: Obj, node: Obj, node_pods: Sequence[Obj]) -> int:
    """``Score``: raw (un-normalized) score of one node; lower means better spread."""
    if name_of(node) in state.ignored_nodes:
        return 0
    node_labels = labels_of(node)
    total = 0.0
    ns = namespace_of(pod)
    for i, c in enumerate(state.constraints):
        tp_val = node_labels.get(c.topology_key)
        if tp_val is None:
            continue
        if c.topology_key == LABEL_HOSTNAME:
            cnt = count_pods_match_selector(node_pods, c.selector, ns)
        else:
            cnt = state.topology_value_to_pod_counts[i].get(tp_val, 0)
        total += score_for_count(cnt, c.max_skew, state.topology_normalizing_weight[i])
    return go_round(total)


def normalize_score(state: PreScoreState | None, scores: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """``NormalizeScore``: ``100 × (max + min − s) / max``; ignored nodes 0; all-zero → every node 100."""
    if state is None:
        return list(scores)
    min_score = 2**63 - 1
    max_score = 0
    marked: list[tuple[str, int]] = []
    for node_name, s in scores:
        if node_name in state.ignored_nodes:
            marked.append((node_name, _INVALID_SCORE))
            continue
        min_score = min(min_score, s)
        max_score = max(max_score, s)
        marked.append((node_name, s))
    out: list[tuple[str, int]] = []
    for node_name, s in marked:
        if s == _INVALID_SCORE:
            out.append((node_name, 0))
        elif max_score == 0:
            out.append((node_name, MAX_NODE_SCORE))
        else:
            # Operands are non-negative (s ≥ min), so Go's truncating division equals floor division.
            out.append((node_name, MAX_NODE_SCORE * (max_score + min_score - s) // max_score))
    return out


__all__ = [
    "PRE_SCORE_STATE_KEY",
    "PreScoreState",
    "go_round",
    "normalize_score",
    "pre_score",
    "score",
    "score_for_count",
    "topology_normalizing_weight",
]
