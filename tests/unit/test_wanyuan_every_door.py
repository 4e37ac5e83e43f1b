"""Equipment in 万元 is refused the same way whatever the input: a CSV file, a pandas or polars
frame, an Arrow table, a County through table_from_counties or ee.evaluate. Under 1 yuan per
pupil, the figure is in 万元; read as yuan it would make every school fail the minimum and a
plan ask for 10,000 times the money."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import DataError, batch

OFFICE = Path(__file__).resolve().parents[1] / "data" / "office"
SAID = (
    "is under 1 yuan per pupil: is it in 万元? Write the unit in the header "
    "(教学仪器设备值（万元）) or map the column with unit 万元"
)
COLUMNS: dict[str, list[Any]] = {
    "学校标识码": ["0001", "0002"],
    "行政区划代码": ["320102", "320102"],
    "学校类型": ["小学", "小学"],
    "小学在校生数": [100, 200],
    "教学仪器设备值": [20.5, 40.1],
}


def _refused(source: Any, **options: Any) -> str:
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(source, "cn-quality-2017", nulls="not_reported", **options)
    return str(caught.value)


def test_a_csv_file_in_wanyuan_is_refused() -> None:
    assert f"column '教学仪器设备值' {SAID}" in _refused(OFFICE / "equipment_in_wanyuan.csv")


def test_an_arrow_table_in_wanyuan_is_refused_as_the_file() -> None:
    said = _refused(pa.table(COLUMNS))
    assert f"column '教学仪器设备值' {SAID}: 2 rows (school ids '0001' got 20.5" in said


def test_a_pandas_frame_in_wanyuan_is_refused_as_the_file() -> None:
    pd = pytest.importorskip("pandas")
    assert f"column '教学仪器设备值' {SAID}" in _refused(pd.DataFrame(COLUMNS))


def test_a_polars_frame_in_wanyuan_is_refused_as_the_file() -> None:
    pl = pytest.importorskip("polars")
    assert f"column '教学仪器设备值' {SAID}" in _refused(pl.DataFrame(COLUMNS))


def test_the_same_values_in_yuan_are_read() -> None:
    yuan = {**COLUMNS, "教学仪器设备值": [205000.0, 401000.0]}
    out = batch.evaluate_table(pa.table(yuan), "cn-quality-2017", nulls="not_reported")
    assert out.schools.column("value_equipment_value_per_student").to_pylist() == [2050, 2005]


def _county_in_wanyuan() -> ee.County:
    county = ee.datasets.sample_county()
    schools = [
        attrs.evolve(s, equipment_value=s.equipment_value / 10000)
        if s.equipment_value is not None
        else s
        for s in county.schools
    ]
    return attrs.evolve(county, schools=schools)


def test_a_county_in_wanyuan_is_refused_by_both_doors() -> None:
    county = _county_in_wanyuan()
    with pytest.raises(DataError, match="is under 1 yuan per pupil: is it in 万元"):
        batch.evaluate_table(batch.table_from_counties([county]), "cn-quality-2017")
    with pytest.raises(DataError, match="is under 1 yuan per pupil: is it in 万元"):
        ee.evaluate(county, "cn-quality-2017")
    with pytest.raises(DataError, match="is under 1 yuan per pupil: is it in 万元"):
        ee.plan(county, "cn-quality-2017")
