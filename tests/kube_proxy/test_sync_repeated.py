"""Replay of upstream's TestSyncProxyRulesRepeated (pkg/proxy/iptables/proxier_test.go, v1.28-era copy:
KUBE-FORWARD INVALID rule without nfacct) through the stateful Proxier: every step's restore input,
in sortIPTablesRules order, must equal the test's `expected` block (full sync, partial syncs that
rewrite only changed services, stale chains flushed and `-X`-ed, a no-change sync, and the full resync)."""

from k8sdocs.model.kube_proxy import ProxierConfig, canonical_order
from k8sdocs.model.kube_proxy.proxier import Proxier

CONFIG = ProxierConfig(node_name="test-node", masquerade_mark="0x4000", cluster_cidr="10.0.0.0/8", nfacct=False)

FILTER = """*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
"""
NAT_FIXED_CHAINS = ":KUBE-NODEPORTS - [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-POSTROUTING - [0:0]\n"
LAST = '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n'
POST = """-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
"""
S1 = '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O\n'
S2 = '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p8080 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 8080 -j KUBE-SVC-2VJB64SDSIJUP5T6\n'
S3 = '-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK\n'
S4 = '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK\n'


def nat(chains: str, services: str, rules: str = "", deletions: str = "") -> str:
    return FILTER + "*nat\n" + NAT_FIXED_CHAINS + chains + services + LAST + POST + rules + deletions + "COMMIT\n"


def svc(ns: str, name: str, ip: str, port_name: str = "p80", port: int = 80) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"type": "ClusterIP", "clusterIP": ip, "ports": [{"name": port_name, "port": port, "protocol": "TCP"}]},
    }


def eps(ns: str, name: str, ips: list[str], port_name: str = "p80", port: int = 80) -> dict:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": f"{name}-1", "namespace": ns, "labels": {"kubernetes.io/service-name": name}},
        "addressType": "IPv4",
        "ports": [{"name": port_name, "port": port, "protocol": "TCP"}],
        "endpoints": [{"addresses": [ip]} for ip in ips],
    }


