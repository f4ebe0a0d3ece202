"""Scheduler fidelity cases (tests/fidelity/scheduler/*.yaml): run the plugin code paths as upstream's table tests do.

Families:
* ``plugin`` + ``extension_point``: build the plugin from ``plugin_args`` (and ``feature_gates``) through the
  framework, snapshot ``nodes`` + ``existing_pods``, then call PreFilter/Filter or PreScore/Score/NormalizeScore.
* ``plugin: framework.FitError``: format a ``diagnosis``; ``plugin: DefaultPreemption``: PostFilter dry run
  (``pdbs``: PodDisruptionBudgets the plugin honours); ``plugin: scheduler``: a whole scheduling cycle of the default
  profile on ``nodes`` + ``pod``, or, when a case gives neither, on a *witness* cluster built from
  ``expected.message`` (witness.py: parse the FitError grammar, build nodes that trigger each reason through the
  real plugins, compare the model's message byte for byte; a reason without a builder is a FAIL).
* ``function``: DefaultNormalizeScore, numFeasibleNodesToFind, findNodesThatFitPod rotation, selectHost,
  BuildBrokenLinearFunction.
Every key of a case must be known (informational ones are listed); anything else is a FAIL.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Mapping
from typing import Any

from k8sdocs.fidelity import witness
from k8sdocs.fidelity.result import CaseResult
from k8sdocs.model.scheduler.framework.features import UnknownFeatureGateError, feature_gates
from k8sdocs.model.scheduler.framework.fit_error import Diagnosis, FitError
from k8sdocs.model.scheduler.framework.interface import NodeToStatus
from k8sdocs.model.scheduler.framework.profile import PluginSpec, Profile
from k8sdocs.model.scheduler.framework.runtime import ConfigError, Framework
from k8sdocs.model.scheduler.framework.snapshot import Snapshot
from k8sdocs.model.scheduler.framework.status import Code, CycleState, Status
from k8sdocs.model.scheduler.plugins.helper.normalize_score import default_normalize_score
from k8sdocs.model.scheduler.plugins.helper.shape_score import FunctionShapePoint, build_broken_linear_function
from k8sdocs.model.scheduler.registry import IN_TREE_REGISTRY
from k8sdocs.model.scheduler.schedule_one import Scheduler, num_feasible_nodes_to_find, select_host

INFO_KEYS = frozenset(
    {"id", "name", "source", "notes", "derived", "derivation", "observed_in_the_wild", "incomplete", "incomplete_reason"}
)
INFO_EXPECTED_KEYS = frozenset({"legacy_reason_before_v1_35"})


class CaseFailure(Exception):
    """The case does not match (or cannot be run); the message is the FAIL detail."""


def _informational(key: str) -> bool:
    """README: ``legacy_*`` values (what older versions did) are informational only."""
    return key.startswith("legacy_")


def _check_keys(case: Mapping[str, Any], allowed: set[str], expected_allowed: set[str]) -> None:
    unknown = sorted(k for k in set(case) - INFO_KEYS - allowed if not _informational(k))
    if unknown:
        raise CaseFailure(f"unknown case key(s) {unknown}")
    exp = case.get("expected")
    if not isinstance(exp, dict) or not exp:
        raise CaseFailure("case has no 'expected' mapping")
    unknown = sorted(k for k in set(exp) - INFO_EXPECTED_KEYS - expected_allowed if not _informational(k))
    if unknown:
        raise CaseFailure(f"unknown expected key(s) {unknown}")


def _expect(what: str, expected: Any, got: Any) -> None:
    if expected != got:
        raise CaseFailure(f"{what}: expected {expected!r} vs got {got!r}")


def _code(name: Any) -> Code:
    try:
        return Code[str(name)]
    except KeyError as err:
        raise CaseFailure(f"unknown status code {name!r}") from err


def _status_from_case(spec: Any, default_code: str = "Success") -> Status:
    if spec is None or spec == "Success":
        return Status()
    if isinstance(spec, str):
        return Status(_code(spec))
    reasons = spec.get("reasons")
    if reasons is None and spec.get("message"):
        reasons = [spec["message"]]
    return Status(_code(spec.get("code", default_code)), tuple(str(r) for r in (reasons or ())))


def _compare_status(what: str, expected: Any, got: Status) -> None:
    """``expected`` is "Success", a code name, or {code, reasons?, message?}; only stated fields are compared."""
    if expected == "Success" or expected is None:
        if not got.is_success():
            raise CaseFailure(f"{what}: expected Success vs got {got.code.name} {list(got.reasons)}")
        return
    if isinstance(expected, str):
        _expect(f"{what} code", expected, got.code.name)
        return
    if not isinstance(expected, dict):
        raise CaseFailure(f"{what}: unsupported expected status {expected!r}")
    unknown = set(expected) - {"code", "reasons", "message"}
    if unknown:
        raise CaseFailure(f"{what}: unknown status field(s) {sorted(unknown)}")
    if "code" in expected:
        _expect(f"{what} code", expected["code"], got.code.name)
    if "reasons" in expected:
        _expect(f"{what} reasons", list(expected["reasons"]), list(got.reasons))
    if "message" in expected:
        _expect(f"{what} message", expected["message"], got.message())


# -- plugin construction ------------------------------------------------------------------------------------------
def _framework(plugins: list[tuple[str, Any]], feature_gates: Mapping[str, bool] | None, registry: Mapping[str, Any] | None = None) -> Framework:
    registry = registry if registry is not None else IN_TREE_REGISTRY
    for name, _ in plugins:
        if name not in registry:
            raise CaseFailure(f"plugin {name} not available in the model")
    profile = Profile(tuple(PluginSpec(n, a) for n, a in plugins), feature_gates=dict(feature_gates or {}))
    return Framework(profile, registry)


def _snapshot(case: Mapping[str, Any], fwk: Framework) -> Snapshot:
    """Snapshot of ``nodes`` + ``existing_pods``; ``objects`` (any kinds) and ``pdbs`` feed ``handle.list_objects``."""
    nodes = case.get("nodes")
    if not isinstance(nodes, list):
        raise CaseFailure("case has no 'nodes' list")
    snap = Snapshot.build(nodes, list(case.get("existing_pods") or []), fwk.features)
    fwk.snapshot = snap
    by_kind: dict[str, list[Any]] = {}
    for obj in case.get("objects") or []:
        by_kind.setdefault(str(obj.get("kind")), []).append(obj)
    for pdb in case.get("pdbs") or []:
        by_kind.setdefault("PodDisruptionBudget", []).append(pdb)
    fwk.object_lister = lambda kind: by_kind.get(kind, [])
    return snap


def _pod(case: Mapping[str, Any]) -> dict[str, Any]:
    pod = case.get("pod")
    if not isinstance(pod, dict):
        raise CaseFailure("case has no 'pod' mapping")
    pod = copy.deepcopy(pod)
    node_name = case.get("upstream_incoming_pod_node_name")
    if node_name:
        pod.setdefault("spec", {})["nodeName"] = str(node_name)
    return pod


def _config_error(case: Mapping[str, Any], err: ConfigError) -> None:
    expected = case["expected"].get("config_error")
    if expected is None:
        raise CaseFailure(f"plugin args rejected: {err}")
    got = [{"type": t, "field": f, "message": m} for t, f, m in err.errors]
    for key in ("type", "field", "message"):
        if key in expected and not any(g[key] == expected[key] for g in got):
            raise CaseFailure(f"config_error {key}: expected {expected[key]!r} vs got {[g[key] for g in got]!r}")
    unknown = set(expected) - {"type", "field", "message"}
    if unknown:
        raise CaseFailure(f"unknown config_error field(s) {sorted(unknown)}")


# -- families -----------------------------------------------------------------------------------------------------
def _build_plugin(case: Mapping[str, Any]) -> tuple[Any, Any] | None:
    """The case's framework and plugin, or None when the case expects (and got) an args ``config_error``."""
    name = str(case["plugin"])
    try:
        fwk = _framework([(name, case.get("plugin_args"))], case.get("feature_gates"))
    except ConfigError as err:
        _config_error(case, err)
        return None
    if "config_error" in case["expected"]:
        raise CaseFailure(f"config_error: expected {case['expected']['config_error']!r} vs got the plugin built fine")
    return fwk, fwk.plugin(name)


