"""DefaultPreemption: the PostFilter plugin that frees a node for a higher-priority pod.

Upstream (v1.35 era):
* pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go (``PostFilter``, ``calculateNumCandidates``,
  ``SelectVictimsOnNode``, ``PodEligibleToPreemptOthers``, ``podTerminatingByPreemption``,
  ``filterPodsWithPDBViolation``; read at 008b3652959ca58af8be3fb5b6ecfe9ae7638282);
* pkg/scheduler/framework/preemption/preemption.go (``Evaluator.Preempt``, ``findCandidates``, ``DryRunPreemption``,
  ``SelectCandidate``, ``pickOneNodeForPreemption``; read at 00e6d95193934fed1b980e82fb6ec563e9dd1693);
* pkg/scheduler/util/utils.go (``MoreImportantPod``, ``GetPodStartTime``, ``GetEarliestPodStartTime``).

Flow of ``post_filter``:
1. eligibility: ``preemptionPolicy: Never`` → ``preemption: not eligible due to preemptionPolicy=Never.``; a pod with a
   nominated node (that filters did not mark UnschedulableAndUnresolvable) while a lower-priority pod there is
   terminating because of preemption → ``preemption: not eligible due to a terminating pod on the nominated node.``
2. candidates: only nodes whose filter status is ``Unschedulable`` (UU and absent nodes are skipped);
3. dry run on each, starting at ``offset`` and stopping once ``numCandidates`` = max(10 % of them, 100) are found
   (``minCandidateNodesPercentage`` / ``minCandidateNodesAbsolute``): remove every lower-priority pod, re-run the
   filters, then reprieve victims one by one, PDB-violating ones first, each group from the most important;
4. no candidate → ``preemption: 0/N nodes are available: <histogram>.`` where nodes never tried count as
   ``Preemption is not helpful for scheduling``;
5. otherwise pick one node: fewest PDB violations, lowest highest-victim priority, smallest sum of priorities
   (+MaxInt32+1 each), fewest victims, latest start of the highest-priority victims, then the first.

Determinism (ours, stated): upstream draws ``offset`` at random and breaks the last tie by Go map order; here the
offset comes from an optional seeded ``random.Random`` (0 without one), candidates are tried in snapshot order and
the last tie goes to the first of them. Pods without ``status.startTime`` count as started "now" (latest).
PodDisruptionBudgets are honoured only when given (constructor ``pdbs`` or ``handle.list_objects
("PodDisruptionBudget")``); as upstream, a PDB never blocks preemption, it only orders candidates and victims.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from k8sdocs.model.api.labels import SelectorParseError, label_selector_as_selector
from k8sdocs.model.scheduler.framework.fit_error import Diagnosis, FitError
from k8sdocs.model.scheduler.framework.interface import NodeToStatus, PostFilterResult
from k8sdocs.model.scheduler.framework.runtime import ConfigError
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status, as_status_error, new_status

NAME = "DefaultPreemption"

# Messages (verbatim upstream).
MSG_NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never."
MSG_NOT_ELIGIBLE_TERMINATING = "not eligible due to a terminating pod on the nominated node."
MSG_NO_VICTIMS = "No preemption victims found for incoming pod"
MSG_NOT_HELPFUL = "Preemption is not helpful for scheduling"
MSG_NO_CANDIDATE = "no candidate node for preemption"
PREFIX = "preemption: "

_MAX_INT32 = 2**31 - 1

Obj = Mapping[str, Any]


def validate_default_preemption_args(percentage: int, absolute: int) -> list[tuple[str, str, str]]:
    """``ValidateDefaultPreemptionArgs`` (apis/config/validation/validation_pluginargs.go): (type, field, message)."""
    pct, abs_ = "minCandidateNodesPercentage", "minCandidateNodesAbsolute"
    errors: list[tuple[str, str, str]] = []
    if not 0 <= percentage <= 100:
        errors.append(("FieldValueInvalid", pct, f"{pct}: Invalid value: {percentage}: not in valid range [0, 100]"))
    if absolute < 0:
        errors.append(("FieldValueInvalid", abs_, f"{abs_}: Invalid value: {absolute}: not in valid range [0, inf)"))
    if percentage == 0 and absolute == 0:
        errors.append(("FieldValueInvalid", pct, f"{pct}: Invalid value: 0: cannot be zero at the same time as {abs_}"))
        errors.append(("FieldValueInvalid", abs_, f"{abs_}: Invalid value: 0: cannot be zero at the same time as {pct}"))
    return errors


@dataclass(frozen=True)
class DefaultPreemptionArgs:
    """``DefaultPreemptionArgs`` (defaults.go: 10 % and 100; validation.ValidateDefaultPreemptionArgs)."""

    min_candidate_nodes_percentage: int = 10
    min_candidate_nodes_absolute: int = 100

    def __post_init__(self) -> None:
        errors = validate_default_preemption_args(self.min_candidate_nodes_percentage,
                                                  self.min_candidate_nodes_absolute)
        if errors:
            raise ConfigError(NAME, errors)

    @classmethod
    def from_dict(cls, args: Mapping[str, Any] | None) -> "DefaultPreemptionArgs":
        args = dict(args or {})
        pct = args.get("minCandidateNodesPercentage")
        absolute = args.get("minCandidateNodesAbsolute")
        return cls(10 if pct is None else int(pct), 100 if absolute is None else int(absolute))


def calculate_num_candidates(num_nodes: int, args: DefaultPreemptionArgs) -> int:
    """``calculateNumCandidates``: ``n = numNodes × pct / 100`` (int32 division), at least the absolute, at most all."""
    n = (num_nodes * args.min_candidate_nodes_percentage) // 100
    if n < args.min_candidate_nodes_absolute:
        n = args.min_candidate_nodes_absolute
    if n > num_nodes:
        n = num_nodes
    return n


def pod_priority(pod: Obj) -> int:
    """``corev1helpers.PodPriority``: spec.priority, 0 when unset."""
    return int(((pod.get("spec") or {}).get("priority")) or 0)


def pod_start_time(pod: Obj) -> float:
    """``GetPodStartTime``: status.startTime as epoch seconds; a pod that has not started counts as "now" (+inf)."""
    raw = (pod.get("status") or {}).get("startTime")
    if raw is None:
        return math.inf
    if isinstance(raw, datetime):
        return raw.timestamp()
    return datetime.fromisoformat(str(raw).replace("Z", "+00:00")).timestamp()


def more_important_pod(p1: Obj, p2: Obj) -> bool:
    """``util.MoreImportantPod``: higher priority, then the one that started earlier."""
    a, b = pod_priority(p1), pod_priority(p2)
    if a != b:
        return a > b
    return pod_start_time(p1) < pod_start_time(p2)


def _importance_key(pod: Obj) -> tuple[int, float]:
    return (-pod_priority(pod), pod_start_time(pod))


def pod_terminating_by_preemption(pod: Obj) -> bool:
    """``podTerminatingByPreemption``: deleting, with condition DisruptionTarget=True reason PreemptionByScheduler."""
    if (pod.get("metadata") or {}).get("deletionTimestamp") is None:
        return False
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "DisruptionTarget":
            return bool(cond.get("status") == "True" and cond.get("reason") == "PreemptionByScheduler")
    return False


def filter_pods_with_pdb_violation(pod_infos: Sequence[Any], pdbs: Sequence[Obj]) -> tuple[list[Any], list[Any]]:
    """``filterPodsWithPDBViolation``: stable split into (violating, non-violating) given the PDBs' budgets."""
    allowed = [int(((pdb.get("status") or {}).get("disruptionsAllowed")) or 0) for pdb in pdbs]
    violating: list[Any] = []
    non_violating: list[Any] = []
    for pi in pod_infos:
        pod = pi.pod
        meta = pod.get("metadata") or {}
        labels = meta.get("labels") or {}
        ns = meta.get("namespace") or "default"
        violated = False
        if labels:  # a pod with no labels matches no PDB
            for i, pdb in enumerate(pdbs):
                pmeta = pdb.get("metadata") or {}
                if (pmeta.get("namespace") or "default") != ns:
                    continue
                try:
                    selector = label_selector_as_selector((pdb.get("spec") or {}).get("selector"))
                except SelectorParseError:
                    continue  # an invalid selector matches nothing
                if selector.empty() or not selector.matches(labels):
                    continue  # a nil or empty selector matches nothing
                if meta.get("name") in ((pdb.get("status") or {}).get("disruptedPods") or {}):
                    continue  # already being disrupted: processed by the API server
                allowed[i] -= 1
                if allowed[i] < 0:
                    violated = True
        (violating if violated else non_violating).append(pi)
    return violating, non_violating


