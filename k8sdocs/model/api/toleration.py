"""Taint/toleration matching, once for every component (issue #14, item 2): upstream
staging/src/k8s.io/api/core/v1/toleration.go ``ToleratesTaint`` with the v1.35 alpha comparison operators
(``TaintTolerationComparisonOperators``, off by default) and component-helpers/scheduling/corev1/helpers.go
``TolerationsTolerateTaint`` / ``FindMatchingUntoleratedTaint``. The scheduler's TaintToleration and
NodeUnschedulable plugins, PodTopologySpread's node filter and the taint-eviction controller import it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

Obj = Mapping[str, object]

# apimachinery validation/content IsDecimalInteger: canonical decimal integer.
_DECIMAL_INTEGER = re.compile(r"^(0|-?[1-9][0-9]*)$")
_DECIMAL_INTEGER_MSG = "must be a valid decimal integer in canonical form"
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class TaintParseError(ValueError):
    """Gt/Lt on a non-integer value; the text is upstream's ``failed to parse … as int64: …``."""


def _parse_int64(value: str, what: str) -> int:
    if not _DECIMAL_INTEGER.match(value):
        raise TaintParseError(f'failed to parse {what} value "{value}" as int64: {_DECIMAL_INTEGER_MSG}')
    n = int(value)
    if not _INT64_MIN <= n <= _INT64_MAX:
        raise TaintParseError(
            f'failed to parse {what} value "{value}" as int64: strconv.ParseInt: parsing "{value}": value out of range'
        )
    return n


def tolerates_taint(toleration: Obj, taint: Obj, comparison_operators: bool = False) -> bool:
    """``Toleration.ToleratesTaint``; raises TaintParseError for Gt/Lt on non-integers (gate on)."""
    effect = toleration.get("effect") or ""
    if effect and effect != (taint.get("effect") or ""):
        return False
    key = toleration.get("key") or ""
    if key and key != (taint.get("key") or ""):
        return False
    op = toleration.get("operator") or ""
    if op in ("", "Equal"):
        return str(toleration.get("value") or "") == str(taint.get("value") or "")
    if op == "Exists":
        return True
    if op in ("Lt", "Gt"):
        if not comparison_operators:
            return False
        tol = _parse_int64(str(toleration.get("value") or ""), "toleration")
        tnt = _parse_int64(str(taint.get("value") or ""), "taint")
        return tnt < tol if op == "Lt" else tnt > tol
    return False


def tolerations_tolerate_taint(
    tolerations: Iterable[Obj], taint: Obj, comparison_operators: bool = False, ignore_errors: bool = False
) -> bool:
    for tol in tolerations:
        try:
            if tolerates_taint(tol, taint, comparison_operators):
                return True
        except TaintParseError:
            if not ignore_errors:
                raise
    return False


def find_matching_untolerated_taint(
    taints: Sequence[Obj],
    tolerations: Sequence[Obj],
    inclusion: Callable[[Obj], bool] | None = None,
    comparison_operators: bool = False,
) -> Obj | None:
    """The first taint (passing ``inclusion``) that no toleration tolerates, or None."""
    for taint in taints:
        if inclusion is not None and not inclusion(taint):
            continue
        if not tolerations_tolerate_taint(tolerations, taint, comparison_operators):
            return taint
    return None
