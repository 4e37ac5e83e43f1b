"""A seeded synthetic nation of schools, as an Arrow table with eduequity's canonical columns.

About 3,000 counties and 300,000 schools by default (the scale the 2012 standard was designed
for): lognormal county and school sizes, about 15 % multi-stage schools (nine-year, twelve-year,
complete secondary), some teaching points, private and non-county schools, and resources that
are correlated within a county (a richer county has more of everything) and within a school.
School ids are 10 digits, as the census writes its 学校（机构）标识码, ascending in the table.

    python benchmarks/nation.py --schools 300000 --out nation.parquet
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa

KINDS = np.array(
    ["primary", "junior", "nine_year", "twelve_year", "complete_secondary", "teaching_point"]
)
KIND_P = np.array([0.58, 0.18, 0.10, 0.02, 0.03, 0.09])  # 15% multi-stage

# Per-student levels (primary, junior) and per-school spread of each resource.
LEVELS = {
    "room_area": (5.5, 7.0, 0.30),
    "sports_area": (9.0, 12.0, 0.45),
    "equipment_value": (2300.0, 2900.0, 0.40),
    "computers": (0.13, 0.16, 0.35),
    "books": (27.0, 38.0, 0.30),
    "multimedia_rooms": (0.028, 0.029, 0.30),
}
PEOPLE = {
    "teachers": (1 / 16.5, 1 / 12.5),
    "staff": (1 / 15.0, 1 / 11.5),
    "teachers_above_qualification": (0.050, 0.060),
    "teachers_intermediate_title": (0.028, 0.035),
    "teachers_backbone": (0.011, 0.012),
    "teachers_pe_arts": (0.010, 0.011),
}

#: The first school id: ids are 10 digits, as the census writes them.
FIRST_ID = 1_000_000_000


def nation(n_schools: int = 300_000, n_counties: int | None = None, seed: int = 2012) -> pa.Table:
    """A synthetic nation of about ``n_schools`` schools in ``n_counties`` counties."""
    rng = np.random.default_rng(seed)
    n_counties = n_counties or max(1, n_schools // 100)
    weights = rng.lognormal(0, 0.6, n_counties)
    county = rng.choice(n_counties, size=n_schools, p=weights / weights.sum())
    county.sort()
    county_level = rng.lognormal(0, 0.25, n_counties)[county]  # a county's wealth
    kind = KINDS[rng.choice(KINDS.size, size=n_schools, p=KIND_P)]
    has_p = np.isin(kind, ["primary", "nine_year", "twelve_year", "teaching_point"])
    has_j = np.isin(kind, ["junior", "nine_year", "twelve_year", "complete_secondary"])
    has_s = np.isin(kind, ["twelve_year", "complete_secondary"])
    tp = kind == "teaching_point"
    ep = np.where(has_p, np.maximum(1, rng.lognormal(np.where(tp, 3.5, 6.2), 0.7)), 0).astype(
        np.int64
    )
    ej = np.where(has_j, np.maximum(1, rng.lognormal(6.4, 0.6, n_schools)), 0).astype(np.int64)
    es = np.where(has_s, np.maximum(1, rng.lognormal(6.6, 0.5, n_schools)), 0).astype(np.int64)
    quality = county_level * rng.lognormal(0, 0.15, n_schools)
    cols: dict[str, pa.Array] = {
        "school_id": pa.array((FIRST_ID + np.arange(n_schools)).astype(str)),
        "county_code": pa.array((110000 + county).astype(str)),  # 6-digit division codes
        "kind": pa.array(kind),
        "public": pa.array(rng.random(n_schools) > 0.04),
        "county_run": pa.array(rng.random(n_schools) > 0.02),
        "enrollment_primary": pa.array(ep),
        "enrollment_junior": pa.array(ej),
        "enrollment_senior": pa.array(es),
    }
    for stage, e, has in (("primary", ep, has_p), ("junior", ej, has_j)):
        s = 0 if stage == "primary" else 1
        for field, rates in PEOPLE.items():
            v = np.round(e * rates[s] * quality * rng.lognormal(0, 0.2, n_schools))
            cols[f"{field}_{stage}"] = pa.array(v, mask=~has)
        n_classes = np.maximum(1, np.ceil(e / (42 + 5 * s))).astype(np.int64)
        n_classes[~has] = 0
        size = np.repeat(np.maximum(1, e // np.maximum(n_classes, 1)), n_classes)
        jitter = rng.integers(-3, 4, size.size)
        offsets = np.concatenate([[0], np.cumsum(n_classes)]).astype(np.int32)
        lists = pa.ListArray.from_arrays(
            pa.array(offsets), pa.array(np.maximum(1, size + jitter)), mask=pa.array(~has)
        )
        cols[f"class_sizes_{stage}"] = lists
    weighted = ep + 1.1 * ej + 1.32 * es
    for r, (lp, lj, spread) in LEVELS.items():
        base = lp * ep + lj * ej * 1.0 + lj * 1.2 * es
        v = base * quality * rng.lognormal(0, spread, n_schools)
        cols[r] = pa.array(np.round(v) if r in ("computers", "books", "multimedia_rooms") else v)
    rooms = np.ceil((ep / 42 + ej / 47) / 12)
    cols["music_rooms"] = pa.array(rooms)
    cols["art_rooms"] = pa.array(rooms)
    cols["music_room_area"] = pa.array(rooms * rng.uniform(80, 110, n_schools))
    cols["art_room_area"] = pa.array(rooms * rng.uniform(76, 104, n_schools))
    del weighted
    return pa.table(cols)


def next_year(table: pa.Table, year: int, seed: int) -> pa.Table:
    """The nation of ``table`` a year later, as a census sees it.

    Each county's resources grow by about 6 % (each school's around its county's rate), the
    teachers by about 1 %; about 1.5 % of the schools close and as many open (copies of a school
    of the same county, with new ids); 5 % of the teaching points become primary schools; one
    school in a thousand moves to another county; and in one county in a hundred a third of the
    schools lose 40 % of their equipment (so some counties slide).
    """
    rng = np.random.default_rng(seed)
    n = table.num_rows
    codes = table.column("county_code").to_numpy(zero_copy_only=False)
    names, county = np.unique(codes, return_inverse=True)
    cols = {name: table.column(name).combine_chunks() for name in table.column_names}
    growth = rng.lognormal(0.06, 0.04, names.size)[county] * rng.lognormal(0, 0.05, n)
    shocked = (rng.random(names.size) < 0.01)[county] & (rng.random(n) < 1 / 3)
    for r in LEVELS:
        v = np.asarray(cols[r].to_numpy(zero_copy_only=False)) * growth
        if r == "equipment_value":
            v = np.where(shocked, v * 0.6, v)
        cols[r] = pa.array(np.round(v) if r in ("computers", "books", "multimedia_rooms") else v)
    for stage in ("primary", "junior"):
        for field in PEOPLE:
            col = cols[f"{field}_{stage}"]
            v = np.round(
                np.asarray(col.to_numpy(zero_copy_only=False)) * rng.lognormal(0.01, 0.03, n)
            )
            cols[f"{field}_{stage}"] = pa.array(v, mask=np.asarray(col.is_null()))
    kind = cols["kind"].to_numpy(zero_copy_only=False).copy()
    kind[(kind == "teaching_point") & (rng.random(n) < 0.05)] = "primary"
    cols["kind"] = pa.array(kind)
    moved = rng.random(n) < 0.001
    codes = codes.copy()
    codes[moved] = names[rng.integers(0, names.size, int(moved.sum()))]
    cols["county_code"] = pa.array(codes)
    out = pa.table(cols)
    kept = out.filter(pa.array(rng.random(n) > 0.015))
    opened = out.take(pa.array(np.flatnonzero(rng.random(n) < 0.015)))
    # New ids, 10 digits like every other, none an id of an earlier year.
    new_ids = (2 * FIRST_ID + (year % 100) * 1_000_000 + np.arange(opened.num_rows)).astype(str)
    opened = opened.set_column(0, "school_id", pa.array(new_ids))
    return pa.concat_tables([kept, opened]).combine_chunks()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    import pyarrow.parquet as pq

    table = nation(args.schools, seed=args.seed)
    pq.write_table(table, args.out)
    print(f"wrote {args.out}: {table.num_rows} schools")


if __name__ == "__main__":
    main()
