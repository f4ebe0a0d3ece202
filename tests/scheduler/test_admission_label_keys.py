"""admission.mutate_pod_affinity: kube-apiserver merges matchLabelKeys / mismatchLabelKeys of pod (anti-)affinity
terms into their labelSelector at creation. Cases transcribed from kubernetes/kubernetes
pkg/registry/core/pod/strategy_test.go Test_mutatePodAffinity (strategy.go@03e060242dcb9ab9191451bbe2bd16d1e5d43733)."""

from __future__ import annotations

import copy

from k8sdocs.model.admission import mutate_pod_affinity

LABELS = {"country": "Japan", "city": "Kyoto"}


def _term(**extra) -> dict:
    return {"labelSelector": {"matchLabels": {"region": "Asia"}}, **extra}


def _pod(affinity: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": dict(LABELS)},
            "spec": {"affinity": affinity, "containers": [{"name": "c", "image": "nginx"}]}}


def test_match_keys_merge_with_in_and_mismatch_keys_with_not_in():
    """Test_mutatePodAffinity/matchLabelKeys are merged into labelSelector with In and mismatchLabelKeys are merged
    with NotIn (required and preferred, affinity and anti-affinity)."""
    keys = {"matchLabelKeys": ["country"], "mismatchLabelKeys": ["city"]}
    both = {"requiredDuringSchedulingIgnoredDuringExecution": [_term(**keys)],
            "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "podAffinityTerm": _term(**keys)}]}
    pod = _pod({"podAffinity": copy.deepcopy(both), "podAntiAffinity": copy.deepcopy(both)})
    mutate_pod_affinity(pod)
    merged = {"matchLabels": {"region": "Asia"}, "matchExpressions": [
        {"key": "country", "operator": "In", "values": ["Japan"]},
        {"key": "city", "operator": "NotIn", "values": ["Kyoto"]}]}
    for kind in ("podAffinity", "podAntiAffinity"):
        aff = pod["spec"]["affinity"][kind]
        assert aff["requiredDuringSchedulingIgnoredDuringExecution"] == [{"labelSelector": merged, **keys}]
        assert aff["preferredDuringSchedulingIgnoredDuringExecution"] == [
            {"weight": 1, "podAffinityTerm": {"labelSelector": merged, **keys}}]


def test_keys_missing_from_the_pod_labels_are_ignored():
    pod = _pod({"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        _term(matchLabelKeys=["city", "not-found"])]}})
    mutate_pod_affinity(pod)
    assert pod["spec"]["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == [
        {"labelSelector": {"matchLabels": {"region": "Asia"},
                           "matchExpressions": [{"key": "city", "operator": "In", "values": ["Kyoto"]}]},
         "matchLabelKeys": ["city", "not-found"]}]


def test_nil_label_selector_is_left_alone():
    term = {"matchLabelKeys": ["country"], "mismatchLabelKeys": ["city"]}
    pod = _pod({"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [dict(term)]}})
    mutate_pod_affinity(pod)
    assert pod["spec"]["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == [term]


def test_feature_gate_disabled_changes_nothing():
    affinity = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        _term(matchLabelKeys=["country"], mismatchLabelKeys=["city"])]}}
    pod = _pod(copy.deepcopy(affinity))
    mutate_pod_affinity(pod, enabled=False)
    assert pod["spec"]["affinity"] == affinity
