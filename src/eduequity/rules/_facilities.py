"""School-level checks computed from school data: special rooms, school size, class size.

Each check is a public function over arrays (:func:`check_rooms`, :func:`check_room_area`,
:func:`check_school_size`, :func:`check_class_sizes`); :func:`facility_checks` applies those of
a standard to every in-scope school. A school that did not report what a check needs (its class
sizes, its rooms) is "not evaluated".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._models import Stage
from eduequity._split import KIND_CODES
from eduequity._status import FAILED, NOT_APPLICABLE, NOT_EVALUATED, PASSED
from eduequity.rules._bands import check_band_edges
from eduequity.rules._columns import STAGES, ClassSizes, SchoolColumns
from eduequity.rules._results import ClassSizeCheck, RoomAreaCheck, RoomsCheck
from eduequity.rules._shortfalls import additions_to_meet
from eduequity.standards._model import ClassSizeRule, Standard

__all__ = [
    "BAND_NAMES",
    "ClassArrays",
    "ClassTargetArrays",
    "Facilities",
    "FacilityCheck",
    "RoomArrays",
    "check_class_sizes",
    "check_room_area",
    "check_rooms",
    "check_school_size",
    "class_arrays",
    "class_bands",
    "class_size_targets",
    "facility_checks",
    "room_additions",
    "room_area_to_add",
]

FloatArray = NDArray[np.float64]


def _status(
    ok: NDArray[np.bool_], unknown: NDArray[np.bool_], applies: NDArray[np.bool_] | None = None
) -> NDArray[np.intp]:
    """Not applicable over not evaluated over passed or failed."""
    # By index rather than by boolean mask: much faster where the rows are scattered.
    status = np.where(ok, PASSED, FAILED)
    status[np.flatnonzero(unknown)] = NOT_EVALUATED
    if applies is not None:
        status[np.flatnonzero(~applies)] = NOT_APPLICABLE
    return status.astype(np.intp, copy=False)


def check_rooms(rooms: ArrayLike, classes: ArrayLike, classes_per_room: int = 12) -> RoomsCheck:
    r"""Whether each school has enough music (or art) rooms for its classes.

    Parameters
    ----------
    rooms : array of float, shape (n,)
        The school's rooms of the kind [rooms]; NaN where not reported.
    classes : array of float, shape (n,)
        Its classes in the compulsory stages [classes]; NaN where not reported.
    classes_per_room : int, default 12
        Classes one room serves.

    Returns
    -------
    RoomsCheck
        A named tuple of arrays of shape ``(n,)``: ``status``, the status codes (passed,
        failed, or not evaluated where an input is NaN), and ``required``,
        :math:`\lceil classes / classes\_per\_room \rceil` (0 for a school with no class).

    References
    ----------
    - 教育部 教督〔2017〕6号 (2017), 第六条 (二) 3: 每12个班级配备音乐、美术专用教室1间以上.

    Examples
    --------
    >>> status, required = check_rooms([2, 1, float("nan")], [24, 13, 6])
    >>> status.tolist(), required.tolist()
    ([0, 1, 2], [2.0, 2.0, 1.0])
    """
    count = np.asarray(rooms, dtype=np.float64)
    required = np.ceil(np.asarray(classes, dtype=np.float64) / classes_per_room)
    with np.errstate(invalid="ignore"):
        ok = count >= required
    return RoomsCheck(_status(ok, np.isnan(required) | np.isnan(count)), required)


def check_room_area(area: ArrayLike, rooms: ArrayLike, min_area: float) -> RoomAreaCheck:
    """Whether each school's music (or art) rooms are large enough on average.

    Parameters
    ----------
    area : array of float, shape (n,)
        Total area of the school's rooms of the kind [m²]; NaN where not reported.
    rooms : array of float, shape (n,)
        Number of those rooms [rooms].
    min_area : float
        The smallest mean area of a room [m²].

    Returns
    -------
    RoomAreaCheck
        A named tuple of arrays of shape ``(n,)``: ``status``, the status codes (passed,
        failed, not evaluated where the area or the rooms are not reported, not applicable
        where the school has no room of the kind: the room count fails instead), and
        ``mean``, ``area / rooms`` (NaN where there is no room or no area). The school's
        classes play no part: the mean area is judged where the room count cannot be.

    Notes
    -----
    The census gives the total area of the rooms, so each room's own area is not checked.

    Examples
    --------
    >>> status, mean = check_room_area([200.0, 150.0, 90.0, 90.0], [2, 2, 0, np.nan], 96.0)
    >>> status.tolist(), mean.tolist()
    ([0, 1, 3, 2], [100.0, 75.0, nan, nan])
    """
    total = np.asarray(area, dtype=np.float64)
    count = np.asarray(rooms, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
        # Not applicable only where the school has no room of the kind (the count check fails
        # instead); where its rooms are not counted, their mean area is not known.
        return RoomAreaCheck(_status(mean >= min_area, np.isnan(mean), ~(count == 0)), mean)


def check_school_size(enrollment: ArrayLike, maximum: ArrayLike) -> NDArray[np.intp]:
    """Whether each school has at most the students its kind may have.

    Parameters
    ----------
    enrollment : array of float, shape (n,)
        Students in the compulsory stages together [students].
    maximum : float or array of float, shape (n,)
        The most a school of its kind may have; NaN where there is no maximum.

    Returns
    -------
    array of int, shape (n,)
        Status codes: passed, failed, or not applicable where there is no maximum.

    References
    ----------
    - 教育部 教督〔2017〕6号 (2017), 第六条 (二) 4: 小学、初中规模不超过2000人，九年一贯制
       学校、十二年一贯制学校义务教育阶段规模不超过2500人.

    Examples
    --------
    >>> check_school_size([1980, 2010, 2400], [2000, 2000, 2500]).tolist()
    [0, 1, 0]
    """
    size = np.asarray(enrollment, dtype=np.float64)
    cap = np.broadcast_to(np.asarray(maximum, dtype=np.float64), size.shape)
    with np.errstate(invalid="ignore"):
        return _status(size <= cap, np.zeros(size.shape, dtype=np.bool_), ~np.isnan(cap))


def check_class_sizes(sizes: ClassSizes, cap: int) -> ClassSizeCheck:
    """Whether every class of each school is within the cap.

    Parameters
    ----------
    sizes : ClassSizes
        The size of each class of each school (students), or its classes counted by band
        (``eduequity._class_bands``), with the schools that reported them.
    cap : int
        The largest class allowed [students].

    Returns
    -------
    ClassSizeCheck
        A named tuple of arrays of shape ``(n,)``: ``status``, the status codes (passed, failed
        where a class is over the cap, or not evaluated where the school did not report its
        class sizes); ``n_classes``, ``n_over`` and ``largest``, the classes, the classes over
        the cap, and the largest class (0 with no class), NaN where not reported. For a school
        reported by band the largest class is not known (NaN): its band is
        (``ClassSizes.largest_band``).

    Raises
    ------
    DataError
        Where ``cap`` falls inside a band and a school reported by band: which of that band's
        classes are over the cap cannot be known.

    Notes
    -----
    From bands, the classes over ``cap`` are those of the bands whose smallest size is above
    it: exact whenever ``cap`` is the top of a band (25, 30, ..., 65), as 45 and 50 are.

    References
    ----------
    - 教育部 教督〔2017〕6号 (2017), 第六条 (二) 5: 小学、初中所有班级学生数分别不超过
       45人、50人.

    Examples
    --------
    >>> s = ClassSizes(np.array([44, 45, 46, 40]), np.array([0, 3, 4]), np.array([True, True]))
    >>> check = check_class_sizes(s, 45)
    >>> check.status.tolist(), check.n_classes.tolist(), check.n_over.tolist()
    ([1, 0], [3.0, 1.0], [1.0, 0.0])
    >>> check.largest.tolist()
    [46.0, 40.0]
    >>> by_band = ClassSizes(np.zeros(0, dtype=np.int64), np.array([0, 0]), np.array([True]),
    ...                      bands=np.array([[0, 0, 0, 0, 2, 1, 0, 0, 0, 0]]))
    >>> status, n, over, largest = check_class_sizes(by_band, 45)
    >>> status.tolist(), n.tolist(), over.tolist(), largest.tolist()
    ([1], [3.0], [1.0], [nan])
    """
    n_over = sizes.count_above(cap).astype(np.float64)
    n_classes = sizes.counts().astype(np.float64)
    largest = _largest(sizes)
    unknown = ~sizes.reported
    for x in (n_classes, n_over):
        x[unknown] = np.nan
    return ClassSizeCheck(_status(n_over == 0, unknown), n_classes, n_over, largest)


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
class RoomArrays:
    """Music and art rooms of each school against the room rule (arrays over schools)."""

    classes: FloatArray
    required: FloatArray
    music_rooms: FloatArray
    art_rooms: FloatArray
    music_mean_area: FloatArray
    art_mean_area: FloatArray


@attrs.frozen(eq=False)
class ClassArrays:
    """Class sizes of one stage against the cap, per school (see :func:`check_class_sizes`);
    0 where the school does not have the stage, NaN where it did not report its classes.

    ``n_large`` and ``n_super_large`` count the classes of ``large_from`` and of
    ``super_large_from`` students or more. ``largest`` is NaN for a school reported by band,
    whose largest class is known only by its band: ``largest_band`` (an index of
    :data:`eduequity.rules.BAND_KEYS`; -1 where ``largest`` is exact). ``n_above`` holds,
    per size ``c`` the rule counts from and no other array does (a target's ``min_size - 1``
    other than the cap, ``large_from - 1`` and ``super_large_from - 1``), each school's listed
    and banded classes of more than ``c`` students, whatever the school reported or has; see
    :meth:`count_above`.
    """

    stage: Stage
    cap: int
    n_classes: NDArray[np.float32]
    n_over: NDArray[np.float32]
    n_large: NDArray[np.float32]
    n_super_large: NDArray[np.float32]
    largest_band: NDArray[np.int8]
    n_above: Mapping[int, NDArray[np.intp]]
    sizes: ClassSizes
    has: NDArray[np.bool_]
    n_large_from: int
    n_super_large_from: int

    @cached_property
    def largest(self) -> FloatArray:
        """Per school, its largest class (0 with no class or without the stage; NaN where not
        reported or reported by band), found when first asked for (the findings ask)."""
        largest = _largest(self.sizes)
        largest[~self.has] = 0.0
        return largest

    def count_above(self, size: int) -> NDArray[np.floating[Any]]:
        """Per school, its classes of more than ``size`` students, for a size the rule counts
        from (the cap, a band's or a target's), as the other arrays: 0 without the stage, NaN
        where not reported."""
        known = {
            self.cap: self.n_over,
            self.n_large_from - 1: self.n_large,
            self.n_super_large_from - 1: self.n_super_large,
        }
        if size in known:
            return known[size]
        fill = np.where(self.has, np.nan, 0.0)
        return np.where(self.has & self.sizes.reported, self.n_above[size], fill)

    def band_counts(self, rows: NDArray[np.intp]) -> NDArray[np.int64]:
        """Per school of ``rows`` (which reported their classes), its classes within the cap,
        over it (偏大), large (大班额) and super-large (超大班额), shape (rows, 4)."""
        within = self.n_classes[rows] - self.n_over[rows]
        over = self.n_over[rows] - self.n_large[rows]
        large = self.n_large[rows] - self.n_super_large[rows]
        counts = np.stack([within, over, large, self.n_super_large[rows]], axis=1)
        return counts.astype(np.int64)


def _largest(sizes: ClassSizes) -> FloatArray:
    """Per school, its largest listed class (0 with no class; NaN where not reported or
    reported by band)."""
    largest = np.zeros(sizes.reported.size)
    listed = np.diff(sizes.offsets)
    some = np.flatnonzero(listed > 0)
    if some.size:
        largest[some] = np.maximum.reduceat(sizes.values, sizes.offsets[some])
    largest[sizes.banded] = np.nan
    largest[~sizes.reported] = np.nan
    return largest


def class_arrays(
    sizes: ClassSizes, stage: Stage, cap: int, rule: ClassSizeRule, has: NDArray[np.bool_]
) -> tuple[NDArray[np.intp], ClassArrays]:
    """The cap check of one stage (:func:`check_class_sizes`) and its :class:`ClassArrays`,
    for the schools that have the stage (``has``): one pass over the classes above the
    smallest size the rule counts from (the cap, the bands and the targets together)."""
    large, super_large = rule.large_from - 1, rule.super_large_from - 1
    above = sizes.counts_above([cap, large, super_large, *(t.min_size - 1 for t in rule.targets)])
    unknown = ~sizes.reported
    # NaN where not reported, 0 without the stage (both usually few rows).
    nan_at, zero_at = np.flatnonzero(has & unknown), np.flatnonzero(~has)

    def filled(x: NDArray[np.intp]) -> NDArray[np.float32]:
        # 32-bit floats: a school's classes are whole numbers far below 2**24, held exactly,
        # in half the memory; NaN where not reported.
        out = x.astype(np.float32)
        out[nan_at] = np.nan
        out[zero_at] = 0.0
        return out

    n_classes, n_over, n_large, n_super = (
        filled(x) for x in (sizes.counts(), *(above[c] for c in (cap, large, super_large)))
    )
    status = np.full(has.size, PASSED, dtype=np.intp)
    status[above[cap] > 0] = FAILED
    status[np.flatnonzero(unknown)] = NOT_EVALUATED
    if sizes.bands is None:  # no band to name
        top = np.full(has.size, -1, dtype=np.int8)
    else:
        top = np.where(has, sizes.largest_band(), -1).astype(np.int8)
    return status, ClassArrays(
        stage=stage,
        cap=cap,
        n_classes=n_classes,
        n_over=n_over,
        n_large=n_large,
        n_super_large=n_super,
        largest_band=top,
        n_above={c: n for c, n in above.items() if c not in (cap, large, super_large)},
        sizes=sizes,
        has=has,
        n_large_from=rule.large_from,
        n_super_large_from=rule.super_large_from,
    )


@attrs.frozen(eq=False)
class FacilityCheck:
    """One school-level check over every school: its component and a status code per school.

    Schools outside the scope, or that the check does not concern, are "not applicable". The
    codes are one byte each (a check is kept for every school).
    """

    rule_id: str
    component: str
    stage: Stage | None
    status: NDArray[np.int8]


@attrs.frozen(eq=False)
class Facilities:
    """The school-level checks of a standard, with the arrays they were computed from."""

    checks: tuple[FacilityCheck, ...]
    rooms: RoomArrays | None
    size: FloatArray | None
    size_maximum: FloatArray | None
    classes: Mapping[Stage, ClassArrays]


def _classes_per_school(columns: SchoolColumns) -> FloatArray:
    """Classes of each school over its compulsory stages; NaN where a stage's are not reported."""
    total = np.zeros(columns.n_schools)
    for stage in STAGES:
        sizes = columns.class_sizes[stage]
        has = columns.enrollment[stage] > 0
        mine = np.flatnonzero(has)
        total[mine] += sizes.counts()[mine]
        total[np.flatnonzero(has & ~sizes.reported)] = np.nan
    return total


