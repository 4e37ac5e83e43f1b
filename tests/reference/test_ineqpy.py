"""eduequity's Theil and Atkinson indices against IneqPy's formulas (transcribed in
ineqpy_formulas.py), and the one place they differ."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduequity import equity

from . import ineqpy_formulas as ineqpy


@settings(max_examples=80)
@given(st.lists(st.tuples(st.floats(0.01, 1e4), st.floats(1.0, 3000.0)), min_size=1, max_size=30))
def test_theil_and_atkinson_agree_with_ineqpy(pairs: list[tuple[float, float]]) -> None:
    """IneqPy's formulas (transcribed in tests/reference/ineqpy_formulas.py) give the same
    Theil index and Atkinson indices to 1e-12, on positive values with weights — except the
    Atkinson index at epsilon = 1, where IneqPy subtracts log(mean) once per school inside
    its sum (a bug for more than one school): eduequity keeps the textbook form."""
    x = np.array([v for v, _ in pairs])
    w = np.array([p for _, p in pairs])
    assert equity.theil(x, w) == pytest.approx(ineqpy.theil(x, w), rel=1e-12, abs=1e-12)
    for eps in (0.5, 2.0, 3.0):
        assert equity.atkinson(x, w, eps) == pytest.approx(
            ineqpy.atkinson(x, w, eps), rel=1e-12, abs=1e-12
        )
    f = w / w.sum()
    mean = float((f * x).sum())
    textbook = 1 - math.exp(float((f * np.log(x)).sum())) / mean
    assert equity.atkinson(x, w, 1.0) == pytest.approx(textbook, rel=1e-12, abs=1e-12)
    theirs = 1 - math.exp(float((f * np.log(x)).sum()) - x.size * math.log(mean))
    assert ineqpy.atkinson(x, w, 1.0) == pytest.approx(theirs, rel=1e-9, abs=1e-12)
