"""kubelet + CRI runtime against the real API server (no scheduler: pods carry spec.nodeName)."""

from __future__ import annotations

import re

import pytest

from k8sdocs.model import observe as ob
from k8sdocs.model.api.defaults import default_image_pull_policy as default_pull_policy
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.kubelet import Kubelet, go_duration
from k8sdocs.model.runtime import ContainerRuntime, normalize_image
from k8sdocs.model.trace import Trace


def _node(name: str, cidr: str, images: list[dict] | None = None, cpu: str = "4") -> dict:
    return {
        "apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": {"podCIDR": cidr},
        "status": {"capacity": {"cpu": cpu, "memory": "8Gi", "pods": "110"},
                   "addresses": [{"type": "InternalIP", "address": "192.168.1.11"}],
                   "images": images or []},
    }


def _pod(name: str, node: str, image: str = "nginx:1.27", **container: object) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"nodeName": node, "containers": [{"name": "app", "image": image, **container}]}}


def _text(e) -> str:
    """A Kubernetes Event as ``kubectl get events`` columns print it: type, reason, message."""
    return f"{e.note.type} {e.note.reason} {e.note.message}"


class Env:
    def __init__(self, nodes: list[dict]) -> None:
        self.clock = Clock()
        self.trace = Trace(self.clock)
        self.api = APIServer(self.clock, self.trace)
        self.kubectl = self.api.client("kubectl")
        self.kubelets: dict[str, Kubelet] = {}
        for n in nodes:
            name = n["metadata"]["name"]
            rt = ContainerRuntime(name, self.clock, self.trace, pod_cidr=n["spec"]["podCIDR"],
                                  images=n["status"].get("images", []))
            k = Kubelet(name, self.api.client(f"kubelet/{name}"), self.clock, self.trace, rt, n)
            k.start()
            self.kubelets[name] = k

    def cri(self, node: str) -> list[str]:
        return [e.cri.method for e in ob.cri_calls(self.trace.events, node=node)]

    def events(self, reason: str | None = None) -> list[str]:
        return [_text(e) for e in ob.kube_events(self.trace.events, involved_kind="Pod",
                                                 reason=ob.ANY if reason is None else reason)]


# -- pure helpers, values from upstream semantics ------------------------------------------------
@pytest.mark.parametrize("ms,text", [(0, "0s"), (250, "250ms"), (1500, "1.5s"), (1690, "1.69s"), (2000, "2s"),
                                     (61_200, "1m1.2s"), (60_000, "1m0s"), (3_600_000, "1h0m0s")])
def test_go_duration_string_matches_go_time_duration(ms: int, text: str) -> None:
    # Go's time.Duration.String(): "1.5s", "1m0s", "1h0m0s", "250ms"
    assert go_duration(ms) == text


