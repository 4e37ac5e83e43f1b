"""The 2017 job written by hand, as yardsticks and peers for eduequity's columnar door.

- :func:`numpy_yardstick`: the scope (teaching points under 50 students left out), the split of
  multi-stage schools' resources by weighted enrollment, the 7 enrollment-weighted CVs per
  county and stage, each stage part's 6-of-7 rule with the 85 % floor, and per county and stage
  the verdict (each CV at most 0.50 / 0.45, and no part failing the school rule), by
  ``np.bincount`` over integer group codes, nothing else.
- :func:`polars_light_job`: the same in polars, plus each part's shortfall per minimum (whole
  teachers, m² to 0.01, yuan, rooms, unverified), a counties table and a schools table; no
  validation, rooms, school size, class sizes or class-size targets.
- :func:`polars_full_job`: everything eduequity's columnar door does under cn-quality-2017, in
  polars: the validation of the same constraints, the exact split, the shortfalls verified as
  the library verifies them, rooms, school size, class sizes, the class-size targets, the stage
  verdicts and the components, and the counties and schools tables laid out as eduequity's.

:func:`check_equal` compares the first two with eduequity's counties table; :func:`compare_tables`
compares whole tables (the full job's with eduequity's).
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


def polars_light_job(table: Any) -> dict[str, Any]:
    """The yardstick's job in polars, with shortfalls and counties and schools tables (from an
    Arrow table or a polars DataFrame)."""
    import polars as pl

    df = table if isinstance(table, pl.DataFrame) else pl.from_arrow(table)
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
                .then(_code("failed"))
                .otherwise(_code("passed")),
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
        .then(_code("passed"))
        .otherwise(_code("failed"))
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


# --- The full job in polars ---------------------------------------------------------------------
#
# The same work as eduequity's columnar door under cn-quality-2017, written in polars the way one
# would by hand: the validation of the same constraints (deciding only "all good"; anything else is
# refused without the library's explanation), the scope, the exact split of multi-stage schools,
# the 7 CVs, the school rule and its shortfalls (verified as the library verifies them), rooms,
# school size, class sizes, the class-size targets, the stage verdicts (the CV bounds and no
# failing school), the components, and the counties and schools tables laid out as eduequity's.

#: Every school kind, and the compulsory stages each must have (required) and may have.
KIND_VALUES = (
    "primary",
    "junior",
    "nine_year",
    "twelve_year",
    "complete_secondary",
    "teaching_point",
    "special_education",
    "vocational",
)
REQUIRED = {
    "primary": ("primary", "nine_year", "twelve_year", "teaching_point"),
    "junior": ("junior", "nine_year", "twelve_year", "complete_secondary"),
}
ALLOWED = {stage: (*kinds, "special_education") for stage, kinds in REQUIRED.items()}
WITH_SENIOR = ("twelve_year", "complete_secondary")
PEOPLE = (
    "teachers",
    "staff",
    "teachers_above_qualification",
    "teachers_intermediate_title",
    "teachers_backbone",
    "teachers_pe_arts",
)
RESOURCES = (
    "room_area",
    "sports_area",
    "equipment_value",
    "computers",
    "books",
    "multimedia_rooms",
    "music_rooms",
    "music_room_area",
    "art_rooms",
    "art_room_area",
)
SPLIT = ("room_area", "sports_area", "equipment_value", "computers", "books", "multimedia_rooms")
#: Each indicator's name in eduequity's tables, and its quantum (the smallest addition).
INDICATOR_NAMES = (
    "teachers_above_qualification_per_100_students",
    "teachers_backbone_per_100_students",
    "teachers_pe_arts_per_100_students",
    "room_area_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_rooms_per_100_students",
)
QUANTUM = {"room_area": 0.01, "sports_area": 0.01}
FLOOR = 0.85  # each minimum not met must reach 85 % of it; at least 6 of the 7 met
SIZE_CAP = {
    "primary": 2000,
    "junior": 2000,
    "complete_secondary": 2000,
    "nine_year": 2500,
    "twelve_year": 2500,
}
CLASS_CAP = {"primary": 45, "junior": 50}
ROOMS = {"classes_per_room": 12, "music": 96.0, "art": 90.0}
TARGETS = ((66, 0.02), (56, 0.05))  # classes of at least this size, at most this share
LARGE, SUPER_LARGE = 56, 66  # the bands of classes: 大班额 and 超大班额 from these sizes
BANDS = ("within_cap", "over_cap", "large", "super_large")
STUDENTS_PER_STAFF = {"primary": 19.0, "junior": 13.5}
COMPONENTS = (
    "precondition",
    "resource_allocation",
    "government_guarantee",
    "education_quality",
    "social_recognition",
    "veto",
)
MAX_AMOUNT, MAX_ENROLLMENT, MAX_CLASS = 1e12, 1e6, 1000


class RefusedError(ValueError):
    """The polars job's validation did not find every row good."""


