"""The monitoring report names provinces by name (the first two digits of the division code,
GB/T 2260) and says 全国 only when its input covers several provinces."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

import eduequity as ee
from eduequity._provinces import PROVINCES, province_name
from eduequity.report import render_monitor


def _in_province(panel: pa.Table, old: str, new: str) -> pa.Table:
    codes = panel.column("county_code")
    moved = pc.replace_substring_regex(codes, f"^{old}", new)
    return panel.set_column(panel.column_names.index("county_code"), "county_code", moved)


def test_one_province_is_named_and_not_called_the_nation() -> None:
    """The panel's counties of province 97 moved to 43: the report says 湖南, never 全国."""
    panel = ee.datasets.sample_panel()
    one = _in_province(panel.filter(pc.starts_with(panel.column("county_code"), "97")), "97", "43")
    text = render_monitor(ee.monitor(one, "cn-basic-2012"), "text", "zh")
    assert "湖南" in text
    assert "全国 " not in text.replace("全国及分省汇总", "")
    assert "湖南各项指标均值及增幅" in text


def test_several_provinces_are_the_nation_and_each_by_name() -> None:
    """Two provinces (97 moved to 43, 98 to 32): 全国 and each province by name."""
    panel = _in_province(_in_province(ee.datasets.sample_panel(), "97", "43"), "98", "32")
    text = render_monitor(ee.monitor(panel, "cn-basic-2012"), "text", "zh")
    assert "全国" in text
    assert "湖南" in text
    assert "江苏" in text
    assert "江苏" == province_name("320102") == PROVINCES["32"][0]


def test_each_slide_names_the_schools_that_moved_the_cv_that_rose_most() -> None:
    """The report's slides name, for the CV that rose most, the schools with the largest parts
    of its rise, as Monitoring.contributions splits it."""
    m = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012")
    text = render_monitor(m, "text", "en")
    for slide in m.slides.to_pylist():
        year, top = slide["year"], slide["rose_most"][0]
        parts = m.contributions(slide["county_code"], slide["stage"], top, year - 1, year)
        best = max(parts.to_pylist(), key=lambda p: p["change_cv"])
        assert f"{best['school_id']} ({best['change_cv']:+.3f})" in text


def test_each_warning_names_the_indicator_that_rose_most_and_its_schools() -> None:
    """A warning on the composite names the indicator whose CV rose most that year (read from
    the panel's changes) and the school with the largest part of that rise."""
    m = ee.monitor(ee.datasets.sample_panel(), "cn-basic-2012")
    text = render_monitor(m, "text", "en")
    panel = {(r["county_code"], r["stage"], r["year"]): r for r in m.panel.to_pylist()}
    rising = [w for w in m.early_warnings.to_pylist() if w["kind"] == "rising"]
    assert rising
    for w in rising:
        row = panel[w["county_code"], w["stage"], w["year"]]
        changes = {
            i: row[f"change_cv_{i}"]
            for i in m.standard.balance.indicators
            if row[f"change_cv_{i}"] is not None
        }
        top = max(changes, key=lambda i: changes[i])
        parts = m.contributions(w["county_code"], w["stage"], top, w["year"] - 1, w["year"])
        best = max(parts.to_pylist(), key=lambda p: p["change_cv"])
        assert f"{best['school_id']} ({best['change_cv']:+.3f})" in text
