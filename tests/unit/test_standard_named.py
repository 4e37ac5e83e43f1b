"""No entry point chooses a standard: without one, each warns (FutureWarning, naming what to
pass) and applies the standard it applied before, so its answer does not change in 0.2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import eduequity as ee
from eduequity import batch
from eduequity._cli import main


def _county() -> ee.County:
    return ee.datasets.sample_county()


def _table() -> Any:
    return batch.table_from_counties([_county()])


ENTRY_POINTS: dict[str, tuple[Callable[..., Any], Callable[[], Any], str]] = {
    "evaluate": (ee.evaluate, _county, "cn-basic-2012"),
    "plan": (ee.plan, _county, "cn-quality-2017"),
    "monitor": (ee.monitor, lambda: {2023: _table()}, "cn-basic-2012"),
    "evaluate_table": (batch.evaluate_table, _table, "cn-basic-2012"),
    "plan_table": (batch.plan_table, _table, "cn-quality-2017"),
    "equity_table": (batch.equity_table, _table, "cn-basic-2012"),
}


def _same(a: Any, b: Any) -> bool:
    for name in ("counties", "panel"):
        if hasattr(a, name):
            return bool(getattr(a, name).equals(getattr(b, name)))
    if hasattr(a, "equals"):
        return bool(a.equals(b))
    return bool(a.passed == b.passed and a.standard.id == b.standard.id)


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_no_standard_warns_and_keeps_the_former_answer(name: str) -> None:
    """Without a standard: a FutureWarning naming the entry point and what to pass, and the
    same answer as with the standard it applied before."""
    func, source, former = ENTRY_POINTS[name]
    with pytest.warns(FutureWarning, match=rf"{name}: name the standard, e\.g\. {name}\(\.\.\., "):
        got = func(source())
    assert _same(got, func(source(), former))


def test_the_command_line_says_to_name_the_standard(tmp_path: Any, capsys: Any) -> None:
    """eduequity evaluate without --standard says on stderr what to pass."""
    import pyarrow.parquet as pq

    path = tmp_path / "schools.parquet"
    pq.write_table(_table(), path)
    main(["evaluate", str(path), "--format", "text"])
    err = capsys.readouterr().err
    assert "name the standard with --standard (e.g. --standard cn-basic-2012" in err
    main(["evaluate", str(path), "--standard", "cn-basic-2012", "--format", "text"])
    assert "name the standard" not in capsys.readouterr().err
