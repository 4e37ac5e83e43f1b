r"""The least additions of a split resource that bring both stages' CVs within their bounds.

A physical resource of a multi-stage school is added to the school's total and split between
its stage parts by weighted enrollment, so one addition :math:`a_s` to school :math:`s` raises
each of its parts :math:`i` by :math:`g_i a_s`, with :math:`g_i = k\,\sigma_i / P_i` (the part's
share :math:`\sigma_i`, the indicator's scale :math:`k`, the part's students :math:`P_i`). For
one county the problem is

.. math::

    \min_a \sum_s a_s \quad\text{s.t.}\quad a_s \ge l_s,\quad
    \mathrm{CV}_G(y) \le c_G \;(G = \text{primary}, \text{junior}),\quad
    y_i = x_i + g_i a_{s(i)},

with :math:`l_s` what the school's floors need. Each :math:`\{\mathrm{CV}_G \le c_G\}` is a
second-order cone in :math:`a` (:math:`\lVert D_G y_G\rVert_2 \le \kappa_G\, w_G \cdot y_G`,
:math:`\kappa_G = \sqrt{1 + c_G^2}`, :math:`D_G = \mathrm{diag}(\sqrt{w_G})`), so the problem is
convex; the two stages share the additions of the multi-stage schools, so they are solved
together.

The method (see :doc:`/planning` for the optimality conditions):

1. **Majorisation.** :math:`\lVert D y\rVert \le \kappa\,w\cdot y` holds iff
   :math:`\sum_i w_i (y_i - \kappa\tau)^2 \le c^2\tau^2` for some :math:`\tau > 0` (a ball
   centred on :math:`\kappa\tau`; :math:`\tau = \lVert D y\rVert` is the best). Fixing
   :math:`\tau_G` at the current plan's :math:`\lVert D_G y_G\rVert` gives a ball inside the
   cone that contains the current plan, so the least plan within the balls is feasible and no
   dearer; repeating converges to the least plan of the cones (a convex-concave procedure: the
   plans are feasible and their cost falls monotonically to the optimum, where
   :math:`\tau_G = \lVert D_G y_G \rVert` makes the balls' conditions those of the cones).
2. **The balls, exactly.** With the balls fixed, the Lagrangian
   :math:`\sum_s a_s + \sum_G \eta_G (\sum_{i\in G} w_i (y_i - M_G)^2 - \rho_G^2)` is separable
   in the schools: each school's :math:`a_s` is a closed form (a one-dimensional quadratic,
   clipped at :math:`l_s`). The dual, a concave function of the two multipliers
   :math:`\eta_G \ge 0`, is maximised by a projected Newton method with a backtracking line
   search (it never decreases the dual).

References
----------
- S. Boyd, L. Vandenberghe, *Convex Optimization* (2004), §4.4.2 (second-order cones), §5.5.3
  (KKT conditions), §5.2 (the Lagrange dual).
- T. Lipp, S. Boyd, "Variations and extension of the convex-concave procedure", *Optimization
  and Engineering* 17 (2016) 263-287 (majorisation by an inner convex approximation).
"""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._planning.levels import water_level
from eduequity.metrics import GroupIndex, _weighted_moments

