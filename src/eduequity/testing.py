"""Hypothesis strategies for schools and counties, for verifying formulas and pipelines.

Needs the ``test`` extra (hypothesis). Example::

    from hypothesis import given
    from eduequity.testing import counties

    @given(counties())
    def test_my_pipeline_agrees(county):
        result = ee.evaluate(county, "cn-basic-2012")
        assert my_composite(county) == result.stages["primary"].composite_cv

Every generated school is valid; resources are sometimes ``None`` (not reported) when
``missing=True``.
"""

from __future__ import annotations

from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - the extra is installed with the tests
    from eduequity._errors import MissingExtraError

    raise MissingExtraError(
        "eduequity.testing needs hypothesis: pip install 'eduequity[test]'."
    ) from error

from eduequity._models import (
    PHYSICAL_RESOURCES,
    STAGE_PEOPLE,
    County,
    School,
    SchoolKind,
    StageData,
)

__all__ = ["counties", "schools", "stage_data"]

_KINDS = [k for k in SchoolKind if k is not SchoolKind.VOCATIONAL]


def _amount(draw: st.DrawFn, top: float, missing: bool, integer: bool = False) -> float | None:
    if missing and draw(st.integers(0, 9)) == 0:
        return None
    if integer:
        return float(draw(st.integers(0, int(top))))
    return draw(st.floats(0, top, allow_nan=False, allow_subnormal=False))


@st.composite
def stage_data(draw: st.DrawFn, missing: bool = True, max_enrollment: int = 2600) -> StageData:
    """One stage of a school: enrollment, teachers and class sizes."""
    n = draw(st.integers(1, max_enrollment))
    people = {f: _amount(draw, max(2, n // 8), missing, integer=True) for f in STAGE_PEOPLE[1:]}
    sizes = None
    if not (missing and draw(st.integers(0, 9)) == 0):
        classes = draw(st.integers(1, 30))
        sizes = draw(st.lists(st.integers(1, 75), min_size=classes, max_size=classes))
    return StageData(enrollment=n, class_sizes=sizes, **people)


@st.composite
def schools(draw: st.DrawFn, school_id: str = "S", missing: bool = True) -> School:
    """A valid school of any kind but vocational."""
    kind = draw(st.sampled_from(_KINDS))
    fields: dict[str, Any] = {}
    stages = sorted(kind.required_stages, key=lambda s: s.value)
    if kind is SchoolKind.SPECIAL_EDUCATION:
        stages = draw(st.sampled_from([["primary"], ["junior"], ["junior", "primary"]]))
    for stage in stages:
        limit = 120 if kind is SchoolKind.TEACHING_POINT else 2600
        fields[str(getattr(stage, "value", stage))] = draw(stage_data(missing, limit))
    if kind.has_senior:
        fields["senior_enrollment"] = draw(st.integers(1, 3000))
    n = sum(d.enrollment for d in fields.values() if isinstance(d, StageData))
    scale = {
        "room_area": 9.0,
        "sports_area": 15.0,
        "equipment_value": 4000.0,
        "computers": 0.2,
        "books": 45.0,
        "multimedia_rooms": 0.04,
        "music_rooms": 0.004,
        "music_room_area": 0.5,
        "art_rooms": 0.004,
        "art_room_area": 0.5,
    }
    for r in PHYSICAL_RESOURCES:
        integer = r in ("computers", "books", "multimedia_rooms", "music_rooms", "art_rooms")
        fields[r] = _amount(draw, max(1.0, scale[r] * n), missing, integer)
    # Equipment under 1 yuan per pupil is refused as a value in 万元: none, or at least that.
    pupils = n + int(fields.get("senior_enrollment", 0))
    value = fields["equipment_value"]
    if value is not None and 0 < value < pupils:
        fields["equipment_value"] = float(pupils) + value
    return School(
        id=school_id,
        kind=kind,
        public=draw(st.booleans()) or draw(st.booleans()),
        county_run=draw(st.booleans()) or draw(st.booleans()),
        **fields,
    )


@st.composite
def counties(
    draw: st.DrawFn, code: str = "990100", max_schools: int = 10, missing: bool = True
) -> County:
    """A county of 1 to ``max_schools`` valid schools, with some county inputs."""
    n = draw(st.integers(1, max_schools))
    members = [draw(schools(f"{code}-{i:03d}", missing)) for i in range(n)]
    inputs: dict[str, float | bool] = {}
    if draw(st.booleans()):
        inputs["government_work_score"] = draw(st.floats(60, 100))
    if draw(st.booleans()):
        inputs["satisfaction_rate"] = draw(st.floats(0.6, 1))
    if draw(st.booleans()):
        inputs["social_recognition_rate"] = draw(st.floats(0.6, 1))
    if draw(st.booleans()):
        inputs["veto_exam_admission"] = draw(st.booleans())
    return County(code=code, name=f"county {code}", schools=members, inputs=inputs)
