"""The national job beside its peers, every figure in one table, by one command.

    python benchmarks/national.py --schools 300000 --repeat 5

On the synthetic nation of ``nation.py``, in its order (ids ascending, county by county) and with
the same rows in a random order (``--seed``), times four peers doing the cn-quality-2017 job:

- **eduequity**: ``batch.evaluate_table`` with the counties and schools tables built;
- **polars, same work** (``peers.polars_full_job``): the validation of the same constraints, the
  rooms, school size, class sizes, class-size targets, the school rule and its shortfalls, the
  stage verdicts and the components, and the counties and schools tables laid out as
  eduequity's; checked equal to eduequity's tables (and class-size targets) on both nations
  before anything is timed;
- **polars, lighter job** (``peers.polars_light_job``): no validation, rooms, sizes, classes or
  targets (the benchmark's job before this script);
- **numpy yardstick** (``peers.numpy_yardstick``): the 7 CVs, the school rule and the verdicts by
  ``np.bincount``, checked equal to eduequity's counties table.

Each peer starts from its own in-memory form of the same schools: eduequity and numpy from the
Arrow table, polars from a polars DataFrame of it (the conversion is timed on its own line).

Three timings of each (ms): **back to back**, the median of ``--repeat`` runs after a warm-up;
**interleaved**, the median of ``--repeat`` rounds that run every peer on both nations in turn
(in a rotating order); **fresh**, the first call in a fresh process (the median of
``--fresh`` processes, after the imports and the reading of the Parquet file). **Peak** is the
peak memory of that fresh process beyond its memory once the input was read (the kernel's
high-water mark, reset after reading), against the Arrow input's size. eduequity's fresh first
call is timed once more with ``ARROW_DEFAULT_MEMORY_POOL=system`` (the process choosing
Arrow's allocator; the library never sets one), outside the ratios.

Then the command line (``eduequity evaluate nation.parquet --standard cn-quality-2017``, the
report to standard output, in a fresh process) against a fresh process that reads the Parquet
file with polars and runs the same job (each run once first, untimed, with Python writing the
bytecode it compiles as it does by default, so that no timed run compiles a module); and, in
the same run, ``batch.plan_table`` with its additions table, ``batch.equity_table`` and ten
years of monitoring (``ee.monitor`` with its tables, over ``nation.next_year``), each against
one evaluation.

Performance is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from nation import nation, next_year  # noqa: E402
from peers import (  # noqa: E402
    check_equal,
    compare_tables,
    numpy_yardstick,
    polars_full_job,
    polars_light_job,
)

STANDARD = "cn-quality-2017"
PEERS = ("eduequity", "polars, same work", "polars, lighter job", "numpy yardstick")
#: eduequity's fresh first call again, the process having chosen the system allocator for
#: Arrow (an environment variable of pyarrow's; the library never sets a pool).
SYSTEM_POOL = "ARROW_DEFAULT_MEMORY_POOL=system"
NATIONS = ("ordered", "shuffled")


def full_job(table: Any) -> Any:
    """eduequity's full evaluation, with the counties and schools tables built."""
    from eduequity import batch

    out = batch.evaluate_table(table, STANDARD)
    out.counties, out.schools  # noqa: B018 - built on first access
    return out


def shuffled(table: pa.Table, seed: int) -> pa.Table:
    """The same schools, rows (and so ids) in a random order."""
    order = np.random.default_rng(seed).permutation(table.num_rows)
    return table.take(pa.array(order)).combine_chunks()


# --- equal before timed -------------------------------------------------------------------------


