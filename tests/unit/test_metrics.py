"""Unit tests of eduequity.metrics: edge cases, errors, grouped forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

import eduequity as ee
from eduequity import DataError


def test_one_school_has_cv_zero() -> None:
    """A single school has CV 0."""
    assert ee.weighted_cv([3.7], [120]) == 0.0


def test_identical_schools_have_cv_exactly_zero() -> None:
    """Identical values give exactly 0.0, not a rounding residue."""
    assert ee.weighted_cv([0.1] * 7, [3, 5, 7, 11, 13, 17, 19]) == 0.0
    assert ee.weighted_cv([1 / 3] * 4, [1e6, 1, 2, 999]) == 0.0


def test_mean_zero_is_undefined() -> None:
    """All values 0: the mean is 0 and the CV is undefined (NaN), not an error."""
    assert math.isnan(ee.weighted_cv([0.0, 0.0], [10, 20]))


def test_no_schools_is_undefined() -> None:
    """No schools: NaN."""
    assert math.isnan(ee.weighted_cv([], []))


def test_two_schools_by_hand() -> None:
    """Values 1 and 3 with weights 1 and 3: mean 2.5, S = sqrt(0.75), CV = sqrt(0.75)/2.5."""
    assert ee.weighted_cv([1.0, 3.0], [1, 3]) == pytest.approx(math.sqrt(0.75) / 2.5, rel=1e-15)


@pytest.mark.parametrize(
    ("values", "weights", "message"),
    [
        ([1.0, -1.0], [1, 1], "values[1] must be finite and >= 0. Got -1.0."),
        ([1.0, math.nan], [1, 1], "values[1] must be finite and >= 0. Got nan."),
        ([1.0, math.inf], [1, 1], "values[1] must be finite and >= 0. Got inf."),
        ([1.0, 2.0], [1, 0], "weights[1] must be finite and > 0. Got 0.0."),
        ([1.0, 2.0], [1, -3], "weights[1] must be finite and > 0. Got -3.0."),
        ([1.0, 2.0], [1], "must have the same length. Got 2 and 1."),
        ([[1.0]], [[1.0]], "must be 1-D"),
    ],
)
def test_bad_input_is_rejected_with_position_and_value(
    values: list[float], weights: list[float], message: str
) -> None:
    """Bad values or weights raise DataError (a ValueError) naming the position and value."""
    with pytest.raises(DataError, match=r"^weighted_cv: ") as info:
        ee.weighted_cv(values, weights)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_grouped_equals_scalar_per_group() -> None:
    """Each group's CV equals weighted_cv on that group's rows alone."""
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 5, size=200)
    x = rng.lognormal(size=200)
    w = rng.integers(1, 900, size=200).astype(float)
    grouped = ee.grouped_weighted_cv(x, w, codes)
    for g in range(5):
        sel = codes == g
        assert grouped[g] == pytest.approx(ee.weighted_cv(x[sel], w[sel]), rel=1e-13)


def test_empty_group_is_nan_and_counted_zero() -> None:
    """A group code with no rows gets count 0 and NaN statistics."""
    m = ee.grouped_weighted_moments([1.0, 2.0], [1, 1], ee.GroupIndex.from_codes([0, 2], 3))
    assert m.count.tolist() == [1, 0, 1]
    assert math.isnan(m.mean[1])
    assert math.isnan(m.std[1])
    assert math.isnan(m.cv[1])
    assert m.cv[0] == 0.0


def test_group_index_rejects_bad_codes() -> None:
    """Codes outside [0, n_groups), non-integer codes and mismatched lengths are refused."""
    with pytest.raises(DataError, match=r"codes\[1\] = 3"):
        ee.GroupIndex.from_codes([0, 3], n_groups=2)
    with pytest.raises(DataError, match="must be integers"):
        ee.GroupIndex.from_codes([0.0, 1.0])
    with pytest.raises(DataError, match="one code per value"):
        ee.grouped_weighted_cv([1.0, 2.0], [1, 1], [0])


def test_results_are_read_only() -> None:
    """Returned arrays cannot be modified in place."""
    m = ee.grouped_weighted_moments([1.0, 2.0], [1, 1], [0, 0])
    with pytest.raises(ValueError, match="read-only"):
        m.cv[0] = 1.0


def test_composite_is_the_mean_and_propagates_undefined() -> None:
    """The composite is the mean of the CVs; any undefined CV makes it undefined."""
    assert ee.composite_cv([0.2, 0.4, 0.6]) == pytest.approx(0.4, rel=1e-15)
    assert math.isnan(ee.composite_cv([0.2, math.nan]))
    table = ee.grouped_composite_cv([[0.1, 0.3], [0.2, math.nan]])
    assert table[0] == pytest.approx(0.2, rel=1e-15)
    assert math.isnan(table[1])


@pytest.mark.parametrize("bad", [[], [0.1, -0.2], [0.1, math.inf]])
def test_composite_rejects_empty_negative_or_infinite(bad: list[float]) -> None:
    """No CVs, a negative CV or an infinite CV raise DataError."""
    with pytest.raises(DataError, match="composite_cv"):
        ee.composite_cv(bad)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.5625, 3, 0.563),
        (0.56275, 3, 0.563),
        (0.5615, 3, 0.562),
        (0.0004999, 3, 0.0),
        (1.2995, 3, 1.3),
        (2.675, 2, 2.68),
        (0.51526, 2, 0.52),
    ],
)
def test_round_half_up(value: float, digits: int, expected: float) -> None:
    """Display rounding rounds the decimal value half away from zero, like the published tables."""
    assert ee.round_half_up(value, digits) == expected


def test_round_half_up_keeps_nan() -> None:
    """NaN stays NaN."""
    assert math.isnan(ee.round_half_up(math.nan))
