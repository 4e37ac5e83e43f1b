"""The report of one county reads as the page a superior reads: the verdict, then the schools
and what each lacks, then the CVs; each source cited once; the county inputs not supplied in one
line (the command that writes the table to fill is said to the analyst, not on the page), a
table the command line writes and the reader takes."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import eduequity as ee
from eduequity import batch
from eduequity._cli import TEMPLATE_COMMAND
from eduequity._county_inputs import InputKind, input_named
from eduequity.report import render
from eduequity.report._document import quantity_text
from eduequity.standards import CountyItem

STD = "cn-quality-2017"


@pytest.fixture(scope="module")
def result() -> ee.EvaluationResult:
    return ee.evaluate(ee.datasets.sample_county(), STD)


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_the_answer_comes_first(result: ee.EvaluationResult, fmt: str) -> None:
    """Verdict, components, the stages, the schools with what they lack, then the CVs, the
    details and the sources, in that order, in Chinese and English."""
    for lang, marks in {
        "zh": ["结论", "资源配置", "各学段结论", "各校未达到的各项最低标准及差额",
               "小学各项差异系数", "依据"],
        "en": ["Verdict", "Resource allocation", "Each stage", "shortfall against the minimums",
               "primary: each CV", "Sources"],
    }.items():  # fmt: skip
        page = render(result, fmt, lang)
        at = [page.index(m) for m in marks[:-1]] + [page.rindex(marks[-1])]
        assert at == sorted(at), (lang, marks)


def test_each_source_is_cited_once(result: ee.EvaluationResult) -> None:
    """The room-area clause, which many findings rest on (34 in the sample), is printed once;
    each finding points to it by number."""
    page = render(result, "text", "zh")
    clause = "每间音乐专用教室不小于96平方米"
    area = [
        f for f in result.findings if f.rule_id.endswith("room_area") and f.status.value == "failed"
    ]
    assert len(area) > 1
    assert page.count(clause) == 1
    (number,) = re.findall(r"^\[(\d+)\] [^\n]*" + clause, page, flags=re.M)
    lines = [line for line in page.splitlines() if "平均每间" in line]
    assert len(lines) == len(area)
    assert all(line.rstrip().endswith(f"[{number}]") for line in lines)


def test_county_inputs_not_supplied_are_one_line_and_the_command_goes_to_the_analyst(
    result: ee.EvaluationResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No line per missing input: one line with their number, and no command on the page a
    superior reads; the command that writes the table to fill in is said to the analyst on
    the error stream."""
    from eduequity._cli import main

    missing = [f for f in result.findings if f.rule_id.startswith("county.")]
    assert len(missing) == 33
    for lang in ("zh", "en"):
        page = render(result, "text", lang)
        assert "未提供（输入" not in page
        assert "not supplied (input" not in page
        start = "33 项县级指标未提供，" if lang == "zh" else "33 county items were not supplied"
        (line,) = [x for x in page.splitlines() if x.startswith(start)]
        assert "eduequity" not in line
        assert "--" not in line
        assert "eduequity template" not in render(result, "html", lang)
    path = tmp_path / "s.parquet"
    pq.write_table(batch.table_from_counties([ee.datasets.sample_county()]), path)
    main(["evaluate", str(path), "--standard", STD, "--lang", "zh"])
    err = capsys.readouterr().err
    (hint,) = [x for x in err.splitlines() if TEMPLATE_COMMAND in x]
    assert "33 项县级指标未提供" in hint


def _meeting(item: CountyItem, kind: InputKind) -> str:
    """A value, written as an office writes it, that meets ``item``."""
    if kind is InputKind.FLAG:
        return "是" if item.value == 1 else "否"
    if item.op.value.startswith(">"):
        value = item.value * 2 if kind is not InputKind.RATE else 1.0
    else:
        value = 0.0
    return f"{100 * value:g}%" if kind is InputKind.RATE else f"{value:g}"


def test_the_template_the_line_names_is_read_back(tmp_path: Path) -> None:
    """The command the line names writes the table; filled in to meet every requirement of the
    standard and given back, no county input is missing and the line is gone."""
    from eduequity._cli import main

    path = tmp_path / "county_inputs.csv"
    command = TEMPLATE_COMMAND.split()
    assert command[:3] == ["eduequity", "template", "county_inputs.csv"]
    assert main(["template", str(path), *command[3:]]) == 0
    with path.open(encoding="utf-8-sig") as f:
        (headers,) = list(csv.reader(f))
    items = {item.input: item for item in ee.get_standard(STD).county_items}
    row = []
    for header in headers[2:]:
        spec = input_named(header)
        assert spec is not None, header
        row.append(_meeting(items[spec.id], spec.kind) if spec.id in items else "")
    assert sum(bool(v) for v in row) == len(items) == 33
    sample = ee.datasets.sample_county()
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow([sample.code, sample.name, *row])
    out = batch.evaluate_table(batch.table_from_counties([sample]), STD, county_inputs=path)
    page = render(out, "text", "zh")
    assert "eduequity template" not in page
    for component in ("precondition", "education_quality", "social_recognition", "veto"):
        assert out.counties.column(f"component_{component}")[0].as_py() == "passed", component


