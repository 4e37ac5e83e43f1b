"""Finding the table in a sheet: the header rows below any title rows, joined where the headers
take two or three rows, each header matched to a column, and the rows that are not schools.

A header block is the rows (one to three) that name the columns; the rows above it are titles.
The block chosen is the one whose headers name the most distinct known columns (a column map's,
or the national forms' names); on a tie, the one with fewer headers refused (for a unit that does
not fit), then fewer headers naming a column twice, then one not followed by a row of headers
(a second header row naming nothing known is still headers, not a school), then the smallest;
a block followed by a row of units alone (人 | 平方米 | 万元) comes after every other, as the
units are the header's last row.
In a block of several rows, a cell left empty to the right of a group label (a merged 小学
over 在校生数 and 专任教师数) takes the label where the workbook records the merge; in a CSV,
which records none, the label carries to the right over the cells with a header below them. A
header is named by its cells joined with ``>`` (``小学>在校生数``); a unit written on a label
is the unit of the columns under it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import attrs

from eduequity._errors import DataError
from eduequity.batch._columnmap import ColumnMap, MapEntry
from eduequity.batch._headers import (
    STAGE_OF_WORD,
    UNITS,
    check_unit,
    known_headers,
    normalise,
    split_unit,
)

__all__ = [
    "Block",
    "Match",
    "column_number_row",
    "find_block",
    "grand_total_words",
    "match_header",
    "part_words",
    "path_keys",
    "total_words",
    "unit_and_scale",
]

#: How many rows at the top of a sheet the headers are looked for in.
TOP_ROWS = 30

# The full-width and non-breaking spaces are the characters themselves: Arrow's regular
# expressions (RE2) take no \u, and their \s is ASCII only.
_SPACE = "[\\s\u3000\u00a0]"
#: 全县, 全区 before a total's word, spaced out or not (全 县 合 计, as offices align it).
_WHOLE = f"(?:全{_SPACE}*[县市区省]{_SPACE}*)?"
_TOTAL = re.compile(
    f"^{_SPACE}*(?:{_WHOLE}[合总小]{_SPACE}*计"
    # or a place's total, the cell ending in it (南昌县合计, 南昌县 合计, 第1学区小计)
    f"|[^\\s\u3000\u00a0]{{1,15}}{_SPACE}*[合总小]{_SPACE}*计{_SPACE}*$)"
)
#: A cell that is a sheet's grand total alone: 合计, 总计, 全县合计, 合计：, 总计（全县）; not a
#: place's total (城关镇小计, 南昌县合计).
_GRAND_TOTAL = re.compile(
    f"^{_SPACE}*{_WHOLE}[合总]{_SPACE}*计{_SPACE}*(?:[:：]|[(（][^)）]*[)）])?{_SPACE}*$"
)
#: A cell that starts a part of the total above it (其中：民办学校, 其中 农村学校: "of which").
_PART = re.compile("^[\\s\u3000\u00a0]*其中")
#: A cell that heads a section of the schools below it: numbered (一、城区学校, （二）乡镇学校,
#: 3. 教学点) or a place's kind alone (农村学校, 城区：).
_NUMERAL = "(?:[一二三四五六七八九十]+|[0-9０-９]+)"
_SECTION = re.compile(
    f"^{_SPACE}*(?:{_NUMERAL}{_SPACE}*[、.．]|[（(]{_SPACE}*{_NUMERAL}{_SPACE}*[)）])"
    rf"{_SPACE}*[^\s　 0-9０-９.．]"
    f"|^{_SPACE}*(?:城区|镇区|乡村|农村|城镇|县城|乡镇)(?:学校|小学|初中|中学)?{_SPACE}*[:：]?{_SPACE}*$"
)
#: The cells under a label that are its total (在校生数 > 合计).
_TOTAL_CELLS = ("合计", "计", "小计", "总计")
_COLUMN_NUMBERS = ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛")


def total_words() -> re.Pattern[str]:
    """The pattern of a cell that starts a total row (合计, 总计, 小计, 全县合计), or that is
    a place's total (南昌县合计, 城关镇小计)."""
    return _TOTAL


def grand_total_words() -> re.Pattern[str]:
    """The pattern of a cell that is a sheet's grand total alone (合计, 全县合计, 合计：), a
    total row of :func:`total_words` that is not a place's."""
    return _GRAND_TOTAL


