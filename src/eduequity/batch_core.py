"""The columnar door's evaluation: the shared rules on every county at once, to Arrow tables.

The verdicts and tables are computed with array operations over all counties (no Python loop
over schools or counties). The findings table, built on first access, is made of the same
finding frames (columns, one per rule) as the findings of :func:`eduequity.evaluate`.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity._arrow import masked
from eduequity._lanes import lane_map, lanes
from eduequity.rules.balance import STATUS_CODES, BalanceArrays, balance_arrays
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.rules.facilities import Facilities, facility_checks
from eduequity.rules.finding_frames import (
    balance_frames,
    county_item_frames,
    facility_frames,
    frames_table,
    school_standard_frames,
    slot_frames,
)
from eduequity.rules.minimums import compare, numerator_for, numerators_of
from eduequity.rules.parts import PartRows, Parts, build_parts, part_rows
from eduequity.rules.results import Status, combine_by_county, status_of_seen, statuses_seen
from eduequity.rules.school_rules import SchoolRuleArrays, school_rule_arrays
from eduequity.rules.scope import ScopeReason, scope_reasons
from eduequity.standards.model import BalanceMethod, Standard

if TYPE_CHECKING:
    from eduequity.batch import BatchResult, CountyInputArrays, _Input

__all__ = ["evaluate_columns"]

_P, _F, _NE, _NA = (STATUS_CODES.index(s) for s in Status)
_STATUS_DICT = pa.array([s.value for s in STATUS_CODES])
_STAGE_DICT = pa.array([s.value for s in STAGES])
_REASON_DICT = pa.array([r.value for r in ScopeReason])


def _status_array(codes: NDArray[np.integer[Any]]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int8, copy=False)), _STATUS_DICT)


def _item_status(
    standard: Standard, inputs: CountyInputArrays, n_counties: int
) -> list[tuple[str, NDArray[np.intp]]]:
    """Status of each county item for every county."""
    out = []
    missing = np.full(n_counties, np.nan)
    for item in standard.county_items:
        raw = inputs.get(item.input, missing)
        with np.errstate(invalid="ignore"):
            status = np.where(compare(item.op, raw, item.value), _P, _F).astype(np.intp)
        status[np.isnan(raw)] = _NE
        out.append((item.component, status))
    return out


@attrs.frozen(eq=False)
class _Layout:
    """Where each stage part goes in the schools table: one row per stage part of an included
    school and one per excluded school, in input order (a school's primary part before its
    junior part). Placed by counting, without a sort."""

    row: NDArray[np.intp]  # the school of each table row
    at: NDArray[np.intp]  # the table row of each part
    is_part: NDArray[np.bool_]
    excluded: NDArray[np.intp]  # the excluded schools
    gaps: NDArray[np.intp]  # the table row of each excluded school
    stage_of_row: NDArray[np.intp]  # stage code of each row, -1 for an excluded school

    @classmethod
    def of(
        cls, school_row: NDArray[np.intp], stage: NDArray[np.intp], included: NDArray[np.bool_]
    ) -> _Layout:
        n_schools = included.size
        has_primary = np.zeros(n_schools, dtype=np.bool_)
        has_primary[school_row[stage == 0]] = True
        entries = np.bincount(school_row, minlength=n_schools) + ~included
        first = np.zeros(n_schools + 1, dtype=np.intp)
        np.cumsum(entries, out=first[1:])
        n_rows = int(first[-1])
        excluded = np.flatnonzero(~included)
        at = first[school_row] + ((stage == 1) & has_primary[school_row])
        is_part = np.zeros(n_rows, dtype=np.bool_)
        is_part[at] = True
        stage_of_row = np.full(n_rows, -1, dtype=np.intp)
        stage_of_row[at] = stage
        return cls(
            row=np.repeat(np.arange(n_schools), entries),
            at=at,
            is_part=is_part,
            excluded=excluded,
            gaps=first[excluded],
            stage_of_row=stage_of_row,
        )

    def per_part(self, values: NDArray[Any], fill: float = np.nan) -> NDArray[Any]:
        """A column of the table from one value per part (``fill`` on excluded schools)."""
        out = np.empty(self.row.size, dtype=np.result_type(values, np.asarray(fill)))
        out[self.at] = values
        out[self.gaps] = fill  # an excluded school's one row
        return out


def _identity_columns(
    layout: _Layout,
    data: _Input,
    reasons: NDArray[np.intp],
    enrollment: NDArray[np.float64],
) -> dict[str, Any]:
    """The schools table's columns that say which school, stage and scope a row is."""
    cols, row, is_part = data.columns, layout.row, layout.is_part
    compulsory = cols.enrollment[STAGES[0]] + cols.enrollment[STAGES[1]]
    by_row = layout.per_part(enrollment)
    by_row[layout.gaps] = compulsory[layout.excluded]
    return {
        "school_id": data.school_ids.take(pa.array(row)),
        "county_code": data.county_codes.take(pa.array(cols.county[row])),
        "kind": pa.DictionaryArray.from_arrays(
            pa.array(cols.kind[row].astype(np.int8)), data.kinds
        ),
        "stage": pa.DictionaryArray.from_arrays(
            masked(layout.stage_of_row.astype(np.int8), ~is_part), _STAGE_DICT
        ),
        "included": pa.array(is_part),
        "reason": pa.DictionaryArray.from_arrays(
            masked(reasons[row].astype(np.int8), is_part), _REASON_DICT
        ),
        "enrollment": pa.array(by_row),
    }


