"""Arrow arrays built from NumPy buffers (so that pyarrow never imports pandas) read tables
of every string type as pyarrow's own conversions did."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import DataError, batch
from eduequity._arrow import from_python, scalar


def sample_table() -> pa.Table:
    table = batch.table_from_counties([ee.datasets.sample_county()])
    return table.replace_schema_metadata(None)  # its nulls mean "error", as a user's table


def with_column(table: pa.Table, name: str, column: pa.Array) -> pa.Table:
    return table.set_column(table.column_names.index(name), name, column)


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string(), pa.string_view()])
@pytest.mark.parametrize("name", ["school_id", "kind"])
def test_an_empty_cell_of_any_string_type_is_refused_by_name(name: str, kind: Any) -> None:
    """An empty id or kind in a large_string or string_view column (pandas' string[pyarrow],
    some Parquet files) is refused as in a string column, not with an error of pyarrow's."""
    table = sample_table()
    cells = table.column(name).to_pylist()
    cells[0] = ""
    with pytest.raises(DataError, match=repr(name)):
        batch.evaluate_table(
            with_column(table, name, pa.array(cells, pa.string()).cast(kind)), "cn-quality-2017"
        )


def test_county_inputs_with_headers_and_no_row_are_none_given(tmp_path: Any) -> None:
    """A county-inputs file with its headers and no county gives no input (every county item
    not evaluated), as before: its codes are text even with no row."""
    path = tmp_path / "inputs.csv"
    path.write_text("行政区划代码,公众满意度\n", encoding="utf-8")
    out = batch.evaluate_table(sample_table(), "cn-quality-2017", county_inputs=path)
    assert batch.read_county_inputs(path).codes.type == pa.string()
    assert set(out.counties["county_status"].to_pylist()) <= {"not_evaluated", "failed"}


@pytest.mark.parametrize(
    "values",
    [
        ["a", None, ""],
        [1, None, 3],
        [1, 2.5, None],
        [True, None, False],
        [None, None],
        [],
        [2**62, -(2**62)],
    ],
)
def test_from_python_is_pyarrows_array(values: list[Any]) -> None:
    """The type and values pyarrow infers."""
    got, expected = from_python(values), pa.array(values)
    assert got.type == expected.type
    assert got.to_pylist() == expected.to_pylist()


@pytest.mark.parametrize("values", [[2**53 + 1, 0.5], [2**64, 1]])
def test_from_python_refuses_as_pyarrow_does(values: list[Any]) -> None:
    """Whole numbers that a double or an int64 cannot hold are refused, not rounded."""
    with pytest.raises((pa.ArrowInvalid, OverflowError)):
        pa.array(values)
    with pytest.raises((pa.ArrowInvalid, OverflowError)):
        from_python(values)


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string(), pa.string_view()])
def test_scalar_of_each_string_type(kind: Any) -> None:
    assert scalar("x", kind).type == kind
    assert scalar("x", kind).as_py() == "x"
