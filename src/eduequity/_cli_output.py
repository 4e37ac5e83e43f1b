"""Where and how the command line writes: lines to standard output, and the files of an
output folder (``--out``), removing what an earlier run wrote there first."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["WRITTEN", "clear", "deliver", "emit", "write_read"]


def emit(text: str = "") -> None:
    """Print a line to stdout. A reader that stops early (``| head``) is not an error: the rest
    of the output is discarded and the exit code still tells the verdict."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Point stdout at the null device so that the interpreter's final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


#: What ``evaluate --out`` writes: removed first, so a folder used again keeps nothing stale.
WRITTEN = (
    *(f"report.{suffix}" for suffix in ("txt", "md", "html", "json")),
    *(
        f"{name}.{ext}"
        for name in (
            "counties",
            "schools",
            "findings",
            "additions",
            "totals",
            "not_in_plan",
            "years",
            "transfers",
            "panel",
            "slides",
            "warnings",
            "early_warnings",
            "summary",
            "school_changes",
        )
        for ext in ("parquet", "csv")
    ),
    *(
        f"{kind}.{suffix}"
        for kind in ("plan", "monitor")
        for suffix in ("txt", "md", "html", "json")
    ),
    "tables.xlsx",
    "read.txt",
)


def clear(out: Path) -> None:
    """Remove what an earlier ``evaluate --out`` wrote into ``out`` (nothing else)."""
    for name in WRITTEN:
        (out / name).unlink(missing_ok=True)
    counties = out / "counties"
    if counties.is_dir():
        for file in counties.iterdir():
            if file.suffix in (".txt", ".md", ".html", ".json"):
                file.unlink()
        if not any(counties.iterdir()):
            counties.rmdir()


def deliver(
    args: argparse.Namespace,
    kind: str,
    render: Callable[[], str],
    tables: Callable[[], dict[str, pa.Table]],
    read: str | None = None,
) -> Path | None:
    """Print the report; or, with --out, write the tables, what was read (``read``, the text
    of read.txt) and the report ``KIND.SUFFIX`` there (after removing what an earlier run
    wrote) and return the report's path."""
    from eduequity.report._formats import SUFFIXES

    if args.out is None:
        emit(render())
        return None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clear(out)
    from eduequity._table_files import write_tables

    write_tables(tables(), out, args.tables, args.lang)
    if read is not None:
        write_read(out, read)
    report = out / f"{kind}.{SUFFIXES[args.format]}"
    report.write_text(render(), encoding="utf-8")
    return report


def write_read(out: Path, text: str) -> None:
    """Write what was read (every header, row set aside and county) to ``out/read.txt``."""
    (out / "read.txt").write_text(text + "\n", encoding="utf-8")
