"""Property: every FailedScheduling message the model prints for a random small cluster has a witness cluster on which
the model prints the same message again (the witness builder is complete for the reasons it knows, including a later
plugin's reason that shows only in the preemption part, and a pod affinity lost with a victim)."""

from __future__ import annotations

import random

from k8sdocs.fidelity.witness import run_witness
from k8sdocs.model.scheduler.schedule_one import Scheduler


def _random_cluster(rng: random.Random) -> tuple[list[dict], list[dict], dict]:
    n = rng.randint(1, 6)
    use = {k: rng.random() < p for k, p in (("sel", 0.3), ("ports", 0.3), ("spread", 0.4), ("anti", 0.3),
                                            ("existing", 0.3), ("affinity", 0.3), ("never", 0.1))}
    resources = [r for r in ("cpu", "memory") if rng.random() < 0.5]
    nodes, pods = [], []
    for i in range(n):
        name = f"n{i}"
        labels = {"kubernetes.io/hostname": name}
        if use["sel"] and rng.random() < 0.6:
            labels["sel"] = "y"
        if use["spread"] and rng.random() < 0.8:
            labels["zone"] = rng.choice("abc")
        if use["affinity"] and rng.random() < 0.7:
            labels["ad"] = "x"
        spec: dict = {}
        if rng.random() < 0.15:
            spec["taints"] = [{"key": "t", "effect": "NoSchedule"}]
        if rng.random() < 0.08:
            spec["unschedulable"] = True
        alloc = {"cpu": rng.choice(["1", "4"]), "memory": rng.choice(["1Gi", "4Gi"]), "pods": str(rng.choice([1, 2, 110]))}
        nodes.append({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels}, "spec": spec,
                      "status": {"capacity": alloc, "allocatable": dict(alloc)}})
        for j in range(rng.randint(0, 3)):
            container: dict = {"name": "c", "image": "x"}
            req = {r: rng.choice(["1", "3"]) + ("Gi" if r == "memory" else "") for r in ("cpu", "memory")
                   if rng.random() < 0.4}
            if req:
                container["resources"] = {"requests": req}
            if use["ports"] and rng.random() < 0.3:
                container["ports"] = [{"containerPort": 80, "hostPort": 80}]
            plabels = {}
            if use["spread"] and rng.random() < 0.4:
                plabels["app"] = "w"
            if use["anti"] and rng.random() < 0.3:
                plabels["blk"] = "y"
            if use["affinity"] and rng.random() < 0.3:
                plabels["tgt"] = "y"
            pspec: dict = {"nodeName": name, "priority": rng.choice([0, 1000]), "containers": [container]}
            if use["existing"] and rng.random() < 0.25:
                pspec["affinity"] = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchLabels": {"app": "w"}}, "topologyKey": "kubernetes.io/hostname"}]}}
            pods.append({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": f"{name}-p{j}", "namespace": "default", "labels": plabels}, "spec": pspec})
    container = {"name": "c", "image": "x"}
    if resources:
        container["resources"] = {"requests": {r: "2" + ("Gi" if r == "memory" else "") for r in resources}}
    if use["ports"]:
        container["ports"] = [{"containerPort": 80, "hostPort": 80}]
    spec = {"priority": 100, "containers": [container]}
    if use["sel"]:
        spec["nodeSelector"] = {"sel": "y"}
    if use["never"]:
        spec["preemptionPolicy"] = "Never"
    if use["spread"]:
        spec["topologySpreadConstraints"] = [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                               "labelSelector": {"matchLabels": {"app": "w"}}}]
    affinity: dict = {}
    if use["anti"]:
        affinity["podAntiAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"blk": "y"}}, "topologyKey": "kubernetes.io/hostname"}]}
    if use["affinity"]:
        affinity["podAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"tgt": "y"}}, "topologyKey": "ad"}]}
    if affinity:
        spec["affinity"] = affinity
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "in", "namespace": "default", "labels": {"app": "w"}},
           "spec": spec}
    return nodes, pods, pod


def test_model_messages_round_trip_through_a_witness():
    rng = random.Random(20260101)
    checked = 0
    for _ in range(1200):
        nodes, pods, pod = _random_cluster(rng)
        result = Scheduler(seed=0).schedule_one(pod, nodes, pods, [])
        if result.selected_node or not result.message:
            continue
        assert run_witness(result.message).result.message == result.message, result.message
        checked += 1
    assert checked > 500