@pytest.mark.parametrize("image,policy", [("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
                                          ("localhost:5000/app", "Always"), ("localhost:5000/app:v1", "IfNotPresent"),
                                          ("nginx@sha256:" + "a" * 64, "IfNotPresent")])
def test_default_image_pull_policy_as_pkg_apis_core_v1_defaults(image: str, policy: str) -> None:
    assert default_pull_policy(image) == policy


@pytest.mark.parametrize("image,normalized", [("nginx", "docker.io/library/nginx:latest"),
                                              ("nginx:1.27", "docker.io/library/nginx:1.27"),
                                              ("bitnami/redis:7", "docker.io/bitnami/redis:7"),
                                              ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
                                              ("localhost:5000/app", "localhost:5000/app:latest")])
def test_image_reference_normalization_as_docker_distribution(image: str, normalized: str) -> None:
    assert normalize_image(image) == normalized


# -- registration, lease, heartbeats ---------------------------------------------------------------
def test_kubelet_registers_node_and_renews_lease_every_10s() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    env.clock.run_until(35_000)
    node = env.kubectl.get("Node", "node-1")
    assert [c["type"] for c in node["status"]["conditions"]] == ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"]
    ready = node["status"]["conditions"][-1]
    assert (ready["status"], ready["reason"], ready["message"]) == ("True", "KubeletReady", "kubelet is posting ready status")
    assert node["status"]["daemonEndpoints"] == {"kubeletEndpoint": {"Port": 10250}}
    lease = env.kubectl.get("Lease", "node-1", "kube-node-lease")
    assert lease["spec"]["holderIdentity"] == "node-1"
    assert lease["spec"]["leaseDurationSeconds"] == 40
    assert lease["spec"]["renewTime"] == "2025-12-17T00:00:30.000000Z"  # MicroTime
    assert lease["metadata"]["ownerReferences"][0]["kind"] == "Node"
    assert lease["metadata"]["ownerReferences"][0]["uid"] == node["metadata"]["uid"]
    renewals = [e.time_ms for e in ob.requests(env.trace.events, source="kubelet/node-1", verb="PUT", resource="leases",
                                               namespace="kube-node-lease", name="node-1", subresource=None)]
    assert renewals == [10_000, 20_000, 30_000]


def test_node_status_is_posted_only_on_change_or_every_5_minutes() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    env.clock.run_until(620_000)
    posts = [e.time_ms for e in ob.requests(env.trace.events, verb="PATCH", resource="nodes", name="node-1",
                                            subresource="status")]
    assert posts == [300_000, 600_000]


def test_kubelet_watches_services_its_node_and_the_pods_bound_to_it() -> None:
    """pkg/kubelet/kubelet.go NewMainKubelet: a Service informer (environment variables), a Node informer with
    fieldSelector metadata.name=<node> (the node lister), and the pod source (pkg/kubelet/config/apiserver.go)."""
    env = Env([_node("node-1", "10.244.1.0/24"), _node("node-2", "10.244.2.0/24")])
    watches = [e.api.path for e in ob.watch_requests(env.trace.events, source="kubelet/node-1")]
    assert watches == ["/api/v1/services?watch=true",
                       "/api/v1/nodes?fieldSelector=metadata.name%3Dnode-1&watch=true",
                       "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&watch=true"]
    env.kubectl.create(_pod("a", "node-2"))
    env.clock.run_until(5_000)
    seen_by_1 = [(e.op, e.obj.kind, e.obj.key) for e in ob.watch_notices(env.trace.events, target="kubelet/node-1")]
    seen_by_2 = [(e.op, e.obj.kind, e.obj.key) for e in ob.watch_notices(env.trace.events, target="kubelet/node-2")]
    assert not any(kind == "Pod" and key == "default/a" for _, kind, key in seen_by_1)
    assert {key for _, kind, key in seen_by_1 if kind == "Node"} == {"node-1"}  # its own Node, never the other
    assert ("ADDED", "Pod", "default/a") in seen_by_2
    assert env.cri("node-1") == ["Version"]


# -- SyncPod ---------------------------------------------------------------------------------------
def test_syncpod_cri_order_and_v135_events_when_image_absent() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    env.kubectl.create(_pod("web", "node-1"))
    env.clock.run_until(10_000)
    assert env.cri("node-1") == ["Version", "RunPodSandbox", "PodSandboxStatus", "ImageStatus", "PullImage",
                                 "CreateContainer", "StartContainer"]
    reasons = [e.note.reason for e in ob.kube_events(env.trace.events, involved_kind="Pod")]
    assert reasons == ["Pulling", "Pulled", "Created", "Started"]
    assert env.events("Pulling") == ['Normal Pulling Pulling image "nginx:1.27"']
    pulled = env.events("Pulled")[0]
    assert re.fullmatch(r'Normal Pulled Successfully pulled image "nginx:1\.27" in [0-9.]+m?s \([0-9.]+m?s including waiting\)\. '
                        r'Image size: \d+ bytes\.', pulled), pulled
    assert env.events("Created") == ["Normal Created Container created"]
    assert env.events("Started") == ["Normal Started Container started"]
    pod = env.kubectl.get("Pod", "web", "default")
    st = pod["status"]
    assert st["phase"] == "Running"
    assert [c["type"] for c in st["conditions"]] == ["PodReadyToStartContainers", "Initialized", "Ready",
                                                      "ContainersReady", "PodScheduled"]
    assert all(c["status"] == "True" for c in st["conditions"])
    assert st["podIP"] == "10.244.1.2" and st["podIPs"] == [{"ip": "10.244.1.2"}]
    assert st["hostIP"] == "192.168.1.11"
    cs = st["containerStatuses"][0]
    assert cs["ready"] is True and cs["started"] is True and "running" in cs["state"]
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", cs["containerID"])
    # the kubelet's events carry the container's fieldPath (kubecontainer.GenerateContainerRef)
    evs = [e for e in env.kubectl.list("Event", "default") if e["involvedObject"]["kind"] == "Pod"]
    assert {e["involvedObject"].get("fieldPath") for e in evs} == {"spec.containers{app}"}
    assert {e["source"]["component"] for e in evs} == {"kubelet"}


def test_image_present_on_node_is_not_pulled() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["docker.io/library/nginx:1.27"], "sizeBytes": 1000}])])
    env.kubectl.create(_pod("web", "node-1"))
    env.clock.run_until(5_000)
    assert "PullImage" not in env.cri("node-1")
    # v1.35 (KubeletEnsureSecretPulledImages on): "... already present on machine and can be accessed by the pod"
    assert env.events("Pulled") == ['Normal Pulled Container image "nginx:1.27" already present on machine '
                                    'and can be accessed by the pod']