def part_words() -> re.Pattern[str]:
    """The pattern of a cell that starts a part of the total above it (其中：民办学校)."""
    return _PART


@attrs.frozen
class Match:
    """What one header names: the column (None if none), the factor of its unit, its unit,
    the map entry's note, and why it is not used (if it is not)."""

    column: str | None
    scale: float = 1.0
    unit: str | None = None
    note: str = ""
    reason: str = ""


@attrs.frozen
class Block:
    """The header block found: its first row and number of rows (from 0, in the rows given),
    and each column's header cells (top to bottom, the empty ones left out)."""

    first: int
    depth: int
    cells: tuple[tuple[str, ...], ...]

    @property
    def headers(self) -> list[str]:
        """Each column's header as written (its cells joined with ``>``)."""
        return [">".join(c) for c in self.cells]


def _entry(
    key: str, mapped: Mapping[str, MapEntry], known: Mapping[str, str]
) -> tuple[str, MapEntry | None] | None:
    if key in mapped:
        return mapped[key].column, mapped[key]
    if key in known:
        return known[key], None
    return None


def path_keys(cells: Sequence[str]) -> tuple[str, str]:
    """A header's path as a column map names it: as written (a map copies the account's
    面积（平方米）>教学用房) and without its labels' units (面积>教学用房), normalised, without
    the unit of its own cell."""
    split = [split_unit(normalise(c)) for c in cells]
    written = ">".join([*(normalise(c) for c in cells[:-1]), split[-1][0]])
    return written, ">".join(base for base, _ in split)


def match_header(
    cells: Sequence[str],
    mapped: Mapping[str, MapEntry],
    stage: str | None,
    where: str,
) -> Match:
    """The column a header (its cells, top to bottom) names.

    Tried in order: the map on the whole path (``在校生数>合计``), the map or the known names on
    the cells run together (``小学`` + ``在校生数``), a stage word above a stage-free header, the
    lowest cell alone (a group label above a known name), the lowest cell before its label
    (``小学`` under ``专任教师数``), and the label over its total (``专任教师数`` over ``合计``).
    """
    if not cells:
        return Match(None)
    known = known_headers()
    norm = [normalise(c) for c in cells]
    split = [split_unit(c) for c in norm]
    *upper, last_base = [base for base, _ in split]
    tries = [*path_keys(cells), "".join([*upper, last_base])] if upper else [last_base]
    found = None
    for key in tries:
        found = _entry(key, mapped, known)
        if found:
            break
    group_stage = STAGE_OF_WORD.get(upper[0]) if upper else None
    if found is None and upper:
        rest = "".join([*upper[1:], last_base])
        # or the lowest cell alone, or before its label (小学 under 专任教师数（人）, 25人及以下
        # under 班数（个）), or the label where the lowest cell is its total (合计 under
        # 专任教师数（人）, beside 其中：… columns)
        found = (
            _entry(rest, mapped, known)
            or _entry(last_base, mapped, known)
            or _entry(last_base + upper[-1], mapped, known)
            or _total_of(_label(upper, group_stage), last_base, mapped, known)
        )
        if found and group_stage and "{stage}" not in found[0]:
            return Match(
                None,
                reason=f"a {group_stage} figure of {found[0]!r}, which is one total per school "
                "(eduequity splits it between the stages itself)",
            )
    if found is None:
        return Match(None)
    column, entry = found
    if "{stage}" in column and (group_stage or stage):
        column = column.replace("{stage}", group_stage or stage or "")
    header = ">".join(cells)
    unit = _unit_of(header, split, where)
    if entry is not None and entry.unit and unit and entry.unit != unit:
        raise DataError(
            f"read_table: {where} header {header!r} says {unit!r}, but the column map says "
            f"{entry.unit!r}; correct one of them.",
            zh=f"{where} 表头 {header!r} 的单位是 {unit!r}，列映射却写 {entry.unit!r}；"
            "请改正其一。",
        )
    if entry is not None and (entry.unit or entry.scale != 1):
        return Match(column, entry.scale, entry.unit or unit, entry.note)
    scale = check_unit(header, column, unit, where) if unit else 1.0
    return Match(column, scale, unit, entry.note if entry else "")


