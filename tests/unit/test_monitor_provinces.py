"""The monitoring report names provinces by name (the first two digits of the division code,
GB/T 2260) and says 全国 only when its input covers several provinces."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

import eduequity as ee
from eduequity.provinces import PROVINCES, province_name
from eduequity.report.monitor import render_monitor


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