def test_pull_policy_always_pulls_even_when_present() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["nginx:1.27"], "sizeBytes": 1000}])])
    env.kubectl.create(_pod("web", "node-1", imagePullPolicy="Always"))
    env.clock.run_until(5_000)
    assert env.cri("node-1").count("PullImage") == 1


def test_serialized_pulls_show_waiting_time() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    env.kubectl.create(_pod("a", "node-1", image="nginx:1.27"))
    env.kubectl.create(_pod("b", "node-1", image="redis:7"))
    env.clock.run_until(10_000)
    pulled = env.events("Pulled")
    assert len(pulled) == 2
    # the second pull waited for the first one (serializeImagePulls: true)
    second = re.search(r"in ([0-9.]+m?s) \(([0-9.]+m?s) including waiting\)", pulled[1])
    assert second is not None and second.group(1) != second.group(2)


def test_readiness_probe_initial_delay() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["nginx:1.27"], "sizeBytes": 1000}])])
    env.kubectl.create(_pod("web", "node-1", readinessProbe={"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5}))
    env.clock.run_until(3_000)
    st = env.kubectl.get("Pod", "web", "default")["status"]
    ready = next(c for c in st["conditions"] if c["type"] == "Ready")
    assert st["phase"] == "Running"
    assert (ready["status"], ready["reason"], ready["message"]) == ("False", "ContainersNotReady",
                                                                    "containers with unready status: [app]")
    env.clock.run_until(7_000)
    st = env.kubectl.get("Pod", "web", "default")["status"]
    assert next(c for c in st["conditions"] if c["type"] == "Ready")["status"] == "True"


def test_init_containers_run_first_and_complete() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["nginx:1.27", "busybox:1.36"], "sizeBytes": 1000}])])
    pod = _pod("web", "node-1")
    pod["spec"]["initContainers"] = [{"name": "init", "image": "busybox:1.36"}]
    env.kubectl.create(pod)
    env.clock.run_until(600)
    st = env.kubectl.get("Pod", "web", "default")["status"]
    init = next(c for c in st["conditions"] if c["type"] == "Initialized")
    assert (init["status"], init["reason"], init["message"]) == ("False", "ContainersNotInitialized",
                                                                 "containers with incomplete status: [init]")
    env.clock.run_until(5_000)
    creates = [(e.cri.pod, e.cri.container) for e in ob.cri_calls(env.trace.events, method="CreateContainer")]
    assert creates == [("default/web", "init"), ("default/web", "app")]
    st = env.kubectl.get("Pod", "web", "default")["status"]
    assert st["initContainerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
    assert st["phase"] == "Running"


def test_admission_rejects_pod_that_does_not_fit() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", cpu="1")])
    env.kubectl.create(_pod("big", "node-1", resources={"requests": {"cpu": "1500m"}}))
    env.clock.run_until(2_000)
    st = env.kubectl.get("Pod", "big", "default")["status"]
    assert st["phase"] == "Failed"
    assert st["reason"] == "OutOfcpu"
    assert st["message"] == "Pod was rejected: Node didn't have enough resource: cpu, requested: 1500, used: 0, capacity: 1000"
    assert "RunPodSandbox" not in env.cri("node-1")


def test_pod_deletion_stops_containers_and_removes_sandbox() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    env.kubectl.create(_pod("web", "node-1"))
    env.clock.run_until(5_000)
    env.kubectl.delete("Pod", "web", "default")
    env.clock.run_until(6_000)
    assert env.cri("node-1")[-3:] == ["StopContainer", "StopPodSandbox", "RemovePodSandbox"]
    assert env.kubelets["node-1"].runtime.sandboxes() == []
    assert env.events("Killing") == ["Normal Killing Stopping container app"]


def test_fail_stops_heartbeats_and_recover_resumes_them() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    env.clock.run_until(15_000)
    env.kubelets["node-1"].fail()
    env.clock.run_until(60_000)
    env.kubelets["node-1"].recover()
    env.clock.run_until(75_000)
    renewals = [e.time_ms for e in ob.requests(env.trace.events, source="kubelet/node-1", verb="PUT", resource="leases",
                                               namespace="kube-node-lease")]
    assert renewals == [10_000, 60_000, 70_000]


def test_pod_ips_are_deterministic_from_pod_cidr() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["nginx:1.27"], "sizeBytes": 1000}])])
    for n in ("a", "b", "c"):
        env.kubectl.create(_pod(n, "node-1"))
    env.clock.run_until(5_000)
    ips = [env.kubectl.get("Pod", n, "default")["status"]["podIP"] for n in ("a", "b", "c")]
    assert ips == ["10.244.1.2", "10.244.1.3", "10.244.1.4"]


