r"""The balance statistics: the enrollment-weighted coefficient of variation and the composite.

Every path in eduequity, one county in a notebook or 6,000 county-stage groups of a national
table, computes these statistics with the grouped functions of this module. The scalar forms
:func:`~eduequity.weighted_cv` and :func:`~eduequity.composite_cv` are the same code called with a
single group, so the object door and the columnar door cannot disagree.

The formula (差异系数, official method sheet 县域义务教育校际均衡指标计算方法; the weighting was
confirmed by recomputing its published example): for one indicator over the :math:`n` schools of
one county and stage, with :math:`X_i` the school's indicator value and :math:`P_i` its enrollment,
:math:`P = \sum_i P_i`,

.. math::

    \bar X = \frac{\sum_i P_i X_i}{P}, \qquad
    S = \sqrt{\sum_i \frac{P_i}{P} \left(X_i - \bar X\right)^2}, \qquad
    CV = \frac{S}{\bar X}.

It is the *population* form (no :math:`n - 1`) weighted by enrollment. Unweighted and
sample-variance forms give different numbers and are not the official method.

Numerics: the variance is computed in two passes about the weighted mean, after shifting each
group by the value of its first school. A group of identical schools therefore has a CV of
exactly ``0.0`` (no rounding residue), and no precision is lost to cancellation as in the
one-pass :math:`E[X^2] - E[X]^2` shortcut. Rows are summed group by group in their input order,
so a county evaluated alone and the same county inside a national table give identical bits.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity import _display
from eduequity._errors import DataError

__all__ = [
    "GroupIndex",
    "WeightedMoments",
    "composite_cv",
    "grouped_composite_cv",
    "grouped_weighted_cv",
    "grouped_weighted_moments",
    "round_half_up",
    "round_half_up_array",
    "weighted_cv",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


def _frozen_array(a: NDArray[Any]) -> NDArray[Any]:
    a.setflags(write=False)
    return a


def _stable_order(codes: NDArray[np.integer[Any]], n_codes: int) -> NDArray[np.intp]:
    """The stable permutation that sorts integer ``codes`` (each in ``[0, n_codes)``):
    ``np.argsort(codes, kind="stable")``, by a radix sort where the codes fit in 16 bits
    (several times faster than the merge sort NumPy uses for wider integers).

    Examples
    --------
    >>> _stable_order(np.array([2, 0, 2, 1]), 3).tolist()
    [1, 3, 0, 2]
    """
    small = n_codes <= 1 << 16
    order: NDArray[np.intp] = np.argsort(
        codes.astype(np.uint16) if small else codes, kind="stable"
    ).astype(np.intp, copy=False)
    return order


@attrs.frozen(eq=False)
class GroupIndex:
    """Integer group codes for grouped statistics: row ``i`` belongs to group ``codes[i]``.

    A county evaluated on its own is one group per stage; a national table is one group per
    county and stage. Groups with no rows are allowed: their statistics are undefined (NaN).

    Parameters
    ----------
    codes : array of int, shape (n,)
        Group code of each row, ``0 <= code < n_groups``.
    n_groups : int
        Number of groups.

    Examples
    --------
    >>> g = GroupIndex.from_codes([0, 0, 1, 1, 1])
    >>> g.n_groups, g.counts.tolist()
    (2, [2, 3])
    """

    codes: IntArray
    n_groups: int
    counts: IntArray
    #: Stable permutation that sorts the rows by group, or None if they are sorted already.
    order: IntArray | None = None
    #: Row (in sorted order) where each group starts.
    starts: IntArray = attrs.field(factory=lambda: np.zeros(0, dtype=np.intp))

    @classmethod
    def from_codes(cls, codes: ArrayLike, n_groups: int | None = None) -> GroupIndex:
        """Build a group index, checking that every code is an integer in ``[0, n_groups)``."""
        arr = np.asarray(codes)
        if arr.ndim != 1:
            raise DataError(f"GroupIndex: codes must be 1-D. Got shape {arr.shape}.")
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            raise DataError(f"GroupIndex: codes must be integers. Got dtype {arr.dtype}.")
        arr = arr.astype(np.intp, copy=True)
        if n_groups is None:
            n_groups = int(arr.max()) + 1 if arr.size else 0
        if n_groups < 0:
            raise DataError(f"GroupIndex: n_groups must be >= 0. Got {n_groups}.")
        if arr.size and (arr.min() < 0 or arr.max() >= n_groups):
            bad = int(np.flatnonzero((arr < 0) | (arr >= n_groups))[0])
            raise DataError(
                f"GroupIndex: codes must be in [0, {n_groups}). Got codes[{bad}] = {arr[bad]}."
            )
        counts = np.bincount(arr, minlength=n_groups).astype(np.intp)
        order = None
        if arr.size > 1 and bool(np.any(arr[1:] < arr[:-1])):
            # Stable: within a group, rows keep their order, so sums add in row order.
            order = _frozen_array(_stable_order(arr, n_groups))
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        return cls(
            codes=_frozen_array(arr),
            n_groups=n_groups,
            counts=_frozen_array(counts),
            order=order,
            starts=_frozen_array(starts),
        )

    def count_where(self, mask: NDArray[np.bool_]) -> IntArray:
        """The rows of each group where ``mask`` is true: ``np.bincount(codes, weights=mask)``
        as integers, counted over those rows only (faster where they are few, as missing
        values are).

        Examples
        --------
        >>> GroupIndex.from_codes([0, 0, 1, 2]).count_where(np.array([True, True, False, True]))
        array([2, 0, 1])
        """
        counted: IntArray = np.bincount(
            self.codes[np.flatnonzero(mask)], minlength=self.n_groups
        ).astype(np.intp, copy=False)
        return counted

    @classmethod
    def single(cls, n: int) -> GroupIndex:
        """All ``n`` rows in one group."""
        return cls.from_codes(np.zeros(n, dtype=np.intp), n_groups=1)

    __repr__ = _display.record_repr


@attrs.frozen(eq=False)
class WeightedMoments:
    """Per-group weighted statistics of one indicator; arrays of shape ``(n_groups,)``.

    Attributes
    ----------
    count : array of int
        Number of schools in the group.
    weight : array of float
        Total weight :math:`P` (enrollment) of the group.
    mean : array of float
        Weighted mean :math:`\\bar X`; NaN for an empty group.
    std : array of float
        Weighted population standard deviation :math:`S`; NaN for an empty group.
    cv : array of float
        :math:`S / \\bar X`; NaN (undefined) for an empty group or where :math:`\\bar X = 0`.
    """

    count: IntArray
    weight: FloatArray
    mean: FloatArray
    std: FloatArray
    cv: FloatArray

    __repr__ = _display.record_repr


def _check_values_weights(
    func: str, values: ArrayLike, weights: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.ndim != 1 or w.ndim != 1:
        raise DataError(
            f"{func}: values and weights must be 1-D. Got shapes {x.shape} and {w.shape}."
        )
    if x.shape != w.shape:
        raise DataError(
            f"{func}: values and weights must have the same length. Got {x.size} and {w.size}."
        )
    _refuse_first(func, "values", x, np.isfinite(x) & (x >= 0), "finite and >= 0")
    _refuse_first(func, "weights", w, np.isfinite(w) & (w > 0), "finite and > 0")
    return x, w


def _refuse_first(
    func: str, name: str, x: FloatArray, ok: NDArray[np.bool_], must: str, note: str = ""
) -> None:
    """Raise a :class:`DataError` naming the first entry of ``x`` that is not ``ok``."""
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise DataError(f"{func}: {name}[{i}]{note} must be {must}. Got {float(x[i])!r}.")


def _weighted_moments(x: FloatArray, w: FloatArray, groups: GroupIndex) -> WeightedMoments:
    """Grouped two-pass weighted moments of validated arrays (the shared core, no checks).

    ``x`` is ``(n,)`` or ``(n, k)``: ``k`` indicators of the same rows are done together, and
    the statistics then have shape ``(n_groups, k)``. Rows are taken in group order (a stable
    sort), so every group is a contiguous block summed with ``np.add.reduceat`` in row order.
    """
    one = x.ndim == 1
    xs = x[:, np.newaxis] if one else x
    k, g = xs.shape[1], groups.n_groups
    if groups.order is not None:
        xs, w = xs[groups.order], w[groups.order]
    present = groups.counts > 0
    starts, counts = groups.starts[present], groups.counts[present]
    total = np.zeros(g)
    mean = np.full((g, k), np.nan)
    std = np.full((g, k), np.nan)
    if starts.size:
        tot = np.add.reduceat(w, starts)
        total[present] = tot

        def column(j: int) -> tuple[FloatArray, FloatArray]:
            # One indicator at a time over a contiguous column: the passes stay in the cache.
            col = np.ascontiguousarray(xs[:, j])
            with np.errstate(invalid="ignore", divide="ignore"):
                # Shift each group by its first school's value: identical schools give 0.
                ref = col[starts]
                d = col - np.repeat(ref, counts)
                # Pass 1: weighted mean of the deviations.
                mean_d = np.add.reduceat(w * d, starts) / tot
                # Pass 2: weighted variance about that mean (in place: d becomes w * e * e).
                d -= np.repeat(mean_d, counts)
                np.multiply(d, d, out=d)
                d *= w
                var = np.add.reduceat(d, starts) / tot
            return ref + mean_d, np.sqrt(var)

        for j in range(k):
            mean[present, j], std[present, j] = column(j)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = np.where(mean > 0, std / mean, np.nan)
    if one:
        mean, std, cv = mean[:, 0], std[:, 0], cv[:, 0]
    return WeightedMoments(
        count=groups.counts,
        weight=_frozen_array(total),
        mean=_frozen_array(mean),
        std=_frozen_array(std),
        cv=_frozen_array(cv),
    )


def _moments_by_code(
    x: FloatArray, w: FloatArray, codes: ArrayLike, n_groups: int
) -> WeightedMoments:
    """:func:`_weighted_moments` of validated arrays grouped by integer ``codes`` (``0`` to
    ``n_groups - 1``): the one kernel every weighted mean, standard deviation and CV of the
    library goes through (the pipeline, the planner, the equity measures), so a CV is the same
    to the bit whichever path computes it over the same rows in the same order."""
    return _weighted_moments(x, w, GroupIndex.from_codes(codes, n_groups))


def _as_groups(groups: GroupIndex | ArrayLike, n: int, func: str) -> GroupIndex:
    index = groups if isinstance(groups, GroupIndex) else GroupIndex.from_codes(groups)
    if index.codes.size != n:
        raise DataError(
            f"{func}: groups must have one code per value. Got {index.codes.size} codes "
            f"for {n} values."
        )
    return index


def grouped_weighted_moments(
    values: ArrayLike, weights: ArrayLike, groups: GroupIndex | ArrayLike
) -> WeightedMoments:
    """Enrollment-weighted mean, standard deviation and CV of each group.

    Parameters
    ----------
    values : array of float, shape (n,)
        Indicator value of each school, finite and ``>= 0`` [indicator units].
    weights : array of float, shape (n,)
        Weight of each school, finite and ``> 0``: its enrollment in the stage [students].
    groups : GroupIndex or array of int, shape (n,)
        Group of each school (county x stage).

    Returns
    -------
    WeightedMoments
        Per-group count, total weight, mean, standard deviation and CV.

    Raises
    ------
    DataError
        If the arrays differ in length or a value or weight is out of range.

    Notes
    -----
    See the module docstring for the formula, and :func:`~eduequity.weighted_cv` for the edge cases.

    Examples
    --------
    >>> m = grouped_weighted_moments([1.0, 3.0, 2.0, 2.0], [1, 1, 5, 7], [0, 0, 1, 1])
    >>> m.mean.tolist(), m.cv.tolist()
    ([2.0, 2.0], [0.5, 0.0])
    """
    x, w = _check_values_weights("grouped_weighted_moments", values, weights)
    return _weighted_moments(x, w, _as_groups(groups, x.size, "grouped_weighted_moments"))


def grouped_weighted_cv(
    values: ArrayLike, weights: ArrayLike, groups: GroupIndex | ArrayLike
) -> FloatArray:
    """Enrollment-weighted CV of each group; NaN where undefined (see
    :func:`~eduequity.weighted_cv`).

    Examples
    --------
    >>> grouped_weighted_cv([1.0, 3.0, 5.0, 5.0], [1, 1, 2, 2], [0, 0, 1, 1]).tolist()
    [0.5, 0.0]
    """
    x, w = _check_values_weights("grouped_weighted_cv", values, weights)
    return _weighted_moments(x, w, _as_groups(groups, x.size, "grouped_weighted_cv")).cv


def weighted_cv(values: ArrayLike, weights: ArrayLike) -> float:
    r"""The official enrollment-weighted coefficient of variation (差异系数) of one group.

    Parameters
    ----------
    values : array of float, shape (n,)
        Indicator value of each school, :math:`X_i = R_i \times scale / P_i`, finite and ``>= 0``.
    weights : array of float, shape (n,)
        Enrollment :math:`P_i` of each school, finite and ``> 0``.

    Returns
    -------
    float
        :math:`CV = S / \bar X`. Defined edge cases:

        - one school, or all schools equal: ``0.0`` exactly;
        - :math:`\bar X = 0` (every value 0): ``nan`` -- the CV is undefined, and a rule on it
          fails with that reason;
        - no schools: ``nan`` (undefined).

    Raises
    ------
    DataError
        If ``values`` and ``weights`` differ in length, a value is negative or not finite, or a
        weight is not finite and positive (a school with no students has no per-student value).

    Notes
    -----
    .. math::

        \bar X = \frac{\sum_i P_i X_i}{\sum_i P_i}, \quad
        S = \sqrt{\sum_i \frac{P_i}{\sum_j P_j}(X_i - \bar X)^2}, \quad
        CV = \frac{S}{\bar X}

    Population form, weighted by enrollment, two passes (mean first). Single CVs are not capped:
    they can exceed 1.

    References
    ----------
    教育部 教督〔2012〕3号 县域义务教育均衡发展督导评估暂行办法 (2012-01-20), with the method sheet
    县域义务教育校际均衡指标计算方法 (books per student, five primary schools: published 0.52 from
    rounded steps; unrounded 0.51526).

    Examples
    --------
    The method sheet's five primary schools, books per student:

    >>> books = [279, 137, 935, 160, 402]
    >>> students = [45, 37, 89, 76, 55]
    >>> round(weighted_cv([b / p for b, p in zip(books, students)], students), 5)
    0.51526
    >>> weighted_cv([2.5, 2.5, 2.5], [10, 20, 30])
    0.0
    """
    x, w = _check_values_weights("weighted_cv", values, weights)
    return float(_weighted_moments(x, w, GroupIndex.single(x.size)).cv[0])


def grouped_composite_cv(cvs: ArrayLike) -> FloatArray:
    """Composite CV of each row of a ``(n_groups, n_indicators)`` table of CVs.

    The composite (综合差异系数) is the arithmetic mean of the unrounded indicator CVs. A row with
    any undefined (NaN) CV has an undefined (NaN) composite.

    Raises
    ------
    DataError
        If the table is not 2-D, has no indicator columns, or holds a negative or infinite CV.

    Examples
    --------
    >>> grouped_composite_cv([[0.2, 0.4], [0.1, float("nan")]]).tolist()
    [0.30000000000000004, nan]
    """
    c = np.asarray(cvs, dtype=np.float64)
    if c.ndim != 2 or c.shape[1] == 0:
        raise DataError(
            "grouped_composite_cv: cvs must be 2-D (groups x indicators) with at least one "
            f"indicator. Got shape {c.shape}."
        )
    bad = np.isinf(c) | (c < 0)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise DataError(
            f"grouped_composite_cv: cvs[{i}, {j}] must be >= 0 and finite, or NaN for "
            f"undefined. Got {float(c[i, j])!r}."
        )
    # Sum column by column in indicator order, so every path rounds identically.
    total = np.zeros(c.shape[0], dtype=np.float64)
    for j in range(c.shape[1]):
        total += c[:, j]
    return _frozen_array(total / c.shape[1])


def composite_cv(cvs: Sequence[float] | ArrayLike) -> float:
    r"""The composite coefficient of variation (综合差异系数): the mean of the indicator CVs.

    Parameters
    ----------
    cvs : sequence of float
        The unrounded CVs of the indicators (the 8 of the 2012 standard, in any order).

    Returns
    -------
    float
        :math:`\frac{1}{k}\sum_j CV_j`; ``nan`` if any CV is undefined (NaN).

    Notes
    -----
    The composite averages *unrounded* CVs and is rounded to 3 decimals only for display
    (:func:`round_half_up`). Averaging CVs already rounded to 3 decimals can change the third
    decimal: for 重庆永川区 (primary) the mean of the published rounded CVs is 0.56275, while the
    published composite is 0.562.

    References
    ----------
    教育部 教督〔2012〕3号 县域义务教育均衡发展督导评估暂行办法 (2012-01-20): 综合差异系数, primary
    <= 0.65, junior <= 0.55. The averaging of unrounded CVs was recomputed on published county rows.

    Examples
    --------
    合肥庐阳区, primary (published composite 0.592):

    >>> c = composite_cv([0.881, 1.299, 0.977, 0.379, 0.170, 0.334, 0.286, 0.408])
    >>> round_half_up(c, 3)
    0.592
    """
    c = np.asarray(cvs, dtype=np.float64)
    if c.ndim != 1 or c.size == 0:
        raise DataError(f"composite_cv: cvs must be a non-empty 1-D sequence. Got shape {c.shape}.")
    return float(grouped_composite_cv(c[np.newaxis, :])[0])


def round_half_up(value: float, ndigits: int = 3) -> float:
    """Round for display as the official tables do: half away from zero, on the decimal value.

    Python's ``round`` rounds half to even on the binary value (``round(0.5625, 3)`` is
    ``0.562``); published tables, made in spreadsheets, show ``0.563``. This function rounds the
    shortest decimal representation of ``value`` half away from zero. NaN and infinities are
    returned unchanged. Use it for display only: thresholds are compared with unrounded values.

    Examples
    --------
    >>> round_half_up(0.5625, 3), round(0.5625, 3)
    (0.563, 0.562)
    >>> round_half_up(0.51526, 2)
    0.52
    """
    if not math.isfinite(value):
        return value
    return float(_rounded_text(value, ndigits))


def _rounded_text(value: float, ndigits: int) -> str:
    """:func:`round_half_up` of a finite ``value``, as its text with ``ndigits`` decimals."""
    scaled = abs(value) * 10.0**ndigits
    if ndigits >= 0 and scaled < 1e12 and abs(scaled - math.floor(scaled) - 0.5) > 1e-6:
        # Not near a tie: correctly rounded formatting gives the same digits as rounding the
        # decimal value half up, and is much faster.
        return f"{value:.{ndigits}f}"
    exact = Decimal(repr(float(value))).quantize(_quantum(ndigits), rounding=ROUND_HALF_UP)
    if ndigits < 0:  # to tens, hundreds...: no decimals to show
        return format(exact, "f")
    return f"{float(exact):.{ndigits}f}"


@functools.cache
def _quantum(ndigits: int) -> Decimal:
    return Decimal(1).scaleb(-ndigits)


def round_half_up_array(values: NDArray[np.float64], ndigits: int) -> NDArray[np.float64]:
    """:func:`eduequity.round_half_up` over an array: each value rounded half up, on its
    decimal value, to ``ndigits`` decimals; NaN stays NaN.

    Away from a tie (the scaled value more than :math:`10^{-6}` from a half), rounding the
    binary value to the nearest (``numpy.round``) gives the same digits; the values near a
    tie, or too large to scale exactly, go through :func:`eduequity.round_half_up` one by one.

    Examples
    --------
    >>> import numpy as np
    >>> from eduequity.metrics import round_half_up_array
    >>> round_half_up_array(np.array([0.5625, 0.09036506177724368, -2.5, np.nan]), 3).tolist()
    [0.563, 0.09, -2.5, nan]
    """
    values = np.asarray(values, dtype=np.float64)
    out: NDArray[np.float64] = np.round(values, ndigits)
    scaled = np.abs(values) * 10.0**ndigits
    with np.errstate(invalid="ignore"):
        near = np.isfinite(values) & (
            (scaled >= 1e12) | (np.abs(scaled - np.floor(scaled) - 0.5) <= 1e-6)
        )
    for i in np.flatnonzero(near).tolist():
        out[i] = round_half_up(float(values[i]), ndigits)
    return out


def __dir__() -> list[str]:
    """The public names, for completion in a console or a notebook."""
    return sorted(__all__)
