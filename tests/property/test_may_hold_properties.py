"""The search for a total's or a footer's word in a text column (``may_hold``) finds every
cell that holds one, compared with Python's ``in`` on each cell."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from eduequity.batch._rows import may_hold

# Cells of the characters the searches meet: digits, colons of both widths, 合计's 计 and
# characters sharing its first byte in UTF-8 (E8: 股, 计's neighbours).
cell = st.text(alphabet="0123:：计讠訁股合总小 \u3000a", max_size=6)
needles = st.sampled_from([("计",), (":", "："), ("；", "、", "，"), ("：",)])


@given(st.lists(st.none() | cell, max_size=12), needles)
def test_may_hold_is_any_cell_holding_a_needle(
    cells: list[str | None], words: tuple[str, ...]
) -> None:
    """On a whole column it is exactly whether some cell holds one of the needles."""
    expected = any(c is not None and any(w in c for w in words) for c in cells)
    assert may_hold(pa.array(cells, pa.string()), *words) is expected


@given(st.lists(st.none() | cell, min_size=1, max_size=12), needles, st.data())
def test_may_hold_finds_every_cell_of_a_slice(
    cells: list[str | None], words: tuple[str, ...], data: st.DataObject
) -> None:
    """On a slice or chunks of a column (whose buffers hold other cells' bytes too) it may
    say True where no cell holds a needle, never False where one does."""
    start = data.draw(st.integers(0, len(cells) - 1))
    stop = data.draw(st.integers(start, len(cells)))
    column = pa.array(cells, pa.string())
    piece = column.slice(start, stop - start)
    chunked = pa.chunked_array([column.slice(0, start), column.slice(start)], pa.string())
    if any(c is not None and any(w in c for w in words) for c in cells[start:stop]):
        assert may_hold(piece, *words)
    assert may_hold(chunked, *words) is may_hold(column, *words)
