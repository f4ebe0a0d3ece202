"""resource.Quantity parsing against the table tests of upstream quantity_test.go
(staging/src/k8s.io/apimachinery/pkg/api/resource/quantity_test.go@002cd1a0cd960ebe9d6f194d342384d6fe0fedcf:
TestQuantityParse, TestParseQuantityString, TestInterpretExponentInt32Bounds, TestQuantityCmp).

``decQuantity(v, s, ...)`` upstream is the exact amount v × 10^s; the format column is not modelled."""

from __future__ import annotations

from fractions import Fraction

import pytest

from k8sdocs.model.quantity import QuantityError, parse_quantity

MAX_ALLOWED = 2**63 - 1  # quantity.go maxAllowed


def dec(v: int | float, s: int) -> Fraction:
    return Fraction(v) * Fraction(10) ** s


KI, MI, GI, TI, PI, EI = (2**(10 * k) for k in range(1, 7))

# TestQuantityParse: the valid table, in upstream order.
VALID = [
    ("0", dec(0, 0)), ("0n", dec(0, 0)), ("0u", dec(0, 0)), ("0m", dec(0, 0)), ("0Ki", dec(0, 0)), ("0k", dec(0, 0)),
    ("0Mi", dec(0, 0)), ("0M", dec(0, 0)), ("0Gi", dec(0, 0)), ("0G", dec(0, 0)), ("0Ti", dec(0, 0)), ("0T", dec(0, 0)),
    ("1", dec(1, 0)),
    ("1Ki", dec(KI, 0)), ("8Ki", dec(8 * KI, 0)), ("7Mi", dec(7 * MI, 0)), ("6Gi", dec(6 * GI, 0)),
    ("5Ti", dec(5 * TI, 0)), ("4Pi", dec(4 * PI, 0)), ("3Ei", dec(3 * EI, 0)),
    ("10Ti", dec(10 * TI, 0)), ("100Ti", dec(100 * TI, 0)),
    ("5n", dec(5, -9)), ("4u", dec(4, -6)), ("3m", dec(3, -3)), ("9", dec(9, 0)), ("8k", dec(8, 3)), ("50k", dec(5, 4)),
    ("7M", dec(7, 6)), ("6G", dec(6, 9)), ("5T", dec(5, 12)), ("40T", dec(4, 13)), ("300T", dec(3, 14)),
    ("2P", dec(2, 15)), ("1E", dec(1, 18)),
    ("1E-3", dec(1, -3)), ("1e3", dec(1, 3)), ("1E6", dec(1, 6)), ("1e9", dec(1, 9)), ("1E12", dec(1, 12)),
    ("1e15", dec(1, 15)), ("1E18", dec(1, 18)),
    ("1e14", dec(1, 14)), ("1e13", dec(1, 13)), ("100.035k", dec(100035, 0)),
    ("0.001", dec(1, -3)), ("0.0005k", dec(5, -1)), ("0.005", dec(5, -3)), ("0.05", dec(5, -2)), ("0.5", dec(5, -1)),
    ("0.00050k", dec(5, -1)), ("0.00500", dec(5, -3)), ("0.05000", dec(5, -2)), ("0.50000", dec(5, -1)),
    ("0.5e0", dec(5, -1)), ("0.5e-1", dec(5, -2)), ("0.5e-2", dec(5, -3)), ("10.035M", dec(10035, 3)),
    ("1.2e3", dec(12, 2)), ("1.3E+6", dec(13, 5)), ("1.40e9", dec(14, 8)), ("1.53E12", dec(153, 10)),
    ("1.6e15", dec(16, 14)), ("1.7E18", dec(17, 17)),
    ("9.01", dec(901, -2)), ("8.1k", dec(81, 2)), ("7.123456M", dec(7123456, 0)), ("6.987654321G", dec(6987654321, 0)),
    ("5.444T", dec(5444, 9)), ("40.1T", dec(401, 11)), ("300.2T", dec(3002, 11)), ("2.5P", dec(25, 14)),
    ("1.01E", dec(101, 16)),
    # Things that saturate/round
    ("3.001n", dec(4, -9)), ("1.1E-9", dec(2, -9)), ("0.0000000001", dec(1, -9)), ("0.0000000005", dec(1, -9)),
    ("0.00000000050", dec(1, -9)), ("0.5e-9", dec(1, -9)), ("0.9n", dec(1, -9)), ("0.00000012345", dec(124, -9)),
    ("0.00000012354", dec(124, -9)), ("9Ei", Fraction(MAX_ALLOWED)), ("9223372036854775807Ki", Fraction(MAX_ALLOWED)),
    ("12E", dec(12, 18)),
    # fractional binary
    ("100.035Ki", dec(10243584, -2)), ("0.5Mi", dec(MI // 2, 0)), ("0.05Gi", dec(536870912, -1)),
    ("0.025Ti", dec(274877906944, -1)),
    # Things written by trolls
    ("0.000000000001Ki", dec(2, -9)), (".001", dec(1, -3)), (".0001k", dec(100, -3)), ("1.", dec(1, 0)),
    ("1.G", dec(1, 9)),
]


@pytest.mark.parametrize("text, amount", VALID, ids=[t for t, _ in VALID])
def test_quantity_parse_valid_table(text: str, amount: Fraction) -> None:
    assert parse_quantity(text).amount == amount


@pytest.mark.parametrize("text, amount", VALID, ids=[t for t, _ in VALID])
def test_quantity_parse_negative_and_explicit_plus(text: str, amount: Fraction) -> None:
    """TestQuantityParse also parses "-" + input (the negated amount) and "+" + input (the same amount)."""
    assert parse_quantity("-" + text).amount == -amount
    assert parse_quantity("+" + text).amount == amount


INVALID = ["1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-",
           "1e4294967297",  # exponent outside int32: rejected, not truncated to 1e1
           " 1", "1 ", ""]


@pytest.mark.parametrize("text", INVALID)
def test_quantity_parse_invalid_table(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(text)


@pytest.mark.parametrize("text", [".", "-."])
def test_bare_dot_parses_as_zero(text: str) -> None:
    """TestParseQuantityString: "." and "-." give num "0" and an empty denominator; ParseQuantity's int64 fast path
    then returns 0 rather than ErrNumeric."""
    assert parse_quantity(text).amount == 0


@pytest.mark.parametrize(
    "suffix_text, ok",
    [("1e14", True), ("1E2147483647", True), ("1E-2147483647", True), ("1E2147483648", False),
     ("1E-2147483648", False), ("1E4294967297", False), ("1E8589934592", False), ("1E9223372036854775807", False),
     ("1E9223372036854775808", False), ("1E6024865272343", False)],
)
def test_interpret_exponent_int32_bounds(suffix_text: str, ok: bool) -> None:
    """TestInterpretExponentInt32Bounds: exponents past +-MaxInt32 are a suffix error. In-range huge exponents are
    only checked for not being rejected as a suffix (their amount is astronomically large or small)."""
    if ok and abs(int(suffix_text[2:])) > 100:
        return  # interpret accepts them; computing the exact amount is out of scope
    if ok:
        assert parse_quantity(suffix_text).amount == dec(1, int(suffix_text[2:]))
    else:
        with pytest.raises(QuantityError, match="unable to parse quantity's suffix"):
            parse_quantity(suffix_text)


@pytest.mark.parametrize("x, y, cmp", [("0", "0", 0), ("100m", "50m", 1), ("50m", "100m", -1), ("10000T", "100Gi", 1)])
def test_quantity_cmp(x: str, y: str, cmp: int) -> None:
    a, b = parse_quantity(x).amount, parse_quantity(y).amount
    assert (a > b) - (a < b) == cmp


def test_huge_exponents_parse_at_once():
    """A manifest cannot stall the build: exponents up to MaxInt32 are valid upstream and answer instantly."""
    from k8sdocs.model.quantity import parse_quantity

    assert parse_quantity("1e2147483647").value() > 2**63
    assert parse_quantity("1e-2147483647").milli_value() == 1  # rounds up to 1n, as ParseQuantity does
