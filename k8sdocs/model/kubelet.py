"""The kubelet: the node agent that turns Pods bound to its node into running containers.

What it does, in upstream's order and wording:

* **Registration** (``pkg/kubelet/kubelet_node_status.go`` ``registerWithAPIServer``): creates its
  Node (``POST /api/v1/nodes``) from the node's manifest, with ``status`` filled by the node status
  setters (``pkg/kubelet/nodestatus/setters.go``: conditions MemoryPressure, DiskPressure,
  PIDPressure, Ready in that order, capacity/allocatable, addresses, nodeInfo, images,
  daemonEndpoints). If the Node already exists it takes it over.
* **Heartbeats** (``pkg/kubelet/nodelease/controller.go``): a Lease ``kube-node-lease/<node>`` with
  ``holderIdentity=<node>``, ``leaseDurationSeconds=40`` and an ownerReference to the Node; renewed
  every ``renewInterval = leaseDuration * renewIntervalFraction (0.25)`` = 10 s with an update of
  ``spec.renewTime``. Node ``.status`` is computed every ``nodeStatusUpdateFrequency`` (10 s) and
  posted only when it changed or when ``nodeStatusReportFrequency`` (5 min) has passed
  (``content/en/docs/reference/node/node-status.md``).
* **Pod source** (``pkg/kubelet/config/apiserver.go``): a watch on pods with the field selector
  ``spec.nodeName=<node>`` — the kubelet never sees other nodes' pods.
* **Admission** (``pkg/kubelet/lifecycle/predicate.go``): simplified ``canAdmitPod``: only the
  resource fit of cpu, memory and pods against ``status.allocatable`` (the scheduler's other
  filters are not re-run). A rejected pod gets phase ``Failed``, reason ``OutOf<resource>`` and
  message ``Pod was rejected: Node didn't have enough resource: …``.
* **SyncPod** (``pkg/kubelet/kuberuntime/kuberuntime_manager.go``): create the sandbox
  (RunPodSandbox, then PodSandboxStatus for the IP), then each init container to completion, then
  each container (``startContainer`` in ``kuberuntime_container.go``: ImageStatus → PullImage only
  when absent or policy ``Always`` → CreateContainer → StartContainer). Events as in v1.35:
  ``Pulling``/``Pulled`` (``pkg/kubelet/images/image_manager.go``), ``Created`` ``Container created``,
  ``Started`` ``Container started`` (PR #134043). Image pulls are serialized per node
  (``serializeImagePulls: true`` is the default), which is what the "including waiting" part of the
  ``Pulled`` message measures.
* **Pod status** (``pkg/kubelet/status/generate.go`` and ``generateAPIPodStatus``): conditions in
  the order PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.

* **Watches** (``pkg/kubelet/kubelet.go`` NewMainKubelet, ``pkg/kubelet/config/apiserver.go``): Services (a shared
  informer over all namespaces, for the pods' environment variables), its own Node (``fieldSelector=metadata.name=
  <node>``, the node lister ``tryUpdateNodeStatus`` reads first) and the Pods bound to it (``spec.nodeName``).
* **Status writes** are strategic-merge PATCHes of the ``/status`` subresource: Pod status through the status manager
  (``pkg/kubelet/status/status_manager.go`` syncPod: GET the pod, then ``statusutil.PatchPodStatus`` with a
  ``metadata.uid`` precondition), Node status through ``nodeutil.PatchNodeStatus`` (``kubelet_node_status.go``,
  base = the node lister's copy, no GET).

Simplifications: the Service informer's objects are kept but unused (environment variables are not modelled);
ConfigMaps and Secrets, which upstream the kubelet reads for volumes and ``envFrom`` (a watch per object it needs,
``configMapAndSecretChangeDetectionStrategy: Watch``), are not read; no volumes (the ``kube-api-access-*`` projected
volume the ServiceAccount admission plugin adds is not mounted), cgroups,
probes other than readiness (a container with a
``readinessProbe`` becomes ready ``initialDelaySeconds`` after it started, as if every probe then
succeeded), no restarts, init containers "run" for :data:`INIT_CONTAINER_RUN_MS`. Pod deletion is
immediate in the API server, so the kubelet only stops containers (StopContainer), the sandbox
(StopPodSandbox) and removes it (RemovePodSandbox; upstream leaves removal to garbage collection).
``fail()`` models a node that stops answering: no heartbeats, no status, no pod work (its watch is
dropped); ``recover()`` re-registers the watch and reconciles the runtime with the API.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Generator

from k8sdocs.model.api import resource as resourcehelper
from k8sdocs.model.api.defaults import SetDefaults_Pod, default_image_pull_policy
from k8sdocs.model.api.qos import compute_pod_qos
from k8sdocs.model.clock import Clock
from k8sdocs.model.quantity import int_value, milli_value
from k8sdocs.model.runtime import ContainerRuntime, CRIError, normalize_image
from k8sdocs.model.strategicpatch import create_two_way_merge_patch
from k8sdocs.model.trace import Trace

# --- constants (upstream defaults; cite) -------------------------------------------------------
#: KubeletConfiguration.nodeLeaseDurationSeconds default (``pkg/kubelet/apis/config/v1beta1/defaults.go``).
NODE_LEASE_DURATION_SECONDS = 40
#: ``renewIntervalFraction`` in ``pkg/kubelet/nodelease/controller.go``.
RENEW_INTERVAL_FRACTION = 0.25
#: ``nodeStatusUpdateFrequency`` default 10s; ``nodeStatusReportFrequency`` default 5m (node-status.md).
NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000
NODE_STATUS_REPORT_FREQUENCY_MS = 300_000
#: Namespace of node Leases (``corev1.NamespaceNodeLease``).
NAMESPACE_NODE_LEASE = "kube-node-lease"
#: kubelet API port (``ports-and-protocols.md``: TCP 10250 Kubelet API).
KUBELET_PORT = 10250
#: Taint the kubelet adds with ``--cloud-provider=external`` (``cloudproviderapi.TaintExternalCloudProvider``).
TAINT_EXTERNAL_CLOUD_PROVIDER = "node.cloudprovider.kubernetes.io/uninitialized"

# --- simulated latencies (simplifications, one place) -------------------------------------------
#: From a watch notification to the pod worker starting SyncPod.
POD_WORKER_DELAY_MS = 10
#: How long an init container runs before exiting 0.
INIT_CONTAINER_RUN_MS = 1_000
#: A failed SyncPod is retried after this long (pod_workers.go ``workerBackOffPeriod``, 10 s).
SYNC_ERROR_BACKOFF_MS = 10_000

# --- v1.35 event wording -----------------------------------------------------------------------
# pkg/kubelet/images/image_manager.go
MSG_PULLING = 'Pulling image "{image}"'
MSG_PULLED = 'Successfully pulled image "{image}" in {pull} ({total} including waiting). Image size: {size} bytes.'
# v1.35 has KubeletEnsureSecretPulledImages on by default, which appends "and can be accessed by the pod"
# (image_manager.go; v1.35 clusters show it next to "Container created"/"Container started", e.g. minikube v1.35.1
# `kubectl describe pod` output); without the gate the text ends at "machine" (k8s-facts §2.4).
MSG_PRESENT = 'Container image "{image}" already present on machine and can be accessed by the pod'
MSG_NEVER_PULL = 'Container image "{image}" is not present with pull policy of Never'
# pkg/kubelet/kuberuntime/kuberuntime_container.go (v1.35, PR #134043)
MSG_CREATED = "Container created"
MSG_STARTED = "Container started"
MSG_KILLING = "Stopping container {name}"
# pkg/kubelet/lifecycle/predicate.go (InsufficientResourceError) and kubelet.rejectPod
MSG_INSUFFICIENT = "Node didn't have enough resource: {resource}, requested: {requested}, used: {used}, capacity: {capacity}"
# pkg/kubelet/status/generate.go
REASON_CONTAINERS_NOT_READY = "ContainersNotReady"
REASON_CONTAINERS_NOT_INITIALIZED = "ContainersNotInitialized"


def go_duration(ms: int) -> str:
    """Go's ``time.Duration.String()`` for a whole number of milliseconds (``1.44s``, ``250ms``, ``1m2.5s``)."""
    if ms == 0:
        return "0s"
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    if ms < 1000:
        return f"{sign}{ms}ms"
    hours, rem = divmod(ms, 3_600_000)
    minutes, rem = divmod(rem, 60_000)
    secs, frac = divmod(rem, 1000)
    sec_text = str(secs) + (("." + f"{frac:03d}".rstrip("0")) if frac else "") + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{sec_text}"
    if minutes:
        return f"{sign}{minutes}m{sec_text}"
    return sign + sec_text