def facility_checks(
    columns: SchoolColumns, included: NDArray[np.bool_], standard: Standard
) -> Facilities:
    """The room, school-size and class-size checks of ``standard`` on every school."""
    checks = []
    ra = size = maximum = None
    classes: dict[Stage, ClassArrays] = {}
    rooms = standard.rooms
    if rooms is not None:
        res = columns.resources  # each column asked for once (it may be made when asked)
        n_classes = _classes_per_school(columns)
        music_rooms, art_rooms = res["music_rooms"], res["art_rooms"]
        music, required = check_rooms(music_rooms, n_classes, rooms.classes_per_room)
        art, _ = check_rooms(art_rooms, n_classes, rooms.classes_per_room)
        music_area, music_mean = check_room_area(
            res["music_room_area"], music_rooms, rooms.music_min_area
        )
        art_area, art_mean = check_room_area(res["art_room_area"], art_rooms, rooms.art_min_area)
        ra = RoomArrays(n_classes, required, music_rooms, art_rooms, music_mean, art_mean)
        # Each check on its own inputs: the area of a school's rooms is judged wherever they
        # are counted, whether or not its classes (which the count check needs) are known.
        excluded = np.flatnonzero(~included)
        for rule_id, status in (
            ("rooms.music_rooms", music),
            ("rooms.music_room_area", music_area),
            ("rooms.art_rooms", art),
            ("rooms.art_room_area", art_area),
        ):
            coded = status.astype(np.int8)
            coded[excluded] = NOT_APPLICABLE
            checks.append(FacilityCheck(rule_id, rooms.component, None, coded))
    size_rule = standard.school_size
    if size_rule is not None:
        size = columns.compulsory_enrollment()
        by_kind = np.full(len(KIND_CODES), np.nan)
        for kind, cap in size_rule.maximum.items():
            by_kind[KIND_CODES[kind]] = cap
        maximum = by_kind[columns.kind]
        coded = check_school_size(size, maximum).astype(np.int8)
        coded[np.flatnonzero(~included)] = NOT_APPLICABLE
        checks.append(FacilityCheck("school_size", size_rule.component, None, coded))
    class_rule = standard.class_size
    if class_rule is not None:
        check_band_edges(columns, included, standard)
        for stage, cap in class_rule.maximum.items():
            has = columns.enrollment[stage] > 0
            status, classes[stage] = class_arrays(
                columns.class_sizes[stage], stage, cap, class_rule, has
            )
            if class_rule.component is not None:
                coded = status.astype(np.int8)
                coded[np.flatnonzero(~(included & has))] = NOT_APPLICABLE
                checks.append(FacilityCheck("class_size", class_rule.component, stage, coded))
    return Facilities(tuple(checks), ra, size, maximum, classes)


