"""Time eduequity at national scale and compare its core with polars and DuckDB.

    python benchmarks/run.py                 # 300k schools, every measurement
    python benchmarks/run.py --sizes 30000 300000 3000000 --repeat 5

Prints median wall-clock times over repeated runs (after one warm-up; for the full evaluations
also the fastest and slowest run) on the synthetic nation of
``benchmarks/nation.py``:

- core: the 7 enrollment-weighted CVs per county x stage and the 6-of-7 rule per school stage
  (2017), from the stage parts; the same computation in polars and in DuckDB SQL as baselines,
  on the same data, with the ratios;
- full: ``batch.evaluate_table`` for cn-basic-2012 and cn-quality-2017 from an in-memory Arrow
  table and from Parquet (counties and schools tables; the findings table is built on first
  access and timed on its own);
- peak memory of a full 2017 evaluation beyond the input, measured in a fresh process.
Performance is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eduequity.rules.parts import build_parts
from eduequity.rules.school_rules import school_rule_arrays
from nation import nation

from eduequity import batch
from eduequity.batch import _canonical_names, _validate
from eduequity.indicators import get_indicator
from eduequity.rules.balance import balance_arrays
from eduequity.rules.scope import scope_reasons
from eduequity.standards import get_standard

Q = get_standard("cn-quality-2017")


def times_ms(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Wall-clock times of ``repeat`` calls after a warm-up, in ms (freeing the result
    included)."""
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t0))
    return times


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    return statistics.median(times_ms(fn, repeat))


def spread(times: list[float]) -> str:
    """The median, and the fastest and slowest run (the machine's noise)."""
    return f"{statistics.median(times):8.1f}  (runs {min(times):.1f} to {max(times):.1f})"


def parts_frame(table: pa.Table) -> tuple[Any, Any, Any]:
    """The 2017 stage parts of the nation, as eduequity's arrays and as a plain Arrow table."""
    data = _validate(_canonical_names(table, "nation"), "nation", "error")
    cols = data.columns
    parts = build_parts(cols, scope_reasons(cols, Q.scope) == 0, Q.split_weights)
    plain = {"grp": parts.groups.codes, "stage": parts.stage, "w": parts.enrollment}
    for i, ind in enumerate(Q.balance.indicators):
        plain[f"n{i}"] = parts.amounts[get_indicator(ind).numerator]
    return cols, parts, pa.table(plain)


def core_numpy(cols: Any, parts: Any) -> None:
    bal = balance_arrays(parts, Q.balance)
    school_rule_arrays(Q, parts, cols, shortfalls=False, known=bal.values)


def _thresholds() -> tuple[list[float], list[float], list[float]]:
    rules = {(m.indicator, m.stage.value): m.value for m in Q.school_standard.minimums}
    scales = [get_indicator(i).scale for i in Q.balance.indicators]
    tp = [rules[(i, "primary")] for i in Q.balance.indicators]
    tj = [rules[(i, "junior")] for i in Q.balance.indicators]
    return scales, tp, tj


def core_polars(df: Any) -> None:
    import polars as pl

    scales, tp, tj = _thresholds()
    xs = [(pl.col(f"n{i}") * scales[i] / pl.col("w")).alias(f"x{i}") for i in range(7)]
    d = df.with_columns(xs)
    means = [
        ((pl.col("w") * pl.col(f"x{i}")).sum() / pl.col("w").sum()).over("grp").alias(f"m{i}")
        for i in range(7)
    ]
    d = d.with_columns(means)
    d.group_by("grp").agg(
        [
            ((pl.col("w") * (pl.col(f"x{i}") - pl.col(f"m{i}")) ** 2).sum() / pl.col("w").sum())
            .sqrt()
            .truediv(pl.col(f"m{i}").first())
            .alias(f"cv{i}")
            for i in range(7)
        ]
    )
    met = [
        pl.when(pl.col("stage") == 0)
        .then(pl.col(f"x{i}") >= tp[i])
        .otherwise(pl.col(f"x{i}") >= tj[i])
        .cast(pl.Int32)
        for i in range(7)
    ]
    floor = [
        pl.when(pl.col("stage") == 0)
        .then(pl.col(f"x{i}") >= 0.85 * tp[i])
        .otherwise(pl.col(f"x{i}") >= 0.85 * tj[i])
        for i in range(7)
    ]
    d.select((pl.sum_horizontal(met) >= 6) & pl.all_horizontal(floor))


