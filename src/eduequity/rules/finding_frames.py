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

from eduequity._arrow import masked
from eduequity.county_inputs import COUNTY_INPUTS, InputKind
from eduequity.indicators import get_indicator
from eduequity.rules.balance import STATUS_CODES, BalanceArrays
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.rules.facilities import Facilities, FacilityCheck
from eduequity.rules.minimums import compare, numerator_for
from eduequity.rules.parts import Parts
from eduequity.rules.results import Finding, Level, Status
from eduequity.rules.school_rules import SchoolRuleArrays
from eduequity.rules.shortfalls import RESOURCE_UNITS
from eduequity.rules.text import format_cvs, format_ids, format_number, format_numbers, join_text
from eduequity.standards.model import BalanceMethod, Citation, Op, SchoolRule, Standard

__all__ = [
    "FINDINGS_SCHEMA",
    "FindingFrame",
    "balance_frames",
    "county_item_frames",
    "facility_frames",
    "findings_table",
    "frame_findings",
    "frames_table",
    "school_standard_frames",
    "slot_frames",
]

_P, _F, _NE, _NA = (STATUS_CODES.index(s) for s in Status)

_CATEGORY = pa.dictionary(pa.int32(), pa.string())

#: Up to this many rows, the findings of all minimums are worded in one chunk.
_ONE_CHUNK_ROWS = 50_000

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
_STAGE_EN_TITLE = pa.array([s.name_en.capitalize() for s in STAGES])
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


def _repeat(value: str | None, n: int) -> pa.Array:
    """``value`` n times, dictionary-encoded (nothing is copied n times)."""
    if value is None:
        return pa.nulls(n, _CATEGORY)
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array([value]))


