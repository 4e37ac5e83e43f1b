"""Equity statistics: each measure against its plain definition over replicated students, and
the properties every inequality measure must have."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import DataError, equity

schools = st.lists(st.tuples(st.floats(0.5, 1000.0), st.integers(1, 40)), min_size=2, max_size=8)


def students(pairs: list[tuple[float, int]]) -> list[float]:
    """Each school's value once per student."""
    return [x for x, w in pairs for _ in range(w)]


def plain_gini(xs: list[float]) -> float:
    n, mean = len(xs), sum(xs) / len(xs)
    return sum(abs(a - b) for a, b in itertools.product(xs, xs)) / (2 * n * n * mean)


def plain_ge(xs: list[float], alpha: float) -> float:
    n, mean = len(xs), sum(xs) / len(xs)
    if alpha == 1:
        return sum(x / mean * math.log(x / mean) for x in xs) / n
    if alpha == 0:
        return sum(math.log(mean / x) for x in xs) / n
    return float(sum((x / mean) ** alpha - 1 for x in xs) / n / (alpha * (alpha - 1)))


def plain_atkinson(xs: list[float], eps: float) -> float:
    n, mean = len(xs), sum(xs) / len(xs)
    if eps == 1:
        return 1 - math.exp(sum(math.log(x) for x in xs) / n) / mean
    return float(1 - (sum(x ** (1 - eps) for x in xs) / n) ** (1 / (1 - eps)) / mean)


@settings(max_examples=60)
@given(schools)
def test_each_measure_is_its_definition_over_the_students(pairs: list[tuple[float, int]]) -> None:
    """A school of w students counts as w students: every measure equals its plain,
    unweighted definition over the replicated students."""
    x = [v for v, _ in pairs]
    w = [n for _, n in pairs]
    xs = students(pairs)
    assert equity.gini(x, w) == pytest.approx(plain_gini(xs), rel=1e-9, abs=1e-12)
    for alpha in (0.0, 1.0, 2.0, -1.0, 0.5):
        assert equity.generalized_entropy(x, w, alpha) == pytest.approx(
            plain_ge(xs, alpha), rel=1e-9, abs=1e-12
        )
    for eps in (0.5, 1.0, 2.0):
        assert equity.atkinson(x, w, eps) == pytest.approx(
            plain_atkinson(xs, eps), rel=1e-9, abs=1e-12
        )
    ordered = sorted(xs)
    median = ordered[math.ceil(len(ordered) / 2) - 1]  # the lower median of the students
    assert equity.weighted_percentile(x, w, 0.5) == median
    low = [v for v in xs if v <= median]
    assert equity.mcloone(x, w) == pytest.approx(sum(low) / (median * len(low)), rel=1e-12)


@settings(max_examples=60)
@given(schools, st.floats(0.01, 100.0), st.integers(2, 4))
def test_scale_and_replication_invariance(
    pairs: list[tuple[float, int]], scale: float, copies: int
) -> None:
    x = np.array([v for v, _ in pairs])
    w = np.array([n for _, n in pairs], dtype=float)
    measures = (equity.gini, equity.theil, equity.mean_log_deviation, equity.atkinson)
    for m in measures:
        base = m(x, w)
        assert m(x * scale, w) == pytest.approx(base, rel=1e-9, abs=1e-12)
        assert m(np.tile(x, copies), np.tile(w, copies)) == pytest.approx(base, rel=1e-9, abs=1e-12)
        assert m(x, w * copies) == pytest.approx(base, rel=1e-9, abs=1e-12)


@settings(max_examples=80)
@given(schools, st.floats(0.0, 1.0))
def test_the_transfer_principle(pairs: list[tuple[float, int]], fraction: float) -> None:
    """Moving resources from a richer school's students to a poorer school's, without
    reversing their order, never raises any measure."""
    x = np.array([v for v, _ in pairs])
    w = np.array([n for _, n in pairs], dtype=float)
    rich, poor = int(np.argmax(x)), int(np.argmin(x))
    assume(x[rich] > x[poor])
    # The most that can move with the rich school's students still at or above the poor's.
    gap = (x[rich] - x[poor]) / (1 / w[rich] + 1 / w[poor])
    amount = fraction * gap
    after = x.copy()
    after[rich] -= amount / w[rich]
    after[poor] += amount / w[poor]
    for m in (equity.gini, equity.theil, equity.mean_log_deviation, equity.atkinson):
        assert m(after, w) <= m(x, w) + 1e-12
    assert ee.weighted_cv(after, w) <= ee.weighted_cv(x, w) + 1e-12


@settings(max_examples=60)
@given(schools, st.lists(st.sampled_from(["rural", "town", "urban"]), min_size=8, max_size=8))
def test_decomposition_is_exact(pairs: list[tuple[float, int]], labels: list[str]) -> None:
    x = [v for v, _ in pairs]
    w = [n for _, n in pairs]
    groups = labels[: len(x)]
    for measure, alpha in (
        ("theil", None),
        ("mean_log_deviation", None),
        ("generalized_entropy", 2.0),
    ):
        parts = equity.decompose(x, w, groups, measure, alpha)
        assert parts["between"] + parts["within"] == pytest.approx(
            parts["total"], rel=1e-10, abs=1e-14
        )
        assert parts["between"] >= -1e-15
        assert parts["within"] >= -1e-15


