"""County inputs under their Chinese names: 行政区划代码, 公众满意度, "92%", 是/否."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import DataError, UnknownNameError, batch
from eduequity._county_inputs import COUNTY_INPUTS, read_rates
from eduequity.batch import read_county_inputs

CODE = "990101"


@cache
def _schools() -> pa.Table:
    return batch.table_from_counties([ee.datasets.sample_county()])


def _same_as(inputs: Any, canonical: dict[str, list[Any]], standard: str) -> None:
    """Evaluating with ``inputs`` gives the tables of evaluating with the canonical table."""
    got = batch.evaluate_table(_schools(), standard, county_inputs=inputs)
    want = batch.evaluate_table(
        _schools(), standard, county_inputs=pa.table({"county_code": [CODE], **canonical})
    )
    assert got.counties.equals(want.counties)
    assert got.findings.equals(want.findings)


def test_gbk_csv_with_chinese_headers_and_percentages(tmp_path: Path) -> None:
    """A GBK CSV as Chinese Excel saves it: 行政区划代码, the Chinese names, "92%", 88 points,
    a county name column set aside; evaluated as the canonical table with 0.92 and 88."""
    path = tmp_path / "县级指标.csv"
    text = (
        "行政区划代码,县区名称,县级人民政府推进义务教育均衡发展工作评估得分,公众满意度\n"
        f"{CODE},样例县,88,92%\n"
    )
    path.write_bytes(text.encode("gbk"))
    read = read_county_inputs(path)
    assert read.values["satisfaction_rate"].tolist() == [0.92]
    assert read.values["government_work_score"].tolist() == [88.0]
    assert read.codes.to_pylist() == [CODE]
    assert list(read.set_aside) == ["县区名称"]
    assert read.notes == ()
    canonical = {"government_work_score": [88.0], "satisfaction_rate": [0.92]}
    _same_as(path, canonical, "cn-basic-2012")
    out = batch.evaluate_table(_schools(), "cn-basic-2012", county_inputs=path)
    statuses = set(out.counties.column("component_public_satisfaction").to_pylist())
    assert statuses == {"passed"}


def test_excel_with_bare_percentages_and_yes_no(tmp_path: Path) -> None:
    """An xlsx made with xlsxwriter: rates as bare percentages (92, 95.5), yes/no as 是/否;
    read as the canonical table with 0.92, 0.955, False and True."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    pytest.importorskip("fastexcel")
    path = tmp_path / "inputs.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    header = [
        "行政区划代码",
        "社会认可度",
        "残疾儿童少年入学率",
        "存在以考试方式招生",
        "留守儿童关爱体系健全",
    ]
    sheet.write_row(0, 0, header)
    sheet.write_string(1, 0, CODE)
    sheet.write_row(1, 1, [92, 95.5, "否", "是"])
    book.close()
    read = read_county_inputs(path)
    assert read.values["social_recognition_rate"].tolist() == [0.92]
    assert read.values["disabled_enrollment_rate"].tolist() == [0.955]
    assert read.values["veto_exam_admission"].tolist() == [0.0]
    assert read.values["left_behind_care_system"].tolist() == [1.0]
    assert any("percentages" in note and "92" in note for note in read.notes)
    canonical: dict[str, list[Any]] = {
        "social_recognition_rate": [0.92],
        "disabled_enrollment_rate": [0.955],
        "veto_exam_admission": [False],
        "left_behind_care_system": [True],
    }
    _same_as(path, canonical, "cn-quality-2017")


def test_toml_file_one_table_per_county(tmp_path: Path) -> None:
    """A TOML file: one table per county, keys as ids or Chinese names (quoted, as TOML
    wants keys that are not ASCII letters or digits)."""
    path = tmp_path / "inputs.toml"
    path.write_text(
        f'["{CODE}"]\n"公众满意度" = "92%"\ngovernment_work_score = 88\n', encoding="utf-8"
    )
    _same_as(path, {"government_work_score": [88.0], "satisfaction_rate": [0.92]}, "cn-basic-2012")


