"""InterPodAffinity PreFilter/Filter: required pod affinity and anti-affinity.

Upstream: pkg/scheduler/framework/plugins/interpodaffinity/filtering.go (v1.35 era, fwk types; text-search
id 498204109): ``preFilterState`` (existingAntiAffinityCounts, affinityCounts, antiAffinityCounts),
``getExistingAntiAffinityCounts``, ``getIncomingAffinityAntiAffinityCounts``, ``satisfyPodAffinity``,
``satisfyPodAntiAffinity``, ``satisfyExistingPodsAntiAffinity``, ``Filter``.

Filter, in order (the first failure is returned):
1. the incoming pod's required affinity → UnschedulableAndUnresolvable ``node(s) didn't match pod affinity rules``;
   a node missing a term's topology key fails; a pod whose terms match no existing pod anywhere passes if it
   matches its own terms (the "first pod of a group" exception);
2. the incoming pod's required anti-affinity → Unschedulable ``node(s) didn't match pod anti-affinity rules``;
3. existing pods' required anti-affinity against the incoming pod → Unschedulable
   ``node(s) didn't satisfy existing pods anti-affinity rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from k8sdocs.model.scheduler.framework.status import Code, Status, new_status

from .terms import (
    AffinityPodInfo,
    AffinityTerm,
    NamespaceLister,
    Obj,
    affinity_pod_info,
    merge_term_namespaces,
    parse_cached,
    pod_namespace,
)

Parser = Callable[[Obj], AffinityPodInfo]

NAME = "InterPodAffinity"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME

# filtering.go (verbatim).
ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules"
ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules"
ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules"

NodePods = tuple[Obj, Sequence[Obj]]
TopologyCounts = dict[tuple[str, str], int]


def _node_labels(node: Obj | None) -> Mapping[str, str]:
    return ((node or {}).get("metadata") or {}).get("labels") or {}


def _update(counts: TopologyCounts, node: Obj | None, key: str, value: int) -> None:
    """``topologyToMatchedTermCount.update``: entries that fall to zero are deleted."""
    labels = _node_labels(node)
    if key in labels:
        pair = (key, labels[key])
        counts[pair] = counts.get(pair, 0) + value
        if counts[pair] == 0:
            del counts[pair]


def pod_matches_all_affinity_terms(terms: Sequence[AffinityTerm], pod: Obj) -> bool:
    """``podMatchesAllAffinityTerms``: False for no terms; the incoming pod's namespaceSelector is already merged."""
    if not terms:
        return False
    return all(t.matches(pod, None) for t in terms)


def _update_with_affinity_terms(counts: TopologyCounts, terms: Sequence[AffinityTerm], pod: Obj, node: Obj | None,
                                value: int) -> None:
    if pod_matches_all_affinity_terms(terms, pod):
        for t in terms:
            _update(counts, node, t.topology_key, value)


def _update_with_anti_affinity_terms(counts: TopologyCounts, terms: Sequence[AffinityTerm], pod: Obj,
                                     ns_labels: Mapping[str, str] | None, node: Obj | None, value: int) -> None:
    for t in terms:
        if t.matches(pod, ns_labels):
            _update(counts, node, t.topology_key, value)


@dataclass
class PreFilterState:
    """``preFilterState``: three maps (topologyKey, value) → count, the incoming pod's terms and namespace labels."""

    pod_info: AffinityPodInfo
    namespace_labels: Mapping[str, str] | None = None
    existing_anti_affinity_counts: TopologyCounts = field(default_factory=dict)
    affinity_counts: TopologyCounts = field(default_factory=dict)
    anti_affinity_counts: TopologyCounts = field(default_factory=dict)
    parse: Parser = parse_cached  # how cached pods' terms are read (memoized by the plugin)

    def clone(self) -> "PreFilterState":
        return PreFilterState(self.pod_info, self.namespace_labels, dict(self.existing_anti_affinity_counts),
                              dict(self.affinity_counts), dict(self.anti_affinity_counts), self.parse)

    def update_with_pod(self, updated_pod: Obj, node: Obj | None, multiplier: int) -> None:
        """``updateWithPod`` (AddPod +1 / RemovePod −1 during preemption's dry run)."""
        updated = self.parse(updated_pod)
        _update_with_anti_affinity_terms(self.existing_anti_affinity_counts, updated.required_anti_affinity_terms,
                                         self.pod_info.pod, self.namespace_labels, node, multiplier)
        _update_with_affinity_terms(self.affinity_counts, self.pod_info.required_affinity_terms, updated_pod, node,
                                    multiplier)
        _update_with_anti_affinity_terms(self.anti_affinity_counts, self.pod_info.required_anti_affinity_terms,
                                         updated_pod, None, node, multiplier)


def incoming_pod_info(pod: Obj, namespaces: NamespaceLister) -> AffinityPodInfo:
    """The incoming pod's terms with their namespaceSelectors unrolled into namespace names."""
    info = affinity_pod_info(pod)
    return AffinityPodInfo(
        pod,
        tuple(merge_term_namespaces(t, namespaces) for t in info.required_affinity_terms),
        tuple(merge_term_namespaces(t, namespaces) for t in info.required_anti_affinity_terms),
        info.preferred_affinity_terms,
        info.preferred_anti_affinity_terms,
    )


