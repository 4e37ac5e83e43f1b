"""The benchmark's polars job does eduequity's full cn-quality-2017 job: the same tables and
class-size targets on a small nation (ordered and shuffled), and the same tables refused.

The polars job (benchmarks/peers.py) is written independently of the library, so this also
checks the library's columnar door against a second implementation. Its times are printed by
benchmarks/national.py, never asserted here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import eduequity as ee
from eduequity import batch

pl = pytest.importorskip("polars")

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str) -> ModuleType:
    """A module of benchmarks/ (they import each other by name)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def peers() -> Any:
    """benchmarks/peers.py."""
    _load("nation")
    return _load("peers")


def _rows_like(table: pa.Table, row: int, **changes: Any) -> pa.Table:
    """Row ``row`` of ``table`` with some columns changed."""
    one = table.slice(row, 1)
    for name, value in changes.items():
        i = one.column_names.index(name)
        one = one.set_column(i, name, pa.array([value], one.schema.field(name).type))
    return one


@pytest.fixture(scope="module")
def schools() -> pa.Table:
    """A small nation with large classes (the targets and class-size checks fail somewhere), a
    county with primary schools only and a county with no school in scope."""
    table = _load("nation").nation(3000).combine_chunks()
    rng = np.random.default_rng(5)
    # Large classes: 5 % of the classes in every other county, none elsewhere.
    county = np.asarray(table.column("county_code").to_pylist(), dtype=np.int64)
    for stage in ("primary", "junior"):
        name = f"class_sizes_{stage}"
        sizes = table.column(name).combine_chunks()
        school = np.repeat(
            np.arange(len(sizes)), np.asarray(pc.list_value_length(sizes).fill_null(0))
        )
        some = (county[school] % 2 == 0) & (rng.random(school.size) < 0.05)
        values = np.asarray(sizes.values) + np.where(some, 25, 0)
        grown = pa.ListArray.from_arrays(sizes.offsets, pa.array(values), mask=sizes.is_null())
        table = table.set_column(table.column_names.index(name), name, grown)
    kinds = table.column("kind").to_pylist()
    primary = kinds.index("primary")
    extra = [
        _rows_like(table, primary, school_id="P-only", county_code="990000"),
        _rows_like(
            table, primary, school_id="SE-only", county_code="990001", kind="special_education"
        ),
    ]
    return pa.concat_tables([table, *extra]).combine_chunks()


def _shuffled(table: pa.Table) -> pa.Table:
    order = np.random.default_rng(11).permutation(table.num_rows)
    return table.take(pa.array(order))


@pytest.mark.parametrize("order", ["ordered", "shuffled"])
def test_polars_job_gives_the_same_tables(peers: Any, schools: pa.Table, order: str) -> None:
    """The polars job's counties and schools tables and class-size targets are eduequity's."""
    table = schools if order == "ordered" else _shuffled(schools)
    out = batch.evaluate_table(table, "cn-quality-2017")
    got = peers.polars_full_job(pl.from_arrow(table))
    assert peers.compare_tables(out.counties, got["counties"].to_arrow()) == []
    assert peers.compare_tables(out.schools, got["schools"].to_arrow()) == []
    targets = out.evaluation.class_targets
    assert targets is not None
    for k, size in enumerate((66, 56)):
        share = got["targets"][f"share_{size}"].to_numpy()
        np.testing.assert_allclose(targets.share[k], share, rtol=1e-12, atol=0)
        status = np.array(["passed", "failed", "not_evaluated"])[targets.status[k]]
        assert status.tolist() == got["targets"][f"status_{size}"].cast(pl.String).to_list()
    # The nation exercises what the tables show: failing classes and targets, empty stages.
    assert {"failed", "passed"} <= set(got["targets"]["status_66"].cast(pl.String).to_list())
    assert "not_applicable" in set(got["counties"]["status"].cast(pl.String).to_list())


def _broken(table: pa.Table, name: str, row: int, value: Any) -> pa.Table:
    """``table`` with column ``name`` set to ``value`` at ``row``."""
    col = table.column(name).combine_chunks()
    values = col.to_pylist()
    values[row] = value
    return table.set_column(table.column_names.index(name), name, pa.array(values, col.type))


def _first(table: pa.Table, kind: str) -> int:
    return int(np.flatnonzero(np.asarray(pc.equal(table.column("kind"), kind)))[0])


@pytest.mark.parametrize(
    ("name", "kind", "value"),
    [
        ("school_id", "primary", "S2"),  # a repeat within the county (S2 is the county's)
        ("school_id", "primary", ""),
        ("county_code", "primary", "1100"),
        ("kind", "primary", "college"),
        ("enrollment_primary", "primary", 0),
        ("enrollment_primary", "junior", 12),
        ("enrollment_senior", "twelve_year", 0),
        ("teachers_backbone_primary", "primary", None),
        ("teachers_backbone_primary", "primary", -1.0),
        ("room_area", "junior", float("nan")),
        ("books", "junior", float("inf")),
        ("equipment_value", "primary", 2e12),
        ("music_rooms", "teaching_point", None),
        ("class_sizes_primary", "primary", [45, 0]),
        ("class_sizes_primary", "primary", [45, 1001]),
        ("class_sizes_primary", "primary", [45, None]),
        ("class_sizes_junior", "junior", None),
        ("public", "primary", None),
    ],
)
def test_polars_job_refuses_what_eduequity_refuses(
    peers: Any, schools: pa.Table, name: str, kind: str, value: Any
) -> None:
    """A table the library's validator refuses, the polars job's validation refuses too."""
    row = _first(schools, kind)
    if value == "S2":
        value = schools.column("school_id")[row + 1].as_py()
        assert schools.column("county_code")[row + 1] == schools.column("county_code")[row]
    table = _broken(schools, name, row, value)
    with pytest.raises(ee.DataError):
        batch.evaluate_table(table, "cn-quality-2017")
    with pytest.raises(peers.RefusedError):
        peers.polars_full_job(pl.from_arrow(table))


def test_polars_job_accepts_what_eduequity_accepts(peers: Any, schools: pa.Table) -> None:
    """Nulls and values where no stage applies are not refused, by either."""
    row = _first(schools, "junior")
    table = _broken(schools, "teachers_backbone_primary", row, -5.0)
    table = _broken(table, "class_sizes_primary", row, [0])
    out = batch.evaluate_table(table, "cn-quality-2017")
    got = peers.polars_full_job(pl.from_arrow(table))
    assert peers.compare_tables(out.schools, got["schools"].to_arrow()) == []
