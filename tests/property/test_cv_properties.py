"""Invariants of the weighted CV, the composite and the split, checked with hypothesis."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import eduequity as ee
from eduequity._split import KIND_CODES, split_amounts

values_st = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_subnormal=False)
weights_st = st.integers(min_value=1, max_value=5000)


@st.composite
def schools(draw: st.DrawFn, min_size: int = 1) -> tuple[list[float], list[int]]:
    n = draw(st.integers(min_value=min_size, max_value=40))
    x = draw(st.lists(values_st, min_size=n, max_size=n))
    w = draw(st.lists(weights_st, min_size=n, max_size=n))
    return x, w


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@given(schools())
def test_cv_is_non_negative_or_undefined(data: tuple[list[float], list[int]]) -> None:
    """The CV is >= 0, and NaN exactly when every value is 0."""
    x, w = data
    cv = ee.weighted_cv(x, w)
    assert math.isnan(cv) == (max(x) == 0)
    assert math.isnan(cv) or cv >= 0


@given(schools(), st.floats(min_value=1e-3, max_value=1e3))
def test_cv_is_unchanged_by_scaling_values(data: tuple[list[float], list[int]], c: float) -> None:
    """Multiplying every value by c > 0 (a change of unit) leaves the CV unchanged."""
    x, w = data
    assume(max(x) > 0)
    assert close(ee.weighted_cv([v * c for v in x], w), ee.weighted_cv(x, w))


@given(schools(), st.integers(min_value=2, max_value=1000))
def test_cv_is_unchanged_by_scaling_weights(data: tuple[list[float], list[int]], k: int) -> None:
    """Multiplying every enrollment by k leaves the CV unchanged."""
    x, w = data
    assume(max(x) > 0)
    assert close(ee.weighted_cv(x, [v * k for v in w]), ee.weighted_cv(x, w))


@given(schools(), st.randoms(use_true_random=False))
def test_cv_is_unchanged_by_permuting_schools(
    data: tuple[list[float], list[int]], rnd: object
) -> None:
    """The order of the schools does not matter."""
    x, w = data
    assume(max(x) > 0)
    order = list(range(len(x)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    assert close(ee.weighted_cv([x[i] for i in order], [w[i] for i in order]), ee.weighted_cv(x, w))


@given(
    st.lists(st.tuples(values_st, st.integers(min_value=1, max_value=30)), min_size=1, max_size=20)
)
def test_integer_weights_equal_repeated_schools(rows: list[tuple[float, int]]) -> None:
    """A school of weight k counts as k schools of weight 1 with the same value."""
    x = [v for v, _ in rows]
    w = [k for _, k in rows]
    assume(max(x) > 0)
    repeated = [v for v, k in rows for _ in range(k)]
    assert close(ee.weighted_cv(x, w), ee.weighted_cv(repeated, [1] * len(repeated)))


@given(
    st.floats(min_value=1e-9, max_value=1e9, allow_subnormal=False),
    st.lists(weights_st, min_size=1, max_size=50),
)
def test_identical_schools_give_exactly_zero(value: float, w: list[int]) -> None:
    """Schools with identical values have CV exactly 0.0."""
    assert ee.weighted_cv([value] * len(w), w) == 0.0


@given(
    st.lists(st.floats(min_value=0, max_value=5, allow_subnormal=False), min_size=1, max_size=12)
)
def test_composite_lies_between_its_smallest_and_largest_cv(cvs: list[float]) -> None:
    """The composite (a mean) is within [min, max] of the CVs, up to rounding."""
    c = ee.composite_cv(cvs)
    assert min(cvs) - 1e-12 <= c <= max(cvs) + 1e-12


@given(st.lists(st.tuples(values_st, weights_st, st.integers(0, 4)), min_size=1, max_size=60))
def test_grouped_cv_equals_scalar_cv_of_each_group(rows: list[tuple[float, int, int]]) -> None:
    """The grouped form gives, for each group, what weighted_cv gives on that group alone."""
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=float)
    g = np.array([r[2] for r in rows])
    grouped = ee.grouped_weighted_cv(x, w, ee.GroupIndex.from_codes(g, 5))
    for k in range(5):
        sel = g == k
        expected = ee.weighted_cv(x[sel], w[sel])
        assert (math.isnan(grouped[k]) and math.isnan(expected)) or close(grouped[k], expected)


MULTI = [
    ee.SchoolKind.NINE_YEAR,
    ee.SchoolKind.TWELVE_YEAR,
    ee.SchoolKind.COMPLETE_SECONDARY,
    ee.SchoolKind.PRIMARY,
    ee.SchoolKind.JUNIOR,
]


@given(
    st.floats(min_value=0, max_value=1e12, allow_subnormal=False),
    st.sampled_from(MULTI),
    st.integers(1, 5000),
    st.integers(1, 5000),
    st.integers(1, 5000),
    st.floats(min_value=0.5, max_value=2.0),
    st.floats(min_value=0.5, max_value=2.0),
)
def test_split_conserves_the_total_exactly(
    amount: float, kind: ee.SchoolKind, a: int, b: int, c: int, wj: float, ws: float
) -> None:
    """The parts of a school sum exactly (math.fsum) to its amount, for any weights."""
    a = a if ee.Stage.PRIMARY in kind.allowed_stages else 0
    b = b if ee.Stage.JUNIOR in kind.allowed_stages else 0
    c = c if kind.has_senior else 0
    weights = ee.SplitWeights(junior=wj, senior=ws, complete_secondary_senior=ws)
    p, j, s = split_amounts([amount], [KIND_CODES[kind]], [a], [b], [c], weights)
    assert min(p[0], j[0], s[0]) >= 0
    assert math.fsum((p[0], j[0], s[0])) == amount


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 4))
def test_round_half_up_fast_path_equals_decimal_rounding(value: float, ndigits: int) -> None:
    """round_half_up equals rounding the shortest decimal representation half away from zero."""
    from decimal import ROUND_HALF_UP, Decimal

    expected = float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-ndigits), ROUND_HALF_UP))
    assert ee.round_half_up(value, ndigits) == expected


@given(st.integers(-(10**9), 10**9), st.integers(1, 4))
def test_round_half_up_on_exact_ties(units: int, ndigits: int) -> None:
    """Values ending in 5 at the next decimal round away from zero, as in published tables."""
    from decimal import ROUND_HALF_UP, Decimal

    value = float(
        Decimal(units) / Decimal(10) ** ndigits + Decimal(5) / Decimal(10) ** (ndigits + 1)
    )
    expected = float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-ndigits), ROUND_HALF_UP))
    assert ee.round_half_up(value, ndigits) == expected
