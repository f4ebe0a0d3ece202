"""Spanish text for kube-proxy's trace entries (see k8sdocs/render/phrasebook/__init__.py).

Codes and fields: k8sdocs/model/kube_proxy/component.py (``IPTABLES_RESTORE``: field ``rules``, the rule count).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def _iptables_restore(f: Mapping[str, str]) -> str:
    return f"iptables-restore ({f['rules']} reglas)"


PHRASES: dict[str, Callable[[Mapping[str, str]], str]] = {
    "IptablesRestore": _iptables_restore,
}