_PLUGIN_KEYS = {"plugin", "extension_point", "plugin_args", "feature_gates", "nodes", "existing_pods", "pod",
                "expected", "upstream_incoming_pod_node_name", "run_prefilter", "run_prescore", "objects", "pdbs"}


def _run_filter_case(case: Mapping[str, Any], ext: str) -> None:
    _check_keys(case, _PLUGIN_KEYS, {"node", "status", "insufficient_resources", "prefilter_status",
                                     "prefilter_result_node_names", "config_error"})
    expected = case["expected"]
    name = str(case["plugin"])
    built = _build_plugin(case)
    if built is None:
        return
    fwk, plugin = built
    snap = _snapshot(case, fwk)
    pod = _pod(case)
    state = CycleState()
    run_prefilter = case.get("run_prefilter", "PreFilter" in ext)
    if run_prefilter:
        if not callable(getattr(plugin, "pre_filter", None)):
            raise CaseFailure(f"{name} has no PreFilter")
        result, pstatus = plugin.pre_filter(state, pod, snap.node_infos)
        if "prefilter_status" in expected:
            _compare_status("prefilter status", expected["prefilter_status"], pstatus)
        elif not (pstatus.is_success() or pstatus.is_skip()):
            raise CaseFailure(f"prefilter status: expected Success vs got {pstatus.code.name} {list(pstatus.reasons)}")
        if "prefilter_result_node_names" in expected:
            got = None if result is None or result.all_nodes() else sorted(result.node_names or ())
            want = expected["prefilter_result_node_names"]
            _expect("prefilter result node names", None if want is None else sorted(want), got)
    elif "prefilter_status" in expected or "prefilter_result_node_names" in expected:
        raise CaseFailure("expected a PreFilter result but run_prefilter is false")
    node_name = expected.get("node")
    if node_name is None:
        if len(snap.node_infos) != 1:
            raise CaseFailure("expected.node is required when the case has several nodes")
        node_name = snap.node_infos[0].name
    node_info = snap.get(str(node_name))
    if node_info is None:
        raise CaseFailure(f"node {node_name!r} is not in the case's nodes")
    if "status" in expected:
        _compare_status("filter status", expected["status"], plugin.filter(state, pod, node_info))
    if "insufficient_resources" in expected:
        if not callable(getattr(plugin, "insufficient_resources", None)):
            raise CaseFailure(f"{name} does not report insufficient resources")
        got = []
        for r in plugin.insufficient_resources(state, pod, node_info):
            d = {"resourceName": r.resource_name, "reason": r.reason, "requested": r.requested, "used": r.used,
                 "capacity": r.capacity}
            if r.unresolvable:
                d["unresolvable"] = True
            got.append(d)
        want = [dict(w) for w in expected["insufficient_resources"] or []]
        for w in want:
            if w.get("unresolvable") is False:
                del w["unresolvable"]
        _expect("insufficient resources", want, got)


