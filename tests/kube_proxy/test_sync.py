"""sync_proxy_rules against upstream expectations and the rules of syncProxyRules (proxier.go)."""

from pathlib import Path

import pytest
import yaml

from k8sdocs.fidelity.kube_proxy import run_case
from k8sdocs.model.kube_proxy import ProxierConfig, canonical_order, sync_proxy_rules

ROOT = Path(__file__).resolve().parents[1]
FIDELITY = ROOT / "fidelity" / "kube-proxy"
OWN = Path(__file__).parent / "cases"
FAKE = ProxierConfig(node_name="test-node", masquerade_mark="0x4000", cluster_cidr="10.0.0.0/8")


def _cases(folder: Path) -> list[tuple[dict, Path]]:
    return [(c, folder) for c in yaml.safe_load((folder / "cases.yaml").read_text())]


@pytest.mark.parametrize(("case", "folder"), _cases(FIDELITY) + _cases(OWN), ids=lambda v: v["id"] if isinstance(v, dict) else "")
def test_fidelity_case_passes(case: dict, folder: Path) -> None:
    result = run_case(case, folder)
    assert result.outcome == "PASS", result.line()


def svc(ns: str, name: str, ip: str, ports: list[dict] | None = None, **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"type": "ClusterIP", "clusterIP": ip, "ports": ports or [{"name": "p80", "port": 80, "protocol": "TCP"}], **spec},
    }


def eps(ns: str, name: str, endpoints: list[dict], ports: list[dict] | None = None, slice_name: str | None = None) -> dict:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": slice_name or f"{name}-1", "namespace": ns, "labels": {"kubernetes.io/service-name": name}},
        "addressType": "IPv4",
        "ports": ports or [{"name": "p80", "port": 80, "protocol": "TCP"}],
        "endpoints": endpoints,
    }


def rules_of(text: str, chain: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"-A {chain} ")]


def test_endpoints_sorted_lexicographically_by_ip_port() -> None:
    # byEndpoint.Less: e[i].String() < e[j].String() (pkg/proxy/endpointslicecache.go): "10.0.1.10:80" < "10.0.1.2:80".
    out = sync_proxy_rules(
        [svc("ns1", "svc1", "172.30.0.41")],
        [eps("ns1", "svc1", [{"addresses": ["10.0.1.2"]}, {"addresses": ["10.0.1.10"]}, {"addresses": ["10.0.1.3"]}])],
        FAKE,
    )
    svc_rules = rules_of(out, "KUBE-SVC-XPGD46QRK7WJZT7O")
    assert [r.split('"')[1] for r in svc_rules[1:]] == [
        "ns1/svc1:p80 -> 10.0.1.10:80",
        "ns1/svc1:p80 -> 10.0.1.2:80",
        "ns1/svc1:p80 -> 10.0.1.3:80",
    ]
    assert "--probability 0.3333333333" in svc_rules[1]
    assert "--probability 0.5000000000" in svc_rules[2]
    assert "statistic" not in svc_rules[3]


def test_raw_emission_order_matches_upstream_buffers() -> None:
    # filterChains/natChains are written first with these fixed chains (proxier.go "Write chain lines for
    # all the top-level chains"), and KUBE-POSTROUTING/KUBE-MARK-MASQ rules precede the service rules.
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [eps("ns1", "svc1", [{"addresses": ["10.0.1.1"]}])], FAKE)
    lines = out.splitlines()
    assert lines[:7] == [
        "*filter",
        ":KUBE-SERVICES - [0:0]",
        ":KUBE-EXTERNAL-SERVICES - [0:0]",
        ":KUBE-FORWARD - [0:0]",
        ":KUBE-NODEPORTS - [0:0]",
        ":KUBE-PROXY-FIREWALL - [0:0]",
        ":KUBE-FIREWALL - [0:0]",
    ]
    nat = lines[lines.index("*nat") :]
    assert nat[1:5] == [":KUBE-SERVICES - [0:0]", ":KUBE-NODEPORTS - [0:0]", ":KUBE-POSTROUTING - [0:0]", ":KUBE-MARK-MASQ - [0:0]"]
    assert nat[-2].startswith('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule')
    assert out.endswith("COMMIT\n")


def test_service_without_endpoints_is_rejected_in_filter() -> None:
    # TestOverallIPTablesRules, ns6/svc6; and no nat chains at all for it.
    out = sync_proxy_rules([svc("ns6", "svc6", "172.30.0.46")], [], FAKE)
    assert rules_of(out, "KUBE-SERVICES")[0] == (
        '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT'
    )
    assert "KUBE-SVC-" not in out


