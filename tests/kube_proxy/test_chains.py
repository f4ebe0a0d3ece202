"""Chain-name hashes and probabilities, checked against values upstream computes.

Hashes: k8s-facts §3.2 (recomputed from portProtoHash / servicePortEndpointChainName in
pkg/proxy/iptables/proxier.go) and the chain names in proxier_test.go expectations.
Probabilities: TestComputeProbability in pkg/proxy/iptables/proxier_test.go.
"""

import pytest

from k8sdocs.model.kube_proxy import chains


@pytest.mark.parametrize(
    ("spn", "proto", "expected"),
    [
        ("ns1/svc1:p80", "tcp", "XPGD46QRK7WJZT7O"),  # KUBE-SVC-XPGD46QRK7WJZT7O (TestSyncProxyRulesRepeated)
        ("ns1/svc1", "tcp", "AQI2S6QIMU7PVVRP"),  # unnamed port (TestInternalTrafficPolicyE2E)
        ("kube-system/kube-dns:dns", "udp", "TCOU7JCQXEZGVUNU"),
        ("default/kubernetes:https", "tcp", "NPX46M4PTMTKRN6Y"),
        ("ns5/svc5:p80", "tcp", "NUKIZ6OKUXPJNT4C"),  # KUBE-FW-NUKIZ6OKUXPJNT4C (TestOverallIPTablesRules)
    ],
)
def test_port_proto_hash_matches_upstream(spn: str, proto: str, expected: str) -> None:
    assert chains.port_proto_hash(spn, proto) == expected


def test_protocol_must_be_lower_case() -> None:
    # strings.ToLower(string(svcPort.Protocol())): "TCP" would give a different chain.
    assert chains.port_proto_hash("ns1/svc1:p80", "TCP") != "XPGD46QRK7WJZT7O"
    assert chains.port_proto_hash("ns1/svc1:p80", "TCP") == "3UP2Z6VMNQ3MME3P"  # k8s-facts §3.2


def test_endpoint_chain_names_from_upstream_fixtures() -> None:
    assert chains.service_port_endpoint_chain_name("ns1/svc1", "tcp", "10.0.1.1:80") == "KUBE-SEP-3JOIVZTXZZRGORX4"
    assert chains.service_port_endpoint_chain_name("ns1/svc1:p80", "tcp", "10.0.1.1:80") == "KUBE-SEP-SNQ3ZNILQDEJNDQO"
    assert chains.service_port_endpoint_chain_name("ns3/svc3:p80", "tcp", "10.0.3.3:80") == "KUBE-SEP-JVVZVJ7BSEPPRNBS"


def test_all_policy_chains_share_the_hash() -> None:
    assert chains.service_port_policy_cluster_chain("ns2/svc2:p80", "tcp") == "KUBE-SVC-GNZBNJ2PO5MGZ6GT"
    assert chains.service_port_policy_local_chain_name("ns2/svc2:p80", "tcp") == "KUBE-SVL-GNZBNJ2PO5MGZ6GT"
    assert chains.service_external_chain_name("ns2/svc2:p80", "tcp") == "KUBE-EXT-GNZBNJ2PO5MGZ6GT"
    assert chains.service_firewall_chain_name("ns2/svc2:p80", "tcp") == "KUBE-FW-GNZBNJ2PO5MGZ6GT"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1.0000000000"),
        (2, "0.5000000000"),
        (10, "0.1000000000"),
        (100, "0.0100000000"),
        (1000, "0.0010000000"),
        (10000, "0.0001000000"),
        (100000, "0.0000100000"),
        (100001, "0.0000099999"),
    ],
)
def test_compute_probability_upstream_TestComputeProbability(n: int, expected: str) -> None:
    assert chains.compute_probability(n) == expected


def test_is_service_chain_name() -> None:
    assert chains.is_service_chain_name("KUBE-SEP-AYCN5HPXMIRJNJXU")
    assert chains.is_service_chain_name("KUBE-FW-NUKIZ6OKUXPJNT4C")
    assert not chains.is_service_chain_name("KUBE-SERVICES")
    assert not chains.is_service_chain_name("KUBE-MARK-MASQ")
