r"""Each part's value after every CV bound of its county is met, one indicator at a time (2017).

For an indicator of a resource reported by stage, and for a split resource in a county with
no multi-stage school, raising the lowest values to a common level is the least addition
(``eduequity._planning.levels``). For a split resource in a county with multi-stage schools,
the two stages are solved together with each part's true gain per unit
(``eduequity._planning._cones``).

**One unit inside.** Every CV target is met against the bound less :math:`\delta_G`, what one
unit :math:`q` of the column (0.01 m², 1 yuan, one computer, book or room) buys of the group's
CV at the margin. Raising a part :math:`i` by one unit changes :math:`\mathrm{CV}_G` by
:math:`\frac{q k \sigma_i}{P_G \bar y_G}\bigl(\frac{y_i - \bar y_G}{S_G} - c_G\bigr)` to first
order; at the water level :math:`L_G` of the bound (the least plan without multi-stage schools,
where every raised part sits at :math:`L_G`),

.. math::

    \delta_G = \frac{q\,k}{P_G\,\bar y_G}\Bigl(\frac{\bar y_G - L_G}{S_G} + c_G\Bigr),

with :math:`\bar y_G, S_G` the mean and spread at that level (:math:`S_G = c_G \bar y_G` where
the level is raised). A plan that meets :math:`c_G - \delta_G` keeps a unit's worth of CV in
hand, far above the last bits any order of floating-point arithmetic can change, for about one
unit more than the least plan (at least :math:`10^{-9} c_G` inside where a unit buys less).
A CV that the floors leave within its bound is not planned: its bound stays :math:`c_G`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from eduequity._indicators import get_indicator
from eduequity._planning._cones import ConeProblem, least_additions
from eduequity._planning.levels import water_level
from eduequity._split import SPLIT_RESOURCES
from eduequity.metrics import _moments_by_code, _weighted_moments
from eduequity.rules._pipeline import Evaluation
from eduequity.rules._shortfalls import RESOURCE_UNITS

__all__ = ["composite_bound", "cv_margin", "indicator_targets"]

FloatArray = NDArray[np.float64]

#: The least margin below a bound, relative to it (where a unit's worth is smaller still).
_LEAST_MARGIN = 1e-9


def cv_margin(
    values: FloatArray,
    enrollment: FloatArray,
    groups: NDArray[np.intp],
    maximum: FloatArray,
    quantum: float,
    scale: float,
    within: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Each group's bound less one unit's worth of CV, :math:`c_G - \\delta_G` (see the
    module), at least :math:`10^{-9} c_G` inside; the bound itself where the values already
    meet it (nothing to plan); NaN where the group has no bound or no values.

    Parameters
    ----------
    values, enrollment, groups : arrays, one per part
        The parts' values (after the floors), students and groups (0 to ``maximum.size`` - 1).
    maximum : array of float, one per group
        The bounds :math:`c_G`.
    quantum, scale : float
        One unit of the column :math:`q` and the indicator's scale :math:`k`.
    within : array of bool, one per group, optional
        Whether each group's CV is already within its bound, where the caller has found it.
    """
    if within is None:
        within = _within(values, enrollment, groups, maximum)
    n_g = maximum.size
    level = water_level(values, enrollment, maximum, groups)
    lifted = np.maximum(values, np.nan_to_num(level)[groups])
    moments = _moments_by_code(lifted, enrollment, groups, n_g)
    weight, mean, spread = moments.weight, moments.mean, moments.std
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        below = np.where(spread > 0, (mean - level) / spread, 0.0)
        delta = quantum * scale * (below + maximum) / (weight * mean)
        delta = np.fmax(np.where(np.isfinite(delta), delta, 0.0), _LEAST_MARGIN * maximum)
    inside = np.where(delta < maximum / 2, maximum - delta, maximum / 2)
    # A CV already within its bound after the floors is not planned: its bound stays as is
    # (a unit inside it would buy a unit of a resource no rule needs).
    margin: FloatArray = np.where(within, maximum, inside)
    return margin


def _within(
    values: FloatArray, enrollment: FloatArray, groups: NDArray[np.intp], maximum: FloatArray
) -> NDArray[np.bool_]:
    """Per group, whether its CV is already within its bound (to :data:`_LEAST_MARGIN`)."""
    with np.errstate(invalid="ignore"):
        cv = _moments_by_code(values, enrollment, groups, maximum.size).cv
        within: NDArray[np.bool_] = cv <= maximum * (1 - _LEAST_MARGIN)
    return within


def _unraised(values: FloatArray, lifted: FloatArray) -> bool:
    """Whether the floors raised no part's value (a school's shared resource then lifts no
    part of it through another's floor)."""
    known = ~np.isnan(values)
    return bool(np.array_equal(values[known], lifted[known]))