@dataclass(frozen=True)
class Candidate:
    """A node where the preemptor fits once ``victims`` (PodInfos, most important first) are gone."""

    name: str
    victims: tuple[Any, ...]
    num_pdb_violations: int


def pick_one_node_for_preemption(candidates: Sequence[Candidate]) -> str:
    """``pickOneNodeForPreemption`` with the default score functions, applied in order while ties remain."""
    if not candidates:
        return ""

    def earliest_start_of_highest(c: Candidate) -> float:
        """``GetEarliestPodStartTime``: earliest start among the victims of the highest priority."""
        top = max(pod_priority(v.pod) for v in c.victims)
        return min(pod_start_time(v.pod) for v in c.victims if pod_priority(v.pod) == top)

    score_funcs: list[Callable[[Candidate], float]] = [
        lambda c: -c.num_pdb_violations,
        lambda c: -pod_priority(c.victims[0].pod),
        lambda c: -sum(pod_priority(v.pod) + _MAX_INT32 + 1 for v in c.victims),
        lambda c: -len(c.victims),
        earliest_start_of_highest,
    ]
    remaining = list(candidates)
    for f in score_funcs:
        best = max(f(c) for c in remaining)
        remaining = [c for c in remaining if f(c) == best]
        if len(remaining) == 1:
            return remaining[0].name
    return remaining[0].name


