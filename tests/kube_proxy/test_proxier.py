"""The stateful Proxier reproduces upstream's partial sync and stale-chain deletion
(TestSyncProxyRulesRepeated, fixtures 02 and 04 in tests/fidelity/kube-proxy)."""

from pathlib import Path

from k8sdocs.model.kube_proxy import ProxierConfig, canonical_order
from k8sdocs.model.kube_proxy.proxier import FULL_SYNC_PERIOD_MS, Proxier

FIDELITY = Path(__file__).resolve().parents[1] / "fidelity" / "kube-proxy"
CONFIG = ProxierConfig(node_name="test-node", masquerade_mark="0x4000", cluster_cidr="10.0.0.0/8")


def expected(name: str) -> str:
    lines = [line for line in (FIDELITY / name).read_text().splitlines() if not line.startswith("#")]
    return "\n".join(lines).strip("\n") + "\n"


def svc(ns: str, name: str, ip: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"type": "ClusterIP", "clusterIP": ip, "ports": [{"name": "p80", "port": 80, "protocol": "TCP"}]},
    }


def eps(ns: str, name: str, ips: list[str]) -> dict:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": f"{name}-1", "namespace": ns, "labels": {"kubernetes.io/service-name": name}},
        "addressType": "IPv4",
        "ports": [{"name": "p80", "port": 80, "protocol": "TCP"}],
        "endpoints": [{"addresses": [ip]} for ip in ips],
    }


def _proxier() -> Proxier:
    p = Proxier(CONFIG)
    for s in (svc("ns1", "svc1", "172.30.0.41"), svc("ns3", "svc3", "172.30.0.43"), svc("ns4", "svc4", "172.30.0.44")):
        p.on_service(s)
    for e in (eps("ns1", "svc1", ["10.0.1.1"]), eps("ns3", "svc3", ["10.0.3.2"]), eps("ns4", "svc4", ["10.0.4.1"])):
        p.on_endpoint_slice(e)
    assert p.sync(0).full_sync
    return p


def test_partial_sync_rewrites_only_the_changed_service_fixture_02() -> None:
    p = _proxier()
    p.on_endpoint_slice(eps("ns3", "svc3", ["10.0.3.2", "10.0.3.3"]))
    record = p.sync(1000)
    assert not record.full_sync
    assert canonical_order(record.result.text) == expected("02-clusterip-2-endpoints-partial-sync.txt")


def test_full_resync_deletes_stale_chains_fixture_04() -> None:
    p = _proxier()
    p.on_endpoint_slice(eps("ns3", "svc3", ["10.0.3.2", "10.0.3.3"]))
    p.sync(1000)
    p.on_service_delete(svc("ns4", "svc4", "172.30.0.44"))
    p.force_full_sync()
    record = p.sync(2000)
    assert record.full_sync
    assert record.result.deleted_chains == ["KUBE-SEP-AYCN5HPXMIRJNJXU", "KUBE-SVC-4SW47YFZTEDKD3PK"]
    assert canonical_order(record.result.text) == expected("04-clusterip-1-and-2-endpoints-full-resync-with-deletions.txt")
    # Once deleted, the chains are gone: the next sync has nothing to delete.
    assert p.sync(3000).result.deleted_chains == []


def test_unchanged_sync_is_partial_and_writes_no_service_chains() -> None:
    p = _proxier()
    text = p.sync(500).result.text
    assert ":KUBE-SVC-" not in text and "-A KUBE-SEP-" not in text
    assert '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP"' in text  # KUBE-SERVICES always in full


def test_full_sync_at_least_every_full_sync_period() -> None:
    p = _proxier()
    assert not p.sync(FULL_SYNC_PERIOD_MS).full_sync
    assert p.sync(FULL_SYNC_PERIOD_MS + 1).full_sync