def existing_anti_affinity_counts(pod: Obj, ns_labels: Mapping[str, str] | None,
                                  nodes: Sequence[NodePods], parse: Parser = parse_cached) -> TopologyCounts:
    """``getExistingAntiAffinityCounts``: existing pods' required anti-affinity terms that match the incoming pod.

    ``nodes`` may list only the pods that have required anti-affinity (upstream walks
    ``NodeInfo.PodsWithRequiredAntiAffinity``); other pods contribute nothing.
    """
    counts: TopologyCounts = {}
    for node, pods in nodes:
        for existing in pods:
            terms = parse(existing).required_anti_affinity_terms
            _update_with_anti_affinity_terms(counts, terms, pod, ns_labels, node, 1)
    return counts


def incoming_affinity_counts(info: AffinityPodInfo, nodes: Sequence[NodePods]) -> tuple[TopologyCounts, TopologyCounts]:
    """``getIncomingAffinityAntiAffinityCounts``: existing pods matching the incoming pod's required terms."""
    affinity: TopologyCounts = {}
    anti: TopologyCounts = {}
    if not info.required_affinity_terms and not info.required_anti_affinity_terms:
        return affinity, anti
    for node, pods in nodes:
        for existing in pods:
            _update_with_affinity_terms(affinity, info.required_affinity_terms, existing, node, 1)
            _update_with_anti_affinity_terms(anti, info.required_anti_affinity_terms, existing, None, node, 1)
    return affinity, anti


def pre_filter(
    pod: Obj,
    all_nodes: Sequence[NodePods],
    namespaces: NamespaceLister | None = None,
    nodes_with_required_anti_affinity_pods: Sequence[NodePods] | None = None,
    parse: Parser = parse_cached,
) -> tuple[PreFilterState | None, Status]:
    """``PreFilter``. Raises ``SelectorParseError`` for an unparsable term (upstream: UU ``parsing pod: ...``)."""
    namespaces = namespaces or NamespaceLister()
    info = incoming_pod_info(pod, namespaces)
    ns_labels = namespaces.labels_of(pod_namespace(pod))
    anti_nodes = all_nodes if nodes_with_required_anti_affinity_pods is None else nodes_with_required_anti_affinity_pods
    state = PreFilterState(info, ns_labels, existing_anti_affinity_counts(pod, ns_labels, anti_nodes, parse),
                           parse=parse)
    state.affinity_counts, state.anti_affinity_counts = incoming_affinity_counts(info, all_nodes)
    if (not state.existing_anti_affinity_counts and not info.required_affinity_terms
            and not info.required_anti_affinity_terms):
        return None, new_status(Code.Skip)
    return state, Status()


def satisfy_existing_pods_anti_affinity(state: PreFilterState, node: Obj) -> bool:
    if state.existing_anti_affinity_counts:
        for key, value in _node_labels(node).items():
            if state.existing_anti_affinity_counts.get((key, value), 0) > 0:
                return False
    return True


def satisfy_pod_anti_affinity(state: PreFilterState, node: Obj) -> bool:
    if state.anti_affinity_counts:
        labels = _node_labels(node)
        for term in state.pod_info.required_anti_affinity_terms:
            if term.topology_key in labels:
                if state.anti_affinity_counts.get((term.topology_key, labels[term.topology_key]), 0) > 0:
                    return False
    return True


def satisfy_pod_affinity(state: PreFilterState, node: Obj) -> bool:
    pods_exist = True
    labels = _node_labels(node)
    for term in state.pod_info.required_affinity_terms:
        if term.topology_key not in labels:
            return False  # all topology labels must exist on the node
        if state.affinity_counts.get((term.topology_key, labels[term.topology_key]), 0) <= 0:
            pods_exist = False
    if not pods_exist:
        # The first pod of a group that has affinity to itself: no pod anywhere matches, but the pod matches
        # its own terms and the node has every topology key.
        return not state.affinity_counts and pod_matches_all_affinity_terms(
            state.pod_info.required_affinity_terms, state.pod_info.pod)
    return True


def filter_node(state: PreFilterState, node: Obj) -> Status:
    """``Filter``."""
    if not satisfy_pod_affinity(state, node):
        return new_status(Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY_RULES_NOT_MATCH)
    if not satisfy_pod_anti_affinity(state, node):
        return new_status(Code.Unschedulable, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH)
    if not satisfy_existing_pods_anti_affinity(state, node):
        return new_status(Code.Unschedulable, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH)
    return Status()


__all__ = [
    "ERR_REASON_AFFINITY_RULES_NOT_MATCH",
    "ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH",
    "ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH",
    "NAME",
    "PRE_FILTER_STATE_KEY",
    "PreFilterState",
    "filter_node",
    "existing_anti_affinity_counts",
    "incoming_affinity_counts",
    "incoming_pod_info",
    "pre_filter",
]