def _validate(df: Any, units: bool) -> None:
    """Refuse ``df`` unless every constraint the library's validator checks holds.

    As the library's fast path does, reductions over whole columns decide "all good"; where one
    is in doubt, the constraint is checked row by row where it applies; anything that still
    fails is refused (naming the constraints, not the rows: explaining them is the library's
    validator's work).
    """
    import polars as pl

    schema = df.schema
    required = ["school_id", "county_code", "kind", "enrollment_primary", "enrollment_junior"]
    if any(c not in schema for c in required):
        raise RefusedError("a required column is missing")
    numeric = [c for c in schema if c.startswith(("enrollment_", *PEOPLE, *RESOURCES))]
    for c in numeric:
        if not (schema[c].is_integer() or schema[c].is_float()):
            raise RefusedError(f"column {c!r} is not numeric")
    kind = pl.col("kind")
    e = {s: pl.col(f"enrollment_{s}") for s in STAGES}
    senior = pl.col("enrollment_senior") if "enrollment_senior" in schema else pl.lit(0)
    has = {s: pl.col(f"has_{s}") for s in STAGES}

    def whole(x: Any, col: str) -> Any:
        return pl.lit(True) if schema[col].is_integer() else x == x.floor()

    # Each check: its reduction over the whole column (None: none), and its check row by row.
    checks: dict[str, tuple[Any, Any]] = {
        "school_id": (None, (pl.col("school_id").str.len_bytes() > 0).fill_null(False).all()),
        "county_code": (
            None,
            pl.col("county_code").str.contains(r"^[0-9]{6}$").fill_null(False).all(),
        ),
        "kind": (None, kind.is_in(KIND_VALUES).fill_null(False).all()),
        # Within a county: the 6-digit code and the id together are unambiguous.
        "repeated ids": (None, pl.concat_str("county_code", "school_id").n_unique() == pl.len()),
        "special education without a stage": (
            None,
            ((kind == "special_education") & ~(has["primary"] | has["junior"])).any().not_(),
        ),
    }
    for s in STAGES:
        x, col = e[s], f"enrollment_{s}"
        req, allowed = kind.is_in(REQUIRED[s]), kind.is_in(ALLOWED[s])
        # Required: a whole number from 1 to 1e6; may have (special education): null or 0 to
        # 1e6; elsewhere null or 0.
        ok = (
            pl.when(req)
            .then(x.is_between(1, MAX_ENROLLMENT) & whole(x, col))
            .when(allowed)
            .then(x.is_null() | (x.is_between(0, MAX_ENROLLMENT) & whole(x, col)))
            .otherwise(x.fill_null(0) == 0)
        )
        checks[col] = (None, ok.fill_null(False).all())
    with_senior = kind.is_in(WITH_SENIOR)
    checks["enrollment_senior"] = (
        None,
        pl.when(with_senior)
        .then(senior.is_between(1, MAX_ENROLLMENT) & whole(senior, "enrollment_senior"))
        .when(kind == "vocational")
        .then(True)
        .otherwise(senior.fill_null(0) == 0)
        .fill_null(False)
        .all(),
    )

    def amount(col: str, where: Any) -> None:
        """Not null where ``where``; a number from 0 to 1e12 there."""
        x = pl.col(col)
        checks[f"{col} empty"] = (None, (x.is_null() & where).any().not_())
        checks[col] = (
            (x.min() >= 0) & (x.nan_max() <= MAX_AMOUNT),
            (x.is_between(0, MAX_AMOUNT).fill_null(False) | ~where | x.is_null()).all(),
        )

    for s in STAGES:
        for f in PEOPLE:
            if f"{f}_{s}" in schema:
                amount(f"{f}_{s}", has[s])
    for r in RESOURCES:
        if r in schema:
            amount(r, pl.lit(True))
    for s in STAGES:
        col = f"class_sizes_{s}"
        if col not in schema:
            continue
        if not (isinstance(schema[col], pl.List) and schema[col].inner.is_integer()):
            raise RefusedError(f"column {col!r} is not a list of whole numbers")
        sizes, small, large = pl.col(col), pl.col(f"cmin_{s}"), pl.col(f"cmax_{s}")
        # Reported where the school has the stage; each class 1 to 1,000, none left empty.
        checks[f"{col} empty"] = (None, (sizes.is_null() & has[s]).any().not_())
        checks[col] = (
            (small.min() >= 1) & (large.max() <= MAX_CLASS),
            ((small.is_between(1, MAX_CLASS) & (large <= MAX_CLASS)) | ~has[s]).all(),
        )
        checks[f"{col} empty class"] = (
            None,
            (sizes.list.eval(pl.element().is_null()).list.any().fill_null(False) & has[s])
            .any()
            .not_(),
        )
    for flag in ("public", "county_run"):
        if flag in schema:
            if schema[flag] != pl.Boolean:
                raise RefusedError(f"column {flag!r} is not yes or no")
            checks[flag] = (None, pl.col(flag).null_count() == 0)
    if units and "equipment_value" in schema:
        pupils = e["primary"].fill_null(0) + e["junior"].fill_null(0) + senior.fill_null(0)
        value = pl.col("equipment_value")
        checks["equipment value in 万元"] = (
            None,
            ((value > 0) & (value / pupils < 1)).any().not_(),
        )
    quick = df.select(
        **{k: fast if fast is not None else slow for k, (fast, slow) in checks.items()}
    ).row(0, named=True)
    doubt = [k for k, ok in quick.items() if not ok and checks[k][0] is not None]
    failed = [k for k, ok in quick.items() if not ok and checks[k][0] is None]
    if doubt:
        again = df.select(**{k: checks[k][1] for k in doubt}).row(0, named=True)
        failed += [k for k, ok in again.items() if not ok]
    if failed:
        raise RefusedError("refused: " + ", ".join(failed))