def _coded(codes: NDArray[np.integer], values: pa.Array) -> pa.Array:
    """``values[codes]`` dictionary-encoded; null where the code is negative."""
    return pa.DictionaryArray.from_arrays(
        masked(np.maximum(codes, 0).astype(np.int32), codes < 0), values
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
                    school_ids.take(masked(np.maximum(fr.school, 0), fr.school < 0)),
                    _repeat(fr.indicator, n),
                    _coded(fr.status, _STATUS_VALUES),
                    masked(fr.measured),
                    _repeat(None if fr.op is None else fr.op.value, n),
                    masked(fr.threshold),
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
    minimums = arrays.minimums
    if not minimums:
        return []
    sizes = [arr.value.size for arr in minimums]
    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
    total = int(bounds[-1])
    value = np.concatenate([arr.value for arr in minimums])
    met = np.concatenate([arr.met for arr in minimums])
    qty = np.concatenate(arrays.quantity)
    missing = np.isnan(value)
    status_all = np.where(missing, _NE, np.where(met, _P, _F)).astype(np.intp)
    need = ~met & ~missing & ~np.isnan(qty)
    value_text = format_numbers(value)
    q = format_numbers(np.where(need, qty, np.nan))
    rows_all = np.concatenate([parts.school_row[arr.part] for arr in minimums])
    stage_all = np.concatenate(
        [np.full(arr.value.size, STAGES.index(arr.minimum.stage)) for arr in minimums]
    ).astype(np.intp)
    texts: list[dict[str, str]] = []
    for arr in minimums:
        m = arr.minimum
        ind = get_indicator(m.indicator)
        field = numerator_for(m.indicator, standard.balance)
        unit_zh, unit_en, _ = RESOURCE_UNITS[field]
        threshold = format_number(m.value)
        texts.append(
            {
                "name_zh": ind.name_zh,
                "mid_zh": f"{ind.unit_zh}，要求{m.op.text_zh}{threshold}，",
                "unit_zh": f"{unit_zh}（{field}）",
                "gap_zh": f"{ind.name_zh}未评估：未报告 {field}",
                "name_en": f"{ind.name_en} ",
                "mid_en": f" {ind.unit_en}, required {m.op.text_en} {threshold}: ",
                "unit_en": f" {unit_en} ({field})",
                "gap_en": f"{ind.name_en} not evaluated: {field} not reported",
            }
        )
    # The words are put together in chunks: one chunk for every minimum at once where the
    # table is small (a fixed number of string kernels, each minimum's texts repeated per row),
    # one chunk per minimum where it is large (its texts as scalars, nothing repeated).
    if total <= _ONE_CHUNK_ROWS:
        which = pa.array(np.repeat(np.arange(len(minimums)), sizes))
        chunks: list[tuple[int, int, dict[str, Any]]] = [
            (0, total, {key: pa.array([t[key] for t in texts]).take(which) for key in texts[0]})
        ]
    else:
        chunks = [(int(bounds[k]), sizes[k], texts[k]) for k in range(len(minimums))]
    words_zh: list[pa.Array] = []
    words_en: list[pa.Array] = []
    for lo, n, t in chunks:
        cut = slice(lo, lo + n)
        gap, got, need_q = pa.array(missing[cut]), value_text.slice(lo, n), q.slice(lo, n)
        zh = pc.if_else(
            gap,
            t["gap_zh"],
            join_text(
                t["name_zh"],
                got,
                t["mid_zh"],
                _met(met[cut], "zh"),
                pc.fill_null(join_text("，需增加", need_q, t["unit_zh"]), ""),
            ),
        )
        en = pc.if_else(
            gap,
            t["gap_en"],
            join_text(
                t["name_en"],
                got,
                t["mid_en"],
                _met(met[cut], "en"),
                pc.fill_null(join_text("; add ", need_q, t["unit_en"]), ""),
            ),
        )
        if school.rule is SchoolRule.ALL:
            sid = school_ids.take(pa.array(rows_all[cut]))
            stage_at = pa.array(stage_all[cut])
            zh = join_text(sid, "（", _STAGE_ZH.take(stage_at), "）", zh, "。")
            en = join_text("School ", sid, " (", _STAGE_EN.take(stage_at), ") ", en, ".")
        else:
            unmet = pa.array(status_all[cut] != _P)
            zh = pc.if_else(unmet, join_text("；", zh), "")
            en = pc.if_else(unmet, join_text("; ", en), "")
        words_zh.append(zh)
        words_en.append(en)
    zh_all = pa.chunked_array(words_zh, pa.string())
    en_all = pa.chunked_array(words_en, pa.string())
    details_zh: list[pa.Array] = []
    details_en: list[pa.Array] = []
    for k, arr in enumerate(minimums):
        m = arr.minimum
        lo, n = int(bounds[k]), int(sizes[k])
        cut = slice(lo, lo + n)
        message_zh = zh_all.slice(lo, n).combine_chunks()
        message_en = en_all.slice(lo, n).combine_chunks()
        if school.rule is SchoolRule.ALL:
            rows = rows_all[cut]
            frames.append(
                FindingFrame(
                    school=rows,
                    county=cols.county[rows],
                    stage=stage_all[cut],
                    status=status_all[cut],
                    measured=np.where(missing[cut], np.nan, value[cut]),
                    threshold=np.full(n, m.value),
                    message_zh=message_zh,
                    message_en=message_en,
                    rule_id=f"school_standard.{m.indicator}",
                    component=school.component,
                    indicator=m.indicator,
                    op=m.op,
                    citation=m.citation,
                )
            )
        else:
            where = np.full(n_parts, -1, dtype=np.intp)
            where[arr.part] = np.arange(n)
            take = masked(where, where < 0)
            details_zh.append(pc.fill_null(message_zh.take(take), ""))
            details_en.append(pc.fill_null(message_en.take(take), ""))
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


def _show_input(value: float, kind: InputKind, lang: str) -> str:
    """A county input as messages show it: yes / no, a percentage, or a number."""
    if kind is InputKind.FLAG:
        yes = value == 1.0
        return ("是" if yes else "否") if lang == "zh" else ("yes" if yes else "no")
    return f"{format_number(value * 100)}%" if kind is InputKind.RATE else format_number(value)


def county_item_frames(
    standard: Standard, inputs: Mapping[str, NDArray[np.float64]], n_counties: int
) -> list[FindingFrame]:
    """The findings of the standard's county items, one frame per item over every county.

    ``inputs`` holds one array over the counties per input id (NaN: not supplied; a flag is
    1.0 or 0.0). The messages of all items are built together (a fixed number of string
    kernels whatever the number of items), then cut into one frame per item.
    """
    items = standard.county_items
    if not items:
        return []
    n = n_counties
    missing = np.full(n, np.nan)
    raw = np.concatenate(
        [np.asarray(inputs.get(item.input, missing), dtype=np.float64) for item in items]
    )
    ok = np.concatenate(
        [compare(item.op, raw[k * n : (k + 1) * n], item.value) for k, item in enumerate(items)]
    )
    status = np.where(ok, _P, _F).astype(np.intp)
    status[np.isnan(raw)] = _NE
    which = pa.array(np.repeat(np.arange(len(items)), n))
    specs = [COUNTY_INPUTS[item.input] for item in items]
    kinds = np.repeat([spec.kind.value for spec in specs], n)

    def per_item(texts: list[str]) -> pa.Array:
        return pa.array(texts).take(which)

    number = format_numbers(raw)
    with np.errstate(invalid="ignore"):
        rate = join_text(format_numbers(raw * 100), "%")
    is_flag = pa.array(kinds == InputKind.FLAG.value)
    numeric = pc.if_else(pa.array(kinds == InputKind.RATE.value), rate, number)
    yes = pa.array(raw == 1.0)

    unknown = pa.array(np.isnan(raw))
    met = pa.array(ok)
    pairs = list(zip(items, specs, strict=True))

    def message(
        lang: str,
        not_supplied: list[str],
        head: list[str],
        required: list[str],
        verdict: tuple[str, str],
        end: str,
    ) -> pa.Array:
        """One language's messages: not supplied, or the value against the requirement (each
        list has one text per item)."""
        flag = pc.if_else(yes, *(("是", "否") if lang == "zh" else ("yes", "no")))
        shown = pc.if_else(is_flag, flag, numeric)
        said = join_text(per_item(head), shown, per_item(required), pc.if_else(met, *verdict), end)
        return pc.if_else(unknown, per_item(not_supplied), said)

    message_zh = message(
        "zh",
        [f"{sp.name_zh}未提供（输入 {it.input}），未评估。" for it, sp in pairs],
        [f"{sp.name_zh}：" for sp in specs],
        [f"，要求{it.op.text_zh}{_show_input(it.value, sp.kind, 'zh')}，" for it, sp in pairs],
        ("达到", "未达到"),
        "要求。",
    )
    names_en = [spec.name_en.capitalize() for spec in specs]
    message_en = message(
        "en",
        [
            f"{name} not supplied (input {it.input!r}): not evaluated."
            for it, name in zip(items, names_en, strict=True)
        ],
        [f"{name}: " for name in names_en],
        [
            f", required {it.op.text_en} {_show_input(it.value, sp.kind, 'en')}: "
            for it, sp in pairs
        ],
        ("met", "not met"),
        ".",
    )
    none = np.full(n, -1, dtype=np.intp)
    frames = []
    for k, item in enumerate(items):
        cut = slice(k * n, (k + 1) * n)
        frames.append(
            FindingFrame(
                school=none,
                county=np.arange(n),
                stage=none,
                status=status[cut],
                measured=raw[cut],
                threshold=np.full(n, float(item.value)),
                message_zh=message_zh.slice(k * n, n),
                message_en=message_en.slice(k * n, n),
                rule_id=f"county.{item.id}",
                component=item.component,
                indicator=None,
                op=item.op,
                citation=item.citation,
                level=Level.COUNTY,
            )
        )
    return frames


def _joined(pieces: Sequence[tuple[NDArray[np.bool_], str]], sep: str) -> pa.Array:
    """Per row, the texts whose mask is set, in order, joined by ``sep``."""
    n = pieces[0][0].size
    out = pa.array([""] * n, pa.string())
    for mask, text in pieces:
        if not mask.any():
            continue
        out = join_text(out, pc.if_else(pa.array(mask), sep + text, ""))
    return pc.utf8_slice_codeunits(out, len(sep))


def balance_frames(
    standard: Standard, parts: Parts, school_ids: pa.Array, bal: BalanceArrays
) -> list[FindingFrame]:
    """Findings of the balance rule for every county and stage, as columns.

    One frame for the stages with nothing to evaluate, then one per judged value (the composite
    CV, or each indicator's CV), over the groups in county order. The messages of all judged
    values are built together (a fixed number of string kernels), then cut into frames.
    """
    rule = standard.balance
    order = parts.county_major()
    county, stage = parts.group_county[order], parts.group_stage[order]
    status = np.asarray(bal.status)[order]
    threshold = np.asarray(bal.threshold, dtype=np.float64)[order]
    none = status == _NA
    keep = np.flatnonzero(~none)

    def frame(at: NDArray[np.intp], **fields: Any) -> FindingFrame:
        return FindingFrame(
            school=np.full(at.size, -1, dtype=np.intp),
            county=county[at],
            stage=stage[at],
            component=rule.component,
            op=Op.LE,
            citation=rule.citation,
            level=Level.STAGE,
            **fields,
        )

    empty = np.flatnonzero(none)
    empty_stage = pa.array(stage[empty])
    frames = [
        frame(
            empty,
            status=status[empty],
            measured=np.full(empty.size, np.nan),
            threshold=threshold[empty],
            message_zh=pa.array(
                [f"本县无纳入评估的{s.name_zh}学校（或标准未设{s.name_zh}阈值）。" for s in STAGES]
            ).take(empty_stage),
            message_en=pa.array(
                [f"No {s.name_en} school in scope (or no {s.name_en} threshold)." for s in STAGES]
            ).take(empty_stage),
            rule_id="balance.stage",
            indicator=None,
        )
    ]
    composite = rule.method is BalanceMethod.COMPOSITE
    targets = ["composite_cv"] if composite else list(rule.indicators)
    # The judged values of every target, stacked: target t's groups are rows t*k ... t*k+k-1.
    k = keep.size
    value = np.concatenate(
        [
            (np.asarray(bal.composite) if t == "composite_cv" else np.asarray(bal.moments[t].cv))[
                order
            ][keep]
            for t in targets
        ]
    )
    limit = np.tile(threshold[keep], len(targets))
    row_stage = pa.array(np.tile(stage[keep], len(targets)))
    which = pa.array(np.repeat(np.arange(len(targets)), k))
    judged = {  # per indicator, the rows whose target includes it
        i: np.concatenate([np.full(k, t in ("composite_cv", i)) for t in targets])
        for i in rule.indicators
    }
    ind_status = {
        i: np.tile(np.asarray(bal.indicator_status[i])[order][keep], len(targets))
        for i in rule.indicators
    }
    undefined = {i: judged[i] & (ind_status[i] == _F) for i in rule.indicators}
    lacking = {i: judged[i] & (ind_status[i] == _NE) for i in rule.indicators}
    any_undefined = np.logical_or.reduce(list(undefined.values()))
    any_lacking = np.logical_or.reduce(list(lacking.values())) & ~any_undefined
    with np.errstate(invalid="ignore"):
        passed = value <= limit
    t_status = np.where(passed, _P, _F).astype(np.intp)
    t_status[any_lacking] = _NE
    t_status[any_undefined] = _F
    names_zh = [
        "综合差异系数" if t == "composite_cv" else f"{get_indicator(t).name_zh}差异系数"
        for t in targets
    ]
    names_en = [
        "composite CV" if t == "composite_cv" else f"CV of {get_indicator(t).name_en}"
        for t in targets
    ]
    name_zh, name_en = pa.array(names_zh).take(which), pa.array(names_en).take(which)
    stage_zh = _STAGE_ZH.take(row_stage)
    stage_en = _STAGE_EN_TITLE.take(row_stage)
    cv_text, limit_text, met = format_cvs(value), format_numbers(limit), pa.array(passed)
    undefined_mask = pa.array(any_undefined)
    zh = pc.if_else(
        undefined_mask,
        join_text(
            stage_zh,
            name_zh,
            "无法计算：",
            _joined([(undefined[i], get_indicator(i).name_zh) for i in rule.indicators], "、"),
            "的均值为0，差异系数无定义，未达到要求。",
        ),
        join_text(
            stage_zh,
            name_zh,
            cv_text,
            "，要求不高于",
            limit_text,
            "，",
            pc.if_else(met, "达到要求", "未达到要求"),
            "。",
        ),
    )
    en = pc.if_else(
        undefined_mask,
        join_text(
            stage_en,
            " ",
            name_en,
            " is undefined: the mean of ",
            _joined([(undefined[i], get_indicator(i).name_en) for i in rule.indicators], "; "),
            " is 0, so its CV is undefined; not met.",
        ),
        join_text(
            stage_en,
            " ",
            name_en,
            " ",
            cv_text,
            ", required at most ",
            limit_text,
            ": ",
            pc.if_else(met, "met", "not met"),
            ".",
        ),
    )
    if any_lacking.any():  # rare (nulls accepted as not reported): worded one by one
        missing_ids = _missing_ids(parts, school_ids, bal, order)
        texts_zh, texts_en = [], []
        for r in np.flatnonzero(any_lacking):
            t, g = divmod(int(r), k)
            detail_zh, detail_en = [], []
            for i in rule.indicators:
                if lacking[i][r]:
                    ids = missing_ids[i].get(int(keep[g]), [])
                    field = rule.numerator(i)
                    detail_zh.append(f"{field}缺{len(ids)}所（{format_ids(ids)}）")
                    detail_en.append(f"{field} missing for {len(ids)} school(s): {format_ids(ids)}")
            s = STAGES[int(stage[keep[g]])]
            texts_zh.append(f"{s.name_zh}{names_zh[t]}未评估：" + "；".join(detail_zh) + "。")
            texts_en.append(
                f"{s.name_en.capitalize()} {names_en[t]} not evaluated: "
                + "; ".join(detail_en)
                + "."
            )
        mask = pa.array(any_lacking)
        zh = pc.replace_with_mask(zh, mask, pa.array(texts_zh, pa.string()))
        en = pc.replace_with_mask(en, mask, pa.array(texts_en, pa.string()))
    for t, target in enumerate(targets):
        cut = slice(t * k, (t + 1) * k)
        frames.append(
            frame(
                keep,
                status=t_status[cut],
                measured=value[cut],
                threshold=limit[cut],
                message_zh=zh.slice(t * k, k),
                message_en=en.slice(t * k, k),
                rule_id=f"balance.{target}" if target == "composite_cv" else f"balance.cv.{target}",
                indicator=None if target == "composite_cv" else target,
            )
        )
    return frames


def _missing_ids(
    parts: Parts, school_ids: pa.Array, bal: BalanceArrays, order: NDArray[np.intp]
) -> dict[str, dict[int, list[str]]]:
    """Per indicator, for each row of ``order`` (a group) that lacks values, the school ids."""
    position = np.empty(order.size, dtype=np.intp)
    position[order] = np.arange(order.size)
    out: dict[str, dict[int, list[str]]] = {}
    for ind_id, values in bal.values.items():
        miss = np.flatnonzero(np.isnan(values))
        by_row: dict[int, list[str]] = {}
        if miss.size:
            ids = school_ids.take(pa.array(parts.school_row[miss])).to_pylist()
            for g, sid in zip(parts.groups.codes[miss].tolist(), ids, strict=True):
                by_row.setdefault(int(position[g]), []).append(str(sid))
        out[ind_id] = by_row
    return out


def slot_frames(standard: Standard, n_counties: int) -> list[FindingFrame]:
    """The county finding "school standard not supplied", where the standard has an empty slot
    (one per county)."""
    slot = standard.school_standard_slot
    if standard.school_standard is not None or slot is None:
        return []
    none = np.full(n_counties, -1, dtype=np.intp)
    return [
        FindingFrame(
            school=none,
            county=np.arange(n_counties),
            stage=none,
            status=np.full(n_counties, _NE, dtype=np.intp),
            measured=np.full(n_counties, np.nan),
            threshold=np.full(n_counties, np.nan),
            message_zh=pa.array(["未提供省定义务教育学校基本办学标准，无法评估。"] * n_counties),
            message_en=pa.array(
                [
                    "The province's basic school-running standard was not supplied "
                    "(Standard.with_school_standard), so this could not be evaluated."
                ]
                * n_counties
            ),
            rule_id="school_standard.supplied",
            component=slot.component,
            indicator=None,
            op=None,
            citation=slot.citation,
            level=Level.COUNTY,
        )
    ]
