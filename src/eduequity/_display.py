"""Short ``repr`` of the public objects (the notebook HTML is in ``eduequity._display_html``).

A ``repr`` is at most a few lines and never over :data:`MAX_REPR` characters: what the object
is, its county or size, its verdict. Records with many values (a county's schools, a plan's
tables, a standard's rules) show counts, not the values: the values are in their attributes
and tables.

This module imports nothing of eduequity at import time (the classes it renders import it),
only when it renders.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

# The classes rendered here, typed loosely: importing them, even for the type checker, would
# make these leaf modules depend on the classes that depend on them (an import circle).
BatchResult = Any
Monitoring = Any
Year = Any
PlanOutputs = Any
Plan = Any
PlanTables = Any
PlanArrays = Any
ComponentResult = Any
EvaluationResult = Any
SchoolRuleResult = Any
StageMapping = Any
StageResult = Any
ClassSizes = Any
SchoolColumns = Any
Evaluation = Any
SchoolStandard = Any
Standard = Any
ClassSizeReport = Any
StaffingReport = Any

__all__ = [
    "MAX_REPR",
    "named_tuple_repr",
    "record_repr",
    "short",
    "stream_of",
]

#: The longest ``repr`` of any public object, in characters.
MAX_REPR = 1000
#: The longest text value a ``repr`` shows whole.
_MAX_TEXT = 60
#: The longest line of a ``repr``.
_MAX_LINE = 240


# ---------------------------------------------------------------------------------------------
# Short values and records


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lines(*lines: str) -> str:
    """Lines of a ``repr``, each cut to :data:`_MAX_LINE`, all to :data:`MAX_REPR`."""
    return _cut("\n".join(_cut(line, _MAX_LINE) for line in lines if line), MAX_REPR)


def _number(x: float | None) -> str:
    """A figure as a reader wants it: whole numbers with separators, others to 4 digits."""
    if x is None:
        return "—"
    if isinstance(x, float) and math.isnan(x):
        return "nan"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _name_of(value: Any) -> str:
    """What names a nested record in a ``repr``: its id, document, school or indicator."""
    for attr in ("id", "document", "school_id", "indicator", "title", "component"):
        name = getattr(value, attr, None)
        if isinstance(name, str) and name:
            return repr(_cut(name, _MAX_TEXT))
    return "…"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | enum.Enum)


def short(value: Any) -> str:
    """``value`` in a few characters: scalars as they are (text cut at 60 characters),
    collections and tables by their size, nested records by their name."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, str):
        return repr(_cut(value, _MAX_TEXT))
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.6g}"
    if value is None or isinstance(value, bool | int):
        return repr(value)
    module = type(value).__module__
    if module.startswith("pyarrow"):
        if hasattr(value, "num_rows") and hasattr(value, "num_columns"):
            return f"pyarrow.Table({_plural(value.num_rows, 'row')}, {value.num_columns} columns)"
        if hasattr(value, "type") and hasattr(value, "__len__"):
            return f"pyarrow.Array({len(value):,} × {value.type})"
    if module.startswith("numpy") and hasattr(value, "shape"):
        shape = "×".join(f"{n:,}" for n in value.shape) or "scalar"
        return f"array({shape} {value.dtype})"
    if isinstance(value, Mapping):
        keys = [k.value if isinstance(k, enum.Enum) else k for k in value]
        if len(value) <= 4 and all(_is_scalar(v) for v in value.values()):
            pairs = zip(keys, value.values(), strict=True)
            return "{" + ", ".join(f"{k!r}: {short(v)}" for k, v in pairs) + "}"
        shown = ", ".join(repr(k) for k in keys[:2]) + (", …" if len(keys) > 2 else "")
        return f"<{len(value)} entries: {shown}>" if keys else "{}"
    if isinstance(value, tuple | list | set | frozenset):
        items = list(value)
        if all(_is_scalar(v) for v in items):
            inner = ", ".join(short(v) for v in items[:4])
            if len(items) > 4:
                inner += f", … {len(items):,} in all"
            if isinstance(value, list):
                return "[" + inner + "]"
            return "(" + inner + ("," if len(items) == 1 else "") + ")"
        kinds = {type(v).__name__ for v in items}
        kind = kinds.pop() if len(kinds) == 1 else "items"
        return f"<{len(items):,} {kind}>"
    if attrs.has(type(value)):
        return f"{type(value).__name__}({_name_of(value)})"
    text = repr(value)
    return text if len(text) <= _MAX_TEXT else f"<{type(value).__name__}>"


