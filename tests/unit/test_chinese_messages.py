"""Errors, summaries and warnings in the chosen language: ``--lang zh`` on the command line and
``set_options(lang="zh")`` in Python."""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import eduequity as ee
from eduequity import batch, datasets
from eduequity._cli import main


def _bad_table() -> pa.Table:
    """Three schools: no id, an unknown kind, text in a number, and a duplicate id."""
    return pa.table(
        {
            "学校标识码": ["A", "", "C", "C"],
            "行政区划代码": ["320102"] * 4,
            "学校类型": ["小学", "小学", "完全小学", "小学"],
            "小学在校生数": ["100", "200", "abc", "300"],
        }
    )


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "schools.csv"
    table = _bad_table().append_column("序号", pa.array(["1", "2", "3", "4"]))
    pacsv.write_csv(table, path)
    return path


def test_validate_prints_the_problems_in_chinese(
    bad_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate --lang zh`: each problem in Chinese with the header, the row and the value;
    the headers not used too."""
    assert main(["validate", str(bad_csv), "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("eduequity: 错误：schools.csv 有 4 个问题：")
    assert "列 '学校标识码' 不能为空：1 行（学校 （无学校标识码，第 3 行））" in err
    assert "列 '学校类型' 须为学校类型之一" in err
    assert "'C'（第 4 行） 取值 '完全小学'" in err
    assert "列 '小学在校生数' 须为数字" in err
    assert "取值 'abc'" in err
    assert "在同一县内不能重复" in err
    assert "（未使用的表头：'序号'）" in err
    assert "must" not in err
    assert "row" not in err


def test_validate_in_english_is_unchanged(
    bad_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --lang the same problems are in English."""
    assert main(["validate", str(bad_csv)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("eduequity: error: 4 problems in schools.csv:")
    assert "(headers not used: '序号')" in err


def test_set_options_gives_the_error_in_chinese() -> None:
    """Raised under set_options(lang="zh"), a DataError's text is Chinese; in_language gives
    either, and a pickle keeps both."""
    with ee.set_options(lang="zh"), pytest.raises(ee.DataError) as info:
        batch.evaluate_table(_bad_table(), "cn-basic-2012")
    error = info.value
    assert str(error).splitlines()[0].endswith("有 4 个问题：")
    assert "列 '学校类型' 须为学校类型之一" in str(error)
    assert error.in_language("en").startswith("evaluate_table: 4 problems")
    assert error.in_language("zh") == str(error)
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.in_language("en")) == (str(error), error.in_language("en"))
    with pytest.raises(ee.DataError) as english:
        batch.evaluate_table(_bad_table(), "cn-basic-2012")
    assert str(english.value) == error.in_language("en")


def test_object_door_errors_in_chinese() -> None:
    """The School and County checks an office meets most (a value out of range, an unknown
    kind, a duplicate id) have Chinese messages with the same facts."""
    with ee.set_options(lang="zh"):
        with pytest.raises(ee.DataError, match=r"学校 'x' 的字段 'primary.enrollment' 须为"):
            ee.School(id="x", kind="小学", primary=ee.StageData(enrollment=0))
        with pytest.raises(ee.DataError, match=r"取值 '完全小学'"):
            ee.School(id="x", kind="完全小学", primary=ee.StageData(enrollment=10))
        school = ee.School(id="x", kind="小学", primary=ee.StageData(enrollment=10))
        with pytest.raises(ee.DataError, match=r"县 '320102' 有两所学校的学校标识码都是 'x'"):
            ee.County(code="320102", schools=[school, school])


@pytest.fixture
def school_file(tmp_path: Path) -> Path:
    path = tmp_path / "schools.parquet"
    pq.write_table(batch.table_from_counties([datasets.sample_county()]), path)
    return path


def test_evaluate_and_plan_summaries_in_chinese(
    school_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The lines `evaluate --out` and `plan --out` print are Chinese under --lang zh."""
    argv = ["--standard", "cn-quality-2017", "--lang", "zh", "--format", "html"]
    main(["evaluate", str(school_file), *argv, "--out", str(tmp_path / "e")])
    line = capsys.readouterr().out.strip()
    assert line.startswith("1 个县（区）（未达标 1）；已写出 ")
    main(["plan", str(school_file), *argv, "--out", str(tmp_path / "p")])
    line = capsys.readouterr().out.strip()
    assert line.startswith("2 个学段（按县区分学段计）中，")
    assert "规划后 2 个达到规划所涵盖的全部要求" in line


def test_unused_header_warning_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warning of a header that looks like a known one is in the chosen language."""
    table = batch.table_from_counties([datasets.sample_county()])
    names = ["book" if n == "books" else n for n in table.column_names]
    path = tmp_path / "s.parquet"
    pq.write_table(table.rename_columns(names), path)
    main(["evaluate", str(path), "--standard", "cn-basic-2012", "--lang", "zh", "--format", "json"])
    assert "eduequity: 提示：表头 'book' 未使用；是否应为 " in capsys.readouterr().err
    main(["evaluate", str(path), "--standard", "cn-basic-2012", "--format", "json"])
    assert "eduequity: warning: header 'book' was not used" in capsys.readouterr().err


def test_teachers_per_pupil_keep_four_decimals_in_chinese_tables() -> None:
    """师生比 and the other teachers per pupil show 4 decimals in a Chinese table (0.0552 and
    0.0561 stay apart), under a label that says what they are; other indicators keep 2."""
    table = pa.table(
        {
            "school_id": ["A", "B"],
            "value_teachers_per_student": [80 / 1450, 55 / 980],
            "value_books_per_student": [28.9655, 26.0204],
        }
    )
    shown = batch.display_table(table, "zh", "schools").to_pydict()
    assert shown["师生比（专任教师数÷在校生数）"] == [0.0552, 0.0561]
    assert shown["生均图书册数"] == [28.97, 26.02]
    findings = pa.table(
        {
            "level": ["school", "school", "stage"],
            "indicator": ["teachers_per_student", "books_per_student", "teachers_per_student"],
            "measured": [80 / 1450, 28.9655, 0.123456],
        }
    )
    measured = batch.display_table(findings, "zh", "findings").column(2).to_pylist()
    assert measured == [0.0552, 28.97, 0.123]
    assert batch.display_table(table, "en", "schools").column_names == table.column_names


def _two_counties() -> pa.Table:
    import attrs

    county = datasets.sample_county()
    other = attrs.evolve(county, code="990102", name="乙县")
    return batch.table_from_counties([county, other])


def test_plan_summary_counts_each_stage_and_names_the_county() -> None:
    """The plan page's summary of many counties: each stage row shows that stage's failing
    schools (as plan.counties), the county by name and code, and the whole county's figures
    once."""
    plan = batch.plan_table(_two_counties(), "cn-quality-2017")
    text = ee.report.render_plan(plan, "md", "zh")
    rows = [line for line in text.splitlines() if line.startswith("| 乙县（990102）")]
    expected = {
        (r["county_code"], r["stage"]): r["n_schools_failing_before"]
        for r in plan.counties.to_pylist()
    }
    assert expected[("990102", "primary")] != expected[("990102", "junior")]
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    assert [(c[1], c[5]) for c in cells] == [
        ("小学", str(expected[("990102", "primary")])),
        ("初中", str(expected[("990102", "junior")])),
    ]
    assert cells[0][6] != ""  # the whole county's schools adding: on its first row only
    assert cells[1][6] == ""
    assert "全县数字只列在该县第一行。" in text


def test_plan_totals_show_teacher_subcounts_as_parts() -> None:
    """按资源汇总: the teacher sub-counts follow 专任教师 as "其中" rows, the staff row says it
    is the same teachers, and a note says the rows do not add up."""
    plan = ee.plan(datasets.sample_county(), "cn-quality-2017")
    text = ee.report.render_plan(plan, "text", "zh")
    part = text[text.index("按资源汇总") : text.index("各校需增加的资源\n")]
    lines = part.splitlines()
    body = lines[[i for i, line in enumerate(lines) if line.strip().startswith("---")][1] + 1 :]
    names = [line[2:].split("  ")[0] for line in body if line.startswith("  ")]
    assert names[:5] == [
        "专任教师",
        "　其中：县级及以上骨干教师",
        "　其中：体育艺术专任教师",
        "　其中：高于规定学历教师",
        "教职工（即上述专任教师）",
    ]
    assert "各行不可相加" in part
    # Written as the summary above writes it, thousands separated.
    summary = text[: text.index("按资源汇总")]
    area = next(line for line in body if "教学及辅助用房面积" in line).split()[-1]
    assert area.endswith("平方米")
    assert "," in area
    assert f"教学及辅助用房面积增加{area}" in summary
    english = ee.report.render_plan(plan, "text", "en")
    assert "  of which: backbone teachers" in english
    assert "the rows do not add up" in english


@pytest.mark.parametrize("standard", ["cn-basic-2012", "cn-quality-2017"])
def test_plan_composite_agrees_with_the_evaluation(standard: str) -> None:
    """plan.counties has a composite CV where the evaluation's counties table has one: under
    2017 (no composite) both are null; under 2012 the before value is the evaluation's."""
    table = batch.table_from_counties([datasets.sample_county()])
    plan = batch.plan_table(table, standard)
    evaluated = batch.evaluate_table(table, standard).counties
    assert plan.counties.column("composite_cv_before").to_pylist() == (
        evaluated.column("composite_cv").to_pylist()
    )
    if standard == "cn-quality-2017":
        assert plan.counties.column("composite_cv_after").null_count == plan.counties.num_rows


def test_every_report_follows_the_lang_option() -> None:
    """render, render_plan and render_monitor take the language from set_options when none
    is given; an explicit lang still wins."""
    county = datasets.sample_county()
    table = batch.table_from_counties([county])
    result = ee.evaluate(county, "cn-basic-2012")
    plan = ee.plan(county, "cn-quality-2017")
    watched = ee.monitor({2022: table, 2023: table}, "cn-basic-2012")
    renders: dict[str, Callable[..., str]] = {
        "render": functools.partial(ee.report.render, result, "text"),
        "render_plan": functools.partial(ee.report.render_plan, plan, "text"),
        "render_monitor": functools.partial(ee.report.render_monitor, watched, "text"),
    }
    for name, render in renders.items():
        english = render()
        with ee.set_options(lang="zh"):
            chinese = render()
            assert render(lang="en") == english, name
        assert chinese == render(lang="zh"), name
        assert chinese != english, name


def test_help_names_every_format_the_commands_read(capsys: pytest.CaptureFixture[str]) -> None:
    """`validate --help` and `evaluate --help` name Excel workbooks, which they read."""
    for command in ("validate", "evaluate"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "school table: .xlsx, .csv or .parquet" in capsys.readouterr().out


def test_getting_started_installs_the_excel_extra() -> None:
    """The docs' set-up installs the excel extra, as the README's does."""
    root = Path(__file__).parents[2]
    page = (root / "docs" / "getting-started.rst").read_text(encoding="utf-8")
    assert '.venv/bin/pip install ".[excel]"' in page
    assert '.venv/bin/pip install ".[excel]"' in (root / "README.md").read_text(encoding="utf-8")


def test_summary_report_says_not_evaluated_not_undefined() -> None:
    """The text summary of many counties shows a CV that could not be computed as missing and
    a composite that was not evaluated as such, never "undefined"; the footer comes last,
    after what was read."""
    table = _two_counties().drop_columns(["teachers_intermediate_title_primary"])
    result = batch.evaluate_table(table, "cn-basic-2012")
    for lang, missing in (("zh", "未评估"), ("en", "not evaluated")):
        text = ee.report.render(result, "text", lang)
        assert "undefined" not in text
        assert missing in text
        last = text.strip().splitlines()[-1]
        assert last == (
            f"本报告由 eduequity {ee.__version__} 生成。"
            if lang == "zh"
            else f"Made by eduequity {ee.__version__}."
        )


def test_html_tables_fit_the_page() -> None:
    """Every HTML table sits in a box of the page's width, and one of many columns has
    headings that wrap; notebook cells keep their words whole."""
    result = batch.evaluate_table(_two_counties(), "cn-quality-2017")
    page = ee.report.render(result, "html", "zh")
    assert page.count('<div class="fit"><table') == page.count("<table")
    assert '<div class="fit"><table class="sortable wide">' in page
    with ee.set_options(lang="zh"):
        notebook = result._repr_html_()
    assert ".eduequity td{word-break:keep-all}" in notebook


def test_monitor_keeps_the_chinese_of_a_years_problems() -> None:
    """A bad table of one year, refused by monitor, says its problems in Chinese too."""
    with pytest.raises(ee.DataError) as info:
        ee.monitor({2023: _bad_table()}, "cn-basic-2012")
    assert info.value.in_language("en").startswith("monitor: the table of 2023: ")
    assert info.value.in_language("zh").startswith("2023 年的表：")
    assert "列 '学校类型' 须为学校类型之一" in info.value.in_language("zh")


def test_the_line_asking_for_a_standard_is_in_chinese(
    school_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --standard, the line on standard error that asks for one follows --lang."""
    main(["evaluate", str(school_file), "--lang", "zh", "--format", "json"])
    err = capsys.readouterr().err
    assert "eduequity evaluate：请用 --standard 指明标准（如 --standard cn-basic-2012" in err
    assert "name the standard" not in err


def test_a_room_count_not_evaluated_names_what_is_missing(tmp_path: Path) -> None:
    """The music rooms of a school are not evaluated for want of the rooms, of the classes
    they are counted against, or of both: the message names exactly what is missing."""
    path = tmp_path / "rooms.csv"
    path.write_text(
        "school_id,county_code,kind,enrollment_primary,class_sizes_primary,art_rooms\n"
        "A,990101,primary,100,45;46,1\n"
        "B,990101,primary,90,,1\n",
        encoding="utf-8",
    )
    out = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    said = {
        (r["school_id"], r["rule_id"]): r["message_zh"]
        for r in out.findings_for().to_pylist()
        if r["rule_id"].startswith("rooms.")
    }
    assert said[("A", "rooms.music_rooms")] == "A 音乐专用教室未评估：未报告音乐专用教室。"
    assert said[("B", "rooms.music_rooms")] == "B 音乐专用教室未评估：未报告音乐专用教室、班额。"
    assert said[("B", "rooms.art_rooms")] == "B 美术专用教室未评估：未报告班额。"


@pytest.mark.parametrize(
    ("columns", "said"),
    [
        (
            {"学校标识码": ["1"], "行政区划代码": ["320102"], "在校生数": [500]},
            "每校只有一个数、未分学段，且没有学校类型列",
        ),
        (
            {
                "学校标识码": ["1"],
                "行政区划代码": ["320102"],
                "学校类型": ["九年一贯制学校"],
                "在校生数": [500],
            },
            "为类型是 '九年一贯制学校' 的学校只给出一个数",
        ),
        (
            {
                "学校标识码": ["1"],
                "行政区划代码": ["320102"],
                "学校类型": ["小学"],
                "在校生数": [500],
                "小学在校生数": [510],
            },
            "对 1 所只有该学段的学校给出不同的数（学校 '1'：500 与 510）；请保留其一",
        ),
    ],
)
def test_a_figure_without_its_stage_is_refused_in_chinese(
    columns: dict[str, list[object]], said: str
) -> None:
    """A stage-free header the schools' kinds cannot place: refused in Chinese too."""
    with pytest.raises(ee.DataError) as caught:
        batch.read_schools(pa.table(columns))
    assert caught.value.message_zh is not None
    assert said in caught.value.message_zh


def test_a_number_with_thousands_separators_is_refused_saying_so() -> None:
    """24,530 (text with a thousands separator, as offices' Excel exports write it): refused
    naming the separator, in both languages; other text as before."""
    table = pa.table(
        {
            "学校标识码": ["1", "2", "3"],
            "行政区划代码": ["320102"] * 3,
            "学校类型": ["小学"] * 3,
            "小学在校生数": ["24,530", "abc", "1,473,984.5"],
        }
    )
    with pytest.raises(ee.DataError) as caught:
        batch.evaluate_table(table, "cn-quality-2017")
    said = str(caught.value)
    assert "must be a number without thousands separators (24530, not 24,530): 2 rows" in said
    assert "got '24,530'" in said
    assert "got '1,473,984.5'" in said
    assert "'小学在校生数' must be a number: 1 row" in said
    assert caught.value.message_zh is not None
    assert "须为不带千位分隔符的数字" in caught.value.message_zh