def test_TestSyncProxyRulesRepeated_step_by_step() -> None:
    p = Proxier(CONFIG)
    svc2 = svc("ns2", "svc2", "172.30.0.42", "p8080", 8080)
    p.on_service(svc("ns1", "svc1", "172.30.0.41"))
    p.on_service(svc2)
    p.on_endpoint_slice(eps("ns1", "svc1", ["10.0.1.1"]))
    p.on_endpoint_slice(eps("ns2", "svc2", ["10.0.2.1"], "p8080", 8080))
    now = 0

    def sync() -> str:
        nonlocal now
        now += 1000
        return canonical_order(p.sync(now).result.text)

    assert sync() == nat(
        ":KUBE-SEP-SNQ3ZNILQDEJNDQO - [0:0]\n:KUBE-SEP-UHEGFW77JX3KXTOV - [0:0]\n"
        ":KUBE-SVC-2VJB64SDSIJUP5T6 - [0:0]\n:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n",
        S1 + S2,
        "-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -s 10.0.1.1 -j KUBE-MARK-MASQ\n"
        "-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80\n"
        "-A KUBE-SEP-UHEGFW77JX3KXTOV -m comment --comment ns2/svc2:p8080 -s 10.0.2.1 -j KUBE-MARK-MASQ\n"
        "-A KUBE-SEP-UHEGFW77JX3KXTOV -m comment --comment ns2/svc2:p8080 -m tcp -p tcp -j DNAT --to-destination 10.0.2.1:8080\n"
        '-A KUBE-SVC-2VJB64SDSIJUP5T6 -m comment --comment "ns2/svc2:p8080 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 8080 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n'
        '-A KUBE-SVC-2VJB64SDSIJUP5T6 -m comment --comment "ns2/svc2:p8080 -> 10.0.2.1:8080" -j KUBE-SEP-UHEGFW77JX3KXTOV\n'
        '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n'
        '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j KUBE-SEP-SNQ3ZNILQDEJNDQO\n',
    )

    # Add a new service and its endpoints: only its SVC and SEP chains are written.
    p.on_service(svc("ns3", "svc3", "172.30.0.43"))
    p.on_endpoint_slice(eps("ns3", "svc3", ["10.0.3.1"]))
    assert sync() == nat(
        ":KUBE-SEP-BSWRHOQ77KEXZLNL - [0:0]\n:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]\n",
        S1 + S2 + S3,
        "-A KUBE-SEP-BSWRHOQ77KEXZLNL -m comment --comment ns3/svc3:p80 -s 10.0.3.1 -j KUBE-MARK-MASQ\n"
        "-A KUBE-SEP-BSWRHOQ77KEXZLNL -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.1:80\n"
        '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n'
        '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.1:80" -j KUBE-SEP-BSWRHOQ77KEXZLNL\n',
    )

    # Delete a service: its chains are flushed and deleted.
    p.on_service_delete(svc2)
    assert sync() == nat(
        ":KUBE-SEP-UHEGFW77JX3KXTOV - [0:0]\n:KUBE-SVC-2VJB64SDSIJUP5T6 - [0:0]\n",
        S1 + S3,
        deletions="-X KUBE-SEP-UHEGFW77JX3KXTOV\n-X KUBE-SVC-2VJB64SDSIJUP5T6\n",
    )

    # Add a service without endpoints: only a filter REJECT rule.
    svc4 = svc("ns4", "svc4", "172.30.0.44")
    p.on_service(svc4)
    reject = '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j REJECT\n'
    assert sync() == nat("", S1 + S3).replace(":KUBE-PROXY-FIREWALL - [0:0]\n", ":KUBE-PROXY-FIREWALL - [0:0]\n" + reject, 1)

    # ... then its endpoints.
    p.on_endpoint_slice(eps("ns4", "svc4", ["10.0.4.1"]))
    assert sync() == nat(
        ":KUBE-SEP-AYCN5HPXMIRJNJXU - [0:0]\n:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]\n",
        S1 + S3 + S4,
        "-A KUBE-SEP-AYCN5HPXMIRJNJXU -m comment --comment ns4/svc4:p80 -s 10.0.4.1 -j KUBE-MARK-MASQ\n"
        "-A KUBE-SEP-AYCN5HPXMIRJNJXU -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.4.1:80\n"
        '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n'
        '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.0.4.1:80" -j KUBE-SEP-AYCN5HPXMIRJNJXU\n',
    )

    # Change an endpoint of an existing service: the old SEP chain is deleted.
    p.on_endpoint_slice(eps("ns3", "svc3", ["10.0.3.2"]))
    assert sync() == nat(
        ":KUBE-SEP-BSWRHOQ77KEXZLNL - [0:0]\n:KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]\n:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]\n",
        S1 + S3 + S4,
        "-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -s 10.0.3.2 -j KUBE-MARK-MASQ\n"
        "-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.2:80\n"
        '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n'
        '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.2:80" -j KUBE-SEP-DKCFIS26GWF2WLWC\n',
        "-X KUBE-SEP-BSWRHOQ77KEXZLNL\n",
    )

    # Add an endpoint to a service.
    p.on_endpoint_slice(eps("ns3", "svc3", ["10.0.3.2", "10.0.3.3"]))
    svc3_rules = (
        "-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -s 10.0.3.2 -j KUBE-MARK-MASQ\n"
        "-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.2:80\n"
        "-A KUBE-SEP-JVVZVJ7BSEPPRNBS -m comment --comment ns3/svc3:p80 -s 10.0.3.3 -j KUBE-MARK-MASQ\n"
        "-A KUBE-SEP-JVVZVJ7BSEPPRNBS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.3:80\n"
    )
    svc3_chain = (
        '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n'
        '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-DKCFIS26GWF2WLWC\n'
        '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.3:80" -j KUBE-SEP-JVVZVJ7BSEPPRNBS\n'
    )
    assert sync() == nat(
        ":KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]\n:KUBE-SEP-JVVZVJ7BSEPPRNBS - [0:0]\n:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]\n",
        S1 + S3 + S4,
        svc3_rules + svc3_chain,
    )

    # Sync with no new changes: no SVC or SEP chain is rewritten.
    assert sync() == nat("", S1 + S3 + S4)

    # Delete svc4; upstream's partial restore is made to fail, so the retry is a full resync.
    p.on_service_delete(svc4)
    p.force_full_sync()
    assert sync() == nat(
        ":KUBE-SEP-AYCN5HPXMIRJNJXU - [0:0]\n:KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]\n:KUBE-SEP-JVVZVJ7BSEPPRNBS - [0:0]\n"
        ":KUBE-SEP-SNQ3ZNILQDEJNDQO - [0:0]\n:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]\n:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]\n"
        ":KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n",
        S1 + S3,
        svc3_rules
        + "-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -s 10.0.1.1 -j KUBE-MARK-MASQ\n"
        "-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80\n"
        + svc3_chain
        + '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n'
        '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j KUBE-SEP-SNQ3ZNILQDEJNDQO\n',
        "-X KUBE-SEP-AYCN5HPXMIRJNJXU\n-X KUBE-SVC-4SW47YFZTEDKD3PK\n",
    )
