"""Creating a Pod merges matchLabelKeys/mismatchLabelKeys into its affinity selectors (v1.35, strategy.go mutatePodAffinity)."""

from __future__ import annotations

from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import Trace


def test_create_merges_match_label_keys_into_the_selector():
    clock = Clock()
    api = APIServer(clock, Trace(clock))
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web-1", "labels": {"app": "web", "pod-template-hash": "5d4f"}},
        "spec": {
            "containers": [{"name": "web", "image": "nginx:1.27"}],
            "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
                "topologyKey": "kubernetes.io/hostname",
                "labelSelector": {"matchLabels": {"app": "web"}},
                "matchLabelKeys": ["pod-template-hash"],
            }]}},
        },
    }
    created = api.client("kubectl").create(pod)
    term = created["spec"]["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert term["labelSelector"] == {
        "matchLabels": {"app": "web"},
        "matchExpressions": [{"key": "pod-template-hash", "operator": "In", "values": ["5d4f"]}],
    }
    assert term["matchLabelKeys"] == ["pod-template-hash"]


def test_identical_events_about_different_containers_stay_apart():
    """client-go events_cache.go getEventKey includes involvedObject.fieldPath."""
    clock = Clock()
    api = APIServer(clock, Trace(clock))
    pod = api.client("kubectl").create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                                        "spec": {"containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "x:1"}]}})
    kubelet = api.client("kubelet/node-1")
    first = kubelet.record_event(pod, "Normal", "Created", "Container created", field_path="spec.containers{a}")
    second = kubelet.record_event(pod, "Normal", "Created", "Container created", field_path="spec.containers{b}")
    again = kubelet.record_event(pod, "Normal", "Created", "Container created", field_path="spec.containers{a}")
    assert first["metadata"]["name"] != second["metadata"]["name"]
    assert again["metadata"]["name"] == first["metadata"]["name"] and again["count"] == 2