def unit_and_scale(cells: Sequence[str], column: str, where: str) -> tuple[str | None, float]:
    """The unit a header (its cells, top to bottom) says, its own or its label's, and the factor
    that brings it to ``column``'s unit (1 without a unit); a unit that does not fit the column,
    or two units on one header, is refused. A header of a derived column is read with its
    unit so (a source in 万元 counts ten thousand yuan)."""
    header = ">".join(cells)
    unit = _unit_of(header, [split_unit(normalise(c)) for c in cells], where)
    return unit, (check_unit(header, column, unit, where) if unit else 1.0)


def _total_of(
    label: str, cell: str, mapped: Mapping[str, MapEntry], known: Mapping[str, str]
) -> tuple[str, MapEntry | None] | None:
    """The column of a label over its total (专任教师数 over 合计): an amount, never the class
    sizes (班额 over 合计 counts classes, it lists no size)."""
    if cell not in _TOTAL_CELLS:
        return None
    found = _entry(label, mapped, known)
    if found is None or found[0].startswith("class_sizes"):
        return None
    return found


def _label(upper: list[str], group_stage: str | None) -> str:
    """The labels above a total run together, without the stage word above them (小学 >
    在校生数 > 合计 is 在校生数 of the primary stage)."""
    return "".join(upper[1:] if group_stage else upper)


def _unit_of(header: str, split: list[tuple[str, str | None]], where: str) -> str | None:
    """The unit of a used header: its own cell's, else the nearest label's above it (班额（班）
    over 25人及以下). Labels that say a different unit (资产（万元） over 教学仪器设备值（元）)
    are refused; units of one meaning (m2 and 平方米, 人 and 名) are one."""
    written = [u for _, u in reversed(split) if u is not None]
    if not written:
        return None
    own = written[0]

    def meaning(unit: str) -> tuple[str, float]:
        return UNITS[unit].kind, UNITS[unit].scale

    other = next((u for u in written if meaning(u) != meaning(own)), None)
    if other is not None:
        raise DataError(
            f"read_table: {where} header {header!r} says two units ({other!r} and {own!r}); "
            "correct the header, or map it with columns= (--columns).",
            zh=f"{where} 表头 {header!r} 写了两个单位（{other!r} 和 {own!r}）；请改正表头，或用"
            "列映射（--columns）说明。",
        )
    return own


def _filled(
    rows: Sequence[Sequence[str | None]],
    first: int,
    depth: int,
    width: int,
    merges: Sequence[tuple[int, int, int, int]] | None,
) -> list[list[str | None]]:
    """The block's rows with merged cells filled (from the merges, or for a CSV, a label
    carried right over the cells with a header below it)."""
    block = [
        [(rows[r][c] if c < len(rows[r]) else None) for c in range(width)]
        for r in range(first, first + depth)
    ]
    block = [[None if v is None or not str(v).strip() else str(v) for v in row] for row in block]
    if merges is not None:
        for r1, c1, r2, c2 in merges:
            if not (first <= r1 < first + depth) or not 0 <= c1 < width:
                continue
            value = block[r1 - first][c1]
            for r in range(r1, min(r2, first + depth - 1) + 1):
                for c in range(c1, min(c2, width - 1) + 1):
                    if (r, c) != (r1, c1):
                        block[r - first][c] = value
        return block
    for i in range(depth - 1):
        label = None
        for c in range(width):
            if block[i][c] is not None:
                label = block[i][c]
            elif label is not None and any(block[j][c] is not None for j in range(i + 1, depth)):
                block[i][c] = label
            else:
                label = None
    return block


def _cells(block: list[list[str | None]], width: int) -> tuple[tuple[str, ...], ...]:
    out = []
    for c in range(width):
        cells: list[str] = []
        for row in block:
            v = row[c]
            if v is not None and (not cells or cells[-1] != v):
                cells.append(v)
        out.append(tuple(cells))
    return tuple(out)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def section_heading(cells: Sequence[object]) -> bool:
    """Whether the non-empty cells of a row are one section heading (一、城区学校, （二）乡镇
    学校, 农村学校), written once or merged over several cells: a label of the schools below
    it, neither a header nor a school."""
    texts = {str(v).strip() for v in cells if v is not None and str(v).strip()}
    return len(texts) == 1 and _SECTION.search(texts.pop()) is not None


