"""Label selectors: ``metav1.LabelSelector`` (matchLabels + matchExpressions), string selectors
(``app=web,tier in (a,b),!legacy``) and node selector requirements (with ``Gt``/``Lt``).

Upstream: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go (``LabelSelectorAsSelector``:
an empty selector matches everything, a nil one nothing), staging/src/k8s.io/apimachinery/pkg/labels/selector.go
(``Requirement.Matches``: ``NotIn``/``DoesNotExist`` match when the key is absent), and
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (node selector terms).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Labels = Mapping[str, str]

_INT_RE = re.compile(r"^[+-]?[0-9]+$")


def parse_int64(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64): optional sign and decimal digits only, within int64; else None."""
    if not _INT_RE.match(text):
        return None
    n = int(text)
    return n if -(2**63) <= n < 2**63 else None


class SelectorError(ValueError):
    """An invalid selector (unknown operator, wrong number of values, unparsable text)."""


@dataclass(frozen=True)
class Requirement:
    """One ``key op values`` requirement. ``op`` uses the API spelling: In, NotIn, Exists, DoesNotExist, Gt, Lt."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Labels) -> bool:
        present = self.key in labels
        op = self.operator
        if op == "In":
            return present and labels[self.key] in self.values
        if op == "NotIn":
            return not present or labels[self.key] not in self.values
        if op == "Exists":
            return present
        if op == "DoesNotExist":
            return not present
        if op in ("Gt", "Lt"):
            # selector.go: both sides parsed as int64; an unparsable label does not match.
            if not present or len(self.values) != 1:
                return False
            have = parse_int64(labels[self.key])
            want = parse_int64(self.values[0])
            if have is None or want is None:
                return False
            return have > want if op == "Gt" else have < want
        raise SelectorError(f"{op!r} is not a valid label selector operator")


@dataclass(frozen=True)
class Selector:
    """A conjunction of requirements; ``nothing=True`` is the nil selector (matches no object)."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: Labels | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        return not self.nothing and not self.requirements


EVERYTHING = Selector()
NOTHING = Selector(nothing=True)

_LABEL_SELECTOR_OPS = ("In", "NotIn", "Exists", "DoesNotExist")


def label_selector(selector: Mapping[str, Any] | None) -> Selector:
    """``metav1.LabelSelectorAsSelector``: nil → nothing, ``{}`` → everything."""
    if selector is None:
        return NOTHING
    reqs: list[Requirement] = []
    for key, value in sorted(dict(selector.get("matchLabels") or {}).items()):
        reqs.append(Requirement(str(key), "In", (str(value),)))
    for expr in selector.get("matchExpressions") or []:
        op = str(expr.get("operator", ""))
        values = tuple(str(v) for v in (expr.get("values") or []))
        if op not in _LABEL_SELECTOR_OPS:
            raise SelectorError(f'"{op}" is not a valid label selector operator')
        if op in ("In", "NotIn") and not values:
            raise SelectorError("for 'in', 'notin' operators, values set can't be empty")
        if op in ("Exists", "DoesNotExist") and values:
            raise SelectorError("values set must be empty for exists and does not exist")
        reqs.append(Requirement(str(expr.get("key", "")), op, values))
    return Selector(tuple(reqs))


def matches_label_selector(selector: Mapping[str, Any] | None, labels: Labels | None) -> bool:
    """True when ``labels`` satisfy the ``metav1.LabelSelector`` dict (nil selector matches nothing)."""
    return label_selector(selector).matches(labels)


def set_selector(match_labels: Mapping[str, str] | None) -> Selector:
    """``labels.SelectorFromSet``: every key equal (an empty set matches everything)."""
    return Selector(tuple(Requirement(k, "In", (str(v),)) for k, v in sorted((match_labels or {}).items())))


def node_selector_requirement(expr: Mapping[str, Any]) -> Requirement:
    """A ``NodeSelectorRequirement`` (matchExpressions of node affinity); raises SelectorError when invalid."""
    op = str(expr.get("operator", ""))
    values = tuple(str(v) for v in (expr.get("values") or []))
    if op in ("In", "NotIn"):
        if not values:
            raise SelectorError("for 'in', 'notin' operators, values set can't be empty")
    elif op in ("Exists", "DoesNotExist"):
        if values:
            raise SelectorError("values set must be empty for exists and does not exist")
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            raise SelectorError("for 'Gt', 'Lt' operators, exactly one value is required")
        if parse_int64(values[0]) is None:
            raise SelectorError("for 'Gt', 'Lt' operators, the value must be an integer")
    else:
        raise SelectorError(f'"{op}" is not a valid node selector operator')
    return Requirement(str(expr.get("key", "")), op, values)


def parse_selector(text: str | Mapping[str, Any] | None) -> Selector:
    """Parse a string selector (``a=b,c!=d,e in (x,y),f notin (z),g,!h``) or accept a LabelSelector dict."""
    if text is None:
        return EVERYTHING
    if not isinstance(text, str):
        return label_selector(text)
    reqs: list[Requirement] = []
    for part in _split_top(text):
        part = part.strip()
        if not part:
            continue
        lowered = part.replace("\t", " ")
        if " in " in f" {lowered} " or " notin " in f" {lowered} ":
            key, rest = lowered.split(None, 1)
            op_word, _, vals = rest.partition("(")
            values = tuple(sorted(v.strip() for v in vals.rstrip(") ").split(",") if v.strip()))
            op = {"in": "In", "notin": "NotIn"}.get(op_word.strip())
            if op is None:
                raise SelectorError(f"unable to parse requirement: {part!r}")
            reqs.append(Requirement(key.strip(), op, values))
        elif "!=" in part:
            key, value = part.split("!=", 1)
            reqs.append(Requirement(key.strip(), "NotIn", (value.strip(),)))
        elif "==" in part:
            key, value = part.split("==", 1)
            reqs.append(Requirement(key.strip(), "In", (value.strip(),)))
        elif "=" in part:
            key, value = part.split("=", 1)
            reqs.append(Requirement(key.strip(), "In", (value.strip(),)))
        elif part.startswith("!"):
            reqs.append(Requirement(part[1:].strip(), "DoesNotExist"))
        else:
            reqs.append(Requirement(part, "Exists"))
    return Selector(tuple(sorted(reqs, key=lambda r: r.key)))


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts
