"""Findings about single schools: the school standard, special rooms, school size, class size.

Each function turns the arrays of :mod:`eduequity.rules.school_rules` and
:mod:`eduequity.rules.facilities` into :class:`~eduequity.rules.results.Finding` objects with
messages in Chinese and English, and collects the shortfalls.
"""

from __future__ import annotations

import math

import numpy as np

from eduequity.indicators import get_indicator
from eduequity.models import Stage
from eduequity.rules.balance import STATUS_CODES
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.rules.facilities import class_arrays, room_arrays, school_size_arrays
from eduequity.rules.minimums import numerator_for
from eduequity.rules.parts import Parts
from eduequity.rules.results import Finding, Level, SchoolRuleResult, Shortfall, Status
from eduequity.rules.school_rules import school_rule_arrays
from eduequity.rules.shortfalls import RESOURCE_UNITS
from eduequity.rules.text import format_number
from eduequity.standards.model import Citation, Op, SchoolRule, Standard

__all__ = ["facility_findings", "school_standard_findings"]


def _met(ok: bool) -> tuple[str, str]:
    return ("达到要求", "met") if ok else ("未达到要求", "not met")


def _status(ok: bool) -> Status:
    return Status.PASSED if ok else Status.FAILED


def school_standard_findings(
    standard: Standard, parts: Parts, cols: SchoolColumns
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
                )
            ],
            [],
            [],
        )
    arrays = school_rule_arrays(standard, parts, cols)
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
                )
            )
    shortfalls = [sf for row in sorted(shortfalls_by_part) for sf in shortfalls_by_part[row]]
    return findings, results, shortfalls


