r"""The 2012 composite bound: spreading the reduction of the mean of 8 CVs over the indicators.

The composite is the mean of the :math:`J` CVs, so a county may lower any of them. For each
indicator :math:`j`, raising its lowest values to a level :math:`L_j` (water-filling, the
cheapest way to reach any CV: ``eduequity._planning.levels``) costs :math:`C_j(L_j)` and
leaves :math:`\mathrm{CV}_j(L_j)`. The plan chooses the levels that minimise
:math:`\sum_j C_j(L_j)` subject to :math:`\frac1J \sum_j \mathrm{CV}_j(L_j) \le c`:

1. *Equal marginal cost.* For a price :math:`\lambda` of one unit of CV, each indicator takes
   the level minimising :math:`C_j(L) + \lambda\,\mathrm{CV}_j(L)` over a grid of 65 levels
   from its lowest value to its highest (where its CV is 0), denser near the bottom; the
   smallest :math:`\lambda` whose choices meet the bound is found by bisection.
2. *Exact completions.* The choices at the prices just above and just below the critical one,
   each with one indicator re-solved exactly (its water level for what the others leave of the
   bound): this spends the slack the grid leaves, and bridges the jump where an indicator
   switches from not lowered to lowered.
3. *A finer grid.* Steps 1 and 2 again on 65 levels between the neighbours of the levels
   chosen on the first grid.
4. *Single indicators.* For each :math:`j`, the exact water level that meets the bound by
   lowering :math:`\mathrm{CV}_j` alone, where that is possible.

The cheapest of these plans is taken, so the result meets the bound and is never dearer than
any single-indicator plan. It is not proven least: :math:`C_j` as a function of the CV it
reaches is not convex, so equal marginal costs are necessary at an optimum but not sufficient.
The tests compare it with an exhaustive search over every subset of indicators on small
counties. Costs are in the unit the caller weighs each indicator in (unit costs, or shares of
the county's current total of each resource).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from eduequity._planning.levels import cv_of_level, level_cost, water_level

__all__ = ["GRID", "composite_levels"]

FloatArray = NDArray[np.float64]

#: Levels tried per indicator, from the lowest value (k = 0) to the highest (k = GRID).
GRID = 64

_BISECTIONS = 100


def _former_keywords(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """composite_levels' keywords of 0.1 (``enrollment=``, and ``weights=`` for the costs) as
    those of 0.2 (``weights=``, ``costs=``), with a DeprecationWarning."""
    old_costs = "weights" in kwargs and ("enrollment" in kwargs or len(args) >= 2)
    if "enrollment" not in kwargs and not old_costs:
        return kwargs
    warnings.warn(
        "composite_levels: the keyword enrollment= is renamed weights= (one name for the "
        "weights of every statistic) and the costs, weights= before, are costs=; the old "
        "names are removed in 0.3.",
        DeprecationWarning,
        stacklevel=3,
    )
    out = dict(kwargs)
    if old_costs:
        out["costs"] = out.pop("weights")
    if "enrollment" in out:
        out["weights"] = out.pop("enrollment")
    return out


def composite_levels(*args: Any, **kwargs: Any) -> list[FloatArray]:
    """The level of each indicator in each group that brings the mean of the CVs within
    ``maximum`` at the least weighted cost (see the module).

    Parameters
    ----------
    values : sequence of J arrays of float, shape (n,)
        Each indicator's value per school (after any floor), finite and >= 0.
    weights : array of float, shape (n,)
        Each school's students, the CVs' weights (``enrollment=`` before 0.2, deprecated).
    maximum : array of float, shape (n_groups,)
        The bound on the mean of the J CVs.
    groups : array of int, shape (n,)
        Group code of each school, 0 to n_groups - 1.
    costs : sequence of J arrays of float, shape (n,)
        Cost of raising a school's value by one, per student (``weights=`` before 0.2, by
        keyword with ``enrollment=`` or after it, deprecated).

    Returns
    -------
    list of J arrays of float, shape (n_groups,)
        The level of each indicator: values below it are raised to it (the group's lowest
        value where nothing is raised); NaN where a group's mean is 0 for an indicator.
    """
    return _composite_levels(*args, **_former_keywords(args, kwargs))


def _composite_levels(
    values: Sequence[FloatArray],
    weights: FloatArray,
    maximum: FloatArray,
    groups: NDArray[np.intp],
    costs: Sequence[FloatArray],
) -> list[FloatArray]:
    n_g = maximum.size
    n_ind = len(values)
    low = np.full((n_ind, n_g), np.inf)
    now = np.zeros((n_ind, n_g))
    for j, y in enumerate(values):
        np.minimum.at(low[j], groups, y)
        now[j] = np.nan_to_num(cv_of_level(y, weights, low[j], groups, n_g), nan=0.0)
    todo = np.flatnonzero(now.sum(axis=0) > n_ind * maximum)
    levels = [low[j].copy() for j in range(n_ind)]
    if todo.size == 0:
        return levels
    rows = np.isin(groups, todo)
    sub = np.searchsorted(todo, groups[rows])
    solved = _solve(
        [y[rows] for y in values],
        weights[rows],
        maximum[todo],
        sub,
        [c[rows] for c in costs],
    )
    for j in range(n_ind):
        levels[j][todo] = solved[j]
    return levels


def _solve(
    values: Sequence[FloatArray],
    weights: FloatArray,
    maximum: FloatArray,
    groups: NDArray[np.intp],
    costs: Sequence[FloatArray],
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
    # What raising a school's value by one costs: its students times the unit cost.
    priced = [weights * c for c in costs]
    now = np.stack(
        [
            np.nan_to_num(cv_of_level(y, weights, lo[j], groups, n_g), nan=0.0)
            for j, y in enumerate(values)
        ]
    )
    budget = n_ind * maximum
    search = _PriceSearch(values, weights, groups, priced, budget)
    best, levels, chosen = search.run(grid)
    # A second, finer grid between the neighbours of the levels chosen on the first.
    below = np.maximum(chosen.min(axis=0) - 1, 0)
    above = np.minimum(chosen.max(axis=0) + 1, GRID)
    a = np.take_along_axis(grid, below[:, :, np.newaxis], axis=2)
    b = np.take_along_axis(grid, above[:, :, np.newaxis], axis=2)
    fine = a + (b - a) * (np.arange(GRID + 1) / GRID)
    fine_best, fine_levels, _ = search.run(fine)
    better = fine_best < best
    levels[:, better] = fine_levels[:, better]
    best = np.where(better, fine_best, best)
    # Single indicators, exactly.
    for j, y in enumerate(values):
        target = budget - (now.sum(axis=0) - now[j])
        can = target > 0
        if not can.any():
            continue
        level = water_level(y, weights, np.where(can, target, 1.0), groups)
        single = np.where(can, level_cost(y, priced[j], level, groups, n_groups=n_g), np.inf)
        better = single < best
        if better.any():
            levels[:, better] = lo[:, better]
            levels[j, better] = level[better]
            best = np.where(better, single, best)
    done = now.sum(axis=0) <= budget
    levels[:, done] = lo[:, done]
    return [levels[j] for j in range(n_ind)]


class _PriceSearch:
    """Equal marginal cost on a grid of levels, with exact completions (see the module)."""

    def __init__(
        self,
        values: Sequence[FloatArray],
        weights: FloatArray,
        groups: NDArray[np.intp],
        priced: Sequence[FloatArray],
        budget: FloatArray,
    ) -> None:
        self.values, self.weights, self.groups = values, weights, groups
        self.priced, self.budget = priced, budget

    def run(self, grid: FloatArray) -> tuple[FloatArray, FloatArray, NDArray[np.intp]]:
        """The cheapest plan found from ``grid`` (n_ind, n_g, K): its cost per group, its
        levels (n_ind, n_g), and the grid steps chosen at the prices just above and below
        the critical one (2, n_ind, n_g)."""
        values, weights, groups = self.values, self.weights, self.groups
        _, n_g, n_k = grid.shape
        budget = self.budget
        cv = np.empty_like(grid)
        cost = np.empty_like(grid)
        for j, y in enumerate(values):
            for step in range(n_k):
                level = grid[j, :, step]
                cv[j, :, step] = cv_of_level(y, weights, level, groups, n_g)
                cost[j, :, step] = level_cost(y, self.priced[j], level, groups, n_groups=n_g)
        cv = np.nan_to_num(cv, nan=0.0)  # a mean of 0: nothing to gain from that indicator
        # Equal marginal cost: bisection on the price of CV, on a log scale, per group.
        scale = np.maximum(cost[:, :, -1].sum(axis=0), 1e-300)
        norm = cost / scale[np.newaxis, :, np.newaxis]
        lo_l, hi_l = np.full(n_g, -30.0), np.full(n_g, 30.0)

        def choose(log_price: FloatArray) -> NDArray[np.intp]:
            price = np.exp(log_price)[np.newaxis, :, np.newaxis]
            chosen: NDArray[np.intp] = np.argmin(norm + price * cv, axis=2)
            return chosen

        def pick(table: FloatArray, k: NDArray[np.intp]) -> FloatArray:
            picked: FloatArray = np.take_along_axis(table, k[:, :, np.newaxis], axis=2)[:, :, 0]
            return picked

        for _ in range(_BISECTIONS):
            mid = (lo_l + hi_l) / 2
            ok = pick(cv, choose(mid)).sum(axis=0) <= budget
            hi_l = np.where(ok, mid, hi_l)
            lo_l = np.where(ok, lo_l, mid)
        k = choose(hi_l)
        levels = pick(grid, k)
        best = np.where(pick(cv, k).sum(axis=0) <= budget, pick(cost, k).sum(axis=0), np.inf)
        # Exact completions: every indicator but one at the choices of the prices just above
        # and just below the critical one, the last lowered exactly as far as the bound needs.
        choices = np.stack([k, choose(lo_l)])
        for chosen in choices:
            picked_cv, picked_cost = pick(cv, chosen), pick(cost, chosen)
            picked_level = pick(grid, chosen)
            for j, y in enumerate(values):
                target = budget - (picked_cv.sum(axis=0) - picked_cv[j])
                can = target > 0
                if not can.any():
                    continue
                level = water_level(y, weights, np.where(can, target, 1.0), groups)
                exact = level_cost(y, self.priced[j], level, groups, n_groups=n_g)
                total = np.where(can, picked_cost.sum(axis=0) - picked_cost[j] + exact, np.inf)
                better = total < best
                if better.any():
                    levels[:, better] = picked_level[:, better]
                    levels[j, better] = level[better]
                    best = np.where(better, total, best)
        return best, levels, choices


composite_levels.__signature__ = inspect.signature(_composite_levels)  # type: ignore[attr-defined]
