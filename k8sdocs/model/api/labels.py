"""apimachinery's label selectors as upstream parses, prints and matches them.

Upstream (kubernetes/apimachinery tag kubernetes-1.35.7): ``pkg/labels/selector.go`` (Lexer, Parser, ``Parse``,
``NewRequirement``, ``Requirement.Matches``/``String``, ``internalSelector``; ``Nothing()`` prints ""),
``pkg/selection/operator.go`` (operator spellings) and ``pkg/apis/meta/v1/helpers.go`` (``LabelSelectorAsSelector``,
``LabelSelectorAsMap``). The one label-selector implementation of the model: controllers, the scheduler's plugins,
the API server's list/watch selectors and kube-proxy all use it, and the fidelity function cases referee it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from k8sdocs.model.api.validation import go_quote, is_label_key, is_label_value

_INT_RE = re.compile(r"^[+-]?[0-9]+$")


def parse_int64(text: str) -> int | None:
    """``strconv.ParseInt(text, 10, 64)``: optional sign and decimal digits only, within int64; else None."""
    if not _INT_RE.match(text):
        return None
    n = int(text)
    return n if -(2**63) <= n < 2**63 else None

# pkg/selection/operator.go
DOES_NOT_EXIST = "!"
EQUALS = "="
DOUBLE_EQUALS = "=="
IN = "in"
NOT_EQUALS = "!="
NOT_IN = "notin"
EXISTS = "exists"
GREATER_THAN = "gt"
LESS_THAN = "lt"
VALID_REQUIREMENT_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, EXISTS, DOES_NOT_EXIST,
                               GREATER_THAN, LESS_THAN)
BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)


class SelectorParseError(ValueError):
    """A selector that ``labels.Parse`` / ``NewRequirement`` / ``LabelSelectorAsSelector`` rejects (upstream text)."""


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """``Requirement.Matches``."""
        op = self.operator
        if op in (IN, EQUALS, DOUBLE_EQUALS):
            return self.key in labels and labels[self.key] in self.values
        if op in (NOT_IN, NOT_EQUALS):
            return self.key not in labels or labels[self.key] not in self.values
        if op == EXISTS:
            return self.key in labels
        if op == DOES_NOT_EXIST:
            return self.key not in labels
        if op in (GREATER_THAN, LESS_THAN):
            if self.key not in labels:
                return False
            have = parse_int64(labels[self.key])
            if have is None or len(self.values) != 1:
                return False
            want = parse_int64(self.values[0])
            if want is None:
                return False
            return have > want if op == GREATER_THAN else have < want
        return False

    def string(self) -> str:
        """``Requirement.String``: values printed sorted, ``in``/``notin`` in parentheses."""
        out = "!" if self.operator == DOES_NOT_EXIST else ""
        out += self.key
        spelled = {EQUALS: "=", DOUBLE_EQUALS: "==", NOT_EQUALS: "!=", IN: " in ", NOT_IN: " notin ",
                   GREATER_THAN: ">", LESS_THAN: "<"}
        if self.operator in (EXISTS, DOES_NOT_EXIST):
            return out
        out += spelled.get(self.operator, "")
        values = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if self.operator in (IN, NOT_IN):
            return out + "(" + values + ")"
        return out + values


@dataclass(frozen=True)
class Selector:
    """``internalSelector`` (requirements sorted by key) or ``nothingSelector`` (``nothing=True``)."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        return not self.nothing and not self.requirements

    def string(self) -> str:
        if self.nothing:
            return ""
        return ",".join(r.string() for r in self.requirements)


def everything() -> Selector:
    return Selector()


def nothing() -> Selector:
    return Selector(nothing=True)


def _go_string_slice(values: Sequence[str] | None) -> str:
    """``%#v`` of a []string as field.Invalid prints it: ``[]string(nil)`` for a nil slice (None)."""
    if values is None:
        return "[]string(nil)"
    return "[]string{" + ", ".join(go_quote(v) for v in values) + "}"


