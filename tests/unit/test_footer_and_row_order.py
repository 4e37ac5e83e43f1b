"""A form's footer (填表人：… 审核人：… 填表日期：…) is set aside like a 合计 row, with its row
number and its text; the rows set aside are listed in the order of the sheet; the record says
which header_row (counted from 0) its header rows (counted from 1) are, and an error under a
header_row given says how it counts; the record's repr says 1 county, 1 school."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from eduequity import DataError, batch
from eduequity._read_record import SetAside

OFFICE = Path(__file__).resolve().parents[1] / "data" / "office"
FOOTER = "填表人：张三\u3000审核人：李四\u3000填表日期：2024年9月30日"


def test_a_footer_is_set_aside_with_its_row_and_text() -> None:
    read = batch.read_schools(OFFICE / "footer.csv")
    assert read.record.set_aside == (
        SetAside("footer.csv", 22, "blank row", ""),
        SetAside("footer.csv", 23, "total row", "合计"),
        SetAside("footer.csv", 24, "footer row", FOOTER),
    )
    assert f"set aside: row 24 (footer row): {FOOTER}" in read.record.to_text()
    assert f"略过：第 24 行（表尾行（填表人等））：{FOOTER}" in read.record.to_text("zh")


def test_a_footer_in_a_frame_is_set_aside() -> None:
    table = pa.table(
        {
            "学校标识码": ["0001", "填表人：张三 审核人：李四"],
            "行政区划代码": ["320102", None],
            "学校类型": ["小学", None],
            "小学在校生数": [300, None],
        }
    )
    read = batch.read_schools(table)
    assert read.table.num_rows == 1
    assert [r.reason for r in read.record.set_aside] == ["footer row"]


def test_a_part_of_the_total_is_set_aside_with_the_total(tmp_path: Path) -> None:
    """Under a 合计 row, offices break the total down (其中：民办学校, with its figures): a part of
    the total, set aside as a total row with its text, not refused as a school without an id;
    a school whose name holds 其中 further in is a school."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "breakdown.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    rows: list[list[object]] = [
        ["序号", "学校标识码", "学校名称", "行政区划代码", "学校类型", "小学在校生数"],
        [1, "0001", "城关小学", "320102", "小学", 300],
        [2, "0002", "第一其中小学", "320102", "小学", 200],
        ["合计", None, None, None, None, 500],
        ["其中：民办学校", None, None, None, None, 0],
        [None, None, "其中 农村学校", None, None, 200],
    ]
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    read = batch.read_schools(path)
    assert read.table.column("school_id").to_pylist() == ["0001", "0002"]
    assert [(r.row, r.reason, r.text) for r in read.record.set_aside] == [
        (4, "total row", "合计 500"),
        (5, "total row", "其中：民办学校 0"),
        (6, "total row", "其中 农村学校 200"),
    ]


def test_a_category_merged_over_its_schools_keeps_them(tmp_path: Path) -> None:
    """A category's cell 其中：民办学校 merged down over the schools it groups fills their rows
    with it: they have ids, so they are schools, not parts of a total."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "category.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    headers = ["类别", "学校标识码", "学校名称", "行政区划代码", "学校类型", "小学在校生数"]
    sheet.write_row(0, 0, headers)
    sheet.write_row(1, 0, ["公办学校", "0001", "城关小学", "320102", "小学", 300])
    sheet.merge_range(2, 0, 3, 0, "其中：民办学校")
    sheet.write_row(2, 1, ["0002", "育才小学", "320102", "小学", 200])
    sheet.write_row(3, 1, ["0003", "启明小学", "320102", "小学", 100])
    sheet.write_row(4, 0, ["合计", None, None, None, None, 600])
    book.close()
    read = batch.read_schools(path)
    assert read.table.column("school_id").to_pylist() == ["0001", "0002", "0003"]
    assert [(r.row, r.reason) for r in read.record.set_aside] == [(5, "total row")]


@pytest.mark.parametrize("books_total", [1500, 1400])
def test_a_total_row_that_does_not_add_up_is_said(tmp_path: Path, books_total: int) -> None:
    """The sheet's 合计 compared with the schools read, column by column in each header's
    unit (万元 as written): said in what was read where it differs (a school left out, or a
    total not updated), nothing where it adds up; a township's 小计 is not the sheet's total."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "totals.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("小学")
    sheet.write_row(0, 0, ["某县小学统计表"])
    headers = ["学校标识码", "学校名称", "行政区划代码", "学校类型", "小学在校生数"]
    sheet.write_row(1, 0, [*headers, "图书册数（册）", "教学仪器设备值（万元）"])
    sheet.write_row(2, 0, ["0001", "城关小学", "320102", "小学", 300, 900, 12.5])
    sheet.write_row(3, 0, ["0002", "东关小学", "320102", "小学", 200, 600, 8.25])
    sheet.write_row(4, 0, ["城关镇小计", None, None, None, 500, 1500, 20.75])
    sheet.write_row(5, 0, ["合计", None, None, None, 500, books_total, 20.75])
    book.close()
    read = batch.read_schools(path)
    assert read.table.num_rows == 2
    said = [n for n in read.record.notes if "does not add up" in n]
    if books_total == 1500:
        assert said == []
        return
    assert said == [
        "the total row 6 of sheet '小学' does not add up to the schools read: '图书册数（册）' "
        "1,400 against 1,500 (a school left out or read twice, or a total not updated: check "
        "the rows)"
    ]
    assert (
        "工作表 '小学' 第 6 行合计与所读各校之和不符：'图书册数（册）' 合计 1,400，各校之和 1,500"
        in read.record.to_text("zh")
    )