__all__ = ["ConeProblem", "least_additions"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Outer (majorisation) steps at most, and the relative fall of the cost that ends them.
_OUTER = 300
_OUTER_TOL = 1e-12
#: The common levels tried as a start: at the bounds, then at these fractions of them.
_STARTS = (1.0, 0.95, 0.85, 0.7, 0.5)
#: Newton steps on the dual at most per outer step, and halvings of a step at most.
_NEWTON = 60
_HALVINGS = 40
#: Counties below which the dual's steps are not moved to a subproblem.
_FEW = 16
#: The balls' conditions are met to this fraction of the squared radius.
_DUAL_TOL = 1e-11
#: A step that lowers the dual by less than this fraction of it is within its rounding.
_NOISE = 1e-13
#: A plan of the balls is taken where each CV is within its bound to this relative excess
#: (far inside the unit's margin the targets keep: ``eduequity._planning._targets``).
_FEASIBLE = 1e-10


@attrs.frozen(eq=False)
class ConeProblem:
    """Counties' split-resource problems, laid out as arrays.

    Attributes
    ----------
    value : array of float, one per part
        :math:`x_i`, finite and >= 0.
    gain : array of float, one per part
        :math:`g_i = k\\sigma_i / P_i`: what one unit added to the school adds to the part's
        value, > 0.
    enrollment : array of float, one per part
        :math:`P_i` (the CV weight), > 0.
    school : array of int, one per part
        The part's school, 0 to n_schools - 1; a school's parts are in one county and in
        different stages.
    group : array of int, one per part
        ``2 * county + stage`` (stage 0 primary, 1 junior), counties 0 to n_counties - 1.
    lower : array of float, one per school
        :math:`l_s \\ge 0`.
    maximum : array of float, one per group (2 per county)
        :math:`c_G > 0`, or inf where the group's CV is not bounded.
    """

    value: FloatArray
    gain: FloatArray
    enrollment: FloatArray
    school: IntArray
    group: IntArray
    lower: FloatArray
    maximum: FloatArray

    @property
    def n_schools(self) -> int:
        """Number of schools."""
        return int(self.lower.size)

    @cached_property
    def groups(self) -> GroupIndex:
        """The group index of the parts, built once for every CV of the problem."""
        return GroupIndex.from_codes(self.group, self.n_groups)

    @cached_property
    def county_of_school(self) -> IntArray:
        """Each school's county."""
        county = np.zeros(self.n_schools, dtype=np.intp)
        county[self.school] = self.group // 2
        return county

    @property
    def n_groups(self) -> int:
        """Number of groups (2 per county)."""
        return int(self.maximum.size)


def _sum(codes: IntArray, weights: FloatArray, n: int) -> FloatArray:
    """Sums of ``weights`` by code."""
    total: FloatArray = np.bincount(codes, weights=weights, minlength=n).astype(np.float64)
    return total


def _cvs(p: ConeProblem, w: FloatArray, a: FloatArray) -> FloatArray:
    """Each group's weighted CV of the values with additions ``a``, by the kernel of
    :func:`eduequity.weighted_cv` (NaN where the mean is 0)."""
    y = p.value + p.gain * a[p.school]
    return _weighted_moments(y, w, p.groups).cv


def _meets(
    p: ConeProblem,
    w: FloatArray,
    a: FloatArray,
    bounded: NDArray[np.bool_],
    slack: float = 0.0,
) -> NDArray[np.bool_]:
    """Per county, whether every bounded group's CV is within its bound (times 1 + slack)."""
    bad = bounded & ~(_cvs(p, w, a) <= p.maximum * (1 + slack))
    meets: NDArray[np.bool_] = np.logical_not(bad.reshape(-1, 2).any(axis=1))
    return meets


def least_additions(p: ConeProblem, tolerance: float = 0.0) -> FloatArray:
    """The least additions :math:`a_s \\ge l_s` that bring every bounded group's CV within its
    bound (see the module).

    Parameters
    ----------
    p : ConeProblem
    tolerance : float, default 0
        The majorisation stops in a county once a step lowers its cost by at most this much
        (or by at most :math:`10^{-12}` of it).

    Returns
    -------
    array of float, one per school
        :math:`a_s`; ``lower`` where the floors alone meet the bounds. A group whose values
        are all 0 is not bounded (its CV is undefined).
    """
    weight = np.bincount(p.group, weights=p.enrollment, minlength=p.n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = p.enrollment / weight[p.group]
    a = p.lower.astype(np.float64, copy=True)
    mean0 = _weighted_moments(p.value + p.gain * a[p.school], p.enrollment, p.groups).mean
    bounded = np.isfinite(p.maximum) & (weight > 0) & (mean0 > 0)
    done = _meets(p, w, a, bounded)
    if done.all():
        return a
    # The counties the floors leave short, as their own problem (each county's steps depend
    # on its own rows only).
    sub, parts, schools = _subproblem(p, ~done)
    a[schools] = _least_of(sub, w[parts], bounded[np.repeat(~done, 2)], tolerance)
    return a


def _least_of(
    p: ConeProblem, w: FloatArray, bounded: NDArray[np.bool_], tolerance: float
) -> FloatArray:
    """:func:`least_additions` of counties the floors leave short: a feasible start, then the
    majorisation steps."""
    n_g = p.n_groups
    county_of_school = p.county_of_school
    a = p.lower.astype(np.float64, copy=True)
    y0 = p.value + p.gain * a[p.school]
    # A feasible start. First each stage's common level, a school given what its needier
    # part needs: near the least plan, and feasible in most counties at the bound itself or
    # a little inside it.
    start = a.copy()
    todo = np.ones(n_g // 2, dtype=np.bool_)
    for inside in _STARTS:
        maximum = np.where(bounded & todo[np.arange(n_g) // 2], p.maximum * inside, np.inf)
        level = water_level(y0, p.enrollment, maximum, p.group)
        rise = np.maximum(np.nan_to_num(level)[p.group] - y0, 0.0) / p.gain
        need = np.zeros(p.n_schools)
        np.maximum.at(need, p.school, rise)
        fresh = todo & _meets(p, w, a + need, bounded)
        start[fresh[county_of_school]] = (a + need)[fresh[county_of_school]]
        todo &= ~fresh
        if not todo.any():
            break
    # Elsewhere every part at least the county's highest value, then twice, four times, ...
    # that (the parts of a school keep the ratio of their gains).
    high = np.zeros(n_g // 2)
    np.maximum.at(high, p.group // 2, y0)
    high = np.repeat(high, 2)
    for _ in range(64):
        if not todo.any():
            break
        need = np.zeros(p.n_schools)
        np.maximum.at(need, p.school, (high[p.group] - p.value) / p.gain)
        trial = np.maximum(a, need)
        ok = _meets(p, w, trial, bounded)
        fresh = todo & ok
        start[fresh[county_of_school]] = trial[fresh[county_of_school]]
        todo &= ~ok
        high *= 2
    return _majorise(p, w, bounded, start, tolerance)


def _subproblem(
    p: ConeProblem, keep: NDArray[np.bool_]
) -> tuple[ConeProblem, NDArray[np.intp], NDArray[np.intp]]:
    """The problem of the counties ``keep`` marks, with the rows of its parts and schools (in
    their order: a county's sums over the subproblem add the same numbers in the same order).
    Every school has a part, and a school's parts are in one county (see :class:`ConeProblem`)."""
    parts = np.flatnonzero(keep[p.group // 2])
    kept = keep[p.county_of_school]
    schools = np.flatnonzero(kept)
    renumber = np.cumsum(kept) - 1
    county = np.cumsum(keep) - 1
    group = p.group[parts]
    sub = ConeProblem(
        value=p.value[parts],
        gain=p.gain[parts],
        enrollment=p.enrollment[parts],
        school=renumber[p.school[parts]].astype(np.intp),
        group=(2 * county[group // 2] + group % 2).astype(np.intp),
        lower=p.lower[schools],
        maximum=p.maximum[np.repeat(keep, 2)],
    )
    return sub, parts, schools.astype(np.intp)


def _majorise(
    p: ConeProblem,
    w: FloatArray,
    bounded: NDArray[np.bool_],
    start: FloatArray,
    tolerance: float,
) -> FloatArray:
    """The majorisation steps from a feasible ``start``."""
    n_c = p.n_groups // 2
    county_of_school = p.county_of_school
    active = np.ones(n_c, dtype=np.bool_)
    kappa = np.sqrt(1.0 + np.where(bounded, p.maximum, 0.0) ** 2)
    c = np.where(bounded, p.maximum, 0.0)
    a: FloatArray = start.copy()
    eta = np.zeros(p.n_groups)
    cost = np.bincount(county_of_school, weights=a, minlength=n_c)
    for _ in range(_OUTER):
        counties = np.flatnonzero(active)
        sub, parts, schools = _subproblem(p, active)
        groups = np.stack([2 * counties, 2 * counties + 1], axis=1).reshape(-1)
        ws, bs = w[parts], bounded[groups]
        y = sub.value + sub.gain * a[schools][sub.school]
        tau = np.sqrt(np.bincount(sub.group, weights=ws * y * y, minlength=sub.n_groups))
        centre, radius = kappa[groups] * tau, c[groups] * tau
        # The multipliers' scale: eta ~ 1 / (2 w g (M - y)) at a level 0.3 M below the centre.
        n_parts = np.maximum(np.bincount(sub.group, minlength=sub.n_groups), 1)
        mean_wg = np.bincount(sub.group, weights=ws * sub.gain, minlength=sub.n_groups) / n_parts
        with np.errstate(divide="ignore"):
            scale = np.where(bs, 1.0 / (2 * mean_wg * 0.3 * centre), 0.0)
        scale = np.where(np.isfinite(scale), scale, 0.0)
        e0 = eta[groups]
        e0 = np.where(bs & (e0 > 0), e0, scale)
        e1, new = _dual(sub, _Balls(ws, bs, centre, radius), e0, scale)
        eta[groups] = e1
        county_sub = sub.county_of_school
        new_cost = np.bincount(county_sub, weights=new, minlength=counties.size)
        # A step is taken only to a cheaper plan within the cones (the balls' solution is
        # exact only to the dual's tolerance).
        meets = _meets(sub, ws, new, bs, _FEASIBLE)
        better = (new_cost <= cost[counties]) & meets
        a[schools] = np.where(better[county_sub], new, a[schools])
        fell = cost[counties] - new_cost
        cost[counties] = np.where(better, new_cost, cost[counties])
        active[counties] = fell > np.maximum(_OUTER_TOL * np.abs(cost[counties]), tolerance)
        if not active.any():
            break
    return a


def _inner(
    p: ConeProblem,
    w: FloatArray,
    centre: FloatArray,
    eta: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Each school's least Lagrangian addition for the multipliers ``eta``, and the values."""
    u = eta[p.group] * w * p.gain
    num = np.bincount(p.school, weights=u * (centre[p.group] - p.value), minlength=p.n_schools)
    den = np.bincount(p.school, weights=u * p.gain, minlength=p.n_schools)
    with np.errstate(invalid="ignore", divide="ignore"):
        free = np.where(den > 0, (num - 0.5) / den, -np.inf)
    a: FloatArray = np.maximum(free, p.lower)
    return a, p.value + p.gain * a[p.school]


class _Balls(NamedTuple):
    """The balls of one majorisation step: each part's weight ``w`` (its share of its group's
    students), and per group whether it is bounded, the ball's centre and its radius."""

    w: FloatArray
    bounded: NDArray[np.bool_]
    centre: FloatArray
    radius: FloatArray

    def of(self, parts: IntArray, rows: NDArray[np.bool_]) -> _Balls:
        """The balls of a subproblem: its ``parts`` and its groups' ``rows``."""
        return _Balls(self.w[parts], self.bounded[rows], self.centre[rows], self.radius[rows])


def _dual(
    p: ConeProblem,
    balls: _Balls,
    eta: FloatArray,
    scale: FloatArray,
    steps: int | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Maximise the concave dual of the ball problem over ``eta >= 0`` (projected Newton with
    a backtracking line search that never lowers the dual), at most ``steps`` Newton steps;
    the multipliers and the additions.

    Each county's steps depend on its own multipliers only: once at most half of the counties
    still step, the rest are solved as their own subproblem (the same steps, on fewer rows).
    """
    n_c = p.n_groups // 2
    county_of_school = p.county_of_school
    w, bounded, centre, radius = balls
    tol = _DUAL_TOL * radius * radius
    a, y, h, q = _evaluate(p, balls, eta)
    todo = np.ones(n_c, dtype=np.bool_)
    steps = _NEWTON if steps is None else steps
    for done in range(steps):
        # Converged where each ball holds with equality, or is slack at a multiplier of 0.
        kkt = (np.abs(h) <= tol) | ((eta == 0) & (h <= 0)) | ~bounded
        todo &= ~kkt.reshape(-1, 2).all(axis=1)
        if not todo.any():
            break
        if 2 * np.count_nonzero(todo) <= n_c and n_c > _FEW:
            sub, parts, schools = _subproblem(p, todo)
            rows = np.repeat(todo, 2)
            sub_eta, sub_a = _dual(sub, balls.of(parts, rows), eta[rows], scale[rows], steps - done)
            eta = eta.copy()
            eta[rows] = sub_eta
            a = a.copy()
            a[schools] = sub_a
            break
        # The Hessian of the dual: -sum over free schools of e_sG e_sH / D_s.
        u = eta[p.group] * w * p.gain
        den = 2 * np.bincount(p.school, weights=u * p.gain, minlength=p.n_schools)
        free = (a > p.lower) & (den > 0)
        ev = np.zeros((p.n_schools, 2))
        ev[p.school, p.group % 2] = 2 * w * p.gain * (y - centre[p.group])
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(free, 1.0 / den, 0.0)
        h00 = -_sum(county_of_school, r * ev[:, 0] ** 2, n_c)
        h11 = -_sum(county_of_school, r * ev[:, 1] ** 2, n_c)
        h01 = -_sum(county_of_school, r * ev[:, 0] * ev[:, 1], n_c)
        g0, g1 = h[0::2], h[1::2]
        e0, e1 = eta[0::2], eta[1::2]
        m0 = bounded[0::2] & ((e0 > 0) | (g0 > 0))
        m1 = bounded[1::2] & ((e1 > 0) | (g1 > 0))
        det = h00 * h11 - h01 * h01
        both = m0 & m1 & (h00 < 0) & (h11 < 0) & (det > 1e-12 * h00 * h11)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            d0 = np.where(both, -(h11 * g0 - h01 * g1) / det, -g0 / h00)
            d1 = np.where(both, -(h00 * g1 - h01 * g0) / det, -g1 / h11)
        # Where the dual is linear in a multiplier (no school responds), go to 0 or double.
        d0 = np.where(
            (h00 < 0) & np.isfinite(d0), d0, np.where(g0 > 0, np.maximum(e0, scale[0::2]), -e0)
        )
        d1 = np.where(
            (h11 < 0) & np.isfinite(d1), d1, np.where(g1 > 0, np.maximum(e1, scale[1::2]), -e1)
        )
        step = np.stack([np.where(m0, d0, 0.0), np.where(m1, d1, 0.0)], axis=1)
        # Where the Hessian has rank 1 (the free schools all move both balls in one ratio),
        # the dual is linear along its null direction: the pseudo-inverse Newton step, then
        # along the null direction uphill until a multiplier reaches 0.
        rank1 = m0 & m1 & (h00 < 0) & (h11 < 0) & ~both
        if rank1.any():
            step[rank1] = _rank_one_step(
                np.stack([h00, h01], axis=1)[rank1],
                -(h00 + h11)[rank1],
                np.stack([g0, g1], axis=1)[rank1],
                np.stack([e0, e1], axis=1)[rank1],
            )
        pending = todo & (step != 0).any(axis=1)
        eta, moved, (a, y, h, q) = _search(
            p, balls, eta, _Point(a, y, h, q), step, pending, np.ones(n_c)
        )
        todo &= moved
    return eta, a


class _Point(NamedTuple):
    """The dual at some multipliers: each school's addition ``a``, each part's value ``y``,
    each ball's condition ``h`` (its left side less the squared radius; 0 where not bounded)
    and each county's dual value ``q``."""

    a: FloatArray
    y: FloatArray
    h: FloatArray
    q: FloatArray


def _evaluate(p: ConeProblem, balls: _Balls, eta: FloatArray) -> _Point:
    """The dual at the multipliers ``eta``."""
    w, bounded, centre, radius = balls
    a, y = _inner(p, w, centre, eta)
    d = y - centre[p.group]
    h = np.bincount(p.group, weights=w * d * d, minlength=p.n_groups) - radius * radius
    h = np.where(bounded, h, 0.0)
    county = np.bincount(p.county_of_school, weights=a, minlength=p.n_groups // 2)
    return _Point(a, y, h, county + (eta * h).reshape(-1, 2).sum(1))


def _search(
    p: ConeProblem,
    balls: _Balls,
    eta: FloatArray,
    at: _Point,
    step: FloatArray,
    pending: NDArray[np.bool_],
    t: FloatArray,
    halvings: int | None = None,
) -> tuple[FloatArray, NDArray[np.bool_], _Point]:
    """The backtracking line search of :func:`_dual` from ``eta`` (where the dual is ``at``):
    for each ``pending`` county, the multipliers at the first of the step lengths ``t``,
    ``t / 2``, ... that do not lower its dual value (within rounding); the multipliers, the
    counties that moved and the dual there. Once at most half of the counties are still
    searching, they search as their own subproblem."""
    n_c = p.n_groups // 2
    new_eta = eta.copy()
    moved = np.zeros(n_c, dtype=np.bool_)
    pending = pending.copy()
    a, y, h, q = at
    halvings = _HALVINGS if halvings is None else halvings
    for k in range(halvings):
        if not pending.any():
            break
        if k > 0 and 2 * np.count_nonzero(pending) <= n_c and n_c > _FEW:
            sub, parts, schools = _subproblem(p, pending)
            rows, counties = np.repeat(pending, 2), np.flatnonzero(pending)
            sub_eta, sub_moved, found = _search(
                sub,
                balls.of(parts, rows),
                eta[rows],
                _Point(a[schools], y[parts], h[rows], q[counties]),
                step[counties],
                np.ones(counties.size, dtype=np.bool_),
                t[counties],
                halvings - k,
            )
            new_eta[rows] = sub_eta
            moved[counties] = sub_moved
            a, y, h, q = a.copy(), y.copy(), h.copy(), q.copy()
            a[schools], y[parts], h[rows], q[counties] = found
            break
        with np.errstate(over="ignore", invalid="ignore"):
            trial = np.maximum(eta.reshape(-1, 2) + t[:, np.newaxis] * step, 0.0)
        trial = np.where(pending[:, np.newaxis], trial, eta.reshape(-1, 2)).reshape(-1)
        there = _evaluate(p, balls, trial)
        up = (
            pending
            & (there.q >= at.q - _NOISE * np.abs(at.q))
            & (trial.reshape(-1, 2) != eta.reshape(-1, 2)).any(axis=1)
        )
        if up.any():
            # The evaluation of a county depends on its own multipliers only: keep it.
            rows = np.repeat(up, 2)
            new_eta[rows] = trial[rows]
            a = np.where(up[p.county_of_school], there.a, a)
            y = np.where(up[p.group // 2], there.y, y)
            h = np.where(rows, there.h, h)
            q = np.where(up, there.q, q)
            moved |= up
        pending &= ~up
        t = np.where(pending, t / 2, t)
    return new_eta, moved, _Point(a, y, h, q)


def _rank_one_step(
    row: FloatArray, trace: FloatArray, grad: FloatArray, eta: FloatArray
) -> FloatArray:
    r"""The step of :func:`_dual` where its Hessian is :math:`-\lambda u u^T` (rank 1)."""
    u = row / np.linalg.norm(row, axis=1, keepdims=True)
    along = (u * grad).sum(axis=1, keepdims=True) / trace[:, np.newaxis] * u
    null = np.stack([-u[:, 1], u[:, 0]], axis=1)
    null *= np.where((null * grad).sum(axis=1) >= 0, 1.0, -1.0)[:, np.newaxis]
    base = eta + along
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = np.where(null < 0, np.maximum(base, 0.0) / -null, np.inf).min(axis=1)
    reach = np.where(np.isfinite(reach), reach, 0.0)
    step: FloatArray = along + reach[:, np.newaxis] * null
    return step
