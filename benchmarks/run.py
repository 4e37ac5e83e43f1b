"""Time eduequity at national scale, beside yardsticks written plainly.

    python benchmarks/run.py                 # 300k schools, every measurement
    python benchmarks/run.py --sizes 30000 300000 3000000 --repeat 5

Prints median wall-clock times over repeated runs (after one warm-up; with the fastest and
slowest run) on the synthetic nation of ``benchmarks/nation.py``:

- full: ``batch.evaluate_table`` for cn-basic-2012 and cn-quality-2017 from an in-memory Arrow
  table and from Parquet, with the counties and schools tables built;
- yardsticks (``peers.py``), the same run: the 2017 job by ``np.bincount`` over county codes
  (split, 7 CVs, 6-of-7 rule, verdicts) and the lighter job in polars (with the shortfalls and
  a counties and a schools table), each checked equal to eduequity, with the ratios (the polars
  job that does all of eduequity's work, the shuffled nation and the three timings of each peer
  are in ``national.py``);
- the findings table: time to build it and its size;
- the equity table (every measure of every county, stage and indicator under 2017) against
  the evaluation, and a 1,000-resample bootstrap of one county's CV;
- peak memory of a full 2017 evaluation beyond the input, in a fresh process;
- the command line, ``eduequity evaluate nation.parquet --format html --out ...``, in a fresh
  process: its time against reading and evaluating the file, the HTML summary's size and the
  peak memory.

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

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nation import nation
from peers import check_equal, numpy_yardstick, polars_light_job

import eduequity as ee
from eduequity import batch, equity
from eduequity.rules import Evaluation


def times_ms(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Wall-clock times of ``repeat`` calls after a warm-up, in ms."""
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t0))
    return times


def spread(times: list[float]) -> str:
    """The median, and the fastest and slowest run (the machine's noise)."""
    return f"{statistics.median(times):8.1f}  (runs {min(times):.1f} to {max(times):.1f})"


def full_job(table: pa.Table, standard: str) -> batch.BatchResult:
    """A full evaluation, with the counties and schools tables built."""
    out = batch.evaluate_table(table, standard)
    out.counties, out.schools  # noqa: B018 - built on first access
    return out


def in_eduequity_order(out: dict[str, Any], counties: pa.Table) -> tuple[Any, Any, Any]:
    """The yardstick's per-group arrays in the order of eduequity's counties table."""
    position = {c: i for i, c in enumerate(out["codes"].to_pylist())}
    n_c = len(position)
    codes = counties.column("county_code").to_pylist()
    stages = counties.column("stage").cast(pa.string()).to_pylist()
    rows = [
        position[c] + (0 if s == "primary" else n_c) for c, s in zip(codes, stages, strict=True)
    ]
    return out["cv"][rows], out["failing"][rows], out["passed"][rows]


def bench_yardsticks(table: pa.Table, full: float, args: argparse.Namespace) -> None:
    reference = full_job(table, "cn-quality-2017").counties
    check_equal(reference, *in_eduequity_order(numpy_yardstick(table), reference))
    runs = times_ms(lambda: numpy_yardstick(table), args.repeat)
    plain = statistics.median(runs)
    print(f"yardstick, numpy bincount:        {spread(runs)}  (equal to eduequity)")
    print(f"   full 2017 / yardstick: {full / plain:.2f}  (target: at most 2)")
    if args.no_peers:
        return
    try:
        import polars as pl
    except ImportError:
        print("polars skipped: pip install 'eduequity[bench]'")
        return
    job = polars_light_job(table)
    got = job["counties"]
    by_key = {(r["county_code"], r["stage"]): r for r in got.iter_rows(named=True)}
    keys = zip(
        reference.column("county_code").to_pylist(),
        reference.column("stage").cast(pa.string()).to_pylist(),
        strict=True,
    )
    rows = [by_key.get(k) for k in keys]
    cv = np.array(
        [[np.nan] * 7 if r is None else [r[f"cv{k}"] for k in range(7)] for r in rows],
        dtype=np.float64,
    )
    failing = np.array([0 if r is None else r["n_schools_failing"] for r in rows], dtype=np.float64)
    passed = np.array([r is not None and r["status"] == "passed" for r in rows])
    check_equal(reference, cv, failing, passed)
    runs = times_ms(lambda: polars_light_job(table), args.repeat)
    print(f"lighter job, polars {pl.__version__}:      {spread(runs)}  (equal to eduequity)")
    print(
        f"   polars / eduequity: {statistics.median(runs) / full:.2f}  "
        "(above 1: eduequity is faster)"
    )


#: What the memory measurement runs: the full evaluation, or the plan with its tables.
JOBS = {
    "evaluate": 'out = batch.evaluate_table(t, "cn-quality-2017")\nout.counties, out.schools',
    "plan": 'out = batch.plan_table(t, "cn-quality-2017")\nout.additions, out.counties',
}


