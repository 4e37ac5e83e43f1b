"""A figure as printed beside its requirement: rounded as the national forms print it, but never
shown on the other side of the requirement from the figure itself.

Rounded half up to 0.01, a school's 4.4994 square metres per pupil prints as 4.50 beside a
requirement of at least 4.5 that it does not meet. Where rounding carries a figure across its
requirement (either way), it is printed with as many more decimals as show it on its own
side, cut towards the figure (4.499; 0.4504 above a maximum of 0.45): what the reader sees
agrees with the verdict beside it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from eduequity.metrics import round_half_up_array

__all__ = ["MOST_DECIMALS", "keep_sides", "printed", "rounded"]

#: The most decimals a figure is printed with to keep it on its side of the requirement.
MOST_DECIMALS = 6

#: Each comparison a requirement makes (``eduequity.standards.Op``'s values), elementwise.
_HOLDS = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
    "==": np.equal,
}


def rounded(values: NDArray[np.float64], places: NDArray[np.integer[Any]]) -> NDArray[np.float64]:
    """Each value rounded half up to its own number of decimals (:func:`eduequity.round_half_up`;
    a negative number of places: left as it is)."""
    shown = np.array(values, dtype=np.float64)
    for d in np.unique(places[places >= 0]).tolist():
        at = places == d
        shown[at] = round_half_up_array(shown[at], d)
    return shown


def keep_sides(
    values: NDArray[np.float64],
    shown: NDArray[np.float64],
    places: NDArray[np.int8],
    thresholds: NDArray[np.float64],
    op: str,
) -> None:
    """Where ``values`` and their rounded ``shown`` fall on two sides of ``op threshold``, cut
    the value towards itself to the fewest more decimals (up to :data:`MOST_DECIMALS`) that put
    it on its own side, in ``shown`` and ``places`` (in place). NaN is left as it is."""
    holds = _HOLDS[op]
    with np.errstate(invalid="ignore"):
        crossed = np.flatnonzero(holds(values, thresholds) != holds(shown, thresholds))
    crossed = crossed[~(np.isnan(values[crossed]) | np.isnan(thresholds[crossed]))]
    for i in crossed.tolist():
        v, t, d = float(values[i]), float(thresholds[i]), int(places[i])
        meets = bool(holds(v, t))
        cut = math.floor if shown[i] > v else math.ceil  # towards the figure
        while d < MOST_DECIMALS and bool(holds(shown[i], t)) != meets:
            d += 1
            shown[i] = cut(v * 10**d) / 10**d
        places[i] = d


def printed(
    values: NDArray[np.float64],
    decimals: NDArray[np.integer[Any]],
    thresholds: NDArray[np.float64],
    op: str,
) -> tuple[NDArray[np.float64], NDArray[np.int8]]:
    """Each value as printed with its ``decimals``, and the decimals it is printed with.

    :func:`rounded`, then :func:`keep_sides` of ``op threshold`` (``op``: ``">="``, ``">"``,
    ``"<="``, ``"<"`` or ``"=="``): the value cut towards itself to the fewest decimals that put
    it on its own side. NaN thresholds and values are left as rounded.

    Examples
    --------
    >>> import numpy as np
    >>> shown, places = printed(
    ...     np.array([4.4994, 4.376, 4.6]), np.array([2, 2, 2]), np.full(3, 4.5), ">="
    ... )
    >>> shown.tolist(), places.tolist()
    ([4.499, 4.38, 4.6], [3, 2, 2])
    """
    values = np.asarray(values, dtype=np.float64)
    places = np.asarray(decimals).astype(np.int8)
    shown = rounded(values, places)
    keep_sides(values, shown, places, np.asarray(thresholds, dtype=np.float64), op)
    return shown, places
