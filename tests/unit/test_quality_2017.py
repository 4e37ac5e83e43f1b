"""The 2017 quality-balance standard: values against their sources, and every rule at its edges."""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest

import eduequity as ee
from eduequity import Confidence, batch
from eduequity._summaries import ClassSizeCounts
from eduequity.standards import Op
from eduequity.standards._model import SchoolRule

Q = ee.get_standard("cn-quality-2017")
P, J = ee.Stage.PRIMARY, ee.Stage.JUNIOR

# 教督〔2017〕6号, the 7 resource-allocation indicators (primary, junior minimums).
TABLE = {
    "teachers_above_qualification_per_100_students": (4.2, 5.3),
    "teachers_backbone_per_100_students": (1.0, 1.0),
    "teachers_pe_arts_per_100_students": (0.9, 0.9),
    "room_area_per_student": (4.5, 5.8),
    "sports_area_per_student": (7.5, 10.2),
    "equipment_value_per_student": (2000, 2500),
    "multimedia_rooms_per_100_students": (2.3, 2.4),
}

# The amounts a school of 1,000 students needs to sit exactly on each minimum.
AT_MINIMUM: dict[ee.Stage, dict[str, Any]] = {
    P: {
        "teachers_above_qualification": 42, "teachers_backbone": 10, "teachers_pe_arts": 9,
        "room_area": 4500.0, "sports_area": 7500.0, "equipment_value": 2_000_000.0,
        "multimedia_rooms": 23,
    },
    J: {
        "teachers_above_qualification": 53, "teachers_backbone": 10, "teachers_pe_arts": 9,
        "room_area": 5800.0, "sports_area": 10200.0, "equipment_value": 2_500_000.0,
        "multimedia_rooms": 24,
    },
}  # fmt: skip
PEOPLE = ("teachers_above_qualification", "teachers_backbone", "teachers_pe_arts")


def school(
    stage: ee.Stage = P,
    sid: str = "S1",
    n: int = 1000,
    classes: int | None = 24,
    class_size: int = 40,
    **changes: Any,
) -> ee.School:
    """A one-stage school of ``n`` students exactly on every 2017 minimum, with ``changes``."""
    amounts = {**AT_MINIMUM[stage], **changes}
    people = {k: amounts.pop(k) for k in PEOPLE}
    sizes = None if classes is None else [class_size] * classes
    data = ee.StageData(enrollment=n, teachers=80, staff=90, class_sizes=sizes, **people)
    rooms = {"music_rooms": 2.0, "art_rooms": 2.0, "music_room_area": 200.0, "art_room_area": 200.0}
    kind = "primary" if stage is P else "junior"
    fields: dict[str, Any] = {stage.value: data, **rooms, **amounts}
    return ee.School(id=sid, kind=kind, **fields)


def county(*schools: ee.School, **inputs: Any) -> ee.County:
    return ee.County(code="990102", name="test", schools=list(schools), inputs=inputs)


def findings(result: ee.EvaluationResult, rule_id: str) -> list[ee.Finding]:
    return [f for f in result.findings if f.rule_id == rule_id]


def test_indicator_minimums_match_the_2017_table() -> None:
    """The 14 per-school minimums equal the 2017 table, teachers' rows cited as primary."""
    rules = {(m.indicator, m.stage): m for m in Q.school_standard.minimums}  # type: ignore[union-attr]
    assert len(rules) == 14
    for ind, (p, j) in TABLE.items():
        assert (rules[(ind, P)].op, rules[(ind, P)].value) == (Op.GE, p)
        assert (rules[(ind, J)].op, rules[(ind, J)].value) == (Op.GE, j)
    for ind in list(TABLE)[:3]:
        assert rules[(ind, P)].citation.confidence is Confidence.PRIMARY
    for ind in list(TABLE)[3:]:
        assert rules[(ind, P)].citation.confidence is Confidence.SECONDARY


def test_school_rule_and_cv_rule_values() -> None:
    """6 of 7 met, the rest >= 85%; each CV <= 0.50 (primary) / 0.45 (junior); no composite."""
    ss = Q.school_standard
    assert ss is not None
    assert (ss.rule, ss.min_met, ss.floor_fraction) == (SchoolRule.AT_LEAST, 6, 0.85)
    assert Q.balance.method.value == "each"
    assert dict(Q.balance.maximum) == {P: 0.50, J: 0.45}
    assert Q.balance.indicators == ee.QUALITY_2017