def _two_way(amount: Any, level: int) -> tuple[Any, Any]:
    """The library's exact split of the column ``amount`` at ``level`` 1 (primary against the
    rest) or 2 (junior against senior), by the shares of :func:`_shares`: the larger part
    rounded, the smaller the difference (the parts sum exactly to the amount)."""
    import polars as pl

    sa, sb = pl.col(f"sa{level}"), pl.col(f"sb{level}")
    a_raw, b_raw = amount * sa, amount * sb
    a_big = a_raw >= b_raw
    big = pl.max_horizontal(pl.when(a_big).then(a_raw).otherwise(b_raw), amount * 0.5)
    small = amount - big
    a = pl.when(a_big).then(big).otherwise(small)
    b = pl.when(a_big).then(small).otherwise(big)
    both, to_a = pl.col(f"both{level}"), pl.col(f"to_a{level}")
    a = pl.when(both).then(a).when(to_a).then(amount).otherwise(amount * 0.0)
    b = pl.when(both).then(b).when(to_a).then(amount * 0.0).otherwise(amount)
    return a, b


def _shares() -> dict[str, Any]:
    """The weights of the two splits of :func:`_two_way`, as columns."""
    import polars as pl

    wp, wj, ws = pl.col("wp"), pl.col("wj"), pl.col("ws")
    out = {}
    for level, (wa, wb) in enumerate(((wp, wj + ws), (wj, ws)), start=1):
        out |= {
            f"sa{level}": wa / (wa + wb),
            f"sb{level}": wb / (wa + wb),
            f"both{level}": (wa > 0) & (wb > 0),
            f"to_a{level}": (wa > 0) & ~(wb > 0),
        }
    return out


def _split(lf: Any, amounts: dict[str, Any], stage: str) -> Any:
    """``lf`` with each of ``amounts`` (name: the school's amount) replaced by the stage's part
    of it (the whole amount for a school of one stage)."""
    import polars as pl

    lf = lf.with_columns(**amounts)
    if stage == "primary":
        return lf.with_columns(**{k: _two_way(pl.col(k), 1)[0] for k in amounts})
    lf = lf.with_columns(**{k: _two_way(pl.col(k), 1)[1] for k in amounts})
    return lf.with_columns(**{k: _two_way(pl.col(k), 2)[0] for k in amounts})


#: The statuses and the reasons a school is left out, as eduequity's tables code them.
STATUSES = ("passed", "failed", "not_evaluated", "not_applicable")
REASONS = (
    "included",
    "kind_excluded",
    "private",
    "not_county_run",
    "below_min_enrollment",
    "no_compulsory_stage",
)


