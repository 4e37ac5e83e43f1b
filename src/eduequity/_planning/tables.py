"""The tables of a plan, views of its ``PlanArrays``.

- ``additions``: one row per school, input column and reason, with the quantity and its cost
  (yuan, to 0.01).
- ``counties``: one row per county and stage, with each CV before and after and whether every
  rule the plan covers passes before and after (``passes_after``).
- ``totals``: per county and resource, the quantity added (transfers aside: they move what the
  county has) and the cost, to 0.01; a row ``total`` per county with the overall cost.
- ``failing``: the schools failing today, one row per school and rule it fails (the school
  rule or minimums of a stage, class sizes, rooms, school size), county by county in input
  order.
- ``not_in_plan``: per county, every rule that still does not pass after the plan, with why
  (a code of :data:`WHY`): what cannot be bought (school size, county inputs), input missing,
  or a CV that is undefined.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import (
    array,
    empty_table,
    named,
    of_type,
    scalar,
    strings,
    text,
)
from eduequity._planning.additions import REASONS, Addition
from eduequity._planning.costs import COST_KEYS, TRANSFERS, unit_cost
from eduequity._planning.verify import PlanArrays, covered_ok
from eduequity._schema import COLUMNS
from eduequity._status import FAILED, NOT_EVALUATED, STATUS_CODES
from eduequity.rules._columns import STAGES, SchoolColumns
from eduequity.rules._pipeline import Evaluation
from eduequity.standards._model import BalanceMethod

__all__ = [
    "RESOURCE_ORDER",
    "AdditionRows",
    "addition_rows",
    "additions_table",
    "failing_table",
    "not_in_plan_table",
    "plan_counties_table",
    "plan_passes",
    "totals_table",
    "transfers_table",
]

FloatArray = NDArray[np.float64]


def _school_of(cols: SchoolColumns, row: NDArray[np.intp]) -> dict[str, Any]:
    """The county code, id and name of the school of each row (a table's first columns)."""
    take = array(row.astype(np.int64))
    return {
        "county_code": cols.county_code.take(array(cols.county[row].astype(np.int64))),
        "school_id": cols.school_id.take(take),
        "school_name": (
            cols.school_name.take(take)
            if cols.school_name is not None
            else pa.nulls(row.size, pa.string())
        ),
    }


def plan_passes(counties: pa.Table) -> bool:
    """Whether every county stage of a plan's ``counties`` table passes every rule the plan
    covers after it (``passes_after``): the one verdict of both planners. True for a table of
    no county stage (no school in scope: nothing the plan covers fails)."""
    return bool(pc.all(counties.column("passes_after"), min_count=0).as_py())


def _floats(values: FloatArray) -> pa.Array:
    return array(values, mask=np.isnan(values))


def _coded(codes: NDArray[np.intp], values: list[str | None]) -> pa.Array:
    """``values[codes]`` as dictionary-encoded text (null where the value is None)."""
    present = [v for v in values if v is not None]
    index = {v: i for i, v in enumerate(dict.fromkeys(present))}
    lookup = np.array([index.get(v, -1) if v is not None else -1 for v in values], dtype=np.int32)
    picked = lookup[codes] if codes.size else np.zeros(0, dtype=np.int32)
    return pa.DictionaryArray.from_arrays(array(picked, mask=picked < 0), text(list(index)))


_COLUMN_ORDER = {c.name: i for i, c in enumerate(COLUMNS)}
_REASON_ORDER = {r: i for i, r in enumerate(REASONS)}


def _order(a: Addition) -> tuple[int, int, str]:
    """Where an addition's rows go among a school's rows: by reason (what a rule needs
    before the teachers hired for it), then input column."""
    return (_REASON_ORDER[a.reason], _COLUMN_ORDER.get(a.column, len(_COLUMN_ORDER)), a.column)


@attrs.frozen(eq=False)
class AdditionRows:
    """The rows of a plan's additions table as arrays, in the table's order.

    Attributes
    ----------
    school : array of int
        The school (row of the evaluated table) of each row.
    kind : array of int
        The addition (index into ``PlanArrays.additions``) of each row.
    quantity, cost : array of float
        What the row adds and its cost (yuan to 0.01; NaN where not priced).
    """

    school: NDArray[np.intp]
    kind: NDArray[np.intp]
    quantity: FloatArray
    cost: FloatArray


def addition_rows(plan: PlanArrays) -> AdditionRows:
    """The additions table's rows: every school's nonzero quantity of each addition, county
    by county, schools in input order, a school's rows in the order of the reasons and of the
    schema's columns (the same whatever order the rounds found them in)."""
    cols = plan.before.columns
    adds = plan.additions
    if not adds:
        none = np.zeros(0, dtype=np.intp)
        return AdditionRows(none, none, np.zeros(0), np.zeros(0))
    unit = np.array(
        [np.nan if (u := unit_cost(plan.costs, a.resource, a.reason)) is None else u for a in adds]
    )
    at = [np.flatnonzero(a.quantity != 0) for a in adds]
    row = np.concatenate(at)
    k = np.repeat(np.arange(len(adds)), [r.size for r in at])
    q = np.concatenate([a.quantity[r] for a, r in zip(adds, at, strict=True)])
    rank = np.zeros(len(adds), dtype=np.intp)
    rank[sorted(range(len(adds)), key=lambda n: _order(adds[n]))] = np.arange(len(adds))
    by = np.lexsort((rank[k], row, cols.county[row]))
    row, k, q = row[by], k[by], q[by].astype(np.float64)
    # Yuan to the fen (0.01); + 0.0 turns the -0.0 of a free transfer out into 0.
    return AdditionRows(row, k, q, np.round(q * unit[k], 2) + 0.0)


def additions_table(
    plan: PlanArrays, year: NDArray[np.intp] | None = None, rows: AdditionRows | None = None
) -> pa.Table:
    """One row per school, input column and reason: what to add (see the module). Text
    columns but the ids and names are dictionary-encoded. With ``year`` (per school, from a
    schedule), a ``year`` column. ``rows``: the plan's :func:`addition_rows`, if built."""
    adds = plan.additions
    rows = addition_rows(plan) if rows is None else rows
    k = rows.kind
    out: dict[str, Any] = {
        **_school_of(plan.before.columns, rows.school),
        "stage": _coded(k, [None if a.stage is None else a.stage.value for a in adds]),
        "column": _coded(k, [a.column for a in adds]),
        "resource": _coded(k, [a.resource for a in adds]),
        "quantity": array(rows.quantity),
        "reason": _coded(k, [a.reason for a in adds]),
        "cost": _floats(rows.cost),
    }
    if year is not None:
        out["year"] = array(year[rows.school].astype(np.int64))
    return pa.table(out)


def _status(codes: NDArray[Any]) -> pa.Array:
    return named(_STATUS_NAMES, codes)


_STATUS_NAMES = tuple(s.value for s in STATUS_CODES)
_STAGE_NAMES = tuple(s.value for s in STAGES)


def plan_counties_table(plan: PlanArrays) -> pa.Table:
    """One row per county and stage with schools: verdicts and CVs before and after."""
    before, after = plan.before, plan.after
    parts = before.parts
    group = parts.county_major()
    group = group[parts.groups.counts[group] > 0]
    county = parts.group_county[group]
    cols = before.columns
    out: dict[str, Any] = {"county_code": cols.county_code.take(array(county))}
    if cols.county_name is not None:
        out["county_name"] = cols.county_name.take(array(county))
    out["stage"] = named(_STAGE_NAMES, parts.group_stage[group])
    # The stage's verdict (under 2017: the CV bounds and the school rule), then its CV part.
    out["status_before"] = _status(before.stage_status[group])
    out["status_after"] = _status(after.stage_status[group])
    out["balance_before"] = _status(before.balance.status[group])
    out["balance_after"] = _status(after.balance.status[group])
    for name, ev in (("before", before), ("after", after)):
        failing = ev.n_failing[group]
        out[f"n_schools_failing_{name}"] = array(
            np.nan_to_num(failing).astype(np.int64), mask=np.isnan(failing)
        )
    out["passes_before"] = array(covered_ok(before)[group])
    out["passes_after"] = array(covered_ok(after)[group])
    out["county_status_before"] = _status(before.status[county])
    out["county_status_after"] = _status(after.status[county])
    for ind in before.standard.balance.indicators:
        out[f"cv_{ind}_before"] = _floats(before.balance.moments[ind].cv[group])
        out[f"cv_{ind}_after"] = _floats(after.balance.moments[ind].cv[group])
    # As the evaluation's counties table: a composite only where the standard judges one.
    judged = before.standard.balance.method is BalanceMethod.COMPOSITE
    for name, ev in (("before", before), ("after", after)):
        composite = ev.balance.composite[group] if judged else np.full(group.size, np.nan)
        out[f"composite_cv_{name}"] = _floats(composite)
    moves = plan.moves
    if moves is not None:
        codes = parts.group(cols.county[moves.receiver], np.array(moves.stage, dtype=np.intp))
        moved = np.bincount(codes, weights=moves.quantity, minlength=parts.groups.n_groups)
        teachers = np.zeros(parts.groups.n_groups)
        for code, stage in enumerate(STAGES):
            rows = parts.rows_of_stage(code)
            amount = np.nan_to_num(cols.people[stage]["teachers"][parts.school_row[rows]])
            np.add.at(teachers, parts.groups.codes[rows], amount)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(teachers > 0, moved / teachers, np.nan)
        out["teachers_moved"] = array(moved[group].astype(np.int64))
        out["rotation_share"] = _floats(share[group])
    return pa.table(out)


def transfers_table(plan: PlanArrays) -> pa.Table:
    """One row per teacher transfer: ``county_code``, ``stage``, ``column``,
    ``from_school_id``, ``to_school_id``, ``quantity`` (empty without transfers)."""
    cols = plan.before.columns
    moves = plan.moves
    sender = np.zeros(0, dtype=np.intp) if moves is None else moves.sender
    receiver = np.zeros(0, dtype=np.intp) if moves is None else moves.receiver
    # County by county, each county's moves in the order they were found.
    by = np.argsort(cols.county[receiver], kind="stable")
    sender, receiver = sender[by], receiver[by]
    return pa.table(
        {
            "county_code": cols.county_code.take(array(cols.county[receiver].astype(np.int64))),
            "stage": text([] if moves is None else [STAGES[moves.stage[i]].value for i in by]),
            "column": text([] if moves is None else [moves.column[i] for i in by]),
            "from_school_id": cols.school_id.take(array(sender.astype(np.int64))),
            "to_school_id": cols.school_id.take(array(receiver.astype(np.int64))),
            "quantity": array(
                np.zeros(0) if moves is None else np.asarray(moves.quantity, np.float64)[by]
            ),
        }
    )


#: The order of the resources in the totals (the costs' order; ``total`` last).
RESOURCE_ORDER = {k: i for i, k in enumerate((*COST_KEYS, "total"))}

#: The columns of the totals table.
_TOTALS = pa.schema(
    [
        ("county_code", pa.string()),
        ("resource", pa.string()),
        ("quantity", pa.float64()),
        ("cost", pa.float64()),
    ]
)


def totals_table(plan: PlanArrays, rows: AdditionRows) -> pa.Table:
    """Per county and resource, the quantity added and its cost; a ``total`` row per county
    with the overall cost (null without costs). ``rows``: the plan's :func:`addition_rows`
    (each sum adds the additions table's rows in its order)."""
    adds = plan.additions
    # A transfer adds nothing to the county.
    keep = ~np.isin(rows.kind, [n for n, a in enumerate(adds) if a.reason in TRANSFERS])
    if not keep.any():
        return empty_table(_TOTALS)
    resources = list(dict.fromkeys(a.resource for a in adds))
    resource = np.array([resources.index(a.resource) for a in adds], dtype=np.intp)
    county = plan.before.columns.county[rows.school[keep]]
    quantity, cost = rows.quantity[keep], rows.cost[keep]
    # Sums of quantities and costs to 0.01 are to 0.01 too: round away the sums' float noise.
    key = county * len(resources) + resource[rows.kind[keep]]
    groups, group = np.unique(key, return_inverse=True)
    counties, of_county = np.unique(county, return_inverse=True)
    county_code = plan.before.columns.county_code

    def rows_of(codes: NDArray[np.intp], names: pa.Array, q: pa.Array, yuan: pa.Array) -> pa.Table:
        n = len(codes)
        return pa.table(
            {
                "county_code": county_code.take(array(codes.astype(np.int64))),
                "resource": names,
                "quantity": q,
                "cost": yuan if plan.costs is not None else pa.nulls(n, pa.float64()),
            },
            schema=_TOTALS,
        )

    def rounded(sums: FloatArray) -> pa.Array:
        return pc.round(_floats(sums), 2)

    both = pa.concat_tables(
        [
            rows_of(
                groups // len(resources),
                text([resources[r] for r in groups % len(resources)]),
                rounded(_sums(group, quantity, groups.size)),
                rounded(_sums(group, cost, groups.size)),
            ),
            rows_of(
                counties,
                named(("total",), counties.size),
                pa.nulls(counties.size, pa.float64()),
                rounded(_sums(of_county, cost, counties.size)),
            ),
        ]
    )
    # Per county, its resources in the order of COST_KEYS, then its total (a resource of no
    # cost key after them, by name).
    known = pc.index_in(both.column("resource"), value_set=strings(tuple(RESOURCE_ORDER)))
    rank = pc.fill_null(known, scalar(len(RESOURCE_ORDER), known.type))
    keys = pa.table(
        {"county": both.column("county_code"), "rank": rank, "name": both.column("resource")}
    )
    order = pc.sort_indices(keys, sort_keys=[(k, "ascending") for k in keys.column_names])
    return both.take(order)


def _sums(group: NDArray[np.intp], values: FloatArray, n: int) -> NDArray[np.float64]:
    """Per group, the sum of its values that are not NaN in their order, NaN where none is
    (as a table's ``sum`` skips and nulls)."""
    given = ~np.isnan(values)
    total = np.bincount(group, weights=np.where(given, values, 0.0), minlength=n)
    counted = np.bincount(group, weights=given, minlength=n) > 0
    out: NDArray[np.float64] = np.where(counted, total, np.nan)
    return out


def _why(rule: str, code: int) -> str:
    if rule.startswith("county_items."):
        return "county_input_not_supplied" if code == NOT_EVALUATED else "county_input"
    if code == NOT_EVALUATED:
        return "input_missing"
    if rule == "school_size":
        return "school_size"
    return "not_met"


def not_in_plan_table(plan: PlanArrays) -> pa.Table:
    """Per county, each rule that does not pass after the plan, with the number of schools
    (or stage parts) concerned and why (see the module)."""
    ev: Evaluation = plan.after
    cols, parts = ev.columns, ev.parts
    n_c = cols.n_counties
    # Each call of ``add`` gives the counties concerned and their counts, under one label.
    found: list[tuple[NDArray[np.intp], NDArray[np.intp]]] = []
    labels: list[tuple[str | None, str, str, str]] = []

    def add(
        county: NDArray[np.intp],
        stage: str | None,
        rule: str,
        status: NDArray[Any],
        why: str | None = None,
    ) -> None:
        for code in (FAILED, NOT_EVALUATED):
            counts = np.bincount(county[status == code], minlength=n_c)
            concerned = np.flatnonzero(counts)
            if concerned.size:
                found.append((concerned, counts[concerned]))
                labels.append((stage, rule, STATUS_CODES[code].value, why or _why(rule, code)))

    g_county, g_stage = parts.group_county, parts.group_stage
    bal = ev.balance
    undefined = np.zeros(parts.groups.n_groups, dtype=np.bool_)
    for status in bal.indicator_status.values():
        undefined |= status == FAILED  # a mean of 0: the CV is undefined
    for code, stage in enumerate(STAGES):
        mine = g_stage == code
        for zero, why in ((True, "undefined_cv"), (False, None)):
            at = mine & (undefined == zero)
            add(g_county[at], stage.value, "balance", bal.status[at], why)
    if ev.school_rule is not None:
        add(cols.county[parts.school_row], None, "school_standard", ev.school_rule.status)
    elif "school_rule" in ev.stage_rules:
        for code, stage in enumerate(STAGES):
            mine = g_stage == code
            status = ev.stage_rules["school_rule"][mine]
            add(g_county[mine], stage.value, "school_standard", status, "school_standard_not_given")
    for check in ev.facilities.checks:
        stage_name = None if check.stage is None else check.stage.value
        if check.rule_id == "class_size" and check.stage is not None:
            by_band = cols.class_sizes[check.stage].banded  # not split: sizes unknown
            add(
                cols.county[by_band],
                stage_name,
                check.rule_id,
                check.status[by_band],
                "classes_by_band",
            )
            add(cols.county[~by_band], stage_name, check.rule_id, check.status[~by_band])
            continue
        add(cols.county, stage_name, check.rule_id, check.status)
    for k, item in enumerate(ev.standard.county_items):
        add(np.arange(n_c), None, f"county_items.{item.id}", ev.county_items.status[k])
    county = np.concatenate([c for c, _ in found]) if found else np.zeros(0, dtype=np.intp)
    n = np.concatenate([k for _, k in found]) if found else np.zeros(0, dtype=np.intp)
    label = np.repeat(np.arange(len(found)), [c.size for c, _ in found])
    # County by county, its rules by name; a rule's rows in the order they were found.
    rule_names = sorted({rule for _, rule, _, _ in labels})
    rule_rank = np.array([rule_names.index(rule) for _, rule, _, _ in labels], dtype=np.intp)
    by = np.lexsort((rule_rank[label], county)) if found else label
    at = array(label[by].astype(np.int64))

    def column(k: int) -> pa.Array:
        return of_type([entry[k] for entry in labels], pa.string()).take(at)

    return pa.table(
        {
            "county_code": cols.county_code.take(array(county[by].astype(np.int64))),
            "stage": column(0),
            "rule": column(1),
            "status": column(2),
            "n": array(n[by].astype(np.int64)),
            "why": column(3),
        }
    )


#: The columns of the failing table.
_FAILING = pa.schema(
    [
        ("county_code", pa.string()),
        ("school_id", pa.string()),
        ("school_name", pa.string()),
        ("stage", pa.string()),
        ("rule", pa.string()),
    ]
)


def failing_table(plan: PlanArrays) -> pa.Table:
    """The schools failing today (see the module): ``county_code``, ``school_id``,
    ``school_name``, ``stage`` (null for a school-level rule) and ``rule`` (``school_standard``,
    ``class_size``, ``rooms.music_rooms``, ``school_size``, ...), one row per school and rule
    it fails before the plan; county by county, schools in input order, a school's rules in
    the standard's order."""
    ev = plan.before
    cols, parts = ev.columns, ev.parts
    school: list[NDArray[np.intp]] = []
    rank: list[NDArray[np.intp]] = []
    labels: list[tuple[str | None, str]] = []
    if ev.school_rule is not None:
        for code, stage in enumerate(STAGES):
            rows = parts.rows_of_stage(code)
            bad = parts.school_row[rows][ev.school_rule.status[rows] == FAILED]
            school.append(bad)
            rank.append(np.full(bad.size, len(labels), dtype=np.intp))
            labels.append((stage.value, "school_standard"))
    for check in ev.facilities.checks:
        bad = np.flatnonzero((check.status == FAILED) & ev.included)
        school.append(bad)
        rank.append(np.full(bad.size, len(labels), dtype=np.intp))
        labels.append((None if check.stage is None else check.stage.value, check.rule_id))
    row = np.concatenate(school) if school else np.zeros(0, dtype=np.intp)
    k = np.concatenate(rank) if rank else np.zeros(0, dtype=np.intp)
    if row.size == 0:
        return empty_table(_FAILING)
    by = np.lexsort((k, row, cols.county[row]))
    row, k = row[by], k[by]
    at = array(k.astype(np.int64))
    return pa.table(
        {
            **_school_of(cols, row),
            "stage": of_type([stage for stage, _ in labels], pa.string()).take(at),
            "rule": of_type([rule for _, rule in labels], pa.string()).take(at),
        }
    )