def test_government_guarantee_values() -> None:
    """Items 3-5 and the county items carry the values of the 2017 measures as restated."""
    assert (Q.rooms.classes_per_room, Q.rooms.music_min_area, Q.rooms.art_min_area) == (12, 96, 90)  # type: ignore[union-attr]
    assert Q.rooms.area_citation.confidence is Confidence.UNCONFIRMED  # type: ignore[union-attr]
    assert dict(Q.school_size.maximum) == {  # type: ignore[union-attr]
        ee.SchoolKind.PRIMARY: 2000,
        ee.SchoolKind.JUNIOR: 2000,
        ee.SchoolKind.COMPLETE_SECONDARY: 2000,
        ee.SchoolKind.NINE_YEAR: 2500,
        ee.SchoolKind.TWELVE_YEAR: 2500,
    }
    cs = Q.class_size
    assert cs is not None
    assert (dict(cs.maximum), cs.large_from, cs.super_large_from) == ({P: 45, J: 50}, 56, 66)
    assert [(t.min_size, t.max_share) for t in cs.targets] == [(66, 0.02), (56, 0.05)]
    assert dict(Q.staffing.students_per_staff) == {P: 19, J: 13.5}  # type: ignore[union-attr]
    assert Q.staffing.citation.confidence is Confidence.UNCONFIRMED  # type: ignore[union-attr]
    items = {i.id: (i.component, i.op, i.value) for i in Q.county_items}
    expected = {
        "years_since_basic_balance": ("precondition", Op.GE, 3),
        "special_education_funding_per_student": ("government_guarantee", Op.GE, 6000),
        "teacher_pay_ratio": ("government_guarantee", Op.GE, 1),
        "teacher_training_completion_rate": ("government_guarantee", Op.GE, 1),
        "teacher_rotation_rate": ("government_guarantee", Op.GE, 0.10),
        "backbone_share_of_rotation": ("government_guarantee", Op.GE, 0.20),
        "teacher_certificate_rate": ("government_guarantee", Op.GE, 1),
        "nearby_enrollment_rate_primary": ("government_guarantee", Op.GE, 1),
        "nearby_enrollment_rate_junior": ("government_guarantee", Op.GE, 0.95),
        "quota_allocation_rate": ("government_guarantee", Op.GE, 0.50),
        "migrant_children_public_rate": ("government_guarantee", Op.GE, 0.85),
        "junior_retention_rate": ("education_quality", Op.GE, 0.95),
        "disabled_enrollment_rate": ("education_quality", Op.GE, 0.95),
        "min_training_budget_share": ("education_quality", Op.GE, 0.05),
        "between_school_difference_rate": ("education_quality", Op.LT, 0.15),
        "social_recognition_rate": ("social_recognition", Op.GE, 0.85),
        "veto_exam_admission": ("veto", Op.EQ, 0.0),
        "veto_key_schools_or_classes": ("veto", Op.EQ, 0.0),
        "layout_planned": ("government_guarantee", Op.EQ, 1.0),
    }
    for key, value in expected.items():
        assert items[key] == value, key


def test_scope_excludes_small_teaching_points_and_keeps_private_schools() -> None:
    """Teaching points under 50 students are excluded (49 out, 50 in); private schools count."""
    tp = [
        ee.School(id=f"TP{n}", kind="teaching_point", primary=ee.StageData(enrollment=n))
        for n in (49, 50)
    ]
    private = attrs.evolve(school(sid="PR"), public=False)
    special = ee.School(id="SE", kind="special_education", primary=ee.StageData(enrollment=80))
    result = ee.evaluate(county(*tp, private, special), Q)
    status = {s.school_id: s.reason for s in result.schools}
    assert status == {
        "TP49": "below_min_enrollment",
        "TP50": None,
        "PR": None,
        "SE": "kind_excluded",
    }


@pytest.mark.parametrize("stage", [P, J])
def test_school_exactly_on_every_minimum_passes(stage: ee.Stage) -> None:
    """A school exactly on all 7 minimums meets 7 of 7 (the arithmetic order keeps it exact)."""
    result = ee.evaluate(county(school(stage)), Q)
    (rule,) = result.school_rules
    assert (rule.status, rule.n_met, rule.n_rules) == (ee.Status.PASSED, 7, 7)
    assert result.shortfalls == ()


