"""One scheduling cycle (upstream pkg/scheduler/schedule_one.go@003b4460): findNodesThatFitPod, numFeasibleNodesToFind,
prioritizeNodes, selectHost, the FitError, PostFilter (preemption) and the FailedScheduling message.

Simplifications: filtering is sequential (upstream runs 16 goroutines, so with ≥100 nodes the exact subset can differ
run to run); extenders are not modelled; ties are broken with a seeded ``random.Random`` (upstream: math/rand).
"""

from __future__ import annotations

import operator
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .default_plugins import default_profile
from .framework.fit_error import ERR_NO_NODES_AVAILABLE, Diagnosis, FitError, truncate_message
from .framework.profile import Profile
from .framework.runtime import Framework
from .framework.snapshot import Snapshot
from .framework.status import Code, CycleState, Status
from .framework.types import NodeInfo, PodInfo
from .registry import IN_TREE_REGISTRY

# schedule_one.go: minFeasibleNodesToFind, minFeasibleNodesPercentageToFind.
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
# schedule_one.go errEmptyPriorityList.
ERR_EMPTY_PRIORITY_LIST = "empty priorityList"


def num_feasible_nodes_to_find(percentage_of_nodes_to_score: int | None, num_all_nodes: int, global_percentage: int = 0) -> int:
    """numFeasibleNodesToFind: all nodes below 100; else the (adaptive) percentage, at least 100 nodes."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    percentage = percentage_of_nodes_to_score if percentage_of_nodes_to_score is not None else global_percentage
    if percentage == 0:
        percentage = 50 - num_all_nodes // 125
        if percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND:
            percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND
    num = num_all_nodes * percentage // 100
    if num < MIN_FEASIBLE_NODES_TO_FIND:
        return MIN_FEASIBLE_NODES_TO_FIND
    return num


def select_host(node_scores: Sequence[tuple[str, int]], rng: random.Random) -> str:
    """selectHost: the highest total score; ties broken uniformly at random (upstream: reservoir sampling over the
    max-score nodes; here one seeded draw among them, in list order, with the same distribution)."""
    if not node_scores:
        raise ValueError(ERR_EMPTY_PRIORITY_LIST)
    best = max(score for _, score in node_scores)
    top = [name for name, score in node_scores if score == best]
    if len(top) == 1:
        return top[0]
    return top[rng.randrange(len(top))]


def pod_key(pod: Mapping[str, Any]) -> str:
    meta = pod.get("metadata") or {}
    return f"{meta.get('namespace') or 'default'}/{meta.get('name') or ''}"


@dataclass(frozen=True)
class ScheduleResult:
    """Everything a page needs to explain one decision."""

    pod: str
    selected_node: str | None
    evaluated_nodes: tuple[str, ...]
    filter_statuses: Mapping[str, Status]
    feasible_nodes: tuple[str, ...]
    scores: Mapping[str, Mapping[str, int]]
    weights: Mapping[str, int]
    total_scores: Mapping[str, int]
    message: str | None
    nominated_node: str | None = None
    victims: tuple[str, ...] = ()
    code: str = "Success"  # Success | Unschedulable | Error (SchedulerError)
    pre_filter_message: str = ""
    post_filter_message: str = ""
    unschedulable_plugins: tuple[str, ...] = ()  # Diagnosis.UnschedulablePlugins (what may make it schedulable)


def _frozen(d: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(sorted(d.items())))


class SortedByNode(Mapping[str, Any]):
    """An immutable node -> value mapping iterated in node-name order, sorted lazily on first use (the scheduler
    builds one per plugin per cycle and most are never read)."""

    __slots__ = ("_names", "_values", "_dict")

    def __init__(self, names: Sequence[str], values: Sequence[Any]) -> None:
        self._names = names
        self._values = values
        self._dict: dict[str, Any] | None = None

    def _d(self) -> dict[str, Any]:
        if self._dict is None:
            self._dict = dict(sorted(zip(self._names, self._values)))
        return self._dict

    def __getitem__(self, key: str) -> Any:
        return self._d()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d())

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return repr(self._d())


class Scheduler:
    """The scheduling algorithm of one profile over a snapshot.

    ``schedule_one(pod, nodes, pods)`` builds a fresh snapshot (simple, for pages and tests);
    ``schedule(pod, snapshot)`` reuses an incrementally maintained one (the component and the benchmark).
    """

    def __init__(
        self,
        profile: Profile | None = None,
        seed: int = 0,
        percentage_of_nodes_to_score: int = 0,
        registry: Mapping[str, Any] = IN_TREE_REGISTRY,
    ) -> None:
        self.profile = profile if profile is not None else default_profile(registry)
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self.rng = random.Random(seed)
        self.next_start_node_index = 0
        self.framework = Framework(self.profile, registry)

    # -- public API ---------------------------------------------------------------------------------------------
    def schedule_one(
        self, pod: dict[str, Any], nodes: list[dict[str, Any]], pods: list[dict[str, Any]], objects: list[dict[str, Any]] | None = None
    ) -> ScheduleResult:
        """Schedule ``pod`` on a fresh snapshot of ``nodes`` and ``pods``; ``objects`` are the other API objects the
        plugins may read (Services, ReplicaSets, StatefulSets, Namespaces, PodDisruptionBudgets)."""
        snapshot = Snapshot.build(nodes, pods, self.framework.features)
        if objects is not None:
            by_kind: dict[str, list[dict[str, Any]]] = {}
            for obj in objects:
                by_kind.setdefault(str(obj.get("kind")), []).append(obj)
            self.framework.object_lister = lambda kind: by_kind.get(kind, [])
        key = pod_key(pod)
        nominated: dict[str, list[PodInfo]] = {}
        for p in pods:
            spec = p.get("spec") or {}
            nnn = (p.get("status") or {}).get("nominatedNodeName")
            if nnn and not spec.get("nodeName") and pod_key(p) != key:
                nominated.setdefault(nnn, []).append(PodInfo.from_pod(p, self.framework.features))
        return self.schedule(pod, snapshot, nominated)

    def schedule(
        self, pod: Mapping[str, Any], snapshot: Snapshot, nominated_pods: Mapping[str, list[PodInfo]] | None = None
    ) -> ScheduleResult:
        fwk = self.framework
        fwk.snapshot = snapshot
        fwk.nominated_pods = dict(nominated_pods or {})
        key = pod_key(pod)
        weights = fwk.weights_view()
        state = CycleState()
        all_nodes = snapshot.node_infos
        if not all_nodes:
            return ScheduleResult(key, None, (), _frozen({}), (), _frozen({}), weights, _frozen({}),
                                  ERR_NO_NODES_AVAILABLE, code="Error")
        feasible, diagnosis, evaluated, error = self._find_nodes_that_fit_pod(state, pod, all_nodes)
        statuses = _frozen(diagnosis.node_to_status.statuses)
        if error:
            return ScheduleResult(key, None, tuple(evaluated), statuses, (), _frozen({}), weights, _frozen({}),
                                  truncate_message(error), code="Error")
        if not feasible:
            return self._unschedulable(state, pod, key, snapshot, diagnosis, evaluated, weights)
        feasible_names = tuple([ni.name for ni in feasible])
        if len(feasible) == 1:
            return ScheduleResult(key, feasible[0].name, tuple(evaluated), statuses, feasible_names, _frozen({}),
                                  weights, _frozen({}), None)
        names = list(feasible_names)
        vectors, totals, error = self._prioritize_nodes(state, pod, feasible)
        if error:
            return ScheduleResult(key, None, tuple(evaluated), statuses, feasible_names, _frozen({}), weights,
                                  _frozen({}), truncate_message(error), code="Error")
        best = max(totals)
        top = [name for name, t in zip(names, totals) if t == best]
        host = top[0] if len(top) == 1 else top[self.rng.randrange(len(top))]  # == select_host
        scores = MappingProxyType({p: SortedByNode(names, v) for p, v in sorted(vectors.items())})
        return ScheduleResult(
            key, host, tuple(evaluated), statuses, feasible_names, scores, weights, SortedByNode(names, totals), None,
        )

    # -- filtering ----------------------------------------------------------------------------------------------
    def _find_nodes_that_fit_pod(
        self, state: CycleState, pod: Mapping[str, Any], all_nodes: list[NodeInfo]
    ) -> tuple[list[NodeInfo], Diagnosis, list[str], str]:
        fwk = self.framework
        diagnosis = Diagnosis()
        evaluated: list[str] = []
        pre_res, s, plugins_with_nodes = fwk.run_pre_filter_plugins(state, pod)
        diagnosis.unschedulable_plugins = set(plugins_with_nodes)
        if not s.is_success():
            if not s.is_rejected():
                return [], diagnosis, evaluated, s.error or s.message()
            diagnosis.node_to_status.absent_nodes_status = s
            diagnosis.pre_filter_msg = s.message()
            if s.plugin:
                diagnosis.unschedulable_plugins.add(s.plugin)
            return [], diagnosis, evaluated, ""
        nnn = (pod.get("status") or {}).get("nominatedNodeName")
        if nnn:
            ni = fwk.snapshot.get(str(nnn))
            if ni is not None:
                feasible, err = self._find_nodes_that_pass_filters(state, pod, diagnosis, [ni], evaluated, rotate=False)
                if err:
                    return [], diagnosis, evaluated, err
                if feasible:
                    return feasible, diagnosis, evaluated, ""
        nodes = all_nodes
        if pre_res is not None and not pre_res.all_nodes():
            names = pre_res.node_names or frozenset()
            nodes = [ni for ni in all_nodes if ni.name in names]
            plugins = " ".join(sorted(plugins_with_nodes))
            diagnosis.node_to_status.absent_nodes_status = Status(
                Code.UnschedulableAndUnresolvable, (f"node(s) didn't satisfy plugin(s) [{plugins}]",)
            )
        feasible, err = self._find_nodes_that_pass_filters(state, pod, diagnosis, nodes, evaluated, rotate=True)
        processed = len(feasible) + len(diagnosis.node_to_status.statuses)
        self.next_start_node_index = (self.next_start_node_index + processed) % len(all_nodes)
        return feasible, diagnosis, evaluated, err

    def _find_nodes_that_pass_filters(
        self,
        state: CycleState,
        pod: Mapping[str, Any],
        diagnosis: Diagnosis,
        nodes: list[NodeInfo],
        evaluated: list[str],
        rotate: bool,
    ) -> tuple[list[NodeInfo], str]:
        fwk = self.framework
        n = len(nodes)
        if n == 0:
            return [], ""
        to_find = num_feasible_nodes_to_find(fwk.percentage_of_nodes_to_score(), n, self.percentage_of_nodes_to_score)
        if not fwk.has_score_plugins():
            to_find = 1
        start = self.next_start_node_index % n if rotate else 0
        feasible: list[NodeInfo] = []
        if not fwk.has_filter_plugins():
            for i in range(to_find):
                ni = nodes[(start + i) % n]
                evaluated.append(ni.name)
                feasible.append(ni)
            return feasible, ""
        run = fwk.run_filter_plugins_with_nominated_pods
        statuses = diagnosis.node_to_status.statuses
        sig = fwk.filter_signature(state, pod)
        nominated = fwk.nominated_pods
        rotated = nodes[start:] + nodes[:start] if start else nodes
        found = 0
        pos = 0
        unschedulable_plugins = diagnosis.unschedulable_plugins
        use_windows = sig is not None and not nominated
        while found < to_find and pos < n:
            if use_windows:
                # Same outcome as the per-node path: a run of nodes whose memo says "feasible" is taken at once.
                window = rotated[pos : pos + (to_find - found)]
                flags = [ni.feasible_sig is sig for ni in window]
                k = flags.index(False) if False in flags else len(flags)
                if k:
                    feasible.extend(window[:k])
                    found += k
                    pos += k
                    continue
            ni = rotated[pos]
            pos += 1
            m = ni.filter_memo
            if m is not None and m[0] is sig and (not nominated or ni.name not in nominated):
                status, ok = m[1], m[2]
            else:
                status = run(state, pod, ni)
                ok = status.code == Code.Success
                if status.code == Code.Error:
                    evaluated[:] = [x.name for x in rotated[:pos]]
                    return [], status.error or status.message()
                if sig is not None and ni.name not in nominated:
                    ni.filter_memo = (sig, status, ok)
                    if ok:
                        ni.feasible_sig = sig
            if ok:
                feasible.append(ni)
                found += 1
            else:
                statuses[ni.name] = status
                if status.plugin:
                    unschedulable_plugins.add(status.plugin)
        processed = pos
        evaluated[:] = [x.name for x in rotated[:processed]]
        return feasible, ""

    # -- scoring ------------------------------------------------------------------------------------------------
    def _prioritize_nodes(
        self, state: CycleState, pod: Mapping[str, Any], nodes: list[NodeInfo]
    ) -> tuple[dict[str, list[int]], list[int], str]:
        """prioritizeNodes: per-plugin scores (after NormalizeScore) and Σ weight × score, aligned with ``nodes``."""
        fwk = self.framework
        if not fwk.has_score_plugins():
            return {}, [1] * len(nodes), ""
        s = fwk.run_pre_score_plugins(state, pod, nodes)
        if not s.is_success():
            return {}, [], s.error or s.message()
        vectors, s = fwk.score_vectors(state, pod, nodes)
        if not s.is_success():
            return {}, [], s.error or s.message()
        totals = [0] * len(nodes)
        for plugin, values in vectors.items():
            w = fwk.weights[plugin]
            totals = list(map(operator.add, totals, values if w == 1 else [w * v for v in values]))
        return vectors, totals, ""

    # -- unschedulable ------------------------------------------------------------------------------------------
    def _unschedulable(
        self,
        state: CycleState,
        pod: Mapping[str, Any],
        key: str,
        snapshot: Snapshot,
        diagnosis: Diagnosis,
        evaluated: list[str],
        weights: Mapping[str, int],
    ) -> ScheduleResult:
        fwk = self.framework
        nominated = None
        victims: tuple[str, ...] = ()
        if fwk.has_post_filter_plugins():
            result, status = fwk.run_post_filter_plugins(state, pod, diagnosis.node_to_status)
            diagnosis.post_filter_msg = status.message()
            if result is not None and result.nominated_node_name:
                nominated = result.nominated_node_name
                victims = tuple(sorted(result.victims))
        fit_error = FitError(key, snapshot.num_nodes(), diagnosis)
        return ScheduleResult(
            key, None, tuple(evaluated), _frozen(diagnosis.node_to_status.statuses), (), _frozen({}), weights,
            _frozen({}), truncate_message(fit_error.error()), nominated, victims, code="Unschedulable",
            pre_filter_message=diagnosis.pre_filter_msg, post_filter_message=diagnosis.post_filter_msg,
            unschedulable_plugins=tuple(sorted(diagnosis.unschedulable_plugins)),
        )