def test_the_method_sheet_county() -> None:
    """The five schools of the official method sheet (books per student): the weighted CV
    0.515 beside the unweighted 0.489 and the sample 0.546 that other software prints, and the
    other measures, in the range each must lie in."""
    books = [279, 137, 935, 160, 402]
    pupils = [45, 37, 89, 76, 55]
    x = [b / p for b, p in zip(books, pupils, strict=True)]
    assert round(ee.weighted_cv(x, pupils), 5) == 0.51526
    assert round(equity.unweighted_cv(x), 5) == 0.48877
    assert round(equity.sample_cv(x), 5) == 0.54646
    assert 0 < equity.gini(x, pupils) < 1
    assert 0 < equity.atkinson(x, pupils, 1.0) < 1
    assert equity.mcloone(x, pupils) <= 1 <= equity.verstegen(x, pupils)
    assert equity.range_ratio(x) == pytest.approx(max(x) / min(x))


def test_errors_in_plain_words() -> None:
    """Bad input is refused with a message naming the value; undefined is NaN, not an error."""
    assert math.isnan(equity.mean_log_deviation([0.0, 1.0], [1, 1]))
    with pytest.raises(DataError, match=r"weights\[1\] \(enrollment\) must be finite and > 0"):
        equity.gini([1.0, 2.0], [1, 0])
    assert math.isnan(equity.theil([0.0, 0.0], [1, 1]))
    with pytest.raises(DataError, match="measure must be"):
        equity.decompose([1.0, 2.0], [1, 1], ["a", "b"], "gini")
    with pytest.raises(DataError, match="p must be"):
        equity.weighted_percentile([1.0], [1], 0.0)


def test_bootstrap_intervals_are_seeded_and_cover_the_estimate() -> None:
    """The same seed gives the same interval; the interval holds the estimate; a difference
    between two clearly different years excludes 0; 1,000 resamples of a county's CV take a
    fraction of a second (measured in benchmarks, not asserted)."""
    rng = np.random.default_rng(7)
    x = rng.lognormal(1.0, 0.5, 40)
    w = rng.integers(50, 2000, 40).astype(float)
    first = equity.bootstrap_ci(ee.weighted_cv, x, w, n_resamples=300, seed=3)
    assert first == equity.bootstrap_ci(ee.weighted_cv, x, w, n_resamples=300, seed=3)
    assert first[0] < ee.weighted_cv(x, w) < first[1]
    flatter = np.sqrt(x * x.mean())  # the same schools, closer together
    _, high = equity.bootstrap_difference(
        ee.weighted_cv, (x, w), (flatter, w), n_resamples=300, seed=3
    )
    assert high < 0
    with pytest.raises(DataError, match="confidence"):
        equity.bootstrap_ci(equity.gini, x, w, confidence=1.5)


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(st.floats(0.5, 1000.0), st.integers(1, 40), st.integers(0, 3)),
        min_size=1,
        max_size=20,
    )
)
def test_the_grouped_form_is_the_scalar_form_in_every_group(
    rows: list[tuple[float, int, int]],
) -> None:
    """Every group's measures from one call equal the scalar functions on its schools."""
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=float)
    g = np.array([r[2] for r in rows])
    out = equity.grouped_measures(x, w, g, n_groups=4)
    scalar = {
        "cv": ee.weighted_cv,
        "gini": equity.gini,
        "theil": equity.theil,
        "mean_log_deviation": equity.mean_log_deviation,
        "atkinson": equity.atkinson,
        "mcloone": equity.mcloone,
        "verstegen": equity.verstegen,
        "federal_range_ratio": equity.federal_range_ratio,
    }
    for k in range(4):
        mine = g == k
        for name, f in scalar.items():
            if not mine.any():
                assert math.isnan(out[name][k])
                continue
            assert out[name][k] == pytest.approx(f(x[mine], w[mine]), rel=1e-9, abs=1e-12), name


def test_the_equity_table_of_a_nation_agrees_with_the_scalar_functions() -> None:
    """``batch.equity_table``: a row per county, stage and indicator, each measure equal to
    the scalar function on that county's stage parts as the evaluation splits them."""
    from eduequity import batch

    sample = ee.datasets.sample_county()
    table = batch.table_from_counties([sample])
    out = batch.equity_table(table, "cn-quality-2017").to_pylist()
    assert len(out) == 7 * 2
    result = batch.evaluate_table(table, "cn-quality-2017")
    schools = [r for r in result.schools.to_pylist() if r["included"]]
    for row in out:
        mine = [r for r in schools if r["stage"] == row["stage"]]
        x = [r[f"value_{row['indicator']}"] for r in mine]
        w = [r["enrollment"] for r in mine]
        assert row["n_schools"] == len(mine)
        assert row["gini"] == pytest.approx(equity.gini(x, w), rel=1e-12)
        assert row["cv"] == pytest.approx(ee.weighted_cv(x, w), rel=1e-12)
        assert row["federal_range_ratio"] == pytest.approx(
            equity.federal_range_ratio(x, w), rel=1e-12
        )


