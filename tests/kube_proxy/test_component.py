"""KubeProxy node component: informers -> batched syncs -> one trace entry per iptables-restore."""

from typing import Callable

from k8sdocs.model.clock import Clock
from k8sdocs.model.kube_proxy import ProxierConfig
from k8sdocs.model.kube_proxy.component import INFORMER_LABEL_SELECTOR, KubeProxy
from k8sdocs.model.trace import Trace


class FakeClient:
    """Just enough of the API client contract: list, watch (deliveries through the clock), stop_watch."""

    def __init__(self, clock: Clock, objects: list[dict]) -> None:
        self.actor = "kube-proxy/node-1"
        self.clock = clock
        self.objects = list(objects)
        self.handlers: dict[int, tuple[str, Callable[[str, dict], None]]] = {}
        self.selectors: list[str | dict | None] = []

    def list(self, kind, namespace=None, label_selector=None, field_selector=None):
        self.selectors.append(label_selector)
        return [o for o in self.objects if o["kind"] == kind]

    def watch(self, kind, handler, namespace=None, field_selector=None, label_selector=None):
        wid = len(self.handlers) + 1
        self.handlers[wid] = (kind, handler)
        for obj in [o for o in self.objects if o["kind"] == kind]:
            self.clock.call_later(1, lambda o=obj, h=handler: h("ADDED", o))
        return wid

    def stop_watch(self, watch_id):
        self.handlers.pop(watch_id, None)

    def emit(self, event_type: str, obj: dict) -> None:
        for kind, handler in list(self.handlers.values()):
            if kind == obj["kind"]:
                self.clock.call_later(1, lambda h=handler: h(event_type, obj))


def service(ip: str = "10.96.0.20") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "1"},
        "spec": {"type": "ClusterIP", "clusterIP": ip, "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]},
    }


def endpoint_slice(ips: list[str], rv: str = "2") -> dict:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "web-abc",
            "namespace": "default",
            "resourceVersion": rv,
            "labels": {"kubernetes.io/service-name": "web"},
        },
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        "endpoints": [{"addresses": [ip], "conditions": {"ready": True}} for ip in ips],
    }


def _setup() -> tuple[Clock, Trace, FakeClient, KubeProxy]:
    clock = Clock()
    trace = Trace(clock)
    client = FakeClient(clock, [service(), endpoint_slice(["10.244.1.5"])])
    kp = KubeProxy("node-1", client, clock, trace, ProxierConfig(cluster_cidr="10.244.0.0/16"))
    kp.start()
    return clock, trace, client, kp


def test_first_sync_is_full_and_traced_with_rule_count() -> None:
    clock, trace, client, kp = _setup()
    clock.run_until_idle(10_000)
    events = trace.filter(kind="iptables")
    assert len(events) == 1  # the watch's initial ADDED events carry no change
    e = events[0]
    assert (e.time_ms, e.source, e.target) == (0, "kube-proxy/node-1", "iptables/node-1")
    # 4 filter rules (KUBE-FIREWALL, 3 x KUBE-FORWARD) + 4 fixed nat rules + 1 KUBE-SERVICES jump, 2 KUBE-SVC,
    # 2 KUBE-SEP and the final KUBE-NODEPORTS jump = 14.
    assert e.get("rules") == "14"
    assert e.get("sync") == "full"
    assert client.selectors[:2] == [INFORMER_LABEL_SELECTOR, INFORMER_LABEL_SELECTOR]
    assert "-j DNAT --to-destination 10.244.1.5:8080" in kp.rules()


def test_changes_within_min_sync_period_are_batched() -> None:
    clock, trace, client, kp = _setup()
    clock.run_until(100)
    client.emit("MODIFIED", endpoint_slice(["10.244.1.5", "10.244.2.7"], rv="3"))
    clock.run_until(300)
    client.emit("MODIFIED", endpoint_slice(["10.244.1.5", "10.244.2.7", "10.244.3.9"], rv="4"))
    clock.run_until_idle(10_000)
    syncs = trace.filter(kind="iptables")
    assert [(e.time_ms, e.get("sync")) for e in syncs] == [(0, "full"), (1000, "partial")]
    rules = kp.rules()
    assert "--probability 0.3333333333" in rules and "10.244.3.9:8080" in rules
    assert kp.last_restore().count(":KUBE-SEP-") == 3


def test_irrelevant_change_does_not_sync() -> None:
    clock, trace, client, kp = _setup()
    clock.run_until(100)
    relabelled = endpoint_slice(["10.244.1.5"], rv="9")
    relabelled["metadata"]["annotations"] = {"note": "x"}
    client.emit("MODIFIED", relabelled)
    clock.run_until_idle(10_000)
    assert len(trace.filter(kind="iptables")) == 1


def test_deleting_the_slice_rejects_the_service_and_deletes_chains() -> None:
    clock, trace, client, kp = _setup()
    clock.run_until(2000)
    client.emit("DELETED", endpoint_slice(["10.244.1.5"]))
    clock.run_until_idle(10_000)
    last = trace.filter(kind="iptables")[-1]
    assert last.time_ms == 2001 and last.get("deleted_chains") == "2"
    assert '"default/web:http has no endpoints"' in kp.rules()
    assert "-X KUBE-SVC-" in kp.last_restore()


def test_zone_label_change_on_own_node_forces_a_full_sync() -> None:
    clock, trace, client, kp = _setup()
    clock.run_until(2000)
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1", "labels": {"topology.kubernetes.io/zone": "a"}}}
    client.emit("MODIFIED", node)
    clock.run_until_idle(10_000)
    assert [(e.time_ms, e.get("sync")) for e in trace.filter(kind="iptables")] == [(0, "full"), (2001, "full")]
    assert kp.proxier.config.zone == "a"


def test_stop_cancels_watches_and_pending_sync() -> None:
    clock, trace, client, kp = _setup()
    clock.run_until(100)
    client.emit("MODIFIED", endpoint_slice(["10.244.9.9"], rv="5"))
    clock.run_until(200)
    kp.stop()
    clock.run_until_idle(10_000)
    assert client.handlers == {}
    assert len(trace.filter(kind="iptables")) == 1


def test_with_the_project_api_server() -> None:
    from k8sdocs.model.apiserver.server import APIServer

    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace)
    kubectl = api.client("kubectl")
    spec = service()
    del spec["metadata"]["resourceVersion"]
    kubectl.create(spec)
    kp = KubeProxy("node-1", api.client("kube-proxy/node-1"), clock, trace, ProxierConfig(cluster_cidr="10.244.0.0/16"))
    kp.start()
    clock.run_until(500)
    es = endpoint_slice(["10.244.1.5"])
    del es["metadata"]["resourceVersion"]
    kubectl.create(es)
    clock.run_until_idle(10_000)
    syncs = trace.filter(kind="iptables", source="kube-proxy/node-1")
    assert [e.get("sync") for e in syncs] == ["full", "partial"]
    assert syncs[0].get("rules") == "10"  # no endpoints yet: REJECT in filter
    assert "-j DNAT --to-destination 10.244.1.5:8080" in kp.rules()
