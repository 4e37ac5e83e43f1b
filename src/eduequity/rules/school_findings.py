"""Findings about single schools: the school standard, special rooms, school size, class size.

Each function turns the arrays of :mod:`eduequity.rules.school_rules` and
:mod:`eduequity.rules.facilities` into :class:`~eduequity.rules.results.Finding` objects with
messages in Chinese and English, and collects the shortfalls.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from eduequity.indicators import get_indicator
from eduequity.rules.balance import STATUS_CODES
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.rules.facilities import Facilities
from eduequity.rules.minimums import numerator_for
from eduequity.rules.parts import Parts
from eduequity.rules.results import Finding, Level, SchoolRuleResult, Shortfall, Status
from eduequity.rules.school_rules import school_rule_arrays
from eduequity.rules.shortfalls import RESOURCE_UNITS, round_up
from eduequity.rules.text import format_number
from eduequity.standards.model import Op, SchoolRule, Standard

__all__ = ["facility_findings", "school_standard_findings"]


def _mean_area_after(add: float, area: float, rooms: float) -> float:
    """Mean room area once ``add`` m² are added to ``area`` over ``rooms`` rooms."""
    return (area + add) / rooms


def _met(ok: bool) -> tuple[str, str]:
    return ("达到要求", "met") if ok else ("未达到要求", "not met")


def _status(ok: bool) -> Status:
    return Status.PASSED if ok else Status.FAILED


def school_standard_findings(
    standard: Standard,
    parts: Parts,
    cols: SchoolColumns,
    county_codes: Sequence[str],
    known: Mapping[str, NDArray[np.float64]] | None = None,
) -> tuple[list[Finding], list[SchoolRuleResult], list[Shortfall]]:
    """Findings of the school standard (or of its missing slot), per-part results, shortfalls."""
    slot = standard.school_standard_slot
    school = standard.school_standard
    if school is None:
        if slot is None:
            return [], [], []
        return (
            [
                Finding(
                    rule_id="school_standard.supplied",
                    component=slot.component,
                    level=Level.COUNTY,
                    status=Status.NOT_EVALUATED,
                    measured=None,
                    threshold=None,
                    op=None,
                    citation=slot.citation,
                    message_zh="未提供省定义务教育学校基本办学标准，无法评估。",
                    message_en="The province's basic school-running standard was not supplied "
                    "(Standard.with_school_standard), so this could not be evaluated.",
                    county_code=code,
                )
                for code in county_codes
            ],
            [],
            [],
        )
    arrays = school_rule_arrays(standard, parts, cols, known=known)
    assert arrays is not None
    findings: list[Finding] = []
    shortfalls_by_part: dict[int, list[Shortfall]] = {}
    per_part_lines: dict[int, list[tuple[str, str]]] = {}
    for arr, qty in zip(arrays.minimums, arrays.quantity, strict=True):
        m = arr.minimum
        ind = get_indicator(m.indicator)
        field = numerator_for(m.indicator, standard.balance)
        unit_zh, unit_en, _ = RESOURCE_UNITS[field]
        for row, value, met, q in zip(arr.part, arr.value, arr.met, qty, strict=True):
            sid = str(cols.school_id[parts.school_row[row]])
            req_zh = f"要求{m.op.text_zh}{format_number(m.value)}"
            req_en = f"required {m.op.text_en} {format_number(m.value)}"
            if math.isnan(value):
                status, measured = Status.NOT_EVALUATED, None
                zh = f"{ind.name_zh}未评估：未报告 {field}"
                en = f"{ind.name_en} not evaluated: {field} not reported"
            else:
                status, measured = _status(bool(met)), float(value)
                met_zh, met_en = _met(bool(met))
                zh = f"{ind.name_zh}{format_number(value)}{ind.unit_zh}，{req_zh}，{met_zh}"
                en = f"{ind.name_en} {format_number(value)} {ind.unit_en}, {req_en}: {met_en}"
                if not met and not math.isnan(q):
                    zh += f"，需增加{format_number(q)}{unit_zh}（{field}）"
                    en += f"; add {format_number(q)} {unit_en} ({field})"
                    shortfalls_by_part.setdefault(int(row), []).append(
                        Shortfall(
                            school_id=sid,
                            stage=m.stage,
                            rule_id=f"school_standard.{m.indicator}",
                            indicator=m.indicator,
                            resource=field,
                            unit_zh=unit_zh,
                            unit_en=unit_en,
                            measured=float(value),
                            threshold=m.value,
                            quantity=float(q),
                        )
                    )
            if status is not Status.PASSED:
                per_part_lines.setdefault(int(row), []).append((zh, en))
            if school.rule is SchoolRule.ALL:
                findings.append(
                    Finding(
                        rule_id=f"school_standard.{m.indicator}",
                        component=school.component,
                        level=Level.SCHOOL,
                        status=status,
                        measured=measured,
                        threshold=m.value,
                        op=m.op,
                        citation=m.citation,
                        message_zh=f"{sid}（{m.stage.name_zh}）{zh}。",
                        message_en=f"School {sid} ({m.stage.name_en}) {en}.",
                        stage=m.stage,
                        school_id=sid,
                        indicator=m.indicator,
                        county_code=county_codes[int(cols.county[parts.school_row[row]])],
                    )
                )
    results = []
    for row in range(parts.school_row.size):
        status = STATUS_CODES[arrays.status[row]]
        if status is Status.NOT_APPLICABLE:
            continue
        sid = str(cols.school_id[parts.school_row[row]])
        stage = STAGES[int(parts.stage[row])]
        n_rules, n_met = int(arrays.n_rules[row]), int(arrays.n_met[row])
        results.append(
            SchoolRuleResult(
                school_id=sid,
                stage=stage,
                status=status,
                n_rules=n_rules,
                n_met=n_met,
                shortfalls=tuple(shortfalls_by_part.get(row, ())),
            )
        )
        if school.rule is SchoolRule.AT_LEAST:
            unmet = per_part_lines.get(row, [])
            detail_zh = "；".join(z for z, _ in unmet)
            detail_en = "; ".join(e for _, e in unmet)
            verdict_zh, verdict_en = {
                Status.PASSED: ("达到要求", "met"),
                Status.FAILED: ("未达到要求", "not met"),
                Status.NOT_EVALUATED: ("未评估", "not evaluated"),
            }[status]
            rule_zh = (
                f"至少{school.min_met}项达到要求，余项不低于要求的"
                f"{format_number(100 * (school.floor_fraction or 0))}%"
            )
            rule_en = (
                f"at least {school.min_met} met, the rest at least "
                f"{format_number(100 * (school.floor_fraction or 0))}% of the requirement"
            )
            findings.append(
                Finding(
                    rule_id="school_standard.school_rule",
                    component=school.component,
                    level=Level.SCHOOL,
                    status=status,
                    measured=float(n_met),
                    threshold=float(school.min_met or 0),
                    op=Op.GE,
                    citation=school.citation,
                    message_zh=(
                        f"{sid}（{stage.name_zh}）{n_rules}项指标达到{n_met}项，要求{rule_zh}，"
                        f"{verdict_zh}" + (f"：{detail_zh}。" if detail_zh else "。")
                    ),
                    message_en=(
                        f"School {sid} ({stage.name_en}) meets {n_met} of {n_rules} "
                        f"indicators, required {rule_en}: {verdict_en}"
                        + (f": {detail_en}." if detail_en else ".")
                    ),
                    stage=stage,
                    school_id=sid,
                    county_code=county_codes[int(cols.county[parts.school_row[row]])],
                )
            )
    shortfalls = [sf for row in sorted(shortfalls_by_part) for sf in shortfalls_by_part[row]]
    return findings, results, shortfalls


def facility_findings(
    standard: Standard,
    cols: SchoolColumns,
    facilities: Facilities,
    county_codes: Sequence[str],
) -> tuple[list[Finding], list[Shortfall]]:
    """Findings of the room, school-size and class-size rules for the in-scope schools.

    ``facilities`` comes from :func:`~eduequity.rules.facilities.facility_checks`, shared with
    the columnar door; this function words its checks and computes the shortfalls.
    """
    findings: list[Finding] = []
    shortfalls: list[Shortfall] = []

    def room_shortfall(
        sid: str,
        rule_id: str,
        resource: str,
        measured: float,
        threshold: float,
        need: float,
        after: Callable[[float], float] | None = None,
    ) -> None:
        """Record what a school lacks; ``after(q)`` recomputes the measure once ``q`` is added."""
        unit_zh, unit_en, quantum = RESOURCE_UNITS[resource]
        q = float(round_up(np.array([need]), quantum)[0])
        while after is not None and after(q) < threshold:  # rounding can leave it a hair short
            q += quantum
        shortfalls.append(
            Shortfall(
                school_id=sid,
                stage=None,
                rule_id=rule_id,
                indicator=None,
                resource=resource,
                unit_zh=unit_zh,
                unit_en=unit_en,
                measured=measured,
                threshold=threshold,
                quantity=q,
            )
        )

    rooms, size_rule, class_rule = standard.rooms, standard.school_size, standard.class_size
    ra, size, maximum = facilities.rooms, facilities.size, facilities.size_maximum
    for check in facilities.checks:
        rows = np.flatnonzero(check.status != STATUS_CODES.index(Status.NOT_APPLICABLE))
        ca = None if check.stage is None else facilities.classes[check.stage]
        for r in rows.tolist():
            sid = str(cols.school_id[r])
            status = STATUS_CODES[check.status[r]]
            ok = status is Status.PASSED
            met_zh, met_en = _met(ok)
            measured: float | None
            if check.rule_id.startswith("rooms."):
                assert rooms is not None
                assert ra is not None
                kind = check.rule_id.split(".")[1].split("_")[0]
                zh_name, en_name = (
                    ("音乐专用教室", "music rooms")
                    if kind == "music"
                    else ("美术专用教室", "art rooms")
                )
                count = ra.music_rooms if kind == "music" else ra.art_rooms
                if check.rule_id.endswith("_rooms"):
                    threshold, citation = float(ra.required[r]), rooms.citation
                    if status is Status.NOT_EVALUATED:
                        what = "class_sizes" if math.isnan(ra.required[r]) else f"{kind}_rooms"
                        measured = None
                        zh = f"{sid} {zh_name}未评估：未报告 {what}。"
                        en = f"School {sid} {en_name} not evaluated: {what} not reported."
                    else:
                        measured = float(count[r])
                        zh = (
                            f"{sid} {zh_name}{format_number(measured)}间，按"
                            f"{format_number(ra.classes[r])}个班需{format_number(threshold)}间，"
                            f"{met_zh}。"
                        )
                        en = (
                            f"School {sid} has {format_number(measured)} {en_name}; "
                            f"{format_number(ra.classes[r])} classes need "
                            f"{format_number(threshold)}: {met_en}."
                        )
                        if not ok:
                            room_shortfall(
                                sid,
                                check.rule_id,
                                f"{kind}_rooms",
                                measured,
                                threshold,
                                threshold - measured,
                            )
                else:
                    mean = ra.music_mean_area if kind == "music" else ra.art_mean_area
                    threshold = rooms.music_min_area if kind == "music" else rooms.art_min_area
                    citation = rooms.area_citation
                    if status is Status.NOT_EVALUATED:
                        measured = None
                        zh = f"{sid} {zh_name}面积未评估：未报告 {kind}_room_area。"
                        en = (
                            f"School {sid} {en_name} area not evaluated: {kind}_room_area "
                            "not reported."
                        )
                    else:
                        measured = float(mean[r])
                        zh = (
                            f"{sid} {zh_name}平均每间{format_number(measured)}平方米，要求不低于"
                            f"{format_number(threshold)}平方米，{met_zh}。"
                        )
                        en = (
                            f"School {sid} {en_name} average {format_number(measured)} m² each,"
                            f" required at least {format_number(threshold)} m²: {met_en}."
                        )
                        if not ok:
                            area = float(cols.resources[f"{kind}_room_area"][r])
                            n_rooms = float(count[r])
                            room_shortfall(
                                sid,
                                check.rule_id,
                                f"{kind}_room_area",
                                measured,
                                threshold,
                                threshold * n_rooms - area,
                                functools.partial(_mean_area_after, area=area, rooms=n_rooms),
                            )
                op = Op.GE
            elif check.rule_id == "school_size":
                assert size_rule is not None
                assert size is not None
                assert maximum is not None
                measured, threshold, citation, op = (
                    float(size[r]),
                    float(maximum[r]),
                    size_rule.citation,
                    Op.LE,
                )
                zh = (
                    f"{sid} 义务教育阶段在校生{format_number(measured)}人，要求不超过"
                    f"{format_number(threshold)}人，{met_zh}。"
                )
                en = (
                    f"School {sid} has {format_number(measured)} students in compulsory "
                    f"stages, required at most {format_number(threshold)}: {met_en}."
                )
            else:
                assert class_rule is not None
                assert ca is not None
                assert check.stage is not None
                stage = check.stage
                threshold, citation, op = float(ca.cap), class_rule.citation, Op.LE
                if status is Status.NOT_EVALUATED:
                    measured = None
                    zh = f"{sid}（{stage.name_zh}）班额未评估：未报告 class_sizes。"
                    en = (
                        f"School {sid} ({stage.name_en}) class sizes not evaluated: "
                        "class_sizes not reported."
                    )
                else:
                    largest = 0.0 if math.isnan(ca.largest[r]) else float(ca.largest[r])
                    measured = largest
                    zh = (
                        f"{sid}（{stage.name_zh}）{format_number(ca.n_classes[r])}个班，最大班额"
                        f"{format_number(largest)}人，{format_number(ca.n_over[r])}个班超过"
                        f"{ca.cap}人，{met_zh}。"
                    )
                    en = (
                        f"School {sid} ({stage.name_en}) {format_number(ca.n_classes[r])} "
                        f"classes, largest {format_number(largest)}, "
                        f"{format_number(ca.n_over[r])} over {ca.cap}: {met_en}."
                    )
            findings.append(
                Finding(
                    rule_id=check.rule_id,
                    component=check.component,
                    level=Level.SCHOOL,
                    status=status,
                    measured=measured,
                    threshold=threshold,
                    op=op,
                    citation=citation,
                    message_zh=zh,
                    message_en=en,
                    school_id=sid,
                    stage=check.stage,
                    county_code=county_codes[int(cols.county[r])],
                )
            )
    return findings, shortfalls
