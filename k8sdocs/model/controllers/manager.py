"""kube-controller-manager: one process that runs the controllers (``cmd/kube-controller-manager``).

The controllers share one set of informers (one watch per kind for the whole process, as the
``SharedInformerFactory`` built on the ``shared-informers`` client upstream) and each writes with its own client,
so requests and Events carry its name: ``deployment-controller``, ``replicaset-controller``,
``node-lifecycle-controller``, ``taint-eviction-controller``, ``endpointslice-controller``,
``generic-garbage-collector``, ``pod-garbage-collector``.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers.deployment import DeploymentController
from k8sdocs.model.controllers.endpointslice import EndpointSliceController
from k8sdocs.model.controllers.garbagecollector import GarbageCollector
from k8sdocs.model.controllers.informers import SharedInformerFactory
from k8sdocs.model.controllers.nodelifecycle import NodeLifecycleController
from k8sdocs.model.controllers.podgc import PodGCController
from k8sdocs.model.controllers.replicaset import ReplicaSetController
from k8sdocs.model.controllers.taint_eviction import TaintEvictionController
from k8sdocs.model.trace import Trace

#: actor of the shared informers' watches (upstream user agent ``kube-controller-manager/…/shared-informers``)
SHARED_INFORMERS_ACTOR = "kube-controller-manager"


class _Controller(Protocol):
    def start(self) -> None: ...


class KubeControllerManager:
    """``seed`` is the cluster's seed, taken as every component takes it; no controller decision is random."""

    def __init__(self, client_factory: Callable[[str], Any], clock: Clock, trace: Trace, seed: int = 0,
                 **node_lifecycle_options: Any) -> None:
        self.clock = clock
        self.trace = trace
        self.informers = SharedInformerFactory(client_factory(SHARED_INFORMERS_ACTOR))
        self.deployment = DeploymentController(client_factory("deployment-controller"), clock, trace, self.informers)
        self.replicaset = ReplicaSetController(client_factory("replicaset-controller"), clock, trace, self.informers)
        self.node_lifecycle = NodeLifecycleController(client_factory("node-lifecycle-controller"), clock, trace,
                                                      self.informers, **node_lifecycle_options)
        self.taint_eviction = TaintEvictionController(client_factory("taint-eviction-controller"), clock, trace,
                                                      self.informers)
        self.endpointslice = EndpointSliceController(client_factory("endpointslice-controller"), clock, trace,
                                                     self.informers)
        self.garbage_collector = GarbageCollector(client_factory("generic-garbage-collector"), clock, trace,
                                                  self.informers)
        self.pod_gc = PodGCController(client_factory("pod-garbage-collector"), clock, trace, self.informers)
        self.controllers: list[_Controller] = [self.deployment, self.replicaset, self.node_lifecycle, self.taint_eviction,
                            self.endpointslice, self.garbage_collector, self.pod_gc]
        self.started = False

    def start(self) -> None:
        """Register every controller's handlers, then start the shared watches (``InformerFactory.Start``)."""
        if self.started:
            return
        self.started = True
        for c in self.controllers:
            c.start()
        self.informers.start()
