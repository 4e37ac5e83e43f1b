"""Figures to check in the user's words: the headers as written, in English or Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import batch
from eduequity._cli import main
from eduequity.rules._consistency import CHECK_TEXTS


def _rows(headers: dict[str, str]) -> pa.Table:
    """Two primary schools; A has more teachers than staff and class sizes adding up to 90
    (of 300 students), B more backbone teachers than teachers; columns under ``headers``."""
    data: dict[str, list[Any]] = {
        "school_id": ["A", "B"],
        "county_code": ["990101", "990101"],
        "kind": ["primary", "primary"],
        "enrollment_primary": [300, 200],
        "teachers_primary": [20.0, 12.0],
        "staff_primary": [18.0, 15.0],
        "teachers_backbone_primary": [2.0, 13.0],
        "class_sizes_primary": ["45;45", "40;40;40;40;40"],
    }
    return pa.table({headers.get(k, k): v for k, v in data.items()})


CHINESE = {
    "school_id": "学校标识码",
    "county_code": "行政区划代码",
    "kind": "学校类型",
    "enrollment_primary": "小学在校生数",
    "teachers_primary": "小学专任教师数",
    "staff_primary": "小学教职工数",
    "teachers_backbone_primary": "小学县级及以上骨干教师数",
    "class_sizes_primary": "小学班额",
}


def test_warnings_name_the_headers_as_written() -> None:
    """A table with the forms' headers: each warning names the columns so, in English."""
    lines = batch.check_consistency(_rows(CHINESE), lang="en")
    assert lines == [
        "column '小学县级及以上骨干教师数' is larger than '小学专任教师数': 1 row (school ids 'B')",
        "column '小学专任教师数' is larger than '小学教职工数' (the staff include the teachers): "
        "1 row (school ids 'A')",
        "the sizes in '小学班额' do not add up to '小学在校生数': 1 row (school ids 'A')",
    ]


def test_warnings_in_chinese() -> None:
    """In Chinese: the headers as written, the sentence and the count in Chinese."""
    lines = batch.check_consistency(_rows(CHINESE), lang="zh")
    assert lines == [
        "“小学县级及以上骨干教师数”大于“小学专任教师数”（分项不应多于专任教师总数）："
        "1 行（学校标识码 B）",
        "“小学专任教师数”大于“小学教职工数”（教职工包括专任教师）：1 行（学校标识码 A）",
        "“小学班额”中各班人数之和不等于“小学在校生数”：1 行（学校标识码 A）",
    ]


def test_canonical_names_stay_in_english_and_read_as_the_forms_in_chinese() -> None:
    """Columns under their canonical names: named so in English (as before), by the forms'
    Chinese headers in Chinese."""
    en = batch.check_consistency(_rows({}), lang="en")
    assert en[1] == (
        "column 'teachers_primary' is larger than 'staff_primary' (the staff include the "
        "teachers): 1 row (school ids 'A')"
    )
    zh = batch.check_consistency(_rows({}), lang="zh")
    assert zh[1] == "“小学专任教师数”大于“小学教职工数”（教职工包括专任教师）：1 行（学校标识码 A）"


def test_a_header_with_stray_spaces_is_named_as_written() -> None:
    """A header read with stray spaces around it is named exactly as the file writes it."""
    lines = batch.check_consistency(_rows(CHINESE | {"staff_primary": " 小学教职工数 "}))
    assert lines[1].startswith("column '小学专任教师数' is larger than ' 小学教职工数 '")


def test_the_language_follows_the_option() -> None:
    """Without ``lang``, the lines and ``BatchResult.data_warnings`` follow
    ``set_options(lang=)``."""
    previous = ee.set_options(lang="zh")
    try:
        lines = batch.check_consistency(_rows(CHINESE))
        warnings = batch.evaluate_table(_rows(CHINESE), "cn-basic-2012").data_warnings
    finally:
        ee.set_options(**previous)
    assert lines[1].startswith("“小学专任教师数”大于“小学教职工数”")
    assert warnings.column("warning").to_pylist() == [
        "“小学县级及以上骨干教师数”大于“小学专任教师数”（分项不应多于专任教师总数）",
        "“小学专任教师数”大于“小学教职工数”（教职工包括专任教师）",
        "“小学班额”中各班人数之和不等于“小学在校生数”",
    ]


def test_validate_prints_the_headers_of_a_gbk_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`eduequity validate` on a GBK CSV with the forms' headers names them in its warnings."""
    path = tmp_path / "学校.csv"
    table = _rows(CHINESE)
    header = ",".join(table.column_names)
    lines = [
        ",".join("" if v is None else str(v) for v in row.values()) for row in table.to_pylist()
    ]
    path.write_bytes("\n".join([header, *lines, ""]).encode("gbk"))
    # The table has no column of most indicators: they are counted as problems (exit 2).
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "column '小学专任教师数' is larger than '小学教职工数'" in out
    warnings = [line for line in out.splitlines() if "is larger than" in line]
    assert warnings
    assert not any("staff_primary" in line for line in warnings)


def test_every_check_says_it_in_both_languages() -> None:
    """Each kind of contradiction has an English and a Chinese sentence naming its columns."""
    for kind, texts in CHECK_TEXTS.items():
        assert set(texts) == {"en", "zh"}, kind
        for lang in ("en", "zh"):
            assert "{a}" in texts[lang], kind
            assert "{b}" in texts[lang], kind
        assert not any(
            c.isascii() and c.isalpha()
            for c in texts["zh"].replace("{a}", "").replace("{b}", "").replace("{c}", "")
        ), kind
