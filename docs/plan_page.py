"""Draws the planning page's pictures from a real plan (never by hand)."""

from __future__ import annotations

import math
from pathlib import Path

import eduequity as ee
from eduequity import get_indicator
from eduequity.report._charts import change_chart


def write_plan_chart(path: Path) -> None:
    """The junior CVs of the sample county before and after its 2017 plan, as SVG."""
    plan = ee.plan(ee.datasets.sample_county(), "cn-quality-2017")
    row = next(r for r in plan.counties.to_pylist() if r["stage"] == "junior")
    indicators = plan.standard.balance.indicators
    names = [get_indicator(i).name_en for i in indicators]

    def cvs(when: str) -> list[float]:
        return [
            math.nan if row[f"cv_{i}_{when}"] is None else row[f"cv_{i}_{when}"] for i in indicators
        ]

    maximum = plan.standard.balance.maximum[ee.Stage.JUNIOR]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(change_chart(names, cvs("before"), cvs("after"), maximum, "en"), "utf-8")
