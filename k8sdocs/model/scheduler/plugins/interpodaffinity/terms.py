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

from k8sdocs.model.api.validation import go_quote as _go_quote
from k8sdocs.model.api.validation import is_label_value as label_value_errors
from k8sdocs.model.api.validation import is_qualified_name as qualified_name_errors
from k8sdocs.model.labels import EVERYTHING, NOTHING, Requirement, Selector, SelectorError

Obj = Mapping[str, Any]


def pod_namespace(pod: Obj) -> str:
    return str((pod.get("metadata") or {}).get("namespace") or "default")


def pod_labels(pod: Obj) -> Mapping[str, str]:
    return (pod.get("metadata") or {}).get("labels") or {}


class AffinityParseError(SelectorError):
    """An unparsable term; the text is upstream's aggregated ``PodInfo.Update`` error."""


def _go_string_slice(values: Sequence[str] | None) -> str:
    """``%#v`` of a []string, as field.Invalid prints a non-string value."""
    if not values:
        return "[]string(nil)"
    return "[]string{" + ", ".join(_go_quote(v) for v in values) + "}"


def _aggregate(errors: Sequence[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``: one message as is, several as "[a, b]" (duplicates once)."""
    seen: list[str] = []
    for e in errors:
        if e not in seen:
            seen.append(e)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"


def _new_requirement(key: str, op: str, values: Sequence[str]) -> Requirement:
    """``labels.NewRequirement`` (staging/src/k8s.io/apimachinery/pkg/labels/selector.go): key, operator/values and
    each value are validated; errors are field errors joined as an aggregate."""
    errs: list[str] = []
    key_errs = qualified_name_errors(key)
    if key_errs:
        errs.append(f"key: Invalid value: {_go_quote(key)}: {'; '.join(key_errs)}")
    if op in ("In", "NotIn") and not values:
        errs.append(f"values: Invalid value: {_go_string_slice(values)}: "
                    "for 'in', 'notin' operators, values set can't be empty")
    if op in ("Exists", "DoesNotExist") and values:
        errs.append(f"values: Invalid value: {_go_string_slice(values)}: "
                    "values set must be empty for exists and does not exist")
    for i, v in enumerate(values):
        v_errs = label_value_errors(v)
        if v_errs:
            errs.append(f"values[{i}][{key}]: Invalid value: {_go_quote(v)}: {'; '.join(v_errs)}")
    if errs:
        raise SelectorError(_aggregate(errs))
    return Requirement(key, op, tuple(values))


def label_selector_as_selector(selector: Mapping[str, Any] | None) -> Selector:
    """``metav1.LabelSelectorAsSelector`` with upstream's validation and error text (nil → Nothing, {} → Everything).

    matchLabels are checked in key order (Go iterates a map, so with several bad entries upstream's first error
    may differ); the first failing requirement is reported.
    """
    if selector is None:
        return NOTHING
    match_labels = dict(selector.get("matchLabels") or {})
    exprs = list(selector.get("matchExpressions") or [])
    if not match_labels and not exprs:
        return EVERYTHING
    reqs = [_new_requirement(str(k), "In", [str(v)]) for k, v in sorted(match_labels.items())]
    for e in exprs:
        op = str(e.get("operator", ""))
        if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
            raise SelectorError(f"{_go_quote(op)} is not a valid label selector operator")
        reqs.append(_new_requirement(str(e.get("key", "")), op, [str(v) for v in e.get("values") or []]))
    return Selector(tuple(reqs))


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
        except SelectorError as err:
            errors.append(f"{what}: {err}")
            return ()

    def preferred(section: Mapping[str, Any], what: str) -> tuple[WeightedAffinityTerm, ...]:
        try:
            return tuple(
                WeightedAffinityTerm(new_affinity_term(pod, w.get("podAffinityTerm") or {}), int(w.get("weight", 0)))
                for w in section.get("preferredDuringSchedulingIgnoredDuringExecution") or []
            )
        except SelectorError as err:
            errors.append(f"{what}: {err}")
            return ()

    info = AffinityPodInfo(pod, required(pa, "requiredAffinityTerms"), required(paa, "requiredAntiAffinityTerms"),
                           preferred(pa, "preferredAffinityTerms"), preferred(paa, "preferredAntiAffinityTerms"))
    if errors and strict:
        raise AffinityParseError(_aggregate(errors))
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
    "AffinityParseError",
    "AffinityPodInfo",
    "AffinityTerm",
    "NamespaceLister",
    "ParsedPods",
    "WeightedAffinityTerm",
    "affinity_pod_info",
    "label_selector_as_selector",
    "merge_label_keys",
    "merge_term_namespaces",
    "new_affinity_term",
    "parse_cached",
]