@pytest.mark.parametrize(
    ("changes", "status", "n_met"),
    [
        ({"teachers_backbone": 8.5}, ee.Status.PASSED, 6),  # 0.85 = 85% of 1.0: allowed
        ({"teachers_backbone": 8.4}, ee.Status.FAILED, 6),  # 0.84 < 85%
        ({"room_area": 3825.0}, ee.Status.PASSED, 6),  # 3.825 = 85% of 4.5
        ({"room_area": 3824.99}, ee.Status.FAILED, 6),
        ({"teachers_backbone": 9, "teachers_pe_arts": 8}, ee.Status.FAILED, 5),  # 5 of 7
        ({"equipment_value": None}, ee.Status.NOT_EVALUATED, 6),  # 6 met, 1 unknown
        (
            {"equipment_value": None, "books": 1.0, "teachers_backbone": 9, "sports_area": 7000.0},
            ee.Status.FAILED,
            4,
        ),  # 2 unmet already decide
    ],
)
def test_six_of_seven_rule_boundaries(
    changes: dict[str, Any], status: ee.Status, n_met: int
) -> None:
    """At least 6 of 7 met and the remaining one at least 85% of its minimum."""
    result = ee.evaluate(county(school(**changes)), Q)
    (rule,) = result.school_rules
    assert (rule.status, rule.n_met) == (status, n_met)
    (f,) = findings(result, "school_standard.school_rule")
    assert f.status is status
    assert result.components["resource_allocation"].status is status or status is (ee.Status.PASSED)


def test_each_cv_rule_boundary() -> None:
    """Each CV is judged alone: at the maximum passes, the next float below fails."""
    schools = [school(sid=f"S{i}", sports_area=7000.0 + 900 * i) for i in range(4)]
    base = ee.evaluate(county(*schools), Q)
    cvs = {k: v.cv for k, v in base.stages["primary"].cvs.items()}
    worst = cvs["sports_area_per_student"]
    assert worst is not None
    assert worst > 0
    assert all(v == 0.0 for k, v in cvs.items() if k != "sports_area_per_student")

    def with_max(x: float) -> ee.Standard:
        return attrs.evolve(Q, balance=attrs.evolve(Q.balance, maximum={P: x, J: 0.45}))

    at = ee.evaluate(county(*schools), with_max(worst))
    below = ee.evaluate(county(*schools), with_max(math.nextafter(worst, 0)))
    assert at.stages["primary"].status is ee.Status.PASSED
    assert below.stages["primary"].status is ee.Status.FAILED
    failed = [
        f.indicator
        for f in below.findings
        if f.rule_id.startswith("balance.cv.") and f.status is ee.Status.FAILED
    ]
    assert failed == ["sports_area_per_student"]
    assert below.stages["primary"].composite_cv is None  # 2017 has no composite


@pytest.mark.parametrize(
    ("classes", "music", "status"),
    [
        (24, 2.0, ee.Status.PASSED),
        (25, 2.0, ee.Status.FAILED),
        (12, 1.0, ee.Status.PASSED),
        (None, 2.0, ee.Status.NOT_EVALUATED),
    ],
)
def test_music_rooms_per_12_classes(classes: int | None, music: float, status: ee.Status) -> None:
    """ceil(classes / 12) music rooms: 24 classes need 2, 25 need 3; no class sizes: unknown."""
    s = school(classes=classes, class_size=30, music_rooms=music, music_room_area=96.0 * music)
    (f,) = findings(ee.evaluate(county(s), Q), "rooms.music_rooms")
    assert f.status is status


@pytest.mark.parametrize(
    ("area", "status"), [(192.0, ee.Status.PASSED), (191.98, ee.Status.FAILED)]
)
def test_music_room_area_96(area: float, status: ee.Status) -> None:
    """Two music rooms need 192 m² in all (96 m² each on average)."""
    result = ee.evaluate(county(school(music_room_area=area)), Q)
    (f,) = findings(result, "rooms.music_room_area")
    assert f.status is status
    short = [s for s in result.shortfalls if s.resource == "music_room_area"]
    assert [s.quantity for s in short] == ([] if status is ee.Status.PASSED else [0.02])


@pytest.mark.parametrize(
    ("rooms", "area", "status"),
    [
        (2.0, 180.0, ee.Status.FAILED),  # counted: judged, whether the classes are known or not
        (2.0, 192.0, ee.Status.PASSED),
        (0.0, 0.0, ee.Status.NOT_APPLICABLE),  # no room: the count check fails instead
        (None, 180.0, ee.Status.NOT_EVALUATED),  # rooms not counted: mean area unknown
    ],
)
@pytest.mark.parametrize("classes", [24, None])
def test_music_room_area_without_the_classes(
    rooms: float | None, area: float, status: ee.Status, classes: int | None
) -> None:
    """The rooms' mean area needs the rooms and their area, not the classes: a school whose
    class sizes are not reported (its room count not evaluated) still has its rooms' area
    judged, the same through both doors; it was said not applicable."""
    s = school(classes=classes, music_rooms=rooms, music_room_area=area)
    found = findings(ee.evaluate(county(s), Q), "rooms.music_room_area")
    assert [f.status for f in found] == ([] if status is ee.Status.NOT_APPLICABLE else [status])
    table = batch.table_from_counties([county(s)])
    (row,) = batch.evaluate_table(table, Q).schools.to_pylist()
    assert row["check_rooms_music_room_area"] == status.value


