"""Evaluate a DefaultPreemption PostFilter fidelity case (``plugin: DefaultPreemption``,
``extension_point: PostFilter``).

Case shape (tests/fidelity/scheduler/fit_error_messages.yaml, msg-09..msg-14, transcribed from
default_preemption_test.go TestPostFilter): ``nodes``, ``existing_pods``, ``pod``, ``filter_plugins_during_dry_run``
(the filter plugins of the test framework, e.g. ``[NodeResourcesFit]``), ``filtered_node_statuses`` (node → {code,
reasons?}) and ``absent_nodes_status`` (the status of nodes missing from that map, UnschedulableAndUnresolvable by
default), optional ``pdbs`` (PodDisruptionBudget objects) and ``plugin_args``; ``expected.status`` ({code, message}
or the string ``Success``) and ``expected.nominated_node_name``.

As upstream's test does, PreFilter runs first (it fills the cycle state the filters read), then PostFilter.
``nominated_node_name`` is ``None`` when PostFilter returns no result (the pod's nomination is left unchanged),
``""`` when it clears it, the node name when preemption succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from k8sdocs.model.scheduler.framework.interface import NodeToStatus
from k8sdocs.model.scheduler.framework.profile import PluginSpec, Profile
from k8sdocs.model.scheduler.framework.runtime import Framework
from k8sdocs.model.scheduler.framework.snapshot import Snapshot
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status

from .default_preemption import NAME


@dataclass(frozen=True)
class PostFilterOutcome:
    code: str
    message: str
    nominated_node_name: str | None
    victims: tuple[str, ...] = ()


def _status(spec: Any, default_code: Code) -> Status:
    if spec is None:
        return Status(default_code)
    if isinstance(spec, str):
        return Status(Code[spec])
    return Status(Code[str(spec.get("code", default_code.name))], tuple(str(r) for r in spec.get("reasons") or ()))


def node_to_status_from_case(case: Mapping[str, Any]) -> NodeToStatus:
    statuses = {str(n): _status(s, Code.Unschedulable) for n, s in (case.get("filtered_node_statuses") or {}).items()}
    absent = _status(case.get("absent_nodes_status"), Code.UnschedulableAndUnresolvable)
    return NodeToStatus(statuses, absent)


def run_postfilter_case(case: Mapping[str, Any], registry: Mapping[str, Any] | None = None) -> PostFilterOutcome:
    """Build the snapshot and a framework with the case's filter plugins plus DefaultPreemption, then run it."""
    if registry is None:
        from k8sdocs.model.scheduler.registry import IN_TREE_REGISTRY  # late import: the registry imports us

        registry = IN_TREE_REGISTRY
    filters = [str(p) for p in case.get("filter_plugins_during_dry_run") or []]
    specs = [PluginSpec(name) for name in filters if name != NAME]
    specs.append(PluginSpec(NAME, case.get("plugin_args")))
    registry = dict(registry)
    pdbs = tuple(case.get("pdbs") or ())
    registry[NAME] = lambda args, handle: _new_default_preemption(args, handle, pdbs)
    fw = Framework(Profile(tuple(specs), feature_gates=dict(case.get("feature_gates") or {})), registry)
    fw.snapshot = Snapshot.build(list(case.get("nodes") or []), list(case.get("existing_pods") or []), fw.features)
    pod = case["pod"]
    state = CycleState()
    fw.run_pre_filter_plugins(state, pod)
    plugin = fw.plugin(NAME)
    result, status = plugin.post_filter(state, pod, node_to_status_from_case(case))
    nominated = None if result is None else result.nominated_node_name
    victims = () if result is None else tuple(result.victims)
    return PostFilterOutcome(status.code.name, status.message(), nominated, victims)


def _new_default_preemption(args: Any, handle: Any, pdbs: tuple[Any, ...]) -> Any:
    from .default_preemption import DefaultPreemption

    return DefaultPreemption(args, handle, pdbs=pdbs)


def evaluate_postfilter_case(case: Mapping[str, Any]) -> tuple[str | None, str]:
    """(nominated node, PostFilter status message) for the runner in k8sdocs/fidelity."""
    outcome = run_postfilter_case(case)
    return outcome.nominated_node_name, outcome.message


def compare_postfilter_case(case: Mapping[str, Any]) -> list[str]:
    """Differences between ``case['expected']`` and the model (empty list = PASS)."""
    outcome = run_postfilter_case(case)
    expected = case.get("expected") or {}
    diffs: list[str] = []
    want_status = expected.get("status")
    if want_status is not None:
        if isinstance(want_status, str):
            want_code, want_msg = want_status, None
        else:
            want_code, want_msg = str(want_status.get("code", "Success")), want_status.get("message")
        if outcome.code != want_code:
            diffs.append(f"status code: expected {want_code}, got {outcome.code}")
        if want_msg is not None and outcome.message != want_msg:
            diffs.append(f"message: expected {want_msg!r}, got {outcome.message!r}")
    if "nominated_node_name" in expected:
        want_nom = expected["nominated_node_name"]
        got_nom = outcome.nominated_node_name
        if (want_nom if want_nom is not None else None) != got_nom:
            diffs.append(f"nominated_node_name: expected {want_nom!r}, got {got_nom!r}")
    return diffs


__all__ = ["PostFilterOutcome", "compare_postfilter_case", "evaluate_postfilter_case", "node_to_status_from_case",
           "run_postfilter_case"]
