"""Files made the way offices make them (tests/data/office, written by
tools/make_office_files.py): each gives the numbers of the reference implementation on the same
schools in plain form (canonical.csv, read here with the csv module), or exits 2 with a message
naming the row or school, the header as written and the value."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.csv
import pytest

import eduequity as ee
from eduequity import DataError, batch
from eduequity._cli import main

from .reference import evaluate

OFFICE = Path(__file__).resolve().parents[1] / "data" / "office"
KINDS = {"小学": "primary", "初级中学": "junior", "九年一贯制学校": "nine_year"}
PEOPLE = (
    "enrollment",
    "teachers",
    "staff",
    "teachers_above_qualification",
    "teachers_intermediate_title",
    "teachers_backbone",
    "teachers_pe_arts",
)
PHYSICAL = ("room_area", "sports_area", "equipment_value", "computers", "books", "multimedia_rooms")


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def canonical_counties(keep: Any = None) -> dict[str, SimpleNamespace]:
    """canonical.csv as the reference reads counties: plain objects, no library code."""
    with (OFFICE / "canonical.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    counties: dict[str, SimpleNamespace] = {}
    for row in rows:
        if keep is not None and not keep(row):
            continue
        stages: dict[str, SimpleNamespace | None] = {}
        for stage in ("primary", "junior"):
            if row[f"enrollment_{stage}"] == "":
                stages[stage] = None
                continue
            stages[stage] = SimpleNamespace(
                **{f: _number(row.get(f"{f}_{stage}", "")) for f in PEOPLE}
            )
        school = SimpleNamespace(
            id=row["school_id"],
            kind=SimpleNamespace(value=KINDS[row["kind"]]),
            public=True,
            county_run=True,
            senior_enrollment=0,
            **stages,
            **{r: _number(row[r]) for r in PHYSICAL},
        )
        county = counties.setdefault(
            row["county_code"], SimpleNamespace(code=row["county_code"], schools=[])
        )
        county.schools.append(school)
    return counties


def assert_numbers_equal(
    out: batch.BatchResult, counties: dict[str, SimpleNamespace], standard: str
) -> int:
    """Every CV of ``out`` equals the reference's on ``counties``; return how many were
    compared."""
    rows = {(r["county_code"], r["stage"]): r for r in out.counties.to_pylist()}
    assert {c for c, _ in rows} == set(counties)
    compared = 0
    for code, county in counties.items():
        ref = evaluate(county, standard)
        for stage, want in ref.stages.items():
            row = rows[(code, stage)]
            assert row["n_schools"] == want.n_parts
            for name, cv in want.cvs.items():
                if isinstance(cv, float):
                    assert math.isclose(row[f"cv_{name}"], cv, rel_tol=1e-12), (code, stage, name)
                    compared += 1
    return compared


@pytest.mark.parametrize("standard", ["cn-basic-2012", "cn-quality-2017"])
@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("canonical.csv", {}),
        ("two_row_headers.xlsx", {}),
        ("stage_sheets.xlsx", {"sheet": "all"}),
        ("stage_sheets.xlsx", {"sheet": ["小学", "初中"]}),
        ("semicolons.csv", {}),
        ("footer.csv", {}),
        ("tabs.csv", {}),
        ("township_codes.csv", {"county_digits": 6}),
    ],
)
def test_an_office_file_gives_the_reference_numbers(
    name: str, options: dict[str, Any], standard: str
) -> None:
    """Title rows, two-row headers under a merged 小学 / 初中, units (万元), merged county cells,
    blank, 小计 and 合计 rows, sheets per stage, ';' and tab separators, township codes cut to
    6 digits: every CV equals the reference's on the plain table."""
    out = batch.evaluate_table(OFFICE / name, standard, **options)
    expected = 32 if standard == "cn-basic-2012" else 28  # CVs x 2 stages x 2 counties
    assert assert_numbers_equal(out, canonical_counties(), standard) == expected


def test_the_census_export_with_the_census_map() -> None:
    """The census export (GBK, '>' header paths, 12-digit codes, 万元, PE and arts teachers as
    two columns) read with columns="census" gives the reference's CVs of the indicators the
    export has; the others are not evaluated, never passed."""
    out = batch.evaluate_table(OFFICE / "census_export.csv", "cn-quality-2017", columns="census")
    counties = canonical_counties(keep=lambda row: row["kind"] != "九年一贯制学校")
    rows = {(r["county_code"], r["stage"]): r for r in out.counties.to_pylist()}
    compared = 0
    for code, county in counties.items():
        for stage, want in evaluate(county, "cn-quality-2017").stages.items():
            row = rows[(code, stage)]
            for name, cv in want.cvs.items():
                if "above_qualification" in name:
                    assert row[f"cv_{name}"] is None  # the export has no such column
                    continue
                assert isinstance(cv, float)
                assert math.isclose(row[f"cv_{name}"], cv, rel_tol=1e-12), (code, stage, name)
                compared += 1
    assert compared == 24
    assert out.read is not None
    assert [u.header for u in out.read.unused] == ["是否计校数", "室内体育用房", "统计三级"]
    assert any("cut to their first 6" in n for n in out.read.notes)