def test_recovered_kubelet_kills_pods_deleted_while_it_was_away() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["nginx:1.27"], "sizeBytes": 1000}])])
    env.kubectl.create(_pod("web", "node-1"))
    env.kubectl.create(_pod("keep", "node-1"))
    env.clock.run_until(5_000)
    env.kubelets["node-1"].fail()
    env.kubectl.delete("Pod", "web", "default")
    env.clock.run_until(20_000)
    assert "StopContainer" not in env.cri("node-1")  # nobody home
    env.kubelets["node-1"].recover()
    env.clock.run_until(25_000)
    stops = [(e.cri.method, e.cri.pod, e.cri.container) for e in ob.cri_calls(env.trace.events) if e.time_ms >= 20_000]
    assert ("StopContainer", "default/web", "app") in stops and ("RemovePodSandbox", "default/web", None) in stops
    assert not any(pod == "default/keep" for _, pod, _ in stops)
    assert env.kubelets["node-1"].running_pods() == ["default/keep"]


def test_kubelet_start_events_on_the_node() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    evs = [_text(e) for e in ob.kube_events(env.trace.events)]
    # kubelet.go StartingKubelet, kubelet_node_status.go recordNodeStatusEvent, container manager
    assert evs == ["Normal Starting Starting kubelet.",
                   "Normal NodeHasSufficientMemory Node node-1 status is now: NodeHasSufficientMemory",
                   "Normal NodeHasNoDiskPressure Node node-1 status is now: NodeHasNoDiskPressure",
                   "Normal NodeHasSufficientPID Node node-1 status is now: NodeHasSufficientPID",
                   "Normal NodeAllocatableEnforced Updated Node Allocatable limit across pods"]
    stored = env.kubectl.list("Event", "default")
    assert {(e["involvedObject"]["kind"], e["involvedObject"]["name"], e["involvedObject"]["uid"]) for e in stored} == {
        ("Node", "node-1", "node-1")}


def test_pull_policy_never_with_missing_image() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    env.kubectl.create(_pod("web", "node-1", imagePullPolicy="Never"))
    env.clock.run_until(3_000)
    assert env.events("ErrImageNeverPull") == [
        'Warning ErrImageNeverPull Container image "nginx:1.27" is not present with pull policy of Never']
    env.clock.run_until(25_000)  # retried every 10 s (pod worker back-off); the Event's count grows
    assert len(env.events("ErrImageNeverPull")) == 3
    ev = [e for e in env.kubectl.list("Event", "default") if e["reason"] == "ErrImageNeverPull"]
    assert len(ev) == 1 and ev[0]["count"] == 3
    st = env.kubectl.get("Pod", "web", "default")["status"]
    assert st["phase"] == "Pending"
    assert st["containerStatuses"][0]["state"]["waiting"]["reason"] == "ErrImageNeverPull"
    assert "CreateContainer" not in env.cri("node-1")


