"""Service ClusterIP and NodePort allocation (``pkg/registry/core/service/storage/alloc.go``, the ipallocator and
portallocator of ``pkg/registry/core/service``)."""

from __future__ import annotations

import ipaddress
import random

from k8sdocs.model.apiserver.codec import Obj
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.objcopy import clone
from k8sdocs.model.resources import RESOURCES
from k8sdocs.model.store import Store

# kube-apiserver --service-cluster-ip-range (kubeadm default) and --service-node-port-range default
SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORT_RANGE = (30000, 32767)


def _used_service_values(store: Store) -> tuple[set[str], set[int]]:
    ips: set[str] = set()
    ports: set[int] = set()
    for kv in store.range(RESOURCES["Service"].key_prefix()):
        spec = kv.value.get("spec") or {}
        ips.update(ip for ip in spec.get("clusterIPs") or [] if ip != "None")
        ports.update(int(p["nodePort"]) for p in spec.get("ports") or [] if p.get("nodePort"))
    return ips, ports


def allocate_service(store: Store, rng: random.Random, svc: Obj) -> None:
    """ClusterIP and NodePort allocation on create, as the Service REST storage does.

    Range ``--service-cluster-ip-range`` (kubeadm default ``10.96.0.0/12``; ``.1`` is the ``kubernetes``
    Service) and ``--service-node-port-range`` ``30000-32767``. Upstream picks free values at random
    (preferring the upper, "dynamic" band of the range); the model draws from its seeded RNG in the same band.
    Sets ``clusterIPs``, ``ipFamilies: [IPv4]`` and ``ipFamilyPolicy: SingleStack``.
    """
    spec = svc.setdefault("spec", {})
    stype = spec.get("type", "ClusterIP")
    if stype == "ExternalName":
        return
    used_ips, used_ports = _used_service_values(store)
    name = svc["metadata"]["name"]
    info = RESOURCES["Service"]
    ip = spec.get("clusterIP") or ""
    if ip == "None":
        spec["clusterIPs"] = ["None"]
    elif ip:
        addr: ipaddress.IPv4Address | ipaddress.IPv6Address | None
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            addr = None
        if addr is None or addr not in SERVICE_CIDR:
            raise APIError(422, "Invalid", f'Service "{name}" is invalid: spec.clusterIPs: Invalid value: []string{{"{ip}"}}: '
                                           f"failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. "
                                           f"The range of valid IPs is {SERVICE_CIDR}")
        if ip in used_ips:
            raise APIError(422, "Invalid", f'Service "{name}" is invalid: spec.clusterIPs: Invalid value: []string{{"{ip}"}}: '
                                           f"failed to allocate IP {ip}: provided IP is already allocated")
        spec["clusterIPs"] = [ip]
    else:
        size = SERVICE_CIDR.num_addresses - 2
        # ipallocator calculateRangeOffset: dynamic allocation starts above the static band (which also
        # keeps 10.96.0.1, the kubernetes Service's address, out of reach)
        static_band = min(max(16, size // 16), 256)
        while True:
            offset = rng.randrange(static_band + 1, size + 1)
            candidate = str(SERVICE_CIDR.network_address + offset)
            if candidate not in used_ips:
                break
        spec["clusterIP"] = candidate
        spec["clusterIPs"] = [candidate]
    spec.setdefault("ipFamilies", ["IPv4"])
    spec.setdefault("ipFamilyPolicy", "SingleStack")
    if stype in ("NodePort", "LoadBalancer"):
        for p in spec.get("ports") or []:
            if p.get("nodePort"):
                if int(p["nodePort"]) in used_ports:
                    raise APIError(422, "Invalid", f'{info.qualified_kind} "{name}" is invalid: spec.ports[0].nodePort: '
                                                   f"Invalid value: {p['nodePort']}: provided port is already allocated")
                used_ports.add(int(p["nodePort"]))
                continue
            while True:
                port = rng.randrange(NODE_PORT_RANGE[0], NODE_PORT_RANGE[1] + 1)
                if port not in used_ports:
                    break
            p["nodePort"] = port
            used_ports.add(port)


def keep_allocated(old: Obj, new: Obj) -> None:
    """``patchAllocatedValues`` (pkg/registry/core/service/storage): an update that omits allocated values keeps them."""
    ospec, nspec = old.get("spec") or {}, new.setdefault("spec", {})
    for k in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
        if k in ospec and not nspec.get(k):
            nspec[k] = clone(ospec[k])
    if nspec.get("type") in ("NodePort", "LoadBalancer"):
        old_ports = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort") for p in ospec.get("ports") or []}
        for p in nspec.get("ports") or []:
            if not p.get("nodePort") and old_ports.get((p.get("port"), p.get("protocol", "TCP"))):
                p["nodePort"] = old_ports[(p.get("port"), p.get("protocol", "TCP"))]