def test_only_ready_endpoints_then_serving_terminating_fallback() -> None:
    # CategorizeEndpoints (pkg/proxy/topology.go): Ready endpoints, else Serving+Terminating ones.
    not_ready = {"addresses": ["10.0.1.2"], "conditions": {"ready": False, "serving": False}}
    ready = {"addresses": ["10.0.1.1"], "conditions": {"ready": True}}
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [eps("ns1", "svc1", [ready, not_ready])], FAKE)
    assert "10.0.1.2" not in out
    terminating = {"addresses": ["10.0.1.3"], "conditions": {"ready": False, "serving": True, "terminating": True}}
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [eps("ns1", "svc1", [not_ready, terminating])], FAKE)
    assert rules_of(out, "KUBE-SVC-XPGD46QRK7WJZT7O")[-1] == (
        '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.3:80" -j KUBE-SEP-'
        + rules_of(out, "KUBE-SVC-XPGD46QRK7WJZT7O")[-1].rsplit("KUBE-SEP-", 1)[1]
    )
    assert "10.0.1.2" not in out


def test_udp_and_sctp_protocols_are_lower_case_matches() -> None:
    dns = svc("kube-system", "kube-dns", "10.96.0.10", [{"name": "dns", "port": 53, "protocol": "UDP"}])
    out = sync_proxy_rules(
        [dns], [eps("kube-system", "kube-dns", [{"addresses": ["10.244.0.5"]}], [{"name": "dns", "port": 53, "protocol": "UDP"}])], FAKE
    )
    assert "-A KUBE-SERVICES -m comment --comment \"kube-system/kube-dns:dns cluster IP\" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU" in out
    sctp = svc("ns1", "s", "172.30.0.9", [{"name": "x", "port": 9, "protocol": "SCTP"}])
    out = sync_proxy_rules([sctp], [eps("ns1", "s", [{"addresses": ["10.0.0.9"]}], [{"name": "x", "port": 9, "protocol": "SCTP"}])], FAKE)
    assert "-m sctp -p sctp -j DNAT --to-destination 10.0.0.9:9" in out


def test_endpoint_port_must_match_service_port_name_and_protocol() -> None:
    # EndpointsMap keys are ServicePortName{NamespacedName, Port name, Protocol}.
    out = sync_proxy_rules(
        [svc("ns1", "svc1", "172.30.0.41")],
        [eps("ns1", "svc1", [{"addresses": ["10.0.1.1"]}], [{"name": "p80", "port": 8080, "protocol": "UDP"}])],
        FAKE,
    )
    assert '"ns1/svc1:p80 has no endpoints"' in out


def test_target_port_comes_from_the_slice() -> None:
    out = sync_proxy_rules(
        [svc("ns1", "svc1", "172.30.0.41")],
        [eps("ns1", "svc1", [{"addresses": ["10.0.1.1"]}], [{"name": "p80", "port": 8080, "protocol": "TCP"}])],
        FAKE,
    )
    assert "-j DNAT --to-destination 10.0.1.1:8080" in out
    assert "--dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O" in out


def test_localhost_nodeports_off_and_nfacct_off() -> None:
    # proxier.go: without localhostNodePorts no KUBE-FIREWALL chain and the last KUBE-SERVICES rule gets
    # "! -d 127.0.0.0/8"; without nfacct counters no 127.0.0.0/8 NodePort rule and a plain INVALID DROP.
    cfg = ProxierConfig(node_name="test-node", cluster_cidr="10.0.0.0/8", localhost_nodeports=False, nfacct=False)
    np = svc("ns3", "svc3", "172.30.0.43", [{"name": "p80", "port": 80, "protocol": "TCP", "nodePort": 3003}], type="NodePort")
    out = sync_proxy_rules([np], [eps("ns3", "svc3", [{"addresses": ["10.180.0.3"]}])], cfg)
    assert "KUBE-FIREWALL" not in out
    assert "127.0.0.0/8 --dport" not in out
    assert "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP" in out
    assert out.splitlines()[-2] == (
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"'
        " -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS"
    )
    assert rules_of(out, "KUBE-NODEPORTS") == [
        "-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK"
    ]


