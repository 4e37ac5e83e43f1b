"""The ``eduequity`` command: ``demo``, ``evaluate``, ``validate`` and ``standards``.

Exit codes, for pipelines: 0 done, and no evaluated county failed; 1 some county failed; 2 bad
input or usage; 3 an internal error (a bug: please report it). Errors are one line on
standard error, with no traceback unless ``--debug`` (accepted anywhere on the line).
``python -m eduequity`` runs the same command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eduequity._cli_arguments import (
    read_options,
    reading,
    reading_arguments,
    report_arguments,
    standard_arguments,
    table_arguments,
)
from eduequity._cli_output import clear, deliver, emit, write_read
from eduequity._errors import DataError, EduEquityError
from eduequity._version import __version__

# Each command imports what it needs when it runs: ``eduequity --help`` starts quickly.
if TYPE_CHECKING:
    import pyarrow as pa

    from eduequity.standards._model import Standard

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    from eduequity import datasets
    from eduequity._evaluate import evaluate
    from eduequity.report import format_result
    from eduequity.standards import get_standard

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
    emit(note)
    emit()
    emit(format_result(result, lang=args.lang))
    return 0  # the demonstration ran; pass/fail exit codes are for evaluating real data


def _standard(args: argparse.Namespace) -> Standard:
    from eduequity.standards import get_standard, load_ruleset, load_school_standard

    if args.ruleset is not None and args.standard is not None:
        raise _UsageError(
            "give either --standard or --ruleset (a ruleset names what it extends)",
            zh="--standard 与 --ruleset 只能给一个（规则集已写明它扩展的标准）",
        )
    if args.ruleset is None and args.standard is None:
        former = getattr(args, "standard_default", "cn-basic-2012")
        print(
            f"eduequity {args.command}：请用 --standard 指明标准（如 --standard {former}，"
            f"见 `eduequity standards`）或用 --ruleset。未指明时，目前按 {former} 评估，"
            "0.3 版起不再代为选择。"
            if getattr(args, "lang", "en") == "zh"
            else f"eduequity {args.command}: name the standard with --standard (e.g. --standard "
            f"{former}, see `eduequity standards`) or --ruleset. Without one, it applies "
            f"{former} for now (until 0.3) and refuses from 0.3.",
            file=sys.stderr,
        )
        args.standard = former
    std = load_ruleset(args.ruleset) if args.ruleset is not None else get_standard(args.standard)
    if args.school_standard is not None:
        std = std.with_school_standard(load_school_standard(args.school_standard))
    return std


class _UsageError(Exception):
    """A command used wrongly; ``zh``: the message in Chinese (for ``--lang zh``)."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh


def _said_of_reading(record: Any, lang: str) -> None:
    """Warn of the headers not used that look like known ones (to the error stream), in
    ``lang``."""
    word = "提示：" if lang == "zh" else "warning: "
    for line in record.warnings_in(lang) if record is not None else ():
        print(f"eduequity: {word}{line}", file=sys.stderr)


#: The command that writes the county-inputs table to fill in
#: (:func:`eduequity.batch.write_county_inputs_template`).
TEMPLATE_COMMAND = "eduequity template county_inputs.csv --county-inputs"


def _said_of_county_inputs(not_supplied: int, lang: str) -> None:
    """Tell the analyst (to the error stream, not in the report) how to give the county items
    that were not supplied: ``not_supplied``, the most of any county."""
    if not not_supplied:
        return
    if lang == "zh":
        line = (
            f"提示：{not_supplied} 项县级指标未提供。`{TEMPLATE_COMMAND}` 生成县级指标表，"
            "填写后以 --county-inputs 重新评估。"
        )
    else:
        line = (
            f"note: {not_supplied} county items were not supplied. `{TEMPLATE_COMMAND}` writes "
            "the table to fill in; evaluate again with --county-inputs."
        )
    print(f"eduequity: {line}", file=sys.stderr)


