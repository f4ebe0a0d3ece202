"""The InterPodAffinity plugin: ``filtering.py`` / ``scoring.py`` behind the framework protocols.

Upstream: pkg/scheduler/framework/plugins/interpodaffinity/plugin.go@4a37f009ca615534484b1116d0f147f1f23cf067
(``New``: args ``hardPodAffinityWeight`` (default 1, 0..100) and ``ignorePreferredTermsOfExistingPods``; a
Namespace lister for ``namespaceSelector``). Extension points: PreFilter (+ AddPod/RemovePod), Filter, PreScore,
Score, NormalizeScore. Default weight 2 (apis/config/v1/default_plugins.go).

The framework ``Handle`` does not list Namespaces, so they come from the constructor (``namespaces``) or, when the
handle offers it, from ``handle.list_objects("Namespace")`` at every cycle (our small adapter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8sdocs.model.api.labels import SelectorParseError
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status, as_status_error, new_status

from .filtering import NAME, PRE_FILTER_STATE_KEY, PreFilterState, filter_node, pre_filter
from .scoring import PRE_SCORE_STATE_KEY, InterPodAffinityArgs, PreScoreState, normalize_score, pre_score, score
from .terms import NamespaceLister, ParsedPods

DEFAULT_WEIGHT = 2  # default_plugins.go: InterPodAffinity weight 2
# Our cycle-state key for the nodes that hold pods with affinity, found once in PreFilter and reused by PreScore
# (upstream keeps HavePodsWithAffinityList ready in the snapshot; this model's snapshot does not).
_AFFINITY_NODES_KEY = "InterPodAffinity/nodesWithAffinityPods"


def parse_args(args: Mapping[str, Any] | None) -> InterPodAffinityArgs:
    """``InterPodAffinityArgs`` from a KubeSchedulerConfiguration dict (defaults.go: hardPodAffinityWeight 1)."""
    args = dict(args or {})
    weight = args.get("hardPodAffinityWeight")
    return InterPodAffinityArgs(
        hard_pod_affinity_weight=1 if weight is None else int(weight),
        ignore_preferred_terms_of_existing_pods=bool(args.get("ignorePreferredTermsOfExistingPods", False)),
    )


class InterPodAffinity:
    """``interpodaffinity.InterPodAffinity``."""

    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None, *,
                 namespaces: Sequence[Mapping[str, Any]] | None = None) -> None:
        self.args = parse_args(args)
        self.handle = handle
        self._namespaces = None if namespaces is None else NamespaceLister(tuple(namespaces))
        self._parsed = ParsedPods()  # one parsed PodInfo per cached pod, as the scheduler cache keeps

    def namespace_lister(self) -> NamespaceLister:
        if self._namespaces is not None:
            return self._namespaces
        lister = getattr(self.handle, "list_objects", None)
        return NamespaceLister(tuple(lister("Namespace")) if lister is not None else ())

    def _scoring_nodes(self, state: CycleState, pod: Mapping[str, Any], fallback: Sequence[Any]
                       ) -> list[tuple[Any, list[Any]]]:
        """All nodes and pods when the pod has preferred terms; otherwise only pods with affinity
        (upstream ``HavePodsWithAffinityList`` / ``NodeInfo.PodsWithAffinity``): the others add nothing."""
        snap = getattr(self.handle, "snapshot", None)
        infos = snap.node_infos if snap is not None else fallback
        aff = ((pod.get("spec") or {}).get("affinity")) or {}
        has_preferred = any((aff.get(k) or {}).get("preferredDuringSchedulingIgnoredDuringExecution")
                            for k in ("podAffinity", "podAntiAffinity"))
        if has_preferred:
            return [(ni.node, [pi.pod for pi in ni.pods]) for ni in infos]
        with_affinity: Sequence[Any]
        try:
            with_affinity = state.read(_AFFINITY_NODES_KEY)  # type: ignore[assignment]  # written by PreScore
        except KeyError:
            with_affinity = tuple(ni for ni in infos if ni.pods_with_affinity)
        return [(ni.node, [pi.pod for pi in ni.pods_with_affinity]) for ni in with_affinity]

    # -- PreFilter / Filter ---------------------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[Any]) -> tuple[None, Status]:
        # Only pods with required anti-affinity can block the incoming pod (NodeInfo.PodsWithRequiredAntiAffinity);
        # every pod is looked at only when the incoming pod has required terms of its own.
        aff = ((pod.get("spec") or {}).get("affinity")) or {}
        has_required = any((aff.get(k) or {}).get("requiredDuringSchedulingIgnoredDuringExecution")
                           for k in ("podAffinity", "podAntiAffinity"))
        all_nodes = [(ni.node, [pi.pod for pi in ni.pods]) for ni in nodes] if has_required else []
        with_affinity = tuple(ni for ni in nodes if ni.pods_with_affinity)  # includes every pod with required anti-affinity
        state.write(_AFFINITY_NODES_KEY, with_affinity)
        anti_nodes = [(ni.node, [pi.pod for pi in ni.pods_with_required_anti_affinity])
                      for ni in with_affinity if ni.pods_with_required_anti_affinity]
        try:
            s, status = pre_filter(pod, all_nodes, self.namespace_lister(), anti_nodes, self._parsed)
        except SelectorParseError as err:
            return None, new_status(Code.UnschedulableAndUnresolvable, f"parsing pod: {err}")
        if s is not None:
            state.write(PRE_FILTER_STATE_KEY, s)
        return None, status

    def _state(self, state: CycleState) -> PreFilterState | Status:
        try:
            s = state.read(PRE_FILTER_STATE_KEY)
        except KeyError:
            return as_status_error(f'error reading "{PRE_FILTER_STATE_KEY}" from cycleState: not found')
        assert isinstance(s, PreFilterState)
        return s

    def add_pod(self, state: CycleState, pod: Mapping[str, Any], pod_info_to_add: Any, node_info: Any) -> Status:
        s = self._state(state)
        if isinstance(s, Status):
            return s
        s.update_with_pod(pod_info_to_add.pod, node_info.node, 1)
        return Status()

    def remove_pod(self, state: CycleState, pod: Mapping[str, Any], pod_info_to_remove: Any, node_info: Any) -> Status:
        s = self._state(state)
        if isinstance(s, Status):
            return s
        s.update_with_pod(pod_info_to_remove.pod, node_info.node, -1)
        return Status()

    def filter(self, state: CycleState, pod: Mapping[str, Any], node_info: Any) -> Status:
        s = self._state(state)
        if isinstance(s, Status):
            return s
        return filter_node(s, node_info.node)

    # -- PreScore / Score / NormalizeScore ------------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[Any]) -> Status:
        try:
            s, status = pre_score(pod, self._scoring_nodes(state, pod, nodes), self.args, self.namespace_lister(),
                                  self._parsed)
        except SelectorParseError as err:
            return as_status_error(f"failed to parse pod: {err}")
        if s is not None:
            state.write(PRE_SCORE_STATE_KEY, s)
        return status

    def _score_state(self, state: CycleState) -> PreScoreState | Status:
        try:
            s = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            return as_status_error(f'failed to read "{PRE_SCORE_STATE_KEY}" from cycleState: not found')
        assert isinstance(s, PreScoreState)
        return s

    def score(self, state: CycleState, pod: Mapping[str, Any], node_info: Any) -> tuple[int, Status]:
        s = self._score_state(state)
        if isinstance(s, Status):
            return 0, s
        return score(s, node_info.node), Status()

    def normalize_score(self, state: CycleState, pod: Mapping[str, Any], scores: list[list[Any]]) -> Status:
        s = self._score_state(state)
        if isinstance(s, Status):
            return s
        normalized = normalize_score(s, [(str(n), int(v)) for n, v in scores])
        for entry, (_, value) in zip(scores, normalized):
            entry[1] = value
        return Status()


def new(args: Mapping[str, Any] | None = None, handle: Any = None, **extras: Any) -> InterPodAffinity:
    """Plugin factory (``New``)."""
    return InterPodAffinity(args, handle, **extras)


__all__ = ["DEFAULT_WEIGHT", "InterPodAffinity", "new", "parse_args"]
