"""The county planner (``ee.plan`` of a County) and the columnar planner
(``batch.plan_table`` of that county's table) give the same plan: the same tables, verdicts
and total cost, for random counties with county inputs, with and without costs, under every
built-in standard."""

from __future__ import annotations

import math
from typing import Any

import attrs
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import DataError, batch
from eduequity._class_bands import N_BANDS
from eduequity._county_inputs import COUNTY_INPUTS, InputKind
from eduequity._planning.costs import COST_KEYS
from eduequity.testing import counties

STANDARDS = [s.id for s in ee.list_standards()]

#: The tables both planners give, by name (``years`` only with a budget).
TABLES = ("additions", "counties", "totals", "transfers", "not_in_plan", "failing")

#: A value of each kind of county input, edges included.
_VALUES: dict[InputKind, st.SearchStrategy[Any]] = {
    InputKind.SCORE: st.sampled_from([0.0, 59.9, 60.0, 85.0, 100.0]),
    InputKind.RATE: st.sampled_from([0.0, 0.5, 0.85, 0.95, 1.0]),
    InputKind.FLAG: st.booleans(),
    InputKind.NUMBER: st.sampled_from([0.0, 1.0, 3.0, 1.2]),
}


@st.composite
def counties_with_inputs(draw: st.DrawFn) -> ee.County:
    """A small county of :func:`eduequity.testing.counties` with any of the known county
    inputs, and some stages reporting their classes by band (班额段) instead of one by one."""
    county = draw(counties(code="990100", max_schools=5))
    schools = []
    for school in county.schools:
        changes: dict[str, Any] = {}
        for stage in ee.Stage:
            data = school.stage(stage)
            if data is not None and draw(st.integers(0, 3)) == 0:
                bands = draw(st.lists(st.integers(0, 4), min_size=N_BANDS, max_size=N_BANDS))
                changes[stage.value] = attrs.evolve(data, class_sizes=None, class_bands=bands)
        schools.append(attrs.evolve(school, **changes))
    county = attrs.evolve(county, schools=schools, name=draw(st.sampled_from(["", county.name])))
    more = draw(st.lists(st.sampled_from(list(COUNTY_INPUTS)), max_size=len(COUNTY_INPUTS)))
    inputs = dict(county.inputs)
    for key in more:
        inputs[key] = draw(_VALUES[COUNTY_INPUTS[key].kind])
    return attrs.evolve(county, inputs=inputs)


@st.composite
def plan_options(draw: st.DrawFn) -> dict[str, Any]:
    """Costs (none, some resources or all of them), and with all of them sometimes a budget;
    transfers and upgrades."""
    priced = draw(st.sampled_from(["none", "some", "all"]))
    options: dict[str, Any] = {
        "transfers": draw(st.booleans()),
        "upgrade": draw(st.booleans()),
    }
    if priced == "none":
        return options
    keys = (
        list(COST_KEYS)
        if priced == "all"
        else draw(st.lists(st.sampled_from(COST_KEYS), min_size=1, unique=True))
    )
    yuan = st.sampled_from([1.0, 30.0, 3_500.0, 60_000.0, 150_000.0])
    options["costs"] = {k: {"yuan": draw(yuan), "source": "test prices"} for k in keys}
    if priced == "all" and draw(st.booleans()):
        options["budget_per_year"] = draw(st.sampled_from([1e5, 1e6, 1e7]))
    return options


#: The tables of an evaluation both doors give, by name.
EVALUATION_TABLES = ("counties", "schools", "findings", "data_warnings")


def _evaluation_table(out: batch.BatchResult, name: str) -> pa.Table:
    """The columnar door's evaluation table ``name`` (the findings with their messages)."""
    if name == "findings":
        return out.findings_for(None)
    table: pa.Table = getattr(out, name)
    return table


def _assert_tables_agree(got: pa.Table, want: pa.Table, where: Any) -> None:
    """The same columns, types, rows in the same order, and values."""
    assert got.schema.names == want.schema.names, where
    assert got.schema.types == want.schema.types, where
    assert got.num_rows == want.num_rows, where
    assert got.to_pylist() == want.to_pylist(), where


def _plan_or_error(source: Any, standard: str, options: dict[str, Any]) -> Any:
    try:
        return ee.plan(source, standard, **options)
    except DataError as error:
        return error


@pytest.mark.parametrize("standard", STANDARDS)
@settings(max_examples=12, deadline=None)
@given(county=counties_with_inputs(), options=plan_options())
def test_both_plan_doors_give_the_same_plan(
    county: ee.County, options: dict[str, Any], standard: str
) -> None:
    """``ee.plan(county)`` and ``batch.plan_table(batch.table_from_counties([county]))`` give
    the same tables (columns, types, row order, values), verdict and total cost, or refuse
    with the same message."""
    one = _plan_or_error(county, standard, options)
    table = _plan_or_error(batch.table_from_counties([county]), standard, options)
    if isinstance(one, DataError) or isinstance(table, DataError):
        assert str(one).replace("plan:", "plan_table:", 1) == str(table)
        return
    names = TABLES + (("years",) if "budget_per_year" in options else ())
    for name in names:
        _assert_tables_agree(getattr(one, name), getattr(table, name), name)
    assert one.passes == table.passes
    assert one.passes == all(table.counties.column("passes_after").to_pylist())
    cost = table.additions.column("cost").to_pylist()
    if one.total_cost is None:
        assert "costs" not in options
    else:
        assert math.isclose(one.total_cost, math.fsum(c for c in cost if c is not None))
    # The evaluations before and after: ee.evaluate's tables, and the columnar door's.
    evaluated = ee.evaluate(county, standard)
    for name in EVALUATION_TABLES:
        before = one.before.to_arrow(name)
        assert before.equals(evaluated.to_arrow(name)), name
        _assert_tables_agree(before, _evaluation_table(table.before, name), ("before", name))
        after = _evaluation_table(table.after, name)
        _assert_tables_agree(one.after.to_arrow(name), after, ("after", name))
