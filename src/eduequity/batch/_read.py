"""Reading a table of schools from what a user has: Arrow, frames, Parquet or CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from eduequity._errors import DataError
from eduequity._schema import COLUMNS

__all__ = ["ENCODINGS", "read_csv", "read_excel", "read_table"]

#: The encodings a CSV file is tried in, in order, when none is given: UTF-8 (with or without
#: a byte-order mark), then GB18030, which reads GBK and GB2312 files (what Chinese Excel saves).
ENCODINGS = ("utf-8", "gb18030")

#: Columns read as text whatever they look like (an id "0001" stays "0001"), by every header
#: they may have.
_TEXT_COLUMNS = {name for c in COLUMNS if c.type == "string" for name in (c.name, *c.aliases)}


def _encoding_of(data: bytes, name: str) -> str:
    """The first of :data:`ENCODINGS` that decodes ``data``."""
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise DataError(
        f"read_table: {name!r} is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8, "
        "or pass encoding= (--encoding) with the file's encoding."
    )


def read_csv(path: str | Path, encoding: str | None = None) -> pa.Table:
    """Read a CSV file of schools: UTF-8 (with or without BOM) or GBK/GB18030, detected unless
    ``encoding`` is given; id, code, kind and name columns are read as text, exactly as
    written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "schools.csv"
    >>> _ = path.write_bytes("学校标识码,图书册数\\n0001,31200\\n".encode("gbk"))
    >>> read_csv(path).to_pylist()
    [{'学校标识码': '0001', '图书册数': 31200}]
    """
    path = Path(path)
    data = path.read_bytes()
    if encoding is None:
        encoding = _encoding_of(data, path.name)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise DataError(
            f"read_table: {path.name!r} cannot be read as {encoding}: {error}."
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError(f"read_table: {path.name!r} is empty: no header and no schools.")
    delimiter = sniff_delimiter(text)
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter), [])
    convert = pacsv.ConvertOptions(
        column_types={h: pa.string() for h in header if h.strip() in _TEXT_COLUMNS}
    )
    return parse_csv(text, path.name, delimiter, convert_options=convert)


#: The separators a CSV file may use, in the order they are preferred on a tie.
DELIMITERS = (",", "\t", ";", "|")


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV text: of :data:`DELIMITERS`, the one that splits its first
    lines into the most fields, the same number on most lines."""
    lines = [line for line in text[:65536].splitlines()[:30] if line.strip()]
    best, best_key = ",", (0, 0)
    for d in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=d), [])) for line in lines]
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        key = (counts.count(common), common)
        if key > best_key:
            best, best_key = d, key
    return best


