"""Unit tests of evaluate(): scope, stage parts, verdicts at their boundaries, missing inputs."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pytest

import eduequity as ee
from eduequity import DataError, SchoolMinimum, SchoolStandard, UnknownNameError
from eduequity.standards import Op

BASIC = ee.get_standard("cn-basic-2012")
CITE = ee.Citation(issuer="test", title="test standard", confidence=ee.Confidence.UNCONFIRMED)
FULL: dict[str, Any] = {
    "room_area": 2000.0,
    "sports_area": 3000.0,
    "equipment_value": 700000.0,
    "computers": 40.0,
    "books": 9000.0,
    "multimedia_rooms": 8.0,
}


def stage(enrollment: int, teachers: float = 20.0, **kw: Any) -> ee.StageData:
    people = {
        "teachers": teachers,
        "teachers_above_qualification": teachers * 0.8,
        "teachers_intermediate_title": teachers * 0.5,
    }
    return ee.StageData(enrollment=enrollment, **{**people, **kw})


def primary_school(i: int, enrollment: int = 300, scale: float = 1.0, **kw: Any) -> ee.School:
    resources = {k: v * scale * enrollment / 300 for k, v in FULL.items()}
    return ee.School(
        id=f"P{i:02d}", kind="primary", primary=stage(enrollment, 15 * scale), **{**resources, **kw}
    )


def junior_school(i: int, enrollment: int = 400, **kw: Any) -> ee.School:
    resources = {k: v * enrollment / 300 for k, v in FULL.items()}
    return ee.School(
        id=f"J{i:02d}", kind="junior", junior=stage(enrollment, 30), **{**resources, **kw}
    )


def county(schools: list[ee.School], **inputs: float) -> ee.County:
    return ee.County(code="990199", name="test", schools=schools, inputs=inputs)


def with_maximum(standard: ee.Standard, primary: float, junior: float) -> ee.Standard:
    balance = attrs.evolve(
        standard.balance, maximum={ee.Stage.PRIMARY: primary, ee.Stage.JUNIOR: junior}
    )
    return attrs.evolve(standard, balance=balance)


def test_every_input_school_is_accounted_for_in_order() -> None:
    """result.schools lists every input school once, in input order, with its status."""
    c = ee.datasets.sample_county()
    result = ee.evaluate(c, BASIC)
    assert [s.school_id for s in result.schools] == [s.id for s in c.schools]
    excluded = {s.school_id: s.reason for s in result.excluded_schools}
    assert excluded == {
        "990101-PS06": "private",
        "990101-JS03": "not_county_run",
        "990101-TP01": "kind_excluded",
        "990101-TP02": "kind_excluded",
        "990101-TP03": "kind_excluded",
    }
    assert all(s.reason_zh and s.reason_en for s in result.excluded_schools)
    included_parts = sum(len(s.stages) for s in result.schools if s.included)
    assert included_parts == sum(st.n_schools for st in result.stages.values())


def test_multi_stage_schools_count_in_each_of_their_stages() -> None:
    """A nine-year school counts in both stages; a complete secondary school in junior only."""
    result = ee.evaluate(ee.datasets.sample_county(), BASIC)
    by_id = {s.school_id: s.stages for s in result.schools}
    assert by_id["990101-NY01"] == (ee.Stage.PRIMARY, ee.Stage.JUNIOR)
    assert by_id["990101-TY01"] == (ee.Stage.PRIMARY, ee.Stage.JUNIOR)
    assert by_id["990101-CS01"] == (ee.Stage.JUNIOR,)


def test_stage_cvs_equal_an_independent_recomputation() -> None:
    """Every CV of the sample county equals weighted_cv over split_school parts, by hand."""
    c = ee.datasets.sample_county()
    result = ee.evaluate(c, BASIC)
    included = {s.school_id for s in result.schools if s.included}
    for st in ee.Stage:
        parts = [(s, s.stage(st)) for s in c.schools if s.id in included and s.stage(st)]
        for ind_id in BASIC.balance.indicators:
            ind = ee.get_indicator(ind_id)
            values, weights = [], []
            for school, data in parts:
                assert data is not None
                if ind.is_split:
                    amount = ee.split_school(school).parts[st][ind.numerator]
                else:
                    amount = getattr(data, ind.numerator)
                assert amount is not None
                values.append(amount * ind.scale / data.enrollment)
                weights.append(data.enrollment)
            cv = result.stages[st].cvs[ind_id].cv
            assert cv == pytest.approx(ee.weighted_cv(values, weights), rel=1e-12)
        composite = result.stages[st].composite_cv
        cvs = [result.stages[st].cvs[i].cv for i in BASIC_IDS]
        assert composite == ee.composite_cv([cv for cv in cvs if cv is not None])
        assert None not in cvs


BASIC_IDS = ee.BASIC_2012


def test_composite_threshold_boundary() -> None:
    """A composite exactly at the maximum passes; the next float below the composite fails."""
    schools = [primary_school(i, 200 + 37 * i, scale=0.6 + 0.1 * i) for i in range(8)]
    base = ee.evaluate(county(schools), BASIC).stages["primary"].composite_cv
    assert base is not None
    at = ee.evaluate(county(schools), with_maximum(BASIC, base, 0.55))
    below = ee.evaluate(county(schools), with_maximum(BASIC, math.nextafter(base, 0), 0.55))
    assert at.stages["primary"].status is ee.Status.PASSED
    assert below.stages["primary"].status is ee.Status.FAILED
    (f,) = [
        f
        for f in below.findings
        if f.rule_id == "balance.composite_cv" and f.stage is ee.Stage.PRIMARY
    ]
    assert (f.status, f.measured, f.op) == (ee.Status.FAILED, base, Op.LE)
    assert "not met" in f.message_en
    assert "未达到要求" in f.message_zh


def test_county_without_junior_schools_has_junior_not_applicable() -> None:
    """No junior school: the junior stage is not applicable and does not block the component."""
    result = ee.evaluate(county([primary_school(i) for i in range(3)]), BASIC)
    assert result.stages["junior"].status is ee.Status.NOT_APPLICABLE
    assert result.stages["primary"].status is ee.Status.PASSED
    assert result.components["school_balance"].status is ee.Status.PASSED


def test_undefined_cv_fails_with_its_reason() -> None:
    """No school has a computer: the mean is 0, the CV undefined, and the rule fails saying so."""
    schools = [primary_school(i, computers=0.0) for i in range(3)]
    result = ee.evaluate(county(schools), BASIC)
    cv = result.stages["primary"].cvs["computers_per_100_students"]
    assert (cv.status, cv.cv, cv.mean) == (ee.Status.FAILED, None, 0.0)
    assert result.stages["primary"].status is ee.Status.FAILED
    (f,) = [
        f
        for f in result.findings
        if f.rule_id == "balance.composite_cv" and f.stage is ee.Stage.PRIMARY
    ]
    assert f.status is ee.Status.FAILED
    assert "undefined" in f.message_en
    assert "computers per 100 students" in f.message_en


def test_missing_input_is_not_evaluated_and_names_the_schools() -> None:
    """A school that did not report books: the composite is not evaluated, naming the school."""
    schools = [primary_school(0, books=None), primary_school(1), primary_school(2)]
    result = ee.evaluate(county(schools, government_work_score=90, satisfaction_rate=0.9), BASIC)
    books = result.stages["primary"].cvs["books_per_student"]
    assert (books.status, books.cv, books.missing_school_ids) == (
        ee.Status.NOT_EVALUATED,
        None,
        ("P00",),
    )
    assert result.stages["primary"].composite_cv is None
    assert result.components["school_balance"].status is ee.Status.NOT_EVALUATED
    (f,) = [
        f
        for f in result.findings
        if f.rule_id == "balance.composite_cv" and f.stage is ee.Stage.PRIMARY
    ]
    assert "P00" in f.message_en
    assert "books" in f.message_en
    assert result.status is ee.Status.NOT_EVALUATED
    assert not result.passed


@pytest.mark.parametrize(
    ("inputs", "status"),
    [
        ({"government_work_score": 85}, ee.Status.PASSED),
        ({"government_work_score": 84.99}, ee.Status.FAILED),
        ({"government_work_score": 85.01}, ee.Status.PASSED),
        ({}, ee.Status.NOT_EVALUATED),
    ],
)
def test_government_work_score_boundary(inputs: dict[str, float], status: ee.Status) -> None:
    """The work score passes at 85 and above, fails below, and is not evaluated when missing."""
    result = ee.evaluate(county([primary_school(0)], **inputs), BASIC)
    assert result.components["government_work"].status is status


@pytest.mark.parametrize(("rate", "status"), [(0.85, ee.Status.PASSED), (0.8499, ee.Status.FAILED)])
def test_satisfaction_boundary(rate: float, status: ee.Status) -> None:
    """Satisfaction passes at 85% and above."""
    result = ee.evaluate(county([primary_school(0)], satisfaction_rate=rate), BASIC)
    assert result.components["public_satisfaction"].status is status


def province(value: float, indicator: str = "books_per_student") -> SchoolStandard:
    return SchoolStandard(
        component="school_standard",
        name_zh="省标",
        name_en="province",
        minimums=(SchoolMinimum(indicator, ee.Stage.PRIMARY, Op.GE, value, CITE),),
        citation=CITE,
    )


@pytest.mark.parametrize(
    ("books", "status"),
    [(4500.0, ee.Status.PASSED), (4499.0, ee.Status.FAILED), (None, ee.Status.NOT_EVALUATED)],
)
def test_school_minimum_boundary(books: float | None, status: ee.Status) -> None:
    """A school exactly at the minimum (15 books x 300 students) passes; one book fewer fails."""
    std = BASIC.with_school_standard(province(15))
    result = ee.evaluate(county([primary_school(0, books=books)]), std)
    (f,) = result.components["school_standard"].findings
    assert (f.status, f.school_id, f.threshold) == (status, "P00", 15.0)
    assert result.components["school_standard"].status is status


def test_a_school_counts_every_minimum_of_a_long_standard() -> None:
    """A standard of more minimums than a byte holds counts each school's minimums and those
    met to the last one (the counts are kept one byte a school where they fit)."""
    minimum = SchoolMinimum("books_per_student", ee.Stage.PRIMARY, Op.GE, 15, CITE)
    std = BASIC.with_school_standard(attrs.evolve(province(15), minimums=(minimum,) * 130))
    result = ee.evaluate(county([primary_school(0), primary_school(1, books=10.0)]), std)
    rows = [(r.school_id, r.n_rules, r.n_met, r.status) for r in result.school_rules]
    assert rows == [("P00", 130, 130, ee.Status.PASSED), ("P01", 130, 0, ee.Status.FAILED)]


def test_missing_school_standard_is_not_evaluated() -> None:
    """Without the province's school standard the precondition is not evaluated."""
    result = ee.evaluate(
        county([primary_school(0)], government_work_score=90, satisfaction_rate=0.9), BASIC
    )
    assert result.components["school_standard"].status is ee.Status.NOT_EVALUATED
    assert result.not_evaluated_components == ("school_standard",)
    assert result.status is ee.Status.NOT_EVALUATED


