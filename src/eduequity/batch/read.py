"""Reading a table of schools from what a user has: Arrow, frames, Parquet or CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from eduequity.errors import DataError
from eduequity.schema import COLUMNS

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
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    convert = pacsv.ConvertOptions(
        column_types={h: pa.string() for h in header if h in _TEXT_COLUMNS}
    )
    return pacsv.read_csv(pa.BufferReader(text.encode("utf-8")), convert_options=convert)


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
    try:
        import fastexcel
    except ImportError:
        raise DataError(
            "read_table: reading Excel needs the optional extra: pip install 'eduequity[excel]' "
            "(or save the sheet as CSV)."
        ) from None
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
        (:func:`read_csv`).
    sheet, header_row : optional
        The sheet and header row of an Excel workbook (:func:`read_excel`).

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
        if suffix in (".parquet", ".pq"):
            return pq.read_table(path), path.name
        if suffix == ".csv":
            return read_csv(path, encoding), path.name
        if suffix in (".xlsx", ".xls", ".xlsm", ".xlsb", ".ods"):
            return read_excel(path, sheet, header_row), path.name
        raise DataError(
            f"read_table: {path.name!r} must be a .parquet, .csv or Excel file. "
            f"Got suffix {suffix!r}."
        )
    if hasattr(source, "__arrow_c_stream__"):
        return pa.RecordBatchReader.from_stream(source).read_all(), type(source).__name__
    raise DataError(
        "read_table: source must be a pyarrow Table or RecordBatchReader, an object with "
        f"__arrow_c_stream__ (polars, pandas >= 2.2, DuckDB), or a Parquet or CSV path. "
        f"Got {type(source).__name__}."
    )
