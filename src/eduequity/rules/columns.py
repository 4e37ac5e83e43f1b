"""The columnar form of schools that every rule works on.

Both doors end here: :func:`columns_from_counties` turns validated :class:`~eduequity.County`
objects into :class:`SchoolColumns`, and the columnar door builds the same arrays from an Arrow
table. The rules then run on arrays with integer county codes, whatever the door.

Conventions: a stage a school does not have has enrollment ``0``; a value not reported is NaN.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity.models import PHYSICAL_RESOURCES, STAGE_PEOPLE, County, Stage
from eduequity.split import KIND_CODES

__all__ = ["STAGES", "Ragged", "SchoolColumns", "columns_from_counties"]

FloatArray = NDArray[np.float64]

#: The compulsory stages in array order: stage code 0 is primary, 1 is junior.
STAGES: tuple[Stage, ...] = (Stage.PRIMARY, Stage.JUNIOR)


@attrs.frozen(eq=False)
class Ragged:
    """A list of integers per school, flattened as in Arrow: school ``i`` has
    ``values[offsets[i]:offsets[i + 1]]``; ``valid[i]`` is False where nothing was reported."""

    values: NDArray[np.int64]
    offsets: NDArray[np.intp]
    valid: NDArray[np.bool_]

    def lengths(self) -> NDArray[np.intp]:
        """Number of entries of each school (0 where not reported)."""
        return np.diff(self.offsets)

    def row_of_value(self) -> NDArray[np.intp]:
        """The school row of each value."""
        return np.repeat(np.arange(self.valid.size, dtype=np.intp), self.lengths())


@attrs.frozen(eq=False)
class SchoolColumns:
    """One row per input school, as arrays.

    Attributes
    ----------
    school_id : array of str (numpy object array, or a pyarrow string array)
    county : array of int
        County code index of each school, ``0 <= county < n_counties``.
    n_counties : int
    kind : array of int
        Kind code (:data:`eduequity.split.KIND_CODES`).
    public, county_run : array of bool
    enrollment : mapping of Stage to array of float
        0 where the school does not have the stage.
    senior_enrollment : array of float
    people : mapping of Stage to mapping of str to array of float
        The :data:`~eduequity.models.STAGE_PEOPLE` fields but enrollment; NaN where not reported.
    resources : mapping of str to array of float
        The :data:`~eduequity.models.PHYSICAL_RESOURCES`; NaN where not reported.
    class_sizes : mapping of Stage to Ragged
        The size of each class of each school's stage.
    """

    school_id: Any
    county: NDArray[np.intp]
    n_counties: int
    kind: NDArray[np.intp]
    public: NDArray[np.bool_]
    county_run: NDArray[np.bool_]
    enrollment: Mapping[Stage, FloatArray]
    senior_enrollment: FloatArray
    people: Mapping[Stage, Mapping[str, FloatArray]]
    resources: Mapping[str, FloatArray]
    class_sizes: Mapping[Stage, Ragged]

    @property
    def n_schools(self) -> int:
        """Number of rows."""
        return int(self.county.size)


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


def columns_from_counties(counties: Sequence[County]) -> SchoolColumns:
    """Arrays of the schools of ``counties``, in order; county ``i`` gets county code ``i``."""
    schools = [(i, s) for i, c in enumerate(counties) for s in c.schools]
    n = len(schools)
    people: dict[Stage, dict[str, FloatArray]] = {}
    enrollment: dict[Stage, FloatArray] = {}
    class_sizes: dict[Stage, Ragged] = {}
    for stage in STAGES:
        data = [s.stage(stage) for _, s in schools]
        lists = [() if d is None or d.class_sizes is None else d.class_sizes for d in data]
        class_sizes[stage] = Ragged(
            values=np.array([v for sizes in lists for v in sizes], dtype=np.int64),
            offsets=np.concatenate([[0], np.cumsum([len(x) for x in lists])]).astype(np.intp),
            valid=np.array(
                [d is not None and d.class_sizes is not None for d in data], dtype=np.bool_
            ),
        )
        enrollment[stage] = np.array([0.0 if d is None else d.enrollment for d in data])
        people[stage] = {
            f: np.array([math.nan if d is None else _num(getattr(d, f)) for d in data])
            for f in STAGE_PEOPLE[1:]
        }
    return SchoolColumns(
        school_id=np.array([s.id for _, s in schools], dtype=object),
        county=np.array([i for i, _ in schools], dtype=np.intp),
        n_counties=len(counties),
        kind=np.array([KIND_CODES[s.kind] for _, s in schools], dtype=np.intp),
        public=np.array([s.public for _, s in schools], dtype=np.bool_),
        county_run=np.array([s.county_run for _, s in schools], dtype=np.bool_),
        enrollment=enrollment,
        senior_enrollment=np.array([float(s.senior_enrollment) for _, s in schools]),
        people=people,
        resources={
            r: np.array([_num(getattr(s, r)) for _, s in schools], dtype=np.float64).reshape(n)
            for r in PHYSICAL_RESOURCES
        },
        class_sizes=class_sizes,
    )