def test_a_county_that_meets_everything_passes() -> None:
    """Complete inputs that meet every rule give an overall pass, listing all components."""
    schools = [primary_school(i, 250 + 10 * i, scale=1 + 0.02 * i) for i in range(5)]
    schools += [junior_school(i, 380 + 15 * i) for i in range(3)]
    std = BASIC.with_school_standard(province(10))
    result = ee.evaluate(county(schools, government_work_score=91, satisfaction_rate=0.93), std)
    assert result.passed
    assert result.evaluated_components == (
        "school_standard",
        "school_balance",
        "government_work",
        "public_satisfaction",
    )


def test_staff_numerator_changes_the_teacher_ratio() -> None:
    """With 师生比 from staff, the teachers-per-student CV is computed from staff."""
    schools = [
        ee.School(
            id=f"S{i}", kind="primary", **FULL, primary=stage(300, teachers=15, staff=10 + 5 * i)
        )
        for i in range(3)
    ]
    std = BASIC.with_numerators({"teachers_per_student": "staff"}, CITE)
    staff_cv = ee.evaluate(county(schools), std).stages["primary"].cvs["teachers_per_student"].cv
    teacher_cv = (
        ee.evaluate(county(schools), BASIC).stages["primary"].cvs["teachers_per_student"].cv
    )
    assert teacher_cv == 0.0
    assert staff_cv == pytest.approx(
        ee.weighted_cv([10 / 300, 15 / 300, 20 / 300], [300] * 3), rel=1e-14
    )


