"""The canonical columns of a school table (one row per school), with the national forms' aliases.

This table is public API: :func:`eduequity.batch.evaluate_table` reads these columns, and the
Chinese headers of the national statistics forms are accepted as aliases. Per-stage columns end
in ``_primary`` or ``_junior``; ``enrollment_senior`` is only used to split a twelve-year or
complete secondary school's resources.

A column a standard does not need may be absent; an absent optional column makes the items that
need it "not evaluated", never "passed".
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._class_bands import N_BANDS, band_column, band_headers, band_label
from eduequity._errors import UnknownNameError

__all__ = [
    "AMOUNT",
    "CLASS_SIZE",
    "COLUMNS",
    "ENROLLMENT",
    "KIND_ALIASES",
    "KIND_NAMES",
    "PHYSICAL_RESOURCES",
    "RESOURCE_NAMES",
    "SENIOR_ENROLLMENT",
    "SPLIT_RESOURCES",
    "STAGE_PEOPLE",
    "Column",
    "Constraint",
    "constraint_of",
    "stage_column",
]

#: Per-stage people fields (reported by stage, never split), in census order.
STAGE_PEOPLE: tuple[str, ...] = (
    "enrollment",
    "teachers",
    "staff",
    "teachers_above_qualification",
    "teachers_intermediate_title",
    "teachers_backbone",
    "teachers_pe_arts",
)

#: School-level physical resources divided between the stages of a multi-stage school by
#: weighted enrollment (see ``eduequity._split``).
SPLIT_RESOURCES: tuple[str, ...] = (
    "room_area",
    "sports_area",
    "equipment_value",
    "computers",
    "books",
    "multimedia_rooms",
)

#: School-level physical resources: the split ones, then the music and art rooms and their
#: areas, which belong to the school as a whole.
PHYSICAL_RESOURCES: tuple[str, ...] = (
    *SPLIT_RESOURCES,
    "music_rooms",
    "music_room_area",
    "art_rooms",
    "art_room_area",
)

#: Each resource (a field one adds to) with its name in Chinese and in English, as messages
#: and reports name it.
RESOURCE_NAMES: Mapping[str, tuple[str, str]] = {
    "teachers": ("专任教师", "full-time teachers"),
    "staff": ("教职工", "staff"),
    "teachers_above_qualification": ("高于规定学历教师", "teachers above the qualification"),
    "teachers_intermediate_title": ("中级及以上职称教师", "intermediate-title teachers"),
    "teachers_backbone": ("县级及以上骨干教师", "backbone teachers"),
    "teachers_pe_arts": ("体育艺术专任教师", "PE and arts teachers"),
    "room_area": ("教学及辅助用房面积", "teaching room area"),
    "sports_area": ("体育运动场馆面积", "sports area"),
    "equipment_value": ("教学仪器设备值", "equipment value"),
    "computers": ("计算机", "computers"),
    "books": ("图书", "books"),
    "multimedia_rooms": ("网络多媒体教室", "multimedia classrooms"),
    "music_rooms": ("音乐专用教室", "music rooms"),
    "music_room_area": ("音乐专用教室面积", "music room area"),
    "art_rooms": ("美术专用教室", "art rooms"),
    "art_room_area": ("美术专用教室面积", "art room area"),
    "class_sizes": ("班额", "class sizes"),
}

#: Each school kind (its value) with its Chinese and English names.
KIND_NAMES: Mapping[str, tuple[str, str]] = {
    "primary": ("小学", "primary school"),
    "junior": ("初级中学", "junior secondary school"),
    "nine_year": ("九年一贯制学校", "nine-year school"),
    "twelve_year": ("十二年一贯制学校", "twelve-year school"),
    "complete_secondary": ("完全中学", "complete secondary school"),
    "teaching_point": ("教学点", "teaching point"),
    "special_education": ("特殊教育学校", "special-education school"),
    "vocational": ("职业学校", "vocational school"),
}


@attrs.frozen
class Constraint:
    """What every value of a field must be: finite, at least (or above) a minimum, and perhaps
    a whole number. Both validators, :class:`~eduequity.School` and the columnar door, read
    the constraints from here, so a value is refused by both or by neither.

    Examples
    --------
    >>> ENROLLMENT.expectation
    'must be a whole number from 1 to 1,000,000'
    >>> ENROLLMENT.violated([300, 0, 12.5, float("nan"), 1e300]).tolist()
    [False, True, True, True, True]
    """

    minimum: float = 0.0
    strict: bool = False
    integer: bool = False
    #: The largest plausible value: beyond it a figure is a typing error, and its arithmetic
    #: would overflow (1e300 students).
    maximum: float = 1e12

    @property
    def expectation(self) -> str:
        """The constraint as error messages state it."""
        top = f"{self.maximum:,.0f}"
        if self.integer:
            low = self.minimum + 1 if self.strict else self.minimum
            return f"must be a whole number from {low:,.0f} to {top}"
        if self.strict:
            return f"must be a number above {self.minimum:g} and at most {top}"
        return f"must be a number from {self.minimum:g} to {top}"

    @property
    def expectation_zh(self) -> str:
        """The constraint as Chinese error messages state it."""
        top = f"{self.maximum:,.0f}"
        if self.integer:
            low = self.minimum + 1 if self.strict else self.minimum
            return f"须为 {low:,.0f} 至 {top} 的整数"
        if self.strict:
            return f"须为大于 {self.minimum:g}、不超过 {top} 的数"
        return f"须为 {self.minimum:g} 至 {top} 的数"

    def violated(self, values: ArrayLike) -> NDArray[np.bool_]:
        """Where ``values`` break the constraint (NaN and infinity always do)."""
        x = np.asarray(values)
        if x.dtype.kind in "iu":  # whole and finite already: only the bounds to check
            below: NDArray[np.bool_] = (x <= self.minimum) if self.strict else (x < self.minimum)
            return below | (x > self.maximum)
        x = x.astype(np.float64, copy=False)
        with np.errstate(invalid="ignore"):
            if x.size and self._holds_everywhere(x):
                return np.zeros(x.shape, dtype=np.bool_)
            ok = np.isfinite(x) & ((x > self.minimum) if self.strict else (x >= self.minimum))
            ok &= x <= self.maximum
            if self.integer:
                ok &= x == np.floor(x)
        violated: NDArray[np.bool_] = ~ok
        return violated

    def _holds_everywhere(self, x: NDArray[np.float64]) -> bool:
        """Whether every value holds, from two reductions (NaN fails them: the caller then
        finds the rows one by one)."""
        low, high = x.min(), x.max()
        if not high <= self.maximum:
            return False
        if (
            not ((low > self.minimum) if self.strict else (low >= self.minimum))
            or not high < np.inf
        ):
            return False
        return not self.integer or bool(np.array_equal(x, np.floor(x)))


#: A stage's enrollment, where the school has the stage (a million students is no school).
ENROLLMENT = Constraint(minimum=0, strict=True, integer=True, maximum=1e6)
#: Senior-secondary enrollment.
SENIOR_ENROLLMENT = Constraint(integer=True, maximum=1e6)
#: Teachers, staff and physical resources (a trillion books, m² or yuan is a typing error).
AMOUNT = Constraint()
#: The size of a class.
CLASS_SIZE = Constraint(minimum=1, integer=True, maximum=1000)


def constraint_of(field: str) -> Constraint:
    """The constraint of a field of :class:`~eduequity.StageData` or :class:`~eduequity.School`
    (``"enrollment"``, ``"teachers"``, ``"books"``, ``"class_sizes"``, ...)."""
    if field == "enrollment":
        return ENROLLMENT
    if field in ("senior_enrollment", "enrollment_senior"):
        return SENIOR_ENROLLMENT
    if field == "class_sizes":
        return CLASS_SIZE
    if field in STAGE_PEOPLE or field in PHYSICAL_RESOURCES:
        return AMOUNT
    raise UnknownNameError(f"constraint_of: {field!r} is not a column of the school table.")


@attrs.frozen
class Column:
    """One canonical column.

    Attributes
    ----------
    name : str
    type : str
        ``"string"``, ``"bool"``, ``"int"``, ``"float"`` or ``"list<int>"``.
    required : bool
        Whether every table must have it.
    description : str
        Meaning and unit.
    aliases : tuple of str
        Headers of the national forms accepted for it.
    """

    name: str
    type: str
    required: bool
    description: str
    aliases: tuple[str, ...] = ()


def stage_column(field: str, stage: str) -> str:
    """The column of a per-stage field, e.g. ``stage_column("teachers", "junior")``."""
    return f"{field}_{stage}"


_STAGE_ZH = {"primary": "小学", "junior": "初中"}
_PEOPLE_ZH = {
    "enrollment": ("在校生数", "students"),
    "teachers": ("专任教师数", "full-time teachers"),
    "staff": ("教职工数", "staff"),
    "teachers_above_qualification": (
        "高于规定学历教师数",
        "teachers above the required qualification",
    ),
    "teachers_intermediate_title": (
        "中级及以上专业技术职务教师数",
        "teachers with an intermediate or higher title",
    ),
    "teachers_backbone": ("县级及以上骨干教师数", "county-level or higher backbone teachers"),
    "teachers_pe_arts": ("体育艺术专任教师数", "PE, music and fine-art teachers"),
}
_PHYSICAL_ZH = {
    "room_area": ("教学及辅助用房面积", "teaching and auxiliary room area [m²]"),
    "sports_area": ("体育运动场馆面积", "sports ground and hall area [m²]"),
    "equipment_value": ("教学仪器设备值", "teaching equipment value [yuan]"),
    "computers": ("计算机台数", "computers [units]"),
    "books": ("图书册数", "library books [volumes]"),
    "multimedia_rooms": ("网络多媒体教室数", "networked multimedia classrooms [rooms]"),
    "music_rooms": ("音乐专用教室数", "music rooms [rooms]"),
    "music_room_area": ("音乐专用教室面积", "total area of the music rooms [m²]"),
    "art_rooms": ("美术专用教室数", "art rooms [rooms]"),
    "art_room_area": ("美术专用教室面积", "total area of the art rooms [m²]"),
}


def _columns() -> tuple[Column, ...]:
    cols = [
        Column(
            "school_id",
            "string",
            True,
            "school identifier, unique within its county",
            ("学校标识码", "学校代码"),
        ),
        Column(
            "county_code",
            "string",
            True,
            "county division code (行政区划代码)",
            ("行政区划代码", "县区代码"),
        ),
        Column(
            "county_name",
            "string",
            False,
            "county display name, the same on every row of a county",
            ("区县名称", "县区名称"),
        ),
        Column(
            "kind",
            "string",
            True,
            "school kind: " + ", ".join(KIND_NAMES) + " (or its Chinese name)",
            ("学校类型", "办学类型"),
        ),
        Column("school_name", "string", False, "display name", ("学校名称",)),
        Column(
            "public",
            "bool",
            False,
            "public (公办) rather than private; default true",
            ("是否公办",),
        ),
        Column(
            "county_run", "bool", False, "run by the county government; default true", ("是否县属",)
        ),
    ]
    for stage in ("primary", "junior"):
        for field in STAGE_PEOPLE:
            zh, en = _PEOPLE_ZH[field]
            cols.append(
                Column(
                    stage_column(field, stage),
                    "int" if field == "enrollment" else "float",
                    False,
                    f"{stage} stage: {en}",
                    (f"{_STAGE_ZH[stage]}{zh}",),
                )
            )
        cols.append(
            Column(
                stage_column("class_sizes", stage),
                "list<int>",
                False,
                f"{stage} stage: students in each class (班额)",
                (f"{_STAGE_ZH[stage]}班额",),
            )
        )
        # Or the classes counted by band, as the forms report them (eduequity._class_bands).
        for band in range(N_BANDS):
            cols.append(
                Column(
                    band_column(band, stage),
                    "int",
                    False,
                    f"{stage} stage: classes of {band_label(band, 'en')} students (班额段; "
                    f"instead of {stage_column('class_sizes', stage)}) [classes]",
                    band_headers(band, stage),
                )
            )
    cols.append(
        Column(
            "enrollment_senior",
            "int",
            False,
            "senior-secondary students (twelve-year and complete secondary schools)",
            ("高中在校生数",),
        )
    )
    for r in PHYSICAL_RESOURCES:
        zh, en = _PHYSICAL_ZH[r]
        cols.append(Column(r, "float", False, en, (zh, *_PHYSICAL_MORE.get(r, ()))))
    return tuple(cols)


#: Other headers the forms give a physical resource (图书（万册）, beside 图书册数（册）).
_PHYSICAL_MORE = {"books": ("图书",)}


#: Every canonical column, in order.
COLUMNS: tuple[Column, ...] = _columns()

#: Chinese names accepted for a school kind (in the ``kind`` column and by
#: :class:`~eduequity.School`), each with the kind's value.
KIND_ALIASES: Mapping[str, str] = {zh: kind for kind, (zh, _) in KIND_NAMES.items()} | {
    "初中": "junior",
    "小学教学点": "teaching_point",
    "九年一贯制": "nine_year",
    "十二年一贯制": "twelve_year",
    "特教学校": "special_education",
}