class DefaultPreemption:
    """``defaultpreemption.DefaultPreemption`` (PostFilter)."""

    name = NAME

    def __init__(
        self,
        args: Mapping[str, Any] | None = None,
        handle: Any = None,
        *,
        pdbs: Sequence[Obj] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.args = DefaultPreemptionArgs.from_dict(args)
        self.handle = handle
        self._pdbs = None if pdbs is None else tuple(pdbs)
        self._rng = rng

    # -- inputs -------------------------------------------------------------------------------------------------
    def pdbs(self) -> tuple[Obj, ...]:
        if self._pdbs is not None:
            return self._pdbs
        lister = getattr(self.handle, "list_objects", None)
        return tuple(lister("PodDisruptionBudget")) if lister is not None else ()

    def get_offset_and_num_candidates(self, num_nodes: int) -> tuple[int, int]:
        """``GetOffsetAndNumCandidates``: random offset upstream; seeded here (0 without an RNG)."""
        offset = self._rng.randrange(num_nodes) if (self._rng is not None and num_nodes > 0) else 0
        return offset, calculate_num_candidates(num_nodes, self.args)

    # -- eligibility ----------------------------------------------------------------------------------------------
    def is_preemption_allowed(self, victim: Obj, preemptor: Obj) -> bool:
        """``isPreemptionAllowed``: strictly lower priority (IsEligiblePod is "always true" by default)."""
        return pod_priority(victim) < pod_priority(preemptor)

    def pod_eligible_to_preempt_others(self, pod: Obj, nominated_node_status: Status) -> tuple[bool, str]:
        """``PodEligibleToPreemptOthers``."""
        if ((pod.get("spec") or {}).get("preemptionPolicy")) == "Never":
            return False, MSG_NOT_ELIGIBLE_NEVER
        nom = ((pod.get("status") or {}).get("nominatedNodeName")) or ""
        if nom:
            if nominated_node_status.code == Code.UnschedulableAndUnresolvable:
                return True, ""
            node_info = self.handle.snapshot.get(nom) if self.handle is not None else None
            if node_info is not None:
                for pi in node_info.pods:
                    if self.is_preemption_allowed(pi.pod, pod) and pod_terminating_by_preemption(pi.pod):
                        return False, MSG_NOT_ELIGIBLE_TERMINATING
        return True, ""

    # -- victims on one node --------------------------------------------------------------------------------------
    def select_victims_on_node(
        self, state: CycleState, pod: Obj, node_info: Any, pdbs: Sequence[Obj]
    ) -> tuple[list[Any], int, Status]:
        """``SelectVictimsOnNode``; ``state`` and ``node_info`` are this node's private copies."""
        h = self.handle

        def remove(pi: Any) -> Status:
            node_info.remove_pod(pi.key)
            status: Status = h.run_prefilter_extension_remove_pod(state, pod, pi, node_info)
            return status

        def add(pi: Any) -> Status:
            node_info.add_pod(pi)
            status: Status = h.run_prefilter_extension_add_pod(state, pod, pi, node_info)
            return status

        potential = [pi for pi in node_info.pods if self.is_preemption_allowed(pi.pod, pod)]
        for pi in potential:
            s = remove(pi)
            if not s.is_success():
                return [], 0, s
        if not potential:
            return [], 0, new_status(Code.UnschedulableAndUnresolvable, MSG_NO_VICTIMS)
        status = h.run_filter_plugins_with_nominated_pods(state, pod, node_info)
        if not status.is_success():
            return [], 0, status
        potential.sort(key=lambda pi: _importance_key(pi.pod))  # most important first (stable)
        violating, non_violating = filter_pods_with_pdb_violation(potential, pdbs)
        victims: list[Any] = []
        num_violating = 0

        def reprieve(pi: Any) -> tuple[bool, Status]:
            s = add(pi)
            if not s.is_success():
                return False, s
            fits = h.run_filter_plugins_with_nominated_pods(state, pod, node_info).is_success()
            if not fits:
                s = remove(pi)
                if not s.is_success():
                    return False, s
                victims.append(pi)
            return fits, Status()

        for pi in violating:
            fits, s = reprieve(pi)
            if not s.is_success():
                return [], 0, s
            if not fits:
                num_violating += 1
        for pi in non_violating:
            _, s = reprieve(pi)
            if not s.is_success():
                return [], 0, s
        if violating and non_violating:
            victims.sort(key=lambda pi: _importance_key(pi.pod))
        return victims, num_violating, Status()

    # -- dry run ---------------------------------------------------------------------------------------------------
    def dry_run_preemption(
        self, state: CycleState, pod: Obj, potential_nodes: Sequence[Any], pdbs: Sequence[Obj], offset: int,
        num_candidates: int,
    ) -> tuple[list[Candidate], NodeToStatus, list[str]]:
        """``DryRunPreemption`` (sequential here; non-PDB-violating candidates first in the result).

        Nodes are tried from ``offset`` on, wrapping around. Upstream keeps two fixed-size lists of ``numCandidates``
        (non-violating and PDB-violating candidates; extra ones are dropped) and stops once there is at least one
        non-violating candidate and the two lists hold ``numCandidates`` together.
        """
        non_violating: list[Candidate] = []
        violating: list[Candidate] = []
        statuses = NodeToStatus()
        errors: list[str] = []
        n = len(potential_nodes)
        for i in range(n):
            node_copy = potential_nodes[(offset + i) % n].clone()
            state_copy = state.clone()
            victims, num_violations, status = self.select_victims_on_node(state_copy, pod, node_copy, pdbs)
            if status.is_success() and victims:
                c = Candidate(node_copy.name, tuple(victims), num_violations)
                bucket = non_violating if num_violations == 0 else violating
                if len(bucket) < num_candidates:  # candidateList.add: each list holds at most numCandidates
                    bucket.append(c)
                if non_violating and len(non_violating) + len(violating) >= num_candidates:
                    break
                continue
            if status.is_success() and not victims:
                status = as_status_error(f'expected at least one victim pod on node "{node_copy.name}"')
            if status.code == Code.Error:
                errors.append(status.error or status.message())
            statuses.set(node_copy.name, status)
        return non_violating + violating, statuses, errors

    def find_candidates(
        self, state: CycleState, all_nodes: Sequence[Any], pod: Obj, m: NodeToStatus
    ) -> tuple[list[Candidate], NodeToStatus, list[str]]:
        """``findCandidates``: dry run over the nodes whose filter status is exactly Unschedulable."""
        if not all_nodes:
            return [], NodeToStatus(), ["no nodes available"]
        potential = [ni for ni in all_nodes if m.get(ni.name).code == Code.Unschedulable]
        if not potential:
            return [], NodeToStatus(), []
        offset, num = self.get_offset_and_num_candidates(len(potential))
        return self.dry_run_preemption(state, pod, potential, self.pdbs(), offset, num)

    # -- PostFilter ------------------------------------------------------------------------------------------------
    def preempt(self, state: CycleState, pod: Obj, m: NodeToStatus) -> tuple[PostFilterResult | None, Status]:
        """``Evaluator.Preempt`` (without extenders; victims are returned, the caller deletes them)."""
        nominated = ((pod.get("status") or {}).get("nominatedNodeName")) or ""
        ok, msg = self.pod_eligible_to_preempt_others(pod, m.get(nominated))
        if not ok:
            return None, new_status(Code.Unschedulable, msg)
        all_nodes = list(self.handle.snapshot.node_infos)
        candidates, statuses, errors = self.find_candidates(state, all_nodes, pod, m)
        if errors and not candidates:
            return None, as_status_error("; ".join(errors) if len(errors) == 1 else "[" + ", ".join(errors) + "]")
        if not candidates:
            statuses.absent_nodes_status = new_status(Code.UnschedulableAndUnresolvable, MSG_NOT_HELPFUL)
            meta = pod.get("metadata") or {}
            fit_error = FitError(f"{meta.get('namespace') or 'default'}/{meta.get('name')}", len(all_nodes),
                                 Diagnosis(node_to_status=statuses))
            return PostFilterResult(nominated_node_name=""), new_status(Code.Unschedulable, fit_error.error())
        best_name = pick_one_node_for_preemption(candidates)
        best = next((c for c in candidates if c.name == best_name), None)
        if best is None or not best.name:
            return None, new_status(Code.Unschedulable, MSG_NO_CANDIDATE)
        return PostFilterResult(best.name, tuple(v.key for v in best.victims)), Status()

    def post_filter(self, state: CycleState, pod: Obj, filtered_node_status_map: NodeToStatus
                    ) -> tuple[PostFilterResult | None, Status]:
        """``PostFilter``: ``Preempt`` with every non-empty message prefixed by ``preemption: ``."""
        result, status = self.preempt(state, pod, filtered_node_status_map)
        msg = status.message()
        if msg:
            return result, Status(status.code, (PREFIX + msg,), status.plugin, status.error and PREFIX + status.error)
        return result, status


def new(args: Mapping[str, Any] | None = None, handle: Any = None, **extras: Any) -> DefaultPreemption:
    """Plugin factory (``New``)."""
    return DefaultPreemption(args, handle, **extras)


__all__ = [
    "Candidate",
    "DefaultPreemption",
    "DefaultPreemptionArgs",
    "MSG_NOT_ELIGIBLE_NEVER",
    "MSG_NOT_ELIGIBLE_TERMINATING",
    "MSG_NOT_HELPFUL",
    "MSG_NO_VICTIMS",
    "NAME",
    "calculate_num_candidates",
    "filter_pods_with_pdb_violation",
    "more_important_pod",
    "new",
    "pick_one_node_for_preemption",
    "validate_default_preemption_args",
]
