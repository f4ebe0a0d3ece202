"""Strategic-merge status patches (staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go) and the
kubelet's PATCH of pods/status and nodes/status (pkg/util/pod PatchPodStatus, nodeutil.PatchNodeStatus)."""

from __future__ import annotations

import pytest

from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.strategicpatch import create_two_way_merge_patch, strategic_merge
from k8sdocs.model.trace import Trace


def test_two_way_patch_round_trips_and_keeps_others_conditions():
    old = {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "True"}],
           "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "ContainerCreating"}}}]}
    new = {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
           "containerStatuses": [{"name": "c", "state": {"running": {"startedAt": "t"}}}]}
    patch = create_two_way_merge_patch(old, new)
    assert patch["$setElementOrder/conditions"] == [{"type": "Ready"}, {"type": "PodScheduled"}]
    assert patch["conditions"] == [{"type": "Ready", "status": "True"}]  # unchanged elements are not sent
    assert strategic_merge(old, patch) == new
    # a condition another component added meanwhile (e.g. DisruptionTarget) survives the kubelet's patch
    server = {**old, "conditions": old["conditions"] + [{"type": "DisruptionTarget", "status": "True"}]}
    merged = strategic_merge(server, patch)
    assert [c["type"] for c in merged["conditions"]] == ["Ready", "PodScheduled", "DisruptionTarget"]
    removed = create_two_way_merge_patch(new, {**new, "conditions": new["conditions"][1:]})
    assert {"type": "Ready", "$patch": "delete"} in removed["conditions"]
    assert create_two_way_merge_patch({"a": 1, "b": 2}, {"a": 1}) == {"b": None}


def test_patch_status_is_traced_as_patch_with_uid_precondition():
    clock = Clock()
    srv = APIServer(clock, Trace(clock))
    c = srv.client("kubelet/node-1")
    p = c.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                  "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}})
    out = c.patch_status("Pod", "p", {"metadata": {"uid": p["metadata"]["uid"]}, "status": {"phase": "Running"}})
    assert out["status"]["phase"] == "Running" and out["status"]["qosClass"] == "BestEffort"
    req = srv.trace.events[-2].api
    assert req is not None and (req.verb, req.resource, req.name, req.subresource) == ("PATCH", "pods", "p", "status")
    assert req.path == "/api/v1/namespaces/default/pods/p/status"
    with pytest.raises(APIError) as e:
        c.patch_status("Pod", "p", {"metadata": {"uid": "other"}, "status": {"phase": "Failed"}})
    assert e.value.code == 409 and "Precondition failed: UID in precondition: other" in e.value.message
