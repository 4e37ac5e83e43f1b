"""Shortfalls: how much of a resource a school must add to meet a minimum, in natural units.

For a minimum :math:`t` on an indicator :math:`R \\times scale / P`, a stage part needs
:math:`R' \\ge t P / scale`. People are reported by stage, so the quantity is added to the
stage's own figure. A physical resource of a multi-stage school is split between its stages, so
the quantity is what the *school* must add to its reported total for this stage's share to reach
the minimum. Quantities are rounded up to the resource's unit (a whole teacher, computer, book or
room; 0.01 m²; 1 yuan) and checked by recomputing the indicator the same way the rule does,
so adding the shortfall always makes the part meet the minimum.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._indicators import Indicator
from eduequity._split import SPLIT_RESOURCES, SplitSchools
from eduequity.standards._model import Op

__all__ = ["RESOURCE_UNITS", "additions_to_meet", "quantity_to_meet", "round_up", "unit_en"]

FloatArray = NDArray[np.float64]

_PERSON = ("人", "persons", 1.0)
_AREA = ("平方米", "m²", 0.01)

#: Unit of each resource (Chinese, English) and the smallest quantity one adds.
RESOURCE_UNITS: Mapping[str, tuple[str, str, float]] = {
    "teachers": _PERSON,
    "staff": _PERSON,
    "teachers_above_qualification": _PERSON,
    "teachers_intermediate_title": _PERSON,
    "teachers_backbone": _PERSON,
    "teachers_pe_arts": _PERSON,
    "room_area": _AREA,
    "sports_area": _AREA,
    "equipment_value": ("元", "yuan", 1.0),
    "computers": ("台", "computers", 1.0),
    "books": ("册", "volumes", 1.0),
    "multimedia_rooms": ("间", "rooms", 1.0),
    "music_rooms": ("间", "rooms", 1.0),
    "music_room_area": _AREA,
    "art_rooms": ("间", "rooms", 1.0),
    "art_room_area": _AREA,
}

_SINGULAR = {"persons": "person", "computers": "computer", "volumes": "volume", "rooms": "room"}


def unit_en(resource: str, quantity: float) -> str:
    """The English unit of ``resource`` for ``quantity`` of it: "1 person", "2 persons".

    Examples
    --------
    >>> unit_en("teachers_backbone", 1), unit_en("books", 2), unit_en("room_area", 1)
    ('person', 'volumes', 'm²')
    """
    plural = RESOURCE_UNITS[resource][1]
    return _SINGULAR.get(plural, plural) if quantity == 1 else plural


_MAX_STEPS = 8


def round_up(x: FloatArray, quantum: float) -> FloatArray:
    """``x`` rounded up to a whole number of ``quantum`` (0 for negative ``x``)."""
    # Round the count of quanta to 6 decimals first, so 1233.9999999 quanta is 1234, not 1235;
    # an undershoot by rounding is caught by the check that follows.
    result: FloatArray = np.ceil(np.round(np.maximum(x, 0.0) / quantum, 6)) * quantum
    return result


def additions_to_meet(
    amount: ArrayLike,
    enrollment: ArrayLike,
    minimum: float,
    *,
    scale: float = 1.0,
    quantum: float = 1.0,
) -> FloatArray:
    r"""How much of a resource each school must add for its indicator to reach a minimum.

    Parameters
    ----------
    amount : array of float, shape (n,)
        The resource each school has :math:`R_i` (teachers, m², yuan, computers, books, rooms).
    enrollment : array of float, shape (n,)
        Its students :math:`P_i`, ``> 0``.
    minimum : float
        The minimum :math:`t` of the indicator :math:`R_i \times scale / P_i`.
    scale : float, default 1
        1, or 100 for an indicator "per 100 students".
    quantum : float, default 1
        The smallest quantity one adds: 1 for whole teachers, computers, books or rooms; 0.01
        for m²; 1 for yuan.

    Returns
    -------
    array of float, shape (n,)
        The smallest whole number of quanta :math:`a_i \ge 0` with
        :math:`(R_i + a_i) \times scale / P_i \ge t`, computed in the indicator's order of
        arithmetic and verified; 0 where the school already meets the minimum.

    Notes
    -----
    :math:`a_i = \lceil (t P_i / scale - R_i) / q \rceil q`, then raised by one quantum at a
    time while rounding leaves the recomputed indicator below :math:`t`. For a multi-stage
    school's split resource see ``quantity_to_meet``.

    Examples
    --------
    Backbone teachers per 100 students must be at least 1.0 (2017): a school of 430 students
    with 3 backbone teachers must add 2.

    >>> additions_to_meet([3.0, 5.0], [430, 430], 1.0, scale=100).tolist()
    [2.0, 0.0]
    """
    r = np.asarray(amount, dtype=np.float64)
    p = np.asarray(enrollment, dtype=np.float64)
    q = round_up(minimum * p / scale - r, quantum)
    for _ in range(_MAX_STEPS):
        short = (r + q) * scale / p < minimum
        if not short.any():
            break
        q[short] += quantum
    return q


def quantity_to_meet(
    indicator: Indicator,
    numerator: str,
    op: Op,
    threshold: float | FloatArray,
    whole: FloatArray | None,
    school_row: NDArray[np.intp],
    stage_code: int,
    current: FloatArray,
    enrollment: FloatArray,
    multi: SplitSchools,
    met: NDArray[np.bool_],
    split: NDArray[np.bool_],
    share: FloatArray,
) -> FloatArray:
    """The quantity of ``numerator`` each part must add to meet ``op threshold``.

    Parameters
    ----------
    indicator, numerator : the indicator and the resource it is computed from.
    op, threshold : the rule; only minimums (``>=``, ``>``) have a shortfall (else NaN). The
        threshold is one for every part, or one per part (a plan's targets).
    whole : each school's whole amount of ``numerator``, where it is a resource split between
        stages (None otherwise).
    school_row : the row of each part's school.
    stage_code : the parts' stage (index into STAGES).
    current : the part's current amount of the resource (NaN where not reported).
    enrollment : the part's enrollment.
    multi : the multi-stage schools and the weights their resources are split with (the
        standard's, as the parts were split: ``StageParts.multi``).
    met : whether each part already meets the rule.
    split, share : whether the part's school splits its physical resources, and the part's
        share of one unit (see :class:`~eduequity.rules.parts.Parts`).

    Returns
    -------
    array of float
        0 where the part already meets the rule; NaN where the amount is not reported or the
        rule is not a minimum.
    """
    n = school_row.size
    if not op.is_minimum or n == 0:
        return np.full(n, np.nan)
    splits = numerator in SPLIT_RESOURCES
    # A part's amount is NaN exactly where its school's is: amounts are finite, and a split
    # keeps NaN as NaN in every part.
    unknown = np.isnan(current)
    out = np.zeros(n)
    out[np.flatnonzero(unknown)] = np.nan
    # Only the parts that miss the minimum need a quantity.
    todo = np.flatnonzero(~(met | unknown))
    if todo.size == 0:
        return out
    quantum = RESOURCE_UNITS[numerator][2]
    base = whole[school_row[todo]] if splits and whole is not None else current[todo]
    p = enrollment[todo]
    # A school that is not split keeps all it adds in this stage; a split one is recomputed
    # as the rule computes its part (the split of split_amounts, with the same weights).
    shared = np.flatnonzero(split[todo]) if splits else np.zeros(0, dtype=np.intp)
    stage_weights = multi.at(school_row[todo[shared]]) if shared.size else None

    def part_after(add: FloatArray) -> FloatArray:
        after = base + add
        if stage_weights is not None:
            after[shared] = stage_weights.split(after[shared])[stage_code]
        return after

    t = np.asarray(threshold, dtype=np.float64)
    if t.ndim:  # one per part
        t = t[todo]
    required_part = t * p / indicator.scale
    with np.errstate(invalid="ignore", divide="ignore"):
        q = round_up(required_part / (share[todo] if splits else 1.0) - base, quantum)
    for _ in range(_MAX_STEPS):
        short = ~op.compare(indicator.compute(part_after(q), p), t)
        if not short.any():
            break
        q[short] += quantum
    out[todo] = q
    return out
