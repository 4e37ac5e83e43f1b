"""Result tables written for people in Chinese: labels, rounding and words in CSV and Excel."""

from __future__ import annotations

import csv
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

import eduequity as ee
from eduequity import batch
from eduequity._cli import main
from eduequity.batch import column_label, display_table, write_tables
from eduequity.metrics import round_half_up_array

PRICES = {
    "teachers_above_qualification": 120_000.0,
    "teachers_backbone": 150_000.0,
    "teachers_pe_arts": 110_000.0,
    "room_area": 3_500.0,
    "sports_area": 400.0,
    "multimedia_rooms": 60_000.0,
    "music_rooms": 200_000.0,
    "music_room_area": 3_500.0,
    "art_rooms": 200_000.0,
    "art_room_area": 3_500.0,
    "classes": 500_000.0,
}


def _half_up(value: float, places: int) -> str:
    """A value rounded half up on its decimal value, with ``places`` decimals (by Decimal)."""
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@cache
def _sample() -> pa.Table:
    return batch.table_from_counties([ee.datasets.sample_county()])


@cache
def _every_table() -> dict[str, dict[str, pa.Table]]:
    """Every table the CLI writes, by command and table name."""
    out: dict[str, dict[str, pa.Table]] = {}
    for std in ("cn-basic-2012", "cn-quality-2017"):
        r = batch.evaluate_table(_sample(), std)
        out[f"evaluate {std}"] = {
            "counties": r.counties,
            "schools": r.schools,
            "findings": r.findings,
            "data_warnings": r.data_warnings,
        }
    costs = {k: {"yuan": v, "source": "test prices"} for k, v in PRICES.items()}
    p = batch.plan_table(
        _sample(), "cn-quality-2017", costs=costs, budget_per_year=2e6, transfers=True
    )
    out["plan"] = {
        "additions": p.additions,
        "counties": p.counties,
        "totals": p.totals,
        "not_in_plan": p.not_in_plan,
        "years": p.years,
        "transfers": p.transfers,
    }
    m = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012")
    out["monitor"] = {
        "panel": m.panel,
        "slides": m.slides,
        "early_warnings": m.early_warnings,
        "summary": m.summary(),
        "school_changes": m.school_changes,
    }
    return out


@pytest.mark.parametrize(
    "command", ["evaluate cn-basic-2012", "evaluate cn-quality-2017", "plan", "monitor"]
)
def test_every_column_has_one_chinese_label(command: str) -> None:
    """Every column of every table the CLI writes has a Chinese label, distinct within its
    table, and a Chinese file has no header left in English."""
    for name, table in _every_table()[command].items():
        labels = [column_label(c, name) for c in table.column_names]
        unknown = [c for c, lab in zip(table.column_names, labels, strict=True) if lab is None]
        assert unknown == [], name
        zh = [lab.zh for lab in labels if lab is not None]
        assert len(set(zh)) == len(zh), (name, zh)
        shown = display_table(table, "zh", name)
        assert not any(h.isascii() for h in shown.column_names), (name, shown.column_names)


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _weighted_cv(x: np.ndarray, w: np.ndarray) -> float:
    """REFERENCE: CV = sqrt(sum (w/W)(x - mean)^2) / mean, mean = sum w x / W."""
    mean = float(np.sum(w * x) / np.sum(w))
    return math.sqrt(float(np.sum(w / np.sum(w) * (x - mean) ** 2))) / mean


