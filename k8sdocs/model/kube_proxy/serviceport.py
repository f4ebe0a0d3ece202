"""kube-proxy's view of a Service: one :class:`ServicePortInfo` per Service port.

Port of ``newBaseServiceInfo`` (pkg/proxy/serviceport.go), ``newServiceInfo``
(pkg/proxy/iptables/proxier.go), ``ShouldSkipService`` (pkg/proxy/util/utils.go) and the
traffic-policy helpers of pkg/api/v1/service/util.go (``ExternallyAccessible``,
``ExternalPolicyLocal``, ``InternalPolicyLocal``, ``NeedsHealthCheck``). IPv4 single stack only.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from k8sdocs.model.kube_proxy import chains

# Labels that make kube-proxy's informers ignore an object (cmd/kube-proxy/app/server.go:
# `labels.NewRequirement(apis.LabelServiceProxyName, selection.DoesNotExist, nil)` and
# `labels.NewRequirement(v1.IsHeadlessService, selection.DoesNotExist, nil)`).
LABEL_SERVICE_PROXY_NAME = "service.kubernetes.io/service-proxy-name"
LABEL_HEADLESS = "service.kubernetes.io/headless"

# Default ClientIP affinity timeout, applied by API defaulting (v1.DefaultClientIPServiceAffinitySeconds).
DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800


def parse_ipv4_sloppy(text: str) -> ipaddress.IPv4Address | None:
    """``netutils.ParseIPSloppy`` for IPv4 (accepts leading zeros, as Go's pre-1.17 parser did)."""
    parts = text.strip().split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 for p in parts):
        return None
    octets = [int(p, 10) for p in parts]
    if any(o > 255 for o in octets):
        return None
    return ipaddress.IPv4Address(".".join(str(o) for o in octets))


def parse_ipv4_cidr(text: str) -> ipaddress.IPv4Network | None:
    """``netutils.ParseCIDRSloppy`` + IPv4 filter; ``IPNet.String()`` prints the masked network."""
    if "/" not in text:
        return None
    addr, _, bits = text.partition("/")
    ip = parse_ipv4_sloppy(addr)
    if ip is None or not bits.isdigit() or int(bits) > 32:
        return None
    return ipaddress.IPv4Network(f"{ip}/{int(bits)}", strict=False)


@dataclass(frozen=True)
class ServicePortName:
    """``proxy.ServicePortName``: namespace/name, port name and protocol (the map key)."""

    namespace: str
    name: str
    port: str
    protocol: str  # "TCP" | "UDP" | "SCTP" as in the API

    def __str__(self) -> str:
        # ServicePortName.String() -> fmtPortName: ":" only when the port has a name.
        base = f"{self.namespace}/{self.name}"
        return f"{base}:{self.port}" if self.port else base


@dataclass(frozen=True)
class ServicePortInfo:
    """``servicePortInfo`` = ``BaseServicePortInfo`` + the precomputed chain names."""

    name: ServicePortName
    cluster_ip: str
    port: int
    protocol: str
    node_port: int
    load_balancer_vips: tuple[str, ...]
    session_affinity_client_ip: bool
    sticky_max_age_seconds: int
    external_ips: tuple[str, ...]
    load_balancer_source_ranges: tuple[ipaddress.IPv4Network, ...]
    health_check_node_port: int
    external_policy_local: bool
    internal_policy_local: bool

    @property
    def name_string(self) -> str:
        return str(self.name)

    @property
    def proto(self) -> str:
        """``strings.ToLower(string(svcPort.Protocol()))``."""
        return self.protocol.lower()

    @property
    def cluster_policy_chain(self) -> str:
        return chains.service_port_policy_cluster_chain(self.name_string, self.proto)

    @property
    def local_policy_chain(self) -> str:
        return chains.service_port_policy_local_chain_name(self.name_string, self.proto)

    @property
    def firewall_chain(self) -> str:
        return chains.service_firewall_chain_name(self.name_string, self.proto)

    @property
    def external_chain(self) -> str:
        return chains.service_external_chain_name(self.name_string, self.proto)

    def externally_accessible(self) -> bool:
        """``BaseServicePortInfo.ExternallyAccessible``."""
        return self.node_port != 0 or bool(self.load_balancer_vips) or bool(self.external_ips)

    def uses_cluster_endpoints(self) -> bool:
        """``UsesClusterEndpoints``: ITP Cluster, or any external access (short-circuiting)."""
        return not self.internal_policy_local or self.externally_accessible()

    def uses_local_endpoints(self) -> bool:
        """``UsesLocalEndpoints``."""
        return self.internal_policy_local or (self.external_policy_local and self.externally_accessible())


