"""kube-proxy's view of EndpointSlices and which endpoints each traffic policy uses.

Ports of ``newEndpointSliceInfo`` / ``endpointInfoByServicePort`` / ``addEndpoints`` /
``endpointsMapFromEndpointInfo`` (pkg/proxy/endpointslicecache.go) and ``CategorizeEndpoints``
(pkg/proxy/topology.go, kubernetes/kubernetes@008b3652959c), including topology hints
(``hints.forZones`` / ``hints.forNodes``, both feature gates on as in v1.35: TopologyAwareHints GA,
PreferSameTrafficDistribution beta). IPv4 only: slices with another ``addressType`` are ignored.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from k8sdocs.model.kube_proxy import chains
from k8sdocs.model.kube_proxy.serviceport import (
    LABEL_HEADLESS,
    LABEL_SERVICE_PROXY_NAME,
    ServicePortInfo,
    ServicePortName,
)

LABEL_SERVICE_NAME = "kubernetes.io/service-name"  # discovery.LabelServiceName


def _is_ipv6_string(text: str) -> bool:
    """``utilnet.IsIPv6String``."""
    try:
        return isinstance(ipaddress.ip_address(text), ipaddress.IPv6Address)
    except ValueError:
        return False


@dataclass(frozen=True)
class EndpointInfo:
    """``BaseEndpointInfo`` + the iptables ``ChainName`` (``newEndpointInfo``)."""

    ip: str
    port: int
    node_name: str
    is_local: bool
    ready: bool
    serving: bool
    terminating: bool
    chain_name: str
    zone_hints: frozenset[str] = frozenset()
    node_hints: frozenset[str] = frozenset()

    def __str__(self) -> str:
        # BaseEndpointInfo.String(): net.JoinHostPort(ip, port) (IPv4 only here).
        return f"{self.ip}:{self.port}"


EndpointsMap = dict[ServicePortName, list[EndpointInfo]]


def slice_is_watched(endpoint_slice: dict[str, Any]) -> bool:
    """kube-proxy's informer skips slices labelled service-proxy-name or headless."""
    labels = (endpoint_slice.get("metadata") or {}).get("labels") or {}
    return LABEL_SERVICE_PROXY_NAME not in labels and LABEL_HEADLESS not in labels


def slice_service_key(endpoint_slice: dict[str, Any]) -> tuple[str, str] | None:
    """``endpointSliceCacheKeys``: (namespace, service name) or None when the label is missing."""
    meta = endpoint_slice.get("metadata") or {}
    svc = (meta.get("labels") or {}).get(LABEL_SERVICE_NAME) or ""
    if not svc or not meta.get("namespace") or not meta.get("name"):
        return None
    return (meta["namespace"], svc)


def slice_info(endpoint_slice: dict[str, Any]) -> tuple[Any, ...]:
    """What kube-proxy caches for a slice (``newEndpointSliceInfo``): ports sorted by number,
    endpoints sorted by joined addresses, plus the conditions. Equal tuples = no change."""
    ports = []
    for p in endpoint_slice.get("ports") or []:
        # API defaulting (SetDefaults_EndpointPort): name "" and protocol TCP when unset.
        ports.append((p.get("name") if p.get("name") is not None else "", p.get("port"), p.get("protocol") or "TCP"))
    ports.sort(key=lambda p: p[1] if isinstance(p[1], int) else 0)  # byPort (stable, as sort.Sort on distinct ports)
    eps = []
    for ep in endpoint_slice.get("endpoints") or []:
        cond = ep.get("conditions") or {}
        ready = cond.get("ready") is None or bool(cond.get("ready"))
        serving = cond.get("serving") is None or bool(cond.get("serving"))
        terminating = cond.get("terminating") is not None and bool(cond.get("terminating"))
        hints = ep.get("hints") or {}
        zone_hints = frozenset(z.get("name", "") for z in hints.get("forZones") or [])
        node_hints = frozenset(n.get("name", "") for n in hints.get("forNodes") or [])
        eps.append(
            (
                tuple(ep.get("addresses") or []),
                ep.get("nodeName"),
                ep.get("zone"),
                ready,
                serving,
                terminating,
                tuple(sorted(zone_hints)),
                tuple(sorted(node_hints)),
            )
        )
    eps.sort(key=lambda e: ",".join(e[0]))  # byAddress
    return (endpoint_slice.get("addressType", "IPv4"), tuple(ports), tuple(eps))


