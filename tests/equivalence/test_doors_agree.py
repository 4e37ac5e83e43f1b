"""The columnar door's outputs do not depend on the form of its input (file, layout, types),
and every input school is accounted for. (Both doors are compared with the plain reference
implementation in ``tests/reference``.)"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import batch
from eduequity.rules import columns_from_counties
from eduequity.rules._minimums import numerators_of, school_rule_arrays
from eduequity.rules._scope import scope_reasons
from eduequity.rules._stage_parts import stage_parts
from eduequity.testing import counties

STANDARDS = ["cn-basic-2012", "cn-quality-2017", "jiangsu-quality"]


@st.composite
def nations(draw: st.DrawFn) -> list[ee.County]:
    n = draw(st.integers(1, 4))
    return [draw(counties(code=f"99{i:04d}", max_schools=8)) for i in range(n)]


def test_every_input_school_appears_once_or_per_stage() -> None:
    """out.schools has one row per stage part of an included school, one per excluded one."""
    c = ee.datasets.sample_county()
    out = batch.evaluate_table(batch.table_from_counties([c]), "cn-basic-2012")
    ids = out.schools.column("school_id").to_pylist()
    assert set(ids) == {s.id for s in c.schools}
    result = ee.evaluate(c, "cn-basic-2012")
    for status in result.schools:
        expected = len(status.stages) if status.included else 1
        assert ids.count(status.school_id) == expected


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_files_give_the_same_result(tmp_path: Any, fmt: str) -> None:
    """A Parquet or CSV file gives the same counties table as the in-memory table."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = batch.table_from_counties([ee.datasets.sample_county()])
    path = tmp_path / f"schools.{fmt}"
    if fmt == "parquet":
        pq.write_table(table, path)
    else:
        # CSV has no lists: class sizes are written as "45;44;46".
        sizes = {}
        for name in ("class_sizes_primary", "class_sizes_junior"):
            sizes[name] = pa.array(
                [
                    None if v is None else ";".join(map(str, v))
                    for v in table.column(name).to_pylist()
                ],
                pa.string(),
            )
        for name, col in sizes.items():
            table = table.set_column(table.column_names.index(name), name, col)
        pacsv.write_csv(table, path)
    expected = batch.evaluate_table(
        batch.table_from_counties([ee.datasets.sample_county()]),
        "cn-quality-2017",
        nulls="not_reported",
    ).counties
    got = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported").counties
    assert got.to_pylist() == expected.to_pylist()


def _relayout(table: pa.Table, cuts: list[int], numeric: str) -> pa.Table:
    """``table`` with the same values in another layout: sliced chunks (cut at ``cuts``, some
    of them empty), other numeric types."""
    ends = sorted(min(c, table.num_rows) for c in cuts)
    starts = [0, *ends]
    pieces = [table.slice(a, b - a) for a, b in zip(starts, [*ends, table.num_rows], strict=True)]
    chunked = pa.Table.from_batches(
        [b for p in pieces for b in p.to_batches()], schema=table.schema
    )
    columns = {}
    for name in chunked.column_names:
        col = chunked.column(name)
        if pa.types.is_integer(col.type) and numeric == "decimal":
            col = col.cast(pa.decimal128(20, 0))
        elif pa.types.is_integer(col.type) and numeric == "narrow":
            col = col.cast(pa.int32())
        elif pa.types.is_list(col.type) and numeric == "narrow":
            col = col.cast(pa.list_(pa.int16()))
        columns[name] = col
    # The same table: its metadata (the county inputs it carries) too.
    return pa.table(columns).replace_schema_metadata(table.schema.metadata)


