"""The equity measures of one set of schools (see :mod:`eduequity.equity`)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import DataError
from eduequity.metrics import _moments_by_code, _refuse_first

__all__ = [
    "atkinson",
    "decompose",
    "federal_range_ratio",
    "generalized_entropy",
    "gini",
    "mcloone",
    "mean_log_deviation",
    "percentile_ratio",
    "range_ratio",
    "restricted_range",
    "sample_cv",
    "theil",
    "unweighted_cv",
    "verstegen",
    "weighted_percentile",
]

FloatArray = NDArray[np.float64]


def _checked(
    values: ArrayLike, weights: ArrayLike | None, func: str
) -> tuple[FloatArray, FloatArray]:
    """The values and weights as arrays; bad input (lengths that differ, a value negative or
    not finite, a weight not finite and positive) is refused with a :class:`DataError`."""
    x = np.asarray(values, dtype=np.float64).ravel()
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
    if w.shape != x.shape:
        raise DataError(f"{func}: values and weights differ in length ({x.size}, {w.size}).")
    _refuse_first(func, "values", x, np.isfinite(x) & (x >= 0), "finite and >= 0")
    ok = np.isfinite(w) & (w > 0)
    _refuse_first(func, "weights", w, ok, "finite and > 0", note=" (enrollment)")
    return x, w


def _undefined(x: FloatArray, w: FloatArray, positive: bool = False) -> bool:
    """Whether a measure is undefined (NaN) here: no school, a mean of 0, or (``positive``,
    a measure that takes the values' logarithm or divides by the lowest) a value of 0."""
    return x.size == 0 or not (w * x).sum() > 0 or (positive and not bool((x > 0).all()))


def _inputs(
    values: ArrayLike, weights: ArrayLike | None, func: str, positive: bool = False
) -> tuple[FloatArray, FloatArray]:
    """:func:`_checked`, refusing also input on which nothing can be computed (the Lorenz
    curve and the bootstraps: no school, a mean of 0)."""
    x, w = _checked(values, weights, func)
    if x.size == 0:
        raise DataError(f"{func}: no school.")
    if positive and not (x > 0).all():
        raise DataError(f"{func}: values must be > 0 (the measure takes their logarithm).")
    if not (w * x).sum() > 0:
        raise DataError(f"{func}: the mean is 0: the measure is undefined.")
    return x, w


def gini(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    r"""The Gini coefficient over students.

    .. math::

        G = \frac{\sum_i \sum_j w_i w_j |x_i - x_j|}{2 W^2 \mu},

    the mean absolute difference between two students drawn at random (students of one
    school differ by 0), over twice the mean; computed by one sort.

    Examples
    --------
    >>> round(gini([1.0, 3.0], [1, 1]), 6)
    0.25
    >>> round(gini([1.0, 1.0, 3.0, 3.0]), 6)   # the same students
    0.25
    """
    x, w = _checked(values, weights, "gini")
    if _undefined(x, w):
        return math.nan
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    total = w.sum()
    after = total - np.cumsum(w)
    before = total - after - w
    pairs = 2.0 * float((w * x * (before - after)).sum())
    mean = float((w * x).sum() / total)
    return float(pairs / (2.0 * total * total * mean))


def generalized_entropy(
    values: ArrayLike, weights: ArrayLike | None = None, alpha: float = 2.0
) -> float:
    r"""The generalized entropy index GE(:math:`\alpha`).

    .. math::

        GE(\alpha) = \frac{1}{\alpha(\alpha - 1)} \sum_i \frac{w_i}{W}
            \left[\left(\frac{x_i}{\mu}\right)^{\alpha} - 1\right],

    with the limits GE(1) = :func:`theil` and GE(0) = :func:`mean_log_deviation`. GE(2) is half
    the squared CV.

    Examples
    --------
    >>> x, w = [2.0, 4.0, 9.0], [30, 50, 20]
    >>> import eduequity as ee
    >>> round(generalized_entropy(x, w, 2), 12) == round(ee.weighted_cv(x, w) ** 2 / 2, 12)
    True
    """
    if alpha == 1:
        return theil(values, weights)
    if alpha == 0:
        return mean_log_deviation(values, weights)
    x, w = _checked(values, weights, "generalized_entropy")
    if _undefined(x, w, positive=alpha < 0):
        return math.nan
    share = w / w.sum()
    mean = float((share * x).sum())
    return float((share * ((x / mean) ** alpha - 1.0)).sum()) / (alpha * (alpha - 1.0))


def theil(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    r"""The Theil index, GE(1): :math:`T = \sum_i \frac{w_i}{W} \frac{x_i}{\mu}
    \ln\frac{x_i}{\mu}` (a school with :math:`x_i = 0` adds 0).

    Examples
    --------
    >>> round(theil([1.0, 3.0], [1, 1]), 6)
    0.130812
    """
    x, w = _checked(values, weights, "theil")
    if _undefined(x, w):
        return math.nan
    share = w / w.sum()
    r = x / float((share * x).sum())
    logs = np.log(np.where(r > 0, r, 1.0))
    return float((share * r * logs).sum())


def mean_log_deviation(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    r"""The mean log deviation, GE(0): :math:`L = \sum_i \frac{w_i}{W} \ln\frac{\mu}{x_i}`;
    values must be > 0.

    Examples
    --------
    >>> round(mean_log_deviation([1.0, 3.0], [1, 1]), 6)
    0.143841
    """
    x, w = _checked(values, weights, "mean_log_deviation")
    if _undefined(x, w, positive=True):
        return math.nan
    share = w / w.sum()
    mean = float((share * x).sum())
    return float((share * np.log(mean / x)).sum())


def atkinson(values: ArrayLike, weights: ArrayLike | None = None, epsilon: float = 0.5) -> float:
    r"""The Atkinson index with inequality aversion :math:`\varepsilon \ge 0`.

    .. math::

        A_\varepsilon = 1 - \frac{1}{\mu}\left[\sum_i \frac{w_i}{W} x_i^{1-\varepsilon}
            \right]^{1/(1-\varepsilon)}, \qquad
        A_1 = 1 - \frac{1}{\mu}\exp\left(\sum_i \frac{w_i}{W}\ln x_i\right).

    Examples
    --------
    >>> round(atkinson([1.0, 3.0], [1, 1], 1), 6)
    0.133975
    """
    if epsilon < 0:
        raise DataError(f"atkinson: epsilon must be >= 0. Got {epsilon!r}.")
    x, w = _checked(values, weights, "atkinson")
    if _undefined(x, w, positive=epsilon >= 1):
        return math.nan
    share = w / w.sum()
    mean = float((share * x).sum())
    if epsilon == 1:
        return 1.0 - math.exp(float((share * np.log(x)).sum())) / mean
    power = float((share * x ** (1.0 - epsilon)).sum()) ** (1.0 / (1.0 - epsilon))
    return float(1.0 - power / mean)


def weighted_percentile(values: ArrayLike, weights: ArrayLike | None, p: float) -> float:
    """The lower weighted percentile: the smallest value whose cumulative weight (students
    at or below it) reaches ``p`` of all, ``0 < p <= 1``; ``p = 0.5`` is the lower median.

    Examples
    --------
    >>> weighted_percentile([1.0, 2.0, 3.0], [1, 1, 2], 0.5)
    2.0
    """
    if not 0 < p <= 1:
        raise DataError(f"weighted_percentile: p must be in (0, 1]. Got {p!r}.")
    x, w = _checked(values, weights, "weighted_percentile")
    if x.size == 0:
        return math.nan
    order = np.argsort(x, kind="stable")
    cumulative = np.cumsum(w[order])
    at = int(np.searchsorted(cumulative, p * cumulative[-1] * (1 - 1e-12), side="left"))
    return float(x[order][min(at, x.size - 1)])


def mcloone(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    r"""The McLoone index: what the students at or below the median have, over what they
    would have at the median, :math:`\sum_{x_i \le m} w_i x_i / (m \sum_{x_i \le m} w_i)`
    (1 is equality at the bottom).

    Examples
    --------
    >>> round(mcloone([1.0, 2.0, 3.0], [1, 1, 2]), 6)
    0.75
    """
    x, w = _checked(values, weights, "mcloone")
    median = weighted_percentile(x, w, 0.5)
    if _undefined(x, w) or not median > 0:
        return math.nan
    low = x <= median
    return float((w[low] * x[low]).sum() / (median * w[low].sum()))


def verstegen(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    r"""The Verstegen index: what the students at or above the median have, over what they
    would have at the median (1 is equality at the top).

    Examples
    --------
    >>> round(verstegen([1.0, 2.0, 3.0], [1, 1, 2]), 6)
    1.333333
    """
    x, w = _checked(values, weights, "verstegen")
    median = weighted_percentile(x, w, 0.5)
    if _undefined(x, w) or not median > 0:
        return math.nan
    high = x >= median
    return float((w[high] * x[high]).sum() / (median * w[high].sum()))


def percentile_ratio(
    values: ArrayLike, weights: ArrayLike | None = None, p_high: float = 0.95, p_low: float = 0.05
) -> float:
    """The ratio of two weighted percentiles, e.g. P95 / P5 (lower definition).

    Examples
    --------
    >>> percentile_ratio([1.0, 2.0, 4.0], [1, 1, 1], 1.0, 0.3)
    4.0
    """
    low = weighted_percentile(values, weights, p_low)
    if not low > 0:
        return math.nan
    return weighted_percentile(values, weights, p_high) / low


def range_ratio(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """The highest value over the lowest.

    Examples
    --------
    >>> range_ratio([2.0, 5.0, 8.0])
    4.0
    """
    x, w = _checked(values, weights, "range_ratio")
    if _undefined(x, w, positive=True):
        return math.nan
    return float(x.max() / x.min())


def restricted_range(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """P95 − P5 of the students' values (lower weighted percentiles).

    Examples
    --------
    >>> restricted_range([1.0, 2.0, 9.0], [10, 80, 10])
    8.0
    """
    return weighted_percentile(values, weights, 0.95) - weighted_percentile(values, weights, 0.05)


def federal_range_ratio(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """(P95 − P5) / P5 of the students' values, the U.S. federal range ratio.

    Examples
    --------
    >>> federal_range_ratio([1.0, 2.0, 9.0], [10, 80, 10])
    8.0
    """
    low = weighted_percentile(values, weights, 0.05)
    if not low > 0:
        return math.nan
    return restricted_range(values, weights) / low


def unweighted_cv(values: ArrayLike) -> float:
    """The CV of the schools' values, each school counting once (population form) — what
    software without weights computes; not the official method.

    Examples
    --------
    >>> round(unweighted_cv([279 / 45, 137 / 37, 935 / 89, 160 / 76, 402 / 55]), 5)
    0.48877
    """
    x, w = _checked(values, None, "unweighted_cv")
    if _undefined(x, w):
        return math.nan
    return float(x.std() / x.mean())


def sample_cv(values: ArrayLike) -> float:
    """The sample CV of the schools' values (divides by n − 1), as some software computes.

    Examples
    --------
    >>> round(sample_cv([279 / 45, 137 / 37, 935 / 89, 160 / 76, 402 / 55]), 5)
    0.54646
    """
    x, w = _checked(values, None, "sample_cv")
    if x.size < 2 or _undefined(x, w):
        return math.nan
    return float(x.std(ddof=1) / x.mean())


def decompose(
    values: ArrayLike,
    weights: ArrayLike | None,
    groups: ArrayLike,
    measure: str = "theil",
    alpha: float | None = None,
) -> dict[str, float]:
    r"""A generalized entropy measure split into between- and within-group parts.

    Parameters
    ----------
    values, weights : array-like
        As for :func:`generalized_entropy`.
    groups : array-like
        Each school's group (urban / rural, school kind, public / private, ...).
    measure : {"theil", "mean_log_deviation", "generalized_entropy"}
    alpha : float, optional
        The parameter of ``"generalized_entropy"``.

    Returns
    -------
    dict
        ``total``, ``between`` (every student given the group's mean) and ``within``
        (:math:`\sum_g s_g\,GE_g` with :math:`s_g = \frac{W_g}{W}(\mu_g/\mu)^\alpha`), with
        ``total == between + within`` up to rounding.

    Examples
    --------
    >>> parts = decompose([1.0, 2.0, 4.0, 8.0], [1, 1, 1, 1], ["rural", "rural", "urban", "urban"])
    >>> round(parts["between"] + parts["within"] - parts["total"], 12)
    0.0
    """
    a = {"theil": 1.0, "mean_log_deviation": 0.0}.get(measure, alpha)
    if a is None or measure not in ("theil", "mean_log_deviation", "generalized_entropy"):
        raise DataError(
            "decompose: measure must be 'theil', 'mean_log_deviation' or "
            "'generalized_entropy' (with alpha)."
        )
    x, w = _checked(values, weights, "decompose")
    if _undefined(x, w, positive=a <= 0):
        return {"total": math.nan, "between": math.nan, "within": math.nan}
    g = np.asarray(groups).ravel()
    if g.shape != x.shape:
        raise DataError("decompose: one group per school.")
    total = generalized_entropy(x, w, a)
    mean = float((w * x).sum() / w.sum())
    labels, codes = np.unique(g, return_inverse=True)
    by_group = _moments_by_code(x, w, codes, labels.size)
    group_w, group_mean = by_group.weight, by_group.mean
    between = float(generalized_entropy(group_mean, group_w, a)) if labels.size > 1 else 0.0
    within = 0.0
    for k in range(labels.size):
        mine = codes == k
        share = group_w[k] / w.sum() * (group_mean[k] / mean) ** a
        if mine.sum() > 1 and group_mean[k] > 0:
            within += float(share) * generalized_entropy(x[mine], w[mine], a)
    return {"total": total, "between": between, "within": within}
