"""The controllers record decisions as reason codes + fields (issue #14); the phrasebook gives the Spanish sentence.

The sentences below are the ones the model wrote itself before the phrasebook (pages show the same text), except
that counts now agree in number («1 réplica», «1 Pod con IP»), which no page showed wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from k8sdocs.content.phrased import phrase_events
from k8sdocs.model import observe as ob
from k8sdocs.model.cluster import Cluster
from k8sdocs.render import phrasebook
from k8sdocs.render.phrasebook import controllers as pb

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "k8sdocs" / "model" / "controllers"
SCENARIOS = ROOT / "docs" / "escenarios"

SENTENCES = [
    ("PodReleased", {"replicaset": "web-1", "pod": "web-1-abcde"},
     "web-1: el Pod web-1-abcde ya no encaja con el selector; se libera (deja de ser su propietario)"),
    ("PodAdopted", {"replicaset": "web-1", "pod": "p"},
     "web-1: adopta el Pod huérfano p (sus etiquetas encajan con el selector)"),
    ("SuccessfulCreate", {"replicaset": "api-7f", "pods": "1", "replicas": "10", "create": "9", "batches": "1,2,4,2"},
     "api-7f: hay 1 Pod y se piden 10; crea 9 en lotes de arranque lento 1, 2, 4, 2"),
    ("SlowStartFailure", {"replicaset": "rs", "skipped": "3"}, "rs: fallo en el arranque lento; se omiten 3 creaciones"),
    ("SlowStartFailure", {"replicaset": "rs", "skipped": "1"}, "rs: fallo en el arranque lento; se omite 1 creación"),
    ("SuccessfulDelete", {"replicaset": "web-6b", "pods": "4", "replicas": "3", "victims": "a,b"},
     "web-6b: hay 4 Pods y se piden 3; borra a, b"),
    ("ReplicaSetReleased", {"replicaset": "web", "deployment": "d"},
     "el ReplicaSet web ya no encaja con el selector de d: se libera"),
    ("ReplicaSetAdopted", {"replicaset": "web", "deployment": "web2"}, "web2 adopta el ReplicaSet huérfano web"),
    ("NewReplicaSetCreated", {"replicaset": "web-6b5b955bc", "hash": "6b5b955bc", "revision": "1", "replicas": "4"},
     "crea el ReplicaSet web-6b5b955bc (hash de la plantilla 6b5b955bc, revisión 1) con 4 réplicas"),
    ("NewReplicaSetCreated", {"replicaset": "web-766f", "hash": "766f", "revision": "2", "replicas": "1"},
     "crea el ReplicaSet web-766f (hash de la plantilla 766f, revisión 2) con 1 réplica"),
    ("HashCollision", {"replicaset": "web-1", "collision_count": "1"}, "colisión de hash en web-1: collisionCount = 1"),
    ("ScalingReplicaSet", {"replicaset": "web-6b", "old": "4", "new": "3"}, "escala el ReplicaSet web-6b de 4 a 3"),
    ("ProportionalScaling", {"to_add": "2", "replicasets": "3"},
     "escalado proporcional: +2 réplicas repartidas entre 3 ReplicaSets"),
    ("ProportionalScaling", {"to_add": "-2", "replicasets": "2"},
     "escalado proporcional: -2 réplicas repartidas entre 2 ReplicaSets"),
    ("ProportionalScaling", {"to_add": "1", "replicasets": "1"},
     "escalado proporcional: +1 réplica repartida entre 1 ReplicaSet"),
    ("OldReplicaSetDeleted", {"replicaset": "web-1", "limit": "0"},
     "borra el ReplicaSet antiguo web-1 (revisionHistoryLimit 0)"),
    ("UnhealthyReplicasCleanedUp", {"replicaset": "web-1", "count": "2"},
     "retira 2 réplicas no disponibles del ReplicaSet antiguo web-1"),
    ("UnhealthyReplicasCleanedUp", {"replicaset": "web-1", "count": "1"},
     "retira 1 réplica no disponible del ReplicaSet antiguo web-1"),
    ("OldPodsRunning", {"deployment": "web"}, "Recreate: espera a que terminen los Pods antiguos antes de crear los nuevos"),
    ("NewReplicaSetAvailable", {"deployment": "web"}, "el Deployment web ha completado su despliegue"),
    ("NoScheduleTaintsUpdated", {"node": "node-2", "add": "node.kubernetes.io/unreachable", "remove": ""},
     "taints NoSchedule de node-2: añade [node.kubernetes.io/unreachable], quita []"),
    ("NoScheduleTaintsUpdated", {"node": "n", "add": "", "remove": "a,b"}, "taints NoSchedule de n: añade [], quita [a, b]"),
    ("NodeStatusUnknown", {"node": "node-2", "silent_ms": "50000", "grace_ms": "50000"},
     "node-2: ningún latido nuevo visto en 50 s (periodo de gracia 50 s): Ready=Unknown"),
    ("NodeNotReady", {"node": "n"}, "n está NotReady: a la cola de taints de su zona"),
    ("NodeUnreachable", {"node": "node-2"}, "node-2 no responde: a la cola de taints de su zona"),
    ("NodeReachable", {"node": "n"}, "n vuelve a estar sano: se quitan sus taints NoExecute"),
    ("NoExecuteTaintAdded", {"node": "node-2", "taint": "node.kubernetes.io/unreachable", "eviction_rate": "0.1"},
     "añade el taint node.kubernetes.io/unreachable:NoExecute a node-2 (límite --node-eviction-rate 0.1)"),
    ("FullDisruptionEntered", {}, "todos los nodos están NotReady: modo de disrupción total, se detienen los desalojos"),
    ("FullDisruptionExited", {}, "vuelve a haber nodos Ready: se sale del modo de disrupción total"),
    ("EvictionCancelled", {"pod": "default/web"}, "cancela el desalojo programado de default/web"),
    ("TaintManagerEviction", {"pod": "default/a", "taint": "t", "node": "n"},
     "default/a no tolera el taint t:NoExecute de n: se borra ya"),
    ("EvictionScheduled", {"pod": "default/a", "taint": "node.kubernetes.io/unreachable", "toleration_ms": "300000",
                           "at_ms": "420100"},
     "default/a tolera node.kubernetes.io/unreachable durante 300 s: desalojo programado en t=420.1 s"),
    ("TerminatedPodsOverThreshold", {"terminated": "1", "threshold": "0", "excess": "1"},
     "hay 1 Pod terminado (umbral 0): borra 1"),
    ("TerminatedPodsOverThreshold", {"terminated": "3", "threshold": "1", "excess": "2"},
     "hay 3 Pods terminados (umbral 1): borra 2"),
    ("DeletionByPodGC", {"pod": "default/orphan", "node": "node-1"},
     "el Pod default/orphan está asignado a node-1, que ya no existe: se marca Failed y se borra"),
    ("OwnersGone", {"object_kind": "ReplicaSet", "namespace": "default", "name": "web-1", "owners": "Deployment web"},
     "ReplicaSet default/web-1 ya no tiene propietario (Deployment web): se borra en cascada en segundo plano"),
    ("DanglingOwnerReferencesRemoved", {"object_kind": "Node", "name": "n"},
     "Node n: se quitan las referencias a propietarios que ya no existen"),
    ("EndpointSlicesReconciled", {"service": "default/nginx", "pods": "2", "created": "0", "updated": "1",
                                  "deleted": "0", "endpoints": "2"},
     "Service default/nginx: 2 Pods con IP; crea 0, actualiza 1 y borra 0 EndpointSlices (2 endpoints escritos)"),
    ("EndpointSlicesReconciled", {"service": "default/nginx", "pods": "1", "created": "0", "updated": "1",
                                  "deleted": "0", "endpoints": "1"},
     "Service default/nginx: 1 Pod con IP; crea 0, actualiza 1 y borra 0 EndpointSlices (1 endpoint escrito)"),
]


@pytest.mark.parametrize(("code", "fields", "sentence"), SENTENCES, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(SENTENCES)])
def test_phrase(code, fields, sentence) -> None:
    assert phrasebook.sentence(code, fields) == sentence


def test_counts_agree_in_number() -> None:
    assert (pb.count_pods(0), pb.count_pods(1), pb.count_pods("3")) == ("0 Pods", "1 Pod", "3 Pods")
    assert (pb.count("-1", "réplica", "réplicas"), pb.count("+2", "réplica", "réplicas")) == ("-1 réplica", "+2 réplicas")


def _model_codes() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in MODEL.rglob("*.py"))
    return set(re.findall(r"(?:\.decide\(NAME|_decide\(rs), \"([A-Za-z]+)\"", source))


def test_every_code_the_controllers_record_has_a_phrase_and_every_phrase_is_used() -> None:
    codes = _model_codes()
    assert set(pb.PHRASES) == codes
    assert {c for c, _, _ in SENTENCES} == codes
    assert all(re.fullmatch(r"[A-Z][A-Za-z]+", c) for c in codes)  # UpperCamelCase


def test_the_controllers_keep_no_reader_text() -> None:
    for path in MODEL.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert 'record("decision"' not in text, path
        assert not re.search(r"[áéíóúñ¿¡«»]", text), path


def _run(name: str):
    return Cluster.from_scenario(SCENARIOS / name).run()


def test_rolling_update_codes_and_fields() -> None:
    events = _run("actualizacion-progresiva.yaml").events
    created = ob.decisions(events, source="deployment-controller", code="NewReplicaSetCreated")
    assert [(e.get("replicaset"), e.get("revision"), e.get("replicas")) for e in created] == [
        ("web-6b5b955bc", "1", "4"), ("web-766f8f6986", "2", "1")]
    assert created[0].summary == "NewReplicaSetCreated"  # the model keeps no sentence
    scaled = ob.decisions(events, source="deployment-controller", code="ScalingReplicaSet")
    assert ("web-6b5b955bc", "4", "3") in [(e.get("replicaset"), e.get("old"), e.get("new")) for e in scaled]
    deletes = ob.decisions(events, source="replicaset-controller", code="SuccessfulDelete")
    assert deletes and all(e.obj is not None and e.obj.kind == "ReplicaSet" and e.obj.name == e.get("replicaset")
                           for e in deletes)
    assert [e.get("deployment") for e in ob.decisions(events, code="NewReplicaSetAvailable")][:1] == ["web"]
    phrased = phrase_events(tuple(created))
    assert phrased[1].summary == ("crea el ReplicaSet web-766f8f6986 (hash de la plantilla 766f8f6986, revisión 2) "
                                  "con 1 réplica")


def test_node_failure_codes_and_fields() -> None:
    events = _run("nodo-falla.yaml").events
    nl = "node-lifecycle-controller"
    unknown = ob.decisions(events, source=nl, code="NodeStatusUnknown")
    assert [(e.get("node"), e.get("grace_ms")) for e in unknown] == [("node-2", "50000")]
    assert [e.get("node") for e in ob.decisions(events, source=nl, code="NodeUnreachable")] == ["node-2"]
    noexec = ob.decisions(events, source=nl, code="NoExecuteTaintAdded")
    assert [(e.get("node"), e.get("taint"), e.get("eviction_rate")) for e in noexec] == [
        ("node-2", "node.kubernetes.io/unreachable", "0.1")]
    scheduled = ob.decisions(events, source="taint-eviction-controller", code="EvictionScheduled")
    assert len(scheduled) == 1 and scheduled[0].get("toleration_ms") == "300000"
    slices = ob.decisions(events, source="endpointslice-controller", code="EndpointSlicesReconciled")
    assert slices[0].get("service") == "default/nginx" and slices[0].get("created") == "1"
