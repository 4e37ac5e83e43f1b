"""A plain, slow reference implementation of the 2012 and 2017 school-balance computations.

Written from the published rules (教督〔2012〕3号; 教督〔2017〕6号 with the 2019 procedure) as
loops over schools, sharing no code with the library: its own scope, split, indicators,
thresholds and CV. The tests compare both of the library's doors with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STAGES = ("primary", "junior")

# name -> (resource, scale, where): "stage" resources are reported per stage, "school" ones
# belong to the school and are split between the stages of a multi-stage school.
BASIC_2012 = {
    "room_area_per_student": ("room_area", 1, "school"),
    "sports_area_per_student": ("sports_area", 1, "school"),
    "equipment_value_per_student": ("equipment_value", 1, "school"),
    "computers_per_100_students": ("computers", 100, "school"),
    "books_per_student": ("books", 1, "school"),
    "teachers_per_student": ("teachers", 1, "stage"),
    "teachers_above_qualification_per_student": ("teachers_above_qualification", 1, "stage"),
    "teachers_intermediate_title_per_student": ("teachers_intermediate_title", 1, "stage"),
}
QUALITY_2017 = {
    "teachers_above_qualification_per_100_students": ("teachers_above_qualification", 100, "stage"),
    "teachers_backbone_per_100_students": ("teachers_backbone", 100, "stage"),
    "teachers_pe_arts_per_100_students": ("teachers_pe_arts", 100, "stage"),
    "room_area_per_student": ("room_area", 1, "school"),
    "sports_area_per_student": ("sports_area", 1, "school"),
    "equipment_value_per_student": ("equipment_value", 1, "school"),
    "multimedia_rooms_per_100_students": ("multimedia_rooms", 100, "school"),
}
# 2017, 第五条: each school's minimums, in the order of QUALITY_2017.
MINIMUMS_2017 = {
    "primary": (4.2, 1.0, 0.9, 4.5, 7.5, 2000.0, 2.3),
    "junior": (5.3, 1.0, 0.9, 5.8, 10.2, 2500.0, 2.4),
}
MAXIMUM = {
    "cn-basic-2012": {"primary": 0.65, "junior": 0.55},
    "cn-quality-2017": {"primary": 0.50, "junior": 0.45},
}


@dataclass
class Part:
    """One stage of one school in scope."""

    school_id: str
    stage: str
    enrollment: float
    values: dict[str, float | None] = field(default_factory=dict)


@dataclass
class StageOutcome:
    n_parts: int
    cvs: dict[str, float | str]  # a CV, or "missing" / "undefined"
    composite: float | None
    status: str


@dataclass
class Outcome:
    stages: dict[str, StageOutcome]
    school_rule: dict[tuple[str, str], tuple[str, int]]  # (id, stage) -> (status, n_met)
    excluded: set[str]


def in_scope(school: Any, standard: str) -> bool:
    kind = school.kind.value
    if standard == "cn-basic-2012":
        if not school.public or not school.county_run:
            return False
        return bool(kind not in ("teaching_point", "special_education", "vocational"))
    if kind in ("special_education", "vocational"):
        return False
    if kind == "teaching_point":
        students = sum(s.enrollment for s in (school.primary, school.junior) if s is not None)
        return bool(students >= 50)
    return True


def stage_share(school: Any, stage: str) -> float:
    """The stage's share of a school's physical resources (weighted enrollment)."""
    a = float(school.primary.enrollment) if school.primary is not None else 0.0
    b = float(school.junior.enrollment) if school.junior is not None else 0.0
    c = float(school.senior_enrollment)
    kind = school.kind.value
    if kind == "nine_year":
        total = a + 1.1 * b
        return a / total if stage == "primary" else 1.1 * b / total
    if kind == "twelve_year":
        total = a + 1.1 * b + 1.32 * c
        return a / total if stage == "primary" else 1.1 * b / total
    if kind == "complete_secondary":
        return b / (b + 1.2 * c)
    return 1.0


def parts_of(county: Any, standard: str, indicators: dict[str, tuple[str, int, str]]) -> list[Part]:
    out = []
    for school in county.schools:
        if not in_scope(school, standard):
            continue
        for stage in STAGES:
            data = getattr(school, stage)
            if data is None:
                continue
            part = Part(school.id, stage, float(data.enrollment))
            for name, (resource, scale, where) in indicators.items():
                if where == "stage":
                    amount = getattr(data, resource)
                else:
                    whole = getattr(school, resource)
                    amount = None if whole is None else whole * stage_share(school, stage)
                part.values[name] = None if amount is None else amount * scale / data.enrollment
            out.append(part)
    return out


def weighted_cv(values: Sequence[float], weights: Sequence[float]) -> float | str:
    """Population CV weighted by enrollment; "undefined" where the mean is 0."""
    total = sum(weights)
    mean = sum(w * x for x, w in zip(values, weights, strict=True)) / total
    if mean == 0:
        return "undefined"
    var = sum(w * (x - mean) ** 2 for x, w in zip(values, weights, strict=True)) / total
    return math.sqrt(var) / mean


def evaluate(county: Any, standard: str) -> Outcome:
    indicators = BASIC_2012 if standard == "cn-basic-2012" else QUALITY_2017
    parts = parts_of(county, standard, indicators)
    stages = {}
    for stage in STAGES:
        mine = [p for p in parts if p.stage == stage]
        maximum = MAXIMUM[standard][stage]
        if not mine:
            stages[stage] = StageOutcome(0, {}, None, "not_applicable")
            continue
        cvs: dict[str, float | str] = {}
        for name in indicators:
            values = [p.values[name] for p in mine]
            if any(v is None for v in values):
                cvs[name] = "missing"
            else:
                cvs[name] = weighted_cv([float(v) for v in values], [p.enrollment for p in mine])  # type: ignore[arg-type]
        numbers = [v for v in cvs.values() if isinstance(v, float)]
        composite = sum(numbers) / len(numbers) if len(numbers) == len(cvs) else None
        if "undefined" in cvs.values():
            status = "failed"
        elif standard == "cn-basic-2012":
            if composite is None:
                status = "not_evaluated"
            else:
                status = "passed" if composite <= maximum else "failed"
        elif any(v > maximum for v in numbers):
            status = "failed"
        elif "missing" in cvs.values():
            status = "not_evaluated"
        else:
            status = "passed"
        stages[stage] = StageOutcome(len(mine), cvs, composite, status)
    school_rule = {}
    if standard == "cn-quality-2017":
        for p in parts:
            met = missing = below_floor = 0
            for name, minimum in zip(QUALITY_2017, MINIMUMS_2017[p.stage], strict=True):
                value = p.values[name]
                if value is None:
                    missing += 1
                elif value >= minimum:
                    met += 1
                elif value < 0.85 * minimum:
                    below_floor += 1
            unmet = 7 - met - missing
            if unmet > 1 or below_floor:
                status = "failed"
            elif missing:
                status = "not_evaluated"
            else:
                status = "passed"
            school_rule[(p.school_id, p.stage)] = (status, met)
    excluded = {s.id for s in county.schools if not in_scope(s, standard)}
    return Outcome(stages, school_rule, excluded)


def borderline(value: float, threshold: float) -> bool:
    """Too close to the threshold for two implementations' last bits to agree on the side."""
    return abs(value - threshold) <= 1e-9 * max(abs(threshold), 1.0)


def near_minimum(part: Part) -> bool:
    """A value of the part so close to its minimum (or floor) that the last bits decide."""
    for name, minimum in zip(QUALITY_2017, MINIMUMS_2017[part.stage], strict=True):
        value = part.values[name]
        if value is not None and (borderline(value, minimum) or borderline(value, 0.85 * minimum)):
            return True
    return False
