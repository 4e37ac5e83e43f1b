"""Cells and rows of a sheet's body: text trimmed, blank, total, label and id-less rows, units
applied, merged cells filled down."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, floats, numbers, one, scalar
from eduequity._errors import DataError
from eduequity.batch._layout import Match, part_words, section_heading, total_words


def trimmed_text(
    col: pa.ChunkedArray | pa.Array, empty_is_null: bool = True, trim: bool = True
) -> pa.Array:
    """A column as trimmed text (full-width spaces too; untrimmed with ``trim=False``); an
    empty cell as null, unless ``empty_is_null`` is false (a name left empty stays an empty
    name)."""
    if pa.types.is_dictionary(col.type):
        col = one(col)
        col = col.dictionary.cast(pa.string()).take(col.indices)
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        if pa.types.is_string_view(col.type):
            col = col.cast(pa.string())
        else:
            return col
    trimmed = pc.utf8_trim_whitespace(col) if trim else col
    # The byte lengths come from the offsets: no empty cell, nothing to make null.
    if not empty_is_null or (len(trimmed) and pc.min(pc.binary_length(trimmed)).as_py()):
        return trimmed
    null = pa.nulls(1, trimmed.type)[0]
    return pc.if_else(pc.equal(trimmed, scalar("", trimmed.type)), null, trimmed)


def half_width(col: pa.Array) -> pa.Array:
    """Codes typed with a Chinese input method (４１０５２３, a school id in full-width digits)
    as the digits and letters they are (Unicode NFKC); a column all in ASCII as it is."""
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return col
    if pc.all(pc.string_is_ascii(col)).as_py() is not False:
        return col
    return pc.utf8_normalize(col, "NFKC")


def blank_rows(table: pa.Table) -> NDArray[np.bool_]:
    """Rows with nothing in them (empty cells, or only spaces)."""
    blank = np.ones(table.num_rows, dtype=np.bool_)
    # A column of numbers without an empty cell rules every row out at once: look at those
    # first.
    columns = sorted(table.columns, key=lambda c: (is_text(c.type), c.null_count))
    for col in columns:
        if col.null_count == 0 and not is_text(col.type):
            return np.zeros(table.num_rows, dtype=np.bool_)
        blank &= _empty(col)
        if not blank.any():
            break
    return blank


def _empty(col: pa.ChunkedArray | pa.Array) -> NDArray[np.bool_]:
    """Each cell of ``col`` with nothing in it: empty, or only spaces."""
    empty = col.is_null()
    if is_text(col.type):
        trimmed = pc.utf8_trim_whitespace(as_string(col))
        empty = pc.or_(empty, pc.equal(trimmed, scalar("", pa.string())))
    return bools(empty, null=True)


def shown_cell(value: object) -> str:
    """A cell as the record and the messages show it: a whole number without ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def school_named(body: pa.Table, i: int, named: Sequence[int]) -> str:
    """Row ``i`` of ``body`` as a message names its school: its cells in the columns ``named``
    (the school's id and name), as shown; empty where it has none."""
    cells = body.slice(i, 1).to_pylist()[0]
    return " ".join(shown_cell(cells[str(j)]) for j in named if cells.get(str(j)) is not None)


def is_text(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)
    )


def as_string(col: pa.ChunkedArray) -> pa.ChunkedArray:
    return col if col.type == pa.string() else col.cast(pa.string())


def may_hold(text: pa.ChunkedArray | pa.Array, *needles: str) -> bool:
    """Whether some cell of ``text`` (strings) may hold one of ``needles``: False only where
    none is anywhere in its characters (each needle looked for in the bytes of the column's
    text where they are, no cell looked at alone and no copy of the text)."""
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    for chunk in chunks:
        data = chunk.buffers()[2]
        if data is None:
            continue
        # One comparison over the bytes (a regular expression with several needles reads a
        # column of 300,000 ids in about 30 ms; this in under 1 ms).
        held = np.frombuffer(data, dtype=np.uint8)
        if any(_holds(held, n.encode()) for n in needles):
            return True
    return False


def _holds(data: NDArray[np.uint8], needle: bytes) -> bool:
    """Whether ``needle`` is in ``data``: where its first byte is, then its other bytes
    after it.

    Examples
    --------
    >>> _holds(np.frombuffer("合计".encode(), np.uint8), "计".encode())
    True
    >>> _holds(np.frombuffer(b"12:3", np.uint8), "：".encode())
    False
    """
    at = np.flatnonzero(data[: max(data.size - len(needle) + 1, 0)] == needle[0])
    for k in range(1, len(needle)):
        if not at.size:
            break
        at = at[data[at + k] == needle[k]]
    return bool(at.size)


