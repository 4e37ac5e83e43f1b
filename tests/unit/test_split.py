"""Unit tests of the multi-stage split: the weighted-enrollment formulas and exact totals."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import eduequity as ee
from eduequity import DataError
from eduequity._split import (
    KIND_CODES,
    SPLIT_RESOURCES,
    MultiStageWeights,
    SplitSchools,
    _exact_two_way,
    _two_way,
    split_amounts,
    split_multi,
    split_schools,
)


def code(kind: str) -> int:
    return KIND_CODES[ee.SchoolKind(kind)]


def test_nine_year_shares_follow_the_formula() -> None:
    """Nine-year: primary A / (A + 1.1 B), junior 1.1 B / (A + 1.1 B)."""
    a, b, r = 600.0, 300.0, 10000.0
    p, j, s = split_amounts([r], [code("nine_year")], [a], [b], [0])
    assert p[0] == pytest.approx(r * a / (a + 1.1 * b), rel=1e-15)
    assert j[0] == pytest.approx(r * 1.1 * b / (a + 1.1 * b), rel=1e-15)
    assert s[0] == 0.0


def test_twelve_year_shares_follow_the_formula() -> None:
    """Twelve-year: primary A / (A + 1.1B + 1.32C), junior 1.1B / (...), senior the rest."""
    a, b, c, r = 500.0, 400.0, 300.0, 7777.0
    den = a + 1.1 * b + 1.32 * c
    p, j, s = split_amounts([r], [code("twelve_year")], [a], [b], [c])
    assert p[0] == pytest.approx(r * a / den, rel=1e-14)
    assert j[0] == pytest.approx(r * 1.1 * b / den, rel=1e-14)
    assert s[0] == pytest.approx(r * 1.32 * c / den, rel=1e-14)


def test_complete_secondary_junior_share_follows_the_formula() -> None:
    """Complete secondary: junior B / (B + 1.2 C); no primary part."""
    b, c, r = 800.0, 1200.0, 5000.0
    p, j, s = split_amounts([r], [code("complete_secondary")], [0], [b], [c])
    assert p[0] == 0.0
    assert j[0] == pytest.approx(r * b / (b + 1.2 * c), rel=1e-15)
    assert s[0] == pytest.approx(r * 1.2 * c / (b + 1.2 * c), rel=1e-15)


def test_weights_of_one_give_plain_enrollment_shares() -> None:
    """With every weight 1 the split is by plain enrollment."""
    w = ee.SplitWeights(junior=1, senior=1, complete_secondary_senior=1)
    p, j, _ = split_amounts([900.0], [code("nine_year")], [600], [300], [0], weights=w)
    assert (p[0], j[0]) == (600.0, 300.0)


def test_single_stage_schools_keep_everything() -> None:
    """A primary school's resources all go to primary; a junior school's to junior."""
    p, j, s = split_amounts(
        [123.4, 56.7], [code("primary"), code("junior")], [300, 0], [0, 200], [0, 0]
    )
    assert p.tolist() == [123.4, 0.0]
    assert j.tolist() == [0.0, 56.7]
    assert s.tolist() == [0.0, 0.0]


def test_unreported_resource_stays_unreported() -> None:
    """NaN (not reported) is NaN in every part, never 0."""
    p, j, s = split_amounts([math.nan], [code("twelve_year")], [1], [1], [1])
    assert all(math.isnan(x[0]) for x in (p, j, s))


def test_split_school_returns_each_stage_and_the_senior_remainder() -> None:
    """split_school gives a part per compulsory stage and the senior remainder, summing exactly."""
    school = ee.School(
        id="T1",
        kind="twelve_year",
        primary=ee.StageData(enrollment=700),
        junior=ee.StageData(enrollment=350),
        senior_enrollment=420,
        room_area=12345.6,
        books=40001,
        computers=None,
    )
    split = ee.split_school(school)
    assert set(split.parts) == {ee.Stage.PRIMARY, ee.Stage.JUNIOR}
    for r in SPLIT_RESOURCES:
        amount = getattr(school, r)
        values = [
            split.parts[ee.Stage.PRIMARY][r],
            split.parts[ee.Stage.JUNIOR][r],
            split.senior[r],
        ]
        if amount is None:
            assert values == [None, None, None]
        else:
            assert math.fsum(values) == amount  # type: ignore[arg-type]


def test_split_weights_must_be_positive() -> None:
    """A weight of 0, a negative or a non-finite weight is refused."""
    with pytest.raises(DataError, match="'junior' must be > 0"):
        ee.SplitWeights(junior=0)
    with pytest.raises(DataError, match="'senior' must be > 0"):
        ee.SplitWeights(senior=math.inf)


def test_large_array_sums_exactly() -> None:
    """Over many random schools, the parts of every school sum exactly to its amount."""
    rng = np.random.default_rng(3)
    n = 20000
    r = rng.lognormal(8, 3, n)
    kinds = rng.choice([code("nine_year"), code("twelve_year"), code("complete_secondary")], n)
    a = np.where(kinds == code("complete_secondary"), 0, rng.integers(1, 3000, n))
    b = rng.integers(1, 3000, n)
    c = np.where(kinds == code("nine_year"), 0, rng.integers(1, 3000, n))
    p, j, s = split_amounts(r, kinds, a, b, c)
    assert all(math.fsum((p[i], j[i], s[i])) == r[i] for i in range(n))


@given(
    st.lists(
        st.tuples(
            st.one_of(st.just(math.nan), st.just(0.0), st.floats(0, 1e9)),
            st.sampled_from([0.0, 0.5, 1.0, 1.1, 1320.0]),
            st.sampled_from([0.0, 0.3, 1.0, 1.32, 7.0]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_two_way_equals_the_exact_split_bit_for_bit(rows: list[tuple[float, float, float]]) -> None:
    """Splitting only where both weights are positive gives the exact split's bits."""
    amount, wa, wb = (np.array(c) for c in zip(*rows, strict=True))
    for got, want in zip(_two_way(amount, wa, wb), _exact_two_way(amount, wa, wb), strict=True):
        assert got.tobytes() == want.tobytes() or (
            np.array_equal(got, want, equal_nan=True)
            and np.array_equal(np.signbit(got), np.signbit(want))
        )


