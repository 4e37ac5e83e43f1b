"""Which sheets of a workbook hold the table of schools, where none is asked for: the one
whose headers name every required column; several such sheets are refused, naming them."""

from __future__ import annotations

from eduequity._errors import DataError
from eduequity._schema import COLUMNS
from eduequity.batch._columnmap import ColumnMap
from eduequity.batch._layout import find_block, match_header
from eduequity.batch._sources import Sheet

__all__ = ["school_sheets"]

_REQUIRED = [c for c in COLUMNS if c.required]


def school_sheets(
    sheets: list[Sheet], cmap: ColumnMap | None, header_row: int | None, where: str
) -> tuple[list[Sheet], list[tuple[str, str]], list[tuple[str, str]]]:
    """With no sheet asked for: the one sheet whose headers name the required columns, the others
    with their reason, and a note of the choice; refuse several such sheets (reading one
    would drop the others' schools without a word)."""
    found: list[Sheet] = []
    mapped = cmap.lookup() if cmap else {}
    for s in sheets:
        try:
            block = find_block(s.top, cmap, s.stage, where, s.merges, header_row)
        except DataError:
            continue
        named: set[str | None] = set()
        for cells in block.cells:
            try:
                named.add(match_header(cells, mapped, s.stage, where).column)
            except DataError:  # a unit that does not fit: said when the sheet is read
                continue
        # A table of schools names every required column (a sheet of notes on the
        # columns, as the template's, names some of them in a row too).
        if all(c.name in named for c in _REQUIRED):
            found.append(s)
    if len(found) > 1:
        names = ", ".join(repr(s.name) for s in found)
        names_zh = "、".join(repr(s.name) for s in found)
        first = found[0].name
        raise DataError(
            f"read_table: {where!r} has {len(found)} sheets with a table of schools: {names}. "
            f'Say which to read: sheet="all" (--sheet all) reads them as one table; '
            f"sheet={first!r} (--sheet {first}) reads one.",
            zh=f"{where!r} 有 {len(found)} 个工作表含学校表：{names_zh}。请指明读取哪些："
            f'sheet="all"（--sheet all）合并读取全部；sheet={first!r}（--sheet {first}）'
            "只读一个。",
        )
    chosen = found or sheets[:1]  # none: the first sheet's own error says why
    read = {s.name for s in chosen}
    not_read = [(s.name, "no table of schools") for s in sheets if s.name not in read]
    note: list[tuple[str, str]] = []
    if found:
        name = found[0].name
        note.append(
            (
                f"sheet {name!r} read: the only one of {len(sheets)} sheets with a table of "
                "schools",
                f"读取工作表 {name!r}：{len(sheets)} 个工作表中唯一含学校表的一个",
            )
        )
    return chosen, not_read, note
