"""Benchmark of monitoring across years: several synthetic national years through ``ee.monitor``.

Each year is a nation of the same size drawn with its own seed (so counties' figures and
schools' kinds and counties change from year to year). Prints the time of one year's
evaluation, of the whole monitoring (evaluations, panel, slides, warnings, summary, school
changes), their ratio (target at most 12 for ten years), and the peak memory against the input.

    python benchmarks/monitor.py --years 10 --schools 300000
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nation import nation

import eduequity as ee
from eduequity import batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--schools", type=int, default=300_000)
    args = parser.parse_args()
    years = {
        2015 + k: nation(args.schools, seed=2012 + k).combine_chunks() for k in range(args.years)
    }
    size = sum(t.nbytes for t in years.values()) / 1e6
    t0 = time.perf_counter()
    counties = batch.evaluate_table(years[2015], "cn-basic-2012").counties
    one = time.perf_counter() - t0
    del counties
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    t0 = time.perf_counter()
    m = ee.monitor(years, "cn-basic-2012")
    sizes = [m.panel.num_rows, m.slides.num_rows, m.warnings.num_rows]
    sizes += [m.summary().num_rows, m.school_changes.num_rows]
    total = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(
        f"{args.years} years of {args.schools:,} schools, input {size:.0f} MB: one year "
        f"{one:.2f} s, monitoring {total:.1f} s ({total / one:.1f} x one year; target at most 12)"
    )
    print(f"   panel, slides, warnings, summary, school changes: {sizes}")
    print(f"   peak memory about {max(peak - before, 0):.0f} MB above the inputs' high-water mark")


if __name__ == "__main__":
    main()
