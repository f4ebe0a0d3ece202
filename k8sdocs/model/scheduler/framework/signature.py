"""Pod scheduling signatures (KEP-5598 "Opportunistic batching", alpha in v1.35: plugins' ``SignPod``; upstream
staging/src/k8s.io/kube-scheduler/framework/interface.go ``SignPlugin`` and pkg/scheduler/framework/plugins/helper/signers.go).

A plugin may implement ``sign_pod(pod) -> Hashable | None``: two pods with equal signatures get the same Filter status
and the same raw Score from that plugin on any given node (None: the plugin cannot promise that, e.g. it reads other
pods). The model uses signatures only to memoize per-node results keyed by (NodeInfo object, NodeInfo generation,
signature): a cache hit returns exactly what the plugin would compute, so decisions are unchanged; upstream's batching
(reusing the previous cycle's sorted node list) is not modelled.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def spec_fragment(pod: Mapping[str, Any], *paths: str) -> str:
    """A canonical text of the named ``spec`` fields (missing fields are null)."""
    spec = pod.get("spec") or {}
    return json.dumps([spec.get(p) for p in paths], sort_keys=True, separators=(",", ":"), default=str)
