"""The report of one county, as the page a superior reads.

First the answer: the verdict, each component with what it rests on, the county inputs not
supplied in one line that names the table to fill, and each stage's verdict with its two parts.
Then which schools fail and what each must add; then the CVs; then the schools left out, the
figures to check, every item not met or not evaluated, and the sources, each cited once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from eduequity._indicators import get_indicator
from eduequity._printed import printed
from eduequity._split import SPLIT_RESOURCES
from eduequity._status import Status
from eduequity._text import format_number
from eduequity.report._charts import cv_chart
from eduequity.report._document import (
    Block,
    Chart,
    Heading,
    Para,
    Table,
    component_name,
    county_name,
    cv_table,
    head_blocks,
    parts_text,
    quantity_text,
    stage_parts_of,
    verdict_parts,
)
from eduequity.report._labels import LABELS, status_label
from eduequity.report._model import CountyReport, StageReport
from eduequity.standards._model import SchoolRule, Standard

__all__ = ["county_blocks", "one_county_blocks"]

#: Finding kinds judged stage by stage (their component's explanation is the stages').
_STAGE_KINDS = ("balance", "balance_stage", "school_rule", "minimum", "slot")


def _inputs_missing(r: CountyReport) -> list[Mapping[str, Any]]:
    """The county items not evaluated because their input was not supplied."""
    return [p for p in r.problems if p["kind"] == "county_item" and p["status"] == "not_evaluated"]


def _join(items: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _explain(r: CountyReport, standard: Standard, component: str, lang: str) -> str:
    """What a component's status rests on, in a few words."""
    t = LABELS[lang]
    sep = "：" if lang == "zh" else ": "
    if component == standard.balance.component:
        return ("；" if lang == "zh" else "; ").join(
            f"{s.stage.name_zh if lang == 'zh' else s.stage.name_en}{sep}"
            + parts_text(
                stage_parts_of(s, standard, lang)[: len(s.joined)],  # the parts it joins
                lang,
                inner=True,
            )
            for s in r.stages
            if s.status is not Status.NOT_APPLICABLE
        )
    mine = [p for p in r.problems if p["component"] == component]
    if not mine:
        return ""
    failed = sum(p["status"] == "failed" for p in mine)
    missing = sum(p["kind"] == "county_item" and p["status"] == "not_evaluated" for p in mine)
    other = sum(p["status"] == "not_evaluated" for p in mine) - missing
    words = []
    if failed:
        words.append(t["n_not_met"].format(n=failed))
    if other:
        words.append(t["n_not_evaluated"].format(n=other))
    if missing:
        words.append(t["n_inputs_missing"].format(n=missing))
    return _join(words, lang)


def components_table(r: CountyReport, standard: Standard, lang: str) -> Table:
    """Each component: its status and what it rests on."""
    t = LABELS[lang]
    return Table(
        [t["component"], t["status"], t["explain"]],
        [
            [
                c.name_zh if lang == "zh" else c.name_en,
                status_label(r.components[c.id], lang),
                _explain(r, standard, c.id, lang),
            ]
            for c in standard.components
        ],
        status_cols=(1,),
    )


def stages_table(r: CountyReport, standard: Standard, lang: str) -> Table:
    """Each stage: its verdict, named for its component, and each part under its own name."""
    t = LABELS[lang]
    shown = [s for s in r.stages if s.status is not Status.NOT_APPLICABLE] or list(r.stages)
    first = shown[0]
    names = [
        n
        for n, _ in verdict_parts(
            first.cv_status, first.school_rule_status, None, first.joined, standard, lang
        )
    ]
    rows = []
    for s in shown:
        parts = stage_parts_of(s, standard, lang)
        rows.append(
            [
                s.stage.name_zh if lang == "zh" else s.stage.name_en,
                status_label(s.status, lang),
                *(text for _, text in parts),
                str(s.n_schools),
                format_number(s.enrollment),
            ]
        )
    header = [t["stage"], component_name(standard, first.component, lang), *names]
    return Table(
        [*header, t["n_schools"], t["n_students"]],
        rows,
        status_cols=tuple(range(1, 2 + len(names))),
    )


def _without_empty(table: Table, column: int) -> Table:
    """``table`` without ``column`` where no row has a value in it (schools without names)."""
    if any(row[column] for row in table.rows):
        return table
    keep = [k for k in range(len(table.header)) if k != column]
    return Table(
        [table.header[k] for k in keep],
        [[row[k] for k in keep] for row in table.rows],
        status_cols=tuple(k - (k > column) for k in table.status_cols if k != column),
    )


