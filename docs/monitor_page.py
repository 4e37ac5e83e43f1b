"""Draws the monitoring page's picture from the bundled sample panel (never by hand)."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow.compute as pc

import eduequity as ee
from eduequity.report._charts import trend_chart


def write_trend_chart(path: Path) -> None:
    """The primary composite of the sample panel's counties 970102 (a slide) and 980103 (a
    first pass) across the years, against the 2012 bound, as SVG."""
    m = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012")
    primary = m.panel.filter(pc.equal(m.panel.column("stage"), "primary"))
    series = []
    for code in ("970102", "980103"):
        rows = primary.filter(pc.equal(primary.column("county_code"), code)).to_pylist()
        series.append(
            (code, [math.nan if r["composite_cv"] is None else r["composite_cv"] for r in rows])
        )
    bound = m.standard.balance.maximum[ee.Stage.PRIMARY]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(trend_chart(m.years, series, float(bound), "en"), "utf-8")
