"""Scenario files: parsing, validation errors that name file and step, and step execution via a Client."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.cluster import Cluster
from k8sdocs.model.scenario import ScenarioError, apply_objects, load_scenario, parse_duration_ms, schedule_steps
from k8sdocs.model.trace import APIRequest, Trace

DEPLOY = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: nginx
            image: nginx:1.27
    """
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("text", "ms"),
    [("0", 0), ("250ms", 250), ("5s", 5000), ("1m30s", 90_000), ("1.5s", 1500), ("2h", 7_200_000), (40, 40)],
)
def test_durations_follow_go_parse_duration(text, ms):
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("bad", ["5x", "", "s", "-1s", "1.0001s", True])
def test_bad_durations_are_rejected(bad):
    with pytest.raises(ValueError):
        parse_duration_ms(bad)


def test_scenario_with_files_parses_and_runs(tmp_path):
    write(tmp_path, "deploy.yaml", DEPLOY)
    sc = write(
        tmp_path,
        "sc.yaml",
        """\
        name: escalado
        seed: 7
        manifests: |
          apiVersion: v1
          kind: Node
          metadata: {name: node-1}
          status: {allocatable: {cpu: "2", memory: 4Gi, pods: "110"}}
        steps:
          - {at: 0s, action: apply, manifests: [deploy.yaml]}
          - {at: 5s, action: scale, name: web, replicas: 3}
          - {at: 1m, action: fail-node, node: node-1}
          - {at: 2m, action: advance}
        """,
    )
    s = load_scenario(sc)
    assert (s.name, s.seed, s.until_ms) == ("escalado", 7, 120_000)
    assert [(st.index, st.at_ms, st.action) for st in s.steps] == [
        (1, 0, "apply"), (2, 5000, "scale"), (3, 60_000, "fail-node"), (4, 120_000, "advance"),
    ]
    clock = Clock()
    trace = Trace(clock)
    api = APIServer(clock, trace, seed=s.seed)
    kubectl = api.client("kubectl")
    apply_objects(kubectl, s.manifests)
    failed: list[tuple[str, int]] = []
    schedule_steps(s, clock, kubectl, fail_node=lambda n: failed.append((n, clock.now_ms)))
    clock.run_until(s.until_ms)
    assert kubectl.get("Deployment", "web")["spec"]["replicas"] == 3
    assert failed == [("node-1", 60_000)]
    requests = [(e.time_ms, e.api) for e in trace.filter(kind="request", source="kubectl")]
    assert (0, APIRequest("POST", "apps", "v1", "deployments", "default")) in requests
    assert (5000, APIRequest("PATCH", "apps", "v1", "deployments", "default", "web", "scale")) in requests


@pytest.mark.parametrize(
    ("body", "where", "cause"),
    [
        ("steps:\n  - {at: 1s, action: advance}\n", "name", "required"),
        ("name: x\nsteps:\n  - {at: 1s, action: advance}\n  - {at: 2s, action: jump}\n", "step 2", "unknown action 'jump'"),
        ("name: x\nsteps:\n  - {at: 5s, action: advance}\n  - {at: 1s, action: advance}\n", "step 2", "time order"),
        ("name: x\nsteps:\n  - {at: 5parsecs, action: advance}\n", "step 1", 'time: unknown unit "parsecs" in duration "5parsecs"'),  # Go time.ParseDuration
        ("name: x\nsteps:\n  - {at: 1s, action: scale, name: web, replicas: -2}\n", "step 1", "replicas"),
        ("name: x\nsteps:\n  - {at: 1s, action: scale, name: web}\n", "step 1", 'missing field "replicas"'),
        ("name: x\nsteps:\n  - {at: 1s, action: fail-node, node: Node_1}\n", "step 1", "invalid node name"),
        ("name: x\nsteps:\n  - {action: advance}\n", "step 1", 'missing field "at"'),
        ("name: x\nsteps:\n  - {at: 1s, action: apply, manifests: [missing.yaml]}\n", "step 1: manifests[0]", "file not found"),
        ("name: x\nseed: abc\n", "seed", "integer"),
        ("name: x\ncolour: blue\n", "colour", 'unknown field "colour"'),
    ],
)
def test_bad_scenarios_name_file_step_and_cause(tmp_path, body, where, cause):
    p = write(tmp_path, "bad.yaml", body)
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    text = str(e.value)
    assert text.startswith(f"{p}: {where}: "), text
    assert cause in text


