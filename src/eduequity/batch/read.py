"""Reading a table of schools from what a user has: Arrow, frames, Parquet or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from eduequity.errors import DataError

__all__ = ["read_table"]


def read_table(source: Any) -> tuple[pa.Table, str]:
    """Read ``source`` into a :class:`pyarrow.Table`; return it and a name for messages.

    Parameters
    ----------
    source : pyarrow.Table, pyarrow.RecordBatchReader, object with ``__arrow_c_stream__``,
        or str / Path of a ``.parquet`` or ``.csv`` file.

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
            return pacsv.read_csv(path), path.name
        raise DataError(
            f"read_table: {path.name!r} must be a .parquet or .csv file. Got suffix {suffix!r}."
        )
    if hasattr(source, "__arrow_c_stream__"):
        return pa.RecordBatchReader.from_stream(source).read_all(), type(source).__name__
    raise DataError(
        "read_table: source must be a pyarrow Table or RecordBatchReader, an object with "
        f"__arrow_c_stream__ (polars, pandas >= 2.2, DuckDB), or a Parquet or CSV path. "
        f"Got {type(source).__name__}."
    )
