"""Evaluate one county against a standard: the object door.

:func:`evaluate` turns a :class:`~eduequity.County` into the columns of the pipeline, runs it
(:func:`eduequity.rules.run`), and presents the :class:`~eduequity.rules.Evaluation` as an
:class:`~eduequity.EvaluationResult`: stages, components with their findings, every
school, the school rule and what each school must add.
"""

from __future__ import annotations

import math

import numpy as np

from eduequity._errors import DataError
from eduequity._findings import finding_frames, finding_objects
from eduequity._models import County, SchoolKind, Stage
from eduequity._results import (
    ComponentResult,
    EvaluationResult,
    IndicatorCV,
    SchoolRuleResult,
    SchoolStatus,
    Shortfall,
    StageResult,
)
from eduequity._split import KIND_CODES
from eduequity._status import NOT_APPLICABLE, STATUS_CODES, Status
from eduequity._summaries import class_size_report, staffing_report
from eduequity.rules._columns import STAGES
from eduequity.rules._facilities import room_additions
from eduequity.rules._pipeline import Evaluation, run
from eduequity.rules._scope import ScopeReason
from eduequity.rules._shortfalls import RESOURCE_UNITS
from eduequity.standards._model import BalanceMethod, Standard

__all__ = ["evaluate", "result_of"]

_KINDS = {code: kind for kind, code in KIND_CODES.items()}


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _stage_results(ev: Evaluation, ids: list[str]) -> dict[Stage, StageResult]:
    rule, bal, parts = ev.standard.balance, ev.balance, ev.parts
    out = {}
    school_rule = ev.stage_rules.get("school_rule", np.full(len(STAGES), NOT_APPLICABLE))
    for code, stage in enumerate(STAGES):
        cvs = {}
        mine = parts.stage == code
        for ind_id in rule.indicators:
            m = bal.moments[ind_id]
            st = STATUS_CODES[bal.indicator_status[ind_id][code]]
            values = bal.values[ind_id]  # made when asked: once
            lacking = parts.school_row[mine & np.isnan(values)]
            computed = st is Status.PASSED
            cvs[ind_id] = IndicatorCV(
                indicator=ind_id,
                status=st,
                n_schools=int(m.count[code]),
                enrollment=float(m.weight[code]),
                mean=_num(m.mean[code]) if computed or st is Status.FAILED else None,
                std=_num(m.std[code]) if computed else None,
                cv=_num(m.cv[code]) if computed else None,
                missing_school_ids=tuple(ids[r] for r in lacking),
                values=tuple(values[mine].tolist()),
            )
        composite = float(bal.composite[code])
        out[stage] = StageResult(
            stage=stage,
            status=STATUS_CODES[int(ev.stage_status[code])],
            component=rule.component,
            cv_status=STATUS_CODES[int(bal.status[code])],
            school_rule_status=STATUS_CODES[int(school_rule[code])],
            n_schools_failing=None if math.isnan(ev.n_failing[code]) else int(ev.n_failing[code]),
            joined=ev.stage_joined,
            n_schools=int(parts.groups.counts[code]),
            enrollment=float(parts.enrollment[mine].sum()),
            cvs=cvs,
            composite_cv=(
                composite
                if rule.method is BalanceMethod.COMPOSITE and not math.isnan(composite)
                else None
            ),
            threshold=_num(bal.threshold[code]),
            method=rule.method.value,
        )
    return out


def _school_statuses(ev: Evaluation, ids: list[str], names: list[str]) -> tuple[SchoolStatus, ...]:
    reasons = list(ScopeReason)
    parts = ev.parts
    out = []
    for row in range(ev.columns.n_schools):
        reason = reasons[int(ev.scope[row])]
        kind: SchoolKind = _KINDS[int(ev.columns.kind[row])]
        zh, en = reason.describe(kind, ev.standard.scope)
        included = reason is ScopeReason.INCLUDED
        out.append(
            SchoolStatus(
                school_id=ids[row],
                name=names[row],
                kind=kind,
                included=included,
                stages=tuple(STAGES[s] for s in parts.stage[parts.school_row == row]),
                reason=None if included else reason.value,
                reason_zh="" if included else zh,
                reason_en="" if included else en,
            )
        )
    return tuple(out)


