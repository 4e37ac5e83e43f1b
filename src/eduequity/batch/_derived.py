"""Columns a column map derives from several headers of a sheet (its ``[derived]`` entries:
``room_area = 教学用房 + 教学辅助用房``), each header in its own unit, as the sheet writes it."""

from __future__ import annotations

import difflib

import numpy as np
import pyarrow as pa

from eduequity._arrow import array, numbers
from eduequity._errors import DataError
from eduequity._read_record import UsedHeader
from eduequity.batch._columnmap import ColumnMap
from eduequity.batch._headers import normalise, split_unit
from eduequity.batch._hidden import no_hidden_column
from eduequity.batch._layout import Block, path_keys, unit_and_scale
from eduequity.batch._rows import as_numbers
from eduequity.batch._sources import Sheet

__all__ = ["derived_columns", "derived_headers"]


def derived_headers(cmap: ColumnMap | None) -> set[str]:
    """The headers the map derives columns from (normalised, without their units): a sheet's
    column under one of them is read by :func:`derived_columns`, not on its own."""
    if cmap is None:
        return set()
    return {split_unit(normalise(h))[0] for d in cmap.derived for h in (*d.add, *d.subtract)}


def derived_columns(
    cmap: ColumnMap | None,
    block: Block,
    body: pa.Table,
    sheet: Sheet,
    where: str,
    columns: dict[str, pa.Array],
    headers: dict[str, str],
    used: list[UsedHeader],
) -> None:
    """Add to ``columns``, ``headers`` and ``used`` each column the map derives from the
    sheet's headers: the sum of its ``add`` headers less its ``subtract`` headers, null where
    any of them is empty, each in the unit its header writes.

    Raises
    ------
    DataError
        Where the sheet has some of a derived column's headers but not all, where one is a
        column hidden in Excel, or where one does not hold numbers.
    """
    # A derived column's headers: the path as a map names it (``path_keys``), or the lowest
    # cell alone (on a clash, the later form wins, then the later column).
    forms = [
        (i, (*path_keys(c), split_unit(normalise(c[-1]))[0]))
        for i, c in enumerate(block.cells)
        if c
    ]
    positions = {key[form]: i for form in range(3) for i, key in forms}
    for d in cmap.derived if cmap else ():
        column = d.column.replace("{stage}", sheet.stage) if sheet.stage else d.column
        sources = (*d.add, *d.subtract)
        found = {h: positions.get(split_unit(normalise(h))[0]) for h in sources}
        missing = [h for h, at in found.items() if at is None]
        if len(missing) == len(sources):
            continue  # a sheet without any of its headers (a map for several sheets)
        if missing:
            raise _missing_source(
                where, sheet, column, missing[0], [">".join(c) for c in block.cells]
            )
        parts = [(h, at) for h, at in found.items() if at is not None]
        for h, at in parts:
            if at in sheet.hidden_columns:
                no_hidden_column(h, column, at, *sheet.wheres(where))
        total = np.zeros(body.num_rows)
        isnull = np.zeros(body.num_rows, dtype=np.bool_)
        units = set()
        for k, (h, at) in enumerate(parts):
            values = as_numbers(body.column(at))
            if values is None:
                raise DataError(
                    f"read_table: {where}{sheet.on()} header {h!r} (for {column!r}) must hold "
                    "numbers."
                )
            # Each header in its own unit, as the sheet writes it (教学仪器设备值（万元）).
            unit, scale = unit_and_scale(block.cells[at], column, where)
            units.add((unit, scale))
            x = np.asarray(numbers(values), dtype=np.float64) * scale
            isnull |= np.asarray(values.is_null(), dtype=np.bool_)
            total = total + x if k < len(d.add) else total - x
        columns[column] = array(np.round(total, 6), mask=isnull)
        shown = " + ".join(d.add) + "".join(f" - {h}" for h in d.subtract)
        headers[column] = shown
        # One unit of every header is the column's; several are each applied (none named).
        unit, scale = units.pop() if len(units) == 1 else (None, 1.0)
        used.append(UsedHeader(sheet.name, shown, column, unit, scale, d.note))


def _missing_source(
    where: str, sheet: Sheet, column: str, header: str, headers: list[str]
) -> DataError:
    """A derived column of the column map whose source ``header`` the sheet does not have
    while it has its others (a slip in the map, or in the sheet)."""
    near = difflib.get_close_matches(header, [h for h in headers if h], n=1, cutoff=0.6)
    see = f" The table has {near[0]!r}." if near else ""
    see_zh = f"表中有 {near[0]!r}。" if near else ""
    return DataError(
        f"read_table: {where}{sheet.on()} the column map makes {column!r} from header "
        f"{header!r}, which is not in the table, while its other headers are (a derived column "
        f"is made from the headers of one sheet).{see} Correct the map (or the header).",
        zh=f"{where}{sheet.on('zh')}列映射由表头 {header!r} 计算 {column!r}，但表中没有该表头"
        f"（其余表头都有；派生列只由同一工作表的表头计算）。{see_zh}请改正列映射（或表头）。",
    )