def facility_findings(
    standard: Standard, cols: SchoolColumns, included: np.ndarray
) -> tuple[list[Finding], list[Shortfall]]:
    """Findings of the room, school-size and class-size rules for the in-scope schools."""
    findings: list[Finding] = []
    shortfalls: list[Shortfall] = []
    rows: list[int] = np.flatnonzero(included).tolist()
    sid = [str(x) for x in cols.school_id]

    def add(
        rule_id: str,
        component: str,
        row: int,
        status: Status,
        measured: float | None,
        threshold: float,
        op: Op,
        citation: Citation,
        zh: str,
        en: str,
        stage: Stage | None = None,
    ) -> None:
        findings.append(
            Finding(
                rule_id=rule_id,
                component=component,
                level=Level.SCHOOL,
                status=status,
                measured=measured,
                threshold=threshold,
                op=op,
                citation=citation,
                message_zh=zh,
                message_en=en,
                school_id=sid[row],
                stage=stage,
            )
        )

    rooms = standard.rooms
    if rooms is not None:
        ra = room_arrays(cols, rooms)
        for kind, zh_name, en_name, count, mean, min_area in (
            (
                "music",
                "音乐专用教室",
                "music rooms",
                ra.music_rooms,
                ra.music_mean_area,
                rooms.music_min_area,
            ),
            (
                "art",
                "美术专用教室",
                "art rooms",
                ra.art_rooms,
                ra.art_mean_area,
                rooms.art_min_area,
            ),
        ):
            for r in rows:
                need, have = ra.required[r], count[r]
                rid = f"rooms.{kind}_rooms"
                if math.isnan(need) or math.isnan(have):
                    missing = "class_sizes" if math.isnan(need) else f"{kind}_rooms"
                    add(
                        rid,
                        rooms.component,
                        r,
                        Status.NOT_EVALUATED,
                        None,
                        float("nan"),
                        Op.GE,
                        rooms.citation,
                        f"{sid[r]} {zh_name}未评估：未报告 {missing}。",
                        f"School {sid[r]} {en_name} not evaluated: {missing} not reported.",
                    )
                    continue
                ok = have >= need
                met_zh, met_en = _met(ok)
                zh = (
                    f"{sid[r]} {zh_name}{format_number(have)}间，按{format_number(ra.classes[r])}"
                    f"个班需{format_number(need)}间，{met_zh}。"
                )
                en = (
                    f"School {sid[r]} has {format_number(have)} {en_name}; "
                    f"{format_number(ra.classes[r])} classes need {format_number(need)}: "
                    f"{met_en}."
                )
                add(
                    rid,
                    rooms.component,
                    r,
                    _status(ok),
                    float(have),
                    float(need),
                    Op.GE,
                    rooms.citation,
                    zh,
                    en,
                )
                if not ok:
                    shortfalls.append(
                        Shortfall(
                            school_id=sid[r],
                            stage=None,
                            rule_id=rid,
                            indicator=None,
                            resource=f"{kind}_rooms",
                            unit_zh="间",
                            unit_en="rooms",
                            measured=float(have),
                            threshold=float(need),
                            quantity=float(need - have),
                        )
                    )
                if have > 0:
                    area_total = cols.resources[f"{kind}_room_area"][r]
                    aid = f"rooms.{kind}_room_area"
                    if math.isnan(mean[r]):
                        add(
                            aid,
                            rooms.component,
                            r,
                            Status.NOT_EVALUATED,
                            None,
                            min_area,
                            Op.GE,
                            rooms.area_citation,
                            f"{sid[r]} {zh_name}面积未评估：未报告 {kind}_room_area。",
                            f"School {sid[r]} {en_name} area not evaluated: "
                            f"{kind}_room_area not reported.",
                        )
                        continue
                    ok = mean[r] >= min_area
                    met_zh, met_en = _met(ok)
                    add(
                        aid,
                        rooms.component,
                        r,
                        _status(ok),
                        float(mean[r]),
                        min_area,
                        Op.GE,
                        rooms.area_citation,
                        f"{sid[r]} {zh_name}平均每间{format_number(mean[r])}平方米，"
                        f"要求不低于{format_number(min_area)}平方米，{met_zh}。",
                        f"School {sid[r]} {en_name} average {format_number(mean[r])} m² each, "
                        f"required at least {format_number(min_area)} m²: {met_en}.",
                    )
                    if not ok:
                        q = math.ceil(round((min_area * have - area_total) * 100, 6)) / 100
                        shortfalls.append(
                            Shortfall(
                                school_id=sid[r],
                                stage=None,
                                rule_id=aid,
                                indicator=None,
                                resource=f"{kind}_room_area",
                                unit_zh="平方米",
                                unit_en="m²",
                                measured=float(mean[r]),
                                threshold=min_area,
                                quantity=q,
                            )
                        )

    size_rule = standard.school_size
    if size_rule is not None:
        size, maximum = school_size_arrays(cols, size_rule)
        for r in rows:
            if math.isnan(maximum[r]):
                continue
            ok = size[r] <= maximum[r]
            met_zh, met_en = _met(ok)
            add(
                "school_size",
                size_rule.component,
                r,
                _status(ok),
                float(size[r]),
                float(maximum[r]),
                Op.LE,
                size_rule.citation,
                f"{sid[r]} 义务教育阶段在校生{format_number(size[r])}人，"
                f"要求不超过{format_number(maximum[r])}人，{met_zh}。",
                f"School {sid[r]} has {format_number(size[r])} students in compulsory stages, "
                f"required at most {format_number(maximum[r])}: {met_en}.",
            )

    class_rule = standard.class_size
    if class_rule is not None and class_rule.component is not None:
        for stage in class_rule.maximum:
            ca = class_arrays(cols, class_rule, stage)
            for r in rows:
                if cols.enrollment[stage][r] == 0:
                    continue
                if math.isnan(ca.n_classes[r]):
                    add(
                        "class_size",
                        class_rule.component,
                        r,
                        Status.NOT_EVALUATED,
                        None,
                        float(ca.cap),
                        Op.LE,
                        class_rule.citation,
                        f"{sid[r]}（{stage.name_zh}）班额未评估：未报告 class_sizes。",
                        f"School {sid[r]} ({stage.name_en}) class sizes not evaluated: "
                        "class_sizes not reported.",
                        stage,
                    )
                    continue
                ok = ca.n_over[r] == 0
                met_zh, met_en = _met(ok)
                largest = 0.0 if math.isnan(ca.largest[r]) else float(ca.largest[r])
                add(
                    "class_size",
                    class_rule.component,
                    r,
                    _status(ok),
                    largest,
                    float(ca.cap),
                    Op.LE,
                    class_rule.citation,
                    f"{sid[r]}（{stage.name_zh}）{format_number(ca.n_classes[r])}个班，最大班额"
                    f"{format_number(largest)}人，{format_number(ca.n_over[r])}个班超过"
                    f"{ca.cap}人，{met_zh}。",
                    f"School {sid[r]} ({stage.name_en}) {format_number(ca.n_classes[r])} classes, "
                    f"largest {format_number(largest)}, {format_number(ca.n_over[r])} over "
                    f"{ca.cap}: {met_en}.",
                    stage,
                )
    return findings, shortfalls