def total_rows(table: pa.Table, positions: Sequence[int]) -> NDArray[np.bool_]:
    """Rows whose text in the given columns starts a total (合计, 总计, 小计)."""
    return _rows_saying(table, positions, "计", total_words().pattern)


def part_rows(table: pa.Table, positions: Sequence[int]) -> NDArray[np.bool_]:
    """Rows whose text in the given columns starts a part of the total above them
    (其中：民办学校); the reader sets aside those without a school id (a category's cell
    merged down over its schools fills their rows with it too)."""
    return _rows_saying(table, positions, "其中", part_words().pattern)


def _rows_saying(
    table: pa.Table, positions: Sequence[int], word: str, pattern: str
) -> NDArray[np.bool_]:
    """Rows whose text in the given columns matches ``pattern``, every match holding
    ``word``: the word is found literally first, then only those cells are matched."""
    found = np.zeros(table.num_rows, dtype=np.bool_)
    for i in positions:
        col = table.column(i)
        if not is_text(col.type):
            continue
        text = as_string(col)
        if not may_hold(text, word):
            continue
        maybe = np.flatnonzero(bools(pc.match_substring(text, word)))
        if maybe.size:
            hit = pc.match_substring_regex(text.take(array(maybe)), pattern)
            found[maybe[bools(hit)]] = True
    return found


# The signatures under a form (填表人：张三 审核人：李四 填表日期：…). The full-width space
# is the character itself (Python's escape): Arrow's regular expressions (RE2) take no \u.
_FOOTER = (
    "^[\\s\u3000]*(?:填表人|填报人|制表人|审核人|复核人|负责人|单位负责人|统计负责人|"
    "填表日期|填报日期|制表日期|报送日期)[\\s\u3000]*[:：]"
)


# The notes under a table (注：1. 数据截至…, 说明：…, 备注：…).
_NOTES = "^[\\s\u3000]*(?:注|说明|备注|附注)[\\s\u3000]*[0-9]*[\\s\u3000]*[:：]"


