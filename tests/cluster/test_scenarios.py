"""End-to-end runs of the scenarios in docs/escenarios/ (the same files the pages use)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from k8sdocs.content.components import talks_to
from k8sdocs.model import observe as ob
from k8sdocs.model.cluster import Cluster
from k8sdocs.model.scenario import ScenarioError

from .conftest import SCENARIOS, require_components, scenario_run

# staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go alphabet; pod-template-hash uses SafeEncodeString digits
SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]{5}"
HASH = "[bcdfghjklmnpqrstvwxz2456789]{1,10}"


def _index(events, found):
    """Position in the trace of the first event a query found."""
    assert found, "no matching trace event"
    return events.index(found[0])


def test_only_the_api_server_talks_to_etcd() -> None:
    run = scenario_run("despliegue-basico.yaml")
    etcd = [e for e in run.events if "etcd" in (e.source, e.target)]
    assert etcd, "the scenario writes to etcd"
    assert {(e.source, e.target) for e in etcd} == {("kube-apiserver", "etcd")}


def test_etcd_keys_follow_upstream_layout() -> None:
    require_components()
    run = scenario_run("despliegue-basico.yaml")
    keys = run.etcd_keys()
    for node in ("node-1", "node-2", "node-3"):
        assert f"/registry/minions/{node}" in keys
        assert f"/registry/leases/kube-node-lease/{node}" in keys
    assert "/registry/services/specs/default/nginx" in keys
    assert "/registry/deployments/default/nginx" in keys
    assert "/registry/namespaces/kube-node-lease" in keys
    rs = [k for k in keys if k.startswith("/registry/replicasets/")]
    assert len(rs) == 1 and re.fullmatch(rf"/registry/replicasets/default/nginx-{HASH}", rs[0]), rs
    pods = [k for k in keys if k.startswith("/registry/pods/")]
    assert len(pods) == 3 and all(re.fullmatch(rf"{rs[0].replace('replicasets', 'pods')}-{SUFFIX}", k) for k in pods), pods
    assert any(re.fullmatch(rf"/registry/endpointslices/default/nginx-{SUFFIX}", k) for k in keys)


def test_apply_deployment_reaches_ready_in_upstream_order() -> None:
    require_components()
    run = scenario_run("despliegue-basico.yaml")
    ev = run.events
    i_deploy = _index(ev, ob.requests(ev, source="kubectl", verb="POST", resource="deployments", namespace="default",
                                      name=None))
    i_rs = _index(ev, ob.requests(ev, source="deployment-controller", verb="POST", resource="replicasets",
                                  namespace="default", name=None))
    i_pod = _index(ev, ob.requests(ev, source="replicaset-controller", verb="POST", resource="pods", namespace="default",
                                   name=None))
    i_bind = _index(ev, ob.requests(ev, source="kube-scheduler", subresource="binding"))
    pod = ev[i_bind].api.name
    node = ev[i_bind].get("node")
    # one replica per node: every CRI call on that node after start-up (Version) is for this pod
    cri = [ev.index(e) for e in ob.cri_calls(ev, node=node) if e.cri.method != "Version"]
    assert ev[cri[0]].cri.pod == f"default/{pod}"
    methods = [ev[i].cri.method for i in cri]
    assert methods[:6] == ["RunPodSandbox", "PodSandboxStatus", "ImageStatus", "PullImage", "CreateContainer", "StartContainer"]
    assert all(ev[i].target == f"container-runtime/{node}" and ev[i].source == f"kubelet/{node}" for i in cri)
    i_ready = _index(ev, ob.requests(ev, source=f"kubelet/{node}", verb="PATCH", resource="pods", namespace="default",
                                     name=pod, subresource="status", after=ev[cri[-1]].seq))
    assert i_deploy < i_rs < i_pod < i_bind < cri[0] < cri[-1] < i_ready
    pods = run.objects_of("Pod")
    assert len(pods) == 3
    for p in pods:
        assert p["status"]["phase"] == "Running"
        assert {c["type"]: c["status"] for c in p["status"]["conditions"]}["Ready"] == "True"
    # three identical empty nodes: spreading and least-allocated scoring put one replica on each
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["node-1", "node-2", "node-3"]
    # v1.35 event wording (k8s-facts §2.4)
    texts = [f"{e.note.type} {e.note.reason} {e.note.message}" for e in ob.kube_events(ev)]
    assert any(re.fullmatch(rf"Normal ScalingReplicaSet Scaled up replica set nginx-{HASH} from 0 to 3", t) for t in texts)
    assert sum(bool(re.fullmatch(rf"Normal Scheduled Successfully assigned default/nginx-{HASH}-{SUFFIX} to node-[123]", t))
               for t in texts) == 3
    assert texts.count('Normal Pulling Pulling image "nginx:1.27"') == 3


def test_kubelet_only_receives_its_own_pods() -> None:
    require_components()
    run = scenario_run("despliegue-basico.yaml")
    where = {p["metadata"]["name"]: p["spec"]["nodeName"] for p in run.objects_of("Pod")}
    for e in run.events:
        if e.kind == "watch" and e.receiver.component == "kubelet" and e.obj.kind == "Pod":
            assert where.get(e.obj.name) == e.receiver.instance, e.to_line()


def test_each_node_programs_the_service_in_iptables() -> None:
    require_components()
    run = scenario_run("despliegue-basico.yaml")
    assert sorted(run.iptables) == ["node-1", "node-2", "node-3"]
    for rules in run.iptables.values():
        assert '-A KUBE-SERVICES -m comment --comment "default/nginx:http cluster IP"' in rules
        assert rules.count("-j KUBE-SEP-") >= 3


def test_habla_con_is_derived_from_the_trace() -> None:
    require_components()
    peers = talks_to(scenario_run("despliegue-basico.yaml").events)
    assert peers["kube-apiserver"] == ("etcd",)
    assert peers["etcd"] == ()
    assert peers["kube-scheduler"] == ("kube-apiserver",)
    assert peers["kube-controller-manager"] == ("kube-apiserver",)
    assert peers["cloud-controller-manager"] == ("kube-apiserver", "API del proveedor de nube")
    assert peers["kubelet"] == ("kube-apiserver", "container runtime")
    assert peers["kube-proxy"] == ("kube-apiserver", "iptables (núcleo del nodo)")
    assert peers["container runtime"] == ()


def test_failed_node_pods_are_evicted_after_grace_plus_300s_and_replaced() -> None:
    require_components()
    run = scenario_run("nodo-falla.yaml")
    ev = run.events
    renewals = [e.time_ms for e in ob.requests(ev, source="kubelet/node-2", verb="PUT", resource="leases",
                                               namespace="kube-node-lease", name="node-2", subresource=None)]
    last = renewals[-1]
    assert last == 60_000  # renewed every 10 s; the step stops it at 65 s
    binds = [(e.api.name, e.get("node"), e.time_ms) for e in ob.requests(ev, source="kube-scheduler", subresource="binding")]
    victims = [p for p, n, t in binds if n == "node-2" and t < 65_000]
    assert len(victims) == 1
    deletion = ob.requests(ev, verb="DELETE", resource="pods", namespace="default", name=victims[0])[0]
    # node lifecycle controller (node_lifecycle_controller.go): heartbeats are observed at monitor ticks
    # (--node-monitor-period 5 s); Ready=Unknown once now > probe + grace (50 s since v1.32); the NoExecute taint is
    # queued by processTaintBaseEviction on the NEXT pass (it switches on the condition observed before the update)
    # and added by doNoExecuteTaintingPass (every 100 ms); taint-based eviction deletes the pod when its
    # tolerationSeconds (300, DefaultTolerationSeconds) run out, counted from the taint's timeAdded.
    unknown = next(e for e in ob.requests(ev, source="node-lifecycle-controller", verb="PUT", resource="nodes",
                                          name="node-2", subresource="status") if e.time_ms > 65_000)
    assert last + 50_000 < unknown.time_ms <= last + 5_000 + 50_000 + 5_000
    node2 = run.get("Node", "node-2")
    taints = {(t["key"], t["effect"]): t for t in node2["spec"]["taints"]}
    assert ("node.kubernetes.io/unreachable", "NoSchedule") in taints
    added = taints[("node.kubernetes.io/unreachable", "NoExecute")]["timeAdded"]
    added_ms = (int(added[11:13]) * 3600 + int(added[14:16]) * 60 + int(added[17:19])) * 1000  # epoch at 00:00:00
    assert unknown.time_ms < added_ms + 1_000 and added_ms <= unknown.time_ms + 5_000 + 100
    assert added_ms + 300_000 <= deletion.time_ms < added_ms + 300_000 + 1_000
    assert 60_000 + 50_000 + 300_000 <= deletion.time_ms <= 60_000 + 5_000 + 50_000 + 5_000 + 5_000 + 100 + 300_000
    replacements = [(p, n) for p, n, t in binds if t > deletion.time_ms]
    assert len(replacements) == 1 and replacements[0][1] in ("node-1", "node-3")
    pods = run.objects_of("Pod")
    assert len(pods) == 3 and all(p["spec"]["nodeName"] != "node-2" for p in pods)
    assert all(p["status"]["phase"] == "Running" for p in pods)


def test_rolling_update_replaces_all_pods() -> None:
    require_components()
    run = scenario_run("actualizacion-progresiva.yaml")
    pods = run.objects_of("Pod")
    assert len(pods) == 4
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.27"}
    rss = run.objects_of("ReplicaSet")
    assert sorted(rs["spec"]["replicas"] for rs in rss) == [0, 4]


def test_ccm_initialization_gates_scheduling() -> None:
    require_components()
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"},
            "spec": {"taints": [{"key": "node.cloudprovider.kubernetes.io/uninitialized", "value": "true",
                                 "effect": "NoSchedule"}]},
            "status": {"capacity": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
           "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}
    cluster = Cluster([node, pod], seed=3)
    cluster.cloud.latency_ms["InstanceMetadata"] = 5_000  # a slow cloud API
    run = cluster.run(20_000)
    ev = run.events
    untaint = ob.requests(ev, source="cloud-node-controller", verb="PUT", resource="nodes", name="node-1",
                          subresource=None)[0]
    bind = ob.requests(ev, source="kube-scheduler", resource="pods", name="web", subresource="binding")[0]
    assert untaint.time_ms >= 5_000
    assert bind.time_ms >= untaint.time_ms
    failed = [f"{e.note.type} {e.note.reason} {e.note.message}" for e in ob.kube_events(ev, reason="FailedScheduling")]
    # v1.35 TaintToleration reason (PR #134740): "node(s) had untolerated taint(s)"; UnschedulableAndUnresolvable
    assert failed and failed[0] == ("Warning FailedScheduling 0/1 nodes are available: 1 node(s) had untolerated taint(s). "
                                    "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")
    assert run.get("Pod", "web", "default")["spec"]["nodeName"] == "node-1"


def test_same_scenario_gives_byte_identical_trace() -> None:
    a = Cluster.from_scenario(SCENARIOS / "nodo-falla.yaml").run()
    b = Cluster.from_scenario(SCENARIOS / "nodo-falla.yaml").run()
    assert a.trace_text == b.trace_text
    assert len(a.trace_text) > 10_000


def test_bad_step_names_the_file_and_step(tmp_path: Path) -> None:
    f = tmp_path / "malo.yaml"
    (tmp_path / "nodos.yaml").write_text((SCENARIOS / "manifiestos" / "tres-nodos.yaml").read_text())
    f.write_text("name: malo\nmanifests: [nodos.yaml]\nsteps:\n  - {at: 1s, action: advance}\n"
                 "  - {at: 2s, action: fail-node, node: node-9}\n")
    with pytest.raises(ScenarioError) as err:
        Cluster.from_scenario(f).run()
    assert str(err.value).startswith(f"{f}: step 2: ")
    assert "node-9" in str(err.value)


def test_unparseable_step_names_the_file_and_step(tmp_path: Path) -> None:
    f = tmp_path / "malo.yaml"
    f.write_text("name: malo\nsteps:\n  - {at: 1s, action: advance}\n  - {at: 2s, action: explode}\n")
    with pytest.raises(ScenarioError, match=rf"^{re.escape(str(f))}: step 2: unknown action 'explode'"):
        Cluster.from_scenario(f)


def test_delete_of_missing_object_names_the_step(tmp_path: Path) -> None:
    f = tmp_path / "borra.yaml"
    f.write_text("name: borra\nsteps:\n  - {at: 1s, action: delete, kind: Pod, name: nada}\n")
    with pytest.raises(ScenarioError, match=rf"^{re.escape(str(f))}: step 1: delete: .*pods \"nada\" not found"):
        Cluster.from_scenario(f).run()


@pytest.mark.parametrize("name", ["despliegue-basico.yaml", "nodo-falla.yaml", "actualizacion-progresiva.yaml",
                                  "nodo-sin-inicializar.yaml", "planificacion.yaml"])
def test_scenario_manifests_validate_against_v1_35_schema(name: str) -> None:
    import kubernetes_validate
    import yaml

    from k8sdocs.model.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / name)
    objs = list(scenario.manifests) + [o for s in scenario.steps for o in s.objects]
    assert objs
    for obj in objs:
        kubernetes_validate.validate(yaml.safe_load(yaml.safe_dump(obj)), "1.35.0", strict=True)


def test_planificacion_pod_fits_one_node_and_other_is_unschedulable() -> None:
    require_components()
    run = scenario_run("planificacion.yaml")
    assert run.get("Pod", "cabe-en-uno", "default")["spec"]["nodeName"] == "node-a"
    big = run.get("Pod", "demasiado-grande", "default")
    assert not big["spec"].get("nodeName")
    cond = next(c for c in big["status"]["conditions"] if c["type"] == "PodScheduled")
    assert (cond["status"], cond["reason"]) == ("False", "Unschedulable")
    # reasons sorted as plain strings; v1.35 taint reason; preemption: the taint is UnschedulableAndUnresolvable,
    # and no victim can free 16 CPU (all nodes smaller) -> not helpful either (scheduler-facts §preemption)
    assert cond["message"].startswith("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
                                      "preemption: 0/3 nodes are available: ")


def test_run_keeps_the_scheduler_results() -> None:
    require_components()
    run = scenario_run("planificacion.yaml")
    by_pod: dict[str, list] = {}
    for r in run.schedule_results:
        by_pod.setdefault(r.pod, []).append(r)
    assert "default/base-de-datos" not in by_pod  # spec.nodeName set: never queued
    fit = by_pod["default/cabe-en-uno"][-1]
    assert fit.selected_node == "node-a"
    assert fit.feasible_nodes == ("node-a",)
    big = by_pod["default/demasiado-grande"][0]
    assert big.selected_node is None and big.message.startswith("0/3 nodes are available: ")


def test_apply_step_with_node_joins_a_machine_or_updates_an_existing_node(tmp_path: Path) -> None:
    require_components()
    (tmp_path / "n1.yaml").write_text("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n"
                                      "status:\n  capacity: {cpu: '2', memory: 4Gi, pods: '110'}\n")
    (tmp_path / "n1-taint.yaml").write_text("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  labels: {tier: web}\n"
                                            "spec:\n  taints:\n  - {key: dedicated, value: db, effect: NoSchedule}\n")
    (tmp_path / "n2.yaml").write_text("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-2\n"
                                      "status:\n  capacity: {cpu: '2', memory: 4Gi, pods: '110'}\n")
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                                       "  containers:\n  - {name: c, image: 'nginx:1.27'}\n")
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nuntil: 20s\nmanifests: [n1.yaml]\nsteps:\n"
                 "  - {at: 1s, action: apply, manifests: [n1-taint.yaml]}\n"
                 "  - {at: 2s, action: apply, manifests: [n2.yaml]}\n"
                 "  - {at: 3s, action: apply, manifests: [pod.yaml]}\n")
    run = Cluster.from_scenario(f).run()
    n1 = run.get("Node", "node-1")
    assert n1["metadata"]["labels"]["tier"] == "web"
    assert n1["spec"]["podCIDR"] == "10.244.0.0/24"  # kept by the apply
    assert run.get("Node", "node-2")["spec"]["podCIDR"] == "10.244.1.0/24"
    assert run.get("Pod", "p", "default")["spec"]["nodeName"] == "node-2"  # node-1 is tainted now


def test_deleted_node_does_not_break_its_kubelet(tmp_path: Path) -> None:
    (tmp_path / "n1.yaml").write_text("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n"
                                      "status:\n  allocatable: {cpu: '2', memory: 4Gi, pods: '110'}\n")
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nuntil: 30s\nmanifests: [n1.yaml]\nsteps:\n  - {at: 5s, action: delete, kind: Node, name: node-1}\n")
    run = Cluster.from_scenario(f).run()
    assert run.get("Node", "node-1") is None
    assert "/registry/minions/node-1" not in run.etcd_keys()


def test_run_carries_the_store_history_in_revision_order() -> None:
    run = scenario_run("despliegue-basico.yaml")
    revisions = [ev.revision for ev in run.history]
    assert revisions == sorted(revisions) and len(set(revisions)) == len(revisions)
    etcd_writes = [e for e in run.events if e.kind == "etcd"]
    # the start-up writes (system namespaces, PriorityClasses, each namespace's default ServiceAccount and kube-root-ca.crt) come before the traced ones
    traced = run.history[len(run.history) - len(etcd_writes):]
    assert [ev.kv.key for ev in traced] == [e.etcd_key for e in etcd_writes]
    assert all(ev.kv.key.startswith(("/registry/namespaces/", "/registry/priorityclasses/",
                                     "/registry/serviceaccounts/", "/registry/configmaps/"))
               for ev in run.history[:len(run.history) - len(etcd_writes)])


def test_trace_does_not_depend_on_hash_randomization() -> None:
    import hashlib
    import os
    import subprocess
    import sys

    code = ("import hashlib, sys; from k8sdocs.model.cluster import Cluster; "
            "print(hashlib.sha256(Cluster.from_scenario(sys.argv[1]).run().trace_text.encode()).hexdigest())")
    path = str(SCENARIOS / "despliegue-basico.yaml")
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", code, path], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    digests.add(hashlib.sha256(scenario_run("despliegue-basico.yaml").trace_text.encode()).hexdigest())
    assert len(digests) == 1


def test_rolling_update_keeps_surge_and_unavailability_limits() -> None:
    require_components()
    run = scenario_run("actualizacion-progresiva.yaml")
    # 4 replicas with maxSurge 25% (rounded up: 1) and maxUnavailable 25% (rounded down: 1), k8s-facts §4.2
    pods: dict[str, bool] = {}
    started = False
    worst_total, worst_ready = 0, 4
    for ev in run.history:
        if not ev.kv.key.startswith("/registry/pods/default/web-"):
            continue
        name = ev.kv.key.rsplit("/", 1)[1]
        if ev.type == "DELETE":
            pods.pop(name, None)
        else:
            conds = {c["type"]: c["status"] for c in (ev.kv.value.get("status") or {}).get("conditions", [])}
            pods[name] = conds.get("Ready") == "True"
            if ev.kv.value["spec"]["containers"][0]["image"] == "nginx:1.27":
                started = True
        if started:
            worst_total = max(worst_total, len(pods))
            worst_ready = min(worst_ready, sum(pods.values()))
    assert started
    assert worst_total <= 4 + 1
    assert worst_ready >= 4 - 1
    assert (worst_total, worst_ready) == (5, 3)  # the rollout uses both allowances


def test_a_run_keeps_its_scenario_and_the_files_each_step_applied() -> None:
    run = scenario_run("nodo-falla.yaml")
    scenario = run.scenario
    assert scenario.name == "nodo-falla" and scenario.seed == run.seed
    assert [src.file for src in scenario.manifest_sources] == ["manifiestos/tres-nodos.yaml"]
    assert [(s.action, s.files) for s in scenario.steps] == [("apply", ("manifiestos/nginx-deployment.yaml",)),
                                                             ("fail-node", ())]
    assert scenario.files() == ["manifiestos/tres-nodos.yaml", "manifiestos/nginx-deployment.yaml"]
    step = scenario.steps[0]
    assert [o["kind"] for o in step.objects] == [o["kind"] for src in step.sources for o in src.objects]
    assert {o["kind"] for o in step.objects} == {"Deployment", "Service"}


def test_inline_manifests_are_a_source_without_a_file(tmp_path: Path) -> None:
    from k8sdocs.model.scenario import parse_scenario

    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n")
    text = ("name: x\nsteps:\n"
            "  - {at: 1s, action: apply, manifests: [cm.yaml]}\n"
            "  - at: 2s\n    action: apply\n    manifests: |\n"
            "      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: b}\n"
            "  - {at: 3s, action: apply, manifests: [cm.yaml]}\n")
    scenario = parse_scenario(text, "x.yaml", tmp_path)
    assert [s.files for s in scenario.steps] == [("cm.yaml",), (), ("cm.yaml",)]
    assert [src.file for src in scenario.sources()] == ["cm.yaml", None, "cm.yaml"]
    assert scenario.files() == ["cm.yaml"]  # named twice, listed once
    assert [o["metadata"]["name"] for o in scenario.all_objects()] == ["a", "b", "a"]
    run = Cluster.from_parsed(scenario).run()
    assert run.scenario is scenario


def test_a_cluster_built_from_objects_has_a_scenario_without_files() -> None:
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"},
            "status": {"allocatable": {"cpu": "1", "memory": "1Gi", "pods": "10"}}}
    run = Cluster([node], seed=3, name="objetos", until_ms=1000).run()
    assert run.scenario.name == "objetos" and run.scenario.seed == 3
    assert [o["metadata"]["name"] for o in run.scenario.manifests] == ["n"]
    assert run.scenario.files() == [] and run.scenario.sources() == []
