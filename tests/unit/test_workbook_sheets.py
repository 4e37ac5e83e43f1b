"""Which sheets of a workbook are read: with no sheet asked for, the one sheet with a table of
schools, and a workbook with several is refused naming them (reading one would drop the other
stage's schools without a word); every sheet not read is in the record with its reason, and in
what ``eduequity validate`` prints (files written by tools/make_office_files.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduequity import DataError, batch
from eduequity._cli import main

OFFICE = Path(__file__).resolve().parents[1] / "data" / "office"


def test_two_sheets_of_schools_are_refused_naming_them() -> None:
    """小学 and 初中 on separate sheets, no sheet asked for: refused, in English and Chinese,
    naming both sheets and the ways to ask."""
    with pytest.raises(DataError) as caught:
        batch.evaluate_table(OFFICE / "stage_sheets.xlsx", "cn-quality-2017")
    said = str(caught.value)
    assert "'stage_sheets.xlsx' has 2 sheets with a table of schools: '小学', '初中'" in said
    assert 'sheet="all" (--sheet all)' in said
    assert "sheet='小学' (--sheet 小学)" in said
    zh = caught.value.message_zh
    assert zh is not None
    assert "有 2 个工作表含学校表：'小学'、'初中'" in zh


def test_the_cli_refuses_two_sheets_of_schools(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(OFFICE)
    assert main(["validate", "stage_sheets.xlsx"]) == 2
    assert "--sheet all" in capsys.readouterr().err
    # Read (no error); it has no class sizes, rooms or staff, which validate counts (exit 2).
    assert main(["validate", "stage_sheets.xlsx", "--sheet", "all"]) == 2
    out = capsys.readouterr().out
    assert out.splitlines()[-1].endswith(
        "what cannot be evaluated (columns missing): 4 of 4 school checks under "
        "cn-basic-2012, 8 of 8 school checks under cn-quality-2017."
    )
    # The checks of 2017 whose columns 2012's list named already, each by its name.
    assert (
        "  - primary 班额 (class sizes against the cap); junior 班额 (class sizes against the "
        "cap); primary 教职工编制标准 (staffing standard); junior 教职工编制标准 (staffing "
        "standard): their columns are listed above"
    ) in out


@pytest.mark.parametrize(("sheet", "other"), [(0, "初中"), ("小学", "初中"), ("初中", "小学")])
def test_a_sheet_asked_for_lists_the_others_as_not_read(sheet: int | str, other: str) -> None:
    """One sheet asked for: read, and the other is in the record, set aside as not asked for."""
    read = batch.read_schools(OFFICE / "stage_sheets.xlsx", sheet=sheet)
    assert read.record.sheets_not_read == ((other, "not asked for"),)
    text = read.record.to_text()
    assert (
        f'set aside: sheet {other!r} (not asked for; sheet="all" or --sheet all reads every '
        "sheet)" in text
    )
    assert f"略过：工作表 {other!r}（未要求读取" in read.record.to_text("zh")


def test_every_sheet_read_leaves_none_aside() -> None:
    read = batch.read_schools(OFFICE / "stage_sheets.xlsx", sheet="all")
    assert read.record.sheets_not_read == ()
    assert [s.name for s in read.record.sheets] == ["小学", "初中"]


def test_the_one_sheet_of_schools_is_read_and_the_notes_sheet_said(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 小学 sheet and a sheet of notes: the 小学 sheet is read (the only table of schools),
    and both the choice and the notes sheet are said, in the record and by validate."""
    read = batch.read_schools(OFFICE / "primary_with_notes.xlsx")
    assert [s.name for s in read.record.sheets] == ["小学"]
    assert read.record.sheets_not_read == (("填表说明", "no table of schools"),)
    assert "sheet '小学' read: the only one of 2 sheets with a table of schools" in (
        read.record.notes
    )
    monkeypatch.chdir(OFFICE)
    assert (
        main(["validate", "primary_with_notes.xlsx"]) == 2
    )  # no class sizes, rooms or staff: counted
    out = capsys.readouterr().out
    assert "set aside: sheet '填表说明' (no table of schools;" in out
    assert main(["validate", "primary_with_notes.xlsx", "--lang", "zh"]) == 2
    assert "略过：工作表 '填表说明'（无学校表" in capsys.readouterr().out


def test_the_report_says_which_sheets_were_not_read() -> None:
    from eduequity import report

    out = batch.evaluate_table(OFFICE / "primary_with_notes.xlsx", "cn-quality-2017")
    assert "Sheet '填表说明' not read (no table of schools)." in report.render(out, "text")
    assert "工作表 '填表说明' 未读取（无学校表）。" in report.render(out, "text", lang="zh")
