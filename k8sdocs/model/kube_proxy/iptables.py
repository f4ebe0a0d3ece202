"""kube-proxy in iptables mode: the ``iptables-restore`` input of one sync.

A port of ``Proxier.syncProxyRules`` and ``writeServiceToEndpointRules`` from
``pkg/proxy/iptables/proxier.go`` (v1.32+ era, read in kairosci/kubernetes@235e48943bb6 and
cross-checked against an annotated copy of the same upstream file). Lines are written in
upstream's RAW order: ``*filter``, filter chain declarations, filter rules, ``COMMIT``,
``*nat``, nat chain declarations, nat rules (stale-chain ``-X`` lines, then the final
KUBE-SERVICES -> KUBE-NODEPORTS jump), ``COMMIT``.

Covered: ClusterIP (named and unnamed ports; TCP/UDP/SCTP), several endpoints with
``statistic --probability`` (``%0.10f``), endpoints sorted by ``ip:port`` string, ready ->
serving+terminating fallback, services without endpoints (filter REJECT "has no endpoints"),
NodePort (KUBE-NODEPORTS, KUBE-EXT-, localhost nodeports with the nfacct counter),
externalIPs, LoadBalancer ingress IPs (VIP mode) with loadBalancerSourceRanges (KUBE-FW-,
KUBE-PROXY-FIREWALL), externalTrafficPolicy/internalTrafficPolicy Local (KUBE-SVL-, "has no
local endpoints" DROP, health-check node port ACCEPT), sessionAffinity ClientIP (``-m recent``),
masqueradeAll, large-cluster mode (> 1000 endpoints: no per-endpoint comments), and — through
:class:`k8sdocs.model.kube_proxy.proxier.Proxier` — partial syncs and stale-chain deletion.

Topology hints (``hints.forZones``/``forNodes``) follow ``CategorizeEndpoints`` with the node's zone
from :attr:`ProxierConfig.zone`.

``--nodeport-addresses`` CIDRs select node IPs (one final jump per IP); the ``primary`` keyword is not modelled.

Out of scope (stated so nobody relies on it): IPv6 and dual stack (an IPv4 proxier only),
``snat``/``--random-fully`` beyond a config flag,
conntrack cleanup, health-check servers, the jump rules kube-proxy installs with ``EnsureRule``
(they are not part of the restore input) and the canary chain. Upstream iterates Go maps in
random order; this model writes services sorted by ``ServicePortName`` (the canonical order of
:func:`k8sdocs.model.kube_proxy.canonical.canonical_order` does not depend on it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.kube_proxy import chains
from k8sdocs.model.kube_proxy.chains import (
    CT_STATE_INVALID_DROPPED_NFACCT,
    KUBE_EXTERNAL_SERVICES,
    KUBE_FIREWALL,
    KUBE_FORWARD,
    KUBE_MARK_MASQ,
    KUBE_NODEPORTS,
    KUBE_POSTROUTING,
    KUBE_PROXY_FIREWALL,
    KUBE_SERVICES,
    LOCALHOST_NODEPORT_ACCEPTED_NFACCT,
    compute_probability,
    make_chain_line,
)
from k8sdocs.model.kube_proxy.endpoints import EndpointInfo, EndpointsMap, categorize_endpoints, endpoints_map
from k8sdocs.model.kube_proxy.serviceport import (
    ServicePortInfo,
    ServicePortName,
    parse_ipv4_cidr,
    parse_ipv4_sloppy,
    service_port_map,
)


@dataclass(frozen=True)
class ProxierConfig:
    """The settings of one (IPv4) iptables proxier.

    Defaults follow ``NewFakeProxier`` in proxier_test.go, except ``cluster_cidr`` (None means
    no local-traffic detector, as with ``--detect-local-mode`` unset and no cluster CIDR).
    """

    node_name: str = ""
    # NewFakeProxier's "0x4000". A real kube-proxy computes fmt.Sprintf("%#08x", 1<<masqueradeBit) with
    # default bit 14, which Go prints zero-padded ("0x00004000"; iptables-save shows it back as 0x4000).
    masquerade_mark: str = "0x4000"
    cluster_cidr: str | None = None  # proxyutil.NewDetectLocalByCIDR(cidr): "-s <cidr>" verbatim
    nfacct: bool = True  # both nfacct counters available (ct_state_invalid_dropped_pkts, localhost_nps_accepted_pkts)
    localhost_nodeports: bool = True  # --iptables-localhost-nodeports
    random_fully: bool = False  # iptables.HasRandomFully()
    masquerade_all: bool = False  # --masquerade-all
    conntrack_tcp_liberal: bool = False  # sysctl nf_conntrack_tcp_be_liberal != 0: no INVALID DROP rule
    node_ip: str | None = None  # used only for loadBalancerSourceRanges "allowFromNode"
    zone: str = ""  # the node's topology.kubernetes.io/zone label (OnTopologyChange), for topology hints
    node_port_addresses: tuple[str, ...] = ()  # --nodeport-addresses CIDRs; empty = every local address
    node_addresses: tuple[str, ...] = ()  # the node's interface IPs; empty = node_ip plus 127.0.0.1

    def node_port_ips(self) -> list[str] | None:
        """``nodePortAddresses``: None when it matches all local addresses (``MatchAll``), else the
        node IPs inside the IPv4 CIDRs (``GetNodeIPs``; upstream dedups through a map, sorted here)."""
        cidrs = [c for c in (parse_ipv4_cidr(t) for t in self.node_port_addresses if ":" not in t) if c is not None]
        if not cidrs or any(c.prefixlen == 0 for c in cidrs):  # IPv4ZeroCIDR, or no IPv4 CIDR at all
            return None
        addrs = self.node_addresses or tuple(a for a in (self.node_ip, "127.0.0.1") if a)
        ips = {ip for ip in (parse_ipv4_sloppy(a) for a in addrs) if ip is not None and any(ip in c for c in cidrs)}
        return [str(ip) for ip in sorted(ips)]

    def local_cidr(self) -> str | None:
        """The IPv4 member of ``cluster_cidr`` (a comma-separated dual-stack value is accepted)."""
        if not self.cluster_cidr:
            return None
        for part in self.cluster_cidr.split(","):
            if ":" not in part and part.strip():
                return part.strip()
        return None


class LineBuffer:
    """``proxyutil.LineBuffer``: each ``write`` joins its (possibly nested) words with spaces."""

    def __init__(self, discard: bool = False) -> None:
        self.lines: list[str] = []
        self.discard = discard

    def write(self, *words: str | list[str] | tuple[str, ...]) -> None:
        flat: list[str] = []
        for w in words:
            if isinstance(w, (list, tuple)):
                flat.extend(w)
            else:
                flat.append(w)
        if not self.discard:
            self.lines.append(" ".join(flat))


@dataclass
class SyncResult:
    """The restore input plus what a stateful proxier must remember."""

    text: str
    active_nat_chains: set[str] = field(default_factory=set)
    deleted_chains: list[str] = field(default_factory=list)
    filter_rules: int = 0
    nat_rules: int = 0

    @property
    def rule_count(self) -> int:
        """Number of ``-A`` lines written (filter + nat), shown in the trace."""
        return self.filter_rules + self.nat_rules


def _service_comment(large_cluster_mode: bool, args: list[str], comment: str) -> list[str]:
    """``appendServiceCommentLocked``: no per-endpoint comments in large-cluster mode."""
    if large_cluster_mode:
        return args
    return args + ["-m", "comment", "--comment", comment]


def _write_service_to_endpoint_rules(
    nat_rules: LineBuffer, spn: str, svc: ServicePortInfo, svc_chain: str, endpoints: list[EndpointInfo], large: bool
) -> None:
    """``writeServiceToEndpointRules``: affinity checks first, then the probabilistic jumps."""
    if svc.session_affinity_client_ip:
        for ep in endpoints:
            args = _service_comment(large, ["-A", svc_chain], f'"{spn} -> {ep}"')
            nat_rules.write(
                args,
                ["-m", "recent", "--name", ep.chain_name, "--rcheck", "--seconds", str(svc.sticky_max_age_seconds), "--reap"],
                ["-j", ep.chain_name],
            )
    n = len(endpoints)
    for i, ep in enumerate(endpoints):
        args = _service_comment(large, ["-A", svc_chain], f'"{spn} -> {ep}"')
        if i < n - 1:
            # Each rule is a probabilistic match: 1/(n-i).
            args = args + ["-m", "statistic", "--mode", "random", "--probability", compute_probability(n - i)]
        nat_rules.write(args, "-j", ep.chain_name)


@dataclass
class _Buffers:
    """The four buffers of ``syncProxyRules`` (filterChains, filterRules, natChains, natRules)."""

    filter_chains: LineBuffer = field(default_factory=LineBuffer)
    filter_rules: LineBuffer = field(default_factory=LineBuffer)
    nat_chains: LineBuffer = field(default_factory=LineBuffer)
    nat_rules: LineBuffer = field(default_factory=LineBuffer)


@dataclass(frozen=True)
class _ServiceChains:
    """Where one service port's traffic goes: the variables at the top of ``syncProxyRules``' service loop
    (policy chains, which of them are used, and the filter target when a kind of traffic has no endpoints)."""

    svc: ServicePortInfo
    spn: str
    match: tuple[str, ...]  # "-m <proto> -p <proto>"
    cluster_endpoints: list[EndpointInfo]
    local_endpoints: list[EndpointInfo]
    all_reachable: list[EndpointInfo]
    has_endpoints: bool
    has_internal_endpoints: bool
    has_external_endpoints: bool
    cluster_policy_chain: str
    uses_cluster_policy_chain: bool
    local_policy_chain: str
    uses_local_policy_chain: bool
    internal_traffic_chain: str
    external_policy_chain: str
    external_traffic_chain: str
    uses_external_traffic_chain: bool
    load_balancer_traffic_chain: str
    fw_chain: str
    uses_fw_chain: bool
    internal_filter_target: str
    internal_filter_comment: str
    external_filter_target: str
    external_filter_comment: str


def _service_chains(svc: ServicePortInfo, endpoints: list[EndpointInfo], config: ProxierConfig) -> _ServiceChains:
    """``CategorizeEndpoints`` and the traffic-policy chains of one service port."""
    spn = svc.name_string
    cat = categorize_endpoints(endpoints, svc, config.node_name, config.zone)
    cluster_endpoints = cat.cluster or []
    local_endpoints = cat.local or []
    has_endpoints = cat.has_any

    cluster_policy_chain = svc.cluster_policy_chain
    local_policy_chain = svc.local_policy_chain

    internal_policy_chain = cluster_policy_chain
    has_internal_endpoints = has_endpoints
    if svc.internal_policy_local:
        internal_policy_chain = local_policy_chain
        if not local_endpoints:
            has_internal_endpoints = False

    external_policy_chain = cluster_policy_chain
    has_external_endpoints = has_endpoints
    if svc.external_policy_local:
        external_policy_chain = local_policy_chain
        if not local_endpoints:
            has_external_endpoints = False
    external_traffic_chain = svc.external_chain

    fw_chain = svc.firewall_chain
    uses_fw_chain = has_endpoints and bool(svc.load_balancer_vips) and bool(svc.load_balancer_source_ranges)

    internal_filter_target = internal_filter_comment = ""
    external_filter_target = external_filter_comment = ""
    if not has_endpoints:
        internal_filter_target = "REJECT"
        internal_filter_comment = f'"{spn} has no endpoints"'
        external_filter_target = "REJECT"
        external_filter_comment = internal_filter_comment
    else:
        if not has_internal_endpoints:
            internal_filter_target = "DROP"
            internal_filter_comment = f'"{spn} has no local endpoints"'
        if not has_external_endpoints:
            external_filter_target = "DROP"
            external_filter_comment = f'"{spn} has no local endpoints"'

    return _ServiceChains(
        svc=svc,
        spn=spn,
        match=("-m", svc.proto, "-p", svc.proto),
        cluster_endpoints=cluster_endpoints,
        local_endpoints=local_endpoints,
        all_reachable=cat.all_reachable,
        has_endpoints=has_endpoints,
        has_internal_endpoints=has_internal_endpoints,
        has_external_endpoints=has_external_endpoints,
        cluster_policy_chain=cluster_policy_chain,
        uses_cluster_policy_chain=len(cluster_endpoints) > 0 and svc.uses_cluster_endpoints(),
        local_policy_chain=local_policy_chain,
        uses_local_policy_chain=len(local_endpoints) > 0 and svc.uses_local_endpoints(),
        internal_traffic_chain=internal_policy_chain,
        external_policy_chain=external_policy_chain,
        external_traffic_chain=external_traffic_chain,
        uses_external_traffic_chain=has_endpoints and svc.externally_accessible(),
        load_balancer_traffic_chain=fw_chain if uses_fw_chain else external_traffic_chain,
        fw_chain=fw_chain,
        uses_fw_chain=uses_fw_chain,
        internal_filter_target=internal_filter_target,
        internal_filter_comment=internal_filter_comment,
        external_filter_target=external_filter_target,
        external_filter_comment=external_filter_comment,
    )


def _write_base_chains(buf: _Buffers, config: ProxierConfig) -> None:
    """The fixed chains, the kubernetes-specific postrouting (masquerade) rules and, for localhost nodeports,
    KUBE-FIREWALL (the start of ``syncProxyRules``)."""
    mark = config.masquerade_mark
    for chain in (KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL):
        buf.filter_chains.write(make_chain_line(chain))
    for chain in (KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ):
        buf.nat_chains.write(make_chain_line(chain))

    buf.nat_rules.write("-A", KUBE_POSTROUTING, "-m", "mark", "!", "--mark", f"{mark}/{mark}", "-j", "RETURN")
    # Clear the mark to avoid re-masquerading if the packet re-traverses the network stack.
    buf.nat_rules.write("-A", KUBE_POSTROUTING, "-j", "MARK", "--xor-mark", mark)
    masq_rule = ["-A", KUBE_POSTROUTING, "-m", "comment", "--comment", '"kubernetes service traffic requiring SNAT"', "-j", "MASQUERADE"]
    if config.random_fully:
        masq_rule.append("--random-fully")
    buf.nat_rules.write(masq_rule)
    buf.nat_rules.write("-A", KUBE_MARK_MASQ, "-j", "MARK", "--or-mark", mark)

    if config.localhost_nodeports:  # ipFamily == IPv4: this proxier is IPv4 only
        # Mitigation for https://issue.k8s.io/90259 (kubelet writes an identical rule).
        buf.filter_chains.write(make_chain_line(KUBE_FIREWALL))
        buf.filter_rules.write(
            "-A", KUBE_FIREWALL,
            "-m", "comment", "--comment", '"block incoming localnet connections"',
            "-d", "127.0.0.0/8", "!", "-s", "127.0.0.0/8",
            "-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED,DNAT",
            "-j", "DROP",
        )  # fmt: skip


def _write_service_captures(buf: _Buffers, sc: _ServiceChains, config: ProxierConfig) -> None:
    """The rules that capture a service's traffic, always written (also on a partial sync): clusterIP, externalIPs,
    load-balancer ingress, nodeports and the health-check node port (KUBE-SERVICES, KUBE-EXTERNAL-SERVICES,
    KUBE-NODEPORTS, KUBE-PROXY-FIREWALL)."""
    svc, spn, match = sc.svc, sc.spn, sc.match
    nat_rules, filter_rules = buf.nat_rules, buf.filter_rules

    # Capture the clusterIP.
    if sc.has_internal_endpoints:
        nat_rules.write(
            "-A", KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} cluster IP"', match,
            "-d", svc.cluster_ip, "--dport", str(svc.port), "-j", sc.internal_traffic_chain,
        )  # fmt: skip
    else:
        filter_rules.write(
            "-A", KUBE_SERVICES, "-m", "comment", "--comment", sc.internal_filter_comment, match,
            "-d", svc.cluster_ip, "--dport", str(svc.port), "-j", sc.internal_filter_target,
        )  # fmt: skip

    # Capture externalIPs.
    for external_ip in svc.external_ips:
        if sc.has_endpoints:
            nat_rules.write(
                "-A", KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} external IP"', match,
                "-d", external_ip, "--dport", str(svc.port), "-j", sc.external_traffic_chain,
            )  # fmt: skip
        if not sc.has_external_endpoints:
            filter_rules.write(
                "-A", KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", sc.external_filter_comment, match,
                "-d", external_ip, "--dport", str(svc.port), "-j", sc.external_filter_target,
            )  # fmt: skip

    # Capture load-balancer ingress.
    for lbip in svc.load_balancer_vips:
        if sc.has_endpoints:
            nat_rules.write(
                "-A", KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} loadbalancer IP"', match,
                "-d", lbip, "--dport", str(svc.port), "-j", sc.load_balancer_traffic_chain,
            )  # fmt: skip
        if sc.uses_fw_chain:
            filter_rules.write(
                "-A", KUBE_PROXY_FIREWALL, "-m", "comment", "--comment",
                f'"{spn} traffic not accepted by {sc.fw_chain}"', match,
                "-d", lbip, "--dport", str(svc.port), "-j", "DROP",
            )  # fmt: skip
    if not sc.has_external_endpoints:
        for lbip in svc.load_balancer_vips:
            filter_rules.write(
                "-A", KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", sc.external_filter_comment, match,
                "-d", lbip, "--dport", str(svc.port), "-j", sc.external_filter_target,
            )  # fmt: skip

    # Capture nodeports.
    if svc.node_port != 0:
        if sc.has_endpoints:
            if config.localhost_nodeports and config.nfacct:  # ipFamily == IPv4 && nfAcctCounters[localhost...]
                nat_rules.write(
                    "-A", KUBE_NODEPORTS, "-m", "comment", "--comment", spn, match,
                    "-d", "127.0.0.0/8", "--dport", str(svc.node_port),
                    "-m", "nfacct", "--nfacct-name", LOCALHOST_NODEPORT_ACCEPTED_NFACCT,
                    "-j", sc.external_traffic_chain,
                )  # fmt: skip
            nat_rules.write(
                "-A", KUBE_NODEPORTS, "-m", "comment", "--comment", spn, match,
                "--dport", str(svc.node_port), "-j", sc.external_traffic_chain,
            )  # fmt: skip
        if not sc.has_external_endpoints:
            filter_rules.write(
                "-A", KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", sc.external_filter_comment,
                "-m", "addrtype", "--dst-type", "LOCAL", match,
                "--dport", str(svc.node_port), "-j", sc.external_filter_target,
            )  # fmt: skip

    # Capture healthCheckNodePorts.
    if svc.health_check_node_port != 0:
        filter_rules.write(
            "-A", KUBE_NODEPORTS, "-m", "comment", "--comment", f'"{spn} health check node port"',
            "-m", "tcp", "-p", "tcp", "--dport", str(svc.health_check_node_port), "-j", "ACCEPT",
        )  # fmt: skip


def _write_internal_traffic(nat_rules: LineBuffer, sc: _ServiceChains, config: ProxierConfig) -> None:
    """Masquerade off-cluster traffic to the cluster IP (all of it with --masquerade-all)."""
    if not sc.has_internal_endpoints:
        return
    svc = sc.svc
    args = ["-m", "comment", "--comment", f'"{sc.spn} cluster IP"', *sc.match, "-d", svc.cluster_ip, "--dport", str(svc.port)]
    local_cidr = config.local_cidr()
    if config.masquerade_all:
        nat_rules.write("-A", sc.internal_traffic_chain, args, "-j", KUBE_MARK_MASQ)
    elif local_cidr is not None:
        # Masquerade off-cluster traffic to a service VIP.
        nat_rules.write("-A", sc.internal_traffic_chain, args, "!", "-s", local_cidr, "-j", KUBE_MARK_MASQ)


def _write_external_traffic(nat_chains: LineBuffer, nat_rules: LineBuffer, sc: _ServiceChains, config: ProxierConfig,
                            active_nat_chains: set[str]) -> None:
    """The KUBE-EXT- chain: masquerade, or with externalTrafficPolicy Local short-circuit pod and node traffic."""
    if not sc.uses_external_traffic_chain:
        return
    chain, spn = sc.external_traffic_chain, sc.spn
    local_cidr = config.local_cidr()
    nat_chains.write(make_chain_line(chain))
    active_nat_chains.add(chain)
    if not sc.svc.external_policy_local:
        nat_rules.write(
            "-A", chain, "-m", "comment", "--comment",
            f'"masquerade traffic for {spn} external destinations"', "-j", KUBE_MARK_MASQ,
        )  # fmt: skip
    else:
        if local_cidr is not None:
            nat_rules.write(
                "-A", chain, "-m", "comment", "--comment",
                f'"pod traffic for {spn} external destinations"', "-s", local_cidr, "-j", sc.cluster_policy_chain,
            )  # fmt: skip
        nat_rules.write(
            "-A", chain, "-m", "comment", "--comment",
            f'"masquerade LOCAL traffic for {spn} external destinations"',
            "-m", "addrtype", "--src-type", "LOCAL", "-j", KUBE_MARK_MASQ,
        )  # fmt: skip
        nat_rules.write(
            "-A", chain, "-m", "comment", "--comment",
            f'"route LOCAL traffic for {spn} external destinations"',
            "-m", "addrtype", "--src-type", "LOCAL", "-j", sc.cluster_policy_chain,
        )  # fmt: skip
    if sc.has_external_endpoints:
        nat_rules.write("-A", chain, "-j", sc.external_policy_chain)


def _write_firewall_chain(nat_chains: LineBuffer, nat_rules: LineBuffer, sc: _ServiceChains, config: ProxierConfig,
                          active_nat_chains: set[str]) -> None:
    """The KUBE-FW- chain of loadBalancerSourceRanges (the node's own IP allowed when a range contains it)."""
    if not sc.uses_fw_chain:
        return
    fw_chain = sc.fw_chain
    nat_chains.write(make_chain_line(fw_chain))
    active_nat_chains.add(fw_chain)
    fw_args = ["-A", fw_chain, "-m", "comment", "--comment", f'"{sc.spn} loadbalancer IP"']
    allow_from_node = False
    node_ip = parse_ipv4_sloppy(config.node_ip) if config.node_ip else None
    for cidr in sc.svc.load_balancer_source_ranges:
        nat_rules.write(fw_args, "-s", str(cidr), "-j", sc.external_traffic_chain)
        if node_ip is not None and node_ip in cidr:
            allow_from_node = True
    if allow_from_node:
        for lbip in sc.svc.load_balancer_vips:
            nat_rules.write(fw_args, "-s", lbip, "-j", sc.external_traffic_chain)
    # If the packet reached the end of the firewall chain it was not DNATed, so
    # KUBE-PROXY-FIREWALL drops it.
    nat_rules.write(
        "-A", fw_chain, "-m", "comment", "--comment",
        f'"other traffic to {sc.spn} will be dropped by KUBE-PROXY-FIREWALL"',
    )  # fmt: skip


def _write_policy_chains(nat_chains: LineBuffer, nat_rules: LineBuffer, sc: _ServiceChains, large: bool,
                         active_nat_chains: set[str]) -> None:
    """The KUBE-SVC- (cluster) and KUBE-SVL- (local) chains: probabilistic jumps to the endpoints."""
    if sc.uses_cluster_policy_chain:
        nat_chains.write(make_chain_line(sc.cluster_policy_chain))
        active_nat_chains.add(sc.cluster_policy_chain)
        _write_service_to_endpoint_rules(nat_rules, sc.spn, sc.svc, sc.cluster_policy_chain, sc.cluster_endpoints, large)
    if sc.uses_local_policy_chain:
        nat_chains.write(make_chain_line(sc.local_policy_chain))
        active_nat_chains.add(sc.local_policy_chain)
        _write_service_to_endpoint_rules(nat_rules, sc.spn, sc.svc, sc.local_policy_chain, sc.local_endpoints, large)


def _write_endpoint_chains(nat_chains: LineBuffer, nat_rules: LineBuffer, sc: _ServiceChains, large: bool,
                           active_nat_chains: set[str]) -> None:
    """One KUBE-SEP- chain per reachable endpoint: SNAT hairpin traffic, then DNAT to the endpoint."""
    for ep in sc.all_reachable:
        nat_chains.write(make_chain_line(ep.chain_name))
        active_nat_chains.add(ep.chain_name)
        args = _service_comment(large, ["-A", ep.chain_name], sc.spn)
        # Handle traffic that loops back to the originator with SNAT.
        nat_rules.write(args, "-s", ep.ip, "-j", KUBE_MARK_MASQ)
        if sc.svc.session_affinity_client_ip:
            args = args + ["-m", "recent", "--name", ep.chain_name, "--set"]
        # DNAT to final destination.
        nat_rules.write(args, sc.match, "-j", "DNAT", "--to-destination", str(ep))


def _delete_stale_chains(buf: _Buffers, existing_nat_chains: frozenset[str] | set[str],
                         active_nat_chains: set[str]) -> list[str]:
    """Delete service chains no longer in use (flush by declaring, then ``-X``); the deleted names, sorted."""
    deleted: list[str] = []
    for chain in sorted(set(existing_nat_chains) - active_nat_chains):
        if not chains.is_service_chain_name(chain):
            continue
        buf.nat_chains.write(make_chain_line(chain))
        buf.nat_rules.write("-X", chain)
        deleted.append(chain)
    return deleted


def _write_nodeports_jump(nat_rules: LineBuffer, config: ProxierConfig) -> None:
    """Finally, tail-call to the nodePorts chain. This needs to be after all other service portal rules."""
    last_rule_comment = '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"'
    node_port_ips = config.node_port_ips()
    if node_port_ips is None:
        destinations = ["-m", "addrtype", "--dst-type", "LOCAL"]
        if not config.localhost_nodeports:
            destinations += ["!", "-d", "127.0.0.0/8"]
        nat_rules.write("-A", KUBE_SERVICES, "-m", "comment", "--comment", last_rule_comment, destinations, "-j", KUBE_NODEPORTS)
        return
    for ip in node_port_ips:
        if ip.startswith("127.") and not config.localhost_nodeports:
            continue  # "--nodeport-addresses includes localhost but --iptables-localhost-nodeports=false"
        nat_rules.write("-A", KUBE_SERVICES, "-m", "comment", "--comment", last_rule_comment, "-d", ip, "-j", KUBE_NODEPORTS)


def _write_forward_rules(filter_rules: LineBuffer, config: ProxierConfig) -> None:
    """KUBE-FORWARD: drop INVALID packets, accept marked and established traffic."""
    mark = config.masquerade_mark
    # Drop packets in INVALID state (https://github.com/kubernetes/kubernetes/issues/74839).
    if not config.conntrack_tcp_liberal:
        rule = ["-A", KUBE_FORWARD, "-m", "conntrack", "--ctstate", "INVALID"]
        if config.nfacct:
            rule += ["-m", "nfacct", "--nfacct-name", CT_STATE_INVALID_DROPPED_NFACCT]
        filter_rules.write(rule, "-j", "DROP")
    filter_rules.write(
        "-A", KUBE_FORWARD, "-m", "comment", "--comment", '"kubernetes forwarding rules"',
        "-m", "mark", "--mark", f"{mark}/{mark}", "-j", "ACCEPT",
    )  # fmt: skip
    filter_rules.write(
        "-A", KUBE_FORWARD, "-m", "comment", "--comment", '"kubernetes forwarding conntrack rule"',
        "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT",
    )  # fmt: skip


def render_sync(
    svc_map: dict[ServicePortName, ServicePortInfo],
    eps_map: EndpointsMap,
    config: ProxierConfig,
    *,
    full_sync: bool = True,
    updated_services: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
    existing_nat_chains: frozenset[str] | set[str] = frozenset(),
    cleanup: bool = True,
) -> SyncResult:
    """The body of ``syncProxyRules`` from "Reset all buffers" to the ``RestoreAll`` input.

    ``updated_services`` (namespace, name) and ``full_sync`` decide which per-service nat chains
    are written on a partial sync; ``existing_nat_chains`` is what ``iptables-save -t nat``
    would list (stale KUBE-SVC/SVL/EXT/FW/SEP chains among them are flushed and ``-X``-ed).
    """
    buf = _Buffers()
    skipped_nat_chains, skipped_nat_rules = LineBuffer(discard=True), LineBuffer(discard=True)
    _write_base_chains(buf, config)

    active_nat_chains: set[str] = set()
    total_endpoints = sum(len(eps_map.get(name, [])) for name in svc_map)
    large = total_endpoints > chains.LARGE_CLUSTER_ENDPOINTS_THRESHOLD

    for svc_name in sorted(svc_map, key=lambda n: (str(n), n.protocol)):
        sc = _service_chains(svc_map[svc_name], eps_map.get(svc_name, []), config)
        _write_service_captures(buf, sc, config)
        # Unchanged services keep their SVC/SVL/EXT/FW/SEP chains on a partial sync.
        svc_nat_chains, svc_nat_rules = buf.nat_chains, buf.nat_rules
        if not full_sync and (svc_name.namespace, svc_name.name) not in updated_services:
            svc_nat_chains, svc_nat_rules = skipped_nat_chains, skipped_nat_rules
        _write_internal_traffic(svc_nat_rules, sc, config)
        _write_external_traffic(svc_nat_chains, svc_nat_rules, sc, config, active_nat_chains)
        _write_firewall_chain(svc_nat_chains, svc_nat_rules, sc, config, active_nat_chains)
        _write_policy_chains(svc_nat_chains, svc_nat_rules, sc, large, active_nat_chains)
        _write_endpoint_chains(svc_nat_chains, svc_nat_rules, sc, large, active_nat_chains)

    deleted = _delete_stale_chains(buf, existing_nat_chains, active_nat_chains) if cleanup else []
    _write_nodeports_jump(buf.nat_rules, config)
    _write_forward_rules(buf.filter_rules, config)

    lines = ["*filter", *buf.filter_chains.lines, *buf.filter_rules.lines, "COMMIT",
             "*nat", *buf.nat_chains.lines, *buf.nat_rules.lines, "COMMIT"]
    return SyncResult(
        text="\n".join(lines) + "\n",
        active_nat_chains=active_nat_chains,
        deleted_chains=deleted,
        filter_rules=len(buf.filter_rules.lines),
        nat_rules=sum(1 for line in buf.nat_rules.lines if line.startswith("-A ")),
    )


def sync_proxy_rules(services: list[dict[str, Any]], endpoint_slices: list[dict[str, Any]], config: ProxierConfig) -> str:
    """The full ``iptables-restore`` input kube-proxy writes on a full sync (raw upstream order)."""
    svc_map = service_port_map(services)
    eps_map = endpoints_map(endpoint_slices, config.node_name)
    return render_sync(svc_map, eps_map, config).text