def _identity_after(
    placed: Future[_Layout], data: _Input, reasons: NDArray[np.intp], rows: PartRows
) -> dict[str, Any]:
    """:func:`_identity_columns` once the layout, queued before this task, is made."""
    return _identity_columns(placed.result(), data, reasons, rows.enrollment)


def _value_columns(layout: _Layout, standard: Standard, bal: BalanceArrays) -> dict[str, Any]:
    """The schools table's indicator value columns."""
    return {
        f"value_{ind}": masked(layout.per_part(bal.values[ind]))
        for ind in standard.balance.indicators
    }


def _rule_columns(
    layout: _Layout, standard: Standard, rules: SchoolRuleArrays | None, pool: Executor
) -> dict[str, Any]:
    """The schools table's school rule and shortfall columns (one shortfall column per resource
    built on each of the ``pool``'s threads)."""
    out: dict[str, Any] = {}
    if rules is None:
        return out
    mask = ~layout.is_part
    out["school_rule"] = pa.DictionaryArray.from_arrays(
        pa.array(layout.per_part(rules.status, _NA).astype(np.int8)), _STATUS_DICT
    )
    out["n_met"] = masked(layout.per_part(rules.n_met.astype(np.int64), 0), mask)
    out["n_rules"] = masked(layout.per_part(rules.n_rules.astype(np.int64), 0), mask)
    by_resource: dict[str, list[tuple[slice, NDArray[np.float64]]]] = {}
    for arr, qty in zip(rules.minimums, rules.quantity, strict=True):
        resource = numerator_for(arr.minimum.indicator, standard.balance)
        by_resource.setdefault(resource, []).append((arr.part, qty))

    def shortfall(pieces: list[tuple[slice, NDArray[np.float64]]]) -> pa.Array:
        total = np.zeros(layout.at.size)
        for part, qty in pieces:
            total[part] += qty  # each part once per minimum
        return masked(layout.per_part(total))

    columns = lane_map(pool, shortfall, by_resource.values())
    for resource, column in zip(by_resource, columns, strict=True):
        out[f"shortfall_{resource}"] = column
    return out


def _check_columns(layout: _Layout, facilities: Facilities, data: _Input) -> dict[str, Any]:
    """The schools table's school-level check columns and its ``not_reported`` column."""
    row, is_part = layout.row, layout.is_part
    check_columns: dict[str, NDArray[np.integer[Any]]] = {}
    for check in facilities.checks:
        name = f"check_{check.rule_id.replace('.', '_')}"
        column = check.status[row]
        if check.stage is not None:  # a per-stage check belongs to that stage's row only
            mine = is_part & (layout.stage_of_row == STAGES.index(check.stage))
            column = np.where(mine, column, check_columns.get(name, _NA)).astype(np.int8)
        check_columns[name] = column
    out: dict[str, Any] = {name: _status_array(codes) for name, codes in check_columns.items()}
    nr = [name for name, mask in data.not_reported.items() if mask.any()]
    if nr:
        flagged = np.zeros(row.size, dtype=np.bool_)
        text = np.full(row.size, "", dtype=object)
        for name in nr:
            hit = data.not_reported[name][row]
            text[hit] = np.where(text[hit] == "", name, text[hit] + "," + name)
            flagged |= hit
        out["not_reported"] = pa.array(text, mask=~flagged, type=pa.string())
    else:
        out["not_reported"] = pa.nulls(row.size, pa.string())
    return out


def _checks_and_tables(
    cols: SchoolColumns, included: NDArray[np.bool_], standard: Standard
) -> tuple[Facilities, dict[str, NDArray[np.bool_]]]:
    """The school-level checks, and per component the statuses each county has among them
    (tabled here, on a worker, as soon as the checks are known)."""
    facilities = facility_checks(cols, included, standard)
    pairs: dict[str, list[tuple[NDArray[np.intp], NDArray[np.int8]]]] = {}
    for check in facilities.checks:
        pairs.setdefault(check.component, []).append((cols.county, check.status))
    seen = {cid: statuses_seen(p, cols.n_counties) for cid, p in pairs.items()}
    return facilities, seen


