"""The counties and schools tables: views of an :class:`~eduequity.rules.Evaluation`.

``counties``: one row per county and stage, county by county, with every CV, the composite, the
verdicts and the number of stage parts failing the school rule. A stage's ``status`` is its
verdict (:attr:`~eduequity.rules.Evaluation.stage_status`: under 2017 the CV bounds *and* the
school rule); ``cv_status`` and ``school_rule_status`` are its two parts, each under its own
name (``not_applicable`` where the standard has no school rule). ``schools``: one row per stage
part of each included school and one per excluded school, in input order (a school's primary
part before its junior part), so every input school is accounted for.

Beside the verdicts both tables report two figures that are part of no built-in verdict, each
under its own name: staff against the staffing standard (``staffing``, ``staff_required``,
``staff_shortfall``; in the counties table ``staffing_status``), where the standard has one,
and the classes by band (``classes_within_cap``, ``classes_over_cap``, ``classes_large``,
``classes_super_large``), where it has a class-size rule.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity._arrow import array, empty, named, strings, validity
from eduequity._arrow import text as as_text
from eduequity._errors import ArgumentError
from eduequity._findings import findings_table
from eduequity._models import SchoolKind
from eduequity._status import NOT_APPLICABLE, STATUS_CODES
from eduequity.rules._columns import STAGES
from eduequity.rules._consistency import warnings_table
from eduequity.rules._minimums import MinimumArrays
from eduequity.rules._pipeline import Evaluation
from eduequity.rules._scope import ScopeReason
from eduequity.rules._staffing import BAND_FIELDS
from eduequity.standards._model import BalanceMethod

__all__ = ["TABLE_NAMES", "counties_table", "evaluation_table", "schools_table"]

#: The tables of an evaluation, by the names both doors give them: the columnar door's
#: :class:`~eduequity.batch.BatchResult` attributes and :meth:`EvaluationResult.to_arrow
#: <eduequity.EvaluationResult.to_arrow>`.
TABLE_NAMES = ("counties", "schools", "findings", "data_warnings")

_STATUS = tuple(s.value for s in STATUS_CODES)
_STAGE = tuple(s.value for s in STAGES)
_REASON = tuple(r.value for r in ScopeReason)
_KIND = tuple(k.value for k in SchoolKind)


def _coded(
    codes: NDArray[Any],
    values: tuple[str, ...],
    missing: NDArray[np.bool_] | None = None,
    *,
    valid: tuple[pa.Buffer | None, int] | None = None,
) -> pa.Array:
    """``values[codes]``, dictionary-encoded with one-byte codes (null where ``missing``, or
    with the validity bitmap ``valid``)."""
    indices = array(codes.astype(np.int8, copy=False), missing, valid=valid)
    return pa.DictionaryArray.from_arrays(indices, strings(values))


def _floats(values: NDArray[np.float64]) -> pa.Array:
    """Floats with null where NaN."""
    return array(values, mask=np.isnan(values))


def _counts(values: NDArray[np.float64], unknown: NDArray[np.bool_]) -> pa.Array:
    """Whole counts as int64, null where ``unknown`` or NaN."""
    missing = unknown | np.isnan(values)
    return array(np.where(missing, 0, values).astype(np.int64), mask=missing)


def _gather8(codes: NDArray[Any], rows: NDArray[np.intp]) -> NDArray[np.int8]:
    """Codes ``codes[rows]``, one byte each, in Arrow's pool (for a table column)."""
    return np.take(codes.astype(np.int8, copy=False), rows, out=empty(rows.size, np.int8))


def _take(values: pa.Array, rows: NDArray[np.intp]) -> pa.Array:
    """``values`` at ``rows``."""
    return values.take(array(rows))


def _reported_figures(ev: Evaluation, group: NDArray[np.intp]) -> dict[str, Any]:
    """The counties table's columns of the figures reported beside the verdicts: staffing and
    the classes by band, per group (null in a group without stage parts)."""
    empty = ev.parts.groups.counts[group] == 0
    out: dict[str, Any] = {}
    staffing = ev.staffing
    if staffing is not None:
        out["staffing_status"] = _coded(staffing.group_status[group], _STATUS)
        out["staff_required"] = _counts(staffing.group_required[group], empty)
        out["staff_shortfall"] = _counts(staffing.group_shortfall[group], empty)
    bands = ev.class_bands
    if bands is not None:
        for k, band in enumerate(BAND_FIELDS):
            out[f"classes_{band}"] = _counts(bands.group_counts[group, k], empty)
        out["n_schools_classes_not_reported"] = _counts(bands.group_not_reported[group], empty)
    return out