@pytest.mark.parametrize(
    ("kind", "n", "status"),
    [
        ("primary", 2000, ee.Status.PASSED),
        ("primary", 2001, ee.Status.FAILED),
        ("nine_year", 2500, ee.Status.PASSED),
        ("nine_year", 2501, ee.Status.FAILED),
    ],
)
def test_school_size_caps(kind: str, n: int, status: ee.Status) -> None:
    """A single-stage school may have 2000 students; a nine-year school 2500 in both stages."""
    if kind == "primary":
        s = ee.School(id="Z", kind="primary", primary=ee.StageData(enrollment=n))
    else:
        s = ee.School(
            id="Z",
            kind="nine_year",
            primary=ee.StageData(enrollment=n - 1000),
            junior=ee.StageData(enrollment=1000),
        )
    (f,) = findings(ee.evaluate(county(s), Q), "school_size")
    assert (f.status, f.measured, f.threshold) == (status, n, 2000 if kind == "primary" else 2500)


@pytest.mark.parametrize(
    ("standard", "stage", "size", "status"),
    [
        ("cn-quality-2017", P, 45, ee.Status.PASSED),
        ("cn-quality-2017", P, 46, ee.Status.FAILED),
        ("cn-quality-2017", J, 50, ee.Status.PASSED),
        ("cn-quality-2017", J, 51, ee.Status.FAILED),
        ("jiangsu-quality", P, 40, ee.Status.PASSED),
        ("jiangsu-quality", P, 41, ee.Status.FAILED),
        ("jiangsu-quality", J, 45, ee.Status.PASSED),
        ("jiangsu-quality", J, 46, ee.Status.FAILED),
    ],
)
def test_class_size_caps(standard: str, stage: ee.Stage, size: int, status: ee.Status) -> None:
    """Every class within 45 (primary) / 50 (junior); 江苏 40 / 45."""
    (f,) = findings(ee.evaluate(county(school(stage, class_size=size)), standard), "class_size")
    assert (f.status, f.measured) == (status, size)


def test_class_size_bands_and_targets() -> None:
    """Classes are counted by band per school, stage and county, with the national targets."""
    data = ee.StageData(enrollment=330, class_sizes=[45, 46, 55, 56, 65, 66])
    s = ee.School(id="B", kind="primary", primary=data)
    report = ee.evaluate(county(s), Q).class_sizes
    assert report is not None
    counts = ClassSizeCounts(within=1, over=2, large=2, super_large=1)
    assert report.schools == (("B", P, counts),)
    assert report.county == counts
    assert report.county.share("super_large") == 1 / 6
    assert [(f.measured, f.status) for f in report.targets] == [
        (1 / 6, ee.Status.FAILED),
        (3 / 6, ee.Status.FAILED),
    ]


def test_staffing_against_the_staffing_standard() -> None:
    """Required staff = ceil(students / 19) primary, / 13.5 junior; the shortfall per stage."""
    schools = [
        ee.School(id="A", kind="primary", primary=ee.StageData(enrollment=190, staff=10)),
        ee.School(id="B", kind="primary", primary=ee.StageData(enrollment=191, staff=10)),
        ee.School(
            id="C", kind="junior", junior=ee.StageData(enrollment=270, staff=18, teachers=15)
        ),
    ]
    report = ee.evaluate(county(*schools), Q).staffing
    assert report is not None
    rows = {r.school_id: (r.required_staff, r.staff_shortfall) for r in report.rows}
    assert rows == {"A": (10, 0.0), "B": (11, 1.0), "C": (20, 2.0)}
    assert (report.required[P], report.shortfall[P], report.shortfall[J]) == (21, 1.0, 2.0)
    assert report.rows[2].students_per_teacher == 18.0