def _evaluate(args: argparse.Namespace) -> int:
    from eduequity import batch
    from eduequity._status import NOT_EVALUATED
    from eduequity.report import write_reports

    std = _standard(args)
    result = batch.evaluate_table(args.path, std, **reading(args))
    _said_of_reading(result.read, args.lang)
    items = result.evaluation.county_items.status
    _said_of_county_inputs(int((items == NOT_EVALUATED).sum(axis=0).max(initial=0)), args.lang)
    statuses = result.evaluation.status
    failed = int((statuses == 1).sum())
    if args.out is None:
        from eduequity.report import render

        emit(render(result, args.format, args.lang, charts=not args.no_charts))
        return 1 if failed else 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clear(out)
    tables = {"counties": result.counties, "schools": result.schools, "findings": result.findings}
    from eduequity._table_files import write_tables

    write_tables(tables, out, args.tables, args.lang)
    if result.read is not None:  # what was read: every header, row set aside and county
        write_read(out, result.read.to_text(args.lang))
    written = write_reports(
        result,
        out,
        args.format,
        args.lang,
        per_county=args.per_county,
        charts=not args.no_charts,
    )
    n = statuses.size
    if args.lang == "zh":
        names = ("达标", "未达标", "未评估", "不适用")
        tally = "，".join(
            f"{names[code]} {int((statuses == code).sum())}"
            for code in range(4)
            if (statuses == code).any()
        )
        more = f"及 {len(written) - 1} 份各县报告" if len(written) > 1 else ""
        emit(f"{n} 个县（区）（{tally}）；已写出 {written[0]}{more}、各表和读取情况（read.txt）。")
        return 1 if failed else 0
    counts: dict[str, int] = {}
    for code in statuses.tolist():
        key = ("passed", "failed", "not evaluated", "not applicable")[code]
        counts[key] = counts.get(key, 0) + 1
    tally = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    more = f" and {len(written) - 1} county reports" if len(written) > 1 else ""
    emit(
        f"{n} {'county' if n == 1 else 'counties'} ({tally}); wrote {written[0]}{more}, "
        "the tables and what was read (read.txt)."
    )
    return 1 if failed else 0


def _plan(args: argparse.Namespace) -> int:
    from eduequity import batch
    from eduequity.report._plan import render_plan

    std = _standard(args)
    plan = batch.plan_table(
        args.path,
        std,
        costs=args.costs,
        budget_per_year=args.budget_per_year,
        transfers=args.transfers,
        upgrade=args.upgrade,
        **reading(args),
    )
    code = 0 if plan.passes else 1

    def tables() -> dict[str, pa.Table]:
        chosen = {
            "additions": plan.additions,
            "counties": plan.counties,
            "totals": plan.totals,
            "not_in_plan": plan.not_in_plan,
        }
        if args.budget_per_year is not None:
            chosen["years"] = plan.years
        if args.transfers:
            chosen["transfers"] = plan.transfers
        return chosen

    charts = not args.no_charts
    read = None if plan.read is None else plan.read.to_text(args.lang)
    report = deliver(
        args,
        "plan",
        lambda: render_plan(plan, args.format, args.lang, charts=charts),
        tables,
        read,
    )
    if report is not None:
        n = plan.counties.num_rows
        ok = sum(bool(v) for v in plan.counties.column("passes_after").to_pylist())
        emit(
            f"{n} 个学段（按县区分学段计）中，规划后 {ok} 个达到规划所涵盖的全部要求；"
            f"{plan.additions.num_rows} 项补充；"
            f"已写出 {report}、各表和读取情况（read.txt）。"
            if args.lang == "zh"
            else f"{ok} of {n} county {'stage' if n == 1 else 'stages'} pass every rule the "
            "plan covers afterwards; "
            f"{plan.additions.num_rows} additions; wrote {report}, the tables and what was read "
            "(read.txt)."
        )
    return code