def _units_row(row: Sequence[object]) -> bool:
    """Whether every non-empty cell of a row is a unit alone, bare or in parentheses (人 |
    平方米 | 万元, or （人） | （平方米）): the units of the headers above it, part of the
    header."""
    texts = [str(v) for v in row if v is not None and str(v).strip()]
    return bool(texts) and all(split_unit(normalise(v))[0] == "" for v in texts)


def _header_like(row: Sequence[str | None]) -> bool:
    """Whether a row may be part of a header block: some text, no cell a number, and not a
    section heading under the headers (一、城区学校)."""
    texts = [str(v) for v in row if v is not None and str(v).strip()]
    return bool(texts) and not any(_is_number(v) for v in texts) and not section_heading(texts)


def find_block(
    rows: Sequence[Sequence[str | None]],
    cmap: ColumnMap | None,
    stage: str | None,
    where: str,
    merges: Sequence[tuple[int, int, int, int]] | None = None,
    header_row: int | None = None,
) -> Block:
    """The header block of ``rows`` (see the module docs); ``header_row`` fixes its first
    row. Refuse a sheet in which no rows name at least two known columns."""
    mapped = cmap.lookup() if cmap else {}
    width = max((len(r) for r in rows), default=0)
    # whole, named, -refused, -again, ends, -depth, -first
    best: tuple[bool, int, int, int, bool, int, int] | None = None
    starts = [header_row] if header_row is not None else range(min(len(rows), TOP_ROWS))
    for first in starts:
        if first >= len(rows):
            break
        for depth in (1, 2, 3):
            if first + depth > len(rows):
                break
            if not _header_like(rows[first + depth - 1]):
                break
            block = _filled(rows, first, depth, width, merges)
            # The distinct columns named (a label merged over ten columns names one), a
            # header refused for its unit counting as the column it names (so that the block
            # is read and the refusal said); on a tie, the block with fewer refused headers,
            # then fewer headers naming a column named already.
            named: set[object] = set()
            again = refused = 0
            for cells in _cells(block, width):
                column: object
                try:
                    column = match_header(cells, mapped, stage, where).column
                except DataError:
                    column, refused = cells, refused + 1
                if column:
                    again += column in named
                    named.add(column)
            # A block followed by a row of headers leaves it to be read as a school; one
            # followed by a row of units is never the header (the units are its last row).
            after = first + depth
            ends = after >= len(rows) or not _header_like(rows[after])
            whole = after >= len(rows) or not _units_row(rows[after])
            key = (whole, len(named), -refused, -again, ends, -depth, -first)
            if best is None or key > best:
                best = key
    if best is None or best[1] < 2:
        seen = next((r for r in rows if any(v is not None for v in r)), [])
        shown = [str(v) for v in seen if v is not None][:8]
        raise DataError(
            f"read_table: {where}: no row of the first {TOP_ROWS} names the columns eduequity "
            "reads (学校标识码, 行政区划代码, 学校类型, 小学在校生数 ...; see "
            f"`eduequity template`). The first row holds {shown}. Give the header row "
            "(header_row=, --header-row, from 0) or a column map (columns=, --columns).",
            zh=f"{where}：前 {TOP_ROWS} 行中没有一行是 eduequity 能读的表头（学校标识码、"
            "行政区划代码、学校类型、小学在校生数……，见 `eduequity template`）。"
            f"第一行是 {shown}。请指定表头所在行（--header-row，从 0 起）或列映射"
            "（--columns）。",
        )
    first, depth = -best[6], -best[5]
    block = _filled(rows, first, depth, width, merges)
    return Block(first, depth, _cells(block, width))


def column_number_row(row: Sequence[str | None]) -> bool:
    """Whether a row under the headers numbers the columns (栏次: 甲, 乙, 1, 2, 3 ...)."""
    values = [str(v).strip() for v in row if v is not None and str(v).strip()]
    if len(values) < 2:
        return False
    numbers = [v for v in values if v not in _COLUMN_NUMBERS]
    try:
        ints = [int(float(v)) for v in numbers]
    except ValueError:
        return False
    return ints == list(range(ints[0], ints[0] + len(ints))) if ints else True