def footer_rows(
    table: pa.Table, positions: Sequence[int]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Rows whose text in the given columns starts a form's footer (填表人：, 审核人：,
    填表日期：), and rows that start the notes under its table (注：, 说明：, 备注：)."""
    found = np.zeros(table.num_rows, dtype=np.bool_)
    notes = np.zeros(table.num_rows, dtype=np.bool_)
    for i in positions:
        col = table.column(i)
        if not is_text(col.type):
            continue
        text = as_string(col)
        if not may_hold(text, ":", "："):
            continue
        # Every footer has a colon: find one literally first, then match only those cells.
        colon = pc.or_(pc.match_substring(text, ":"), pc.match_substring(text, "："))
        maybe = np.flatnonzero(bools(colon))
        if maybe.size:
            cells = text.take(array(maybe))
            found[maybe[bools(pc.match_substring_regex(cells, _FOOTER))]] = True
            notes[maybe[bools(pc.match_substring_regex(cells, _NOTES))]] = True
    return found, notes


def merged_kinds(
    body: pa.Table, across: Sequence[tuple[int, int, int, int]], positions: Sequence[int]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """The body rows of a cell merged across columns (``across``: first and last row, first
    and last column, as :func:`fill_merges` gives them) that reaches one of ``positions``
    (where totals and footers are looked for) and reads as a total, a footer or a note: its
    text is in its first column only (合计 merged over 片区, 学校标识码 and 学校名称)."""
    n = body.num_rows
    kinds = (np.zeros(n, np.bool_), np.zeros(n, np.bool_), np.zeros(n, np.bool_))
    reach = [(a, c1, b) for a, c1, b, c2 in across if any(c1 <= p <= c2 for p in positions)]
    if not reach:
        return kinds
    cells = [body.column(c1)[a].as_py() for a, c1, _ in reach]
    text = pa.table({"cell": pa.array([None if v is None else str(v) for v in cells], pa.string())})
    found = (total_rows(text, [0]), *footer_rows(text, [0]))
    for (a, _, b), *hits in zip(reach, *found, strict=True):
        for mask, hit in zip(kinds, hits, strict=True):
            mask[a : b + 1] |= hit
    return kinds


def as_numbers(col: pa.ChunkedArray | pa.Array) -> pa.Array | None:
    """A column as float64, or None where some text is not a number (the validator says
    which)."""
    col = one(col)
    if is_text(col.type) or pa.types.is_dictionary(col.type):
        col = trimmed_text(col)
    try:
        return col.cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def scaled(col: pa.Array, scale: float) -> pa.Array | None:
    """Values times ``scale``, rounded to 1e-6 of the unit so that 1.2345 万元 is 12,345 yuan
    and not 12,344.999999999998."""
    values = as_numbers(col)
    if values is None:
        return None
    x = np.asarray(numbers(values), dtype=np.float64) * scale
    return array(np.round(x, 6), mask=bools(values.is_null()))


def column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def fill_merges(
    body: pa.Table, merges: Sequence[tuple[int, int, int, int]], skip: int
) -> tuple[pa.Table, int, list[tuple[int, int, int, int]]]:
    """Fill merged cells of the body down from their first cell (a county's code merged over
    its schools), and return, with the count of cells filled, the merges across columns that
    reach the body, in rows of the body: their other columns are left empty, never given the
    first column's figure (which of the columns it is cannot be known; a school's row with
    one is refused by the reader, a total or footer row is set aside)."""
    n = body.num_rows
    sources: dict[int, NDArray[np.intp]] = {}
    across: list[tuple[int, int, int, int]] = []
    filled = 0
    for r1, c1, r2, c2 in merges:
        if r2 < skip or (r1 == r2 and c1 == c2):
            continue
        a, b = max(r1 - skip, 0), min(r2 - skip, n - 1)
        if a > b or c1 >= body.num_columns:
            continue
        if c2 > c1:
            across.append((a, c1, b, min(c2, body.num_columns - 1)))
        if b > a:  # down: the first row's value in the merge's first column
            src = sources.setdefault(c1, np.arange(n, dtype=np.intp))
            src[a : b + 1] = a
            filled += b - a
    if not sources:
        return body, 0, across
    cols = list(body.columns)
    for c, src in sources.items():
        cols[c] = body.column(c).take(array(src))
    return pa.table(cols, names=body.column_names), filled, across


#: The columns of codes a frame may hold as numbers (what ``pandas.read_excel`` gives).
CODE_COLUMNS = ("school_id", "county_code")


def codes_as_text(
    columns: dict[str, pa.Array],
    headers: dict[str, str],
    where: str,
    notes: list[tuple[str, str]],
) -> None:
    """Read a column of codes given as numbers (``320102`` or ``320102.0``) as the text of
    the whole number, and say so in ``notes``; an empty cell (NaN) is empty. Refuse a
    number that is not whole, naming the header and the value: a code is never guessed.

    Codes as the forms write them (6-digit county codes, 10-digit school ids) begin with a
    province's digits, never 0, and are exact in a float: the whole number is the code."""
    for name in CODE_COLUMNS:
        col = columns.get(name)
        if col is None:
            continue
        col = one(col)
        kind = col.type
        if not (
            pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)
        ):
            continue
        header = headers.get(name, name)
        if pa.types.is_integer(kind):  # the integers' own digits, however many
            text = pc.cast(col, pa.string())
            empty = bools(col.is_null())
        else:
            x = floats(col)
            empty = np.isnan(x)
            bad = ~empty & ((x != np.floor(x)) | (np.abs(x) >= 2.0**53))
            if bad.any():
                shown = ", ".join(repr(v) for v in x[bad][:3].tolist())
                raise DataError(
                    f"read_table: {where} column {header!r} holds codes as numbers that are "
                    f"not whole ({shown}): give the column as text, each code as the forms "
                    "write it.",
                    zh=f"{where} 列 {header!r} 的代码为非整数的数字（{shown}）：请以文本给出该列，"
                    "代码按报表原样填写。",
                )
            whole = np.where(empty, 0.0, x).astype(np.int64)
            text = pc.cast(array(whole, mask=empty), pa.string())
        columns[name] = text
        if empty.all():  # no code at all: the validator says the column is empty
            continue
        first = int(np.argmin(empty))
        # The first number as the frame shows it: an integer column's digits, a float's repr.
        code = text[first].as_py()
        number = code if pa.types.is_integer(kind) else repr(float(x[first]))
        code = repr(code)
        notes.append(
            (
                f"column {header!r} holds numbers ({kind}): read as text ({number} as {code})",
                f"列 {header!r} 为数字（{kind}）：按文本读取（{number} 读作 {code}）",
            )
        )


def without_id(body: pa.Table, matches: Sequence[Match]) -> NDArray[np.bool_]:
    """Rows whose school id cell is empty (every row where no column is the id)."""
    ids = [i for i, m in enumerate(matches) if m.column == "school_id"]
    if not ids:
        return np.ones(body.num_rows, dtype=np.bool_)
    return blank_rows(body.select([ids[0]]))


