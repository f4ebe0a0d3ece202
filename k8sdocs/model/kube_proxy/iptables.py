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
    mark = config.masquerade_mark
    local_cidr = config.local_cidr()
    nfacct = config.nfacct
    is_ipv6 = False

    filter_chains, filter_rules = LineBuffer(), LineBuffer()
    nat_chains, nat_rules = LineBuffer(), LineBuffer()
    skipped_nat_chains, skipped_nat_rules = LineBuffer(discard=True), LineBuffer(discard=True)

    for chain in (KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL):
        filter_chains.write(make_chain_line(chain))
    for chain in (KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ):
        nat_chains.write(make_chain_line(chain))

    nat_rules.write("-A", KUBE_POSTROUTING, "-m", "mark", "!", "--mark", f"{mark}/{mark}", "-j", "RETURN")
    # Clear the mark to avoid re-masquerading if the packet re-traverses the network stack.
    nat_rules.write("-A", KUBE_POSTROUTING, "-j", "MARK", "--xor-mark", mark)
    masq_rule = ["-A", KUBE_POSTROUTING, "-m", "comment", "--comment", '"kubernetes service traffic requiring SNAT"', "-j", "MASQUERADE"]
    if config.random_fully:
        masq_rule.append("--random-fully")
    nat_rules.write(masq_rule)
    nat_rules.write("-A", KUBE_MARK_MASQ, "-j", "MARK", "--or-mark", mark)

    if not is_ipv6 and config.localhost_nodeports:
        # Mitigation for https://issue.k8s.io/90259 (kubelet writes an identical rule).
        filter_chains.write(make_chain_line(KUBE_FIREWALL))
        filter_rules.write(
            "-A", KUBE_FIREWALL,
            "-m", "comment", "--comment", '"block incoming localnet connections"',
            "-d", "127.0.0.0/8", "!", "-s", "127.0.0.0/8",
            "-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED,DNAT",
            "-j", "DROP",
        )  # fmt: skip

    active_nat_chains: set[str] = set()

    total_endpoints = sum(len(eps_map.get(name, [])) for name in svc_map)
    large = total_endpoints > chains.LARGE_CLUSTER_ENDPOINTS_THRESHOLD

    for svc_name in sorted(svc_map, key=lambda n: (str(n), n.protocol)):
        svc = svc_map[svc_name]
        protocol = svc.proto
        spn = svc.name_string
        cat = categorize_endpoints(eps_map.get(svc_name, []), svc, config.node_name, config.zone)
        cluster_endpoints = cat.cluster or []
        local_endpoints = cat.local or []
        has_endpoints = cat.has_any

        cluster_policy_chain = svc.cluster_policy_chain
        uses_cluster_policy_chain = len(cluster_endpoints) > 0 and svc.uses_cluster_endpoints()
        local_policy_chain = svc.local_policy_chain
        uses_local_policy_chain = len(local_endpoints) > 0 and svc.uses_local_endpoints()

        internal_policy_chain = cluster_policy_chain
        has_internal_endpoints = has_endpoints
        if svc.internal_policy_local:
            internal_policy_chain = local_policy_chain
            if not local_endpoints:
                has_internal_endpoints = False
        internal_traffic_chain = internal_policy_chain

        external_policy_chain = cluster_policy_chain
        has_external_endpoints = has_endpoints
        if svc.external_policy_local:
            external_policy_chain = local_policy_chain
            if not local_endpoints:
                has_external_endpoints = False
        external_traffic_chain = svc.external_chain

        uses_external_traffic_chain = has_endpoints and svc.externally_accessible()

        load_balancer_traffic_chain = external_traffic_chain
        fw_chain = svc.firewall_chain
        uses_fw_chain = has_endpoints and bool(svc.load_balancer_vips) and bool(svc.load_balancer_source_ranges)
        if uses_fw_chain:
            load_balancer_traffic_chain = fw_chain

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

        svc_nat_chains, svc_nat_rules = nat_chains, nat_rules
        match = ["-m", protocol, "-p", protocol]

        # Capture the clusterIP.
        if has_internal_endpoints:
            nat_rules.write(
                "-A", KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} cluster IP"', match,
                "-d", svc.cluster_ip, "--dport", str(svc.port), "-j", internal_traffic_chain,
            )  # fmt: skip
        else:
            filter_rules.write(
                "-A", KUBE_SERVICES, "-m", "comment", "--comment", internal_filter_comment, match,
                "-d", svc.cluster_ip, "--dport", str(svc.port), "-j", internal_filter_target,
            )  # fmt: skip

        # Capture externalIPs.
        for external_ip in svc.external_ips:
            if has_endpoints:
                nat_rules.write(
                    "-A", KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} external IP"', match,
                    "-d", external_ip, "--dport", str(svc.port), "-j", external_traffic_chain,
                )  # fmt: skip
            if not has_external_endpoints:
                filter_rules.write(
                    "-A", KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", external_filter_comment, match,
                    "-d", external_ip, "--dport", str(svc.port), "-j", external_filter_target,
                )  # fmt: skip

        # Capture load-balancer ingress.
        for lbip in svc.load_balancer_vips:
            if has_endpoints:
                nat_rules.write(
                    "-A", KUBE_SERVICES, "-m", "comment", "--comment", f'"{spn} loadbalancer IP"', match,
                    "-d", lbip, "--dport", str(svc.port), "-j", load_balancer_traffic_chain,
                )  # fmt: skip
            if uses_fw_chain:
                filter_rules.write(
                    "-A", KUBE_PROXY_FIREWALL, "-m", "comment", "--comment",
                    f'"{spn} traffic not accepted by {fw_chain}"', match,
                    "-d", lbip, "--dport", str(svc.port), "-j", "DROP",
                )  # fmt: skip
        if not has_external_endpoints:
            for lbip in svc.load_balancer_vips:
                filter_rules.write(
                    "-A", KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", external_filter_comment, match,
                    "-d", lbip, "--dport", str(svc.port), "-j", external_filter_target,
                )  # fmt: skip

        # Capture nodeports.
        if svc.node_port != 0:
            if has_endpoints:
                if config.localhost_nodeports and nfacct:  # ipFamily == IPv4 && nfAcctCounters[localhost...]
                    nat_rules.write(
                        "-A", KUBE_NODEPORTS, "-m", "comment", "--comment", spn, match,
                        "-d", "127.0.0.0/8", "--dport", str(svc.node_port),
                        "-m", "nfacct", "--nfacct-name", LOCALHOST_NODEPORT_ACCEPTED_NFACCT,
                        "-j", external_traffic_chain,
                    )  # fmt: skip
                nat_rules.write(
                    "-A", KUBE_NODEPORTS, "-m", "comment", "--comment", spn, match,
                    "--dport", str(svc.node_port), "-j", external_traffic_chain,
                )  # fmt: skip
            if not has_external_endpoints:
                filter_rules.write(
                    "-A", KUBE_EXTERNAL_SERVICES, "-m", "comment", "--comment", external_filter_comment,
                    "-m", "addrtype", "--dst-type", "LOCAL", match,
                    "--dport", str(svc.node_port), "-j", external_filter_target,
                )  # fmt: skip

        # Capture healthCheckNodePorts.
        if svc.health_check_node_port != 0:
            filter_rules.write(
                "-A", KUBE_NODEPORTS, "-m", "comment", "--comment", f'"{spn} health check node port"',
                "-m", "tcp", "-p", "tcp", "--dport", str(svc.health_check_node_port), "-j", "ACCEPT",
            )  # fmt: skip

        # Unchanged services keep their SVC/SVL/EXT/FW/SEP chains on a partial sync.
        if not full_sync and (svc_name.namespace, svc_name.name) not in updated_services:
            svc_nat_chains, svc_nat_rules = skipped_nat_chains, skipped_nat_rules

        # Set up internal traffic handling.
        if has_internal_endpoints:
            args = ["-m", "comment", "--comment", f'"{spn} cluster IP"', *match, "-d", svc.cluster_ip, "--dport", str(svc.port)]
            if config.masquerade_all:
                svc_nat_rules.write("-A", internal_traffic_chain, args, "-j", KUBE_MARK_MASQ)
            elif local_cidr is not None:
                # Masquerade off-cluster traffic to a service VIP.
                svc_nat_rules.write("-A", internal_traffic_chain, args, "!", "-s", local_cidr, "-j", KUBE_MARK_MASQ)

        # Set up external traffic handling.
        if uses_external_traffic_chain:
            svc_nat_chains.write(make_chain_line(external_traffic_chain))
            active_nat_chains.add(external_traffic_chain)
            if not svc.external_policy_local:
                svc_nat_rules.write(
                    "-A", external_traffic_chain, "-m", "comment", "--comment",
                    f'"masquerade traffic for {spn} external destinations"', "-j", KUBE_MARK_MASQ,
                )  # fmt: skip
            else:
                if local_cidr is not None:
                    svc_nat_rules.write(
                        "-A", external_traffic_chain, "-m", "comment", "--comment",
                        f'"pod traffic for {spn} external destinations"', "-s", local_cidr, "-j", cluster_policy_chain,
                    )  # fmt: skip
                svc_nat_rules.write(
                    "-A", external_traffic_chain, "-m", "comment", "--comment",
                    f'"masquerade LOCAL traffic for {spn} external destinations"',
                    "-m", "addrtype", "--src-type", "LOCAL", "-j", KUBE_MARK_MASQ,
                )  # fmt: skip
                svc_nat_rules.write(
                    "-A", external_traffic_chain, "-m", "comment", "--comment",
                    f'"route LOCAL traffic for {spn} external destinations"',
                    "-m", "addrtype", "--src-type", "LOCAL", "-j", cluster_policy_chain,
                )  # fmt: skip
            if has_external_endpoints:
                svc_nat_rules.write("-A", external_traffic_chain, "-j", external_policy_chain)

        # Set up firewall chain, if needed.
        if uses_fw_chain:
            svc_nat_chains.write(make_chain_line(fw_chain))
            active_nat_chains.add(fw_chain)
            fw_args = ["-A", fw_chain, "-m", "comment", "--comment", f'"{spn} loadbalancer IP"']
            allow_from_node = False
            node_ip = parse_ipv4_sloppy(config.node_ip) if config.node_ip else None
            for cidr in svc.load_balancer_source_ranges:
                svc_nat_rules.write(fw_args, "-s", str(cidr), "-j", external_traffic_chain)
                if node_ip is not None and node_ip in cidr:
                    allow_from_node = True
            if allow_from_node:
                for lbip in svc.load_balancer_vips:
                    svc_nat_rules.write(fw_args, "-s", lbip, "-j", external_traffic_chain)
            # If the packet reached the end of the firewall chain it was not DNATed, so
            # KUBE-PROXY-FIREWALL drops it.
            svc_nat_rules.write(
                "-A", fw_chain, "-m", "comment", "--comment",
                f'"other traffic to {spn} will be dropped by KUBE-PROXY-FIREWALL"',
            )  # fmt: skip

        if uses_cluster_policy_chain:
            svc_nat_chains.write(make_chain_line(cluster_policy_chain))
            active_nat_chains.add(cluster_policy_chain)
            _write_service_to_endpoint_rules(svc_nat_rules, spn, svc, cluster_policy_chain, cluster_endpoints, large)

        if uses_local_policy_chain:
            svc_nat_chains.write(make_chain_line(local_policy_chain))
            active_nat_chains.add(local_policy_chain)
            _write_service_to_endpoint_rules(svc_nat_rules, spn, svc, local_policy_chain, local_endpoints, large)

        # Generate the per-endpoint chains.
        for ep in cat.all_reachable:
            svc_nat_chains.write(make_chain_line(ep.chain_name))
            active_nat_chains.add(ep.chain_name)
            args = _service_comment(large, ["-A", ep.chain_name], spn)
            # Handle traffic that loops back to the originator with SNAT.
            svc_nat_rules.write(args, "-s", ep.ip, "-j", KUBE_MARK_MASQ)
            if svc.session_affinity_client_ip:
                args = args + ["-m", "recent", "--name", ep.chain_name, "--set"]
            # DNAT to final destination.
            svc_nat_rules.write(args, match, "-j", "DNAT", "--to-destination", str(ep))

    # Delete chains no longer in use (flush by declaring, then -X).
    deleted: list[str] = []
    if cleanup:
        for chain in sorted(set(existing_nat_chains) - active_nat_chains):
            if not chains.is_service_chain_name(chain):
                continue
            nat_chains.write(make_chain_line(chain))
            nat_rules.write("-X", chain)
            deleted.append(chain)

    # Finally, tail-call to the nodePorts chain. This needs to be after all other service portal rules.
    last_rule_comment = '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"'
    node_port_ips = config.node_port_ips()
    if node_port_ips is None:
        destinations = ["-m", "addrtype", "--dst-type", "LOCAL"]
        if not config.localhost_nodeports:
            destinations += ["!", "-d", "127.0.0.0/8"]
        nat_rules.write("-A", KUBE_SERVICES, "-m", "comment", "--comment", last_rule_comment, destinations, "-j", KUBE_NODEPORTS)
    else:
        for ip in node_port_ips:
            if ip.startswith("127.") and not config.localhost_nodeports:
                continue  # "--nodeport-addresses includes localhost but --iptables-localhost-nodeports=false"
            nat_rules.write("-A", KUBE_SERVICES, "-m", "comment", "--comment", last_rule_comment, "-d", ip, "-j", KUBE_NODEPORTS)

    # Drop packets in INVALID state (https://github.com/kubernetes/kubernetes/issues/74839).
    if not config.conntrack_tcp_liberal:
        rule = ["-A", KUBE_FORWARD, "-m", "conntrack", "--ctstate", "INVALID"]
        if nfacct:
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

    lines = ["*filter", *filter_chains.lines, *filter_rules.lines, "COMMIT", "*nat", *nat_chains.lines, *nat_rules.lines, "COMMIT"]
    return SyncResult(
        text="\n".join(lines) + "\n",
        active_nat_chains=active_nat_chains,
        deleted_chains=deleted,
        filter_rules=len(filter_rules.lines),
        nat_rules=sum(1 for line in nat_rules.lines if line.startswith("-A ")),
    )


def sync_proxy_rules(services: list[dict], endpoint_slices: list[dict], config: ProxierConfig) -> str:
    """The full ``iptables-restore`` input kube-proxy writes on a full sync (raw upstream order)."""
    svc_map = service_port_map(services)
    eps_map = endpoints_map(endpoint_slices, config.node_name)
    return render_sync(svc_map, eps_map, config).text