def check_peers(table: pa.Table, frame: Any, name: str) -> str:
    """Raise unless every peer gives eduequity's answer on ``table``; say what was checked."""
    import polars as pl

    out = full_job(table)
    polars = polars_full_job(frame)
    problems = [
        f"{what}: {p}"
        for what in ("counties", "schools")
        for p in compare_tables(getattr(out, what), polars[what].to_arrow())
    ]
    targets = out.evaluation.class_targets
    mine = polars["targets"]
    for k, size in enumerate((66, 56)):
        share = mine[f"share_{size}"].to_numpy()
        if not np.allclose(targets.share[k], share, rtol=1e-12, atol=0, equal_nan=True):
            problems.append(f"class-size target {size}+: the shares differ")
        status = np.array(["passed", "failed", "not_evaluated"])[targets.status[k]]
        if not np.array_equal(status, mine[f"status_{size}"].cast(pl.String).to_numpy()):
            problems.append(f"class-size target {size}+: the statuses differ")
    if problems:
        raise AssertionError(f"polars, same work, {name} nation:\n  " + "\n  ".join(problems))
    counties = out.counties
    check_equal(counties, *_in_order(numpy_yardstick(table), counties))
    light = polars_light_job(frame)["counties"]
    by_key = {(r["county_code"], r["stage"]): r for r in light.iter_rows(named=True)}
    keys = zip(
        counties.column("county_code").to_pylist(),
        counties.column("stage").cast(pa.string()).to_pylist(),
        strict=True,
    )
    rows = [by_key.get(k) for k in keys]
    cv = np.array(
        [[np.nan] * 7 if r is None else [r[f"cv{k}"] for k in range(7)] for r in rows],
        dtype=np.float64,
    )
    failing = np.array([0 if r is None else r["n_schools_failing"] for r in rows], dtype=float)
    passed = np.array([r is not None and r["status"] == "passed" for r in rows])
    check_equal(counties, cv, failing, passed)
    return (
        f"Checked equal, {name} nation: polars (same work) gives eduequity's counties and "
        f"schools tables ({counties.num_rows:,} and {out.schools.num_rows:,} rows) and "
        "class-size targets; the lighter job and the yardstick its CVs, verdicts and failing "
        "schools."
    )


def _in_order(out: dict[str, Any], counties: pa.Table) -> tuple[Any, Any, Any]:
    """The yardstick's per-group arrays in the order of eduequity's counties table."""
    position = {c: i for i, c in enumerate(out["codes"].to_pylist())}
    n_c = len(position)
    codes = counties.column("county_code").to_pylist()
    stages = counties.column("stage").cast(pa.string()).to_pylist()
    rows = [
        position[c] + (0 if s == "primary" else n_c) for c, s in zip(codes, stages, strict=True)
    ]
    return out["cv"][rows], out["failing"][rows], out["passed"][rows]


# --- timings ------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> float:
    """Wall-clock time of one call, in ms."""
    t0 = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - t0)


def back_to_back(fn: Callable[[], Any], repeat: int) -> list[float]:
    """``repeat`` calls in a row after a warm-up, in ms."""
    fn()
    out = []
    for _ in range(repeat):
        out.append(timed(fn))
        gc.collect()
    return out


def interleaved(
    jobs: dict[tuple[str, str], Callable[[], Any]], repeat: int
) -> dict[Any, list[float]]:
    """``repeat`` rounds, each running every job once, starting one job later each round."""
    keys = list(jobs)
    out: dict[Any, list[float]] = {k: [] for k in keys}
    for r in range(repeat):
        for i in range(len(keys)):
            key = keys[(r + i) % len(keys)]
            out[key].append(timed(jobs[key]))
            gc.collect()
    return out


#: What a fresh process runs for each peer: its imports, its reading of the Parquet file, and
#: the job (``data`` is what was read).
FRESH = {
    "eduequity": (
        "import pyarrow.parquet as pq\nfrom eduequity import batch",
        "data = pq.read_table(PATH)",
        "out = batch.evaluate_table(data, 'cn-quality-2017')\nout.counties, out.schools",
    ),
    "polars, same work": (
        "import polars as pl\nfrom peers import polars_full_job",
        "data = pl.read_parquet(PATH)",
        "polars_full_job(data)",
    ),
    "polars, lighter job": (
        "import polars as pl\nfrom peers import polars_light_job",
        "data = pl.read_parquet(PATH)",
        "polars_light_job(data)",
    ),
    "numpy yardstick": (
        "import pyarrow.parquet as pq\nfrom peers import numpy_yardstick",
        "data = pq.read_table(PATH)",
        "numpy_yardstick(data)",
    ),
}

