"""The helpers of the columnar door: work spread over threads (and the ``threads`` option),
and arrays with nulls."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eduequity as ee
from eduequity import batch
from eduequity._arrow import masked
from eduequity._lanes import lane_map, lanes
from eduequity.errors import DataError


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


def _sample_table() -> pa.Table:
    return batch.table_from_counties([ee.datasets.sample_county()])


def test_threads_option_does_not_change_the_result() -> None:
    """On the calling thread alone (threads=0), one worker or four: the same tables, and the
    same error for a bad table."""
    table = _sample_table()
    # Several problems, found by different threads, reported in one fixed order.
    bad = table
    for name, values in (
        ("books", [-1.0] * table.num_rows),
        ("kind", ["castle", *table.column("kind").to_pylist()[1:]]),
        ("school_id", ["", *table.column("school_id").to_pylist()[1:]]),
        ("room_area", [None] * table.num_rows),
    ):
        bad = bad.set_column(
            bad.column_names.index(name), name, pa.array(values, bad.schema.field(name).type)
        )
    results, errors = [], []
    for threads in (2, 0, 1, 4):
        previous = ee.set_options(threads=threads)
        try:
            out = batch.evaluate_table(table, "cn-quality-2017")
            results.append((out.counties, out.schools, out.findings))
            with pytest.raises(DataError) as info:
                batch.evaluate_table(bad, "cn-quality-2017")
            errors.append(str(info.value))
        finally:
            ee.set_options(**previous)
    for other in results[1:]:
        for a, b in zip(results[0], other, strict=True):
            assert a.equals(b)
    assert len(set(errors)) == 1
    assert errors[0].count("\n  - ") == 4


def test_threads_option_is_checked() -> None:
    """threads is an integer from 0 to 64."""
    for bad in (-1, 65, True, 1.5, "2"):
        with pytest.raises(ValueError, match="threads must be an integer from 0 to 64"):
            ee.set_options(threads=bad)
    assert ee.get_option("threads") == 2


def test_lanes_wait_for_every_task_even_on_error() -> None:
    """Leaving the block, by an exception too, waits for the tasks submitted in it."""
    finished = threading.Event()

    def slow() -> None:
        time.sleep(0.2)
        finished.set()

    def stopped() -> None:
        with lanes() as pool:
            pool.submit(slow)
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        stopped()
    assert finished.is_set()


def _evaluate_in_child() -> int:
    return int(batch.evaluate_table(_sample_table(), "cn-basic-2012").schools.num_rows)


def test_a_forked_child_gets_its_own_threads() -> None:
    """After a fork the parent's worker threads do not exist in the child: the child starts
    its own instead of waiting for them."""
    rows = _evaluate_in_child()  # the parent's pool exists now
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as children:
        assert children.apply_async(_evaluate_in_child).get(timeout=120) == rows
