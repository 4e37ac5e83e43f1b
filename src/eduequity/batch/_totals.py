"""A sheet's grand total (合计) against the schools read: where they do not add up, what was
read says so (a school left out or read twice, or a total the office did not update)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, numbers
from eduequity.batch._layout import Block, Match, grand_total_words
from eduequity.batch._rows import as_numbers
from eduequity.batch._sources import Sheet

__all__ = ["grand_total_rows", "total_differs"]


def grand_total_rows(
    body: pa.Table, positions: Sequence[int], totals: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Of the ``totals`` rows, those one of whose cells in ``positions`` is a grand total's
    word alone (:func:`~eduequity.batch._layout.grand_total_words`): only those rows' cells
    are matched."""
    found = np.zeros(body.num_rows, dtype=np.bool_)
    rows = np.flatnonzero(totals)
    if not rows.size:
        return found
    at = array(rows)
    pattern = grand_total_words().pattern
    for i in positions:
        col = body.column(i)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            cells = col.take(at)
            found[rows] |= bools(pc.match_substring_regex(cells, pattern), null=False)
    return found


def total_differs(
    grand_total: tuple[pa.Table, int],
    block: Block,
    matches: Sequence[Match],
    columns: Mapping[str, pa.Array],
    sheet: Sheet,
    is_text: Callable[[str], bool],
) -> list[tuple[str, str]]:
    """Where the schools read do not add up to the sheet's grand total (合计), column by
    column as the sheet writes them (in each header's unit, to 0.005 of it): a school left
    out or read twice, or a total the office did not update. Empty where they do, or where
    no column can be compared (text; the headers a derived column is made from are not
    compared)."""
    row, at = grand_total
    differs = []
    for i, m in enumerate(matches):
        if m.column is None or m.column not in columns or is_text(m.column):
            continue
        if i >= row.num_columns:
            continue
        said, read = as_numbers(row.column(i)), as_numbers(columns[m.column])
        if said is None or read is None or said.null_count:
            continue
        total = float(numbers(said)[0])
        schools = float(np.nansum(np.asarray(numbers(read), dtype=np.float64))) / m.scale
        if abs(total - schools) > 0.005 + 1e-12 * abs(total):
            differs.append((">".join(block.cells[i]), total, schools))
    if not differs:
        return []
    named = sheet.name and not (sheet.frame or sheet.csv)  # a CSV file or a frame: no sheet
    on = f" of sheet {sheet.name!r}" if named else ""
    on_zh = f"工作表 {sheet.name!r} " if named else ""
    shown = differs[:5]
    more = len(differs) - len(shown)
    en = "; ".join(f"{h!r} {_number(t)} against {_number(s)}" for h, t, s in shown)
    zh = "；".join(f"{h!r} 合计 {_number(t)}，各校之和 {_number(s)}" for h, t, s in shown)
    return [
        (
            f"the total row {at}{on} does not add up to the schools read: {en}"
            + (f"; and {more} more column(s)" if more else "")
            + " (a school left out or read twice, or a total not updated: check the rows)",
            f"{on_zh}第 {at} 行合计与所读各校之和不符：{zh}"
            + (f"；另有 {more} 列" if more else "")
            + "（可能漏读或重复读取学校，或合计未更新：请核对各行）",
        )
    ]


def _number(value: float) -> str:
    """A figure as the note shows it: to 2 decimals, without trailing zeros."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