_CHILD = """
import gc, json, sys, time
sys.path.insert(0, {here!r})
PATH = {path!r}
{imports}
{read}
gc.collect()
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1e3
open("/proc/self/clear_refs", "w").write("5")
before = status("VmRSS")
t0 = time.perf_counter()
{job}
ms = 1000 * (time.perf_counter() - t0)
print(json.dumps({{"ms": ms, "peak": status("VmHWM") - before}}))
"""


def fresh(peer: str, path: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """The first call of ``peer`` in a fresh process (with ``env`` added to its environment):
    its time and peak memory growth."""
    imports, read, job = FRESH[peer]
    code = _CHILD.format(here=str(HERE), path=str(path), imports=imports, read=read, job=job)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def process(command: list[str]) -> tuple[float, float]:
    """Wall-clock time (ms) and peak memory (MB, the whole process) of a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    t0 = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env=env,
    )
    ms = 1000 * (time.perf_counter() - t0)
    if done.returncode not in (0, 1):  # 1: some county failed
        raise RuntimeError(done.stderr)
    return ms, float(done.stderr.strip().splitlines()[-1]) / 1e3


# --- the table ----------------------------------------------------------------------------------


def med(values: list[float]) -> float:
    return float(statistics.median(values))


def cell(values: list[float]) -> str:
    """The median, with the fastest and slowest in brackets."""
    if len(values) == 1:
        return f"{values[0]:,.0f}"
    return f"{med(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each in-process timing")
    parser.add_argument("--fresh", type=int, default=3, help="fresh processes of each peer")
    parser.add_argument("--slow", type=int, default=3, help="runs of plan, equity, monitoring")
    parser.add_argument("--years", type=int, default=10, help="years of monitoring")
    parser.add_argument("--seed", type=int, default=7, help="the shuffled nation's order")
    parser.add_argument("--no-monitor", action="store_true", help="skip the monitoring")
    args = parser.parse_args()
    import polars as pl

    import eduequity as ee
    from eduequity import batch

    log = sys.stderr
    ordered = nation(args.schools).combine_chunks()
    tables = {"ordered": ordered, "shuffled": shuffled(ordered, args.seed)}
    frames = {k: pl.from_arrow(t) for k, t in tables.items()}
    size = ordered.nbytes / 1e6
    n_counties = len(set(ordered.column("county_code").to_pylist()))
    print(f"nation: {args.schools:,} schools, {n_counties:,} counties, {size:.0f} MB", file=log)
    checked = [check_peers(tables[name], frames[name], name) for name in NATIONS]
    print("\n".join(checked), file=log)

    def jobs_of(name: str) -> dict[str, Callable[[], Any]]:
        t, f = tables[name], frames[name]
        return {
            "eduequity": lambda: full_job(t),
            "polars, same work": lambda: polars_full_job(f),
            "polars, lighter job": lambda: polars_light_job(f),
            "numpy yardstick": lambda: numpy_yardstick(t),
        }

    jobs = {(p, n): jobs_of(n)[p] for n in NATIONS for p in PEERS}
    b2b, fresh_runs = {}, {}
    for key, fn in jobs.items():
        print(f"back to back: {key}", file=log)
        b2b[key] = back_to_back(fn, args.repeat)
    print("interleaved", file=log)
    mixed = interleaved(jobs, args.repeat)
    conversion = back_to_back(lambda: pl.from_arrow(ordered), args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: Path(tmp) / f"{n}.parquet" for n in NATIONS}
        for n in NATIONS:
            pq.write_table(tables[n], paths[n])
        # The same first call with Arrow's pool chosen by the process: the library uses the
        # pool the process has (mimalloc by default), which may take its memory in huge pages.
        runs: dict[Any, Callable[[], dict[str, float]]] = {
            key: (lambda key=key: fresh(key[0], paths[key[1]])) for key in jobs
        }
        for n in NATIONS:
            runs[(SYSTEM_POOL, n)] = lambda n=n: fresh(
                "eduequity", paths[n], {"ARROW_DEFAULT_MEMORY_POOL": "system"}
            )
        # Each once first, untimed (as the command lines below); then in rounds, every peer on
        # both nations in turn, starting one later each round: a machine whose fresh memory
        # costs more at some moments than at others (a virtual machine's first touch of a
        # page) weighs on every peer alike, not on whichever ran its processes first.
        print("fresh processes", file=log)
        for run in runs.values():
            run()
        order = list(runs)
        fresh_runs = {key: [] for key in order}
        for r in range(args.fresh):
            for k in range(len(order)):
                key = order[(k + r) % len(order)]
                fresh_runs[key].append(runs[key]())
        print("command line", file=log)
        cli, polars_cli = [], []
        cli_command = [sys.executable, "-m", "eduequity", "evaluate", str(paths["ordered"])]
        cli_command += ["--standard", STANDARD]
        polars_command = [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(HERE)!r}); import polars as pl; "
            "from peers import polars_full_job; "
            f"polars_full_job(pl.read_parquet({str(paths['ordered'])!r}))",
        ]
        # Once each first, untimed: Python writes the bytecode it compiles (as by default; a
        # machine may set PYTHONDONTWRITEBYTECODE), so no timed run compiles a module.
        process(cli_command)
        process(polars_command)
        for _ in range(args.fresh):
            cli.append(process(cli_command))
            polars_cli.append(process(polars_command))
    one = b2b[("eduequity", "ordered")]
    print("plan, equity table", file=log)
    plan = back_to_back(lambda: batch.plan_table(ordered, STANDARD).additions, args.slow)
    equity = back_to_back(lambda: batch.equity_table(ordered, STANDARD), args.slow)
    # The same three again, taking turns: each ratio's two sides measured under the same
    # state of the process (the plan frees hundreds of MB that the next job touches afresh).
    beside = interleaved(
        {
            ("one", ""): lambda: full_job(ordered),
            ("plan", ""): lambda: batch.plan_table(ordered, STANDARD).additions,
            ("equity", ""): lambda: batch.equity_table(ordered, STANDARD),
        },
        args.repeat,
    )
    monitoring = one_2012 = None
    if not args.no_monitor:
        print(f"monitoring: drawing {args.years} years", file=log)
        years = {2015: ordered}
        for k in range(1, args.years):
            years[2015 + k] = next_year(years[2014 + k], 2015 + k, seed=2012 + k)
        one_2012 = back_to_back(
            lambda: batch.evaluate_table(ordered, "cn-basic-2012").counties, args.repeat
        )

        def monitor() -> None:
            m = ee.monitor(years, "cn-basic-2012")
            m.panel, m.slides, m.early_warnings, m.summary(), m.school_changes

        monitoring = back_to_back(monitor, args.slow)
        del years
    gc.collect()
    report(args, size, n_counties, b2b, mixed, fresh_runs, conversion, cli, polars_cli)
    print()
    print("| against one evaluation | ms | × |\n|---|---:|---:|")
    print(f"| one cn-quality-2017 evaluation, back to back | {cell(one)} | 1 |")
    print(f"| `batch.plan_table` with its additions | {cell(plan)} | {med(plan) / med(one):.1f} |")
    print(f"| `batch.equity_table` | {cell(equity)} | {med(equity) / med(one):.1f} |")
    if monitoring is not None and one_2012 is not None:
        print(f"| one cn-basic-2012 evaluation with its counties table | {cell(one_2012)} | 1 |")
        print(
            f"| `ee.monitor`, {args.years} years with its tables (× one 2012 evaluation) | "
            f"{cell(monitoring)} | {med(monitoring) / med(one_2012):.1f} |"
        )
    one_beside = beside[("one", "")]
    print("\n| taking turns (interleaved) | ms | × |\n|---|---:|---:|")
    print(f"| one cn-quality-2017 evaluation | {cell(one_beside)} | 1 |")
    for key, label in (
        (("plan", ""), "`batch.plan_table`"),
        (("equity", ""), "`batch.equity_table`"),
    ):
        print(f"| {label} | {cell(beside[key])} | {med(beside[key]) / med(one_beside):.1f} |")
    print("\n" + "\n".join(checked))


def report(
    args: argparse.Namespace,
    size: float,
    n_counties: int,
    b2b: dict[Any, list[float]],
    mixed: dict[Any, list[float]],
    fresh_runs: dict[Any, list[dict[str, float]]],
    conversion: list[float],
    cli: list[tuple[float, float]],
    polars_cli: list[tuple[float, float]],
) -> None:
    """Print the peers' table, the ratios and the command line."""
    import polars as pl

    import eduequity as ee

    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{args.schools:,} schools in {n_counties:,} counties (Arrow input {size:.0f} MB); "
        f"eduequity {ee.__version__}, polars {pl.__version__}, numpy {np.__version__}, "
        f"pyarrow {pa.__version__}, Python {sys.version.split()[0]}; {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f} at the end. Times in ms: median (fastest–slowest) of "
        f"{args.repeat} runs, fresh processes of {args.fresh}.\n"
    )
    print("| peer | nation | back to back | interleaved | fresh, first call | peak beyond input |")
    print("|---|---|---:|---:|---:|---:|")

    def first_call(runs: list[dict[str, float]]) -> str:
        """The fresh first call's cells: its time and its peak beyond the input."""
        peak = med([r["peak"] for r in runs])
        return f"{cell([r['ms'] for r in runs])} | {peak:,.0f} MB ({peak / size:.2f}×)"

    for n in NATIONS:
        for p in PEERS:
            print(
                f"| {p} | {n} | {cell(b2b[(p, n)])} | {cell(mixed[(p, n)])} | "
                f"{first_call(fresh_runs[(p, n)])} |"
            )
    print(
        f"| (polars: `pl.from_arrow` of the input, not in the above) | | {cell(conversion)} | | | |"
    )
    for n in NATIONS:
        print(
            f"| eduequity, `{SYSTEM_POOL}` (not in the ratios) | {n} | | | "
            f"{first_call(fresh_runs[(SYSTEM_POOL, n)])} |"
        )

    def ratio(d: dict[Any, list[float]], other: str, n: str) -> str:
        return f"{med(d[('eduequity', n)]) / med(d[(other, n)]):.2f}"

    for n in NATIONS:
        for other, target in (("polars, same work", "≤ 0.8"), ("numpy yardstick", "≤ 2")):
            f_mine = [r["ms"] for r in fresh_runs[("eduequity", n)]]
            f_other = [r["ms"] for r in fresh_runs[(other, n)]]
            p_mine = med([r["peak"] for r in fresh_runs[("eduequity", n)]])
            p_other = med([r["peak"] for r in fresh_runs[(other, n)]])
            print(
                f"| eduequity / {other} (target {target}) | {n} | {ratio(b2b, other, n)} | "
                f"{ratio(mixed, other, n)} | "
                f"{med(f_mine) / med(f_other):.2f} | {p_mine / max(p_other, 1e-9):.2f} |"
            )
    print()
    print("| fresh process, from Parquet | ms | peak memory (whole process) |\n|---|---:|---:|")
    print(
        f"| `eduequity evaluate nation.parquet --standard {STANDARD}` | "
        f"{cell([c[0] for c in cli])} | {med([c[1] for c in cli]):,.0f} MB |"
    )
    print(
        "| polars: `pl.read_parquet` and the same job | "
        f"{cell([c[0] for c in polars_cli])} | {med([c[1] for c in polars_cli]):,.0f} MB |"
    )
    print(
        f"| command line / polars (target ≤ 1.5) | "
        f"{med([c[0] for c in cli]) / med([c[0] for c in polars_cli]):.2f} | |"
    )


if __name__ == "__main__":
    main()
