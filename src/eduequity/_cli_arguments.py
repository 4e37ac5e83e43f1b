"""The command line's shared arguments: which standard, how a school table is read, where and
how a report is written; and what the reading arguments mean for the library."""

from __future__ import annotations

import argparse
from typing import Any

from eduequity._table_formats import FORMATS

__all__ = [
    "read_options",
    "reading",
    "reading_arguments",
    "report_arguments",
    "standard_arguments",
    "table_arguments",
]


def sheet_of(args: argparse.Namespace) -> int | str | list[int | str] | None:
    """The Excel sheet(s) asked for: by position when a number, else by name; ``all``, or
    several separated by commas; None when not given (the workbook's one school table)."""
    sheet: str | None = args.sheet
    if sheet is None or sheet == "all":
        return sheet
    parts: list[int | str] = [
        int(s) if s.strip().isdigit() else s.strip() for s in sheet.split(",")
    ]
    return parts if len(parts) > 1 else parts[0]


def read_options(args: argparse.Namespace) -> dict[str, Any]:
    """How a file is read: encoding, sheet(s), header row, column map, county digits."""
    return {
        "encoding": args.encoding,
        "sheet": sheet_of(args),
        "header_row": args.header_row,
        "columns": args.columns,
        "county_digits": args.county_digits,
    }


def reading(args: argparse.Namespace) -> dict[str, Any]:
    """How the school table is read: the arguments every command that reads one shares."""
    return {"county_inputs": args.county_inputs, "nulls": args.nulls, **read_options(args)}


def standard_arguments(p: argparse.ArgumentParser, default: str) -> None:
    """The standard to apply: an id, a ruleset extending one, a province's basic standard."""
    p.add_argument("--standard", help=f"standard id (see `eduequity standards`); {default}")
    p.add_argument("--ruleset", help="TOML ruleset extending a built-in standard")
    p.add_argument(
        "--school-standard", help="TOML file of the province's basic school-running standard"
    )


def reading_arguments(p: argparse.ArgumentParser) -> None:
    """How a school table is read: empty cells, a CSV's encoding, an Excel sheet."""
    p.add_argument(
        "--nulls",
        choices=("error", "not_reported"),
        help="policy for empty cells in optional columns (default: error, unless the file "
        "says its empty cells mean not reported)",
    )
    p.add_argument(
        "--encoding", help="encoding of a CSV file (default: UTF-8 or GBK/GB18030, detected)"
    )
    p.add_argument(
        "--sheet",
        help="sheet(s) of an Excel file: a position (from 0) or a name, several separated "
        "by commas, or 'all' (read as one table); by default the workbook's one sheet with "
        "a table of schools (several are refused, naming them)",
    )
    p.add_argument(
        "--header-row",
        type=int,
        help="first row of the headers (from 0); by default the rows below any title rows "
        "that name the columns are found",
    )
    p.add_argument(
        "--columns",
        help="column map: a TOML file (`eduequity template --columns` writes one) or a "
        "built-in map (census, census-indoor-sports)",
    )
    p.add_argument(
        "--county-digits",
        type=int,
        help="keep the first digits of longer county codes (6: a township's 9- or 12-digit "
        "code becomes its county's); said in what was read",
    )


def report_arguments(p: argparse.ArgumentParser, what: str) -> None:
    """Where and how a report and its tables are written."""
    p.add_argument(
        "--format",
        choices=("text", "md", "markdown", "html", "json"),
        default="text",
        help="report format (md and markdown are the same)",
    )
    p.add_argument(
        "--out",
        help=f"directory for {what}; without it the report goes to standard output",
    )
    p.add_argument(
        "--tables",
        choices=FORMATS,
        default="parquet",
        help="format of the tables written to --out (CSV in UTF-8 with a byte-order mark, "
        "which Excel reads; xlsx: one workbook tables.xlsx, with the excel extra)",
    )
    p.add_argument("--lang", choices=("en", "zh"), default="en")
    p.add_argument("--no-charts", action="store_true", help="HTML report without charts")


def table_arguments(p: argparse.ArgumentParser, what: str) -> None:
    """The arguments of a command that reads a school table and writes a report and tables."""
    p.add_argument("path", help="school table: .xlsx, .csv or .parquet, one row per school")
    standard_arguments(
        p, "required from 0.3 (in 0.2: cn-basic-2012 to evaluate, cn-quality-2017 to plan)"
    )
    p.add_argument(
        "--county-inputs",
        help="table of county inputs (.csv, .xlsx, .parquet or .toml; "
        "`eduequity template --county-inputs` writes one)",
    )
    reading_arguments(p)
    report_arguments(p, what)
