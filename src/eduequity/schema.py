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

from eduequity.models import PHYSICAL_RESOURCES, STAGE_PEOPLE, SchoolKind

__all__ = ["COLUMNS", "KIND_ALIASES", "Column", "stage_column"]


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
            "school kind: " + ", ".join(k.value for k in SchoolKind) + " (or its Chinese name)",
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
        cols.append(Column(r, "float", False, en, (zh,)))
    return tuple(cols)


#: Every canonical column, in order.
COLUMNS: tuple[Column, ...] = _columns()

#: Chinese names accepted in the ``kind`` column.
KIND_ALIASES: Mapping[str, SchoolKind] = {k.name_zh: k for k in SchoolKind} | {
    "初中": SchoolKind.JUNIOR,
    "九年一贯制": SchoolKind.NINE_YEAR,
    "十二年一贯制": SchoolKind.TWELVE_YEAR,
    "特教学校": SchoolKind.SPECIAL_EDUCATION,
}