def _code(status: str) -> Any:
    """A status as a literal of the status enum (one byte, as eduequity's dictionaries)."""
    import polars as pl

    return pl.lit(status, dtype=pl.Enum(STATUSES))


def _round_up(x: Any, quantum: float) -> Any:
    """``x`` up to a whole number of quanta (0 below 0), the count rounded to 6 decimals first."""
    return (x.clip(lower_bound=0.0) / quantum).round(6).ceil() * quantum


def _status(passed: Any, applies: Any = None) -> Any:
    """ "passed" or "failed"; "not_applicable" where ``applies`` is false."""
    import polars as pl

    status = pl.when(passed).then(_code("passed")).otherwise(_code("failed"))
    if applies is None:
        return status
    return pl.when(applies).then(status).otherwise(_code("not_applicable"))


def _schools_level(df: Any) -> Any:
    """One row per school: scope, split weights, rooms, school size, classes (lazy)."""
    import polars as pl

    kind = pl.col("kind")
    cs = kind == "complete_secondary"
    ep, ej = (pl.col(f"enrollment_{s}").fill_null(0).cast(pl.Float64) for s in STAGES)
    es = (
        pl.col("enrollment_senior").fill_null(0).cast(pl.Float64)
        if "enrollment_senior" in df.columns
        else pl.lit(0.0)
    )
    es = pl.when(kind.is_in((*WITH_SENIOR, "vocational"))).then(es).otherwise(0.0)
    compulsory = ep + ej
    REASON = pl.Enum(REASONS)  # noqa: N806
    reason = (
        pl.when(kind.is_in(("special_education", "vocational")))
        .then(pl.lit("kind_excluded", dtype=REASON))
        .when((kind == "teaching_point") & (compulsory < 50))
        .then(pl.lit("below_min_enrollment", dtype=REASON))
        .when(compulsory == 0)
        .then(pl.lit("no_compulsory_stage", dtype=REASON))
    )
    lf = df.lazy().with_row_index("row")
    lf = lf.with_columns(
        ep=ep,
        ej=ej,
        wp=ep,
        wj=pl.when(cs).then(ej).otherwise(ej * 1.1),
        ws=pl.when(cs).then(es * 1.2).otherwise(es * 1.32),
        reason=reason,
        compulsory=compulsory,
    ).with_columns(
        included=pl.col("reason").is_null(),
        multi=pl.sum_horizontal((pl.col(w) > 0).cast(pl.Int8) for w in ("wp", "wj", "ws")) > 1,
    )
    inc = pl.col("included")
    classes: dict[str, Any] = {}
    for s in STAGES:
        has = pl.col(f"has_{s}")
        classes[f"n_classes_{s}"] = pl.when(has).then(pl.col(f"clen_{s}")).otherwise(0)
        classes[f"class_fails_{s}"] = has & (pl.col(f"cmax_{s}") > CLASS_CAP[s]).fill_null(False)
    lf = lf.with_columns(**classes)
    n_classes = pl.col("n_classes_primary") + pl.col("n_classes_junior")
    required = (n_classes / ROOMS["classes_per_room"]).ceil()
    cap = kind.replace_strict(SIZE_CAP, default=None, return_dtype=pl.Float64)
    checks = {}
    for room in ("music", "art"):
        count, area = pl.col(f"{room}_rooms"), pl.col(f"{room}_room_area")
        checks[f"check_rooms_{room}_rooms"] = _status(count >= required, inc)
        checks[f"check_rooms_{room}_room_area"] = _status(
            area / count >= ROOMS[room], inc & (count > 0)
        )
    checks["check_school_size"] = _status(pl.col("compulsory") <= cap, inc & cap.is_not_null())
    for s in STAGES:
        checks[f"class_{s}"] = _status(~pl.col(f"class_fails_{s}"), inc & pl.col(f"has_{s}"))
    return lf.with_columns(**checks)


#: The columns of a school its parts carry to the schools table.
PART_COLUMNS = (
    "row",
    "school_id",
    "county_code",
    "kind",
    "included",
    "reason",
    "check_rooms_music_rooms",
    "check_rooms_music_room_area",
    "check_rooms_art_rooms",
    "check_rooms_art_room_area",
    "check_school_size",
)


