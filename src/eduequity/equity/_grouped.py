"""Every equity measure in every group at once (all counties, stages and indicators)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import DataError
from eduequity.metrics import _moments_by_code, _stable_order

__all__ = ["GROUPED", "checked_inputs", "group_value_order", "grouped_measures", "measures_of"]

FloatArray = NDArray[np.float64]


#: The measures that need the values in order (one sort of all the rows).
_SORTED = frozenset({"gini", "mcloone", "verstegen", "federal_range_ratio"})

#: The measures :func:`grouped_measures` computes, by name.
GROUPED = (
    "cv",
    "gini",
    "theil",
    "mean_log_deviation",
    "atkinson",
    "mcloone",
    "verstegen",
    "federal_range_ratio",
)


def grouped_measures(
    values: ArrayLike,
    weights: ArrayLike,
    groups: ArrayLike,
    n_groups: int | None = None,
    measures: tuple[str, ...] = GROUPED,
    epsilon: float = 0.5,
) -> dict[str, FloatArray]:
    """Each measure of :data:`GROUPED` in every group at once, by the same formulas as the
    scalar functions (the Gini and the percentiles by one sort of all the rows).

    Parameters
    ----------
    values, weights : array of float, shape (n,)
        Each school's value (finite, >= 0) and enrollment (> 0).
    groups : array of int, shape (n,)
        Group code of each school, 0 to n_groups - 1.
    n_groups : int, optional
        Number of groups (default: the largest code + 1).
    measures : tuple of str
        Names from :data:`GROUPED`.
    epsilon : float, default 0.5
        The Atkinson parameter.

    Returns
    -------
    dict of str to array of float, shape (n_groups,)
        NaN where the measure is undefined, as the scalar functions return it (see
        :mod:`eduequity.equity`, "Undefined measures and errors"): a group with no school or a
        mean of 0; the mean log deviation, or the Atkinson index with ``epsilon >= 1``, of a
        group with a value of 0; the McLoone and Verstegen indices with a median of 0; the
        federal range ratio with a 5th percentile of 0.

    Examples
    --------
    >>> out = grouped_measures([1.0, 3.0, 2.0, 2.0], [1, 1, 1, 1], [0, 0, 1, 1])
    >>> out["gini"].round(3).tolist(), out["theil"].round(3).tolist()
    ([0.25, 0.0], [0.131, 0.0])
    """
    x, w, g, n_g = checked_inputs(values, weights, groups, n_groups, measures)
    return measures_of(x, w, g, n_g, measures, epsilon)


def checked_inputs(
    values: ArrayLike,
    weights: ArrayLike,
    groups: ArrayLike,
    n_groups: int | None,
    measures: tuple[str, ...],
) -> tuple[FloatArray, FloatArray, NDArray[np.intp], int]:
    """The inputs of :func:`grouped_measures` as arrays, and the number of groups, checked
    (a :class:`~eduequity.DataError` names what is wrong)."""
    unknown = [m for m in measures if m not in GROUPED]
    if unknown:
        raise DataError(f"grouped_measures: unknown measure {unknown[0]!r}; known: {GROUPED}.")
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    g = np.asarray(groups, dtype=np.intp)
    if not (x.shape == w.shape == g.shape):
        raise DataError("grouped_measures: values, weights and groups differ in length.")
    if not (np.isfinite(x).all() and (x >= 0).all() and (w > 0).all()):
        raise DataError("grouped_measures: values must be finite and >= 0, weights > 0.")
    n_g = (int(g.max()) + 1 if g.size else 0) if n_groups is None else n_groups
    return x, w, g, n_g


def group_value_order(x: FloatArray, g: NDArray[np.intp], n_g: int) -> NDArray[np.intp]:
    """The rows in order of group, then value, then row: ``np.lexsort((x, g))``, found faster.

    The values are sorted by an unstable sort (several times faster than a stable one on
    floats). Without equal values, the groups are then ordered by a stable sort of their codes
    (a radix sort where they fit in 16 bits). With some, each row becomes one distinct integer
    (group, run of equal values, row), and sorting those integers (a sort of numbers, not of
    positions) gives the rows in order of group, value and row at once.

    Examples
    --------
    >>> x, g = np.array([2.0, 1.0, 2.0, 0.5]), np.array([1, 1, 0, 1])
    >>> group_value_order(x, g, 2).tolist(), np.lexsort((x, g)).tolist()
    ([2, 3, 1, 0], [2, 3, 1, 0])
    """
    n = x.size
    if n < 2 or np.isnan(x).any():  # NaN are equal to none: leave them to lexsort
        found_: NDArray[np.intp] = np.lexsort((x, g))
        return found_
    order: NDArray[np.intp] = np.argsort(x)
    xs = x[order]
    starts = np.empty(n, dtype=np.bool_)  # where a run of equal values starts
    starts[0] = True
    np.not_equal(xs[1:], xs[:-1], out=starts[1:])
    if not starts.all():
        run = np.cumsum(starts) - 1
        n_runs = int(run[-1]) + 1
        if n_g * n_runs * n < 1 << 63:  # (group, run, row) as one integer: distinct keys
            key = (g[order] * n_runs + run) * n + order
            key.sort()
            rows: NDArray[np.intp] = key % n
            return rows
        order = order[np.argsort(run * n + order)]  # distinct keys: any sort is stable
    found: NDArray[np.intp] = order[_stable_order(g[order], n_g)]
    return found


def measures_of(
    x: FloatArray,
    w: FloatArray,
    g: NDArray[np.intp],
    n_g: int,
    measures: tuple[str, ...],
    epsilon: float,
    presorted: bool = False,
) -> dict[str, FloatArray]:
    """:func:`grouped_measures` on checked arrays; ``presorted``: the rows are already in
    order of group and value (the bootstrap sorts once for all its resamples)."""
    # The weights, means and CVs of the one kernel of the pipeline (eduequity.metrics), so this
    # CV is the counties table's CV to the bit.
    moments = _moments_by_code(x, w, g, n_g)
    total, mean = moments.weight, moments.mean
    with np.errstate(invalid="ignore", divide="ignore"):
        defined = mean > 0
        r = x / mean[g]
        out: dict[str, FloatArray] = {}

        def per_group(v: FloatArray) -> FloatArray:
            res: FloatArray = np.bincount(g, weights=w * v, minlength=n_g) / total
            return np.where(defined, res, np.nan)

        # The groups with a value of 0, where a logarithm or a negative power is undefined.
        zero = np.zeros(n_g, dtype=np.bool_)
        zero[g[np.flatnonzero(x == 0)]] = True
        if "cv" in measures:
            out["cv"] = moments.cv.copy()
        logs = {"theil", "mean_log_deviation"}.intersection(measures)
        log_r = np.log(np.where(r > 0, r, 1.0)) if logs else r  # log 1 = 0 for a value of 0
        if "theil" in measures:
            out["theil"] = per_group(r * log_r)
        if "mean_log_deviation" in measures:
            mld = per_group(-log_r)
            out["mean_log_deviation"] = np.where(zero, np.nan, mld)
        if "atkinson" in measures:
            if epsilon == 1:
                geo = np.exp(per_group(np.log(np.where(x > 0, x, 1.0))))
                out["atkinson"] = np.where(zero, np.nan, 1 - geo / mean)
            else:
                power = per_group(x ** (1 - epsilon)) ** (1 / (1 - epsilon))
                out["atkinson"] = 1 - power / mean
                if epsilon > 1:  # a value of 0 has no power 1 - epsilon < 0: undefined
                    out["atkinson"][zero] = np.nan
        if _SORTED.intersection(measures):  # one sort, only for the measures that need it
            if presorted:
                xs, ws, gs = x, w, g
            else:
                order = group_value_order(x, g, n_g)
                xs, ws, gs = x[order], w[order], g[order]
            running = np.cumsum(ws)
            starts = np.concatenate([[0.0], np.cumsum(total)])[:-1]
            cum = running - starts[gs]  # students at or below each row, within its group
            if "gini" in measures:
                before = cum - ws
                after = total[gs] - cum
                pairs = 2 * np.bincount(gs, weights=ws * xs * (before - after), minlength=n_g)
                out["gini"] = np.where(defined, pairs / (2 * total * total * mean), np.nan)

            # Each group's rows, in group order: from first[j] to first[j + 1].
            first = np.searchsorted(gs, np.arange(n_g + 1))

            def percentile(p: float) -> FloatArray:
                return _first_reached(cum, xs, first, p * total * (1 - 1e-12))

            if "mcloone" in measures or "verstegen" in measures:
                median = percentile(0.5)
                m = median[g]
                low, high = x <= m, x >= m
                if "mcloone" in measures:
                    num = np.bincount(g, weights=w * x * low, minlength=n_g)
                    den = median * np.bincount(g, weights=w * low, minlength=n_g)
                    out["mcloone"] = np.where(defined & (median > 0), num / den, np.nan)
                if "verstegen" in measures:
                    num = np.bincount(g, weights=w * x * high, minlength=n_g)
                    den = median * np.bincount(g, weights=w * high, minlength=n_g)
                    out["verstegen"] = np.where(defined & (median > 0), num / den, np.nan)
            if "federal_range_ratio" in measures:
                p5, p95 = percentile(0.05), percentile(0.95)
                out["federal_range_ratio"] = np.where(p5 > 0, (p95 - p5) / p5, np.nan)
    for name in out:
        out[name][total == 0] = np.nan
    return {m: out[m] for m in measures}


def _first_reached(
    cum: FloatArray, xs: FloatArray, first: NDArray[np.intp], target: FloatArray
) -> FloatArray:
    """Per group ``j`` (rows ``first[j]`` to ``first[j + 1]``, ``cum`` not decreasing within
    it), the value ``xs`` of its first row with ``cum >= target[j]``; NaN where none is.

    One binary search per group, all groups at once: the same row as the first of
    ``np.flatnonzero(cum >= target[group])`` in each group, without a pass over every row.

    Examples
    --------
    >>> cum, xs = np.array([1.0, 3.0, 4.0, 2.0]), np.array([5.0, 6.0, 7.0, 8.0])
    >>> _first_reached(cum, xs, np.array([0, 3, 4, 4]), np.array([2.0, 2.0, 1.0])).tolist()
    [6.0, 8.0, nan]
    """
    lo, end = first[:-1].copy(), first[1:]
    hi = end.copy()
    last = max(cum.size - 1, 0)
    active = np.flatnonzero(lo < hi)
    while active.size:
        mid = (lo[active] + hi[active]) // 2
        reached = cum[np.minimum(mid, last)] >= target[active]
        hi[active] = np.where(reached, mid, hi[active])
        lo[active] = np.where(reached, lo[active], mid + 1)
        active = active[lo[active] < hi[active]]
    found = np.full(lo.size, np.nan)
    inside = np.flatnonzero(lo < end)
    found[inside] = xs[lo[inside]]
    return found
