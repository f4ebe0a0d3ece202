"""The kube-proxy node component: informers on Services and EndpointSlices, a rate-limited sync
loop, and one ``iptables-restore`` per sync recorded in the trace.

Upstream: cmd/kube-proxy/app/server.go (informers with the label selector
``!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless``) and
pkg/proxy/iptables/proxier.go (``OnServiceUpdate`` / ``OnEndpointSliceUpdate`` call ``Sync()`` only
when the change trackers report a change; ``OnServiceSynced``/``OnEndpointSlicesSynced`` trigger
the first, full sync; ``syncRunner`` = BoundedFrequencyRunner with ``minSyncPeriod``).

Simplifications (documented, deliberate): the informer's initial LIST is a ``client.list`` per kind
followed by a watch (the watch's initial ADDED events then carry no change); the
BoundedFrequencyRunner is reduced to "at most one sync per ``min_sync_period_ms`` (default 1 s),
changes arriving meanwhile are batched into one sync" (no burst of 2, no periodic ``syncPeriod``
resync, which would rewrite identical rules); restores never fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from k8sdocs.model.clock import Clock
from k8sdocs.model.kube_proxy.endpoints import slice_info, slice_is_watched, slice_service_key
from k8sdocs.model.kube_proxy.iptables import ProxierConfig
from k8sdocs.model.kube_proxy.proxier import Proxier, SyncRecord
from k8sdocs.model.kube_proxy.serviceport import LABEL_HEADLESS, LABEL_SERVICE_PROXY_NAME, service_port_infos
from k8sdocs.model.trace import Trace

# cmd/kube-proxy/app/server.go: noProxyName + noHeadlessEndpoints requirements.
INFORMER_LABEL_SELECTOR = f"!{LABEL_SERVICE_PROXY_NAME},!{LABEL_HEADLESS}"
LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone"  # v1.LabelTopologyZone
# KubeProxyIPTablesConfiguration.MinSyncPeriod default: 1s.
DEFAULT_MIN_SYNC_PERIOD_MS = 1000


class APIClient(Protocol):
    actor: str

    def list(self, kind: str, namespace: str | None = None, label_selector: str | dict[str, Any] | None = None,
             field_selector: str | None = None) -> list[dict[str, Any]]: ...  # fmt: skip

    def watch(self, kind: str, handler: Callable[[str, dict[str, Any]], None], namespace: str | None = None, field_selector: str | None = None,
              label_selector: str | dict[str, Any] | None = None) -> int: ...  # fmt: skip

    def stop_watch(self, watch_id: int) -> None: ...


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return (meta.get("namespace") or "default", meta.get("name", ""))


class KubeProxy:
    """kube-proxy on one node, iptables mode."""

    def __init__(
        self,
        node_name: str,
        client: APIClient,
        clock: Clock,
        trace: Trace,
        config: ProxierConfig | None = None,
        min_sync_period_ms: int = DEFAULT_MIN_SYNC_PERIOD_MS,
    ) -> None:
        self.node_name = node_name
        self.client = client
        self.clock = clock
        self.trace = trace
        self.config = replace(config or ProxierConfig(), node_name=node_name)
        self.min_sync_period_ms = min_sync_period_ms
        self.proxier = Proxier(self.config)
        self._services: dict[tuple[str, str], dict[str, Any]] = {}
        self._slices: dict[tuple[str, str], dict[str, Any]] = {}
        self._watch_ids: list[int] = []
        self._timer: int | None = None
        self._last_sync_ms: int | None = None
        self._rules = ""
        self.started = False

    @property
    def actor(self) -> str:
        return f"kube-proxy/{self.node_name}"

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """LIST both kinds, run the first (full) sync, then WATCH for changes."""
        if self.started:
            return
        self.started = True
        for svc in self.client.list("Service", label_selector=INFORMER_LABEL_SELECTOR):
            self._services[_key(svc)] = svc
            self.proxier.on_service(svc)
        for es in self.client.list("EndpointSlice", label_selector=INFORMER_LABEL_SELECTOR):
            self._slices[_key(es)] = es
            self.proxier.on_endpoint_slice(es)
        # NodeTopologyConfig: kube-proxy watches its own Node for the topology zone label.
        node_selector = f"metadata.name={self.node_name}"
        for node in self.client.list("Node", field_selector=node_selector):
            self.proxier.on_topology_change(self._zone_of(node))
        self._sync()  # OnServiceSynced / OnEndpointSlicesSynced: "Sync unconditionally"
        self._watch_ids.append(self.client.watch("Service", self._on_service, label_selector=INFORMER_LABEL_SELECTOR))
        self._watch_ids.append(
            self.client.watch("EndpointSlice", self._on_endpoint_slice, label_selector=INFORMER_LABEL_SELECTOR)
        )
        self._watch_ids.append(self.client.watch("Node", self._on_node, field_selector=node_selector))

    def stop(self) -> None:
        for wid in self._watch_ids:
            self.client.stop_watch(wid)
        self._watch_ids.clear()
        if self._timer is not None:
            self.clock.cancel(self._timer)
            self._timer = None
        self.started = False

    # -- informer handlers -------------------------------------------------------------------
    def _on_service(self, event_type: str, svc: dict[str, Any]) -> None:
        key = _key(svc)
        before = tuple(service_port_infos(self._services[key])) if key in self._services else ()
        if event_type == "DELETED":
            self._services.pop(key, None)
            self.proxier.on_service_delete(svc)
            after: tuple[Any, ...] = ()
        else:
            self._services[key] = svc
            self.proxier.on_service(svc)
            after = tuple(service_port_infos(svc))
        if before != after:  # ServiceChangeTracker.Update returned true
            self._request_sync()

    @staticmethod
    def _zone_of(node: dict[str, Any]) -> str:
        return str(((node.get("metadata") or {}).get("labels") or {}).get(LABEL_TOPOLOGY_ZONE, ""))

    def _on_node(self, event_type: str, node: dict[str, Any]) -> None:
        zone = "" if event_type == "DELETED" else self._zone_of(node)
        if zone != self.proxier.config.zone:
            self.proxier.on_topology_change(zone)  # needFullSync = true, then Sync()
            self._request_sync()

    @staticmethod
    def _slice_state(es: dict[str, Any] | None) -> tuple[Any, ...]:
        if es is None or not slice_is_watched(es):
            return ()
        return (slice_service_key(es), slice_info(es))

    def _on_endpoint_slice(self, event_type: str, es: dict[str, Any]) -> None:
        key = _key(es)
        before = self._slice_state(self._slices.get(key))
        if event_type == "DELETED":
            self._slices.pop(key, None)
            self.proxier.on_endpoint_slice_delete(es)
            after: tuple[Any, ...] = ()
        else:
            self._slices[key] = es
            self.proxier.on_endpoint_slice(es)
            after = self._slice_state(es)
        if before != after:  # EndpointsChangeTracker.EndpointSliceUpdate returned true
            self._request_sync()

    # -- sync loop ---------------------------------------------------------------------------
    def _request_sync(self) -> None:
        """``Proxier.Sync()`` -> ``syncRunner.Run()``: run now, or once ``min_sync_period_ms`` has passed."""
        if self._timer is not None:
            return  # a sync is already queued: this change is batched into it
        due = self.clock.now_ms if self._last_sync_ms is None else max(
            self.clock.now_ms, self._last_sync_ms + self.min_sync_period_ms
        )
        self._timer = self.clock.call_at(due, self._run_queued_sync, f"{self.actor} syncProxyRules")

    def _run_queued_sync(self) -> None:
        self._timer = None
        self._sync()

    def _sync(self) -> SyncRecord:
        record = self.proxier.sync(self.clock.now_ms)
        self._last_sync_ms = self.clock.now_ms
        self._rules = self.proxier.rules()
        self.trace.record(
            "iptables",
            self.actor,
            f"iptables/{self.node_name}",
            f"iptables-restore ({record.result.rule_count} reglas)",
            sync="full" if record.full_sync else "partial",
            rules=record.result.rule_count,
            deleted_chains=len(record.result.deleted_chains),
        )
        return record

    # -- what the node has -------------------------------------------------------------------
    def rules(self) -> str:
        """The node's complete rule set after the last sync (full-sync form, raw upstream order)."""
        return self._rules

    def last_restore(self) -> str:
        """The exact iptables-restore input of the last sync (partial syncs omit unchanged chains)."""
        return self.proxier.history[-1].result.text if self.proxier.history else ""
