"""The schema states each field's constraint once; both validators read it."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import eduequity as ee
from eduequity import DataError, batch
from eduequity._schema import AMOUNT, CLASS_SIZE, ENROLLMENT, constraint_of

VALUES = st.sampled_from(
    [-2.0, -0.5, 0.0, 0.5, 1.0, 12.0, 12.5, 300.0, 2e6, 1e300, math.nan, math.inf]
)


def object_error(field: str, value: float) -> str | None:
    """The School constructor's message for ``value`` in ``field`` (None if accepted)."""
    stage: dict[str, object] = {"enrollment": 300, "teachers": 20.0}
    school: dict[str, object] = {"books": 9000.0}
    if field == "enrollment":
        stage["enrollment"] = value
    elif field == "class_sizes":
        stage["class_sizes"] = (45, value)
    else:
        school[field] = value
    try:
        ee.School(id="A", kind="primary", primary=ee.StageData(**stage), **school)  # type: ignore[arg-type]
    except DataError as error:
        return str(error)
    return None


def table_error(field: str, value: float) -> str | None:
    """The columnar door's message for ``value`` in ``field`` (None if accepted)."""
    columns: dict[str, pa.Array] = {
        "school_id": pa.array(["A"]),
        "county_code": pa.array(["990201"]),
        "kind": pa.array(["primary"]),
        "enrollment_primary": pa.array([300.0]),
        "teachers_primary": pa.array([20.0]),
        "books": pa.array([9000.0]),
    }
    if field == "enrollment":
        columns["enrollment_primary"] = pa.array([value])
    elif field == "class_sizes":
        columns["class_sizes_primary"] = pa.array([f"45;{value}"])
    else:
        columns[field] = pa.array([value])
    try:
        batch.evaluate_table(pa.table(columns), "cn-basic-2012", nulls="not_reported")
    except DataError as error:
        return str(error)
    return None


@given(st.sampled_from(["enrollment", "books", "room_area"]), VALUES)
def test_both_doors_refuse_the_same_values_in_the_same_words(field: str, value: float) -> None:
    """A value is refused by the School constructor exactly when the table door refuses it,
    and both state the schema's expectation."""
    expectation = constraint_of(field).expectation
    by_object, by_table = object_error(field, value), table_error(field, value)
    assert (by_object is None) == (by_table is None)
    if by_object is not None and by_table is not None:
        assert expectation in by_object
        assert expectation in by_table


@given(VALUES)
def test_class_sizes_follow_the_schema_in_both_doors(value: float) -> None:
    """A class size is a whole number of at least 1 at both doors."""
    bad = bool(CLASS_SIZE.violated([value])[0])
    assert (object_error("class_sizes", value) is not None) == bad
    if math.isfinite(value) and value == int(value):  # CSV text of a whole number
        by_table = table_error("class_sizes", int(value))
        assert (by_table is not None) == bad


def test_constraints_read_as_stated() -> None:
    """The constraints of the fields, as error messages state them."""
    assert ENROLLMENT.expectation == "must be a whole number from 1 to 1,000,000"
    assert AMOUNT.expectation == "must be a number from 0 to 1,000,000,000,000"
    assert CLASS_SIZE.expectation == "must be a whole number from 1 to 1,000"
    assert constraint_of("teachers_backbone") is AMOUNT
    with pytest.raises(KeyError):
        constraint_of("colour")


@pytest.mark.parametrize(
    ("name", "kind"), [("小学", "primary"), ("初中", "junior"), ("九年一贯制学校", "nine_year")]
)
def test_school_accepts_chinese_kind_names(name: str, kind: str) -> None:
    """The Chinese kind names the table door accepts are accepted by School too."""
    stages = {"primary": ["primary"], "junior": ["junior"], "nine_year": ["primary", "junior"]}[
        kind
    ]
    school = ee.School(id="A", kind=name, **{s: ee.StageData(enrollment=100) for s in stages})  # type: ignore[arg-type]
    assert school.kind is ee.SchoolKind(kind)
