"""One name for the weights of every statistic (``weights``); the former ``enrollment=`` of the
planner's level functions still works in 0.2, with a DeprecationWarning."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import eduequity as ee
from eduequity import equity

X = np.array([1.0, 2.0, 6.0, 3.0])
P = np.array([30.0, 10.0, 20.0, 40.0])
G = np.array([0, 0, 1, 1])


def test_every_statistic_calls_its_weights_weights() -> None:
    """No public statistic or level function takes its weights under another name."""
    functions: list[Callable[..., Any]] = [
        ee.weighted_cv,
        ee.grouped_weighted_cv,
        ee.grouped_weighted_moments,
        ee.water_level,
        ee.cv_of_level,
        ee.level_cost,
        ee.composite_levels,
    ]
    functions += [getattr(equity, n) for n in equity.__all__ if n not in ("GROUPED",)]
    for f in functions:
        names = list(inspect.signature(f).parameters)
        assert "enrollment" not in names, f.__name__
        if f not in (equity.unweighted_cv, equity.sample_cv, equity.bootstrap_difference):
            assert "weights" in names, f.__name__


@pytest.mark.parametrize(
    ("func", "args"),
    [
        (ee.water_level, (X, P, [0.2, 0.2], G)),
        (ee.cv_of_level, (X, P, [2.0, 4.0], G)),
        (ee.level_cost, (X, P, [2.0, 4.0], G)),
    ],
)
def test_former_enrollment_keyword_warns(func: object, args: tuple[object, ...]) -> None:
    """enrollment= gives the same answer as weights=, with a DeprecationWarning."""
    values, weights, *rest = args
    assert callable(func)
    expected = func(values, weights, *rest)
    with pytest.warns(DeprecationWarning, match="enrollment= is renamed weights="):
        got = func(values, *rest[:0], enrollment=weights, **_rest_keywords(func, rest))
    np.testing.assert_array_equal(got, expected)


def _rest_keywords(func: object, rest: list[object]) -> dict[str, object]:
    assert callable(func)
    names = list(inspect.signature(func).parameters)[2 : 2 + len(rest)]
    return dict(zip(names, rest, strict=True))


def test_composite_levels_former_keywords() -> None:
    """composite_levels(enrollment=, weights=costs) of 0.1 is weights=, costs= of 0.2."""
    values = [X, X[::-1].copy()]
    costs = [np.full(4, 1.0), np.full(4, 2.0)]
    bound = np.array([0.1, 0.1])
    expected = ee.composite_levels(values, P, bound, G, costs)
    with pytest.warns(DeprecationWarning, match="costs="):
        got = ee.composite_levels(values, enrollment=P, maximum=bound, groups=G, weights=costs)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.warns(DeprecationWarning, match="costs="):
        got = ee.composite_levels(values, P, bound, G, weights=costs)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)