def endpoints_map(endpoint_slices: list[dict[str, Any]], node_name: str) -> EndpointsMap:
    """``EndpointsMap`` built from every watched IPv4 slice: per ServicePortName, endpoints
    deduplicated by ``ip:port`` (a local copy wins) and sorted by that string (``byEndpoint``)."""
    by_sp: dict[ServicePortName, dict[str, EndpointInfo]] = {}
    ordered = sorted(
        (s for s in endpoint_slices if slice_is_watched(s)),
        key=lambda s: ((s.get("metadata") or {}).get("namespace", ""), (s.get("metadata") or {}).get("name", "")),
    )
    for es in ordered:
        key = slice_service_key(es)
        address_type, ports, eps = slice_info(es)
        if key is None or address_type != "IPv4":
            continue
        for port_name, port_num, protocol in ports:
            if not isinstance(port_num, int) or port_num == 0:  # "Ignoring invalid endpoint port"
                continue
            spn = ServicePortName(key[0], key[1], port_name, protocol)
            endpoint_set = by_sp.setdefault(spn, {})
            for addresses, node, _zone, ready, serving, terminating, zone_hints, node_hints in eps:
                if not addresses:
                    continue
                # (cache.ipFamily == IPv6) != utilnet.IsIPv6String(address): an IPv4 proxier skips only
                # addresses that parse as IPv6 (anything else is used verbatim).
                if _is_ipv6_string(addresses[0]):
                    continue
                is_local = bool(node_name) and node == node_name
                endpoint = f"{addresses[0]}:{port_num}"
                info = EndpointInfo(
                    ip=addresses[0],
                    port=port_num,
                    node_name=node or "",
                    is_local=is_local,
                    ready=ready,
                    serving=serving,
                    terminating=terminating,
                    chain_name=chains.service_port_endpoint_chain_name(str(spn), protocol.lower(), endpoint),
                    zone_hints=frozenset(zone_hints),
                    node_hints=frozenset(node_hints),
                )
                if endpoint not in endpoint_set or is_local:
                    endpoint_set[endpoint] = info
    return {spn: sorted(s.values(), key=str) for spn, s in by_sp.items() if s}


@dataclass(frozen=True)
class Categorized:
    cluster: list[EndpointInfo] | None
    local: list[EndpointInfo] | None
    all_reachable: list[EndpointInfo]
    has_any: bool


PREFER_SAME_NODE = "PreferSameNode"  # v1.ServiceTrafficDistributionPreferSameNode
PREFER_SAME_ZONE = "PreferSameZone"  # v1.ServiceTrafficDistributionPreferSameZone


def topology_mode_from_hints(endpoints: list[EndpointInfo], node_name: str, zone: str) -> str:
    """``topologyModeFromHints``: PreferSameNode if every ready endpoint has a node hint and one is
    for this node; else PreferSameZone likewise with zone hints; else "" (no topology)."""
    has_ready = has_for_node = has_for_zone = False
    all_node_hints = all_zone_hints = True
    for ep in endpoints:
        if not ep.ready:
            continue
        has_ready = True
        if not ep.node_hints:
            all_node_hints = False
        elif node_name in ep.node_hints:
            has_for_node = True
        if not ep.zone_hints:
            all_zone_hints = False
        elif zone in ep.zone_hints:
            has_for_zone = True
    if not has_ready:
        return ""
    if all_node_hints and has_for_node:
        return PREFER_SAME_NODE
    if all_zone_hints and has_for_zone:
        return PREFER_SAME_ZONE
    return ""


def _available_for_topology(ep: EndpointInfo, mode: str, node_name: str, zone: str) -> bool:
    """``availableForTopology``."""
    if mode == "":
        return True
    if mode == PREFER_SAME_NODE:
        return node_name in ep.node_hints
    if mode == PREFER_SAME_ZONE:
        return zone in ep.zone_hints
    return False


def categorize_endpoints(
    endpoints: list[EndpointInfo], svc: ServicePortInfo, node_name: str = "", zone: str = ""
) -> Categorized:
    """``CategorizeEndpoints``: usable Cluster and Local endpoints, all reachable ones, any usable at all."""
    if not endpoints:
        return Categorized(None, None, [], False)
    cluster: list[EndpointInfo] | None = None
    local: list[EndpointInfo] | None = None
    has_any = False
    use_serving_terminating = False
    topology_mode = ""
    if svc.uses_cluster_endpoints():
        topology_mode = topology_mode_from_hints(endpoints, node_name, zone)
        cluster = [ep for ep in endpoints if ep.ready and _available_for_topology(ep, topology_mode, node_name, zone)]
        if not cluster:
            cluster = [ep for ep in endpoints if ep.serving and ep.terminating]
        if cluster:
            has_any = True
    if not svc.uses_local_endpoints():
        return Categorized(cluster, None, list(cluster or []), has_any)
    has_local_ready = has_local_serving_terminating = False
    for ep in endpoints:
        if ep.ready:
            has_any = True
            has_local_ready = has_local_ready or ep.is_local
        elif ep.serving and ep.terminating:
            has_any = True
            has_local_serving_terminating = has_local_serving_terminating or ep.is_local
    if has_local_ready:
        local = [ep for ep in endpoints if ep.is_local and ep.ready]
    elif has_local_serving_terminating:
        use_serving_terminating = True
        local = [ep for ep in endpoints if ep.is_local and ep.serving and ep.terminating]
    if not svc.uses_cluster_endpoints():
        return Categorized(cluster, local, list(local or []), has_any)
    if topology_mode == "" and not use_serving_terminating:
        return Categorized(cluster, local, list(cluster or []), has_any)
    # Upstream merges into a Go map and ranges over it (random order); we sort by "ip:port".
    merged = {str(ep): ep for ep in (cluster or [])}
    merged.update({str(ep): ep for ep in (local or [])})
    return Categorized(cluster, local, [merged[k] for k in sorted(merged)], has_any)
