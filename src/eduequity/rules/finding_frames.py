"""Findings about single schools as columns: one frame per rule, messages built by Arrow kernels.

A national evaluation has millions of school findings, so they are never built one object at a
time. Each rule gives a :class:`FindingFrame`: the county and school of each finding, its
status, measured value and threshold as arrays, and its messages as Arrow string arrays made by
vectorised string kernels. Both doors use the same frames: the columnar door concatenates them
into its findings table (:func:`frames_table`); :func:`eduequity.evaluate` turns the rows of one
county into :class:`~eduequity.rules.results.Finding` objects (:func:`frame_findings`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity.county_inputs import COUNTY_INPUTS, InputKind
from eduequity.indicators import get_indicator
from eduequity.rules.balance import STATUS_CODES
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.rules.facilities import Facilities, FacilityCheck
from eduequity.rules.minimums import compare, numerator_for
from eduequity.rules.parts import Parts
from eduequity.rules.results import Finding, Level, Status
from eduequity.rules.school_rules import SchoolRuleArrays
from eduequity.rules.shortfalls import RESOURCE_UNITS
from eduequity.rules.text import format_number, format_numbers, join_text
from eduequity.standards.model import Citation, Op, SchoolRule, Standard

__all__ = [
    "FINDINGS_SCHEMA",
    "FindingFrame",
    "county_item_frames",
    "facility_frames",
    "findings_table",
    "frame_findings",
    "frames_table",
    "school_standard_frames",
]

_P, _F, _NE, _NA = (STATUS_CODES.index(s) for s in Status)

_CATEGORY = pa.dictionary(pa.int32(), pa.string())

#: Columns of the findings table, in order. Columns with few distinct values are
#: dictionary-encoded: a national table has millions of rows.
FINDINGS_SCHEMA = pa.schema(
    [
        ("county_code", _CATEGORY),
        ("component", _CATEGORY),
        ("rule_id", _CATEGORY),
        ("level", _CATEGORY),
        ("stage", _CATEGORY),
        ("school_id", pa.string()),
        ("indicator", _CATEGORY),
        ("status", _CATEGORY),
        ("measured", pa.float64()),
        ("op", _CATEGORY),
        ("threshold", pa.float64()),
        ("citation", _CATEGORY),
        ("confidence", _CATEGORY),
        ("message_zh", pa.string()),
        ("message_en", pa.string()),
    ]
)

_STAGE_VALUES = pa.array([s.value for s in STAGES])
_STAGE_ZH = pa.array([s.name_zh for s in STAGES])
_STAGE_EN = pa.array([s.name_en for s in STAGES])
_STATUS_VALUES = pa.array([s.value for s in STATUS_CODES])


@attrs.frozen(eq=False)
class FindingFrame:
    """The findings of one rule on many schools, as columns.

    Attributes
    ----------
    school : array of int
        Row of each finding's school in the school columns.
    county : array of int
        Index of each finding's county.
    stage : array of int
        Stage code of each finding (index of :data:`~eduequity.rules.columns.STAGES`), -1 for
        none.
    status : array of int
        Status codes (:data:`~eduequity.rules.balance.STATUS_CODES`).
    measured, threshold : arrays of float
        NaN where there is none.
    message_zh, message_en : pyarrow string arrays
    rule_id, component, indicator, op, citation, level : one value for the whole frame
        (``level`` is :attr:`Level.COUNTY` for a county item, whose ``school`` is -1)
    """

    school: NDArray[np.intp]
    county: NDArray[np.intp]
    stage: NDArray[np.intp]
    status: NDArray[np.intp]
    measured: NDArray[np.float64]
    threshold: NDArray[np.float64]
    message_zh: pa.Array
    message_en: pa.Array
    rule_id: str
    component: str
    indicator: str | None
    op: Op | None
    citation: Citation
    level: Level = Level.SCHOOL

    def __len__(self) -> int:
        return int(self.school.size)


def _nullable(x: NDArray[np.float64]) -> pa.Array:
    return pa.array(x, mask=np.isnan(x))


def _repeat(value: str | None, n: int) -> pa.Array:
    """``value`` n times, dictionary-encoded (nothing is copied n times)."""
    if value is None:
        return pa.nulls(n, _CATEGORY)
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([value]))


def _coded(codes: NDArray[np.integer], values: pa.Array) -> pa.Array:
    """``values[codes]`` dictionary-encoded; null where the code is negative."""
    return pa.DictionaryArray.from_arrays(
        pa.array(np.maximum(codes, 0).astype(np.int32), mask=codes < 0), values
    )


def frames_table(
    frames: Sequence[FindingFrame], county_codes: pa.Array, school_ids: pa.Array
) -> pa.Table:
    """The frames as one findings table (:data:`FINDINGS_SCHEMA`), frame after frame."""
    tables = []
    for fr in frames:
        n = len(fr)
        if n == 0:
            continue
        tables.append(
            pa.table(
                [
                    _coded(fr.county, county_codes),
                    _repeat(fr.component, n),
                    _repeat(fr.rule_id, n),
                    _repeat(fr.level.value, n),
                    _coded(fr.stage, _STAGE_VALUES),
                    school_ids.take(pa.array(np.maximum(fr.school, 0), mask=fr.school < 0)),
                    _repeat(fr.indicator, n),
                    _coded(fr.status, _STATUS_VALUES),
                    _nullable(fr.measured),
                    _repeat(None if fr.op is None else fr.op.value, n),
                    _nullable(fr.threshold),
                    _repeat(str(fr.citation), n),
                    _repeat(fr.citation.confidence.value, n),
                    fr.message_zh.cast(pa.string()),
                    fr.message_en.cast(pa.string()),
                ],
                schema=FINDINGS_SCHEMA,
            )
        )
    if not tables:
        return FINDINGS_SCHEMA.empty_table()
    return pa.concat_tables(tables)


def frame_findings(
    frames: Sequence[FindingFrame], county_codes: Sequence[str], school_ids: Sequence[str]
) -> list[Finding]:
    """The frames' rows as :class:`Finding` objects (for one county's evaluation)."""
    out: list[Finding] = []
    for fr in frames:

        def num(x: float) -> float | None:
            return None if np.isnan(x) else float(x)

        for i, (zh, en) in enumerate(
            zip(fr.message_zh.to_pylist(), fr.message_en.to_pylist(), strict=True)
        ):
            stage = int(fr.stage[i])
            out.append(
                Finding(
                    rule_id=fr.rule_id,
                    component=fr.component,
                    level=fr.level,
                    status=STATUS_CODES[fr.status[i]],
                    measured=num(fr.measured[i]),
                    threshold=num(fr.threshold[i]),
                    op=fr.op,
                    citation=fr.citation,
                    message_zh=zh,
                    message_en=en,
                    stage=None if stage < 0 else STAGES[stage],
                    school_id=None if fr.school[i] < 0 else str(school_ids[fr.school[i]]),
                    indicator=fr.indicator,
                    county_code=county_codes[fr.county[i]],
                )
            )
    return out


def _met(ok: NDArray[np.bool_], lang: str) -> pa.Array:
    yes, no = ("达到要求", "未达到要求") if lang == "zh" else ("met", "not met")
    return pc.if_else(pa.array(ok), yes, no)


def _ints(x: NDArray[np.integer] | NDArray[np.float64]) -> pa.Array:
    return pc.cast(pa.array(np.asarray(x).astype(np.int64)), pa.string())


def school_standard_frames(
    standard: Standard,
    parts: Parts,
    cols: SchoolColumns,
    school_ids: pa.Array,
    arrays: SchoolRuleArrays | None,
) -> list[FindingFrame]:
    """Findings of the school standard: one per part and minimum (rule ``all``) or one per part
    with the unmet minimums listed (rule ``at_least``)."""
    school = standard.school_standard
    if school is None or arrays is None:
        return []
    frames = []
    n_parts = parts.school_row.size
    details_zh: list[pa.Array] = []
    details_en: list[pa.Array] = []
    for arr, qty in zip(arrays.minimums, arrays.quantity, strict=True):
        m = arr.minimum
        ind = get_indicator(m.indicator)
        field = numerator_for(m.indicator, standard.balance)
        unit_zh, unit_en, _ = RESOURCE_UNITS[field]
        missing = np.isnan(arr.value)
        status = np.where(missing, _NE, np.where(arr.met, _P, _F)).astype(np.intp)
        value = format_numbers(arr.value)
        need = ~arr.met & ~missing & ~np.isnan(qty)
        q = format_numbers(np.where(need, qty, np.nan))
        threshold = format_number(m.value)
        zh = pc.if_else(
            pa.array(missing),
            f"{ind.name_zh}未评估：未报告 {field}",
            join_text(
                ind.name_zh,
                value,
                f"{ind.unit_zh}，要求{m.op.text_zh}{threshold}，",
                _met(arr.met, "zh"),
                pc.fill_null(join_text("，需增加", q, f"{unit_zh}（{field}）"), ""),
            ),
        )
        en = pc.if_else(
            pa.array(missing),
            f"{ind.name_en} not evaluated: {field} not reported",
            join_text(
                f"{ind.name_en} ",
                value,
                f" {ind.unit_en}, required {m.op.text_en} {threshold}: ",
                _met(arr.met, "en"),
                pc.fill_null(join_text("; add ", q, f" {unit_en} ({field})"), ""),
            ),
        )
        rows = parts.school_row[arr.part]
        if school.rule is SchoolRule.ALL:
            sid = school_ids.take(pa.array(rows))
            frames.append(
                FindingFrame(
                    school=rows,
                    county=cols.county[rows],
                    stage=np.full(rows.size, STAGES.index(m.stage), dtype=np.intp),
                    status=status,
                    measured=np.where(missing, np.nan, arr.value),
                    threshold=np.full(rows.size, m.value),
                    message_zh=join_text(sid, f"（{m.stage.name_zh}）", zh, "。"),
                    message_en=join_text("School ", sid, f" ({m.stage.name_en}) ", en, "."),
                    rule_id=f"school_standard.{m.indicator}",
                    component=school.component,
                    indicator=m.indicator,
                    op=m.op,
                    citation=m.citation,
                )
            )
        else:
            unmet = pa.array(status != _P)
            where = np.full(n_parts, -1, dtype=np.intp)
            where[arr.part] = np.arange(arr.value.size)
            take = pa.array(where, mask=where < 0)
            details_zh.append(
                pc.fill_null(pc.if_else(unmet, join_text("；", zh), "").take(take), "")
            )
            details_en.append(
                pc.fill_null(pc.if_else(unmet, join_text("; ", en), "").take(take), "")
            )
    if school.rule is SchoolRule.AT_LEAST:
        keep = np.flatnonzero(arrays.status != _NA)
        rows = parts.school_row[keep]
        sid = school_ids.take(pa.array(rows))
        stage = parts.stage[keep].astype(np.intp)
        stage_at = pa.array(stage)
        status = arrays.status[keep].astype(np.intp)
        keep_at = pa.array(keep)
        empty = pa.repeat(pa.scalar(""), n_parts)
        detail_zh = pc.utf8_slice_codeunits(join_text(empty, *details_zh), start=1).take(keep_at)
        detail_en = pc.utf8_slice_codeunits(join_text(empty, *details_en), start=2).take(keep_at)
        has_detail = pc.not_equal(detail_zh, "")
        verdict_zh = pa.array(["达到要求", "未达到要求", "未评估", ""]).take(pa.array(status))
        verdict_en = pa.array(["met", "not met", "not evaluated", ""]).take(pa.array(status))
        floor = format_number(100 * (school.floor_fraction or 0))
        n_rules, n_met = _ints(arrays.n_rules[keep]), _ints(arrays.n_met[keep])
        frames.append(
            FindingFrame(
                school=rows,
                county=cols.county[rows],
                stage=stage,
                status=status,
                measured=arrays.n_met[keep].astype(np.float64),
                threshold=np.full(rows.size, float(school.min_met or 0)),
                message_zh=join_text(
                    sid,
                    "（",
                    _STAGE_ZH.take(stage_at),
                    "）",
                    n_rules,
                    "项指标达到",
                    n_met,
                    f"项，要求至少{school.min_met}项达到要求，余项不低于要求的{floor}%，",
                    verdict_zh,
                    pc.if_else(has_detail, join_text("：", detail_zh, "。"), "。"),
                ),
                message_en=join_text(
                    "School ",
                    sid,
                    " (",
                    _STAGE_EN.take(stage_at),
                    ") meets ",
                    n_met,
                    " of ",
                    n_rules,
                    f" indicators, required at least {school.min_met} met, the rest at least "
                    f"{floor}% of the requirement: ",
                    verdict_en,
                    pc.if_else(has_detail, join_text(": ", detail_en, "."), "."),
                ),
                rule_id="school_standard.school_rule",
                component=school.component,
                indicator=None,
                op=Op.GE,
                citation=school.citation,
            )
        )
    return frames


def facility_frames(
    standard: Standard, cols: SchoolColumns, school_ids: pa.Array, facilities: Facilities
) -> list[FindingFrame]:
    """Findings of the room, school-size and class-size checks, one per school and check."""
    frames = []
    for check in facilities.checks:
        rows = np.flatnonzero(check.status != _NA)
        sid = school_ids.take(pa.array(rows))
        status = check.status[rows].astype(np.intp)
        unknown = pa.array(status == _NE)
        ok = status == _P
        if check.rule_id.startswith("rooms."):
            frames.append(_room_frame(standard, check, facilities, rows, sid, status, ok, cols))
            continue
        if check.rule_id == "school_size":
            rule = standard.school_size
            assert rule is not None
            assert facilities.size is not None
            assert facilities.size_maximum is not None
            size = facilities.size[rows]
            maximum = facilities.size_maximum[rows]
            size_t, max_t = format_numbers(size), format_numbers(maximum)
            frames.append(
                FindingFrame(
                    school=rows,
                    county=cols.county[rows],
                    stage=np.full(rows.size, -1, dtype=np.intp),
                    status=status,
                    measured=size,
                    threshold=maximum,
                    message_zh=join_text(
                        sid,
                        " 义务教育阶段在校生",
                        size_t,
                        "人，要求不超过",
                        max_t,
                        "人，",
                        _met(ok, "zh"),
                        "。",
                    ),
                    message_en=join_text(
                        "School ",
                        sid,
                        " has ",
                        size_t,
                        " students in compulsory stages, required at most ",
                        max_t,
                        ": ",
                        _met(ok, "en"),
                        ".",
                    ),
                    rule_id=check.rule_id,
                    component=check.component,
                    indicator=None,
                    op=Op.LE,
                    citation=rule.citation,
                )
            )
            continue
        class_rule = standard.class_size
        assert class_rule is not None
        assert check.stage is not None
        stage = check.stage
        ca = facilities.classes[stage]
        largest = np.nan_to_num(ca.largest(rows), nan=0.0)
        measured = np.where(status == _NE, np.nan, largest)
        n_classes, n_over, big = (
            format_numbers(x) for x in (ca.n_classes[rows], ca.n_over[rows], largest)
        )
        frames.append(
            FindingFrame(
                school=rows,
                county=cols.county[rows],
                stage=np.full(rows.size, STAGES.index(stage), dtype=np.intp),
                status=status,
                measured=measured,
                threshold=np.full(rows.size, float(ca.cap)),
                message_zh=pc.if_else(
                    unknown,
                    join_text(sid, f"（{stage.name_zh}）班额未评估：未报告 class_sizes。"),
                    join_text(
                        sid,
                        f"（{stage.name_zh}）",
                        n_classes,
                        "个班，最大班额",
                        big,
                        "人，",
                        n_over,
                        f"个班超过{ca.cap}人，",
                        _met(ok, "zh"),
                        "。",
                    ),
                ),
                message_en=pc.if_else(
                    unknown,
                    join_text(
                        "School ",
                        sid,
                        f" ({stage.name_en}) class sizes not evaluated: class_sizes not reported.",
                    ),
                    join_text(
                        "School ",
                        sid,
                        f" ({stage.name_en}) ",
                        n_classes,
                        " classes, largest ",
                        big,
                        ", ",
                        n_over,
                        f" over {ca.cap}: ",
                        _met(ok, "en"),
                        ".",
                    ),
                ),
                rule_id=check.rule_id,
                component=check.component,
                indicator=None,
                op=Op.LE,
                citation=class_rule.citation,
            )
        )
    return frames


def _room_frame(
    standard: Standard,
    check: FacilityCheck,
    facilities: Facilities,
    rows: NDArray[np.intp],
    sid: pa.Array,
    status: NDArray[np.intp],
    ok: NDArray[np.bool_],
    cols: SchoolColumns,
) -> FindingFrame:
    rooms, ra = standard.rooms, facilities.rooms
    assert rooms is not None
    assert ra is not None
    kind = check.rule_id.split(".")[1].split("_")[0]
    zh_name, en_name = (
        ("音乐专用教室", "music rooms") if kind == "music" else ("美术专用教室", "art rooms")
    )
    count = (ra.music_rooms if kind == "music" else ra.art_rooms)[rows]
    unknown = status == _NE
    unknown_at = pa.array(unknown)
    if check.rule_id.endswith("_rooms"):
        required = ra.required[rows]
        what = pc.if_else(pa.array(np.isnan(required)), "class_sizes", f"{kind}_rooms")
        count_t, classes_t, required_t = (
            format_numbers(x) for x in (count, ra.classes[rows], required)
        )
        measured, threshold, citation = np.where(unknown, np.nan, count), required, rooms.citation
        zh = pc.if_else(
            unknown_at,
            join_text(sid, f" {zh_name}未评估：未报告 ", what, "。"),
            join_text(
                sid,
                f" {zh_name}",
                count_t,
                "间，按",
                classes_t,
                "个班需",
                required_t,
                "间，",
                _met(ok, "zh"),
                "。",
            ),
        )
        en = pc.if_else(
            unknown_at,
            join_text("School ", sid, f" {en_name} not evaluated: ", what, " not reported."),
            join_text(
                "School ",
                sid,
                " has ",
                count_t,
                f" {en_name}; ",
                classes_t,
                " classes need ",
                required_t,
                ": ",
                _met(ok, "en"),
                ".",
            ),
        )
    else:
        mean = (ra.music_mean_area if kind == "music" else ra.art_mean_area)[rows]
        min_area = rooms.music_min_area if kind == "music" else rooms.art_min_area
        mean_t, min_t = format_numbers(mean), format_number(min_area)
        measured = np.where(unknown, np.nan, mean)
        threshold, citation = np.full(rows.size, float(min_area)), rooms.area_citation
        zh = pc.if_else(
            unknown_at,
            join_text(sid, f" {zh_name}面积未评估：未报告 {kind}_room_area。"),
            join_text(
                sid,
                f" {zh_name}平均每间",
                mean_t,
                f"平方米，要求不低于{min_t}平方米，",
                _met(ok, "zh"),
                "。",
            ),
        )
        en = pc.if_else(
            unknown_at,
            join_text(
                "School ", sid, f" {en_name} area not evaluated: {kind}_room_area not reported."
            ),
            join_text(
                "School ",
                sid,
                f" {en_name} average ",
                mean_t,
                f" m² each, required at least {min_t} m²: ",
                _met(ok, "en"),
                ".",
            ),
        )
    return FindingFrame(
        school=rows,
        county=cols.county[rows],
        stage=np.full(rows.size, -1, dtype=np.intp),
        status=status,
        measured=measured,
        threshold=threshold,
        message_zh=zh,
        message_en=en,
        rule_id=check.rule_id,
        component=check.component,
        indicator=None,
        op=Op.GE,
        citation=citation,
    )


@functools.lru_cache(maxsize=1024)
def _citation_text(citation: Citation) -> str:
    return str(citation)


def findings_table(findings: Sequence[Finding]) -> pa.Table:
    """Findings as a long Arrow table, one row per finding, with the citation as text."""

    def col(name: str) -> list[Any]:
        return [getattr(f, name) for f in findings]

    def enum_col(name: str) -> list[Any]:
        return [None if (v := getattr(f, name)) is None else v.value for f in findings]

    columns = [
        col("county_code"),
        col("component"),
        col("rule_id"),
        enum_col("level"),
        enum_col("stage"),
        col("school_id"),
        col("indicator"),
        enum_col("status"),
        col("measured"),
        enum_col("op"),
        col("threshold"),
        [_citation_text(f.citation) for f in findings],
        [f.citation.confidence.value for f in findings],
        col("message_zh"),
        col("message_en"),
    ]
    return pa.table(
        [
            pa.array(values, pa.string()).dictionary_encode()
            if field.type == pa.dictionary(pa.int32(), pa.string())
            else pa.array(values, field.type)
            for values, field in zip(columns, FINDINGS_SCHEMA, strict=True)
        ],
        schema=FINDINGS_SCHEMA,
    )


def show_input(value: float, kind: InputKind, lang: str) -> str:
    """A county input as messages show it: yes / no, a percentage, or a number."""
    if kind is InputKind.FLAG:
        yes = value == 1.0
        return ("是" if yes else "否") if lang == "zh" else ("yes" if yes else "no")
    return f"{format_number(value * 100)}%" if kind is InputKind.RATE else format_number(value)


def _show_inputs(values: NDArray[np.float64], kind: InputKind, lang: str) -> pa.Array:
    """:func:`show_input` of every value, vectorised (null where NaN)."""
    if kind is InputKind.FLAG:
        yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
        text = pc.if_else(pa.array(values == 1.0), yes, no)
        return pc.if_else(pa.array(np.isnan(values)), pa.scalar(None, pa.string()), text)
    if kind is InputKind.RATE:
        return join_text(format_numbers(values * 100), "%")
    return format_numbers(values)


def county_item_frames(
    standard: Standard, inputs: Mapping[str, NDArray[np.float64]], n_counties: int
) -> list[FindingFrame]:
    """The findings of the standard's county items, one frame per item over every county.

    ``inputs`` holds one array over the counties per input id (NaN: not supplied; a flag is
    1.0 or 0.0).
    """
    frames = []
    missing = np.full(n_counties, np.nan)
    none = np.full(n_counties, -1, dtype=np.intp)
    for item in standard.county_items:
        spec = COUNTY_INPUTS[item.input]
        raw = np.asarray(inputs.get(item.input, missing), dtype=np.float64)
        ok = compare(item.op, raw, item.value)
        status = np.where(ok, _P, _F).astype(np.intp)
        status[np.isnan(raw)] = _NE
        unknown = pa.array(np.isnan(raw))
        name_en = spec.name_en.capitalize()
        frames.append(
            FindingFrame(
                school=none,
                county=np.arange(n_counties),
                stage=none,
                status=status,
                measured=raw,
                threshold=np.full(n_counties, float(item.value)),
                message_zh=pc.if_else(
                    unknown,
                    f"{spec.name_zh}未提供（输入 {item.input}），未评估。",
                    join_text(
                        f"{spec.name_zh}：",
                        _show_inputs(raw, spec.kind, "zh"),
                        f"，要求{item.op.text_zh}{show_input(item.value, spec.kind, 'zh')}，",
                        pc.if_else(pa.array(ok), "达到", "未达到"),
                        "要求。",
                    ),
                ),
                message_en=pc.if_else(
                    unknown,
                    f"{name_en} not supplied (input {item.input!r}): not evaluated.",
                    join_text(
                        f"{name_en}: ",
                        _show_inputs(raw, spec.kind, "en"),
                        f", required {item.op.text_en} {show_input(item.value, spec.kind, 'en')}: ",
                        pc.if_else(pa.array(ok), "met", "not met"),
                        ".",
                    ),
                ),
                rule_id=f"county.{item.id}",
                component=item.component,
                indicator=None,
                op=item.op,
                citation=item.citation,
                level=Level.COUNTY,
            )
        )
    return frames