def _school_rules(ev: Evaluation, ids: list[str]) -> tuple[list[SchoolRuleResult], list[Shortfall]]:
    """Per stage part, the school rule and what the part lacks for each minimum it misses."""
    rules, parts = ev.school_rule, ev.parts
    if rules is None:
        return [], []
    by_part: dict[int, list[Shortfall]] = {}
    for arr in rules.minimums:
        m = arr.minimum
        unit_zh, unit_en, _ = RESOURCE_UNITS[arr.resource]
        short = ~arr.met & ~np.isnan(arr.value) & ~np.isnan(arr.quantity)
        for at in np.flatnonzero(short).tolist():
            row = arr.part.start + at
            by_part.setdefault(row, []).append(
                Shortfall(
                    school_id=ids[parts.school_row[row]],
                    stage=m.stage,
                    rule_id=f"school_standard.{m.indicator}",
                    indicator=m.indicator,
                    resource=arr.resource,
                    unit_zh=unit_zh,
                    unit_en=unit_en,
                    measured=float(arr.value[at]),
                    threshold=m.value,
                    quantity=float(arr.quantity[at]),
                )
            )
    results = [
        SchoolRuleResult(
            school_id=ids[parts.school_row[row]],
            stage=STAGES[int(parts.stage[row])],
            status=STATUS_CODES[int(rules.status[row])],
            n_rules=int(rules.n_rules[row]),
            n_met=int(rules.n_met[row]),
            shortfalls=tuple(by_part.get(row, ())),
        )
        for row in range(parts.school_row.size)
        if rules.status[row] != NOT_APPLICABLE
    ]
    return results, [sf for row in sorted(by_part) for sf in by_part[row]]


def _room_shortfalls(ev: Evaluation, ids: list[str]) -> list[Shortfall]:
    """What each school failing a room check must add: rooms, or room area."""
    out = []
    for rule_id, (resource, measured, threshold, quantity) in room_additions(
        ev.facilities, ev.columns, ev.standard
    ).items():
        unit_zh, unit_en, _ = RESOURCE_UNITS[resource]
        for r in np.flatnonzero(~np.isnan(quantity)).tolist():
            out.append(
                Shortfall(
                    school_id=ids[r],
                    stage=None,
                    rule_id=rule_id,
                    indicator=None,
                    resource=resource,
                    unit_zh=unit_zh,
                    unit_en=unit_en,
                    measured=float(measured[r]),
                    threshold=float(threshold[r]),
                    quantity=float(quantity[r]),
                )
            )
    return out


def result_of(ev: Evaluation) -> EvaluationResult:
    """The :class:`EvaluationResult` view of the evaluation of one county."""
    std, cols = ev.standard, ev.columns
    ids = cols.school_id.to_pylist()
    names = [] if cols.school_name is None else cols.school_name.to_pylist()
    names = names or [""] * len(ids)
    frames = finding_frames(ev)
    findings = finding_objects(ev, frames)
    # The balance findings stage by stage, as the published tables read.
    balance = [i for i, f in enumerate(findings) if f.rule_id.startswith("balance.")]
    ordered = sorted(
        (findings[i] for i in balance),
        key=lambda f: STAGES.index(f.stage) if f.stage is not None else -1,
    )
    for i, f in zip(balance, ordered, strict=True):
        findings[i] = f
    components = {
        c.id: ComponentResult(
            id=c.id,
            name_zh=c.name_zh,
            name_en=c.name_en,
            status=STATUS_CODES[int(ev.components[c.id][0])],
            findings=tuple(f for f in findings if f.component == c.id),
        )
        for c in std.components
    }
    school_rules, shortfalls = _school_rules(ev, ids)
    county_name = cols.county_name[0].as_py() if cols.county_name is not None else None
    return EvaluationResult(
        standard_id=std.id,
        county_code=str(cols.county_code[0].as_py()),
        county_name=county_name or "",
        status=STATUS_CODES[int(ev.status[0])],
        components=components,
        stages=_stage_results(ev, ids),
        schools=_school_statuses(ev, ids, names),
        school_rules=tuple(school_rules),
        shortfalls=tuple(shortfalls + _room_shortfalls(ev, ids)),
        class_sizes=None if ev.class_bands is None else class_size_report(ev),
        staffing=None if ev.staffing is None else staffing_report(ev),
        standard=std,
        evaluation=ev,
    )


def evaluate(county: County, std: Standard) -> EvaluationResult:
    """The object door of :func:`eduequity.evaluate`: ``county`` against ``std``, the
    standard the top-level door resolved (``eduequity._doors``, which sends only a County
    here).

    The county becomes a table of schools carrying its inputs
    (:func:`eduequity.batch.table_from_counties`), read and validated as the columnar door
    reads a table, and :func:`eduequity.rules.run` decides every verdict: the result's tables
    (:meth:`~eduequity.EvaluationResult.to_arrow`) are those
    :func:`eduequity.batch.evaluate_table` gives for that table.

    Raises
    ------
    DataError
        If ``std`` is not a :class:`Standard`.
    """
    if not isinstance(std, Standard):
        raise DataError(f"evaluate: standard must be an id or a Standard. Got {std!r}.")
    # The columnar door's own reading of the county as a table: the object door's columns,
    # county inputs and so every table are the columnar door's.
    from eduequity.batch._counties import read_counties  # the package imports plans,

    columns, inputs = read_counties([county], "evaluate")  # which import this module
    return result_of(run(std, columns, inputs))
