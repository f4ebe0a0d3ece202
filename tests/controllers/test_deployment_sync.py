"""The Deployment controller's scale and cleanup against upstream's tables
(``pkg/controller/deployment/sync_test.go`` TestScale and TestDeploymentController_cleanupDeployment)."""

from __future__ import annotations

import copy

import pytest

from k8sdocs.model.clock import Clock
from k8sdocs.model.controllers import deployment_util as du
from k8sdocs.model.controllers.deployment import DeploymentController
from k8sdocs.model.trace import Trace

NEW, OLD, OLDER = "2016-05-20T02:00:00Z", "2016-05-20T01:00:00Z", "2016-05-20T00:00:00Z"


class RecordingClient:
    def __init__(self) -> None:
        self.updates: list[dict] = []
        self.deletes: list[str] = []

    def update(self, obj: dict) -> dict:
        self.updates.append(copy.deepcopy(obj))
        return obj

    def delete(self, kind: str, name: str, namespace: str | None = None) -> dict:
        self.deletes.append(name)
        return {}

    def record_event(self, *args, **kwargs) -> dict:
        return {}

    def watch(self, *args, **kwargs) -> int:
        return 0


def _dc() -> tuple[DeploymentController, RecordingClient]:
    client = RecordingClient()
    clock = Clock()
    return DeploymentController(client, clock, Trace(clock)), client


