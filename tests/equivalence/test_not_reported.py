"""The ``not_reported`` column of the schools table names, for each school, every input
column that applies to it and that it left empty, whatever the other counties of the table
report: derived here from the County objects themselves."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import batch
from eduequity.testing import counties

STANDARDS = [s.id for s in ee.list_standards()]

PEOPLE = (
    "teachers",
    "staff",
    "teachers_above_qualification",
    "teachers_intermediate_title",
    "teachers_backbone",
    "teachers_pe_arts",
)
RESOURCES = (
    "room_area",
    "sports_area",
    "equipment_value",
    "computers",
    "books",
    "multimedia_rooms",
    "music_rooms",
    "music_room_area",
    "art_rooms",
    "art_room_area",
)
BANDS = ("le25", "26_30", "31_35", "36_40", "41_45", "46_50", "51_55", "56_60", "61_65", "ge66")


def expected_not_reported(school: ee.School) -> set[str]:
    """The columns of the table of ``school`` it leaves empty where they apply: the people
    and classes of the stages it has, and every resource."""
    names = {r for r in RESOURCES if getattr(school, r) is None}
    for stage in ("primary", "junior"):
        data = school.stage(ee.Stage(stage))
        if data is None or not data.enrollment:
            continue
        names |= {f"{f}_{stage}" for f in PEOPLE if getattr(data, f) is None}
        if data.class_sizes is None and data.class_bands is None:
            names |= {f"class_sizes_{stage}", *(f"classes_{b}_{stage}" for b in BANDS)}
    return names


@st.composite
def nations(draw: st.DrawFn) -> list[ee.County]:
    n = draw(st.integers(1, 3))
    return [draw(counties(code=f"99{i:04d}", max_schools=5)) for i in range(n)]


def _said(value: str | None) -> set[str]:
    return set() if value is None else set(value.split(","))


@settings(max_examples=30, deadline=None)
@given(cs=nations(), standard=st.sampled_from(STANDARDS))
def test_a_schools_not_reported_does_not_depend_on_the_other_counties(
    cs: list[ee.County], standard: str
) -> None:
    """Each school's ``not_reported`` is the set of its empty columns, in the table of its
    county alone and in the table of all the counties."""
    together = batch.evaluate_table(batch.table_from_counties(cs), standard).schools
    tables = [together] + [
        batch.evaluate_table(batch.table_from_counties([c]), standard).schools for c in cs
    ]
    schools = {(c.code, s.id): s for c in cs for s in c.schools}
    for table in tables:
        for row in table.select(["county_code", "school_id", "not_reported"]).to_pylist():
            school = schools[(row["county_code"], row["school_id"])]
            assert _said(row["not_reported"]) == expected_not_reported(school), row