def test_chinese_csv_counties_headers_and_cvs(tmp_path: Path) -> None:
    """The counties table in Chinese: the headers of the national forms and the reports, each
    CV with 3 decimals, rounded half up, equal to the enrollment-weighted CV of the schools'
    values computed here; statuses and stages in Chinese; Parquet keeps the full values."""
    r = batch.evaluate_table(_sample(), "cn-quality-2017")
    write_tables({"counties": r.counties, "schools": r.schools}, tmp_path, "csv", "zh")
    rows = _read_csv(tmp_path / "counties.csv")
    assert rows[0][:11] == [
        "行政区划代码",
        "区县名称",
        "学段",
        "学段结论",
        "差异系数（结果）",
        "学校达标（结果）",
        "学校数",
        "未达到学校标准的学校数",
        "在校生数",
        "上限",
        "计算方法",
    ]
    assert "生均教学及辅助用房面积差异系数" in rows[0]
    components = ["申请评估认定的前提条件", "资源配置", "政府保障程度", "教育质量"]
    assert rows[0][-6:] == [*components, "社会认可度", "一票否决"]
    schools = r.schools.filter(pc.equal(r.schools.column("included"), True))
    col = rows[0].index("生均教学及辅助用房面积差异系数")
    for row in rows[1:]:
        stage = {"小学": "primary", "初中": "junior"}[row[2]]
        part = schools.filter(pc.equal(schools.column("stage").cast(pa.string()), stage))
        cv = _weighted_cv(
            part.column("value_room_area_per_student").to_numpy(),
            part.column("enrollment").to_numpy(),
        )
        assert row[col] == _half_up(cv, 3)
        assert row[3] in {"达标", "未达标", "未评估"}
    assert [r[9] for r in rows[1:]] == ["0.500", "0.450"]
    pq_out = tmp_path / "pq"
    pq_out.mkdir()
    write_tables({"counties": r.counties}, pq_out, "parquet", "zh")
    assert pq.read_table(pq_out / "counties.parquet").equals(r.counties)


def test_chinese_csv_schools_values_to_two_decimals(tmp_path: Path) -> None:
    """Each school's indicator value in Chinese is written with 2 decimals, rounded half up on
    its decimal value; its kind, stage and yes/no in Chinese."""
    r = batch.evaluate_table(_sample(), "cn-quality-2017")
    write_tables({"schools": r.schools}, tmp_path, "csv", "zh")
    rows = _read_csv(tmp_path / "schools.csv")
    header = rows[0]
    first = ["学校标识码", "学校名称", "行政区划代码", "学校类型", "学段", "纳入评估"]
    assert header[:7] == [*first, "原因"]
    col = header.index("每百名学生拥有县级及以上骨干教师数")
    values = r.schools.column("value_teachers_backbone_per_100_students").to_pylist()
    for row, v in zip(rows[1:], values, strict=True):
        assert row[col] == ("" if v is None else _half_up(v, 2))
        assert row[header.index("纳入评估")] in {"是", "否"}
    kinds = {row[3] for row in rows[1:]}
    assert kinds <= {"小学", "初级中学", "九年一贯制学校", "十二年一贯制学校", "完全中学"} | {
        "教学点",
        "特殊教育学校",
        "职业学校",
    }
    assert {row[4] for row in rows[1:]} <= {"小学", "初中", ""}


def test_english_csv_keeps_names_and_full_precision(tmp_path: Path) -> None:
    """In English the files keep the canonical names and every digit, unless asked to round."""
    r = batch.evaluate_table(_sample(), "cn-quality-2017")
    write_tables({"counties": r.counties}, tmp_path, "csv")
    rows = _read_csv(tmp_path / "counties.csv")
    assert rows[0] == r.counties.column_names
    col = rows[0].index("cv_room_area_per_student")
    cvs = r.counties.column("cv_room_area_per_student").to_pylist()
    assert [float(row[col]) for row in rows[1:]] == cvs
    write_tables({"counties": r.counties}, tmp_path, "csv", rounded=True)
    rows = _read_csv(tmp_path / "counties.csv")
    assert [row[col] for row in rows[1:]] == [_half_up(v, 3) for v in cvs]
    assert rows[1][rows[0].index("status")] in {"passed", "failed", "not_evaluated"}


def test_chinese_findings_round_by_row(tmp_path: Path) -> None:
    """The findings' measured values in Chinese: a CV with 3 decimals, a count as it is."""
    r = batch.evaluate_table(_sample(), "cn-quality-2017")
    write_tables({"findings": r.findings}, tmp_path, "csv", "zh")
    rows = _read_csv(tmp_path / "findings.csv")
    header = rows[0]
    level, measured = header.index("层级"), header.index("数值")
    findings = r.findings.to_pylist()
    for row, f in zip(rows[1:], findings, strict=True):
        if f["level"] == "stage":
            assert row[level] == "学段"
            assert row[measured] == _half_up(f["measured"], 3)
        elif f["rule_id"] == "school_standard.school_rule":
            assert row[measured] == str(int(f["measured"]))
    assert {row[header.index("结果")] for row in rows[1:]} <= {"达标", "未达标", "未评估"}