def test_split_weights_are_a_parameter_of_the_standard() -> None:
    """Weights of 1 change the nine-year school's primary share to the plain enrollment share."""
    school = ee.School(id="N", kind="nine_year", primary=stage(600), junior=stage(300), **FULL)
    plain = BASIC.with_split_weights(ee.SplitWeights(1, 1, 1), CITE)
    mean = ee.evaluate(county([school]), plain).stages["primary"].cvs["books_per_student"].mean
    assert mean == pytest.approx(9000 * 600 / 900 / 600, rel=1e-15)


def test_evaluate_rejects_wrong_arguments() -> None:
    """A path that is no file, reading options with a County, or an unknown standard id
    raises a clear error."""
    with pytest.raises(DataError, match="990101"):
        ee.evaluate("990101", BASIC)
    with pytest.raises(DataError, match="a County is read already"):
        ee.evaluate(county([primary_school(0)]), BASIC, sheet="all")
    with pytest.raises(UnknownNameError, match="not a known standard"):
        ee.evaluate(county([primary_school(0)]), "cn-basic-2011")


def test_evaluate_takes_a_table_as_plan_does() -> None:
    """ee.evaluate of a table of schools is batch.evaluate_table's result for it, as ee.plan
    of a table is batch.plan_table's: the two top-level doors take the same sources."""
    table = ee.batch.table_from_counties([ee.datasets.sample_county()])
    via_door = ee.evaluate(table, "cn-quality-2017")
    via_batch = ee.batch.evaluate_table(table, "cn-quality-2017")
    assert isinstance(via_door, ee.batch.BatchResult)
    assert via_door.counties.equals(via_batch.counties)
    assert via_door.schools.equals(via_batch.schools)


def test_findings_carry_citations_and_both_languages() -> None:
    """Every finding has a citation and a message in Chinese and English."""
    result = ee.evaluate(
        ee.datasets.sample_county(),
        BASIC.with_school_standard(ee.datasets.sample_school_standard()),
    )
    assert result.findings
    for f in result.findings:
        assert f.citation.title
        assert f.message_zh
        assert f.message_en


def test_result_order_does_not_depend_on_school_order() -> None:
    """Reversing the schools gives the same CVs (to rounding) and the same verdicts."""
    c = ee.datasets.sample_county()
    rev = attrs.evolve(c, schools=tuple(reversed(c.schools)))
    a, b = ee.evaluate(c, BASIC), ee.evaluate(rev, BASIC)
    for st in ee.Stage:
        for i in BASIC_IDS:
            assert a.stages[st].cvs[i].cv == pytest.approx(b.stages[st].cvs[i].cv, rel=1e-12)
        assert a.stages[st].status is b.stages[st].status
    assert np.array_equal(
        [c.status for c in a.components.values()], [c.status for c in b.components.values()]
    )
