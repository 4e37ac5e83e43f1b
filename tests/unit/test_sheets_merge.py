"""Several sheets read as one table: a school on two sheets is one row with the values either
sheet gives, and two different values of one column are refused (compared with a plain loop)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduequity import DataError
from eduequity._read_record import SheetRead
from eduequity.batch._combine import SheetColumns, merge_sheets

values = st.lists(st.one_of(st.none(), st.integers(0, 2).map(float)), min_size=6, max_size=6)


@given(
    st.lists(st.integers(0, 5), unique=True, max_size=6),
    st.lists(st.integers(0, 5), unique=True, max_size=6),
    values,
    values,
    values,
)
def test_sheets_merge_as_a_plain_loop_says(
    ids_a: list[int],
    ids_b: list[int],
    books_a: list[float | None],
    books_b: list[float | None],
    rooms_b: list[float | None],
) -> None:
    """The merged table equals a plain loop's: one row per school, each column the value the
    sheets give; a conflict is refused, and only a conflict."""
    a: dict[str, list[Any]] = {
        "school_id": [f"S{i}" for i in ids_a],
        "books": books_a[: len(ids_a)],
    }
    b: dict[str, list[Any]] = {
        "school_id": [f"S{i}" for i in ids_b],
        "books": books_b[: len(ids_b)],
        "rooms": rooms_b[: len(ids_b)],
    }
    expected: dict[str, dict[str, float | None]] = {}
    conflict = False
    for sheet in (a, b):
        for k, school in enumerate(sheet["school_id"]):
            row = expected.setdefault(str(school), {"books": None, "rooms": None})
            for name in ("books", "rooms"):
                v = sheet[name][k] if name in sheet else None
                if v is not None:
                    conflict |= row[name] is not None and row[name] != v
                    row[name] = v if row[name] is None else row[name]

    def read(sheet: dict[str, list[Any]], name: str) -> SheetColumns:
        cols = {
            "school_id": pa.array(sheet["school_id"], pa.string()),
            "county_code": pa.array(["110000"] * len(sheet["school_id"]), pa.string()),
            **{k: pa.array(v, pa.float64()) for k, v in sheet.items() if k != "school_id"},
        }
        rows = np.arange(1, len(sheet["school_id"]) + 1, dtype=np.int64)
        return SheetColumns(cols, {}, rows, SheetRead(name), [], [], [])

    if conflict:
        with pytest.raises(DataError, match="is on two sheets with different values"):
            merge_sheets([read(a, "小学"), read(b, "初中")], "t")
        return
    out, rows, sheet_of, _ = merge_sheets([read(a, "小学"), read(b, "初中")], "t")
    got = {r["school_id"]: {"books": r["books"], "rooms": r.get("rooms")} for r in out.to_pylist()}
    assert got == expected
    assert len(rows) == len(sheet_of) == out.num_rows
