r"""The 2012 composite bound: spreading the reduction of the mean of 8 CVs over the indicators.

The composite is the mean of the :math:`J` CVs, so a county may lower any of them. For each
indicator :math:`j`, raising its lowest values to a level :math:`L_j` (water-filling, the
cheapest way to reach any CV: :mod:`eduequity.planning.levels`) costs :math:`C_j(L_j)` and
leaves :math:`\mathrm{CV}_j(L_j)`. The plan chooses the levels that minimise
:math:`\sum_j C_j(L_j)` subject to :math:`\frac1J \sum_j \mathrm{CV}_j(L_j) \le c`:

1. *Equal marginal cost.* For a price :math:`\lambda` of one unit of CV, each indicator takes
   the level minimising :math:`C_j(L) + \lambda\,\mathrm{CV}_j(L)` over a grid of 65 levels
   from its lowest value to its highest (where its CV is 0), denser near the bottom; the
   smallest :math:`\lambda` whose choices meet the bound is found by bisection. At the optimum
   of the continuous problem the marginal cost of a unit of CV is the same for every
   indicator lowered (the Lagrange condition); the grid makes this an approximation.
2. *Single indicators.* For each :math:`j`, the exact water level that meets the bound by
   lowering :math:`\mathrm{CV}_j` alone, where that is possible.

The cheapest of these plans is taken, so the result is never worse than any single-indicator
plan. Costs are in the unit the caller weighs each indicator in (unit costs, or shares of the
county's current total of each resource).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from eduequity.planning.levels import cv_of_level, level_cost, water_level

__all__ = ["GRID", "composite_levels"]

FloatArray = NDArray[np.float64]

#: Levels tried per indicator, from the lowest value (k = 0) to the highest (k = GRID).
GRID = 64

_BISECTIONS = 100


def composite_levels(
    values: Sequence[FloatArray],
    enrollment: FloatArray,
    maximum: FloatArray,
    groups: NDArray[np.intp],
    weights: Sequence[FloatArray],
) -> list[FloatArray]:
    """The level of each indicator in each group that brings the mean of the CVs within
    ``maximum`` at the least weighted cost (see the module).

    Parameters
    ----------
    values : sequence of J arrays of float, shape (n,)
        Each indicator's value per school (after any floor), finite and >= 0.
    enrollment : array of float, shape (n,)
    maximum : array of float, shape (n_groups,)
        The bound on the mean of the J CVs.
    groups : array of int, shape (n,)
        Group code of each school, 0 to n_groups - 1.
    weights : sequence of J arrays of float, shape (n,)
        Cost of raising a school's value by one, per student.

    Returns
    -------
    list of J arrays of float, shape (n_groups,)
        The level of each indicator: values below it are raised to it (the group's lowest
        value where nothing is raised); NaN where a group's mean is 0 for an indicator.
    """
    n_g = maximum.size
    n_ind = len(values)
    low = np.full((n_ind, n_g), np.inf)
    now = np.zeros((n_ind, n_g))
    for j, y in enumerate(values):
        np.minimum.at(low[j], groups, y)
        now[j] = np.nan_to_num(cv_of_level(y, enrollment, low[j], groups, n_g), nan=0.0)
    todo = np.flatnonzero(now.sum(axis=0) > n_ind * maximum)
    levels = [low[j].copy() for j in range(n_ind)]
    if todo.size == 0:
        return levels
    rows = np.isin(groups, todo)
    sub = np.searchsorted(todo, groups[rows])
    solved = _solve(
        [y[rows] for y in values],
        enrollment[rows],
        maximum[todo],
        sub,
        [w[rows] for w in weights],
    )
    for j in range(n_ind):
        levels[j][todo] = solved[j]
    return levels


def _solve(
    values: Sequence[FloatArray],
    enrollment: FloatArray,
    maximum: FloatArray,
    groups: NDArray[np.intp],
    weights: Sequence[FloatArray],
) -> list[FloatArray]:
    """:func:`composite_levels` for groups that all need lowering."""
    n_g = maximum.size
    n_ind = len(values)
    lo = np.full((n_ind, n_g), np.inf)
    hi = np.full((n_ind, n_g), -np.inf)
    for j, y in enumerate(values):
        np.minimum.at(lo[j], groups, y)
        np.maximum.at(hi[j], groups, y)
    steps = (np.arange(GRID + 1) / GRID) ** 2
    grid = lo[:, :, np.newaxis] + (hi - lo)[:, :, np.newaxis] * steps  # (n_ind, n_g, K)
    grid[:, :, -1] = hi
    cv = np.empty_like(grid)
    cost = np.empty_like(grid)
    # What raising a school's value by one costs: its students times the unit weight.
    priced = [enrollment * w for w in weights]
    for j, y in enumerate(values):
        for step in range(GRID + 1):
            level = grid[j, :, step]
            cv[j, :, step] = cv_of_level(y, enrollment, level, groups, n_g)
            cost[j, :, step] = level_cost(y, priced[j], level, groups, n_groups=n_g)
    cv = np.nan_to_num(cv, nan=0.0)  # a mean of 0: nothing to gain from that indicator
    now = cv[:, :, 0]
    budget = n_ind * maximum
    # Equal marginal cost: bisection on the price of CV, on a log scale, per group.
    scale = np.maximum(cost[:, :, -1].sum(axis=0), 1e-300)
    norm = cost / scale[np.newaxis, :, np.newaxis]
    lo_l, hi_l = np.full(n_g, -30.0), np.full(n_g, 30.0)

    def choose(log_price: FloatArray) -> NDArray[np.intp]:
        price = np.exp(log_price)[np.newaxis, :, np.newaxis]
        chosen: NDArray[np.intp] = np.argmin(norm + price * cv, axis=2)
        return chosen

    def total_cv(k: NDArray[np.intp]) -> FloatArray:
        picked: FloatArray = np.take_along_axis(cv, k[:, :, np.newaxis], axis=2)[:, :, 0]
        total: FloatArray = picked.sum(axis=0)
        return total

    for _ in range(_BISECTIONS):
        mid = (lo_l + hi_l) / 2
        ok = total_cv(choose(mid)) <= budget
        hi_l = np.where(ok, mid, hi_l)
        lo_l = np.where(ok, lo_l, mid)
    k: NDArray[np.intp] = choose(hi_l)
    levels = np.take_along_axis(grid, k[:, :, np.newaxis], axis=2)[:, :, 0]
    feasible = total_cv(k) <= budget
    best = np.where(
        feasible, np.take_along_axis(cost, k[:, :, np.newaxis], axis=2)[:, :, 0].sum(0), np.inf
    )
    # Single indicators, exactly.
    for j, y in enumerate(values):
        target = budget - (now.sum(axis=0) - now[j])
        can = target > 0
        if not can.any():
            continue
        level = water_level(y, enrollment, np.where(can, target, 1.0), groups)
        single = np.where(can, level_cost(y, priced[j], level, groups, n_groups=n_g), np.inf)
        better = single < best
        if better.any():
            levels[:, better] = lo[:, better]
            levels[j, better] = level[better]
            best = np.where(better, single, best)
    done = now.sum(axis=0) <= budget
    levels[:, done] = lo[:, done]
    return [levels[j] for j in range(n_ind)]
