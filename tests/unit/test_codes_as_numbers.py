"""County codes and school ids given as numbers (what pandas.read_excel gives for a column of
codes): a whole number is read as the code's text and the record says so; an empty cell (NaN)
is an empty code, refused as any empty code is; a number that is not whole is refused naming
the header and the value. Never Arrow's own exception."""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest

from eduequity import DataError, batch


def _table(codes: Any, ids: Any) -> pa.Table:
    return pa.table(
        {
            "学校标识码": ids,
            "行政区划代码": codes,
            "学校类型": ["小学", "小学"],
            "小学在校生数": [100, 200],
            "教学仪器设备值": [200500.0, 400100.0],
        }
    )


@pytest.mark.parametrize(
    ("codes", "shown"),
    [
        (pa.array([320102, 320104], pa.int64()), "320102"),
        (pa.array([320102, 320104], pa.int32()), "320102"),
        (pa.array([320102.0, 320104.0]), "320102.0"),
    ],
)
def test_whole_number_codes_are_read_as_text_and_said(codes: pa.Array, shown: str) -> None:
    read = batch.read_schools(_table(codes, ["0001", "0002"]))
    assert read.table.column("county_code").to_pylist() == ["320102", "320104"]
    note = f"column '行政区划代码' holds numbers ({codes.type}): read as text ({shown} as '320102')"
    assert note in read.record.notes
    assert "按文本读取" in read.record.to_text("zh")
    out = batch.evaluate_table(_table(codes, ["0001", "0002"]), "cn-basic-2012")
    assert out.counties.column("county_code").unique().to_pylist() == ["320102", "320104"]


def test_whole_number_ids_are_read_as_text() -> None:
    read = batch.read_schools(_table(["320102", "320102"], [2132010001.0, 2132010002.0]))
    assert read.table.column("school_id").to_pylist() == ["2132010001", "2132010002"]
    assert any(
        n.startswith("column '学校标识码' holds numbers (double)") for n in read.record.notes
    )


def test_an_empty_code_nan_is_refused_as_an_empty_code() -> None:
    with pytest.raises(DataError, match="column '行政区划代码' is empty: every school needs"):
        batch.evaluate_table(_table([320102.0, math.nan], ["0001", "0002"]), "cn-basic-2012")


@pytest.mark.parametrize(
    ("codes", "ids", "header", "value"),
    [
        ([320102.5, 320102.0], ["0001", "0002"], "行政区划代码", "320102.5"),
        ([320102, 320102], [1.5, 2.0], "学校标识码", "1.5"),
    ],
)
def test_a_code_that_is_not_whole_is_refused_naming_header_and_value(
    codes: list[Any], ids: list[Any], header: str, value: str
) -> None:
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(_table(codes, ids), "cn-basic-2012")
    said = str(caught.value)
    assert f"column {header!r} holds codes as numbers that are not whole ({value})" in said
    assert "give the column as text" in said
    assert caught.value.message_zh is not None


def test_a_pandas_frame_read_from_a_workbook() -> None:
    """The documented quickstart's first step: pandas reads the codes as int64."""
    pytest.importorskip("pandas")
    frame = _table(["320102", "320102"], ["0001", "0002"]).to_pandas()
    frame["行政区划代码"] = frame["行政区划代码"].astype("int64")
    out = batch.evaluate_table(frame, "cn-basic-2012")
    assert out.counties.column("county_code").unique().to_pylist() == ["320102"]
