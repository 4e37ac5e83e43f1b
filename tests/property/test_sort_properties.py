"""The orders the library finds faster than NumPy's general sorts are NumPy's orders, and the
arrays it builds without pyarrow's conversions are pyarrow's."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity._arrow import of_type
from eduequity.equity._grouped import _first_reached, group_value_order
from eduequity.metrics import _stable_order


@st.composite
def values_and_groups(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    n = draw(st.integers(0, 3000))
    # So many groups that (group, run, row) overflows one integer: the other way.
    n_groups = draw(st.sampled_from([1, 3, 50, 70_000, 1 << 50]))
    # Few distinct values (many ties), some ties (fewer than one row in 16), or none likely;
    # groups sorted (as the pipeline's) or not.
    distinct = draw(st.sampled_from([2, 5, 40 * max(n, 1), 1 << 40]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.integers(0, distinct, n) / 7.0
    g = rng.integers(0, n_groups, n)
    if draw(st.booleans()):
        g = np.sort(g)
    if n and draw(st.booleans()):  # a value that is not a number, equal to none
        x[rng.integers(0, n, 1 + n // 50)] = np.nan
    return x, g, n_groups


@settings(max_examples=200, deadline=None)
@given(values_and_groups())
def test_group_value_order_is_lexsort(case: tuple[np.ndarray, np.ndarray, int]) -> None:
    """The rows by group, then value, then row: exactly ``np.lexsort((x, g))``, with ties
    few or many, NaN among the values, and more groups than 16 bits count (or than the
    (group, run, row) integers of the ties hold)."""
    x, g, n_groups = case
    assert group_value_order(x, g, n_groups).tolist() == np.lexsort((x, g)).tolist()


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 3000),
    st.sampled_from([1, 2, 3000, 1 << 16, (1 << 16) + 1, 10**6]),
    st.integers(0, 2**32 - 1),
)
def test_stable_order_is_a_stable_argsort(n: int, n_codes: int, seed: int) -> None:
    """The group order every grouped sum uses is ``np.argsort(codes, kind="stable")``,
    with codes in 16 bits or wider."""
    codes = np.random.default_rng(seed).integers(0, n_codes, n)
    expected = np.argsort(codes, kind="stable")
    assert _stable_order(codes, n_codes).tolist() == expected.tolist()


_CELLS = {
    "string": st.text(max_size=5),
    "bool": st.booleans(),
    "int64": st.integers(-(2**63), 2**63 - 1),
    "float64": st.sampled_from([math.nan, math.inf, -math.inf, -0.0])
    | st.floats()
    | st.integers(-(2**53), 2**53),
    "list<int64>": st.lists(st.integers(-(2**63), 2**63 - 1), max_size=4),
}
_KINDS = {
    "string": pa.string(),
    "bool": pa.bool_(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "list<int64>": pa.list_(pa.int64()),
}


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(_CELLS)).flatmap(
        lambda k: st.tuples(st.just(k), st.lists(st.none() | _CELLS[k], max_size=30))
    )
)
def test_of_type_is_pyarrows_array(case: tuple[str, list[Any]]) -> None:
    """The columns a table of County objects is built from are ``pa.array(values, type)``:
    the same type, values, nulls and NaN."""
    name, values = case
    got, expected = of_type(values, _KINDS[name]), pa.array(values, _KINDS[name])
    assert got.type == expected.type
    assert got.null_count == expected.null_count
    # By repr, so that NaN equals NaN and -0.0 differs from 0.0.
    assert [repr(x) for x in got.to_pylist()] == [repr(x) for x in expected.to_pylist()]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(0, 400))
def test_first_reached_is_the_first_row_at_or_above_the_target(
    seed: int, n_groups: int, n: int
) -> None:
    """The binary search per group finds, in each group, the first row of the plain scan
    ``np.flatnonzero(cum >= target[group])`` (NaN where no row reaches it), with empty groups,
    runs of equal sums and targets above the group's last sum."""
    rng = np.random.default_rng(seed)
    g = np.sort(rng.integers(0, n_groups, n))
    steps = rng.choice([0.0, 0.5, 1.0, 3.0], n)  # a step of 0: equal running sums
    cum = np.zeros(n)
    for j in range(n_groups):
        mine = g == j
        cum[mine] = np.cumsum(steps[mine])
    xs = rng.random(n)
    target = rng.choice([0.0, 1.0, 2.5, 1e9], n_groups)
    first = np.searchsorted(g, np.arange(n_groups + 1))
    expected = np.full(n_groups, np.nan)
    for j in range(n_groups):
        reached = np.flatnonzero((g == j) & (cum >= target[j]))
        if reached.size:
            expected[j] = xs[reached[0]]
    found = _first_reached(cum, xs, first, target)
    assert np.array_equal(found, expected, equal_nan=True)
