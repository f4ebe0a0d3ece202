"""TaintToleration (upstream pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go, v1.35 era,
taint_toleration_test.go@04c0d74f8e8bf18e93a9d8d082b218d3eb4c6395).

* Filter: the first NoSchedule/NoExecute taint not tolerated rejects the node, UnschedulableAndUnresolvable, reason
  ``node(s) had untolerated taint(s)`` (v1.35, PR #134740). With TaintTolerationComparisonOperators on, a Gt/Lt
  toleration on a non-integer value makes Filter return UU with the parse error text.
* PreScore keeps the pod's tolerations with effect "" or PreferNoSchedule; Score counts the node's PreferNoSchedule
  taints those tolerations do not tolerate (parse errors are ignored, the toleration simply does not match).
* NormalizeScore: DefaultNormalizeScore(MaxNodeScore, reverse=true). Default weight 3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8sdocs.model.scheduler.framework.signature import spec_fragment
from k8sdocs.model.scheduler.framework.status import MAX_NODE_SCORE, Code, CycleState, Status
from k8sdocs.model.scheduler.framework.types import NodeInfo

from ..helper.normalize_score import default_normalize_score, default_normalize_values
from ..helper.taints import (
    TaintParseError,
    do_not_schedule_taints_filter,
    find_matching_untolerated_taint,
    tolerations_tolerate_taint,
)

NAME = "TaintToleration"
PRE_SCORE_STATE_KEY = "PreScore" + NAME
# taint_toleration.go ErrReasonNotMatch (v1.35).
ERR_REASON_NOT_MATCH = "node(s) had untolerated taint(s)"
GATE = "TaintTolerationComparisonOperators"


class TaintToleration:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        features = getattr(handle, "features", None) or {}
        self.comparison_operators = bool(features.get(GATE, False))

    def sign_pod(self, pod: Mapping[str, Any]) -> str:
        return spec_fragment(pod, "tolerations")

    def filter(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> Status:
        if not node_info.taints:
            return Status()
        tolerations = (pod.get("spec") or {}).get("tolerations") or []
        try:
            taint = find_matching_untolerated_taint(
                node_info.taints, tolerations, do_not_schedule_taints_filter, self.comparison_operators
            )
        except TaintParseError as err:
            return Status(Code.UnschedulableAndUnresolvable, (str(err),))
        if taint is None:
            return Status()
        return Status(Code.UnschedulableAndUnresolvable, (ERR_REASON_NOT_MATCH,))

    def _prefer_tolerations(self, pod: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """getAllTolerationPreferNoSchedule: tolerations with effect "" or PreferNoSchedule."""
        tolerations = (pod.get("spec") or {}).get("tolerations") or []
        return [t for t in tolerations if (t.get("effect") or "") in ("", "PreferNoSchedule")]

    def pre_score(self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> Status:
        state.write(PRE_SCORE_STATE_KEY, self._prefer_tolerations(pod))
        return Status()

    def score(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> tuple[int, Status]:
        try:
            tolerations = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            tolerations = self._prefer_tolerations(pod)
        return self._count(node_info, tolerations), Status()  # type: ignore[arg-type]

    def _count(self, node_info: NodeInfo, tolerations: list[Mapping[str, Any]]) -> int:
        """countIntolerableTaintsPreferNoSchedule."""
        count = 0
        for taint in node_info.taints:
            if taint.get("effect") != "PreferNoSchedule":
                continue
            if not tolerations_tolerate_taint(tolerations, taint, self.comparison_operators, ignore_errors=True):
                count += 1
        return count

    def score_nodes(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> tuple[list[int], Status]:
        """Batch form of ``score`` (same values): nodes without taints score 0 without a call."""
        try:
            tolerations = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            tolerations = self._prefer_tolerations(pod)
        return [self._count(ni, tolerations) if ni.taints else 0 for ni in nodes], Status()  # type: ignore[arg-type]

    def normalize_score(self, state: CycleState, pod: Mapping[str, Any], scores: list[list[Any]]) -> Status:
        return default_normalize_score(MAX_NODE_SCORE, True, scores)

    def normalize_score_values(
        self, state: CycleState, pod: Mapping[str, Any], values: list[int]
    ) -> tuple[list[int], Status]:
        """``normalize_score`` over a list aligned with the scored nodes (the framework's fast path)."""
        return default_normalize_values(MAX_NODE_SCORE, True, values), Status()
