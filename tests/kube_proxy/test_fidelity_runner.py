"""run_case never passes silently: unknown proxier keys, unknown kinds and mismatches are FAILs."""

import copy
from pathlib import Path

import yaml

from k8sdocs.fidelity.kube_proxy import run_case

FIDELITY = Path(__file__).resolve().parents[1] / "fidelity" / "kube-proxy"
CASES = yaml.safe_load((FIDELITY / "cases.yaml").read_text())


def _case(case_id: str) -> dict:
    return copy.deepcopy(next(c for c in CASES if c["id"] == case_id))


def test_unknown_proxier_key_fails_naming_it() -> None:
    case = _case("kp-01")
    case["proxier"]["masquerade_bit"] = 14
    result = run_case(case, FIDELITY)
    assert result.outcome == "FAIL" and "masquerade_bit" in result.detail


def test_unknown_case_kind_fails() -> None:
    case = _case("kp-01")
    case["kind"] = "kube-proxy-nftables"
    result = run_case(case, FIDELITY)
    assert result.outcome == "FAIL" and "kube-proxy-nftables" in result.detail


def test_unknown_object_kind_fails() -> None:
    case = _case("kp-01")
    case["objects"].append({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "svc1", "namespace": "ns1"}})
    result = run_case(case, FIDELITY)
    assert result.outcome == "FAIL" and "Endpoints" in result.detail


def test_mismatch_fails_with_a_short_unified_diff() -> None:
    # fixture 01 was recorded with nfacct counters; without them the KUBE-FORWARD INVALID rule differs.
    case = _case("kp-01")
    case["proxier"]["nfacct"] = False
    result = run_case(case, FIDELITY)
    assert result.outcome == "FAIL"
    assert "-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP" in result.detail
    assert "+-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP" in result.detail
    assert len(result.detail.splitlines()) <= 22


def test_missing_expected_file_fails() -> None:
    case = _case("kp-03")
    case["expected_file"] = "nope.txt"
    assert run_case(case, FIDELITY).outcome == "FAIL"


def test_incomplete_case_is_skipped() -> None:
    case = _case("kp-03")
    case["incomplete"] = True
    assert run_case(case, FIDELITY).line() == "SKIP kp-03: incomplete: true"


def test_settings_left_out_default_to_NewFakeProxier() -> None:
    from k8sdocs.fidelity.kube_proxy import build_config

    config = build_config({"kind": "kube-proxy-iptables", "proxier": {}})
    assert (config.node_name, config.node_ip, config.masquerade_mark, config.cluster_cidr) == (
        "test-node",
        "192.168.0.2",
        "0x4000",
        "10.0.0.0/8",
    )
    assert config.nfacct and config.localhost_nodeports and not config.random_fully
    assert build_config({"node_name": "n2", "proxier": {"nfacct": False}}).node_name == "n2"
