"""The panel: each year's counties table laid out on one grid of county, stage and year.

Every county and stage seen in any year gets a row for every year of the panel (each verdict
``missing`` where the year's table lacks it), in the order county code, stage (primary,
junior), year. Each figure's change from the previous year of the panel is the difference of
the two rows (null for the first year or where either year lacks the figure).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, named, numbers, scalar, strings
from eduequity.rules._columns import STAGES
from eduequity.rules._staffing import BAND_FIELDS
from eduequity.standards._model import ClassSizeTarget, Standard

__all__ = [
    "FIGURES",
    "MISSING",
    "STAGE_NAMES",
    "VERDICTS",
    "build_panel",
    "figure_columns",
    "target_columns",
]

#: The status of a county and stage absent from a year's table.
MISSING = "missing"

#: The verdicts of each county stage and year, as the counties table names them: the stage's
#: verdict (``status``: under 2017 the CV bounds *and* the school rule), its two parts, and the
#: county's verdict.
VERDICTS = ("status", "cv_status", "school_rule_status", "county_status")

#: The per-year counts of the panel (each gets a change from the previous year, as the CVs,
#: the composite and the means do).
FIGURES = ("n_schools", "n_schools_failing", "composite_cv")

#: The stages' names, in the panel's order (primary, junior).
STAGE_NAMES = tuple(s.value for s in STAGES)


def figure_columns(standard: Standard) -> list[str]:
    """The panel's figures, each with a ``change_`` column: the counts, the composite, the
    enrollment, every CV, every indicator's county mean, each class-size target's share, and
    the figures reported beside the verdicts (part of none): the staff required and lacking
    against the staffing standard, the classes by band."""
    indicators = standard.balance.indicators
    staffing = ["staff_required", "staff_shortfall"] if standard.staffing is not None else []
    bands = [f"classes_{b}" for b in BAND_FIELDS] if standard.class_size is not None else []
    return [
        *FIGURES,
        "enrollment",
        *(f"cv_{i}" for i in indicators),
        *(f"mean_{i}" for i in indicators),
        *(f"share_classes_{t.min_size}_plus" for t in _targets(standard)),
        *staffing,
        *bands,
    ]


def target_columns(standard: Standard) -> list[str]:
    """The panel's flags: whether each class-size target was met (null before its year), and
    the stage's staffing status against the staffing standard (reported: part of no verdict;
    null where the year's table lacks the stage)."""
    staffing = ["staffing_status"] if standard.staffing is not None else []
    return [f"target_classes_{t.min_size}_plus_met" for t in _targets(standard)] + staffing


def _targets(standard: Standard) -> tuple[ClassSizeTarget, ...]:
    return () if standard.class_size is None else standard.class_size.targets


def build_panel(years_figures: Mapping[int, pa.Table], standard: Standard) -> pa.Table:
    """One row per county, stage and year (see the module), from each year's counties table
    with its figures (``with_year_figures``)."""
    figures, flags = figure_columns(standard), target_columns(standard)
    wanted = ["county_code", "stage", *VERDICTS, *figures, *flags]
    years = list(years_figures)
    pieces = []
    for j, table in enumerate(years_figures.values()):
        piece = table.select(wanted)
        names = (
            table.column("county_name")
            if "county_name" in table.column_names
            else pa.nulls(table.num_rows, pa.string())
        )
        piece = piece.append_column("county_name", names.cast(pa.string()))
        year = array(np.full(piece.num_rows, j, dtype=np.int64))
        pieces.append(piece.append_column("_year", year))
    long = pa.concat_tables(pieces).combine_chunks()
    codes = long.column("county_code")
    unique_codes = pc.unique(codes).sort()
    code = numbers(pc.index_in(codes, value_set=unique_codes)).astype(np.int64)
    found = pc.index_in(long.column("stage"), strings(STAGE_NAMES))
    stage = numbers(pc.fill_null(found, scalar(2, found.type))).astype(np.int64)
    key = code * 3 + stage
    keys = np.unique(key)
    n_years = len(years)
    at = np.searchsorted(keys, key) * n_years + numbers(long.column("_year"))
    source = np.full(keys.size * n_years, -1, dtype=np.int64)
    source[at] = np.arange(long.num_rows)
    absent = source < 0
    rows = array(source, mask=absent)
    # A county's name: its row in the first year that has the county.
    first_code, first_row = np.unique(code, return_index=True)
    name_of = long.column("county_name").take(array(first_row.astype(np.int64)))
    key_code = keys // 3
    out: dict[str, pa.Array] = {
        "county_code": unique_codes.take(array(np.repeat(key_code, n_years))),
        "county_name": name_of.take(
            array(np.repeat(np.searchsorted(first_code, key_code), n_years).astype(np.int64))
        ),
        "stage": named(STAGE_NAMES, np.repeat(keys % 3, n_years)),
        "year": array(np.tile(np.asarray(years, dtype=np.int64), keys.size)),
    }
    for name in VERDICTS:
        taken = long.column(name).take(rows)
        out[name] = pc.if_else(array(absent), scalar(MISSING, pa.string()), taken.cast(pa.string()))
    first_year = np.tile(np.arange(n_years) == 0, keys.size)
    for f in figures:
        taken = long.column(f).take(rows)
        out[f] = taken
        out[f"change_{f}"] = _change(taken, first_year)
    for f in flags:
        out[f] = long.column(f).take(rows)
    return pa.table(out)


def _change(values: pa.Array, first_year: NDArray[np.bool_]) -> pa.Array:
    """Each row minus the row before (the previous year of the same county and stage); null
    in a first year or where either is null."""
    known = bools(values.is_valid())
    x = numbers(pc.fill_null(values, scalar(0, values.type)))
    change = np.zeros_like(x)
    change[1:] = x[1:] - x[:-1]
    unknown = first_year | ~known
    unknown[1:] |= ~known[:-1]
    return array(change, mask=unknown)