def counties_table(ev: Evaluation) -> pa.Table:
    """One row per county and stage, county by county (see the module docstring)."""
    parts, bal, std = ev.parts, ev.balance, ev.standard
    group = parts.county_major()
    county = parts.group_county[group]
    # float64 always (bincount of no part at all would be int64).
    enrollment = np.bincount(
        parts.groups.codes, weights=parts.enrollment, minlength=parts.groups.n_groups
    ).astype(np.float64)
    cols: dict[str, Any] = {"county_code": _take(ev.columns.county_code, county)}
    if ev.columns.county_name is not None:
        cols["county_name"] = _take(ev.columns.county_name, county)
    cols |= {
        "stage": _coded(parts.group_stage[group], _STAGE),
        "status": _coded(ev.stage_status[group], _STATUS),
        "cv_status": _coded(bal.status[group], _STATUS),
        "school_rule_status": _coded(
            ev.stage_rules.get("school_rule", np.full(bal.status.size, NOT_APPLICABLE))[group],
            _STATUS,
        ),
        "n_schools": array(parts.groups.counts[group].astype(np.int64)),
        "n_schools_failing": array(
            np.nan_to_num(ev.n_failing[group]).astype(np.int64),
            mask=np.isnan(ev.n_failing[group]) | (parts.groups.counts[group] == 0),
        ),
        "enrollment": array(enrollment[group]),
        "threshold": _floats(bal.threshold[group]),
        "method": named((std.balance.method.value,), group.size),
    }
    for ind in std.balance.indicators:
        cols[f"cv_{ind}"] = _floats(bal.moments[ind].cv[group])
    composite = bal.composite[group]
    if std.balance.method is not BalanceMethod.COMPOSITE:
        composite = np.full(group.size, np.nan)
    cols["composite_cv"] = _floats(composite)
    cols |= _reported_figures(ev, group)
    cols["county_status"] = _coded(ev.status[county], _STATUS)
    for cid, status in ev.components.items():
        cols[f"component_{cid}"] = _coded(status[county], _STATUS)
    return pa.table(cols)


class _Layout:
    """Where each stage part goes in the schools table: one row per part of an included school
    and one per excluded school, in input order (primary part before junior part)."""

    def __init__(self, ev: Evaluation) -> None:
        parts, included = ev.parts, ev.included
        n = included.size
        has_primary = np.zeros(n, dtype=np.bool_)
        has_primary[parts.school_row[parts.stage == 0]] = True
        entries = np.bincount(parts.school_row, minlength=n) + ~included
        first = np.zeros(n + 1, dtype=np.intp)
        np.cumsum(entries, out=first[1:])
        self.row = np.repeat(np.arange(n), entries)  # the school of each table row
        self.at = first[parts.school_row] + ((parts.stage == 1) & has_primary[parts.school_row])
        self.is_part = np.zeros(self.row.size, dtype=np.bool_)
        self.is_part[self.at] = True
        self.excluded = np.flatnonzero(~included)
        self.gaps = first[self.excluded]  # the table row of each excluded school
        self.stage = empty(self.row.size, np.int8)  # a table column
        self.stage[:] = -1
        self.stage[self.at] = parts.stage
        #: The validity bitmap of a column null on the excluded schools' rows.
        self.valid = validity(self.is_part)

    def per_part(self, values: NDArray[Any], fill: Any = np.nan) -> NDArray[Any]:
        """A column of the table from one value per part (``fill`` on excluded schools)."""
        out = empty(self.row.size, np.result_type(values, np.asarray(fill)))
        out[self.at] = values
        out[self.gaps] = fill
        return out

    def floats(self, values: NDArray[np.float64]) -> pa.Array:
        """:meth:`per_part` as an Arrow column of floats, null on excluded schools and NaN."""
        column = self.per_part(values)
        if np.isnan(values).any():
            return array(column, mask=np.isnan(column))
        return array(column, valid=self.valid)

    def counts(self, values: NDArray[np.floating[Any]]) -> pa.Array:
        """:meth:`per_part` of whole counts as int64, null on excluded schools and NaN."""
        unknown = np.isnan(values)
        whole = np.where(unknown, 0.0, values).astype(np.int64)  # over the parts: no copy kept
        if unknown.any():
            return array(self.per_part(whole, 0), mask=self.per_part(unknown, True))
        return array(self.per_part(whole, 0), valid=self.valid)

    def codes(self, status: NDArray[Any], fill: int) -> NDArray[np.int8]:
        """:meth:`per_part` of status codes, one byte each."""
        return self.per_part(status.astype(np.int8), np.int8(fill))


