"""Classes counted by band (班额段): reading the forms' band columns, the checks from bands, and
the refusals (a threshold inside a band, lists and bands for one school, an incomplete band row).

The verdicts of ``tests/data/class_bands.csv`` are worked out by hand below from its counts:

=====  ==========  ============================  =======  =====  ======  ===  ============
school stage       classes by band               classes  >45    >50     56+  66+
=====  ==========  ============================  =======  =====  ======  ===  ============
0001   primary     31-35 x2, 36-40 x4, 41-45 x8    14      0      -      0    0
0002   primary     36-40 x2, 41-45 x6, 46-50 x3,   12      4      -      0    0
                   51-55 x1
0003   junior      41-45 x4, 46-50 x10, 51-55 x2,  18      -      4      2    0
                   56-60 x1, 61-65 x1
0004   primary     <=25 x1, 26-30 x2, 31-35 x3       6      0      -      0    0
0004   junior      46-50 x1, 51-55 x1, >=66 x3       5      -      4      3    3
=====  ==========  ============================  =======  =====  ======  ===  ============

County: 55 classes, 5 of 56 or more (9.09% > 5%: not met), 3 of 66 or more (5.45% > 2%: not
met). Music and art rooms (one per 12 classes, ceil): 0001 14 classes need 2 (music 1: not met,
art 2: met); 0002 12 need 1; 0003 18 need 2; 0004 11 need 1 (art 0: not met). Jiangsu's caps
are 40 / 45: 0001 has 8 classes over 40, 0002 has 10; 0003 has 14 over 45, 0004 junior 5.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import DataError, batch
from eduequity._schema import COLUMNS
from eduequity.rules import BAND_KEYS, band_column, band_headers, columns_from_counties, run

DATA = Path(__file__).resolve().parents[1] / "data" / "class_bands.csv"


def _class_findings(result: ee.EvaluationResult) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (f.school_id or "", f.stage.value if f.stage else ""): (f.status.value, f.message_en)
        for c in result.components.values()
        for f in c.findings
        if f.rule_id == "class_size"
    }


def test_corpus_file_verdicts_under_the_2017_standard() -> None:
    """The band columns of the corpus file give the hand-worked class-size verdicts."""
    out = batch.evaluate_table(DATA, "cn-quality-2017", nulls="not_reported")
    f = out.findings_for(["990102"])
    rows = {
        (r["rule_id"], r["school_id"], r["stage"]): (r["status"], r["message_en"])
        for r in f.to_pylist()
    }
    assert rows["class_size", "0001", "primary"][0] == "passed"
    assert rows["class_size", "0002", "primary"] == (
        "failed",
        "School 0002 城关第二小学 (primary) 12 classes (reported by band), largest in the band "
        "51-55, 4 over 45: not met.",
    )
    assert rows["class_size", "0003", "junior"][0] == "failed"
    assert "18 classes" in rows["class_size", "0003", "junior"][1]
    assert "4 over 50" in rows["class_size", "0003", "junior"][1]
    assert rows["class_size", "0004", "primary"][0] == "passed"
    assert rows["class_size", "0004", "junior"] == (
        "failed",
        "School 0004 河口学校 (junior secondary) 5 classes (reported by band), largest in the band "
        "66 or more, 4 over 50: not met.",
    )
    assert rows["rooms.music_rooms", "0001", None][0] == "failed"
    assert "14 classes need 2" in rows["rooms.music_rooms", "0001", None][1]
    assert rows["rooms.art_rooms", "0001", None][0] == "passed"
    assert rows["rooms.music_rooms", "0002", None][0] == "passed"
    assert rows["rooms.music_rooms", "0003", None][0] == "passed"
    assert rows["rooms.art_rooms", "0004", None][0] == "failed"
    assert "11 classes need 1" in rows["rooms.art_rooms", "0004", None][1]
    measured = {
        (r["school_id"], r["stage"]): r["measured"]
        for r in f.to_pylist()
        if r["rule_id"] == "class_size"
    }
    assert set(measured.values()) == {None}  # the largest class is not known from bands
    targets = out.evaluation.class_targets
    assert targets is not None
    assert targets.share[:, 0].tolist() == [3 / 55, 5 / 55]  # targets in order: 66+, 56+
    assert targets.status[:, 0].tolist() == [1, 1]


def test_corpus_file_class_counts_and_jiangsu_caps() -> None:
    """The county's classes by band (within, over, large, super-large) and Jiangsu's 40 / 45."""
    table, _ = batch.read_table(DATA)
    out = batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported")
    classes = out.evaluation.facilities.classes
    p, j = classes[ee.Stage.PRIMARY], classes[ee.Stage.JUNIOR]
    assert p.n_classes.tolist() == [14, 12, 0, 6]
    assert p.n_over.tolist() == [0, 4, 0, 0]
    assert j.n_classes.tolist() == [0, 0, 18, 5]
    assert j.n_over.tolist() == [0, 0, 4, 4]
    assert j.n_large.tolist() == [0, 0, 2, 3]
    assert j.n_super_large.tolist() == [0, 0, 0, 3]
    assert p.largest_band.tolist() == [4, 6, -1, 2]
    js = batch.evaluate_table(table, "jiangsu-quality", nulls="not_reported")
    jc = js.evaluation.facilities.classes
    assert jc[ee.Stage.PRIMARY].n_over.tolist() == [8, 10, 0, 0]
    assert jc[ee.Stage.JUNIOR].n_over.tolist() == [0, 0, 14, 5]


def test_object_door_gives_the_same_counts_as_the_file() -> None:
    """The same schools built as objects with class_bands give the same class-size report."""
    bands = {
        ("0001", "primary"): (0, 0, 2, 4, 8, 0, 0, 0, 0, 0),
        ("0002", "primary"): (0, 0, 0, 2, 6, 3, 1, 0, 0, 0),
        ("0003", "junior"): (0, 0, 0, 0, 4, 10, 2, 1, 1, 0),
        ("0004", "primary"): (1, 2, 3, 0, 0, 0, 0, 0, 0, 0),
        ("0004", "junior"): (0, 0, 0, 0, 0, 1, 1, 0, 0, 3),
    }
    enrollment = {"0001": (560, 0), "0002": (530, 0), "0003": (0, 880), "0004": (170, 350)}
    kinds = {"0001": "primary", "0002": "primary", "0003": "junior", "0004": "nine_year"}
    schools = []
    for sid, kind in kinds.items():
        stages = {}
        for i, stage in enumerate(("primary", "junior")):
            if enrollment[sid][i]:
                stages[stage] = ee.StageData(
                    enrollment=enrollment[sid][i], class_bands=bands[sid, stage]
                )
        schools.append(ee.School(id=sid, kind=kind, **stages))  # type: ignore[arg-type]
    result = ee.evaluate(ee.County(code="990102", schools=schools), "cn-quality-2017")
    report = result.class_sizes
    assert report is not None
    # Over the cap but under 56: 0002 4, 0003 2 (51-55), 0004 junior 1 (51-55).
    assert (report.county.within, report.county.over) == (55 - 7 - 5, 7)
    assert (report.county.large, report.county.super_large) == (2, 3)
    found = _class_findings(result)
    assert found["0004", "junior"][0] == "failed"
    assert "largest in the band 66 or more" in found["0004", "junior"][1]


def test_every_band_header_variant_names_its_column() -> None:
    """The form's headers and their variants (－, ～, 至, 班额 wording) map to the band column."""
    alias = {a: c.name for c in COLUMNS for a in c.aliases}
    for stage, zh in (("primary", "小学"), ("junior", "初中")):
        for k in range(len(BAND_KEYS)):
            for header in band_headers(k, stage):
                assert alias[header] == band_column(k, stage)
        assert alias[f"{zh}25人及以下班数"] == f"classes_le25_{stage}"
        assert alias[f"{zh}26－30人班数"] == f"classes_26_30_{stage}"
        assert alias[f"{zh}班额46～50人"] == f"classes_46_50_{stage}"
        assert alias[f"{zh}51至55人班数"] == f"classes_51_55_{stage}"
        assert alias[f"{zh}66人及以上班数"] == f"classes_ge66_{stage}"
        assert alias[f"{zh}班额66人以上"] == f"classes_ge66_{stage}"


