"""Figures that cannot all be right: warnings for the data owner, never verdicts.

Per stage, a school is flagged where its reported figures contradict each other, though each is
valid on its own: more full-time teachers than students, a subset of the full-time teachers
larger than the full-time teachers, more full-time teachers (专任教师) than staff (教职工, who
include them), class sizes that do not add up to the enrollment. The evaluation does not use
these checks; the columnar door lists them (``BatchResult.data_warnings``) and reports show them.

A warning names each column by its header as the user wrote it (``'小学专任教师数'`` where the
file says so, ``'teachers_primary'`` where it uses the canonical names), in English or, under
``lang="zh"``, in Chinese, where a column written under its canonical name is named by the
national forms' header.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity._arrow import array, empty_table, named
from eduequity._arrow import text as as_text
from eduequity._class_bands import BAND_LOWER, BAND_UPPER, band_columns
from eduequity._models import STAGE_PEOPLE, Stage
from eduequity._options import get_option
from eduequity._schema import COLUMNS, stage_column
from eduequity.rules._columns import STAGES, SchoolColumns

__all__ = ["CHECK_TEXTS", "WARNINGS_SCHEMA", "consistency_checks", "warnings_table"]

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

#: What each kind of contradiction says, in English and Chinese, with the columns it names
#: (``{a}``, ``{b}``, ``{c}``) filled in as the user wrote them.
CHECK_TEXTS: Mapping[str, Mapping[str, str]] = {
    "teachers_over_students": {
        "en": "column {a} is larger than {b} (more teachers than students)",
        "zh": "{a}大于{b}（专任教师多于学生）",
    },
    "part_over_teachers": {
        "en": "column {a} is larger than {b}",
        "zh": "{a}大于{b}（分项不应多于专任教师总数）",
    },
    "teachers_over_staff": {
        "en": "column {a} is larger than {b} (the staff include the teachers)",
        "zh": "{a}大于{b}（教职工包括专任教师）",
    },
    "sizes_not_enrollment": {
        "en": "the sizes in {a} do not add up to {b}",
        "zh": "{a}中各班人数之和不等于{b}",
    },
    "bands_not_enrollment": {
        "en": "the classes by band in {a} ... {c} cannot hold the {b} students (too many or too "
        "few for the bands)",
        "zh": "{a}至{c}的各档班数容纳不下{b}（按各档班额，学生过多或过少）",
    },
}

#: The Chinese header of each column (the national forms' own).
_HEADER_ZH = {c.name: c.aliases[0] for c in COLUMNS if c.aliases}


def _named(column: str, headers: Mapping[str, str], lang: str) -> str:
    """A column as a message names it: the header as the user wrote it; else, in Chinese, the
    national forms' header, in English the column's name."""
    written = headers.get(column)
    if written is None or (lang == "zh" and written == column):
        written = _HEADER_ZH.get(column, column) if lang == "zh" else column
    return f"“{written}”" if lang == "zh" else repr(written)


def consistency_checks(
    cols: SchoolColumns, lang: str | None = None
) -> list[tuple[Stage, str, NDArray[np.bool_]]]:
    """Each contradiction: its stage, what it says, and the schools it flags.

    What it says names the columns by the headers as the user wrote them
    (``SchoolColumns.headers``), in ``lang`` (``"en"`` or ``"zh"``; by default the ``lang``
    option, :func:`eduequity.set_options`); see :data:`CHECK_TEXTS`.
    """
    lang = get_option("lang") if lang is None else lang
    headers = cols.headers

    def say(kind: str, stage: Stage, a: str, b: str, c: str = "") -> str:
        def name(field: str) -> str:
            return _named(stage_column(field, stage.value), headers, lang)

        return CHECK_TEXTS[kind][lang].format(a=name(a), b=name(b), c=name(c) if c else "")

    out = []
    for stage in STAGES:
        has = cols.enrollment[stage] > 0
        people = cols.people[stage]
        teachers = people["teachers"]
        with np.errstate(invalid="ignore"):
            out.append(
                (
                    stage,
                    say("teachers_over_students", stage, "teachers", "enrollment"),
                    has & (teachers > cols.enrollment[stage]),
                )
            )
            for part in _TEACHER_SUBSETS:
                out.append(
                    (
                        stage,
                        say("part_over_teachers", stage, part, "teachers"),
                        has & (people[part] > teachers),
                    )
                )
            out.append(
                (
                    stage,
                    say("teachers_over_staff", stage, "teachers", "staff"),
                    has & (teachers > people["staff"]),
                )
            )
        sizes = cols.class_sizes[stage]
        totals = np.zeros(cols.n_schools)
        some = np.flatnonzero(np.diff(sizes.offsets) > 0)  # the classes listed one by one
        if some.size:
            totals[some] = np.add.reduceat(sizes.values, sizes.offsets[some], dtype=np.int64)
        out.append(
            (
                stage,
                say("sizes_not_enrollment", stage, "class_sizes", "enrollment"),
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
                    CHECK_TEXTS["bands_not_enrollment"][lang].format(
                        a=_named(names[0], headers, lang),
                        b=_named(stage_column("enrollment", stage.value), headers, lang),
                        c=_named(names[-1], headers, lang),
                    ),
                    has
                    & sizes.banded
                    & ((cols.enrollment[stage] < low) | (cols.enrollment[stage] > high)),
                )
            )
    return out


def warnings_table(cols: SchoolColumns, lang: str | None = None) -> pa.Table:
    """One row per school, stage and contradiction (see the module docstring), what it says
    in ``lang`` (by default the ``lang`` option)."""
    tables = []
    for stage, text, mask in consistency_checks(cols, lang):
        rows = np.flatnonzero(mask)
        if rows.size:
            tables.append(
                pa.table(
                    [
                        cols.county_code.take(array(cols.county[rows])),
                        cols.school_id.take(array(rows)),
                        named((stage.value,), rows.size),
                        as_text([text]).take(array(np.zeros(rows.size, np.intp))),
                    ],
                    schema=WARNINGS_SCHEMA,
                )
            )
    return pa.concat_tables(tables) if tables else empty_table(WARNINGS_SCHEMA)
