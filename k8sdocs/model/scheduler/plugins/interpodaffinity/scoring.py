"""InterPodAffinity PreScore/Score/NormalizeScore: preferred pod (anti-)affinity.

Upstream: pkg/scheduler/framework/plugins/interpodaffinity/scoring.go (v1.3x, text-search id 46158958):
``processExistingPod``, ``PreScore``, ``Score``, ``NormalizeScore``.

For every existing pod on a node with labels, a topology score map (topologyKey → value → score) is fed by:
* the incoming pod's preferred affinity terms matching the existing pod: +weight;
* the incoming pod's preferred anti-affinity terms matching the existing pod: −weight;
* the existing pod's REQUIRED affinity terms matching the incoming pod: +hardPodAffinityWeight (default 1);
* the existing pod's preferred affinity terms matching the incoming pod: +weight;
* the existing pod's preferred anti-affinity terms matching the incoming pod: −weight;
each at the existing pod's node's value of the term's topology key. A node's raw score sums the map entries of
its own label values. NormalizeScore: ``int(100 × (s − min) / (max − min))`` in float64 (truncated), 0 for every
node when max == min; scores are left untouched when the map is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from k8sdocs.model.scheduler.framework.runtime import ConfigError
from k8sdocs.model.scheduler.framework.status import MAX_NODE_SCORE, Code, Status, new_status

from .terms import (
    AffinityPodInfo,
    AffinityTerm,
    NamespaceLister,
    Obj,
    WeightedAffinityTerm,
    affinity_pod_info,
    merge_term_namespaces,
    parse_cached,
    pod_namespace,
)

PRE_SCORE_STATE_KEY = "PreScoreInterPodAffinity"

NodePods = tuple[Obj, Sequence[Obj]]
ScoreMap = dict[str, dict[str, int]]


@dataclass(frozen=True)
class InterPodAffinityArgs:
    """``InterPodAffinityArgs`` (defaults.go: hardPodAffinityWeight 1; validation: 0..100)."""

    hard_pod_affinity_weight: int = 1
    ignore_preferred_terms_of_existing_pods: bool = False

    def __post_init__(self) -> None:
        # validation_pluginargs.go validateHardPodAffinityWeight.
        w = self.hard_pod_affinity_weight
        if not 0 <= w <= 100:
            field = "hardPodAffinityWeight"
            raise ConfigError("InterPodAffinity", [("FieldValueInvalid", field,
                                                    f"{field}: Invalid value: {w}: not in valid range [0, 100]")])


@dataclass
class PreScoreState:
    topology_score: ScoreMap = field(default_factory=dict)

    def clone(self) -> "PreScoreState":
        return self


def _process_term(scores: ScoreMap, term: AffinityTerm, weight: int, pod: Obj, ns_labels: Mapping[str, str] | None,
                  node_labels: Mapping[str, str], multiplier: int) -> None:
    """``scoreMap.processTerm``."""
    if term.matches(pod, ns_labels) and term.topology_key in node_labels:
        by_value = scores.setdefault(term.topology_key, {})
        value = node_labels[term.topology_key]
        by_value[value] = by_value.get(value, 0) + weight * multiplier


def _process_terms(scores: ScoreMap, terms: Sequence[WeightedAffinityTerm], pod: Obj,
                   ns_labels: Mapping[str, str] | None, node_labels: Mapping[str, str], multiplier: int) -> None:
    for wt in terms:
        _process_term(scores, wt.term, wt.weight, pod, ns_labels, node_labels, multiplier)


def process_existing_pod(scores: ScoreMap, incoming: AffinityPodInfo, ns_labels: Mapping[str, str] | None,
                         existing_pod: Obj, existing_node: Obj, args: InterPodAffinityArgs,
                         parse: Callable[[Obj], AffinityPodInfo] = parse_cached) -> None:
    """``processExistingPod``."""
    node_labels = ((existing_node.get("metadata") or {}).get("labels")) or {}
    if not node_labels:
        return
    existing = parse(existing_pod)
    _process_terms(scores, incoming.preferred_affinity_terms, existing_pod, None, node_labels, 1)
    _process_terms(scores, incoming.preferred_anti_affinity_terms, existing_pod, None, node_labels, -1)
    if args.hard_pod_affinity_weight > 0:
        for t in existing.required_affinity_terms:
            _process_term(scores, t, args.hard_pod_affinity_weight, incoming.pod, ns_labels, node_labels, 1)
    _process_terms(scores, existing.preferred_affinity_terms, incoming.pod, ns_labels, node_labels, 1)
    _process_terms(scores, existing.preferred_anti_affinity_terms, incoming.pod, ns_labels, node_labels, -1)


def _has_preferred(pod: Obj, section: str) -> bool:
    aff = ((pod.get("spec") or {}).get("affinity")) or {}
    return bool((aff.get(section) or {}).get("preferredDuringSchedulingIgnoredDuringExecution"))


def pre_score(
    pod: Obj,
    all_nodes: Sequence[NodePods],
    args: InterPodAffinityArgs | None = None,
    namespaces: NamespaceLister | None = None,
    parse: Callable[[Obj], AffinityPodInfo] = parse_cached,
) -> tuple[PreScoreState | None, Status]:
    """``PreScore`` over every node of the snapshot; Skip when nothing contributes to the score map."""
    args = args or InterPodAffinityArgs()
    namespaces = namespaces or NamespaceLister()
    has_constraints = _has_preferred(pod, "podAffinity") or _has_preferred(pod, "podAntiAffinity")
    if args.ignore_preferred_terms_of_existing_pods and not has_constraints:
        return None, new_status(Code.Skip)
    info = affinity_pod_info(pod)
    incoming = AffinityPodInfo(
        pod,
        info.required_affinity_terms,
        info.required_anti_affinity_terms,
        tuple(WeightedAffinityTerm(merge_term_namespaces(w.term, namespaces), w.weight)
              for w in info.preferred_affinity_terms),
        tuple(WeightedAffinityTerm(merge_term_namespaces(w.term, namespaces), w.weight)
              for w in info.preferred_anti_affinity_terms),
    )
    ns_labels = namespaces.labels_of(pod_namespace(pod))
    scores: ScoreMap = {}
    touched = False
    for node, pods in all_nodes:
        node_scores: ScoreMap = {}
        for existing in pods:
            # Without preferred terms of its own, only existing pods with affinity can contribute
            # (upstream walks NodeInfo.PodsWithAffinity then); the result is the same.
            process_existing_pod(node_scores, incoming, ns_labels, existing, node, args, parse)
        if node_scores:
            touched = True
            for key, by_value in node_scores.items():
                dest = scores.setdefault(key, {})
                for value, s in by_value.items():
                    dest[value] = dest.get(value, 0) + s
    if not touched:
        return None, new_status(Code.Skip)
    return PreScoreState(scores), Status()


def score(state: PreScoreState, node: Obj) -> int:
    """``Score``: positive for affinity, negative for anti-affinity."""
    labels = ((node.get("metadata") or {}).get("labels")) or {}
    total = 0
    for key, by_value in state.topology_score.items():
        if key in labels:
            total += by_value.get(labels[key], 0)
    return total


def normalize_score(state: PreScoreState | None, scores: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """``NormalizeScore``: min–max scaling to 0..100 with float64 arithmetic and truncation."""
    if state is None or not state.topology_score:
        return list(scores)
    if not scores:
        return []
    max_count = max(s for _, s in scores)
    min_count = min(s for _, s in scores)
    diff = max_count - min_count
    out = []
    for name, s in scores:
        f = float(MAX_NODE_SCORE) * (float(s - min_count) / float(diff)) if diff > 0 else 0.0
        out.append((name, int(f)))
    return out


__all__ = ["InterPodAffinityArgs", "PRE_SCORE_STATE_KEY", "PreScoreState", "normalize_score", "pre_score", "score"]
