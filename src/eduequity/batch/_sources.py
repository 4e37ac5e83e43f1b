"""The sheets of a source (a CSV file, the sheets of a workbook, a frame) before their headers
are known: each one's first rows, its merged cells, and a way to read its body."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from numpy.typing import NDArray

from eduequity._errors import DataError
from eduequity.batch._headers import STAGE_OF_WORD
from eduequity.batch._layout import TOP_ROWS
from eduequity.batch._read import (
    _encoding_of,
    check_file_kind,
    excel_reader,
    frame_table,
    parse_csv,
    sniff_delimiter,
)

#: The suffixes of the workbooks Excel (and LibreOffice) write.
EXCEL_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".xlsb", ".ods")


class Sheet:
    """One sheet (or CSV file, or frame) before its headers are known."""

    def __init__(
        self,
        name: str,
        top: list[list[str | None]],
        body: Callable[[int, set[int], int], tuple[pa.Table, NDArray[np.int64]]],
        merges: list[tuple[int, int, int, int]] | None = None,
        frame: bool = False,
        csv: bool = False,
        hidden: frozenset[int] = frozenset(),
        hidden_columns: frozenset[int] = frozenset(),
    ) -> None:
        self.name, self.top, self.body, self.merges, self.frame = name, top, body, merges, frame
        self.csv = csv
        #: The rows hidden in Excel, numbered as the sheet numbers them (from 1).
        self.hidden = hidden
        #: The columns hidden in Excel, numbered as the rows' cells are (from 0).
        self.hidden_columns = hidden_columns

    @property
    def stage(self) -> str | None:
        found = {s for word, s in STAGE_OF_WORD.items() if word in self.name}
        return found.pop() if len(found) == 1 else None

    def on(self, lang: str = "en") -> str:
        """Where in the source: this sheet (nothing for a frame or a CSV file, which the
        source's name says)."""
        if self.frame or self.csv:
            return ""
        return f" 工作表 {self.name!r}：" if lang == "zh" else f" sheet {self.name!r}:"

    def wheres(self, where: str) -> tuple[str, str]:
        """Where in the source ``where``, in English and in Chinese, as a message begins: the
        file and, in a workbook, this sheet."""
        return where + (self.on() or ":"), where + (self.on("zh") or "：")


def positional(table: pa.Table) -> pa.Table:
    return table.rename_columns([str(i) for i in range(table.num_columns)])


def frame_sheet(table: pa.Table, name: str) -> Sheet:
    def body(skip: int, text: set[int], width: int) -> tuple[pa.Table, NDArray[np.int64]]:
        return positional(table), np.arange(1, table.num_rows + 1, dtype=np.int64)

    return Sheet(name, [list(table.column_names)], body, frame=True)


def csv_sheet(path: Path, encoding: str | None) -> Sheet:
    data = path.read_bytes()
    given = encoding
    encoding = encoding or _encoding_of(data, path.name)
    utf8 = encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig")
    if utf8:  # Arrow reads the bytes as they are: only the first rows are decoded here
        data = data.removeprefix(b"\xef\xbb\xbf")
        if given is not None:  # (detection has checked them already)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise DataError(
                    f"read_table: {path.name!r} cannot be read as {given}: {error}."
                ) from None
        head = data[: 1 << 16].decode("utf-8", errors="ignore")
        body_bytes: bytes | None = data
    else:
        try:
            head = data.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError) as error:
            raise DataError(
                f"read_table: {path.name!r} cannot be read as {encoding}: {error}."
            ) from None
        body_bytes = None
    if not head.strip():
        raise DataError(f"read_table: {path.name!r} is empty: no header and no schools.")
    delimiter = sniff_delimiter(head)
    stream = io.StringIO(head)
    reader = csv.reader(stream, delimiter=delimiter)
    top: list[list[str | None]] = []
    ends: list[tuple[int, int]] = []  # after each top row: its offset and line number
    for row in reader:
        top.append([cell if cell.strip() else None for cell in row])
        ends.append((stream.tell(), reader.line_num))
        if len(top) >= TOP_ROWS:
            break

    def body(skip: int, text_cols: set[int], width: int) -> tuple[pa.Table, NDArray[np.int64]]:
        offset, line = ends[skip - 1] if skip else (0, 0)
        if body_bytes is None:
            rest = head[offset:].encode("utf-8")
        else:
            rest = body_bytes[len(head[:offset].encode("utf-8")) :]
        names = [str(i) for i in range(width)]
        if not rest.strip():  # headers and no schools
            empty = pa.table({n: pa.array([], pa.string()) for n in names})
            return empty, np.zeros(0, dtype=np.int64)
        table = parse_csv(
            rest,
            path.name,
            delimiter,
            first_line=line + 1,
            read_options=pacsv.ReadOptions(column_names=names),
            convert_options=pacsv.ConvertOptions(
                column_types={str(i): pa.string() for i in text_cols if i < width}
            ),
        )
        if b"\n\n" in rest or b"\n\r\n" in rest:  # blank lines Arrow skips: number the rest
            lines = rest.split(b"\n")
            filled = [i for i, x in enumerate(lines) if x.strip()]
            rows = np.asarray(filled[: table.num_rows], dtype=np.int64) + line + 1
        else:
            rows = np.arange(line + 1, line + 1 + table.num_rows, dtype=np.int64)
        return table, rows

    return Sheet(path.name, top, body, csv=True)


