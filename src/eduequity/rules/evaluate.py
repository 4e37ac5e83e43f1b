"""Evaluate one county against a standard: the object door.

:func:`evaluate` turns a :class:`~eduequity.County` into the same arrays the columnar door uses,
applies the standard's rules with the shared grouped functions, and explains every outcome as a
:class:`~eduequity.rules.results.Finding`.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from eduequity.errors import DataError
from eduequity.models import County, SchoolKind, Stage
from eduequity.rules.balance import STATUS_CODES, BalanceArrays, balance_arrays
from eduequity.rules.columns import STAGES, SchoolColumns, columns_from_counties
from eduequity.rules.facilities import facility_checks
from eduequity.rules.finding_frames import (
    balance_frames,
    county_item_frames,
    facility_frames,
    frame_findings,
    school_standard_frames,
    slot_frames,
)
from eduequity.rules.parts import Parts, build_parts
from eduequity.rules.reports import class_size_report, staffing_report
from eduequity.rules.results import (
    ComponentResult,
    EvaluationResult,
    IndicatorCV,
    SchoolStatus,
    StageResult,
    Status,
    combine,
)
from eduequity.rules.school_findings import facility_shortfalls, school_rule_results
from eduequity.rules.school_rules import school_rule_arrays
from eduequity.rules.scope import ScopeReason, scope_reasons
from eduequity.split import KIND_CODES
from eduequity.standards import get_standard
from eduequity.standards.model import BalanceMethod, Standard

__all__ = ["evaluate"]

_KINDS = {code: kind for kind, code in KIND_CODES.items()}


def _stage_en(stage: Stage) -> str:
    return stage.name_en.capitalize()


def _stage_results(
    standard: Standard, parts: Parts, cols: SchoolColumns, bal: BalanceArrays
) -> dict[Stage, StageResult]:
    rule = standard.balance
    out = {}
    for code, stage in enumerate(STAGES):
        cvs = {}
        for ind_id in rule.indicators:
            m = bal.moments[ind_id]
            st = STATUS_CODES[bal.indicator_status[ind_id][code]]
            rows = parts.school_row[(parts.stage == code) & np.isnan(bal.values[ind_id])]

            def num(x: float) -> float | None:
                return None if math.isnan(x) else float(x)

            computed = st is Status.PASSED
            cvs[ind_id] = IndicatorCV(
                indicator=ind_id,
                status=st,
                n_schools=int(m.count[code]),
                enrollment=float(m.weight[code]),
                mean=num(m.mean[code]) if computed or st is Status.FAILED else None,
                std=num(m.std[code]) if computed else None,
                cv=num(m.cv[code]) if computed else None,
                missing_school_ids=tuple(str(cols.school_id[r]) for r in rows),
                values=tuple(bal.values[ind_id][parts.stage == code].tolist()),
            )
        composite = float(bal.composite[code])
        out[stage] = StageResult(
            stage=stage,
            status=STATUS_CODES[bal.status[code]],
            n_schools=int(parts.groups.counts[code]),
            enrollment=float(parts.enrollment[parts.stage == code].sum()),
            cvs=cvs,
            composite_cv=(
                composite
                if rule.method is BalanceMethod.COMPOSITE and not math.isnan(composite)
                else None
            ),
            threshold=None if math.isnan(bal.threshold[code]) else float(bal.threshold[code]),
            method=rule.method.value,
        )
    return out


def _school_statuses(
    standard: Standard, cols: SchoolColumns, reasons: np.ndarray, parts: Parts, county: County
) -> tuple[SchoolStatus, ...]:
    reason_list = list(ScopeReason)
    out = []
    for row, school in enumerate(county.schools):
        reason = reason_list[int(reasons[row])]
        kind: SchoolKind = _KINDS[int(cols.kind[row])]
        zh, en = reason.describe(kind, standard.scope)
        stages = tuple(STAGES[s] for s in parts.stage[parts.school_row == row])
        out.append(
            SchoolStatus(
                school_id=school.id,
                name=school.name,
                kind=kind,
                included=reason is ScopeReason.INCLUDED,
                stages=stages,
                reason=None if reason is ScopeReason.INCLUDED else reason.value,
                reason_zh="" if reason is ScopeReason.INCLUDED else zh,
                reason_en="" if reason is ScopeReason.INCLUDED else en,
            )
        )
    return tuple(out)


def evaluate(county: County, standard: str | Standard = "cn-basic-2012") -> EvaluationResult:
    """Evaluate ``county`` against ``standard`` and explain every verdict.

    Parameters
    ----------
    county : County
        The county, with every school of its census; the standard's scope decides which count.
    standard : str or Standard, default ``"cn-basic-2012"``
        A built-in standard id (see :func:`eduequity.list_standards`) or a :class:`Standard`,
        e.g. one with a province's basic school standard plugged in.

    Returns
    -------
    EvaluationResult
        Per stage the CVs, composite and verdict; per component the findings; every input school
        with its status; an overall status that is ``passed`` only if every component was
        evaluated and passed.

    Raises
    ------
    UnknownNameError
        For an unknown standard id.
    DataError
        If ``county`` is not a :class:`County`.

    Notes
    -----
    Steps: (1) the scope rule marks each school included or excluded with a reason; (2) included
    multi-stage schools are split into stage parts by weighted enrollment; (3) per stage, each
    indicator's enrollment-weighted CV (:func:`eduequity.weighted_cv`), and for the 2012 standard
    their mean, the composite, against the stage's maximum; (4) each part against the school
    standard's minimums; (5) the county inputs against their thresholds.

    Examples
    --------
    >>> import eduequity as ee
    >>> result = ee.evaluate(ee.datasets.sample_county(), "cn-basic-2012")
    >>> result.stages["primary"].composite_cv is not None
    True
    """
    std = get_standard(standard) if isinstance(standard, str) else standard
    if not isinstance(county, County):
        raise DataError(f"evaluate: county must be a County. Got {type(county).__name__}.")
    if not isinstance(std, Standard):
        raise DataError(f"evaluate: standard must be an id or a Standard. Got {std!r}.")
    cols = columns_from_counties([county])
    reasons = scope_reasons(cols, std.scope)
    parts = build_parts(cols, reasons == 0, std.split_weights)
    bal = balance_arrays(parts, std.balance)
    codes = [county.code]
    rule_arrays = school_rule_arrays(std, parts, cols, known=bal.values)
    school_rules, shortfalls = school_rule_results(std, parts, cols, rule_arrays)
    facilities = facility_checks(cols, reasons == 0, std)
    ids = pa.array(cols.school_id.tolist(), pa.string())
    frames = school_standard_frames(std, parts, cols, ids, rule_arrays)
    facility_found = frame_findings(
        facility_frames(std, cols, ids, facilities), codes, cols.school_id
    )
    findings = (
        frame_findings(slot_frames(std, 1), codes, cols.school_id)
        + frame_findings(frames, codes, cols.school_id)
        # stage by stage, as the published tables read
        + sorted(
            frame_findings(balance_frames(std, parts, ids, bal), codes, cols.school_id),
            key=lambda f: STAGES.index(f.stage) if f.stage is not None else -1,
        )
        + facility_found
        + frame_findings(
            county_item_frames(std, {k: np.array([float(v)]) for k, v in county.inputs.items()}, 1),
            codes,
            cols.school_id,
        )
    )
    components = {}
    for comp in std.components:
        own = tuple(f for f in findings if f.component == comp.id)
        components[comp.id] = ComponentResult(
            id=comp.id,
            name_zh=comp.name_zh,
            name_en=comp.name_en,
            status=combine(f.status for f in own),
            findings=own,
        )
    return EvaluationResult(
        standard_id=std.id,
        county_code=county.code,
        county_name=county.name,
        status=combine(c.status for c in components.values()),
        components=components,
        stages=_stage_results(std, parts, cols, bal),
        schools=_school_statuses(std, cols, reasons, parts, county),
        school_rules=tuple(school_rules),
        shortfalls=tuple(shortfalls + facility_shortfalls(std, cols, facilities)),
        class_sizes=None
        if std.class_size is None
        else class_size_report(cols, reasons == 0, std.class_size),
        staffing=None
        if std.staffing is None
        else staffing_report(cols, reasons == 0, std.staffing),
        standard=std,
    )