_STAGES = {"raw_score_is_final": False, "raw": False}


def _run_score_case(case: Mapping[str, Any], ext: str) -> None:
    _check_keys(case, _PLUGIN_KEYS, {"scores", "score_stage", "prescore_status", "prescore_status_code",
                                     "config_error", "status", "score_status", "error"})
    expected = case["expected"]
    name = str(case["plugin"])
    built = _build_plugin(case)
    if built is None:
        return
    fwk, plugin = built
    snap = _snapshot(case, fwk)
    pod = _pod(case)
    nodes = [ni for ni in snap.node_infos]
    by_name = {ni.name: ni for ni in nodes}
    order = [str(n["metadata"]["name"]) for n in case["nodes"]]
    state = CycleState()
    run_prescore = case.get("run_prescore", callable(getattr(plugin, "pre_score", None)))
    pstatus = Status()
    if run_prescore:
        if not callable(getattr(plugin, "pre_score", None)):
            raise CaseFailure(f"{name} has no PreScore")
        pstatus = plugin.pre_score(state, pod, [by_name[n] for n in order])
    if "prescore_status_code" in expected:
        _expect("prescore status code", expected["prescore_status_code"], pstatus.code.name)
    if "prescore_status" in expected:
        # "Success", a code name, or {code, reasons?, message?} (as every other status in a case)
        spec = expected["prescore_status"]
        exp = dict(spec) if isinstance(spec, dict) else {}
        if not isinstance(spec, dict):
            _compare_status("prescore status", spec, pstatus)
        elif "message" in exp and pstatus.code == Code.Error:
            _expect("prescore status code", exp.get("code", "Error"), pstatus.code.name)
            _expect("prescore status message", exp["message"], pstatus.error or pstatus.message())
        else:
            _compare_status("prescore status", exp, pstatus)
    if "scores" not in expected and not ({"status", "score_status", "error"} & set(expected)):
        return
    if not (pstatus.is_success()) and "scores" in expected:
        raise CaseFailure(f"prescore returned {pstatus.code.name} {list(pstatus.reasons)}; no scores")
    pairs: list[list[Any]] = []
    first_error: Status | None = None
    for n in order:
        v, s = plugin.score(state, pod, by_name[n])
        if not s.is_success() and first_error is None:
            first_error = s
        pairs.append([n, v])
    want_status = expected.get("score_status", expected.get("status"))
    if want_status is not None:
        _compare_status("score status", want_status, first_error or Status())
    if "error" in expected:
        got_err = first_error.message() if first_error is not None else None
        if expected["error"] is True:
            if first_error is None:
                raise CaseFailure("score error: expected an error vs got none")
        else:
            _expect("score error", expected["error"], got_err)
    if "scores" not in expected:
        return
    if first_error is not None and want_status is None and "error" not in expected:
        raise CaseFailure(f"score returned {first_error.code.name} {list(first_error.reasons)}")
    stage = str(expected.get("score_stage", "raw_score_is_final"))
    m = re.fullmatch(r"after_NormalizeScore(?:\(reverse=(true|false)\))?", stage)
    if m:
        normalize = getattr(plugin, "normalize_score", None)
        if normalize is None:
            raise CaseFailure(f"{name} has no NormalizeScore but score_stage is {stage}")
        s = normalize(state, pod, pairs)
        if not s.is_success():
            raise CaseFailure(f"normalize returned {s.code.name} {list(s.reasons)}")
    elif stage not in _STAGES:
        raise CaseFailure(f"unknown score_stage {stage!r}")
    want = [(str(e["node"]), int(e["score"])) for e in expected["scores"]]
    got_map = {n: v for n, v in pairs}
    got = [(n, got_map.get(n)) for n, _ in want]
    _expect("scores", want, got)