def excel_sheets(path: Path, sheet: Any) -> tuple[list[Sheet], list[str]]:
    """The sheets asked for (every sheet when ``sheet`` is None: the reader keeps those with a
    table of schools), and the names of the others."""
    fastexcel = excel_reader()
    from eduequity.batch._xlsx import peek_xlsx

    try:
        reader = fastexcel.read_excel(str(path))
        names: list[str] = list(reader.sheet_names)
    except (fastexcel.FastExcelError, ValueError, OSError) as error:
        raise DataError(f"read_table: {path.name!r} cannot be read as Excel: {error}") from None
    if sheet == "all" or sheet is None:
        wanted: list[int | str] = list(range(len(names)))
    elif isinstance(sheet, (list, tuple)):
        wanted = list(sheet)
    else:
        wanted = [sheet]
    sheets = []
    for w in wanted:
        if isinstance(w, str) and w not in names:
            raise DataError(
                f"read_table: {path.name!r} has no sheet {w!r}; its sheets are "
                + ", ".join(repr(n) for n in names)
                + "."
            )
        if isinstance(w, int) and not 0 <= w < len(names):
            raise DataError(
                f"read_table: {path.name!r} has {len(names)} sheet(s); there is no sheet {w} "
                "(sheets are counted from 0)."
            )
        name = names[w] if isinstance(w, int) else w
        merges: list[tuple[int, int, int, int]] | None = None
        hidden: frozenset[int] = frozenset()
        hidden_columns: frozenset[int] = frozenset()
        try:
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                peek = peek_xlsx(str(path), name, TOP_ROWS)
                top, merges, hidden = peek.rows, peek.merges, peek.hidden
                hidden_columns = peek.hidden_columns
            else:
                raw = reader.load_sheet(
                    name, header_row=None, skip_rows=0, n_rows=TOP_ROWS, dtypes="string"
                ).to_arrow()
                top = [list(r.values()) for r in raw.to_pylist()]
        except (fastexcel.FastExcelError, ValueError, IndexError, KeyError) as error:
            raise DataError(
                f"read_table: {path.name!r}: cannot read sheet {name!r}: {error}"
            ) from None

        def body(
            skip: int, text: set[int], width: int, name: str = name
        ) -> tuple[pa.Table, NDArray[np.int64]]:
            try:
                batch = reader.load_sheet(
                    name,
                    header_row=None,
                    skip_rows=skip,
                    dtypes=dict.fromkeys(sorted(text), "string") or None,
                ).to_arrow()
            except (fastexcel.FastExcelError, ValueError) as error:
                raise DataError(
                    f"read_table: {path.name!r}: cannot read sheet {name!r}: {error}"
                ) from None
            table = positional(pa.Table.from_batches([batch]))
            return table, np.arange(skip + 1, skip + 1 + table.num_rows, dtype=np.int64)

        sheets.append(Sheet(name, top, body, merges, hidden=hidden, hidden_columns=hidden_columns))
    read = {s.name for s in sheets}
    return sheets, [n for n in names if n not in read]


