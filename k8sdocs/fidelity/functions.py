"""Function cases: an upstream Go function, its arguments by Go parameter name, and what upstream asserts.

A case names ``function`` (``<import path>.<Name>`` or ``<import path>.(<Type>).<Name>``); ``function_table.TABLE``
maps that name to the model's code. A name missing from the table is a FAIL ``not implemented: <function>``.
``expected`` holds exactly one of:

* ``result``: the whole return value (several return values: a list in Go order, a nil error left out);
* ``result_fields``: field path → value, only those checked; ``null`` = absent, nil or empty;
* ``error``: the exact error text, or ``true`` when upstream only asserts that there is one;
* ``errors``: the exact list of messages (validators returning ``[]string``).

For a validator returning ``[]string`` (``messages=True`` in the table), ``error: true`` means a non-empty list
and ``error: <text>`` means exactly that one message.

Comparison is strict: types must agree (``true`` is not ``1``, ``"1"`` is not ``1``), lists in order, maps by key.
Inside an object a field set to null, ``{}`` or ``[]`` counts as absent (a nil pointer, map or slice, as Go's
``omitempty`` writes it); strings, numbers and booleans are never loosened. The other loosening is upstream's own: quantities inside a ResourceList (``requests``, ``limits``, ``capacity``...)
compare by value (``resource.Quantity.Cmp``), so ``1Gi`` equals ``1024Mi``. Anything else in a case that the runner
does not understand (another expected shape, two shapes, unknown argument names) is a FAIL.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from k8sdocs.fidelity.function_table import TABLE, GoError
from k8sdocs.fidelity.result import CaseResult
from k8sdocs.model.quantity import QuantityError, parse_quantity

EXPECTED_SHAPES = ("result", "result_fields", "error", "errors")
#: Map fields of the API whose values are resource.Quantity (v1.ResourceList and friends).
RESOURCE_LIST_FIELDS = frozenset({
    "requests", "limits", "capacity", "allocatable", "overhead", "max", "min", "default", "defaultRequest",
    "maxLimitRequestRatio", "hard", "used", "allocatedResources",
})
_MISSING = object()


def run_case(case: Mapping[str, Any]) -> CaseResult:
    case_id = str(case.get("id"))
    function = case.get("function")
    if not isinstance(function, str) or not function:
        return CaseResult(case_id, "FAIL", "function must be a non-empty string")
    args = case.get("args", {})
    if args is None:
        args = {}
    if not isinstance(args, Mapping):
        return CaseResult(case_id, "FAIL", "args must be a mapping of Go parameter names")
    expected = case.get("expected")
    if not isinstance(expected, Mapping):
        return CaseResult(case_id, "FAIL", "expected must be a mapping")
    shapes = [k for k in expected if k in EXPECTED_SHAPES]
    unknown = [str(k) for k in expected if k not in EXPECTED_SHAPES]
    if unknown:
        return CaseResult(case_id, "FAIL", f"unknown expected shape(s) {', '.join(unknown)} "
                                           f"(known: {', '.join(EXPECTED_SHAPES)})")
    if len(shapes) != 1:
        return CaseResult(case_id, "FAIL", f"expected must hold exactly one of {', '.join(EXPECTED_SHAPES)}")
    shape = shapes[0]
    spec = TABLE.get(function)
    if spec is None:
        return CaseResult(case_id, "FAIL", f"not implemented: {function}")
    missing = [p for p in spec.params if p not in args]
    extra = [str(a) for a in args if a not in spec.params and a not in spec.optional]
    if missing or extra:
        return CaseResult(case_id, "FAIL", f"args do not match {function}({', '.join(spec.params)}): "
                                           f"missing {missing or 'none'}, unexpected {extra or 'none'}")
    try:
        call_args = copy.deepcopy(dict(args))
        got = spec.call(*[call_args[p] for p in spec.params],
                        **{o: call_args[o] for o in spec.optional if o in call_args})
        error: str | None = None
    except GoError as err:
        got, error = None, str(err)
    except Exception as err:  # a crash in the model fails this case only
        return CaseResult(case_id, "FAIL", f"{function} raised {type(err).__name__}: {err}")
    want = expected[shape]
    if spec.messages and error is None and shape == "error":
        # A validator returning []string "errs" when its message list is non-empty (upstream: len(errs) != 0).
        if not isinstance(got, list) or not got:
            return CaseResult(case_id, "FAIL", f"expected an error vs got no messages {got!r}")
        if want is True or got == [want]:
            return CaseResult(case_id, "PASS")
        return CaseResult(case_id, "FAIL", f"expected the message {want!r} vs got {got!r}")
    if shape == "error":
        if error is None:
            return CaseResult(case_id, "FAIL", f"expected an error vs got result {got!r}")
        if want is True or error == want:
            return CaseResult(case_id, "PASS")
        if not isinstance(want, str):
            return CaseResult(case_id, "FAIL", f"expected.error must be a string or true vs got {want!r}")
        return CaseResult(case_id, "FAIL", f"expected error {want!r} vs got {error!r}")
    if error is not None:
        return CaseResult(case_id, "FAIL", f"expected {shape} vs got error {error!r}")
    if shape == "errors":
        if not isinstance(want, list) or not all(isinstance(w, str) for w in want):
            return CaseResult(case_id, "FAIL", "expected.errors must be a list of strings")
        diff = compare(want, got, "")
    elif shape == "result":
        diff = compare(want, got, "")
    else:
        if not isinstance(want, Mapping) or not want:
            return CaseResult(case_id, "FAIL", "expected.result_fields must be a non-empty mapping")
        diff = None
        for path, value in want.items():
            try:
                steps = parse_path(str(path))
            except ValueError as err:
                return CaseResult(case_id, "FAIL", str(err))
            actual = lookup(got, steps)
            if value is None:
                if not is_empty(actual):
                    diff = f"{path}: expected absent or empty vs got {actual!r}"
            elif actual is _MISSING:
                diff = f"{path}: expected {value!r} vs got absent"
            else:
                diff = compare(value, actual, str(path), quantity=_in_resource_list(steps))
            if diff:
                break
    if diff:
        return CaseResult(case_id, "FAIL", diff)
    return CaseResult(case_id, "PASS")


# -- field paths ----------------------------------------------------------------------------------------------------
_STEP = re.compile(r'\.?([^.\[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def parse_path(path: str) -> list[str | int]:
    """``spec.containers[0].resources.requests.cpu``; a map key with '.' or '/' in brackets: ``labels["a/b"]``."""
    steps: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _STEP.match(path, pos)
        if not m or (m.group(1) is not None and pos > 0 and path[pos] != "."):
            raise ValueError(f"cannot parse field path {path!r} at {pos}")
        if m.group(1) is not None:
            steps.append(m.group(1))
        elif m.group(2) is not None:
            steps.append(int(m.group(2)))
        else:
            steps.append(re.sub(r"\\(.)", r"\1", m.group(3)))
        pos = m.end()
    if not steps:
        raise ValueError(f"empty field path {path!r}")
    return steps


def lookup(value: Any, steps: list[str | int]) -> Any:
    for step in steps:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return _MISSING
            value = value[step]
        else:
            if not isinstance(value, Mapping) or step not in value:
                return _MISSING
            value = value[step]
    return value


def is_empty(value: Any) -> bool:
    """Go's nil or empty: absent, null, "", {} or []."""
    return value is _MISSING or value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


