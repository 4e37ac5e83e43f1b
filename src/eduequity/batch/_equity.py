"""Equity statistics of every county, stage and indicator of a school table, in one call
(:func:`equity_table`): the measures of :mod:`eduequity.equity` over the stage parts a standard
evaluates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from eduequity._arrow import array, named
from eduequity._standard_given import standard_given
from eduequity.batch._door import Reading, _read
from eduequity.equity import GROUPED, grouped_bootstrap, grouped_measures
from eduequity.rules._columns import STAGES
from eduequity.rules._pipeline import balance_steps
from eduequity.standards._model import Standard

__all__ = ["equity_table"]


def equity_table(
    source: Any,
    standard: str | Standard | None = None,
    *,
    measures: Sequence[str] = GROUPED,
    epsilon: float = 0.5,
    bootstrap: int = 0,
    confidence: float = 0.95,
    seed: int = 0,
    nulls: str | None = None,
    encoding: str | None = None,
    sheet: int | str | Sequence[int | str] | None = None,
    header_row: int | None = None,
    columns: Any = None,
    county_digits: int | None = None,
) -> pa.Table:
    """Equity statistics (:mod:`eduequity.equity`) of every county, stage and indicator of
    ``standard`` in one call, over the stage parts the standard evaluates (its scope, the
    split of multi-stage schools), computed for all groups at once
    (:func:`eduequity.equity.grouped_measures`).

    With ``bootstrap=n`` (resamples), each measure also gets ``<measure>_low`` and
    ``<measure>_high``: a seeded percentile bootstrap interval at ``confidence``, resampling
    the schools of every group at once (:func:`eduequity.equity.grouped_bootstrap`; each
    resample costs one grouped computation, so bootstrap a province rather than the nation).

    Name the ``standard``: without it, ``equity_table`` applies ``"cn-basic-2012"`` until 0.3
    with a :class:`FutureWarning` and refuses in 0.3.

    Returns
    -------
    pyarrow.Table
        ``county_code``, ``stage``, ``indicator``, ``n_schools``, then one column per measure
        (and its interval, with ``bootstrap``); null where a school of the group lacks the
        input or the mean is 0.

    Examples
    --------
    >>> import eduequity as ee
    >>> table = ee.batch.table_from_counties([ee.datasets.sample_county()])
    >>> out = ee.batch.equity_table(table, "cn-basic-2012", measures=["cv", "gini"])
    >>> books = [r for r in out.to_pylist() if r["indicator"] == "books_per_student"]
    >>> out.num_rows, [(r["stage"], round(r["gini"], 3)) for r in books]
    (16, [('primary', 0.154), ('junior', 0.123)])
    """
    std = standard_given(standard, "equity_table", "cn-basic-2012")
    cols, _, _ = _read(
        source, nulls, "equity_table", Reading(encoding, sheet, header_row, columns, county_digits)
    )
    _, parts, balance = balance_steps(std, cols)  # the values and CVs the evaluation has
    g, n_g = parts.groups.codes, parts.groups.n_groups
    group = parts.county_major()
    group = group[parts.groups.counts[group] > 0]
    pieces = []
    county = array(parts.group_county[group].astype(np.int64))
    stage = named(tuple(s.value for s in STAGES), parts.group_stage[group])
    for ind in std.balance.indicators:
        values = balance.values[ind]
        known = ~np.isnan(values)
        lacking = np.bincount(g, weights=~known, minlength=n_g) > 0
        found = grouped_measures(
            values[known], parts.enrollment[known], g[known], n_g, tuple(measures), epsilon
        )
        piece = {
            "county_code": cols.county_code.take(county),
            "stage": stage,
            "indicator": named((ind,), group.size),
            "n_schools": array(parts.groups.counts[group].astype(np.int64)),
        }
        intervals = {}
        if bootstrap:
            intervals = grouped_bootstrap(
                values[known],
                parts.enrollment[known],
                g[known],
                n_g,
                tuple(measures),
                epsilon=epsilon,
                n_resamples=bootstrap,
                confidence=confidence,
                seed=seed,
            )
        for m in measures:
            v = found[m][group]
            piece[m] = array(v.astype(np.float64, copy=False), mask=lacking[group] | np.isnan(v))
            for end, bound in zip(("low", "high"), intervals.get(m, ()), strict=False):
                b = bound[group].astype(np.float64, copy=False)
                piece[f"{m}_{end}"] = array(b, mask=lacking[group] | np.isnan(b))
        pieces.append(pa.table(piece))
    return pa.concat_tables(pieces)
