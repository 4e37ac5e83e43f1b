"""Monitoring across years: the panel keeps every county, stage and year; a recognised county
stage that fails later is a slide, with the indicators whose CV rose most."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import DataError, batch
from eduequity._monitoring import Year, change_by_school


def poorer_equipment(county: ee.County, share: float) -> ee.County:
    """The county with every other primary school's equipment cut to ``share`` of it."""
    schools = []
    primary = 0
    for school in county.schools:
        if school.kind is ee.SchoolKind.PRIMARY and school.equipment_value is not None:
            primary += 1
            if primary % 2:
                school = attrs.evolve(school, equipment_value=school.equipment_value * share)
        schools.append(school)
    return attrs.evolve(county, schools=tuple(schools))


@pytest.fixture(scope="module")
def years() -> dict[int, pa.Table]:
    """990101: the sample with its plan made (it passes 2017's resource allocation), then with
    half its primary schools' equipment cut; 990102, new in 2022: the sample as it is (failing
    both stages)."""
    sample = ee.datasets.sample_county()
    planned = ee.plan(sample, "cn-quality-2017").apply()
    other = attrs.evolve(sample, code="990102", name="new county")
    return {
        2021: batch.table_from_counties([planned]),
        2022: batch.table_from_counties([poorer_equipment(planned, 0.05), other]),
    }


def test_the_panel_keeps_every_county_stage_and_year(years: dict[int, pa.Table]) -> None:
    """A county absent from a year is a row of status missing; changes are from the previous
    year, computed from each year's own counties table."""
    m = ee.monitor(years, "cn-quality-2017")
    panel = m.panel.to_pylist()
    assert len(panel) == 2 * 2 * 2  # counties x stages x years
    missing = [r for r in panel if r["county_code"] == "990102" and r["year"] == 2021]
    assert {r["status"] for r in missing} == {"missing"}
    assert all(r["cv_room_area_per_student"] is None for r in missing)
    first = {r["stage"]: r for r in m.results[2021].counties.to_pylist()}
    second = {
        r["stage"]: r for r in m.results[2022].counties.to_pylist() if r["county_code"] == "990101"
    }
    for r in panel:
        if r["county_code"] != "990101" or r["year"] != 2022:
            continue
        want = (
            second[r["stage"]]["cv_equipment_value_per_student"]
            - first[r["stage"]]["cv_equipment_value_per_student"]
        )
        assert r["change_cv_equipment_value_per_student"] == pytest.approx(want, abs=1e-15)


def test_a_slide_is_found_with_the_indicator_that_rose(years: dict[int, pa.Table]) -> None:
    """The sample with its plan made passes 2017's resource allocation in 2021 (every CV and
    every school); with half its primary schools' equipment cut in 2022 the equipment CV
    exceeds 0.50 and those schools miss the minimum: a slide, equipment first, both parts
    failed."""
    m = ee.monitor(years, "cn-quality-2017")
    slides = m.slides.to_pylist()
    assert [(s["county_code"], s["stage"], s["year"]) for s in slides] == [
        ("990101", "primary", 2022)
    ]
    slide = slides[0]
    assert slide["recognised"] == 2021
    assert slide["recognised_from"] == "panel"
    assert slide["bound"] == 0.5
    assert slide["value"] > 0.5
    assert slide["rose_most"][0] == "equipment_value_per_student"
    assert (slide["cv_status"], slide["school_rule_status"]) == ("failed", "failed")
    # The county by its name too, as the panel gives it (what a superior reads first).
    names = {(r["county_code"], r["year"]): r["county_name"] for r in m.panel.to_pylist()}
    assert slide["county_name"] == names[("990101", 2022)] == ee.datasets.sample_county().name


def test_recognitions_given(years: dict[int, pa.Table]) -> None:
    """A county recognised in 2021 (given) whose stages fail in 2022 slides there, though the
    panel never saw them pass; a county recognised in 2022 does not."""
    m = ee.monitor(years, "cn-quality-2017", recognitions={"990101": 2021, "990102": 2021})
    slides = {(s["county_code"], s["stage"], s["year"]) for s in m.slides.to_pylist()}
    assert slides == {
        ("990101", "primary", 2022),
        ("990102", "primary", 2022),
        ("990102", "junior", 2022),
    }
    assert {s["recognised_from"] for s in m.slides.to_pylist()} == {"given"}
    later = ee.monitor(years, "cn-quality-2017", recognitions={"990102": 2022}).slides
    assert later.column("county_code").to_pylist() == ["990101"]  # recognised by the panel
    table = pa.table({"county_code": ["990101"], "year": [2021]})
    assert ee.monitor(years, "cn-quality-2017", recognitions=table).slides.num_rows == 1


