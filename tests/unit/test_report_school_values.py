"""A report's table of each school's values prints them as the national forms do (to 0.01,
rounded half up, as the Chinese tables give them), but never a value below its minimum as one
that reaches it.

Source of the 0.01: the national application form's display rounding, per-school values to 2
decimals (REFERENCE §11, "Display rounding on the national application form: per-school values
2 dp"), the same as the Chinese tables' ``per_pupil`` display (``DISPLAYS``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from eduequity.metrics import round_half_up
from eduequity.report._county_page import _school_value


@given(
    st.floats(0.0, 1e5, allow_nan=False),
    st.sampled_from([0.9, 1.0, 2.3, 2.4, 4.5, 5.3, 5.8, 7.5, 10.2, 2000.0, 2500.0]),
)
def test_a_value_below_its_minimum_never_reads_as_reaching_it(value: float, minimum: float) -> None:
    shown = float(_school_value(value, minimum))
    if value < minimum:
        assert shown < minimum
        assert shown <= value + 0.005  # cut, or rounded to 0.01 where that stays below
    else:
        assert shown == round_half_up(value, 2)


def test_the_forms_decimals() -> None:
    from eduequity._column_labels import DISPLAYS

    assert DISPLAYS["per_pupil"] == 2  # the Chinese tables print per-school values alike
    assert _school_value(1839.752, 2000.0) == "1839.75"
    assert _school_value(2.941, 2.3) == "2.94"
    assert _school_value(4.499, 4.5) == "4.499"  # not 4.5 beside ≥4.5
    assert _school_value(4.49999, 4.5) == "4.499"
    assert _school_value(0.8999999, 0.9) == "0.899"
    assert _school_value(4.5, 4.5) == "4.5"
