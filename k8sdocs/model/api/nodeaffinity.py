"""Node selector terms as component-helpers parses and matches them (upstream
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go: ``LazyErrorNodeSelector``,
``PreferredSchedulingTerms``, ``RequiredNodeAffinity``, ``nodeSelectorRequirementsAsSelector`` over
apimachinery's ``labels.NewRequirement`` (:mod:`k8sdocs.model.api.labels`), ``nodeSelectorRequirementsAsFieldSelector``).

Terms are ORed; a term's expressions and fields are ANDed; a term with neither, or with a parse error, matches
nothing. Parse errors are kept as upstream ``field.Error`` strings. The NodeAffinity plugin and PodTopologySpread's
``nodeAffinityPolicy: Honor`` both use this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from k8sdocs.model.api.labels import (
    DOES_NOT_EXIST,
    EXISTS,
    GREATER_THAN,
    IN,
    LESS_THAN,
    NOT_IN,
    Requirement,
    Selector,
    new_selector_from_requirements,
    nothing,
    requirement_errors,
)
from k8sdocs.model.api.validation import go_quote as _go_quote


def _invalid(path: str, value: object, detail: str) -> str:
    """field.Invalid(...).Error(): a string BadValue is %q-quoted; a []string falls back to %#v
    (apimachinery/pkg/util/validation/field/errors.go ErrorBody): ``[]string{"a", "b"}``, ``[]string{}`` for an
    empty list and ``[]string(nil)`` for an absent one (None here)."""
    if isinstance(value, str):
        shown = _go_quote(value)
    elif value is None:
        shown = "[]string(nil)"
    elif isinstance(value, (list, tuple)):
        shown = "[]string{" + ", ".join(_go_quote(str(v)) for v in value) + "}"
    else:
        shown = str(value)
    return f"{path}: Invalid value: {shown}: {detail}"


def _not_supported(path: str, value: str, valid: Sequence[str]) -> str:
    """field.NotSupported(path, value, valid).Error()."""
    return f"{path}: Unsupported value: {_go_quote(value)}: supported values: " + ", ".join(_go_quote(v) for v in valid)


def _raw_values(expr: Mapping[str, Any]) -> list[str] | None:
    """The requirement's values as Go sees them: None for an absent (nil) list."""
    raw = expr.get("values")
    return None if raw is None else [str(v) for v in raw]


# v1.NodeSelectorOperator -> selection.Operator (nodeSelectorRequirementsAsSelector's switch)
_NODE_SELECTOR_OPS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST,
                      "Gt": GREATER_THAN, "Lt": LESS_THAN}
_VALID_SELECTOR_OPERATORS = tuple(_NODE_SELECTOR_OPS)
_VALID_FIELD_SELECTOR_OPERATORS = ("In", "NotIn")


def node_selector_requirements_as_selector(nsm: Sequence[Mapping[str, Any]],
                                           path: str) -> tuple[Selector | None, list[str]]:
    """``nodeSelectorRequirementsAsSelector``: no requirements is Nothing; an unknown operator is NotSupported;
    each requirement is ``labels.NewRequirement(key, op, values, field.WithPath(path[i]))``. Errors give no
    selector."""
    if not nsm:
        return nothing(), []
    errs: list[str] = []
    reqs: list[Requirement] = []
    for i, expr in enumerate(nsm):
        p = f"{path}[{i}]"
        op_name = str(expr.get("operator", ""))
        op = _NODE_SELECTOR_OPS.get(op_name)
        if op is None:
            errs.append(_not_supported(f"{p}.operator", op_name, _VALID_SELECTOR_OPERATORS))
            continue
        key, values = str(expr.get("key", "")), _raw_values(expr)
        r_errs = requirement_errors(key, op, values, p)
        if r_errs:
            errs.extend(dict.fromkeys(r_errs))  # the aggregate NewRequirement returns, flattened
        else:
            reqs.append(Requirement(key, op, tuple(values or ())))
    if errs:
        return None, errs
    return new_selector_from_requirements(reqs), []


