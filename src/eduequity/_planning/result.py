"""What a plan hands back: its tables, and for one county the county with the additions."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Protocol

import attrs
import numpy as np
import pyarrow as pa

from eduequity import _display, _display_html
from eduequity._arrow import array, numbers
from eduequity._errors import DataError
from eduequity._evaluate import result_of
from eduequity._models import County
from eduequity._planning.costs import Costs, unit_cost
from eduequity._planning.staged import Schedule, schedule
from eduequity._planning.tables import (
    AdditionRows,
    addition_rows,
    additions_table,
    failing_table,
    not_in_plan_table,
    plan_counties_table,
    plan_passes,
    totals_table,
    transfers_table,
)
from eduequity._planning.verify import PlanArrays
from eduequity._results import EvaluationResult
from eduequity.rules._columns import STAGES, SchoolColumns
from eduequity.standards._model import Standard

__all__ = ["NO_BUDGET", "Plan", "PlanTables", "PlanView", "applied_county", "unpriced_resources"]

#: The error of asking for a plan's years or schedule without a budget.
NO_BUDGET = "plan: a schedule needs budget_per_year (and costs)."


class PlanView(Protocol):
    """What a report reads of a plan: a :class:`PlanTables` (one county's, or any
    evaluation's) or a :class:`~eduequity.batch.BatchPlan` (a table's, planned in chunks)."""

    @property
    def standard(self) -> Standard: ...
    @property
    def costs(self) -> Costs | None: ...
    @property
    def budget_per_year(self) -> float | None: ...
    @property
    def additions(self) -> pa.Table: ...
    @property
    def counties(self) -> pa.Table: ...
    @property
    def totals(self) -> pa.Table: ...
    @property
    def transfers(self) -> pa.Table: ...
    @property
    def not_in_plan(self) -> pa.Table: ...
    @property
    def failing(self) -> pa.Table: ...
    @property
    def years(self) -> pa.Table: ...
    @property
    def passes(self) -> bool: ...


def unpriced_resources(plan: PlanArrays) -> list[str]:
    """The resources a priced plan adds that its costs do not price (teachers left without a
    price; see ``eduequity._planning.costs``); empty without costs."""
    if plan.costs is None:
        return []
    found = {
        a.resource
        for a in plan.additions
        if a.reason != "hire" and unit_cost(plan.costs, a.resource, a.reason) is None
    }
    return sorted(found)


@attrs.frozen(eq=False)
class PlanTables:
    """The tables of a plan (``eduequity._planning.tables``), built on first access.

    Attributes
    ----------
    arrays : PlanArrays
        The plan as arrays, with the evaluations before and after.
    """

    arrays: PlanArrays
    budget_per_year: float | None = None

    @property
    def standard(self) -> Standard:
        """The standard the plan meets."""
        return self.arrays.before.standard

    @property
    def costs(self) -> Costs | None:
        """The unit costs the plan was priced with (None without costs)."""
        return self.arrays.costs

    @cached_property
    def additions(self) -> pa.Table:
        """One row per school, input column and reason: the quantity to add and its cost;
        with a budget, the ``year`` its school's package is done."""
        year = None if self.budget_per_year is None else self.schedule.school_year
        return additions_table(self.arrays, year, self._rows)

    @cached_property
    def _rows(self) -> AdditionRows:
        """The additions table's rows as arrays (its totals are sums of them)."""
        return addition_rows(self.arrays)

    @cached_property
    def schedule(self) -> Schedule:
        """The plan spread over years of ``budget_per_year`` yuan per county
        (``eduequity._planning.staged``); needs costs and a budget."""
        if self.budget_per_year is None:
            raise DataError(NO_BUDGET)
        unpriced = unpriced_resources(self.arrays)
        if unpriced:
            raise DataError(
                "plan: a schedule needs the price of everything the plan adds; the costs do "
                f"not price {', '.join(unpriced)} (add e.g. [teacher] yuan = ..., "
                'source = "...").'
            )
        return schedule(self.arrays, self.budget_per_year)

    @cached_property
    def years(self) -> pa.Table:
        """Per county and stage, the first year after which it passes every rule the plan
        covers (``year_passes``: 0 if it passes already, null if never), and the county's
        cost of the whole plan; needs a budget."""
        sched = self.schedule
        counties = self.counties
        parts = self.arrays.before.parts
        group = parts.county_major()
        group = group[parts.groups.counts[group] > 0]
        county = parts.group_county[group]
        cost = np.bincount(
            self.arrays.before.columns.county,
            weights=sched.school_cost,
            minlength=parts.n_counties,
        )
        year = sched.group_year[group]
        return pa.table(
            {
                "county_code": counties.column("county_code"),
                "stage": counties.column("stage"),
                "year_passes": array(np.nan_to_num(year).astype(np.int64), mask=np.isnan(year)),
                "county_cost": array(np.asarray(cost, np.float64)[county]),
                "budget_per_year": array(np.full(group.size, sched.budget_per_year)),
            }
        )

    @cached_property
    def counties(self) -> pa.Table:
        """One row per county and stage: CVs and verdicts before and after, ``passes_after``."""
        return plan_counties_table(self.arrays)

    @cached_property
    def totals(self) -> pa.Table:
        """Per county and resource, the quantity and the cost; a ``total`` row per county."""
        return totals_table(self.arrays, self._rows)

    @cached_property
    def transfers(self) -> pa.Table:
        """One row per teacher transfer (empty unless the plan was asked for transfers)."""
        return transfers_table(self.arrays)

    @cached_property
    def not_in_plan(self) -> pa.Table:
        """Per county, each rule still not passing after the plan, and why."""
        return not_in_plan_table(self.arrays)

    @cached_property
    def failing(self) -> pa.Table:
        """The schools failing today: one row per school and rule it fails before the plan
        (``failing_table``)."""
        return failing_table(self.arrays)

    @property
    def passes(self) -> bool:
        """Whether every rule the plan covers passes after it, in every county and stage
        (``passes_after`` of every row of :attr:`counties`; True where no school is in
        scope)."""
        return plan_passes(self.counties)

    __repr__ = _display.plan_tables_repr
    __arrow_c_stream__ = _display.stream_of("additions")