def _band_table(**overrides: list[object]) -> pa.Table:
    columns: dict[str, list[object]] = {
        "school_id": ["A", "B"],
        "county_code": ["990101", "990101"],
        "kind": ["primary", "primary"],
        "enrollment_primary": [90, 80],
    }
    for k in range(len(BAND_KEYS)):
        columns[band_column(k, "primary")] = [2 if k == 4 else 0, 1 if k == 5 else 0]
    columns.update(overrides)
    return pa.table(columns)


def test_a_cap_inside_a_band_is_refused_naming_it() -> None:
    """A ruleset capping classes at 42 cannot be decided from bands: the refusal names the
    cap as the ruleset writes it, the standard, the band and the schools."""
    std = ee.get_standard("cn-quality-2017")
    assert std.class_size is not None
    odd = attrs.evolve(
        std,
        id="county-42",
        class_size=attrs.evolve(
            std.class_size, maximum={ee.Stage.PRIMARY: 42, ee.Stage.JUNIOR: 50}
        ),
    )
    with pytest.raises(DataError) as err:
        batch.evaluate_table(_band_table(), odd)
    text = str(err.value)
    assert "'county-42'" in text
    assert "class_size.maximum.primary = 42" in text
    assert "41-45人" in text
    assert "'A', 'B'" in text
    assert "'classes_41_45_primary'" in text  # the band's column as the table names it
    zh = err.value.message_zh or ""
    assert "规定小学每班不超过 42 人" in zh
    assert "落在班额段 41-45人 之内" in zh
    # The same standard on classes listed one by one is fine.
    listed = pa.table(
        {
            "school_id": ["A"],
            "county_code": ["990101"],
            "kind": ["primary"],
            "enrollment_primary": [90],
            "class_sizes_primary": [[43, 42]],
        }
    )
    assert batch.evaluate_table(listed, odd).evaluation.facilities.classes[
        ee.Stage.PRIMARY
    ].n_over.tolist() == [1.0]


