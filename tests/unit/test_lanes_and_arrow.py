"""The helpers of the columnar door: work spread over threads, and arrays with nulls."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from eduequity._arrow import masked
from eduequity._lanes import lane_map


def test_lane_map_keeps_the_item_order() -> None:
    """With or without a pool, the results come in the order of the items."""
    items = list(range(50))
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = lane_map(pool, lambda a, b: a * 10 + b, items, items[::-1], helpers=2)
    assert threaded == lane_map(None, lambda a, b: a * 10 + b, items, items[::-1])
    assert threaded == [a * 10 + b for a, b in zip(items, items[::-1], strict=True)]


def test_lane_map_goes_on_while_the_pool_is_busy() -> None:
    """Every thread of the pool waits on something else: the calling thread does all the
    items, and the helper that never started is cancelled (no deadlock)."""
    release = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        blocker = pool.submit(release.wait, 30)
        callers: list[int] = []

        def record(i: int) -> int:
            callers.append(threading.get_ident())
            return i

        assert lane_map(pool, record, range(5)) == list(range(5))
        assert set(callers) == {threading.get_ident()}
        release.set()
        assert blocker.result()


def test_lane_map_raises_the_first_failure_in_item_order() -> None:
    """Two items fail: the error of the earlier one is raised, as without a pool."""

    def fn(i: int) -> int:
        if i in (3, 7):
            raise ValueError(f"item {i}")
        return i

    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(20):
            with pytest.raises(ValueError, match="item 3"):
                lane_map(pool, fn, range(10), helpers=2)
    with pytest.raises(ValueError, match="item 3"):
        lane_map(None, fn, range(10))


@given(
    hnp.arrays(
        st.sampled_from([np.float64, np.int8, np.int32, np.int64, np.bool_]),
        st.integers(0, 70),
        elements=st.integers(0, 1),
    ),
    st.data(),
)
def test_masked_equals_pyarrow_with_a_mask(values: np.ndarray, data: st.DataObject) -> None:
    """The shared-buffer array equals ``pa.array(values, mask=...)``: same type, same nulls,
    same values, for contiguous and strided inputs."""
    missing = data.draw(hnp.arrays(np.bool_, values.size))
    step = data.draw(st.integers(1, 3))
    v, m = values[::step], missing[::step]
    got = masked(v, m)
    want = pa.array(v, mask=m)
    assert got.type == want.type
    assert got.equals(want)
    assert got.null_count == int(m.sum())


def test_masked_floats_are_null_where_nan() -> None:
    """Without a mask, NaN becomes null; the values are shared, not copied."""
    x = np.array([1.5, np.nan, 0.0, np.nan])
    got = masked(x)
    assert got.to_pylist() == [1.5, None, 0.0, None]
    assert np.shares_memory(np.frombuffer(got.buffers()[1], dtype=np.float64), x)
    assert masked(np.array([1.0, 2.0])).null_count == 0
