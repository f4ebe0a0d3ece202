"""Admission and defaulting on create, with values from upstream sources.

pkg/apis/core/v1/defaults.go (SetDefaults_Pod/PodSpec/Container), pkg/apis/apps/v1/defaults.go
@a79f3c787d204848670cdf3e424107053ffcea3e, plugin/pkg/admission/defaulttolerationseconds/admission.go,
plugin/pkg/admission/priority/admission.go, pkg/apis/scheduling/types.go, staging/src/k8s.io/apiserver/pkg/storage/names/generate.go.
"""

from __future__ import annotations

import re

import pytest

from k8sdocs.model.admission import image_pull_policy_default
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import Trace


def api(seed: int = 0) -> APIServer:
    clock = Clock()
    return APIServer(clock, Trace(clock), seed=seed)


def pod(name: str = "web-1", **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}], **spec},
    }


NOT_READY = {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
UNREACHABLE = {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}


def test_pod_spec_defaults():
    p = api().client("kubectl").create(pod())
    spec = p["spec"]
    assert spec["restartPolicy"] == "Always"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["schedulerName"] == "default-scheduler"
    assert spec["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert spec["containers"][0]["terminationMessagePath"] == "/dev/termination-log"
    assert p["metadata"]["namespace"] == "default"
    assert p["status"] == {"phase": "Pending", "qosClass": "BestEffort"}


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.27", "IfNotPresent"),
        ("registry.local:5000/nginx", "Always"),  # the colon belongs to the registry port, no tag
        ("registry.local:5000/nginx:1.2", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "a" * 64, "Always"),
    ],
)
def test_image_pull_policy_rule(image, policy):
    assert image_pull_policy_default(image) == policy


def test_limits_without_requests_default_requests_and_qos_guaranteed():
    p = api().client("kubectl").create(
        pod(containers=[{"name": "c", "image": "nginx:1.27", "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}}}])
    )
    assert p["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "500m", "memory": "128Mi"}
    assert p["status"]["qosClass"] == "Guaranteed"


def test_default_toleration_seconds_added():
    p = api().client("kubectl").create(pod())
    assert p["spec"]["tolerations"] == [NOT_READY, UNREACHABLE]


@pytest.mark.parametrize(
    ("given", "added"),
    [
        ([{"operator": "Exists"}], []),  # tolerates everything
        ([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}], [UNREACHABLE]),
        ([{"key": "node.kubernetes.io/unreachable", "operator": "Exists"}], [NOT_READY]),  # empty effect matches
        ([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"}], [NOT_READY, UNREACHABLE]),
    ],
)
def test_default_toleration_seconds_respects_existing(given, added):
    p = api().client("kubectl").create(pod(tolerations=given))
    assert p["spec"]["tolerations"] == given + added


def test_priority_zero_without_default_class():
    assert api().client("kubectl").create(pod())["spec"]["priority"] == 0


def test_priority_from_global_default_and_named_class():
    k = api().client("kubectl")
    k.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "normal"},
              "value": 1000, "globalDefault": True})
    k.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "batch"},
              "value": -5, "preemptionPolicy": "Never"})
    a = k.create(pod("a"))
    assert (a["spec"]["priority"], a["spec"]["priorityClassName"], a["spec"]["preemptionPolicy"]) == (1000, "normal", "PreemptLowerPriority")
    b = k.create(pod("b", priorityClassName="batch"))
    assert (b["spec"]["priority"], b["spec"]["preemptionPolicy"]) == (-5, "Never")
    c = k.create(pod("c", priorityClassName="system-node-critical"))
    assert c["spec"]["priority"] == 2000001000


def test_unknown_priority_class_is_forbidden():
    with pytest.raises(APIError) as e:
        api().client("kubectl").create(pod(priorityClassName="gold"))
    assert e.value.code == 403
    assert str(e.value) == 'pods "web-1" is forbidden: no PriorityClass with name gold was found'


