"""kube-controller-manager controllers, one module per controller as upstream (``pkg/controller/...``)."""

from k8sdocs.model.controllers.manager import KubeControllerManager

__all__ = ["KubeControllerManager"]