def test_the_county_total_is_the_results_total(result: ee.EvaluationResult) -> None:
    """The schools' shortfalls in all, as the page says them, are
    ``EvaluationResult.shortfall_totals(by="county")`` (a nine-year school's room area once)."""
    page = render(result, "text", "zh")
    (line,) = [x for x in page.splitlines() if x.startswith("各校差额合计")]
    totals = result.shortfall_totals(by="county")
    assert totals
    for (_, resource), quantity in totals.items():
        assert quantity_text(resource, quantity, "zh") in line.split("：", 1)[1].split("；")


def test_the_schools_values_are_a_table_with_the_shortfalls_marked(
    result: ee.EvaluationResult,
) -> None:
    """In HTML each school's values stand in a table, a value below its minimum marked (the
    dot chart without names gave no school)."""
    page = render(result, "html", "zh")
    assert "各校指标值与要求" in page
    table = page[page.index("初中各校指标值与要求") :]
    row = re.search(r"<tr><td>990101-JS06</td><td>0/7</td>(.*?)</tr>", table)
    assert row is not None
    assert row.group(1).count('<td class="failed">') == 7  # 0 of 7 met, each value marked
    assert "<circle" not in page


def test_a_stage_without_a_school_is_said_not_left_out() -> None:
    """A county of primary schools only: its page says the junior stage has no school and is
    not applicable (in Chinese and English), rather than leaving the stage out."""
    county = ee.datasets.sample_county()
    primary = [s for s in county.schools if s.kind.value == "primary"]
    only = ee.County(code=county.code, name=county.name, schools=tuple(primary))
    result = ee.evaluate(only, STD)
    assert "初中：本县（区）无纳入评估的学校，不适用。" in render(result, "text", "zh")
    said = "junior secondary: no school of the county counts in this stage; not applicable."
    assert said in render(result, "md", "en")
    assert "无纳入评估的学校" not in render(ee.evaluate(county, STD), "text", "zh")


def test_a_stage_of_one_school_says_its_cvs_compare_nothing() -> None:
    """One junior school: its CVs are 0 by the formula, and the page says no school is
    compared with another (a stage of several schools says nothing of the kind)."""
    county = ee.datasets.sample_county()
    junior = [s for s in county.schools if s.kind.value == "junior"][:1]
    primary = [s for s in county.schools if s.kind.value == "primary"]
    one = ee.County(code=county.code, name=county.name, schools=(*primary, *junior))
    result = ee.evaluate(one, STD)
    page = render(result, "text", "zh")
    assert page.count("本学段仅 1 所学校纳入评估：按公式各项差异系数为 0，并无校际比较。") == 1
    assert page.index("初中各项差异系数") < page.index("本学段仅 1 所学校纳入评估")
    assert "One school counts in this stage" in render(result, "md", "en")


def test_shortfalls_unknown_are_said_not_called_none() -> None:
    """Where the school rule cannot be evaluated for some schools (a figure not reported),
    the page says how many school stages' shortfalls are unknown, in both languages, and
    never "none" for them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = batch.table_from_counties([ee.datasets.sample_county()])
    for name in ("books", "computers", "equipment_value"):
        at = table.column_names.index(name)
        table = table.set_column(at, name, pa.nulls(table.num_rows, table.schema.field(name).type))
    out = batch.evaluate_table(table, STD, nulls="not_reported")
    rule = out.schools.column("school_rule")
    unknown = pc.sum(pc.equal(rule.cast(pa.string()), "not_evaluated")).as_py()
    assert unknown > 0
    zh = render(out, "text", "zh")
    assert f"{unknown} 个学校学段因缺数据未能评估学校达标，其未能计算的各项差额不详。" in zh
    heading = zh.index("各校未达到的各项最低标准及差额")
    assert "无。" not in zh[heading : zh.index("\n\n", zh.index("不详", heading))]
    assert f"could not be evaluated for {unknown} school stage(s)" in render(out, "md", "en")
    # A county whose every school is evaluated says nothing of the kind.
    assert "差额不详" not in render(
        batch.evaluate_table(batch.table_from_counties([ee.datasets.sample_county()]), STD),
        "text",
        "zh",
    )


def test_a_school_of_two_stages_counted_once_is_said() -> None:
    """The total counts a shared resource of a school of two stages once (the larger stage's
    figure), so it is less than the rows' sum: the page says so where it happens, and only
    there."""
    from eduequity._split import SPLIT_RESOURCES

    result = ee.evaluate(ee.datasets.sample_county(), STD)
    by_school: dict[tuple[str, str], list[float]] = {}
    for s in result.shortfalls:
        if s.resource in SPLIT_RESOURCES:
            by_school.setdefault((s.school_id, s.resource), []).append(s.quantity)
    twice = {k: v for k, v in by_school.items() if len(v) == 2}
    assert twice  # the sample county has a nine-year school short in both stages
    rows = sum(sum(v) for v in by_school.values())
    once = sum(max(v) for v in by_school.values())
    totals = result.shortfall_totals(by="county")
    assert math.isclose(
        sum(q for (_, res), q in totals.items() if res in SPLIT_RESOURCES), once, rel_tol=1e-9
    )
    assert once < rows
    said = "一贯制学校两个学段共用的资源（校舍面积、仪器设备、图书等）按学校只补一次"
    assert said in render(result, "text", "zh")
    assert "counts in the total, which is therefore less" in render(result, "md", "en")
    primary = [s for s in ee.datasets.sample_county().schools if s.kind.value == "primary"]
    only = ee.County(code="990101", name="x", schools=tuple(primary))
    assert said not in render(ee.evaluate(only, STD), "text", "zh")