def test_the_refusal_names_the_band_column_as_the_file_writes_it() -> None:
    """A junior cap of 48 on the corpus file names its column 初中班额46至50人 as written."""
    std = ee.get_standard("cn-quality-2017")
    assert std.class_size is not None
    odd = attrs.evolve(
        std,
        class_size=attrs.evolve(
            std.class_size, maximum={ee.Stage.PRIMARY: 45, ee.Stage.JUNIOR: 48}
        ),
    )
    with pytest.raises(DataError) as err:
        batch.evaluate_table(DATA, odd, nulls="not_reported")
    text = str(err.value)
    assert "class_size.maximum.junior = 48" in text
    assert "46-50人 (46-50; '初中班额46至50人')" in text
    assert "school ids '0003', '0004'" in text
    assert "'初中班额25人及以下' ... '初中班额66人以上'" in text


def test_a_target_inside_a_band_is_refused() -> None:
    """A large-class target from 58 students is refused on bands, naming the target."""
    std = ee.get_standard("cn-quality-2017")
    assert std.class_size is not None
    target = attrs.evolve(std.class_size.targets[1], min_size=58)
    odd = attrs.evolve(
        std,
        class_size=attrs.evolve(std.class_size, targets=(std.class_size.targets[0], target)),
    )
    with pytest.raises(DataError, match=r"targets\[1\]\.min_size = 58.*56-60人"):
        batch.evaluate_table(_band_table(), odd)