def test_a_csv_total_that_does_not_add_up_names_no_sheet(tmp_path: Path) -> None:
    """A CSV file has no sheet: its note names the row only; 合计： is the grand total too."""
    path = tmp_path / "totals.csv"
    path.write_text(
        "学校标识码,学校名称,行政区划代码,学校类型,小学在校生数,图书册数\n"
        "0001,城关小学,320102,小学,300,900\n"
        "0002,东关小学,320102,小学,200,600\n"
        "全 县 合 计,,,,500,1500\n"
        "合计：,,,,500,1600\n",
        encoding="utf-8",
    )
    read = batch.read_schools(path)
    # 全 县 合 计, spaced out as offices align it, is a total row too (two: none compared).
    assert [(r.row, r.reason) for r in read.record.set_aside] == [
        (4, "total row"),
        (5, "total row"),
    ]
    assert read.table.num_rows == 2
    rows = path.read_text("utf-8").splitlines()[:3]
    path.write_text("\n".join([*rows, "合计：,,,,500,1600"]), encoding="utf-8")
    said = [n for n in batch.read_schools(path).record.notes if "does not add up" in n]
    assert said == [
        "the total row 4 does not add up to the schools read: '图书册数' 1,600 against 1,500 "
        "(a school left out or read twice, or a total not updated: check the rows)"
    ]
    assert batch.read_schools(path).record.totals_in("en") == tuple(said)


