"""Generate the bundled synthetic sample panel (src/eduequity/datasets/sample_panel.parquet).

Eight invented counties in two invented provinces (codes 970101-970104 and 980101-980104,
outside the range of real division codes), five census years 2019-2023. The first year is a
small synthetic nation (``benchmarks/nation.py``), each later year the one before as the next
census would see it (``nation.next_year``: resources grow, a few schools close and open, some
teaching points become primary schools). Two counties follow a scripted path, so the panel
has something to monitor: the spread of every resource of 970102 widens year after year until
its primary composite passes the 2012 bound (0.65) in 2022 (a slide), and that of 980103
narrows until its primary composite first meets the bound in 2022 (a first pass). The spread
is set by raising each school's resources per student, relative to the county's mean, to a
power found by bisection so that the primary composite hits the scripted value.

Run from the repository root:  python tools/make_sample_panel.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from nation import LEVELS, nation, next_year  # noqa: E402

from eduequity import batch  # noqa: E402

OUT = ROOT / "src" / "eduequity" / "datasets" / "sample_panel.parquet"
YEARS = (2019, 2020, 2021, 2022, 2023)
CODES = ("970101", "970102", "970103", "970104", "980101", "980102", "980103", "980104")
NAMES = (
    "样例一县",
    "样例二县",
    "样例三县",
    "样例四县",
    "样例五县",
    "样例六县",
    "样例七县",
    "样例八县",
)
#: The scripted primary composite of two counties, by year.
SCRIPT = {
    "970102": (0.58, 0.61, 0.63, 0.68, 0.71),
    "980103": (0.74, 0.71, 0.68, 0.62, 0.60),
}
WHOLE = ("computers", "books", "multimedia_rooms")


def spread(table: pa.Table, code: str, power: float) -> pa.Table:
    """``table`` with the resources per student of county ``code``'s schools raised to
    ``power`` relative to the county's mean (1: unchanged; above 1: wider)."""
    mine = np.asarray(pc.equal(table.column("county_code"), code))
    students = sum(
        np.asarray(table.column(f"enrollment_{s}"), dtype=float) for s in ("primary", "junior")
    )
    for r in LEVELS:
        total = np.asarray(table.column(r), dtype=float)
        per = total / students
        mean = total[mine].sum() / students[mine].sum()
        new = np.where(mine, students * mean * (per / mean) ** power, total)
        new = np.round(new) if r in WHOLE else np.round(new, 1)
        table = table.set_column(table.column_names.index(r), r, pa.array(new))
    return table


def primary_composite(table: pa.Table, code: str) -> float:
    rows = table.filter(pc.equal(table.column("county_code"), code))
    counties = batch.evaluate_table(rows, "cn-basic-2012").counties
    row = counties.filter(pc.equal(counties.column("stage"), "primary"))
    return float(row.column("composite_cv")[0].as_py())


def scripted(table: pa.Table, code: str, target: float) -> pa.Table:
    """Bisect the power that brings the county's primary composite to ``target``."""
    low, high = 0.2, 4.0
    for _ in range(40):
        mid = (low + high) / 2
        if primary_composite(spread(table, code, mid), code) < target:
            low = mid
        else:
            high = mid
    return spread(table, code, (low + high) / 2)


def main() -> None:
    first = nation(320, n_counties=len(CODES), seed=2019)
    # The nation's counties C100000... become the invented codes, in order.
    index = pc.index_in(first.column("county_code"), pc.unique(first.column("county_code")).sort())
    codes = pa.array(CODES).take(index)
    first = first.set_column(first.column_names.index("county_code"), "county_code", codes)
    first = first.add_column(2, "county_name", pa.array(NAMES).take(index))
    tables = {YEARS[0]: first}
    for k, year in enumerate(YEARS[1:], start=1):
        tables[year] = next_year(tables[YEARS[k - 1]], year, seed=2019 + k)
    parts = []
    for k, year in enumerate(YEARS):
        table = tables[year]
        for code, path in SCRIPT.items():
            table = scripted(table, code, path[k])
        parts.append(table.append_column("year", pa.array([year] * table.num_rows, pa.int64())))
    panel = pa.concat_tables(parts)
    pq.write_table(panel, OUT, compression="zstd")
    print(f"wrote {OUT.relative_to(ROOT)}: {panel.num_rows} rows, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
