"""Parsed pod (anti-)affinity terms, as the scheduler's ``PodInfo`` precomputes them.

Upstream (v1.35 era):
* ``AffinityTerm``, ``AffinityTerm.Matches``, ``newAffinityTerm``, ``getNamespacesFromPodAffinityTerm``,
  ``PodInfo.Update`` in pkg/scheduler/framework/types.go (text-search id 163912544 / 140860642): a term matches a
  pod when (the pod's namespace is in ``namespaces`` OR ``namespaceSelector`` matches the namespace's labels)
  AND ``labelSelector`` matches the pod's labels. ``namespaces`` defaults to the term owner's namespace when
  both ``namespaces`` and ``namespaceSelector`` are unset. A nil selector matches nothing, ``{}`` everything.
* ``mergeAffinityTermNamespacesIfNotEmpty`` and ``GetNamespaceLabelsSnapshot`` in
  pkg/scheduler/framework/plugins/interpodaffinity/plugin.go@4a37f009ca615534484b1116d0f147f1f23cf067.

``matchLabelKeys`` / ``mismatchLabelKeys`` (GA) are merged into ``labelSelector`` by kube-apiserver when the pod
is created (KEP-3633), so the scheduler reads only ``labelSelector``; ``merge_label_keys`` is offered for pods
that did not go through our API server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.labels import NOTHING, Selector, label_selector

Obj = Mapping[str, Any]


def pod_namespace(pod: Obj) -> str:
    return str((pod.get("metadata") or {}).get("namespace") or "default")


def pod_labels(pod: Obj) -> Mapping[str, str]:
    return (pod.get("metadata") or {}).get("labels") or {}


@dataclass(frozen=True)
class AffinityTerm:
    """``framework.AffinityTerm``."""

    namespaces: frozenset[str]
    selector: Selector
    topology_key: str
    namespace_selector: Selector

    def matches(self, pod: Obj, ns_labels: Mapping[str, str] | None) -> bool:
        """``AffinityTerm.Matches(pod, nsLabels)``."""
        if pod_namespace(pod) in self.namespaces or self.namespace_selector.matches(ns_labels):
            return self.selector.matches(pod_labels(pod))
        return False


@dataclass(frozen=True)
class WeightedAffinityTerm:
    term: AffinityTerm
    weight: int


def new_affinity_term(owner: Obj, term: Obj) -> AffinityTerm:
    """``newAffinityTerm``; raises ``SelectorError`` for an invalid selector (PodInfo parse error)."""
    selector = label_selector(term.get("labelSelector"))
    ns_selector = label_selector(term.get("namespaceSelector"))
    names = term.get("namespaces") or []
    if not names and term.get("namespaceSelector") is None:
        namespaces = frozenset({pod_namespace(owner)})
    else:
        namespaces = frozenset(str(n) for n in names)
    return AffinityTerm(namespaces, selector, str(term.get("topologyKey", "")), ns_selector)


@dataclass(frozen=True)
class AffinityPodInfo:
    """The four term lists of ``PodInfo`` for one pod."""

    pod: Obj
    required_affinity_terms: tuple[AffinityTerm, ...] = ()
    required_anti_affinity_terms: tuple[AffinityTerm, ...] = ()
    preferred_affinity_terms: tuple[WeightedAffinityTerm, ...] = ()
    preferred_anti_affinity_terms: tuple[WeightedAffinityTerm, ...] = ()

    def has_any_affinity(self) -> bool:
        return bool(
            self.required_affinity_terms or self.required_anti_affinity_terms
            or self.preferred_affinity_terms or self.preferred_anti_affinity_terms
        )


def _affinity(pod: Obj) -> Mapping[str, Any]:
    return ((pod.get("spec") or {}).get("affinity")) or {}


def affinity_pod_info(pod: Obj) -> AffinityPodInfo:
    """``PodInfo.Update``: parse the required and preferred terms of podAffinity / podAntiAffinity."""
    aff = _affinity(pod)
    pa = aff.get("podAffinity") or {}
    paa = aff.get("podAntiAffinity") or {}

    def required(section: Mapping[str, Any]) -> tuple[AffinityTerm, ...]:
        return tuple(new_affinity_term(pod, t) for t in section.get("requiredDuringSchedulingIgnoredDuringExecution") or [])

    def preferred(section: Mapping[str, Any]) -> tuple[WeightedAffinityTerm, ...]:
        return tuple(
            WeightedAffinityTerm(new_affinity_term(pod, w.get("podAffinityTerm") or {}), int(w.get("weight", 0)))
            for w in section.get("preferredDuringSchedulingIgnoredDuringExecution") or []
        )

    return AffinityPodInfo(pod, required(pa), required(paa), preferred(pa), preferred(paa))


@dataclass(frozen=True)
class NamespaceLister:
    """The Namespace objects the plugin may list (``nsLister``)."""

    namespaces: Sequence[Obj] = field(default_factory=tuple)

    def labels_of(self, name: str) -> Mapping[str, str] | None:
        """``GetNamespaceLabelsSnapshot``: the namespace's labels, or nil (None) when it is unknown."""
        for ns in self.namespaces:
            meta = ns.get("metadata") or {}
            if meta.get("name") == name:
                return dict(meta.get("labels") or {})
        return None

    def names_matching(self, selector: Selector) -> list[str]:
        return sorted(
            str((ns.get("metadata") or {}).get("name"))
            for ns in self.namespaces
            if selector.matches((ns.get("metadata") or {}).get("labels") or {})
        )


def merge_term_namespaces(term: AffinityTerm, lister: NamespaceLister) -> AffinityTerm:
    """``mergeAffinityTermNamespacesIfNotEmpty``: unroll a non-empty namespaceSelector into ``namespaces``.

    An empty selector (``{}``, matches every namespace) is kept as is; otherwise the matching namespace names
    are added and the selector becomes Nothing.
    """
    if term.namespace_selector.empty():
        return term
    names = frozenset(lister.names_matching(term.namespace_selector))
    return AffinityTerm(term.namespaces | names, term.selector, term.topology_key, NOTHING)


def merge_label_keys(term: Obj, owner_labels: Mapping[str, str]) -> Obj:
    """What kube-apiserver does with ``matchLabelKeys`` (In) / ``mismatchLabelKeys`` (NotIn) at pod creation."""
    match_keys = term.get("matchLabelKeys") or []
    mismatch_keys = term.get("mismatchLabelKeys") or []
    if (not match_keys and not mismatch_keys) or term.get("labelSelector") is None:
        return term
    selector = dict(term["labelSelector"])
    exprs = list(selector.get("matchExpressions") or [])
    for k in match_keys:
        if k in owner_labels:
            exprs.append({"key": k, "operator": "In", "values": [owner_labels[k]]})
    for k in mismatch_keys:
        if k in owner_labels:
            exprs.append({"key": k, "operator": "NotIn", "values": [owner_labels[k]]})
    selector["matchExpressions"] = exprs
    out = dict(term)
    out["labelSelector"] = selector
    return out


__all__ = [
    "AffinityPodInfo",
    "AffinityTerm",
    "NamespaceLister",
    "WeightedAffinityTerm",
    "affinity_pod_info",
    "merge_label_keys",
    "merge_term_namespaces",
    "new_affinity_term",
]