@pytest.mark.parametrize("standard", ["cn-basic-2012", "cn-quality-2017", "jiangsu-quality"])
def test_chinese_findings_cite_their_sources_in_chinese(tmp_path: Path, standard: str) -> None:
    """The 依据 of each finding in Chinese is its source's Chinese text (clause and confidence,
    [原文] or [转述], not [primary]), the one a report prints; in English the English text."""
    r = batch.evaluate_table(_sample(), standard)
    std = ee.get_standard(standard)
    write_tables({"findings": r.findings}, tmp_path, "csv", "zh")
    rows = _read_csv(tmp_path / "findings.csv")
    source = rows[0].index("依据")
    by_rule = {
        f.rule_id: f.citation for f in ee.evaluate(ee.datasets.sample_county(), std).findings
    }
    compared = 0
    for row, f in zip(rows[1:], r.findings.to_pylist(), strict=True):
        assert not row[source].endswith(("[primary]", "[secondary]", "[unconfirmed]"))
        if f["rule_id"] in by_rule:  # the object door's citation of the same rule
            assert row[source] == by_rule[f["rule_id"]].text("zh")
            assert f["citation"] == by_rule[f["rule_id"]].text("en")
            compared += 1
    assert compared >= 5


def test_chinese_excel_workbook_from_the_cli(tmp_path: Path) -> None:
    """`evaluate --tables xlsx --lang zh`: sheets with Chinese headers and rounded numbers."""
    fastexcel = pytest.importorskip("fastexcel")
    source = tmp_path / "schools.parquet"
    pq.write_table(_sample(), source)
    out = tmp_path / "out"
    args = ["evaluate", str(source), "--standard", "cn-basic-2012", "--out", str(out)]
    assert main([*args, "--tables", "xlsx", "--lang", "zh"]) in (0, 1)
    book = fastexcel.read_excel(out / "tables.xlsx")
    assert book.sheet_names == ["counties", "schools", "findings"]
    counties = book.load_sheet("counties").to_arrow()
    expected = batch.evaluate_table(_sample(), "cn-basic-2012").counties
    assert counties.column_names[:4] == ["行政区划代码", "区县名称", "学段", "学段结论"]
    got = counties.column("综合差异系数").to_pylist()
    want = expected.column("composite_cv").to_pylist()
    assert got == [float(_half_up(v, 3)) for v in want]
    assert counties.column("学段").to_pylist() == ["小学", "初中"]
    schools = book.load_sheet("schools").to_arrow()
    got = schools.column("生均图书册数").to_pylist()
    want = batch.evaluate_table(_sample(), "cn-basic-2012").schools.column(
        "value_books_per_student"
    )
    assert got == [None if v is None else float(_half_up(v, 2)) for v in want.to_pylist()]


def test_chinese_tables_of_plan_and_monitor_from_the_cli(tmp_path: Path) -> None:
    """`plan` and `monitor` with `--tables csv --lang zh` write every header in Chinese."""
    source = tmp_path / "schools.parquet"
    pq.write_table(_sample(), source)
    out = tmp_path / "plan"
    args = ["plan", str(source), "--standard", "cn-quality-2017", "--out", str(out)]
    assert main([*args, "--tables", "csv", "--lang", "zh"]) in (0, 1)
    additions = _read_csv(out / "additions.csv")
    assert additions[0][:4] == ["行政区划代码", "学校标识码", "学校名称", "学段"]
    assert all(not h.isascii() for h in additions[0])
    panel = tmp_path / "panel.parquet"
    pq.write_table(ee.datasets.sample_panel(), panel)
    out = tmp_path / "monitor"
    assert main(["monitor", str(panel), "--out", str(out), "--tables", "csv", "--lang", "zh"]) in (
        0,
        1,
    )
    for name in ("panel", "slides", "early_warnings", "summary", "school_changes"):
        header = _read_csv(out / f"{name}.csv")[0]
        assert all(not h.isascii() for h in header), (name, header)


