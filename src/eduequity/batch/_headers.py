"""Headers as offices write them: normalised, with their units, matched to the canonical columns.

A header is compared after :func:`normalise`: Unicode NFKC (full-width letters, digits,
parentheses and ``＞`` become their ASCII forms, ``㎡`` becomes ``m2``) and every white space
removed (full-width spaces and line breaks inside an Excel cell included). A unit written at the
end of a header in parentheses (``图书册数（册）``, ``教学仪器设备资产值(万元)``) is taken off and
applied: it must fit the column (a book count in 平方米 is refused), and ``万元`` multiplies by
10,000.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from functools import cache

import attrs

from eduequity._class_bands import N_BANDS, band_column, stage_free_headers
from eduequity._errors import DataError
from eduequity._schema import COLUMNS, PHYSICAL_RESOURCES, STAGE_PEOPLE, stage_column

__all__ = [
    "STAGE_OF_WORD",
    "UNITS",
    "Unit",
    "column_unit_kind",
    "header_to_write",
    "known_headers",
    "normalise",
    "probably_meant",
    "split_unit",
]


@attrs.frozen
class Unit:
    """A unit a header may carry: what it measures and the factor to the column's unit."""

    kind: str
    scale: float


#: The units recognised at the end of a header, by their normalised form.
UNITS: Mapping[str, Unit] = {
    "元": Unit("money", 1.0),
    "千元": Unit("money", 1e3),
    "万元": Unit("money", 1e4),
    "平方米": Unit("area", 1.0),
    "m2": Unit("area", 1.0),
    "m²": Unit("area", 1.0),
    "册": Unit("volumes", 1.0),
    "万册": Unit("volumes", 1e4),
    "间": Unit("rooms", 1.0),
    "个": Unit("count", 1.0),
    "人": Unit("persons", 1.0),
    "名": Unit("persons", 1.0),
    "台": Unit("units", 1.0),
    "班": Unit("classes", 1.0),
}

#: The unit of each kind that a column's values are in, as messages name it.
_KIND_NAMES = {
    "money": "元",
    "area": "平方米",
    "volumes": "册",
    "rooms": "间",
    "persons": "人",
    "units": "台",
    "classes": "班",
}

#: The words of a sheet name or an upper header that name a stage.
STAGE_OF_WORD: Mapping[str, str] = {"小学": "primary", "初中": "junior", "初级中学": "junior"}

_UNIT_AT_END = re.compile(r"^(.*?)[(\[]([^()\[\]]+)[)\]]$")


def normalise(header: object) -> str:
    """A header as it is compared: NFKC, no white space (``"图书册数（册） "`` ->
    ``"图书册数(册)"``)."""
    text = unicodedata.normalize("NFKC", str(header))
    return "".join(text.split())


def split_unit(header: str) -> tuple[str, str | None]:
    """A normalised header without a recognised unit at its end, and the unit (or None).

    Parentheses that hold anything else are part of the name
    (``县级以上骨干教师(小学)``).

    Examples
    --------
    >>> split_unit("教学仪器设备资产值(万元)")
    ('教学仪器设备资产值', '万元')
    >>> split_unit("县级以上骨干教师(小学)")
    ('县级以上骨干教师(小学)', None)

    A cell that is a unit alone, bare or in parentheses, is a unit with no name: the row of
    units some offices write under the headers (人 | 平方米 | 万元, or （人） | （平方米）).

    >>> split_unit("万元"), split_unit("(万元)")
    (('', '万元'), ('', '万元'))
    """
    if header in UNITS:
        return "", header
    match = _UNIT_AT_END.match(header)
    if match and match.group(2) in UNITS:
        return match.group(1), match.group(2)
    return header, None


def column_unit_kind(column: str) -> str | None:
    """What a canonical column counts (``"persons"``, ``"area"``, ``"money"``...), or None
    for the columns that hold no amount (ids, names, kinds, flags)."""
    if column.startswith("classes_"):
        return "classes"
    for field in STAGE_PEOPLE:
        if column.startswith(field + "_") or column == field:
            return "persons"
    if column == "enrollment_senior":
        return "persons"
    if column.endswith("_area"):
        return "area"
    return {
        "equipment_value": "money",
        "computers": "units",
        "books": "volumes",
        "multimedia_rooms": "rooms",
        "music_rooms": "rooms",
        "art_rooms": "rooms",
    }.get(column)