def _not_reported(masks: Mapping[str, NDArray[np.bool_]], row: NDArray[np.intp]) -> pa.Array:
    """Per table row, the columns whose null was accepted as not reported (null if none)."""
    names = [name for name, mask in masks.items() if mask.any()]
    if not names:
        return pa.nulls(row.size, pa.string())
    # Each school's set of columns as the bits of a number, and each set's text once.
    bits = np.zeros(row.size, dtype=object if len(names) > 62 else np.int64)
    for k, name in enumerate(names):
        bits += masks[name][row].astype(bits.dtype) * (1 << k)
    sets, at = np.unique(bits, return_inverse=True)
    text = tuple(",".join(n for k, n in enumerate(names) if int(s) >> k & 1) for s in sets)
    return as_text(text).take(array(at.reshape(-1).astype(np.intp), mask=bits == 0))


def schools_table(ev: Evaluation) -> pa.Table:
    """One row per stage part of each included school and per excluded school (see the module
    docstring)."""
    cols_in, std, layout = ev.columns, ev.standard, _Layout(ev)
    row, is_part = layout.row, layout.is_part
    enrollment = layout.per_part(ev.parts.enrollment)
    enrollment[layout.gaps] = cols_in.compulsory_enrollment()[layout.excluded]
    out: dict[str, Any] = {"school_id": _take(cols_in.school_id, row)}
    if cols_in.school_name is not None:
        out["school_name"] = _take(cols_in.school_name, row)
    out |= {
        "county_code": _take(cols_in.county_code, cols_in.county[row]),
        "kind": _coded(_gather8(cols_in.kind, row), _KIND),
        "stage": _coded(layout.stage, _STAGE, valid=layout.valid),
        "included": array(is_part),
        "reason": _coded(_gather8(ev.scope, row), _REASON, is_part),
        "enrollment": array(enrollment),
    }
    for ind in std.balance.indicators:
        out[f"value_{ind}"] = layout.floats(ev.balance.values[ind])
    rules = ev.school_rule
    if rules is not None:
        out["school_rule"] = _coded(layout.codes(rules.status, NOT_APPLICABLE), _STATUS)
        out["n_met"] = array(layout.per_part(rules.n_met, 0), valid=layout.valid)
        out["n_rules"] = array(layout.per_part(rules.n_rules, 0), valid=layout.valid)
        by_resource: dict[str, list[MinimumArrays]] = {}
        for arr in rules.minimums:
            by_resource.setdefault(arr.resource, []).append(arr)
        for resource, minimums in by_resource.items():  # one total alive at a time
            total = np.zeros(ev.parts.school_row.size)
            for arr in minimums:
                total[arr.part] += arr.quantity  # each part once per minimum
            out[f"shortfall_{resource}"] = layout.floats(total)
    # Status codes as one byte each (the table's codes) while a check's stages are joined.
    checks: dict[str, NDArray[np.int8]] = {}
    for check in ev.facilities.checks:
        name = f"check_{check.rule_id.replace('.', '_')}"
        column = np.take(check.status, row, out=empty(row.size, np.int8))
        if check.stage is not None:  # a per-stage check belongs to that stage's row only
            mine = is_part & (layout.stage == STAGES.index(check.stage))
            others = np.flatnonzero(~mine)  # by index: faster than by mask
            column[others] = checks[name][others] if name in checks else NOT_APPLICABLE
        checks[name] = column
    out |= {name: _coded(codes, _STATUS) for name, codes in checks.items()}
    staffing = ev.staffing
    if staffing is not None:
        out["staffing"] = _coded(layout.codes(staffing.status, NOT_APPLICABLE), _STATUS)
        out["staff_required"] = layout.counts(staffing.required)
        out["staff_shortfall"] = layout.counts(staffing.shortfall)
    bands = ev.class_bands
    if bands is not None:
        for k, band in enumerate(BAND_FIELDS):
            out[f"classes_{band}"] = layout.counts(bands.counts[:, k])
    out["not_reported"] = _not_reported(cols_in.not_reported, row)
    return pa.table(out)


def evaluation_table(ev: Evaluation, name: str, *, messages: bool = False) -> pa.Table:
    """The table ``name`` of :data:`TABLE_NAMES` of ``ev``: the one function both doors build
    their tables with, so the tables of one county are the same through either.

    ``messages``: the findings with their messages in Chinese and English (``message_zh``,
    ``message_en``), as :meth:`~eduequity.batch.BatchResult.findings_for` gives them.
    """
    if name == "counties":
        return counties_table(ev)
    if name == "schools":
        return schools_table(ev)
    if name == "findings":
        return findings_table(ev, messages=messages)
    if name == "warnings":
        warnings.warn(
            'The table "warnings" is renamed "data_warnings" (figures in the data that cannot '
            "all be right). The old name is removed in 0.3.",
            DeprecationWarning,
            stacklevel=3,
        )
        name = "data_warnings"
    if name == "data_warnings":
        return warnings_table(ev.columns)
    names = ", ".join(repr(n) for n in TABLE_NAMES)
    raise ArgumentError(f"to_arrow: table must be one of {names}. Got {name!r}.")
