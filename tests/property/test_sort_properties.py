"""The orders the library finds faster than NumPy's general sorts are NumPy's orders."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity.equity._grouped import group_value_order
from eduequity.metrics import _stable_order


@st.composite
def values_and_groups(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    n = draw(st.integers(0, 3000))
    n_groups = draw(st.sampled_from([1, 3, 50, 70_000]))
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
    few or many, NaN among the values, and more groups than 16 bits count."""
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