def sheets_of(
    source: Any, encoding: str | None, sheet: Any
) -> tuple[list[Sheet], str, dict[bytes, bytes], list[str]]:
    """The sheets of ``source``, its name for messages, what its metadata says to
    eduequity (what its nulls mean, the county inputs it carries), and the names of a
    workbook's sheets not asked for."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise DataError(f"read_table: file {str(path)!r} does not exist.")
        suffix = path.suffix.lower()
        if suffix not in (".parquet", ".pq", ".csv", ".txt", ".tsv", *EXCEL_SUFFIXES):
            raise DataError(
                f"read_table: {path.name!r} must be a .parquet, .csv or Excel file. "
                f"Got suffix {suffix!r}."
            )
        if suffix != ".txt" and suffix != ".tsv":
            check_file_kind(path)
        if suffix in (".parquet", ".pq"):
            table = pq.ParquetFile(path).read()  # (read_table loads pyarrow.dataset first)
            return [frame_sheet(table, path.name)], path.name, metadata_of(table), []
        if suffix in EXCEL_SUFFIXES:
            sheets, others = excel_sheets(path, sheet)
            return sheets, path.name, {}, others
        return [csv_sheet(path, encoding)], path.name, {}, []
    if isinstance(source, pa.Table):
        return [frame_sheet(source, "table")], "table", metadata_of(source), []
    if isinstance(source, pa.RecordBatchReader):
        table = source.read_all()
        return (
            [frame_sheet(table, "record batch stream")],
            "record batch stream",
            metadata_of(table),
            [],
        )
    if hasattr(source, "__arrow_c_stream__"):
        table = frame_table(source)
        name = type(source).__name__
        return [frame_sheet(table, name)], name, metadata_of(table), []
    raise DataError(
        "read_table: source must be a pyarrow Table or RecordBatchReader, an object with "
        "__arrow_c_stream__ (polars, pandas >= 2.2, DuckDB), or a Parquet, CSV or Excel path. "
        f"Got {type(source).__name__}."
    )


def metadata_of(table: pa.Table) -> dict[bytes, bytes]:
    """The table's schema metadata that speaks to eduequity (keys ``eduequity.*``)."""
    found = table.schema.metadata or {}
    return {k: v for k, v in found.items() if k.startswith(b"eduequity.")}


def sheet_with_county_code(
    source: Any, header_row: int, headers: Collection[str]
) -> tuple[int | str, str]:
    """The sheet of a county-inputs workbook to read by default: its one sheet, or of several
    the one whose header row has the county code (one of ``headers``: 行政区划代码...), and
    the words naming it where there was a choice. Several such sheets, or none, are refused
    naming the sheets. Anything not a workbook: sheet 0, said nothing of.
    """
    if not isinstance(source, (str, Path)):
        return 0, ""
    path = Path(source)
    if path.suffix.lower() not in EXCEL_SUFFIXES or not path.exists():
        return 0, ""
    try:  # the first rows of every sheet, as the reader of schools looks at them
        sheets, _ = excel_sheets(path, None)
    except DataError:
        return 0, ""  # the reading of the sheet says why
    if len(sheets) < 2:
        return 0, ""
    with_code = [
        sheet.name
        for sheet in sheets
        if header_row < len(sheet.top)
        and any(str(h).strip() in headers for h in sheet.top[header_row] if h is not None)
    ]
    if len(with_code) == 1:
        return with_code[0], f" (sheet {with_code[0]!r})"
    listed = ", ".join(repr(sheet.name) for sheet in sheets)
    found = "none has" if not with_code else "several have"
    found_zh = "没有一张" if not with_code else "不止一张"
    raise DataError(
        f"county inputs {path.name}: of its sheets {listed}, {found} the county code "
        f"(行政区划代码) in row {header_row + 1}; name the sheet to read (sheet=).",
        zh=f"县级指标 {path.name}：各工作表（{listed}）中{found_zh}在第 {header_row + 1} 行"
        "有“行政区划代码”列；请指定要读的工作表（sheet=）。",
    )
