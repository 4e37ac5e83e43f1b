"""What it takes to pass: water-filling proven against scipy, plans verified by evaluating the
county with the additions through the object door."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import linprog, minimize

import eduequity as ee
from eduequity import (
    DataError,
    batch,
    composite_levels,
    cv_of_level,
    level_cost,
    load_costs,
    water_level,
)
from eduequity._planning import PlanTables, plan_evaluation
from eduequity._planning._targets import cv_margin
from eduequity._planning.additions import split_classes
from eduequity.batch import plan_in_chunks
from eduequity.batch._inputs import county_inputs as batch_inputs
from eduequity.rules import ClassSizes, run
from eduequity.rules._columns import STAGES, county_chunks
from eduequity.standards import get_standard
from eduequity.testing import counties

FloatArray = NDArray[np.float64]


def plain_cv(y: FloatArray, p: FloatArray) -> float:
    """The enrollment-weighted CV, written out."""
    w = p / p.sum()
    mean = float((w * y).sum())
    return math.sqrt(float((w * (y - mean) ** 2).sum())) / mean


def scipy_cheapest(
    x: FloatArray, p: FloatArray, c: float, floor: FloatArray | None = None
) -> tuple[float, FloatArray]:
    """min sum(a) s.t. a >= 0, x + a/p >= floor, CV(x + a/p) <= c, by SLSQP on the values'
    rises d = a/p (weighted by w = p/P), with the bound squared: c² mean² - variance >= 0."""
    w = p / p.sum()
    low = np.zeros_like(x) if floor is None else np.maximum(floor - x, 0.0)

    def slack(d: FloatArray) -> float:
        y = x + d
        mean = float((w * y).sum())
        return c * c * mean * mean - float((w * (y - mean) ** 2).sum())

    def slack_grad(d: FloatArray) -> FloatArray:
        y = x + d
        mean = float((w * y).sum())
        grad: FloatArray = 2 * c * c * mean * w - 2 * w * (y - mean)
        return grad

    res = minimize(
        lambda d: float((w * d).sum()),
        np.maximum(x.max() - x, low),
        jac=lambda d: w,
        bounds=[(lo, None) for lo in low],
        constraints=[{"type": "ineq", "fun": slack, "jac": slack_grad}],
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 5000},
    )
    # Status 8 ("positive directional derivative") is SLSQP stopping at the limit of its
    # precision; the point must still be feasible, and the caller compares the values.
    assert res.success or res.status == 8, res.message
    mean = float((w * (x + res.x)).sum())
    assert slack(res.x) >= -1e-8 * c * c * mean * mean
    assert np.all(res.x >= low - 1e-12)
    a = res.x * p
    return float(a.sum()), a


@pytest.mark.parametrize("seed", range(25))
def test_water_filling_is_the_scipy_optimum(seed: int) -> None:
    """Raising the lowest schools to a common level costs what a general solver finds, to
    1e-6 relative, and meets the bound; with per-school floors, x' = max(x, floor, L)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 15))
    p = rng.integers(30, 2500, n).astype(float)
    x = rng.lognormal(1.0, 0.7, n)
    c = float(rng.uniform(0.1, 0.9)) * plain_cv(x, p)
    floor = np.where(rng.random(n) < 0.3, x * rng.uniform(1.0, 1.5, n), -np.inf)
    for f in (None, floor):
        y = x if f is None else np.maximum(x, f)
        level = water_level(y, p, c)
        ours = float(((np.maximum(y, level[0]) - x) * p).sum())
        if f is None:
            assert ours == pytest.approx(level_cost(x, p, level)[0], rel=1e-12)
        best, _ = scipy_cheapest(x, p, c, None if f is None else np.where(np.isinf(f), 0, f))
        assert ours == pytest.approx(best, rel=1e-6)
        assert plain_cv(np.maximum(y, level[0]), p) <= c * (1 + 1e-12)


def test_water_level_on_groups_and_edge_cases() -> None:
    """Groups are solved separately; a group that meets its bound keeps its values; a group
    of zeros has no level (its CV is undefined)."""
    x = np.array([1.0, 3.0, 2.0, 2.0, 0.0, 0.0])
    p = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    g = np.array([0, 0, 1, 1, 2, 2])
    level = water_level(x, p, np.array([0.2, 0.2, 0.2]), g)
    assert level[0] == pytest.approx(2.0)  # CV 0.2 exactly when 1 is raised to 2
    assert level[1] == 2.0  # equal values: CV 0, nothing to raise
    assert math.isnan(level[2])
    assert cv_of_level(x, p, level, g)[0] <= 0.2
    with pytest.raises(DataError, match="finite and >= 0"):
        water_level([1.0, -1.0], [1, 1], 0.2)


