"""Figures that cannot all be right: warnings for the data owner, never verdicts.

Per stage, a school is flagged where its reported figures contradict each other, though each is
valid on its own: more full-time teachers than students, a subset of the full-time teachers
larger than the full-time teachers, more full-time teachers (专任教师) than staff (教职工, who
include them), class sizes that do not add up to the enrollment. The evaluation does not use
these checks; the columnar door lists them (``BatchResult.warnings``) and reports show them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity.class_bands import BAND_LOWER, BAND_UPPER, band_columns
from eduequity.models import STAGE_PEOPLE, Stage
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.schema import stage_column

__all__ = ["WARNINGS_SCHEMA", "consistency_checks", "warnings_table"]

#: The counts of full-time teachers with a property (each at most the full-time teachers).
_TEACHER_SUBSETS = tuple(f for f in STAGE_PEOPLE if f.startswith("teachers_"))

#: Columns of :func:`warnings_table`.
WARNINGS_SCHEMA = pa.schema(
    [
        ("county_code", pa.string()),
        ("school_id", pa.string()),
        ("stage", pa.string()),
        ("warning", pa.string()),
    ]
)


def consistency_checks(cols: SchoolColumns) -> list[tuple[Stage, str, NDArray[np.bool_]]]:
    """Each contradiction: its stage, what it says, and the schools it flags."""
    out = []
    for stage in STAGES:
        has = cols.enrollment[stage] > 0
        people = cols.people[stage]
        teachers = people["teachers"]
        with np.errstate(invalid="ignore"):
            out.append(
                (
                    stage,
                    f"column {stage_column('teachers', stage.value)!r} is larger than "
                    f"{stage_column('enrollment', stage.value)!r} (more teachers than students)",
                    has & (teachers > cols.enrollment[stage]),
                )
            )
            for part in _TEACHER_SUBSETS:
                out.append(
                    (
                        stage,
                        f"column {stage_column(part, stage.value)!r} is larger than "
                        f"{stage_column('teachers', stage.value)!r}",
                        has & (people[part] > teachers),
                    )
                )
            out.append(
                (
                    stage,
                    f"column {stage_column('teachers', stage.value)!r} is larger than "
                    f"{stage_column('staff', stage.value)!r} (the staff include the teachers)",
                    has & (teachers > people["staff"]),
                )
            )
        sizes = cols.class_sizes[stage]
        totals = np.zeros(cols.n_schools)
        some = np.flatnonzero(np.diff(sizes.offsets) > 0)  # the classes listed one by one
        if some.size:
            totals[some] = np.add.reduceat(sizes.values, sizes.offsets[some])
        out.append(
            (
                stage,
                f"the sizes in {stage_column('class_sizes', stage.value)!r} do not add up to "
                f"{stage_column('enrollment', stage.value)!r}",
                has & sizes.reported & ~sizes.banded & (totals != cols.enrollment[stage]),
            )
        )
        if sizes.bands is not None:  # classes by band: the students must fit their bands
            low = sizes.bands @ np.array(BAND_LOWER, dtype=np.int64)
            high = sizes.bands @ np.array([u or 0 for u in BAND_UPPER], dtype=np.int64)
            high = np.where(sizes.bands[:, -1] > 0, np.iinfo(np.int64).max, high)
            names = band_columns(stage.value)
            out.append(
                (
                    stage,
                    f"the classes by band in {names[0]!r} ... {names[-1]!r} cannot hold the "
                    f"{stage_column('enrollment', stage.value)!r} students (too many or too "
                    "few for the bands)",
                    has
                    & sizes.banded
                    & ((cols.enrollment[stage] < low) | (cols.enrollment[stage] > high)),
                )
            )
    return out


def warnings_table(cols: SchoolColumns) -> pa.Table:
    """One row per school, stage and contradiction (see the module docstring)."""
    tables = []
    for stage, text, mask in consistency_checks(cols):
        rows = np.flatnonzero(mask)
        if rows.size:
            tables.append(
                pa.table(
                    [
                        cols.county_code.take(pa.array(cols.county[rows])),
                        cols.school_id.take(pa.array(rows)),
                        pa.array([stage.value] * rows.size),
                        pa.array([text] * rows.size),
                    ],
                    schema=WARNINGS_SCHEMA,
                )
            )
    return pa.concat_tables(tables) if tables else WARNINGS_SCHEMA.empty_table()
