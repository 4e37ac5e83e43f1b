"""The ``eduequity`` command: ``demo`` and ``standards``.

Exit codes: 0 done; 2 bad input or usage (one line on standard error, no traceback unless
``--debug``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from eduequity import datasets
from eduequity._version import __version__
from eduequity.errors import EduEquityError
from eduequity.report import format_result
from eduequity.rules import evaluate
from eduequity.standards import get_standard, list_standards

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    county = datasets.sample_county()
    standard = get_standard(args.standard)
    illustrative = standard.school_standard_slot is not None
    if illustrative:
        standard = standard.with_school_standard(datasets.sample_school_standard())
    result = evaluate(county, standard)
    note = {
        "en": "Synthetic sample county (invented data)"
        + (", with an illustrative school standard." if illustrative else "."),
        "zh": "虚构的样例县（数据均为虚构）" + ("，使用示例办学标准。" if illustrative else "。"),
    }[args.lang]
    print(note)
    print()
    print(format_result(result, lang=args.lang))
    return 0  # the demonstration ran; pass/fail exit codes are for evaluating real data


def _standards(args: argparse.Namespace) -> int:
    for s in list_standards():
        title = s.title_zh if args.lang == "zh" else s.title_en
        print(f"{s.id}\t{s.document}\t{s.year}\t{title}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eduequity",
        description="County-level balance of compulsory education (县域义务教育均衡发展督导评估).",
    )
    parser.add_argument("--version", action="version", version=f"eduequity {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="evaluate the bundled synthetic sample county")
    demo.add_argument("--standard", default="cn-basic-2012", help="standard id")
    demo.add_argument("--lang", choices=("en", "zh"), default="en")
    demo.set_defaults(func=_demo)
    standards = sub.add_parser("standards", help="list the built-in standards")
    standards.add_argument("--lang", choices=("en", "zh"), default="en")
    standards.set_defaults(func=_standards)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except EduEquityError as e:
        if args.debug:
            raise
        print(f"eduequity: error: {e}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
