"""Putting the sheets together: stage-free columns given to the school's stage, county codes cut
where asked, and several sheets as one table (a school on two sheets is one row)."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity.batch._headers import _STAGE_FREE
from eduequity.batch._rows import is_text
from eduequity.errors import DataError
from eduequity.read_record import SetAside, SheetRead, UnusedHeader, UsedHeader
from eduequity.schema import KIND_ALIASES

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


def give_stages(columns: dict[str, pa.Array], headers: dict[str, str], where: str) -> None:
    """Give each stage-free column (``enrollment_{stage}``) to the stage of each school's kind;
    refuse a school of two stages that has a value there."""
    pending = [c for c in columns if "{stage}" in c]
    if not pending:
        return
    if "kind" not in columns:
        raise DataError(
            f"read_table: {where}: header {headers[pending[0]]!r} gives one number per school "
            "without its stage, and no school kind (学校类型) says which stage it is."
        )
    kinds = columns["kind"].to_pylist()
    stage_of = [_ONE_STAGE.get(KIND_ALIASES.get(k, k)) if k else None for k in kinds]
    for column in pending:
        values = columns.pop(column)
        header = headers.pop(column)
        given = ~np.asarray(pc.is_null(values), dtype=np.bool_)
        for stage in ("primary", "junior"):
            name = column.replace("{stage}", stage)
            if name in columns:
                raise DataError(
                    f"read_table: {where}: headers {headers[name]!r} and {header!r} both give "
                    f"{name!r}; keep one."
                )
            mask = np.array([s == stage for s in stage_of], dtype=np.bool_)
            columns[name] = pc.if_else(pa.array(mask), values, pa.scalar(None, values.type))
            headers[name] = header
        bad = given & np.array([s is None for s in stage_of], dtype=np.bool_)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"read_table: {where}: header {header!r} gives one number for a school of "
                f"kind {kinds[i]!r}, which has two stages or none that the header can name "
                f"({int(bad.sum())} school(s)). Give the figure by stage (小学{_zh(column)}, "
                f"初中{_zh(column)}), or name the sheet 小学 or 初中."
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
    longer = pc.fill_null(
        pc.and_(
            pc.greater(pc.utf8_length(codes), digits),
            pc.match_substring_regex(codes, r"^\d+$"),
        ),
        False,
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
                parts.append(part.combine_chunks() if isinstance(part, pa.ChunkedArray) else part)
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
    key = pc.binary_join_element_wise(
        pc.fill_null(table.column("school_id"), ""),
        pc.fill_null(table.column("county_code"), "")
        if "county_code" in table.column_names
        else pa.array([""] * n_total),
        "\x1f",
    )
    encoded = (
        pc.dictionary_encode(key).combine_chunks()
        if isinstance(key, pa.ChunkedArray)
        else pc.dictionary_encode(key)
    )
    index = np.asarray(encoded.indices, dtype=np.intp)
    counts = np.bincount(index)
    repeated = np.flatnonzero(counts[index] > 1)
    if not repeated.size:
        return table, rows, sheet_of, 0
    keep = np.ones(n_total, dtype=np.bool_)
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    groups: dict[int, list[int]] = {}
    for i in repeated.tolist():
        groups.setdefault(int(index[i]), []).append(i)
    merged = 0
    for members in groups.values():
        sheets = {int(sheet_of[i]) for i in members}
        if len(sheets) < len(members):
            continue  # a repeat within one sheet: the validator reports it
        first = members[0]
        for name, values in columns.items():
            given = [(i, values[i]) for i in members if values[i] is not None]
            distinct = {v for _, v in given}
            if len(distinct) > 1:
                (i, a), (j, b) = given[0], next(g for g in given if g[1] != given[0][1])
                header = reads[int(sheet_of[i])].headers.get(name, name)
                raise DataError(
                    f"read_table: {where}: school {columns['school_id'][first]!r} is on two "
                    f"sheets with different values of {header!r}: {a!r} "
                    f"({_where(reads, sheet_of, rows, i)}) and {b!r} "
                    f"({_where(reads, sheet_of, rows, j)}). Correct one of them.",
                    zh=f"{where}：学校 {columns['school_id'][first]!r} 出现在两个工作表中，"
                    f"{header!r} 的值不同：{a!r}（{_where(reads, sheet_of, rows, i, 'zh')}）与 "
                    f"{b!r}（{_where(reads, sheet_of, rows, j, 'zh')}）。请改正其一。",
                )
            if given:
                values[first] = given[0][1]
        keep[members[1:]] = False
        merged += 1
    out = pa.table(
        {name: pa.array(values, table.column(name).type) for name, values in columns.items()}
    ).filter(pa.array(keep))
    return out, rows[keep], sheet_of[keep], merged
