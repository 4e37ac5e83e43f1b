"""The file formats result tables are written in (a leaf: the command line's ``--help`` reads
it without loading Arrow)."""

from __future__ import annotations

#: The formats :func:`~eduequity.batch.write_tables` writes.
FORMATS = ("parquet", "csv", "xlsx")

#: Rows an Excel sheet holds, its header row included.
EXCEL_MAX_ROWS = 1_048_576
