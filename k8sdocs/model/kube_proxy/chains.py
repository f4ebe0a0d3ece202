"""kube-proxy (iptables mode): chain names, chain-name hashes and load-balancing probabilities.

Upstream: ``pkg/proxy/iptables/proxier.go`` (v1.32+ era; read in kairosci/kubernetes@235e48943bb6
and an annotated copy of the same file). Every constant below is copied verbatim from there.
"""

from __future__ import annotations

import base64
import hashlib

# Global chains (proxier.go, `const ( kubeServicesChain ... )`).
KUBE_SERVICES = "KUBE-SERVICES"  # kubeServicesChain (nat + filter)
KUBE_EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES"  # kubeExternalServicesChain (filter)
KUBE_NODEPORTS = "KUBE-NODEPORTS"  # kubeNodePortsChain (nat + filter)
KUBE_POSTROUTING = "KUBE-POSTROUTING"  # kubePostroutingChain (nat)
KUBE_MARK_MASQ = "KUBE-MARK-MASQ"  # kubeMarkMasqChain (nat)
KUBE_FORWARD = "KUBE-FORWARD"  # kubeForwardChain (filter)
KUBE_PROXY_FIREWALL = "KUBE-PROXY-FIREWALL"  # kubeProxyFirewallChain (filter)
KUBE_FIREWALL = "KUBE-FIREWALL"  # kubeletFirewallChain (filter, duplicate of kubelet's anti-martian rule)

# largeClusterEndpointsThreshold = 1000 (proxier.go): above it, per-endpoint comments are dropped.
LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000

# Per-service-port chain prefixes (proxier.go, `const ( servicePortPolicyClusterChainNamePrefix ... )`).
SVC_PREFIX = "KUBE-SVC-"  # servicePortPolicyClusterChainNamePrefix
SVL_PREFIX = "KUBE-SVL-"  # servicePortPolicyLocalChainNamePrefix
FW_PREFIX = "KUBE-FW-"  # serviceFirewallChainNamePrefix
EXT_PREFIX = "KUBE-EXT-"  # serviceExternalChainNamePrefix
SEP_PREFIX = "KUBE-SEP-"  # servicePortEndpointChainNamePrefix

# nfacct counter names (pkg/proxy/metrics/metrics.go).
CT_STATE_INVALID_DROPPED_NFACCT = "ct_state_invalid_dropped_pkts"  # IPTablesCTStateInvalidDroppedNFAcctCounter
LOCALHOST_NODEPORT_ACCEPTED_NFACCT = "localhost_nps_accepted_pkts"  # LocalhostNodePortAcceptedNFAcctCounter


def _hash16(text: str) -> str:
    """sha256 -> base32.StdEncoding (alphabet A-Z2-7) -> first 16 characters."""
    return base64.b32encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")[:16]


def port_proto_hash(service_port_name: str, protocol: str) -> str:
    """``portProtoHash(servicePortName, protocol)``; ``protocol`` must already be lower case."""
    return _hash16(service_port_name + protocol)


def service_port_policy_cluster_chain(service_port_name: str, protocol: str) -> str:
    """``servicePortPolicyClusterChain``: KUBE-SVC-<hash>."""
    return SVC_PREFIX + port_proto_hash(service_port_name, protocol)


def service_port_policy_local_chain_name(service_port_name: str, protocol: str) -> str:
    """``servicePortPolicyLocalChainName``: KUBE-SVL-<hash>."""
    return SVL_PREFIX + port_proto_hash(service_port_name, protocol)


def service_firewall_chain_name(service_port_name: str, protocol: str) -> str:
    """``serviceFirewallChainName``: KUBE-FW-<hash>."""
    return FW_PREFIX + port_proto_hash(service_port_name, protocol)


def service_external_chain_name(service_port_name: str, protocol: str) -> str:
    """``serviceExternalChainName``: KUBE-EXT-<hash>."""
    return EXT_PREFIX + port_proto_hash(service_port_name, protocol)


def service_port_endpoint_chain_name(service_port_name: str, protocol: str, endpoint: str) -> str:
    """``servicePortEndpointChainName``: KUBE-SEP-<sha256(spn + protocol + "ip:port")>."""
    return SEP_PREFIX + _hash16(service_port_name + protocol + endpoint)


def is_service_chain_name(chain: str) -> bool:
    """``isServiceChainName``: chains kube-proxy owns per service (eligible for stale deletion)."""
    return chain.startswith((SVC_PREFIX, SVL_PREFIX, SEP_PREFIX, FW_PREFIX, EXT_PREFIX))


def compute_probability(n: int) -> str:
    """``computeProbability``: ``fmt.Sprintf("%0.10f", 1.0/float64(n))``.

    Go's ``%f`` rounds the exact binary value half-to-even like Python's ``%``-formatting,
    so the two agree digit for digit (TestComputeProbability: 100001 -> "0.0000099999").
    """
    return "%0.10f" % (1.0 / float(n))


def make_chain_line(chain: str) -> str:
    """``utiliptables.MakeChainLine``: ``:<chain> - [0:0]``."""
    return f":{chain} - [0:0]"
