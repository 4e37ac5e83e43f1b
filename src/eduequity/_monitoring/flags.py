"""What the panel flags: slides of recognised counties, early warnings and first passes.

Both read the panel of ``eduequity._monitoring.panel`` as a grid of county stages (rows of
the grid) by years (columns), in the panel's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, floats, named, numbers, of_type, scalar, text
from eduequity._monitoring.figures import bound_of
from eduequity._monitoring.panel import STAGE_NAMES
from eduequity.standards._model import Standard

__all__ = ["slides_of", "warnings_of"]

FloatArray = NDArray[np.float64]

#: The columns of ``Monitoring.early_warnings``.
WARNINGS = pa.schema(
    [
        ("county_code", pa.string()),
        ("county_name", pa.string()),
        ("stage", pa.string()),
        ("year", pa.int64()),
        ("kind", pa.string()),
        ("coefficient", pa.string()),
        ("value", pa.float64()),
        ("change", pa.float64()),
    ]
)

#: The columns of ``Monitoring.slides``.
SLIDES = pa.schema(
    [
        ("county_code", pa.string()),
        ("county_name", pa.string()),
        ("stage", pa.string()),
        ("year", pa.int64()),
        ("recognised", pa.int64()),
        ("recognised_from", pa.string()),
        ("value", pa.float64()),
        ("bound", pa.float64()),
        ("rose_most", pa.list_(pa.string())),
        ("cv_status", pa.string()),
        ("school_rule_status", pa.string()),
    ]
)


def _grid(panel: pa.Table, name: str, n_years: int) -> NDArray[np.float64]:
    """A numeric panel column as a (county stage, year) grid; NaN where null."""
    return floats(panel.column(name)).reshape(-1, n_years)


def _is(panel: pa.Table, status: str, n_years: int, column: str = "status") -> NDArray[np.bool_]:
    """Where ``column`` (the stage's verdict, or one of its parts) is ``status``, as a grid."""
    found = bools(pc.equal(panel.column(column), scalar(status, pa.string())))
    return found.reshape(-1, n_years)


def _before(flags: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Whether a flag was set in an earlier year (strictly) of the same row."""
    seen = np.zeros_like(flags)
    seen[:, 1:] = np.logical_or.accumulate(flags, axis=1)[:, :-1]
    return seen


def warnings_of(
    panel: pa.Table, judged: Sequence[str], n_years: int, rise_years: int, rise_delta: float
) -> pa.Table:
    """The early warnings and first passes (see ``Monitoring.early_warnings``), one row per county
    stage, year and coefficient, in the panel's order (a first pass before the coefficients,
    the coefficients in ``judged`` order, ``rising`` before ``jump``).

    A first pass is the stage's verdict passing for the first time after failing; a rise or a
    jump is flagged while the CV rule passes (``cv_status``), whatever the school rule."""
    passing = _is(panel, "passed", n_years)
    failed = _is(panel, "failed", n_years)
    cvs_pass = _is(panel, "passed", n_years, "cv_status")
    # Each kind of event: its rows, its place among the events of a row, its kind, the
    # coefficient, and the coefficient's value and change at those rows.
    events: list[tuple[NDArray[np.intp], int, str, str | None, FloatArray, FloatArray]] = []
    first = np.flatnonzero(passing & _before(failed) & ~_before(passing))
    none = np.full(first.size, np.nan)
    events.append((first, 0, "first_pass", None, none, none))
    for j, c in enumerate(judged):
        value = _grid(panel, c, n_years).ravel()
        change = _grid(panel, f"change_{c}", n_years)
        rose = change > 0  # NaN (no change known) is not a rise
        streak = np.zeros(change.shape, dtype=np.intp)
        for t in range(n_years):
            streak[:, t] = np.where(rose[:, t], (streak[:, t - 1] if t else 0) + 1, 0)
        for k, (kind, flagged) in enumerate(
            (("rising", streak >= rise_years), ("jump", change > rise_delta))
        ):
            at = np.flatnonzero(cvs_pass & flagged)
            events.append((at, 1 + 2 * j + k, kind, c, value[at], change.ravel()[at]))
    rows = np.concatenate([e[0] for e in events])
    order = np.lexsort((np.concatenate([np.full(e[0].size, e[1]) for e in events]), rows))
    rows = rows[order]
    kinds = np.concatenate([np.full(e[0].size, e[2], dtype=object) for e in events])[order]
    coefficient = np.concatenate([np.full(e[0].size, e[3], dtype=object) for e in events])[order]
    value = np.concatenate([e[4] for e in events])[order]
    change = np.concatenate([e[5] for e in events])[order]
    taken = array(rows.astype(np.int64))
    return pa.table(
        {
            "county_code": panel.column("county_code").take(taken),
            "county_name": panel.column("county_name").take(taken),
            "stage": panel.column("stage").take(taken),
            "year": panel.column("year").take(taken),
            "kind": of_type(kinds.tolist(), pa.string()),
            "coefficient": of_type(coefficient.tolist(), pa.string()),
            "value": array(value, mask=np.isnan(value)),
            "change": array(change, mask=np.isnan(change)),
        },
        schema=WARNINGS,
    )


def slides_of(
    panel: pa.Table,
    standard: Standard,
    judged: Sequence[str],
    n_years: int,
    recognitions: Mapping[str, int],
) -> pa.Table:
    """The slides (see ``Monitoring.slides``), one row per county stage and year, in the
    panel's order."""
    codes = panel.column("county_code").to_pylist()[::n_years]
    years = numbers(panel.column("year"))[:n_years]
    given = np.array([recognitions.get(c, np.nan) for c in codes], dtype=np.float64)
    passing = _is(panel, "passed", n_years)
    first_pass = np.where(passing.any(axis=1), years[np.argmax(passing, axis=1)], np.nan)
    recognised = np.where(np.isnan(given), first_pass, given)
    slid = _is(panel, "failed", n_years) & (years[None, :] > recognised[:, None])
    rows = np.flatnonzero(slid)
    judged_values = np.stack([_grid(panel, c, n_years).ravel()[rows] for c in judged])
    value = np.full(rows.size, np.nan)
    if rows.size:
        known = ~np.isnan(judged_values).all(axis=0)
        value[known] = np.nanmax(judged_values[:, known], axis=0)
    indicators = standard.balance.indicators
    changes = [_grid(panel, f"change_cv_{i}", n_years).ravel()[rows] for i in indicators]
    rose_most = []
    for k in range(rows.size):
        rises = sorted(
            (
                (float(ch[k]), name)
                for ch, name in zip(changes, indicators, strict=True)
                if not np.isnan(ch[k]) and ch[k] != 0
            ),
            reverse=True,
        )
        rose_most.append([name for rise, name in rises[:3] if rise > 0])
    taken = array(rows.astype(np.int64))
    stage = panel.column("stage").take(taken)
    bounds = {s: bound_of(standard, s) for s in STAGE_NAMES}
    row_of = rows // n_years
    # Each slide's three indicators as one list of names (offsets into their names).
    ends = np.cumsum([len(names) for names in rose_most], dtype=np.int32)
    return pa.table(
        {
            "county_code": panel.column("county_code").take(array(row_of * n_years)),
            "county_name": panel.column("county_name").take(array(row_of * n_years)),
            "stage": stage,
            "year": array(years[rows % n_years].astype(np.int64)),
            "recognised": array(recognised[row_of].astype(np.int64)),
            "recognised_from": named(("given", "panel"), np.isnan(given[row_of])),
            "value": array(value, mask=np.isnan(value)),
            "bound": of_type([bounds.get(s) for s in stage.to_pylist()], pa.float64()),
            "rose_most": pa.ListArray.from_arrays(
                array(np.concatenate([np.zeros(1, dtype=np.int32), ends])),
                text([name for names in rose_most for name in names]),
            ),
            # Which part of the stage's verdict failed: the CVs, the school rule, or both.
            "cv_status": panel.column("cv_status").take(taken),
            "school_rule_status": panel.column("school_rule_status").take(taken),
        },
        schema=SLIDES,
    )