def check_unit(header: str, column: str, unit: str, where: str) -> float:
    """The factor that brings ``unit`` to ``column``'s unit; refuse a unit that does not fit."""
    kind = column_unit_kind(column)
    found = UNITS[unit]
    fits = kind is not None and (
        found.kind == kind or (found.kind == "count" and kind in ("rooms", "units", "classes"))
    )
    if not fits:
        expected = _KIND_NAMES.get(kind or "")
        raise DataError(
            f"read_table: {where} header {header!r}: the unit {unit!r} does not fit column "
            f"{column!r}, which "
            + (f"is in {expected}" if expected else "takes no unit")
            + ". Correct the header, or map it with columns= (--columns).",
            zh=f"{where} 表头 {header!r}：单位 {unit!r} 与列 {column!r} 不符"
            + (f"（应为{expected}）" if expected else "（该列不带单位）")
            + "。请改正表头，或用列映射（--columns）说明。",
        )
    return found.scale


#: Stage-free names of the per-stage people columns (a sheet of one stage, or a school of
#: one stage), each with its field.
_STAGE_FREE = {
    "在校生数": "enrollment",
    "在校学生数": "enrollment",
    "学生数": "enrollment",
    "专任教师数": "teachers",
    "专任教师": "teachers",
    "教职工数": "staff",
    "教职工": "staff",
    "高于规定学历教师数": "teachers_above_qualification",
    "中级及以上专业技术职务教师数": "teachers_intermediate_title",
    "县级及以上骨干教师数": "teachers_backbone",
    "体育艺术专任教师数": "teachers_pe_arts",
    "班额": "class_sizes",
}

#: Headers offices write beside the national forms' aliases (REFERENCE: the census's own
#: names), by normalised header.
_MORE_ALIASES = {
    "学校(机构)标识码": "school_id",
    "学校标识码": "school_id",
    "学校(机构)名称": "school_name",
    "学校(机构)代码": "school_id",
    "区划代码": "county_code",
    "行政区划": "county_code",
    "县(市、区)名称": "county_name",
    "区县": "county_name",
    "办学性质": "public",
    # The same figures under the names other forms give them (教学仪器设备资产值 as the
    # census form writes it); not 运动场地面积 or 校舍建筑面积, which are other figures, nor
    # the census's 网络多媒体教室, a third-party reading its map (columns="census") says so.
    "教学仪器设备资产值": "equipment_value",
    "教学仪器设备总值": "equipment_value",
    "计算机数": "computers",
    "年份": "year",
    "year": "year",
}


#: Headers that say who runs each school in words (县教育局, 市教育局, 民办), which eduequity
#: does not read: the 2012 scope counts the public schools the county government runs, and
#: takes them from 是否县属 and 是否公办 (是/否).
_SPONSOR_WORDS = (
    "举办者",
    "学校举办者",
    "举办主体",
    "举办单位",
    "主办单位",
    "办学主体",
    "隶属关系",
)


def says_sponsor(header: str) -> bool:
    """Whether a header (its lowest cell) names who runs each school in words: it starts with
    one of ``_SPONSOR_WORDS`` (举办者类型, 举办者（单位）, 举办主体, 隶属关系)."""
    return normalise(header).startswith(_SPONSOR_WORDS)


SPONSOR_REASON = (
    "who runs each school, in words eduequity does not read: a scope of public schools run by "
    "the county government (cn-basic-2012) reads 是否县属 and 是否公办 (是/否)"
)
SPONSOR_REASON_ZH = (
    "说明学校由谁举办，eduequity 不读其文字：只评估县级政府举办的公办学校的标准（cn-basic-2012）"
    "读 是否县属、是否公办 两列（是/否）"
)