def core_duckdb(con: Any) -> None:
    scales, tp, tj = _thresholds()
    x = ", ".join(f"n{i} * {scales[i]} / w AS x{i}" for i in range(7))
    m = ", ".join(f"SUM(w * x{i}) OVER g / SUM(w) OVER g AS m{i}" for i in range(7))
    cv = ", ".join(
        f"SQRT(SUM(w * (x{i} - m{i}) * (x{i} - m{i})) / SUM(w)) / ANY_VALUE(m{i})" for i in range(7)
    )
    met = " + ".join(
        f"(CASE WHEN stage = 0 THEN x{i} >= {tp[i]} ELSE x{i} >= {tj[i]} END)::INT"
        for i in range(7)
    )
    floor = " AND ".join(
        f"(CASE WHEN stage = 0 THEN x{i} >= {0.85 * tp[i]} ELSE x{i} >= {0.85 * tj[i]} END)"
        for i in range(7)
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE xs AS SELECT grp, stage, w, {x} FROM parts;
        CREATE OR REPLACE TEMP TABLE ms AS SELECT *, {m} FROM xs WINDOW g AS (PARTITION BY grp);
        CREATE OR REPLACE TEMP TABLE cvs AS SELECT grp, {cv} FROM ms GROUP BY grp;
        CREATE OR REPLACE TEMP TABLE rule AS SELECT ({met}) >= 6 AND {floor} AS ok FROM xs;
    """)


def peak_memory_mb(path: Path) -> tuple[float, float]:
    """Input size and peak memory growth of a full 2017 evaluation, in a fresh process (MB).

    The input is read from Parquet, then the kernel's high-water mark (VmHWM) is reset
    (/proc/self/clear_refs), so the peak counts the evaluation only.
    """
    code = f"""
import gc, pyarrow.parquet as pq
from eduequity import batch
t = pq.read_table({str(path)!r}).combine_chunks()
gc.collect()
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1e3
open("/proc/self/clear_refs", "w").write("5")
before = status("VmRSS")
out = batch.evaluate_table(t, "cn-quality-2017")
print(t.nbytes / 1e6, status("VmHWM") - before)
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    size, grow = res.stdout.split()
    return float(size), float(grow)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument(
        "--findings",
        action="store_true",
        help="also time building the findings table (millions of rows at national scale)",
    )
    args = parser.parse_args()
    print(f"eduequity benchmark: median of {args.repeat} runs after a warm-up, times in ms")
    for n in args.sizes:
        bench_size(n, args)


def bench_core(table: pa.Table, args: argparse.Namespace) -> None:
    """The core in eduequity, and in polars and DuckDB as baselines."""
    cols, parts, plain = parts_frame(table)
    print(f"   stage parts: {parts.school_row.size:,}")
    core = median_ms(lambda: core_numpy(cols, parts), args.repeat)
    print(f"core (7 CVs + 6-of-7 rule), eduequity: {core:8.1f}")
    if not args.no_baselines:
        try:
            import duckdb
            import polars as pl

            df = pl.from_arrow(plain)
            t_pl = median_ms(lambda: core_polars(df), args.repeat)
            con = duckdb.connect()
            con.register("parts", plain)
            t_db = median_ms(lambda: core_duckdb(con), args.repeat)
            print(
                f"core, polars {pl.__version__}:          {t_pl:8.1f}  "
                f"(polars / eduequity = {t_pl / core:.2f}; above 1 means eduequity is faster)"
            )
            print(
                f"core, DuckDB {duckdb.__version__}:          {t_db:8.1f}  "
                f"(DuckDB / eduequity = {t_db / core:.2f}; above 1 means eduequity is faster)"
            )
            con.close()
        except ImportError:
            print("baselines skipped: pip install 'eduequity[bench]'")


def bench_size(n: int, args: argparse.Namespace) -> None:
    """Every measurement for a nation of ``n`` schools."""
    table = nation(n).combine_chunks()
    print(
        f"\n== {n:,} schools, {len(set(table.column('county_code').to_pylist())):,} "
        f"counties, input {table.nbytes / 1e6:.0f} MB"
    )
    # The core measurements run in a function of their own: their arrays and engines are let
    # go before the full evaluations, which start from the table alone, as in a user's process.
    bench_core(table, args)
    gc.collect()
    for std in ("cn-basic-2012", "cn-quality-2017"):
        runs = times_ms(lambda s=std: batch.evaluate_table(table, s), args.repeat)
        print(f"full {std}, in memory:      {spread(runs)}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nation.parquet"
        pq.write_table(table, path)
        runs = times_ms(lambda: batch.evaluate_table(path, "cn-quality-2017"), args.repeat)
        print(f"full cn-quality-2017, Parquet:   {spread(runs)}")
        size, grow = peak_memory_mb(path)
    print(
        f"peak memory beyond the input: {grow:.0f} MB (input columns {size:.0f} MB, "
        f"x{grow / size:.1f})"
    )
    if args.findings:
        out = batch.evaluate_table(table, "cn-quality-2017")
        t0 = time.perf_counter()
        rows = out.findings.num_rows
        print(
            f"findings table (built once), {rows:,} rows: {1000 * (time.perf_counter() - t0):8.1f}"
        )


if __name__ == "__main__":
    main()
