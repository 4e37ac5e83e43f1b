"""The door of a table of schools: read it (:func:`~eduequity.batch.read_schools`), take its
own word on what its empty cells mean, validate it once, and keep what was read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from eduequity._errors import DataError
from eduequity._read_record import ReadRecord
from eduequity.batch._reading import read_schools
from eduequity.batch._validate import NULL_POLICIES, validate
from eduequity.rules._columns import SchoolColumns

__all__ = ["NULLS_KEY", "Reading", "ValidTable"]

#: The key of a table's schema metadata that says what its nulls mean.
NULLS_KEY = b"eduequity.nulls"


@attrs.frozen
class Reading:
    """How a school table is read (the arguments :func:`read_schools` takes)."""

    encoding: str | None = None
    sheet: int | str | Sequence[int | str] | None = None
    header_row: int | None = None
    columns: Any = None
    county_digits: int | None = None


def _read(
    source: Any, nulls: str | None, func: str, reading: Reading | None = None
) -> tuple[SchoolColumns, str, ReadRecord]:
    if nulls is not None and nulls not in NULL_POLICIES:
        raise DataError(f"{func}: nulls must be one of {NULL_POLICIES}. Got {nulls!r}.")
    r = reading or Reading()
    read = read_schools(
        source,
        encoding=r.encoding,
        sheet=r.sheet,
        header_row=r.header_row,
        columns=r.columns,
        county_digits=r.county_digits,
    )
    table = read.table
    if nulls is None:  # the table's own word (table_from_counties), else "error"
        said = (table.schema.metadata or {}).get(NULLS_KEY, b"error").decode()
        nulls = said if said in NULL_POLICIES else "error"
    try:
        columns = validate(
            table,
            read.where,
            nulls,
            read.headers,
            read.row_labels,
            units=True,  # a frame or a County in 万元 is the same slip as a file's
        )
    except DataError as error:
        hints = read.record.hints()
        if not hints:
            raise
        raise DataError(
            "\n".join([error.in_language("en"), *(f"  ({h})" for h in hints)]),
            zh="\n".join(
                [error.in_language("zh"), *(f"  （{h}）" for h in read.record.hints("zh"))]
            ),
        ) from None
    # The headers as written go with the columns: the warnings name the columns so; and the
    # headers on who runs each school, which a scope may need (eduequity.rules.run).
    unread_scope = tuple(u.header for u in read.record.unused if u.scope)
    columns = attrs.evolve(columns, headers=dict(read.headers), unread_scope=unread_scope)
    return columns, read.where, read.record


@attrs.frozen(eq=False)
class ValidTable:
    """A table of schools read and validated (see :func:`validate_table`).

    Attributes
    ----------
    columns : SchoolColumns
        The columns for the pipeline (:func:`eduequity.rules.run`).
    record : ReadRecord
        What was read.
    where : str
        The source, as messages name it.
    """

    columns: SchoolColumns
    record: ReadRecord
    where: str

    @property
    def n_schools(self) -> int:
        """The schools read."""
        return self.columns.n_schools

    @property
    def n_counties(self) -> int:
        """The counties read."""
        return self.columns.n_counties

    def __repr__(self) -> str:
        return f"<ValidTable {self.where}: {self.n_schools} schools in {self.n_counties} counties>"
