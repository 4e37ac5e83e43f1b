"""Quantities on their grid, and amounts planned one unit inside a threshold.

Every quantity a plan adds is a whole number of its column's unit (:data:`QUANTUM`: a person,
computer, book or room, 0.01 m², 1 yuan, a class) and is stored as the float nearest that
decimal (``59.8``, never ``59.800000000000004``), so tables and files show it as written.

A planned amount that lands exactly on a threshold passes or fails by the last bit of the
arithmetic: 2,000 yuan per pupil for the primary part of a nine-year school is
:math:`2\\,190\\,600 / (454 + 1.1 \\times 583) = 2000` exactly, which another order of the same
operations (an office's spreadsheet) computes as 1999.9999999999998. A plan therefore lands
strictly inside: with :math:`R^*` the least amount that meets the threshold exactly and
:math:`u` the column's unit, the planned amount :math:`R'` is

- for yuan and m² (:math:`u` = 1 yuan, 0.01 m²): the least amount on the grid with
  :math:`R' \\ge R^* + u`, one whole unit inside;
- for whole counts (persons, computers, books, rooms): the least whole count with
  :math:`R' > R^*`: one whole unit inside where :math:`R^*` is a whole count, else the rest of
  the unit up to the next one (a school needing 4.3 backbone teachers plans 5, not 6).

:math:`R^*` within :data:`EPS` units of a grid point counts as on it (the float value of
:math:`R^*` carries the rounding of its own computation). The margin is then at least
:data:`EPS` of a unit, far more than the rounding of any order of arithmetic on amounts below
:math:`10^9` units.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from eduequity.rules._shortfalls import RESOURCE_UNITS

__all__ = ["EPS", "QUANTUM", "WHOLE", "on_grid", "steps_inside"]

FloatArray = NDArray[np.float64]

#: The unit of each column a plan adds to: its smallest addition.
QUANTUM: Mapping[str, float] = {
    **{r: u[2] for r, u in RESOURCE_UNITS.items()},
    "classes": 1.0,
}

#: Resources counted in whole things (persons, computers, books, rooms, classes).
WHOLE: frozenset[str] = frozenset(
    [r for r, u in RESOURCE_UNITS.items() if u[0] in ("人", "台", "册", "间")] + ["classes"]
)

#: Distance from a grid point, in units, within which an amount counts as on it.
EPS = 1e-6


def on_grid(quantity: FloatArray, resource: str) -> FloatArray:
    """``quantity`` as a whole number of the resource's unit, stored as the float nearest the
    decimal (NaN stays NaN).

    Examples
    --------
    >>> import numpy as np
    >>> on_grid(np.array([5980 * 0.01, 2.0000000001]), "room_area").tolist()
    [59.8, 2.0]
    """
    quantum = QUANTUM.get(resource, 1.0)
    snapped: FloatArray = np.round(np.round(quantity / quantum) * quantum, 2) + 0.0
    return snapped


def steps_inside(need: FloatArray, resource: str) -> FloatArray:
    """Units of ``resource`` to add for an amount ``need`` units short of a threshold to land
    inside it (see the module): ``floor(need + EPS) + 1`` for whole counts,
    ``ceil(need - EPS) + 1`` for yuan and m².

    Examples
    --------
    >>> import numpy as np
    >>> steps_inside(np.array([4.3, 4.0, 3.9999999999]), "teachers_backbone").tolist()
    [5.0, 5.0, 5.0]
    >>> steps_inside(np.array([4.3, 4.0]), "equipment_value").tolist()
    [6.0, 5.0]
    """
    if resource in WHOLE:
        steps: FloatArray = np.floor(need + EPS) + 1.0
    else:
        steps = np.ceil(need - EPS) + 1.0
    return np.maximum(steps, 0.0)
