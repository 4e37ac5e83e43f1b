"""Staffing and the classes by band: reported beside the verdicts in every output, computed by
the pipeline for every school, and part of no verdict. Checked against a plain loop over the
schools of each county."""

from __future__ import annotations

import json
import math

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import batch
from eduequity.testing import counties

STANDARDS = [s.id for s in ee.list_standards()]
RATIO = {"primary": 19.0, "junior": 13.5}


def _plain_staffing(
    county: ee.County, included: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, int | None]]:
    """Per (school, stage) in scope: staff required and lacking (None where not reported),
    by a loop over the schools with Python's own arithmetic."""
    out = {}
    for school in county.schools:
        for stage in ("primary", "junior"):
            data = getattr(school, stage)
            if (school.id, stage) not in included or data is None:
                continue
            required = math.ceil(round(data.enrollment / RATIO[stage], 6))
            lacking = None if data.staff is None else max(0, math.ceil(required - data.staff))
            out[(school.id, stage)] = (required, lacking)
    return out


def _plain_bands(sizes: tuple[int, ...], cap: int) -> tuple[int, int, int, int]:
    """Classes within ``cap``, over it below 56, 56 to 65, 66 or more."""
    within = sum(s <= cap for s in sizes)
    over = sum(cap < s < 56 for s in sizes)
    large = sum(56 <= s < 66 for s in sizes)
    return within, over, large, sum(s >= 66 for s in sizes)


@st.composite
def _nations(draw: st.DrawFn) -> list[ee.County]:
    n = draw(st.integers(1, 3))
    return [draw(counties(code=f"99{i:04d}", max_schools=6)) for i in range(n)]


@settings(max_examples=30)
@given(_nations(), st.sampled_from(STANDARDS))
def test_staffing_and_bands_in_both_tables_match_a_plain_loop(
    cs: list[ee.County], standard: str
) -> None:
    """Each stage part's staff required and lacking and its classes by band, in the schools
    table, and their sums per county and stage in the counties table, are those of a plain
    loop over the schools; the county's stage staffing status is failed where one lacks staff,
    else not evaluated where one did not report them, else passed."""
    std = ee.get_standard(standard)
    out = batch.evaluate_table(batch.table_from_counties(cs), standard)
    rows = [r for r in out.schools.to_pylist() if r["included"]]
    for county in cs:
        mine = [r for r in rows if r["county_code"] == county.code]
        included = {(r["school_id"], r["stage"]) for r in mine}
        want = _plain_staffing(county, included)
        got = {
            (r["school_id"], r["stage"]): (r["staff_required"], r["staff_shortfall"]) for r in mine
        }
        assert got == want
        for r in mine:
            lacking = r["staff_shortfall"]
            status = "not_evaluated" if lacking is None else "failed" if lacking else "passed"
            assert r["staffing"] == status
        by_school = {s.id: s for s in county.schools}
        cap = std.class_size.maximum if std.class_size is not None else {}
        for r in mine:
            data = getattr(by_school[r["school_id"]], r["stage"])
            bands = tuple(
                r[f"classes_{b}"] for b in ("within_cap", "over_cap", "large", "super_large")
            )
            if data.class_sizes is None:
                assert bands == (None,) * 4
            else:
                assert bands == _plain_bands(data.class_sizes, cap[ee.Stage(r["stage"])])
        for c in out.counties.to_pylist():
            if c["county_code"] != county.code:
                continue
            parts = [r for r in mine if r["stage"] == c["stage"]]
            if not parts:
                assert c["staff_required"] is None
                assert c["staffing_status"] == "not_applicable"
                continue
            assert c["staff_required"] == sum(want[(r["school_id"], r["stage"])][0] for r in parts)
            lacking = [want[(r["school_id"], r["stage"])][1] for r in parts]
            assert c["staff_shortfall"] == (None if None in lacking else sum(lacking))
            statuses = {r["staffing"] for r in parts}
            expected = next(s for s in ("failed", "not_evaluated", "passed") if s in statuses)
            assert c["staffing_status"] == expected
            counted = [r for r in parts if r["classes_large"] is not None]
            for b in ("within_cap", "over_cap", "large", "super_large"):
                # Summed over the parts that reported; none (not 0) where none did.
                want_b = sum(r[f"classes_{b}"] for r in counted) if counted else None
                assert c[f"classes_{b}"] == want_b
            assert c["n_schools_classes_not_reported"] == sum(
                r["classes_large"] is None for r in parts
            )


