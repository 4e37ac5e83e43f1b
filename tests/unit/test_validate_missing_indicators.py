"""``eduequity validate`` counts the indicators that will not be evaluated because their
columns are missing, as problems (exit 2), naming the header to write and the column map entry;
it says "no problems found" only when every indicator of the standard(s) can be evaluated.
The count is checked against the evaluation itself: the CVs it says are missing are exactly
the ones the evaluation leaves undefined."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eduequity import batch, datasets
from eduequity._cli import main
from eduequity.batch._coverage import missing_checks, missing_indicators
from eduequity.standards import get_standard


def _sample(tmp_path: Path, drop: list[str]) -> Path:
    table = batch.table_from_counties([datasets.sample_county()]).drop_columns(drop)
    path = tmp_path / "schools.parquet"
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("standard", ["cn-basic-2012", "cn-quality-2017"])
def test_the_count_is_the_cvs_the_evaluation_leaves_undefined(
    tmp_path: Path, standard: str
) -> None:
    path = _sample(tmp_path, ["room_area", "teachers_backbone_junior", "books"])
    std = get_standard(standard)
    valid = batch.validate_table(path)
    missing, total = missing_indicators(valid.columns, std)
    out = batch.evaluate_table(path, std)
    undefined = set()
    for row in out.counties.to_pylist():
        for ind in std.balance.indicators:
            cv = row[f"cv_{ind}"]
            if cv is None or math.isnan(cv):
                undefined.add((row["stage"], ind))
    assert {(m.stage, m.indicator) for m in missing} == undefined
    assert total == 2 * len(std.balance.indicators)


def test_validate_counts_missing_indicators_as_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _sample(tmp_path, ["teachers_backbone_primary", "teachers_backbone_junior"])
    assert main(["validate", str(path), "--standard", "cn-quality-2017"]) == 2
    out = capsys.readouterr().out
    assert (
        "2 of the 14 indicators of cn-quality-2017 (by stage) will not be evaluated: their "
        "columns are missing:" in out
    )
    assert (
        "  - primary 每百名学生拥有县级及以上骨干教师数 (teachers_backbone_per_100_students): "
        "no column 'teachers_backbone_primary'; write the header '小学县级及以上骨干教师数', or "
        "map yours: columns={'your header': 'teachers_backbone_primary'} (--columns)" in out
    )
    assert "no problems found" not in out
    assert out.splitlines()[-1].endswith(
        "what cannot be evaluated (columns missing): 2 of 14 indicators under cn-quality-2017."
    )
    # The 2012 standard reads no backbone teachers: nothing missing.
    assert main(["validate", str(path), "--standard", "cn-basic-2012"]) == 0
    assert "no problems found." in capsys.readouterr().out
    # No standard named: both national standards are counted (validate chooses none).
    assert main(["validate", str(path), "--lang", "zh"]) == 2
    out = capsys.readouterr().out
    assert "cn-quality-2017 的 14 项指标（按学段计）中有 2 项无法评估（缺少所需的列）：" in out
    assert "请写表头 '小学县级及以上骨干教师数'" in out
    assert out.splitlines()[-1].endswith("因缺列无法评估：cn-quality-2017 指标 2/14。")


def test_a_complete_table_has_no_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(_sample(tmp_path, []))]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("no problems found.")


def test_a_stage_without_schools_is_not_counted() -> None:
    """A county of primary schools only: its junior columns are not missing."""
    table = pa.table(
        {
            "学校标识码": ["1", "2"],
            "行政区划代码": ["320102", "320102"],
            "学校类型": ["小学", "小学"],
            "小学在校生数": [100, 200],
            "小学县级及以上骨干教师数": [3, 5],
        }
    )
    valid = batch.validate_table(table)
    missing, total = missing_indicators(valid.columns, get_standard("cn-quality-2017"))
    assert total == 7
    assert {m.stage for m in missing} == {"primary"}
    assert "teachers_backbone_per_100_students" not in {m.indicator for m in missing}


_CHECK_COLUMNS = {
    "class_size": "check_class_size",
    "rooms.music_rooms": "check_rooms_music_rooms",
    "rooms.music_room_area": "check_rooms_music_room_area",
    "rooms.art_rooms": "check_rooms_art_rooms",
    "rooms.art_room_area": "check_rooms_art_room_area",
    "staffing": "staffing",
}


def _never_evaluated(schools: list[dict[str, object]]) -> set[tuple[str, str | None]]:
    """The (check, stage) pairs the evaluation's schools table says "not evaluated" for on
    every row the check concerns (stage None: the rooms, over every stage)."""
    never = set()
    for check, column in _CHECK_COLUMNS.items():
        by_stage: dict[str | None, set[object]] = {}
        for row in schools:
            if check == "class_size":  # with or without a verdict, the classes are counted
                if row["stage"] is None or row["included"] is False:
                    continue
                status: object = "not_evaluated" if row["classes_within_cap"] is None else "counted"
            elif column not in row or row[column] in (None, "not_applicable"):
                continue
            else:
                status = row[column]
            stage = None if check.startswith("rooms.") else row["stage"]
            by_stage.setdefault(stage, set()).add(status)  # type: ignore[arg-type]
        never |= {(check, s) for s, found in by_stage.items() if found == {"not_evaluated"}}
    return never


@pytest.mark.parametrize("standard", ["cn-basic-2012", "cn-quality-2017"])
@pytest.mark.parametrize(
    "drop",
    [
        [],
        ["class_sizes_junior", "staff_primary"],
        ["music_room_area", "art_rooms"],
        ["class_sizes_primary", "class_sizes_junior"],  # rooms cannot count classes either
    ],
)
def test_the_checks_are_those_the_evaluation_leaves_not_evaluated(
    tmp_path: Path, standard: str, drop: list[str]
) -> None:
    """A check is counted exactly where the evaluation's schools table says "not evaluated"
    on every row the check concerns."""
    path = _sample(tmp_path, drop)
    std = get_standard(standard)
    gaps, total = missing_checks(batch.validate_table(path).columns, std)
    schools = batch.evaluate_table(path, std).schools.to_pylist()
    assert {(m.check, m.stage) for m in gaps} == _never_evaluated(schools)
    assert {m.column for m in gaps} <= set(drop)
    assert not any(m.outside for m in gaps)
    if not drop:
        assert total > 0
        assert not gaps


def _outside_scope_only(kind: str, public: bool) -> pa.Table:
    """One school within the scope that leaves the room and staff columns empty, and one
    outside it (a teaching point of 30 pupils, or a private school) that fills them."""
    return pa.table(
        {
            "school_id": ["1", "2"],
            "county_code": ["320102", "320102"],
            "kind": ["primary", kind],
            "public": [True, public],
            "enrollment_primary": [600, 30 if kind == "teaching_point" else 400],
            "teachers_backbone_primary": [None, 2.0],
            "music_rooms": [None, 1.0],
            "music_room_area": [None, 96.0],
            "staff_primary": [None, 3.0],
            "class_sizes_primary": [None, [30]],
        }
    )


@pytest.mark.parametrize(
    ("standard", "kind", "public"),
    [
        ("cn-basic-2012", "teaching_point", True),
        ("cn-basic-2012", "primary", False),  # 2012 evaluates public schools only
        ("cn-quality-2017", "teaching_point", True),  # 2017: teaching points of 50 and more
    ],
)
def test_a_school_outside_the_scope_makes_nothing_evaluable(
    standard: str, kind: str, public: bool
) -> None:
    """The values of a school the standard does not evaluate (a teaching point under 50
    pupils, a private school) do not make a check or an indicator evaluable: validate lists
    what the evaluation leaves not evaluated, and says the column has values outside the
    scope rather than that it is missing."""
    table = _outside_scope_only(kind, public)
    std = get_standard(standard)
    columns = batch.validate_table(table, nulls="not_reported").columns
    gaps, _ = missing_checks(columns, std)
    out = batch.evaluate_table(table, std, nulls="not_reported")
    assert [r["included"] for r in out.schools.to_pylist()] == [True, False]
    assert {(m.check, m.stage) for m in gaps} == _never_evaluated(out.schools.to_pylist())
    outside = {m.column for m in gaps if m.outside}
    assert "staff_primary" in outside
    assert "class_sizes_primary" in outside
    if standard == "cn-quality-2017":
        assert {"music_rooms", "music_room_area"} <= outside
        staffing = next(m for m in gaps if m.column == "staff_primary")
        assert "has values only for schools outside the standard's scope" in staffing.line("en")
        assert "只有评估范围以外的学校填了数" in staffing.line("zh")
    missing, _ = missing_indicators(columns, std)
    undefined = set()
    for row in out.counties.to_pylist():
        for ind in std.balance.indicators:
            cv = row[f"cv_{ind}"]
            if row["stage"] == "primary" and (cv is None or math.isnan(cv)):
                undefined.add(ind)
    assert {m.indicator for m in missing} == undefined
    # The one indicator column the school outside fills is said to be filled there only.
    assert {m.column for m in missing if m.outside} == (
        {"teachers_backbone_primary"} & {m.column for m in missing}
    )


def test_validate_counts_missing_check_columns_as_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table with every indicator's column but no class sizes is not "clean": the class-size
    cap and the rooms (which count the classes) cannot be evaluated."""
    path = _sample(tmp_path, ["class_sizes_primary", "class_sizes_junior"])
    assert main(["validate", str(path), "--standard", "cn-quality-2017"]) == 2
    out = capsys.readouterr().out
    assert (
        "4 of the 8 school checks of cn-quality-2017 (by stage) will not be evaluated for any "
        "school: their columns are missing:" in out
    )
    assert (
        "  - primary 班额 (class sizes against the cap): no column 'class_sizes_primary' (nor "
        "the classes counted by band); write the header '小学班额', or map yours: "
        "columns={'your header': 'class_sizes_primary'} (--columns)" in out
    )
    assert "no problems found" not in out
    assert out.splitlines()[-1].endswith(
        "what cannot be evaluated (columns missing): 4 of 8 school checks under cn-quality-2017."
    )
    assert main(["validate", str(path), "--lang", "zh"]) == 2
    out = capsys.readouterr().out
    assert "小学 班额：缺少列 'class_sizes_primary'（或按班额段的班级数）；请写表头 '小学班额'" in (
        out
    )


