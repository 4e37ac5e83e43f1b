"""Rows and columns hidden in Excel: refused where they would be read as schools or figures.

An office hides a school it took out (撤并, 停办) as often as it hides one it keeps for the
print, so a hidden row the reader would take as a school is refused, named by its row, id and
name, with what to do: unhide it to count it, or delete it. Hidden blank, total and label rows
are set aside as any other. A hidden column is refused where it would fill a column, for
the same reason (an office keeps last year's figure, or one it replaced, hidden beside the new
one); one that fills none is listed as not used, and hidden.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity._errors import DataError
from eduequity.batch._rows import column_letter, school_named

__all__ = ["no_hidden_column", "no_hidden_school"]


def no_hidden_school(
    hidden: frozenset[int],
    rows: NDArray[np.int64],
    drop: NDArray[np.bool_],
    body: pa.Table,
    named: list[int],
    where: str,
    where_zh: str,
) -> None:
    """Refuse the rows of ``body`` (sheet rows ``rows``) hidden in Excel (``hidden``) that
    would be read as schools (not ``drop``): a :class:`~eduequity.DataError` names the first
    five by their row and the cells of the columns ``named`` (the school's id and name);
    ``where`` and ``where_zh`` name the sheet."""
    at = np.flatnonzero(~drop & np.isin(rows, np.fromiter(hidden, np.int64, len(hidden))))
    if at.size == 0:
        return
    said = []
    for i in at[:5].tolist():
        said.append((int(rows[i]), school_named(body, i, named)))
    more = f" and {at.size - 5} more" if at.size > 5 else ""
    more_zh = f"等 {at.size} 行" if at.size > 5 else ""
    en = ", ".join(f"row {r}" + (f" {n!r}" if n else "") for r, n in said)
    zh = "、".join(f"第 {r} 行" + (f"（{n}）" if n else "") for r, n in said)
    raise DataError(
        f"read_table: {where} {at.size} row(s) hidden in Excel would be read as schools: "
        f"{en}{more}. A hidden row is often a school taken out (merged, closed): unhide it to "
        "count it, or delete it, and read the file again.",
        zh=f"{where_zh}Excel 中隐藏的 {at.size} 行将作为学校读入：{zh}{more_zh}。"
        "隐藏的行常是已撤并、停办的学校：应计入的请取消隐藏，不应计入的请删除该行，再重新读取。",
    )


def no_hidden_column(header: str, column: str, i: int, where: str, where_zh: str) -> None:
    """Refuse the column ``i`` (numbered from 0), hidden in Excel, that ``header`` would read
    as ``column``; ``where`` and ``where_zh`` name the sheet."""
    letter = column_letter(i)
    raise DataError(
        f"read_table: {where} column {letter} {header!r} is hidden in Excel and would be read "
        f"as {column!r}. A hidden column is often a figure kept aside (last year's, or one "
        "replaced): unhide it to read it, or delete it, and read the file again.",
        zh=f"{where_zh}第 {letter} 列 {header!r} 在 Excel 中隐藏，将作为 {column!r} 读入。"
        "隐藏的列常是另存的数（上年的，或已被替换的）：应读入的请取消隐藏，不应读入的请删除"
        "该列，再重新读取。",
    )
