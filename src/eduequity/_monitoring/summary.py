"""National and provincial figures per year and stage, in the form of the national report.

The national monitoring report of 2016 (seed 002) prints, per stage and year, the mean
composite of the recognised counties and the growth of each indicator's mean; it does not say
which mean. :func:`summarise` gives the plain mean over counties (the first column) and the
mean weighted by enrollment, for the nation and each province (the first two digits of the
county code).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, floats, named, numbers, one, scalar, strings, text
from eduequity._monitoring.panel import MISSING, STAGE_NAMES

__all__ = ["NATIONAL", "summarise"]

#: The ``area`` of the nation's rows.
NATIONAL = "national"

_FALSE = scalar(False, pa.bool_())


def _mean(total: NDArray[np.float64], count: NDArray[np.float64]) -> pa.Array:
    """``total / count``; null where nothing was counted."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    return array(mean, mask=count == 0)


def summarise(
    panel: pa.Table, indicators: Sequence[str], counties: Iterable[str] | None = None
) -> pa.Table:
    """Per year, stage and area (the nation, then each province), from the county stages of
    ``panel`` that were evaluated and have schools (only ``counties`` if given): the counties,
    how many pass, the mean composite (plain and weighted by enrollment), each indicator's
    mean of the county means and its growth from the area's previous year in the table."""
    status = panel.column("status")
    keep = pc.and_(
        pc.invert(pc.is_in(status, strings((MISSING, "not_applicable")))),
        pc.fill_null(pc.greater(panel.column("n_schools"), scalar(0, pa.int64())), _FALSE),
    )
    if counties is not None:
        chosen = text([str(c) for c in counties])
        keep = pc.and_(keep, pc.is_in(panel.column("county_code"), chosen))
    rows = panel.filter(keep)
    province = pc.utf8_slice_codeunits(rows.column("county_code"), 0, 2)
    areas = pa.concat_arrays([strings((NATIONAL,)), one(pc.unique(province).sort())])
    n_areas = len(areas)
    years = numbers(rows.column("year")).astype(np.int64)
    year_list = np.unique(years)
    found = pc.index_in(rows.column("stage"), strings(STAGE_NAMES))
    stage = numbers(pc.fill_null(found, scalar(2, found.type))).astype(np.int64)
    base = (np.searchsorted(year_list, years) * 3 + stage) * n_areas
    # Each row counts twice: in the nation (area 0) and in its province.
    group = np.concatenate([base, base + numbers(pc.index_in(province, areas))])
    codes, g = np.unique(group, return_inverse=True)
    n = codes.size

    def total(values: NDArray[np.float64]) -> NDArray[np.float64]:
        doubled = np.concatenate([values, values])
        return np.bincount(g, weights=doubled, minlength=n).astype(np.float64)

    def count(mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        return total(mask.astype(np.float64))

    passed = bools(pc.equal(rows.column("status"), scalar("passed", pa.string())))
    composite = floats(rows.column("composite_cv"))
    known = ~np.isnan(composite)
    enrollment = np.where(known, floats(rows.column("enrollment")), 0.0)
    weight = total(enrollment)
    n_known = count(known)
    out: dict[str, pa.Array] = {
        "year": array(year_list[codes // (3 * n_areas)].astype(np.int64)),
        "stage": named(STAGE_NAMES, codes // n_areas % 3),
        "area": areas.take(array(codes % n_areas)),
        "n_counties": array(count(np.ones(len(years), dtype=np.bool_)).astype(np.int64)),
        "n_passed": array(count(passed).astype(np.int64)),
        "mean_composite_cv": _mean(total(np.where(known, composite, 0.0)), n_known),
        "weighted_mean_composite_cv": _mean(
            total(np.where(known, composite * enrollment, 0.0)),
            np.where(n_known > 0, weight, 0.0),
        ),
    }
    # The previous row of the same stage and area (rows are in year order).
    previous = np.full(n, -1, dtype=np.intp)
    last: dict[int, int] = {}
    for k, code in enumerate(codes % (3 * n_areas)):
        previous[k] = last.get(int(code), -1)
        last[int(code)] = k
    for ind in indicators:
        values = floats(rows.column(f"mean_{ind}"))
        has = ~np.isnan(values)
        mean = out[f"mean_{ind}"] = _mean(total(np.where(has, values, 0.0)), count(has))
        now = numbers(mean)
        was = np.where(previous >= 0, now[previous], np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            growth = now / was - 1
        out[f"growth_{ind}"] = array(growth, mask=np.isnan(growth) | (was == 0))
    return pa.table(out)
