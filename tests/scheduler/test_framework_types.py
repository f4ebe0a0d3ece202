"""PodInfo/NodeInfo request accounting against upstream types_test.go TestPodInfoCalculateResources semantics and
component-helpers resource.PodRequests (init containers, sidecars, overhead)."""

from k8sdocs.model.scheduler.framework import NodeInfo, PodInfo


def _pod(containers=(), init=(), overhead=None, node=""):
    spec = {"containers": list(containers), "initContainers": list(init)}
    if overhead:
        spec["overhead"] = overhead
    if node:
        spec["nodeName"] = node
    return {"metadata": {"name": "p", "namespace": "default"}, "spec": spec}


def _c(requests=None, restart=None):
    c = {"name": "c", "resources": {"requests": requests} if requests is not None else {}}
    if restart:
        c["restartPolicy"] = restart
    return c


def test_requestless_container_gets_non_zero_defaults_only():
    pi = PodInfo.from_pod(_pod([_c()]))
    assert (pi.requests.milli_cpu, pi.requests.memory) == (0, 0)
    assert (pi.non0_cpu, pi.non0_mem) == (100, 200 * 1024 * 1024)  # pod_resources.go defaults


def test_explicit_zero_stays_zero_and_no_containers_adds_nothing():
    pi = PodInfo.from_pod(_pod([_c({"cpu": "0", "memory": "0"})]))
    assert (pi.non0_cpu, pi.non0_mem) == (0, 0)
    assert (PodInfo.from_pod(_pod()).non0_cpu, PodInfo.from_pod(_pod()).non0_mem) == (0, 0)


def test_init_max_sidecars_and_overhead():
    # regular: 1 cpu; sidecar 500m (adds to regular and to later init containers); init 2 cpu -> 2.5 cpu
    pod = _pod(
        [_c({"cpu": "1"})],
        [_c({"cpu": "500m"}, restart="Always"), _c({"cpu": "2"})],
        overhead={"cpu": "250m"},
    )
    assert PodInfo.from_pod(pod).requests.milli_cpu == 2500 + 250


def test_node_info_add_remove():
    node = {"metadata": {"name": "n1"}, "status": {"allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"}}}
    ni = NodeInfo.from_node(node)
    assert (ni.allocatable.milli_cpu, ni.allocatable.memory, ni.allocatable.allowed_pod_number) == (4000, 32 * 2**30, 110)
    pi = PodInfo.from_pod(_pod([_c({"cpu": "100m", "memory": "500Mi"})], node="n1"))
    ni.add_pod(pi)
    assert (ni.requested.milli_cpu, ni.requested.memory, len(ni.pods)) == (100, 500 * 2**20, 1)
    assert ni.remove_pod("default/p") is pi
    assert (ni.requested.milli_cpu, ni.requested.memory, ni.non_zero_requested.milli_cpu) == (0, 0, 0)
