"""A plan names a stage's verdict for what it covers: under 2017 the stage before the plan is
未达标 where its CVs pass and its schools fail the rule; the CV part is shown under its own
name."""

from __future__ import annotations

import pytest

import eduequity as ee
from eduequity.report import render_plan


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_plan_says_the_stage_failed_before_where_its_schools_failed(lang: str) -> None:
    """The sample county's primary stage: every CV within its bound, schools failing the
    6-of-7 rule; the plan's tables and page say the stage failed before, and passes after."""
    county = ee.datasets.sample_county()
    before = ee.evaluate(county, "cn-quality-2017").stages["primary"]
    assert before.cv_status is ee.Status.PASSED
    assert before.school_rule_status is ee.Status.FAILED
    plan = ee.plan(county, "cn-quality-2017")
    row = next(r for r in plan.counties.to_pylist() if r["stage"] == "primary")
    assert (row["status_before"], row["balance_before"]) == ("failed", "passed")
    assert row["status_after"] == "passed"
    page = render_plan(plan, "text", lang)
    if lang == "zh":  # the stage's verdict named for its component (资源配置)
        assert "小学 · 资源配置：未达标 → 达标" in page
        assert "差异系数：达标 → 达标" in page
        assert "资源配置：达标 → 达标" not in page
    else:
        assert "primary · Resource allocation: failed → passed" in page
        assert "CVs: passed → passed" in page