def _monitor(args: argparse.Namespace) -> int:
    from eduequity._monitoring import monitor
    from eduequity._monitoring.file_years import given_twice, without_year, year_in_name
    from eduequity.batch._read import read_table
    from eduequity.report._monitor import render_monitor

    paths = [Path(p) for p in args.paths]
    one_table = len(paths) == 1 and not args.years and year_in_name(paths[0]) is None
    if one_table:  # one table of every year, with a year column
        years = []
    elif args.years:
        if len(args.years) != len(paths):
            raise _UsageError(
                f"--years gives {len(args.years)} years for {len(paths)} files; give one each",
                zh=f"--years 给出 {len(args.years)} 个年度，文件却有 {len(paths)} 个；请每个文件"
                "给一个年度",
            )
        years = list(args.years)
    elif all(year_in_name(p) is not None for p in paths):
        years = [y for p in paths if (y := year_in_name(p)) is not None]
    else:
        unnamed, unnamed_zh = without_year(paths)
        raise _UsageError(
            f"the year of {unnamed} is not in its name: give --years (one per file, in order), "
            "name each file by its year (2023.xlsx, 监测_2023.csv), or give one table with a "
            "year column",
            zh=f"无法从文件名得知 {unnamed_zh} 的年度：请用 --years 按顺序为每个文件给出年度，或在"
            "文件名中写明年度（2023.xlsx、监测_2023.csv），或给出一个带年度列的表",
        )
    shown = given_twice(paths, years)
    if shown is not None:
        raise _UsageError(
            f"a year is given twice ({shown}); give each file its own year",
            zh=f"同一年度出现两次（{shown}）；请为每个文件给出不同的年度",
        )
    std = _standard(args)
    sources: Any = paths[0] if one_table else dict(zip(years, paths, strict=True))
    recognitions = None
    if args.recognitions is not None:
        recognitions = read_table(args.recognitions, args.encoding)[0]
    m = monitor(
        sources,
        std,
        recognitions=recognitions,
        nulls=args.nulls,
        rise_years=args.rise_years,
        rise_delta=args.rise_delta,
        **read_options(args),
    )
    code = 1 if m.slides.num_rows else 0

    def tables() -> dict[str, pa.Table]:
        return {
            "panel": m.panel,
            "slides": m.slides,
            "early_warnings": m.early_warnings,
            "summary": m.summary(),
            "school_changes": m.school_changes,
        }

    charts = not args.no_charts
    said = [
        (f"== {year} 年 ==" if args.lang == "zh" else f"== {year} ==") + "\n" + r.to_text(args.lang)
        for year, r in sorted(m.reads.items())
    ]
    report = deliver(
        args,
        "monitor",
        lambda: render_monitor(m, args.format, args.lang, charts=charts),
        tables,
        "\n\n".join(said) if said else None,
    )
    if report is not None:
        n = m.slides.num_rows
        emit(
            f"{len(m.years)} 个年度；{n} 处下滑；已写出 {report}、各表"
            + ("和各年度的读取情况（read.txt）。" if said else "。")
            if args.lang == "zh"
            else f"{len(m.years)} years; {n} {'slide' if n == 1 else 'slides'}; wrote {report}, "
            + ("the tables and what was read of each year (read.txt)." if said else "the tables.")
        )
    return code


