"""Exact ``resource.Quantity`` parsing, as the API server and the scheduler read resource amounts.

Upstream: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (``ParseQuantity``,
``parseQuantityString``, ``MilliValue``, ``Value``) and suffix.go (the suffixer).
Arithmetic is exact (``fractions.Fraction``); upstream keeps at most nano precision and rounds the
parsed value up (away from zero) to it, which we reproduce.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

# quantity.go: splitREString / ErrFormatWrong / ErrNumeric / ErrSuffix (verbatim).
SPLIT_RE_STRING = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{SPLIT_RE_STRING}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

# suffix.go: binary (base 2) and decimal (base 10) suffixes.
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DIGITS = "0123456789"
_SUFFIX_CHARS = "eEinumkKMGTP"
_NANO = Fraction(1, 10**9)
# quantity.go: maxAllowed = infDecAmount{inf.NewDec((1<<63)-1, 0)}; ParseQuantity caps BinarySI amounts at it.
_MAX_ALLOWED = 2**63 - 1
# quantity.go: maxInt64Factors = 18 (digits that always fit an int64 in ParseQuantity's fast path).
_MAX_INT64_FACTORS = 18
# suffix.go interpret: a decimal exponent outside [-MaxInt32, MaxInt32] is rejected (quantity_test.go
# TestInterpretExponentInt32Bounds), not truncated to an int32.
_MAX_INT32 = 2**31 - 1


class QuantityError(ValueError):
    """Raised with upstream's error text (ErrFormatWrong, ErrNumeric or ErrSuffix)."""


@dataclass(frozen=True)
class Quantity:
    """An exact amount; ``text`` is the string it was parsed from (for display)."""

    amount: Fraction
    text: str = ""

    def value(self) -> int:
        """``Quantity.Value``: the amount rounded up to an integer, away from zero."""
        return _ceil_away(self.amount)

    def milli_value(self) -> int:
        """``Quantity.MilliValue``: ceil(amount × 1000), away from zero."""
        return _ceil_away(self.amount * 1000)

    def __str__(self) -> str:  # pragma: no cover - display helper
        return self.text


