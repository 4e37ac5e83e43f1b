"""The plan of a table of many counties, planned a chunk of whole counties at a time.

Every rule, every addition and every verification works within one county, so a plan of
the counties ``a`` to ``b`` is the plan of those counties in the whole table. The columnar
door plans chunks of about :data:`SCHOOLS_PER_CHUNK` schools in county order, keeps each
chunk's tables and lets its evaluations go: a plan of the nation keeps its tables (the
additions are most of them), not the two evaluations of 300,000 schools and their rounds'
temporaries. The tables are those of one ``PlanTables`` over
the whole table, concatenated (the tests check them equal).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity import _display
from eduequity._errors import DataError
from eduequity._planning.costs import Costs
from eduequity._planning.result import NO_BUDGET, PlanTables
from eduequity._planning.tables import plan_passes
from eduequity._planning.verify import plan_evaluation
from eduequity.rules._columns import SchoolColumns, county_chunks
from eduequity.rules._pipeline import run
from eduequity.standards._model import Standard

__all__ = ["SCHOOLS_PER_CHUNK", "PlanOutputs", "plan_in_chunks"]

#: Schools planned at a time (whole counties): small enough that a chunk's evaluations and
#: temporaries stay a fraction of the input, large enough that the per-chunk costs vanish.
SCHOOLS_PER_CHUNK = 20_000


@attrs.frozen(eq=False, kw_only=True)
class PlanOutputs:
    """The tables of a plan (see ``PlanTables``: ``failing``
    lists the schools failing today) and the rounds its slowest county took;
    ``years_table`` is None without a budget."""

    additions: pa.Table
    counties: pa.Table
    totals: pa.Table
    transfers: pa.Table
    not_in_plan: pa.Table
    years_table: pa.Table | None
    rounds: int
    failing: pa.Table

    @property
    def years(self) -> pa.Table:
        """Per county and stage, the first year after which it passes every rule the plan
        covers (see ``PlanTables.years``); needs a budget."""
        if self.years_table is None:
            raise DataError(NO_BUDGET)
        return self.years_table

    @property
    def passes(self) -> bool:
        """Whether every rule the plan covers passes after it, in every county and stage
        (``passes_after`` of every row of :attr:`counties`; True where no school is in
        scope)."""
        return plan_passes(self.counties)

    __repr__ = _display.plan_tables_repr
    __arrow_c_stream__ = _display.stream_of("additions")


def _tables(plan: PlanTables) -> PlanOutputs:
    return PlanOutputs(
        additions=plan.additions,
        counties=plan.counties,
        totals=plan.totals,
        transfers=plan.transfers,
        not_in_plan=plan.not_in_plan,
        years_table=None if plan.budget_per_year is None else plan.years,
        rounds=plan.arrays.rounds,
        failing=plan.failing,
    )


def _concat(tables: list[pa.Table]) -> pa.Table:
    """The tables one after the other (one dictionary per text column)."""
    if len(tables) == 1:
        return tables[0]
    return pa.concat_tables(tables).unify_dictionaries()


def plan_in_chunks(
    columns: SchoolColumns,
    standard: Standard,
    costs: Costs | None = None,
    county_inputs: Mapping[str, NDArray[np.float64]] | None = None,
    *,
    budget_per_year: float | None = None,
    transfers: bool = False,
    upgrade: bool = False,
    schools: int = SCHOOLS_PER_CHUNK,
) -> PlanOutputs:
    """Plan every county of ``columns``, ``schools`` schools (whole counties) at a time, as
    ``plan_evaluation`` plans them all at once (see the
    module)."""
    pieces = []
    # Each chunk takes its rows of every people and resource column: made once here, not once
    # per chunk.
    columns = columns.made()
    for first, stop in county_chunks(columns.county, columns.n_counties, schools):
        part = columns.of_counties(first, stop)
        inputs = (
            None if county_inputs is None else {k: v[first:stop] for k, v in county_inputs.items()}
        )
        arrays = plan_evaluation(
            run(standard, part, inputs), costs, inputs, transfers=transfers, upgrade=upgrade
        )
        pieces.append(_tables(PlanTables(arrays, budget_per_year)))
    years = [p.years_table for p in pieces if p.years_table is not None]
    return PlanOutputs(
        additions=_concat([p.additions for p in pieces]),
        counties=_concat([p.counties for p in pieces]),
        totals=_concat([p.totals for p in pieces]),
        transfers=_concat([p.transfers for p in pieces]),
        not_in_plan=_concat([p.not_in_plan for p in pieces]),
        years_table=_concat(years) if years else None,
        rounds=max(p.rounds for p in pieces),
        failing=_concat([p.failing for p in pieces]),
    )