def _totals(r: CountyReport, lang: str) -> tuple[str, bool]:
    """What the county must add in all, per resource: a school's split resource (room area,
    equipment...) once, the largest of its stages' needs, since adding to the school serves
    every stage; people per stage. And whether some school lacks a split resource in two
    stages (so the total is less than the rows' sum)."""
    per_school: dict[tuple[str, str, str], float] = {}
    shared = False
    for f in r.failing:
        for res, q in f.add.items():
            split = res in SPLIT_RESOURCES
            stage = "" if split or f.stage is None else f.stage.value
            key = (f.school_id, res, stage)
            shared |= split and key in per_school
            per_school[key] = max(per_school.get(key, 0.0), q)
    totals: dict[str, float] = {}
    for (_, res, _), q in per_school.items():
        totals[res] = totals.get(res, 0.0) + q
    text = ("；" if lang == "zh" else "; ").join(
        quantity_text(res, round(q, 2), lang) for res, q in totals.items()
    )
    return text, shared


def _school_adds(r: CountyReport, lang: str) -> Table | None:
    """The stage parts that must add resources for the school rule, failing ones first."""
    t = LABELS[lang]
    zh = lang == "zh"
    mine = [f for f in r.failing if f.stage is not None]
    if not mine:
        return None
    mine.sort(key=lambda f: (f.status is not Status.FAILED,))
    table = Table(
        [t["school"], t["name"], t["stage"], t["status"], t["met"], t["add"]],
        [
            [
                f.school_id,
                f.name,
                "" if f.stage is None else (f.stage.name_zh if zh else f.stage.name_en),
                "" if f.status is None else status_label(f.status, lang),
                f.met,
                ("；" if zh else "; ").join(
                    quantity_text(res, q, lang) for res, q in f.add.items()
                ),
            ]
            for f in mine
        ],
        status_cols=(3,),
    )
    return _without_empty(table, 1)


def _not_least(standard: Standard, lang: str) -> str | None:
    """Where the school rule lets a school miss some minimums, that the shortfalls against
    each are not what it must add to pass (None where every minimum must be met)."""
    school = standard.school_standard
    if school is None or school.rule is not SchoolRule.AT_LEAST or school.min_met is None:
        return None
    per_stage: dict[object, int] = {}
    for m in school.minimums:
        per_stage[m.stage] = per_stage.get(m.stage, 0) + 1
    n = max(per_stage.values(), default=0) - school.min_met
    if n <= 0:
        return None
    floor = "" if school.floor_fraction is None else f"{school.floor_fraction:.0%}"
    return LABELS[lang]["adds_not_least"].format(n=n, floor=floor)


def _room_adds(r: CountyReport, standard: Standard, lang: str) -> list[Block]:
    """The schools that must add rooms or room area, with the component they count in."""
    t = LABELS[lang]
    mine = [f for f in r.failing if f.stage is None]
    if not mine:
        return []
    component = "" if standard.rooms is None else standard.rooms.component
    title = t["room_adds"].format(
        component=component_name(standard, component, lang) if component else ""
    )
    return [
        Heading(3, title),
        _without_empty(
            Table(
                [t["school"], t["name"], t["add"]],
                [
                    [
                        f.school_id,
                        f.name,
                        ("；" if lang == "zh" else "; ").join(
                            quantity_text(res, q, lang) for res, q in f.add.items()
                        ),
                    ]
                    for f in mine
                ],
            ),
            1,
        ),
    ]


def _school_value(value: float, minimum: float) -> str:
    """A school's value as the national forms print it, to 0.01 rounded half up (as the
    Chinese tables give it); a value below the minimum that would round up to it is cut to the
    first decimal that shows it below (4.499, not 4.50 beside ≥4.5: ``eduequity._printed``)."""
    shown, places = printed(np.array([value]), np.array([2]), np.array([minimum]), ">=")
    digits = int(places[0])
    if digits > 2:
        return f"{shown[0]:.{digits}f}".rstrip("0").rstrip(".")
    return format_number(float(shown[0]))


