"""Shared fixtures for the controller tests: a real APIServer + Clock and a tiny fake kubelet.

Use them through the ``h`` fixture.
"""

from __future__ import annotations

import copy
import types

import pytest

from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import Trace


def make_api(seed: int = 0) -> tuple[Clock, Trace, APIServer]:
    clock = Clock()
    trace = Trace(clock)
    return clock, trace, APIServer(clock, trace, seed=seed)


class FakeKubelet:
    """Marks every new pod Running + Ready ``ready_after_ms`` after it appears (with an IP), nothing else."""

    def __init__(self, api: APIServer, clock: Clock, ready_after_ms: int = 1000, node_name: str | None = None) -> None:
        self.client = api.client("kubelet/fake")
        self.clock = clock
        self.ready_after_ms = ready_after_ms
        self.node_name = node_name
        self.ip = 0
        self.client.watch("Pod", self._on_pod)

    def _on_pod(self, event_type: str, pod: dict) -> None:
        if event_type != "ADDED":
            return
        ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
        self.clock.call_later(self.ready_after_ms, lambda: self._ready(ns, name), f"fake kubelet {name}")

    def _ready(self, ns: str, name: str) -> None:
        try:
            pod = self.client.get("Pod", name, ns)
        except Exception:  # deleted meanwhile
            return
        if self.node_name and not pod["spec"].get("nodeName"):
            pod = self.client.bind(ns, name, self.node_name)
        self.ip += 1
        now = self.clock.timestamp()
        status = copy.deepcopy(pod.get("status") or {})
        status.update(phase="Running", podIP=f"10.244.0.{self.ip}", podIPs=[{"ip": f"10.244.0.{self.ip}"}])
        status["conditions"] = [
            {"type": "Ready", "status": "True", "lastTransitionTime": now},
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": now},
        ]
        pod["status"] = status
        self.client.update_status(pod)


def deployment(name: str = "web", replicas: int = 3, image: str = "nginx:1.27", **strategy: object) -> dict:
    d = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                         "spec": {"containers": [{"name": "app", "image": image,
                                                  "ports": [{"name": "http", "containerPort": 8080}]}]}},
        },
    }
    if strategy:
        d["spec"]["strategy"] = strategy
    return d


def replicaset(name: str = "rs", replicas: int = 3) -> dict:
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                         "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}},
        },
    }



@pytest.fixture
def h() -> types.SimpleNamespace:
    """The helpers above, as one fixture (conftest modules are not importable under --import-mode=importlib)."""
    return types.SimpleNamespace(make_api=make_api, FakeKubelet=FakeKubelet, deployment=deployment,
                                 replicaset=replicaset)