def _diagnosis_status(spec: Any) -> Status:
    return _status_from_case(spec) if spec is not None else Status(Code.UnschedulableAndUnresolvable)


def _run_fit_error_case(case: Mapping[str, Any]) -> None:
    _check_keys(case, {"plugin", "extension_point", "diagnosis", "expected"}, {"message"})
    d = case.get("diagnosis") or {}
    unknown = set(d) - {"num_all_nodes", "pre_filter_msg", "node_to_status", "absent_nodes_status", "post_filter_msg"}
    if unknown:
        raise CaseFailure(f"unknown diagnosis key(s) {sorted(unknown)}")
    nts = NodeToStatus(
        {str(k): _status_from_case(v) for k, v in (d.get("node_to_status") or {}).items()},
        _diagnosis_status(d.get("absent_nodes_status")),
    )
    diagnosis = Diagnosis(nts, set(), str(d.get("pre_filter_msg") or ""), str(d.get("post_filter_msg") or ""))
    got = FitError("default/pod", int(d.get("num_all_nodes", 0)), diagnosis).error()
    _expect("message", case["expected"]["message"], got)


def _run_post_filter_case(case: Mapping[str, Any]) -> None:
    _check_keys(case, _PLUGIN_KEYS | {"filter_plugins_during_dry_run", "filtered_node_statuses", "absent_nodes_status"},
                {"status", "nominated_node_name", "victims"})
    expected = case["expected"]
    filters = [str(p) for p in case.get("filter_plugins_during_dry_run") or []]
    plugins = [("PrioritySort", None)] + [(f, None) for f in filters] + [("DefaultPreemption", case.get("plugin_args"))]
    fwk = _framework(plugins, case.get("feature_gates"))
    _snapshot(case, fwk)
    pod = _pod(case)
    state = CycleState()
    fwk.run_pre_filter_plugins(state, pod)
    nts = NodeToStatus(
        {str(k): _status_from_case(v, "Unschedulable") for k, v in (case.get("filtered_node_statuses") or {}).items()},
        _diagnosis_status(case.get("absent_nodes_status")),
    )
    result, status = fwk.plugin("DefaultPreemption").post_filter(state, pod, nts)
    if "status" in expected:
        _compare_status("postfilter status", expected["status"], status)
    if "nominated_node_name" in expected:
        # null: no PostFilterResult (the pod's nomination is left as it is); "": a result that clears it
        # (upstream NewPostFilterResultWithNominatedNode("")); a name: preemption nominated that node.
        got = result.nominated_node_name if result is not None else None
        _expect("nominated node", expected["nominated_node_name"], got)
    if "victims" in expected:
        got_v = sorted(result.victims) if result is not None else []
        _expect("victims", sorted(expected["victims"]), got_v)