@pytest.mark.parametrize("seed", range(8))
def test_composite_plan_is_no_worse_than_any_single_indicator_plan(seed: int) -> None:
    """The composite's levels meet the bound on the mean of the CVs and cost no more than
    lowering any one indicator alone, each found by scipy."""
    rng = np.random.default_rng(100 + seed)
    n, k = int(rng.integers(4, 10)), 3
    p = rng.integers(30, 2000, n).astype(float)
    xs = [rng.lognormal(1.0, s, n) for s in rng.uniform(0.3, 0.9, k)]
    ws = [np.full(n, 1.0 / float((x * p).sum())) for x in xs]  # relative to the total
    cvs = [plain_cv(x, p) for x in xs]
    bound = 0.8 * sum(cvs) / k
    levels = composite_levels(xs, p, np.array([bound]), np.zeros(n, dtype=np.intp), ws)
    after = [np.maximum(x, lv[0]) for x, lv in zip(xs, levels, strict=True)]
    assert sum(plain_cv(y, p) for y in after) / k <= bound * (1 + 1e-12)
    ours = sum(float(((y - x) * p * w).sum()) for x, y, w in zip(xs, after, ws, strict=True))
    for j in range(k):
        alone = k * bound - (sum(cvs) - cvs[j])
        if alone <= 0:
            continue
        single, _ = scipy_cheapest(xs[j], p, alone)
        assert ours <= single * ws[j][0] * (1 + 1e-6)


