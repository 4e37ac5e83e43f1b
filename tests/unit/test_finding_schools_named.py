"""Findings name a school by its id and, where the table names it, its name, in both
languages and through both doors, so that a superior reading a report knows the school."""

from __future__ import annotations

import attrs
import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import batch


def _table(names: list[str | None]) -> pa.Table:
    """Three primary schools of one county, each failing the class-size cap."""
    return pa.table(
        {
            "school_id": ["3361124001", "3361124002", "3361124003"],
            "school_name": names,
            "county_code": ["361124"] * 3,
            "kind": ["primary"] * 3,
            "enrollment_primary": [600, 500, 400],
            "class_sizes_primary": [[60, 40], [58, 44], [57, 30]],
        }
    )


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        (
            ["城关第一小学", "城关  第二小学 ", "城关第三小学"],
            ["3361124001 城关第一小学", "3361124002 城关 第二小学", "3361124003 城关第三小学"],
        ),
        # No name, an empty one, or the id written again: the id alone.
        ([None, "", "3361124003"], ["3361124001", "3361124002", "3361124003"]),
    ],
)
def test_class_size_findings_name_the_school(names: list[str | None], shown: list[str]) -> None:
    out = batch.evaluate_table(_table(names), "cn-quality-2017", nulls="not_reported")
    found = {
        r["school_id"]: (r["message_en"], r["message_zh"])
        for r in out.findings_for(["361124"]).to_pylist()
        if r["rule_id"] == "class_size"
    }
    for school_id, name in zip(["3361124001", "3361124002", "3361124003"], shown, strict=True):
        en, zh = found[school_id]
        assert en.startswith(f"School {name} (primary) 2 classes, largest"), en
        assert zh.startswith(f"{name}（小学）2个班"), zh


def test_both_doors_name_the_school_alike() -> None:
    """The object door (a County of School objects) says what the table door says of the
    same schools."""
    sample = ee.datasets.sample_county()
    schools = [attrs.evolve(s, name=f"样例学校{k}") for k, s in enumerate(sample.schools)]
    county = attrs.evolve(sample, schools=tuple(schools))
    by_object = {
        (f.school_id, f.rule_id, f.stage): (f.message_en, f.message_zh)
        for c in ee.evaluate(county, "cn-quality-2017").components.values()
        for f in c.findings
        if f.school_id is not None
    }
    out = batch.evaluate_table(batch.table_from_counties([county]), "cn-quality-2017")
    by_table = {
        (r["school_id"], r["rule_id"], None if r["stage"] is None else ee.Stage(r["stage"])): (
            r["message_en"],
            r["message_zh"],
        )
        for r in out.findings_for([county.code]).to_pylist()
        if r["school_id"] is not None
    }
    assert by_object == by_table
    first = schools[0]
    named = [v for k, v in by_table.items() if k[0] == first.id]
    assert named
    assert all(zh.startswith(f"{first.id} {first.name}") for _, zh in named)


def test_one_room_is_one_room() -> None:
    """English findings say "1 music room" and "2 music rooms"."""
    result = ee.evaluate(ee.datasets.sample_county(), "cn-quality-2017")
    said = [
        f.message_en
        for c in result.components.values()
        for f in c.findings
        if f.rule_id == "rooms.music_rooms" and f.status.value != "not_evaluated"
    ]
    assert any(" has 1 music room;" in m for m in said)
    assert not any(" has 1 music rooms" in m for m in said)
    assert all(" has 1 " in m or " music rooms;" in m for m in said)
