"""kube-proxy, iptables mode: the iptables-restore text a node's kube-proxy writes.

See :mod:`k8sdocs.model.kube_proxy.iptables` for what is modelled and what is out of scope.
"""

from k8sdocs.model.kube_proxy.canonical import canonical_order
from k8sdocs.model.kube_proxy.iptables import ProxierConfig, sync_proxy_rules

__all__ = ["ProxierConfig", "canonical_order", "sync_proxy_rules"]
