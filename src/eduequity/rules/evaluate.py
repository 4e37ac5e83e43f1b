"""Evaluate one county against a standard: the object door.

:func:`evaluate` turns a :class:`~eduequity.County` into the same arrays the columnar door uses,
applies the standard's rules with the shared grouped functions, and explains every outcome as a
:class:`~eduequity.rules.results.Finding`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from eduequity.errors import DataError
from eduequity.indicators import get_indicator
from eduequity.models import County, SchoolKind, Stage
from eduequity.rules.balance import STATUS_CODES, BalanceArrays, balance_arrays
from eduequity.rules.columns import STAGES, SchoolColumns, columns_from_counties
from eduequity.rules.facilities import facility_checks
from eduequity.rules.finding_frames import (
    county_item_frames,
    facility_frames,
    frame_findings,
    school_standard_frames,
)
from eduequity.rules.parts import Parts, build_parts
from eduequity.rules.reports import class_size_report, staffing_report
from eduequity.rules.results import (
    ComponentResult,
    EvaluationResult,
    Finding,
    IndicatorCV,
    Level,
    SchoolStatus,
    StageResult,
    Status,
    combine,
)
from eduequity.rules.school_findings import facility_shortfalls, school_rule_results, slot_findings
from eduequity.rules.school_rules import school_rule_arrays
from eduequity.rules.scope import ScopeReason, scope_reasons
from eduequity.rules.text import format_cv, format_ids, format_number
from eduequity.split import KIND_CODES
from eduequity.standards import get_standard
from eduequity.standards.model import BalanceMethod, Op, Standard

__all__ = ["balance_findings", "evaluate"]

_KINDS = {code: kind for kind, code in KIND_CODES.items()}


def _stage_en(stage: Stage) -> str:
    return stage.name_en.capitalize()


def balance_findings(
    standard: Standard,
    parts: Parts,
    cols: SchoolColumns,
    bal: BalanceArrays,
    county_codes: Sequence[str],
) -> list[Finding]:
    """Findings of the balance rule for every county and stage, county by county."""
    rule = standard.balance
    findings = []
    county_of_group = parts.group_county
    for g in parts.county_major():
        stage = STAGES[g // max(parts.n_counties, 1)]
        status = STATUS_CODES[bal.status[g]]
        threshold = float(bal.threshold[g])
        common = functools.partial(
            Finding,
            component=rule.component,
            level=Level.STAGE,
            citation=rule.citation,
            stage=stage,
            op=Op.LE,
            county_code=county_codes[county_of_group[g]],
        )
        if status is Status.NOT_APPLICABLE:
            findings.append(
                common(
                    rule_id="balance.stage",
                    status=status,
                    measured=None,
                    threshold=None if math.isnan(threshold) else threshold,
                    message_zh=f"本县无纳入评估的{stage.name_zh}学校（或标准未设{stage.name_zh}阈值）。",
                    message_en=(
                        f"No {stage.name_en} school in scope (or no {stage.name_en} threshold)."
                    ),
                )
            )
            continue
        lacking = []
        undefined = []
        for ind_id in rule.indicators:
            st = STATUS_CODES[bal.indicator_status[ind_id][g]]
            if st is Status.NOT_EVALUATED:
                lacking.append(ind_id)
            elif st is Status.FAILED:
                undefined.append(ind_id)
        targets = (
            [("composite_cv", bal.composite[g])]
            if rule.method is BalanceMethod.COMPOSITE
            else [(i, bal.moments[i].cv[g]) for i in rule.indicators]
        )
        for target, value in targets:
            ind_ids = rule.indicators if target == "composite_cv" else (target,)
            t_lacking = [i for i in ind_ids if i in lacking]
            t_undefined = [i for i in ind_ids if i in undefined]
            name_zh = (
                "综合差异系数"
                if target == "composite_cv"
                else (f"{get_indicator(target).name_zh}差异系数")
            )
            name_en = (
                "composite CV"
                if target == "composite_cv"
                else (f"CV of {get_indicator(target).name_en}")
            )
            measured = None if math.isnan(value) else float(value)
            if t_undefined:
                names_zh = "、".join(get_indicator(i).name_zh for i in t_undefined)
                names_en = "; ".join(get_indicator(i).name_en for i in t_undefined)
                t_status = Status.FAILED
                zh = (
                    f"{stage.name_zh}{name_zh}无法计算：{names_zh}的均值为0，"
                    "差异系数无定义，未达到要求。"
                )
                en = (
                    f"{_stage_en(stage)} {name_en} is undefined: the mean of {names_en} is 0, "
                    "so its CV is undefined; not met."
                )
            elif t_lacking:
                t_status = Status.NOT_EVALUATED
                detail_zh, detail_en = [], []
                for i in t_lacking:
                    rows = parts.school_row[(parts.groups.codes == g) & np.isnan(bal.values[i])]
                    ids = [str(cols.school_id[r]) for r in rows]
                    field = rule.numerator(i)
                    detail_zh.append(f"{field}缺{len(ids)}所（{format_ids(ids)}）")
                    detail_en.append(f"{field} missing for {len(ids)} school(s): {format_ids(ids)}")
                zh = f"{stage.name_zh}{name_zh}未评估：" + "；".join(detail_zh) + "。"
                en = f"{_stage_en(stage)} {name_en} not evaluated: " + "; ".join(detail_en) + "."
            else:
                assert measured is not None
                t_status = Status.PASSED if measured <= threshold else Status.FAILED
                met_zh = "达到要求" if t_status is Status.PASSED else "未达到要求"
                met_en = "met" if t_status is Status.PASSED else "not met"
                zh = (
                    f"{stage.name_zh}{name_zh}{format_cv(measured)}，"
                    f"要求不高于{format_number(threshold)}，{met_zh}。"
                )
                en = (
                    f"{_stage_en(stage)} {name_en} {format_cv(measured)}, required at most "
                    f"{format_number(threshold)}: {met_en}."
                )
            findings.append(
                common(
                    rule_id=f"balance.{target}"
                    if target == "composite_cv"
                    else f"balance.cv.{target}",
                    status=t_status,
                    measured=measured,
                    threshold=threshold,
                    message_zh=zh,
                    message_en=en,
                    indicator=None if target == "composite_cv" else target,
                )
            )
    return findings


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
        slot_findings(std, codes)
        + frame_findings(frames, codes, cols.school_id)
        + balance_findings(std, parts, cols, bal, codes)
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
