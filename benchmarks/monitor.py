"""Benchmark of monitoring across years: several synthetic national years through ``ee.monitor``.

The first year is a synthetic nation (``nation.py``); each later year is the one before as the
next census would see it (``nation.next_year``: resources grow, about 1.5 % of the schools
close and as many open, some teaching points become primary schools, a few schools move
county, and a few counties lose equipment). Prints the time of one year's
evaluation, of the whole monitoring (evaluations, panel, slides, warnings, summary, school
changes), their ratio (target at most 12 for ten years), and the peak memory against the input.

    python benchmarks/monitor.py --years 10 --schools 300000
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nation import nation, next_year

import eduequity as ee
from eduequity import batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--schools", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    years = {2015: nation(args.schools, seed=2012).combine_chunks()}
    for k in range(1, args.years):
        years[2015 + k] = next_year(years[2014 + k], 2015 + k, seed=2012 + k)
    size = sum(t.nbytes for t in years.values()) / 1e6
    first = years[2015]
    one = _median(args.repeat, lambda: batch.evaluate_table(first, "cn-basic-2012").counties)
    gc.collect()
    # The kernel's high-water mark is reset (/proc/self/clear_refs), so the peak counts the
    # monitoring only, not the drawing of the years.
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = _status("VmRSS")
    evaluations, tables, sizes = [], [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        m = ee.monitor(years, "cn-basic-2012")
        t1 = time.perf_counter()
        sizes = [m.panel.num_rows, m.slides.num_rows, m.early_warnings.num_rows]
        sizes += [m.summary().num_rows, m.school_changes.num_rows]
        evaluations.append(t1 - t0)
        tables.append(time.perf_counter() - t1)
        del m
        gc.collect()
    peak = _status("VmHWM")
    total = statistics.median(e + t for e, t in zip(evaluations, tables, strict=True))
    print(
        f"{args.years} years of {args.schools:,} schools, input {size:.0f} MB "
        f"(median of {args.repeat} runs)"
    )
    print(f"   one year's evaluation with its counties table: {one:.2f} s")
    print(
        f"   monitoring: {total:.2f} s ({total / one:.1f} x one year; target at most 12), of "
        f"which the {args.years} evaluations {statistics.median(evaluations):.2f} s and the "
        f"tables {statistics.median(tables):.2f} s"
    )
    print(f"   panel, slides, warnings, summary, school changes: {sizes}")
    print(
        f"   peak memory {peak - before:.0f} MB above the inputs "
        f"({(peak - before) / size:.2f} x the input; target at most 2)"
    )


def _status(key: str) -> float:
    """A figure of /proc/self/status, in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) / 1e3
    raise KeyError(key)


def _median(repeat: int, job: Callable[[], object]) -> float:
    """The median wall-clock time of ``job`` over ``repeat`` runs after a warm-up."""
    job()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        job()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


if __name__ == "__main__":
    main()
