"""Plans an office can carry out: quantities on their grid and inside the thresholds, rooms
built whole, hires priced or said to be unpriced, costs keyed in Chinese."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import numpy as np
import pytest

import eduequity as ee
from eduequity import DataError, load_costs
from eduequity._planning.additions import rooms_to_build

PRICED = {
    "teachers_above_qualification": 150_000,
    "teachers_backbone": 180_000,
    "teachers_pe_arts": 150_000,
    "room_area": 3_500,
    "sports_area": 800,
    "multimedia_rooms": 60_000,
    "music_rooms": 200_000,
    "music_room_area": 3_500,
    "art_rooms": 200_000,
    "art_room_area": 3_500,
    "classes": 400_000,
}


def priced(**changes: float | None) -> dict[str, dict[str, object]]:
    """The unit costs above (a key set to None is left out)."""
    prices = {**PRICED, **changes}
    return {k: {"yuan": v, "source": "test"} for k, v in prices.items() if v is not None}


def nine_year_county() -> ee.County:
    """The sample county with its nine-year school's equipment 1,000 yuan per weighted pupil:
    2,190,600 yuan give its primary part (454 of 454 + 1.1 × 583 weighted pupils) exactly
    2,000 yuan per pupil."""
    county = ee.datasets.sample_county()
    schools = []
    for s in county.schools:
        if s.kind is ee.SchoolKind.NINE_YEAR and s.primary is not None and s.junior is not None:
            s = attrs.evolve(
                s,
                primary=attrs.evolve(s.primary, enrollment=454),
                junior=attrs.evolve(s.junior, enrollment=583),
                equipment_value=1_095_300.0,
            )
        schools.append(s)
    return attrs.evolve(county, schools=tuple(schools))


def test_a_minimum_is_met_one_yuan_inside() -> None:
    """The nine-year school whose exact top-up is 1,095,300 yuan (to 2,190,600) adds one yuan
    more, so its primary part reads above 2,000 in any order of arithmetic."""
    county = nine_year_county()
    p = ee.plan(county, "cn-quality-2017")
    nine = next(s for s in county.schools if s.equipment_value == 1_095_300.0)
    rows = [
        r
        for r in p.additions.to_pylist()
        if r["school_id"] == nine.id and r["column"] == "equipment_value"
    ]
    total = sum(r["quantity"] for r in rows)
    assert total >= 1_095_301.0
    share = Fraction(454) / (Fraction(454) + Fraction(11, 10) * 583)
    value = (Fraction(1_095_300) + Fraction(total)) * share / 454
    assert value >= 2000 + share / 454  # at least one yuan of the school inside
    # The float order an office's sheet may use: the school's total over the weighted pupils.
    after = 1_095_300.0 + total
    assert after / (454 + 1.1 * 583) >= 2000.0


def test_quantities_and_totals_are_on_their_grid_in_every_table() -> None:
    """Every quantity and cost in the additions and totals is the float nearest its decimal
    (no 59.800000000000004): printed, it has at most two decimals."""
    p = ee.plan(ee.datasets.sample_county(), "cn-quality-2017", costs=priced(teacher=150_000))
    for table in (p.additions, p.totals):
        for name in ("quantity", "cost"):
            for v in table.column(name).to_pylist():
                if v is not None:
                    assert len(repr(v).partition(".")[2]) <= 2, (name, v)


def test_rooms_are_built_whole() -> None:
    """A school whose rooms are enough but too small builds one room, at least the minimum
    and enough for the mean; a school short of rooms builds them, each at least the minimum;
    no row adds area without a room."""
    build, area = rooms_to_build(
        np.array([1.0, 2.0, 0.0, 3.0, np.nan, 2.0]),
        np.array([94.5, 150.0, 0.0, 400.0, 50.0, np.nan]),
        np.array([1.0, 3.0, 1.0, 3.0, 1.0, 3.0]),
        96.0,
    )
    assert build.tolist() == [1.0, 1.0, 1.0, 0.0, 0.0, 1.0]
    assert area.tolist()[:4] == [97.51, 138.01, 96.01, 0.0]
    p = ee.plan(ee.datasets.sample_county(), "cn-quality-2017")
    rows = p.additions.to_pylist()
    rooms = {
        (r["school_id"], r["column"][:-6], r["reason"])
        for r in rows
        if r["column"].endswith("_rooms")
    }
    for r in rows:
        if r["column"].endswith("_room_area"):
            kind = r["column"][: -len("_room_area")]
            assert (r["school_id"], kind, r["reason"]) in rooms, r
            built = sum(
                x["quantity"]
                for x in rows
                if x["school_id"] == r["school_id"] and x["column"] == f"{kind}_rooms"
            )
            assert r["quantity"] >= built * (96.0 if kind == "music" else 90.0)


def test_hires_are_priced_by_the_teacher_cost_or_said_unpriced() -> None:
    """A ``teacher`` price prices every hire whose kind has none; without any teacher price
    the hiring rows have no cost (never 0), the totals say so, and a schedule refuses."""
    no_teachers = priced(
        teachers_above_qualification=None, teachers_backbone=None, teachers_pe_arts=None
    )
    county = ee.datasets.sample_county()
    p = ee.plan(
        county,
        "cn-quality-2017",
        costs={**no_teachers, "teacher": {"yuan": 100_000, "source": "t"}},
    )
    for r in p.additions.to_pylist():
        if r["resource"].startswith("teachers_"):
            assert r["cost"] == r["quantity"] * 100_000
        if r["reason"] == "hire":
            assert r["cost"] is None
    unpriced = ee.plan(county, "cn-quality-2017", costs=no_teachers)
    hires = [r for r in unpriced.additions.to_pylist() if r["resource"].startswith("teachers")]
    assert hires
    assert all(r["cost"] is None for r in hires)
    totals = {r["resource"]: r["cost"] for r in unpriced.totals.to_pylist()}
    assert totals["teachers_backbone"] is None
    rows = unpriced.additions.to_pylist()
    assert unpriced.total_cost == pytest.approx(sum(r["cost"] or 0.0 for r in rows))
    with pytest.raises(DataError, match="not price teachers_"):
        ee.plan(county, "cn-quality-2017", costs=no_teachers, budget_per_year=1e7).years  # noqa: B018


def test_cost_keys_in_chinese_and_near_misses(tmp_path: Path) -> None:
    """A costs file may name its keys in Chinese; a near miss is answered with the key meant;
    a key given twice (in both languages) is refused."""
    path = tmp_path / "costs.toml"
    path.write_text(
        '["教学及辅助用房面积"]\nyuan = 3500\nsource = "单价"\n'
        '["新聘教师"]\nyuan = 120000\nsource = "人社局"\n',
        encoding="utf-8",
    )
    costs = load_costs(path)
    assert costs.of("room_area") == 3500.0
    assert costs.of("teachers_backbone") == 120000.0
    path.write_text('[新聘教师]\nyuan = 1\nsource = "x"\n', encoding="utf-8")
    with pytest.raises(DataError, match=r'in quotes: \["新聘教师"\]'):
        load_costs(path)
    with pytest.raises(
        DataError, match=r"unknown resource 'room_areas'\. Did you mean \[room_area\]"
    ):
        load_costs({"room_areas": {"yuan": 1, "source": "x"}})
    with pytest.raises(DataError, match=r"Did you mean \[教学及辅助用房面积\]"):
        load_costs({"教学辅助用房面积": {"yuan": 1, "source": "x"}})
    with pytest.raises(DataError, match=r"prices books twice, as \[books\] and \[图书\]"):
        load_costs({"books": {"yuan": 1, "source": "x"}, "图书": {"yuan": 2, "source": "y"}})
    # The school table's own headers (网络多媒体教室数, 计算机台数) and counts (专任教师数) name
    # their resources too; an unknown key is answered in Chinese as well.
    named = load_costs(
        {
            "网络多媒体教室数": {"yuan": 80000, "source": "x"},
            "计算机台数": {"yuan": 4000, "source": "x"},
            "专任教师数": {"yuan": 100000, "source": "x"},
        }
    )
    assert named.yuan == {"multimedia_rooms": 80000, "computers": 4000, "teachers": 100000}
    with pytest.raises(DataError) as caught:
        load_costs({"桌椅": {"yuan": 1, "source": "x"}})
    assert caught.value.message_zh is not None
    assert "单价中的资源 '桌椅' 无法识别" in caught.value.message_zh


def test_the_plan_page_puts_the_cost_first_then_each_school() -> None:
    """The page for the superior, in every format and both languages: the total cost before
    anything else, one row per school whose subtotals add up to it, the schools failing today
    (every school the evaluation before the plan fails), then the details; a hire row never
    says 0."""
    from eduequity.report import render_plan

    county = ee.datasets.sample_county()
    p = ee.plan(county, "cn-quality-2017", costs=priced(teacher=150_000))
    total = p.total_cost
    assert total is not None
    failing = {
        s.school_id
        for s in ee.evaluate(county, "cn-quality-2017").school_rules
        if s.status is ee.Status.FAILED
    }
    assert failing <= set(p.failing.column("school_id").to_pylist())
    for lang, cost_words, schools_words, failing_words, details in (
        ("zh", "规划总费用", "各校需增加的资源及费用", "目前未达标的学校", "详细情况"),
        (
            "en",
            "Cost of the plan",
            "What each school adds, and its cost",
            "Schools failing today",
            "Details",
        ),
    ):
        for fmt in ("text", "md", "html"):
            page = render_plan(p, fmt, lang)
            at = [page.index(w) for w in (cost_words, schools_words, failing_words, details)]
            assert at == sorted(at), (lang, fmt)
            assert f"{total:,.0f}" in page[: at[1]]
        md = render_plan(p, "md", lang)
        section = md[md.index(schools_words) : md.index(failing_words)]
        rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| 990101")]
        assert len(rows) == len(set(p.additions.column("school_id").to_pylist()))
        assert sum(float(r[-1].rstrip(" |").replace(",", "")) for r in rows) == pytest.approx(total)
        for school in failing:
            assert f"| {school} |" in md[md.index(failing_words) :]
        assert " | 0 |" not in md
    text = render_plan(p, "text", "zh")
    assert "新建音乐专用教室" in text
    assert "计入所聘岗位" in text
    # Without teacher prices the page says how many teachers are not priced.
    unpriced = ee.plan(
        county,
        "cn-quality-2017",
        costs=priced(
            teachers_above_qualification=None, teachers_backbone=None, teachers_pe_arts=None
        ),
    )
    zh = render_plan(unpriced, "md", "zh")
    assert "未提供教师单价" in zh
    assert "未定价" in zh
