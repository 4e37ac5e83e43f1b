"""What it takes to pass: the cheapest verified additions for every county.

:func:`plan` plans one county (the object door); :func:`eduequity.batch.plan_table` every
county of a table. Both evaluate through the one pipeline, add what each rule needs
(``eduequity._planning.additions``), apply the additions and evaluate again
(``eduequity._planning.plan``): a plan's ``passes`` is the pipeline's verdict on the county
with the additions. See the user guide's page "What it takes to pass".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eduequity._errors import DataError
from eduequity._models import County
from eduequity._planning.additions import REASONS, Addition
from eduequity._planning.costs import COST_KEYS, Costs, load_costs
from eduequity._planning.levels import cv_of_level, level_cost, water_level
from eduequity._planning.result import Plan, PlanTables
from eduequity._planning.verify import PlanArrays, plan_evaluation
from eduequity.rules._pipeline import run
from eduequity.standards._model import Standard

__all__ = [
    "COST_KEYS",
    "REASONS",
    "Addition",
    "Costs",
    "Plan",
    "PlanArrays",
    "PlanTables",
    "cv_of_level",
    "level_cost",
    "load_costs",
    "plan",
    "plan_evaluation",
    "water_level",
]


def plan(
    county: County,
    standard: Standard,
    *,
    costs: Costs | Mapping[str, Any] | str | Path | None = None,
    budget_per_year: float | None = None,
    transfers: bool = False,
    upgrade: bool = False,
) -> Plan:
    """What a county must add to pass the rules a plan covers, verified: the least for the
    minimums and the 2017 school rule, and for a CV bound where no school spans two stages
    (what is proven and measured: :doc:`/planning`).

    Parameters
    ----------
    county : County
        The county :func:`eduequity.plan` was given (that door sends only a County here).
    standard : Standard
        The standard to apply, as :func:`eduequity.plan` resolved it from its caller's id or
        :class:`~eduequity.Standard` (naming no standard: ``"cn-quality-2017"`` until 0.3, with
        a :class:`FutureWarning`).
    costs : Costs, mapping, or path of a TOML file, optional
        Unit costs with their sources (:func:`~eduequity.load_costs`). Without
        them, resources of different units are compared by their share of the county's
        current total, and the tables have no cost.
    budget_per_year : float, optional
        Yuan the county spends a year: with costs, the plan is staged (分阶段推进), schools
        furthest below first; ``Plan.years`` gives the year each stage first passes and
        ``Plan.additions`` the ``year`` of each row.
    transfers : bool, default False
        Meet teacher needs by moving teachers between the county's schools first (交流轮岗),
        then hire what remains; ``Plan.transfers`` lists the moves
    upgrade : bool, default False
        Meet the teachers above the qualification, with an intermediate title or of backbone
        status by existing teachers gaining them (学历提升, 职称评定, 骨干评定) before hiring;
        the rows say ``upgrade``.

    Returns
    -------
    Plan
        ``additions`` (one row per school, column and reason), ``counties`` (CVs before and
        after per stage, ``passes_after``), ``totals``, ``not_in_plan`` (what cannot be
        bought), ``passes``, ``apply()`` (the county with the additions) and ``after`` (its
        evaluation).

    Notes
    -----
    The plan covers the per-school minimums, the 2017 school rule, every CV bound (each of
    the 7 under 2017; the composite of the 8 under 2012), music and art rooms and class sizes.
    For one indicator, raising the lowest schools to a common level is the least addition that
    meets a CV bound (water-filling; ``eduequity._planning.levels`` gives the proof).

    The county is read as :func:`eduequity.evaluate` reads it: as the table of schools
    :func:`eduequity.batch.table_from_counties` makes of it, carrying its inputs, validated
    as the columnar door validates a table. The plan's tables, ``passes`` and
    ``before``/``after`` are those :func:`eduequity.batch.plan_table` gives for that table.

    Examples
    --------
    >>> import eduequity as ee
    >>> county = ee.datasets.sample_county()
    >>> p = ee.plan(county, "cn-quality-2017")
    >>> ee.evaluate(county, "cn-quality-2017").components["resource_allocation"].status.value
    'failed'
    >>> after = ee.evaluate(p.apply(), "cn-quality-2017")
    >>> p.passes, after.components["resource_allocation"].status.value
    (True, 'passed')
    >>> p.additions.num_rows, p.additions.column("reason").unique().to_pylist()
    (287, ['school_rule', 'hire', 'room_area', 'class_size', 'room'])
    """
    priced = None if costs is None else load_costs(costs)
    # The columnar door's own reading of the county as a table (as ``ee.evaluate`` reads
    # it): the county planner plans the columns and inputs ``batch.plan_table`` plans.
    from eduequity.batch._counties import read_counties  # the package imports this one

    columns, inputs = read_counties([county], "plan")
    if budget_per_year is not None and priced is None:
        raise DataError("plan: budget_per_year needs costs (the budget is in yuan).")
    arrays = plan_evaluation(
        run(standard, columns.made(), inputs), priced, inputs, transfers=transfers, upgrade=upgrade
    )
    return Plan(arrays, budget_per_year, county=county)