def requirement_errors(key: str, op: str, values: Sequence[str] | None, path: str = "") -> list[str]:
    """The ``field.ErrorList`` ``NewRequirement`` builds, each error as its ``Error()`` text (empty when valid).

    ``values`` None is Go's nil slice (printed ``[]string(nil)`` in an error), ``[]`` an empty one (``[]string{}``);
    ``path`` is the ``field.WithPath`` option (``nodeaffinity`` passes ``...matchExpressions[i]``)."""
    def child(name: str) -> str:
        return f"{path}.{name}" if path else name

    errs: list[str] = []
    key_errs = is_label_key(key)
    if key_errs:
        errs.append(f"{child('key')}: Invalid value: {go_quote(key)}: {'; '.join(key_errs)}")
    values_path = child("values")
    shown = values
    vals = list(values or [])
    if op in (IN, NOT_IN):
        if not vals:
            errs.append(f"{values_path}: Invalid value: {_go_string_slice(shown)}: "
                        "for 'in', 'notin' operators, values set can't be empty")
    elif op in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(vals) != 1:
            errs.append(f"{values_path}: Invalid value: {_go_string_slice(shown)}: "
                        "exact-match compatibility requires one single value")
    elif op in (EXISTS, DOES_NOT_EXIST):
        if vals:
            errs.append(f"{values_path}: Invalid value: {_go_string_slice(shown)}: "
                        "values set must be empty for exists and does not exist")
    elif op in (GREATER_THAN, LESS_THAN):
        if len(vals) != 1:
            errs.append(f"{values_path}: Invalid value: {_go_string_slice(shown)}: "
                        "for 'Gt', 'Lt' operators, exactly one value is required")
        for i, v in enumerate(vals):
            if parse_int64(v) is None:
                errs.append(f"{values_path}[{i}]: Invalid value: {go_quote(v)}: "
                            "for 'Gt', 'Lt' operators, the value must be an integer")
    else:
        supported = ", ".join(go_quote(o) for o in VALID_REQUIREMENT_OPERATORS)
        errs.append(f"{child('operator')}: Unsupported value: {go_quote(op)}: supported values: {supported}")
    for i, v in enumerate(vals):
        v_errs = is_label_value(v)
        if v_errs:
            errs.append(f"{values_path}[{i}][{key}]: Invalid value: {go_quote(v)}: {'; '.join(v_errs)}")
    return errs