@attrs.frozen(eq=False)
class ClassTargetArrays:
    """Each class-size target of a standard in every county.

    Attributes
    ----------
    share : array of float, shape (n_targets, n_counties)
        The share of the county's classes of ``min_size`` students or more (NaN with no class).
    status : array of int, shape (n_targets, n_counties)
        Passed, failed, or not evaluated where the county reported no class.
    """

    share: FloatArray
    status: NDArray[np.intp]


def class_size_targets(
    columns: SchoolColumns,
    included: NDArray[np.bool_],
    rule: ClassSizeRule,
    classes: Mapping[Stage, ClassArrays] | None = None,
) -> ClassTargetArrays:
    """The share of large classes in each county against each target of ``rule``, over the
    reported classes of the included schools' stages that have a cap (counted from
    ``classes``, the facility checks' arrays of the same rule, where given)."""
    n_c = columns.n_counties
    n_classes = np.zeros(n_c)
    n_large = np.zeros((len(rule.targets), n_c))
    for stage in rule.maximum:
        s = columns.class_sizes[stage]
        counted = np.flatnonzero(included & (columns.enrollment[stage] > 0) & s.reported)
        county = columns.county[counted]
        n_classes += np.bincount(county, weights=s.counts()[counted], minlength=n_c)
        sizes = [t.min_size - 1 for t in rule.targets]
        above: Mapping[int, NDArray[Any]]
        if classes is None:
            above = s.counts_above(sizes)
        else:  # counted by the facility checks already (only the rows counted are read)
            arrays = classes[stage]
            above = {
                c: arrays.n_above[c] if c in arrays.n_above else arrays.count_above(c)
                for c in sizes
            }
        for k, target in enumerate(rule.targets):
            large = above[target.min_size - 1][counted]
            n_large[k] += np.bincount(county, weights=large, minlength=n_c)
    share = np.full((len(rule.targets), n_c), np.nan)
    status = np.full((len(rule.targets), n_c), NOT_EVALUATED, dtype=np.intp)
    for k, target in enumerate(rule.targets):
        with np.errstate(invalid="ignore", divide="ignore"):
            share[k] = n_large[k] / n_classes
            status[k] = _status(share[k] <= target.max_share, np.isnan(share[k]))
    return ClassTargetArrays(share, status)