def _run_scheduler_case(case: Mapping[str, Any]) -> None:
    _check_keys(case, _PLUGIN_KEYS | {"seed", "percentage_of_nodes_to_score"}, {"message", "selected_node", "possible_hosts"})
    expected = case["expected"]
    if "nodes" not in case and "pod" not in case:
        _run_witness_case(case)
        return
    if "nodes" not in case or "pod" not in case:
        raise CaseFailure("an end-to-end scheduler case needs both 'nodes' and 'pod' (or neither, for a witness)")
    sched = Scheduler(seed=int(case.get("seed", 0)), percentage_of_nodes_to_score=int(case.get("percentage_of_nodes_to_score", 0)))
    objects = list(case.get("objects") or []) + list(case.get("pdbs") or [])
    result = sched.schedule_one(_pod(case), list(case["nodes"]), list(case.get("existing_pods") or []), objects)
    if "message" in expected:
        _expect("message", expected["message"], result.message)
    if "selected_node" in expected:
        _expect("selected node", expected["selected_node"], result.selected_node)
    if "possible_hosts" in expected and result.selected_node not in expected["possible_hosts"]:
        raise CaseFailure(f"selected node: expected one of {expected['possible_hosts']!r} vs got {result.selected_node!r}")


def _run_witness_case(case: Mapping[str, Any]) -> None:
    """No inputs: build a witness cluster from ``expected.message`` (k8sdocs/fidelity/witness.py) and require the
    model's message on it to equal the expected one byte for byte."""
    expected = case["expected"]
    extra = sorted(set(expected) - {"message"} - INFO_EXPECTED_KEYS)
    if extra:
        raise CaseFailure(f"without 'nodes' and 'pod' only expected.message can be checked (a witness), not {extra}")
    unused = sorted(set(case) & {"existing_pods", "objects", "pdbs", "plugin_args", "feature_gates", "seed",
                                 "percentage_of_nodes_to_score", "upstream_incoming_pod_node_name"})
    if unused:
        raise CaseFailure(f"a witness case builds its own cluster; {unused} would be ignored")
    message = expected.get("message")
    if not isinstance(message, str):
        raise CaseFailure("a case without 'nodes' and 'pod' needs a string expected.message to build a witness")
    try:
        run = witness.run_witness(message)
    except witness.WitnessError as err:
        raise CaseFailure(f"no witness cluster for the message: {err}") from err
    _expect("message (witness cluster)", message, run.result.message)