def test_bad_monitoring_input() -> None:
    with pytest.raises(DataError, match=r"\{year: source\}"):
        ee.monitor({})
    table = batch.table_from_counties([ee.datasets.sample_county()])
    with pytest.raises(DataError, match="years must be whole numbers"):
        ee.monitor({"2021": table}, "cn-basic-2012")
    with pytest.raises(DataError, match="the table of 2021"):
        ee.monitor({2021: table.drop_columns(["school_id"])}, "cn-basic-2012")
    with pytest.raises(DataError, match="column 'year'"):
        ee.monitor(
            {2021: table}, "cn-basic-2012", recognitions=pa.table({"county_code": ["990101"]})
        )


@settings(max_examples=150)
@given(
    st.lists(st.tuples(st.floats(0.01, 1e4), st.integers(1, 3000)), min_size=1, max_size=12),
    st.lists(
        st.tuples(st.floats(0.5, 2.0), st.floats(0.0, 1.0), st.integers(1, 3000)), max_size=12
    ),
    st.integers(0, 12),
)
def test_the_parts_of_a_change_sum_to_the_change(
    first: list[tuple[float, int]], second: list[tuple[float, float, int]], shared: int
) -> None:
    """Schools kept, opened and closed from one census to the next (each value within a
    factor of two of last year's, a new school's within the range of last year's): the parts
    sum to the change of the weighted variance and of the CV (computed by ee.weighted_cv) to
    1e-12 relative."""
    before = {f"S{i}": (x, float(p)) for i, (x, p) in enumerate(first)}
    low, high = min(x for x, _ in first), max(x for x, _ in first)
    kept = list(before)[len(before) - min(shared, len(before)) :]
    after = {k: (before[k][0] * f, float(p)) for k, (f, _, p) in zip(kept, second, strict=False)}
    for i, (f, at, p) in enumerate(second[len(after) :]):
        after[f"N{i}"] = ((low + at * (high - low)) * f, float(p))
    if not after:
        after = {"N": (low, 100.0)}
    parts = change_by_school(before, after)
    assert set(parts) == set(before) | set(after)

    def moments(year: dict[str, tuple[float, float]]) -> tuple[float, float, float, float]:
        x = np.array([v for v, _ in year.values()])
        p = np.array([w for _, w in year.values()])
        cv = ee.weighted_cv(x, p)
        mean = float((x * p).sum() / p.sum())
        return (cv * mean) ** 2, cv, float((p * x * x).sum() / p.sum()), mean

    (var1, cv1, sq1, m1), (var2, cv2, sq2, m2) = moments(before), moments(after)
    # Relative to the size of the terms: the second moments, and the CVs (at least 0.01: a CV
    # is itself known to about 1e-15 absolute, its deviations being differences of nearly
    # equal values when the schools are nearly equal), plus the conditioning term the Notes
    # of change_by_school state for a mean that moved while a CV is near 0 (a random search
    # of 60,000 such cases found at most 0.2 of this tolerance).
    assert sum(v for v, _ in parts.values()) == pytest.approx(
        var2 - var1, abs=1e-12 * max(sq1, sq2)
    )
    near_zero = (m2 - m1) ** 2 / max((cv1 * m1 + cv2 * m2) * (m1 + m2), 1e-300)
    assert sum(c for _, c in parts.values()) == pytest.approx(
        cv2 - cv1, abs=1e-12 * (max(cv1, cv2, 1e-2) + near_zero)
    )


@settings(max_examples=60)
@given(
    st.lists(st.tuples(st.floats(0.01, 1e4), st.integers(1, 3000)), min_size=2, max_size=12),
    st.data(),
)
def test_schools_that_did_not_change_have_no_part(
    first: list[tuple[float, int]], data: st.DataObject
) -> None:
    """A school with the same value and enrollment in both years has a part of exactly 0;
    the change is the closed and opened schools'."""
    before = {f"S{i}": (x, float(p)) for i, (x, p) in enumerate(first)}
    changed = data.draw(st.sets(st.sampled_from(sorted(before)), min_size=1))
    after = {k: v for k, v in before.items() if k not in changed}
    after |= {f"N{k}": (data.draw(st.floats(0.01, 1e4)), 50.0) for k in range(len(changed))}
    parts = change_by_school(before, after)
    for school in before.keys() - changed:
        assert parts[school] == (0.0, 0.0)


def test_which_schools_moved_the_slide(years: dict[int, pa.Table]) -> None:
    """One row per school of the stage; the parts sum to the change the panel shows."""
    m = ee.monitor(years, "cn-quality-2017")
    table = m.contributions("990101", "primary", "equipment_value_per_student", 2021, 2022)
    rows = table.to_pylist()
    change = next(
        r["change_cv_equipment_value_per_student"]
        for r in m.panel.to_pylist()
        if (r["county_code"], r["stage"], r["year"]) == ("990101", "primary", 2022)
    )
    assert sum(r["change_cv"] for r in rows) == pytest.approx(change, rel=1e-12)
    assert sum(r["change_variance"] for r in rows) > 0
    cut = [r for r in rows if r["value_after"] < r["value_before"]]
    assert cut
    assert len(rows) == len({r["school_id"] for r in rows})
    with pytest.raises(DataError, match="not a year of the panel"):
        m.contributions("990101", "primary", "equipment_value_per_student", 2020, 2022)