@pytest.mark.parametrize(
    ("written", "values", "percentages", "either"),
    [
        (["0.92", "0.855"], [0.92, 0.855], False, []),
        (["92%", "85.5％"], [0.92, 0.855], False, []),
        ([92, 85.5], [0.92, 0.855], True, []),
        ([92, "90%", 0], [0.92, 0.9, 0.0], True, []),
        (["1", 0.9], [1.0, 0.9], False, [0]),
        ([92, 1], [0.92, 0.01], True, [1]),
        (["100%", None, ""], [1.0, None, None], False, []),
    ],
)
def test_the_rule_for_bare_numbers(
    written: list[Any], values: list[float | None], percentages: bool, either: list[int]
) -> None:
    """A bare number is a percentage where a bare number of its column is above 1, else a
    fraction; a bare 1 is read by that rule and listed to be echoed."""
    blank = [None if v == "" else v for v in written]
    r = read_rates(blank)
    assert (r.values, r.percentages, r.either, r.bad, r.mixed) == (
        values,
        percentages,
        either,
        None,
        None,
    )


def test_a_bare_one_is_echoed_with_what_was_read() -> None:
    """A bare 1 (100% or 1%) is read by the rule and said in what was read."""
    read = read_county_inputs(pa.table({"county_code": [CODE], "公众满意度": [1]}))
    assert read.values["satisfaction_rate"].tolist() == [1.0]
    (note,) = read.notes
    assert note == (
        f"'公众满意度': 1 for county '{CODE}' read as 100% (a fraction: a bare 1 is 100% as a "
        "fraction, 1% as a percentage; write the % sign to say which)."
    )
    previous = ee.set_options(lang="zh")
    try:
        read = read_county_inputs(pa.table({"county_code": [CODE], "公众满意度": [1]}))
    finally:
        ee.set_options(**previous)
    assert "读作 100%" in read.notes[0]


def test_mixed_fractions_and_percentages_are_refused() -> None:
    """0.9 and 91 in one column: one of them would be misread; both values are named."""
    inputs = pa.table({"county_code": ["990101", "990102"], "公众满意度": [0.9, 91]})
    with pytest.raises(DataError, match=r"'公众满意度'.*mixes percentages and fractions") as e:
        read_county_inputs(inputs)
    assert "0.9 for county '990101'" in str(e.value)
    assert "91.0 for county '990102'" in str(e.value)


@pytest.mark.parametrize(
    ("header", "lang", "message"),
    [
        ("公众满意", "en", "'公众满意' is not a known county input; did you mean '公众满意度'?"),
        ("公众满意", "zh", "“公众满意”不是可识别的县级指标；是否应为“公众满意度”？"),
        ("satisfaction_rat", "en", "did you mean 'satisfaction_rate'?"),
        ("行政区划码", "en", "did you mean '行政区划代码'?"),
        ("happiness", "en", "'happiness' is not a known county input \\(its id or its Chinese"),
    ],
)
def test_a_near_name_is_suggested(header: str, lang: str, message: str) -> None:
    """A header that is no input names the nearest input, in English or in Chinese."""
    table = pa.table({"county_code": [CODE], header: [0.9]})
    if header == "行政区划码":
        table = pa.table({header: [CODE], "公众满意度": [0.9]})
    previous = ee.set_options(lang=lang)
    try:
        with pytest.raises(UnknownNameError, match=message):
            read_county_inputs(table)
    finally:
        ee.set_options(**previous)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (
            {"存在以考试方式招生": ["也许"]},
            r"'存在以考试方式招生' must be boolean.*'也许' for county",
        ),
        ({"公众满意度": ["很高"]}, r"'公众满意度' must be a rate: 0.92, 92% or 92. Got '很高'"),
        ({"公众满意度": ["192%"]}, r"'公众满意度' must be a fraction from 0 to 1.*Got '192%'"),
        ({"公众满意度": [0.9], "satisfaction_rate": [0.9]}, "has 'satisfaction_rate' twice"),
    ],
)
def test_bad_values_name_the_header_as_written(columns: dict[str, list[Any]], message: str) -> None:
    """A value that is not of its kind is refused with the header as written, the county and
    the value."""
    with pytest.raises(DataError, match=message):
        read_county_inputs(pa.table({"行政区划代码": [CODE], **columns}))


def test_every_input_is_read_under_its_chinese_name() -> None:
    """Every input of the catalogue is found under its Chinese name."""
    for spec in COUNTY_INPUTS.values():
        value = "是" if spec.kind.value == "flag" else "1"
        read = read_county_inputs(pa.table({"行政区划代码": [CODE], spec.name_zh: [value]}))
        assert list(read.values) == [spec.id]
        assert read.headers[spec.id] == spec.name_zh


