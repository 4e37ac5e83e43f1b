"""The full 2017 job written plainly, as yardsticks for eduequity's columnar door.

Both compute, from the same Arrow table of schools: the scope (teaching points under 50
students left out), the split of multi-stage schools' resources by weighted enrollment, the 7
enrollment-weighted CVs per county and stage, each stage part's 6-of-7 rule with the 85 % floor,
and per county and stage the verdict (each CV at most 0.50 / 0.45) and the number of parts
failing the school rule.

- :func:`numpy_yardstick`: ``np.bincount`` over integer group codes, nothing else.
- :func:`polars_job`: the same in polars, plus what eduequity's tables hold besides: each
  part's shortfall per minimum (whole teachers, m² to 0.01, yuan, rooms), the counties table
  and the schools table (every input school accounted for).

:func:`check_equal` compares either with eduequity's counties table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# (column, scale, per stage?) of the 7 indicators of 2017, and the minimums.
INDICATORS = [
    ("teachers_above_qualification", 100, True),
    ("teachers_backbone", 100, True),
    ("teachers_pe_arts", 100, True),
    ("room_area", 1, False),
    ("sports_area", 1, False),
    ("equipment_value", 1, False),
    ("multimedia_rooms", 100, False),
]
MINIMUMS = {
    "primary": [4.2, 1.0, 0.9, 4.5, 7.5, 2000.0, 2.3],
    "junior": [5.3, 1.0, 0.9, 5.8, 10.2, 2500.0, 2.4],
}
MAXIMUM = {"primary": 0.50, "junior": 0.45}
STAGES = ("primary", "junior")


def _column(table: pa.Table, name: str) -> Any:
    return np.asarray(table.column(name).to_numpy(), dtype=np.float64)


def numpy_yardstick(table: pa.Table) -> dict[str, Any]:
    """The 7 CVs, the verdicts and the failing parts per county and stage, by np.bincount."""
    codes = pc.dictionary_encode(table.column("county_code").combine_chunks())
    county = np.asarray(codes.indices, dtype=np.intp)
    n_c = len(codes.dictionary)
    kind = table.column("kind").to_numpy(zero_copy_only=False).astype(str)
    ep, ej, es = (
        np.nan_to_num(_column(table, f"enrollment_{s}")) for s in ("primary", "junior", "senior")
    )
    keep = ~((kind == "teaching_point") & (ep + ej < 50))
    nine, twelve, cs = kind == "nine_year", kind == "twelve_year", kind == "complete_secondary"
    total = np.where(nine, ep + 1.1 * ej, ep + 1.1 * ej + 1.32 * es)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = {
            "primary": np.where(nine | twelve, ep / total, 1.0),
            "junior": np.where(
                nine | twelve, 1.1 * ej / total, np.where(cs, ej / (ej + 1.2 * es), 1.0)
            ),
        }
    out: dict[str, Any] = {"cv": np.full((2 * n_c, 7), np.nan), "failing": np.zeros(2 * n_c)}
    for s, stage in enumerate(STAGES):
        enrollment = ep if stage == "primary" else ej
        rows = np.flatnonzero(keep & (enrollment > 0))
        w = enrollment[rows]
        g = county[rows] + s * n_c
        weight = np.bincount(g, w, minlength=2 * n_c)
        met = np.zeros(rows.size)
        below_floor = np.zeros(rows.size, dtype=bool)
        for k, (name, scale, per_stage) in enumerate(INDICATORS):
            if per_stage:
                amount = _column(table, f"{name}_{stage}")[rows]
            else:
                amount = _column(table, name)[rows] * share[stage][rows]
            x = amount * scale / w
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.bincount(g, w * x, minlength=2 * n_c) / weight
                var = np.bincount(g, w * (x - mean[g]) ** 2, minlength=2 * n_c) / weight
                cv = np.sqrt(var) / mean
            out["cv"][s * n_c : (s + 1) * n_c, k] = cv[s * n_c : (s + 1) * n_c]
            minimum = MINIMUMS[stage][k]
            met += x >= minimum
            below_floor |= x < 0.85 * minimum
        fail = (7 - met > 1) | below_floor
        out["failing"] += np.bincount(g, fail, minlength=2 * n_c)
    # 资源配置 passes where every CV is within its bound and every school meets the rule.
    within = np.all(out["cv"] <= np.repeat([0.50, 0.45], n_c)[:, np.newaxis], axis=1)
    out["passed"] = within & (out["failing"] == 0)
    out["codes"] = codes.dictionary
    return out


def polars_job(table: pa.Table) -> dict[str, Any]:
    """The same job in polars, with the shortfalls and the counties and schools tables."""
    import polars as pl

    df = pl.from_arrow(table)
    assert isinstance(df, pl.DataFrame)
    nine = pl.col("kind") == "nine_year"
    twelve = pl.col("kind") == "twelve_year"
    cs = pl.col("kind") == "complete_secondary"
    ep, ej, es = (pl.col(f"enrollment_{s}").fill_null(0) for s in ("primary", "junior", "senior"))
    total = pl.when(nine).then(ep + 1.1 * ej).otherwise(ep + 1.1 * ej + 1.32 * es)
    df = df.with_columns(
        included=~((pl.col("kind") == "teaching_point") & (ep + ej < 50)),
        share_primary=pl.when(nine | twelve).then(ep / total).otherwise(1.0),
        share_junior=pl.when(nine | twelve)
        .then(1.1 * ej / total)
        .when(cs)
        .then(ej / (ej + 1.2 * es))
        .otherwise(1.0),
    )
    frames = []
    for stage in STAGES:
        w = pl.col(f"enrollment_{stage}")
        columns = [
            pl.col("school_id"),
            pl.col("county_code"),
            pl.lit(stage).alias("stage"),
            w.alias("w"),
        ]
        for k, (name, scale, per_stage) in enumerate(INDICATORS):
            amount = (
                pl.col(f"{name}_{stage}") if per_stage else pl.col(name) * pl.col(f"share_{stage}")
            )
            minimum = MINIMUMS[stage][k]
            x = amount * scale / w
            columns += [
                x.alias(f"x{k}"),
                # Shortfall of the school's own figure (the school's total for a split resource),
                # in whole units (0.01 m² for areas).
                (
                    (
                        (minimum * w / scale - amount)
                        / (1 if per_stage else pl.col(f"share_{stage}"))
                    )
                    .clip(0)
                    .truediv(0.01 if name.endswith("area") else 1)
                    .ceil()
                    .mul(0.01 if name.endswith("area") else 1)
                ).alias(f"add{k}"),
            ]
        part = df.filter(pl.col("included") & (w > 0)).select(columns)
        met = pl.sum_horizontal(
            [(pl.col(f"x{k}") >= MINIMUMS[stage][k]).cast(pl.Int32) for k in range(7)]
        )
        floor = pl.any_horizontal([pl.col(f"x{k}") < 0.85 * MINIMUMS[stage][k] for k in range(7)])
        frames.append(
            part.with_columns(
                n_met=met,
                school_rule=pl.when((7 - met > 1) | floor)
                .then(pl.lit("failed"))
                .otherwise(pl.lit("passed")),
            )
        )
    parts = pl.concat(frames)
    moments = [
        (pl.col("w") * pl.col(f"x{k}")).sum().truediv(pl.col("w").sum()).alias(f"m{k}")
        for k in range(7)
    ]
    grouped = parts.group_by("county_code", "stage").agg(moments)
    spread = (
        parts.join(grouped, on=["county_code", "stage"])
        .group_by("county_code", "stage")
        .agg(
            [
                ((pl.col("w") * (pl.col(f"x{k}") - pl.col(f"m{k}")) ** 2).sum() / pl.col("w").sum())
                .sqrt()
                .truediv(pl.col(f"m{k}").first())
                .alias(f"cv{k}")
                for k in range(7)
            ]
            + [
                pl.len().alias("n_schools"),
                (pl.col("school_rule") == "failed").sum().alias("n_schools_failing"),
            ]
        )
    )
    maximum = (
        pl.when(pl.col("stage") == "primary").then(MAXIMUM["primary"]).otherwise(MAXIMUM["junior"])
    )
    counties = spread.with_columns(
        status=pl.when(
            pl.all_horizontal([pl.col(f"cv{k}") <= maximum for k in range(7)])
            & (pl.col("n_schools_failing") == 0)
        )
        .then(pl.lit("passed"))
        .otherwise(pl.lit("failed"))
    ).sort("county_code", "stage", descending=[False, True])
    excluded = df.filter(~pl.col("included")).select("school_id", "county_code")
    schools = pl.concat([parts.drop([f"x{k}" for k in range(7)]), excluded], how="diagonal")
    return {"counties": counties, "schools": schools}


def check_equal(
    counties: pa.Table, cv: np.ndarray, failing: np.ndarray, passed: np.ndarray
) -> None:
    """Raise if the CVs (to 1e-9 relative), the verdicts or the failing parts differ from
    eduequity's counties table (rows county by county, primary then junior)."""
    names = [
        c
        for c in counties.column_names
        if c.startswith("cv_") and pa.types.is_floating(counties.schema.field(c).type)
    ]
    mine = np.column_stack([counties.column(c).to_numpy(zero_copy_only=False) for c in names])
    mine = np.asarray(mine, dtype=np.float64)
    present = np.asarray(counties.column("n_schools")) > 0
    if not np.allclose(mine[present], cv[present], rtol=1e-9, atol=0, equal_nan=True):
        raise AssertionError("the CVs differ")
    status = counties.column("status").cast(pa.string()).to_numpy(zero_copy_only=False)
    if not np.array_equal((status == "passed")[present], passed[present]):
        raise AssertionError("the verdicts differ")
    n_failing = counties.column("n_schools_failing").to_numpy(zero_copy_only=False)
    if not np.array_equal(np.asarray(n_failing[present], dtype=np.float64), failing[present]):
        raise AssertionError("the failing parts differ")
