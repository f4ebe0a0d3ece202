"""k8sdocs: a compact, faithful model of a Kubernetes cluster and the MkDocs adapter that shows it.

Layout:
- ``k8sdocs.model``: the cluster model (objects, API server, store, scheduler, controllers,
  kubelet, kube-proxy, cloud-controller-manager, clock and trace). Never imports MkDocs.
- ``k8sdocs.fidelity``: the fidelity runner (``python -m k8sdocs.fidelity PATH...``).
- ``k8sdocs.render``: turns model results into Markdown, Mermaid and SVG text (Spanish).
- ``k8sdocs.macros``: the thin mkdocs-macros adapter.
"""
