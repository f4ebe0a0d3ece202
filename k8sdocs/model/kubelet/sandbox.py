"""The pod sandbox's configuration (``pkg/kubelet/kuberuntime/kuberuntime_sandbox.go`` generatePodSandboxConfig).

RunPodSandbox and CreateContainer send it, and so does PullImage (``PullImageRequest.sandbox_config``).
"""

from __future__ import annotations

from typing import Any


def sandbox_config(pod: dict[str, Any]) -> dict[str, Any]:
    meta = pod.get("metadata", {})
    return {"metadata": {"name": meta.get("name"), "uid": meta.get("uid", ""), "namespace": meta.get("namespace"),
                         "attempt": 0},
            "hostname": meta.get("name"), "logDirectory": f"/var/log/pods/{meta.get('namespace')}_{meta.get('name')}_"
                                                          f"{meta.get('uid', '')}",
            "labels": dict(meta.get("labels") or {}),
            "linux": {"securityContext": {"namespaceOptions": {
                "network": "NODE" if pod.get("spec", {}).get("hostNetwork") else "POD"}}}}