def new_deployment(replicas: int, surge: object = 0, unavailable: object = 0, rhl: int | None = None) -> dict:
    """deployment_controller_test.go newDeployment: RollingUpdate with maxSurge/maxUnavailable 0 by default."""
    spec = {"replicas": replicas, "strategy": {"type": "RollingUpdate",
                                              "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}}
    if rhl is not None:
        spec["revisionHistoryLimit"] = rhl
    return {"metadata": {"name": "foo", "namespace": "default", "uid": "d-uid"}, "spec": spec}


def rs(name: str, replicas: int, created: str) -> dict:
    return {"metadata": {"name": name, "namespace": "default", "creationTimestamp": created}, "spec": {"replicas": replicas}}


CASES = [
    # name, deployment, old deployment, newRS, oldRSs, expected new, expected old, desired annotations
    ("normal scaling event: 10 -> 12", new_deployment(12), new_deployment(10), rs("foo-v1", 10, NEW), [], 12, [], {}),
    ("normal scaling event: 10 -> 5", new_deployment(5), new_deployment(10), rs("foo-v1", 10, NEW), [], 5, [], {}),
    ("proportional scaling: 5 -> 10", new_deployment(10), new_deployment(5), rs("foo-v2", 2, NEW),
     [rs("foo-v1", 3, OLD)], 4, [6], {}),
    ("proportional scaling: 5 -> 3", new_deployment(3), new_deployment(5), rs("foo-v2", 2, NEW),
     [rs("foo-v1", 3, OLD)], 1, [2], {}),
    ("proportional scaling: 9 -> 4", new_deployment(4), new_deployment(9), rs("foo-v2", 8, NEW),
     [rs("foo-v1", 1, OLD)], 4, [0], {}),
    ("proportional scaling: 7 -> 10", new_deployment(10), new_deployment(7), rs("foo-v3", 2, NEW),
     [rs("foo-v2", 3, OLD), rs("foo-v1", 2, OLDER)], 3, [4, 3], {}),
    ("proportional scaling: 13 -> 8", new_deployment(8), new_deployment(13), rs("foo-v3", 2, NEW),
     [rs("foo-v2", 8, OLD), rs("foo-v1", 3, OLDER)], 1, [5, 2], {}),
    ("leftover distribution: 3 -> 4", new_deployment(4), new_deployment(3), rs("foo-v3", 1, NEW),
     [rs("foo-v2", 1, OLD), rs("foo-v1", 1, OLDER)], 2, [1, 1], {}),
    ("leftover distribution: 3 -> 2", new_deployment(2), new_deployment(3), rs("foo-v3", 1, NEW),
     [rs("foo-v2", 1, OLD), rs("foo-v1", 1, OLDER)], 1, [1, 0], {}),
    ("proportional scaling (no new rs): 4 -> 5", new_deployment(5), new_deployment(4), None,
     [rs("foo-v2", 2, OLD), rs("foo-v1", 2, OLDER)], None, [3, 2], {}),
    ("proportional scaling: 6 -> 0", new_deployment(0), new_deployment(6), rs("foo-v3", 3, NEW),
     [rs("foo-v2", 2, OLD), rs("foo-v1", 1, OLDER)], 0, [0, 0], {}),
    ("proportional scaling: 0 -> 6", new_deployment(6), new_deployment(6), rs("foo-v3", 0, NEW),
     [rs("foo-v2", 0, OLD), rs("foo-v1", 0, OLDER)], 6, [0, 0], {}),
    ("failed rs update", new_deployment(5), new_deployment(5), rs("foo-v3", 2, NEW),
     [rs("foo-v2", 1, OLD), rs("foo-v1", 1, OLDER)], 2, [2, 1], {"foo-v2": 3}),
    ("deployment with surge pods", new_deployment(20, 2), new_deployment(10, 2), rs("foo-v2", 6, NEW),
     [rs("foo-v1", 6, OLD)], 11, [11], {}),
    ("change both surge and size", new_deployment(50, 6), new_deployment(10, 3), rs("foo-v2", 5, NEW),
     [rs("foo-v1", 8, OLD)], 22, [34], {}),
    ("saturated but broken new replica set does not affect old pods", new_deployment(2, 1, 1), new_deployment(2, 1, 1),
     rs("foo-v2", 2, NEW), [rs("foo-v1", 1, OLD)], 2, [1], {}),
]


@pytest.mark.parametrize("name,d,old_d,new_rs,old_rss,expected_new,expected_old,desired", CASES, ids=[c[0] for c in CASES])
def test_scale_upstream_table(name, d, old_d, new_rs, old_rss, expected_new, expected_old, desired) -> None:
    for r in ([new_rs] if new_rs else []) + old_rss:
        want = desired.get(r["metadata"]["name"], du.spec_replicas(old_d))
        du.set_replicas_annotations(r, want, want + du.max_surge(old_d))
    dc, client = _dc()
    dc._scale(d, copy.deepcopy(new_rs) if new_rs else None, copy.deepcopy(old_rss))
    sizes = {r["metadata"]["name"]: du.spec_replicas(r) for r in ([new_rs] if new_rs else []) + old_rss}
    for u in client.updates:
        sizes[u["metadata"]["name"]] = du.spec_replicas(u)
    if new_rs is not None:
        assert sizes[new_rs["metadata"]["name"]] == expected_new
    assert [sizes[r["metadata"]["name"]] for r in old_rss] == expected_old


def rs_with_status(name: str, spec: int, status: int, deleting: bool = False) -> dict:
    r = {"metadata": {"name": name, "namespace": "default"}, "spec": {"replicas": spec}, "status": {"replicas": status}}
    if deleting:
        r["metadata"]["deletionTimestamp"] = "2016-05-20T00:00:00Z"
    return r


@pytest.mark.parametrize("old_rss,limit,expected", [
    ([rs_with_status("foo-1", 0, 0), rs_with_status("foo-2", 0, 0), rs_with_status("foo-3", 0, 0)], 1, 2),
    ([rs_with_status("foo-1", 0, 0), rs_with_status("foo-2", 0, 1), rs_with_status("foo-3", 1, 0),
      rs_with_status("foo-4", 1, 1)], 0, 1),
    ([rs_with_status("foo-1", 0, 0), rs_with_status("foo-2", 0, 0)], 0, 2),
    ([rs_with_status("foo-1", 1, 1), rs_with_status("foo-2", 1, 1)], 0, 0),
    ([rs_with_status("foo-1", 0, 0, deleting=True)], 0, 0),
    ([rs_with_status("foo-1", 0, 0), rs_with_status("foo-2", 0, 0), rs_with_status("foo-3", 0, 0)], 2**31 - 1, 0),
])
def test_cleanup_deployment_upstream_table(old_rss, limit, expected) -> None:
    dc, client = _dc()
    dc._cleanup(old_rss, new_deployment(1, rhl=limit))
    assert len(client.deletes) == expected
