"""The cluster model. Target behaviour: Kubernetes v1.35. Nothing here imports MkDocs."""

KUBERNETES_VERSION = "v1.35"
