"""School-level checks computed from school data: special rooms, school size, class size.

All work on the in-scope schools of :class:`~eduequity.rules.columns.SchoolColumns` as arrays.
A school that did not report what a check needs (its class sizes, its rooms) gets NaN, which the
rules report as "not evaluated".
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity.models import Stage
from eduequity.rules.columns import STAGES, Ragged, SchoolColumns
from eduequity.split import KIND_CODES
from eduequity.standards.model import ClassSizeRule, RoomRule, SchoolSizeRule, Standard

__all__ = [
    "BAND_NAMES",
    "ClassArrays",
    "Facilities",
    "FacilityCheck",
    "RoomArrays",
    "class_arrays",
    "class_bands",
    "facility_checks",
    "room_arrays",
    "school_size_arrays",
]

FloatArray = NDArray[np.float64]


def _per_school_stage(
    counts: FloatArray, has: NDArray[np.bool_], reported: NDArray[np.bool_]
) -> FloatArray:
    """``counts`` of class sizes, in place: 0 where the school lacks the stage (no classes),
    NaN where it has the stage but did not report its class sizes."""
    counts[np.flatnonzero(~has)] = 0.0
    counts[np.flatnonzero(has & ~reported)] = np.nan
    return counts


def classes_per_school(columns: SchoolColumns) -> FloatArray:
    """Number of classes of each school over its compulsory stages; NaN where not reported."""
    total = np.zeros(columns.n_schools)
    for stage in STAGES:
        ragged = columns.class_sizes[stage]
        has = columns.enrollment[stage] > 0
        total += _per_school_stage(ragged.lengths().astype(np.float64), has, ragged.valid)
    return total


@attrs.frozen(eq=False)
class RoomArrays:
    """Music and art rooms of each school against the room rule (arrays over schools)."""

    classes: FloatArray
    required: FloatArray
    music_rooms: FloatArray
    art_rooms: FloatArray
    music_mean_area: FloatArray
    art_mean_area: FloatArray


def room_arrays(columns: SchoolColumns, rule: RoomRule) -> RoomArrays:
    """Rooms needed (``ceil(classes / classes_per_room)``), rooms reported, mean room areas.

    A school with no class needs no room. The mean area is NaN where the school has no room
    of the kind (the count check already fails) or did not report the area.
    """
    classes = classes_per_school(columns)
    required = np.ceil(classes / rule.classes_per_room)
    res = columns.resources
    with np.errstate(invalid="ignore", divide="ignore"):
        music_mean = np.where(
            res["music_rooms"] > 0, res["music_room_area"] / res["music_rooms"], np.nan
        )
        art_mean = np.where(res["art_rooms"] > 0, res["art_room_area"] / res["art_rooms"], np.nan)
    return RoomArrays(classes, required, res["music_rooms"], res["art_rooms"], music_mean, art_mean)


def school_size_arrays(
    columns: SchoolColumns, rule: SchoolSizeRule
) -> tuple[FloatArray, FloatArray]:
    """Compulsory enrollment of each school and its kind's maximum (NaN: no maximum)."""
    size = columns.enrollment[STAGES[0]] + columns.enrollment[STAGES[1]]
    by_kind = np.full(len(KIND_CODES), np.nan)
    for kind, cap in rule.maximum.items():
        by_kind[KIND_CODES[kind]] = cap
    maximum: FloatArray = by_kind[columns.kind]
    return size, maximum


@attrs.frozen(eq=False)
class ClassArrays:
    """Class sizes of one stage against the cap: per school, the classes and the count over.

    ``n_classes`` and ``n_over`` are NaN where the school has the stage but did not report its
    class sizes, and 0 where it does not have the stage.
    """

    stage: Stage
    n_classes: FloatArray
    n_over: FloatArray
    cap: int
    sizes: Ragged

    def largest(self, rows: NDArray[np.intp]) -> FloatArray:
        """The largest class of each school in ``rows`` (NaN where it reported none)."""
        lengths = self.sizes.lengths()[rows]
        out = np.full(rows.size, np.nan)
        some = np.flatnonzero(lengths > 0)
        if some.size:
            # Start and end of each school's classes, interleaved: maximum.reduceat over the
            # pairs gives each school's largest, the values between pairs are skipped.
            bounds = np.empty(2 * some.size, dtype=np.intp)
            bounds[0::2] = self.sizes.offsets[rows[some]]
            bounds[1::2] = self.sizes.offsets[rows[some] + 1]
            values = np.append(self.sizes.values, 0)
            out[some] = np.maximum.reduceat(values, bounds)[0::2]
        return out


def class_arrays(columns: SchoolColumns, rule: ClassSizeRule, stage: Stage) -> ClassArrays:
    """Each school's classes of ``stage`` against the stage's cap."""
    ragged = columns.class_sizes[stage]
    cap = rule.maximum[stage]
    has = columns.enrollment[stage] > 0
    n = columns.n_schools
    # Classes over the cap per school, from the positions of those classes (usually few).
    over_at = np.flatnonzero(ragged.values > cap)
    school_of = np.searchsorted(ragged.offsets, over_at, side="right") - 1
    n_over = np.bincount(school_of, minlength=n).astype(np.float64)
    n_classes = ragged.lengths().astype(np.float64)
    for counts in (n_classes, n_over):
        _per_school_stage(counts, has, ragged.valid)
    return ClassArrays(stage=stage, n_classes=n_classes, n_over=n_over, cap=cap, sizes=ragged)


