"""IneqPy's Theil and Atkinson indices, transcribed from its source for comparison.

From IneqPy (https://github.com/mmngreco/IneqPy, ``src/ineqpy/inequality.py``, functions
``theil`` and ``atkinson``; MIT License), reduced to their arithmetic on NumPy arrays: IneqPy
also drops non-positive values silently (``utils.not_null_condition``), which eduequity refuses
to do, so the inputs here are positive. Its weighted mean is ``sum(w * x) / sum(w)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def _mean(x: NDArray[np.float64], w: NDArray[np.float64]) -> float:
    return float(np.sum(x * w) / np.sum(w))


def theil(income: NDArray[np.float64], weights: NDArray[np.float64]) -> float:
    mu = _mean(income, weights)
    f_i = weights / np.sum(weights)
    return float(np.sum((f_i * income / mu) * np.log(income / mu)))


def atkinson(income: NDArray[np.float64], weights: NDArray[np.float64], e: float = 0.5) -> float:
    mu = _mean(income, weights)
    f_i = np.atleast_1d(weights / sum(weights))
    if e == 1:
        return float(1 - np.power(np.e, np.sum(f_i * np.log(income) - np.log(mu))))
    return float(1 - np.power(np.sum(f_i * np.power(income / mu, 1 - e)), 1 / (1 - e)))