def test_lists_and_bands_for_one_school_are_refused() -> None:
    """A school giving its classes both one by one and by band is refused, naming it."""
    table = _band_table(class_sizes_primary=[[45, 45], None])
    with pytest.raises(DataError, match=r"both give the classes.*'A'"):
        batch.evaluate_table(table, "cn-basic-2012")
    with pytest.raises(DataError, match=r"'primary.class_bands' must be None when"):
        ee.School(
            id="A",
            kind="primary",
            primary=ee.StageData(enrollment=90, class_sizes=(45,), class_bands=(0,) * 9 + (1,)),
        )


def test_lists_for_some_schools_and_bands_for_others() -> None:
    """One table may list one school's classes and count another's by band."""
    bands: dict[str, list[object]] = {
        band_column(k, "primary"): [2 if k == 4 else 0, None] for k in range(len(BAND_KEYS))
    }
    table = _band_table(class_sizes_primary=[None, [40, 40]], **bands)
    out = batch.evaluate_table(table, "cn-quality-2017")
    classes = out.evaluation.facilities.classes[ee.Stage.PRIMARY]
    assert classes.n_classes.tolist() == [2.0, 2.0]
    assert classes.largest.tolist()[1] == 40.0
    assert np.isnan(classes.largest[0])
    assert classes.largest_band.tolist() == [4, -1]


def test_an_incomplete_band_row_or_set_of_columns_is_refused() -> None:
    """A blank band beside filled ones is a problem (or not reported); a table with some band
    columns of a stage but not all ten is refused, naming the missing headers."""
    table = _band_table(classes_le25_primary=[None, 0])
    with pytest.raises(DataError, match=r"a band is empty beside filled ones.*'A'"):
        batch.evaluate_table(table, "cn-basic-2012")
    out = batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported")
    status = out.findings.filter(
        pa.compute.equal(out.findings.column("rule_id"), "class_size")
    ).column("status")
    assert status.to_pylist() == ["not_evaluated", "failed"]
    with pytest.raises(DataError, match=r"but not '小学66人及以上班数'") as err:
        batch.evaluate_table(_band_table().drop_columns(["classes_ge66_primary"]), "cn-basic-2012")
    assert "却没有 '小学66人及以上班数'" in (err.value.message_zh or "")


def test_bad_band_counts_are_refused() -> None:
    """A negative or fractional count is refused in both doors, naming the band."""
    with pytest.raises(DataError, match=r"'classes_46_50_primary' must be a whole number"):
        batch.evaluate_table(_band_table(classes_46_50_primary=[0, -1]), "cn-basic-2012")
    with pytest.raises(DataError, match=r"class_bands\[5\] \(46-50人\)' must be a whole"):
        ee.School(
            id="A",
            kind="primary",
            primary=ee.StageData(enrollment=90, class_bands=(0, 0, 0, 0, 0, 1.5, 0, 0, 0, 0)),
        )
    with pytest.raises(DataError, match=r"must hold 10 counts"):
        ee.School(id="A", kind="primary", primary=ee.StageData(enrollment=90, class_bands=(1,)))


def test_bands_that_cannot_hold_the_students_are_warned() -> None:
    """Classes by band that cannot hold the enrollment are flagged for the data owner."""
    table = _band_table(enrollment_primary=[90, 200])  # B: one class of 46-50 for 200 pupils
    out = batch.evaluate_table(table, "cn-quality-2017")
    warned = out.data_warnings.column("school_id").to_pylist()
    assert warned == ["B"]