def school(i: int, enrollment: int, sports: float, **changes: float) -> ee.School:
    """A primary school meeting every 2017 minimum with room to spare (but ``changes``)."""
    people = {
        "teachers_above_qualification": enrollment * 0.1,
        "teachers_intermediate_title": enrollment * 0.03,
        "teachers_backbone": enrollment * 0.03,
        "teachers_pe_arts": enrollment * 0.03,
    }
    people.update({k: v for k, v in changes.items() if k in people})
    return ee.School(
        id=f"S{i}",
        kind="primary",
        primary=ee.StageData(
            enrollment=enrollment,
            teachers=enrollment / 15,
            staff=enrollment / 14,
            class_sizes=(40,) * (enrollment // 40),
            **people,
        ),
        room_area=enrollment * 6.0,
        sports_area=sports,
        equipment_value=changes.get("equipment_value", enrollment * 3000.0),
        computers=enrollment * 0.2,
        books=enrollment * 40.0,
        multimedia_rooms=enrollment * 0.03 + 1,
        music_rooms=3,
        music_room_area=300.0,
        art_rooms=3,
        art_room_area=300.0,
    )


def one_indicator_county() -> ee.County:
    """Primary schools meeting every 2017 minimum, whose sports area per student is spread
    out: only the sports-area CV fails."""
    schools = [
        school(i, enrollment, sports)
        for i, (enrollment, sports) in enumerate([(400, 3040.0), (600, 12000.0), (800, 48000.0)])
    ]
    return ee.County(code="990101", name="test", schools=schools)


def test_a_single_cv_plan_is_the_water_level_rounded_up_by_less_than_a_unit() -> None:
    """Where only one CV fails, the plan adds to each school what water-filling says for the
    bound less one unit's worth of CV (0.01 m² here), rounded up to 0.01 m²: never less, and
    less than one unit more."""
    county = one_indicator_county()
    p = ee.plan(county, "cn-quality-2017")
    assert p.passes
    adds = p.additions.to_pylist()
    assert {(a["column"], a["reason"]) for a in adds} == {("sports_area", "balance_cv")}
    enrollment = np.array([400.0, 600.0, 800.0])
    x = np.array([3040.0, 12000.0, 48000.0]) / enrollment
    inside = cv_margin(x, enrollment, np.zeros(3, dtype=np.intp), np.array([0.50]), 0.01, 1.0)
    assert 0.50 - 1e-5 < inside[0] < 0.50 - 1e-7  # one unit of 0.01 m² inside
    level = water_level(x, enrollment, inside)[0]
    continuous = np.maximum(level - x, 0.0) * enrollment
    planned = np.zeros(3)
    for a in adds:
        planned[int(a["school_id"][1:])] = a["quantity"]
    assert np.all(planned >= continuous - 1e-6)
    assert np.all(planned - continuous < 0.01 + 1e-9)
    before = p.before.stages["primary"].cvs["sports_area_per_student"].cv
    after = p.after.stages["primary"].cvs["sports_area_per_student"].cv
    assert before is not None
    assert before > 0.5
    assert after is not None
    assert after <= 0.5


def check_plan(county: ee.County, standard: str) -> None:
    p = ee.plan(county, standard)
    after = ee.evaluate(p.apply(), standard)  # the object door, on the county with the additions
    assert after.status == p.after.status
    for stage, result in after.stages.items():
        assert result.status == p.after.stages[stage].status
    missing = set(p.not_in_plan.column("why").to_pylist())
    rows = p.counties.to_pylist()
    # A plan may fall short only where an input is missing, a CV is undefined, or (2012
    # without a province's school standard) the school standard it needs was not given.
    short = {"input_missing", "undefined_cv", "school_standard_not_given"}
    for row in rows:
        if not row["passes_after"]:
            assert missing & short, (standard, row)
    if not missing & short:
        assert p.passes
    if standard == "cn-basic-2012" and rows:
        # The standard's school standard is a province's, not given here: never passed.
        assert "school_standard_not_given" in missing
        assert not any(row["passes_after"] for row in rows)
        assert not p.passes
    q = p.additions.column("quantity").to_numpy()
    assert np.all(q > 0)
    assert p.additions.column("cost").null_count == p.additions.num_rows


@settings(max_examples=60)
@given(counties(max_schools=12), st.sampled_from(["cn-quality-2017", "cn-basic-2012"]))
def test_every_plan_is_verified_on_random_counties(county: ee.County, standard: str) -> None:
    """Random counties (with missing values): the county with the additions, evaluated again
    through the object door, passes every rule the plan covers, unless the plan says why not."""
    check_plan(county, standard)


@settings(max_examples=30)
@given(counties(max_schools=10, missing=False))
def test_plans_under_a_provincial_basic_standard(county: ee.County) -> None:
    """2012 with a province's basic school-running standard: every school reaches every
    minimum, and the composite bound holds."""
    school_standard = ee.datasets.sample_school_standard()
    std = ee.get_standard("cn-basic-2012").with_school_standard(school_standard)
    p = ee.plan(county, std)
    after = ee.evaluate(p.apply(), std)
    assert all(r.status is not ee.Status.FAILED for r in after.school_rules)
    assert p.passes or "undefined_cv" in p.not_in_plan.column("why").to_pylist()


def test_the_school_rule_leaves_short_the_indicator_that_saves_most() -> None:
    """Under 6 of 7, a school short on two indicators meets one in full and brings the other
    to 85 %, whichever costs less; the choice follows the prices."""
    # 1,000 students: 9 backbone teachers (0.9 per 100, 90 % of 1.0) and 1,600 yuan of
    # equipment per student (80 % of 2,000). Leave the teachers short: add 400,001 yuan of
    # equipment. Leave the equipment short: add 2 teachers and 100,001 yuan (to 85 %). Each
    # lands one unit inside its threshold (10 teachers and 400,000 yuan would land on it).
    short = school(0, 1000, 20000.0, teachers_backbone=9.0, equipment_value=1_600_000.0)
    others = [school(i, 1000, 20000.0) for i in (1, 2)]
    county = ee.County(code="990101", schools=[short, *others])
    priced = dict.fromkeys(("teachers_above_qualification", "teachers_pe_arts", "room_area"), 1.0)
    priced |= dict.fromkeys(("sports_area", "multimedia_rooms", "music_rooms", "art_rooms"), 1.0)
    priced |= {"music_room_area": 1.0, "art_room_area": 1.0, "classes": 1.0}

    def plan_with(backbone: float) -> dict[str, float]:
        costs = {k: {"yuan": v, "source": "test"} for k, v in priced.items()}
        costs["teachers_backbone"] = {"yuan": backbone, "source": "test"}
        p = ee.plan(county, "cn-quality-2017", costs=costs)
        assert p.passes
        return {
            r["column"]: r["quantity"]
            for r in p.additions.to_pylist()
            if r["school_id"] == "S0" and r["reason"] == "school_rule"
        }

    assert plan_with(backbone=100_000.0) == {
        "teachers_backbone_primary": 2.0,
        "equipment_value": 100_001.0,
    }
    assert plan_with(backbone=500_000.0) == {"equipment_value": 400_001.0}


_CHOICE_IN_A_FRESH_PROCESS = """
import numpy as np
from eduequity._planning._left_short import StageChoices, cheapest_left_short
resources, shared = ("teachers", "room_area", "sports_area"), (False, True, True)
a = StageChoices(np.array([0]), np.array([[0.1, 0.6, 0.1]]), np.array([[0.1, 0.0, 0.0]]),
                 resources, shared, 1)
b = StageChoices(np.array([0]), np.array([[0.7, 0.1, 0.7]]), np.array([[0.3, 0.1, 0.3]]),
                 resources, shared, 1)
print([c.tolist() for c in cheapest_left_short([a, b])])
"""


def test_the_school_rule_choice_is_the_same_whatever_the_hash_seed() -> None:
    """A school's two parts share two resources; their pair costs are sums whose last bits
    depend on the order the shared resources are added. That order is the resources' own, not
    a set's, so a plan is the same in every process (it once followed ``PYTHONHASHSEED``)."""
    import os
    import subprocess
    import sys

    seen = set()
    for seed in range(8):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        run = subprocess.run(
            [sys.executable, "-c", _CHOICE_IN_A_FRESH_PROCESS],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seen.add(run.stdout.strip())
    assert len(seen) == 1, seen


def test_costs_price_every_row_and_the_totals() -> None:
    costs = {
        k: {"yuan": 10.0, "source": "test"}
        for k in (
            "teachers_above_qualification",
            "teachers_backbone",
            "teachers_pe_arts",
            "room_area",
            "sports_area",
            "multimedia_rooms",
            "music_rooms",
            "music_room_area",
            "art_rooms",
            "art_room_area",
            "classes",
        )
    }
    p = ee.plan(ee.datasets.sample_county(), "cn-quality-2017", costs=costs)
    rows = p.additions.to_pylist()
    for r in rows:
        if r["reason"] == "hire":
            assert r["cost"] is None  # the teacher is priced in its sub-count's row
        elif r["resource"] == "equipment_value":
            assert r["cost"] == r["quantity"]  # yuan are yuan
        else:
            assert r["cost"] == pytest.approx(10.0 * r["quantity"])
    total = [t for t in p.totals.to_pylist() if t["resource"] == "total"]
    assert total[0]["cost"] == pytest.approx(sum(r["cost"] or 0.0 for r in rows))
    assert p.total_cost == pytest.approx(total[0]["cost"])


def test_costs_files_and_their_errors(tmp_path: Path) -> None:
    path = tmp_path / "costs.toml"
    path.write_text('[books]\nyuan = 30\nsource = "采购目录"\n', encoding="utf-8-sig")
    assert load_costs(path).of("books") == 30.0
    path.write_text('[books]\nyuan = 30\nsource = "采购目录"\n', encoding="gbk")
    with pytest.raises(DataError, match="not UTF-8"):
        load_costs(path)
    with pytest.raises(DataError, match="needs a source"):
        load_costs({"books": {"yuan": 30}})
    with pytest.raises(DataError, match="unknown resource 'chairs'"):
        load_costs({"chairs": {"yuan": 30, "source": "x"}})
    with pytest.raises(DataError, match="must be >= 0"):
        load_costs({"books": {"yuan": -1, "source": "x"}})
    with pytest.raises(
        DataError, match=r"may add .*room_area \(教学及辅助用房面积\).*do not price"
    ):
        ee.plan(
            ee.datasets.sample_county(),
            "cn-quality-2017",
            costs={"books": {"yuan": 1, "source": "x"}},
        )


@settings(max_examples=100)
@given(
    st.lists(st.lists(st.integers(1, 130), max_size=6), min_size=1, max_size=5),
    st.integers(20, 60),
)
def test_splitting_classes(sizes: list[list[int]], cap: int) -> None:
    """Each class over the cap becomes ceil(size / cap) classes within it, of the same
    students; the others are untouched."""
    values = np.array([v for s in sizes for v in s], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in sizes])]).astype(np.intp)
    before = ClassSizes(values, offsets, np.ones(len(sizes), dtype=np.bool_))
    after = split_classes(before, cap, np.ones(len(sizes), dtype=np.bool_))
    for i, s in enumerate(sizes):
        got = after.of(i).tolist()
        assert sum(got) == sum(s)
        assert all(v <= cap for v in got)
        assert len(got) == sum(-(-v // cap) for v in s)


def test_the_doors_agree_and_plans_of_a_table() -> None:
    """``batch.plan_table`` plans every county of a table as ``ee.plan`` plans each."""
    sample = ee.datasets.sample_county()
    other = ee.County(code="990102", name="other", schools=one_indicator_county().schools)
    table = batch.table_from_counties([sample, other])
    together = batch.plan_table(table, "cn-quality-2017")
    assert together.passes
    for county in (sample, other):
        alone = ee.plan(county, "cn-quality-2017").additions
        mine = together.additions.filter(
            pa.compute.equal(together.additions.column("county_code"), county.code)
        )
        assert mine.column("quantity").to_pylist() == alone.column("quantity").to_pylist()
        assert mine.column("school_id").to_pylist() == alone.column("school_id").to_pylist()
    assert together.after.counties.column("status").to_pylist() != (
        together.before.counties.column("status").to_pylist()
    )
    assert set(together.counties.column("passes_after").to_pylist()) == {True}


def test_the_plan_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``eduequity plan`` writes the four tables and the report; exit 0 when every county
    passes after its plan, 1 when some cannot (inputs missing), 2 for a bad costs file."""
    from eduequity._cli import main

    source = tmp_path / "schools.parquet"
    import pyarrow.parquet as pq

    pq.write_table(batch.table_from_counties([ee.datasets.sample_county()]), source)
    out = tmp_path / "plan"
    args = ["plan", str(source), "--out", str(out), "--format", "html", "--lang", "zh"]
    assert main([*args, "--tables", "csv"]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "additions.csv",
        "counties.csv",
        "not_in_plan.csv",
        "plan.html",
        "read.txt",
        "totals.csv",
    ]
    page = (out / "plan.html").read_text(encoding="utf-8")
    assert "达标规划" in page
    assert "<svg" in page
    assert "undefined" not in page
    assert (
        "2 个学段（按县区分学段计）中，规划后 2 个达到规划所涵盖的全部要求"
        in capsys.readouterr().out
    )
    missing = Path(__file__).parents[1] / "data" / "gbk_chinese_headers.csv"
    assert main(["plan", str(missing)]) == 1
    assert "input missing" in capsys.readouterr().out
    good = tmp_path / "prices.toml"
    good.write_text(
        "".join(f'[{k}]\nyuan = {v}\nsource = "test"\n' for k, v in PRICES.items()),
        encoding="utf-8",
    )
    staged = tmp_path / "staged"
    budget = ["--costs", str(good), "--budget-per-year", "8000000", "--tables", "csv"]
    assert main(["plan", str(source), "--out", str(staged), *budget]) == 0
    assert (staged / "years.csv").exists()
    assert "Year by year" in (staged / "plan.txt").read_text(encoding="utf-8")
    capsys.readouterr()
    bad = tmp_path / "costs.toml"
    bad.write_text("[books]\nyuan = 30\n", encoding="utf-8")
    assert main(["plan", str(source), "--costs", str(bad)]) == 2
    assert "needs a source" in capsys.readouterr().err


def test_plan_reports_in_every_format() -> None:
    """Text, Markdown, HTML and JSON; Chinese words in Chinese; a summary for many counties."""
    import json

    from eduequity.report import render_plan

    one = ee.plan(ee.datasets.sample_county(), "cn-quality-2017")
    for fmt in ("text", "md", "html"):
        text = render_plan(one, fmt, "zh")
        assert "各校需增加的资源" in text
        assert "县级及以上骨干教师" in text
        assert "teachers_backbone" not in text
    doc = json.loads(render_plan(one, "json", "en"))
    assert doc["passes"] is True
    assert {c["stage"] for c in doc["counties"]} == {"primary", "junior"}
    other = ee.County(code="990102", name="other", schools=one_indicator_county().schools)
    many = batch.plan_table(
        batch.table_from_counties([ee.datasets.sample_county(), other]), "cn-quality-2017"
    )
    summary = render_plan(many, "md", "en")
    assert "| other (990102) |" in summary
    assert "What each school adds" not in summary


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
COSTS = {k: {"yuan": v, "source": "test prices"} for k, v in PRICES.items()}


def partly_applied(county: ee.County, plan: ee.Plan, up_to: int) -> ee.County:
    """The county with the plan's rows of year <= ``up_to`` added, written out school by
    school from the additions table (class sizes taken from the fully applied county)."""
    full = {s.id: s for s in plan.apply().schools}
    rows = [r for r in plan.additions.to_pylist() if r["year"] <= up_to]
    schools = []
    for school in county.schools:
        mine = [r for r in rows if r["school_id"] == school.id]
        changes: dict[str, Any] = {}
        stages: dict[str, dict[str, Any]] = {}
        for r in mine:
            if r["resource"] == "classes":
                data = full[school.id].stage(ee.Stage(r["stage"]))
                assert data is not None
                stages.setdefault(r["stage"], {})["class_sizes"] = data.class_sizes
            elif r["stage"] is None:
                changes[r["resource"]] = (
                    changes.get(r["resource"], getattr(school, r["resource"])) + r["quantity"]
                )
            else:
                data = school.stage(ee.Stage(r["stage"]))
                fields = stages.setdefault(r["stage"], {})
                fields[r["resource"]] = (
                    fields.get(r["resource"], getattr(data, r["resource"])) + r["quantity"]
                )
        for stage, fields in stages.items():
            data = school.stage(ee.Stage(stage))
            assert data is not None
            changes[stage] = attrs.evolve(data, **fields)
        schools.append(attrs.evolve(school, **changes))
    return attrs.evolve(county, schools=tuple(schools))


def test_a_staged_plan_spends_within_the_budget_and_passes_in_the_year_it_says() -> None:
    """Each year's packages cost at most the budget so far; the year a stage first passes is
    the year after which the county, with the rows of the years so far added by hand and
    evaluated through the object door, passes — and the year before it does not."""
    county = ee.datasets.sample_county()
    budget = 8_000_000.0
    plan = ee.plan(county, "cn-quality-2017", costs=COSTS, budget_per_year=budget)
    rows = plan.additions.to_pylist()
    per_school: dict[str, tuple[int, float]] = {}
    for r in rows:
        year, cost = per_school.get(r["school_id"], (r["year"], 0.0))
        assert year == r["year"]  # a school's package is done in one year
        per_school[r["school_id"]] = (year, cost + (r["cost"] or 0.0))
    last = max(y for y, _ in per_school.values())
    for y in range(1, last + 1):
        spent = sum(c for year, c in per_school.values() if year <= y)
        assert spent <= y * budget + 1e-6
    assert last == math.ceil(sum(c for _, c in per_school.values()) / budget)
    years = {r["stage"]: r["year_passes"] for r in plan.years.to_pylist()}
    std = "cn-quality-2017"
    for stage, year in years.items():
        assert year is not None
        assert 0 < year <= last
        after = ee.evaluate(partly_applied(county, plan, year), std).stages[stage]
        assert after.status is ee.Status.PASSED
        before = ee.evaluate(partly_applied(county, plan, year - 1), std)
        failing = [
            r
            for r in before.school_rules
            if r.stage.value == stage and r.status is not ee.Status.PASSED
        ]
        assert before.stages[stage].status is not ee.Status.PASSED or failing
    with pytest.raises(DataError, match="needs costs"):
        ee.plan(county, "cn-quality-2017", budget_per_year=1e6)


@settings(max_examples=60)
@given(
    st.lists(st.integers(0, 12), min_size=1, max_size=6),
    st.lists(st.integers(0, 12), min_size=1, max_size=6),
)
def test_the_transportation_problem_moves_all_it_can_in_whole_teachers(
    supply: list[int], demand: list[int]
) -> None:
    """min(total supply, total demand) teachers move, in whole teachers, within each school's
    supply and demand, over at most |S| + |R| - 1 pairs of schools."""
    from eduequity._planning.transfers import _solve

    moves = _solve(np.array(supply, dtype=float), np.array(demand, dtype=float))
    n_s, n_r = len(supply), len(demand)
    best = linprog(  # the same problem, solved by a general LP solver
        -np.ones(n_s * n_r),
        A_ub=np.vstack([np.kron(np.eye(n_s), np.ones(n_r)), np.kron(np.ones(n_s), np.eye(n_r))]),
        b_ub=np.array(supply + demand, dtype=float),
        bounds=(0, None),
        method="highs",
    )
    assert moves.sum() == pytest.approx(-best.fun)
    assert moves.sum() == min(sum(supply), sum(demand))
    assert np.all(moves == np.round(moves))
    assert np.all(moves >= 0)
    assert np.all(moves.sum(axis=1) <= np.array(supply))
    assert np.all(moves.sum(axis=0) <= np.array(demand))
    assert np.count_nonzero(moves) <= len(supply) + len(demand) - 1


def test_transfers_move_teachers_before_hiring_and_the_plan_still_passes() -> None:
    """With transfers the county hires fewer teachers, every sender keeps its own minimums,
    and the county with the transfers and the remaining additions passes."""
    county = ee.datasets.sample_county()
    hiring = ee.plan(county, "cn-quality-2017")
    moving = ee.plan(county, "cn-quality-2017", transfers=True)
    assert moving.passes
    moved = moving.transfers.to_pylist()
    assert moved
    assert all(m["quantity"] >= 1 and m["quantity"] == round(m["quantity"]) for m in moved)

    def hired(p: ee.Plan) -> float:
        rows = p.totals.to_pylist()
        return float(sum(r["quantity"] for r in rows if r["resource"] == "teachers"))

    assert hired(moving) == hired(hiring) - sum(
        m["quantity"] for m in moved
    )  # every teacher moved is one fewer hired
    after = ee.evaluate(moving.apply(), "cn-quality-2017")
    assert after.stages["primary"].status is ee.Status.PASSED
    assert after.stages["junior"].status is ee.Status.PASSED
    senders = {m["from_school_id"] for m in moved}
    for rule in after.school_rules:
        if rule.school_id in senders:
            assert rule.status is ee.Status.PASSED
    shares = moving.counties.column("rotation_share").to_pylist()
    assert all(0 < s < 1 for s in shares)


@settings(max_examples=40)
@given(
    counties(max_schools=10),
    st.sampled_from(["cn-quality-2017", "cn-basic-2012"]),
    st.booleans(),
)
def test_plans_with_transfers_and_upgrades_are_verified_on_random_counties(
    county: ee.County, standard: str, upgrade: bool
) -> None:
    """Transfers (and upgrades) change who is hired, never whether the plan passes."""
    p = ee.plan(county, standard, transfers=True, upgrade=upgrade)
    after = ee.evaluate(p.apply(), standard)
    assert after.status == p.after.status
    why = set(p.not_in_plan.column("why").to_pylist())
    if not why & {"input_missing", "undefined_cv", "school_standard_not_given"}:
        assert p.passes


def test_upgrades_gain_the_qualification_or_title_before_hiring() -> None:
    """With upgrade=True, existing teachers not yet counted gain the sub-count: no school
    upgrades more teachers than it has outside the sub-count, the county hires fewer, and the
    county with the additions passes. With costs, upgrades need their own price."""
    county = ee.datasets.sample_county()
    hiring = ee.plan(county, "cn-quality-2017")
    upgrading = ee.plan(county, "cn-quality-2017", upgrade=True)
    assert upgrading.passes
    rows = [r for r in upgrading.additions.to_pylist() if r["reason"] == "upgrade"]
    assert rows
    schools = {s.id: s for s in county.schools}
    for r in rows:
        assert r["resource"] in ("teachers_above_qualification", "teachers_backbone")
        data = schools[r["school_id"]].stage(ee.Stage(r["stage"]))
        assert data is not None
        assert data.teachers is not None
        assert r["quantity"] <= data.teachers - getattr(data, r["resource"])

    def hired(p: ee.Plan) -> float:
        return float(
            sum(r["quantity"] for r in p.totals.to_pylist() if r["resource"] == "teachers")
        )

    assert hired(upgrading) == hired(hiring) - sum(r["quantity"] for r in rows)
    after = ee.evaluate(upgrading.apply(), "cn-quality-2017")
    assert {s.status for s in after.stages.values()} == {ee.Status.PASSED}
    with pytest.raises(DataError, match=r"teachers_backbone_upgrade \(骨干评定\)"):
        ee.plan(county, "cn-quality-2017", costs=COSTS, upgrade=True)
    priced = COSTS | {
        f"{k}_upgrade": {"yuan": 5_000.0, "source": "test"}
        for k in ("teachers_above_qualification", "teachers_backbone")
    }
    costed = ee.plan(county, "cn-quality-2017", costs=priced, upgrade=True)
    for r in costed.additions.to_pylist():
        if r["reason"] == "upgrade":
            assert r["cost"] == 5_000.0 * r["quantity"]


# A table's plan is made a chunk of whole counties at a time: whatever the chunks, the tables
# are those of the plan of all counties at once.


def rows(table: pa.Table) -> list[dict[str, Any]]:
    """The rows as Python values (dictionary-encoded text decoded)."""
    listed: list[dict[str, Any]] = table.to_pylist()
    return listed


def shuffled_table(members: list[ee.County], seed: int) -> pa.Table:
    """The counties' schools as one table, the rows of the counties interleaved."""
    table = batch.table_from_counties(members)
    order = np.random.default_rng(seed).permutation(table.num_rows)
    return table.take(pa.array(order))


def test_county_chunks_cut_whole_counties_of_about_the_size_asked() -> None:
    county = np.repeat(np.arange(5), [3, 1, 7, 2, 2])  # schools per county: 3 1 7 2 2
    assert county_chunks(county, 5, 4) == [(0, 2), (2, 3), (3, 5)]
    assert county_chunks(county, 5, 1) == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert county_chunks(county, 5, 100) == [(0, 5)]
    assert county_chunks(np.array([1, 1, 3]), 4, 2) == [(0, 2), (2, 4)]  # empty counties ride


def test_the_columns_of_some_counties_are_those_of_a_table_of_them_alone() -> None:
    """``SchoolColumns.of_counties`` gives what validating those counties' rows would."""
    sample = ee.datasets.sample_county()
    other = ee.County(code="990102", name="other", schools=sample.schools[:9])
    third = ee.County(code="990103", name="third", schools=sample.schools[20:31])
    table = shuffled_table([sample, other, third], 7)
    whole = batch.validate_table(table, nulls="not_reported").columns
    codes = pa.compute.field("county_code")
    alone = batch.validate_table(
        table.filter(pa.compute.is_in(codes, pa.array(["990102", "990103"]))),
        nulls="not_reported",
    ).columns
    part = whole.of_counties(1, 3)
    assert part.county_code.to_pylist() == alone.county_code.to_pylist() == ["990102", "990103"]
    assert part.school_id.to_pylist() == alone.school_id.to_pylist()
    assert part.county.tolist() == alone.county.tolist()
    assert part.kind.tolist() == alone.kind.tolist()
    for stage in part.people:
        np.testing.assert_array_equal(part.enrollment[stage], alone.enrollment[stage])
        for field in part.people[stage]:
            np.testing.assert_array_equal(part.people[stage][field], alone.people[stage][field])
        mine, theirs = part.class_sizes[stage], alone.class_sizes[stage]
        assert [mine.of(i).tolist() for i in range(part.n_schools)] == [
            theirs.of(i).tolist() for i in range(alone.n_schools)
        ]
        assert mine.reported.tolist() == theirs.reported.tolist()
    for resource in part.resources:
        np.testing.assert_array_equal(part.resources[resource], alone.resources[resource])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(counties(max_schools=8), min_size=2, max_size=4),
    st.sampled_from(["cn-quality-2017", "cn-basic-2012"]),
    st.sampled_from(["plain", "costs", "transfers"]),
    st.integers(1, 12),
    st.integers(0, 2**16),
)
def test_a_plan_in_chunks_has_the_tables_of_the_plan_of_all_counties_at_once(
    drawn: list[ee.County], standard: str, option: str, chunk: int, seed: int
) -> None:
    members = [
        ee.County(code=f"9901{i:02d}", name=c.name, schools=c.schools, inputs=c.inputs)
        for i, c in enumerate(drawn)
    ]
    table = shuffled_table(members, seed)
    columns = batch.validate_table(table, nulls="not_reported").columns
    # Each county's own inputs (some counties give some), as the door reads them.
    given = [{"county_code": c.code, **c.inputs} for c in members if c.inputs]
    inputs = None
    if given:
        names = sorted({k for g in given for k in g} - {"county_code"})
        inputs = batch_inputs(
            pa.table({k: [g.get(k) for g in given] for k in ["county_code", *names]}),
            columns.county_code,
            "the test",
        )
    std = get_standard(standard)
    priced = option == "costs" and standard == "cn-quality-2017"  # COSTS price 2017's needs
    costs = ee.load_costs(COSTS) if priced else None
    budget = 3_000_000.0 if priced else None
    transfers = option == "transfers"
    whole = PlanTables(
        plan_evaluation(run(std, columns, inputs), costs, inputs, transfers=transfers),
        budget_per_year=budget,
    )
    chunked = plan_in_chunks(
        columns, std, costs, inputs, budget_per_year=budget, transfers=transfers, schools=chunk
    )
    assert rows(chunked.additions) == rows(whole.additions)
    assert rows(chunked.counties) == rows(whole.counties)
    assert rows(chunked.totals) == rows(whole.totals)
    assert rows(chunked.transfers) == rows(whole.transfers)
    assert rows(chunked.not_in_plan) == rows(whole.not_in_plan)
    if budget is not None:
        assert chunked.years is not None
        assert rows(chunked.years) == rows(whole.years)
    # The additions run county by county, schools in input order.
    ids = table.column("school_id").to_pylist()
    codes = table.column("county_code").to_pylist()
    place = {(c, s): i for i, (c, s) in enumerate(zip(codes, ids, strict=True))}
    keys = [
        (r["county_code"], place[r["county_code"], r["school_id"]]) for r in rows(whole.additions)
    ]
    assert keys == sorted(keys)


def test_a_table_plan_keeps_tables_and_evaluates_again_when_asked() -> None:
    """``BatchPlan`` answers ``before``, ``after`` and ``arrays`` by planning the whole table
    again; they agree with its tables."""
    sample = ee.datasets.sample_county()
    other = ee.County(code="990102", name="other", schools=sample.schools[:12])
    plan = batch.plan_table(batch.table_from_counties([sample, other]), "cn-quality-2017")
    assert plan.passes
    assert plan.rounds >= 1
    verdicts = {
        (r["county_code"], r["stage"]): (r["balance_before"], r["balance_after"])
        for r in rows(plan.counties)
    }
    for r, a in zip(rows(plan.before.counties), rows(plan.after.counties), strict=True):
        if r["n_schools"]:
            assert verdicts[r["county_code"], r["stage"]] == (r["cv_status"], a["cv_status"])
    assert len(verdicts) == 3  # the other county has only primary schools
    assert rows(PlanTables(plan.arrays).additions) == rows(plan.additions)
    with pytest.raises(ee.DataError, match="budget_per_year"):
        plan.years  # noqa: B018


def test_a_plan_that_leaves_stages_short_says_why_beside_its_headline() -> None:
    """Under 2012 without a province's school standard, no stage passes what the plan covers:
    the report says so under its headline with the rule and the reason of the not-in-plan
    table; a plan where every stage passes says nothing more."""
    county = ee.datasets.sample_county()
    short = ee.plan(county, "cn-basic-2012")
    assert not short.passes
    text = ee.report.render_plan(short, "text", "en")
    head = text.split("What each school adds")[0]
    assert "0 of 2 county stages pass every rule the plan covers afterwards." in head
    assert (
        "Why not (not in the plan, and why, below): school minimums and rule (the province's "
        "school standard was not given" in head
    )
    zh = ee.report.render_plan(short, "text", "zh")
    assert "未达到的原因（见「规划未涵盖的事项及原因」）：" in zh
    assert "未提供省定办学基本标准" in zh
    # The notebook display of the plan, and of the same county planned as a table, say the
    # same reasons in the same words.
    said = "school minimums and rule (the province&#x27;s school standard was not given"
    assert f"Why not: {said}" in short._repr_html_()
    table = ee.batch.plan_table(ee.batch.table_from_counties([county]), "cn-basic-2012")
    assert f"Why not: {said}" in table._repr_html_()
    passing = ee.plan(county, "cn-quality-2017")
    assert passing.passes
    assert "Why not" not in ee.report.render_plan(passing, "text", "en")
    assert "Why not" not in passing._repr_html_()


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(counties(max_schools=12), st.floats(0.5, 1.5))
def test_a_stage_s_quantities_are_those_of_every_part_taken_at_its_rows(
    county: ee.County, level: float
) -> None:
    """The quantities the school rule's choice weighs, computed over one stage's parts only
    (``stage_inside_quantities``), are those of ``inside_quantities`` over every part with the
    floor on those parts and none elsewhere, taken at the parts (per part) or at their schools
    (a split resource: per school), bit for bit."""
    from eduequity._planning._quantities import inside_quantities, stage_inside_quantities
    from eduequity._schema import SPLIT_RESOURCES

    ev = ee.evaluate(county, "cn-quality-2017").evaluation
    assert ev is not None
    assert ev.school_rule is not None
    parts = ev.parts
    for a in ev.school_rule.minimums:
        code = STAGES.index(a.minimum.stage)
        block = parts.rows_of_stage(code)
        rows = np.arange(block.start, block.stop)[::2]  # some of the stage's parts
        floor = level * a.minimum.value
        whole = np.full(parts.school_row.size, np.nan)
        whole[rows] = floor
        every = inside_quantities(ev, a.resource, a.minimum.indicator, whole)
        at = parts.school_row[rows] if a.resource in SPLIT_RESOURCES else rows
        mine = stage_inside_quantities(ev, a.resource, a.minimum.indicator, floor, rows, code)
        np.testing.assert_array_equal(mine, every[at])
