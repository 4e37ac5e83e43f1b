"""Staffing (编制) and class sizes by band: figures the pipeline reports beside its verdicts.

:func:`check_staffing` compares each stage part's staff (教职工) with the staffing standard's
ratio; :func:`staffing_arrays` applies it to every stage part of an evaluation and totals each
county's stage; :func:`class_band_arrays` counts each stage part's classes by band (within the
cap, 偏大, 大班额, 超大班额) and totals them likewise.

No built-in standard makes either part of its verdict: the staffing standard
(中央编办发〔2014〕72号) and the bands are reported under their own names and change no
status (the 2017 class-size *cap* is a rule of its government-guarantee component, decided by
:func:`~eduequity.rules.check_class_sizes`).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._models import Stage
from eduequity._status import FAILED, NOT_APPLICABLE, NOT_EVALUATED, PASSED
from eduequity.rules._columns import STAGES, SchoolColumns
from eduequity.rules._facilities import ClassArrays
from eduequity.rules._results import StaffingCheck
from eduequity.rules._stage_parts import StageParts
from eduequity.standards._model import StaffingRule

__all__ = [
    "BAND_FIELDS",
    "ClassBandArrays",
    "StaffingArrays",
    "check_staffing",
    "class_band_arrays",
    "staffing_arrays",
]

FloatArray = NDArray[np.float64]


def check_staffing(
    enrollment: ArrayLike, staff: ArrayLike, students_per_staff: ArrayLike
) -> StaffingCheck:
    r"""Whether each school (or stage part) has the staff the staffing standard requires.

    Parameters
    ----------
    enrollment : array of float, shape (n,)
        Students of the stage [students].
    staff : array of float, shape (n,)
        Staff (教职工) of the stage [persons]; NaN where not reported.
    students_per_staff : float or array of float, shape (n,)
        The standard's students per staff member of the stage (19 primary, 13.5 junior);
        NaN where the standard has no ratio for the stage.

    Returns
    -------
    StaffingCheck
        ``status``, ``required`` and ``shortfall`` per entry.

    Notes
    -----
    .. math::

        required = \left\lceil \frac{enrollment}{students\_per\_staff} \right\rceil, \qquad
        shortfall = \max(0, required - staff)

    The quotient is rounded to 6 decimals before the ceiling, so that a quotient that is
    whole up to floating-point error is not rounded up. Staff over the requirement in one
    school do not fill another's shortfall. An entry without students (or without a ratio)
    is not applicable.

    References
    ----------
    - 中央编办、教育部、财政部 中央编办发〔2014〕72号 (2014), 关于统一城乡中小学教职工编制标准
      的通知: 教职工与学生比：小学1:19，初中1:13.5 (document number unconfirmed).

    Examples
    --------
    >>> out = check_staffing([380, 381, 270, 0], [20, 20, float("nan"), 3], [19, 19, 13.5, 19])
    >>> out.status.tolist(), out.required.tolist(), out.shortfall.tolist()
    ([0, 1, 2, 3], [20.0, 21.0, 20.0, nan], [0.0, 1.0, nan, nan])
    """
    n = np.asarray(enrollment, dtype=np.float64)
    have = np.asarray(staff, dtype=np.float64)
    ratio = np.broadcast_to(np.asarray(students_per_staff, dtype=np.float64), n.shape)
    applies = (n > 0) & ~np.isnan(ratio)
    with np.errstate(invalid="ignore", divide="ignore"):
        required = np.where(applies, np.ceil(np.round(n / ratio, 6)), np.nan)
        shortfall = np.maximum(0.0, np.ceil(required - have))
    status = np.where(shortfall > 0, FAILED, PASSED).astype(np.intp)
    status[np.flatnonzero(np.isnan(have))] = NOT_EVALUATED  # by index: faster than by mask
    status[np.flatnonzero(~applies)] = NOT_APPLICABLE
    return StaffingCheck(status, required, shortfall)


def _group_status(codes: NDArray[np.intp], status: NDArray[np.intp], n: int) -> NDArray[np.intp]:
    """Per group: failed if a part failed, else not evaluated if one was, else passed if one
    passed, else not applicable."""
    out = np.full(n, NOT_APPLICABLE, dtype=np.intp)
    for code in (PASSED, NOT_EVALUATED, FAILED):  # later codes win
        out[codes[np.flatnonzero(status == code)]] = code
    return out


@attrs.frozen(eq=False)
class StaffingArrays:
    """The staffing standard on every stage part, and each group's (county x stage) totals.

    Attributes
    ----------
    status, required, shortfall : arrays over the stage parts
        As :class:`StaffingCheck` (the status codes one byte each).
    group_status : array of int, one per group
        Failed if a part failed, else not evaluated if a part's staff were not reported, else
        passed; not applicable in a group without parts.
    group_required : array of float, one per group
        The staff the standard requires, summed over the group's parts.
    group_shortfall : array of float, one per group
        The staff lacking, summed over the parts that lack some (a surplus in one school does
        not fill another's gap); NaN where a part's staff were not reported.
    """

    status: NDArray[np.int8]
    required: FloatArray
    shortfall: FloatArray
    group_status: NDArray[np.intp]
    group_required: FloatArray
    group_shortfall: FloatArray


def staffing_arrays(
    parts: StageParts, columns: SchoolColumns, rule: StaffingRule
) -> StaffingArrays:
    """:func:`check_staffing` on every stage part of ``parts``, with the group totals."""
    ratio = np.array([rule.students_per_staff.get(s, np.nan) for s in STAGES], dtype=np.float64)
    staff = np.full(parts.school_row.size, np.nan)
    for code, stage in enumerate(STAGES):
        mine = parts.rows_of_stage(code)  # a stage's parts are contiguous
        staff[mine] = columns.people[stage]["staff"][parts.school_row[mine]]
    check = check_staffing(parts.enrollment, staff, ratio[parts.stage])
    g = parts.groups
    applies = check.status != NOT_APPLICABLE
    required: FloatArray = np.bincount(
        g.codes, weights=np.where(applies, check.required, 0.0), minlength=g.n_groups
    ).astype(np.float64)
    shortfall: FloatArray = np.bincount(
        g.codes, weights=np.where(applies, check.shortfall, 0.0), minlength=g.n_groups
    ).astype(np.float64)
    return StaffingArrays(
        status=check.status.astype(np.int8),  # one byte a part: kept with the evaluation
        required=check.required,
        shortfall=check.shortfall,
        group_status=_group_status(g.codes, check.status, g.n_groups),
        group_required=required,
        group_shortfall=shortfall,
    )


#: The four bands of :class:`ClassBandArrays`, as the tables name their counts
#: (``classes_within_cap``, ...): within the cap, over it (偏大), large (大班额), super-large
#: (超大班额).
BAND_FIELDS = ("within_cap", "over_cap", "large", "super_large")


@attrs.frozen(eq=False)
class ClassBandArrays:
    """Each stage part's classes by band, and each group's totals.

    Attributes
    ----------
    counts : array of float, shape (n_parts, 4)
        Classes within the cap, over it (偏大), large (大班额), super-large (超大班额) (see
        :data:`BAND_FIELDS`); NaN where the part did not report its classes or its stage has no
        cap.
    reported : array of bool, one per part
        Whether the part's classes are counted.
    group_counts : array of float, shape (n_groups, 4)
        The counts summed over the group's parts that reported their classes; NaN where none
        did (no class counted is not no class over the cap).
    group_not_reported : array of float, one per group
        The parts of the group (of a stage with a cap) that did not report their classes.
    """

    counts: NDArray[np.float32]
    reported: NDArray[np.bool_]
    group_counts: FloatArray
    group_not_reported: FloatArray


def class_band_arrays(parts: StageParts, classes: Mapping[Stage, ClassArrays]) -> ClassBandArrays:
    """The classes of every stage part by band, from the pipeline's class-size arrays (one
    ``ClassArrays`` per stage with a cap)."""
    n = parts.school_row.size
    # One column per band, each contiguous (the tables read them a band at a time); 32-bit
    # floats hold a part's classes exactly (whole numbers far below 2**24), NaN where unknown.
    counts = np.full((n, len(BAND_FIELDS)), np.nan, order="F", dtype=np.float32)
    capped = np.zeros(n, dtype=np.bool_)
    for code, stage in enumerate(STAGES):
        arrays = classes.get(stage)
        if arrays is None:
            continue
        mine = parts.rows_of_stage(code)  # a stage's parts are contiguous
        capped[mine] = True
        row = parts.school_row[mine]
        n_over, n_large = arrays.n_over[row], arrays.n_large[row]
        n_super_large = arrays.n_super_large[row]
        counts[mine, 0] = arrays.n_classes[row] - n_over
        counts[mine, 1] = n_over - n_large
        counts[mine, 2] = n_large - n_super_large
        counts[mine, 3] = n_super_large
    # A part's four counts are NaN together: where it did not report or has no cap.
    reported = ~np.isnan(counts[:, 0])
    g = parts.groups
    group_counts: FloatArray = np.zeros((g.n_groups, len(BAND_FIELDS)))
    for k in range(len(BAND_FIELDS)):
        known = np.where(reported, counts[:, k], 0.0)
        group_counts[:, k] = np.bincount(g.codes, weights=known, minlength=g.n_groups)
    not_reported: FloatArray = g.count_where(capped & ~reported).astype(np.float64)
    # A group none of whose parts reported its classes has no count, not a count of 0.
    counted = g.counts - g.count_where(~reported)
    group_counts[counted == 0] = np.nan
    return ClassBandArrays(counts, reported, group_counts, not_reported)
