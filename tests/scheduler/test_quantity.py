"""resource.Quantity parsing against upstream quantity_test.go / suffix semantics
(staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go)."""

from fractions import Fraction

import pytest

from k8sdocs.model.quantity import QuantityError, parse_quantity

FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"


@pytest.mark.parametrize(
    "text, amount",
    [
        ("250m", Fraction(1, 4)),
        ("1Gi", 2**30),
        ("1G", 10**9),
        ("4000", 4000),
        ("1.5", Fraction(3, 2)),
        ("1e3", 1000),
        ("1E3", 1000),
        ("+2k", 2000),
        ("-1.5m", Fraction(-3, 2000)),
        ("1.G", 10**9),  # quantity.go: "we currently allow 1.G"
        ("100Mi", 100 * 2**20),
        ("5n", Fraction(5, 10**9)),
        ("7u", Fraction(7, 10**6)),
        ("0", 0),
        ("-", 0),  # parseQuantityString: sign then end of string -> "0"
        (".5", Fraction(1, 2)),
        (2, 2),
        (0.5, Fraction(1, 2)),
    ],
)
def test_parse_amount(text, amount):
    assert parse_quantity(text).amount == amount


def test_sub_nano_precision_rounds_up():
    # ParseQuantity rounds anything finer than 1n up (inf.RoundUp).
    assert parse_quantity("0.1n").amount == Fraction(1, 10**9)


@pytest.mark.parametrize(
    "text, milli, value",
    [("250m", 250, 1), ("1", 1000, 1), ("1.5", 1500, 2), ("0.1m", 1, 1), ("-1.5", -1500, -2), ("100Mi", 104857600000, 104857600)],
)
def test_milli_value_and_value_round_up_away_from_zero(text, milli, value):
    q = parse_quantity(text)
    assert q.milli_value() == milli
    assert q.value() == value


@pytest.mark.parametrize(
    "text, message",
    [
        ("", FORMAT_WRONG),
        ("abc", FORMAT_WRONG),
        ("1.2.3", FORMAT_WRONG),
        ("1x", FORMAT_WRONG),
        ("1Gi5", "unable to parse quantity's suffix"),  # suffix loop takes "Gi" then digits
        ("1K", "unable to parse quantity's suffix"),
        ("1e", "unable to parse quantity's suffix"),
        ("1Gu", "unable to parse quantity's suffix"),
        (".e-10", "unable to parse numeric part of quantity"),  # no digits and scale < Nano: inf.Dec SetString fails
        (".Pi", "unable to parse numeric part of quantity"),  # no digits, binary precision < 0: slow path
    ],
)
def test_errors_are_upstream_text(text, message):
    with pytest.raises(QuantityError) as exc:
        parse_quantity(text)
    assert str(exc.value) == message
    assert isinstance(exc.value, ValueError)
