r"""The cheapest additions that bring a weighted CV within a bound: raising the lowest schools.

For one indicator of one county and stage, school :math:`i` has :math:`P_i` students and
value :math:`x_i = R_i \times scale / P_i`. Adding :math:`a_i \ge 0` of the resource changes
its value to :math:`x_i' = x_i + a_i \times scale / P_i`. The cheapest additions that bring the
enrollment-weighted CV within :math:`c`,

.. math::

    \min \sum_i a_i \quad\text{s.t.}\quad a_i \ge 0,\;
    x_i' \ge f_i,\; \mathrm{CV}(x'; P) \le c,

(:math:`f_i` a floor of the school, e.g. its minimum; :math:`-\infty` for none) are
*water-filling*: :math:`x_i' = \max(x_i, f_i, L)` with :math:`L` the lowest common level that
meets the bound.

This holds where one unit of the resource raises a school's value by :math:`scale / P_i`: a
school with one stage. A resource of a multi-stage school is split between its stage parts, so
one unit raises a part by only its share and raises the other part too; the least additions of
such a resource are found for both stages together (``eduequity._planning._cones``, and the
page "What it takes to pass"), of which water-filling is the special case.

Why. With weights :math:`w_i = P_i / P`, :math:`\bar x = \sum w_i x_i` and
:math:`S^2 = \sum w_i x_i^2 - \bar x^2`, the bound reads
:math:`\lVert D (x - \bar x \mathbf 1) \rVert_2 \le c\,\bar x` with
:math:`D = \mathrm{diag}(\sqrt{w})`: a second-order cone in :math:`x` (the left side is a norm of
a linear map, the right side is linear), so the feasible set is convex, and so is the problem.
The objective is :math:`\sum_i a_i = \frac{P}{scale}\sum_i w_i (x_i' - x_i)`: the cost is the
rise of the mean. For a given rise, the outcome with the smallest spread that adding alone can
reach raises the lowest values to a common level (it is the most equal such outcome: every
other one is obtained from it by moving value from lower to higher schools, which never lowers
the variance at a fixed mean). So for any feasible additions the water level of the same cost
is feasible too, and the cheapest plan is the lowest feasible level.

Raising the level :math:`L` lowers the CV: with :math:`A` the set of schools at the level and
:math:`w_A` their weight,

.. math::

    \frac{d\,\mathrm{CV}^2}{dL} = \frac{2 w_A\,(\bar x L - \overline{x^2})}{\bar x^3} \le 0,

since every :math:`x_i' \ge L` gives :math:`\overline{x^2} \ge L \bar x`. So the smallest
feasible level is found by bisection. The tests check the solution against
:func:`scipy.optimize.minimize` on random counties.

References
----------
- S. Boyd, L. Vandenberghe, *Convex Optimization* (2004), §4.4.2 (second-order cone programs)
  and §5.5.3 (water-filling).
- 教育部 教督〔2017〕6号, 第六条 (the bound on each CV) and 第五条 (the minimums).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import DataError
from eduequity._renamed import renamed_keywords
from eduequity.metrics import GroupIndex, _weighted_moments

__all__ = ["cv_of_level", "level_cost", "water_level"]

FloatArray = NDArray[np.float64]

#: Bisection steps: enough to pin a level to the last bits of a float64.
_STEPS = 200
#: Relative half-width of the bracket around the closed-form level.
_NARROW = 1e-12


def _groups(
    codes: ArrayLike | None, n: int, n_groups: int | None = None
) -> tuple[NDArray[np.intp], int]:
    if codes is None:
        return np.zeros(n, dtype=np.intp), 1
    g = np.asarray(codes, dtype=np.intp)
    found = int(g.max()) + 1 if g.size else 0
    return g, found if n_groups is None else max(found, n_groups)


@renamed_keywords(enrollment="weights")
def cv_of_level(
    values: ArrayLike,
    weights: ArrayLike,
    level: ArrayLike,
    groups: ArrayLike | None = None,
    n_groups: int | None = None,
) -> FloatArray:
    """The weighted CV of each group once every value below the group's ``level`` is raised to
    it (the kernel of :func:`eduequity.weighted_cv`); NaN where the mean is 0. ``weights``
    are the schools' students, as in :func:`eduequity.weighted_cv` (``enrollment=``, its former
    name, is deprecated).

    Examples
    --------
    >>> cv_of_level([1.0, 3.0], [1, 1], [2.0]).round(6).tolist()
    [0.2]
    """
    x = np.asarray(values, dtype=np.float64)
    p = np.asarray(weights, dtype=np.float64)
    g, n_g = _groups(groups, x.size, n_groups)
    return _cv_lifted(x, p, np.asarray(level, dtype=np.float64), GroupIndex.from_codes(g, n_g))


def _cv_lifted(x: FloatArray, p: FloatArray, level: FloatArray, index: GroupIndex) -> FloatArray:
    """:func:`cv_of_level` of validated arrays over a group index built once."""
    lifted = np.maximum(x, level[index.codes])
    return _weighted_moments(lifted, p, index).cv


@renamed_keywords(enrollment="weights")
def level_cost(
    values: ArrayLike,
    weights: ArrayLike,
    level: ArrayLike,
    groups: ArrayLike | None = None,
    *,
    scale: float = 1.0,
    n_groups: int | None = None,
) -> FloatArray:
    """Per group, the resource to add to raise every value below ``level`` to it:
    :math:`\\sum_i \\max(0, L - x_i) P_i / scale`, with ``weights`` the schools' students
    :math:`P_i` (``enrollment=``, its former name, is deprecated).

    Examples
    --------
    >>> level_cost([1.0, 3.0], [100, 50], [2.0]).tolist()
    [100.0]
    """
    x = np.asarray(values, dtype=np.float64)
    p = np.asarray(weights, dtype=np.float64)
    g, n_g = _groups(groups, x.size, n_groups)
    gap: FloatArray = np.maximum(np.asarray(level, dtype=np.float64)[g] - x, 0.0)
    cost: FloatArray = np.asarray(
        np.bincount(g, weights=gap * p / scale, minlength=n_g), dtype=np.float64
    )
    return cost


@renamed_keywords(enrollment="weights")
def water_level(
    values: ArrayLike,
    weights: ArrayLike,
    maximum: ArrayLike,
    groups: ArrayLike | None = None,
) -> FloatArray:
    r"""The lowest common level :math:`L` per group at which raising every value below it to
    :math:`L` brings the enrollment-weighted CV to at most ``maximum``.

    Parameters
    ----------
    values : array of float, shape (n,)
        Each school's indicator value :math:`x_i` (after any floor: pass
        :math:`\max(x_i, f_i)`); finite and >= 0.
    weights : array of float, shape (n,)
        Each school's students :math:`P_i` (the CV weight), > 0 (``enrollment=``, its former
        name, is deprecated).
    maximum : float or array of float, shape (n_groups,)
        The bound :math:`c` of each group, > 0.
    groups : array of int, shape (n,), optional
        Group code of each school (0 to n_groups - 1); default one group.

    Returns
    -------
    array of float, shape (n_groups,)
        :math:`L`: the group's lowest value where the CV already meets the bound (nothing to
        raise); NaN for a group with no school or whose values are all 0 (no level above 0 is
        the lowest).

    Notes
    -----
    The new values are :math:`x_i' = \max(x_i, L)`; they minimise the resource added,
    :math:`\sum_i (x_i' - x_i) P_i / scale`, among all additions meeting the bound (see the
    module). :math:`L` is found by bisection between the lowest and the highest value (where the
    CV is 0), in a bracket of :math:`10^{-12}` relative around the level in closed form (a
    quadratic's root on the segment between two schools' values) wherever the CV on both
    sides confirms it, and is the upper end of the last bracket, so the CV at :math:`L`, computed as
    :func:`cv_of_level` computes it, is at most the bound.

    Examples
    --------
    The five primary schools of the official method sheet (books per student, CV 0.515): the
    lowest two are raised to 4.5 books per student to bring the CV to 0.35.

    >>> x = [279 / 45, 137 / 37, 935 / 89, 160 / 76, 402 / 55]
    >>> p = [45, 37, 89, 76, 55]
    >>> level = water_level(x, p, 0.35)
    >>> level.round(2).tolist(), cv_of_level(x, p, level).round(4).tolist()
    ([4.5], [0.35])
    """
    x = np.asarray(values, dtype=np.float64)
    p = np.asarray(weights, dtype=np.float64)
    g, n_g = _groups(groups, x.size)
    bound = np.asarray(maximum, dtype=np.float64)
    if groups is not None and bound.ndim == 1:
        n_g = max(n_g, bound.size)  # groups without schools at the end
    c = np.broadcast_to(bound, (n_g,))
    if x.shape != p.shape or x.ndim != 1:
        raise DataError(
            f"water_level: values and weights must be 1-D of one length. Got {x.shape} "
            f"and {p.shape}."
        )
    if not (np.isfinite(x).all() and (x >= 0).all() and (p > 0).all()):
        raise DataError("water_level: values must be finite and >= 0, weights (enrollment) > 0.")
    lo = np.full(n_g, np.inf)
    hi = np.full(n_g, -np.inf)
    np.minimum.at(lo, g, x)
    np.maximum.at(hi, g, x)
    with np.errstate(invalid="ignore"):
        cv = cv_of_level(x, p, np.where(np.isfinite(lo), lo, 0.0), g, n_g)
    done = ~(cv > c)  # meets the bound already (or has no school, or a mean of 0)
    level = np.where(done, lo, hi)
    level[~np.isfinite(lo) | ~(hi > 0)] = np.nan
    todo = np.flatnonzero(~done & (hi > 0))
    if todo.size == 0:
        return level
    lo_t, hi_t = lo[todo], hi[todo]
    # Bisect only on the schools of the groups still to solve.
    mine = np.isin(g, todo)
    sub = np.searchsorted(todo, g[mine])
    xs, ps, cs = x[mine], p[mine], c[todo]
    # The level in closed form (a root of a quadratic on the segment between two schools'
    # values), used only to narrow the bracket where the bisection confirms it.
    guess = _closed_form(xs, ps, cs, sub, todo.size)
    near_lo = np.clip(guess * (1 - _NARROW), lo_t, hi_t)
    near_hi = np.clip(guess * (1 + _NARROW), lo_t, hi_t)
    # The schools in group order once (the order every CV sums them in), for every step.
    index = GroupIndex.from_codes(sub, todo.size)
    if index.order is not None:
        xs, ps = xs[index.order], ps[index.order]
        index = GroupIndex.from_codes(sub[index.order], todo.size)
    with np.errstate(invalid="ignore"):
        cv_lo = _cv_lifted(xs, ps, near_lo, index)
        cv_hi = _cv_lifted(xs, ps, near_hi, index)
    narrow = np.isfinite(guess) & (cv_lo > cs) & (cv_hi <= cs)
    lo_t = np.where(narrow, near_lo, lo_t)
    hi_t = np.where(narrow, near_hi, hi_t)
    for _ in range(_STEPS):
        mid = lo_t + (hi_t - lo_t) / 2
        ok = _cv_lifted(xs, ps, mid, index) <= cs
        hi_t = np.where(ok, mid, hi_t)
        lo_t = np.where(ok, lo_t, mid)
        if np.all(hi_t - lo_t <= 4 * np.spacing(hi_t)):
            break
    level[todo] = hi_t
    return level


def _closed_form(
    x: FloatArray, p: FloatArray, c: FloatArray, g: NDArray[np.intp], n_g: int
) -> FloatArray:
    r"""Each group's water level from sorted prefix sums: on the segment where the raised
    schools are the :math:`k` lowest (weight :math:`W`, the others' sums :math:`R_1 = \sum w x`,
    :math:`R_2 = \sum w x^2`), :math:`\mathrm{CV}(L) \le c` reads
    :math:`W L^2 + R_2 \le (1 + c^2)(W L + R_1)^2`, a quadratic in :math:`L`; NaN where
    rounding leaves no root on the segment."""
    order = np.lexsort((x, g))
    xs, gs = x[order], g[order]
    weight = np.bincount(g, weights=p, minlength=n_g)
    ws = p[order] / weight[gs]
    starts = np.searchsorted(gs, np.arange(n_g))
    cw = np.cumsum(ws)
    c1 = np.cumsum(ws * xs)
    c2 = np.cumsum(ws * xs * xs)
    base = starts - 1
    first = base < 0

    def before(cum: FloatArray) -> FloatArray:
        out: FloatArray = np.where(first, 0.0, cum[np.maximum(base, 0)])
        return out

    t1 = np.bincount(g, weights=p * x, minlength=n_g) / weight
    t2 = np.bincount(g, weights=p * x * x, minlength=n_g) / weight
    # Raised weight and the others' sums when the raised schools are the k lowest (k = 1 to
    # the group's size), at each school's own value as L.
    w_a = cw - before(cw)[gs]
    r1 = t1[gs] - (c1 - before(c1)[gs])
    r2 = t2[gs] - (c2 - before(c2)[gs])
    k2 = 1 + c[gs] ** 2
    # The segment [x_k, x_{k+1}] with the k lowest raised: the condition holds at its top.
    top = np.append(xs[1:], np.inf)
    last = np.append(gs[1:] != gs[:-1], True)
    top = np.where(last, xs, top)
    holds = w_a * top * top + r2 <= k2 * (w_a * top + r1) ** 2
    holds |= last
    # The first segment of each group where it holds.
    idx = np.flatnonzero(holds)
    first_hold = np.full(n_g, x.size)
    np.minimum.at(first_hold, gs[idx], idx)
    k = np.minimum(first_hold, x.size - 1)
    kk = k2[k]
    a = kk * w_a[k] ** 2 - w_a[k]
    b = 2 * kk * w_a[k] * r1[k]
    e = kk * r1[k] ** 2 - r2[k]
    with np.errstate(invalid="ignore", divide="ignore"):
        disc = np.sqrt(b * b - 4 * a * e)
        roots = np.stack([(-b - disc) / (2 * a), (-b + disc) / (2 * a)])
    low, high = xs[k], top[k]
    inside = (roots >= low * (1 - 1e-9)) & (roots <= high * (1 + 1e-9))
    root: FloatArray = np.where(inside[0], roots[0], np.where(inside[1], roots[1], np.nan))
    return root