def _values_table(s: StageReport, lang: str) -> Table | None:
    """Each school's value of each indicator the school rule judges, ✗ below the minimum."""
    if not s.schools or not s.minimums:
        return None
    t = LABELS[lang]
    inds = list(s.minimums)
    header = [t["school"], t["name"], t["met"]]
    for i in inds:
        ind = get_indicator(i)
        name = ind.name_zh if lang == "zh" else ind.name_en
        header.append(f"{name} (≥{format_number(s.minimums[i])})")
    rows, flagged = [], set()
    order = sorted(s.schools, key=lambda x: int(x.met.split("/")[0]))
    for k, sch in enumerate(order):
        row = [sch.school_id, sch.name, sch.met]
        for j, i in enumerate(inds):
            v = sch.values[i]
            if math.isnan(v):
                row.append(t["not_reported"])
            elif v < s.minimums[i]:
                row.append(f"{_school_value(v, s.minimums[i])} ✗")
                flagged.add((k, 3 + j))
            else:
                row.append(_school_value(v, s.minimums[i]))
        rows.append(row)
    table = Table(header, rows, flagged=frozenset(flagged), wrap_header=True)
    if any(row[1] for row in rows):
        return table
    return Table(
        [h for k, h in enumerate(header) if k != 1],
        [[c for k, c in enumerate(row) if k != 1] for row in rows],
        flagged=frozenset((r, c - 1) for r, c in flagged),
        wrap_header=True,
    )


def _cv_blocks(s: StageReport, standard: Standard, lang: str, charts: bool) -> list[Block]:
    t = LABELS[lang]
    stage = s.stage.name_zh if lang == "zh" else s.stage.name_en
    parts = stage_parts_of(s, standard, lang)
    blocks: list[Block] = [
        Heading(3, t["stage_cvs"].format(stage=stage)),
        Para(f"{parts[0][0]}{'：' if lang == 'zh' else ': '}{parts[0][1]}"),
        cv_table(s, lang),
    ]
    if s.n_schools == 1:  # a CV over one school is 0 by the formula: nothing is compared
        blocks.append(Para(t["one_school"]))
    if charts:
        blocks.append(Chart(f"{stage} · {t['cv_chart']}", cv_chart(s, lang)))
        values = _values_table(s, lang)
        if values is not None:
            blocks += [Heading(3, t["school_values"].format(stage=stage)), values]
    return blocks


def _reported_blocks(r: CountyReport, standard: Standard, lang: str) -> list[Block]:
    """The figures reported beside the verdicts, part of none: each stage's staff against the
    staffing standard, and its classes by band."""
    t = LABELS[lang]
    shown = [s for s in r.stages if s.reported]
    zh = lang == "zh"
    blocks: list[Block] = []
    rule = standard.staffing
    if rule is not None and any("staffing_status" in s.reported for s in shown):
        rows = []
        for s in shown:
            f = s.reported
            ratio = rule.students_per_staff.get(s.stage)
            lacking = f["staff_shortfall"]
            rows.append(
                [
                    s.stage.name_zh if zh else s.stage.name_en,
                    "" if ratio is None else f"1:{format_number(ratio)}",
                    format_number(f["staff_required"]),
                    t["not_reported"] if lacking is None else format_number(lacking),
                    status_label(f["staffing_status"], lang),
                ]
            )
        blocks += [
            Heading(3, t["staffing_heading"]),
            Table(
                [
                    t["stage"],
                    t["staffing_ratio"],
                    t["staff_required"],
                    t["staff_shortfall"],
                    t["staffing"],
                ],
                rows,
                status_cols=(4,),
            ),
        ]
    if standard.class_size is not None and any("classes_large" in s.reported for s in shown):
        names = ["within_cap", "over_cap", "large", "super_large"]
        blocks += [
            Heading(3, t["classes_heading"]),
            Table(
                [t["stage"], *(t[f"classes_{n}"] for n in names), t["classes_not_reported"]],
                [
                    [
                        s.stage.name_zh if zh else s.stage.name_en,
                        *(
                            t["not_reported"]  # no school of the stage reported its classes
                            if s.reported[f"classes_{n}"] is None
                            else format_number(s.reported[f"classes_{n}"])
                            for n in names
                        ),
                        format_number(s.reported["n_schools_classes_not_reported"]),
                    ]
                    for s in shown
                    if "classes_large" in s.reported
                ],
            ),
        ]
    return blocks


def _sources(problems: Sequence[Mapping[str, Any]], lang: str) -> dict[str, int]:
    """Each citation once, numbered in the order of first use."""
    key = "citation_zh" if lang == "zh" else "citation"
    numbers: dict[str, int] = {}
    for p in problems:
        numbers.setdefault(p[key], len(numbers) + 1)
    return numbers


