"""Each year's figures as the panel reads them: county means, class-size targets, schools."""

from __future__ import annotations

import attrs
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity import _display
from eduequity._arrow import array
from eduequity._models import Stage
from eduequity._split import KIND_CODES
from eduequity._status import PASSED
from eduequity.batch import BatchResult
from eduequity.standards._model import Standard

__all__ = ["KIND_NAMES", "Year", "bound_of", "with_year_figures", "year_of"]


#: The name of each kind code (``KIND_CODES``).
KIND_NAMES = tuple(k.value for k in sorted(KIND_CODES, key=KIND_CODES.__getitem__))


def with_year_figures(result: BatchResult, year: int) -> pa.Table:
    """The counties table with each indicator's county mean (``mean_<indicator>``: the
    enrollment-weighted mean of the schools' values, e.g. yuan of equipment per student; null
    where a school of the county's stage lacks the figure, as the CV is), and
    for each class-size target the county's share of such classes and, from the target's
    year on, whether it is met (null before, or with no class reported)."""
    ev = result.evaluation
    group = ev.parts.county_major()
    county = ev.parts.group_county[group]
    table = result.counties
    for ind, moments in ev.balance.moments.items():
        values = moments.mean[group]
        table = table.append_column(f"mean_{ind}", array(values, mask=np.isnan(values)))
    rule, arrays = ev.standard.class_size, ev.class_targets
    if rule is None or arrays is None:
        return table
    for k, target in enumerate(rule.targets):
        share = arrays.share[k][county]
        name = f"classes_{target.min_size}_plus"
        table = table.append_column(f"share_{name}", array(share, mask=np.isnan(share)))
        due = target.by_year is None or year >= target.by_year
        met = arrays.status[k][county] == PASSED
        unknown = np.isnan(share) | (not due)
        table = table.append_column(f"target_{name}_met", array(met, mask=unknown))
    return table


def bound_of(standard: Standard, stage: str) -> float | None:
    """The balance rule's maximum for ``stage`` (its value), or None."""
    value = standard.balance.maximum.get(Stage(stage))
    return None if value is None else float(value)


@attrs.frozen(eq=False)
class Year:
    """What a monitoring keeps of one year's evaluation: the figures its tables read.

    Attributes
    ----------
    figures : pyarrow.Table
        The counties table with the year's figures (:func:`with_year_figures`).
    school_id : pyarrow.Array
        Each input school's id, in input order.
    county : array of int
        Each school's county, an index into ``county_code``.
    county_code : pyarrow.Array
        The year's county codes.
    kind : array of int
        Each school's kind code (``KIND_CODES``).
    id_keys : array of int or None
        Each school id as a number where every id is digits (the validation's), else None.
    """

    figures: pa.Table
    school_id: pa.Array
    county: NDArray[np.intp]
    county_code: pa.Array
    kind: NDArray[np.intp]
    id_keys: NDArray[np.int64] | None = None

    __repr__ = _display.year_repr


def year_of(result: BatchResult, year: int) -> Year:
    """The figures of ``result`` a monitoring keeps for ``year`` (see :class:`Year`)."""
    cols = result.evaluation.columns
    return Year(
        with_year_figures(result, year),
        cols.school_id,
        cols.county,
        cols.county_code,
        cols.kind,
        cols.id_keys,
    )
