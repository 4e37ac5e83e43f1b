"""One rule for every measure: bad input raises DataError, an undefined statistic is NaN."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from numpy.typing import ArrayLike

import eduequity as ee
from eduequity import equity

Measure = Callable[[ArrayLike, ArrayLike], float]

#: Every scalar statistic over (values, weights): the CV and each equity measure.
MEASURES: dict[str, Measure] = {
    "weighted_cv": ee.weighted_cv,
    "gini": equity.gini,
    "theil": equity.theil,
    "mean_log_deviation": equity.mean_log_deviation,
    "generalized_entropy": lambda x, w: equity.generalized_entropy(x, w, 2.0),
    "generalized_entropy(-1)": lambda x, w: equity.generalized_entropy(x, w, -1.0),
    "atkinson": equity.atkinson,
    "atkinson(1)": lambda x, w: equity.atkinson(x, w, 1.0),
    "atkinson(2)": lambda x, w: equity.atkinson(x, w, 2.0),
    "mcloone": equity.mcloone,
    "verstegen": equity.verstegen,
    "percentile_ratio": equity.percentile_ratio,
    "range_ratio": equity.range_ratio,
    "restricted_range": equity.restricted_range,
    "federal_range_ratio": equity.federal_range_ratio,
    "weighted_percentile": lambda x, w: equity.weighted_percentile(x, w, 0.5),
    "unweighted_cv": lambda x, w: equity.unweighted_cv(x),
    "sample_cv": lambda x, w: equity.sample_cv(x),
    "decompose": lambda x, w: equity.decompose(x, w, ["a"] * len(np.asarray(x)))["total"],
}

#: The statistics that stay defined (a number) when every value is 0.
DEFINED_AT_ZERO = {"restricted_range": 0.0, "weighted_percentile": 0.0}

#: The statistics a single value of 0 (among others above 0) leaves undefined.
UNDEFINED_WITH_A_ZERO = {
    "mean_log_deviation",
    "generalized_entropy(-1)",
    "atkinson(1)",
    "atkinson(2)",
    "range_ratio",
    # Here the school with 0 holds a sixth of the students: the 5th percentile is 0.
    "percentile_ratio",
    "federal_range_ratio",
}

#: Measure names in both the scalar functions and grouped_measures (epsilon 0.5).
GROUPED_TWINS = {
    "weighted_cv": "cv",
    "gini": "gini",
    "theil": "theil",
    "mean_log_deviation": "mean_log_deviation",
    "atkinson": "atkinson",
    "mcloone": "mcloone",
    "verstegen": "verstegen",
    "federal_range_ratio": "federal_range_ratio",
}


@pytest.mark.parametrize("name", MEASURES)
def test_all_zero_is_nan(name: str) -> None:
    """Schools that all have 0: the statistic is NaN (undefined), not an error."""
    got = MEASURES[name]([0.0, 0.0, 0.0], [10, 20, 30])
    if name in DEFINED_AT_ZERO:
        assert got == DEFINED_AT_ZERO[name]
    else:
        assert math.isnan(got)


@pytest.mark.parametrize("name", MEASURES)
def test_no_school_is_nan(name: str) -> None:
    """No school: the statistic is NaN (undefined), not an error."""
    assert math.isnan(MEASURES[name]([], []))


@pytest.mark.parametrize("name", MEASURES)
def test_a_zero_among_others(name: str) -> None:
    """One school with 0: NaN exactly for the measures a 0 leaves undefined."""
    got = MEASURES[name]([0.0, 2.0, 4.0], [10, 20, 30])
    assert math.isnan(got) == (name in UNDEFINED_WITH_A_ZERO)


#: Bad inputs, and the message each must give.
BAD_INPUT = [
    ([1.0, -2.0], [1, 1], r"values\[1\] must be finite and >= 0"),
    ([1.0, float("nan")], [1, 1], r"values\[1\] must be finite and >= 0"),
    ([1.0, float("inf")], [1, 1], r"values\[1\] must be finite and >= 0"),
    ([1.0, 2.0], [1, 0], r"weights\[1\]"),
    ([1.0, 2.0], [1, -3], r"weights\[1\]"),
    ([1.0, 2.0], [1, 2, 3], r"length"),
]

#: The measures that take no weights: a bad weight is none of their business.
UNWEIGHTED = ("unweighted_cv", "sample_cv")


@pytest.mark.parametrize(
    ("name", "values", "weights", "message"),
    [
        (name, *case)
        for name in MEASURES
        for case in BAD_INPUT
        if not (name in UNWEIGHTED and case[2].startswith(("weights", "length")))
    ],
)
def test_bad_input_raises(
    name: str, values: list[float], weights: list[float], message: str
) -> None:
    """Bad input raises DataError (also a ValueError) naming the position and the value."""
    with pytest.raises(ee.DataError, match=message):
        MEASURES[name](values, weights)


@pytest.mark.parametrize("scalar", GROUPED_TWINS)
def test_grouped_forms_follow_the_same_rule(scalar: str) -> None:
    """grouped_measures and grouped_weighted_cv give NaN for the same groups as the scalars."""
    groups = [
        ([0.0, 0.0], [3, 4]),  # all zero
        ([0.0, 2.0, 5.0], [3, 4, 5]),  # one zero
        ([1.0, 2.0, 5.0], [3, 4, 5]),  # defined
    ]
    x = np.concatenate([np.array(v) for v, _ in groups])
    w = np.concatenate([np.array(p, dtype=float) for _, p in groups])
    g = np.repeat(np.arange(len(groups)), [len(v) for v, _ in groups])
    grouped = equity.grouped_measures(x, w, g, n_groups=4)[GROUPED_TWINS[scalar]]
    for k, (values, weights) in enumerate(groups):
        one = MEASURES[scalar](values, weights)
        assert math.isnan(grouped[k]) == math.isnan(one)
        if not math.isnan(one):
            assert grouped[k] == pytest.approx(one, rel=1e-12)
    assert math.isnan(grouped[3])  # a group with no school
    if scalar == "weighted_cv":
        assert np.isnan(ee.grouped_weighted_cv(x, w, g)).tolist() == [True, False, False]