def _component_status(
    standard: Standard,
    cols: SchoolColumns,
    parts: Parts,
    bal: BalanceArrays,
    rules: SchoolRuleArrays | None,
    checks_seen: dict[str, NDArray[np.bool_]],
    inputs: CountyInputArrays,
) -> dict[str, NDArray[np.intp]]:
    """The status of each component of ``standard`` in every county (the combining rule of
    :func:`~eduequity.rules.results.combine_by_county`)."""
    n_c = cols.n_counties
    pairs: dict[str, list[tuple[NDArray[np.intp], NDArray[np.integer[Any]]]]] = {
        c.id: [] for c in standard.components
    }
    pairs[standard.balance.component].append((parts.group_county, bal.status))
    if rules is not None and standard.school_standard is not None:
        county_of_part = cols.county[parts.school_row]
        pairs[standard.school_standard.component].append((county_of_part, rules.status))
    elif standard.school_standard_slot is not None:
        pairs[standard.school_standard_slot.component].append(
            (np.arange(n_c), np.full(n_c, _NE, dtype=np.intp))
        )
    for component, status in _item_status(standard, inputs, n_c):
        pairs[component].append((np.arange(n_c), status))
    out = {}
    for cid, component_pairs in pairs.items():
        seen = statuses_seen(component_pairs, n_c)
        if cid in checks_seen:
            seen |= checks_seen[cid]
        out[cid] = status_of_seen(seen)
    return out


def evaluate_columns(standard: Standard, data: _Input, inputs: CountyInputArrays) -> BatchResult:
    """Apply ``standard`` to the validated table ``data``; see :func:`batch.evaluate_table`."""
    from eduequity.batch import BatchResult

    cols = data.columns
    n_c = cols.n_counties
    reasons = scope_reasons(cols, standard.scope)
    included = reasons == 0
    # Worker threads (see eduequity._lanes), so every core works: the school-level checks
    # and the schools table's columns run beside the rules, and the rules' own columns are
    # spread over the threads (in a fixed order: the numbers do not depend on the threads).
    with lanes() as pool:
        pending = pool.submit(_checks_and_tables, cols, included, standard)
        rows = part_rows(cols, included)
        # Where each part goes in the schools table, and the table's identity columns, are
        # known from the rows alone: a worker makes them while the amounts are built.
        placed = pool.submit(_Layout.of, rows.school_row, rows.stage, included)
        identity = pool.submit(_identity_after, placed, data, reasons, rows)
        parts = build_parts(
            cols, included, standard.split_weights, pool, rows, numerators_of(standard)
        )
        bal = balance_arrays(parts, standard.balance, pool)
        layout = placed.result()
        values = pool.submit(_value_columns, layout, standard, bal)
        rules = school_rule_arrays(standard, parts, cols, known=bal.values, pool=pool)
        # The numerators have been read: the tables and findings need none of them, so the
        # result does not keep them alive.
        parts = attrs.evolve(parts, amounts={})
        facilities, checks_seen = pending.result()
        checks = pool.submit(_check_columns, layout, facilities, data)
        combined = pool.submit(
            _component_status, standard, cols, parts, bal, rules, checks_seen, inputs
        )
        measures = values.result() | _rule_columns(layout, standard, rules, pool)
        schools = identity.result() | measures | checks.result()
        component_status = combined.result()
    overall = combine_by_county([(np.arange(n_c), s) for s in component_status.values()], n_c)
    # counties: one row per county x stage, county by county
    by_row = parts.county_major()  # the group of each row
    county_of_row = parts.group_county[by_row]
    group_enrollment = np.bincount(
        parts.groups.codes, weights=parts.enrollment, minlength=bal.status.size
    )
    counties: dict[str, Any] = {"county_code": data.county_codes.take(pa.array(county_of_row))}
    if data.county_names is not None:
        counties["county_name"] = data.county_names.take(pa.array(county_of_row))
    counties |= {
        "stage": pa.DictionaryArray.from_arrays(
            pa.array(parts.group_stage[by_row].astype(np.int8)), _STAGE_DICT
        ),
        "status": _status_array(bal.status[by_row]),
        "n_schools": pa.array(parts.groups.counts[by_row].astype(np.int64)),
        "enrollment": pa.array(group_enrollment[by_row]),
        "threshold": masked(bal.threshold[by_row]),
        "method": pa.array([standard.balance.method.value] * bal.status.size),
    }
    for ind in standard.balance.indicators:
        counties[f"cv_{ind}"] = masked(bal.moments[ind].cv[by_row])
    composite = (
        bal.composite
        if standard.balance.method is BalanceMethod.COMPOSITE
        else np.full(bal.status.size, np.nan)
    )
    counties["composite_cv"] = masked(composite[by_row])
    counties["county_status"] = _status_array(overall[county_of_row])
    for cid, status in component_status.items():
        counties[f"component_{cid}"] = _status_array(status[county_of_row])

    def build_findings() -> pa.Table:
        # Counties and stages first, then schools.
        frames = slot_frames(standard, n_c)
        frames += balance_frames(standard, parts, data.school_ids, bal)
        frames += county_item_frames(standard, inputs, n_c)
        frames += school_standard_frames(standard, parts, cols, data.school_ids, rules)
        frames += facility_frames(standard, cols, data.school_ids, facilities)
        return frames_table(frames, data.county_codes, data.school_ids)

    return BatchResult(pa.table(counties), pa.table(schools), build_findings, standard)
