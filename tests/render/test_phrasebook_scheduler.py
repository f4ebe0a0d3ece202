"""The scheduler's decisions as pages show them: reason codes + fields in the model, the Spanish sentence from
k8sdocs/render/phrasebook/scheduler.py (issue #14: the sentences are the ones the model used to write)."""

from __future__ import annotations

import pytest

from k8sdocs.content.phrased import phrase_events
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.scheduler.component import BINDING_FAILED, FAILED_SCHEDULING, NODE_SELECTED, KubeScheduler
from k8sdocs.model.scheduler.schedule_one import Scheduler
from k8sdocs.model.trace import Trace
from k8sdocs.render import phrasebook
from k8sdocs.render.phrasebook import scheduler

MESSAGE = ("0/1 nodes are available: 1 Insufficient cpu. "
           "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")


@pytest.mark.parametrize("code,fields,sentence", [
    ("NodeSelected", {"pod": "default/web", "node": "node-2", "score": "380", "evaluated": "3", "feasible": "2"},
     "elige node-2 (puntuación total 380)"),
    ("NodeSelected", {"pod": "default/web", "node": "node-1", "evaluated": "1", "feasible": "1"},
     "elige node-1 (único nodo factible)"),
    ("FailedScheduling", {"pod": "default/big", "message": MESSAGE}, f"no hay nodo: {MESSAGE}"),
    ("BindingFailed", {"pod": "default/web", "node": "node-1", "error": "binding rejected"},
     "no pudo vincular default/web a node-1: binding rejected"),
])
def test_each_code_has_its_sentence(code, fields, sentence):
    assert phrasebook.sentence(code, fields) == sentence


def test_the_phrasebook_covers_exactly_the_codes_the_scheduler_records():
    assert set(scheduler.PHRASES) == {NODE_SELECTED, FAILED_SCHEDULING, BINDING_FAILED}


def test_a_missing_field_is_a_key_error():
    with pytest.raises(KeyError):
        phrasebook.sentence("BindingFailed", {"pod": "default/web", "node": "node-1"})


def _node(name: str, cpu: str) -> dict:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "status": {"capacity": {"cpu": cpu, "memory": "4Gi", "pods": "110"},
                       "allocatable": {"cpu": cpu, "memory": "4Gi", "pods": "110"}}}


def _pod(name: str, cpu: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": cpu}}}]}}


def test_a_run_phrased_shows_the_sentences_and_keeps_the_codes():
    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace)
    kubectl = api.client("kubectl")
    KubeScheduler(api.client("kube-scheduler"), clock, trace, Scheduler(seed=7)).start()
    kubectl.create(_node("small", "1"))
    kubectl.create(_pod("big", "1500m"))
    clock.run_until_idle(5_000)
    kubectl.create(_node("large", "4"))
    kubectl.create(_node("medium", "2"))
    clock.run_until_idle(60_000)
    decisions = [e for e in trace.events if e.kind == "decision"]
    assert [e.summary for e in decisions] == [e.code for e in decisions]  # the model keeps no sentence
    phrased = [e for e in phrase_events(trace.events) if e.kind == "decision"]
    assert [(e.code, e.summary) for e in phrased][0] == ("FailedScheduling", f"no hay nodo: {MESSAGE}")
    selected = phrased[-1]
    score = selected.get("score")
    assert selected.code == "NodeSelected" and selected.get("node") == "large" and score and score.isdigit()
    assert selected.summary == f"elige large (puntuación total {score})"