def composite_bound(ev: Evaluation, lifted: Mapping[str, FloatArray]) -> FloatArray:
    """Each group's bound on the mean of its CVs less one unit's worth of any of them: the
    bound less :math:`\\max_j \\delta_j / J`, with :math:`\\delta_j` what one unit of indicator
    :math:`j`'s column buys of :math:`\\mathrm{CV}_j` at the group's lowest part now,
    :math:`\\frac{q_j k_j}{P_G \\bar y_j}(\\frac{\\bar y_j - \\min y_j}{S_j} + \\mathrm{CV}_j)` (at
    least as much as at any part the plan raises, whose values are higher), and at least
    :math:`10^{-9}` of the bound inside; NaN where the group has no bound.
    """
    parts, rule = ev.parts, ev.standard.balance
    g, n_g = parts.groups.codes, parts.groups.n_groups
    p = parts.enrollment
    c = ev.balance.threshold
    worst = np.zeros(n_g)
    for ind in rule.indicators:
        x = np.nan_to_num(lifted[ind])
        low = np.full(n_g, np.inf)
        np.minimum.at(low, g, x)
        moments = _weighted_moments(x, p, parts.groups)
        weight, mean, spread = moments.weight, moments.mean, moments.std
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            below = np.where(spread > 0, (mean - low) / spread, 0.0) + spread / mean
            quantum = RESOURCE_UNITS[rule.numerator(ind)][2]
            delta = quantum * get_indicator(ind).scale * below / (weight * mean)
        worst = np.fmax(worst, np.where(np.isfinite(delta), delta, 0.0))
    delta = np.fmax(worst / len(rule.indicators), _LEAST_MARGIN * c)
    inside: FloatArray = np.where(delta < c / 2, c - delta, c / 2)
    return inside


def indicator_targets(
    ev: Evaluation, lifted: Mapping[str, FloatArray], ok: NDArray[np.bool_]
) -> dict[str, FloatArray]:
    """Per balance indicator, each part's value once each of its county's CVs is within its
    bound, one unit inside (see the module).

    Parameters
    ----------
    ev : Evaluation
        The county (or counties) before the plan.
    lifted : mapping of indicator to array of float, one per part
        The values after the floors (the minimums and the school rule); NaN where not
        reported.
    ok : array of bool, one per group
        The groups whose CV bounds are planned (a bound, schools, every value reported).

    Returns
    -------
    dict of indicator to array of float, one per part
        The target values (``lifted`` where a group is not planned).
    """
    parts, rule = ev.parts, ev.standard.balance
    g, n_c = parts.groups.codes, parts.n_counties
    p = parts.enrollment
    rows = ok[g]
    out = {ind: lifted[ind].copy() for ind in rule.indicators}
    if not rows.any():
        return out
    county = parts.county
    planned = np.flatnonzero(ok)
    at = np.searchsorted(planned, g[rows])
    maximum = ev.balance.threshold[planned]
    for ind in rule.indicators:
        resource = rule.numerator(ind)
        scale = get_indicator(ind).scale
        quantum = RESOURCE_UNITS[resource][2]
        x = lifted[ind]
        within = _within(x[rows], p[rows], at, maximum)
        if within.all() and (
            resource not in SPLIT_RESOURCES or _unraised(ev.balance.values[ind], x)
        ):
            continue  # every CV already within its bound: the targets are the values
        bound = np.full(ok.size, np.nan)
        bound[planned] = cv_margin(x[rows], p[rows], at, maximum, quantum, scale, within)
        coupled = np.zeros(n_c, dtype=np.bool_)
        if resource in SPLIT_RESOURCES:
            # Counties where some planned group has a part whose school splits the resource.
            np.logical_or.at(coupled, county, rows & parts.split & (parts.share < 1))
        plain = rows & ~coupled[county]
        if plain.any():
            mine = np.flatnonzero(ok & ~coupled[parts.group_county])
            sub = np.searchsorted(mine, g[plain])
            level = water_level(x[plain], p[plain], bound[mine], sub)
            out[ind][plain] = np.fmax(x[plain], level[sub])
        if coupled.any():
            _coupled_targets(ev, ind, x, bound, ok, coupled, out[ind])
    return out


def _coupled_targets(
    ev: Evaluation,
    ind: str,
    lifted: FloatArray,
    bound: FloatArray,
    ok: NDArray[np.bool_],
    coupled: NDArray[np.bool_],
    out: FloatArray,
) -> None:
    """Fill ``out`` for the parts of the ``coupled`` counties (see the module)."""
    parts = ev.parts
    county = parts.county
    x0 = ev.balance.values[ind]
    mine = coupled[county] & np.isfinite(lifted)
    rows = np.flatnonzero(mine)
    counties = np.flatnonzero(coupled)
    c_idx = np.searchsorted(counties, county[rows])
    stage = parts.stage[rows]
    schools, school = np.unique(parts.school_row[rows], return_inverse=True)
    scale = get_indicator(ind).scale
    gain = scale * parts.share[rows] / parts.enrollment[rows]
    x = x0[rows]
    lower = np.zeros(schools.size)
    np.maximum.at(lower, school, np.maximum(lifted[rows] - x, 0.0) / gain)
    group_codes = parts.group(counties[:, np.newaxis], np.arange(2)[np.newaxis, :]).reshape(-1)
    maximum = np.where(ok[group_codes], bound[group_codes], np.inf)
    problem = ConeProblem(
        value=x,
        gain=gain,
        enrollment=parts.enrollment[rows],
        school=school.astype(np.intp),
        group=(2 * c_idx + stage).astype(np.intp),
        lower=lower,
        maximum=maximum,
    )
    # The plan's cost is exact to far less than a unit: a step saving under a thousandth of
    # one ends the county's steps.
    a = least_additions(
        problem, tolerance=1e-3 * RESOURCE_UNITS[ev.standard.balance.numerator(ind)][2]
    )
    out[rows] = np.fmax(lifted[rows], x + gain * a[school])
