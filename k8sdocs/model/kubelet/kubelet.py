"""The kubelet itself (``pkg/kubelet/kubelet.go``): start-up, the pod source, admission and the sync loop.

* ``Run``: the ``Starting`` Event, registration (:mod:`.node_status`), the Lease heartbeat (:mod:`.nodelease`) and
  the periodic node status update, then the informers.
* **Watches** (``NewMainKubelet``, ``pkg/kubelet/config/apiserver.go``): Services (a shared informer over all
  namespaces, for the pods' environment variables), its own Node (``fieldSelector=metadata.name=<node>``, the node
  lister ``tryUpdateNodeStatus`` reads first) and the Pods bound to it (``spec.nodeName=<node>``: the kubelet never
  sees other nodes' pods).
* ``HandlePodAdditions`` → ``canAdmitPod`` (:mod:`.lifecycle`), then ``SyncPod`` through the pod workers
  (:mod:`.pod_workers`) and the runtime manager (:mod:`.kuberuntime`).
* ``fail()`` models a node that stops answering; ``recover()`` re-registers the watches and reconciles the runtime
  with the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from k8sdocs.model.api.qos import compute_pod_qos
from k8sdocs.model.clock import Clock
from k8sdocs.model.kubelet.images import ImageManager
from k8sdocs.model.kubelet.kuberuntime import RuntimeManager
from k8sdocs.model.kubelet.lifecycle import can_admit_pod
from k8sdocs.model.kubelet.node_status import NODE_STATUS_UPDATE_FREQUENCY_MS, NodeStatus, internal_ip
from k8sdocs.model.kubelet.nodelease import RENEW_INTERVAL_MS, NodeLeaseController
from k8sdocs.model.kubelet.pod_workers import POD_WORKER_DELAY_MS, PodState, PodWorkers, Step
from k8sdocs.model.kubelet.prober import ProbeManager
from k8sdocs.model.kubelet.status import StatusManager
from k8sdocs.model.objcopy import clone
from k8sdocs.model.runtime import ContainerRuntime
from k8sdocs.model.trace import Trace

if TYPE_CHECKING:
    from k8sdocs.model.apiserver.client import Client


class Kubelet:
    """``Kubelet(node_name, client, clock, trace, runtime)``; call :meth:`start`."""

    def __init__(self, node_name: str, client: Client, clock: Clock, trace: Trace, runtime: ContainerRuntime,
                 node_manifest: dict[str, Any] | None = None) -> None:
        self.node_name = node_name
        self.client = client
        self.clock = clock
        self.trace = trace
        self.runtime = runtime
        self.node_manifest: dict[str, Any] = clone(node_manifest) if node_manifest else {
            "apiVersion": "v1", "kind": "Node", "metadata": {"name": node_name}}
        self.actor = f"kubelet/{node_name}"
        self.failed = False
        self._timers: list[int] = []
        self._watch_id: int | None = None
        self._other_watches: list[int] = []  # Services and the Node: the informers besides the pod source
        self.services: dict[str, dict[str, Any]] = {}  # the Service lister (namespace/name -> Service)
        self._relisted: set[str] | None = None  # pods seen by the watch's relist after recover()
        stopped: Callable[[], bool] = lambda: self.failed  # noqa: E731 - the node stopped answering
        self.node_status = NodeStatus(node_name, self.node_manifest, client, clock, runtime)
        self.lease_controller = NodeLeaseController(node_name, client, clock)
        self.pod_workers = PodWorkers(self.actor, clock, self._timers, stopped, self._sync_pod, self._kill_pod)
        self.status_manager = StatusManager(client, clock, internal_ip(self.node_manifest), stopped)
        self.image_manager = ImageManager(self.actor, client, clock, runtime, stopped)
        self.prober = ProbeManager(self.actor, clock, self._timers, self._is_live, self.status_manager.set_pod_status)
        self.runtime_manager = RuntimeManager(client, clock, runtime, self.image_manager, self.prober,
                                              self.status_manager.set_pod_status, self.pod_workers.retry_later)

    @property
    def node(self) -> dict[str, Any] | None:
        """The node lister's copy of this kubelet's Node."""
        return self.node_status.node

    @property
    def lease(self) -> dict[str, Any] | None:
        return self.lease_controller.lease

    # ------------------------------------------------------------------------------------------
    # lifecycle
    # ------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.runtime.Version()
        self.node_status.node_event("Starting", "Starting kubelet.")  # pkg/kubelet/kubelet.go, events.StartingKubelet
        self.node_status.register()
        self._sync_lease()
        self._start_loops()
        self._watch_informers()
        self._watch_pods()

    def fail(self) -> None:
        """The node stops answering: no heartbeats, no status, no pod work."""
        if self.failed:
            return
        self.failed = True
        self.trace.decide(self.actor, "NodeStopped", node=self.node_name)
        for t in self._timers:
            self.clock.cancel(t)
        self._timers.clear()
        if self._watch_id is not None:
            self.client.stop_watch(self._watch_id)
            self._watch_id = None
        for w in self._other_watches:
            self.client.stop_watch(w)
        self._other_watches.clear()
        self.pod_workers.stop_all()
        self.image_manager.clear()

    def recover(self) -> None:
        if not self.failed:
            return
        self.failed = False
        self.trace.decide(self.actor, "NodeRecovered", node=self.node_name)
        self._sync_lease()
        try:  # someone (node lifecycle controller) may have changed the Node meanwhile
            self.node_status.node = self.client.get("Node", self.node_name)
        except Exception as err:
            if getattr(err, "code", None) != 404:
                raise
        self._update_node_status(force=True)
        self._start_loops()
        self._relisted = set()
        self._watch_informers()
        self._watch_pods()
        # pods deleted while the node was away are reconciled once the relist has been delivered
        self._timers.append(self.clock.call_later(POD_WORKER_DELAY_MS, self._reconcile_after_relist,
                                                  f"{self.actor} reconcile"))

    def _start_loops(self) -> None:
        self._schedule_periodic(RENEW_INTERVAL_MS, self._sync_lease, "lease")
        self._schedule_periodic(NODE_STATUS_UPDATE_FREQUENCY_MS, self._update_node_status, "node status")

    def _schedule_periodic(self, period_ms: int, fn: Callable[[], None], label: str) -> None:
        def tick() -> None:
            if self.failed:
                return
            fn()
            self._timers.append(self.clock.call_later(period_ms, tick, f"{self.actor} {label}"))
        self._timers.append(self.clock.call_later(period_ms, tick, f"{self.actor} {label}"))

    def _sync_lease(self) -> None:
        if not self.failed:
            self.lease_controller.sync()

    def _update_node_status(self, force: bool = False) -> None:
        if not self.failed:
            self.node_status.update(force)

    # ------------------------------------------------------------------------------------------
    # informers and the pod source
    # ------------------------------------------------------------------------------------------
    def _watch_informers(self) -> None:
        """NewMainKubelet's informers: all Services (for environment variables) and its own Node."""
        self._other_watches = [
            self.client.watch("Service", self._on_service_event),
            self.client.watch("Node", self._on_node_event, field_selector=f"metadata.name={self.node_name}"),
        ]

    def _on_service_event(self, event_type: str, svc: dict[str, Any]) -> None:
        meta = svc.get("metadata", {})
        key = f"{meta.get('namespace', 'default')}/{meta.get('name')}"
        if event_type == "DELETED":
            self.services.pop(key, None)
        else:
            self.services[key] = clone(svc)

    def _on_node_event(self, event_type: str, node: dict[str, Any]) -> None:
        if self.failed or event_type == "DELETED":
            return
        self.node_status.node = clone(node)

    def _watch_pods(self) -> None:
        self._watch_id = self.client.watch("Pod", self._on_pod_event, field_selector=f"spec.nodeName={self.node_name}")

    def _on_pod_event(self, event_type: str, pod: dict[str, Any]) -> None:
        if self.failed:
            return
        meta = pod.get("metadata", {})
        key = f"{meta.get('namespace', 'default')}/{meta.get('name')}"
        if self._relisted is not None:
            self._relisted.add(key)
        pods = self.pod_workers.pods
        st = pods.get(key)
        if event_type == "DELETED":
            if st is not None and st.uid == meta.get("uid", st.uid):
                st.deleted = True
                self.pod_workers.kick(st)
            return
        if st is not None and st.uid != meta.get("uid", st.uid):
            st.deleted = True  # same name, new pod: tear the old one down first
            self.pod_workers.kick(st)
            st = None
        if st is None:
            st = PodState(key=key, uid=meta.get("uid", ""), pod=clone(pod))
            pods[key] = st
        else:
            spec_changed = st.pod.get("spec") != pod.get("spec")
            st.pod = clone(pod)
            if not spec_changed and event_type == "MODIFIED":
                return  # only status/metadata changed (often our own status update): nothing to sync
        if pod.get("status", {}).get("phase") in ("Failed", "Succeeded") and st.rejected:
            return
        st.needs_sync = True
        self.pod_workers.kick(st)

    def _reconcile_after_relist(self) -> None:
        if self.failed:
            return
        known = self._relisted or set()
        self._relisted = None
        pods = self.pod_workers.pods
        for key in sorted(pods):
            st = pods[key]
            if key not in known:
                st.deleted = True
                self.pod_workers.kick(st)

    def _is_live(self, st: PodState) -> bool:
        return not self.failed and not st.deleted and self.pod_workers.is_current(st)

    # ------------------------------------------------------------------------------------------
    # admission and SyncPod
    # ------------------------------------------------------------------------------------------
    def _admit(self, st: PodState) -> tuple[str, str] | None:
        """canAdmitPod against the pods already admitted (running, or with a status posted)."""
        alloc = ((self.node or {}).get("status", {}) or {}).get("allocatable", {})
        admitted = [other.pod for other in self.pod_workers.pods.values()
                    if not (other is st or other.rejected or other.deleted or not (other.sandbox_id or other.last_status))]
        return can_admit_pod(st.pod, admitted, alloc)

    def _sync_pod(self, st: PodState) -> Step:
        """``SyncPod``: admit a new pod (``rejectPod`` when it does not fit), then the runtime manager's SyncPod."""
        pod = st.pod
        if not st.sandbox_id and not st.last_status and not st.rejected:
            rejection = self._admit(st)
            if rejection is not None:
                reason, message = rejection
                st.rejected = True
                self.trace.decide(self.actor, "PodAdmissionRejected", pod=st.key, reason=reason)
                self.client.record_event(pod, "Warning", reason, message)
                # kubelet.go rejectPod: SetPodStatus(PodStatus{QOSClass, Phase: Failed, Reason, Message})
                status = {"phase": "Failed", "reason": reason, "message": f"Pod was rejected: {message}",
                          "qosClass": pod.get("status", {}).get("qosClass") or compute_pod_qos(pod)}
                self.status_manager.set_pod_status(st, status)
                return
            st.start_time = self.clock.timestamp()
            self.status_manager.set_pod_status(st)  # Pending, ContainerCreating
        if st.rejected:
            return
        yield from self.runtime_manager.sync_pod(st, self.status_manager.host_ip)

    def _kill_pod(self, st: PodState) -> Step:
        return self.runtime_manager.kill_pod(st)

    # -- views for tests and pages ---------------------------------------------------------------
    def running_pods(self) -> list[str]:
        return sorted(k for k, st in self.pod_workers.pods.items() if st.sandbox_id and not st.deleted)
