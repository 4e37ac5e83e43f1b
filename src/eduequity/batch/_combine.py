"""Putting the sheets together: stage-free columns given to the school's stage, county codes cut
where asked, and several sheets as one table (a school on two sheets is one row)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, named, numbers, one, scalar
from eduequity._errors import DataError
from eduequity._read_record import SetAside, SheetRead, UnusedHeader, UsedHeader
from eduequity._schema import KIND_ALIASES, PHYSICAL_RESOURCES
from eduequity.batch._headers import _STAGE_FREE
from eduequity.batch._rows import is_text

_ONE_STAGE = {"primary": "primary", "teaching_point": "primary", "junior": "junior"}


@attrs.define
class SheetColumns:
    """One sheet read into canonical columns."""

    columns: dict[str, pa.Array]
    headers: dict[str, str]
    rows: NDArray[np.int64]
    info: SheetRead
    used: list[UsedHeader]
    unused: list[UnusedHeader]
    set_aside: list[SetAside]
    #: What the reader says of the sheet beside its columns, in English and Chinese (a total
    #: row that the schools read do not add up to).
    notes: list[tuple[str, str]] = attrs.field(factory=list)


def _agrees(
    total: pa.Array,
    own: pa.Array,
    mask: NDArray[np.bool_],
    header: str,
    own_header: str,
    columns: Mapping[str, pa.Array],
    rows: NDArray[np.int64] | None,
    where: str,
) -> None:
    """Refuse where a school's one figure (``header``) and its stage's own (``own_header``)
    differ, both given, for the schools of that stage alone (``mask``)."""
    a = np.asarray(numbers(total), dtype=np.float64)
    b = np.asarray(numbers(own), dtype=np.float64)
    differ = np.flatnonzero(mask & ~np.isnan(a) & ~np.isnan(b) & (a != b))
    if not differ.size:
        return
    k = int(differ[0])
    school = columns["school_id"][k].as_py() if "school_id" in columns else None
    at = "" if rows is None else f" (row {int(rows[k])})"
    at_zh = "" if rows is None else f"（第 {int(rows[k])} 行）"
    raise DataError(
        f"read_table: {where}: headers {header!r} and {own_header!r} give different figures "
        f"for {differ.size} school(s) of that one stage (school {school!r}{at}: {a[k]:g} and "
        f"{b[k]:g}); keep one.",
        zh=f"{where}：表头 {header!r} 与 {own_header!r} 对 {differ.size} 所只有该学段的学校给出"
        f"不同的数（学校 {school!r}{at_zh}：{a[k]:g} 与 {b[k]:g}）；请保留其一。",
    )


def give_stages(
    columns: dict[str, pa.Array],
    headers: dict[str, str],
    where: str,
    rows: NDArray[np.int64] | None = None,
    unused: list[UnusedHeader] | None = None,
    sheet: str = "",
) -> None:
    """Give each stage-free column (``enrollment_{stage}``) to the stage of each school's kind;
    refuse a school of two stages that has a value there, naming the first few (with their
    ``rows`` in the sheet, where given). Where the sheet has a stage's own column too, that is
    read for the stage (the one figure must agree with it for the schools of that stage
    alone); a stage-free column no stage takes is added to ``unused`` (of ``sheet``)."""
    pending = [c for c in columns if "{stage}" in c]
    if not pending:
        return
    if "kind" not in columns:
        raise DataError(
            f"read_table: {where}: header {headers[pending[0]]!r} gives one number per school "
            "without its stage, and no school kind (学校类型) says which stage it is.",
            zh=f"{where}：表头 {headers[pending[0]]!r} 每校只有一个数、未分学段，且没有学校类型列"
            "说明它属于哪个学段。",
        )
    kinds = columns["kind"].to_pylist()
    stage_of = [_ONE_STAGE.get(KIND_ALIASES.get(k, k)) if k else None for k in kinds]
    for column in pending:
        values = columns.pop(column)
        header = headers.pop(column)
        given = ~bools(pc.is_null(values))
        taken = False
        for stage in ("primary", "junior"):
            name = column.replace("{stage}", stage)
            mask = np.array([s == stage for s in stage_of], dtype=np.bool_)
            if name in columns:
                # The stage's own column (小学专任教师, 在校生数>小学) is read for the stage; one
                # figure per school (专任教师数, 在校生数>合计) must then say the same of its
                # schools of that stage alone.
                _agrees(values, columns[name], mask, header, headers[name], columns, rows, where)
                continue
            columns[name] = pc.if_else(array(mask), values, pa.nulls(1, values.type)[0])
            headers[name] = header
            taken = True
        if not taken:
            if unused is not None:
                said = "each stage's figure is read from its own column"
                unused.append(UnusedHeader(sheet, header, None, said))
            continue
        bad = given & np.array([s is None for s in stage_of], dtype=np.bool_)
        if bad.any():
            at = np.flatnonzero(bad)
            i = int(at[0])
            ids = (
                columns["school_id"].to_pylist() if "school_id" in columns else [None] * len(kinds)
            )
            shown = ", ".join(
                repr(ids[k]) + ("" if rows is None else f" (row {int(rows[k])})") for k in at[:3]
            ) + (", ..." if at.size > 3 else "")
            shown_zh = "、".join(
                repr(ids[k]) + ("" if rows is None else f"（第 {int(rows[k])} 行）") for k in at[:3]
            ) + ("……" if at.size > 3 else "")
            raise DataError(
                f"read_table: {where}: header {header!r} gives one number for a school of "
                f"kind {kinds[i]!r}, which has two stages or none that the header can name "
                f"({int(bad.sum())} school(s): {shown}). Give the figure by stage "
                f"(小学{_zh(column)}, 初中{_zh(column)}), or name the sheet 小学 or 初中.",
                zh=f"{where}：表头 {header!r} 为类型是 {kinds[i]!r} 的学校只给出一个数，而该类型"
                f"有两个学段或没有可对应的学段（{int(bad.sum())} 所学校：{shown_zh}）。请按学段"
                f"填写（小学{_zh(column)}、初中{_zh(column)}），或将工作表命名为 小学 或 初中。",
            )


def _zh(column: str) -> str:
    field = column.split("_{")[0]

    return next((h for h, f in _STAGE_FREE.items() if f == field), field)


def cut_county_codes(
    columns: dict[str, pa.Array], digits: int | None, notes: list[tuple[str, str]]
) -> None:
    if digits is None or "county_code" not in columns:
        return
    codes = columns["county_code"]
    length = pc.utf8_length(codes)
    longer = pc.fill_null(
        pc.and_(
            pc.greater(length, scalar(digits, length.type)),
            pc.match_substring_regex(codes, r"^\d+$"),
        ),
        scalar(False, pa.bool_()),
    )
    n = int(pc.sum(longer).as_py() or 0)
    if n:
        columns["county_code"] = pc.if_else(
            longer, pc.utf8_slice_codeunits(codes, 0, digits), codes
        )
        notes.append(
            (
                f"行政区划代码 (county_code): {n} code(s) longer than {digits} digits cut to "
                f"their first {digits} (county_digits={digits})",
                f"行政区划代码：{n} 个超过 {digits} 位的代码取前 {digits} 位"
                f"（county_digits={digits}）",
            )
        )


def _where(
    reads: list[SheetColumns],
    sheet_of: NDArray[np.int64],
    rows: NDArray[np.int64],
    i: int,
    lang: str = "en",
) -> str:
    name = reads[int(sheet_of[i])].info.name
    if lang == "zh":
        return f"工作表 {name!r} 第 {int(rows[i])} 行"
    return f"sheet {name!r} row {int(rows[i])}"


def merge_sheets(
    reads: list[SheetColumns], where: str
) -> tuple[pa.Table, NDArray[np.int64], NDArray[np.int64], int]:
    """Several sheets as one table: a school on two sheets is one row."""
    if len(reads) == 1:  # one sheet: its columns as they are
        only = reads[0]
        table = pa.table(only.columns) if only.columns else pa.table({})
        return table, only.rows, np.zeros(len(only.rows), dtype=np.int64), 0
    names = list(dict.fromkeys(c for r in reads for c in r.columns))
    arrays: dict[str, list[Any]] = {}
    n_total = sum(len(r.rows) for r in reads)
    for name in names:
        parts = []
        for r in reads:
            if name in r.columns:
                part = r.columns[name]
                parts.append(one(part))
            else:
                parts.append(pa.nulls(len(r.rows)))
        kinds = {p.type for p in parts if not pa.types.is_null(p.type)}
        target = (
            kinds.pop()
            if len(kinds) == 1
            else (pa.string() if any(is_text(k) for k in kinds) else pa.float64())
        )
        arrays[name] = [p.cast(target) for p in parts]
    table = pa.table({k: pa.concat_arrays(v) for k, v in arrays.items()})
    rows = np.concatenate([r.rows for r in reads]) if reads else np.zeros(0, np.int64)
    sheet_of = (
        np.concatenate([np.full(len(r.rows), i, dtype=np.int64) for i, r in enumerate(reads)])
        if reads
        else np.zeros(0, np.int64)
    )
    if "school_id" not in table.column_names or len(reads) < 2 or n_total == 0:
        return table, rows, sheet_of, 0
    nothing = scalar("", pa.string())
    key = pc.binary_join_element_wise(
        pc.fill_null(table.column("school_id"), nothing),
        pc.fill_null(table.column("county_code"), nothing)
        if "county_code" in table.column_names
        else named(("",), n_total),
        scalar("\x1f", pa.string()),
    )
    encoded = one(pc.dictionary_encode(key))
    index = numbers(encoded.indices).astype(np.intp)
    counts = np.bincount(index)
    repeated = np.flatnonzero(counts[index] > 1)
    if not repeated.size:
        return table, rows, sheet_of, 0
    # Groups of rows with one id, each on a different sheet (a repeat within one sheet is
    # the validator's to report): each is one school, in its first row.
    g = index[repeated]
    n_sheets = len(reads)
    pair = np.unique(g * n_sheets + sheet_of[repeated])
    sheets_in = np.bincount(pair // n_sheets, minlength=counts.size)
    across = repeated[sheets_in[g] == counts[g]]
    if not across.size:
        return table, rows, sheet_of, 0
    ga = index[across]
    order = np.lexsort((across, ga))  # by group, then by row
    across, ga = across[order], ga[order]
    first_of = np.full(counts.size, -1, dtype=np.intp)
    starts = np.r_[True, ga[1:] != ga[:-1]]
    first_of[ga[starts]] = across[starts]
    keep = np.ones(n_total, dtype=np.bool_)
    keep[across[~starts]] = False
    columns = {}
    for name in table.column_names:
        col = one(table.column(name))
        given = ~bools(col.is_null().take(array(across)))
        # Each group's first given value, and the rows that say otherwise.
        src = np.full(counts.size, -1, dtype=np.intp)
        groups, first = np.unique(ga[given], return_index=True)  # (rows are in group order)
        src[groups] = across[given][first]
        mine = src[ga]
        both = given & (mine >= 0)
        if both.any():
            a = col.take(array(mine[both]))
            b = col.take(array(across[both]))
            differ = bools(pc.not_equal(a, b))
            if differ.any():
                k = int(np.flatnonzero(differ)[0])
                i, j = int(mine[both][k]), int(across[both][k])
                _conflict(reads, table, sheet_of, rows, where, name, i, j)
        take = np.arange(n_total, dtype=np.intp)
        firsts = ga[starts]
        has = src[firsts] >= 0
        take[across[starts][has]] = src[firsts][has]
        columns[name] = col.take(array(take[keep]))
    out = pa.table(columns)
    merged = int(starts.sum())
    return out, rows[keep], sheet_of[keep], merged


def _conflict(
    reads: list[SheetColumns],
    table: pa.Table,
    sheet_of: NDArray[np.int64],
    rows: NDArray[np.int64],
    where: str,
    name: str,
    i: int,
    j: int,
) -> None:
    """Refuse a school whose rows on two sheets give two values of one column."""
    school = table.column("school_id")[i].as_py()
    a, b = table.column(name)[i].as_py(), table.column(name)[j].as_py()
    header = reads[int(sheet_of[i])].headers.get(name, name)
    fix, fix_zh = "Correct one of them.", "请改正其一。"
    if name in PHYSICAL_RESOURCES:
        # A figure of the whole school split by the sheets' writer: making the two equal to
        # either part would count the school's resource wrong.
        fix = (
            f"{header!r} is the whole school's figure: write the school's total on both "
            "sheets (eduequity splits it between the stages itself), not each stage's part."
        )
        fix_zh = (
            f"{header!r} 是全校的数：请在两个工作表中都填写全校合计（eduequity 自行在学段间"
            "分摊），而不是各学段的部分。"
        )
    raise DataError(
        f"read_table: {where}: school {school!r} is on two sheets with different values of "
        f"{header!r}: {a!r} ({_where(reads, sheet_of, rows, i)}) and {b!r} "
        f"({_where(reads, sheet_of, rows, j)}). {fix}",
        zh=f"{where}：学校 {school!r} 出现在两个工作表中，{header!r} 的值不同：{a!r}"
        f"（{_where(reads, sheet_of, rows, i, 'zh')}）与 {b!r}"
        f"（{_where(reads, sheet_of, rows, j, 'zh')}）。{fix_zh}",
    )