@settings(max_examples=60)
@given(schools)
def test_the_lorenz_curve_and_the_gini(pairs: list[tuple[float, int]]) -> None:
    """The curve runs from (0, 0) to (1, 1), rises, is convex (the slopes are the sorted
    values over the mean) and lies under the diagonal; one minus twice the area under it is
    the Gini of the pairwise definition over the students."""
    x = [v for v, _ in pairs]
    w = [n for _, n in pairs]
    f, lc = equity.lorenz_curve(x, w)
    assert (f[0], lc[0], f[-1], lc[-1]) == (0.0, 0.0, 1.0, 1.0)
    slopes = np.diff(lc) / np.diff(f)
    assert (np.diff(slopes) >= -1e-12).all()
    assert (lc <= f + 1e-12).all()
    area = float(np.sum(np.diff(f) * (lc[1:] + lc[:-1])))
    assert 1 - area == pytest.approx(plain_gini(students(pairs)), rel=1e-9, abs=1e-12)


def test_plot_lorenz_draws_the_curve() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    ax = equity.plot_lorenz([2.0, 6.0], [100, 100], label="books")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["books"].get_xdata()) == [0.0, 0.5, 1.0]
    assert list(lines["books"].get_ydata()) == [0.0, 0.25, 1.0]
    assert "equality" in lines
    again = equity.plot_lorenz([3.0, 3.0], ax=ax, label="equal")
    assert again is ax
    assert len(ax.get_lines()) == 3


def test_grouped_bootstrap_agrees_with_the_scalar_one() -> None:
    """Every group at once: a one-school group's CV interval is [0, 0]; the same seed gives
    the same intervals; each group's interval is near the scalar bootstrap_ci of its schools
    (independent draws, 4,000 resamples each)."""
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.lognormal(0, 0.4, 30), rng.lognormal(0, 0.2, 12), [5.0]])
    w = rng.integers(20, 900, x.size).astype(float)
    g = np.repeat([0, 1, 2], [30, 12, 1])
    out = equity.grouped_bootstrap(x, w, g, measures=("cv", "gini"), n_resamples=4000, seed=1)
    again = equity.grouped_bootstrap(x, w, g, measures=("cv", "gini"), n_resamples=4000, seed=1)
    assert all(np.array_equal(out[m][k], again[m][k]) for m in out for k in (0, 1))
    low, high = out["cv"]
    assert (low[2], high[2]) == (0.0, 0.0)
    for k in (0, 1):
        mine = g == k
        scalar = equity.bootstrap_ci(ee.weighted_cv, x[mine], w[mine], n_resamples=4000, seed=3)
        assert low[k] == pytest.approx(scalar[0], abs=0.02)
        assert high[k] == pytest.approx(scalar[1], abs=0.02)
        assert low[k] < ee.weighted_cv(x[mine], w[mine]) < high[k]
    with pytest.raises(DataError, match="confidence"):
        equity.grouped_bootstrap(x, w, g, confidence=1.5)


def test_the_equity_table_with_intervals() -> None:
    from eduequity import batch

    table = batch.table_from_counties([ee.datasets.sample_county()])
    out = batch.equity_table(
        table, "cn-basic-2012", measures=["cv", "theil"], bootstrap=300, seed=2
    )
    assert {"cv_low", "cv_high", "theil_low", "theil_high"} <= set(out.column_names)
    for r in out.to_pylist():
        assert r["cv_low"] <= r["cv"] <= r["cv_high"]
        assert r["theil_low"] <= r["theil_high"]
    assert "cv_low" not in batch.equity_table(table, "cn-basic-2012", measures=["cv"]).column_names


def test_published_gini_values() -> None:
    """Values printed in the documentation of R's ineq family (population Gini, no finite
    sample correction): ``ineq(rep(c(10, 100), times = c(9, 1)))`` is 0.4263158 and of fifty
    ten times 0 (Statistics Slam Dunk, Manning, section 12.5, using ineq); ``gini(c(1, 3, 2, 1,
    1, 1, 4))`` is 0.3076923 (the example of phylotools::gini, "adopted from package ineq").
    The same as nine schools of one student beside one, or one school of nine students."""
    assert round(equity.gini([10.0] * 9 + [100.0]), 7) == 0.4263158
    assert round(equity.gini([10.0, 100.0], [9, 1]), 7) == 0.4263158
    assert equity.gini([50.0] * 10) == 0.0
    assert round(equity.gini([1, 3, 2, 1, 1, 1, 4]), 7) == 0.3076923
