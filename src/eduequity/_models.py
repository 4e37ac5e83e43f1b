"""Schools and counties: immutable, validated records that compute nothing.

A :class:`School` carries what the annual school census reports: per compulsory stage the people
(:class:`StageData`: enrollment, teachers, classes), and for the school as a whole the physical
resources (room area, sports area, equipment, computers, books, rooms). A :class:`County` carries
its schools and optional county-level inputs (scores and rates assessed by inspectors).

Construction validates everything, so an invalid School or County cannot exist. Every error names
the school id and the field, e.g.
``School: school '320102-0127' field 'primary.enrollment' must be a whole number from 1 to
1,000,000. Got 0.``

A resource left as ``None`` is *not reported*: the indicators that need it are reported as
"not evaluated", never as passed. A reported ``0`` is a real zero.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any

import attrs

from eduequity import _display
from eduequity._class_bands import COUNT_EXPECTATION, N_BANDS, band_label, counts_violated
from eduequity._county_inputs import check_county_inputs
from eduequity._errors import DataError, UnknownNameError
from eduequity._schema import (
    KIND_ALIASES,
    KIND_NAMES,
    PHYSICAL_RESOURCES,
    SPLIT_RESOURCES,
    STAGE_PEOPLE,
    Constraint,
    constraint_of,
)

__all__ = [
    "PHYSICAL_RESOURCES",
    "SPLIT_RESOURCES",
    "STAGE_PEOPLE",
    "County",
    "School",
    "SchoolKind",
    "Stage",
    "StageData",
]


class Stage(str, Enum):
    """A compulsory-education stage (学段). Balance is always computed per county per stage."""

    PRIMARY = "primary"
    JUNIOR = "junior"

    @property
    def name_zh(self) -> str:
        """Chinese name of the stage."""
        return {"primary": "小学", "junior": "初中"}[self.value]

    @property
    def name_en(self) -> str:
        """English name of the stage."""
        return {"primary": "primary", "junior": "junior secondary"}[self.value]


class SchoolKind(str, Enum):
    """The kind of a school (学校类型), which fixes the stages it reports.

    ``special_education`` and ``vocational`` schools can be recorded so that a full census can be
    passed in; every standard excludes them from the balance statistics, and says so.
    """

    PRIMARY = "primary"
    JUNIOR = "junior"
    NINE_YEAR = "nine_year"
    TWELVE_YEAR = "twelve_year"
    COMPLETE_SECONDARY = "complete_secondary"
    TEACHING_POINT = "teaching_point"
    SPECIAL_EDUCATION = "special_education"
    VOCATIONAL = "vocational"

    @property
    def name_zh(self) -> str:
        """Chinese name of the kind."""
        return KIND_NAMES[self.value][0]

    @property
    def name_en(self) -> str:
        """English name of the kind."""
        return KIND_NAMES[self.value][1]

    @property
    def required_stages(self) -> frozenset[Stage]:
        """Compulsory stages a school of this kind must report."""
        return _KIND_STAGES[self][0]

    @property
    def allowed_stages(self) -> frozenset[Stage]:
        """Compulsory stages a school of this kind may report."""
        return _KIND_STAGES[self][1]

    @property
    def has_senior(self) -> bool:
        """Whether the kind has a senior-secondary stage (and must report its enrollment)."""
        return self in (SchoolKind.TWELVE_YEAR, SchoolKind.COMPLETE_SECONDARY)


_P, _J = Stage.PRIMARY, Stage.JUNIOR
_KIND_STAGES: dict[SchoolKind, tuple[frozenset[Stage], frozenset[Stage]]] = {
    SchoolKind.PRIMARY: (frozenset({_P}), frozenset({_P})),
    SchoolKind.JUNIOR: (frozenset({_J}), frozenset({_J})),
    SchoolKind.NINE_YEAR: (frozenset({_P, _J}), frozenset({_P, _J})),
    SchoolKind.TWELVE_YEAR: (frozenset({_P, _J}), frozenset({_P, _J})),
    SchoolKind.COMPLETE_SECONDARY: (frozenset({_J}), frozenset({_J})),
    SchoolKind.TEACHING_POINT: (frozenset({_P}), frozenset({_P})),
    SchoolKind.SPECIAL_EDUCATION: (frozenset(), frozenset({_P, _J})),
    SchoolKind.VOCATIONAL: (frozenset(), frozenset()),
}


def _optional_tuple(value: Iterable[int] | None) -> tuple[int, ...] | None:
    return None if value is None else tuple(value)


def _optional_counts(value: Any) -> tuple[int, ...] | None:
    """Band counts as a tuple; anything that is not a sequence is left for the validator."""
    if value is None or isinstance(value, (str, bytes)):
        kept: Any = value
        return kept  # type: ignore[no-any-return]
    try:
        return tuple(value)
    except TypeError:
        return value  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class StageData:
    """What a school reports for one compulsory stage (people are reported by stage).

    Validated by the :class:`School` that holds it, so that errors name the school.

    Attributes
    ----------
    enrollment : int
        Registered students (在校生数, 学籍), ``> 0``.
    teachers : float or None
        Full-time teachers (专任教师数) [persons].
    staff : float or None
        All staff (教职工数) [persons].
    teachers_above_qualification : float or None
        Full-time teachers above the required qualification (高于规定学历教师数; primary: junior
        college or above, junior: bachelor or above) [persons].
    teachers_intermediate_title : float or None
        Teachers with an intermediate or higher professional title
        (中级及以上专业技术职务) [persons].
    teachers_backbone : float or None
        County-level or higher backbone teachers (县级及以上骨干教师) [persons].
    teachers_pe_arts : float or None
        Full-time PE, music and fine-art teachers (体育、艺术专任教师) [persons].
    class_sizes : tuple of int or None
        Students in each class (班额), one entry per class (教学班).
    class_bands : tuple of int or None
        Or, as the forms report them, the number of classes in each of the ten bands of class
        size (班额段): 25 or fewer, 26-30, 31-35, 36-40, 41-45, 46-50, 51-55, 56-60, 61-65,
        66 or more (``eduequity._class_bands``) [classes]. At most one of ``class_sizes``
        and ``class_bands``; every class-size check is exact from either, but from bands the
        largest class is known only by its band.
    """

    enrollment: int
    teachers: float | None = None
    staff: float | None = None
    teachers_above_qualification: float | None = None
    teachers_intermediate_title: float | None = None
    teachers_backbone: float | None = None
    teachers_pe_arts: float | None = None
    class_sizes: tuple[int, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    class_bands: tuple[int, ...] | None = attrs.field(default=None, converter=_optional_counts)

    __repr__ = _display.record_repr


def _kind_or_raw(value: Any) -> Any:
    """Convert a kind's value or Chinese name to a SchoolKind; leave anything else for the
    validator to report."""
    if isinstance(value, SchoolKind):
        return value
    try:
        return SchoolKind(KIND_ALIASES.get(value, value))
    except (ValueError, TypeError):
        return value


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@attrs.frozen(kw_only=True)
class School:
    """One school as reported in the annual census.

    Parameters
    ----------
    id : str
        Identifier, unique within its county (学校标识码 or any stable id).
    kind : SchoolKind or str
        ``primary``, ``junior``, ``nine_year``, ``twelve_year``, ``complete_secondary``,
        ``teaching_point``, ``special_education`` or ``vocational``, or its Chinese name
        (小学, 初级中学 or 初中, 九年一贯制学校, ...; ``KIND_ALIASES``).
    name : str, optional
        Display name.
    public : bool, default True
        Public (公办) rather than private (民办).
    county_run : bool, default True
        Run by the county government, rather than by a province, city, university or enterprise.
    primary, junior : StageData or None
        The stages the kind has must be given (a nine-year school both); others must be ``None``.
    senior_enrollment : int, default 0
        Senior-secondary students of a twelve-year or complete secondary school (``> 0`` for
        those kinds, ``0`` otherwise); used only to split the physical resources.
    room_area : float or None
        Teaching and auxiliary room area (教学及辅助用房面积) [m²].
    sports_area : float or None
        Sports ground and hall area (体育运动场馆面积) [m²].
    equipment_value : float or None
        Value of teaching equipment (教学仪器设备值) [yuan].
    computers : float or None
        Computers (计算机台数) [units].
    books : float or None
        Library books (图书册数) [volumes].
    multimedia_rooms : float or None
        Networked multimedia classrooms (网络多媒体教室数) [rooms].
    music_rooms, art_rooms : float or None
        Dedicated music and art rooms (音乐、美术专用教室) [rooms].
    music_room_area, art_room_area : float or None
        Total area of those rooms [m²].

    Raises
    ------
    DataError
        Naming the school id and the field: a negative, NaN or infinite value; zero enrollment;
        a stage the kind does not have, or a missing one it has; an unknown kind.

    Examples
    --------
    >>> s = School(id="A01", kind="nine_year",
    ...            primary=StageData(enrollment=600, teachers=35),
    ...            junior=StageData(enrollment=300, teachers=25), books=24000)
    >>> s.kind, s.primary.enrollment
    (<SchoolKind.NINE_YEAR: 'nine_year'>, 600)
    >>> School(id="A02", kind="primary", primary=StageData(enrollment=0))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    eduequity.DataError: School: school 'A02' field 'primary.enrollment' must be ... Got 0.
    """

    id: str
    kind: SchoolKind = attrs.field(converter=_kind_or_raw)
    name: str = ""
    public: bool = True
    county_run: bool = True
    primary: StageData | None = None
    junior: StageData | None = None
    senior_enrollment: int = 0
    room_area: float | None = None
    sports_area: float | None = None
    equipment_value: float | None = None
    computers: float | None = None
    books: float | None = None
    multimedia_rooms: float | None = None
    music_rooms: float | None = None
    music_room_area: float | None = None
    art_rooms: float | None = None
    art_room_area: float | None = None

    def __attrs_post_init__(self) -> None:
        _check_school(self)

    def stage(self, stage: Stage | str) -> StageData | None:
        """The :class:`StageData` of ``stage``, or ``None`` if the school does not have it."""
        data: StageData | None = getattr(self, Stage(stage).value)
        return data

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The compulsory stages this school reports, primary first."""
        return tuple(s for s in Stage if self.stage(s) is not None)

    __repr__ = _display.record_repr


