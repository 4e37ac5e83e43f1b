"""The quick pass over a column of amounts (``plain_column``, by NumPy's reductions, nothing
kept) lets through exactly the columns that hold nothing to explain, compared with a plain
reading of every cell; and what it lets through reads as the full checks would read it."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from eduequity._schema import AMOUNT
from eduequity.batch._cells import amounts, plain_column

# Cells of the kinds an amount column meets: ordinary amounts, 0, the bounds and just past
# them, NaN, the infinities, and empty cells.
floats = st.sampled_from(
    [0.0, 1.5, 37.0, AMOUNT.maximum, AMOUNT.maximum * 1.5, -0.5, math.nan, math.inf, -math.inf]
)
ints = st.sampled_from([0, 3, 41, int(AMOUNT.maximum), int(AMOUNT.maximum) + 1, -2])


def plainly_fine(cells: list[float | int | None], applies: list[bool]) -> bool:
    """Nothing to explain: some cell is not empty, every cell is empty or a finite number
    from 0 to the maximum, and no cell where the column applies is empty."""
    given = [c for c in cells if c is not None]
    if not given:
        return False
    for c, a in zip(cells, applies, strict=True):
        if c is None:
            if a:
                return False
        elif not (math.isfinite(c) and AMOUNT.minimum <= c <= AMOUNT.maximum):
            return False
    return True


@given(
    st.lists(st.tuples(st.none() | floats, st.booleans()), min_size=1, max_size=10),
    st.booleans(),
    st.integers(0, 10),
)
def test_the_quick_pass_is_a_reading_of_every_cell(
    rows: list[tuple[float | None, bool]], integer: bool, cut: int
) -> None:
    cells: list[float | int | None] = [c for c, _ in rows]
    if integer:  # an integer column: the same cells, where an integer can hold them
        cells = [
            None if c is None or not math.isfinite(c) else int(c) if c == int(c) else 1
            for c in cells
        ]
    applies = np.array([a for _, a in rows])
    kind = pa.int64() if integer else pa.float64()
    cut = min(cut, len(cells))
    column = pa.chunked_array([cells[:cut], cells[cut:]], kind)
    table = pa.table({"room_area": column})
    col = plain_column(table, "room_area", applies)
    assert (col is not None) is plainly_fine(cells, applies.tolist())
    if col is None:
        return
    values = amounts(col, applies)
    expected = [
        float(c) if c is not None and a else math.nan for c, a in zip(cells, applies, strict=True)
    ]
    np.testing.assert_array_equal(values, np.array(expected))


@given(st.lists(ints, min_size=1, max_size=6))
def test_integers_pass_by_their_exact_values(cells: list[int]) -> None:
    applies = np.ones(len(cells), dtype=np.bool_)
    col = plain_column(pa.table({"books": pa.array(cells, pa.int64())}), "books", applies)
    assert (col is not None) is plainly_fine(list(cells), applies.tolist())
