"""The PodTopologySpread plugin: the pure cores of ``filtering.py`` / ``scoring.py`` behind the framework protocols.

Upstream: pkg/scheduler/framework/plugins/podtopologyspread/plugin.go@025f2834a128798cef30018a5e6a6ae82b5ad885
(``New``: args ``defaultingType`` System → ``systemDefaultConstraints``; listers for Services,
ReplicationControllers, ReplicaSets and StatefulSets used by ``DefaultSelector``).

Extension points: PreFilter (+ AddPod/RemovePod), Filter, PreScore, Score, NormalizeScore. Default weight 2
(apis/config/v1/default_plugins.go).

The framework ``Handle`` exposes only the node/pod snapshot, so the objects ``DefaultSelector`` reads through
informers (Services, RCs, ReplicaSets, StatefulSets) come either from the constructor (``spread_objects``) or,
when the handle offers it, from ``handle.list_objects(kind)`` at every cycle (our small adapter).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from k8sdocs.model.api.labels import SelectorParseError
from k8sdocs.model.api.validation import is_qualified_name as qualified_name_errors
from k8sdocs.model.scheduler.framework.runtime import ConfigError
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status, as_status_error

from .common import (
    DO_NOT_SCHEDULE,
    NAME,
    SCHEDULE_ANYWAY,
    NodePods,
    PodTopologySpreadArgs,
    SpreadObjects,
    get_constraints,
)
from .filtering import PRE_FILTER_STATE_KEY, PreFilterState, cal_pre_filter_state, filter_node
from .scoring import PRE_SCORE_STATE_KEY, PreScoreState, normalize_score, pre_score, score

DEFAULT_WEIGHT = 2  # default_plugins.go: PodTopologySpread weight 2

_KINDS = ("Service", "ReplicationController", "ReplicaSet", "StatefulSet")


def _node_pods(node_info: Any) -> NodePods:
    """A framework ``NodeInfo`` as the (node, pods) pair the cores read."""
    return node_info.node, [pi.pod for pi in node_info.pods]


def _go_value(v: Any) -> str:
    return f'"{v}"' if isinstance(v, str) else str(v)


def validate_args(defaulting: Any, constraints: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """``ValidatePodTopologySpreadArgs`` (apis/config/validation/validation_pluginargs.go): (type, field, message)."""
    errs: list[tuple[str, str, str]] = []
    if defaulting not in ("System", "List"):
        errs.append(("FieldValueNotSupported", "defaultingType",
                     f'defaultingType: Unsupported value: {_go_value(defaulting)}: supported values: "System", "List"'))
    elif defaulting == "System" and constraints:
        errs.append(("FieldValueInvalid", "defaultingType",
                     'defaultingType: Invalid value: "System": when .defaultConstraints are not empty'))
    for i, c in enumerate(constraints):
        p = f"defaultConstraints[{i}]"
        max_skew = c.get("maxSkew", 0)
        if not isinstance(max_skew, int) or max_skew <= 0:
            errs.append(("FieldValueInvalid", f"{p}.maxSkew",
                         f"{p}.maxSkew: Invalid value: {max_skew}: not in valid range (0, inf)"))
        key = str(c.get("topologyKey") or "")
        if not key:
            errs.append(("FieldValueRequired", f"{p}.topologyKey", f"{p}.topologyKey: Required value: can not be empty"))
        else:
            for e in qualified_name_errors(key):
                errs.append(("FieldValueInvalid", f"{p}.topologyKey",
                             f'{p}.topologyKey: Invalid value: "{key}": {e}'))
        action = c.get("whenUnsatisfiable") or ""
        if not action:
            errs.append(("FieldValueRequired", f"{p}.whenUnsatisfiable",
                         f"{p}.whenUnsatisfiable: Required value: can not be empty"))
        elif action not in (DO_NOT_SCHEDULE, SCHEDULE_ANYWAY):
            errs.append(("FieldValueNotSupported", f"{p}.whenUnsatisfiable",
                         f'{p}.whenUnsatisfiable: Unsupported value: "{action}": supported values: '
                         '"DoNotSchedule", "ScheduleAnyway"'))
        if c.get("labelSelector") is not None:
            errs.append(("FieldValueForbidden", f"{p}.labelSelector",
                         f"{p}.labelSelector: Forbidden: constraint must not define a selector, as they deduced for "
                         "each pod"))
        for other in constraints[:i]:
            if other.get("topologyKey") == c.get("topologyKey") and other.get("whenUnsatisfiable") == action:
                errs.append(("FieldValueDuplicate", p, f'{p}: Duplicate value: "{{{key}, {action}}}"'))
                break
    return errs


def parse_args(args: Mapping[str, Any] | None) -> PodTopologySpreadArgs:
    """``PodTopologySpreadArgs`` from the KubeSchedulerConfiguration dict (``defaultingType`` defaults to System);
    invalid args raise the framework's ``ConfigError`` with upstream's field errors."""
    args = dict(args or {})
    defaulting = args.get("defaultingType") or "System"
    constraints = tuple(args.get("defaultConstraints") or ())
    errors = validate_args(defaulting, constraints)
    if errors:
        raise ConfigError(NAME, errors)
    return PodTopologySpreadArgs(defaulting_type=str(defaulting), default_constraints=constraints)


class PodTopologySpread:
    """``podtopologyspread.PodTopologySpread``."""

    name = NAME

    def __init__(
        self,
        args: Mapping[str, Any] | None = None,
        handle: Any = None,
        *,
        spread_objects: SpreadObjects | None = None,
    ) -> None:
        features = getattr(handle, "features", None) or {}
        self.args = dataclasses.replace(parse_args(args), enable_match_label_keys=bool(
            features.get("MatchLabelKeysInPodTopologySpread", True)))
        self.handle = handle
        self._objects = spread_objects

    # -- helpers --------------------------------------------------------------------------------------------
    def spread_objects(self) -> SpreadObjects:
        if self._objects is not None:
            return self._objects
        lister = getattr(self.handle, "list_objects", None)
        if lister is None:
            return SpreadObjects()
        services, rcs, rss, sss = (tuple(lister(kind)) for kind in _KINDS)
        return SpreadObjects(services, rcs, rss, sss)

    def _all_nodes(self, fallback: Sequence[Any]) -> list[NodePods]:
        snap = getattr(self.handle, "snapshot", None)
        infos = snap.node_infos if snap is not None else fallback
        return [_node_pods(ni) for ni in infos]

    # -- PreFilter / Filter ---------------------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[Any]) -> tuple[None, Status]:
        try:
            objects = self.spread_objects()
            # Cheap early Skip: no DoNotSchedule constraint (own or default) means no counting at all.
            if not get_constraints(pod, DO_NOT_SCHEDULE, self.args, objects):
                return None, Status(Code.Skip)
            s = cal_pre_filter_state(pod, [_node_pods(ni) for ni in nodes], self.args, objects)
        except SelectorParseError as err:
            return None, as_status_error(f"get constraints from pod: {err}")
        if not s.constraints:
            return None, Status(Code.Skip)
        state.write(PRE_FILTER_STATE_KEY, s)
        return None, Status()

    def _pre_filter_state(self, state: CycleState) -> PreFilterState | Status:
        try:
            s = state.read(PRE_FILTER_STATE_KEY)
        except KeyError:
            return as_status_error(f'reading "{PRE_FILTER_STATE_KEY}" from cycleState: not found')
        assert isinstance(s, PreFilterState)
        return s

    def add_pod(self, state: CycleState, pod: Mapping[str, Any], pod_info_to_add: Any, node_info: Any) -> Status:
        s = self._pre_filter_state(state)
        if isinstance(s, Status):
            return s
        s.update_with_pod(pod_info_to_add.pod, pod, node_info.node, +1)
        return Status()

    def remove_pod(self, state: CycleState, pod: Mapping[str, Any], pod_info_to_remove: Any, node_info: Any) -> Status:
        s = self._pre_filter_state(state)
        if isinstance(s, Status):
            return s
        s.update_with_pod(pod_info_to_remove.pod, pod, node_info.node, -1)
        return Status()

    def filter(self, state: CycleState, pod: Mapping[str, Any], node_info: Any) -> Status:
        s = self._pre_filter_state(state)
        if isinstance(s, Status):
            return s
        return filter_node(s, pod, node_info.node, node_info.labels)

    # -- PreScore / Score / NormalizeScore ------------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[Any]) -> Status:
        try:
            objects = self.spread_objects()
            # Cheap early Skip: no ScheduleAnyway constraint (own or default) means nothing to count.
            if not get_constraints(pod, SCHEDULE_ANYWAY, self.args, objects):
                return Status(Code.Skip)
            s, status = pre_score(pod, [ni.node for ni in nodes], self._all_nodes(nodes), self.args, objects)
        except SelectorParseError as err:
            return as_status_error(f"calculating preScoreState: {err}")
        if s is not None:
            state.write(PRE_SCORE_STATE_KEY, s)
        return status

    def _pre_score_state(self, state: CycleState) -> PreScoreState | Status:
        try:
            s = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            return as_status_error(f'error reading "{PRE_SCORE_STATE_KEY}" from cycleState: not found')
        assert isinstance(s, PreScoreState)
        return s

    def score(self, state: CycleState, pod: Mapping[str, Any], node_info: Any) -> tuple[int, Status]:
        s = self._pre_score_state(state)
        if isinstance(s, Status):
            return 0, s
        return score(s, pod, node_info.node, [pi.pod for pi in node_info.pods]), Status()

    def normalize_score(self, state: CycleState, pod: Mapping[str, Any], scores: list[list[Any]]) -> Status:
        s = self._pre_score_state(state)
        if isinstance(s, Status):
            return s
        normalized = normalize_score(s, [(str(n), int(v)) for n, v in scores])
        for entry, (_, value) in zip(scores, normalized):
            entry[1] = value
        return Status()


def new(args: Mapping[str, Any] | None = None, handle: Any = None, **extras: Any) -> PodTopologySpread:
    """Plugin factory (``New``)."""
    return PodTopologySpread(args, handle, **extras)


__all__ = ["DEFAULT_WEIGHT", "PodTopologySpread", "new", "parse_args", "validate_args"]