def record_repr(self: Any) -> str:
    """``Class(field=value, ...)`` of an attrs record, each value short (see :func:`short`)."""
    fields = ", ".join(
        f"{a.name}={short(getattr(self, a.name))}" for a in attrs.fields(type(self)) if a.repr
    )
    return _cut(f"{type(self).__name__}({fields})", MAX_REPR)


def named_tuple_repr(self: Any) -> str:
    """``Class(field=value, ...)`` of a named tuple, each value short (see :func:`short`)."""
    fields = ", ".join(f"{name}={short(getattr(self, name))}" for name in self._fields)
    return _cut(f"{type(self).__name__}({fields})", MAX_REPR)


def stream_of(table: str) -> Callable[[Any, object | None], object]:
    """An ``__arrow_c_stream__`` giving the object's table ``table`` (an attribute, or a method
    called without arguments): ``pl.from_arrow(obj)`` and ``pa.table(obj)`` read that table."""

    def stream(self: Any, requested_schema: object | None = None) -> object:
        value = getattr(self, table)
        return (value() if callable(value) else value).__arrow_c_stream__(requested_schema)

    stream.__name__ = stream.__qualname__ = "__arrow_c_stream__"
    stream.__doc__ = (
        f"The ``{table}`` table as an Arrow C stream (the Arrow PyCapsule interface): "
        "``polars.from_arrow(obj)``, ``pyarrow.table(obj)``, DuckDB and others read it."
    )
    return stream


# ---------------------------------------------------------------------------------------------
# One county: the object door's results


def _status(status: Any) -> str:
    value = getattr(status, "value", status)
    return str(value).replace("_", " ")


def _county(code: str, name: str) -> str:
    return f"{code} {name}" if name else code


def evaluation_result_repr(r: EvaluationResult) -> str:
    """The verdict of one county, its components, its stages and its schools in counts."""
    excluded = sum(not s.included for s in r.schools)
    failing = sum(x.status.value == "failed" for x in r.school_rules)
    rule = (
        f"{_plural(failing, 'stage part')} failing the school rule; "
        f"{_plural(len(r.shortfalls), 'shortfall')}"
    )
    if not r.school_rules and any(
        s.school_rule_status.value == "not_evaluated" for s in r.stages.values()
    ):  # no school judged (cn-basic-2012 without the province's school standard)
        rule = "the school rule not evaluated: no failing school or shortfall known"
    return _lines(
        f"EvaluationResult: county {_county(r.county_code, r.county_name)}, "
        f"standard {r.standard_id}: {_status(r.status)}",
        "  components: " + " · ".join(f"{c.id} {_status(c.status)}" for c in r.components.values()),
        "  stages: "
        + " · ".join(
            f"{stage.value} {_status(s.status)} ({_plural(s.n_schools, 'school')})"
            for stage, s in r.stages.items()
        ),
        f"  {_plural(len(r.schools), 'school')} ({excluded} excluded); {rule}; "
        f"{_plural(len(r.findings), 'finding')}",
    )


def _stage_cvs(s: StageResult) -> str:
    if s.method == "composite":
        return f"composite CV {_number(s.composite_cv)} (at most {_number(s.threshold)})"
    cvs = [(v.cv, k) for k, v in s.cvs.items() if v.cv is not None]
    if not cvs:
        return f"{_plural(len(s.cvs), 'CV')}, none computed"
    cv, indicator = max(cvs)
    above = sum(s.threshold is not None and c > s.threshold for c, _ in cvs)
    # Of the CVs computed only: one not computed (an input missing) is said apart.
    missing = len(s.cvs) - len(cvs)
    return (
        f"each CV at most {_number(s.threshold)}: largest {_number(cv)} ({indicator}), "
        f"{above} of {len(cvs)} computed above" + (f", {missing} not computed" if missing else "")
    )


def stage_result_repr(s: StageResult) -> str:
    """The stage's verdict, and its parts where the standard joins the CVs and the school rule."""
    parts = ""
    if len(s.joined) > 1:
        failing = s.n_schools_failing
        parts = (
            f" (CVs {_status(s.cv_status)}, school rule {_status(s.school_rule_status)}"
            + ("" if not failing else f": {_plural(failing, 'school')} failing")
            + ")"
        )
    return _lines(
        f"StageResult {s.stage.value}: {_status(s.status)}{parts}; "
        f"{_plural(s.n_schools, 'school')}, {_number(s.enrollment)} students; {_stage_cvs(s)}"
    )