def should_skip_service(service: dict[str, Any]) -> bool:
    """``ShouldSkipService`` plus the informer label filters kube-proxy starts with."""
    spec = service.get("spec") or {}
    labels = (service.get("metadata") or {}).get("labels") or {}
    if LABEL_SERVICE_PROXY_NAME in labels or LABEL_HEADLESS in labels:
        return True
    cluster_ip = spec.get("clusterIP") or ""
    if cluster_ip in ("", "None"):  # !helper.IsServiceIPSet
        return True
    return bool(spec.get("type", "ClusterIP") == "ExternalName")


def _cluster_ipv4(spec: dict[str, Any]) -> str | None:
    """``proxyutil.GetClusterIPByFamily(IPv4, service)``."""
    ips = spec.get("clusterIPs") or []
    if not ips:
        ip = parse_ipv4_sloppy(spec.get("clusterIP") or "")
        return str(ip) if ip is not None else None
    for text in ips:
        ip = parse_ipv4_sloppy(text)
        if ip is not None:
            return str(ip)
    return None


def _externally_accessible_service(spec: dict[str, Any]) -> bool:
    """pkg/api/v1/service/util.go ``ExternallyAccessible``."""
    svc_type = spec.get("type", "ClusterIP")
    return svc_type in ("LoadBalancer", "NodePort") or (svc_type == "ClusterIP" and bool(spec.get("externalIPs")))


def service_port_infos(service: dict[str, Any]) -> list[ServicePortInfo]:
    """``ServiceChangeTracker.serviceToServiceMap`` for one Service (IPv4 proxier)."""
    if should_skip_service(service):
        return []
    meta = service.get("metadata") or {}
    spec = service.get("spec") or {}
    status = service.get("status") or {}
    cluster_ip = _cluster_ipv4(spec)
    if cluster_ip is None:
        return []
    external_policy_local = _externally_accessible_service(spec) and spec.get("externalTrafficPolicy") == "Local"
    internal_policy_local = spec.get("internalTrafficPolicy") == "Local"
    client_ip = spec.get("sessionAffinity") == "ClientIP"
    sticky = 0
    if client_ip:
        cfg = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {})
        sticky = int(cfg.get("timeoutSeconds", DEFAULT_CLIENT_IP_AFFINITY_SECONDS))
    external_ips = tuple(str(ip) for ip in (parse_ipv4_sloppy(t) for t in spec.get("externalIPs") or []) if ip is not None)
    # "deal with the fact that LoadBalancerSourceRanges validation mistakenly allows whitespace padding"
    ranges = tuple(
        net for net in (parse_ipv4_cidr(r.strip()) for r in spec.get("loadBalancerSourceRanges") or []) if net is not None
    )
    vips: list[str] = []
    for ing in (status.get("loadBalancer") or {}).get("ingress") or []:
        ip_text = ing.get("ip") or ""
        # proxyutil.IsVIPMode: ipMode unset or "VIP"; "Proxy" load balancers are skipped.
        if not ip_text or ing.get("ipMode", "VIP") != "VIP":
            continue
        ip = parse_ipv4_sloppy(ip_text)
        if ip is not None:
            vips.append(str(ip))
    health = 0
    if spec.get("type", "ClusterIP") == "LoadBalancer" and external_policy_local:  # NeedsHealthCheck
        health = int(spec.get("healthCheckNodePort") or 0)
    infos = []
    for port in spec.get("ports") or []:
        protocol = port.get("protocol") or "TCP"
        spn = ServicePortName(meta.get("namespace") or "default", meta.get("name", ""), port.get("name") or "", protocol)
        infos.append(
            ServicePortInfo(
                name=spn,
                cluster_ip=cluster_ip,
                port=int(port["port"]),
                protocol=protocol,
                node_port=int(port.get("nodePort") or 0),
                load_balancer_vips=tuple(vips),
                session_affinity_client_ip=client_ip,
                sticky_max_age_seconds=sticky,
                external_ips=external_ips,
                load_balancer_source_ranges=ranges,
                health_check_node_port=health,
                external_policy_local=external_policy_local,
                internal_policy_local=internal_policy_local,
            )
        )
    return infos


def service_port_map(services: list[dict[str, Any]]) -> dict[ServicePortName, ServicePortInfo]:
    """``ServicePortMap`` for a list of Services (later duplicates of a port name win, as in a Go map)."""
    result: dict[ServicePortName, ServicePortInfo] = {}
    for svc in services:
        for info in service_port_infos(svc):
            result[info.name] = info
    return result
