"""The ServiceAccount and Priority admission plugins as upstream builds their changes.

Sources: plugin/pkg/admission/serviceaccount/admission.go (Admit/Validate on create, mountServiceAccountToken,
TokenVolumeSource; tests TestAutomountsAPIToken, TestRespectsExistingMount, TestDeniesInvalidServiceAccount in
admission_test.go), plugin/pkg/admission/priority/admission.go (getDefaultPriority), pkg/apis/core/v1/conversion.go
(serviceAccount alias), pkg/controller/certificates/rootcacertpublisher/publisher.go (kube-root-ca.crt).
"""

from __future__ import annotations

import re

import pytest

from k8sdocs.model import admission
from k8sdocs.model.apiserver.errors import APIError
from k8sdocs.model.apiserver.server import GENERATE_NAME_ALPHANUMS, SYSTEM_NAMESPACES, APIServer
from k8sdocs.model.clock import Clock
from k8sdocs.model.trace import Trace


def api(seed: int = 0) -> APIServer:
    clock = Clock()
    return APIServer(clock, Trace(clock), seed=seed)


def pod(name: str = "web-1", **spec: object) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}], **spec}}


EXPECTED_PROJECTED = {
    "defaultMode": 420,
    "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
                                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ],
}


def test_automounts_api_token_TestAutomountsAPIToken():
    p = api().client("kubectl").create(pod(initContainers=[{"name": "init", "image": "busybox:1.36"}]))
    spec = p["spec"]
    assert spec["serviceAccountName"] == "default"
    assert spec["serviceAccount"] == "default"  # the deprecated alias, written back by the v1 conversion
    [volume] = spec["volumes"]
    assert re.fullmatch(rf"kube-api-access-[{GENERATE_NAME_ALPHANUMS}]{{5}}", volume["name"])
    assert volume["projected"] == EXPECTED_PROJECTED
    mount = {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": volume["name"], "readOnly": True}
    assert spec["initContainers"][0]["volumeMounts"] == [mount]
    assert spec["containers"][0]["volumeMounts"] == [mount]


def test_volume_suffix_comes_from_the_seed_and_leaves_pod_names_alone():
    names = [api(seed).client("kubectl").create(pod())["spec"]["volumes"][0]["name"] for seed in (1, 1, 2)]
    assert names[0] == names[1] != names[2]
    with_token = api(7).client("kubectl").create({**pod(), "metadata": {"generateName": "web-"}})
    without = api(7).client("kubectl").create({**pod(automountServiceAccountToken=False),
                                               "metadata": {"generateName": "web-"}})
    assert with_token["metadata"]["name"] == without["metadata"]["name"]
    assert with_token["metadata"]["uid"] == without["metadata"]["uid"]


def test_respects_existing_mount_TestRespectsExistingMount():
    existing = {"name": "mine", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}
    p = api().client("kubectl").create(pod(
        containers=[{"name": "c", "image": "nginx:1.27", "volumeMounts": [existing]}],
        volumes=[{"name": "mine", "emptyDir": {}}]))
    assert p["spec"]["containers"][0]["volumeMounts"] == [existing]
    assert [v["name"] for v in p["spec"]["volumes"]] == ["mine"]  # no container needed the token volume


def test_automount_false_on_pod_or_service_account():
    c = api().client("kubectl")
    p = c.create(pod("a", automountServiceAccountToken=False))
    assert "volumes" not in p["spec"] and "volumeMounts" not in p["spec"]["containers"][0]
    c.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "quiet"},
              "automountServiceAccountToken": False, "imagePullSecrets": [{"name": "registry"}]})
    q = c.create(pod("b", serviceAccountName="quiet"))
    assert "volumes" not in q["spec"]
    assert q["spec"]["imagePullSecrets"] == [{"name": "registry"}]
    r = c.create(pod("c", serviceAccountName="quiet", automountServiceAccountToken=True))  # the pod's choice wins
    assert r["spec"]["volumes"][0]["name"].startswith("kube-api-access-")


def test_denies_missing_service_account_TestDeniesInvalidServiceAccount():
    c = api().client("kubectl")
    with pytest.raises(APIError) as e:
        c.create(pod(serviceAccountName="nadie"))
    assert (e.value.code, e.value.message) == (403, 'pods "web-1" is forbidden: error looking up service account '
                                                    'default/nadie: serviceaccount "nadie" not found')
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "nuevo"}})
    with pytest.raises(APIError) as e:
        c.create({**pod(), "metadata": {"name": "x", "namespace": "nuevo"}})
    assert "error looking up service account nuevo/default" in e.value.message


def test_every_system_namespace_has_default_service_account_and_root_ca():
    srv = api()
    assert srv.trace.events == []  # bootstrap objects are not part of a scenario's trace
    for ns in SYSTEM_NAMESPACES:
        assert srv.service_account(ns, "default") is not None
        cm = srv.client("kubectl").get("ConfigMap", "kube-root-ca.crt", ns)
        assert set(cm["data"]) == {"ca.crt"}


def test_mirror_pod_is_not_mutated_and_may_not_name_a_service_account():
    c = api().client("kubectl")
    mirror = pod("m")
    mirror["metadata"]["annotations"] = {"kubernetes.io/config.mirror": "abc"}
    stored = c.create(mirror)
    assert "serviceAccountName" not in stored["spec"] and "volumes" not in stored["spec"]
    mirror["metadata"]["name"] = "m2"
    mirror["spec"]["serviceAccountName"] = "default"
    with pytest.raises(APIError, match="a mirror pod may not reference service accounts"):
        c.create(mirror)


def test_priority_sets_preempt_lower_priority_without_default_class():
    p = api().client("kubectl").create(pod())
    assert (p["spec"]["priority"], p["spec"]["preemptionPolicy"]) == (0, "PreemptLowerPriority")
    assert "priorityClassName" not in p["spec"]
    with pytest.raises(APIError, match=r"the string value of PreemptionPolicy \(Never\) must not be provided"):
        api().client("kubectl").create(pod(preemptionPolicy="Never"))


def test_token_volume_source_is_a_fresh_copy():
    a = admission.token_volume_source()
    a["sources"].clear()
    assert admission.token_volume_source() == EXPECTED_PROJECTED