def test_early_warnings_and_first_passes() -> None:
    """A CV that rises three years in a row while passing is ``rising``; a rise above 0.05 in
    one year is a ``jump``; a stage that passes for the first time after failing is a
    ``first_pass`` (here: the county with its plan made)."""
    sample = ee.datasets.sample_county()
    planned = ee.plan(sample, "cn-quality-2017").apply()
    tables = {
        2020: batch.table_from_counties([sample]),
        2021: batch.table_from_counties([planned]),
        2022: batch.table_from_counties([poorer_equipment(planned, 0.9)]),
        2023: batch.table_from_counties([poorer_equipment(planned, 0.8)]),
        2024: batch.table_from_counties([poorer_equipment(planned, 0.55)]),
    }
    m = ee.monitor(tables, "cn-quality-2017")
    warnings = m.early_warnings.to_pylist()
    first = [(w["stage"], w["year"]) for w in warnings if w["kind"] == "first_pass"]
    assert first == [("primary", 2021), ("junior", 2021)]
    assert {w["county_name"] for w in warnings} == {sample.name}
    equipment = "cv_equipment_value_per_student"
    panel = [r for r in m.panel.to_pylist() if r["stage"] == "primary" and r["year"] >= 2022]
    assert all(r[f"change_{equipment}"] > 0 for r in panel)  # the scenario rises each year
    assert all(r["cv_status"] == "passed" for r in panel)
    rising = [(w["year"], w["coefficient"]) for w in warnings if w["kind"] == "rising"]
    assert rising == [(2024, equipment)]  # 2022, 2023, 2024: three rises
    jumps = [w for w in warnings if w["kind"] == "jump"]
    assert [(w["year"], w["coefficient"]) for w in jumps] == [(2024, equipment)]
    assert jumps[0]["change"] > 0.05
    assert ee.monitor(tables, "cn-quality-2017", rise_years=1).early_warnings.num_rows > len(
        warnings
    )
    with pytest.raises(DataError, match="rise_years"):
        ee.monitor(tables, "cn-basic-2012", rise_years=0)


def test_the_summary_per_year_stage_and_province() -> None:
    """The nation and each province (the first two digits): counties, passes, the plain and
    the weighted mean composite, each indicator's mean of county means and its growth — all
    recomputed here from the panel."""
    a = ee.datasets.sample_county()
    b = attrs.evolve(poorer_equipment(a, 0.5), code="980101", name="B")
    tables = {
        2022: batch.table_from_counties([a, b]),
        2023: batch.table_from_counties([poorer_equipment(a, 0.7), b]),
    }
    m = ee.monitor(tables, "cn-basic-2012")
    rows = m.summary().to_pylist()
    assert [(r["year"], r["stage"], r["area"]) for r in rows[:3]] == [
        (2022, "primary", "national"),
        (2022, "primary", "98"),
        (2022, "primary", "99"),
    ]
    panel = [r for r in m.panel.to_pylist() if r["stage"] == "primary"]
    for year in (2022, 2023):
        mine = [r for r in panel if r["year"] == year]
        national = next(
            r for r in rows if (r["year"], r["stage"], r["area"]) == (year, "primary", "national")
        )
        assert national["n_counties"] == 2
        assert national["mean_composite_cv"] == pytest.approx(
            sum(r["composite_cv"] for r in mine) / 2
        )
        assert national["weighted_mean_composite_cv"] == pytest.approx(
            sum(r["composite_cv"] * r["enrollment"] for r in mine)
            / sum(r["enrollment"] for r in mine)
        )
    growth = rows[[(r["year"], r["area"], r["stage"]) for r in rows].index((2023, "99", "primary"))]
    was = next(r for r in panel if (r["county_code"], r["year"]) == ("990101", 2022))
    now = next(r for r in panel if (r["county_code"], r["year"]) == ("990101", 2023))
    key = "equipment_value_per_student"
    assert growth[f"growth_{key}"] == pytest.approx(now[f"mean_{key}"] / was[f"mean_{key}"] - 1)
    only_b = m.summary(counties=["980101"]).to_pylist()
    assert {r["area"] for r in only_b} == {"national", "98"}