#: Headers eduequity knows and does not read, with why (English, Chinese), where no column
#: map says otherwise (the census map says the same of 是否计校数).
NOT_READ: Mapping[str, tuple[str, str]] = {
    normalise("是否计校数"): (
        "0 marks a site counted within its parent school (不计校数); each row is evaluated as "
        "the school its kind says: merge such a site into its parent's row, or give it the "
        "kind 教学点, where the office counts it so",
        "为 0 的是计入所属学校的校点（不计校数）；每行按其学校类型评估：如按所属学校计，请并入"
        "所属学校的行，或把学校类型写为教学点",
    ),
}


#: The names the reader takes beside the forms' own for the same figure (教学仪器设备资产值 for
#: 教学仪器设备值, 计算机数, 在校学生数, 教职工, 小学专任教师): where a sheet also has a header
#: that names the figure so, that header is read and these are not (as before they were known).
_SECONDARY = frozenset(
    normalise(h)
    for h in ("教学仪器设备资产值", "教学仪器设备总值", "计算机数", "在校学生数", "教职工")
)


def secondary(header: str) -> bool:
    """Whether ``header`` (its lowest cell) names its column by one of the other names the
    reader takes beside the forms' own (see ``_SECONDARY``), or by a stage's word before a
    stage-free name the forms do not write so (小学专任教师)."""
    return split_unit(normalise(header))[0] in _secondary_keys()


@cache
def _secondary_keys() -> frozenset[str]:
    """The normalised headers :func:`secondary` names: ``_SECONDARY``, and each stage's word
    before a stage-free name that is not a forms' header itself (小学专任教师, not
    小学专任教师数)."""
    forms = {normalise(a) for c in COLUMNS for a in c.aliases}
    staged = {normalise(word + h) for h in _STAGE_FREE for word in STAGE_OF_WORD}
    return _SECONDARY | (staged - forms)


@cache
def known_headers() -> Mapping[str, str]:
    """Every header the reader knows, normalised, with its canonical column.

    A stage-free people header (``在校生数``) maps to ``"enrollment_{stage}"``: the stage
    comes from the sheet's name, the header above it, or the school's kind.
    """
    known: dict[str, str] = {}
    for c in COLUMNS:
        known[normalise(c.name)] = c.name
        for alias in c.aliases:
            known[normalise(alias)] = c.name
    for header, column in _MORE_ALIASES.items():
        known.setdefault(normalise(header), column)
    for header, field in _STAGE_FREE.items():
        known.setdefault(normalise(header), stage_column(field, "{stage}"))
    for header, field in _STAGE_FREE.items():
        for word, stage in STAGE_OF_WORD.items():  # 小学专任教师, 初中在校学生数
            known.setdefault(normalise(word + header), stage_column(field, stage))
    for band in range(N_BANDS):  # class counts by band under a stage (小学 > 26-30人班数)
        for header in stage_free_headers(band):
            known.setdefault(normalise(header), band_column(band, "{stage}"))
    for r in PHYSICAL_RESOURCES:
        known.setdefault(r, r)
    return known


def probably_meant(header: str) -> str | None:
    """The header an unused header probably meant (a near name), as the forms write it (the
    header to write instead, :func:`header_to_write`, with the unit written), or None."""
    base, unit = split_unit(normalise(header))
    known = known_headers()
    near = difflib.get_close_matches(base, list(known), n=1, cutoff=0.75)
    if not near:
        return None
    return header_to_write(known[near[0]]) + (f"（{unit}）" if unit else "")


def header_to_write(column: str) -> str:
    """The Chinese header the reader takes for a canonical ``column`` (its first alias); a
    per-stage column without its stage (``teachers_backbone_{stage}``) has the header
    without the stage (县级及以上骨干教师数), which a sheet or a header above it names."""
    if "{stage}" in column:
        field = column.replace("_{stage}", "")
        for header, f in _STAGE_FREE.items():
            if f == field:
                return header
        for band in range(N_BANDS):
            if band_column(band, "{stage}") == column:
                return stage_free_headers(band)[0]
        return column
    for c in COLUMNS:
        if c.name == column and c.aliases:
            return c.aliases[0]
    return column
