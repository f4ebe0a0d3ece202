"""The node side's decisions are reason codes plus fields; the phrasebook gives each its Spanish sentence (#14 item 1).

Each code is produced by the model here (Kubelet, cloud-controller-manager) and its sentence is pinned to the text
pages showed before the codes existed, so the site reads the same.
"""

from __future__ import annotations

from k8sdocs.content.phrased import phrase_event
from k8sdocs.model import observe as ob
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.cluster import Cluster
from k8sdocs.model.kubelet import Kubelet
from k8sdocs.model.runtime import ContainerRuntime
from k8sdocs.model.trace import Trace, TraceEvent
from k8sdocs.render import phrasebook
from k8sdocs.render.phrasebook import cloud as cloud_phrases
from k8sdocs.render.phrasebook import kubelet as kubelet_phrases


def _node(cpu: str = "4", tainted: bool = False) -> dict:
    node: dict = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}, "spec": {"podCIDR": "10.244.1.0/24"},
                  "status": {"capacity": {"cpu": cpu, "memory": "8Gi", "pods": "110"},
                             "addresses": [{"type": "InternalIP", "address": "192.168.1.11"}]}}
    if tainted:
        node["spec"]["taints"] = [{"key": "node.cloudprovider.kubernetes.io/uninitialized", "value": "true",
                                   "effect": "NoSchedule"}]
    return node


def _kubelet(cpu: str = "4") -> tuple[Trace, APIServer, Kubelet]:
    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace)
    runtime = ContainerRuntime("node-1", clock, trace, pod_cidr="10.244.1.0/24")
    kubelet = Kubelet("node-1", api.client("kubelet/node-1"), clock, trace, runtime, _node(cpu))
    kubelet.start()
    return trace, api, kubelet


def _only(events: list[TraceEvent]) -> TraceEvent:
    assert len(events) == 1, events
    return events[0]


def test_node_stopped_and_recovered() -> None:
    trace, _, kubelet = _kubelet()
    trace.clock.run_until(5_000)
    kubelet.fail()
    trace.clock.run_until(10_000)
    kubelet.recover()
    stopped = _only(ob.decisions(trace.events, source="kubelet/node-1", code="NodeStopped"))
    recovered = _only(ob.decisions(trace.events, source="kubelet/node-1", code="NodeRecovered"))
    assert (stopped.summary, dict(stopped.data), stopped.time_ms) == ("NodeStopped", {"node": "node-1"}, 5_000)
    assert (recovered.summary, dict(recovered.data), recovered.time_ms) == ("NodeRecovered", {"node": "node-1"}, 10_000)
    assert phrase_event(stopped).summary == "el nodo node-1 deja de responder (fallo simulado)"
    assert phrase_event(recovered).summary == "el nodo node-1 vuelve a responder"


def test_pod_admission_rejected() -> None:
    trace, api, _ = _kubelet(cpu="1")
    api.client("kubectl").create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "big", "namespace": "default"},
                                  "spec": {"nodeName": "node-1", "containers": [
                                      {"name": "app", "image": "nginx:1.27",
                                       "resources": {"requests": {"cpu": "1500m"}}}]}})
    trace.clock.run_until(2_000)
    rejected = _only(ob.decisions(trace.events, pod="default/big", code="PodAdmissionRejected"))
    assert dict(rejected.data) == {"pod": "default/big", "reason": "OutOfcpu"}
    assert phrase_event(rejected).summary == "rechaza el Pod default/big en la admisión: OutOfcpu"


def test_initializing_node_and_ensuring_load_balancer() -> None:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
           "spec": {"type": "LoadBalancer", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]}}
    run = Cluster([_node(tainted=True), svc], seed=1).run(10_000)
    init = _only(ob.decisions(run.events, source="cloud-node-controller", code="InitializingNode"))
    assert dict(init.data) == {"node": "node-1"}
    assert phrase_event(init).summary == "inicializa el nodo node-1 con el proveedor de nube"
    ensuring = _only(ob.decisions(run.events, source="service-controller", code="EnsuringLoadBalancer"))
    assert dict(ensuring.data) == {"service": "default/web", "nodes": ""}  # asked before the node was initialized
    assert phrase_event(ensuring).summary == "pide al proveedor de nube un balanceador de carga para default/web (0 nodos de destino)"


def test_ensuring_load_balancer_counts_the_host_nodes() -> None:
    phrase = phrasebook.sentence
    assert phrase("EnsuringLoadBalancer", {"service": "default/web", "nodes": "node-1"}) == \
        "pide al proveedor de nube un balanceador de carga para default/web (1 nodo de destino)"
    assert phrase("EnsuringLoadBalancer", {"service": "default/web", "nodes": "node-1,node-2"}) == \
        "pide al proveedor de nube un balanceador de carga para default/web (2 nodos de destino)"


def test_every_node_side_code_has_a_phrase_and_no_decision_keeps_spanish_in_the_model() -> None:
    assert set(kubelet_phrases.PHRASES) == {"NodeStopped", "NodeRecovered", "PodAdmissionRejected"}
    assert set(cloud_phrases.PHRASES) == {"InitializingNode", "EnsuringLoadBalancer"}
    run = Cluster([_node(tainted=True)], seed=1).run(5_000)
    node_side = [e for e in run.events if e.kind == "decision" and e.source.split("/")[0] in (
        "kubelet", "cloud-node-controller", "service-controller")]
    assert node_side and all(e.code is not None and e.summary == e.code for e in node_side)