def test_validate_counts_a_total_that_does_not_add_up_as_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate's summary does not end at "no problems found" with a 合计 row the schools do
    not add up to: it is counted and listed among the figures that cannot all be right."""
    from eduequity._cli import main

    path = tmp_path / "totals.csv"
    path.write_text(
        "学校标识码,学校名称,行政区划代码,学校类型,小学在校生数,图书册数\n"
        "0001,城关小学,320102,小学,300,900\n"
        "0002,东关小学,320102,小学,200,600\n"
        "合计,,,,500,1600\n",
        encoding="utf-8",
    )
    main(["validate", str(path), "--standard", "cn-basic-2012", "--lang", "zh"])
    out = capsys.readouterr().out.splitlines()
    at = out.index("1 条提示：以下数字不可能都对（评估不使用，请核对）：")
    assert out[at + 1] == (
        "  - 第 4 行合计与所读各校之和不符：'图书册数' 合计 1,600，各校之和 1,500"
        "（可能漏读或重复读取学校，或合计未更新：请核对各行）"
    )


def test_a_school_is_not_a_footer() -> None:
    """Only a cell that starts with a signature word and a colon: 审核 in a name is a school."""
    table = pa.table(
        {
            "学校标识码": ["0001", "0002"],
            "学校名称": ["填表人小学", "审核人：路小学"[3:]],
            "行政区划代码": ["320102", "320102"],
            "学校类型": ["小学", "小学"],
            "小学在校生数": [300, 200],
        }
    )
    assert batch.read_schools(table).table.num_rows == 2


def test_rows_set_aside_are_in_row_order() -> None:
    """The workbook has 小计 rows, a blank row and a 合计 row: listed by row."""
    read = batch.read_schools(OFFICE / "two_row_headers.xlsx")
    rows = [r.row for r in read.record.set_aside]
    assert rows == sorted(rows)
    assert len(rows) >= 4


def test_the_record_says_which_header_row_its_rows_are() -> None:
    read = batch.read_schools(OFFICE / "two_row_headers.xlsx")
    first = read.record.sheets[0].header_rows[0]
    text = read.record.to_text()
    assert f"(header_row={first - 1}, which counts from 0)" in text
    again = batch.read_schools(OFFICE / "two_row_headers.xlsx", header_row=first - 1)
    assert again.record.sheets[0].header_rows == read.record.sheets[0].header_rows


def test_an_error_under_a_header_row_given_says_how_it_counts() -> None:
    read = batch.read_schools(OFFICE / "two_row_headers.xlsx")
    first = read.record.sheets[0].header_rows[0]
    with pytest.raises(DataError) as caught:  # one row too low: the second header row
        batch.read_schools(OFFICE / "two_row_headers.xlsx", header_row=first)
    said = str(caught.value)
    assert f"(header_row={first} counts rows from 0: it is row {first + 1} of the sheet" in said
    assert caught.value.message_zh is not None
    assert "从 0 起算" in caught.value.message_zh


def test_the_repr_counts_one_county_and_one_school() -> None:
    table = pa.table(
        {
            "学校标识码": ["0001"],
            "行政区划代码": ["320102"],
            "学校类型": ["小学"],
            "小学在校生数": [300],
        }
    )
    assert "1 school in 1 county;" in repr(batch.read_schools(table).record)


def test_the_notes_under_a_table_are_set_aside_with_their_text() -> None:
    """注：… and 说明：… rows under the table are no schools: set aside as notes, with their row
    and text, beside the total and the footer; a school whose name has 注 or 说明 is read."""
    notes = "注：1. 数据截至2024年9月1日；2. 教学仪器设备值单位为元"
    table = pa.table(
        {
            "学校标识码": ["0001", "0002", "合计", notes, "说明：本表由县教育局填报", FOOTER],
            "学校名称": ["注音小学", "说明路小学", None, None, None, None],
            "行政区划代码": ["320102", "320102", None, None, None, None],
            "学校类型": ["小学", "小学", None, None, None, None],
            "小学在校生数": [300, 200, 500, None, None, None],
        }
    )
    read = batch.read_schools(table)
    assert read.table.column("school_id").to_pylist() == ["0001", "0002"]
    assert [(r.reason, r.text) for r in read.record.set_aside] == [
        ("total row", "合计 500"),
        ("notes row", notes),
        ("notes row", "说明：本表由县教育局填报"),
        ("footer row", FOOTER),
    ]
    assert f"（表注行（注：、说明：））：{notes}" in read.record.to_text("zh")


def test_a_long_total_row_is_shown_in_whole_cells() -> None:
    """A total row longer than the record shows is cut between cells and marked with …, never
    in the middle of a figure (which would read as another figure)."""
    figures = {f"col{k}": [300 + k, 374205 + k] for k in range(20)}
    table = pa.table(
        {
            "学校标识码": ["0001", "合计"],
            "行政区划代码": ["320102", None],
            "学校类型": ["小学", None],
            "小学在校生数": [300, 300],
            **figures,
        }
    )
    (row,) = batch.read_schools(table).record.set_aside
    assert row.text.endswith(" …")
    shown = row.text.removesuffix(" …").split(" ")
    assert shown[:2] == ["合计", "300"]
    assert all(cell in {"合计", "300", *(str(374205 + k) for k in range(20))} for cell in shown)
    assert len(row.text) <= 62


def test_a_places_total_is_a_total_row() -> None:
    """南昌县合计 or 城关镇小计 (a place's total, the cell ending in it) is a total row like 合计;
    a school whose name holds 计 elsewhere is read."""
    totals = ["城关镇小计", "南昌县合计", "南昌县 合计", "第1学区小计", "南昌县合计\u00a0"]
    table = pa.table(
        {
            "学校标识码": ["0001", "0002", *(None for _ in totals)],
            "学校名称": ["会计路小学", "实验小学", *totals],
            "行政区划代码": ["320102", "320102", *(None for _ in totals)],
            "学校类型": ["小学", "小学", *(None for _ in totals)],
            "小学在校生数": [300, 200, *(500 for _ in totals)],
        }
    )
    read = batch.read_schools(table)
    assert read.table.column("school_id").to_pylist() == ["0001", "0002"]
    assert [r.reason for r in read.record.set_aside] == ["total row"] * len(totals)
    assert read.record.set_aside[0].text == "城关镇小计 500"