def test_recovered_node_reports_ready_again_with_a_new_transition_time() -> None:
    env = Env([_node("node-1", "10.244.1.0/24")])
    env.clock.run_until(15_000)
    env.kubelets["node-1"].fail()
    # what the node lifecycle controller does after the grace period
    node = env.kubectl.get("Node", "node-1")
    for c in node["status"]["conditions"]:
        c.update({"status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting node status.",
                  "lastTransitionTime": env.clock.timestamp(70_000)})
    env.clock.run_until(70_000)
    env.api.client("node-lifecycle-controller").update_status(node)
    env.clock.run_until(100_000)
    env.kubelets["node-1"].recover()
    ready = next(c for c in env.kubectl.get("Node", "node-1")["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("True", "KubeletReady")
    assert ready["lastTransitionTime"] == "2025-12-17T00:01:40Z"  # t = 100 s
    after = [_text(e) for e in ob.kube_events(env.trace.events) if e.time_ms == 100_000]
    assert after == ["Normal NodeHasSufficientMemory Node node-1 status is now: NodeHasSufficientMemory",
                     "Normal NodeHasNoDiskPressure Node node-1 status is now: NodeHasNoDiskPressure",
                     "Normal NodeHasSufficientPID Node node-1 status is now: NodeHasSufficientPID",
                     "Normal NodeReady Node node-1 status is now: NodeReady"]


def test_host_network_pod_gets_the_node_ip() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["nginx:1.27"], "sizeBytes": 1000}])])
    pod = _pod("hn", "node-1")
    pod["spec"]["hostNetwork"] = True
    env.kubectl.create(pod)
    env.kubectl.create(_pod("normal", "node-1"))
    env.clock.run_until(5_000)
    assert env.kubectl.get("Pod", "hn", "default")["status"]["podIP"] == "192.168.1.11"
    assert env.kubectl.get("Pod", "normal", "default")["status"]["podIP"] == "10.244.1.2"


def test_sidecar_init_container_keeps_running() -> None:
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["nginx:1.27", "busybox:1.36", "envoy:1.33"],
                                                          "sizeBytes": 1000}])])
    pod = _pod("web", "node-1")
    pod["spec"]["initContainers"] = [{"name": "proxy", "image": "envoy:1.33", "restartPolicy": "Always"},
                                     {"name": "migrate", "image": "busybox:1.36"}]
    env.kubectl.create(pod)
    env.clock.run_until(5_000)
    creates = [e.cri.container for e in ob.cri_calls(env.trace.events, method="StartContainer", pod="default/web")]
    assert creates == ["proxy", "migrate", "app"]
    st = env.kubectl.get("Pod", "web", "default")["status"]
    proxy = next(c for c in st["initContainerStatuses"] if c["name"] == "proxy")
    assert "running" in proxy["state"] and proxy["started"] is True and proxy["ready"] is True
    migrate = next(c for c in st["initContainerStatuses"] if c["name"] == "migrate")
    assert migrate["state"]["terminated"]["reason"] == "Completed"
    assert st["phase"] == "Running"
    assert {c["type"]: c["status"] for c in st["conditions"]} == {
        "PodReadyToStartContainers": "True", "Initialized": "True", "Ready": "True", "ContainersReady": "True",
        "PodScheduled": "True"}
    env.kubectl.delete("Pod", "web", "default")
    env.clock.run_until(7_000)
    stops = [e.cri.container for e in ob.cri_calls(env.trace.events, method="StopContainer", pod="default/web")]
    assert stops == ["app", "proxy"]


def test_pod_requests_with_init_and_sidecar_containers() -> None:
    from k8sdocs.model.kubelet import pod_requests

    pod = {"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "200m", "memory": "100Mi"}}},
                                   {"name": "b", "resources": {"limits": {"cpu": "300m"}}}],
                    "initContainers": [{"name": "big", "resources": {"requests": {"cpu": "1", "memory": "10Mi"}}}]}}
    # max(sum(containers) = 500m, init 1000m); limits default the request of "b"
    assert pod_requests(pod) == {"cpu": 1000, "memory": 100 * 1024 * 1024}
    pod["spec"]["initContainers"].insert(0, {"name": "side", "restartPolicy": "Always",
                                             "resources": {"requests": {"cpu": "100m"}}})
    # the sidecar runs next to the init container and next to the containers (KEP-753)
    assert pod_requests(pod)["cpu"] == 1100


def test_pod_status_observed_generation() -> None:
    # PodObservedGenerationTracking is GA in v1.35 (pkg/features/kube_features.go)
    env = Env([_node("node-1", "10.244.1.0/24", images=[{"names": ["nginx:1.27"], "sizeBytes": 1000}])])
    env.kubectl.create(_pod("web", "node-1"))
    env.clock.run_until(3_000)
    pod = env.kubectl.get("Pod", "web", "default")
    gen = pod["metadata"].get("generation")
    if gen is None:
        pytest.skip("the API server does not set metadata.generation on pods")
    assert pod["status"]["observedGeneration"] == gen
    assert {c.get("observedGeneration") for c in pod["status"]["conditions"]} == {gen}
