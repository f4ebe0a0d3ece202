"""Witness clusters for end-to-end messages without inputs (k8sdocs/fidelity/witness.py) and the runner's handling of
them, of ``pdbs`` in PostFilter cases, and of the fair-evaluation formula.

Expected messages are written by hand in upstream's formats: FitError.Error (pkg/scheduler/framework/types.go:
"0/%v nodes are available", histogram entries "<count> <reason>" sorted with sort.Strings, joined by ", ", then "."),
DefaultPreemption's PostFilter message ("preemption: " + the same FitError over the dry-run statuses, absent nodes
"Preemption is not helpful for scheduling"; preemption.go Evaluator.Preempt) and the plugins' reason strings.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from k8sdocs.fidelity import scheduler_cases
from k8sdocs.fidelity.runner import main
from k8sdocs.fidelity.witness import (
    SELECTOR_KEY,
    WitnessError,
    parse_message,
    run_witness,
)

ROOT = Path(__file__).resolve().parents[2]
FIT_ERROR_CASES = ROOT / "tests" / "fidelity" / "scheduler" / "fit_error_messages.yaml"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
TAINT = "node(s) had untolerated taint(s)"  # tainttoleration/taint_toleration.go ErrReasonNotMatch (v1.35)
SELECTOR = "node(s) didn't match Pod's node affinity/selector"  # nodeaffinity/node_affinity.go ErrReasonPod
PORTS = "node(s) didn't have free ports for the requested pod ports"  # nodeports/node_ports.go ErrReason
NO_VICTIMS = "No preemption victims found for incoming pod"  # default_preemption.go


def _case(message: str, case_id: str = "w-1") -> dict:
    return {"id": case_id, "plugin": "scheduler", "derived": True,
            "extension_point": "FailedScheduling event / PodScheduled condition message",
            "expected": {"message": message}}


def _outcome(case: dict) -> tuple[str, str]:
    r = scheduler_cases.run_case(case)
    return r.outcome, r.detail


def test_msg_16_and_msg_17_pass_on_their_witness():
    cases = {c["id"]: c for c in yaml.safe_load(FIT_ERROR_CASES.read_text())}
    for case_id in ("msg-16", "msg-17"):
        assert "nodes" not in cases[case_id] and "pod" not in cases[case_id]
        assert _outcome(cases[case_id]) == ("PASS", "")


MSG_17 = (f"0/3 nodes are available: 1 {TAINT}, 2 {SELECTOR}. "
          f"preemption: 0/3 nodes are available: 3 {NOT_HELPFUL}.")


def test_msg_17_witness_exercises_filter_order():
    """default_plugins.go: TaintToleration runs before NodeAffinity; the tainted node also lacks the selected label
    and still reports only the taint (the first failing Filter plugin ends the node's evaluation)."""
    run = run_witness(MSG_17)
    tainted = [n for n in run.witness.nodes if n["spec"].get("taints")]
    assert len(tainted) == 1
    assert SELECTOR_KEY not in tainted[0]["metadata"]["labels"]
    assert run.result.filter_statuses[tainted[0]["metadata"]["name"]].plugin == "TaintToleration"
    assert run.result.message == MSG_17


@pytest.mark.parametrize("message", [
    # Reasons swapped: sort.Strings puts "1 node(s) had..." before "2 node(s) didn't...".
    f"0/3 nodes are available: 2 {SELECTOR}, 1 {TAINT}. preemption: 0/3 nodes are available: 3 {NOT_HELPFUL}.",
    # Preemption histogram out of order ("1 Insufficient cpu" < "2 No preemption...").
    f"0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 2 {NO_VICTIMS}, "
    f"1 Insufficient cpu.",
])
def test_wrong_sort_order_fails(message):
    outcome, detail = _outcome(_case(message))
    assert outcome == "FAIL"
    assert detail.startswith("message (witness cluster): expected ")


def test_legacy_taint_text_fails():
    legacy = "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"  # before v1.35
    outcome, detail = _outcome(_case(MSG_17.replace(TAINT, legacy)))
    assert outcome == "FAIL"
    assert detail == f"no witness cluster for the message: no witness builder for reason {legacy!r}"


@pytest.mark.parametrize("message, why", [
    (f"0/3 nodes are available: 1 {TAINT}, 1 {SELECTOR}. preemption: 0/3 nodes are available: 3 {NOT_HELPFUL}.",
     "the reasons count 1 node(s) fewer than the message's nodes"),
    (f"0/2 nodes are available: 1 {TAINT}, 2 {SELECTOR}. preemption: 0/2 nodes are available: 2 {NOT_HELPFUL}.",
     "the histogram counts 3 single-reason nodes but the message has 2"),
    (f"0/2 nodes are available: 3 Insufficient cpu. preemption: 0/2 nodes are available: 2 {NOT_HELPFUL}.",
     "'Insufficient cpu' counts more nodes than those left for NodeResourcesFit (2)"),
    (f"0/2 nodes are available: 2 {TAINT}. preemption: 0/2 nodes are available: 1 {NOT_HELPFUL}.",
     f"2 node(s) are UnschedulableAndUnresolvable but the preemption part counts 1 '{NOT_HELPFUL}'"),
])
def test_wrong_count_sum_fails(message, why):
    assert _outcome(_case(message)) == ("FAIL", f"no witness cluster for the message: {why}")


@pytest.mark.parametrize("message, why", [
    ("0/1 nodes are available: 1 node(s) had volume node affinity conflict. "
     f"preemption: 0/1 nodes are available: 1 {NOT_HELPFUL}.",
     "no witness builder for reason 'node(s) had volume node affinity conflict'"),
    (f"0/1 nodes are available: 1 Insufficient foo. preemption: 0/1 nodes are available: 1 {NOT_HELPFUL}.",
     "no witness builder for reason 'Insufficient foo'"),
    ("0/1 nodes are available: node(s) didn't satisfy plugin(s) [A B] simultaneously. "
     f"preemption: 0/1 nodes are available: 1 {NOT_HELPFUL}.",
     "no witness builder for PreFilter message \"node(s) didn't satisfy plugin(s) [A B] simultaneously\""),
    ("0/1 nodes are available: 1 Insufficient cpu. Error running PostFilter plugin FailedPostFilter",
     "the message does not end with '.'"),
    ("1 node(s) are available", "the message does not start with '0/N nodes are available: '"),
    (f"0/2 nodes are available: 2 {TAINT}. preemption: 0/3 nodes are available: 3 {NOT_HELPFUL}.",
     "the preemption part counts 3 nodes, the message 2"),
])
def test_unknown_reason_or_unparsable_message_fails(message, why):
    assert _outcome(_case(message)) == ("FAIL", f"no witness cluster for the message: {why}")


@pytest.mark.parametrize("message", [
    # Preemption succeeds (a lower-priority pod fills the node): PostFilterMsg is empty, no preemption part.
    "0/2 nodes are available: 2 Insufficient cpu.",
    f"0/4 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 2 {SELECTOR}.",
    # Resolvable nodes filled by pods of higher priority; one still short of memory after removing victims.
    "0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory. "
    f"preemption: 0/2 nodes are available: 1 Insufficient memory, 1 {NOT_HELPFUL}.",
    f"0/5 nodes are available: 1 Insufficient memory, 1 {PORTS}, 1 node(s) were unschedulable, 2 Insufficient cpu, "
    f"3 Too many pods. preemption: 0/5 nodes are available: 1 {NO_VICTIMS}, 1 Too many pods, 1 {PORTS}, "
    f"2 {NOT_HELPFUL}.",
    "0/4 nodes are available: 1 node(s) didn't match pod affinity rules, 1 node(s) didn't match pod anti-affinity "
    "rules, 1 node(s) didn't match pod topology spread constraints, 1 node(s) didn't satisfy existing pods "
    f"anti-affinity rules. preemption: 0/4 nodes are available: 1 {NOT_HELPFUL}, 3 {NO_VICTIMS}.",
    "0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label), "
    "2 node(s) didn't match pod topology spread constraints.",
    "0/3 nodes are available: 1 node(s) didn't satisfy plugin(s) [NodeAffinity], 2 Insufficient nvidia.com/gpu. "
    "preemption: not eligible due to preemptionPolicy=Never.",
    "0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated "
    "node.",
    f"0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 {NOT_HELPFUL}.",
    "0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn't match the requested node name. "
    f"preemption: 0/3 nodes are available: 1 Insufficient memory, 2 {NOT_HELPFUL}.",
    "0/6 nodes are available: 1 Insufficient ephemeral-storage, 1 Insufficient hugepages-2Mi, 2 Too many pods, "
    "3 Insufficient example.com/foo. preemption: 0/6 nodes are available: 1 Insufficient example.com/foo, "
    f"5 {NO_VICTIMS}.",
])
def test_other_message_shapes_pass(message):
    assert _outcome(_case(message)) == ("PASS", "")


def test_parse_message_parts():
    parsed = parse_message(MSG_17)
    assert parsed.main.num_nodes == 3
    assert parsed.main.histogram == ((1, TAINT), (2, SELECTOR))
    assert parsed.preemption is not None and parsed.preemption.histogram == ((3, NOT_HELPFUL),)
    with pytest.raises(WitnessError):
        parse_message(f"0/2 nodes are available: 1 {TAINT}, 1 {TAINT}.")


def test_witness_is_deterministic():
    a, b = run_witness(MSG_17), run_witness(MSG_17)
    assert (a.witness.nodes, a.witness.pods, a.witness.pod) == (b.witness.nodes, b.witness.pods, b.witness.pod)


def test_witness_case_rejects_other_expectations_and_partial_inputs():
    case = _case(MSG_17)
    case["expected"]["selected_node"] = "node-1"
    assert _outcome(case)[0] == "FAIL"
    case = _case(MSG_17)
    case["nodes"] = []
    assert _outcome(case) == (
        "FAIL", "an end-to-end scheduler case needs both 'nodes' and 'pod' (or neither, for a witness)")


# -- pdbs in DefaultPreemption PostFilter cases ----------------------------------------------------------------
def _pdb_case(pdbs: list[dict]) -> dict:
    """Two equal candidates; only node1's victim is covered by a PDB with no disruptions allowed.
    pickOneNodeForPreemption (preemption.go) ranks by fewest PDB violations first, so node2 wins when the PDB is
    seen; without it every criterion ties and the first candidate (node1) is kept."""
    def node(name: str) -> dict:
        return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
                "status": {"capacity": {"pods": "1"}, "allocatable": {"pods": "1"}}}

    def pod(name: str, node_name: str, labels: dict) -> dict:
        return {"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": "default", "labels": labels},
                "spec": {"nodeName": node_name, "priority": 0, "containers": []}}

    return {
        "id": "pdb-1", "plugin": "DefaultPreemption", "extension_point": "PostFilter",
        "filter_plugins_during_dry_run": ["NodeResourcesFit"],
        "nodes": [node("node1"), node("node2")],
        "existing_pods": [pod("a", "node1", {"app": "protected"}), pod("b", "node2", {"app": "free"})],
        "pdbs": pdbs,
        "pod": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
                "spec": {"priority": 100, "containers": []}},
        "filtered_node_statuses": {"node1": {"code": "Unschedulable"}, "node2": {"code": "Unschedulable"}},
        "expected": {"status": "Success", "nominated_node_name": "node2", "victims": ["default/b"]},
    }


