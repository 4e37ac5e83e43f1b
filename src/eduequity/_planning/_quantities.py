"""What a plan adds of a resource: the quantity that brings each part's indicator to a target,
in the plan's units (``eduequity._planning._grid``), and what one unit weighs when indicators
are compared (its unit cost, or its share of the county's current total)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from eduequity._errors import DataError
from eduequity._indicators import get_indicator
from eduequity._planning._grid import QUANTUM, steps_inside
from eduequity._planning.costs import Costs
from eduequity._schema import SPLIT_RESOURCES
from eduequity.rules._columns import STAGES
from eduequity.rules._pipeline import Evaluation
from eduequity.rules._shortfalls import quantity_to_meet
from eduequity.standards._model import Op

__all__ = ["inside_quantities", "quantities", "stage_inside_quantities", "weights"]

FloatArray = NDArray[np.float64]


def weights(
    ev: Evaluation, resource: str, costs: Costs | None, rows: NDArray[np.bool_] | NDArray[np.intp]
) -> FloatArray:
    """Per part of ``rows`` (a mask or the rows of the parts), what one unit of ``resource``
    weighs when indicators are compared: its unit cost, or one over the county's current total
    of the resource in the part's stage."""
    parts = ev.parts
    codes = parts.groups.codes[rows]
    if costs is not None:
        unit = costs.of(resource)
        if unit is None:
            raise DataError(f"plan: the costs give no unit cost for {resource!r}.")
        return np.full(codes.size, unit)
    amount = np.nan_to_num(parts.amounts[resource])
    total = np.bincount(parts.groups.codes, weights=amount, minlength=parts.groups.n_groups)
    with np.errstate(divide="ignore", over="ignore"):
        inverse = np.where(total > 0, 1.0 / total, 1.0)
    # A total so small its inverse overflows weighs as the largest float.
    weight: FloatArray = np.minimum(inverse, np.finfo(np.float64).max)[codes]
    return weight


def quantities(ev: Evaluation, resource: str, indicator: str, target: FloatArray) -> FloatArray:
    """The quantity of ``resource`` that brings each part's ``indicator`` to ``target``: per
    part for a per-stage resource; per school for a split one (the most either part needs).
    Computed and checked as the rule computes the part
    (``quantity_to_meet``); NaN where not reported."""
    return _laid_out(ev, resource, indicator, target, inside=False)


def inside_quantities(
    ev: Evaluation, resource: str, indicator: str, floor: FloatArray
) -> FloatArray:
    """The quantity of ``resource`` that brings each part's ``indicator`` one unit inside its
    ``floor`` (a minimum; NaN: none), as :func:`quantities` lays it out: the least quantity
    that meets the floor in the rule's own order of arithmetic
    (``quantity_to_meet``), raised where needed so that the
    amount lands inside the threshold in any order (``eduequity._planning._grid``).

    Notes
    -----
    A part of :math:`P` students whose value is :math:`R \\cdot scale / P` (for a split
    resource, its share :math:`s` of the school's total :math:`R`) meets a minimum :math:`t`
    exactly at :math:`R^* = t P / (scale \\cdot s)`; it adds
    ``steps_inside`` units of :math:`(R^* - R) / u`.
    """
    return _laid_out(ev, resource, indicator, floor, inside=True)


def stage_inside_quantities(
    ev: Evaluation, resource: str, indicator: str, floor: float, rows: NDArray[np.intp], code: int
) -> FloatArray:
    """:func:`inside_quantities` of the parts ``rows`` only, all of stage ``code`` and each with
    the one ``floor``: per row, what its part (for a split resource, its school) adds.

    The same numbers as ``inside_quantities`` with ``floor`` on ``rows`` and none elsewhere,
    taken at those rows (per part) or at their schools (per school): each part's quantity is
    computed element by element, and a school has one part in a stage, so the most its parts
    need is its part in ``rows``.
    """
    return _of_stage(ev, resource, indicator, floor, rows, code, inside=True)


def _laid_out(
    ev: Evaluation, resource: str, indicator: str, target: FloatArray, *, inside: bool
) -> FloatArray:
    """:func:`_of_stage` of every part, stage by stage: per part for a per-stage resource;
    per school for a split one (the most its parts need; NaN where the school's is not
    reported)."""
    parts, cols = ev.parts, ev.columns
    per_part = np.full(parts.school_row.size, np.nan)
    for code in range(len(STAGES)):
        block = parts.rows_of_stage(code)
        rows = np.arange(block.start, block.stop)
        per_part[block] = _of_stage(ev, resource, indicator, target[block], rows, code, inside)
    if resource not in SPLIT_RESOURCES:
        return per_part
    per_school = np.zeros(cols.n_schools)
    np.fmax.at(per_school, parts.school_row, per_part)
    per_school[np.isnan(cols.resources[resource])] = np.nan
    return per_school


def _of_stage(
    ev: Evaluation,
    resource: str,
    indicator: str,
    target: float | FloatArray,
    rows: NDArray[np.intp],
    code: int,
    inside: bool,
) -> FloatArray:
    """Per part of ``rows`` (all of stage ``code``), the quantity that brings its ``indicator``
    to ``target`` (one for all, or one per row; NaN: none), as the rule computes the part
    (``quantity_to_meet``); with ``inside``, raised where needed to land one unit inside it
    (see :func:`inside_quantities`). NaN where not reported."""
    parts = ev.parts
    ind = get_indicator(indicator).with_numerator(resource)
    current = parts.amounts[resource][rows]
    p = parts.enrollment[rows]
    school_row = parts.school_row[rows]
    with np.errstate(invalid="ignore"):
        short = ind.compute(current, p) < target
    splits = resource in SPLIT_RESOURCES
    share = parts.share[rows]
    whole = ev.columns.resources[resource] if splits else None  # asked for once
    least = quantity_to_meet(
        ind,
        resource,
        Op.GE,
        np.nan_to_num(target),
        whole,
        school_row,
        code,
        current,
        p,
        parts.multi,
        ~short,
        parts.split[rows],
        share,
    )
    todo = np.flatnonzero(short & ~np.isnan(current))
    if not inside or todo.size == 0:
        return least
    base = whole[school_row[todo]] if whole is not None else current[todo]
    floor = target if np.ndim(target) == 0 else np.asarray(target)[todo]
    exact = floor * p[todo] / ind.scale / (share[todo] if splits else 1.0)
    quantum = QUANTUM[resource]
    raised = steps_inside((exact - base) / quantum, resource) * quantum
    least[todo] = np.fmax(least[todo], raised)
    return least