def records_repr(records: tuple[Any, ...]) -> str:
    """A tuple of result records: how many, of which kinds, by status; then the first."""
    if not records:
        return "()"
    kinds: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for r in records:
        kinds[type(r).__name__] = kinds.get(type(r).__name__, 0) + 1
        status = getattr(r, "status", None)
        if status is not None:
            statuses[_status(status)] = statuses.get(_status(status), 0) + 1
    what = ", ".join(f"{n} {k}" for k, n in kinds.items())
    tally = ", ".join(f"{n} {s}" for s, n in statuses.items())
    head = f"({what}" + (f": {tally}" if tally else "") + "; a tuple)"
    return _lines(head, _cut(f"first: {records[0]!r}", 300))


def stage_mapping_repr(m: StageMapping) -> str:
    inner = ", ".join(f"{stage.value}: {_status(s.status)}" for stage, s in m.items())
    return _cut(f"StageMapping({inner})", MAX_REPR)


def component_result_repr(c: ComponentResult) -> str:
    counts: dict[str, int] = {}
    for f in c.findings:
        counts[_status(f.status)] = counts.get(_status(f.status), 0) + 1
    tally = ", ".join(f"{n} {s}" for s, n in counts.items())
    return _lines(
        f"ComponentResult {c.id} ({_cut(c.name_en, _MAX_TEXT)}): {_status(c.status)}; "
        f"{_plural(len(c.findings), 'finding')}" + (f" ({tally})" if tally else "")
    )


def school_rule_repr(r: SchoolRuleResult) -> str:
    return _lines(
        f"SchoolRuleResult {r.school_id} {r.stage.value}: {_status(r.status)}; "
        f"{r.n_met} of {r.n_rules} met, {_plural(len(r.shortfalls), 'shortfall')}"
    )


def class_size_report_repr(r: ClassSizeReport) -> str:
    c = r.county
    return _lines(
        f"ClassSizeReport: {_plural(c.classes, 'class', 'classes')} of "
        f"{_plural(len(r.schools), 'school stage')} (within {c.within}, over {c.over}, "
        f"large {c.large}, super large {c.super_large}); "
        f"{_plural(len(r.targets), 'target')}, "
        f"{sum(t.status.value == 'passed' for t in r.targets)} met; "
        f"{len(r.not_reported)} not reported"
    )


def staffing_report_repr(r: StaffingReport) -> str:
    per_stage = ", ".join(
        f"{stage.value} {r.required[stage]:,} required, {_number(r.shortfall[stage])} short"
        for stage in r.required
    )
    return _lines(f"StaffingReport: {_plural(len(r.rows), 'school stage')}; {per_stage}")


# ---------------------------------------------------------------------------------------------
# Many counties: evaluations, plans, monitoring


def _tally(values: Iterable[Any]) -> str:
    counts: dict[str, int] = {}
    for v in values:
        key = "null" if v is None else _status(v)
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{s} {n:,}" for s, n in counts.items())


def evaluation_repr(ev: Evaluation) -> str:
    from eduequity._status import STATUS_CODES

    return _lines(
        f"Evaluation under {ev.standard.id}: {_plural(ev.n_counties, 'county', 'counties')}, "
        f"{_plural(ev.columns.n_schools, 'school')} ({int(ev.included.sum()):,} in scope)",
        f"  counties: {_tally(STATUS_CODES[int(s)] for s in ev.status)}",
    )


def batch_result_repr(r: BatchResult) -> str:
    return _lines(
        "BatchResult " + evaluation_repr(r.evaluation).removeprefix("Evaluation "),
        "  tables: .counties (one row per county and stage), .schools, .findings",
    )


def school_columns_repr(c: SchoolColumns) -> str:
    return _cut(
        f"SchoolColumns({_plural(c.n_schools, 'school')} in "
        f"{_plural(c.n_counties, 'county', 'counties')})",
        MAX_REPR,
    )


def class_sizes_repr(c: ClassSizes) -> str:
    return _cut(
        f"ClassSizes({_plural(int(c.values.size), 'class', 'classes')} of "
        f"{_plural(int(c.reported.size), 'school')}, {int(c.reported.sum()):,} reported)",
        MAX_REPR,
    )


def _table_column(table: Any, name: str) -> list[Any]:
    return table.column(name).to_pylist() if name in table.column_names else []


def _passes_after(counties: Any) -> str:
    after = _table_column(counties, "passes_after")
    return (
        f"{sum(bool(v) for v in after):,} of {len(after):,} county stages pass every rule the "
        "plan covers afterwards"
    )


