"""``eduequity validate`` counts the indicators that will not be evaluated because their
columns are missing, as problems (exit 2), naming the header to write and the column map entry;
it says "no problems found" only when every indicator of the standard(s) can be evaluated.
The count is checked against the evaluation itself: the CVs it says are missing are exactly
the ones the evaluation leaves undefined."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eduequity import batch, datasets
from eduequity._cli import main
from eduequity.batch._coverage import missing_indicators
from eduequity.standards import get_standard


def _sample(tmp_path: Path, drop: list[str]) -> Path:
    table = batch.table_from_counties([datasets.sample_county()]).drop_columns(drop)
    path = tmp_path / "schools.parquet"
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("standard", ["cn-basic-2012", "cn-quality-2017"])
def test_the_count_is_the_cvs_the_evaluation_leaves_undefined(
    tmp_path: Path, standard: str
) -> None:
    path = _sample(tmp_path, ["room_area", "teachers_backbone_junior", "books"])
    std = get_standard(standard)
    valid = batch.validate_table(path)
    missing, total = missing_indicators(valid.columns, std)
    out = batch.evaluate_table(path, std)
    undefined = set()
    for row in out.counties.to_pylist():
        for ind in std.balance.indicators:
            cv = row[f"cv_{ind}"]
            if cv is None or math.isnan(cv):
                undefined.add((row["stage"], ind))
    assert {(m.stage, m.indicator) for m in missing} == undefined
    assert total == 2 * len(std.balance.indicators)


def test_validate_counts_missing_indicators_as_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _sample(tmp_path, ["teachers_backbone_primary", "teachers_backbone_junior"])
    assert main(["validate", str(path), "--standard", "cn-quality-2017"]) == 2
    out = capsys.readouterr().out
    assert (
        "2 of the 14 indicators of cn-quality-2017 (by stage) will not be evaluated: their "
        "columns are missing:" in out
    )
    assert (
        "  - primary 每百名学生拥有县级及以上骨干教师数 (teachers_backbone_per_100_students): "
        "no column 'teachers_backbone_primary'; write the header '小学县级及以上骨干教师数', or "
        "map yours: columns={'your header': 'teachers_backbone_primary'} (--columns)" in out
    )
    assert "no problems found" not in out
    assert out.splitlines()[-1].endswith(
        "indicators that cannot be evaluated (columns missing): 2 of 14 under cn-quality-2017."
    )
    # The 2012 standard reads no backbone teachers: nothing missing.
    assert main(["validate", str(path), "--standard", "cn-basic-2012"]) == 0
    assert "no problems found." in capsys.readouterr().out
    # No standard named: both national standards are counted (validate chooses none).
    assert main(["validate", str(path), "--lang", "zh"]) == 2
    out = capsys.readouterr().out
    assert "cn-quality-2017 的 14 项指标（按学段计）中有 2 项无法评估（缺少所需的列）：" in out
    assert "请写表头 '小学县级及以上骨干教师数'" in out
    assert out.splitlines()[-1].endswith("因缺列无法评估的指标：cn-quality-2017 2/14。")


def test_a_complete_table_has_no_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(_sample(tmp_path, []))]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("no problems found.")


def test_a_stage_without_schools_is_not_counted() -> None:
    """A county of primary schools only: its junior columns are not missing."""
    table = pa.table(
        {
            "学校标识码": ["1", "2"],
            "行政区划代码": ["320102", "320102"],
            "学校类型": ["小学", "小学"],
            "小学在校生数": [100, 200],
            "小学县级及以上骨干教师数": [3, 5],
        }
    )
    valid = batch.validate_table(table)
    missing, total = missing_indicators(valid.columns, get_standard("cn-quality-2017"))
    assert total == 7
    assert {m.stage for m in missing} == {"primary"}
    assert "teachers_backbone_per_100_students" not in {m.indicator for m in missing}