def parse_csv(
    text: str | bytes,
    name: str,
    delimiter: str,
    *,
    first_line: int = 1,
    read_options: pacsv.ReadOptions | None = None,
    convert_options: pacsv.ConvertOptions | None = None,
) -> pa.Table:
    """Parse CSV text with Arrow; a row whose number of fields differs from the header's is
    refused naming its line (``first_line`` is the line number of the text's first line)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        return pacsv.read_csv(
            pa.BufferReader(data),
            read_options=read_options,
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=convert_options,
        )
    except pa.ArrowInvalid as error:
        if "Expected" not in str(error):
            raise DataError(f"read_table: {name!r} cannot be read as CSV: {error}") from None
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        rows = csv.reader(io.StringIO(text), delimiter=delimiter)
        width = None
        if read_options is not None and read_options.column_names:
            width = len(read_options.column_names)
        for row in rows:
            if not any(cell.strip() for cell in row) and len(row) <= 1:
                continue
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise DataError(
                    f"read_table: {name!r} line {first_line + rows.line_num - 1} has "
                    f"{len(row)} fields where the header has {width}: "
                    f"{delimiter.join(row)[:80]!r}. Correct the line (a missing or extra "
                    "separator) and read again.",
                    zh=f"{name!r} 第 {first_line + rows.line_num - 1} 行有 {len(row)} 个字段，"
                    f"表头有 {width} 个：{delimiter.join(row)[:80]!r}。"
                    "请改正该行（少了或多了分隔符）后再读。",
                ) from None
        raise DataError(f"read_table: {name!r} cannot be read as CSV: {error}") from None


def excel_reader() -> Any:
    """The Excel reader (fastexcel, the optional extra ``excel``), or an error saying how to
    install it."""
    try:
        import fastexcel
    except ImportError:
        raise DataError(
            "read_table: reading Excel needs the optional extra: pip install 'eduequity[excel]' "
            "(or save the sheet as CSV).",
            zh="读取 Excel 需要安装可选组件：pip install 'eduequity[excel]'"
            "（或将工作表另存为 CSV）。",
        ) from None
    return fastexcel


def read_excel(path: str | Path, sheet: int | str = 0, header_row: int = 0) -> pa.Table:
    """Read a sheet of an Excel workbook (``.xlsx``, ``.xls``, ``.xlsm``, ``.ods``) of schools.

    Needs the optional extra ``excel`` (``pip install 'eduequity[excel]'``, which brings
    fastexcel, a reader built on calamine that hands back Arrow).

    Parameters
    ----------
    path : str or Path
    sheet : int or str, default 0
        The sheet, by position (0 is the first) or by name.
    header_row : int, default 0
        The row of the headers, counted from 0: forms often have title rows above them.
        Rows above it are skipped.
    """
    fastexcel = excel_reader()
    path = Path(path)
    try:
        reader = fastexcel.read_excel(str(path))
        header = reader.load_sheet(sheet, header_row=header_row, n_rows=0).to_arrow()
        text: dict[str | int, Any] = {
            name: "string" for name in header.schema.names if name.strip() in _TEXT_COLUMNS
        }
        table = reader.load_sheet(sheet, header_row=header_row, dtypes=text or None).to_arrow()
    except (fastexcel.FastExcelError, ValueError, IndexError) as error:
        raise DataError(
            f"read_table: {path.name!r}: cannot read sheet {sheet!r}: {error}"
        ) from None
    return pa.Table.from_batches([table])


#: What the first bytes of a file say it is.
_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file", (".xlsx", ".xlsm", ".ods")),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)", (".xls",)),
    (b"PAR1", "a Parquet file", (".parquet", ".pq")),
)


def check_file_kind(path: Path) -> None:
    """Refuse a file whose content is not what its name says (a CSV renamed ``.xlsx``)."""
    with path.open("rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    said = next((what for magic, what, _ in _MAGIC if head.startswith(magic)), None)
    expects = next((what for _, what, suffixes in _MAGIC if suffix in suffixes), None)
    if suffix == ".xlsb" or said == expects or (said is None and suffix == ".csv"):
        return
    if said is None:
        said = "text (CSV?)" if _looks_like_text(path) else "not a table eduequity reads"
    raise DataError(
        f"read_table: {path.name!r} is named {suffix} but is {said}. Rename it to what it is "
        "(.csv, .xlsx, .xls or .parquet), or save it again in that format.",
        zh=f"{path.name!r} 的扩展名是 {suffix}，内容却是{_SAID_ZH.get(said, said)}。"
        "请按实际格式改名（.csv、.xlsx、.xls 或 .parquet），或用该格式重新保存。",
    )


_SAID_ZH = {
    "text (CSV?)": "文本（CSV？）",
    "an Excel workbook (.xlsx) or another zip file": "Excel 工作簿（.xlsx）或其他 zip 文件",
    "an old Excel workbook (.xls)": "旧版 Excel 工作簿（.xls）",
    "a Parquet file": "Parquet 文件",
    "not a table eduequity reads": "eduequity 不能读取的文件",
}


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(4096)
    for encoding in ENCODINGS:
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start > len(head) - 4:  # a character cut by the 4,096 bytes
                return True
            continue
        return b"\x00" not in head
    return False


def frame_table(source: Any) -> pa.Table:
    """A frame (anything with ``__arrow_c_stream__``) as an Arrow table. A pandas column of
    mixed values (numbers and '—') that Arrow cannot convert is read as text, so that the
    validator names each school whose value is not a number."""
    try:
        return pa.RecordBatchReader.from_stream(source).read_all()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        columns = getattr(source, "columns", None)
        if columns is None:
            raise
    arrays = {}
    for name in columns:
        values = source[name]
        try:
            arrays[str(name)] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays[str(name)] = pa.array(
                [None if v is None or v != v else str(v) for v in values.tolist()], pa.string()
            )
    return pa.table(arrays)


def read_table(
    source: Any,
    encoding: str | None = None,
    sheet: int | str = 0,
    header_row: int = 0,
) -> tuple[pa.Table, str]:
    """Read ``source`` into a :class:`pyarrow.Table`; return it and a name for messages.

    Parameters
    ----------
    source : pyarrow.Table, pyarrow.RecordBatchReader, object with ``__arrow_c_stream__``,
        or str / Path of a ``.parquet``, ``.csv`` or Excel (``.xlsx``, ``.xls``) file.
    encoding : str, optional
        The encoding of a CSV file; by default UTF-8 or GBK/GB18030, detected
        (``read_csv``).
    sheet, header_row : optional
        The sheet and header row of an Excel workbook (``read_excel``).

    Notes
    -----
    In CSV files a class-size column holds the sizes separated by ``;`` (e.g. ``45;44;46``).
    """
    if isinstance(source, pa.Table):
        return source, "table"
    if isinstance(source, pa.RecordBatchReader):
        return source.read_all(), "record batch stream"
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise DataError(f"read_table: file {str(path)!r} does not exist.")
        suffix = path.suffix.lower()
        check_file_kind(path)
        if suffix in (".parquet", ".pq"):
            return pq.ParquetFile(path).read(), path.name
        if suffix == ".csv":
            return read_csv(path, encoding), path.name
        if suffix in (".xlsx", ".xls", ".xlsm", ".xlsb", ".ods"):
            return read_excel(path, sheet, header_row), path.name
        raise DataError(
            f"read_table: {path.name!r} must be a .parquet, .csv or Excel file. "
            f"Got suffix {suffix!r}."
        )
    if hasattr(source, "__arrow_c_stream__"):
        return frame_table(source), type(source).__name__
    raise DataError(
        "read_table: source must be a pyarrow Table or RecordBatchReader, an object with "
        f"__arrow_c_stream__ (polars, pandas >= 2.2, DuckDB), or a Parquet or CSV path. "
        f"Got {type(source).__name__}."
    )