def aggregate(errors: Sequence[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()`` (apimachinery/pkg/util/errors/errors.go): repeated messages once;
    a single distinct message as is, several as ``[e1, e2]``."""
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def new_requirement(key: str, op: str, values: Sequence[str] | None, path: str = "") -> Requirement:
    """``NewRequirement``: raises SelectorParseError with the aggregated field errors upstream returns
    (see :func:`requirement_errors` for ``values`` and ``path``)."""
    errs = requirement_errors(key, op, values, path)
    if errs:
        raise SelectorParseError(aggregate(errs))
    return Requirement(key, op, tuple(values or ()))


def new_selector_from_requirements(reqs: Sequence[Requirement]) -> Selector:
    """``NewSelector().Add(reqs...)``: sorted by key (stable)."""
    return Selector(tuple(sorted(reqs, key=lambda r: r.key)))


def selector_from_set(ls: Mapping[str, str] | None) -> Selector:
    """``SelectorFromSet`` (= ``SelectorFromValidatedSet``): one ``=`` requirement per label, sorted by key, not
    validated; a nil or empty set is Everything."""
    if not ls:
        return everything()
    return new_selector_from_requirements([Requirement(str(k), EQUALS, (str(v),)) for k, v in ls.items()])


# -- lexer / parser (selector.go) --------------------------------------------------------------------
_ERROR, _EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPEN = range(14)
_STRING2TOKEN = {")": _CLOSE, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "in": _IN, "<": _LT,
                 "!=": _NEQ, "notin": _NOTIN, "(": _OPEN}
_SPECIAL = set("=!(),><")
_WHITESPACE = set(" \t\r\n")


def _lex(s: str) -> list[tuple[int, str]]:
    data = s.encode("utf-8")
    pos = 0
    items: list[tuple[int, str]] = []

    def read() -> int:
        nonlocal pos
        if pos < len(data):
            pos += 1
            return data[pos - 1]
        return 0

    while True:
        ch = read()
        while chr(ch) in _WHITESPACE and ch != 0:
            ch = read()
        if ch == 0:
            items.append((_EOS, ""))
            return items
        pos -= 1
        if chr(ch) in _SPECIAL:
            buf = b""
            last: tuple[int, str] | None = None
            while True:
                c = read()
                if c == 0:
                    break
                if chr(c) in _SPECIAL:
                    buf += bytes([c])
                    tok = _STRING2TOKEN.get(buf.decode("latin-1"))
                    if tok is not None:
                        last = (tok, buf.decode("latin-1"))
                    elif last is not None:
                        pos -= 1
                        break
                else:
                    pos -= 1
                    break
            if last is None:
                items.append((_ERROR, f"error expected: keyword found '{buf.decode('utf-8', 'replace')}'"))
            else:
                items.append(last)
        else:
            buf = b""
            while True:
                c = read()
                if c == 0:
                    break
                if chr(c) in _SPECIAL or chr(c) in _WHITESPACE:
                    pos -= 1
                    break
                buf += bytes([c])
            text = buf.decode("utf-8", "replace")
            items.append((_STRING2TOKEN.get(text, _ID), text))


class _Parser:
    def __init__(self, selector: str) -> None:
        self.items = _lex(selector)
        self.position = 0

    def _tok(self, i: int, values: bool) -> tuple[int, str]:
        tok, lit = self.items[i]
        if values and tok in (_IN, _NOTIN):
            tok = _ID
        return tok, lit

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        return self._tok(self.position, values)

    def consume(self, values: bool = True) -> tuple[int, str]:
        self.position += 1
        return self._tok(self.position - 1, values)

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.lookahead()
            if tok in (_ID, _NOT):
                try:
                    reqs.append(self.parse_requirement())
                except SelectorParseError as err:
                    raise SelectorParseError(f"unable to parse requirement: {err}") from None
                t, lit = self.consume()
                if t == _EOS:
                    return reqs
                if t == _COMMA:
                    t2, l2 = self.lookahead()
                    if t2 not in (_ID, _NOT):
                        raise SelectorParseError(f"found '{l2}', expected: identifier after ','")
                else:
                    raise SelectorParseError(f"found '{lit}', expected: ',' or 'end of string'")
            elif tok == _EOS:
                return reqs
            else:
                raise SelectorParseError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def parse_requirement(self) -> Requirement:
        key, op = self.parse_key_and_infer_operator()
        if op in (EXISTS, DOES_NOT_EXIST):
            return new_requirement(key, op, [])
        op = self.parse_operator()
        values = self.parse_values() if op in (IN, NOT_IN) else self.parse_exact_value()
        return new_requirement(key, op, sorted(values))

    def parse_key_and_infer_operator(self) -> tuple[str, str]:
        op = ""
        tok, lit = self.consume()
        if tok == _NOT:
            op = DOES_NOT_EXIST
            tok, lit = self.consume()
        if tok != _ID:
            raise SelectorParseError(f"found '{lit}', expected: identifier")
        key_errs = is_label_key(lit)
        if key_errs:
            # validateLabelKey(literal, p.path) with Parse's nil path: field.Error prints the path as "<nil>".
            raise SelectorParseError(f"<nil>: Invalid value: {go_quote(lit)}: {'; '.join(key_errs)}")
        t, _ = self.lookahead()
        if t in (_EOS, _COMMA) and op != DOES_NOT_EXIST:
            op = EXISTS
        return lit, op

    def parse_operator(self) -> str:
        tok, lit = self.consume(values=False)
        ops = {_IN: IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _GT: GREATER_THAN, _LT: LESS_THAN, _NOTIN: NOT_IN,
               _NEQ: NOT_EQUALS}
        if tok not in ops:
            raise SelectorParseError(f"found '{lit}', expected: {', '.join(BINARY_OPERATORS)}")
        return ops[tok]

    def parse_values(self) -> set[str]:
        tok, lit = self.consume()
        if tok != _OPEN:
            raise SelectorParseError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead()
        if tok in (_ID, _COMMA):
            s = self.parse_identifiers_list()
            tok2, _ = self.consume()
            if tok2 != _CLOSE:
                raise SelectorParseError(f"found '{lit}', expected: ')'")
            return s
        if tok == _CLOSE:
            self.consume()
            return {""}
        raise SelectorParseError(f"found '{lit}', expected: ',', ')' or identifier")

    def parse_identifiers_list(self) -> set[str]:
        s: set[str] = set()
        while True:
            tok, lit = self.consume()
            if tok == _ID:
                s.add(lit)
                tok2, lit2 = self.lookahead()
                if tok2 == _COMMA:
                    continue
                if tok2 == _CLOSE:
                    return s
                raise SelectorParseError(f"found '{lit2}', expected: ',' or ')'")
            if tok == _COMMA:
                if not s:
                    s.add("")
                tok2, _ = self.lookahead()
                if tok2 == _CLOSE:
                    s.add("")
                    return s
                if tok2 == _COMMA:
                    s.add("")
                continue
            raise SelectorParseError(f"found '{lit}', expected: ',', or identifier")

    def parse_exact_value(self) -> set[str]:
        tok, _ = self.lookahead()
        if tok in (_EOS, _COMMA):
            return {""}
        tok, lit = self.consume()
        if tok == _ID:
            return {lit}
        raise SelectorParseError(f"found '{lit}', expected: identifier")


def parse(selector: str) -> Selector:
    """``labels.Parse``: raises SelectorParseError with upstream's message."""
    return new_selector_from_requirements(_Parser(selector).parse())


# -- metav1 helpers (pkg/apis/meta/v1/helpers.go) -----------------------------------------------------
_METAV1_OPS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def label_selector_as_selector(ps: Mapping[str, Any] | None) -> Selector:
    """``LabelSelectorAsSelector``: nil → Nothing, empty → Everything; matchLabels become ``=`` requirements."""
    if ps is None:
        return nothing()
    match_labels = ps.get("matchLabels") or {}
    match_expressions = ps.get("matchExpressions") or []
    if not match_labels and not match_expressions:
        return everything()
    reqs: list[Requirement] = []
    for k, v in dict(match_labels).items():
        reqs.append(new_requirement(str(k), EQUALS, [str(v)]))
    for expr in match_expressions:
        op_name = str(expr.get("operator", ""))
        if op_name not in _METAV1_OPS:
            raise SelectorParseError(f"{go_quote(op_name)} is not a valid label selector operator")
        # append([]string(nil), expr.Values...): no values is a nil slice, printed []string(nil) in an error.
        values = [str(v) for v in (expr.get("values") or [])]
        reqs.append(new_requirement(str(expr.get("key", "")), _METAV1_OPS[op_name], values or None))
    return new_selector_from_requirements(reqs)


def label_selector_as_map(ps: Mapping[str, Any] | None) -> dict[str, str] | None:
    """``LabelSelectorAsMap``: only ``In`` expressions with exactly one value convert."""
    if ps is None:
        return None
    selector: dict[str, str] = {str(k): str(v) for k, v in dict(ps.get("matchLabels") or {}).items()}
    for expr in ps.get("matchExpressions") or []:
        key = str(expr.get("key", ""))
        op = str(expr.get("operator", ""))
        values = [str(v) for v in (expr.get("values") or [])]
        if op == "In":
            if len(values) != 1:
                raise SelectorParseError(f"operator {go_quote(op)} without a single value cannot be converted into "
                                         "the old label selector format")
            selector[key] = values[0]
        elif op in ("NotIn", "Exists", "DoesNotExist"):
            raise SelectorParseError(f"operator {go_quote(op)} cannot be converted into the old label selector format")
        else:
            raise SelectorParseError(f"{go_quote(op)} is not a valid selector operator")
    return selector