@pytest.mark.parametrize(
    ("inputs", "component", "status"),
    [
        ({"veto_exam_admission": True}, "veto", ee.Status.FAILED),
        ({"between_school_difference_rate": 0.15}, "education_quality", ee.Status.FAILED),
        ({"social_recognition_rate": 0.85}, "social_recognition", ee.Status.PASSED),
        ({"social_recognition_rate": 0.849}, "social_recognition", ee.Status.FAILED),
        (
            {"years_since_basic_balance": 3, "basic_balance_monitoring_high": True},
            "precondition",
            ee.Status.PASSED,
        ),
        (
            {"years_since_basic_balance": 2, "basic_balance_monitoring_high": True},
            "precondition",
            ee.Status.FAILED,
        ),
        ({}, "veto", ee.Status.NOT_EVALUATED),
    ],
)
def test_county_items(inputs: dict[str, Any], component: str, status: ee.Status) -> None:
    """Numbers against their thresholds, yes/no items, vetoes; missing inputs not evaluated."""
    result = ee.evaluate(county(school(), **inputs), Q)
    assert result.components[component].status is status


def test_between_school_difference_rate_is_strict() -> None:
    """校际差异率 must be *below* 0.15."""
    result = ee.evaluate(county(school(), between_school_difference_rate=0.1499), Q)
    (f,) = findings(result, "county.between_school_difference_rate")
    assert f.status is ee.Status.PASSED


@pytest.mark.parametrize(
    ("inputs", "rule", "zh", "en"),
    [
        (
            {"veto_exam_admission": True},
            "county.veto_exam_admission",
            "存在以考试方式招生：是，要求为否，未达到要求。",
            "Admission by examination: yes, required equal to no: not met.",
        ),
        (
            {"social_recognition_rate": 0.8495},
            "county.social_recognition_rate",
            "社会认可度：84.95%，要求不低于85%，未达到要求。",
            "Social recognition rate: 84.95%, required at least 85%: not met.",
        ),
        (
            {},
            "county.social_recognition_rate",
            "社会认可度未提供（输入 social_recognition_rate），未评估。",
            "Social recognition rate not supplied (input 'social_recognition_rate'): "
            "not evaluated.",
        ),
    ],
)
def test_county_item_messages(inputs: dict[str, Any], rule: str, zh: str, en: str) -> None:
    """A county item's message shows flags as yes / no and rates as percentages."""
    (f,) = findings(ee.evaluate(county(school(), **inputs), Q), rule)
    assert (f.message_zh, f.message_en) == (zh, en)
    assert f.level is ee.Level.COUNTY
    assert f.school_id is None


def test_components_in_order() -> None:
    """The result lists the six components of the 2017 standard, in order."""
    result = ee.evaluate(county(school()), Q)
    assert list(result.components) == [
        "precondition",
        "resource_allocation",
        "government_guarantee",
        "education_quality",
        "social_recognition",
        "veto",
    ]


def test_schools_failing_lists_what_to_buy_or_hire() -> None:
    """A failing school is listed with each shortfall in natural units."""
    s = school(teachers_backbone=7, teachers_pe_arts=6, computers=None)
    result = ee.evaluate(county(s), Q)
    (failing,) = result.schools_failing
    got = {(x.resource, x.quantity, x.unit_en) for x in failing.shortfalls}
    assert got == {("teachers_backbone", 3.0, "persons"), ("teachers_pe_arts", 3.0, "persons")}
    assert result.shortfall_totals() == {
        (P, "teachers_backbone"): 3.0,
        (P, "teachers_pe_arts"): 3.0,
    }


def scaled(stage: ee.Stage, factor: float) -> dict[str, Any]:
    """The teacher counts at the minimum for 1,000 students, scaled."""
    return {k: AT_MINIMUM[stage][k] * factor for k in PEOPLE}


def test_split_resource_shortfall_is_for_the_whole_school() -> None:
    """A nine-year school short of primary room area must add to its total; adding it passes."""
    n = ee.School(
        id="N",
        kind="nine_year",
        primary=ee.StageData(enrollment=600, **scaled(P, 0.6)),
        junior=ee.StageData(enrollment=400, **scaled(J, 0.4)),
        room_area=4000.0,
        sports_area=20000.0,
        equipment_value=5e6,
        multimedia_rooms=40,
    )
    result = ee.evaluate(county(n), Q)
    short = {(s.stage, s.resource): s.quantity for s in result.shortfalls}
    q = short[(P, "room_area")]
    fixed = attrs.evolve(n, room_area=4000.0 + q)
    again = ee.evaluate(county(fixed), Q)
    assert (P, "room_area") not in {(s.stage, s.resource) for s in again.shortfalls}
    less = attrs.evolve(n, room_area=4000.0 + q - 0.01)
    assert (P, "room_area") in {
        (s.stage, s.resource) for s in ee.evaluate(county(less), Q).shortfalls
    }
