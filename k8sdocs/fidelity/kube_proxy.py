"""Fidelity cases of kind ``kube-proxy-iptables``: run the model, compare in upstream's canonical order.

A case (tests/fidelity/kube-proxy/cases.yaml) lists the Services and EndpointSlices kube-proxy sees,
``node_name``, the ``proxier`` settings and ``expected_file``: iptables-restore text as upstream's
``assertIPTablesRulesEqual`` expects it (already in ``sortIPTablesRules`` order). The model's raw
output goes through :func:`canonical_order` (the port of ``sortIPTablesRules``) and must equal the
expected text byte for byte. Anything the runner does not understand is a FAIL, never a pass.

Every case is transcribed from tests that build their proxier with ``NewFakeProxier``
(pkg/proxy/iptables/proxier_test.go), so settings a case leaves out take that function's values
(:data:`FAKE_PROXIER_DEFAULTS`): node "test-node" / 192.168.0.2, mark 0x4000, pod CIDR 10.0.0.0/8,
localhostNodePorts on, both nfacct counters, no ``--random-fully``.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from k8sdocs.fidelity.loader import expected_path
from k8sdocs.fidelity.result import CaseResult
from k8sdocs.model.confine import ConfinementError
from k8sdocs.model.kube_proxy.canonical import IPTablesParseError, canonical_order
from k8sdocs.model.kube_proxy.iptables import ProxierConfig, sync_proxy_rules
from k8sdocs.model.limits import read_bounded

CASE_KIND = "kube-proxy-iptables"

# proxier key in cases.yaml -> (ProxierConfig field, accepted Python types)
_PROXIER_KEYS: dict[str, tuple[str, tuple[type, ...]]] = {
    "masquerade_mark": ("masquerade_mark", (str,)),
    "cluster_cidr": ("cluster_cidr", (str, type(None))),
    "nfacct": ("nfacct", (bool,)),
    "localhost_nodeports": ("localhost_nodeports", (bool,)),
    "random_fully": ("random_fully", (bool,)),
    "masquerade_all": ("masquerade_all", (bool,)),
    "conntrack_tcp_liberal": ("conntrack_tcp_liberal", (bool,)),
    "node_ip": ("node_ip", (str, type(None))),
    "node_name": ("node_name", (str,)),
    "zone": ("zone", (str,)),
    "node_port_addresses": ("node_port_addresses", (list,)),
    "node_addresses": ("node_addresses", (list,)),
}
_OBJECT_KINDS = ("Service", "EndpointSlice", "Node")
LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone"  # v1.LabelTopologyZone

# NewFakeProxier (proxier_test.go): testNodeName, testNodeIP, masqueradeMark "0x4000",
# NewDetectLocalByCIDR("10.0.0.0/8"), localhostNodePorts: true, nfAcctCounters all true,
# iptablestest.NewFake() without --random-fully.
FAKE_PROXIER_DEFAULTS: dict[str, object] = {
    "node_name": "test-node",
    "node_ip": "192.168.0.2",
    "masquerade_mark": "0x4000",
    "cluster_cidr": "10.0.0.0/8",
    "localhost_nodeports": True,
    "nfacct": True,
    "random_fully": False,
    # NewFakeProxier's fake network: lo 127.0.0.1/8; eth0 testNodeIP, testNodeIPAlt, testExternalIP (+ IPv6).
    "node_addresses": ("127.0.0.1", "192.168.0.2", "192.168.1.2", "192.168.99.11"),
}
_DIFF_LINES = 20


def expected_text(path: Path) -> str:
    """The expected file without ``#`` lines, leading/trailing blank lines stripped."""
    lines = [line for line in read_bounded(path).splitlines() if not line.startswith("#")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def build_config(case: dict[str, Any]) -> ProxierConfig:
    """``ProxierConfig`` from ``case["proxier"]`` and ``case["node_name"]``; ValueError names a bad key."""
    proxier = case.get("proxier") or {}
    if not isinstance(proxier, dict):
        raise ValueError("proxier must be a mapping")
    kwargs: dict[str, object] = dict(FAKE_PROXIER_DEFAULTS)
    for key in sorted(proxier):
        if key not in _PROXIER_KEYS:
            raise ValueError(f"unknown proxier key {key!r}")
        field_name, types = _PROXIER_KEYS[key]
        value = proxier[key]
        if not isinstance(value, types):
            raise ValueError(f"proxier key {key!r} has a value of type {type(value).__name__}")
        kwargs[field_name] = tuple(str(v) for v in value) if isinstance(value, list) else value
    if "node_name" in case:
        kwargs["node_name"] = str(case["node_name"])
    return ProxierConfig(**kwargs)  # type: ignore[arg-type]


def short_diff(expected: str, got: str) -> str:
    diff = list(difflib.unified_diff(expected.splitlines(), got.splitlines(), "expected", "model", lineterm="", n=1))
    shown = diff[:_DIFF_LINES]
    if len(diff) > _DIFF_LINES:
        shown.append(f"... ({len(diff) - _DIFF_LINES} more diff lines)")
    return "\n".join(shown)


def run_case(case: dict[str, Any], case_dir: Path) -> CaseResult:
    case_id = str(case.get("id", "<no id>"))
    kind = case.get("kind")
    if kind != CASE_KIND:
        return CaseResult(case_id, "FAIL", f"unknown kind {kind!r} (this runner handles {CASE_KIND!r})")
    if case.get("incomplete") is True:
        return CaseResult(case_id, "SKIP", "incomplete: true")
    try:
        config = build_config(case)
    except (TypeError, ValueError) as err:
        return CaseResult(case_id, "FAIL", str(err))
    services: list[dict[str, Any]] = []
    slices: list[dict[str, Any]] = []
    for obj in case.get("objects") or []:
        obj_kind = obj.get("kind") if isinstance(obj, dict) else None
        if obj_kind == "Service":
            services.append(obj)
        elif obj_kind == "EndpointSlice":
            slices.append(obj)
        elif obj_kind == "Node":
            # kube-proxy watches only its own Node, for the topology zone label (OnTopologyChange).
            meta = obj.get("metadata") or {}
            zone = (meta.get("labels") or {}).get(LABEL_TOPOLOGY_ZONE)
            if meta.get("name") == config.node_name and zone is not None and "zone" not in (case.get("proxier") or {}):
                config = replace(config, zone=str(zone))
        else:
            return CaseResult(case_id, "FAIL", f"unknown object kind {obj_kind!r} (expected one of {', '.join(_OBJECT_KINDS)})")
    expected_file = case.get("expected_file")
    if not expected_file:
        return CaseResult(case_id, "FAIL", "missing key 'expected_file'")
    try:  # inside the case file's folder (issue 15: never /proc/self/environ on the fidelity page)
        path = expected_path(Path(case_dir), expected_file)
    except ConfinementError as err:
        return CaseResult(case_id, "FAIL", f"expected_file: {err}")
    if not path.is_file():
        return CaseResult(case_id, "FAIL", f"expected_file {str(expected_file)!r} not found next to the case file")
    try:
        expected = expected_text(path)
    except (OSError, ValueError) as err:
        return CaseResult(case_id, "FAIL", f"expected_file {str(expected_file)!r}: {' '.join(str(err).split())}")
    try:
        raw = sync_proxy_rules(services, slices, config)
        got = canonical_order(raw).strip("\n")
    except (IPTablesParseError, KeyError, TypeError, ValueError) as err:
        return CaseResult(case_id, "FAIL", f"model error: {type(err).__name__}: {err}")
    if got == expected:
        return CaseResult(case_id, "PASS")
    return CaseResult(case_id, "FAIL", "iptables-restore text differs (canonical order)\n" + short_diff(expected, got))