def _fail(
    school_id: object, field: str, expectation: str, got: object, zh: str | None = None
) -> DataError:
    """The error of a school's field; ``zh``, if given, the expectation in Chinese."""
    return DataError(
        f"School: school {school_id!r} field {field!r} {expectation}. Got {got!r}.",
        zh=None if zh is None else f"学校 {school_id!r} 的字段 {field!r} {zh}。取值 {got!r}。",
    )


def _check_value(school_id: str, field: str, value: object, rule: Constraint) -> None:
    """``value`` against the schema's constraint of its field (the table door reads the same)."""
    if not _is_real(value) or rule.violated([float(value)])[0]:  # type: ignore[arg-type]
        raise _fail(school_id, field, rule.expectation, value, rule.expectation_zh)


def _check_optional_amount(school_id: str, field: str, value: object) -> None:
    if value is not None:
        _check_value(school_id, field, value, constraint_of(field.rsplit(".", 1)[-1]))


def _check_stage_data(school_id: str, stage: Stage, data: object) -> None:
    prefix = stage.value
    if not isinstance(data, StageData):
        raise _fail(school_id, prefix, "must be a StageData or None", type(data).__name__)
    _check_value(school_id, f"{prefix}.enrollment", data.enrollment, constraint_of("enrollment"))
    for field in STAGE_PEOPLE[1:]:
        _check_optional_amount(school_id, f"{prefix}.{field}", getattr(data, field))
    if data.class_sizes is not None:
        for i, size in enumerate(data.class_sizes):
            _check_value(
                school_id, f"{prefix}.class_sizes[{i}]", size, constraint_of("class_sizes")
            )
    if data.class_bands is not None:
        _check_class_bands(school_id, prefix, data)


