"""The object door (``ee.evaluate``) and the columnar door (``batch.evaluate_table``) give the
same verdicts for the same counties, county inputs included, under every built-in standard."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import DataError, batch
from eduequity._county_inputs import COUNTY_INPUTS, InputKind
from eduequity.testing import counties

STANDARDS = [s.id for s in ee.list_standards()]

#: A value of each kind of county input, edges included.
_VALUES: dict[InputKind, st.SearchStrategy[Any]] = {
    InputKind.SCORE: st.one_of(st.sampled_from([0.0, 60.0, 85.0, 100.0]), st.floats(0, 100)),
    InputKind.RATE: st.one_of(st.sampled_from([0.0, 0.5, 0.85, 0.95, 1.0]), st.floats(0, 1)),
    InputKind.FLAG: st.booleans(),
    InputKind.NUMBER: st.one_of(st.sampled_from([0.0, 1.0, 3.0, 1.2]), st.floats(0, 1e4)),
}


@st.composite
def counties_with_inputs(draw: st.DrawFn, code: str) -> ee.County:
    """A county of :func:`eduequity.testing.counties` with more of its inputs given: any of
    the known inputs, each with a value of its kind."""
    county = draw(counties(code=code, max_schools=6))
    more = draw(st.lists(st.sampled_from(list(COUNTY_INPUTS)), max_size=len(COUNTY_INPUTS)))
    inputs = dict(county.inputs)
    for key in more:
        inputs[key] = draw(_VALUES[COUNTY_INPUTS[key].kind])
    return attrs.evolve(county, inputs=inputs)


@st.composite
def nations(draw: st.DrawFn) -> list[ee.County]:
    n = draw(st.integers(1, 3))
    return [draw(counties_with_inputs(f"99{i:04d}")) for i in range(n)]


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def _assert_doors_agree(cs: list[ee.County], standard: str, out: batch.BatchResult) -> None:
    """Each county's verdicts through ``ee.evaluate`` equal its rows of ``out.counties``."""
    rows = out.counties.to_pylist()
    for county in cs:
        result = ee.evaluate(county, standard)
        mine = [r for r in rows if r["county_code"] == county.code]
        assert mine, county.code
        for r in mine:
            assert r["county_status"] == result.status.value
            for cid, component in result.components.items():
                assert r[f"component_{cid}"] == component.status.value, cid
            assert {k[len("component_") :] for k in r if k.startswith("component_")} == set(
                result.components
            )
        assert {r["stage"] for r in mine} == {s.value for s in result.stages}
        for r in mine:
            stage = result.stages[r["stage"]]
            where = (county.code, r["stage"])
            assert r["status"] == stage.status.value, where
            assert r["cv_status"] == stage.cv_status.value, where
            assert r["school_rule_status"] == stage.school_rule_status.value, where
            assert r["n_schools"] == stage.n_schools, where
            assert _same(r["composite_cv"], stage.composite_cv), where
            cvs = {k[len("cv_") :] for k in r if k.startswith("cv_") and k != "cv_status"}
            assert cvs == set(stage.cvs), where
            for ind, cv in stage.cvs.items():
                assert _same(r[f"cv_{ind}"], cv.cv), (*where, ind)


@settings(max_examples=40)
@given(nations(), st.sampled_from(STANDARDS))
def test_both_doors_give_the_same_verdicts_with_county_inputs(
    cs: list[ee.County], standard: str
) -> None:
    """Every stage, component and county status and every CV agree between the doors, for
    random counties with random county inputs, under every built-in standard."""
    out = batch.evaluate_table(batch.table_from_counties(cs), standard)
    _assert_doors_agree(cs, standard, out)


@pytest.mark.parametrize("standard", STANDARDS)
def test_the_sample_county_agrees_under_every_standard(standard: str) -> None:
    """The sample county's inputs (government work, satisfaction) reach the columnar door."""
    county = ee.datasets.sample_county()
    assert county.inputs
    out = batch.evaluate_table(batch.table_from_counties([county]), standard)
    _assert_doors_agree([county], standard, out)


