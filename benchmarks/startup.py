"""Time eduequity's start-up: each measurement in a fresh Python process.

    python benchmarks/startup.py               # 9 fresh processes per measurement
    python benchmarks/startup.py --repeat 21 --importtime 15

Prints, for each of these, the median wall-clock time of the whole process (interpreter
start included) over ``--repeat`` fresh processes, with the fastest and slowest, and whether
pandas was loaded (pyarrow loads pandas, where installed, the first time it builds an array
from Python values: about 0.2 s):

- ``python -c pass``: the interpreter alone, the floor;
- ``import eduequity``;
- ``eduequity --help`` (``python -m eduequity --help``);
- ``import eduequity.batch``: the columnar door's modules;
- the sample county's first evaluation (``ee.evaluate(ee.datasets.sample_county())``): the
  modules the object door loads on first use, and the evaluation.

With ``--importtime N``, the N slowest modules (cumulative) of the first evaluation, from
``python -X importtime``.

Performance is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

#: What each measurement runs in a fresh process; each prints whether pandas was loaded.
_PANDAS = "import sys; print('pandas' in sys.modules)"
CASES: dict[str, list[str]] = {
    "python -c pass": ["-c", "import sys; print('pandas' in sys.modules)"],
    "import eduequity": ["-c", f"import eduequity; {_PANDAS}"],
    "eduequity --help": [
        "-c",
        "import contextlib, io, sys\n"
        "from eduequity._cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        f"{_PANDAS}",
    ],
    "import eduequity.batch": ["-c", f"import eduequity.batch; {_PANDAS}"],
    "first evaluation of the sample county": [
        "-c",
        f"import eduequity as ee; ee.evaluate(ee.datasets.sample_county()); {_PANDAS}",
    ],
}


def run_once(args: list[str]) -> tuple[float, bool]:
    """Wall-clock seconds of one fresh process, and whether it loaded pandas."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - t0
    return seconds, done.stdout.strip().splitlines()[-1] == "True"


def slowest_imports(code: str, n: int) -> list[tuple[int, str]]:
    """The ``n`` slowest modules (cumulative microseconds) that ``code`` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="fresh processes per measurement")
    parser.add_argument("--importtime", type=int, default=0, help="list the N slowest imports")
    args = parser.parse_args()
    print(f"{'':40} {'median ms':>10} {'(fastest–slowest)':>18}  pandas loaded")
    for name, command in CASES.items():
        run_once(command)  # warm the file cache
        runs = [run_once(command) for _ in range(args.repeat)]
        ms = [1000 * s for s, _ in runs]
        pandas = "yes" if any(p for _, p in runs) else "no"
        spread = f"({min(ms):.0f}–{max(ms):.0f})"
        print(f"{name:40} {statistics.median(ms):>10.0f} {spread:>18}  {pandas}")
    if args.importtime:
        code = "import eduequity as ee; ee.evaluate(ee.datasets.sample_county())"
        print("\nslowest imports of the first evaluation (cumulative ms, -X importtime):")
        for us, module in slowest_imports(code, args.importtime):
            print(f"  {us / 1000:8.1f}  {module}")


if __name__ == "__main__":
    main()
