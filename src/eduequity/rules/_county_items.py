"""County items: the county-level inputs of a standard against their thresholds."""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._status import FAILED, NOT_EVALUATED, PASSED
from eduequity.standards._model import Standard

__all__ = ["CountyItemArrays", "county_item_arrays"]

FloatArray = NDArray[np.float64]

#: County inputs as arrays: one array over the counties per input id (NaN where not supplied;
#: a flag is 1.0 or 0.0).
CountyInputArrays = Mapping[str, FloatArray]


@attrs.frozen(eq=False)
class CountyItemArrays:
    """Each county item of a standard in every county.

    Attributes
    ----------
    value : array of float, shape (n_items, n_counties)
        The input supplied (NaN where not supplied; a flag is 1.0 or 0.0).
    status : array of int, shape (n_items, n_counties)
        Status code: passed, failed, or not evaluated where the input was not supplied.
    """

    value: FloatArray
    status: NDArray[np.intp]


def county_item_arrays(
    standard: Standard, inputs: CountyInputArrays, n_counties: int
) -> CountyItemArrays:
    """The status of each of ``standard``'s county items in every county."""
    items = standard.county_items
    value = np.full((len(items), n_counties), np.nan)
    status = np.full((len(items), n_counties), NOT_EVALUATED, dtype=np.intp)
    for k, item in enumerate(items):
        if item.input in inputs:
            value[k] = inputs[item.input]
        status[k] = np.where(item.op.compare(value[k], item.value), PASSED, FAILED)
        status[k, np.isnan(value[k])] = NOT_EVALUATED
    return CountyItemArrays(value, status)