def test_explicit_priority_that_disagrees_is_forbidden():
    with pytest.raises(APIError) as e:
        api().client("kubectl").create(pod(priority=7))
    assert str(e.value) == (
        'pods "web-1" is forbidden: the integer value of priority (7) must not be provided in pod spec; '
        "priority admission controller computed 0 from the given PriorityClass name"
    )


def test_user_priority_class_limits():
    k = api().client("kubectl")
    with pytest.raises(APIError) as e:
        k.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "huge"}, "value": 1_000_000_001})
    assert str(e.value) == 'PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000'


def test_deployment_and_replicaset_defaults():
    k = api().client("kubectl")
    tmpl = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    d = k.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": tmpl}})
    assert d["spec"]["replicas"] == 1
    assert d["spec"]["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert d["spec"]["revisionHistoryLimit"] == 10
    assert d["spec"]["progressDeadlineSeconds"] == 600
    assert d["spec"]["template"]["spec"]["restartPolicy"] == "Always"
    assert d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert d["metadata"]["generation"] == 1
    rs = k.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-1"},
                   "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": tmpl}})
    assert rs["spec"]["replicas"] == 1


def test_missing_namespace_is_404():
    with pytest.raises(APIError) as e:
        api().client("kubectl").create({**pod(), "metadata": {"name": "a", "namespace": "team-a"}})
    assert (e.value.code, str(e.value)) == (404, 'namespaces "team-a" not found')


def test_system_namespaces_exist_at_start():
    names = [n["metadata"]["name"] for n in api().client("kubectl").list("Namespace")]
    assert names == ["default", "kube-node-lease", "kube-public", "kube-system"]


def test_generate_name_suffix_alphabet_and_truncation():
    k = api(seed=3).client("replicaset-controller")
    p = k.create({**pod(""), "metadata": {"generateName": "web-5d4f8c7b9-"}})
    assert re.fullmatch(r"web-5d4f8c7b9-[bcdfghjklmnpqrstvwxz2456789]{5}", p["metadata"]["name"])
    long = k.create({**pod(""), "metadata": {"generateName": "x" * 70}})
    assert len(long["metadata"]["name"]) == 63 and long["metadata"]["name"].startswith("x" * 58)


def test_generated_names_and_uids_are_seeded():
    def names(seed: int) -> list[str]:
        k = api(seed).client("rs")
        return [k.create({**pod(""), "metadata": {"generateName": "w-"}})["metadata"]["name"] for _ in range(3)] + [
            k.get("Pod", k.list("Pod")[0]["metadata"]["name"])["metadata"]["uid"]
        ]

    assert names(1) == names(1)
    assert names(1) != names(2)


def test_already_exists_text():
    k = api().client("kubectl")
    k.create(pod())
    with pytest.raises(APIError) as e:
        k.create(pod())
    assert (e.value.code, e.value.reason, str(e.value)) == (409, "AlreadyExists", 'pods "web-1" already exists')


def test_invalid_is_422_with_qualified_kind():
    k = api().client("kubectl")
    with pytest.raises(APIError) as e:
        k.create(pod("Web_1"))
    assert e.value.code == 422
    assert str(e.value).startswith('Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain')
    with pytest.raises(APIError) as e:
        k.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {
            "replicas": -1, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    assert str(e.value) == 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'


def test_garbled_quantity_is_a_decode_error():
    k = api().client("kubectl")
    with pytest.raises(APIError) as e:
        k.create(pod(containers=[{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "1 core"}}}]))
    assert e.value.code == 400
    assert str(e.value) == (
        'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )


def test_creation_timestamp_from_simulated_clock():
    clock = Clock()
    server = APIServer(clock, Trace(clock))
    clock.run_until(65_000)
    p = server.client("kubectl").create(pod())
    assert p["metadata"]["creationTimestamp"] == "2025-12-17T00:01:05Z"


def test_only_one_global_default_priority_class():
    k = api().client("kubectl")
    pc = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "value": 10, "globalDefault": True}
    k.create({**pc, "metadata": {"name": "a"}})
    with pytest.raises(APIError) as e:
        k.create({**pc, "metadata": {"name": "b"}})
    assert str(e.value) == ('priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked '
                            "as default. Only one default can exist")