def label_rows(
    body: pa.Table, across: Sequence[tuple[int, int, int, int]], matches: Sequence[Match]
) -> NDArray[np.bool_]:
    """Rows that are one cell of text merged across the school id's column and nothing else
    (一、城区学校 over the whole row): a label of the rows under it, not a school."""
    labels = np.zeros(body.num_rows, dtype=np.bool_)
    ids = [i for i, m in enumerate(matches) if m.column == "school_id"]
    for a, c1, b, c2 in across:
        if a != b or not any(c1 <= i <= c2 for i in ids):
            continue
        values = list(body.slice(a, 1).to_pylist()[0].values())
        outside = [
            v
            for k, v in enumerate(values)
            if not c1 <= k <= c2 and v is not None and str(v).strip()
        ]
        value = values[c1]
        labels[a] = isinstance(value, str) and bool(value.strip()) and not outside
    return labels


def section_rows(
    body: pa.Table, rows: NDArray[np.intp], named: Sequence[int] = ()
) -> NDArray[np.bool_]:
    """Of ``rows`` (rows without a school id that are not blank, totals, footers or notes),
    whether each one's one cell is a section heading (一、城区学校, （二）乡镇学校, 农村学校): a
    label of the rows under it, not a school. A row with anything in a second cell, or its one
    cell in the columns ``named`` (the school's name or id: a school written by its name
    alone is refused as a school without an id), is no heading."""
    found = np.zeros(rows.size, dtype=np.bool_)
    if not rows.size:
        return found
    at = array(rows.astype(np.int64))
    # Text as plain strings first (a string view has no take).
    part = pa.table(
        [as_string(c).take(at) if is_text(c.type) else c.take(at) for c in body.columns],
        names=[str(k) for k in range(body.num_columns)],
    )
    filled = np.stack([~_empty(col) for col in part.columns], axis=1)
    alone = filled.sum(axis=1) == 1
    if named:
        alone &= ~filled[:, list(named)].any(axis=1)
    for i in np.flatnonzero(alone).tolist():
        found[i] = section_heading(list(part.slice(i, 1).to_pylist()[0].values()))
    return found


def titles_above(rows: Sequence[Sequence[object]]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The text of each row above the headers that holds some (the table's title, 填报单位),
    its cells joined by spaces (a title merged over the row is one cell), and the number of
    distinct texts of each."""
    out, counts = [], []
    for row in rows:
        cells = [" ".join(str(v).split()) for v in row if v is not None and str(v).strip()]
        if cells:
            distinct = list(dict.fromkeys(cells))  # a merged title filled across once
            out.append(" ".join(distinct))
            counts.append(len(distinct))
    return tuple(out), tuple(counts)


def rows_not_schools(
    unfilled: pa.Table,
    body: pa.Table,
    matches: Sequence[Match],
    across: Sequence[tuple[int, int, int, int]],
    looked: Sequence[int],
    named: Sequence[int],
) -> dict[str, NDArray[np.bool_]]:
    """The rows of a sheet's body that are not schools, by reason, in the order the record
    says them: blank, total, footer, notes and label rows (each row under one reason).

    ``unfilled`` is the body as written and ``body`` with merged cells filled down (a blank
    row inside a merged county cell stays blank; a section heading is read as written, where a
    county's code merged down would fill its row); ``across`` the merges over columns;
    ``looked`` the columns a total, footer or notes row says itself in (the first ones, the
    school's id and name), ``named`` the school's id and name columns.
    """
    blank = blank_rows(unfilled)
    # A total, footer or notes row may be one cell merged across these columns from another.
    merged_totals, merged_footers, merged_notes = merged_kinds(body, across, looked)
    totals = (total_rows(body, looked) | merged_totals) & ~blank
    # A part of the total (其中：民办学校) is no school where the row has no school id.
    no_id = without_id(body, matches) & ~blank
    totals |= part_rows(body, looked) & no_id
    unnamed = np.flatnonzero(no_id)  # the rows without an id: few
    # A footer (填表人：… 审核人：… 填表日期：…) is no school either.
    # Nor are the notes under the table (注：…, 说明：…).
    footers, notes = footer_rows(body, looked)
    footers |= merged_footers
    notes |= merged_notes
    footers &= ~blank & ~totals
    notes &= ~blank & ~totals & ~footers
    labels = label_rows(body, across, matches) & ~blank & ~totals & ~footers & ~notes
    # A section heading alone in a row without an id (一、城区学校), as written.
    if unnamed.size and any(m.column == "school_id" for m in matches):
        unnamed = unnamed[~(totals | footers | notes | labels)[unnamed]]
        labels[unnamed[section_rows(unfilled, unnamed, named)]] = True
    return {
        "blank row": blank,
        "total row": totals,
        "footer row": footers,
        "notes row": notes,
        "label row": labels,
    }