def test_a_derived_column_missing_one_of_its_headers_is_refused(tmp_path: Path) -> None:
    """The census export without 室内体育用房, read with the map that moves it to the sports
    area: the map makes room_area and sports_area from it. Before, both were left out without
    a word (then "no column room_area"); now refused, naming the header and the column."""
    text = (OFFICE / "census_export.csv").read_text(encoding="gbk").splitlines()
    drop = text[0].split(",").index("室内体育用房")
    rows = [",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in text]
    path = tmp_path / "census_without_indoor_sports.csv"
    path.write_text("\n".join(rows) + "\n", encoding="gbk")
    with pytest.raises(DataError) as caught:
        batch.read_schools(path, columns="census-indoor-sports")
    said = str(caught.value)
    assert "the column map makes 'room_area' from header '室内体育用房', which is not in" in said
    assert caught.value.message_zh is not None
    assert "列映射由表头 '室内体育用房' 计算 'room_area'" in caught.value.message_zh
    # With the plain census map, which does not use it, the file is read.
    assert batch.read_schools(path, columns="census").table.num_rows == len(rows) - 1


def test_a_derived_column_names_the_header_the_sheet_has(tmp_path: Path) -> None:
    """A slip in a map's source header (大专 where the export says 专科) names the near one."""
    path = tmp_path / "qualifications.csv"
    path.write_text(
        "学校标识码,行政区划代码,学校类型,小学在校生数,专任教师>#按学历分>本科,专任教师>#按学历分>专科\n"
        "3201020001,320102,小学,500,20,5\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[derived]\nteachers_above_qualification_primary = { add = ["专任教师>#按学历分>本科", '
        '"专任教师>#按学历分>大专"] }\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        batch.read_schools(path, columns=mapping)
    assert "The table has '专任教师>#按学历分>专科'." in str(caught.value)


def test_a_derived_column_reads_each_header_in_its_unit(tmp_path: Path) -> None:
    """A map making equipment_value from two headers in 万元 (an office's account): each is
    read in ten thousands of yuan, as a column of its own would be. Before, the units were
    dropped and the sum read in yuan, ten thousand times too small."""
    path = tmp_path / "assets.csv"
    path.write_text(
        "学校标识码,行政区划代码,学校类型,小学在校生数,仪器设备（万元）,图书资产（万元）,专任教师（人）\n"
        "3201020001,320102,小学,500,12.5,3.25,30\n"
        "3201020002,320102,小学,400,8,,25\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[derived]\nequipment_value = { add = ["仪器设备", "图书资产"] }\n', encoding="utf-8"
    )
    read = batch.read_schools(path, columns=mapping)
    # 12.5 + 3.25 万元 = 157,500 元; the empty cell leaves the second school's sum empty.
    assert read.table.column("equipment_value").to_pylist() == [157500.0, None]
    used = {u.column: u for u in read.record.used}
    assert (used["equipment_value"].unit, used["equipment_value"].scale) == ("万元", 1e4)
    # A header whose unit does not fit the column is refused, as for a column of its own.
    mapping.write_text(
        '[derived]\nequipment_value = { add = ["仪器设备", "专任教师"] }\n', encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        batch.read_schools(path, columns=mapping)
    assert "the unit '人' does not fit column 'equipment_value'" in str(caught.value)


def test_county_codes_in_scientific_notation_are_named_as_such(tmp_path: Path) -> None:
    """A CSV saved by Excel with the 12-digit codes as 4.31102E+11: the digits are lost, and
    the message says so instead of suggesting county_digits, which cannot bring them back."""
    path = tmp_path / "excel_saved.csv"
    path.write_text(
        "学校标识码,行政区划代码,学校类型,小学在校生数\n"
        "3110200001,4.31102E+11,小学,500\n"
        "3110200002,431102,小学,400\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(path, "cn-quality-2017", county_digits=6)
    said = str(caught.value)
    assert "is written in scientific notation, as Excel shows long numbers" in said
    assert "(row 2) got '4.31102E+11'" in said
    assert "county_digits" not in said
    assert caught.value.message_zh is not None
    assert "科学计数法" in caught.value.message_zh


def test_a_header_of_two_stage_sheets_is_named_with_its_sheet(tmp_path: Path) -> None:
    """小学 and 初中 sheets both write 在校生数; a nine-year school on 小学 only lacks its
    junior enrollment: the refusal names the column as 初中!在校生数 (before: '在校生数', beside
    the 小学 row, where the cell holds the primary figure)."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "one_sheet_only.xlsx"
    book = xlsxwriter.Workbook(str(path))
    headers = ["学校标识码", "行政区划代码", "学校类型", "在校生数"]
    for name, rows in (
        (
            "小学",
            [
                ["3201020001", "320102", "九年一贯制学校", 520],
                ["3201020002", "320102", "小学", 300],
            ],
        ),
        ("初中", [["3201020003", "320102", "初级中学", 400]]),
    ):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, headers)
        for r, row in enumerate(rows, 1):
            sheet.write_row(r, 0, row)
    book.close()
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(path, "cn-quality-2017", sheet="all")
    said = str(caught.value)
    assert "column '初中!在校生数' must be a whole number" in said
    assert "'3201020001' (sheet '小学' row 2) got an empty cell" in said


def _merged_workbook(path: Path, merge: tuple[str, object]) -> None:
    """Two schools and a 合计 row merged over its first three cells, as offices write it, and
    one more merge (a range and its value)."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("基本情况")
    sheet.write_row(
        0, 0, ["学校标识码", "行政区划代码", "学校类型", "小学在校生数", "图书册数", "计算机台数"]
    )
    sheet.write_row(1, 0, ["2130123001", "130123", "小学", 600, 12000, 80])
    sheet.write_row(2, 0, ["2130123002", "130123", "小学", 400, 9000, 50])
    sheet.merge_range("A4:C4", "合计")
    sheet.write_row(3, 3, [1000, 21000, 130])
    sheet.merge_range(merge[0], merge[1])
    book.close()


def test_a_cell_merged_across_columns_fills_no_other_column(tmp_path: Path) -> None:
    """A total row merged over A:C and its figures merged over 图书册数 and 计算机台数: the
    schools' own cells are read as written (before, every school's 学校类型 and 行政区划代码
    took its id and its computers its books: the merge was copied down the whole columns,
    and validate said nothing), and the total row is set aside."""
    path = tmp_path / "merged_total.xlsx"
    _merged_workbook(path, ("E4:F4", 21130))
    read = batch.read_schools(path)
    table = read.table
    assert table.column("county_code").to_pylist() == ["130123", "130123"]
    assert table.column("kind").to_pylist() == ["小学", "小学"]
    assert table.column("books").to_pylist() == [12000, 9000]
    assert table.column("computers").to_pylist() == [80, 50]
    assert [(s.row, s.reason) for s in read.record.set_aside] == [(4, "total row")]


def test_a_school_row_with_a_cell_merged_across_read_columns_is_refused(tmp_path: Path) -> None:
    """A school's 图书册数 and 计算机台数 merged into one cell: one figure for two columns,
    which cannot be split. Refused, naming the row, the headers and the value (before: the
    figure was copied into the other column of every school, without a word)."""
    path = tmp_path / "merged_school.xlsx"
    _merged_workbook(path, ("E3:F3", 9000))
    with pytest.raises(DataError) as caught:
        batch.read_schools(path)
    said = str(caught.value)
    assert "row 3: the cells of '图书册数', '计算机台数' are one merged cell, holding '9000'" in (
        said
    )
    zh = caught.value.message_zh
    assert zh is not None
    assert "第 3 行：'图书册数'、'计算机台数' 是一个合并单元格，取值 '9000'" in zh


def test_what_was_read_accounts_for_every_header_and_row() -> None:
    """The two-row workbook: every header used or listed, every row a school or set aside
    with its row number and reason."""
    read = batch.read_schools(OFFICE / "two_row_headers.xlsx")
    record = read.record
    assert record.sheets[0].header_rows == (2, 3)
    assert sorted((s.row, s.reason) for s in record.set_aside) == [
        (4, "column numbers"),
        (15, "total row"),
        (16, "blank row"),
        (27, "total row"),
        (28, "blank row"),
        (29, "total row"),
    ]
    used = {u.header: (u.column, u.scale) for u in record.used}
    assert used["小学>在校生数"] == ("enrollment_primary", 1.0)
    assert used["初中>体育艺术专任教师数"] == ("teachers_pe_arts_junior", 1.0)
    assert used["教学仪器设备值\n（万元）"] == ("equipment_value", 10000.0)
    assert len(used) == 23
    assert record.counties == (("320102", 10), ("320104", 10))
    assert record.sheets[0].merged_cells_filled > 0
    zh = record.to_text("zh")
    assert "表头在第 2、3 行" in zh
    assert "第 29 行（合计行）" in zh


@pytest.mark.parametrize("mark", ["—", "——", "/", "／", "-", "－"])
def test_a_cell_that_says_no_data_is_an_empty_cell(tmp_path: Path, mark: str) -> None:
    """'—' or '/' in a cell is how offices write "no data": read as an empty cell. Refused as
    one by default, with the cell as written; with nulls="not_reported" the same tables as
    the file with those cells left empty."""
    lines = (OFFICE / "canonical.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    at = [header.index("books"), header.index("teachers_primary")]
    marked, empty = [lines[0]], [lines[0]]
    for k, line in enumerate(lines[1:]):
        cells = line.split(",")
        if k % 4 == 1 and cells[at[1]]:  # a school with the primary stage
            for i in at:
                cells[i] = f" {mark} "
        marked.append(",".join(cells))
        empty.append(",".join("" if c.strip() == mark else c for c in cells))
    (tmp_path / "marked.csv").write_text("\n".join(marked) + "\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("\n".join(empty) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        batch.evaluate_table(tmp_path / "marked.csv", "cn-basic-2012")
    said = str(info.value)
    assert "column 'books' is empty or says no data (—, /)" in said
    assert f"(row 3) got {mark!r}" in said
    assert "must be a number" not in said
    out = batch.evaluate_table(tmp_path / "marked.csv", "cn-basic-2012", nulls="not_reported")
    same = batch.evaluate_table(tmp_path / "empty.csv", "cn-basic-2012", nulls="not_reported")
    assert out.counties.equals(same.counties)
    assert out.schools.equals(same.schools)
    rows = out.schools.select(["school_id", "not_reported"]).to_pylist()
    said_no_data = {r["school_id"] for r in rows if r["not_reported"] == "teachers_primary,books"}
    assert said_no_data == {x.split(",")[0] for x in marked[1:] if mark in x}
    assert len(said_no_data) == 3


def test_class_sizes_that_say_no_data_or_are_not_sizes(tmp_path: Path) -> None:
    """A cell of class sizes that says no data ('—') is not reported, as an empty one is; a
    cell that is not sizes separated by ';' is refused naming its school, row and text (not
    the whole column at once), and is not refused again as empty."""
    path = tmp_path / "sizes.csv"
    path.write_text(
        "school_id,county_code,kind,enrollment_primary,class_sizes_primary\n"
        "A,990101,primary,100,45;46\n"
        "B,990101,primary,100, — \n"
        "C,990101,primary,100,45;四十\n"
        "D,990101,primary,100,45;;46\n"
        "E,990101,primary,100,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        batch.evaluate_table(path, "cn-quality-2017")
    said = str(info.value)
    assert (
        "column 'class_sizes_primary' must hold whole numbers separated by ';' (e.g. 45;44;46; "
        "；、， are read as ';'): 2 rows (school ids 'C' (row 4) got '45;四十', 'D' (row 5) got "
        "'45;;46')" in said
    )
    assert (
        "column 'class_sizes_primary' is empty or says no data (—, /) (pass nulls='not_reported'"
        ", --nulls not_reported on the command line, to treat empty cells as not reported): 2 "
        "rows (school ids 'B' (row 3) got '—', 'E' "
        "(row 6) got an empty cell)" in said
    )
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(
        path.read_text(encoding="utf-8").replace("45;四十", "45;40").replace("45;;46", "45;46"),
        encoding="utf-8",
    )
    out = batch.evaluate_table(fixed, "cn-quality-2017", nulls="not_reported")
    rows = out.schools.select(["school_id", "not_reported"]).to_pylist()
    assert {r["school_id"] for r in rows if r["not_reported"]} == {"B", "E"}


def test_empty_cells_beside_text_that_is_not_a_number() -> None:
    """An empty cell beside text that is not a number is called empty, not "says no data"
    (which is for a cell holding a dash or a slash)."""
    rows = [
        "school_id,county_code,kind,enrollment_primary,books",
        "A,990101,primary,100,九千",
        "B,990101,primary,100,",
    ]
    table = pa.csv.read_csv(pa.py_buffer("\n".join(rows).encode()))
    with pytest.raises(DataError) as info:
        batch.evaluate_table(table, "cn-basic-2012")
    said = str(info.value)
    assert "column 'books' must be a number: 1 row (school ids 'A' got '九千')" in said
    assert "column 'books' is empty (pass nulls='not_reported'" in said
    assert "no data" not in said


def test_a_csv_file_is_named_as_a_file() -> None:
    """A CSV file is a file, not a sheet (工作表), in what validate prints and in a report's
    section of what was read, which names it once; a workbook's sheet is a sheet."""
    from eduequity.report._reading import read_blocks

    record = batch.read_schools(OFFICE / "footer.csv").record
    assert record.sheets[0].csv
    assert "  文件 'footer.csv'：表头在第 1 行" in record.to_text("zh")
    assert "  file 'footer.csv': headers in row 1 " in record.to_text("en")
    assert "工作表" not in record.to_text("zh")
    said = [getattr(b, "text", "") for b in read_blocks(record, "zh")]
    assert said[1] == "从 footer.csv 读取 20 所学校，2 个县（区）。"
    assert "文件 'footer.csv'：表头在第 1 行。" in said
    said = [getattr(b, "text", "") for b in read_blocks(record, "en")]
    assert "File 'footer.csv': headers in row 1." in said
    book = batch.read_schools(OFFICE / "two_row_headers.xlsx").record
    assert not book.sheets[0].csv
    assert f"  工作表 {book.sheets[0].name!r}：表头在第 2、3 行" in book.to_text("zh")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["empty_county_code.csv"], ["'行政区划代码' is empty", "'3201020004' (row 5)"]),
        (
            ["township_codes.csv"],
            ["6-digit", "--county-digits 6", "(row 2) got '320102001002'"],
        ),
        (["ragged.csv"], ["line 7 has 21 fields where the header has 23"]),
        (["csv_named.xlsx"], ["is named .xlsx but is text (CSV?)"]),
        (
            ["equipment_in_wanyuan.csv"],
            ["'教学仪器设备值' is under 1 yuan per pupil: is it in 万元?", "got 384.1385"],
        ),
        (["wrong_unit.csv"], ["'图书册数（平方米）'", "'平方米' does not fit column 'books'"]),
        (
            ["stage_sheets_conflict.xlsx", "--sheet", "all"],
            [
                "'3201020009' is on two sheets",
                "sheet '小学' row 7",
                "sheet '初中' row 5",
                "'图书册数（册）' is the whole school's figure: write the school's total on both",
            ],
        ),
        (["census_export.csv"], ["'在校生数>合计'", "columns census"]),
    ],
)
def test_a_broken_office_file_exits_2_naming_row_header_and_value(
    args: list[str],
    said: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each broken file exits 2 with a message naming what is wrong where."""
    monkeypatch.chdir(OFFICE)
    assert main(["validate", *args]) == 2
    err = capsys.readouterr().err
    for fragment in said:
        assert fragment in err
    assert "Traceback" not in err


def test_a_near_header_is_a_warning_naming_the_header_it_probably_meant(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """图书数量 is not a known header: listed as not used, with the header to write (图书册数);
    the books indicators of 2012 are counted as not evaluated (exit 2), none of 2017's. The
    file has no class sizes, staff or rooms: the checks that need them are counted too."""
    monkeypatch.chdir(OFFICE)
    assert main(["validate", "near_header.csv", "--nulls", "not_reported"]) == 2
    out = capsys.readouterr().out
    assert "warning: header '图书数量' was not used; did you mean '图书册数'?" in out
    assert (
        "2 of the 16 indicators of cn-basic-2012 (by stage) will not be evaluated: their "
        "columns are missing:" in out
    )
    assert (
        "  - primary 生均图书册数 (books_per_student): no column 'books'; write the header "
        "'图书册数', or map yours: columns={'your header': 'books'} (--columns)" in out
    )
    assert out.splitlines()[-1] == (
        "near_header.csv: 20 schools in 2 counties; what cannot be evaluated (columns "
        "missing): 2 of 16 indicators and 4 of 4 school checks under cn-basic-2012, 8 of 8 "
        "school checks under cn-quality-2017."
    )
    assert "no problems found" not in out
    args = ["validate", "near_header.csv", "--nulls", "not_reported"]
    assert main([*args, "--standard", "cn-quality-2017"]) == 2
    out = capsys.readouterr().out
    assert "of the 14 indicators" not in out  # every 2017 indicator has its column
    assert out.splitlines()[-1].endswith(
        "what cannot be evaluated (columns missing): 8 of 8 school checks under cn-quality-2017."
    )


def test_a_pandas_column_with_a_dash_names_the_school_header_and_value() -> None:
    """A '—' among numbers in a pandas column says "no data": a DataError naming the school,
    the header as written and the value by default, the school's figure not reported with
    nulls="not_reported"; other text is not a number (never Arrow's exception)."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "学校标识码": ["0001", "0002"],
            "行政区划代码": ["320102", "320102"],
            "学校类型": ["小学", "小学"],
            "小学在校生数": [300, 200],
            "图书册数": [9000, "—"],
        }
    )
    with pytest.raises(DataError) as info:
        batch.evaluate_table(frame, "cn-basic-2012")
    assert "column '图书册数' is empty or says no data (—, /)" in str(info.value)
    assert ": 1 row (school ids '0002' got '—')" in str(info.value)
    out = batch.evaluate_table(frame, "cn-basic-2012", nulls="not_reported")
    assert out.schools.column("not_reported").to_pylist() == [None, "books"]
    frame["图书册数"] = [9000, "九千"]
    with pytest.raises(
        DataError,
        match="column '图书册数' must be a number: 1 row \\(school ids '0002' got '九千'\\)",
    ):
        batch.evaluate_table(frame, "cn-basic-2012", nulls="not_reported")


def test_a_polars_frame_with_the_forms_headers_and_units() -> None:
    """A polars frame with the forms' headers and a unit in 万元 reads like the file."""
    pl = pytest.importorskip("polars")
    read = batch.read_schools(OFFICE / "two_row_headers.xlsx")
    frame = pl.from_arrow(
        read.table.rename_columns(
            [
                {"equipment_value": "教学仪器设备值（万元）"}.get(c, c)
                for c in read.table.column_names
            ]
        )
    )
    assert isinstance(frame, pl.DataFrame)
    frame = frame.with_columns(pl.col("教学仪器设备值（万元）") / 10000)
    out = batch.evaluate_table(frame, "cn-quality-2017")
    assert assert_numbers_equal(out, canonical_counties(), "cn-quality-2017") == 28


def test_a_blank_row_and_a_total_row_in_a_frame_are_set_aside() -> None:
    """A frame read from a workbook by pandas keeps its 合计 row: it is set aside, and said."""
    table = pa.table(
        {
            "学校标识码": ["0001", None, "合计"],
            "行政区划代码": ["320102", None, None],
            "学校类型": ["小学", None, None],
            "小学在校生数": [300, None, 300],
        }
    )
    read = batch.read_schools(table)
    assert read.table.num_rows == 1
    assert [(s.row, s.reason) for s in read.record.set_aside] == [
        (2, "blank row"),
        (3, "total row"),
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["empty_county_code.csv"], ["列 '行政区划代码' 为空", "'3201020004'（第 5 行）"]),
        (["township_codes.csv"], ["6 位行政区划代码", "--county-digits 6", "取值 '320102001002'"]),
        (["ragged.csv"], ["第 7 行有 21 个字段，表头有 23 个"]),
        (["csv_named.xlsx"], ["内容却是文本（CSV？）"]),
        (["wrong_unit.csv"], ["单位 '平方米' 与列 'books' 不符"]),
        (
            ["stage_sheets_conflict.xlsx", "--sheet", "all"],
            ["工作表 '小学' 第 7 行", "工作表 '初中' 第 5 行"],
        ),
    ],
)
def test_a_broken_office_file_is_refused_in_chinese_under_lang_zh(
    args: list[str],
    said: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under --lang zh the refusal is in Chinese, with the header as written and the row."""
    monkeypatch.chdir(OFFICE)
    assert main(["validate", *args, "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    for fragment in said:
        assert fragment in err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_report_of_a_file_ends_with_what_was_read(lang: str) -> None:
    """The report of a workbook says what was read: its headers and the rows set aside."""
    from eduequity.report import render

    out = batch.evaluate_table(OFFICE / "two_row_headers.xlsx", "cn-quality-2017")
    for fmt in ("text", "md", "html"):
        text = render(out, fmt, lang)
        assert ("读取情况" if lang == "zh" else "What was read") in text
        assert "小学&gt;在校生数" in text if fmt == "html" else "小学>在校生数" in text
        assert ("合计行" if lang == "zh" else "total row") in text


def test_plan_takes_an_office_file_as_evaluate_table_does() -> None:
    """ee.plan on a workbook is the plan of every county of it, read with the same options:
    the same additions as batch.plan_table on the same file."""
    import eduequity as ee

    via_plan = ee.plan(OFFICE / "stage_sheets.xlsx", "cn-quality-2017", sheet="all")
    via_table = batch.plan_table(OFFICE / "stage_sheets.xlsx", "cn-quality-2017", sheet="all")
    assert via_plan.additions.equals(via_table.additions)
    with pytest.raises(DataError, match="a County is read already"):
        ee.plan(ee.datasets.sample_county(), "cn-quality-2017", sheet="all")


def test_validate_says_which_cells_it_accepts_as_not_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --nulls not_reported, validate lists the empty cells (and the cells saying no
    data) it accepts, per column as written, with how many schools and which: none is
    accepted without a line."""
    path = tmp_path / "marked.csv"
    path.write_text(
        "学校标识码,行政区划代码,学校类型,小学在校生数,小学专任教师数,图书册数\n"
        "0001,990101,小学,100,10,—\n"
        "0002,990101,小学,200,12,/\n"
        "0003,990101,小学,300,,3000\n",
        encoding="utf-8",
    )
    main(["validate", str(path), "--nulls", "not_reported"])
    out = capsys.readouterr().out
    assert "Empty cells (or cells saying no data) accepted as not reported" in out
    assert "  - column '图书册数': 2 schools ('0001', '0002')" in out
    assert "  - column '小学专任教师数': 1 school ('0003')" in out
    main(["validate", str(path), "--nulls", "not_reported", "--lang", "zh"])
    assert "  - 列 '图书册数'：2 所学校（'0001', '0002'）" in capsys.readouterr().out
    main(["validate", str(OFFICE / "canonical.csv"), "--nulls", "not_reported"])
    assert "accepted as not reported" not in capsys.readouterr().out


def test_books_in_ten_thousands_under_the_short_header() -> None:
    """图书（万册）, as forms write the books in ten thousands of volumes, is the books column
    times 10,000 (like 图书册数（万册）)."""
    table = pa.table(
        {
            "学校标识码": ["0001"],
            "行政区划代码": ["990101"],
            "学校类型": ["小学"],
            "小学在校生数": [100],
            "图书（万册）": [0.5],
        }
    )
    read = batch.read_schools(table)
    assert read.table.column("books").to_pylist() == [5000.0]
    assert [(u.header, u.column, u.unit) for u in read.record.used][-1] == (
        "图书（万册）",
        "books",
        "万册",
    )


@pytest.mark.parametrize("units", [("人", "平方米", "万元"), ("（人）", "(平方米)", "（万元）")])
def test_a_row_of_units_under_the_headers_is_their_units(
    tmp_path: Path, units: tuple[str, str, str]
) -> None:
    """A row of units under the headers (人 | 平方米 | 万元, as offices write it, or each in
    parentheses) is part of the header, not a school: each column is read in its unit, so the
    equipment in 万元 is ten thousand yuan. Before, the bare row was read as a school without an
    id and the file refused with a message per column. A unit that does not fit its column
    (万元 under the area) is still refused."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "units.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校情况")
    headers = ["学校标识码", "行政区划代码", "学校类型", "小学在校生数", "体育运动场馆面积"]
    headers.append("教学仪器设备值")
    sheet.write_row(0, 0, ["XX县2024年义务教育学校办学条件统计表"])
    sheet.write_row(1, 0, headers)
    sheet.write_row(2, 3, list(units))
    sheet.write_row(3, 0, ["4105230001", "410523", "小学", 1139, 10434, 389.5666])
    sheet.write_row(4, 0, ["4105230002", "410523", "小学", 782, 5209, 231.0509])
    book.close()
    read = batch.read_schools(path)
    assert read.table.column("equipment_value").to_pylist() == pytest.approx([3895666, 2310509])
    assert read.table.column("sports_area").to_pylist() == [10434, 5209]
    assert read.table.column("school_id").to_pylist() == ["4105230001", "4105230002"]
    used = {u.column: (u.unit, u.scale) for u in read.record.used}
    assert used["equipment_value"] == ("万元", 1e4)
    assert used["enrollment_primary"] == ("人", 1.0)
    assert "row 2, 3" in read.record.to_text("en")  # the header: two rows
    # 万元 under an area is refused, naming the header as written.
    sheet_units = (units[0], units[2], units[2])
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校情况")
    sheet.write_row(0, 0, headers)
    sheet.write_row(1, 3, list(sheet_units))
    sheet.write_row(2, 0, ["4105230001", "410523", "小学", 1139, 10434, 389.5666])
    book.close()
    with pytest.raises(DataError) as caught:
        batch.read_schools(path)
    assert "does not fit column 'sports_area'" in str(caught.value)


@pytest.mark.parametrize("cell", ["+45;46", "٤٥;46", "45 46", "45;4.5", "1" * 19])
def test_class_sizes_arrow_cannot_read_are_refused_by_school(tmp_path: Path, cell: str) -> None:
    """Text that Arrow's integer reading refuses (a plus sign, other digits, a space inside, a
    decimal, more digits than an integer holds) is refused naming the school, never raised as
    Arrow's error."""
    path = tmp_path / "sizes.csv"
    path.write_text(
        "school_id,county_code,kind,enrollment_primary,class_sizes_primary\n"
        f"A,990101,primary,100,{cell}\nB,990101,primary,100,45;46\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    assert f"1 row (school ids 'A' (row 2) got {cell!r})" in str(info.value)


def test_class_sizes_with_the_separators_offices_write(tmp_path: Path) -> None:
    """45；45、45 and 45，45 (full-width semicolon and comma, 、) are the sizes as 45;45;45 and
    45;45; a plain comma is refused (1,045 may be a number), saying which separators work."""
    path = tmp_path / "separators.csv"
    path.write_text(
        "学校标识码,行政区划代码,学校类型,小学在校生数,小学班额\n"
        '3201020001,320102,小学,135,"45；44、46"\n'
        '3201020002,320102,小学,90,"45，45"\n',
        encoding="utf-8",
    )
    out = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    assert out.evaluation.columns.class_sizes[ee.Stage.PRIMARY].values.tolist() == [
        45,
        44,
        46,
        45,
        45,
    ]
    path.write_text(
        path.read_text(encoding="utf-8") + '3201020003,320102,小学,90,"45,45"\n', encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    assert "separated by ';' (e.g. 45;44;46; ；、， are read as ';')" in str(caught.value)
    assert "(row 4) got '45,45'" in str(caught.value)


def test_a_total_or_a_label_merged_across_the_row_is_set_aside(tmp_path: Path) -> None:
    """合计 merged over 片区, 学校标识码 and 学校名称 (from the fourth column) is a total row,
    and 一、城区学校 merged across the whole row is a label of the rows under it: both set
    aside with their reason (the total was refused as a school's merged figure)."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "sections.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("基本情况")
    sheet.write_row(
        0, 0, ["行政区划代码", "学校类型", "乡镇", "片区", "学校标识码", "学校名称", "小学在校生数"]
    )
    sheet.merge_range("A2:G2", "一、城区学校")
    sheet.write_row(2, 0, ["130123", "小学", "城关", "一片", "2130123001", "第1小学", 600])
    sheet.write_row(3, 0, ["130123", "小学", "城关", "一片", "2130123002", "第2小学", 400])
    sheet.merge_range("D5:F5", "合计")
    sheet.write_row(4, 6, [1000])
    book.close()
    read = batch.read_schools(path)
    assert read.table.column("school_id").to_pylist() == ["2130123001", "2130123002"]
    assert [(s.row, s.reason) for s in read.record.set_aside] == [
        (2, "label row"),
        (5, "total row"),
    ]
    assert "第 2 行（分类标题行（如 一、城区学校））" in read.record.to_text("zh")


def test_a_section_heading_in_one_cell_is_set_aside(tmp_path: Path) -> None:
    """一、城区学校 alone in the first cell right under a two-row header, and 二、乡镇学校 in a
    row the county code is merged down over, are labels of the schools under them: the header
    stays two rows, both rows are set aside as label rows, and the schools are read. A row
    with a school's name and no id is still refused, naming the row."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "sections.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("办学条件")
    sheet.write_row(0, 0, ["XX县2024年义务教育学校办学条件统计表"])
    sheet.write_row(1, 0, ["序号", "学校标识码", "学校名称", "行政区划代码", "学校类型", "小学"])
    sheet.write_row(2, 5, ["在校生数（人）"])
    sheet.write_row(3, 0, ["一、城区学校"])
    sheet.write_row(4, 0, [1, "4105230001", "第1小学", None, "小学", 425])
    sheet.write_row(5, 0, [2, "4105230002", "第2小学", None, "小学", 1394])
    sheet.write_row(6, 0, ["（二）乡镇学校"])
    sheet.write_row(7, 0, [3, "4105230003", "第3小学", None, "小学", 930])
    sheet.merge_range("D5:D8", "410523")
    book.close()
    read = batch.read_schools(path)
    assert read.table.column("school_id").to_pylist() == ["4105230001", "4105230002", "4105230003"]
    assert read.table.column("enrollment_primary").to_pylist() == [425, 1394, 930]
    assert [(s.row, s.reason, s.text.split()[0]) for s in read.record.set_aside] == [
        (4, "label row", "一、城区学校"),
        (7, "label row", "（二）乡镇学校"),
    ]
    assert "row 2, 3" in read.record.to_text("en")  # the header: two rows, not three
    # A school's row without its id is no heading: refused, naming the row.
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("办学条件")
    sheet.write_row(0, 0, ["学校标识码", "学校名称", "行政区划代码", "学校类型", "小学在校生数"])
    sheet.write_row(1, 0, ["4105230001", "第1小学", "410523", "小学", 425])
    sheet.write_row(2, 1, ["第9小学"])
    book.close()
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(path, "cn-basic-2012")
    assert "no school id, row 3" in str(caught.value)


@pytest.mark.parametrize(
    ("cells", "heading"),
    [
        (["一、城区学校"], True),
        (["（二）乡镇学校", None], True),
        (["(3) 教学点"], True),
        (["3. 教学点"], True),
        (["十一、农村学校"], True),
        (["农村学校"], True),
        (["城区："], True),
        (["一、城区学校", "一、城区学校", "一、城区学校"], True),  # merged and filled
        (["第9小学"], False),
        (["1.5"], False),
        (["12"], False),
        (["一、城区学校", "410523"], False),
        (["城关镇中心小学"], False),
        (["合计"], False),
        ([None, ""], False),
    ],
)
def test_section_headings(cells: list[str | None], heading: bool) -> None:
    from eduequity.batch._layout import section_heading

    assert section_heading(cells) is heading


def test_a_figure_in_yuan_under_a_header_in_wan_yuan_is_refused(tmp_path: Path) -> None:
    """One school's equipment written in 元 under 教学仪器设备值（万元） (ten thousand times too
    much) is refused naming the school and its row; the same file with the figure in 万元 is
    read (the other schools' 160 and 140 万元 are 3,200 and 2,000 yuan per pupil)."""
    rows = [
        ["学校标识码", "行政区划代码", "学校类型", "小学在校生数", "教学仪器设备值（万元）"],
        ["4105239001", "410523", "小学", "500", "160"],
        ["4105239002", "410523", "小学", "700", "140"],
        ["4105239003", "410523", "小学", "500", "1000000"],
    ]
    path = tmp_path / "equipment.csv"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    said = str(caught.value)
    assert "over 10,000,000 yuan per pupil read in 万元: is the cell in 元?" in said
    assert "'4105239003' (row 4)" in said
    assert "4105239001" not in said
    rows[3][4] = "100"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    out = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    values = out.schools.column("value_equipment_value_per_student").to_pylist()
    assert values == pytest.approx([3200.0, 2000.0, 2000.0])
    # A village school of one pupil holding 1.2 million yuan is a school, not a slip: read,
    # through a file in 万元 and through the objects (no header, no unit to doubt).
    rows[3][3:5] = ["1", "120"]
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    out = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    assert out.schools.column("value_equipment_value_per_student").to_pylist()[2] == 1.2e6
    sample = ee.datasets.sample_county()
    first = sample.schools[0]
    assert first.primary is not None
    tiny = attrs.evolve(
        first, primary=attrs.evolve(first.primary, enrollment=1), equipment_value=1.2e6
    )
    county = attrs.evolve(sample, schools=(tiny, *sample.schools[1:]))
    assert ee.evaluate(county, "cn-quality-2017").status is not None


def test_the_names_other_forms_give_the_same_figures(tmp_path: Path) -> None:
    """小学在校学生数, 小学专任教师, 教学仪器设备总值（万元） and 计算机数（台） are read as the
    columns they name; 运动场地面积 (not 体育运动场馆面积) is not."""
    rows = [
        [
            "学校标识码",
            "行政区划代码",
            "学校类型",
            "小学在校学生数",
            "小学专任教师",
            "教学仪器设备总值（万元）",
            "计算机数（台）",
            "运动场地面积",
        ],
        ["4105239001", "410523", "小学", "800", "44", "160", "120", "6000"],
    ]
    path = tmp_path / "variants.csv"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    read = batch.read_schools(path)
    row = read.table.to_pylist()[0]
    assert row["enrollment_primary"] == 800
    assert row["teachers_primary"] == 44
    assert row["equipment_value"] == 1_600_000
    assert row["computers"] == 120
    assert "sports_area" not in row
    assert [u.header for u in read.record.unused] == ["运动场地面积"]


def _sponsor_file(tmp_path: Path, county_run: bool = False) -> Path:
    """Three primary schools, one run by the city (举办者 = 市教育局), said in words only
    (or also in 是否县属 and 是否公办 with ``county_run``)."""
    rows = [
        ["学校标识码", "行政区划代码", "学校类型", "举办者", "小学在校生数", "小学专任教师数"],
        ["4105239001", "410523", "小学", "县教育局", "800", "44"],
        ["4105239002", "410523", "小学", "县教育局", "700", "40"],
        ["4105239003", "410523", "小学", "市教育局", "500", "36"],
    ]
    if county_run:
        for row, said in zip(rows, ["是否县属", "是", "是", "否"], strict=True):
            row.append(said)
        for row, said in zip(rows, ["是否公办", "是", "是", "是"], strict=True):
            row.append(said)
    path = tmp_path / ("sponsors_said.csv" if county_run else "sponsors.csv")
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    return path


def test_who_runs_a_school_in_words_is_not_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """举办者 says a school is the city's, in words eduequity does not read: under 2012, whose
    scope is the county's public schools, every door refuses the table without 是否县属,
    naming the header; 2017 (no such scope) evaluates it, listing the header with why it is
    not read. With 是否县属 and 是否公办 the city's school is out of the 2012 scope (with
    是否县属 alone the table is still refused: 举办者 may say 民办); a column map that says
    every school is the county's lets the table through."""
    path = _sponsor_file(tmp_path)
    for call in (batch.evaluate_table, batch.plan_table, batch.equity_table):
        with pytest.raises(DataError) as caught:
            call(path, "cn-basic-2012")
        assert "table says who runs each school in '举办者'" in str(caught.value)
        assert "'举办者' 说明学校由谁举办" in caught.value.in_language("zh")
    with pytest.raises(DataError):
        ee.monitor({2023: path, 2024: path}, "cn-basic-2012")
    out = batch.evaluate_table(path, "cn-quality-2017")
    assert out.counties.num_rows == 2
    assert out.read is not None
    [unused] = out.read.unused
    assert (unused.header, unused.scope) == ("举办者", True)
    assert "是否县属" in unused.reason_in("zh")
    assert main(["validate", str(path)]) == 2
    said = capsys.readouterr().out
    assert "the scope under cn-basic-2012" in said
    # Said in 是否县属: the city's school is set aside with its reason.
    out = batch.evaluate_table(_sponsor_file(tmp_path, county_run=True), "cn-basic-2012")
    reasons = out.schools.column("reason").to_pylist()
    assert reasons == [None, None, "not_county_run"]
    # Or every school is the county's, as the user says in a column map.
    ignore = {"ignore": {"举办者": "every school is run by the county's education bureau"}}
    out = batch.evaluate_table(path, "cn-basic-2012", columns=ignore)
    assert out.schools.column("included").to_pylist() == [True, True, True]


def test_a_site_counted_within_its_parent_is_said_so(tmp_path: Path) -> None:
    """是否计校数, which eduequity does not read, is listed with why: each row is evaluated as
    the school its kind says, and what to do where the office counts a site in its parent."""
    rows = [
        ["学校标识码", "行政区划代码", "学校类型", "是否计校数", "小学在校生数"],
        ["4105239001", "410523", "小学", "1", "800"],
        ["4105239002", "410523", "小学", "0", "120"],
    ]
    path = tmp_path / "sites.csv"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    read = batch.read_schools(path)
    [unused] = read.record.unused
    assert unused.header == "是否计校数"
    assert "evaluated as the school its kind says" in unused.reason_in("en")
    assert "并入所属学校的行" in unused.reason_in("zh")
    assert "并入所属学校的行" in read.record.to_text("zh")


def test_one_figure_for_a_school_of_two_stages_names_the_school(tmp_path: Path) -> None:
    """A census export's 在校生数>合计 for a nine-year school (one number, two stages) is
    refused naming the school and its row, not only their count."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "census.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校")
    sheet.write_row(0, 0, ["学校（机构）标识码", "行政区划代码", "办学类型", "在校生数"])
    sheet.write_row(1, 0, [None, None, None, "合计"])
    sheet.write_row(2, 0, ["2105270001", "210527", "小学", 600])
    sheet.write_row(3, 0, ["2105270031", "210527", "九年一贯制学校", 900])
    book.close()
    with pytest.raises(DataError) as caught:
        batch.read_schools(path, columns="census")
    assert "(1 school(s): '2105270031' (row 4))" in str(caught.value)
    assert "'2105270031'（第 4 行）" in caught.value.in_language("zh")


def test_the_title_above_the_headers_is_read_and_shown(tmp_path: Path) -> None:
    """The rows above the headers (the table's title, 填报单位) are in what was read, and the
    report says the data's file and title under the standard, where a superior reads the
    county and the year; a file without a title has no such line."""
    from eduequity.report import render

    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "汤阴县.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("办学条件")
    sheet.merge_range("A1:E1", "汤阴县2024年义务教育学校办学条件统计表")
    sheet.write_row(1, 0, ["填报单位（盖章）：汤阴县教育局", None, None, "统计时点：9月1日"])
    sheet.write_row(
        2, 0, ["学校标识码", "行政区划代码", "学校类型", "小学在校生数", "小学专任教师数"]
    )
    sheet.write_row(3, 0, ["4105230001", "410523", "小学", 425, 23])
    sheet.write_row(4, 0, ["4105230002", "410523", "小学", 1394, 69])
    book.close()
    out = batch.evaluate_table(path, "cn-basic-2012")
    assert out.read is not None
    assert out.read.sheets[0].titles == (
        "汤阴县2024年义务教育学校办学条件统计表",
        "填报单位（盖章）：汤阴县教育局 统计时点：9月1日",
    )
    assert out.read.title == "汤阴县2024年义务教育学校办学条件统计表"
    assert "表头以上：汤阴县2024年义务教育学校办学条件统计表；填报单位" in out.read.to_text("zh")
    page = render(out, "md", lang="zh")
    assert "数据：汤阴县.xlsx（汤阴县2024年义务教育学校办学条件统计表）" in page
    assert page.index("标准：") < page.index("数据：") < page.index("县（区）")
    summary = render(out, "text", lang="en")
    assert "Data: 汤阴县.xlsx (汤阴县2024年义务教育学校办学条件统计表)" in summary
    plain = tmp_path / "plain.csv"
    plain.write_text("学校标识码,行政区划代码,学校类型,小学在校生数\n1,410523,小学,400\n", "utf-8")
    assert "数据：" not in render(batch.evaluate_table(plain, "cn-basic-2012"), "md", lang="zh")


@pytest.mark.parametrize("header", ["举办者（单位）", "学校举办者类型", "举办主体", "办学主体"])
def test_who_runs_a_school_under_other_headers(tmp_path: Path, header: str) -> None:
    """The headers offices give who runs a school, written alone or under a label above them
    (学校信息 > 举办者), are each refused under 2012 without 是否县属 and 是否公办."""
    path = _sponsor_file(tmp_path)
    text = path.read_text(encoding="utf-8").replace("举办者", header, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="says who runs each school"):
        batch.evaluate_table(path, "cn-basic-2012")


def test_who_runs_a_school_under_a_label(tmp_path: Path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "label.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校")
    sheet.merge_range("A1:D1", "学校信息")
    sheet.write_row(0, 4, ["小学"])
    sheet.write_row(1, 0, ["学校标识码", "行政区划代码", "学校类型", "举办者", "在校生数"])
    sheet.write_row(2, 0, ["4105239001", "410523", "小学", "市教育局", 500])
    book.close()
    with pytest.raises(DataError, match=r"says who runs each school in '(学校信息>)?举办者'"):
        batch.evaluate_table(path, "cn-basic-2012")


@pytest.mark.parametrize("name", ["1.城关小学", "（3）城关小学", "二、城关二小", "城区小学"])
def test_a_school_by_its_name_alone_is_refused_not_a_heading(tmp_path: Path, name: str) -> None:
    """A school's row with its name and nothing else (no id) is refused naming its row, even
    where the name reads like a section heading: a heading is never read in the name column."""
    rows = [
        "学校标识码,学校名称,行政区划代码,学校类型,小学在校生数",
        "4105230001,第1小学,410523,小学,425",
        f",{name},,,",
    ]
    path = tmp_path / "names.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(path, "cn-basic-2012")
    assert f"no school id, row 3 {name!r}" in str(caught.value)


@pytest.mark.parametrize("label", ["在校生数", "教职工", "专任教师数"])
def test_a_total_beside_the_stages_figures_is_not_read(tmp_path: Path, label: str) -> None:
    """A label over 合计 | 小学 | 初中 gives each stage's figure from its own column; the total
    is listed as not read (before, 在校生数 > 合计 beside 在校生数 > 小学 was refused as two
    headers of one column). A one-stage school whose total differs from its stage's figure is
    refused naming it."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "stages.xlsx"
    enrolled = label == "在校生数"
    heads = ["学校标识码", "行政区划代码", "学校类型"]
    heads += [] if enrolled else ["小学在校生数", "初中在校生数"]
    first = len(heads)

    def write(rows: list[list[Any]]) -> None:
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("学校")
        sheet.write_row(0, 0, heads)
        sheet.merge_range(0, first, 0, first + 2, label)
        sheet.write_row(1, first, ["合计", "小学", "初中"])
        for k, row in enumerate(rows):
            sheet.write_row(2 + k, 0, row)
        book.close()

    pupils: list[list[Any]] = [[], []] if enrolled else [[600, None], [300, 200]]
    write(
        [
            ["1", "410523", "小学", *pupils[0], 40, 40, None],
            ["2", "410523", "九年一贯制学校", *pupils[1], 50, 30, 20],
        ]
    )
    read = batch.read_schools(path)
    column = {"在校生数": "enrollment", "教职工": "staff", "专任教师数": "teachers"}[label]
    assert read.table.column(f"{column}_primary").to_pylist() == [40, 30]
    assert read.table.column(f"{column}_junior").to_pylist() == [None, 20]
    assert f"{label}>合计" in [u.header for u in read.record.unused]
    write([["1", "410523", "小学", *pupils[0], 41, 40, None]])
    with pytest.raises(DataError, match="give different figures"):
        batch.read_schools(path)


@pytest.mark.parametrize(
    ("style", "shown"),
    [
        ({"num_format": "yyyy-mm-dd"}, "2024-09-01"),
        ({"num_format": 'yyyy"年"m"月"d"日"'}, "2024-09-01"),
        ({"num_format": 14}, "2024-09-01"),  # Excel's built-in short date
        ({"num_format": "0.00"}, "45536"),  # a number, not a date: as written
    ],
)
def test_a_date_in_a_title_row_is_the_date_excel_shows(
    tmp_path: Path, style: dict[str, object], shown: str
) -> None:
    """A date cell above the headers (统计时点：2024-09-01) is read as the date Excel shows, not
    as the day count Excel keeps (45536); a number in a number format stays the number."""
    import datetime

    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "dated.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校")
    sheet.write(0, 0, "统计时点：")
    sheet.write_datetime(0, 1, datetime.datetime(2024, 9, 1), book.add_format(style))
    sheet.write_row(1, 0, ["学校标识码", "行政区划代码", "学校类型", "小学在校生数"])
    sheet.write_row(2, 0, ["4105230001", "410523", "小学", 425])
    book.close()
    read = batch.read_schools(path)
    assert read.record.sheets[0].titles == (f"统计时点： {shown}",)


def test_labels_over_the_headers_are_no_title(tmp_path: Path) -> None:
    """A row of labels over groups of headers (基本信息 | 办学条件) above a one-row header is in
    what was read, but is no title: the report names none."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "labels.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校")
    sheet.write_row(0, 0, ["基本信息", None, None, "办学条件"])
    sheet.write_row(1, 0, ["学校标识码", "行政区划代码", "学校类型", "小学在校生数"])
    sheet.write_row(2, 0, ["4105230001", "410523", "小学", 425])
    book.close()
    read = batch.read_schools(path)
    assert read.record.sheets[0].titles in ((), ("基本信息 办学条件",))
    assert read.record.title is None


def test_a_figure_in_yuan_under_a_label_in_wan_yuan_is_refused(tmp_path: Path) -> None:
    """The unit written on a label above the header (资产（万元） > 教学仪器设备值) is the
    header's: a cell in 元 under it is refused as under 教学仪器设备值（万元）."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "label_unit.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校")
    sheet.write_row(
        0, 0, ["学校标识码", "行政区划代码", "学校类型", "小学在校生数", "资产（万元）"]
    )
    sheet.write_row(1, 4, ["教学仪器设备值"])
    sheet.write_row(2, 0, ["4105239001", "410523", "小学", 500, 160])
    sheet.write_row(3, 0, ["4105239003", "410523", "小学", 500, 1000000])
    book.close()
    assert batch.read_schools(path).table.column("equipment_value").to_pylist()[0] == 1_600_000
    with pytest.raises(DataError, match="over 10,000,000 yuan per pupil read in 万元"):
        batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")


def test_a_school_in_a_row_hidden_in_excel_is_refused(tmp_path: Path) -> None:
    """An office hides a school it took out (原东关小学（已停办）) as often as one it keeps: a
    hidden row that would be read as a school is refused, naming its row, id and name, with
    what to do; a hidden blank row is set aside as any blank row."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "hidden.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学校")
    sheet.write_row(0, 0, ["学校标识码", "学校名称", "行政区划代码", "学校类型", "小学在校生数"])
    sheet.write_row(1, 0, ["4105230001", "城关第一小学", "410523", "小学", 600])
    sheet.write_row(2, 0, ["4105230006", "原东关小学（已停办）", "410523", "小学", 200])
    sheet.set_row(2, None, None, {"hidden": True})
    sheet.set_row(3, None, None, {"hidden": True})  # blank and hidden
    sheet.write_row(4, 0, ["4105230002", "城关第二小学", "410523", "小学", 400])
    book.close()
    with pytest.raises(DataError) as caught:
        batch.read_schools(path)
    assert "row 3 '4105230006 原东关小学（已停办）'" in str(caught.value)
    assert "第 3 行（4105230006 原东关小学（已停办））" in caught.value.in_language("zh")
    assert "取消隐藏" in caught.value.in_language("zh")


def test_a_column_hidden_in_excel_is_said_and_refused_where_it_would_be_read(
    tmp_path: Path,
) -> None:
    """A column hidden in Excel is never read in silence: one no column takes (last year's
    小学在校生数（2023年）) is listed as not used and hidden; one that would fill a column is
    refused, naming its letter and header, with what to do."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "hidden_columns.xlsx"

    def book(extra: str) -> None:
        b = xlsxwriter.Workbook(str(path))
        sheet = b.add_worksheet("学校")
        sheet.write_row(0, 0, ["学校标识码", "行政区划代码", "学校类型", "小学在校生数", extra])
        sheet.write_row(1, 0, ["4105230001", "410523", "小学", 600, 583])
        sheet.write_row(2, 0, ["4105230002", "410523", "小学", 400, 391])
        sheet.set_column("E:E", None, None, {"hidden": True})
        b.close()

    book("小学在校生数（2023年）")
    read = batch.read_schools(path)
    assert read.table.column("enrollment_primary").to_pylist() == [600, 400]
    assert "not used: header '小学在校生数（2023年）' (a column hidden in Excel)" in (
        read.record.to_text("en")
    )
    assert "未使用：表头 '小学在校生数（2023年）'（Excel 中隐藏的列）" in read.record.to_text("zh")
    book("图书册数")
    with pytest.raises(DataError) as caught:
        batch.read_schools(path)
    assert "column E '图书册数' is hidden in Excel and would be read as 'books'" in str(
        caught.value
    )
    assert "第 E 列 '图书册数' 在 Excel 中隐藏" in caught.value.in_language("zh")
    # The same workbook with the column shown is read.
    b = xlsxwriter.Workbook(str(path))
    sheet = b.add_worksheet("学校")
    sheet.write_row(0, 0, ["学校标识码", "行政区划代码", "学校类型", "小学在校生数", "图书册数"])
    sheet.write_row(1, 0, ["4105230001", "410523", "小学", 600, 583])
    b.close()
    assert batch.read_schools(path).table.column("books").to_pylist() == [583]


def test_a_remark_the_row_does_not_say_is_refused_not_guessed(tmp_path: Path) -> None:
    """A 备注 that a school was closed (2024年8月已撤并，学生并入第1小学), or that a row of kind
    小学 is a teaching point, is refused, naming each school, its row and its remark: counted as
    its row says, the closed school would enter the CVs and the 32-pupil teaching point would
    not be left out. A teaching point so written, or a remark of no such kind, is fine, and the
    record says why 备注 is not used; a column map's [ignore] entry reads the table as written."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "remarks.xlsx"

    def book(rows: list[list[object]]) -> None:
        b = xlsxwriter.Workbook(str(path))
        sheet = b.add_worksheet("学校情况")
        sheet.write_row(0, 0, ["XX县2024年义务教育学校办学条件统计表"])
        headers = ["学校标识码", "学校名称", "行政区划代码", "学校类型", "小学在校生数", "备注"]
        sheet.write_row(1, 0, headers)
        for k, row in enumerate(rows):
            sheet.write_row(2 + k, 0, row)
        b.close()

    first = ["4105230001", "第1小学", "410523", "小学", 417, "2023年新建教学楼"]
    closed = ["4105230003", "第3小学", "410523", "小学", 913, "2024年8月已撤并，学生并入第1小学"]
    point = ["4105230006", "第6小学", "410523", "小学", 32, "教学点"]
    book([first, closed, point])
    with pytest.raises(DataError) as caught:
        batch.read_schools(path)
    message = str(caught.value)
    assert "2 school(s) have a remark under '备注'" in message
    assert "row 4 '4105230003 第3小学': '2024年8月已撤并，学生并入第1小学'" in message
    assert "row 5 '4105230006 第6小学': '教学点'" in message
    assert "第 4 行（4105230003 第3小学）" in caught.value.in_language("zh")
    # The office's answer: the closed school's row deleted, the teaching point's kind written.
    book([first, [*point[:3], "小学教学点", *point[4:]]])
    read = batch.read_schools(path)
    assert read.table.column("kind").to_pylist() == ["小学", "小学教学点"]
    assert "not used: header '备注' (remarks: none says a school was closed" in (
        read.record.to_text("en")
    )
    # Or the table as written, where a map says the remarks are not to be read.
    book([first, closed, point])
    read = batch.read_schools(path, columns={"ignore": {"备注": "remarks, not a figure"}})
    assert read.table.num_rows == 3


def test_codes_typed_in_full_width_digits_are_the_digits(tmp_path: Path) -> None:
    """A county code or school id typed with a Chinese input method (４１０５２３) is the code
    it shows: one county, and next year's ASCII id is the same school."""
    path = tmp_path / "codes.csv"
    path.write_text(
        "学校标识码,行政区划代码,学校类型,小学在校生数\n"
        "4105230001,410523,小学,600\n４１０５２３０００２,４１０５２３,小学,400\n",
        encoding="gbk",
    )
    table = batch.read_schools(path).table
    assert table.column("county_code").to_pylist() == ["410523", "410523"]
    assert table.column("school_id").to_pylist() == ["4105230001", "4105230002"]


def test_a_twelve_year_school_without_the_senior_column_names_the_header(tmp_path: Path) -> None:
    """Without a 高中在校生数 column, a twelve-year school cannot be split: the message names
    the header to add, not an internal name and a value of nan."""
    path = tmp_path / "twelve.csv"
    path.write_text(
        "学校标识码,行政区划代码,学校类型,小学在校生数,初中在校生数\n"
        "4105230003,410523,十二年一贯制学校,600,400\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(path, "cn-quality-2017")
    zh = caught.value.in_language("zh")
    assert "表中没有 '高中在校生数' 列" in zh
    assert "nan" not in zh
    assert "'4105230003'（第 2 行）" in zh