@attrs.frozen(eq=False)
class Plan(PlanTables):
    """The plan for one county (see :func:`eduequity.plan`).

    Attributes
    ----------
    county : County
        The county as it is.
    additions, counties, totals, not_in_plan : pyarrow.Table
        See :class:`PlanTables`.
    passes : bool
        Whether every rule the plan covers passes once the additions are made.
    """

    county: County = attrs.field(kw_only=True)

    @cached_property
    def before(self) -> EvaluationResult:
        """The county's evaluation as it is."""
        return result_of(self.arrays.before)

    @cached_property
    def after(self) -> EvaluationResult:
        """The evaluation of the county with every addition."""
        return result_of(self.arrays.after)

    @property
    def total_cost(self) -> float | None:
        """The cost of the whole plan in yuan; None without costs."""
        if self.arrays.costs is None:
            return None
        cost = numbers(self.additions.column("cost"))
        return float(np.nansum(cost))

    def apply(self) -> County:
        """The county with every addition made (a new County; this one is unchanged)."""
        return applied_county(self.county, self.arrays)

    def _repr_html_(self) -> str:
        return _display_html.plan_html(self)

    __repr__ = _display.plan_repr


def _value(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def applied_county(county: County, plan: PlanArrays) -> County:
    """``county`` with the additions of ``plan`` (a plan of that one county)."""
    after: SchoolColumns = plan.after.columns
    physical = {a.resource for a in plan.additions if a.stage is None}
    people = {(a.stage, a.resource) for a in plan.additions if a.stage is not None}
    schools = []
    for i, school in enumerate(county.schools):
        changes: dict[str, object] = {
            field: _value(after.resources[field][i]) for field in sorted(physical)
        }
        for stage in STAGES:
            data = school.stage(stage)
            if data is None:
                continue
            fields: dict[str, object] = {}
            for s, field in people:
                if s is not stage:
                    continue
                if field == "classes":
                    if data.class_sizes is not None:
                        sizes = after.class_sizes[stage].of(i)
                        fields["class_sizes"] = tuple(int(v) for v in sizes)
                else:
                    fields[field] = _value(after.people[stage][field][i])
            if fields:
                changes[stage.value] = attrs.evolve(data, **fields)  # type: ignore[arg-type]
        schools.append(attrs.evolve(school, **changes) if changes else school)  # type: ignore[arg-type]
    return attrs.evolve(county, schools=tuple(schools))
