"""Numbers in messages and reports are rounded as the published tables round them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from eduequity.rules import format_cv, format_number

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e13, max_value=1e13)
# Values on and next to a rounding tie of the third decimal (x.xxx5), the hard cases.
ties = st.integers(min_value=-(10**9), max_value=10**9).map(lambda k: (k + 0.5) / 1000)


def decimal_half_up(value: float) -> str:
    """The shortest decimal form of ``value`` rounded half away from zero to 3 decimals,
    without trailing zeros: a plain reference written with the decimal module."""
    text = format(Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


@given(finite | ties)
def test_format_number_rounds_the_decimal_value_half_up(value: float) -> None:
    """format_number equals rounding the decimal value half up, ties included."""
    assert format_number(value) == decimal_half_up(value)


def test_format_number_known_values() -> None:
    """Zeros, ties and large values format as published."""
    values = [0.0, -0.0, 0.0005, -0.0005, 2.0005, 1234567.8915, 45.0, 1e12 + 0.25]
    assert [format_number(v) for v in values] == [
        "0",
        "0",
        "0.001",
        "-0.001",
        "2.001",
        "1234567.892",
        "45",
        "1000000000000.25",
    ]


def test_format_cv_keeps_three_decimals() -> None:
    """A CV always shows three decimals; an undefined one says so."""
    assert [format_cv(v) for v in (0.5625, 0.1, 0.0, None, float("nan"))] == [
        "0.563",
        "0.100",
        "0.000",
        "undefined",
        "undefined",
    ]


@given(finite | ties)
def test_format_cv_rounds_the_decimal_value_half_up(value: float) -> None:
    """format_cv gives the decimal value rounded half up to 3 decimals (trailing zeros kept),
    ties included: the summary of a national table formats its 42,000 CVs by it."""
    expected = Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    assert format_cv(value) == f"{float(expected):.3f}"


def test_round_half_up_to_tens() -> None:
    """A negative ``ndigits`` rounds to tens, a tie half away from zero (the ties did so
    before; a value away from a tie raised a ValueError of Python's format)."""
    import numpy as np

    from eduequity.metrics import round_half_up, round_half_up_array

    assert [round_half_up(v, -1) for v in (15.0, 12.0, -25.0, 1e13)] == [20.0, 10.0, -30.0, 1e13]
    assert round_half_up_array(np.array([15.0, 12.0]), -1).tolist() == [20.0, 10.0]