def _in_resource_list(steps: list[str | int]) -> bool:
    """True when the last step is the map of a ResourceList or a key inside one."""
    return any(isinstance(s, str) and s in RESOURCE_LIST_FIELDS for s in steps[-2:])


# -- comparison -----------------------------------------------------------------------------------------------------
def _quantity_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    try:
        return parse_quantity(a).amount == parse_quantity(b).amount
    except QuantityError:
        return False


def _nil(value: Any) -> bool:
    return value is None or (isinstance(value, (list, dict)) and len(value) == 0)


def compare(want: Any, got: Any, path: str, quantity: bool = False) -> str | None:
    """None when equal; otherwise one line naming the first difference."""
    where = path or "result"
    if isinstance(want, Mapping):
        if not isinstance(got, Mapping):
            return f"{where}: expected {want!r} vs got {got!r}"
        # Inside an object, a nil pointer, nil slice or nil map is the same as an absent field (Go's omitempty).
        want = {k: v for k, v in want.items() if not _nil(v)}
        got = {k: v for k, v in got.items() if not _nil(v)}
        if set(want) != set(got):
            return (f"{where}: keys differ: missing {sorted(map(str, set(want) - set(got)))}, "
                    f"unexpected {sorted(map(str, set(got) - set(want)))} (expected {want!r} vs got {got!r})")
        for key in want:
            child = f"{path}.{key}" if path else str(key)
            diff = compare(want[key], got[key], child, quantity or key in RESOURCE_LIST_FIELDS)
            if diff:
                return diff
        return None
    if isinstance(want, list):
        if not isinstance(got, (list, tuple)):
            return f"{where}: expected {want!r} vs got {got!r}"
        if len(want) != len(got):
            return f"{where}: expected {len(want)} items {want!r} vs got {len(got)} {list(got)!r}"
        for i, (w, g) in enumerate(zip(want, got)):
            diff = compare(w, g, f"{path}[{i}]", quantity)
            if diff:
                return diff
        return None
    if quantity and isinstance(want, (str, int, float)) and isinstance(got, (str, int, float)):
        if _quantity_equal(want, got):
            return None
        return f"{where}: expected quantity {want!r} vs got {got!r}"
    if type(want) is not type(got) and not (isinstance(want, (int, float)) and isinstance(got, (int, float))
                                            and not isinstance(want, bool) and not isinstance(got, bool)):
        return f"{where}: expected {want!r} vs got {got!r}"
    if want != got:
        return f"{where}: expected {want!r} vs got {got!r}"
    return None