def _stage_parts(schools: Any, stage: str, multi: bool) -> Any:
    """The parts of one stage of the multi-stage schools (``multi``: their resources are
    split) or of the others: indicators, the school rule and its shortfalls (lazy)."""
    import polars as pl

    w = pl.col("w")
    minimums = MINIMUMS[stage]
    mine = pl.col("multi") if multi else ~pl.col("multi")
    needed = [
        *PART_COLUMNS,
        f"e{stage[0]}",
        *(f"{name}_{stage}" if per_stage else name for name, _, per_stage in INDICATORS),
        f"class_{stage}",
        f"staff_{stage}",
        f"class_sizes_{stage}",
        f"cmax_{stage}",
        f"clen_{stage}",
        *(("wp", "wj", "ws") if multi else ()),
    ]
    lf = schools.filter(pl.col("included") & pl.col(f"has_{stage}") & mine).select(needed)
    lf = lf.with_columns(
        stage=pl.lit(stage, dtype=pl.Enum(STAGES)),
        order=pl.lit(STAGES.index(stage), dtype=pl.Int8),
        w=pl.col(f"e{stage[0]}"),
        **(_shares() if multi else {}),
    )
    split = [name for name, _, per_stage in INDICATORS if not per_stage]
    amounts = {"share": pl.lit(1.0), **{f"a_{r}": pl.col(r) for r in split}}
    lf = _split(lf, amounts, stage) if multi else lf.with_columns(**amounts)
    lf = lf.with_columns(
        **{
            f"x{k}": (pl.col(f"{name}_{stage}") if per_stage else pl.col(f"a_{name}")) * scale / w
            for k, (name, scale, per_stage) in enumerate(INDICATORS)
        },
    )
    x = [pl.col(f"x{k}") for k in range(7)]
    met = pl.sum_horizontal((x[k] >= minimums[k]).cast(pl.Int64) for k in range(7))
    below = pl.any_horizontal(x[k] < minimums[k] * FLOOR for k in range(7))
    lf = lf.with_columns(
        n_met=met,
        n_rules=pl.lit(7, dtype=pl.Int64),
        school_rule=_status(~((7 - met > 1) | below)),
        check_class_size=pl.col(f"class_{stage}"),
    )
    # Staff against the staffing standard, and the classes by band (only the schools with a
    # class above a band's lowest size are read class by class).
    required = (w / STUDENTS_PER_STAFF[stage]).round(6).ceil()
    shortfall = (required - pl.col(f"staff_{stage}")).ceil().clip(lower_bound=0.0)
    sizes, top = pl.col(f"class_sizes_{stage}"), pl.col(f"cmax_{stage}")

    def above(size: int) -> Any:
        count = sizes.list.eval(pl.element() > size).list.sum()
        return pl.when(top > size).then(count).otherwise(0).cast(pl.Int64)

    lf = lf.with_columns(
        staffing=_status(shortfall == 0),
        staff_required=required.cast(pl.Int64),
        staff_shortfall=shortfall.cast(pl.Int64),
        n_classes=pl.col(f"clen_{stage}").cast(pl.Int64),
        n_over=above(CLASS_CAP[stage]),
        n_large=above(LARGE - 1),
        n_super=above(SUPER_LARGE - 1),
    ).with_columns(
        classes_within_cap=pl.col("n_classes") - pl.col("n_over"),
        classes_over_cap=pl.col("n_over") - pl.col("n_large"),
        classes_large=pl.col("n_large") - pl.col("n_super"),
        classes_super_large=pl.col("n_super"),
    )
    # Shortfalls: the whole units (0.01 m²) the school must add for the part to meet each
    # minimum, checked by computing the part's indicator again (twice, as the library may).
    first = {}
    for k, (name, scale, per_stage) in enumerate(INDICATORS):
        t, quantum = minimums[k], QUANTUM.get(name, 1.0)
        base = pl.col(f"{name}_{stage}") if per_stage else pl.col(name)
        need = t * w / scale
        if not per_stage:
            need = need / pl.col("share")
        first[f"q{k}"] = pl.when(x[k] >= t).then(0.0).otherwise(_round_up(need - base, quantum))
    lf = lf.with_columns(**first)
    for _ in range(2):
        after = {}
        for k, (name, _, per_stage) in enumerate(INDICATORS):
            base = pl.col(f"{name}_{stage}") if per_stage else pl.col(name)
            after[f"after{k}"] = base + pl.col(f"q{k}")
        if multi:  # the school adds to its total: the part is split again
            lf = _split(
                lf, {k: v for k, v in after.items() if not INDICATORS[int(k[5:])][2]}, stage
            )
            after = {k: v for k, v in after.items() if INDICATORS[int(k[5:])][2]}
        lf = lf.with_columns(**after)
        verify = {}
        for k, (name, scale, _) in enumerate(INDICATORS):
            t, quantum = minimums[k], QUANTUM.get(name, 1.0)
            short = (x[k] < t) & ~(pl.col(f"after{k}") * scale / w >= t)
            q = pl.col(f"q{k}")
            verify[f"q{k}"] = pl.when(short).then(q + quantum).otherwise(q)
        lf = lf.with_columns(**verify)
    return lf.select(
        *PART_COLUMNS,
        "stage",
        "order",
        "w",
        *(f"x{k}" for k in range(7)),
        "school_rule",
        "n_met",
        "n_rules",
        *(f"q{k}" for k in range(7)),
        "check_class_size",
        *FIGURES,
        "n_classes",
        "n_large",
        "n_super",
    )