def test_random_fully_and_masquerade_all() -> None:
    cfg = ProxierConfig(node_name="n", cluster_cidr="10.0.0.0/8", random_fully=True, masquerade_all=True)
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [eps("ns1", "svc1", [{"addresses": ["10.0.1.1"]}])], cfg)
    assert '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully' in out
    assert rules_of(out, "KUBE-SVC-XPGD46QRK7WJZT7O")[0] == (
        '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ'
    )


def test_internal_traffic_policy_local_uses_svl_chain_and_drops_without_local_endpoints() -> None:
    local_svc = svc("ns1", "svc1", "172.30.1.1", [{"name": "", "port": 80, "protocol": "TCP"}], internalTrafficPolicy="Local")
    ports = [{"name": "", "port": 80, "protocol": "TCP"}]
    three = [
        {"addresses": ["10.0.1.1"], "nodeName": "test-node"},
        {"addresses": ["10.0.1.2"], "nodeName": "host1"},
        {"addresses": ["10.0.1.3"], "nodeName": "host2"},
    ]
    out = sync_proxy_rules([local_svc], [eps("ns1", "svc1", three, ports)], FAKE)
    # TestInternalTrafficPolicyE2E "internalTrafficPolicy is local and there are local endpoints" (v1.28):
    # KUBE-SERVICES jumps to KUBE-SVL-AQI2S6QIMU7PVVRP: masquerade rule, then only the local endpoint.
    assert (
        '-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVL-AQI2S6QIMU7PVVRP'
        in out
    )
    assert rules_of(out, "KUBE-SVL-AQI2S6QIMU7PVVRP") == [
        '-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80'
        " ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ",
        '-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -j KUBE-SEP-3JOIVZTXZZRGORX4',
    ]
    assert "KUBE-SVC-AQI2S6QIMU7PVVRP" not in out
    remote = [e for e in three if e["nodeName"] != "test-node"]
    out = sync_proxy_rules([local_svc], [eps("ns1", "svc1", remote, ports)], FAKE)
    assert '-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no local endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j DROP' in out


def test_large_cluster_mode_drops_endpoint_comments() -> None:
    # largeClusterEndpointsThreshold = 1000: above it appendServiceCommentLocked adds nothing.
    many = [{"addresses": [f"10.1.{i // 250}.{i % 250 + 1}"]} for i in range(1001)]
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [eps("ns1", "svc1", many)], FAKE)
    sep_rules = [line for line in out.splitlines() if line.startswith("-A KUBE-SEP-")]
    assert len(sep_rules) == 2002 and not any("--comment" in r for r in sep_rules)
    svc_rules = rules_of(out, "KUBE-SVC-XPGD46QRK7WJZT7O")
    assert "--comment" in svc_rules[0]  # the cluster IP masquerade rule keeps its explicit comment
    assert svc_rules[1].startswith("-A KUBE-SVC-XPGD46QRK7WJZT7O -m statistic --mode random --probability 0.0009990010 ")


def test_headless_and_externalname_services_are_skipped() -> None:
    headless = svc("ns1", "h", "None")
    ext = svc("ns1", "e", "172.30.0.50", type="ExternalName")
    out = sync_proxy_rules([headless, ext], [], FAKE)
    assert '"ns1/h' not in out and '"ns1/e' not in out


def test_output_is_deterministic_and_canonicalizable() -> None:
    services = [svc(f"ns{i}", f"svc{i}", f"172.30.0.{i}") for i in range(1, 6)]
    slices = [eps(f"ns{i}", f"svc{i}", [{"addresses": [f"10.0.{i}.1"]}]) for i in range(1, 6)]
    a = sync_proxy_rules(services, slices, FAKE)
    b = sync_proxy_rules(list(reversed(services)), list(reversed(slices)), FAKE)
    assert a == b
    assert canonical_order(canonical_order(a)) == canonical_order(a)


def test_ipv4_proxier_ignores_ipv6_addresses_and_slices() -> None:
    # addEndpoints: (ipFamily == IPv6) != utilnet.IsIPv6String(address) -> skipped;
    # EndpointSliceUpdate ignores slices whose addressType this proxier does not handle.
    v6_slice = eps("ns1", "svc1", [{"addresses": ["fd00::1"]}], slice_name="svc1-v6")
    v6_slice["addressType"] = "IPv6"
    mixed = eps("ns1", "svc1", [{"addresses": ["fd00::2"]}, {"addresses": ["10.0.1.1"]}])
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [v6_slice, mixed], FAKE)
    assert "fd00" not in out
    assert rules_of(out, "KUBE-SVC-XPGD46QRK7WJZT7O")[1] == (
        '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j KUBE-SEP-SNQ3ZNILQDEJNDQO'
    )