def _validate(args: argparse.Namespace) -> int:
    from eduequity import batch

    valid = batch.validate_table(args.path, **reading(args))
    where = Path(args.path).name
    n, c = valid.n_schools, valid.n_counties
    for line in valid.record.lines(args.lang):
        emit(line)
    zh = args.lang == "zh"
    for line in valid.record.warnings_in(args.lang):
        emit(f"提示：{line}" if zh else f"warning: {line}")
    from eduequity.batch._coverage import coverage_lines, not_reported_lines

    # What is counted: the standard asked for, else both national ones (validate chooses none
    # for its caller).
    if args.standard is None and args.ruleset is None and args.school_standard is None:
        from eduequity.standards import get_standard

        standards = [get_standard(s) for s in ("cn-basic-2012", "cn-quality-2017")]
    else:
        standards = [_standard(args)]
    lines, counts = coverage_lines(valid.columns, standards, args.lang)
    for line in [*not_reported_lines(valid.columns, args.lang), *lines]:
        emit(line)
    schools = f"{n} {'school' if n == 1 else 'schools'} in {c} {'county' if c == 1 else 'counties'}"
    if counts and zh:
        emit(f"{where}：{n} 所学校，{c} 个县（区）；因缺列无法评估：{'，'.join(counts)}。")
    elif counts:
        emit(
            f"{where}: {schools}; what cannot be evaluated (columns missing): "
            + ", ".join(counts)
            + "."
        )
    elif zh:
        emit(f"{where}：{n} 所学校，{c} 个县（区）；未发现问题。")
    else:
        emit(f"{where}: {schools}; no problems found.")
    # A total row the schools do not add up to is a figure that cannot be right either.
    warnings = [
        *valid.record.totals_in(args.lang),
        *batch.contradictions(valid.columns, where, args.lang),
    ]
    if warnings:
        emit(
            f"{len(warnings)} 条提示：以下数字不可能都对（评估不使用，请核对）："
            if zh
            else f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}: figures that "
            "cannot all be right (not used by the evaluation; please check them):"
        )
        for line in warnings:
            emit(f"  - {line}")
    return 2 if counts else 0


def _template(args: argparse.Namespace) -> int:
    if args.columns:
        from eduequity.batch._columnmap import map_template

        path = Path(args.path)
        path.write_text(map_template(), encoding="utf-8")
        emit(f"wrote {path}: a column map to edit (--columns {path.name})")
        return 0
    from eduequity._template import write_template

    if args.county_inputs:
        from eduequity.batch._inputs import write_county_inputs_template

        written = write_county_inputs_template(args.path)
    else:
        written = write_template(args.path)
    emit("wrote " + " and ".join(str(p) for p in written))
    return 0


