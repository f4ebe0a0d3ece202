"""Node selector terms as the scheduler parses them (upstream
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go: ``LazyErrorNodeSelector``,
``PreferredSchedulingTerms``, ``RequiredNodeAffinity``; label key/value checks from
staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go and labels.NewRequirement).

Terms are ORed; a term's expressions and fields are ANDed; a term with neither, or with a parse error, matches
nothing. Parse errors are kept as upstream ``field.Error`` strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# One copy of apimachinery's validators and of Go's %q (v1.35: IsQualifiedName = content.IsLabelKey).
from k8sdocs.model.api.validation import go_quote as _go_quote  # noqa: E402
from k8sdocs.model.api.validation import is_label_value as label_value_errors  # noqa: E402
from k8sdocs.model.api.validation import is_qualified_name as qualified_name_errors  # noqa: E402
from k8sdocs.model.labels import Requirement, parse_int64


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


def _raw_values(expr: Mapping[str, Any]) -> list[str] | None:
    """The requirement's values as Go sees them: None for an absent (nil) list."""
    raw = expr.get("values")
    return None if raw is None else [str(v) for v in raw]


def _requirement(expr: Mapping[str, Any], path: str) -> tuple[Requirement | None, list[str]]:
    """labels.NewRequirement with the node-selector operator mapping."""
    key = str(expr.get("key", ""))
    op = str(expr.get("operator", ""))
    raw = _raw_values(expr)
    values = raw or []
    errs = [_invalid(path + ".key", key, e) for e in qualified_name_errors(key)]
    if op in ("In", "NotIn"):
        if not values:
            errs.append(_invalid(path + ".values", raw, "for 'in', 'notin' operators, values set can't be empty"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(_invalid(path + ".values", raw, "values set must be empty for exists and does not exist"))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(_invalid(path + ".values", raw, "for 'Gt', 'Lt' operators, exactly one value is required"))
        else:
            if parse_int64(values[0]) is None:
                errs.append(
                    _invalid(path + ".values[0]", values[0], "for 'Gt', 'Lt' operators, the value must be an integer")
                )
    else:
        errs.append(f'{path}.operator: Invalid value: "{op}": not a valid selector operator')
    if op in ("In", "NotIn"):
        for i, v in enumerate(values):
            errs.extend(_invalid(f"{path}.values[{i}]", v, e) for e in label_value_errors(v))
    if errs:
        return None, errs
    return Requirement(key, op, tuple(values)), []


@dataclass(frozen=True)
class NodeSelectorTerm:
    expressions: tuple[Requirement, ...] | None  # None = no matchExpressions
    fields: tuple[tuple[str, str], ...] | None  # (operator, node name) for metadata.name; None = no matchFields
    parse_errors: tuple[str, ...] = ()

    def matches(self, node_name: str, labels: Mapping[str, str]) -> bool:
        if self.expressions is None and self.fields is None:
            return False
        if self.parse_errors:
            return False
        if self.expressions is not None and not all(r.matches(labels) for r in self.expressions):
            return False
        if self.fields is not None:
            for op, value in self.fields:
                if (op == "In") != (node_name == value):
                    return False
        return True


def parse_term(term: Mapping[str, Any] | None, path: str) -> NodeSelectorTerm:
    term = term or {}
    errs: list[str] = []
    exprs: tuple[Requirement, ...] | None = None
    fields: tuple[tuple[str, str], ...] | None = None
    match_expressions = term.get("matchExpressions") or []
    if match_expressions:
        reqs: list[Requirement] = []
        for j, expr in enumerate(match_expressions):
            req, e = _requirement(expr, f"{path}.matchExpressions[{j}]")
            errs.extend(e)
            if req is not None:
                reqs.append(req)
        exprs = tuple(reqs)
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
                errs.append(f'{p}.operator: Unsupported value: "{op}": supported values: "In", "NotIn"')
        fields = tuple(sel)
    return NodeSelectorTerm(exprs, fields, tuple(errs))


def aggregate(errors: Sequence[str]) -> str:
    """utilerrors.Aggregate.Error() (apimachinery/pkg/util/errors/errors.go): repeated messages once; a single
    distinct message as is, several as "[e1, e2]"."""
    seen: list[str] = []
    for e in errors:
        if e not in seen:
            seen.append(e)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


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