#: What both tables report beside the verdicts: staff, and the classes by band.
FIGURES = ("staffing", "staff_required", "staff_shortfall", *(f"classes_{b}" for b in BANDS))


def polars_full_job(source: Any, *, units: bool = False) -> dict[str, Any]:
    """eduequity's full cn-quality-2017 job in polars: validation, then the counties, schools
    and class-size targets tables (see the comment above :data:`KIND_VALUES`).

    ``source``: a polars DataFrame (or an Arrow table). ``units``: also refuse an equipment
    value under 1 yuan per pupil, as the library does for a table read from a file.
    """
    import polars as pl

    df = source if isinstance(source, pl.DataFrame) else pl.from_arrow(source)
    # Read once for the validation and the job: the kind as an enum (an unknown kind is
    # refused), whether the school has each stage, and each school's smallest and largest class
    # and its classes (for the class-size check, the rooms and the targets).
    try:
        df = df.with_columns(pl.col("kind").cast(pl.Enum(KIND_VALUES)))
    except pl.exceptions.PolarsError:
        raise RefusedError("refused: kind") from None
    kind = pl.col("kind")
    df = df.with_columns(
        **{
            f"has_{s}": kind.is_in(ALLOWED[s]) & (pl.col(f"enrollment_{s}").fill_null(0) > 0)
            for s in STAGES
        },
        **{
            f"{k}_{s}": getattr(pl.col(f"class_sizes_{s}").list, f)()
            for s in STAGES
            if f"class_sizes_{s}" in df.columns
            for k, f in (("cmin", "min"), ("cmax", "max"), ("clen", "len"))
        },
    )
    _validate(df, units)
    schools = _schools_level(df).collect()
    parts = pl.concat(
        [_stage_parts(schools.lazy(), s, multi) for s in STAGES for multi in (False, True)],
        how="vertical",
    ).collect()
    # The schools table: a row per part of an included school and per excluded school, in
    # input order (the primary part before the junior part).
    common = [
        "school_id",
        "county_code",
        "kind",
        "stage",
        "included",
        "reason",
        "enrollment",
    ]
    values = [pl.col(f"x{k}").alias(f"value_{n}") for k, n in enumerate(INDICATOR_NAMES)]
    shortfalls = [pl.col(f"q{k}").alias(f"shortfall_{n}") for k, (n, _, _) in enumerate(INDICATORS)]
    checks = [
        "check_rooms_music_rooms",
        "check_rooms_music_room_area",
        "check_rooms_art_rooms",
        "check_rooms_art_room_area",
        "check_school_size",
    ]
    of_parts = parts.lazy().select(
        "row",
        "order",
        *common[:-1],
        pl.col("w").alias("enrollment"),
        *values,
        "school_rule",
        "n_met",
        "n_rules",
        *shortfalls,
        *checks,
        "check_class_size",
        *FIGURES,
    )
    of_excluded = (
        schools.lazy()
        .filter(~pl.col("included"))
        .select(
            "row",
            pl.lit(0, dtype=pl.Int8).alias("order"),
            *common[:3],
            pl.lit(None, dtype=pl.Enum(STAGES)).alias("stage"),
            "included",
            "reason",
            pl.col("compulsory").alias("enrollment"),
            _code("not_applicable").alias("school_rule"),
            *checks,
            _code("not_applicable").alias("check_class_size"),
            _code("not_applicable").alias("staffing"),
        )
    )
    columns = [
        *common,
        *(f"value_{n}" for n in INDICATOR_NAMES),
        "school_rule",
        "n_met",
        "n_rules",
        *(f"shortfall_{n}" for n, _, _ in INDICATORS),
        *checks,
        "check_class_size",
        *FIGURES,
    ]
    table = (
        pl.concat([of_parts, of_excluded], how="diagonal")
        .sort(pl.col("row").cast(pl.UInt64) * 2 + pl.col("order").cast(pl.UInt64))
        .select(*columns, pl.lit(None, dtype=pl.String).alias("not_reported"))
    )
    # The counties table: every county, primary then junior.
    # Two passes: each group's weighted means, then the weighted squared deviations from them.
    w, keys = pl.col("w"), ("county_code", "order")
    x = [pl.col(f"x{k}") for k in range(7)]
    deviations = (
        parts.lazy()
        .with_columns(**{f"m{k}": ((w * x[k]).sum() / w.sum()).over(keys) for k in range(7)})
        .with_columns(**{f"d{k}": w * (x[k] - pl.col(f"m{k}")) ** 2 for k in range(7)})
    )
    groups = deviations.group_by(keys).agg(
        pl.len().alias("n_schools"),
        (pl.col("school_rule") == "failed").sum().cast(pl.Int64).alias("n_schools_failing"),
        w.sum().alias("enrollment"),
        *(pl.col(f"m{k}").first() for k in range(7)),
        *((pl.col(f"d{k}").sum() / w.sum()).sqrt().alias(f"s{k}") for k in range(7)),
        (pl.col("staffing") == "failed").any().alias("staff_failed"),
        *(pl.col(c).sum() for c in FIGURES[1:]),
    )
    counties = schools.lazy().select(pl.col("county_code").unique())
    grid = counties.join(
        pl.LazyFrame(
            {
                "stage": pl.Series(STAGES, dtype=pl.Enum(STAGES)),
                "order": pl.Series([0, 1], dtype=pl.Int8),
            }
        ),
        how="cross",
    ).join(groups, on=["county_code", "order"], how="left")
    n = pl.col("n_schools")
    threshold = (
        pl.when(pl.col("stage") == "primary").then(MAXIMUM["primary"]).otherwise(MAXIMUM["junior"])
    )
    cvs = {
        f"cv_{name}": pl.when(pl.col(f"m{k}") > 0).then(pl.col(f"s{k}") / pl.col(f"m{k}"))
        for k, name in enumerate(INDICATOR_NAMES)
    }
    within = pl.all_horizontal((pl.col(c) <= pl.col("threshold")).fill_null(False) for c in cvs)
    grid = grid.with_columns(
        n_schools=n.fill_null(0).cast(pl.Int64),
        enrollment=pl.col("enrollment").fill_null(0.0),
        threshold=threshold,
        method=pl.lit("each"),
    ).with_columns(**cvs)
    present = pl.col("n_schools") > 0
    grid = grid.with_columns(
        cv_status=_status(within, present),
        school_rule_status=_status(pl.col("n_schools_failing") == 0, present),
    ).with_columns(
        status=pl.when(~present)
        .then(_code("not_applicable"))
        .when((pl.col("cv_status") == "failed") | (pl.col("school_rule_status") == "failed"))
        .then(_code("failed"))
        .otherwise(_code("passed"))
    )
    # Components: 资源配置 from the stages' verdicts; 政府保障程度 from the rooms, school size
    # and class sizes (its county items not supplied: not evaluated unless a school fails);
    # the others are county items only (not evaluated).
    failing = pl.any_horizontal(
        pl.col(c) == "failed" for c in (*checks, "class_primary", "class_junior")
    )
    facilities = schools.lazy().group_by("county_code").agg(failing.any().alias("fac_failed"))
    stage_status = grid.group_by("county_code").agg(
        (pl.col("status") == "failed").any().alias("ra_failed"),
        (pl.col("status") == "passed").any().alias("ra_passed"),
    )
    components = stage_status.join(facilities, on="county_code").with_columns(
        component_resource_allocation=pl.when(pl.col("ra_failed"))
        .then(_code("failed"))
        .when(pl.col("ra_passed"))
        .then(_code("passed"))
        .otherwise(_code("not_evaluated")),
        component_government_guarantee=pl.when(pl.col("fac_failed"))
        .then(_code("failed"))
        .otherwise(_code("not_evaluated")),
    )
    components = components.with_columns(
        county_status=pl.when(
            (pl.col("component_resource_allocation") == "failed")
            | (pl.col("component_government_guarantee") == "failed")
        )
        .then(_code("failed"))
        .otherwise(_code("not_evaluated")),
        **{
            f"component_{c}": _code("not_evaluated")
            for c in COMPONENTS
            if c not in ("resource_allocation", "government_guarantee")
        },
    )
    counties_table = (
        grid.join(components, on="county_code")
        .sort("county_code", "order")
        .select(
            "county_code",
            "stage",
            "status",
            "cv_status",
            "school_rule_status",
            "n_schools",
            pl.when(present).then(pl.col("n_schools_failing")).alias("n_schools_failing"),
            "enrollment",
            "threshold",
            "method",
            *cvs,
            pl.lit(None, dtype=pl.Float64).alias("composite_cv"),
            pl.when(~present)
            .then(_code("not_applicable"))
            .when(pl.col("staff_failed"))
            .then(_code("failed"))
            .otherwise(_code("passed"))
            .alias("staffing_status"),
            *FIGURES[1:],
            pl.when(present)
            .then(pl.lit(0, dtype=pl.Int64))
            .alias("n_schools_classes_not_reported"),
            "county_status",
            *(f"component_{c}" for c in COMPONENTS),
        )
    )
    # The class-size targets: per county, the share of the included schools' classes of 66
    # (56) students or more.
    totals = (
        parts.lazy()
        .group_by("county_code")
        .agg(
            pl.col("n_classes").sum().alias("n"),
            pl.col("n_super").sum().alias("n66"),
            pl.col("n_large").sum().alias("n56"),
        )
    )
    counted = counties
    targets = (
        counted.join(totals, on="county_code", how="left")
        .with_columns(pl.col("n").fill_null(0))
        .select(
            "county_code",
            *[
                x
                for m, share in TARGETS
                for x in (
                    (pl.col(f"n{m}").fill_null(0) / pl.col("n")).alias(f"share_{m}"),
                    pl.when(pl.col("n") == 0)
                    .then(_code("not_evaluated"))
                    .otherwise(_status(pl.col(f"n{m}").fill_null(0) / pl.col("n") <= share))
                    .alias(f"status_{m}"),
                )
            ],
        )
        .sort("county_code")
    )
    out = pl.collect_all([counties_table, table, targets])
    return dict(zip(("counties", "schools", "targets"), out, strict=True))


