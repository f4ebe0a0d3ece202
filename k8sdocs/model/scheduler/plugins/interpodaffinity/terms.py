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
is created (KEP-3633; ``k8sdocs.model.admission.merge_label_keys``), so the scheduler reads only
``labelSelector``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8sdocs.model.api.labels import Selector, SelectorParseError, aggregate, label_selector_as_selector, nothing

Obj = Mapping[str, Any]


def pod_namespace(pod: Obj) -> str:
    return str((pod.get("metadata") or {}).get("namespace") or "default")


def pod_labels(pod: Obj) -> Mapping[str, str]:
    return (pod.get("metadata") or {}).get("labels") or {}


class AffinityParseError(SelectorParseError):
    """An unparsable term; the text is upstream's aggregated ``PodInfo.Update`` error."""


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
    """``newAffinityTerm``; raises ``SelectorParseError`` for an invalid selector (PodInfo parse error)."""
    selector = label_selector_as_selector(term.get("labelSelector"))
    ns_selector = label_selector_as_selector(term.get("namespaceSelector"))
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


def _affinity(pod: Obj) -> Mapping[str, Any]:
    return ((pod.get("spec") or {}).get("affinity")) or {}


def affinity_pod_info(pod: Obj, strict: bool = True) -> AffinityPodInfo:
    """``PodInfo.Update``: parse the required and preferred terms of podAffinity / podAntiAffinity.

    ``strict`` (the incoming pod): raise ``AffinityParseError`` with the aggregate of the per-list errors
    ("requiredAffinityTerms: ...", "requiredAntiAffinityTerms: ...", "preferredAffinityTerms: ...",
    "preferredAntiAffinityTerms: ..."). Not strict (pods already in the cache): a list that fails to parse is
    simply empty, as the cache's PodInfo keeps the lists that parsed.
    """
    aff = _affinity(pod)
    pa = aff.get("podAffinity") or {}
    paa = aff.get("podAntiAffinity") or {}
    errors: list[str] = []

    def required(section: Mapping[str, Any], what: str) -> tuple[AffinityTerm, ...]:
        try:
            return tuple(new_affinity_term(pod, t)
                         for t in section.get("requiredDuringSchedulingIgnoredDuringExecution") or [])
        except SelectorParseError as err:
            errors.append(f"{what}: {err}")
            return ()

    def preferred(section: Mapping[str, Any], what: str) -> tuple[WeightedAffinityTerm, ...]:
        try:
            return tuple(
                WeightedAffinityTerm(new_affinity_term(pod, w.get("podAffinityTerm") or {}), int(w.get("weight", 0)))
                for w in section.get("preferredDuringSchedulingIgnoredDuringExecution") or []
            )
        except SelectorParseError as err:
            errors.append(f"{what}: {err}")
            return ()

    info = AffinityPodInfo(pod, required(pa, "requiredAffinityTerms"), required(paa, "requiredAntiAffinityTerms"),
                           preferred(pa, "preferredAffinityTerms"), preferred(paa, "preferredAntiAffinityTerms"))
    if errors and strict:
        raise AffinityParseError(aggregate(errors))
    return info


class ParsedPods:
    """``affinity_pod_info(pod, strict=False)`` memoized by object identity, as the scheduler cache keeps one parsed
    PodInfo per pod. Pods are immutable manifest dicts; the memo holds a reference so an id is never reused."""

    def __init__(self, limit: int = 200_000) -> None:
        self._limit = limit
        self._memo: dict[int, tuple[Obj, AffinityPodInfo]] = {}

    def __call__(self, pod: Obj) -> AffinityPodInfo:
        hit = self._memo.get(id(pod))
        if hit is not None and hit[0] is pod:
            return hit[1]
        if len(self._memo) >= self._limit:
            self._memo.clear()
        info = affinity_pod_info(pod, strict=False)
        self._memo[id(pod)] = (pod, info)
        return info


def parse_cached(pod: Obj) -> AffinityPodInfo:
    """The un-memoized parser for pods already in the cache (lenient)."""
    return affinity_pod_info(pod, strict=False)


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
    return AffinityTerm(term.namespaces | names, term.selector, term.topology_key, nothing())


__all__ = [
    "AffinityParseError",
    "AffinityPodInfo",
    "AffinityTerm",
    "NamespaceLister",
    "ParsedPods",
    "WeightedAffinityTerm",
    "affinity_pod_info",
    "merge_term_namespaces",
    "new_affinity_term",
    "parse_cached",
]
