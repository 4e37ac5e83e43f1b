"""The top rows and the merged cells of an ``.xlsx`` sheet, read from its XML.

The reader needs the first rows (to find the headers) and the merges (to join a merged 小学 over
its columns and to fill merged county cells down, only where the workbook records a merge)
before it reads the body; reading them from the sheet's XML costs a fraction of reading the
sheet, where asking the Excel reader for them would read the whole sheet once more.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import PurePosixPath
from xml.etree import ElementTree

from eduequity._errors import DataError

__all__ = ["Peek", "peek_xlsx"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REF = re.compile(r"([A-Z]+)(\d+)")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')

_ROW = re.compile(rb"<(?:\w+:)?row\s([^>]*)>")
_COL = re.compile(rb"<(?:\w+:)?col\s([^>]*)>")
_COL_SPAN = (re.compile(rb'(?:^|\s)min="(\d+)"'), re.compile(rb'(?:^|\s)max="(\d+)"'))
_HIDDEN = re.compile(rb'\shidden="(?:1|true)"|^hidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'(?:^|\s)r="(\d+)"')

#: Excel's built-in number formats that show a date: the general ones (14 to 17, 22) and those
#: of Chinese, Japanese and Korean Excel (27 to 31, 36, 50 to 58).
_DATE_FORMATS = frozenset({14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, *range(50, 59)})
#: What a format code says apart from its quoted text, escapes and [colour] or [$-locale] parts.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')

#: A merged range: first row, first column, last row, last column (from 0, in the sheet).
Merge = tuple[int, int, int, int]


class Peek:
    """A sheet's name, its first rows (text; None where empty), its merges, the first row and
    column of its used range (where the Excel reader's rows and columns start), the rows
    hidden in Excel (numbered from 1, as Excel shows them) and the columns hidden in Excel
    (numbered from 0 at the first column of the used range, as the rows' cells are)."""

    def __init__(
        self,
        name: str,
        rows: list[list[str | None]],
        merges: list[Merge],
        first_col: int,
        hidden: frozenset[int] = frozenset(),
        hidden_columns: frozenset[int] = frozenset(),
    ) -> None:
        self.name, self.rows, self.merges, self.first_col = name, rows, merges, first_col
        self.hidden, self.hidden_columns = hidden, hidden_columns


def _cell(ref: str) -> tuple[int, int]:
    match = _REF.match(ref)
    if match is None:  # pragma: no cover - a malformed workbook
        return 0, 0
    letters, row = match.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(row) - 1, col - 1


def _sheet_path(book: zipfile.ZipFile, sheet: int | str) -> tuple[str, str]:
    """The sheet's name and the path of its XML in the workbook."""
    wb = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheets = [(s.get("name", ""), s.get(_REL, "")) for s in wb.iter(f"{_NS}sheet")]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise DataError(f"the workbook has {len(sheets)} sheet(s); there is no sheet {sheet}")
        name, rid = sheets[sheet]
    else:
        found = [s for s in sheets if s[0] == sheet]
        if not found:
            names = ", ".join(repr(s[0]) for s in sheets)
            raise DataError(f"no sheet named {sheet!r}; the sheets are {names}")
        name, rid = found[0]
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return name, str(PurePosixPath(path))
    raise DataError(f"sheet {name!r} has no part in the workbook")  # pragma: no cover


def _shared_strings(book: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings of the indices ``wanted``, reading no further than the last."""
    found: dict[int, str] = {}
    if not wanted or "xl/sharedStrings.xml" not in book.namelist():
        return found
    last = max(wanted)
    with book.open("xl/sharedStrings.xml") as f:
        i = 0
        for _, el in ElementTree.iterparse(f):
            if el.tag == f"{_NS}si":
                if i in wanted:
                    found[i] = "".join(t.text or "" for t in el.iter(f"{_NS}t"))
                el.clear()
                i += 1
                if i > last:
                    break
    return found


def _date_styles(book: zipfile.ZipFile) -> set[int]:
    """The cell styles (``s="…"``) whose number format shows a date (a built-in date format,
    or a format code with a year or a day: yyyy-mm-dd, yyyy"年"m"月"d"日")."""
    if "xl/styles.xml" not in book.namelist():
        return set()
    root = ElementTree.fromstring(book.read("xl/styles.xml"))
    dated = set(_DATE_FORMATS)
    for fmt in root.iter(f"{_NS}numFmt"):
        code = _FORMAT_NOISE.sub("", fmt.get("formatCode", "")).lower()
        if "y" in code or "d" in code or "年" in code or "日" in code:
            dated.add(int(fmt.get("numFmtId", "-1")))
    xfs = root.find(f"{_NS}cellXfs")
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in dated}


def _date_text(serial: str, date1904: bool) -> str:
    """An Excel date serial as the date it shows (2024-09-01; a time of day after it)."""
    start = datetime.datetime(1904, 1, 1) if date1904 else datetime.datetime(1899, 12, 30)
    try:
        when = start + datetime.timedelta(days=float(serial))
    except (ValueError, OverflowError):
        return serial
    when = when.replace(microsecond=0) + datetime.timedelta(seconds=round(when.microsecond / 1e6))
    return when.date().isoformat() if when.time() == datetime.time() else str(when)


def peek_xlsx(path: str, sheet: int | str, n_rows: int) -> Peek:
    """The first ``n_rows`` rows of a sheet, its merges and the start of its used range."""
    with zipfile.ZipFile(path) as book:
        name, part = _sheet_path(book, sheet)
        cells: dict[tuple[int, int], str | None] = {}
        shared: dict[tuple[int, int], int] = {}
        styled: dict[tuple[int, int], int] = {}  # the style of each number cell
        first_col: int | None = None
        with book.open(part) as f:
            for _, el in ElementTree.iterparse(f):
                tag = el.tag
                if tag == f"{_NS}dimension":
                    first_col = _cell(el.get("ref", "A1").split(":")[0])[1]
                elif tag == f"{_NS}c":
                    r, c = _cell(el.get("r", "A1"))
                    kind = el.get("t")
                    if kind == "inlineStr":
                        cells[r, c] = "".join(t.text or "" for t in el.iter(f"{_NS}t"))
                    else:
                        v = el.find(f"{_NS}v")
                        if v is not None and v.text is not None:
                            if kind == "s":
                                shared[r, c] = int(v.text)
                            else:
                                cells[r, c] = v.text
                                if kind in (None, "n") and el.get("s"):
                                    styled[r, c] = int(el.get("s", "0"))
                elif tag == f"{_NS}row":
                    last = int(el.get("r", "0"))
                    el.clear()
                    if last >= n_rows:
                        break
        strings = _shared_strings(book, set(shared.values()))
        for at, index in shared.items():
            cells[at] = strings.get(index)
        dates = _date_styles(book) if styled else set()
        if dates:  # a date cell (统计时点) as the date Excel shows, not its serial number
            workbook = book.read("xl/workbook.xml")
            date1904 = re.search(rb'date1904="(1|true)"', workbook) is not None
            for at, style in styled.items():
                if style in dates and cells[at] is not None:
                    cells[at] = _date_text(str(cells[at]), date1904)
        merges, hidden, hidden_columns = _merges_and_hidden(book, part)
    used_cols = [c for _, c in cells]
    if first_col is None:
        first_col = min(used_cols, default=0)
    width = max(used_cols, default=-1) + 1
    rows: list[list[str | None]] = [[None] * max(width - first_col, 0) for _ in range(n_rows)]
    for (r, c), value in cells.items():
        if r < n_rows and c >= first_col:
            rows[r][c - first_col] = value
    last = max((r for r, _ in cells), default=-1)
    shifted = [(r1, c1 - first_col, r2, c2 - first_col) for r1, c1, r2, c2 in merges]
    columns = frozenset(c - first_col for c in hidden_columns if c >= first_col)
    return Peek(name, rows[: last + 1], shifted, first_col, hidden, columns)


def _merges_and_hidden(
    book: zipfile.ZipFile, part: str
) -> tuple[list[Merge], frozenset[int], frozenset[int]]:
    """Every merged range of the sheet (they follow the cells, at the end of its XML), the
    rows hidden in Excel (``<row r="6" hidden="1">``) and the columns hidden in Excel
    (``<col min="23" max="23" hidden="1">``, numbered from 0), found in the same pass."""
    found: set[bytes] = set()
    hidden: set[int] = set()
    columns: set[int] = set()
    carry = b""
    with book.open(part) as f:
        while chunk := f.read(1 << 20):
            data = carry + chunk
            if b"mergeCell" in data:  # a plain search first: most chunks are cells
                found.update(m.group(1) for m in _MERGE.finditer(data))
            if b"hidden=" in data:  # few sheets hide a row
                for m in _ROW.finditer(data):
                    if _HIDDEN.search(m.group(1)):
                        number = _ROW_NUMBER.search(m.group(1))
                        if number is not None:
                            hidden.add(int(number.group(1)))
                for m in _COL.finditer(data):
                    low, high = (span.search(m.group(1)) for span in _COL_SPAN)
                    if _HIDDEN.search(m.group(1)) and low is not None and high is not None:
                        columns.update(range(int(low.group(1)) - 1, int(high.group(1))))
            carry = data[-512:]  # a tag cut between two chunks is read whole in the next
    merges = []
    for ref in found:
        a, _, b = ref.decode().partition(":")
        r1, c1 = _cell(a)
        r2, c2 = _cell(b or a)
        merges.append((r1, c1, r2, c2))
    return sorted(merges), frozenset(hidden), frozenset(columns)
