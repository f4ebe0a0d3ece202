"""deployment-controller (``pkg/controller/deployment``), one module per upstream file.

Watches Deployments, ReplicaSets and Pods; for each Deployment it finds its ReplicaSets (controllerRef), creates
the new ReplicaSet ``<deployment>-<pod-template-hash>`` and scales new and old ReplicaSets following the strategy
(RollingUpdate with maxSurge/maxUnavailable, or Recreate), then writes the Deployment status and conditions.
Every write goes through the API server; every decision is traced (kind ``decision``: a reason code and fields).

Orphan ReplicaSets whose labels match the selector are adopted (ClaimReplicaSets).

* :mod:`.controller`: ``deployment_controller.go`` (handlers, ``getReplicaSetsForDeployment``, ``syncDeployment``)
* :mod:`.sync`: ``sync.go`` (new ReplicaSet and revisions, scaling, cleanup, ``calculateStatus``)
* :mod:`.progress`: ``progress.go`` (``syncRolloutStatus``, ``requeueStuckDeployment``)
* :mod:`.rolling`: ``rolling.go``; :mod:`.recreate`: ``recreate.go``
* :mod:`.base`: the state every part shares (informers, queue, clock) and ``getPodMapForDeployment``

Simplifications (documented): no rollback (``rollbackTo`` is deprecated). Upstream persists the ``deployment.kubernetes.io/revision`` annotation through
``UpdateStatus``; the model's ``/status`` only takes ``.status``, so the annotation is written with a PUT of the
Deployment first.
"""

from k8sdocs.model.controllers.deployment.base import NAME
from k8sdocs.model.controllers.deployment.controller import DeploymentController

__all__ = ["NAME", "DeploymentController"]
