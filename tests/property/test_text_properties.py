"""The vectorised number formatting used by the findings table equals the scalar one."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from eduequity.rules.text import format_cv, format_cvs, format_number, format_numbers

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e13, max_value=1e13)
# Values on and next to a rounding tie of the third decimal (x.xxx5), the hard cases.
ties = st.integers(min_value=-(10**9), max_value=10**9).map(lambda k: (k + 0.5) / 1000)


@given(st.lists(finite | ties | st.just(float("nan")), max_size=50))
def test_format_numbers_equals_format_number(values: list[float]) -> None:
    """The vectorised number formatting equals format_number, ties and NaN included."""
    out = format_numbers(np.array(values, dtype=np.float64)).to_pylist()
    expected = [None if np.isnan(v) else format_number(v) for v in values]
    assert out == expected


def test_format_numbers_known_values() -> None:
    """Zeros, ties, large values and infinity format as published."""
    values = [0.0, -0.0, 0.0005, -0.0005, 2.0005, 1234567.8915, 45.0, 1e12 + 0.25, float("inf")]
    assert format_numbers(np.array(values)).to_pylist() == [
        "0",
        "0",
        "0.001",
        "-0.001",
        "2.001",
        "1234567.892",
        "45",
        "1000000000000.25",
        None,
    ]


@given(st.lists(finite | ties | st.just(float("nan")) | st.just(-0.0), max_size=50))
def test_format_cvs_equals_format_cv(values: list[float]) -> None:
    """The vectorised CV formatting equals format_cv, ties and NaN included."""
    out = format_cvs(np.array(values, dtype=np.float64)).to_pylist()
    assert out == [format_cv(v) for v in values]