def test_the_2012_county_items_are_evaluated_through_the_table() -> None:
    """Under cn-basic-2012 the sample county's government work and satisfaction pass through
    both doors (neither is left unevaluated)."""
    county = ee.datasets.sample_county()
    row = batch.evaluate_table(batch.table_from_counties([county]), "cn-basic-2012").counties
    got = row.select(["component_government_work", "component_public_satisfaction"])
    assert got.to_pylist()[0] == {
        "component_government_work": "passed",
        "component_public_satisfaction": "passed",
    }


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_parquet_file_keeps_the_inputs(tmp_path: Path, standard: str) -> None:
    """A table written to Parquet carries the inputs: the file gives the same verdicts."""
    county = ee.datasets.sample_county()
    path = tmp_path / "schools.parquet"
    pq.write_table(batch.table_from_counties([county]), path)
    _assert_doors_agree([county], standard, batch.evaluate_table(path, standard))


@settings(max_examples=15)
@given(nations(), st.sampled_from(STANDARDS))
def test_the_inputs_as_their_own_csv_file_give_the_same_verdicts(
    tmp_path_factory: Any, cs: list[ee.County], standard: str
) -> None:
    """``inputs_from_counties`` written to CSV and given as ``county_inputs=`` with a table
    that carries none gives the object door's verdicts."""
    path = tmp_path_factory.mktemp("inputs") / "inputs.csv"
    pacsv.write_csv(batch.inputs_from_counties(cs), path)
    table = batch.table_from_counties([attrs.evolve(c, inputs={}) for c in cs])
    out = batch.evaluate_table(table, standard, county_inputs=path)
    _assert_doors_agree(cs, standard, out)


def test_county_inputs_given_replace_those_the_table_carries() -> None:
    """``county_inputs=`` replaces the inputs the table carries: a county whose carried
    satisfaction passes fails with the satisfaction given."""
    county = ee.datasets.sample_county()
    low = attrs.evolve(county, inputs={**county.inputs, "satisfaction_rate": 0.5})
    out = batch.evaluate_table(
        batch.table_from_counties([county]),
        "cn-basic-2012",
        county_inputs=batch.inputs_from_counties([low]),
    )
    assert out.counties.column("component_public_satisfaction").to_pylist()[0] == "failed"
    _assert_doors_agree([low], "cn-basic-2012", out)


def test_a_table_cut_to_some_counties_uses_their_inputs() -> None:
    """The inputs a table carries of counties it no longer has are not used; the others are."""
    a = ee.datasets.sample_county()
    b = attrs.evolve(
        a,
        code="990102",
        schools=[attrs.evolve(s, id=f"B{s.id}") for s in a.schools],
        inputs={"satisfaction_rate": 0.5},
    )
    table = batch.table_from_counties([a, b])
    cut = table.filter(pa.compute.equal(table.column("county_code"), "990102"))
    _assert_doors_agree([b], "cn-basic-2012", batch.evaluate_table(cut, "cn-basic-2012"))


def test_a_county_twice_with_different_inputs_is_refused() -> None:
    """Two counties of one code with different inputs: which to use is not guessed."""
    a = ee.datasets.sample_county()
    b = attrs.evolve(a, inputs={**a.inputs, "satisfaction_rate": 0.5})
    with pytest.raises(DataError, match=re.escape("'satisfaction_rate': 0.912 and 0.5")):
        batch.table_from_counties([a, b])


@pytest.mark.parametrize("standard", STANDARDS)
def test_monitor_takes_each_years_counties_with_their_inputs(standard: str) -> None:
    """``ee.monitor({year: [County, ...]})`` evaluates each year's counties with their inputs:
    the panel's county status of each year is the object door's."""
    county = ee.datasets.sample_county()
    low = attrs.evolve(county, inputs={**county.inputs, "satisfaction_rate": 0.5})
    m = ee.monitor({2022: [county], 2023: (low,)}, standard)
    got = {(r["year"], r["county_status"]) for r in m.panel.to_pylist()}
    want = {(2022, ee.evaluate(county, standard).status.value)}
    want.add((2023, ee.evaluate(low, standard).status.value))
    assert got == want
    _assert_doors_agree([low], standard, m.result(2023))


def test_monitor_refuses_counties_mixed_with_other_values() -> None:
    """A year's list that is not all counties is refused, naming the year."""
    with pytest.raises(DataError, match="the table of 2022: give a list of County"):
        ee.monitor({2022: [ee.datasets.sample_county(), "schools.csv"]}, "cn-basic-2012")


