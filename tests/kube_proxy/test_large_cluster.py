"""Large-cluster mode, replaying upstream's TestSyncProxyRulesLargeClusterMode
(pkg/proxy/iptables/proxier_test.go): above largeClusterEndpointsThreshold (1000) endpoint rules lose
their comments, partial syncs still write only changed services, and stale chains are deleted at most
once per syncPeriod."""

from k8sdocs.model.kube_proxy import ProxierConfig
from k8sdocs.model.kube_proxy.proxier import Proxier

CONFIG = ProxierConfig(node_name="test-node", masquerade_mark="0x4000", cluster_cidr="10.0.0.0/8", masquerade_all=True)


def svc(ns: str, name: str, ip: str, port_name: str, port: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"type": "ClusterIP", "clusterIP": ip, "ports": [{"name": port_name, "port": port, "protocol": "TCP"}]},
    }


def eps(ns: str, name: str, ips: list[str], port_name: str, port: int) -> dict:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": f"{name}-1", "namespace": ns, "labels": {"kubernetes.io/service-name": name}},
        "addressType": "IPv4",
        "ports": [{"name": port_name, "port": port, "protocol": "TCP"}],
        "endpoints": [{"addresses": [ip]} for ip in ips],
    }


def count_endpoints_and_comments(data: str, match: str) -> tuple[str, int, int]:
    """countEndpointsAndComments from the upstream test."""
    matched, n_endpoints, n_comments = "", 0, 0
    for line in data.split("\n"):
        if line.startswith("-A KUBE-SEP-") and "-j DNAT" in line:
            n_endpoints += 1
            if "--comment" in line:
                n_comments += 1
            if match in line:
                matched = line
    return matched, n_endpoints, n_comments


def test_TestSyncProxyRulesLargeClusterMode() -> None:
    p = Proxier(CONFIG, sync_period_ms=30_000)
    p.on_service(svc("ns1", "svc1", "172.30.0.41", "p80", 80))
    p.on_service(svc("ns2", "svc2", "172.30.0.42", "p8080", 8080))
    p.on_service(svc("ns3", "svc3", "172.30.0.43", "p8081", 8081))
    half = 1000 // 2 - 1
    p.on_endpoint_slice(eps("ns1", "svc1", [f"10.0.{i % 256}.{i // 256}" for i in range(half)], "p80", 80))
    p.on_endpoint_slice(eps("ns2", "svc2", [f"10.1.{i % 256}.{i // 256}" for i in range(half)], "p8080", 8080))
    now = 1000
    text = p.sync(now).result.text
    first, n, comments = count_endpoints_and_comments(text, "10.0.0.0")
    assert first == "-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80"
    assert (n, comments) == (2 * half, 2 * half)

    p.on_endpoint_slice(eps("ns3", "svc3", ["203.0.113.4", "203.0.113.8", "203.0.113.12"], "p8081", 8081))
    now += 1000
    text = p.sync(now).result.text
    first, n, comments = count_endpoints_and_comments(text, "203.0.113.4")
    assert first == "-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081"
    assert (n, comments) == (3, 0)

    p.force_full_sync()
    now += 1000
    text = p.sync(now).result.text
    first, n, comments = count_endpoints_and_comments(text, "10.0.0.0")
    assert first == "-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80"
    assert (n, comments) == (2 * half + 3, 0)

    svc4 = svc("ns4", "svc4", "172.30.0.44", "p8082", 8082)
    p.on_service(svc4)
    p.on_endpoint_slice(eps("ns4", "svc4", ["10.4.0.1"], "p8082", 8082))
    now += 1000
    text = p.sync(now).result.text
    first, n, _ = count_endpoints_and_comments(text, "10.4.0.1")
    assert first == "-A KUBE-SEP-SU5STNODRYEWJAUF -m tcp -p tcp -j DNAT --to-destination 10.4.0.1:8082"
    assert n == 1

    # In large-cluster mode a deleted service's chains are not deleted right away...
    now += 1000
    p.last_cleanup_ms = now
    p.on_service_delete(svc4)
    text = p.sync(now).result.text
    assert count_endpoints_and_comments(text, "10.4.0.1")[:2] == ("", 0)
    assert "-X " not in text

    # ... but a sync more than syncPeriod after the last cleanup deletes them.
    now += 1000
    p.last_cleanup_ms = now - 30_000 - 1
    text = p.sync(now).result.text
    assert "-X KUBE-SVC-EBDQOQU5SJFXRIL3" in text
    assert "-X KUBE-SEP-SU5STNODRYEWJAUF" in text

    p.force_full_sync()
    now += 1000
    assert count_endpoints_and_comments(p.sync(now).result.text, "10.0.0.0")[1] == 2 * half + 3