def _check_class_bands(school_id: str, prefix: str, data: StageData) -> None:
    """Ten whole counts of classes, one per band, and no class sizes beside them."""
    bands: Any = data.class_bands
    if data.class_sizes is not None:
        raise _fail(
            school_id,
            f"{prefix}.class_bands",
            f"must be None when {prefix}.class_sizes is given (the classes one by one or by "
            "band, not both)",
            bands,
        )
    if not isinstance(bands, tuple) or len(bands) != N_BANDS:
        raise _fail(
            school_id,
            f"{prefix}.class_bands",
            f"must hold {N_BANDS} counts of classes, one per band ("
            + ", ".join(band_label(k) for k in range(N_BANDS))
            + ")",
            bands,
        )
    for k, count in enumerate(bands):
        if not _is_real(count) or counts_violated([float(count)])[0]:
            raise _fail(
                school_id,
                f"{prefix}.class_bands[{k}] ({band_label(k)})",
                COUNT_EXPECTATION,
                count,
            )


def _check_school(school: School) -> None:
    sid = school.id
    if not isinstance(sid, str) or not sid.strip():
        raise DataError(
            f"School: field 'id' must be a non-empty string. Got {sid!r}.",
            zh=f"学校的字段 'id'（学校标识码）不能为空。取值 {sid!r}。",
        )
    kind: object = school.kind  # the converter leaves an unknown kind as given
    if not isinstance(kind, SchoolKind):
        allowed = ", ".join(k.value for k in SchoolKind)
        raise _fail(
            sid,
            "kind",
            f"must be one of {allowed}",
            kind,
            f"须为学校类型之一（{allowed}，或其中文名称，如 小学、初级中学、九年一贯制学校）",
        )
    for field in ("name",):
        if not isinstance(getattr(school, field), str):
            raise _fail(sid, field, "must be a string", getattr(school, field))
    for field in ("public", "county_run"):
        if not isinstance(getattr(school, field), bool):
            raise _fail(sid, field, "must be True or False", getattr(school, field))
    for stage in Stage:
        data = school.stage(stage)
        if data is None:
            if stage in kind.required_stages:
                raise _fail(sid, stage.value, f"is required for a {kind.value} school", None)
            continue
        if stage not in kind.allowed_stages:
            raise _fail(sid, stage.value, f"must be None for a {kind.value} school", "StageData")
        _check_stage_data(sid, stage, data)
    if kind is SchoolKind.SPECIAL_EDUCATION and not school.stages:
        raise _fail(sid, "primary", "or 'junior' is required for a special_education school", None)
    senior = school.senior_enrollment
    _check_value(sid, "senior_enrollment", senior, constraint_of("senior_enrollment"))
    if kind.has_senior and senior == 0:
        raise _fail(sid, "senior_enrollment", f"must be > 0 for a {kind.value} school", senior)
    if not kind.has_senior and kind is not SchoolKind.VOCATIONAL and senior != 0:
        raise _fail(sid, "senior_enrollment", f"must be 0 for a {kind.value} school", senior)
    for field in PHYSICAL_RESOURCES:
        _check_optional_amount(sid, field, getattr(school, field))