PDB = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "pdb", "namespace": "default"},
       "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "protected"}}},
       "status": {"disruptionsAllowed": 0}}


def test_postfilter_case_passes_pdbs_to_the_plugin():
    assert _outcome(_pdb_case([PDB])) == ("PASS", "")
    outcome, detail = _outcome(_pdb_case([]))
    assert outcome == "FAIL" and detail == "nominated node: expected 'node2' vs got 'node1'"


# -- fair evaluation (scheduler_core.yaml fair-evaluation-01) -----------------------------------------------------
def _fair_case(expected_index: str) -> dict:
    case = {c["id"]: c for c in yaml.safe_load((ROOT / "tests" / "fidelity" / "scheduler" / "scheduler_core.yaml")
                                                 .read_text())}["fair-evaluation-01"]
    case = copy.deepcopy(case)
    case["expected"]["nextStartNodeIndex_after_cycle_i"] = expected_index
    return case


def test_fair_evaluation_checks_upstream_formula_not_the_expanded_list():
    """schedule_one_test.go TestFairEvaluationForNodes asserts nextStartNodeIndex == (i+1)*nodesToFind % numAllNodes
    (500 nodes, 30 % -> 150): 150, 300, 450, 100, 250, 400, 50, 200. The case's "i.e." list (150, 300, 0, ...) is
    wrong; the formula decides."""
    original = _fair_case("(i+1)*150 mod 500 for i = 0..7, i.e. 150, 300, 0, 150, 300, 0, 150, 300")
    assert _outcome(original) == ("PASS", "")
    assert _outcome(_fair_case("[150, 300, 450, 100, 250, 400, 50, 200]")) == ("PASS", "")
    assert _outcome(_fair_case("150, 300, 0, 150, 300, 0, 150, 300"))[0] == "FAIL"
    assert _outcome(_fair_case("(i+1)*140 mod 500 for i = 0..7"))[0] == "FAIL"
    # The formula as upstream writes it, and a later window of cycles (i = 9..11: 0, 150, 300).
    assert _outcome(_fair_case("(i+1)*nodesToFind % numAllNodes")) == ("PASS", "")
    assert _outcome(_fair_case("(i+1)*150 mod 500 for i = 9..11")) == ("PASS", "")
    assert _outcome(_fair_case("[0, 150, 300]"))[0] == "FAIL"  # a list starts at cycle 0 (150)


def test_plain_run_over_the_upstream_copy_has_no_failures(capsys):
    assert main([str(ROOT / "tests" / "fidelity" / "scheduler")]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.split(", ")[1] == "0 failed"
