"""Every path that computes an enrollment-weighted CV gives the same bits: the counties table of
the columnar door, the object door, the equity table, the scalar and grouped statistics and the
planner's CV of a level all go through one kernel."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import batch
from eduequity._planning.levels import cv_of_level
from eduequity.testing import counties

STANDARDS = ["cn-basic-2012", "cn-quality-2017"]


@st.composite
def nations(draw: st.DrawFn) -> list[ee.County]:
    """A few counties of random schools, with missing inputs, as a national table has."""
    n = draw(st.integers(1, 4))
    return [draw(counties(code=f"99{i:04d}", max_schools=8)) for i in range(n)]


def _bits(x: float | None) -> float | None:
    """The value as compared (None for a null or NaN CV)."""
    return None if x is None or x != x else x


@settings(max_examples=60)
@given(nation=nations(), standard=st.sampled_from(STANDARDS))
def test_every_door_gives_the_same_cv(nation: list[ee.County], standard: str) -> None:
    """Each county-stage-indicator CV is equal (==) in the counties table, the equity table,
    the object door, ee.weighted_cv of the stage parts, grouped_weighted_cv and cv_of_level."""
    table = batch.table_from_counties(nation)
    out = batch.evaluate_table(table, standard)
    std = ee.get_standard(standard)
    indicators = std.balance.indicators
    counties_table = {(r["county_code"], r["stage"]): r for r in out.counties.to_pylist()}
    equity = batch.equity_table(table, standard, measures=["cv"])
    for row in equity.to_pylist():
        cv = counties_table[(row["county_code"], row["stage"])][f"cv_{row['indicator']}"]
        assert _bits(row["cv"]) == _bits(cv)
    parts = out.schools.filter(pa.compute.field("included"))
    by_group: dict[tuple[str, str], list[dict[str, object]]] = {}
    for r in parts.to_pylist():
        by_group.setdefault((r["county_code"], r["stage"]), []).append(r)
    objects = {c.code: ee.evaluate(c, standard) for c in nation}
    for (code, stage), rows in by_group.items():
        table_row = counties_table[(code, stage)]
        enrollment = np.array([r["enrollment"] for r in rows], dtype=np.float64)
        stage_result = objects[code].stages[ee.Stage(stage)]
        for ind in indicators:
            cv = _bits(table_row[f"cv_{ind}"])
            assert _bits(stage_result.cvs[ind].cv) == cv
            values = np.array([r[f"value_{ind}"] for r in rows], dtype=np.float64)
            if np.isnan(values).any():
                assert cv is None
                continue
            assert _bits(ee.weighted_cv(values, enrollment)) == cv
            groups = np.zeros(values.size, dtype=np.intp)
            assert _bits(float(ee.grouped_weighted_cv(values, enrollment, groups)[0])) == cv
            assert _bits(float(cv_of_level(values, enrollment, [0.0])[0])) == cv