def test_endpoints_from_several_slices_are_merged_and_deduplicated() -> None:
    a = eps("ns1", "svc1", [{"addresses": ["10.0.1.2"]}, {"addresses": ["10.0.1.1"]}], slice_name="svc1-a")
    b = eps("ns1", "svc1", [{"addresses": ["10.0.1.1"]}, {"addresses": ["10.0.1.3"]}], slice_name="svc1-b")
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [a, b], FAKE)
    assert [r.split('"')[1] for r in rules_of(out, "KUBE-SVC-XPGD46QRK7WJZT7O")[1:]] == [
        "ns1/svc1:p80 -> 10.0.1.1:80",
        "ns1/svc1:p80 -> 10.0.1.2:80",
        "ns1/svc1:p80 -> 10.0.1.3:80",
    ]


def _zone_case_slice() -> dict:
    return eps(
        "ns1",
        "svc1",
        [
            {"addresses": ["10.0.1.1"], "zone": "zone-a", "hints": {"forZones": [{"name": "zone-a"}]}},
            {"addresses": ["10.0.1.2"], "zone": "zone-b", "hints": {"forZones": [{"name": "zone-b"}]}},
            {"addresses": ["10.0.1.3"], "zone": "zone-a", "hints": {"forZones": [{"name": "zone-a"}]}},
        ],
    )


def test_topology_zone_hints_restrict_cluster_endpoints() -> None:
    # topologyModeFromHints: every ready endpoint has a zone hint and one matches this node's zone
    # -> PreferSameZone; clusterEndpoints keeps only endpoints hinted for the zone.
    cfg = ProxierConfig(node_name="test-node", cluster_cidr="10.0.0.0/8", zone="zone-a")
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [_zone_case_slice()], cfg)
    assert [r.split('"')[1] for r in rules_of(out, "KUBE-SVC-XPGD46QRK7WJZT7O")[1:]] == [
        "ns1/svc1:p80 -> 10.0.1.1:80",
        "ns1/svc1:p80 -> 10.0.1.3:80",
    ]
    assert "10.0.1.2" not in out
    # A zone no endpoint is hinted for (or no zone label) ignores the hints.
    for zone in ("zone-c", ""):
        cfg = ProxierConfig(node_name="test-node", cluster_cidr="10.0.0.0/8", zone=zone)
        out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [_zone_case_slice()], cfg)
        assert "10.0.1.2:80" in out


def test_topology_node_hints_take_precedence() -> None:
    slice_ = eps(
        "ns1",
        "svc1",
        [
            {"addresses": ["10.0.1.1"], "hints": {"forNodes": [{"name": "test-node"}], "forZones": [{"name": "z"}]}},
            {"addresses": ["10.0.1.2"], "hints": {"forNodes": [{"name": "other"}], "forZones": [{"name": "z"}]}},
        ],
    )
    cfg = ProxierConfig(node_name="test-node", cluster_cidr="10.0.0.0/8", zone="z")
    out = sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [slice_], cfg)
    assert "10.0.1.2" not in out and "10.0.1.1:80" in out


def test_runner_takes_the_zone_from_the_proxy_node() -> None:
    from k8sdocs.fidelity.kube_proxy import run_case

    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "test-node", "labels": {"topology.kubernetes.io/zone": "zone-a"}}}
    other = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "host1", "labels": {"topology.kubernetes.io/zone": "zone-b"}}}
    cfg = ProxierConfig(node_name="test-node", node_ip="192.168.0.2", cluster_cidr="10.0.0.0/8", zone="zone-a")
    expected = canonical_order(sync_proxy_rules([svc("ns1", "svc1", "172.30.0.41")], [_zone_case_slice()], cfg))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "exp.txt").write_text(expected)
        case = {
            "id": "zone",
            "kind": "kube-proxy-iptables",
            "node_name": "test-node",
            "proxier": {},
            "objects": [svc("ns1", "svc1", "172.30.0.41"), _zone_case_slice(), other, node],
            "expected_file": "exp.txt",
        }
        assert run_case(case, Path(tmp)).outcome == "PASS"
        case["objects"] = [o for o in case["objects"] if o is not node]
        assert run_case(case, Path(tmp)).outcome == "FAIL"