#: The tables both doors give, by name.
TABLES = ("counties", "schools", "findings", "data_warnings")


def _columnar_table(out: batch.BatchResult, name: str, code: str | None = None) -> pa.Table:
    """The columnar door's table ``name`` (the findings with their messages), of the county
    ``code`` alone where given."""
    if name == "findings":
        return out.findings_for(None if code is None else [code])
    table: pa.Table = getattr(out, name)
    if code is None:
        return table
    return table.filter(pa.compute.equal(table.column("county_code"), code))


def _assert_tables_agree(got: pa.Table, want: pa.Table, where: Any, exact: bool = True) -> None:
    """The same columns, types, rows in the same order, and values; ``exact``: the same
    Arrow table (a dictionary column's dictionary too)."""
    assert got.schema.names == want.schema.names, where
    assert got.schema.types == want.schema.types, where
    assert got.num_rows == want.num_rows, where
    assert got.to_pylist() == want.to_pylist(), where
    if exact:
        assert got.equals(want), where


@pytest.mark.parametrize("standard", STANDARDS)
@settings(max_examples=25)
@given(cs=nations())
def test_both_doors_give_the_same_tables(cs: list[ee.County], standard: str) -> None:
    """For random counties with random county inputs, under every built-in standard, each
    county's ``ee.evaluate(...).to_arrow(name)`` is the table the columnar door gives under
    that name for a table of that county alone (same columns, types, row order and values),
    and that county's rows of the table of all the counties."""
    together = batch.evaluate_table(batch.table_from_counties(cs), standard)
    for county in cs:
        result = ee.evaluate(county, standard)
        alone = batch.evaluate_table(batch.table_from_counties([county]), standard)
        for name in TABLES:
            got = result.to_arrow(name)
            _assert_tables_agree(got, _columnar_table(alone, name), (county.code, name))
            if name != "data_warnings":  # the warnings name schools, not counties
                mine = _columnar_table(together, name, county.code)
                # Cut from a table of several counties: the same rows (a dictionary column
                # keeps the codes of every county).
                _assert_tables_agree(got, mine, (county.code, name, "together"), exact=False)


def test_the_former_name_of_the_counties_table_warns() -> None:
    """``to_arrow("stages")`` gives the counties table, with a warning naming the new name."""
    result = ee.evaluate(ee.datasets.sample_county(), "cn-quality-2017")
    with pytest.warns(FutureWarning, match="to_arrow\\('counties'\\)"):
        stages = result.to_arrow("stages")
    assert stages.equals(result.to_arrow("counties"))


@settings(max_examples=25)
@given(nations(), st.sampled_from(STANDARDS))
def test_one_county_of_a_table_is_the_object_doors_result(
    cs: list[ee.County], standard: str
) -> None:
    """``BatchResult.result(code)``, a county of a table of several, equals ``ee.evaluate``
    of the county on its own: verdicts, every CV, every school's status and shortfalls, and
    every finding (rule, stage, school, status, value)."""
    out = batch.evaluate_table(batch.table_from_counties(cs), standard)
    for county in cs:
        got, want = out.result(county.code), ee.evaluate(county, standard)
        assert got.county_code == county.code
        assert got.status == want.status
        assert {k: c.status for k, c in got.components.items()} == {
            k: c.status for k, c in want.components.items()
        }
        for stage, s in want.stages.items():
            g = got.stages[stage]
            assert (g.status, g.cv_status, g.school_rule_status, g.n_schools) == (
                s.status,
                s.cv_status,
                s.school_rule_status,
                s.n_schools,
            )
            for ind, cv in s.cvs.items():
                assert _same(g.cvs[ind].cv, cv.cv), (county.code, stage, ind)
        for mine, theirs in (
            (got.schools, want.schools),
            (got.shortfalls, want.shortfalls),
            (got.school_rules, want.school_rules),
            (got.findings, want.findings),
        ):
            assert [_plain(attrs.asdict(x)) for x in mine] == [
                _plain(attrs.asdict(x)) for x in theirs
            ]
    with pytest.raises(ee.ArgumentError, match="the table has no county '000000'"):
        out.result("000000")
    assert out.result(int(cs[0].code)).county_code == cs[0].code  # a code given as a number


def _plain(value: Any) -> Any:
    """A record's fields with NaN made comparable (NaN == NaN)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value
