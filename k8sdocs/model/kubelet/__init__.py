"""The kubelet: the node agent that turns Pods bound to its node into running containers.

One module per upstream seam of ``pkg/kubelet``:

* :mod:`.kubelet` (``kubelet.go``, ``config/apiserver.go``): start-up, the informers and the pod source (a watch on
  pods with ``spec.nodeName=<node>``), admission and ``SyncPod``, ``fail()``/``recover()``.
* :mod:`.node_status` (``kubelet_node_status.go``, ``nodestatus/setters.go``): registration and node status.
* :mod:`.nodelease` (``nodelease/controller.go``): the Lease heartbeat.
* :mod:`.lifecycle` (``lifecycle/predicate.go``): admission on the node (``canAdmitPod``).
* :mod:`.pod_workers` (``pod_workers.go``): one worker per pod.
* :mod:`.kuberuntime` and :mod:`.sandbox` (``kuberuntime/``): SyncPod, startContainer and killPod over the CRI.
* :mod:`.images` (``images/image_manager.go``): EnsureImageExists, the serialized puller and its Events.
* :mod:`.prober` (``prober/``): readiness.
* :mod:`.status` (``status/status_manager.go``, ``status/generate.go``): pod status and how it is written.

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

from k8sdocs.model.kubelet.images import ImageManager, go_duration
from k8sdocs.model.kubelet.kubelet import Kubelet
from k8sdocs.model.kubelet.kuberuntime import INIT_CONTAINER_RUN_MS, RuntimeManager
from k8sdocs.model.kubelet.lifecycle import can_admit_pod, pod_requests
from k8sdocs.model.kubelet.node_status import (
    KUBELET_PORT,
    NODE_STATUS_REPORT_FREQUENCY_MS,
    NODE_STATUS_UPDATE_FREQUENCY_MS,
    NodeStatus,
)
from k8sdocs.model.kubelet.nodelease import NAMESPACE_NODE_LEASE, NODE_LEASE_DURATION_SECONDS, NodeLeaseController
from k8sdocs.model.kubelet.pod_workers import POD_WORKER_DELAY_MS, SYNC_ERROR_BACKOFF_MS, PodState, PodWorkers
from k8sdocs.model.kubelet.status import StatusManager, generate_pod_status

__all__ = [
    "INIT_CONTAINER_RUN_MS",
    "KUBELET_PORT",
    "NAMESPACE_NODE_LEASE",
    "NODE_LEASE_DURATION_SECONDS",
    "NODE_STATUS_REPORT_FREQUENCY_MS",
    "NODE_STATUS_UPDATE_FREQUENCY_MS",
    "POD_WORKER_DELAY_MS",
    "SYNC_ERROR_BACKOFF_MS",
    "ImageManager",
    "Kubelet",
    "NodeLeaseController",
    "NodeStatus",
    "PodState",
    "PodWorkers",
    "RuntimeManager",
    "StatusManager",
    "can_admit_pod",
    "generate_pod_status",
    "go_duration",
    "pod_requests",
]
