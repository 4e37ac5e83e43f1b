"""A figure printed beside its requirement is on the requirement's side the figure is on.

Compute unrounded, round only for output (REFERENCE §11, display rounding: per-school values 2
decimals, CVs 3): a CV of 0.4504 fails at most 0.45, so it is never printed as 0.450 beside
未达标, and a school's 4.4996 m² per pupil is never 4.5 beside at least 4.5. Where rounding
would carry a figure across, it keeps the decimals that show its side; elsewhere it is the
forms' rounding unchanged."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

import eduequity as ee
from eduequity import batch
from eduequity._printed import MOST_DECIMALS, printed
from eduequity._table_files import display_table
from eduequity._text import format_cv, format_number
from eduequity.metrics import round_half_up

_HOLDS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}


@given(
    st.floats(0.0, 1e4, allow_nan=False),
    st.sampled_from([0.45, 0.5, 0.55, 0.65, 0.9, 2.3, 4.5, 7.5, 2000.0]),
    st.sampled_from(sorted(_HOLDS)),
    st.sampled_from([2, 3]),
    st.sampled_from([0.0, 1e-4, -1e-4, 4e-3, -4e-3, 1e-7, -1e-7]),
)
def test_the_printed_figure_keeps_its_side(
    value: float, threshold: float, op: str, digits: int, near: float
) -> None:
    """Near the threshold or not: the printed figure meets the requirement exactly when the
    figure does (within the most decimals printed), is the forms' rounding where that already
    does, and is off the figure by less than its last decimal."""
    v = threshold + near if near else value
    (shown,), (places,) = printed(np.array([v]), np.array([digits]), np.array([threshold]), op)
    holds = _HOLDS[op]
    rounded = round_half_up(v, digits)
    if holds(rounded, threshold) == holds(v, threshold):
        assert (shown, places) == (rounded, digits)
    else:
        assert places > digits
        assert holds(shown, threshold) == holds(v, threshold) or places == MOST_DECIMALS
        assert abs(shown - v) < 10.0**-places


def test_messages_and_reports_print_each_figure_on_its_side() -> None:
    """Through the texts people read: a finding's CV and a school's value beside their
    requirement."""
    assert format_cv(0.4504, 0.45) == "0.4504"  # fails at most 0.45: not 0.450
    assert format_cv(0.4496, 0.45) == "0.450"  # meets it: the forms' 3 decimals
    assert format_cv(0.4504) == "0.450"  # no requirement beside it
    assert format_number(4.4996, (">=", 4.5)) == "4.4996"
    assert format_number(4.5004, (">=", 4.5)) == "4.5"
    assert format_number(900.4, ("<=", 900.0)) == "900.4"


def test_a_county_whose_cv_rounds_to_its_maximum_reads_above_it() -> None:
    """The sample county with one junior CV put just above its maximum: the Chinese counties
    table prints it above the maximum (it fails), and the one just below it as the forms do."""
    result = batch.evaluate_table(
        batch.table_from_counties([ee.datasets.sample_county()]), "cn-quality-2017"
    )
    counties = result.counties
    name = "cv_teachers_backbone_per_100_students"
    cv = counties.column(name).to_numpy(zero_copy_only=False).copy()
    maximum = counties.column("threshold").to_numpy(zero_copy_only=False)
    cv[:2] = maximum[:2] + np.array([4e-4, -4e-4])
    shown = display_table(
        counties.set_column(counties.column_names.index(name), name, pa.array(cv)),
        "zh",
        "counties",
    )
    column = shown.column(counties.column_names.index(name)).to_pylist()
    assert column[0] > maximum[0]
    assert column[1] == round_half_up(cv[1], 3)