# -- functions ----------------------------------------------------------------------------------------------------
def _fn_normalize(case: Mapping[str, Any]) -> None:
    _check_keys(case, {"function", "input", "expected"}, {"scores"})
    inp = case["input"]
    pairs = [[str(i), int(s)] for i, s in enumerate(inp["scores"])]
    default_normalize_score(int(inp.get("max_priority", 100)), bool(inp.get("reverse", False)), pairs)
    _expect("scores", [int(s) for s in case["expected"]["scores"]], [v for _, v in pairs])


_GLOBAL_PCT = ("percentageOfNodesToScore", "globalPercentageOfNodesToScore", "globalPercentage")
_PROFILE_PCT = ("profilePercentageOfNodesToScore", "profilePercentage")


def _percentages(inp: Mapping[str, Any]) -> tuple[int, int | None]:
    unknown = set(inp) - set(_GLOBAL_PCT) - set(_PROFILE_PCT) - {"numAllNodes", "filter", "cycles"}
    if unknown:
        raise CaseFailure(f"unknown input key(s) {sorted(unknown)}")
    global_pct = next((int(inp[k]) for k in _GLOBAL_PCT if inp.get(k) is not None), 0)
    profile_pct = next((int(inp[k]) for k in _PROFILE_PCT if inp.get(k) is not None), None)
    return global_pct, profile_pct


def _fn_num_feasible(case: Mapping[str, Any]) -> None:
    _check_keys(case, {"function", "input", "expected"}, {"numNodes"})
    inp = case["input"]
    global_pct, profile_pct = _percentages(inp)
    got = num_feasible_nodes_to_find(profile_pct, int(inp["numAllNodes"]), global_pct)
    _expect("numNodes", int(case["expected"]["numNodes"]), got)


class _TrueFilter:
    """tf.NewTrueFilterPlugin: every node passes."""

    name = "TrueFilter"

    def __init__(self, args: Any = None, handle: Any = None) -> None:
        pass

    def filter(self, state: CycleState, pod: Any, node_info: Any) -> Status:
        return Status()


class _FalseFilter:
    """tf.NewFalseFilterPlugin: every node fails with ErrReasonFake."""

    name = "FalseFilter"

    def __init__(self, args: Any = None, handle: Any = None) -> None:
        pass

    def filter(self, state: CycleState, pod: Any, node_info: Any) -> Status:
        return Status(Code.Unschedulable, ("Nodes failed the fake plugin",))


class _NumericMap:
    """A score plugin so the scheduler samples nodes (scheduler tests register one)."""

    name = "NumericMap"

    def __init__(self, args: Any = None, handle: Any = None) -> None:
        pass

    def score(self, state: CycleState, pod: Any, node_info: Any) -> tuple[int, Status]:
        return 1, Status()


