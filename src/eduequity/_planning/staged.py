"""Staged plans (分阶段推进): a plan's additions spread over the years a budget allows.

Each county spends at most ``budget_per_year`` yuan a year. A school's additions are one
package, bought together; the packages are ordered **schools furthest below first**: most
minimums missed before the plan first, then the larger package, then the input order. A
package is done in the year its cumulative cost reaches (a package dearer than a year's budget
spans several years and is done in the last). After each year, the county with the packages
done so far is evaluated again through the pipeline: a county stage's year is the first after
which it passes every rule the plan covers (0 if it passes already; null if never).
"""

from __future__ import annotations

import math

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._class_bands import N_BANDS
from eduequity._errors import DataError
from eduequity._planning.additions import Round, apply_round
from eduequity._planning.costs import unit_cost
from eduequity._planning.verify import PlanArrays, covered_ok
from eduequity.rules._columns import ClassSizes
from eduequity.rules._pipeline import run

__all__ = ["Schedule", "mix_class_sizes", "schedule"]

FloatArray = NDArray[np.float64]

#: At most this many years are evaluated; a plan needing more is reported as not done.
MAX_YEARS = 50


@attrs.frozen(eq=False)
class Schedule:
    """A plan spread over years.

    Attributes
    ----------
    budget_per_year : float
        Yuan each county spends a year.
    school_year : array of int, one per school
        The year each school's package is done (0: nothing to add).
    school_cost : array of float, one per school
        The cost of each school's package.
    group_year : array of float, one per group (county x stage)
        The first year after which the county stage passes every rule the plan covers (0:
        passes already; NaN: not within the plan or :data:`MAX_YEARS`).
    """

    budget_per_year: float
    school_year: NDArray[np.intp]
    school_cost: FloatArray
    group_year: FloatArray


def _school_costs(plan: PlanArrays) -> FloatArray:
    costs = plan.costs
    if costs is None:
        raise DataError("plan: a staged plan (budget_per_year) needs costs.")
    total = np.zeros(plan.before.columns.n_schools)
    for a in plan.additions:
        unit = unit_cost(costs, a.resource, a.reason)
        if unit:
            total += a.quantity * unit
    return total


def _missed(plan: PlanArrays) -> FloatArray:
    """Per school, the minimums its stage parts missed before the plan."""
    ev = plan.before
    missed = np.zeros(ev.columns.n_schools)
    rules = ev.school_rule
    if rules is not None:
        np.add.at(missed, ev.parts.school_row, rules.n_rules - rules.n_met)
    return missed


def mix_class_sizes(before: ClassSizes, after: ClassSizes, take: NDArray[np.bool_]) -> ClassSizes:
    """Class sizes of each school from ``after`` where ``take``, else from ``before``.

    Examples
    --------
    >>> import numpy as np
    >>> b = ClassSizes(np.array([60, 40]), np.array([0, 1, 2]), np.array([True, True]))
    >>> a = ClassSizes(np.array([30, 30, 40]), np.array([0, 2, 3]), np.array([True, True]))
    >>> mix_class_sizes(b, a, np.array([True, False])).values.tolist()
    [30, 30, 40]
    """
    # Both as one list of 2n schools (before's, then after's); each school picks its own.
    n = before.reported.size
    bands = None
    if before.bands is not None or after.bands is not None:  # classes counted by band
        zero = np.zeros((n, N_BANDS), dtype=np.int64)
        bands = np.concatenate([x.bands if x.bands is not None else zero for x in (before, after)])
    both = ClassSizes(
        np.concatenate([before.values, after.values]),
        np.concatenate([before.offsets, after.offsets[1:] + before.values.size]),
        np.concatenate([before.reported, after.reported]),
        bands,
    )
    mixed = both.take(np.arange(n) + np.where(take, n, 0))
    return ClassSizes(mixed.values, mixed.offsets, before.reported, mixed.bands)


def schedule(plan: PlanArrays, budget_per_year: float) -> Schedule:
    """Spread ``plan`` over years of ``budget_per_year`` yuan per county (see the module)."""
    if not (isinstance(budget_per_year, int | float) and budget_per_year > 0):
        raise DataError(
            f"plan: budget_per_year must be a number of yuan > 0. Got {budget_per_year!r}."
        )
    cols = plan.before.columns
    cost = _school_costs(plan)
    adds = np.zeros(cols.n_schools, dtype=np.bool_)
    for a in plan.additions:
        adds |= a.quantity != 0
    order = np.lexsort((np.arange(cols.n_schools), -cost, -_missed(plan), cols.county))
    cumulative = np.zeros(cols.n_schools)
    in_order = cost[order]
    county = cols.county[order]
    total = np.cumsum(in_order)
    first = np.searchsorted(county, np.arange(cols.n_counties))  # each county's first row
    spent_before = np.concatenate([[0.0], total])[first]
    cumulative[order] = total - spent_before[county]
    year = np.where(adds, np.maximum(np.ceil(cumulative / budget_per_year - 1e-12), 1), 0)
    year = year.astype(np.intp)
    parts = plan.before.parts
    n_g = parts.groups.n_groups
    group_year = np.full(n_g, np.nan)
    group_year[covered_ok(plan.before)] = 0.0
    last = int(year.max()) if year.size else 0
    for y in range(1, min(last, MAX_YEARS) + 1):
        done = (year > 0) & (year <= y)
        step = Round(
            tuple(
                attrs.evolve(a, quantity=np.where(done, a.quantity, 0.0)) for a in plan.additions
            ),
            {
                stage: mix_class_sizes(cols.class_sizes[stage], sizes, done)
                for stage, sizes in plan.after.columns.class_sizes.items()
            },
        )
        ev = run(plan.before.standard, apply_round(cols, step), plan.county_inputs)
        newly = covered_ok(ev) & np.isnan(group_year)
        group_year[newly] = y
    group_year[parts.groups.counts == 0] = math.nan
    return Schedule(float(budget_per_year), year, cost, group_year)
