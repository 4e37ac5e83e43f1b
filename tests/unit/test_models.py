"""Unit tests of School and County validation: every error names the school and the field."""

from __future__ import annotations

import math
from typing import Any

import pytest

import eduequity as ee
from eduequity import DataError, UnknownNameError


def primary(**kw: Any) -> ee.StageData:
    return ee.StageData(**{"enrollment": 300, **kw})


def test_valid_nine_year_school() -> None:
    """A nine-year school with both stages is valid and reports its stages."""
    s = ee.School(id="N1", kind="nine_year", primary=primary(), junior=ee.StageData(enrollment=200))
    assert s.kind is ee.SchoolKind.NINE_YEAR
    assert s.stages == (ee.Stage.PRIMARY, ee.Stage.JUNIOR)
    assert s.stage("junior") is s.junior


@pytest.mark.parametrize(
    ("kwargs", "field", "got"),
    [
        ({"kind": "primary", "primary": ee.StageData(enrollment=0)}, "primary.enrollment", "0"),
        ({"kind": "primary", "primary": ee.StageData(enrollment=-4)}, "primary.enrollment", "-4"),
        (
            {"kind": "primary", "primary": ee.StageData(enrollment=2.5)},  # type: ignore[arg-type]
            "primary.enrollment",
            "2.5",
        ),
        ({"kind": "primary", "primary": primary(teachers=-1)}, "primary.teachers", "-1"),
        ({"kind": "primary", "primary": primary(teachers=math.nan)}, "primary.teachers", "nan"),
        (
            {"kind": "primary", "primary": primary(class_sizes=[40, 0])},
            "primary.class_sizes[1]",
            "0",
        ),
        ({"kind": "primary", "primary": primary(), "books": math.inf}, "books", "inf"),
        ({"kind": "primary", "primary": primary(), "room_area": -2.0}, "room_area", "-2.0"),
        ({"kind": "primary", "primary": primary(), "computers": "12"}, "computers", "'12'"),
        ({"kind": "primary"}, "primary", "None"),
        ({"kind": "primary", "primary": primary(), "junior": primary()}, "junior", "'StageData'"),
        ({"kind": "nine_year", "primary": primary()}, "junior", "None"),
        ({"kind": "complete_secondary", "junior": primary()}, "senior_enrollment", "0"),
        (
            {"kind": "primary", "primary": primary(), "senior_enrollment": 10},
            "senior_enrollment",
            "10",
        ),
        ({"kind": "kindergarten", "primary": primary()}, "kind", "'kindergarten'"),
        ({"kind": "primary", "primary": primary(), "public": "yes"}, "public", "'yes'"),
    ],
)
def test_invalid_school_names_school_and_field(
    kwargs: dict[str, Any], field: str, got: str
) -> None:
    """Each invalid input raises DataError naming the school id, the field and the value."""
    with pytest.raises(DataError) as info:
        ee.School(id="320102-0127", **kwargs)
    msg = str(info.value)
    assert msg.startswith(f"School: school '320102-0127' field '{field}'"), msg
    assert msg.endswith(f"Got {got}."), msg


def test_empty_id_is_rejected() -> None:
    """A school needs a non-empty id."""
    with pytest.raises(DataError, match="field 'id'"):
        ee.School(id=" ", kind="primary", primary=primary())


def test_special_education_needs_a_stage_and_vocational_has_none() -> None:
    """A special-education school reports a compulsory stage; a vocational school reports none."""
    with pytest.raises(DataError, match="special_education"):
        ee.School(id="S", kind="special_education")
    assert ee.School(id="S", kind="special_education", junior=primary()).stages == (
        ee.Stage.JUNIOR,
    )
    assert ee.School(id="V", kind="vocational", senior_enrollment=800).stages == ()


def test_schools_are_immutable() -> None:
    """A School cannot be changed after construction."""
    s = ee.School(id="A", kind="primary", primary=primary())
    with pytest.raises(AttributeError):
        s.books = 5.0  # type: ignore[misc]


def test_county_rejects_duplicate_ids_and_non_schools() -> None:
    """Duplicate school ids and non-School entries are refused, naming the county."""
    a = ee.School(id="A", kind="primary", primary=primary())
    with pytest.raises(DataError, match="county '320102' has two schools with id 'A'"):
        ee.County(code="320102", schools=[a, a])
    with pytest.raises(DataError, match=r"field 'schools\[1\]' must be a School"):
        ee.County(code="320102", schools=[a, "B"])  # type: ignore[list-item]
    with pytest.raises(DataError, match="field 'code'"):
        ee.County(code="", schools=[a])


@pytest.mark.parametrize(
    ("inputs", "error", "text"),
    [
        ({"satisfaction_rate": 91}, DataError, "a fraction from 0 to 1"),
        ({"government_work_score": 101}, DataError, "a score from 0 to 100"),
        ({"government_work_score": True}, DataError, "a score from 0 to 100"),
        ({"satisfaction": 0.9}, UnknownNameError, "'satisfaction' is not a known county input"),
    ],
)
def test_county_inputs_are_checked(
    inputs: dict[str, Any], error: type[Exception], text: str
) -> None:
    """County inputs must be known ids within their range."""
    with pytest.raises(error, match=text):
        ee.County(code="320102", inputs=inputs)


def test_county_inputs_are_read_only() -> None:
    """The inputs mapping of a County cannot be changed."""
    c = ee.County(code="320102", inputs={"satisfaction_rate": 0.9})
    with pytest.raises(TypeError):
        c.inputs["satisfaction_rate"] = 1.0  # type: ignore[index]
