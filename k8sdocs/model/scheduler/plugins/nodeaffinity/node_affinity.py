"""NodeAffinity (upstream pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go@00d37505,
node_affinity_test.go@17bae91f).

* PreFilter: Skip when the pod has no required node affinity, no nodeSelector and the profile has no addedAffinity.
  When every required term names nodes through ``matchFields metadata.name In``, the PreFilterResult is the union over
  terms of the intersection within a term; an empty union is UnschedulableAndUnresolvable ``pod affinity terms conflict``.
* Filter: addedAffinity first (``node(s) didn't match scheduler-enforced node affinity``), then nodeSelector + required
  affinity (``node(s) didn't match Pod's node affinity/selector``); both UnschedulableAndUnresolvable.
* PreScore: Error on unparsable preferred terms; Skip when there are none (pod and addedAffinity).
* Score: Σ weight of matching preferred terms; NormalizeScore: DefaultNormalizeScore(100, reverse=false). Weight 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8sdocs.model.api.labels import aggregate
from k8sdocs.model.api.nodeaffinity import LazyErrorNodeSelector, PreferredSchedulingTerms, RequiredNodeAffinity
from k8sdocs.model.scheduler.framework.interface import PreFilterResult
from k8sdocs.model.scheduler.framework.runtime import ConfigError
from k8sdocs.model.scheduler.framework.signature import spec_fragment
from k8sdocs.model.scheduler.framework.status import MAX_NODE_SCORE, Code, CycleState, Status, as_status_error
from k8sdocs.model.scheduler.framework.types import NodeInfo

from ..helper.normalize_score import default_normalize_score, default_normalize_values

NAME = "NodeAffinity"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
# node_affinity.go: ErrReasonPod, errReasonEnforced, errReasonConflict.
ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity"
ERR_REASON_CONFLICT = "pod affinity terms conflict"


_ERROR_TYPES = {
    "Invalid value": "FieldValueInvalid",
    "Unsupported value": "FieldValueNotSupported",
    "Required value": "FieldValueRequired",
}


def _field_error(text: str) -> tuple[str, str, str]:
    """(type, field, message) from a field.Error string "<field>: <Kind>: ..."."""
    field, _, rest = text.partition(": ")
    kind = next((t for k, t in _ERROR_TYPES.items() if rest.startswith(k)), "FieldValueInvalid")
    return kind, field, text


def _node_affinity(pod: Mapping[str, Any]) -> Mapping[str, Any] | None:
    affinity = (pod.get("spec") or {}).get("affinity") or {}
    return affinity.get("nodeAffinity")


class NodeAffinity:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        added = (args or {}).get("addedAffinity")
        self.added_node_selector: LazyErrorNodeSelector | None = None
        self.added_pref_terms: PreferredSchedulingTerms | None = None
        if added:
            # ValidateNodeAffinityArgs: field paths under addedAffinity.<required|preferred>...
            errs: list[str] = []
            required = added.get("requiredDuringSchedulingIgnoredDuringExecution")
            if required is not None:
                self.added_node_selector = LazyErrorNodeSelector.parse(required)
                prefix = "addedAffinity.requiredDuringSchedulingIgnoredDuringExecution."
                errs.extend(prefix + e for e in self.added_node_selector.errors())
            preferred = added.get("preferredDuringSchedulingIgnoredDuringExecution")
            if preferred:
                self.added_pref_terms, perrs = PreferredSchedulingTerms.parse(preferred)
                errs.extend("addedAffinity.preferredDuringSchedulingIgnoredDuringExecution" + e for e in perrs)
            if errs:
                raise ConfigError(NAME, [_field_error(e) for e in errs])

    def sign_pod(self, pod: Mapping[str, Any]) -> str:
        return spec_fragment(pod, "nodeSelector", "affinity")

    # -- PreFilter / Filter -------------------------------------------------------------------------------------
    def pre_filter(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status]:
        na = _node_affinity(pod) or {}
        required = na.get("requiredDuringSchedulingIgnoredDuringExecution")
        no_node_affinity = required is None
        node_selector = (pod.get("spec") or {}).get("nodeSelector")
        if no_node_affinity and self.added_node_selector is None and node_selector is None:
            return None, Status(Code.Skip)
        state.write(PRE_FILTER_STATE_KEY, RequiredNodeAffinity.from_pod(pod))
        terms = (required or {}).get("nodeSelectorTerms") or []
        if no_node_affinity or not terms:
            return None, Status()
        node_names: set[str] | None = None
        for term in terms:
            term_names: set[str] | None = None
            for r in term.get("matchFields") or []:
                if r.get("key") == "metadata.name" and r.get("operator") == "In":
                    values = {str(v) for v in (r.get("values") or [])}
                    term_names = values if term_names is None else term_names & values
            if term_names is None:
                return None, Status()
            node_names = term_names if node_names is None else node_names | term_names
        if node_names is not None and not node_names:
            return None, Status(Code.UnschedulableAndUnresolvable, (ERR_REASON_CONFLICT,))
        if node_names:
            return PreFilterResult(frozenset(node_names)), Status()
        return None, Status()

    def filter(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> Status:
        if self.added_node_selector is not None and not self.added_node_selector.matches(
            node_info.name, node_info.labels
        ):
            return Status(Code.UnschedulableAndUnresolvable, (ERR_REASON_ENFORCED,))
        try:
            required = state.read(PRE_FILTER_STATE_KEY)
        except KeyError:
            required = RequiredNodeAffinity.from_pod(pod)
        if not required.matches(node_info.name, node_info.labels):  # type: ignore[attr-defined]
            return Status(Code.UnschedulableAndUnresolvable, (ERR_REASON_POD,))
        return Status()

    # -- Score --------------------------------------------------------------------------------------------------
    @staticmethod
    def _pod_preferred(pod: Mapping[str, Any]) -> tuple[PreferredSchedulingTerms | None, list[str]]:
        na = _node_affinity(pod) or {}
        preferred = na.get("preferredDuringSchedulingIgnoredDuringExecution")
        if preferred is None:
            return None, []
        return PreferredSchedulingTerms.parse(preferred)

    def pre_score(self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> Status:
        if not nodes:
            return Status()
        terms, errs = self._pod_preferred(pod)
        if errs:
            return as_status_error(aggregate(errs))
        if terms is None and self.added_pref_terms is None:
            return Status(Code.Skip)
        state.write(PRE_SCORE_STATE_KEY, terms)
        return Status()

    def score(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> tuple[int, Status]:
        count = 0
        if self.added_pref_terms is not None:
            count += self.added_pref_terms.score(node_info.name, node_info.labels)
        try:
            terms = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            terms, errs = self._pod_preferred(pod)
            if errs:
                return 0, as_status_error(aggregate(errs))
        if terms is not None:
            count += terms.score(node_info.name, node_info.labels)  # type: ignore[attr-defined]
        return count, Status()

    def normalize_score(self, state: CycleState, pod: Mapping[str, Any], scores: list[list[Any]]) -> Status:
        return default_normalize_score(MAX_NODE_SCORE, False, scores)

    def normalize_score_values(
        self, state: CycleState, pod: Mapping[str, Any], values: list[int]
    ) -> tuple[list[int], Status]:
        """``normalize_score`` over a list aligned with the scored nodes (the framework's fast path)."""
        return default_normalize_values(MAX_NODE_SCORE, False, values), Status()