@dataclass(frozen=True)
class NodeSelectorTerm:
    expressions: Selector | None  # None = no matchExpressions (or unparsable ones)
    fields: tuple[tuple[str, str], ...] | None  # (operator, node name) for metadata.name; None = no matchFields
    parse_errors: tuple[str, ...] = ()

    def matches(self, node_name: str, labels: Mapping[str, str]) -> bool:
        if self.expressions is None and self.fields is None:
            return False
        if self.parse_errors:
            return False
        if self.expressions is not None and not self.expressions.matches(labels):
            return False
        if self.fields is not None:
            for op, value in self.fields:
                if (op == "In") != (node_name == value):
                    return False
        return True


def parse_term(term: Mapping[str, Any] | None, path: str) -> NodeSelectorTerm:
    term = term or {}
    errs: list[str] = []
    exprs: Selector | None = None
    fields: tuple[tuple[str, str], ...] | None = None
    match_expressions = term.get("matchExpressions") or []
    if match_expressions:
        exprs, e = node_selector_requirements_as_selector(match_expressions, f"{path}.matchExpressions")
        errs.extend(e)
    match_fields = term.get("matchFields") or []
    if match_fields:
        sel: list[tuple[str, str]] = []
        for j, expr in enumerate(match_fields):
            p = f"{path}.matchFields[{j}]"
            key = str(expr.get("key", ""))
            op = str(expr.get("operator", ""))
            raw = _raw_values(expr)
            values = raw or []
            if key != "metadata.name":
                errs.append(_invalid(p + ".key", key, "not a valid field selector key"))
                continue
            if op in ("In", "NotIn"):
                if len(values) != 1:
                    errs.append(_invalid(p + ".values", raw, "must have one element"))
                else:
                    sel.append((op, values[0]))
            else:
                errs.append(_not_supported(f"{p}.operator", op, _VALID_FIELD_SELECTOR_OPERATORS))
        fields = tuple(sel)
    return NodeSelectorTerm(exprs, fields, tuple(errs))


@dataclass(frozen=True)
class LazyErrorNodeSelector:
    """``nodeaffinity.NewLazyErrorNodeSelector``: errors are reported only when matching."""

    terms: tuple[NodeSelectorTerm, ...]

    @classmethod
    def parse(cls, node_selector: Mapping[str, Any] | None) -> "LazyErrorNodeSelector":
        terms = (node_selector or {}).get("nodeSelectorTerms") or []
        return cls(tuple(parse_term(t, f"nodeSelectorTerms[{i}]") for i, t in enumerate(terms)))

    def errors(self) -> list[str]:
        return [e for t in self.terms for e in t.parse_errors]

    def matches(self, node_name: str, labels: Mapping[str, str]) -> bool:
        return any(t.matches(node_name, labels) for t in self.terms)


@dataclass(frozen=True)
class PreferredSchedulingTerms:
    """``nodeaffinity.NewPreferredSchedulingTerms``: (weight, term); weight-0 terms are dropped."""

    terms: tuple[tuple[int, NodeSelectorTerm], ...]

    @classmethod
    def parse(cls, preferred: Sequence[Mapping[str, Any]] | None) -> tuple["PreferredSchedulingTerms", list[str]]:
        out: list[tuple[int, NodeSelectorTerm]] = []
        errs: list[str] = []
        for i, t in enumerate(preferred or []):
            weight = int(t.get("weight") or 0)
            if weight == 0:
                continue
            term = parse_term(t.get("preference"), f"[{i}]")
            errs.extend(term.parse_errors)
            out.append((weight, term))
        return cls(tuple(out)), errs

    def score(self, node_name: str, labels: Mapping[str, str]) -> int:
        return sum(w for w, t in self.terms if t.matches(node_name, labels))


@dataclass(frozen=True)
class RequiredNodeAffinity:
    """``nodeaffinity.GetRequiredNodeAffinity``: spec.nodeSelector AND required node affinity (errors ignored)."""

    node_selector: Mapping[str, str] | None
    affinity: LazyErrorNodeSelector | None

    @classmethod
    def from_pod(cls, pod: Mapping[str, Any]) -> "RequiredNodeAffinity":
        spec = pod.get("spec") or {}
        ns = spec.get("nodeSelector") or None
        required = (((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        ))
        return cls(dict(ns) if ns else None, LazyErrorNodeSelector.parse(required) if required is not None else None)

    def matches(self, node_name: str, labels: Mapping[str, str]) -> bool:
        if self.node_selector:
            for k, v in self.node_selector.items():
                if labels.get(k) != str(v):
                    return False
        if self.affinity is not None:
            return self.affinity.matches(node_name, labels)
        return True