@pytest.mark.parametrize(
    ("standard", "expected"),
    [
        (
            "cn-basic-2012",
            {
                ("class_size", "primary", "class_sizes_primary"),
                ("staffing", "primary", "staff_primary"),
            },
        ),
        (
            "cn-quality-2017",
            {
                ("class_size", "primary", "class_sizes_primary"),
                ("rooms.music_rooms", None, "music_rooms"),
                ("rooms.music_rooms", None, "class_sizes_primary"),
                ("rooms.art_rooms", None, "art_rooms"),
                ("rooms.art_rooms", None, "class_sizes_primary"),
                # The rooms' mean area needs them counted and their area, not the classes.
                ("rooms.music_room_area", None, "music_rooms"),
                ("rooms.music_room_area", None, "music_room_area"),
                ("rooms.art_room_area", None, "art_rooms"),
                ("rooms.art_room_area", None, "art_room_area"),
                ("staffing", "primary", "staff_primary"),
            },
        ),
    ],
)
def test_a_stage_no_school_has_needs_no_column(
    standard: str, expected: set[tuple[str, str | None, str]]
) -> None:
    """A county of primary schools only: the room counts need the classes of the primary
    stage, not of a junior stage no school has (no junior column is asked for)."""
    path = Path(__file__).parents[1] / "data" / "only_primary_schools.csv"
    gaps, _ = missing_checks(batch.validate_table(path).columns, get_standard(standard))
    assert {(m.check, m.stage, m.column) for m in gaps} == expected


def test_a_column_given_by_another_stage_is_not_said_to_be_outside_the_scope() -> None:
    """Primary schools and a small teaching point give the equipment, junior schools do not:
    the junior indicator's column is missing for the junior schools (write it), not "given only
    outside the scope" (the teaching point is no junior school)."""
    table = pa.table(
        {
            "school_id": ["p1", "j1", "tp"],
            "county_code": ["320102"] * 3,
            "kind": ["primary", "junior", "teaching_point"],
            "enrollment_primary": [600, None, 20],
            "enrollment_junior": [None, 500, None],
            "equipment_value": [1.2e6, None, 4e4],
        }
    )
    columns = batch.validate_table(table, nulls="not_reported").columns
    missing, _ = missing_indicators(columns, get_standard("cn-quality-2017"))
    junior = [m for m in missing if m.stage == "junior" and m.column == "equipment_value"]
    assert junior
    assert not junior[0].outside
    assert "write the header" in junior[0].line("en")