def peak_memory_mb(path: Path, job: str = "evaluate") -> tuple[float, float]:
    """Input size and peak memory growth of a full 2017 evaluation (or plan), in a fresh
    process (MB).

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
{JOBS[job]}
print(t.nbytes / 1e6, status("VmHWM") - before)
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    size, grow = res.stdout.split()
    return float(size), float(grow)


def bench_cli(path: Path, tmp: Path) -> None:
    """``eduequity evaluate`` of the nation to HTML in a fresh process, against reading and
    evaluating the same file."""
    read_eval = statistics.median(
        times_ms(lambda: full_job(pq.read_table(path), "cn-quality-2017"), 3)
    )
    out = tmp / "report"
    command = [
        sys.executable,
        "-m",
        "eduequity",
        "evaluate",
        str(path),
        "--standard",
        "cn-quality-2017",
        "--format",
        "html",
        "--out",
        str(out),
    ]
    runs, peak = [], 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True, check=False
        )
        runs.append(1000 * (time.perf_counter() - t0))
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr)
        peak = max(peak, float(done.stderr.strip().splitlines()[-1]) / 1e3)
    size = (out / "report.html").stat().st_size / 1e6
    cli = statistics.median(runs)
    print(f"CLI evaluate to HTML (fresh process): {spread(runs)}")
    print(
        f"   / reading and evaluating the file ({read_eval:.0f} ms): {cli / read_eval:.1f} "
        f"(target: at most 5); HTML summary {size:.1f} MB (at most 25); peak memory "
        f"{peak:.0f} MB (at most 1,500)"
    )


def bench_size(n: int, args: argparse.Namespace) -> None:
    """Every measurement for a nation of ``n`` schools."""
    table = nation(n).combine_chunks()
    print(
        f"\n== {n:,} schools, {len(set(table.column('county_code').to_pylist())):,} "
        f"counties, input {table.nbytes / 1e6:.0f} MB"
    )
    full = 0.0
    for std in ("cn-basic-2012", "cn-quality-2017"):
        runs = times_ms(lambda s=std: full_job(table, s), args.repeat)
        full = statistics.median(runs)
        print(f"full {std}, in memory:      {spread(runs)}")
    bench_yardsticks(table, full, args)
    gc.collect()
    evaluation = full_job(table, "cn-quality-2017").evaluation
    runs = times_ms(lambda: batch.BatchResult(evaluation).findings, args.repeat)
    findings = batch.BatchResult(evaluation).findings
    print(
        f"findings table, {findings.num_rows:,} rows:   {spread(runs)}  "
        f"({statistics.median(runs) / full:.2f} x the evaluation, {findings.nbytes / 1e6:.0f} MB)"
    )
    del findings
    gc.collect()
    if not args.no_equity:
        bench_equity(table, evaluation, full, args)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nation.parquet"
        pq.write_table(table, path)
        runs = times_ms(lambda: full_job(path, "cn-quality-2017"), args.repeat)
        print(f"full cn-quality-2017, Parquet:   {spread(runs)}")
        size, grow = peak_memory_mb(path)
        print(
            f"peak memory beyond the input: {grow:.0f} MB (input columns {size:.0f} MB, "
            f"x{grow / size:.1f}; target at most 2)"
        )
        if not args.no_plan:
            bench_plan(table, path, full, args)
        if not args.no_cli:
            bench_cli(path, Path(tmp))


def bench_equity(
    table: pa.Table, evaluation: Evaluation, full: float, args: argparse.Namespace
) -> None:
    """Every equity measure of every county, stage and indicator under 2017, and a bootstrap
    of the largest county's primary CV of equipment value per student."""
    runs = times_ms(lambda: batch.equity_table(table, "cn-quality-2017"), args.repeat)
    out = batch.equity_table(table, "cn-quality-2017")
    print(
        f"equity table, {out.num_rows:,} rows x {len(equity.GROUPED)} measures: {spread(runs)}  "
        f"({statistics.median(runs) / full:.1f} x the evaluation; target at most 3)"
    )
    parts = evaluation.parts
    primary = parts.group_stage[parts.groups.codes] == 0
    biggest = np.argmax(np.bincount(parts.groups.codes[primary]))
    mine = primary & (parts.groups.codes == biggest)
    equipment = evaluation.balance.values["equipment_value_per_student"][mine]
    pupils = parts.enrollment[mine]
    runs = times_ms(
        lambda: equity.bootstrap_ci(ee.weighted_cv, equipment, pupils, n_resamples=1000),
        args.repeat,
    )
    print(
        f"bootstrap of one county's CV ({equipment.size} schools, 1,000 resamples): "
        f"{spread(runs)}  (target under 1,000)"
    )


def bench_plan(table: pa.Table, path: Path, full: float, args: argparse.Namespace) -> None:
    """The plan of every county under 2017, its additions table, and its peak memory."""
    gc.collect()
    runs = times_ms(lambda: batch.plan_table(table, "cn-quality-2017").additions, args.repeat)
    plan = batch.plan_table(table, "cn-quality-2017")
    failing = sum(not v for v in plan.counties.column("passes_after").to_pylist())
    print(
        f"plan cn-quality-2017 + additions: {spread(runs)}  "
        f"({statistics.median(runs) / full:.1f} x the evaluation; target at most 10)"
    )
    print(
        f"   {plan.additions.num_rows:,} additions ({plan.additions.nbytes / 1e6:.0f} MB), "
        f"{plan.rounds} rounds, county stages not passing after: {failing}"
    )
    size, grow = peak_memory_mb(path, "plan")
    print(f"   peak memory beyond the input: {grow:.0f} MB (x{grow / size:.1f} the input)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-peers", action="store_true", help="skip the polars job")
    parser.add_argument("--no-cli", action="store_true", help="skip the command line")
    parser.add_argument("--no-plan", action="store_true", help="skip the planner")
    parser.add_argument("--no-equity", action="store_true", help="skip the equity statistics")
    args = parser.parse_args()
    print(f"eduequity benchmark: median of {args.repeat} runs after a warm-up, times in ms")
    for n in args.sizes:
        bench_size(n, args)


if __name__ == "__main__":
    main()