def test_schools_that_open_close_or_move() -> None:
    sample = ee.datasets.sample_county()
    first, second, *rest = sample.schools
    renamed = attrs.evolve(second, id="990101-NEW")
    other = ee.County(code="990102", schools=[first])
    tables = {
        2022: batch.table_from_counties([sample]),
        2023: batch.table_from_counties([attrs.evolve(sample, schools=(renamed, *rest)), other]),
    }
    changes = ee.monitor(tables, "cn-basic-2012").school_changes.to_pylist()
    assert {(c["school_id"], c["change"], c["before"], c["after"]) for c in changes} == {
        (second.id, "closed", "990101", None),
        ("990101-NEW", "opened", None, "990101"),
        (first.id, "county", "990101", "990102"),
    }
    # The report says which schools appear and which are gone, by year and county.
    m = ee.monitor(tables, "cn-basic-2012")
    zh = ee.report.render_monitor(m, "text", lang="zh")
    assert "各年度学校的增减" in zh
    assert "1（990101-NEW）" in zh
    assert f"1（{second.id}）" in zh
    en = ee.report.render_monitor(m, "text", lang="en")
    assert "Schools that appear or are gone" in en
    assert f"1 ({second.id})" in en
    same = ee.monitor({2022: tables[2022], 2023: tables[2022]}, "cn-basic-2012")
    assert "Schools that appear or are gone" not in ee.report.render_monitor(same, "text")


def test_a_county_code_change_and_ids_without_leading_zeros_are_said() -> None:
    """990101 becomes 990181 in 2023 (every school moves: a code change), and in 990102 the id
    0990102001 is written 990102001 in 2023 (stored as a number): the report says both, in
    both languages, and keeps them as the panel has them (two counties, two schools)."""
    sample = ee.datasets.sample_county()
    kept = [attrs.evolve(s, id=f"0990102{k:03d}") for k, s in enumerate(sample.schools[:4], 1)]
    lost = [attrs.evolve(kept[0], id="990102001"), *kept[1:]]
    tables = {
        2022: batch.table_from_counties([sample, ee.County(code="990102", schools=kept)]),
        2023: batch.table_from_counties(
            [attrs.evolve(sample, code="990181"), ee.County(code="990102", schools=lost)]
        ),
    }
    m = ee.monitor(tables, "cn-basic-2012")
    assert {r["county_code"] for r in m.panel.to_pylist()} == {"990101", "990181", "990102"}
    text = ee.report.render_monitor(m, "text", lang="en")
    assert f"[2023] 990101 {sample.name} · 990181 {sample.name} · {len(sample.schools)}" in text
    assert "a change of the county's code?" in text
    assert "2023  990102  0990102001  990102001" in text  # the year, county, closed, opened
    assert "losing its leading zeros?" in text
    zh = ee.report.render_monitor(m, "text", lang="zh")
    assert "可能是县（区）代码变更" in zh
    assert "丢失了开头的 0" in zh
    # Nothing to say where nothing moved.
    same = ee.monitor({2022: tables[2022], 2023: tables[2022]}, "cn-basic-2012")
    assert "Schools whose county or id changed" not in ee.report.render_monitor(same, "text")


def test_ids_reused_in_other_counties_are_not_moves() -> None:
    """Ids unique only within a county (0001 in three counties, as the module allows), the
    same schools in both years: no school changed county, and the report says nothing of it;
    a county merged into another across a gap of years is not a change of its code."""
    sample = ee.datasets.sample_county()
    schools = [attrs.evolve(s, id=f"{k:04d}") for k, s in enumerate(sample.schools, 1)]
    counties = [ee.County(code=c, schools=schools) for c in ("990101", "990102", "990103")]
    same = batch.table_from_counties(counties)
    m = ee.monitor({2022: same, 2023: same}, "cn-basic-2012")
    assert not m.school_changes.to_pylist()
    assert "Schools whose county or id changed" not in ee.report.render_monitor(m, "text")
    merged = batch.table_from_counties(
        [
            ee.County(
                code="990102",
                schools=[*schools, *[attrs.evolve(s, id=f"9{s.id}") for s in schools]],
            )
        ]
    )
    two = batch.table_from_counties(counties[:2])
    gap = ee.monitor({2019: two, 2021: merged}, "cn-basic-2012")
    text = ee.report.render_monitor(gap, "text")
    assert "2021  990101" in text or "[2021] 990101" in text
    assert "a change of the county's code?" not in text