def is_sidecar(container: dict) -> bool:
    """A restartable init container (``restartPolicy: Always`` on an init container, podutil.IsRestartableInitContainer)."""
    return container.get("restartPolicy") == "Always"


def default_pull_policy(image: str) -> str:
    """``SetDefaults_Container``'s pull policy (one copy: k8sdocs.model.api.defaults)."""
    return default_image_pull_policy(image)


def pod_requests(pod: dict) -> dict[str, int]:
    """Effective cpu (milli) and memory (bytes) requests, as ``resourcehelper.PodRequests`` computes them (one copy:
    k8sdocs.model.api.resource): containers plus sidecars, or the largest regular init container plus the sidecars
    started before it, whichever is larger; pod-level requests and overhead included. Requests missing next to
    limits are defaulted first, as the API server's ``SetDefaults_Pod`` does."""
    defaulted = copy.deepcopy(pod)
    if isinstance(defaulted.get("spec"), dict):
        SetDefaults_Pod(defaulted)
    reqs = resourcehelper.pod_requests(defaulted)
    cpu, mem = reqs.get("cpu", 0), reqs.get("memory", 0)
    return {"cpu": math.ceil(cpu * 1000), "memory": math.ceil(mem)}


def qos_class(pod: dict) -> str:
    """``pkg/apis/core/v1/helper/qos`` ComputePodQOS (one copy: k8sdocs.model.api.qos)."""
    return compute_pod_qos(pod)


@dataclass
class _Wait:
    """A point a pod worker waits on (an image pull in the serialized puller)."""

    done: bool = False
    value: Any = None
    resume: Callable[[], None] | None = None

    def set(self, value: Any) -> None:
        self.done, self.value = True, value
        if self.resume is not None:
            fn, self.resume = self.resume, None
            fn()


@dataclass
class _PodState:
    key: str
    uid: str
    pod: dict
    sandbox_id: str = ""
    ip: str = ""
    start_time: str = ""
    containers: dict[str, str] = field(default_factory=dict)          # name -> container id
    started_ms: dict[str, int] = field(default_factory=dict)          # name -> start time
    finished_ms: dict[str, int] = field(default_factory=dict)         # init containers
    ready: dict[str, bool] = field(default_factory=dict)
    image_ref: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (reason, message) of a failed start
    rejected: bool = False
    deleted: bool = False
    worker_active: bool = False
    needs_sync: bool = True
    last_status: dict | None = None
    condition_times: dict[str, tuple[str, str]] = field(default_factory=dict)  # type -> (status, time)