def test_manifest_errors_inside_a_scenario_keep_document_and_field(tmp_path):
    write(tmp_path, "pods.yaml", "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\napiVersion: v1\nkind: Foo\nmetadata: {name: a}\n")
    p = write(tmp_path, "bad.yaml", "name: x\nsteps:\n  - {at: 0s, action: apply, manifests: [pods.yaml]}\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert str(e.value) == f'{p}: step 1: manifests: pods.yaml: document 2: kind: no matches for kind "Foo" in version "v1"'
    assert e.value.step == 1


def test_reapply_keeps_live_fields_and_changes_the_rest():
    clock = Clock()
    api = APIServer(clock, Trace(clock))
    k = api.client("kubectl")
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "labels": {"a": "1"}},
           "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}
    (first,) = apply_objects(k, [svc])
    svc2 = {**svc, "spec": {**svc["spec"], "ports": [{"port": 8080}]}}
    (second,) = apply_objects(k, [svc2])
    assert second["spec"]["clusterIP"] == first["spec"]["clusterIP"]
    assert [p["port"] for p in second["spec"]["ports"]] == [8080]
    assert second["metadata"]["uid"] == first["metadata"]["uid"]
    (third,) = apply_objects(k, [svc2])
    assert third["metadata"]["resourceVersion"] == second["metadata"]["resourceVersion"]  # no-op apply


def test_scenario_yaml_errors_and_duplicate_keys_name_the_line(tmp_path):
    p = write(tmp_path, "dup.yaml", "name: x\nseed: 1\nseed: 2\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert str(e.value) == f'{p}: line 3, column 1: key "seed" already set in map'


# -- issue #12: a Node in a scenario states its machine's resources (no silent 2 CPU / 4Gi / 110 pods) ---------------
NODE_REQUIRED = (
    "Required value: a Node in a scenario is a machine: state its resources in status.allocatable "
    "(or status.capacity, which allocatable defaults to) with cpu, memory and pods; the model invents none"
)


def test_node_without_allocatable_is_one_line_naming_file_document_and_field(tmp_path):
    write(tmp_path, "nodes.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
                                  "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n")
    p = write(tmp_path, "s.yaml", "name: x\nmanifests: [nodes.yaml]\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert str(e.value) == f"{p}: manifests: nodes.yaml: document 2: status.allocatable: {NODE_REQUIRED}"


def test_node_allocatable_must_name_cpu_memory_and_pods(tmp_path):
    p = write(tmp_path, "s.yaml", "name: x\nmanifests: |\n  apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n"
                                  "  status: {allocatable: {cpu: '2', memory: 4Gi}}\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert str(e.value) == f"{p}: manifests: inline: document 1: status.allocatable.pods: {NODE_REQUIRED}"


def test_node_with_capacity_only_is_accepted_and_reports_it_as_allocatable(tmp_path):
    """SetDefaults_NodeStatus: a missing allocatable is a copy of capacity (pkg/apis/core/v1/defaults.go)."""
    p = write(tmp_path, "s.yaml", "name: x\nuntil: 1s\nmanifests: |\n  apiVersion: v1\n  kind: Node\n"
                                  "  metadata: {name: n1}\n  status: {capacity: {cpu: '3', memory: 6Gi, pods: '7'}}\n")
    run = Cluster.from_scenario(p).run()
    assert run.get("Node", "n1")["status"]["allocatable"] == {"cpu": "3", "memory": "6Gi", "pods": "7"}


def test_reapplying_a_declared_node_needs_no_resources(tmp_path):
    """A later ``apply`` of a Node the scenario already declared is an update of that Node, not a new machine."""
    write(tmp_path, "n1.yaml", "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"
                               "status: {allocatable: {cpu: '2', memory: 4Gi, pods: '110'}}\n")
    write(tmp_path, "n1-label.yaml", "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {tier: web}}\n")
    p = write(tmp_path, "s.yaml", "name: x\nmanifests: [n1.yaml]\nsteps:\n  - {at: 1s, action: apply, manifests: [n1-label.yaml]}\n")
    assert load_scenario(p).steps[0].objects[0]["metadata"]["labels"] == {"tier": "web"}
    write(tmp_path, "n2.yaml", "apiVersion: v1\nkind: Node\nmetadata: {name: n2}\n")
    q = write(tmp_path, "t.yaml", "name: x\nmanifests: [n1.yaml]\nsteps:\n  - {at: 1s, action: apply, manifests: [n2.yaml]}\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(q)
    assert str(e.value) == f"{q}: step 1: manifests: n2.yaml: document 1: status.allocatable: {NODE_REQUIRED}"