@given(
    st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False),
        st.integers(-(10**7), 10**7).map(lambda k: k / 1000 + 0.0005),
        st.integers(-(10**6), 10**6).map(lambda k: k / 100 + 0.005),
    ),
    st.integers(0, 4),
)
def test_array_rounding_agrees_with_decimal(value: float, places: int) -> None:
    """Rounding an array gives, value by value, the decimal value rounded half up."""
    got = round_half_up_array(np.array([value]), places)[0]
    assert got == float(_half_up(value, places))


@pytest.mark.parametrize(
    "command", ["evaluate cn-basic-2012", "evaluate cn-quality-2017", "plan", "monitor"]
)
def test_words_are_in_chinese(command: str) -> None:
    """Every value of a column shown in words (statuses, stages, kinds, levels, components,
    indicators, confidences, methods, resources, a plan's reasons, monitoring warnings) is in
    Chinese in a Chinese table."""
    words = {"plain", "cv", "per_pupil", "ratio", "growth", "finding", "amount"}
    for name, table in _every_table()[command].items():
        shown = display_table(table, "zh", name)
        for column, header in zip(table.column_names, shown.column_names, strict=True):
            label = column_label(column, name)
            if label is None or label.display in words:
                continue
            values = {v for v in shown.column(header).to_pylist() if v is not None}
            # A monitoring summary's area is the nation (全国) or a province's code.
            code = label.display == "area"
            english = {v for v in values if str(v).isascii() and not (code and str(v).isdigit())}
            assert english == set(), (name, column)
            if code:
                assert "全国" in values


def test_a_plans_additions_in_chinese() -> None:
    """A plan's additions read in Chinese: the resource, the input column's form header, the
    reason, as the plan's own names say them."""
    additions = _every_table()["plan"]["additions"]
    shown = display_table(additions, "zh", "additions").to_pylist()
    first = additions.to_pylist()[0]
    assert first["column"] == "teachers_backbone_primary"
    assert shown[0]["数据列"] == "小学县级及以上骨干教师数"
    assert shown[0]["资源"] == "县级及以上骨干教师"
    assert first["reason"] == "school_rule"
    assert shown[0]["原因"] == "达到学校指标要求（至少6项达标，余项不低于85%）"


def test_amounts_and_reasons_read_as_an_office_writes_them(tmp_path: Path) -> None:
    """In a Chinese CSV the amounts to add are numbers to 2 decimals at most, without the noise
    of binary fractions (1696.3700000000001), each the unrounded amount rounded half up; why a
    school is not evaluated is in Chinese."""
    import re

    county = ee.datasets.sample_county()
    for standard in ("cn-basic-2012", "cn-quality-2017"):
        out = batch.evaluate_table(batch.table_from_counties([county]), standard)
        (tmp_path / standard).mkdir()
        (path,) = write_tables({"schools": out.schools}, tmp_path / standard, "csv", "zh")
        rows = _read_csv(path)
        header, body = rows[0], rows[1:]
        raw = out.schools.to_pylist()
        amounts = [c for c in out.schools.column_names if c.startswith("shortfall_")]
        assert bool(amounts) == (standard == "cn-quality-2017")  # 2012 has no school minimums
        for name in amounts:
            label = column_label(name, "schools")
            assert label is not None
            at = header.index(label.zh)
            for row, unrounded in zip(body, raw, strict=True):
                if unrounded[name] is None:
                    assert row[at] == ""
                    continue
                assert re.fullmatch(r"-?\d+(\.\d{1,2})?", row[at]), (name, row[at])
                assert float(row[at]) == float(_half_up(unrounded[name], 2))
        at = header.index("原因")
        reasons = {row[at] for row in body} - {""}
        assert reasons
        assert all(not r.isascii() for r in reasons), reasons


def test_a_monitoring_summary_names_the_nation_in_chinese() -> None:
    """The summary's 范围 is 全国 for the nation in Chinese ("national" in English); a
    province keeps its code in both."""
    summary = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012").summary()
    areas = set(summary.column("area").to_pylist())
    zh = set(display_table(summary, "zh", "summary").column("范围").to_pylist())
    en = set(display_table(summary, "en", "summary").column("area").to_pylist())
    assert "national" in areas
    assert zh == {"全国"} | (areas - {"national"})
    assert en == areas