Step = Generator[Any, Any, None]


class Kubelet:
    """``Kubelet(node_name, client, clock, trace, runtime)``; call :meth:`start`."""

    def __init__(self, node_name: str, client: Any, clock: Clock, trace: Trace, runtime: ContainerRuntime,
                 node_manifest: dict | None = None) -> None:
        self.node_name = node_name
        self.client = client
        self.clock = clock
        self.trace = trace
        self.runtime = runtime
        self.node_manifest = copy.deepcopy(node_manifest) if node_manifest else {
            "apiVersion": "v1", "kind": "Node", "metadata": {"name": node_name}}
        self.actor = f"kubelet/{node_name}"
        self.failed = False
        self.node: dict | None = None
        self.node_uid = ""
        self.lease: dict | None = None
        self._pods: dict[str, _PodState] = {}
        self._watch_id: int | None = None
        self._other_watches: list[int] = []  # Services and the Node: the informers besides the pod source
        self.services: dict[str, dict] = {}  # the Service lister (namespace/name -> Service)
        self._timers: list[int] = []
        self._pull_queue: list[tuple[str, dict, _Wait]] = []
        self._pull_busy = False
        self._last_status_report_ms = -1
        self._last_reported: dict | None = None
        self._relisted: set[str] | None = None  # pods seen by the watch's relist after recover()

    # ------------------------------------------------------------------------------------------
    # lifecycle
    # ------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.runtime.Version()
        self._node_event("Starting", "Starting kubelet.")  # pkg/kubelet/kubelet.go, events.StartingKubelet
        self._register_node()
        self._sync_lease()
        self._start_loops()
        self._watch_informers()
        self._watch_pods()

    def fail(self) -> None:
        """The node stops answering: no heartbeats, no status, no pod work."""
        if self.failed:
            return
        self.failed = True
        self.trace.record("decision", self.actor, self.actor, f"el nodo {self.node_name} deja de responder (fallo simulado)", code="NodeStopped")
        for t in self._timers:
            self.clock.cancel(t)
        self._timers.clear()
        if self._watch_id is not None:
            self.client.stop_watch(self._watch_id)
            self._watch_id = None
        for w in self._other_watches:
            self.client.stop_watch(w)
        self._other_watches.clear()
        for st in self._pods.values():
            st.worker_active = False
        self._pull_queue.clear()
        self._pull_busy = False

    def recover(self) -> None:
        if not self.failed:
            return
        self.failed = False
        self.trace.record("decision", self.actor, self.actor, f"el nodo {self.node_name} vuelve a responder", code="NodeRecovered")
        self._sync_lease()
        try:  # someone (node lifecycle controller) may have changed the Node meanwhile
            self.node = self.client.get("Node", self.node_name)
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
        renew_ms = int(NODE_LEASE_DURATION_SECONDS * 1000 * RENEW_INTERVAL_FRACTION)
        self._schedule_periodic(renew_ms, self._sync_lease, "lease")
        self._schedule_periodic(NODE_STATUS_UPDATE_FREQUENCY_MS, self._update_node_status, "node status")

    def _schedule_periodic(self, period_ms: int, fn: Callable[[], None], label: str) -> None:
        def tick() -> None:
            if self.failed:
                return
            fn()
            self._timers.append(self.clock.call_later(period_ms, tick, f"{self.actor} {label}"))
        self._timers.append(self.clock.call_later(period_ms, tick, f"{self.actor} {label}"))

    # ------------------------------------------------------------------------------------------
    # Node registration and status
    # ------------------------------------------------------------------------------------------
    def _internal_ip(self) -> str:
        for a in (self.node_manifest.get("status", {}) or {}).get("addresses", []) or []:
            if a.get("type") == "InternalIP":
                return a.get("address", "")
        return ""

    def _node_status(self, previous: dict | None) -> dict:
        """The node status setters (``pkg/kubelet/nodestatus/setters.go``), in kubelet's order."""
        now = self.clock.timestamp()
        base = copy.deepcopy(self.node_manifest.get("status", {}) or {})
        # The machine's resources come from the Node manifest (scenario.py requires them, issue #12); the model
        # reports capacity = allocatable when only one is written (SetDefaults_NodeStatus copies capacity).
        capacity = base.get("capacity") or dict(base.get("allocatable") or {})
        allocatable = base.get("allocatable") or dict(capacity)
        if not allocatable:
            raise ValueError(f"Node {self.node_name}: status.allocatable: Required value: the model invents no machine resources")
        prev_conds = {c["type"]: c for c in (previous or {}).get("conditions", [])}

        def cond(ctype: str, status: str, reason: str, message: str) -> dict:
            old = prev_conds.get(ctype)
            transition = old["lastTransitionTime"] if old and old.get("status") == status and old.get(
                "lastTransitionTime") else now
            return {"type": ctype, "status": status, "lastHeartbeatTime": now, "lastTransitionTime": transition,
                    "reason": reason, "message": message}

        conditions = [
            cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
        addresses = base.get("addresses") or []
        if not any(a.get("type") == "Hostname" for a in addresses):
            addresses = list(addresses) + [{"type": "Hostname", "address": self.node_name}]
        node_info = {
            "architecture": "amd64", "bootID": "", "containerRuntimeVersion": "containerd://2.1.4",
            "kernelVersion": "6.8.0", "kubeProxyVersion": "", "kubeletVersion": "v1.35.0",
            "machineID": "", "operatingSystem": "linux", "osImage": "Ubuntu 24.04 LTS", "systemUUID": "",
        }
        node_info.update(base.get("nodeInfo") or {})
        return {
            "capacity": capacity,
            "allocatable": allocatable,
            "conditions": conditions,
            "addresses": addresses,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": KUBELET_PORT}},
            "nodeInfo": node_info,
            "images": self.runtime.node_images(),
        }

    def _register_node(self) -> None:
        node = copy.deepcopy(self.node_manifest)
        node.setdefault("apiVersion", "v1")
        node.setdefault("kind", "Node")
        meta = node.setdefault("metadata", {})
        labels = meta.setdefault("labels", {})
        # well-known labels the kubelet sets on registration (pkg/kubelet/kubelet_node_status.go initialNode:
        # LabelHostname, LabelOSStable, LabelArchStable, kubeletapis.LabelOS, kubeletapis.LabelArch)
        labels.setdefault("kubernetes.io/hostname", self.node_name)
        labels.setdefault("kubernetes.io/os", "linux")
        labels.setdefault("kubernetes.io/arch", "amd64")
        labels.setdefault("beta.kubernetes.io/os", "linux")
        labels.setdefault("beta.kubernetes.io/arch", "amd64")
        node["status"] = self._node_status(None)
        # the setters create MemoryPressure/DiskPressure/PIDPressure and record their transitions
        # (recordNodeStatusEvent: "Node %s status is now: %s"); then the container manager enforces allocatable
        for reason in ("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"):
            self._node_event(reason, f"Node {self.node_name} status is now: {reason}")
        self._node_event("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods")
        try:
            created = self.client.create(node)
        except Exception as err:  # AlreadyExists: take the existing Node over
            if getattr(err, "code", None) != 409:
                raise
            created = self.client.get("Node", self.node_name)
        self.node = created
        self.node_uid = created.get("metadata", {}).get("uid", "")
        if not created.get("status", {}).get("conditions"):
            self._post_node_status(node["status"])
        else:
            self._last_reported = self._comparable(created.get("status", {}))
            self._last_status_report_ms = self.clock.now_ms

    def _node_event(self, reason: str, message: str) -> None:
        """Events about the node use kubelet's nodeRef: kind Node, name and UID both the node name."""
        ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": self.node_name, "uid": self.node_name}}
        self.client.record_event(ref, "Normal", reason, message)

    @staticmethod
    def _comparable(status: dict) -> dict:
        s = copy.deepcopy(status)
        for c in s.get("conditions", []):
            c.pop("lastHeartbeatTime", None)
        return s

    def _post_node_status(self, status: dict) -> None:
        # tryUpdateNodeStatus: the original node comes from the node lister; PatchNodeStatus sends the two-way
        # strategic-merge patch from its status to the new one (no resourceVersion precondition)
        original = (self.node or {}).get("status") or {}
        patch = {"status": create_two_way_merge_patch(original, status)}
        try:
            self.node = self.client.patch_status("Node", self.node_name, patch)
        except Exception as err:
            if getattr(err, "code", None) == 404:
                return  # the Node was deleted: kubelet only registers once, at start-up (registrationCompleted)
            raise
        self._last_reported = self._comparable(status)
        self._last_status_report_ms = self.clock.now_ms

    def _update_node_status(self, force: bool = False) -> None:
        """tryUpdateNodeStatus: post only on change or when the report period has expired."""
        if self.failed:
            return
        previous = (self.node or {}).get("status")
        status = self._node_status(previous)
        expired = self.clock.now_ms - self._last_status_report_ms >= NODE_STATUS_REPORT_FREQUENCY_MS
        if force or expired or self._comparable(status) != self._last_reported:
            # the condition setters record an event when an existing condition changes status (setters.go)
            old = {c.get("type"): c.get("status") for c in (previous or {}).get("conditions", [])}
            for ctype, reason in (("MemoryPressure", "NodeHasSufficientMemory"), ("DiskPressure", "NodeHasNoDiskPressure"),
                                  ("PIDPressure", "NodeHasSufficientPID"), ("Ready", "NodeReady")):
                new_status = next(c["status"] for c in status["conditions"] if c["type"] == ctype)
                if ctype in old and old[ctype] != new_status:
                    self._node_event(reason, f"Node {self.node_name} status is now: {reason}")
            self._post_node_status(status)

    # ------------------------------------------------------------------------------------------
    # Lease
    # ------------------------------------------------------------------------------------------
    def _new_lease(self, base: dict | None) -> dict:
        if base is None:
            lease = {
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": self.node_name, "namespace": NAMESPACE_NODE_LEASE},
                "spec": {"holderIdentity": self.node_name, "leaseDurationSeconds": NODE_LEASE_DURATION_SECONDS},
            }
        else:
            lease = copy.deepcopy(base)
        lease["spec"]["renewTime"] = self.clock.micro_timestamp()
        return lease

    def _sync_lease(self) -> None:
        if self.failed:
            return
        if self.lease is not None:
            try:
                self.lease = self.client.update(self._new_lease(self.lease))
                return
            except Exception as err:
                if getattr(err, "code", None) not in (404, 409):
                    raise
        # ensureLease: GET, and CREATE (with an ownerReference to the Node) when absent
        try:
            lease = self.client.get("Lease", self.node_name, NAMESPACE_NODE_LEASE)
        except Exception as err:
            if getattr(err, "code", None) != 404:
                raise
            try:
                node = self.client.get("Node", self.node_name)
            except Exception as err2:
                if getattr(err2, "code", None) == 404:
                    return  # no Node to own the Lease: "will not create lease this time" (nodelease/controller.go)
                raise
            new = self._new_lease(None)
            new["metadata"]["ownerReferences"] = [
                {"apiVersion": "v1", "kind": "Node", "name": self.node_name, "uid": node["metadata"].get("uid", "")}]
            self.lease = self.client.create(new)
            return
        self.lease = self.client.update(self._new_lease(lease))

    # ------------------------------------------------------------------------------------------
    # Pods
    # ------------------------------------------------------------------------------------------
    def _watch_informers(self) -> None:
        """NewMainKubelet's informers: all Services (for environment variables) and its own Node."""
        self._other_watches = [
            self.client.watch("Service", self._on_service_event),
            self.client.watch("Node", self._on_node_event, field_selector=f"metadata.name={self.node_name}"),
        ]

    def _on_service_event(self, event_type: str, svc: dict) -> None:
        meta = svc.get("metadata", {})
        key = f"{meta.get('namespace', 'default')}/{meta.get('name')}"
        if event_type == "DELETED":
            self.services.pop(key, None)
        else:
            self.services[key] = copy.deepcopy(svc)

    def _on_node_event(self, event_type: str, node: dict) -> None:
        if self.failed or event_type == "DELETED":
            return
        self.node = copy.deepcopy(node)

    def _watch_pods(self) -> None:
        self._watch_id = self.client.watch("Pod", self._on_pod_event, field_selector=f"spec.nodeName={self.node_name}")

    def _on_pod_event(self, event_type: str, pod: dict) -> None:
        if self.failed:
            return
        meta = pod.get("metadata", {})
        key = f"{meta.get('namespace', 'default')}/{meta.get('name')}"
        if self._relisted is not None:
            self._relisted.add(key)
        st = self._pods.get(key)
        if event_type == "DELETED":
            if st is not None and st.uid == meta.get("uid", st.uid):
                st.deleted = True
                self._kick(st)
            return
        if st is not None and st.uid != meta.get("uid", st.uid):
            st.deleted = True  # same name, new pod: tear the old one down first
            self._kick(st)
            st = None
        if st is None:
            st = _PodState(key=key, uid=meta.get("uid", ""), pod=copy.deepcopy(pod))
            self._pods[key] = st
        else:
            spec_changed = st.pod.get("spec") != pod.get("spec")
            st.pod = copy.deepcopy(pod)
            if not spec_changed and event_type == "MODIFIED":
                return  # only status/metadata changed (often our own status update): nothing to sync
        if pod.get("status", {}).get("phase") in ("Failed", "Succeeded") and st.rejected:
            return
        st.needs_sync = True
        self._kick(st)

    def _reconcile_after_relist(self) -> None:
        if self.failed:
            return
        known = self._relisted or set()
        self._relisted = None
        for key in sorted(self._pods):
            st = self._pods[key]
            if key not in known:
                st.deleted = True
                self._kick(st)

    def _kick(self, st: _PodState) -> None:
        if st.worker_active or self.failed:
            return
        st.worker_active = True
        gen = self._pod_worker(st)
        self.clock.call_later(POD_WORKER_DELAY_MS, lambda: self._drive(st, gen), f"{self.actor} pod worker {st.key}")

    def _drive(self, st: _PodState, gen: Step, value: Any = None) -> None:
        """Run a pod worker generator: it yields ms delays or :class:`_Wait` objects."""
        if self.failed or not st.worker_active:
            gen.close()
            return
        try:
            item = gen.send(value)
        except StopIteration:
            st.worker_active = False
            if self._pods.get(st.key) is st and (st.needs_sync or st.deleted):
                self._kick(st)
            return
        if isinstance(item, _Wait):
            if item.done:
                self.clock.call_later(0, lambda: self._drive(st, gen, item.value))
            else:
                item.resume = lambda: self._drive(st, gen, item.value)
        else:
            self.clock.call_later(int(item), lambda: self._drive(st, gen), f"{self.actor} {st.key}")

    def _pod_worker(self, st: _PodState) -> Step:
        while True:
            if st.deleted:
                yield from self._kill_pod(st)
                if self._pods.get(st.key) is st:
                    del self._pods[st.key]
                return
            if not st.needs_sync:
                return
            st.needs_sync = False
            yield from self._sync_pod(st)

    # -- admission --------------------------------------------------------------------------------
    def _admit(self, st: _PodState) -> tuple[str, str] | None:
        alloc = ((self.node or {}).get("status", {}) or {}).get("allocatable", {})
        used = {"cpu": 0, "memory": 0, "pods": 0}
        for other in self._pods.values():
            if other is st or other.rejected or other.deleted or not (other.sandbox_id or other.last_status):
                continue
            r = pod_requests(other.pod)
            used["cpu"] += r["cpu"]
            used["memory"] += r["memory"]
            used["pods"] += 1
        req = pod_requests(st.pod)
        checks = [("pods", 1, used["pods"], int_value(alloc["pods"]) if "pods" in alloc else None),
                  ("cpu", req["cpu"], used["cpu"], milli_value(alloc["cpu"]) if "cpu" in alloc else None),
                  ("memory", req["memory"], used["memory"], int_value(alloc["memory"]) if "memory" in alloc else None)]
        for name, requested, in_use, capacity in checks:
            if capacity is None or requested == 0 and name != "pods":
                continue
            if requested + in_use > capacity:
                return (f"OutOf{name}", MSG_INSUFFICIENT.format(resource=name, requested=requested, used=in_use,
                                                                capacity=capacity))
        return None

    # -- SyncPod ----------------------------------------------------------------------------------
    def _sync_pod(self, st: _PodState) -> Step:
        pod = st.pod
        spec = pod.get("spec", {})
        if not st.sandbox_id and not st.last_status and not st.rejected:
            rejection = self._admit(st)
            if rejection is not None:
                reason, message = rejection
                st.rejected = True
                self.trace.record("decision", self.actor, self.actor,
                                  f"rechaza el Pod {st.key} en la admisión: {reason}", pod=st.key)
                self.client.record_event(pod, "Warning", reason, message)
                # kubelet.go rejectPod: SetPodStatus(PodStatus{QOSClass, Phase: Failed, Reason, Message})
                status = {"phase": "Failed", "reason": reason, "message": f"Pod was rejected: {message}",
                          "qosClass": pod.get("status", {}).get("qosClass") or qos_class(pod)}
                self._post_pod_status(st, status, raw=True)
                return
            st.start_time = self.clock.timestamp()
            self._post_pod_status(st)  # Pending, ContainerCreating
        if st.rejected:
            return
        # 4. Create sandbox if necessary
        if not st.sandbox_id:
            cfg = self._sandbox_config(pod)
            resp = self.runtime.RunPodSandbox(cfg)
            yield resp.duration_ms
            if st.deleted:
                st.sandbox_id = resp.response["podSandboxId"]
                return
            st.sandbox_id = resp.response["podSandboxId"]
            status = self.runtime.PodSandboxStatus(st.sandbox_id)
            yield status.duration_ms
            # hostNetwork pods get the node's IPs (kubelet_pods.go generateAPIPodStatus)
            st.ip = status.response["status"]["network"]["ip"] or self._internal_ip()
            self._post_pod_status(st)
        # 6. init containers, one at a time, each to completion; a restartable init container
        # (restartPolicy: Always, a "sidecar") only has to start, and keeps running (KEP-753)
        for c in spec.get("initContainers", []):
            if c["name"] in st.finished_ms or (is_sidecar(c) and c["name"] in st.started_ms):
                continue
            ok = yield from self._start_container(st, c, init=not is_sidecar(c), field_name="initContainers")
            if not ok or st.deleted:
                self._retry_later(st, ok)
                return
            if is_sidecar(c):
                self._post_pod_status(st)
                continue
            yield INIT_CONTAINER_RUN_MS
            if st.deleted:
                return
            st.finished_ms[c["name"]] = self.clock.now_ms
            st.ready[c["name"]] = True
            self._post_pod_status(st)
        # 8. normal containers
        for c in spec.get("containers", []):
            if c["name"] in st.containers:
                continue
            ok = yield from self._start_container(st, c, init=False)
            if not ok or st.deleted:
                self._retry_later(st, ok)
                return
        self._post_pod_status(st)

    def _retry_later(self, st: _PodState, ok: bool) -> None:
        if ok or st.deleted or self.failed:
            return

        def retry() -> None:
            if self.failed or st.deleted or self._pods.get(st.key) is not st:
                return
            st.needs_sync = True
            self._kick(st)
        self._timers.append(self.clock.call_later(SYNC_ERROR_BACKOFF_MS, retry, f"{self.actor} retry {st.key}"))

    def _sandbox_config(self, pod: dict) -> dict:
        meta = pod.get("metadata", {})
        return {"metadata": {"name": meta.get("name"), "uid": meta.get("uid", ""), "namespace": meta.get("namespace"),
                             "attempt": 0},
                "hostname": meta.get("name"), "logDirectory": f"/var/log/pods/{meta.get('namespace')}_{meta.get('name')}_"
                                                              f"{meta.get('uid', '')}",
                "labels": dict(meta.get("labels") or {}),
                "linux": {"securityContext": {"namespaceOptions": {
                    "network": "NODE" if pod.get("spec", {}).get("hostNetwork") else "POD"}}}}

    def _ensure_image(self, st: _PodState, c: dict, fp: str) -> Step:
        """``EnsureImageExists`` (``pkg/kubelet/images/image_manager.go``)."""
        image = c.get("image", "")
        policy = c.get("imagePullPolicy") or default_pull_policy(image)
        resp = self.runtime.ImageStatus(image, for_pod=st.key)
        yield resp.duration_ms
        present = resp.response["image"] is not None
        pod = st.pod
        if policy == "Never" or (policy == "IfNotPresent" and present):
            if present:
                self.client.record_event(pod, "Normal", "Pulled", MSG_PRESENT.format(image=image), field_path=fp)
                return resp.response["image"]["repoDigests"][0]
            self.client.record_event(pod, "Warning", "ErrImageNeverPull", MSG_NEVER_PULL.format(image=image),
                                     field_path=fp)
            st.waiting[c["name"]] = ("ErrImageNeverPull", MSG_NEVER_PULL.format(image=image))
            self._post_pod_status(st)
            return None
        self.client.record_event(pod, "Normal", "Pulling", MSG_PULLING.format(image=image), field_path=fp)
        requested_ms = self.clock.now_ms
        wait = _Wait()
        self._pull_queue.append((image, self._sandbox_config(st.pod), wait))
        if not self._pull_busy:
            self._next_pull()
        pull_ms, pulled = yield wait
        if self.failed:
            return None
        total_ms = self.clock.now_ms - requested_ms
        self.client.record_event(pod, "Normal", "Pulled", MSG_PULLED.format(
            image=image, pull=go_duration(pull_ms), total=go_duration(total_ms), size=pulled["size"]), field_path=fp)
        return pulled["imageRef"]

    def _next_pull(self) -> None:
        if self.failed or not self._pull_queue:
            self._pull_busy = False
            return
        self._pull_busy = True
        image, sandbox_config, wait = self._pull_queue.pop(0)
        resp = self.runtime.PullImage(image, sandbox_config)  # PullImageRequest.sandbox_config: the Pod's

        def done() -> None:
            if self.failed:
                return
            wait.set((resp.duration_ms, resp.response))
            self._next_pull()
        self.clock.call_later(resp.duration_ms, done, f"{self.actor} pull {image}")

    def _start_container(self, st: _PodState, c: dict, init: bool, field_name: str = "containers") -> Step:
        """``startContainer``: pull the image, create the container, start the container."""
        # kubecontainer.GenerateContainerRef: fieldPath spec.containers{name} / spec.initContainers{name}
        fp = f"spec.{field_name}{{{c['name']}}}"
        image_ref = yield from self._ensure_image(st, c, fp)
        if image_ref is None or st.deleted:
            return False
        st.image_ref[c["name"]] = image_ref
        st.waiting.pop(c["name"], None)
        config = {"metadata": {"name": c["name"], "attempt": 0}, "image": {"image": c.get("image", "")},
                  "command": list(c.get("command") or []), "args": list(c.get("args") or [])}
        try:
            created = self.runtime.CreateContainer(st.sandbox_id, config, self._sandbox_config(st.pod))
        except CRIError as err:
            self.client.record_event(st.pod, "Warning", "Failed", f"Error: {err}", field_path=fp)
            st.waiting[c["name"]] = ("CreateContainerError", str(err))
            self._post_pod_status(st)
            return False
        yield created.duration_ms
        cid = created.response["containerId"]
        st.containers[c["name"]] = cid
        self.client.record_event(st.pod, "Normal", "Created", MSG_CREATED, field_path=fp)
        started = self.runtime.StartContainer(cid)
        yield started.duration_ms
        st.started_ms[c["name"]] = self.clock.now_ms
        self.client.record_event(st.pod, "Normal", "Started", MSG_STARTED, field_path=fp)
        if not init:
            probe = c.get("readinessProbe")
            if probe is None:
                st.ready[c["name"]] = True
            else:
                st.ready[c["name"]] = False
                delay_ms = int(probe.get("initialDelaySeconds", 0)) * 1000
                name = c["name"]

                def become_ready() -> None:
                    if self.failed or st.deleted or self._pods.get(st.key) is not st:
                        return
                    st.ready[name] = True
                    self._post_pod_status(st)
                self._timers.append(self.clock.call_later(delay_ms, become_ready, f"{self.actor} readiness {st.key}"))
        return True

    def _kill_pod(self, st: _PodState) -> Step:
        """killPodWithSyncResult: stop every container (sidecars after the regular ones), then the sandbox;
        then remove the sandbox."""
        spec = st.pod.get("spec", {})
        grace = int(spec.get("terminationGracePeriodSeconds", 30))
        running = [("containers", c) for c in spec.get("containers", [])] + [
            ("initContainers", c) for c in reversed(spec.get("initContainers", [])) if is_sidecar(c)]
        for field_name, c in running:
            cid = st.containers.get(c["name"])
            if cid is None:
                continue
            self.client.record_event(st.pod, "Normal", "Killing", MSG_KILLING.format(name=c["name"]),
                                     field_path=f"spec.{field_name}{{{c['name']}}}")
            resp = self.runtime.StopContainer(cid, timeout=grace)
            yield resp.duration_ms
        if st.sandbox_id:
            resp = self.runtime.StopPodSandbox(st.sandbox_id)
            yield resp.duration_ms
            resp = self.runtime.RemovePodSandbox(st.sandbox_id)
            yield resp.duration_ms
            st.sandbox_id = ""
        st.containers.clear()

    # -- pod status -------------------------------------------------------------------------------
    def _container_status(self, st: _PodState, c: dict, init: bool) -> dict:
        name = c["name"]
        cid = st.containers.get(name)
        image = c.get("image", "")
        if cid is None:
            reason = "PodInitializing" if (not init and st.pod.get("spec", {}).get("initContainers")) else "ContainerCreating"
            waiting = {"reason": reason}
            if name in st.waiting:
                waiting = {"message": st.waiting[name][1], "reason": st.waiting[name][0]}
            return {"image": image, "imageID": "", "lastState": {}, "name": name, "ready": False,
                    "restartCount": 0, "started": False, "state": {"waiting": waiting}}
        status: dict = {"containerID": f"containerd://{cid}", "image": normalize_image(image),
                        "imageID": st.image_ref.get(name, ""), "lastState": {}, "name": name,
                        "ready": bool(st.ready.get(name)), "restartCount": 0}
        if init and name in st.finished_ms and not is_sidecar(c):
            status["started"] = False
            status["state"] = {"terminated": {"containerID": f"containerd://{cid}", "exitCode": 0,
                                              "finishedAt": self.clock.timestamp(st.finished_ms[name]),
                                              "reason": "Completed",
                                              "startedAt": self.clock.timestamp(st.started_ms[name])}}
        elif name in st.started_ms:
            status["started"] = True
            status["state"] = {"running": {"startedAt": self.clock.timestamp(st.started_ms[name])}}
        else:
            status["started"] = False
            status["state"] = {"waiting": {"reason": "ContainerCreating"}}
        return status

    def _condition(self, st: _PodState, ctype: str, status: str, reason: str = "", message: str = "") -> dict:
        old = st.condition_times.get(ctype)
        when = old[1] if old and old[0] == status else self.clock.timestamp()
        st.condition_times[ctype] = (status, when)
        cond: dict = {"type": ctype}
        generation = st.pod.get("metadata", {}).get("generation")
        if generation is not None:
            # PodObservedGenerationTracking (GA in v1.35): kubelet conditions carry the pod's generation
            cond["observedGeneration"] = generation
        cond.update({"status": status, "lastProbeTime": None, "lastTransitionTime": when})
        if reason:
            cond["reason"] = reason
        if message:
            cond["message"] = message
        return cond

    def generate_pod_status(self, st: _PodState) -> dict:
        """``generateAPIPodStatus`` + ``pkg/kubelet/status/generate.go`` for the states this model has."""
        spec = st.pod.get("spec", {})
        inits = spec.get("initContainers", [])
        containers = spec.get("containers", [])
        init_statuses = [self._container_status(st, c, True) for c in inits]
        statuses = [self._container_status(st, c, False) for c in containers]
        # isInitContainerInitialized: a sidecar counts once started, a regular init container once it succeeded
        incomplete = [c["name"] for c in inits
                      if not (c["name"] in st.started_ms if is_sidecar(c) else c["name"] in st.finished_ms)]
        # GenerateContainersReadyCondition: restartable init containers first, then the containers
        unready = [c["name"] for c in [i for i in inits if is_sidecar(i)] + containers if not st.ready.get(c["name"])]
        running = any(c["name"] in st.started_ms for c in containers)
        phase = "Running" if running and not incomplete else "Pending"
        conds = [self._condition(st, "PodReadyToStartContainers", "True" if st.sandbox_id else "False")]
        if incomplete and not running:
            conds.append(self._condition(st, "Initialized", "False", REASON_CONTAINERS_NOT_INITIALIZED,
                                         f"containers with incomplete status: [{' '.join(incomplete)}]"))
        else:
            conds.append(self._condition(st, "Initialized", "True"))
        if unready:
            msg = f"containers with unready status: [{' '.join(unready)}]"
            conds.append(self._condition(st, "Ready", "False", REASON_CONTAINERS_NOT_READY, msg))
            conds.append(self._condition(st, "ContainersReady", "False", REASON_CONTAINERS_NOT_READY, msg))
        else:
            conds.append(self._condition(st, "Ready", "True"))
            conds.append(self._condition(st, "ContainersReady", "True"))
        scheduled = next((c for c in st.pod.get("status", {}).get("conditions", []) if c.get("type") == "PodScheduled"),
                         None)
        ps = self._condition(st, "PodScheduled", "True")
        ps["lastTransitionTime"] = (scheduled or {}).get("lastTransitionTime") or st.start_time
        conds.append(ps)
        host_ip = self._internal_ip()
        status: dict = {"phase": phase, "conditions": conds}
        if host_ip:
            status["hostIP"] = host_ip
            status["hostIPs"] = [{"ip": host_ip}]
        if st.ip:
            status["podIP"] = st.ip
            status["podIPs"] = [{"ip": st.ip}]
        status["startTime"] = st.start_time
        if init_statuses:
            status["initContainerStatuses"] = init_statuses
        status["containerStatuses"] = statuses
        status["qosClass"] = st.pod.get("status", {}).get("qosClass") or qos_class(st.pod)
        if st.pod.get("metadata", {}).get("generation") is not None:
            # status_manager.go SetPodStatus: podutil.CalculatePodStatusObservedGeneration(pod)
            status["observedGeneration"] = st.pod["metadata"]["generation"]
        return status

    def _post_pod_status(self, st: _PodState, status: dict | None = None, raw: bool = False) -> None:
        """The status manager: GET the pod, then PATCH ``pods/<name>/status`` when the status changed."""
        if self.failed or st.deleted:
            return
        new_status = status if raw else self.generate_pod_status(st)
        # compare with what the API server holds (status manager's needsUpdate), not with our last post:
        # a status changed by someone else (node lifecycle controller) is re-asserted
        if new_status == st.pod.get("status") or (new_status == st.last_status and st.pod.get("status") is None):
            return
        # status_manager.go syncPod: GET the pod, then PatchPodStatus (two-way strategic-merge patch from the
        # server's status to the new one, with the pod's uid as precondition)
        meta = st.pod.get("metadata", {})
        try:
            pod = self.client.get("Pod", meta["name"], meta.get("namespace"))
        except Exception as err:
            if getattr(err, "code", None) == 404:
                return  # "Pod does not exist on the server"
            raise
        if pod.get("metadata", {}).get("uid") != st.uid:
            return  # a new pod with the same name: the status is for another pod
        patch = {"metadata": {"uid": st.uid}, "status": create_two_way_merge_patch(pod.get("status") or {}, new_status)}
        if not patch["status"]:
            st.pod, st.last_status = pod, new_status
            return  # PatchPodStatus: unchanged, no request
        try:
            updated = self.client.patch_status("Pod", meta["name"], patch, meta.get("namespace"))
        except Exception as err:
            if getattr(err, "code", None) in (404, 409):
                return
            raise
        st.pod = updated
        st.last_status = new_status

    # -- views for tests and pages ---------------------------------------------------------------
    def running_pods(self) -> list[str]:
        return sorted(k for k, st in self._pods.items() if st.sandbox_id and not st.deleted)