def county_blocks(r: CountyReport, standard: Standard, lang: str, charts: bool) -> list[Block]:
    """A county, answer first: the verdict, the components, the county inputs not supplied,
    each stage; the schools that must add resources; the CVs; then the details and sources."""
    t = LABELS[lang]
    blocks: list[Block] = [
        Heading(2, f"{t['county']} {county_name(r.code, r.name)}"),
        Para(
            f"{t['verdict']}{'：' if lang == 'zh' else ': '}{status_label(r.status, lang)}",
            status=r.status.value,
        ),
        components_table(r, standard, lang),
    ]
    missing = _inputs_missing(r)
    if missing:
        where = sorted(
            {p["component"] for p in missing},
            key=lambda c: [x.id for x in standard.components].index(c),
        )
        blocks.append(
            Para(
                t["inputs_missing"].format(
                    n=len(missing),
                    components=_join([component_name(standard, c, lang) for c in where], lang),
                )
            )
        )
    blocks += [Heading(3, t["stages_verdict"]), stages_table(r, standard, lang)]
    # A stage without a school that counts is not in the table: say so, not leave it out.
    absent = [s for s in r.stages if s.status is Status.NOT_APPLICABLE and not s.n_schools]
    if absent and len(absent) < len(r.stages):
        names = [s.stage.name_zh if lang == "zh" else s.stage.name_en for s in absent]
        blocks.append(Para(t["stage_absent"].format(stages=_join(names, lang))))
    adds = _school_adds(r, lang)
    blocks.append(Heading(3, t["school_adds"]))
    note = _not_least(standard, lang)
    if r.failing and note is not None:
        blocks.append(Para(note))
    if r.failing:
        sep = "：" if lang == "zh" else ": "
        total, shared = _totals(r, lang)
        blocks.append(Para(f"{t['county_total']}{sep}{total}"))
        if shared:  # the total is then less than the rows' sum: say why
            blocks.append(Para(t["county_total_shared"]))
    if adds is not None:
        blocks.append(adds)
    # A school stage whose rule could not be evaluated has shortfalls no one knows: say so,
    # not "none".
    unknown = sum(row.status is Status.NOT_EVALUATED for s in r.stages for row in s.schools)
    if unknown and standard.school_standard:
        blocks.append(Para(t["adds_unknown"].format(n=unknown)))
    elif adds is None:
        blocks.append(Para(t["none"] if standard.school_standard else t["no_school_standard"]))
    blocks += _room_adds(r, standard, lang)
    for s in r.stages:
        if s.status is not Status.NOT_APPLICABLE:
            blocks += _cv_blocks(s, standard, lang, charts)
    blocks += _reported_blocks(r, standard, lang)
    blocks.append(Heading(3, t["excluded"]))
    if r.excluded:
        blocks.append(
            Table(
                [t["school"], t["name"], t["reason"]],
                [[sid, name, zh if lang == "zh" else en] for sid, name, zh, en in r.excluded],
            )
        )
    else:
        blocks.append(Para(t["none"]))
    if r.data_warnings:
        blocks.append(Heading(3, t["warnings"]))
        blocks.append(
            Table(
                [t["school"], t["name"], t["warning"]],
                [[sid, name, text] for sid, name, text in r.data_warnings],
            )
        )
    blocks.append(Heading(3, t["problems"]))
    # Each citation once, in the sources below; the county items not supplied are one row
    # (their rules are in the county-inputs table, with their sources).
    listed = [p for p in r.problems if p not in missing]
    numbers = _sources(listed, lang)
    key = "citation_zh" if lang == "zh" else "citation"
    rows = [
        [status_label(p["status"], lang), p[f"message_{lang}"], f"[{numbers[p[key]]}]"]
        for p in listed
    ]
    if missing:
        rows.append(
            [
                status_label(Status.NOT_EVALUATED, lang),
                t["inputs_row"].format(n=len(missing)),
                "",
            ]
        )
    if not rows:
        blocks.append(Para(t["none"]))
        return blocks
    blocks.append(Table([t["status"], t["message"], t["source"]], rows, status_cols=(0,)))
    if numbers:
        blocks.append(Heading(3, t["sources"]))
        blocks += [Para(f"[{n}] {citation}") for citation, n in numbers.items()]
    return blocks


def one_county_blocks(
    r: CountyReport, standard: Standard, lang: str, charts: bool, data: str | None = None
) -> list[Block]:
    """The report of one county (``data``: the line naming the data, under the head)."""
    return [
        *head_blocks(standard, lang, data),
        *county_blocks(r, standard, lang, charts),
    ]