def _cost(additions: Any) -> str:
    costs = [c for c in _table_column(additions, "cost") if c is not None]
    return f", {math.fsum(costs):,.0f} yuan" if costs else ""


def plan_tables_repr(p: PlanTables | PlanOutputs) -> str:
    """A plan of many counties: its counties, its verdict after, its additions."""
    what = type(p).__name__
    standard = p.standard.id if hasattr(p, "standard") else "?"
    return _lines(
        f"{what} under {standard}: {_passes_after(p.counties)}; "
        f"{_plural(p.additions.num_rows, 'addition')}{_cost(p.additions)}",
        "  tables: .additions, .counties, .totals, .not_in_plan, .transfers",
    )


def plan_repr(p: Plan) -> str:
    verdict = "passes" if p.passes else "does not pass"
    return _lines(
        f"Plan: county {_county(p.county.code, p.county.name)}, standard {p.standard.id}: "
        f"{verdict} every rule the plan covers once the additions are made",
        f"  {_plural(p.additions.num_rows, 'addition')}{_cost(p.additions)}; "
        f"{_plural(p.not_in_plan.num_rows, 'rule')} not in the plan",
        "  tables: .additions, .counties, .totals, .not_in_plan; .before, .after, .apply()",
    )


def plan_arrays_repr(a: PlanArrays) -> str:
    return _lines(
        f"PlanArrays under {a.before.standard.id}: "
        f"{_plural(a.before.n_counties, 'county', 'counties')}, "
        f"{_plural(len(a.additions), 'addition')} (columns), {_plural(a.rounds, 'round')}"
    )


def monitoring_repr(m: Monitoring) -> str:
    years = m.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    counties = {c for y in m.by_year.values() for c in y.figures.column("county_code").to_pylist()}
    return _lines(
        f"Monitoring under {m.standard.id}: {_plural(len(years), 'year')} ({span}), "
        f"{_plural(len(counties), 'county', 'counties')}; "
        f"{_plural(m.slides.num_rows, 'slide')}, "
        f"{_plural(m.early_warnings.num_rows, 'early warning')}",
        "  tables: .panel, .slides, .early_warnings, .summary(), .school_changes",
    )


def year_repr(y: Year) -> str:
    return _cut(
        f"Year({_plural(y.figures.num_rows, 'county stage')}, "
        f"{_plural(len(y.school_id), 'school')})",
        MAX_REPR,
    )


# ---------------------------------------------------------------------------------------------
# Standards and records of the object door


def standard_repr(s: Standard) -> str:
    """A standard: its id, document and title, and its rules in counts."""
    b = s.balance
    bounds = ", ".join(f"{stage.value} {_number(v)}" for stage, v in b.maximum.items())
    rule = "composite CV" if b.method.value == "composite" else "each CV"
    rules = [f"{_plural(len(b.indicators), 'indicator')}, {rule} at most {bounds}"]
    if s.school_standard is not None:
        rules.append(f"school standard of {_plural(len(s.school_standard.minimums), 'minimum')}")
    elif s.school_standard_slot is not None:
        rules.append("room for a province's school standard")
    if s.county_items:
        rules.append(_plural(len(s.county_items), "county item"))
    rules += [
        name for name in ("rooms", "school_size", "class_size", "staffing") if getattr(s, name)
    ]
    return _lines(
        f"Standard {s.id}: {s.document} ({s.year}), {_cut(s.title_en, 100)}",
        f"  {_plural(len(s.components), 'component')}: " + ", ".join(c.id for c in s.components),
        "  rules: " + "; ".join(rules),
    )


def school_standard_repr(s: SchoolStandard) -> str:
    indicators = sorted({m.indicator for m in s.minimums})
    return _lines(
        f"SchoolStandard {_cut(s.name_en, 100)} ({s.component}): "
        f"{_plural(len(s.minimums), 'minimum')} of {_plural(len(indicators), 'indicator')}, "
        f"rule {s.rule.value}"
    )


def county_repr(c: Any) -> str:
    """A county: its code and name, its schools by kind, its county inputs (never each school)."""
    kinds: dict[str, int] = {}
    for school in c.schools:
        kinds[school.kind.value] = kinds.get(school.kind.value, 0) + 1
    by_kind = ", ".join(f"{n} {k}" for k, n in kinds.items())
    inputs = getattr(c, "inputs", None) or {}
    return _lines(
        f"County {_county(c.code, c.name)}: {_plural(len(c.schools), 'school')}"
        + (f" ({by_kind})" if by_kind else "")
        + (f"; {_plural(len(inputs), 'county input')}" if inputs else "")
    )
