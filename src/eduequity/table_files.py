"""Writing result tables to files: Parquet, CSV that Chinese Excel opens, or one Excel workbook.

Examples
--------
>>> import tempfile, pathlib, pyarrow as pa
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> tables = {"counties": pa.table({"county_code": ["990101"], "status": ["pass"]})}
>>> [p.name for p in write_tables(tables, out, "csv")]
['counties.csv']
>>> (out / "counties.csv").read_bytes()[:3] == b"\\xef\\xbb\\xbf"
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from eduequity.errors import DataError

__all__ = ["EXCEL_MAX_ROWS", "FORMATS", "write_tables"]

#: The formats :func:`write_tables` writes.
FORMATS = ("parquet", "csv", "xlsx")

#: Rows an Excel sheet holds, its header row included.
EXCEL_MAX_ROWS = 1_048_576


def _plain_column(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(col.type):
        return col.cast(col.type.value_type)
    if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
        # Lists (class sizes, indicator names) as "45;44;46", as the input forms write them.
        return pc.binary_join(col.cast(pa.list_(pa.string())), ";")
    return col


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns as plain values and lists as text (for CSV and Excel)."""
    return pa.table(
        {
            name: _plain_column(col)
            for name, col in zip(table.column_names, table.columns, strict=True)
        }
    )


def _write_csv(table: pa.Table, path: Path) -> None:
    """CSV in UTF-8 with a byte-order mark, so that Chinese Excel reads it."""
    import pyarrow.csv as pacsv

    sink = pa.BufferOutputStream()
    pacsv.write_csv(_plain(table), sink)
    path.write_bytes(b"\xef\xbb\xbf" + sink.getvalue().to_pybytes())


def _cell(value: object) -> object:
    """An Excel cell: lists (class sizes) as "45;44;46", as the input forms write them."""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def _write_xlsx(tables: Mapping[str, pa.Table], path: Path) -> None:
    try:
        import xlsxwriter
    except ImportError:
        raise DataError(
            "writing Excel needs the optional extra: pip install 'eduequity[excel]' "
            "(or write the tables as csv or parquet)."
        ) from None
    for name, table in tables.items():
        if table.num_rows + 1 > EXCEL_MAX_ROWS:
            raise DataError(
                f"the {name} table has {table.num_rows:,} rows, more than an Excel sheet holds "
                f"({EXCEL_MAX_ROWS - 1:,}); write the tables as csv or parquet."
            )
    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    for name, table in tables.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, table.column_names)
        plain = _plain(table)
        for c, col in enumerate(plain.columns):
            for r, value in enumerate(col.to_pylist(), start=1):
                if value is not None:
                    sheet.write(r, c, _cell(value))
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, max(table.num_columns - 1, 0), 14)
    book.close()


def write_tables(tables: Mapping[str, pa.Table], out: Path, fmt: str) -> list[Path]:
    """Write ``tables`` (name to table) into the folder ``out`` and return the paths written.

    ``fmt`` is ``"parquet"`` (one ``NAME.parquet`` each), ``"csv"`` (one ``NAME.csv`` each, UTF-8
    with a byte-order mark so that Chinese Excel reads it) or ``"xlsx"`` (one ``tables.xlsx``
    with a sheet per table; needs the ``excel`` extra and at most :data:`EXCEL_MAX_ROWS` rows
    per table).
    """
    if fmt == "xlsx":
        path = out / "tables.xlsx"
        _write_xlsx(tables, path)
        return [path]
    written = []
    for name, table in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            _write_csv(table, path)
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, path)
        else:
            raise DataError(f"tables cannot be written as {fmt!r}; choose one of {FORMATS}.")
        written.append(path)
    return written
