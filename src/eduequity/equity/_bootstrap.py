"""Bootstrap intervals of any equity measure, resampling schools with their enrollment."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import DataError
from eduequity.equity._grouped import checked_inputs, measures_of
from eduequity.equity._measures import _inputs

__all__ = ["bootstrap_ci", "bootstrap_difference", "grouped_bootstrap"]

FloatArray = NDArray[np.float64]


def _bootstrap(
    statistic: Callable[..., float],
    samples: tuple[FloatArray, ...],
    n_resamples: int,
    confidence: float,
    seed: int,
) -> tuple[float, float]:
    import inspect

    from scipy.stats import bootstrap

    if not 0 < confidence < 1:
        raise DataError(f"bootstrap: confidence must be between 0 and 1. Got {confidence!r}.")
    if n_resamples < 1:
        raise DataError(f"bootstrap: n_resamples must be >= 1. Got {n_resamples!r}.")
    generator = np.random.default_rng(seed)
    # scipy >= 1.15 names the generator rng; older versions random_state.
    name = "rng" if "rng" in inspect.signature(bootstrap).parameters else "random_state"
    result = bootstrap(
        samples,
        statistic,
        vectorized=False,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method="percentile",
        **{name: generator},
    )
    interval = result.confidence_interval
    return float(interval.low), float(interval.high)


def bootstrap_ci(
    measure: Callable[[FloatArray, FloatArray], float],
    values: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """A percentile bootstrap interval of ``measure(values, weights)``, resampling schools
    (each with its enrollment) through :func:`scipy.stats.bootstrap`; seeded, so the same
    call gives the same interval.

    Examples
    --------
    >>> import eduequity as ee
    >>> x, w = [6.2, 3.7, 10.5, 2.1, 7.3], [45, 37, 89, 76, 55]
    >>> low, high = bootstrap_ci(ee.weighted_cv, x, w, n_resamples=200)
    >>> low < ee.weighted_cv(x, w) < high
    True
    """
    x, w = _inputs(values, weights, "bootstrap_ci")
    index = np.arange(x.size, dtype=np.float64)

    def statistic(i: FloatArray) -> float:
        at = i.astype(np.intp)
        return float(measure(x[at], w[at]))

    return _bootstrap(statistic, (index,), n_resamples, confidence, seed)


def bootstrap_difference(
    measure: Callable[[FloatArray, FloatArray], float],
    first: tuple[ArrayLike, ArrayLike],
    second: tuple[ArrayLike, ArrayLike],
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """A percentile bootstrap interval of ``measure(second) - measure(first)`` (two years, or
    two counties), resampling each one's schools independently; ``first`` and ``second`` are
    ``(values, weights)``. An interval that excludes 0 says the change is more than the
    sampling of schools.

    Examples
    --------
    >>> import eduequity as ee
    >>> before = ([6.2, 3.7, 10.5, 2.1, 7.3], [45, 37, 89, 76, 55])
    >>> after = ([6.2, 5.7, 8.5, 4.1, 7.3], [45, 37, 89, 76, 55])
    >>> low, high = bootstrap_difference(ee.weighted_cv, before, after, n_resamples=200)
    >>> low < 0
    True
    """
    x1, w1 = _inputs(*first, "bootstrap_difference")
    x2, w2 = _inputs(*second, "bootstrap_difference")

    def statistic(i: FloatArray, j: FloatArray) -> float:
        a, b = i.astype(np.intp), j.astype(np.intp)
        return float(measure(x2[b], w2[b]) - measure(x1[a], w1[a]))

    samples = (np.arange(x1.size, dtype=np.float64), np.arange(x2.size, dtype=np.float64))
    return _bootstrap(statistic, samples, n_resamples, confidence, seed)


def grouped_bootstrap(
    values: ArrayLike,
    weights: ArrayLike,
    groups: ArrayLike,
    n_groups: int | None = None,
    measures: tuple[str, ...] = ("cv",),
    *,
    epsilon: float = 0.5,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Percentile bootstrap intervals of grouped measures in every group at once.

    Each resample draws, in every group, as many schools as the group has, with replacement
    (each school with its enrollment), and computes every measure of every group by
    :func:`~eduequity.equity.grouped_measures`; the interval of a group is the
    ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of its resampled values
    (the percentile method of :func:`bootstrap_ci`). Seeded: the same call gives the same
    intervals. A school drawn *k* times counts as a school of *k* times its students (the
    same thing, for measures over students), so the rows are sorted once and no resample
    needs a sort: a resample of one indicator over the 330,000 stage parts of a nation takes
    about 13 ms for the CV, 21 ms with the Gini, 45 ms for all eight measures (so a thousand
    resamples of the seven indicators of 2017: a minute and a half for the nation's CVs, a
    few seconds for a province's).

    Parameters
    ----------
    values, weights, groups, n_groups, measures, epsilon
        As for :func:`~eduequity.equity.grouped_measures`.
    n_resamples : int, default 1000
    confidence : float, default 0.95
    seed : int, default 0

    Returns
    -------
    dict of str to (array, array)
        Per measure, the low and high ends for every group (NaN where the measure is
        undefined in some resample, or the group is empty).

    Examples
    --------
    >>> low, high = grouped_bootstrap(
    ...     [6.2, 3.7, 10.5, 2.1, 7.3, 5.0, 5.0], [45, 37, 89, 76, 55, 60, 60],
    ...     [0, 0, 0, 0, 0, 1, 1], n_resamples=200)["cv"]
    >>> bool(low[0] < 0.515 < high[0]), (float(low[1]), float(high[1]))
    (True, (0.0, 0.0))
    """
    if not 0 < confidence < 1:
        raise DataError(f"bootstrap: confidence must be between 0 and 1. Got {confidence!r}.")
    if n_resamples < 1:
        raise DataError(f"bootstrap: n_resamples must be >= 1. Got {n_resamples!r}.")
    x, w, g, n_g = checked_inputs(values, weights, groups, n_groups, measures)
    # Sorted once by group and value; a resample is how many times it draws each row, and a
    # row drawn k times counts as a school of k times its students (the measures count
    # students), so the rows stay in order and no resample needs a sort.
    order = np.lexsort((x, g))
    xs, ws, gs = x[order], w[order], g[order]
    counts = np.bincount(g, minlength=n_g)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[gs]
    sizes = counts[gs]
    rng = np.random.default_rng(seed)
    found = {m: np.empty((n_resamples, n_g)) for m in measures}
    for r in range(n_resamples):
        drawn = starts + (rng.random(g.size) * sizes).astype(np.intp)
        times = np.bincount(drawn, minlength=g.size)
        kept = times > 0
        out = measures_of(
            xs[kept], ws[kept] * times[kept], gs[kept], n_g, measures, epsilon, presorted=True
        )
        for m in measures:
            found[m][r] = out[m]
    tail = (1 - confidence) / 2
    result = {}
    for m in measures:
        low, high = np.quantile(found[m], [tail, 1 - tail], axis=0)
        result[m] = (low, high)
    return result