def test_pipeline_columns_from_counties_keep_the_bands() -> None:
    """The object door's columns carry each school's band counts and count its classes."""
    school = ee.School(
        id="A",
        kind="primary",
        primary=ee.StageData(enrollment=150, class_bands=(0, 0, 0, 0, 1, 1, 0, 0, 0, 1)),
    )
    cols = columns_from_counties([ee.County(code="990101", schools=[school])])
    sizes = cols.class_sizes[ee.Stage.PRIMARY]
    assert sizes.counts().tolist() == [3]
    assert sizes.count_above(45).tolist() == [2]
    assert sizes.count_above(65).tolist() == [1]
    ev = run(ee.get_standard("cn-quality-2017"), cols)
    assert ev.facilities.classes[ee.Stage.PRIMARY].largest_band.tolist() == [9]


def test_a_school_with_neither_list_nor_bands_is_named_with_both_headers() -> None:
    """Where a table has both forms, a school that gives neither is named with both headers
    (or, with nulls="not_reported", has its class-size check not evaluated)."""
    table = pa.table(
        {
            "school_id": ["A", "B", "C"],
            "county_code": ["990101"] * 3,
            "kind": ["primary"] * 3,
            "enrollment_primary": [90, 80, 70],
            "class_sizes_primary": [None, [40, 40], None],
            **{
                band_column(k, "primary"): [2 if k == 4 else 0, None, None]
                for k in range(len(BAND_KEYS))
            },
        }
    )
    with pytest.raises(DataError, match=r"columns 'class_sizes_primary' and .* are empty.*'C'"):
        batch.evaluate_table(table, "cn-basic-2012")
    out = batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported")
    classes = out.evaluation.facilities.classes[ee.Stage.PRIMARY]
    assert classes.n_classes.tolist()[:2] == [2.0, 2.0]
    assert np.isnan(classes.n_classes[2])


def test_a_plan_says_why_classes_by_band_are_not_split() -> None:
    """The planner splits the classes it knows by size; classes known by band are not split,
    and the plan says why."""
    listed = ee.School(
        id="L", kind="primary", primary=ee.StageData(enrollment=98, class_sizes=(98,))
    )
    banded = ee.School(
        id="B",
        kind="primary",
        primary=ee.StageData(enrollment=98, class_bands=(0, 0, 0, 0, 0, 1, 1, 0, 0, 0)),
    )
    p = ee.plan(ee.County(code="990101", schools=[listed, banded]), "cn-quality-2017")
    rows = [
        (r["rule"], r["stage"], r["status"], r["n"], r["why"])
        for r in p.not_in_plan.to_pylist()
        if r["rule"] == "class_size"
    ]
    assert rows == [("class_size", "primary", "failed", 1, "classes_by_band")]
    assert p.after.evaluation is not None
    after = p.after.evaluation.facilities.classes[ee.Stage.PRIMARY]
    assert after.n_classes.tolist() == [3.0, 2.0]  # 98 -> 33, 33, 32; the bands as they were
    assert after.n_over.tolist() == [0.0, 2.0]
    applied = p.apply()
    assert applied.school("B").primary == banded.primary


def test_band_headers_under_a_stage_row_are_read(tmp_path: Path) -> None:
    """Two header rows, 小学 above 25人及以下班数 ...: the band columns of the primary stage."""
    bands = [f"{b}班数" for b in ("25人及以下", "26-30人", "31-35人", "36-40人", "41-45人")]
    bands += [f"{b}班数" for b in ("46-50人", "51-55人", "56-60人", "61-65人", "66人及以上")]
    rows = [
        ["学校标识码", "行政区划代码", "学校类型"] + ["小学"] * 11,
        ["", "", "", "在校生数", *bands],
        ["A", "990101", "小学", "90", "0", "0", "0", "0", "1", "1", "0", "0", "0", "0"],
    ]
    path = tmp_path / "two_rows.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    out = batch.evaluate_table(path, "cn-quality-2017", nulls="not_reported")
    classes = out.evaluation.facilities.classes[ee.Stage.PRIMARY]
    assert (classes.n_classes.tolist(), classes.n_over.tolist()) == ([2.0], [1.0])