@pytest.mark.parametrize("standard", STANDARDS)
def test_staffing_changes_no_verdict(standard: str) -> None:
    """A standard without its staffing rule gives every verdict the same: staffing is reported
    beside the verdicts, part of none of them."""
    county = ee.datasets.sample_county()
    std = ee.get_standard(standard)
    assert std.staffing is not None
    with_it = batch.evaluate_table(batch.table_from_counties([county]), std)
    without = batch.evaluate_table(
        batch.table_from_counties([county]), attrs.evolve(std, staffing=None)
    )
    assert "staffing_status" in with_it.counties.column_names
    assert "staffing_status" not in without.counties.column_names
    shared = without.counties.column_names
    assert with_it.counties.select(shared).equals(without.counties)
    assert with_it.findings.equals(without.findings)


def test_the_sample_county_lacks_38_junior_staff_in_every_output() -> None:
    """The sample county's junior schools lack 38 staff in all under 2017: in the counties
    table, the object door's staffing report, the reports in both languages and the panel."""
    county = ee.datasets.sample_county()
    out = batch.evaluate_table(batch.table_from_counties([county]), "cn-quality-2017")
    junior = next(r for r in out.counties.to_pylist() if r["stage"] == "junior")
    assert (junior["staff_shortfall"], junior["staffing_status"]) == (38, "failed")
    result = ee.evaluate(county, "cn-quality-2017")
    assert result.staffing is not None
    assert result.staffing.shortfall[ee.Stage.JUNIOR] == 38.0
    doc = json.loads(ee.report.render(result, "json", "en"))
    stage = next(s for s in doc["counties"][0]["stages"] if s["stage"] == "junior")
    assert (stage["staff_shortfall"], stage["staffing_status"]) == (38, "failed")
    summary = json.loads(ee.report.render(out, "json", "zh"))
    assert summary["counties"][0]["stages"][1]["staff_shortfall"] == 38
    for fmt, lang, words in (
        ("text", "zh", "教职工缺额"),
        ("md", "en", "Staff lacking"),
        ("html", "en", "Staff lacking"),
        ("html", "zh", "超大班额班数"),
    ):
        assert words in ee.report.render(result, fmt, lang)
    m = ee.monitor({2022: [county], 2023: [county]}, "cn-quality-2017")
    rows = [r for r in m.panel.to_pylist() if r["stage"] == "junior"]
    assert [(r["year"], r["staff_shortfall"], r["change_staff_shortfall"]) for r in rows] == [
        (2022, 38, None),
        (2023, 38, 0),
    ]
    assert {r["staffing_status"] for r in rows} == {"failed"}


def test_the_summary_of_many_counties_shows_staff_lacking_and_large_classes() -> None:
    """The many-county summary has a column of staff lacking and of large and super-large
    classes per county and stage, beside the verdicts."""
    county = ee.datasets.sample_county()
    other = attrs.evolve(
        county, code="990102", schools=[attrs.evolve(s, id=f"B{s.id}") for s in county.schools]
    )
    out = batch.evaluate_table(batch.table_from_counties([county, other]), "cn-quality-2017")
    for lang, words in (("zh", ("教职工缺额", "大班额班数")), ("en", ("Staff lacking",))):
        md = ee.report.render(out, "md", lang)
        header = next(line for line in md.splitlines() if line.startswith("| "))
        cells = [c.strip() for c in header.strip("|").split("|")]
        for word in words:
            assert word in cells
        rows = [line for line in md.splitlines() if line.startswith("| ") and "990102" in line]
        junior = [c.strip() for c in rows[-1].strip("|").split("|")]
        assert junior[cells.index(words[0])] == "38"
