"""kube-controller-manager page content: slow start, rolling-update limits, timelines from the store's history."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.content import controllers
from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ExpectationError

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def book() -> ExampleBook:
    return ExampleBook(DOCS)


@pytest.mark.parametrize("count, batches", [
    # replica_set.go slowStartBatch: batchSize = min(remaining, 1), then min(2*batchSize, remaining)
    (1, "1"), (3, "1 + 2"), (9, "1 + 2 + 4 + 2"), (10, "1 + 2 + 4 + 3"), (100, "1 + 2 + 4 + 8 + 16 + 32 + 37"),
    (600, "1 + 2 + 4 + 8 + 16 + 32 + 64 + 128 + 245"),  # capped at burstReplicas = 500
])
def test_slow_start_rows(count, batches):
    assert controllers.slow_start_rows([count])[0][1] == batches


@pytest.mark.parametrize("replicas, expected", [
    # deployment_util.go ResolveFenceposts: surge rounds up, unavailable rounds down, both 0 -> unavailable 1
    (4, (1, 1)), (10, (3, 2)), (1, (1, 0)), (3, (1, 0)),
])
def test_rolling_limits(replicas, expected):
    assert controllers.rolling_limits(replicas) == expected
    assert controllers.rolling_limits(replicas, 0, 0) == (0, 1)


def test_scale_decision_and_created_pods(book):
    text = controllers.replicaset_decision(book, "cp-escalado.yaml", "api-", "20s")
    assert text.startswith("[20 s] api-") and text.endswith("crea 9 en lotes de arranque lento 1, 2, 4, 2")
    assert controllers.created_pods_at(book, "cp-escalado.yaml", "20s") == "9"
    with pytest.raises(ExpectationError):
        controllers.created_pods_at(book, "cp-escalado.yaml", "20s", espera=10)


def test_scale_timeline(book):
    rows = controllers.replicaset_timeline(book, "cp-escalado.yaml", "api")
    assert [r.replica_sets[0].replicas for r in rows][:3] == [1, 1, 10]
    assert rows[-1].replica_sets[0].ready == 10
    readies = [r.replica_sets[0].ready for r in rows]
    assert readies == sorted(readies)
    # pkg/controller/deployment/sync.go: "Scaled %s replica set %s from %d to %d"
    assert [m for r in rows for m in r.events] == [
        f"Scaled up replica set {rows[0].replica_sets[0].name} from 0 to 1",
        f"Scaled up replica set {rows[0].replica_sets[0].name} from 1 to 10",
    ]


def test_rolling_update_stays_within_surge_and_unavailability(book):
    rows = controllers.replicaset_timeline(book, "actualizacion-progresiva.yaml", "web")
    during = [r for r in rows if len(r.replica_sets) == 2]
    assert during, "the update creates a second ReplicaSet"
    old, new = during[0].replica_sets
    assert (old.image, new.image) == ("nginx:1.26", "nginx:1.27")
    surge, unavailable = controllers.rolling_limits(4)
    for r in during:
        assert sum(rs.replicas for rs in r.replica_sets) <= 4 + surge
        assert sum(rs.ready for rs in r.replica_sets) >= 4 - unavailable
    assert (rows[-1].replica_sets[0].replicas, rows[-1].replica_sets[1].replicas) == (0, 4)
    assert rows[-1].replica_sets[1].ready == 4
    messages = [e.message for e in controllers.deployment_events(book, "actualizacion-progresiva.yaml", "web")]
    assert messages[1] == f"Scaled up replica set {new.name} from 0 to 1"
    assert messages[2] == f"Scaled down replica set {old.name} from 4 to 3"
    assert messages[3] == f"Scaled up replica set {new.name} from 1 to 2"  # the page's text describes these three
    assert messages[-1] == f"Scaled down replica set {old.name} from 1 to 0"


def test_controllers_that_write(book):
    names = [r[0] for r in controllers.controller_rows(book, "despliegue-basico.yaml")]
    assert "<code>deployment-controller</code>" in names and "<code>replicaset-controller</code>" in names


def test_endpointslice_fills_then_becomes_ready(book):
    rows = controllers.endpointslice_timeline(book, "despliegue-basico.yaml", "nginx")
    # endpointslice controller: the slice exists (empty) as soon as the Service does; a Pod appears once it has an IP
    assert rows[0].endpoints == ()
    counts = [len(r.endpoints) for r in rows]
    ready = [sum(1 for *_, ok in r.endpoints if ok) for r in rows]
    assert counts == sorted(counts) and counts[-1] == 3
    assert ready == sorted(ready) and ready[-1] == 3
    assert all(addr.startswith("10.244.") for addr, _, _ in rows[-1].endpoints)  # Pod IPs from the node podCIDRs
    assert sorted(node for _, node, _ in rows[-1].endpoints) == ["node-1", "node-2", "node-3"]