def _fn_rotation(case: Mapping[str, Any]) -> None:
    _check_keys(case, {"function", "input", "expected"}, {"nodesToFind", "feasible_nodes_per_cycle",
                                                          "nextStartNodeIndex_after_cycle_i"})
    inp = case["input"]
    filters = {"TrueFilter": _TrueFilter, "FalseFilter": _FalseFilter}
    named = [name for name in filters if name in str(inp.get("filter", "TrueFilter"))]
    if len(named) != 1:
        raise CaseFailure(f"unsupported filter {inp.get('filter')!r} (TrueFilter or FalseFilter)")
    global_pct, profile_pct = _percentages(inp)
    n = int(inp["numAllNodes"])
    registry = {named[0]: filters[named[0]], "NumericMap": _NumericMap}
    profile = Profile((PluginSpec(named[0]), PluginSpec("NumericMap", weight=1)), percentage_of_nodes_to_score=profile_pct)
    sched = Scheduler(profile, seed=0, percentage_of_nodes_to_score=global_pct, registry=registry)
    nodes = [{"metadata": {"name": f"node-{i}"}, "status": {"allocatable": {"pods": "110"}}} for i in range(n)]
    snap = Snapshot.build(nodes, [])
    to_find = num_feasible_nodes_to_find(profile_pct, n, global_pct)
    exp = case["expected"]
    if "nodesToFind" in exp:
        _expect("nodesToFind", int(exp["nodesToFind"]), to_find)
    cycles = int(inp.get("cycles", 2 * (n // max(to_find, 1) + 1)))
    indices: list[int] = []
    pod = {"metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": []}}
    for _ in range(cycles):
        sched.framework.snapshot = snap
        feasible, _, _, err = sched._find_nodes_that_fit_pod(CycleState(), pod, snap.node_infos)
        if err:
            raise CaseFailure(err)
        if "feasible_nodes_per_cycle" in exp:
            _expect("feasible nodes per cycle", int(exp["feasible_nodes_per_cycle"]), len(feasible))
        indices.append(sched.next_start_node_index)
    if "nextStartNodeIndex_after_cycle_i" in exp:
        lo, want = _start_indices(exp["nextStartNodeIndex_after_cycle_i"], to_find, n, cycles)
        while len(indices) < lo + len(want):  # the case asks about more cycles than it runs
            sched.framework.snapshot = snap
            sched._find_nodes_that_fit_pod(CycleState(), pod, snap.node_infos)
            indices.append(sched.next_start_node_index)
        _expect("nextStartNodeIndex per cycle", want, indices[lo: lo + len(want)])


_FORMULA = re.compile(r"\(\s*i\s*\+\s*1\s*\)\s*\*\s*(\w+)\s*(?:mod|%)\s*(\w+)"
                      r"(?:\s*,?\s*for\s+i\s*=\s*(\d+)\s*\.\.\.?\s*(\d+))?")


def _start_indices(want: Any, to_find: int, n: int, cycles: int) -> tuple[int, list[int]]:
    """Expected nextStartNodeIndex after cycles lo, lo+1, ...: a list, or upstream's assertion written as a formula.

    schedule_one_test.go TestFairEvaluationForNodes asserts ``nextStartNodeIndex == (i+1)*nodesToFind %
    numAllNodes`` for each cycle i; when the case states that formula (numbers, or the names nodesToFind /
    numAllNodes), the formula is what is checked and an expanded "i.e." list after it is only a comment."""
    if not isinstance(want, str):
        return 0, [int(x) for x in want]
    m = _FORMULA.search(want)
    if not m:
        return 0, [int(x) for x in re.findall(r"-?\d+", want.split("i.e.")[-1])]
    names = {"nodesToFind": to_find, "numAllNodes": n}

    def value(token: str) -> int:
        if token in names:
            return names[token]
        if not token.isdigit():
            raise CaseFailure(f"unknown name {token!r} in {want!r}")
        return int(token)

    k, mod = value(m.group(1)), value(m.group(2))
    lo = int(m.group(3)) if m.group(3) else 0
    hi = int(m.group(4)) if m.group(4) else cycles - 1
    return lo, [(i + 1) * k % mod for i in range(lo, hi + 1)]


def _fn_select_host(case: Mapping[str, Any]) -> None:
    _check_keys(case, {"function", "input", "expected"},
                {"possible_hosts", "error", "expects_error", "expectsErr", "error_message"})
    scores = [(str(e["node"]), int(e.get("totalScore", e.get("score", 0)))) for e in case["input"].get("node_scores") or []]
    exp = case["expected"]
    want_error = next((exp[k] for k in ("error", "error_message", "expects_error", "expectsErr") if k in exp), None)
    if want_error not in (None, False):
        try:
            select_host(scores, random.Random(0))
        except ValueError as err:
            if want_error is not True:
                _expect("error", want_error, str(err))
            return
        raise CaseFailure(f"error: expected {want_error!r} vs got a host")
    chosen = {select_host(scores, random.Random(seed)) for seed in range(32)}
    outside = sorted(chosen - set(exp["possible_hosts"]))
    if outside:
        raise CaseFailure(f"possible hosts: expected {sorted(exp['possible_hosts'])!r} vs got {outside!r}")


def _fn_broken_linear(case: Mapping[str, Any]) -> None:
    _check_keys(case, {"plugin", "extension_point", "function_shape", "expected"}, {"points"})
    shape = [FunctionShapePoint(int(p["utilization"]), int(p["score"])) for p in case["function_shape"]]
    f = build_broken_linear_function(shape)
    want = [(int(p["p"]), int(p["value"])) for p in case["expected"]["points"]]
    _expect("points", want, [(p, f(p)) for p, _ in want])


_FUNCTIONS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "DefaultNormalizeScore": _fn_normalize,
    "numFeasibleNodesToFind": _fn_num_feasible,
    "findNodesThatFitPod rotation": _fn_rotation,
    "selectHost": _fn_select_host,
}


def _dispatch(case: Mapping[str, Any]) -> None:
    if "function" in case:
        fn = _FUNCTIONS.get(str(case["function"]))
        if fn is None:
            raise CaseFailure(f"unknown function {case['function']!r}")
        if "input" not in case:
            raise CaseFailure("function case has no 'input'")
        fn(case)
        return
    plugin = case.get("plugin")
    ext = str(case.get("extension_point") or "")
    if not plugin or not ext:
        raise CaseFailure("unknown case shape: no 'plugin'/'extension_point' and no 'function'")
    if plugin == "helper.BuildBrokenLinearFunction" and ext == "function":
        _fn_broken_linear(case)
    elif plugin == "framework.FitError":
        _run_fit_error_case(case)
    elif plugin == "scheduler":
        _run_scheduler_case(case)
    elif plugin == "DefaultPreemption" and ext == "PostFilter":
        _run_post_filter_case(case)
    elif ext in ("Filter", "PreFilter+Filter", "PreFilter"):
        _run_filter_case(case, ext)
    elif ext in ("Score", "PreScore+Score", "PreScore+Score+NormalizeScore", "Score+NormalizeScore", "PreScore"):
        _run_score_case(case, ext)
    else:
        raise CaseFailure(f"unknown extension_point {ext!r} for plugin {plugin!r}")


def _check_feature_gates(case: Mapping[str, Any]) -> None:
    """An unknown gate stops kube-scheduler before any plugin exists (component-base/featuregate SetFromMap:
    ``unrecognized feature gate: <name>``): the case passes only if it expects that very ``config_error``
    (a ``message``, or ``error``), whatever its family; a known-gate case goes on to its family."""
    gates = case.get("feature_gates")
    if gates is None:
        return
    if not isinstance(gates, Mapping):
        raise CaseFailure(f"feature_gates: expected a mapping of gate names to booleans, got {type(gates).__name__}")
    try:
        feature_gates(gates)
    except UnknownFeatureGateError as err:
        given = case.get("expected")
        expected: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
        want = expected.get("config_error")
        want_text = want.get("message") if isinstance(want, Mapping) else (want or expected.get("error"))
        if want_text is None:
            raise CaseFailure(str(err)) from None
        if want_text is not True and want_text != str(err):
            raise CaseFailure(f"config_error message: expected {want_text!r} vs got {str(err)!r}") from None
        raise _GatePassed() from None


class _GatePassed(Exception):
    """The case expected the unknown-gate error and got it."""


def run_case(case: Mapping[str, Any]) -> CaseResult:
    case_id = str(case.get("id"))
    try:
        _check_feature_gates(case)
        _dispatch(case)
    except _GatePassed:
        return CaseResult(case_id, "PASS")
    except CaseFailure as err:
        return CaseResult(case_id, "FAIL", str(err))
    except (KeyError, TypeError, ValueError) as err:
        return CaseResult(case_id, "FAIL", f"malformed case or model error: {type(err).__name__}: {err}")
    return CaseResult(case_id, "PASS")