def test_a_filled_in_csv_template_is_read_back(tmp_path: Path) -> None:
    """The CSV template, one county filled in as an office would (rates with %, 是/否, blanks
    left blank), evaluates as the canonical table of the same values."""
    from eduequity.batch import write_county_inputs_template

    path, reference = write_county_inputs_template(tmp_path / "县级指标.csv")
    header = path.read_text(encoding="utf-8-sig").strip().split(",")
    assert header[:3] == [
        "行政区划代码",
        "县区名称",
        "县级人民政府推进义务教育均衡发展工作评估得分",
    ]
    assert header[3] == "公众满意度"
    given = {"县级人民政府推进义务教育均衡发展工作评估得分": "88", "公众满意度": "92%"}
    given |= {"社会认可度": "90%", "存在以考试方式招生": "否", "初中三年巩固率": "96.5%"}
    row = [CODE, "样例县", *(given.get(h, "") for h in header[2:])]
    with path.open("a", encoding="utf-8-sig") as f:
        f.write(",".join(row) + "\n")
    canonical: dict[str, list[Any]] = {
        "government_work_score": [88.0],
        "satisfaction_rate": [0.92],
        "social_recognition_rate": [0.9],
        "veto_exam_admission": [False],
        "junior_retention_rate": [0.965],
    }
    _same_as(path, canonical, "cn-basic-2012")
    _same_as(path, canonical, "cn-quality-2017")
    assert len(reference.read_text(encoding="utf-8-sig").splitlines()) == len(COUNTY_INPUTS) + 1


def test_the_excel_template_names_every_input(tmp_path: Path) -> None:
    """The Excel template has every input under its Chinese name, and how to write each."""
    pytest.importorskip("xlsxwriter")
    fastexcel = pytest.importorskip("fastexcel")
    from eduequity.batch import write_county_inputs_template

    (path,) = write_county_inputs_template(tmp_path / "县级指标.xlsx")
    book = fastexcel.read_excel(path)
    assert book.sheet_names == ["县级指标 county inputs", "填写说明 how to fill"]
    read = read_county_inputs(path)
    assert set(read.headers) == {"county_code", *COUNTY_INPUTS}
    assert read.codes.to_pylist() == []
    how = book.load_sheet(1).to_arrow()
    assert how.column("代码 id").to_pylist() == list(COUNTY_INPUTS)


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    pytest.importorskip("fastexcel")
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for i, row in enumerate(rows):
            sheet.write_row(i, 0, row)  # a county code as text, figures as numbers
    book.close()
    return path


def test_a_workbook_of_several_sheets_is_read_on_the_sheet_with_the_county_code(
    tmp_path: Path,
) -> None:
    """An office's workbook with a notes sheet first: the sheet whose header row has the county
    code is read, and the read names it; not the first sheet, silently."""
    path = _book(
        tmp_path / "县级指标.xlsx",
        {
            "说明": [["填表说明"], ["比例填百分数"]],
            "数据": [["行政区划代码", "社会认可度"], [CODE, 92]],
        },
    )
    read = read_county_inputs(path)
    assert read.values["social_recognition_rate"].tolist() == [0.92]
    assert read.where == "县级指标.xlsx (sheet '数据')"
    # Named, the sheet asked for is read (the notes are no county inputs: refused as such).
    with pytest.raises(UnknownNameError, match="column '填表说明' is not a known county input"):
        read_county_inputs(path, sheet="说明")


def test_a_workbook_with_the_county_code_on_two_sheets_is_refused(tmp_path: Path) -> None:
    """Two sheets of county inputs: which one to read is the office's to say."""
    path = _book(
        tmp_path / "inputs.xlsx",
        {
            "2023": [["行政区划代码", "社会认可度"], [CODE, 90]],
            "2024": [["行政区划代码", "社会认可度"], [CODE, 92]],
        },
    )
    with pytest.raises(DataError) as error:
        read_county_inputs(path)
    assert str(error.value) == (
        "county inputs inputs.xlsx: of its sheets '2023', '2024', several have the county code "
        "(行政区划代码) in row 1; name the sheet to read (sheet=)."
    )
    assert read_county_inputs(path, sheet="2024").values["social_recognition_rate"].tolist() == [
        0.92
    ]
    with ee.set_options(lang="zh"), pytest.raises(DataError) as error:
        read_county_inputs(path)
    assert "不止一张" in str(error.value)
    assert "请指定要读的工作表（sheet=）" in str(error.value)