def _standards(args: argparse.Namespace) -> int:
    from eduequity.standards import list_standards

    for s in list_standards():
        title = s.title_zh if args.lang == "zh" else s.title_en
        emit(f"{s.id}\t{s.document}\t{s.year}\t{title}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eduequity",
        description="County-level balance of compulsory education (县域义务教育均衡发展督导评估).",
    )
    parser.add_argument("--version", action="version", version=f"eduequity {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks on errors (anywhere on the line)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="evaluate the bundled synthetic sample county")
    demo.add_argument("--standard", default="cn-basic-2012", help="standard id")
    demo.add_argument("--lang", choices=("en", "zh"), default="en")
    demo.set_defaults(func=_demo)
    ev = sub.add_parser(
        "evaluate",
        help="evaluate every county of a school table (.xlsx, .csv or .parquet)",
        description="Evaluate every county of a school table; exit 0 if no county failed, "
        "1 if some failed, 2 on bad input.",
    )
    table_arguments(ev, "the report and the three tables")
    ev.add_argument(
        "--per-county",
        action="store_true",
        help="with --out and many counties: also write each county's own report in "
        "OUT/counties/, linked from the summary",
    )
    ev.set_defaults(func=_evaluate)
    pl = sub.add_parser(
        "plan",
        help="what each county must add to pass, verified (additions, totals, report)",
        description="Plan what each school must add for its county to pass the "
        "minimums, the school rule, the CV bounds, rooms and class sizes; every plan is "
        "applied and evaluated again. Exit 0 if every county passes after its plan, 1 if "
        "some cannot (input missing, a CV undefined, or a province's school standard not "
        "given: see the report's not-in-plan table), 2 on bad input.",
    )
    table_arguments(pl, "the plan report and its four tables")
    pl.add_argument(
        "--costs",
        help="TOML file of unit costs with their sources (yuan per unit of each resource)",
    )
    pl.add_argument(
        "--budget-per-year",
        type=float,
        help="yuan each county spends a year (with --costs): a staged plan, and the year each "
        "county stage first passes (table years)",
    )
    pl.add_argument(
        "--transfers",
        action="store_true",
        help="meet teacher needs by moving teachers between a county's schools first "
        "(交流轮岗), then hire what remains (table transfers)",
    )
    pl.add_argument(
        "--upgrade",
        action="store_true",
        help="meet qualified, titled and backbone teachers by upgrading existing teachers "
        "(学历提升, 职称评定, 骨干评定) before hiring",
    )
    pl.set_defaults(func=_plan, standard_default="cn-quality-2017")
    mo = sub.add_parser(
        "monitor",
        help="evaluate several years and compare them: the panel, slides, early warnings",
        description="Evaluate each year's school table and compare the years. Exit 0 when no "
        "recognised county stage slid, 1 when some did, 2 on bad input.",
    )
    mo.add_argument("paths", nargs="+", help="one school table per year (.parquet, .csv, .xlsx)")
    mo.add_argument("--years", type=int, nargs="+", help="the year of each file, in order")
    standard_arguments(mo, "required from 0.3 (cn-basic-2012 in 0.2)")
    mo.add_argument("--recognitions", help="table of county_code and year of recognition")
    reading_arguments(mo)
    mo.add_argument("--rise-years", type=int, default=3, help="early warning: years of rises")
    mo.add_argument("--rise-delta", type=float, default=0.05, help="early warning: one-year rise")
    report_arguments(mo, "the report and the tables")
    mo.set_defaults(func=_monitor, county_inputs=None)
    va = sub.add_parser(
        "validate",
        help="check a school table and report every problem",
        description="Check a school table as evaluate reads it; exit 0 if no problem was "
        "found, 2 on bad input or when indicators of the standard will not be evaluated "
        "because their columns are missing.",
    )
    va.add_argument("path", help="school table: .xlsx, .csv or .parquet")
    va.add_argument(
        "--county-inputs",
        help="table of county inputs (.csv, .xlsx, .parquet or .toml; "
        "`eduequity template --county-inputs` writes one)",
    )
    va.add_argument("--lang", choices=("en", "zh"), default="en")
    standard_arguments(
        va, "the indicators whose columns are missing are counted (default: both national)"
    )
    reading_arguments(va)
    va.set_defaults(func=_validate)
    tp = sub.add_parser(
        "template",
        help="write an empty school table with the Chinese headers, and the column reference",
    )
    tp.add_argument(
        "path",
        help="schools.xlsx (needs the excel extra) or schools.csv; map.toml with --columns; "
        "county_inputs.csv or .xlsx with --county-inputs",
    )
    tp.add_argument(
        "--columns",
        action="store_true",
        help="write a column map to edit (for --columns) instead of a school table",
    )
    tp.add_argument(
        "--county-inputs",
        action="store_true",
        help="write the county-inputs table instead (one row per county, one column per input)",
    )
    tp.set_defaults(func=_template)
    standards = sub.add_parser("standards", help="list the built-in standards")
    standards.add_argument("--lang", choices=("en", "zh"), default="en")
    standards.set_defaults(func=_standards)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in words
    args = _parser().parse_args([w for w in words if w != "--debug"])
    if getattr(args, "format", None) == "markdown":  # the same format as md
        args.format = "md"
    try:
        code: int = args.func(args)
    except (EduEquityError, _UsageError, OSError) as e:
        if debug:
            raise
        if isinstance(e, DataError):
            message = e.in_language(getattr(args, "lang", "en"))
        elif isinstance(e, _UsageError) and e.zh and getattr(args, "lang", "en") == "zh":
            message = e.zh
        elif isinstance(e, _UsageError | OSError):
            message = " ".join(str(e).split())
        else:
            message = str(e)
        # The library names its function (evaluate_table: ...); the command line needs not.
        message = message.removeprefix("evaluate_table: ").removeprefix("read_table: ")
        word = "错误：" if getattr(args, "lang", "en") == "zh" else "error: "
        print(f"eduequity: {word}{message}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug: say so briefly, exit 3
        if debug:
            raise
        print(
            f"eduequity: internal error ({type(e).__name__}: {e}). This is a bug in eduequity; "
            "rerun with --debug for the traceback, and please report it.",
            file=sys.stderr,
        )
        return 3
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
