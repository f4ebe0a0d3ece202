"""Mermaid sequence diagrams drawn from trace events."""

from __future__ import annotations

from dataclasses import dataclass

from k8sdocs.render.mermaid import escape, format_time, participant_id, sequence_diagram


@dataclass(frozen=True)
class Ev:
    seq: int
    time_ms: int
    kind: str
    source: str
    target: str
    summary: str


def test_escape_statement_separators_and_markup():
    assert escape("a;b #c <d>") == "a#59;b #35;c #lt;d#gt;"


def test_participant_ids_are_identifiers():
    assert participant_id("kubelet/node-1") == "kubelet_node_1"
    assert participant_id("3rd") == "p_3rd"


def test_format_time_uses_decimal_comma_and_minutes():
    assert format_time(0) == "0 s"
    assert format_time(12500) == "12,5 s"
    assert format_time(350_000) == "5 min 50 s"


def test_sequence_diagram_arrows_notes_and_order():
    events = [
        Ev(1, 0, "request", "kubectl", "kube-apiserver", "POST /apis/apps/v1/namespaces/default/deployments"),
        Ev(2, 0, "etcd", "kube-apiserver", "etcd", "PUT /registry/deployments/default/web"),
        Ev(3, 5, "watch", "kube-apiserver", "deployment-controller", "ADDED Deployment default/web"),
        Ev(4, 5, "decision", "deployment-controller", "deployment-controller", "crea el ReplicaSet"),
        Ev(5, 6, "event", "deployment-controller", "kube-apiserver", "Normal ScalingReplicaSet ..."),
    ]
    text = sequence_diagram(events, participants=["kubectl", "kube-apiserver", "etcd"])
    lines = text.splitlines()
    assert lines[:2] == ["sequenceDiagram", "    autonumber"]
    assert lines[2:6] == [
        "    participant kubectl as kubectl",
        "    participant kube_apiserver as kube-apiserver",
        "    participant etcd as etcd",
        "    participant deployment_controller as deployment-controller",
    ]
    assert "    kube_apiserver-->>deployment_controller: [0,005 s] ADDED Deployment default/web" in lines
    assert "    Note over deployment_controller: [0,005 s] crea el ReplicaSet" in lines
    assert not any("ScalingReplicaSet" in line for line in lines)  # events are drawn as their API request
