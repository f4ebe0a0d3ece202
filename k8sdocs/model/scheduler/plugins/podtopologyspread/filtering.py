"""PodTopologySpread PreFilter/Filter for ``whenUnsatisfiable: DoNotSchedule`` constraints.

Upstream: pkg/scheduler/framework/plugins/podtopologyspread/filtering.go@01c2588bf4a3eb6bb3524b1e2bd60efb38a4b577
(``preFilterState`` indexed by constraint, ``calPreFilterState``, ``updateWithPod``, ``minMatchNum``, ``Filter``).

Filter rule: ``matchNum(domain of node) + selfMatch(1 if the incoming pod matches) - globalMin <= maxSkew``,
where ``globalMin`` is 0 when the number of eligible domains is smaller than ``minDomains``.
Upstream keeps only two "critical paths" per constraint to find the minimum quickly; we compute the exact
minimum over the domain map, which is what the critical paths hold after PreFilter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from k8sdocs.model.scheduler.framework.status import Code, Status, new_status

from .common import (
    DO_NOT_SCHEDULE,
    ERR_REASON_CONSTRAINTS_NOT_MATCH,
    ERR_REASON_NODE_LABEL_NOT_MATCH,
    NodeInclusion,
    NodePods,
    Obj,
    PodTopologySpreadArgs,
    SpreadObjects,
    TopologySpreadConstraint,
    count_pods_match_selector,
    get_constraints,
    labels_of,
    namespace_of,
    node_labels_match_spread_constraints,
)

PRE_FILTER_STATE_KEY = "PreFilterPodTopologySpread"  # "PreFilter" + Name


@dataclass
class PreFilterState:
    """``preFilterState``: the DoNotSchedule constraints and, per constraint, matching pods per domain."""

    constraints: list[TopologySpreadConstraint] = field(default_factory=list)
    # tp_value_to_match_num[i][topology value] = number of matching pods in that domain (eligible domains only).
    tp_value_to_match_num: list[dict[str, int]] = field(default_factory=list)
    # self_match[i]: does the incoming pod match constraint i's selector (computed once, read by Filter).
    self_match: list[bool] = field(default_factory=list)

    def min_match_num(self, i: int, min_domains: int) -> int:
        """``minMatchNum``: the global minimum, or 0 when fewer eligible domains than ``minDomains``."""
        domains = self.tp_value_to_match_num[i]
        if len(domains) < min_domains:
            return 0
        # newCriticalPaths starts at MaxInt32: with no domain at all the minimum stays MaxInt32.
        return min(domains.values()) if domains else 2**31 - 1

    def clone(self) -> "PreFilterState":
        """``Clone``: constraints are shared, the counters copied (preemption mutates its own copy)."""
        return PreFilterState(self.constraints, [dict(m) for m in self.tp_value_to_match_num], self.self_match)

    def update_with_pod(self, updated_pod: Obj, preemptor: Obj, node: Obj | None, delta: int) -> None:
        """``updateWithPod``: AddPod (+1) / RemovePod (-1) used by preemption's dry run."""
        if node is None or namespace_of(updated_pod) != namespace_of(preemptor):
            return
        node_labels = labels_of(node)
        if not node_labels_match_spread_constraints(node_labels, self.constraints):
            return
        pod_labels = labels_of(updated_pod)
        for i, c in enumerate(self.constraints):
            if not c.selector.matches(pod_labels):
                continue
            if not c.match_node_inclusion_policies(preemptor, node):
                continue
            v = node_labels[c.topology_key]
            self.tp_value_to_match_num[i][v] = self.tp_value_to_match_num[i].get(v, 0) + delta


def cal_pre_filter_state(
    pod: Obj,
    all_nodes: Sequence[NodePods],
    args: PodTopologySpreadArgs | None = None,
    objects: SpreadObjects | None = None,
) -> PreFilterState:
    """``calPreFilterState`` over every node of the snapshot (not only the feasible ones)."""
    args = args or PodTopologySpreadArgs()
    objects = objects or SpreadObjects()
    constraints = get_constraints(pod, DO_NOT_SCHEDULE, args, objects)
    if not constraints:
        return PreFilterState()
    pod_labels = labels_of(pod)
    self_match = [c.selector.matches(pod_labels) for c in constraints]
    state = PreFilterState(constraints, [dict() for _ in constraints], self_match)
    ns = namespace_of(pod)
    inclusion = NodeInclusion(pod)
    for node, pods in all_nodes:
        node_labels = labels_of(node)
        if not node_labels_match_spread_constraints(node_labels, constraints):
            continue  # a node missing any topology key contributes to no constraint
        for i, c in enumerate(constraints):
            if not inclusion.matches(c, node):
                continue
            value = node_labels[c.topology_key]
            counts = state.tp_value_to_match_num[i]
            # A domain enters the map even with 0 matching pods: it is an eligible domain.
            counts[value] = counts.get(value, 0) + count_pods_match_selector(pods, c.selector, ns)
    return state


def pre_filter(
    pod: Obj,
    all_nodes: Sequence[NodePods],
    args: PodTopologySpreadArgs | None = None,
    objects: SpreadObjects | None = None,
) -> tuple[PreFilterState | None, Status]:
    """``PreFilter``: Skip when the pod has no DoNotSchedule constraint (own or default)."""
    state = cal_pre_filter_state(pod, all_nodes, args, objects)
    if not state.constraints:
        return None, new_status(Code.Skip)
    return state, Status()


def filter_node(state: PreFilterState, pod: Obj, node: Obj, node_labels: Mapping[str, str] | None = None) -> Status:
    """``Filter`` for one node; constraints are checked in order and the first failure is returned.

    ``node_labels`` may be given when the caller already holds them (NodeInfo.labels).
    """
    if not state.constraints:
        return Status()
    if node_labels is None:
        node_labels = labels_of(node)
    pod_labels = labels_of(pod)
    for i, c in enumerate(state.constraints):
        tp_val = node_labels.get(c.topology_key)
        if tp_val is None:
            return new_status(Code.UnschedulableAndUnresolvable, ERR_REASON_NODE_LABEL_NOT_MATCH)
        min_match = state.min_match_num(i, c.min_domains)
        matches = state.self_match[i] if i < len(state.self_match) else c.selector.matches(pod_labels)
        self_match = 1 if matches else 0
        match_num = state.tp_value_to_match_num[i].get(tp_val, 0)
        skew = match_num + self_match - min_match
        if skew > c.max_skew:
            return new_status(Code.Unschedulable, ERR_REASON_CONSTRAINTS_NOT_MATCH)
    return Status()


__all__ = ["PRE_FILTER_STATE_KEY", "PreFilterState", "cal_pre_filter_state", "filter_node", "pre_filter"]