def test_the_monitor_command(
    tmp_path: Path, years: dict[int, pa.Table], capsys: pytest.CaptureFixture[str]
) -> None:
    """``eduequity monitor`` takes the years from the file names or ``--years``, writes the
    tables and the report, and exits 1 when a county slid."""
    import pyarrow.parquet as pq

    from eduequity._cli import main

    for year, table in years.items():
        pq.write_table(table, tmp_path / f"{year}.parquet")
    files = [str(tmp_path / f"{y}.parquet") for y in years]
    out = tmp_path / "out"
    args = ["monitor", *files, "--standard", "cn-quality-2017", "--out", str(out)]
    assert main([*args, "--format", "html", "--lang", "zh", "--tables", "csv"]) == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "early_warnings.csv",
        "monitor.html",
        "panel.csv",
        "read.txt",
        "school_changes.csv",
        "slides.csv",
        "summary.csv",
    ]
    page = (out / "monitor.html").read_text(encoding="utf-8")
    assert "滑坡县（区）" in page
    assert "<polyline" in page
    assert "1 处下滑" in capsys.readouterr().out
    renamed = [str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")]
    for src, dst in zip(files, renamed, strict=True):
        Path(src).rename(dst)
    assert main(["monitor", *renamed]) == 2
    assert "the year of a.parquet, b.parquet is not in its name: give --years" in (
        capsys.readouterr().err
    )
    assert main(["monitor", *renamed, "--lang", "zh"]) == 2
    assert "无法从文件名得知 a.parquet、b.parquet 的年度：请用 --years" in capsys.readouterr().err
    assert main(["monitor", *renamed, "--years", "2021", "2022", "--format", "json"]) == 0
    assert '"slides": []' in capsys.readouterr().out  # 2012 bounds: no slide
    # A year within a file's name, as offices name their exports.
    named = [str(tmp_path / "监测_2021.parquet"), str(tmp_path / "schools2022.parquet")]
    for src, dst in zip(renamed, named, strict=True):
        Path(src).rename(dst)
    assert main(["monitor", *named, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["years"] == [2021, 2022]
    assert main(["monitor", named[0], named[0], "--lang", "zh"]) == 2
    assert "同一年度出现两次（监测_2021.parquet → 2021" in capsys.readouterr().err
    assert main(["monitor", named[0], "--format", "json"]) == 0  # one file, its year named
    assert json.loads(capsys.readouterr().out)["years"] == [2021]
    # The library takes the same files as a list, each named by its year, as the command does.
    m = ee.monitor(named, "cn-basic-2012")
    assert m.years == [2021, 2022]
    by_year = dict(zip([2021, 2022], named, strict=True))
    assert m.panel.equals(ee.monitor(by_year, "cn-basic-2012").panel)
    with pytest.raises(DataError, match=r"the year of a\.parquet is not in its name: give the "):
        ee.monitor([str(tmp_path / "a.parquet"), named[1]], "cn-basic-2012")
    with pytest.raises(DataError, match="a year is given twice"):
        ee.monitor([named[0], named[0]], "cn-basic-2012")
    with pytest.raises(DataError, match=r"a list of files each named by its year.*not all paths"):
        ee.monitor([named[0], pq.read_table(named[1])], "cn-basic-2012")
    with pytest.raises(DataError, match="Got a list of 0 item"):
        ee.monitor([], "cn-basic-2012")
    span = tmp_path / "2021-2022.parquet"
    Path(named[1]).rename(span)
    assert main(["monitor", named[0], str(span)]) == 2
    assert "the year of 2021-2022.parquet (two years in its name) is not in its name" in (
        capsys.readouterr().err
    )
    parts = [
        t.append_column("year", pa.array([y] * t.num_rows, pa.int64())) for y, t in years.items()
    ]
    pq.write_table(pa.concat_tables(parts), tmp_path / "all.parquet")
    one = ["monitor", str(tmp_path / "all.parquet"), "--standard", "cn-quality-2017"]
    assert main([*one, "--nulls", "not_reported", "--format", "md"]) == 1
    assert (
        "| 990101 样例县 (synthetic sample county) | primary | 2022 | 2021 |"
        in capsys.readouterr().out
    )


def test_class_size_targets_by_year() -> None:
    """Super-large classes (66+) at most 2 % from 2018, large ones (56+) at most 5 % from
    2020: the panel says whether each was met from its year on, and gives the share."""
    sample = ee.datasets.sample_county()
    first = sample.schools[0]
    assert first.primary is not None
    crowded = attrs.evolve(first, primary=attrs.evolve(first.primary, class_sizes=(70,) * 25))
    county = attrs.evolve(sample, schools=(crowded, *sample.schools[1:]))
    table = batch.table_from_counties([county])
    m = ee.monitor({2017: table, 2018: table, 2020: table}, "cn-basic-2012")
    rows = {(r["year"], r["stage"]): r for r in m.panel.to_pylist()}
    share = rows[(2018, "primary")]["share_classes_66_plus"]
    assert share > 0.02
    assert rows[(2017, "primary")]["target_classes_66_plus_met"] is None  # not yet due
    assert rows[(2018, "primary")]["target_classes_66_plus_met"] is False
    assert rows[(2018, "primary")]["target_classes_56_plus_met"] is None
    assert rows[(2020, "junior")]["target_classes_56_plus_met"] is (
        rows[(2020, "junior")]["share_classes_56_plus"] <= 0.05
    )


def test_one_table_with_a_year_column(years: dict[int, pa.Table]) -> None:
    """One table of every year with a ``year`` column gives the panel the mapping gives."""
    parts = [
        t.append_column("year", pa.array([y] * t.num_rows, pa.int64())) for y, t in years.items()
    ]
    one = pa.concat_tables(parts, promote_options="default")
    want = ee.monitor(years, "cn-quality-2017").panel
    got = ee.monitor(one, "cn-quality-2017", nulls="not_reported").panel
    assert got.equals(want)
    with pytest.raises(DataError, match="no column 'year'"):
        ee.monitor(years[2021])


def test_a_county_plotted(years: dict[int, pa.Table], monkeypatch: pytest.MonkeyPatch) -> None:
    """One panel per stage with a line per judged coefficient and the bound; without
    matplotlib, a message naming the extra."""
    m = ee.monitor(years, "cn-quality-2017")
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)
    monkeypatch.setitem(__import__("sys").modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"eduequity\[plot\]"):
        m.plot("990101")
    monkeypatch.undo()
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    fig = m.plot("990101")
    assert len(fig.axes) == 2
    assert len(fig.axes[0].get_lines()) == 7 + 1  # seven CVs and the bound
    with pytest.raises(DataError, match="no county"):
        m.plot("000000")


def test_a_county_plotted_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """In Chinese the titles and legend are Chinese, in a font that has the glyphs; where
    matplotlib knows no such font, English labels and a warning instead of empty boxes."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from eduequity._monitoring import plot

    m = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012")
    if plot._cjk_font() is not None:
        fig = m.plot("970102", lang="zh")
        assert [ax.get_title() for ax in fig.axes] == ["970102 · 小学", "970102 · 初中"]
        assert [t.get_text() for t in fig.legends[0].get_texts()] == ["综合差异系数"]
        assert fig.axes[0].title.get_fontname() in plot.CJK_FONTS
    monkeypatch.setattr(plot, "CJK_FONTS", ("No Such Font",))
    with pytest.warns(UserWarning, match="no font with Chinese glyphs"):
        fig = m.plot("970102", lang="zh")
    assert fig.axes[0].get_title() == "970102 · primary"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["composite CV"]


def test_the_sample_panel_slides_and_first_passes() -> None:
    """The bundled panel's scripted counties: 970102's primary composite passes 0.65 in 2022
    (a slide, recognised from 2019 in the panel), 980103's first meets it in 2022."""
    m = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012")
    assert m.years == [2019, 2020, 2021, 2022, 2023]
    slides = [
        (s["county_code"], s["stage"], s["year"], s["recognised"]) for s in m.slides.to_pylist()
    ]
    assert slides == [("970102", "primary", 2022, 2019), ("970102", "primary", 2023, 2019)]
    first = [
        (w["county_code"], w["stage"], w["year"])
        for w in m.early_warnings.to_pylist()
        if w["kind"] == "first_pass"
    ]
    assert first == [("980103", "primary", 2022)]
    national = [
        r for r in m.summary().to_pylist() if r["area"] == "national" and r["stage"] == "primary"
    ]
    assert [(r["year"], r["n_counties"], r["n_passed"]) for r in national] == [
        (2019, 8, 7),
        (2020, 8, 7),
        (2021, 8, 7),
        (2022, 8, 7),
        (2023, 8, 7),
    ]


def _ids_as_digits(panel: pa.Table, width: int | None) -> pa.Table:
    """The panel with each school id written as digits: the ``n``-th distinct id as ``n``
    padded to ``width`` digits, or (``width`` None) as ``n // 2``, with a leading zero where
    ``n`` is odd (so ``7`` and ``07`` are the ids of two schools)."""
    given = panel.column("school_id").to_pylist()
    number = {i: n for n, i in enumerate(sorted(set(given)))}
    text = [
        f"{number[i]:0{width}d}" if width else "0" * (number[i] % 2) + str(number[i] // 2)
        for i in given
    ]
    return panel.set_column(panel.column_names.index("school_id"), "school_id", pa.array(text))


@pytest.mark.parametrize(
    "ids",
    [
        "text",
        "digits",
        "digits of several lengths",
        "digits, one shorter in one year",
        "digits, rows shuffled, schools moved",
    ],
)
def test_school_changes_agree_with_a_plain_comparison(ids: str) -> None:
    """Opened, closed, kind and county changes of the sample panel, against sets of ids
    compared year by year in plain Python: with the panel's ids (text), and written in digits
    as the census writes them (matched as numbers), of one length or of several with leading
    zeros; and with each year's rows in a random order and some schools moved to another
    county (every other school of the panel's first county, from its second year on)."""
    panel = ee.datasets.sample_panel()
    if ids != "text":
        panel = _ids_as_digits(panel, None if ids == "digits of several lengths" else 10)
    if ids == "digits, rows shuffled, schools moved":
        codes = panel.column("county_code").to_pylist()
        years = panel.column("year").to_pylist()
        given = panel.column("school_id").to_pylist()
        first, other = sorted(set(codes))[:2]
        moving = sorted({i for i, c in zip(given, codes, strict=True) if c == first})[::2]
        codes = [
            other if (i in moving and y > min(years)) else c
            for i, c, y in zip(given, codes, years, strict=True)
        ]
        panel = panel.set_column(
            panel.column_names.index("county_code"), "county_code", pa.array(codes)
        ).drop_columns(["county_name"])
        panel = panel.take(pa.array(np.random.default_rng(5).permutation(panel.num_rows)))
    if ids == "digits, one shorter in one year":
        # Every id of 10 digits but one, of 9, in the last year only: the other years' ids are
        # all of one length, and must still be matched across years.
        last = panel.column("year").to_pylist()
        given = panel.column("school_id").to_pylist()
        row = max(range(len(given)), key=lambda i: (last[i], -i))
        given[row] = given[row][1:]
        at = panel.column_names.index("school_id")
        panel = panel.set_column(at, "school_id", pa.array(given))
    m = ee.monitor(panel, "cn-basic-2012")
    rows = panel.select(["school_id", "county_code", "kind", "year"]).to_pylist()
    by_year: dict[int, dict[str, tuple[str, str]]] = {}
    for r in rows:
        by_year.setdefault(r["year"], {})[r["school_id"]] = (r["county_code"], r["kind"])
    want: set[tuple[str, int, str, str | None, str | None]] = set()
    for year in m.years[1:]:
        was, now = by_year[year - 1], by_year[year]
        for i in now.keys() - was.keys():
            want.add((i, year, "opened", None, now[i][0]))
        for i in was.keys() - now.keys():
            want.add((i, year, "closed", was[i][0], None))
        for i in now.keys() & was.keys():
            if was[i][1] != now[i][1]:
                want.add((i, year, "kind", was[i][1], now[i][1]))
            if was[i][0] != now[i][0]:
                want.add((i, year, "county", was[i][0], now[i][0]))
    got = [tuple(r.values()) for r in m.school_changes.to_pylist()]
    assert len(got) == len(want)
    assert set(got) == want
    moved = {"county"} if ids == "digits, rows shuffled, schools moved" else set()
    assert {c for _, _, c, _, _ in want} == {"opened", "closed", "kind"} | moved


def test_a_year_evaluated_again_from_a_stream(years: dict[int, pa.Table]) -> None:
    """A monitoring keeps each year's figures, not its evaluation; a year asked for again is
    evaluated from its source, even one that could be read only once (a stream)."""
    streams = {
        y: pa.RecordBatchReader.from_batches(t.schema, t.to_batches()) for y, t in years.items()
    }
    m = ee.monitor(streams, "cn-quality-2017")
    again = m.result(2022).counties
    assert again.equals(batch.evaluate_table(years[2022], "cn-quality-2017").counties)
    assert set(m.results) == {2021, 2022}
    parts = m.contributions("990101", "primary", "equipment_value_per_student", 2021, 2022)
    assert parts.num_rows > 0
    assert isinstance(m.by_year[2021], Year)
    assert m.by_year[2021].figures.num_rows == m.results[2021].counties.num_rows


def test_the_report_gives_each_indicators_growth() -> None:
    """The national report's form: each indicator's mean across counties per year and stage,
    with its growth from the year before, as in the summary."""
    from eduequity.report import render_monitor

    m = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012")
    text = render_monitor(m, "md", "zh")
    assert "全国各项指标均值及增幅" in text
    row = next(
        r
        for r in m.summary().to_pylist()
        if (r["year"], r["stage"], r["area"]) == (2020, "primary", "national")
    )
    mean, growth = (
        row["mean_equipment_value_per_student"],
        row["growth_equipment_value_per_student"],
    )
    assert f"{mean:.2f} ({100 * growth:+.2f}%)" in text  # 3186.66 (+6.25%)


def test_former_warnings_names_warn() -> None:
    """Monitoring.warnings and BatchResult.warnings still work, with a DeprecationWarning
    naming the new attribute."""
    m = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012")
    with pytest.warns(DeprecationWarning, match="Monitoring.early_warnings"):
        old = m.warnings
    assert old.equals(m.early_warnings)
    out = ee.batch.evaluate_table(
        ee.batch.table_from_counties([ee.datasets.sample_county()]), "cn-basic-2012"
    )
    with pytest.warns(DeprecationWarning, match="BatchResult.data_warnings"):
        old = out.warnings
    assert old.equals(out.data_warnings)


def test_a_county_code_given_as_a_number_is_found() -> None:
    """``contributions`` (and ``plot``) take a county code given as a number, as the text of
    its digits."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    m = ee.monitor({2021: table, 2022: table}, "cn-quality-2017")
    by_text = m.contributions("990101", "primary", "room_area_per_student", 2021, 2022)
    by_number = m.contributions(990101, "primary", "room_area_per_student", 2021, 2022)
    assert by_number.equals(by_text)
    assert by_text.num_rows > 0


def test_a_county_mean_is_unknown_where_a_school_lacks_the_figure() -> None:
    """A school whose computers are not reported makes its county stage's mean of computers
    per 100 students unknown (null), as its CV is; it is never the mean with that school
    counted as having none. The other figures and counties keep their means."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    at = table.column_names.index("computers")
    primary = pc.equal(table.column("kind"), "primary").to_pylist()
    first = primary.index(True)
    computers = table.column("computers").to_pylist()
    computers[first] = None
    holed = table.set_column(at, "computers", pa.array(computers, pa.float64()))
    m = ee.monitor({2022: table, 2023: holed}, "cn-basic-2012", nulls="not_reported")
    rows = {(r["year"], r["stage"]): r for r in m.panel.to_pylist()}
    ind = "computers_per_100_students"
    assert rows[(2023, "primary")][f"mean_{ind}"] is None
    assert rows[(2023, "primary")][f"cv_{ind}"] is None
    assert rows[(2022, "primary")][f"mean_{ind}"] is not None
    assert rows[(2023, "junior")][f"mean_{ind}"] == rows[(2022, "junior")][f"mean_{ind}"]
    books = "books_per_student"
    assert rows[(2023, "primary")][f"mean_{books}"] == rows[(2022, "primary")][f"mean_{books}"]
    # The schools' parts of the change cannot be computed either: said, naming the school.
    school = table.column("school_id")[first].as_py()
    with pytest.raises(DataError, match=f"1 school\\(s\\) of 990101 \\(primary\\) lack .*{school}"):
        m.contributions("990101", "primary", ind, 2022, 2023)


def test_a_file_read_with_options_is_refused_in_its_own_words(tmp_path: Path) -> None:
    """A year's file read with an option (county_digits for 12-digit codes) is refused naming
    the header as written and the row, as evaluate_table names them; before, the monitoring
    evaluated the table it had read and named the canonical column and no row."""
    header = "学校标识码,行政区划代码,学校类型,小学在校生数,网络多媒体教室数（间）\n"
    good = header + "1301230001,130123100000,小学,600,12\n1301230002,130123100000,小学,400,8\n"
    bad = header + "1301230001,130123100000,小学,610,12\n1301230002,130123100000,小学,420,—\n"
    paths = {2022: tmp_path / "2022.csv", 2023: tmp_path / "2023.csv"}
    paths[2022].write_text(good, encoding="utf-8")
    paths[2023].write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        ee.monitor(paths, "cn-quality-2017", county_digits=6)
    said = str(caught.value)
    assert "the table of 2023" in said
    assert "column '网络多媒体教室数（间）' is empty or says no data" in said
    assert "(row 3) got '—'" in said
    # The read table is kept: each year evaluated again from it, as read.
    m = ee.monitor(paths, "cn-quality-2017", county_digits=6, nulls="not_reported")
    assert m.result(2023).counties.column("county_code").to_pylist() == ["130123"] * 2
    assert isinstance(m.sources[2023], pa.Table)
    # What read_schools returned is given back as it is, and not read again another way.
    read = batch.read_schools(paths[2022], county_digits=6)
    assert batch.read_schools(read) is read
    with pytest.raises(ee.ArgumentError, match="this table was read already"):
        batch.read_schools(read, county_digits=6)


def test_a_table_read_first_keeps_the_county_inputs_it_carries(tmp_path: Path) -> None:
    """A table of table_from_counties carries the county inputs (government work,
    satisfaction). Under cn-basic-2012 with a school standard every school meets, the county
    passes only with them: read first (read_schools), or read by monitor with an option, the
    county passes as with the table itself (it was "not evaluated": the inputs were lost)."""
    school = ee.datasets.sample_school_standard()
    low = attrs.evolve(
        school, minimums=tuple(attrs.evolve(m, value=0.001) for m in school.minimums)
    )
    std = ee.get_standard("cn-basic-2012").with_school_standard(low)
    table = batch.table_from_counties([ee.datasets.sample_county()])
    want = batch.evaluate_table(table, std).counties
    assert want.column("county_status").to_pylist() == ["passed", "passed"]
    assert batch.evaluate_table(batch.read_schools(table), std).counties.equals(want)
    for year in (2022, 2023):
        pq.write_table(table, tmp_path / f"{year}.parquet")
    paths = {y: tmp_path / f"{y}.parquet" for y in (2022, 2023)}
    read = ee.monitor(paths, std, county_digits=6).panel
    assert read.column("county_status").to_pylist() == ["passed"] * 4


def test_one_table_of_every_year_read_with_options_names_its_headers_and_rows(
    tmp_path: Path,
) -> None:
    """One file with a year column, read with county_digits: a year's refusal names the
    header as written and the file's row (it named the canonical column and no row)."""
    path = tmp_path / "years.csv"
    path.write_text(
        "year,学校标识码,行政区划代码,学校类型,小学在校生数,网络多媒体教室数（间）\n"
        "2022,1301230001,130123100000,小学,600,12\n"
        "2022,1301230002,130123100000,小学,400,8\n"
        "2023,1301230001,130123100000,小学,610,12\n"
        "2023,1301230002,130123100000,小学,420,—\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        ee.monitor(path, "cn-quality-2017", county_digits=6)
    said = str(caught.value)
    assert "the table of 2023" in said
    assert "column '网络多媒体教室数（间）' is empty or says no data" in said
    assert "'1301230002' (row 5) got '—'" in said
    m = ee.monitor(path, "cn-quality-2017", county_digits=6, nulls="not_reported")
    assert m.years == [2022, 2023]
    assert isinstance(m.sources[2023], pa.Table)