def _ceil_away(x: Fraction) -> int:
    if x >= 0:
        return -((-x.numerator) // x.denominator)
    return -_ceil_away(-x)


def _split(text: str) -> tuple[bool, str, str]:
    """Port of ``parseQuantityString``: (positive, numeric value text, suffix); raises ErrFormatWrong."""
    positive = True
    pos = 0
    end = len(text)
    if pos < end and text[0] in "+-":
        positive = text[0] == "+"
        pos += 1
    # leading zeros up to the end of the string mean zero ("-", "+", "000" parse as 0 upstream)
    if text[pos:].strip("0") == "":
        return positive, "0", ""
    # numeric part: digits, optional '.', digits ("1.G" is allowed upstream)
    i = pos
    while i < end and text[i] in _DIGITS:
        i += 1
    if i < end and text[i] == ".":
        i += 1
        while i < end and text[i] in _DIGITS:
            i += 1
    value = text[pos:i]
    if i >= end:
        return positive, value, ""
    suffix_start = i
    while i < end and text[i] in _SUFFIX_CHARS:
        i += 1
    if i < end and text[i] in "+-":
        i += 1
    while i < end and text[i] in _DIGITS:
        i += 1
    if i < end:
        raise QuantityError(ERR_FORMAT_WRONG)
    return positive, value, text[suffix_start:]


# Exponents whose exact power of ten is never needed (see _parse_text).
_EXACT_EXPONENT_LIMIT = 40


def _interpret(suffix: str) -> tuple[int, int]:
    """suffix.go ``interpret``: (base, exponent); raises ErrSuffix."""
    if suffix in _DECIMAL:
        return 10, _DECIMAL[suffix]
    if suffix in _BINARY:
        return 2, _BINARY[suffix]
    if len(suffix) > 1 and suffix[0] in "eE":
        exp = suffix[1:]
        body = exp[1:] if exp[:1] in "+-" else exp
        if body and all(c in _DIGITS for c in body) and abs(int(exp)) <= _MAX_INT32:
            return 10, int(exp)
    raise QuantityError(ERR_SUFFIX)


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Quantity:
    if not text:
        raise QuantityError(ERR_FORMAT_WRONG)
    if text == "0":
        return Quantity(Fraction(0), text)
    positive, value, suffix = _split(text)
    base, exponent = _interpret(suffix)
    if not any(c in _DIGITS for c in value):
        # "." / "-." / ".G": parseQuantityString gives num "0" and denom "", so ParseQuantity's int64 fast path
        # returns 0; only where that path does not apply does inf.Dec SetString(".") fail with ErrNumeric.
        if _fast_path(base, exponent, num_len=1, denom_len=0):
            return Quantity(Fraction(0), text)
        raise QuantityError(ERR_NUMERIC)
    whole, _, frac = value.partition(".")
    number = Fraction(int(whole or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
    if base == 10 and abs(exponent) > _EXACT_EXPONENT_LIMIT and number != 0:
        # Beyond any int64 value in any unit (10^40 > maxInt64 * 10^9): computing 10**exponent exactly
        # could take minutes for exponents near MaxInt32. Tiny amounts still round up to 1n as below;
        # huge ones are kept at 10^40, where every Value()/MilliValue() is already past int64 anyway.
        amount = _NANO if exponent < 0 else number * Fraction(10) ** _EXACT_EXPONENT_LIMIT
    else:
        amount = number * (Fraction(base) ** exponent)
    # ParseQuantity rounds anything finer than nano up (inf.RoundUp = away from zero).
    if (amount / _NANO).denominator != 1:
        amount = Fraction(_ceil_away(amount / _NANO)) * _NANO
    # "The max is just a simple cap": BinarySI amounts above maxInt64 become maxInt64 ("9Ei",
    # "9223372036854775807Ki" in quantity_test.go TestQuantityParse); decimal ones ("12E") are not capped.
    if base == 2 and amount > _MAX_ALLOWED:
        amount = Fraction(_MAX_ALLOWED)
    return Quantity(amount if positive else -amount, text)


def _fast_path(base: int, exponent: int, num_len: int, denom_len: int) -> bool:
    """ParseQuantity's int64 fast path applies (precision >= 0 and scale >= Nano), as in quantity.go."""
    if base == 10:
        precision = _MAX_INT64_FACTORS - (num_len + denom_len)
        scale = exponent - denom_len
    elif exponent >= 0 and denom_len == 0:
        # 15 - len(num) - int32(float32(exponent)*3/10) - 1
        precision = 15 - num_len - int(exponent * 3 / 10) - 1
        scale = 0
    else:
        return False
    return precision >= 0 and scale >= -9


def parse_quantity(value: str | int | float | Quantity) -> Quantity:
    """Parse a quantity as ``resource.ParseQuantity`` does; YAML ints/floats are accepted as their text."""
    if isinstance(value, Quantity):
        return value
    if isinstance(value, bool):
        raise QuantityError(ERR_FORMAT_WRONG)
    if isinstance(value, int):
        return _parse_text(str(value))
    if isinstance(value, float):
        return _parse_text(repr(value).replace("e+", "e"))
    if not isinstance(value, str):
        raise QuantityError(ERR_FORMAT_WRONG)
    return _parse_text(value)


def milli_value(value: str | int | float | Quantity) -> int:
    """Shorthand: ``parse_quantity(value).milli_value()`` (how cpu is compared)."""
    return parse_quantity(value).milli_value()


def int_value(value: str | int | float | Quantity) -> int:
    """Shorthand: ``parse_quantity(value).value()`` (how memory and other resources are compared)."""
    return parse_quantity(value).value()


# quantity.go ``CanonicalizeBytes`` / amount.go ``AsCanonicalBytes`` / ``AsCanonicalBase1024Bytes`` and suffix.go
# ``constructBytes``: the text ``Quantity.String()`` prints (validation messages show it).
_DECIMAL_BY_EXPONENT = {v: k for k, v in _DECIMAL.items()}
_BINARY_BY_EXPONENT = {v: k for k, v in _BINARY.items()}


def _format_of(text: str) -> str:
    try:
        _, _, suffix = _split(text.strip())
    except QuantityError:
        return "DecimalSI"
    if suffix in _BINARY:
        return "BinarySI"
    if suffix[:1] in ("e", "E"):
        return "DecimalExponent"
    return "DecimalSI"


def canonical_string(value: str | int | float | Quantity) -> str:
    """``Quantity.String()``: ``"0.5"`` -> ``500m``, ``"2000"`` -> ``2k``, ``"1024Mi"`` -> ``1Gi``, ``"1e3"`` -> ``1e3``."""
    q = parse_quantity(value)
    amount = q.amount
    if amount == 0:
        return "0"
    fmt = _format_of(q.text or str(value))
    if fmt == "BinarySI" and (-1024 < amount < 1024 or amount.denominator != 1):
        fmt = "DecimalSI"  # CanonicalizeBytes: small or fractional binary amounts print as DecimalSI
    sign = "-" if amount < 0 else ""
    if fmt == "BinarySI":
        number, exponent = abs(int(amount)), 0
        while number % 1024 == 0 and exponent < 60:  # removeInt64Factors(value, 1024)
            number //= 1024
            exponent += 10
        return f"{sign}{number}{_BINARY_BY_EXPONENT.get(exponent, '')}"
    number, exponent = int(abs(amount) / _NANO), -9  # amounts are kept at nano precision
    while number % 10 == 0:
        number //= 10
        exponent += 1
    shift = exponent % 3  # make the exponent a multiple of 3 (Go: cases 1/-2 and 2/-1)
    number *= 10**shift
    exponent -= shift
    if fmt == "DecimalSI" and exponent in _DECIMAL_BY_EXPONENT:
        return f"{sign}{number}{_DECIMAL_BY_EXPONENT[exponent]}"
    return f"{sign}{number}" + (f"e{exponent}" if exponent else "")