#: Names of the class-size bands, in order (Chinese, English).
BAND_NAMES: tuple[tuple[str, str], ...] = (
    ("标准班额", "within cap"),
    ("偏大", "over cap"),
    ("大班额", "large"),
    ("超大班额", "super-large"),
)


def class_bands(sizes: NDArray[np.int64], cap: int, rule: ClassSizeRule) -> NDArray[np.intp]:
    """Band of each class: 0 within the cap, 1 over it (偏大), 2 large, 3 super-large.

    Examples
    --------
    >>> from eduequity.standards import get_standard
    >>> rule = get_standard("cn-quality-2017").class_size
    >>> class_bands(np.array([45, 46, 55, 56, 65, 66]), 45, rule).tolist()
    [0, 1, 1, 2, 2, 3]
    """
    bands = np.zeros(sizes.size, dtype=np.intp)
    bands[sizes > cap] = 1
    bands[sizes >= rule.large_from] = 2
    bands[sizes >= rule.super_large_from] = 3
    return bands


@attrs.frozen(eq=False)
class FacilityCheck:
    """One school-level check over every school: its component and a status code per school.

    Status codes (one byte each) index :data:`eduequity.rules.balance.STATUS_CODES`; schools
    outside the scope, or that the check does not concern, are "not applicable".
    """

    rule_id: str
    component: str
    stage: Stage | None
    status: NDArray[np.int8]


@attrs.frozen(eq=False)
class Facilities:
    """The school-level checks of a standard, with the arrays they were computed from.

    The findings word the checks from these arrays, so nothing is computed twice.
    """

    checks: tuple[FacilityCheck, ...]
    rooms: RoomArrays | None
    size: FloatArray | None
    size_maximum: FloatArray | None
    classes: Mapping[Stage, ClassArrays]


def facility_checks(
    columns: SchoolColumns, included: NDArray[np.bool_], standard: Standard
) -> Facilities:
    """The room, school-size and class-size checks of ``standard`` on every school."""
    from eduequity.rules.balance import STATUS_CODES
    from eduequity.rules.results import Status

    p, f, ne, na = (
        STATUS_CODES.index(s)
        for s in (Status.PASSED, Status.FAILED, Status.NOT_EVALUATED, Status.NOT_APPLICABLE)
    )

    def status(
        ok: NDArray[np.bool_], unknown: NDArray[np.bool_], applies: NDArray[np.bool_]
    ) -> NDArray[np.int8]:
        # Not applicable over not evaluated over passed or failed (one byte each).
        codes = np.where(ok, np.int8(p), np.int8(f))
        codes = np.where(unknown, np.int8(ne), codes)
        out: NDArray[np.int8] = np.where(applies, codes, np.int8(na))
        return out

    checks = []
    ra = size = maximum = None
    classes: dict[Stage, ClassArrays] = {}
    rooms = standard.rooms
    if rooms is not None:
        ra = room_arrays(columns, rooms)
        for kind, count, mean, min_area in (
            ("music", ra.music_rooms, ra.music_mean_area, rooms.music_min_area),
            ("art", ra.art_rooms, ra.art_mean_area, rooms.art_min_area),
        ):
            with np.errstate(invalid="ignore"):
                unknown = np.isnan(ra.required) | np.isnan(count)
                checks.append(
                    FacilityCheck(
                        f"rooms.{kind}_rooms",
                        rooms.component,
                        None,
                        status(count >= ra.required, unknown, included),
                    )
                )
                has_rooms = included & ~unknown & (count > 0)
                checks.append(
                    FacilityCheck(
                        f"rooms.{kind}_room_area",
                        rooms.component,
                        None,
                        status(mean >= min_area, np.isnan(mean), has_rooms),
                    )
                )
    size_rule = standard.school_size
    if size_rule is not None:
        size, maximum = school_size_arrays(columns, size_rule)
        with np.errstate(invalid="ignore"):
            checks.append(
                FacilityCheck(
                    "school_size",
                    size_rule.component,
                    None,
                    status(size <= maximum, np.zeros_like(included), included & ~np.isnan(maximum)),
                )
            )
    class_rule = standard.class_size
    if class_rule is not None and class_rule.component is not None:
        for stage in class_rule.maximum:
            ca = classes[stage] = class_arrays(columns, class_rule, stage)
            applies = included & (columns.enrollment[stage] > 0)
            checks.append(
                FacilityCheck(
                    "class_size",
                    class_rule.component,
                    stage,
                    status(ca.n_over == 0, np.isnan(ca.n_classes), applies),
                )
            )
    return Facilities(tuple(checks), ra, size, maximum, classes)