def _to_schools(value: Iterable[School]) -> tuple[School, ...]:
    return tuple(value)


def _freeze_inputs(value: Mapping[str, float | bool] | None) -> Mapping[str, float | bool]:
    return MappingProxyType(dict(value or {}))


@attrs.frozen(kw_only=True)
class County:
    """A county (县, 县级市, 区) with its schools and optional county-level inputs.

    Parameters
    ----------
    code : str
        Administrative division code (行政区划代码), e.g. ``"320102"``.
    name : str
        Display name.
    schools : iterable of School
        Every school of the census; school ids must be unique. Which ones count for a standard is
        decided by the standard's scope, and every school left out is reported with the reason.
    province : str, optional
        Province name or code.
    inputs : mapping of str to float or bool, optional
        County-level inputs assessed outside the school census, by id: e.g.
        ``{"government_work_score": 88.5, "satisfaction_rate": 0.91}``. The ids and their ranges
        are listed in :data:`eduequity.batch.COUNTY_INPUTS`. A component whose input is
        missing is reported "not evaluated", never "passed".

    Raises
    ------
    DataError
        On an empty code, a non-School entry, a duplicate school id, or an unknown or
        out-of-range input.

    Examples
    --------
    >>> a = School(id="A", kind="primary", primary=StageData(enrollment=300))
    >>> County(code="320102", name="Sample", schools=[a, a])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    eduequity.DataError: County: county '320102' has two schools with id 'A'; ids must...
    """

    code: str
    name: str = ""
    schools: tuple[School, ...] = attrs.field(converter=_to_schools, factory=tuple)
    province: str = ""
    inputs: Mapping[str, float | bool] = attrs.field(converter=_freeze_inputs, factory=dict)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code.strip():
            raise DataError(f"County: field 'code' must be a non-empty string. Got {self.code!r}.")
        seen: set[str] = set()
        entries: tuple[object, ...] = self.schools  # checked: any iterable may be passed in
        for i, school in enumerate(entries):
            if not isinstance(school, School):
                raise DataError(
                    f"County: county {self.code!r} field 'schools[{i}]' must be a School. "
                    f"Got {type(school).__name__}."
                )
            if school.id in seen:
                raise DataError(
                    f"County: county {self.code!r} has two schools with id {school.id!r}; "
                    "ids must be unique.",
                    zh=f"县 {self.code!r} 有两所学校的学校标识码都是 {school.id!r}；"
                    "学校标识码不能重复。",
                )
            seen.add(school.id)
        check_county_inputs(f"County: county {self.code!r}", self.inputs)

    def school(self, school_id: str) -> School:
        """The school with id ``school_id``."""
        for s in self.schools:
            if s.id == school_id:
                return s
        raise UnknownNameError(f"County {self.code!r} has no school {school_id!r}.")

    __repr__ = _display.county_repr