def test_split_multi_equals_split_amounts_on_multi_stage_schools() -> None:
    """On the schools split_schools returns, split_multi gives split_amounts' bits, for one
    resource or several as columns; a single-stage school is refused."""
    rng = np.random.default_rng(11)
    n = 5000
    names = ("primary", "nine_year", "twelve_year", "complete_secondary")
    kinds = rng.choice([code(k) for k in names], n)
    a = np.where(kinds == code("complete_secondary"), 0, rng.integers(0, 3000, n)).astype(float)
    b = np.where(kinds == code("primary"), 0, rng.integers(0, 3000, n)).astype(float)
    with_senior = np.isin(kinds, [code("twelve_year"), code("complete_secondary")])
    c = np.where(with_senior, rng.integers(0, 900, n), 0).astype(float)
    r = rng.lognormal(8, 3, (n, 3))
    r[rng.random((n, 3)) < 0.1] = math.nan
    w = ee.SplitWeights(junior=1.2, senior=1.5, complete_secondary_senior=1.25)
    multi = split_schools(kinds, a, b, c, w)
    assert 0 < multi.size < n
    args = (kinds[multi], a[multi], b[multi], c[multi])
    # Found among all schools, the weights are those of the multi-stage schools alone.
    found, among = MultiStageWeights.among(kinds, a, b, c, w)
    assert np.array_equal(found, multi)
    alone = MultiStageWeights.of(*args, weights=w)
    for x, y in zip(attrs.astuple(among), attrs.astuple(alone), strict=True):
        assert x.tobytes() == y.tobytes()
    for amounts in (r[multi], r[multi, 0]):
        got = split_multi(amounts, *args, weights=w)
        want = split_amounts(amounts, *args, weights=w)
        for g, x in zip(got, want, strict=True):
            assert g.tobytes() == x.tobytes()
    single = np.setdiff1d(np.arange(n), multi)[:1]
    with pytest.raises(ValueError, match="at least two weighted stages"):
        split_multi(r[single, 0], kinds[single], a[single], b[single], c[single])
    # Looked up for some of them (as a shortfall looks up the schools it recomputes), the
    # weights are those computed for those schools alone, in the order asked.
    some = rng.permutation(multi)[: multi.size // 3]
    looked_up = SplitSchools(found, among).at(some)
    computed = MultiStageWeights.of(kinds[some], a[some], b[some], c[some], weights=w)
    for x, y in zip(attrs.astuple(looked_up), attrs.astuple(computed), strict=True):
        assert x.tobytes() == y.tobytes()