def compare_tables(mine: pa.Table, theirs: pa.Table, rtol: float = 1e-9) -> list[str]:
    """The differences between two tables: column names and order, rows, and per column the
    rows that differ (floats to ``rtol`` relative, nulls alike; text as text, whatever its
    Arrow type)."""
    if mine.column_names != theirs.column_names:
        return [f"columns differ: {mine.column_names} against {theirs.column_names}"]
    if mine.num_rows != theirs.num_rows:
        return [f"rows differ: {mine.num_rows} against {theirs.num_rows}"]
    found = []
    for name in mine.column_names:
        a, b = (t.column(name).combine_chunks() for t in (mine, theirs))
        a, b = (_plain(x) for x in (a, b))
        nulls = np.asarray(a.is_null()) != np.asarray(b.is_null())
        if pa.types.is_floating(a.type) and pa.types.is_floating(b.type):
            x = a.to_numpy(zero_copy_only=False)
            y = b.to_numpy(zero_copy_only=False)
            differ = ~np.isclose(x, y, rtol=rtol, atol=1e-12, equal_nan=True)
        elif a.type != b.type:
            found.append(f"{name}: types {a.type} against {b.type}")
            continue
        else:
            differ = ~np.asarray(pc.fill_null(pc.equal(a, b), True))
        bad = np.flatnonzero(nulls | differ)
        if bad.size:
            first = int(bad[0])
            found.append(
                f"{name}: {bad.size} rows, first row {first}: "
                f"{a[first].as_py()!r} against {b[first].as_py()!r}"
            )
    return found


def _plain(col: pa.Array) -> pa.Array:
    """Dictionary-encoded or large/view text as plain text; integers of any width as int64."""
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    if pa.types.is_large_string(col.type) or pa.types.is_string_view(col.type):
        return col.cast(pa.string())
    if pa.types.is_integer(col.type):
        return col.cast(pa.int64())
    return col