@settings(max_examples=25, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(
    nations(),
    st.lists(st.integers(0, 40), max_size=3),
    st.sampled_from(["same", "decimal", "narrow"]),
)
def test_layout_of_the_input_does_not_change_the_result(
    cs: list[ee.County], cuts: list[int], numeric: str
) -> None:
    """Chunking, slicing and the numeric types of the columns leave every output table equal."""
    table = batch.table_from_counties(cs)
    expected = batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported")
    got = batch.evaluate_table(
        _relayout(table, cuts, numeric), "cn-quality-2017", nulls="not_reported"
    )
    assert got.counties.equals(expected.counties)
    assert got.schools.equals(expected.schools)
    assert got.findings.equals(expected.findings)


@settings(max_examples=15, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(nations(), st.sampled_from(STANDARDS))
def test_parts_of_the_numerators_a_standard_reads(cs: list[ee.County], standard: str) -> None:
    """Asked for the numerators a standard reads, the parts hold those, with the bits of the
    full parts; the balance rule and the school standard read nothing else."""
    std = ee.get_standard(standard)
    cols = columns_from_counties(cs)
    included = scope_reasons(cols, std.scope) == 0
    wanted = numerators_of(std)
    full = stage_parts(cols, included, std.split_weights)
    some = stage_parts(cols, included, std.split_weights, numerators=wanted)
    assert set(some.amounts) == wanted
    for name in wanted:
        assert some.amounts[name].tobytes() == full.amounts[name].tobytes()
    assert some.share.tobytes() == full.share.tobytes()
    rules = school_rule_arrays(std, some, cols)
    want = school_rule_arrays(std, full, cols)
    assert (rules is None) == (want is None)
    if rules is not None and want is not None:
        assert rules.status.tobytes() == want.status.tobytes()


@pytest.mark.parametrize(
    ("name", "row", "value"),
    [
        ("enrollment_primary", 25, 12),  # a junior school with primary pupils
        ("enrollment_primary", 5, 2**53 + 1),
        ("teachers_backbone_primary", 5, -1.0),
        ("room_area", 25, float("nan")),
        ("books", 25, float("inf")),
        ("equipment_value", 5, 2e12),
        ("class_sizes_primary", 5, [45, 0]),
        ("class_sizes_primary", 5, [45, 1001]),
        ("class_sizes_primary", 5, [45, None]),
        # Beyond 16 bits, joined as 32: 16 bits would read 2**16 + 45 and 45 - 2**16 as 45.
        ("class_sizes_primary", 5, [45, 2**16 + 45]),
        ("class_sizes_primary", 5, [45 - 2**16, 45]),
        ("class_sizes_primary", 5, [45, 2**40]),  # beyond 32 bits: joined as 64
        ("class_sizes_primary", 5, [-(2**40), 45]),
        ("kind", 5, "college"),
    ],
)
def test_a_table_in_chunks_is_refused_as_in_one(name: str, row: int, value: Any) -> None:
    """A bad value in the middle chunk of a table read in several (as Parquet files are) is
    refused with the same message, naming the same school, as in a table of one chunk."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    values = table.column(name).to_pylist()
    values[row] = value
    table = table.set_column(
        table.column_names.index(name), name, pa.array(values, table.schema.field(name).type)
    )
    with pytest.raises(ee.DataError) as whole:
        batch.evaluate_table(table, "cn-quality-2017")
    with pytest.raises(ee.DataError) as chunked:
        batch.evaluate_table(_relayout(table, [row // 2, row, row + 1], "same"), "cn-quality-2017")
    assert str(chunked.value) == str(whole.value)
    assert table.column("school_id")[row].as_py() in str(whole.value)


@pytest.mark.parametrize("name", ["enrollment_primary", "teachers_junior", "books"])
def test_an_integer_too_large_for_a_float_is_refused_as_given(name: str) -> None:
    """An integer beyond 2**53 (which a float cannot hold) is refused, whether or not the
    school has the stage it is for, with the value as given, not rounded."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    values = [0 if v is None else int(v) for v in table.column(name).to_pylist()]
    values[0] = 2**53 + 1  # a primary school: teachers_junior does not apply to it
    table = table.set_column(table.column_names.index(name), name, pa.array(values, pa.int64()))
    with pytest.raises(ee.DataError) as refused:
        batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported")
    said = str(refused.value)
    assert f"column {name!r} holds a whole number too large to be read exactly" in said
    assert "got 9007199254740993" in said
    assert "9007199254740992.0" not in said


def test_codes_given_as_large_integers_keep_their_digits() -> None:
    """County codes given as integers are read as their own digits, however many: a
    16-digit number is refused as not a county's code, not rounded or called not whole."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    codes = pa.array([2**53 + 1] * table.num_rows, pa.int64())
    table = table.set_column(table.column_names.index("county_code"), "county_code", codes)
    with pytest.raises(ee.DataError, match="must be a county's 6-digit code"):
        batch.evaluate_table(table, "cn-quality-2017")
