"""A stage's verdict is the whole of what its standard joins, and every view says so.

Under 2017 a stage's resource allocation (资源配置) needs every CV within its bound *and* every
school meeting the 6-of-7 rule (教督〔2017〕6号: 每所学校至少6项指标达到要求，余项不能低于要求的
85%; 校际差异系数小学均小于或等于0.50). A county whose CVs all pass but four of whose primary
schools do not meet the rule must read as failed in every table, object, panel and report,
with each part under its own name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import eduequity as ee
from eduequity import batch
from eduequity.report import render

P = ee.Stage.PRIMARY

# The 2017 primary minimums for a school of 1,000 students (教督〔2017〕6号, 第六条).
AT_MINIMUM: dict[str, float] = {
    "teachers_above_qualification": 42,
    "teachers_backbone": 10,
    "teachers_pe_arts": 9,
    "room_area": 4500.0,
    "sports_area": 7500.0,
    "equipment_value": 2_000_000.0,
    "multimedia_rooms": 23,
}
PEOPLE = ("teachers_above_qualification", "teachers_backbone", "teachers_pe_arts")

#: Per school: the factor on every amount, and whether its room and sports areas are cut to
#: 70 % of the minimum (below the 85 % floor, two indicators missed: 5 of 7, failing the rule).
SCHOOLS = [(1.00, True), (1.10, True), (1.20, True), (1.05, True), (1.15, False), (1.25, False)]


def _school(k: int, factor: float, short: bool) -> ee.School:
    amounts: dict[str, Any] = {key: value * factor for key, value in AT_MINIMUM.items()}
    if short:
        amounts["room_area"] = AT_MINIMUM["room_area"] * 0.7
        amounts["sports_area"] = AT_MINIMUM["sports_area"] * 0.7
    people = {key: round(amounts.pop(key)) for key in PEOPLE}
    amounts["multimedia_rooms"] = round(amounts["multimedia_rooms"])
    data = ee.StageData(enrollment=1000, teachers=80, staff=90, class_sizes=[40] * 25, **people)
    rooms: dict[str, Any] = {
        "music_rooms": 3.0,
        "art_rooms": 3.0,
        "music_room_area": 300.0,
        "art_room_area": 300.0,
    }
    return ee.School(id=f"S{k}", kind="primary", primary=data, **rooms, **amounts)


@pytest.fixture(scope="module")
def county() -> ee.County:
    schools = [_school(k, f, short) for k, (f, short) in enumerate(SCHOOLS, start=1)]
    return ee.County(code="990109", name="测试县", schools=schools)


@pytest.fixture(scope="module")
def result(county: ee.County) -> ee.EvaluationResult:
    return ee.evaluate(county, "cn-quality-2017")


def test_the_county_is_as_built(result: ee.EvaluationResult) -> None:
    """Every primary CV is within 0.50 (checked with weighted_cv on the schools' own values) and
    exactly the four short schools fail the school rule."""
    stage = result.stages["primary"]
    for ind_id, cv in stage.cvs.items():
        assert cv.cv is not None
        values = list(cv.values)
        assert cv.cv == pytest.approx(ee.weighted_cv(values, [1000] * len(values)), rel=1e-12)
        assert cv.cv <= 0.50, ind_id
    failing = sorted(r.school_id for r in result.schools_failing)
    assert failing == ["S1", "S2", "S3", "S4"]


def test_the_result_objects_carry_the_joined_verdict_and_its_parts(
    result: ee.EvaluationResult,
) -> None:
    """The stage is failed; its CV part passed, its school-rule part failed with 4 schools."""
    stage = result.stages["primary"]
    assert stage.status is ee.Status.FAILED
    assert stage.cv_status is ee.Status.PASSED
    assert stage.school_rule_status is ee.Status.FAILED
    assert stage.n_schools_failing == 4
    assert stage.joined == ("cv", "school_rule")
    assert stage.component == "resource_allocation"
    assert result.components["resource_allocation"].status is ee.Status.FAILED
    row = result.to_arrow("counties").to_pylist()[0]
    assert (row["stage"], row["status"], row["cv_status"], row["school_rule_status"]) == (
        "primary",
        "failed",
        "passed",
        "failed",
    )


def test_the_tables_of_both_doors_and_the_panel_say_failed(county: ee.County) -> None:
    """The counties table of the columnar door, and the monitoring panel built from it, give the
    primary stage failed, with ``cv_status`` passed and ``school_rule_status`` failed."""
    table = batch.table_from_counties([county])
    counties = batch.evaluate_table(table, "cn-quality-2017").counties.to_pylist()
    (row,) = [r for r in counties if r["stage"] == "primary"]
    want = {
        "status": "failed",
        "cv_status": "passed",
        "school_rule_status": "failed",
        "n_schools_failing": 4,
        "component_resource_allocation": "failed",
    }
    assert {k: row[k] for k in want} == want
    panel = ee.monitor({2022: table, 2023: table}, "cn-quality-2017").panel.to_pylist()
    primary = [r for r in panel if r["stage"] == "primary"]
    assert len(primary) == 2
    for r in primary:
        assert (r["status"], r["cv_status"], r["school_rule_status"]) == (
            "failed",
            "passed",
            "failed",
        )


# A cell, field or phrase that follows a name in any format: the next table cell (HTML,
# Markdown), a colon, a dot or a dash, or aligned spaces (after the bracket of a text item).
_NEXT = r"(?:\s*</t[dh]>\s*<t[dh][^>]*>\s*|\s*\|\s*|\]?\s*[:：·—-]\s*|\]?\s+)"


def _says_passed(text: str, name: str, word: str) -> list[str]:
    """The places where ``name`` is followed directly by ``word`` (its verdict)."""
    return [m.group(0) for m in re.finditer(re.escape(name) + _NEXT + re.escape(word), text)]


NAMES = {"zh": ("小学", "资源配置", "达标"), "en": ("primary", "Resource allocation", "passed")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_no_report_says_the_stage_or_resource_allocation_passed(
    result: ee.EvaluationResult, fmt: str, lang: str
) -> None:
    """In every report the primary stage and 资源配置 read failed, each part named apart."""
    page = render(result, fmt, lang)
    stage, component, passed = NAMES[lang]
    failed = "未达标" if lang == "zh" else "failed"
    assert _says_passed(page, stage, passed) == []
    assert _says_passed(page, component, passed) == []
    assert re.search(re.escape(stage) + r"[^\n]*—\s*" + re.escape(passed), page) is None
    assert _says_passed(page, component, failed)  # the verdict is there, and failed
    cv_part = "差异系数" if lang == "zh" else "CVs"
    rule_part = ("学校达标", "4 所未达标") if lang == "zh" else ("Schools meeting the rule", "4")
    assert _says_passed(page, cv_part, passed)
    assert re.search(re.escape(rule_part[0]) + _NEXT + re.escape(rule_part[1]), page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_json_report_says_failed_with_its_parts(result: ee.EvaluationResult, lang: str) -> None:
    """The JSON report: the stage failed, its parts passed and failed, 资源配置 failed."""
    doc = json.loads(render(result, "json", lang))
    (county,) = doc["counties"]
    (stage,) = [s for s in county["stages"] if s["stage"] == "primary"]
    assert (stage["status"], stage["cv_status"], stage["school_rule_status"]) == (
        "failed",
        "passed",
        "failed",
    )
    assert county["components"]["resource_allocation"] == "failed"


def _walk(doc: Any) -> list[dict[str, Any]]:
    """Every object in a JSON document."""
    if isinstance(doc, dict):
        return [doc, *(o for v in doc.values() for o in _walk(v))]
    if isinstance(doc, list):
        return [o for v in doc for o in _walk(v)]
    return []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_the_command_line_reports_agree(
    county: ee.County, tmp_path: Path, fmt: str, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``eduequity evaluate --format ...``: exit 1 (a county failed) and the same verdicts."""
    from eduequity._cli import main

    path = tmp_path / "schools.parquet"
    pq.write_table(batch.table_from_counties([county]), path)
    code = main(
        ["evaluate", str(path), "--standard", "cn-quality-2017", "--format", fmt, "--lang", lang]
    )
    assert code == 1
    page = capsys.readouterr().out
    if fmt == "json":
        objects = _walk(json.loads(page))
        stages = [o for o in objects if o.get("stage") == "primary" and "n_schools" in o]
        assert stages
        assert all(o["status"] == "failed" for o in stages)
        # No object about the primary stage (a stage, a finding) says passed.
        assert all(o.get("status") != "passed" for o in objects if o.get("stage") == "primary")
        assert all(o.get("cv_status") == "passed" for o in stages)
        return
    stage, component, passed = NAMES[lang]
    assert _says_passed(page, stage, passed) == []
    assert _says_passed(page, component, passed) == []


def test_2012_names_its_stage_verdict_and_keeps_the_school_standard_apart() -> None:
    """Under 2012 the province's school standard is a component of its own (the precondition):
    the stage's verdict is the composite CV, and the school-standard part says it is not
    evaluated and where it counts."""
    result = ee.evaluate(ee.datasets.sample_county(), "cn-basic-2012")
    stage = result.stages["primary"]
    assert stage.joined == ("cv",)
    assert stage.status is stage.cv_status
    assert stage.school_rule_status is ee.Status.NOT_EVALUATED
    assert result.components["school_standard"].status is ee.Status.NOT_EVALUATED
    page = render(result, "md", "zh")
    header = "| 学段 | 县域内义务教育校际均衡状况 | 综合差异系数 | 学校达到省定办学基本标准 |"
    assert header in page
    apart = "未评估：未提供省定办学基本标准（计入「义务教育学校达到省定办学基本标准」）"
    assert f"| 小学 | 达标 | 达标 | {apart} |" in page