def room_area_to_add(area: ArrayLike, rooms: ArrayLike, min_area: float) -> FloatArray:
    """The room area [m², to 0.01] each school must add for its rooms' mean area to reach
    ``min_area`` (0 where it does; NaN where it has no room or no reported area).

    Examples
    --------
    >>> room_area_to_add([150.0, 200.0], [2, 2], 96.0).tolist()
    [42.0, 0.0]
    """
    total = np.asarray(area, dtype=np.float64)
    count = np.asarray(rooms, dtype=np.float64)
    q = np.full(total.shape, np.nan)
    # The mean area is an indicator: the area over the rooms, as an amount over students.
    some = np.flatnonzero((count > 0) & ~np.isnan(total))
    q[some] = additions_to_meet(total[some], count[some], min_area, quantum=0.01)
    return q


def room_additions(
    facilities: Facilities, columns: SchoolColumns, standard: Standard
) -> dict[str, tuple[str, FloatArray, FloatArray, FloatArray]]:
    """Per room check, what each school failing it must add: by rule id, the resource to add
    to, and over the schools the measured value, the threshold and the quantity (rooms, or m²
    to 0.01; NaN where the school does not fail the check)."""
    rooms, ra = standard.rooms, facilities.rooms
    out: dict[str, tuple[str, FloatArray, FloatArray, FloatArray]] = {}
    if rooms is None or ra is None:
        return out
    for check in facilities.checks:
        if not check.rule_id.startswith("rooms."):
            continue
        music = check.rule_id.startswith("rooms.music")
        kind = "music" if music else "art"
        count = ra.music_rooms if music else ra.art_rooms
        if check.rule_id.endswith("_rooms"):
            resource, measured, threshold = f"{kind}_rooms", count, ra.required
            quantity = threshold - measured
        else:
            resource = f"{kind}_room_area"
            measured = ra.music_mean_area if music else ra.art_mean_area
            minimum = rooms.music_min_area if music else rooms.art_min_area
            threshold = np.full(count.size, minimum)
            quantity = room_area_to_add(columns.resources[resource], count, minimum)
        quantity = np.where(check.status == FAILED, quantity, np.nan)
        out[check.rule_id] = (resource, measured, threshold, quantity)
    return out
