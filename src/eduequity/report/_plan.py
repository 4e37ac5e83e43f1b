"""The report of a plan, one page for the analyst's superior: the cost first, then one row per
school (what it adds in words and its subtotal) and the schools failing today, then the details
(the CVs before and after, the totals by resource, every row of the plan, the years, what the
plan cannot cover); in Chinese or English; one county in full, or a summary of many."""

from __future__ import annotations

import json
import math
from typing import Any

import pyarrow as pa

from eduequity._arrow import group_sums
from eduequity._errors import ArgumentError
from eduequity._indicators import get_indicator
from eduequity._models import Stage
from eduequity._not_in_plan import RULE_NAMES, WHY, short_reasons
from eduequity._options import get_option
from eduequity._planning.additions import REASONS
from eduequity._planning.result import PlanView
from eduequity._planning.tables import RESOURCE_ORDER
from eduequity._schema import RESOURCE_NAMES
from eduequity._text import format_amount, format_cv, format_number
from eduequity.report._charts import change_chart
from eduequity.report._document import (
    Block,
    Chart,
    Heading,
    Para,
    Table,
    component_name,
    footer,
)
from eduequity.report._formats import FORMATS, render_blocks
from eduequity.report._labels import LABELS, check_lang, status_label
from eduequity.report._plan_words import (
    failing_lines,
    money,
    school_lines,
    summary_words,
    wan,
)
from eduequity.rules._shortfalls import RESOURCE_UNITS, unit_en

__all__ = ["plan_blocks", "render_plan"]

#: At most this many counties are shown one by one; more are summarised.
DETAIL_COUNTIES = 1

_CLASSES = ("班级", "classes", "个", "classes")


def _resource_name(resource: str, lang: str) -> str:
    if resource == "classes":
        return _CLASSES[0] if lang == "zh" else _CLASSES[1]
    zh, en = RESOURCE_NAMES[resource]
    return zh if lang == "zh" else en


def _quantity(resource: str, quantity: float, lang: str) -> str:
    if resource == "classes":
        unit = _CLASSES[2] if lang == "zh" else ("class" if quantity == 1 else "classes")
    else:
        unit = RESOURCE_UNITS[resource][0] if lang == "zh" else unit_en(resource, quantity)
    text = format_amount(quantity)  # as the summary above writes it (3,784.89平方米)
    return f"{text}{unit}" if lang == "zh" else f"{text} {unit}"


def _money(value: float | None, lang: str) -> str:
    if value is None or math.isnan(value):
        return LABELS[lang]["unpriced"]
    return f"{value:,.0f}"


def _stage_name(value: str | None, lang: str) -> str:
    if value is None:
        return ""
    stage = Stage(value)
    return stage.name_zh if lang == "zh" else stage.name_en


def _cv_blocks(row: dict[str, Any], plan: PlanView, lang: str, charts: bool) -> list[Block]:
    t = LABELS[lang]
    indicators = plan.standard.balance.indicators
    names = [
        get_indicator(i).name_zh if lang == "zh" else get_indicator(i).name_en for i in indicators
    ]
    before = [
        math.nan if row[f"cv_{i}_before"] is None else row[f"cv_{i}_before"] for i in indicators
    ]
    after = [math.nan if row[f"cv_{i}_after"] is None else row[f"cv_{i}_after"] for i in indicators]
    composite = plan.standard.balance.method.value == "composite"
    if composite:
        names.append(t["composite"])
        for values, key in ((before, "composite_cv_before"), (after, "composite_cv_after")):
            values.append(math.nan if row[key] is None else row[key])
    maximum = plan.standard.balance.maximum.get(Stage(row["stage"]))
    stage = _stage_name(row["stage"], lang)

    def cv(value: float) -> str:
        return t["not_reported"] if math.isnan(value) else format_cv(value)

    # The maximum beside what it bounds: every CV (2017), or their composite only (2012).
    bound = "" if maximum is None else format_number(maximum)
    rows = [
        [name, cv(b), cv(a), bound if not composite or k == len(names) - 1 else ""]
        for k, (name, b, a) in enumerate(zip(names, before, after, strict=True))
    ]
    colon = "：" if lang == "zh" else ": "
    blocks: list[Block] = [
        Heading(  # the stage's verdict, named for what it covers: its component
            3,
            f"{stage} · {component_name(plan.standard, plan.standard.balance.component, lang)}"
            f"{colon}{status_label(row['status_before'], lang)} → "
            f"{status_label(row['status_after'], lang)}",
        ),
        Para(
            f"{t['cv_rule']}{colon}"
            f"{status_label(row['balance_before'], lang)} → "
            f"{status_label(row['balance_after'], lang)}"
        ),
        Table([t["indicator"], t["before"], t["after"], t["max"]], rows),
    ]
    if charts:
        blocks.append(
            Chart(
                f"{stage} · {t['plan_chart']}",
                change_chart(names, before, after, maximum, lang, only_last=composite),
            )
        )
    return blocks


#: The teacher sub-counts: the teachers a plan adds to them are among its full-time teachers.
_OF_TEACHERS = (
    "teachers_backbone",
    "teachers_pe_arts",
    "teachers_above_qualification",
    "teachers_intermediate_title",
)


def _totals_rows(totals: pa.Table, lang: str) -> list[list[str]]:
    """The totals by resource; where full-time teachers are added, the teacher sub-counts
    and the staff follow them as parts of the same people ("其中", "of which")."""
    found = {r["resource"]: r for r in totals.to_pylist() if r["resource"] != "total"}
    zh = lang == "zh"
    order = sorted(found, key=lambda k: RESOURCE_ORDER.get(k, len(RESOURCE_ORDER)))
    marks: dict[str, str] = {}
    if "teachers" in found:
        parts = [k for k in _OF_TEACHERS if k in found]
        staff = ["staff"] if "staff" in found else []
        rest = [k for k in order if k not in ("teachers", *parts, *staff)]
        order = ["teachers", *parts, *staff, *rest]
        marks = dict.fromkeys(parts, "　其中：" if zh else "  of which: ")
    same = "（即上述专任教师）" if zh else " (the same teachers)"
    return [
        [
            marks.get(k, "") + _resource_name(k, lang) + (same if k == "staff" and marks else ""),
            _quantity(k, found[k]["quantity"], lang),
            _money(found[k]["cost"], lang),
        ]
        for k in order
    ]


def _totals_note(totals: pa.Table, lang: str) -> Para | None:
    """What the totals' teacher rows are, where full-time teachers are added."""
    resources = totals.column("resource").to_pylist()
    if "teachers" not in resources:
        return None
    w = PAGE[lang]
    return Para(w["teachers_note"] + (w["staff_note"] if "staff" in resources else w["no_sum"]))


def _county(code: str, name: str | None, lang: str) -> str:
    """A county as the pages name it: its name and its code."""
    if not name:
        return code
    return f"{name}（{code}）" if lang == "zh" else f"{name} ({code})"


def _not_in_rows(table: pa.Table, lang: str) -> list[list[str]]:
    """The rows of the not-in-plan table; the county items of one kind of reason as one row."""
    k = 0 if lang == "zh" else 1
    rows: list[list[str]] = []
    items: dict[tuple[str, str], int] = {}
    for r in table.to_pylist():
        if r["rule"].startswith("county_items."):
            key = (r["status"], r["why"])
            items[key] = items.get(key, 0) + 1
            continue
        rows.append(
            [
                RULE_NAMES.get(r["rule"], (r["rule"], r["rule"]))[k],
                _stage_name(r["stage"], lang),
                status_label(r["status"], lang),
                str(r["n"]),
                WHY[r["why"]][k],
            ]
        )
    for (status, why), n in items.items():
        name = RULE_NAMES["county_items"][k].format(n=n)
        rows.append([name, "", status_label(status, lang), "", WHY[why][k]])
    return rows


def _short_of(plan: PlanView, lang: str, short: bool) -> list[Block]:
    """Beside the headline, where some county stage does not pass what the plan covers: the
    rules it could not meet, with why (``short_reasons``)."""
    said = short_reasons(plan.not_in_plan, lang) if short else []
    if not said:
        return []
    title = LABELS[lang]["plan_not_in"]
    if lang == "zh":
        return [Para(f"未达到的原因（见「{title}」）：" + "；".join(said) + "。")]
    return [Para(f"Why not ({title.lower()}, below): " + "; ".join(said) + ".")]


def _priced_table(
    header: list[str], rows: list[list[str]], priced: bool, lang: str, sortable: bool = False
) -> Block:
    """A table whose last column is the cost: without costs, the column is left out."""
    if not rows:
        return Para(LABELS[lang]["none"])
    if not priced:
        header, rows = header[:-1], [r[:-1] for r in rows]
    return Table(header, rows, sortable=sortable)


#: The words of the page that are the plan's own, in Chinese and English.
PAGE: dict[str, dict[str, str]] = {
    "zh": {
        "intro": (
            "为使本县达到学校基本指标、学校达标规则、各项差异系数上限、音乐美术专用教室和班额要求，"
            "各校需增加的资源。规划已代入本县重新评估，规划后的结论由同一评估流程给出。"
            "每项规划值均落在标准以内至少一个计量单位（1元、0.01平方米；教师、计算机、图书、教室"
            "取整数且高于标准），按任何计算顺序复核都达标；音乐、美术专用教室整间新建。"
            "超过班额上限的每个班各自拆分为最少的班，所列增加班数是上限：在同年级各班之间调配"
            "学生，可能只需更少的班。"
        ),
        "headline": "规划总费用 {wan} 万元（{cost} 元），涉及 {n} 所学校。",
        "in_all": "合计需要：{words}。",
        "headline_free": "共 {n} 所学校需增加资源（未提供单价，仅列数量）。",
        "unpriced_teachers": "另需新聘教师 {n} 人，未提供教师单价，费用未计入。",
        "teachers_priced": "其中新聘教师 {n} 人，按每人每年单价计入一年费用 {wan} 万元。",
        "per_school": "各校需增加的资源及费用",
        "add": "需增加",
        "subtotal": "小计（元）",
        "failing": "目前未达标的学校",
        "failing_n": "目前有 {n} 所学校未达到规划所涵盖的要求：",
        "failing_unknown": "未评估：未提供省定办学基本标准，各校未按其评估，无从得知哪些学校未达标"
        "（见「{title}」）。",
        "fails": "未达标项目",
        "details": "详细情况",
        "hire_cost": "计入所聘岗位",
        "n_failing": "本学段目前未达标学校",
        "stage_change": "学段结论（规划前→后）",
        "cv_change": "差异系数（规划前→后）",
        "county_wide": "全县数字只列在该县第一行。",
        "teachers_note": (
            "专任教师一行是规划新聘教师的总人数；标“其中”的各行是这些教师中计入各项教师指标的"
            "人数（一位教师可计入不止一项；若规划含现有教师学历提升或职称、骨干评定，"
            "这部分不是新聘）"
        ),
        "staff_note": "，教职工一行也是同一批教师：各行不可相加。",
        "no_sum": "：各行不可相加。",
        "total_row": "合计",
    },
    "en": {
        "intro": (
            "What each school must add for the county to pass the per-school minimums, the "
            "school rule, every CV bound, the music and art rooms and the class sizes. The plan "
            "was applied to the county and evaluated again: the verdicts after it are the "
            "pipeline's. Every planned value lands at least one unit inside its threshold "
            "(1 yuan, 0.01 m²; teachers, computers, books and rooms whole and above it), so it "
            "passes in any order of arithmetic; music and art rooms are built whole. Each class "
            "over the cap is split into the fewest classes within it, so the classes added are "
            "an upper bound: moving pupils between a grade's classes may need fewer."
        ),
        "headline": "Cost of the plan: {cost} yuan, in {n} schools.",
        "in_all": "In all: {words}.",
        "headline_free": "{n} schools add resources (no costs were given: quantities only).",
        "unpriced_teachers": "Besides, {n} teachers are hired whose cost is not priced.",
        "teachers_priced": "Of which {cost} yuan are one year of the {n} teachers hired.",
        "per_school": "What each school adds, and its cost",
        "add": "To add",
        "subtotal": "Subtotal (yuan)",
        "failing": "Schools failing today",
        "failing_n": "{n} schools fail a rule the plan covers today:",
        "failing_unknown": "Not evaluated: the province's school standard was not given, so no "
        "school was judged against it and which schools fail it is not known (see "
        "«{title}»).",
        "fails": "Fails",
        "details": "Details",
        "hire_cost": "priced in the row hired for",
        "n_failing": "Schools of the stage failing today",
        "stage_change": "Stage verdict (before → after)",
        "cv_change": "CV rule (before → after)",
        "county_wide": "Figures of the whole county are on its first row only.",
        "teachers_note": (
            "The full-time teachers row is every teacher the plan hires; the rows marked "
            "“of which” are those of them that count in each teacher indicator (one teacher "
            "may count in more than one; existing teachers upgraded, if the plan upgrades, are "
            "not hired)"
        ),
        "staff_note": ", and the staff row is the same teachers again: the rows do not add up.",
        "no_sum": ": the rows do not add up.",
        "total_row": "Total",
    },
}


def _hired(additions: pa.Table) -> tuple[int, int, float]:
    """Teachers hired (the rows that add a teacher, ``hire`` rows aside), how many of them
    have no price, and the cost of those priced for a year."""
    hired = unpriced = 0
    cost = 0.0
    for r in additions.to_pylist():
        if r["reason"] in ("hire", "upgrade", "transfer_in", "transfer_out"):
            continue
        if RESOURCE_UNITS.get(r["resource"], ("",))[0] == "人":
            hired += int(r["quantity"])
            unpriced += int(r["quantity"]) if r["cost"] is None else 0
            cost += r["cost"] or 0.0
    return hired, unpriced, cost


def _headline(plan: PlanView, lang: str, n_schools: int) -> list[Block]:
    """The cost first, the schools it is spent in, the teachers hired or left unpriced."""
    w = PAGE[lang]
    if plan.costs is None:
        words = summary_words(plan.additions, lang, _min_area(plan))
        free: list[Block] = [Para(w["headline_free"].format(n=n_schools))]
        return [*free, Para(w["in_all"].format(words=words))] if words else free
    total = sum(r["cost"] or 0.0 for r in plan.totals.to_pylist() if r["resource"] == "total")
    cost = f"{total:,.0f}"
    blocks: list[Block] = [Para(w["headline"].format(wan=wan(total), cost=cost, n=n_schools))]
    words = summary_words(plan.additions, lang, _min_area(plan))
    if words:
        blocks.append(Para(w["in_all"].format(words=words)))
    hired, unpriced, salaries = _hired(plan.additions)
    if unpriced:
        blocks.append(Para(w["unpriced_teachers"].format(n=unpriced)))
    elif hired:
        text = w["teachers_priced"].format(n=hired, wan=wan(salaries), cost=f"{salaries:,.0f}")
        blocks.append(Para(text))
    return blocks


def _min_area(plan: PlanView) -> dict[str, float]:
    rooms = plan.standard.rooms
    return {} if rooms is None else {"music": rooms.music_min_area, "art": rooms.art_min_area}


def _school_table(plan: PlanView, lang: str) -> Block:
    """One row per school: what it adds in words and its subtotal; a total row."""
    t, w = LABELS[lang], PAGE[lang]
    priced = plan.costs is not None
    lines = school_lines(plan.additions, lang, _min_area(plan), priced)
    if not lines:
        return Para(t["none"])
    named = any(line.school_name for line in lines)
    header = [t["school"], *([t["name"]] if named else []), w["add"], w["subtotal"]]
    rows = []
    for line in lines:
        cost = money(line.cost, lang, t["unpriced"])
        if line.unpriced and line.cost:
            cost += f" + {t['unpriced']}"
        elif line.unpriced:
            cost = t["unpriced"]
        rows.append([line.school_id, *([line.school_name] if named else []), line.words, cost])
    if priced:
        total = sum(line.cost or 0.0 for line in lines)
        rows.append([w["total_row"], *([""] if named else []), "", f"{total:,.0f}"])
    else:
        header, rows = header[:-1], [r[:-1] for r in rows]
    return Table(header, rows)


def _failing_blocks(plan: PlanView, lang: str) -> list[Block]:
    t, w = LABELS[lang], PAGE[lang]
    lines = failing_lines(plan.failing, lang)
    blocks: list[Block] = [Heading(2, w["failing"])]
    if not lines:
        why = plan.not_in_plan.column("why").to_pylist()
        if "school_standard_not_given" in why:  # "none" would say every school was judged
            return [*blocks, Para(w["failing_unknown"].format(title=t["plan_not_in"]))]
        return [*blocks, Para(t["none"])]
    named = any(name for _, name, _ in lines)
    header = [t["school"], *([t["name"]] if named else []), w["fails"]]
    rows = [[school, *([name] if named else []), rules] for school, name, rules in lines]
    return [*blocks, Para(w["failing_n"].format(n=len(lines))), Table(header, rows)]


def _cost_cell(r: dict[str, Any], lang: str) -> str:
    """The cost of a row of the details: a hiring row's teacher is priced in the row of what
    they are hired for (never 0); a row without a price says so."""
    if r["reason"] == "hire":
        return PAGE[lang]["hire_cost"]
    return _money(r["cost"], lang)


def plan_blocks(plan: PlanView, lang: str = "en", charts: bool = True) -> list[Block]:
    """The report of ``plan`` as blocks (see the module): the cost first, then one row per
    school (what it adds in words and its subtotal) and the schools failing today, then the
    details."""
    check_lang(lang)
    t, w = LABELS[lang], PAGE[lang]
    zh = lang == "zh"
    std = plan.standard
    counties = plan.counties
    n = counties.num_rows
    ok = sum(bool(v) for v in counties.column("passes_after").to_pylist())
    n_schools = len(set(plan.additions.column("school_id").to_pylist()))
    blocks: list[Block] = [
        Heading(
            1, f"{t['plan_title']}{'：' if zh else ': '}{std.title_zh if zh else std.title_en}"
        ),
        *_headline(plan, lang, n_schools),
        Para(t["plan_summary"].format(ok=ok, n=n)),
        *_short_of(plan, lang, ok < n),
    ]
    priced = plan.costs is not None
    codes = list(dict.fromkeys(counties.column("county_code").to_pylist()))
    one = len(codes) <= DETAIL_COUNTIES
    if one:
        if codes:
            first = counties.slice(0, 1).to_pylist()[0]
            colon = "：" if zh else ": "
            name = _county(first["county_code"], first.get("county_name"), lang)
            blocks.insert(1, Para(f"{t['county']}{colon}{name}"))
        blocks += [Heading(2, w["per_school"]), _school_table(plan, lang)]
        blocks += _failing_blocks(plan, lang)
        blocks += [Heading(2, w["details"]), Para(w["intro"])]
        blocks.append(Heading(2, t["plan_cvs"]))
        for row in counties.to_pylist():
            blocks += _cv_blocks(row, plan, lang, charts)
        blocks.append(Heading(2, t["plan_totals"]))
        rows = _totals_rows(plan.totals, lang)
        blocks.append(_priced_table([t["resource"], t["quantity"], t["cost"]], rows, priced, lang))
        note = _totals_note(plan.totals, lang)
        blocks += [] if note is None else [note]
        blocks.append(Heading(2, t["plan_additions"]))
        adds = [
            [
                r["school_id"],
                r["school_name"] or "",
                _stage_name(r["stage"], lang),
                _resource_name(r["resource"], lang),
                _quantity(r["resource"], r["quantity"], lang),
                REASONS[r["reason"]][0 if zh else 1],
                _cost_cell(r, lang),
            ]
            for r in plan.additions.to_pylist()
        ]
        header = [t["school"], t["name"], t["stage"], t["resource"], t["quantity"], t["reason"]]
        blocks.append(_priced_table([*header, t["cost"]], adds, priced, lang, sortable=True))
    else:
        blocks.append(Heading(2, t["summary"]))
        # The schools adding in each county: its distinct (county, school) pairs, counted.
        pairs = group_sums(plan.additions, ["county_code", "school_id"], [])
        adding = group_sums(pairs, ["county_code"], [], count=True)
        n_adding = dict(
            zip(*(adding.column(c).to_pylist() for c in ("county_code", "count")), strict=True)
        )
        cost_of = {
            r["county_code"]: r["cost"] for r in plan.totals.to_pylist() if r["resource"] == "total"
        }
        rows = []
        shown: set[str] = set()
        for r in counties.to_pylist():
            code = r["county_code"]
            first = code not in shown  # the whole county's figures on its first row only
            shown.add(code)
            failing_here = r["n_schools_failing_before"]
            rows.append(
                [
                    _county(code, r.get("county_name"), lang),
                    _stage_name(r["stage"], lang),
                    f"{status_label(r['status_before'], lang)} → "
                    f"{status_label(r['status_after'], lang)}",
                    f"{status_label(r['balance_before'], lang)} → "
                    f"{status_label(r['balance_after'], lang)}",
                    "✓" if r["passes_after"] else "✗",
                    t["not_reported"] if failing_here is None else str(failing_here),
                    str(n_adding.get(code, 0)) if first else "",
                    _money(cost_of.get(code), lang) if first else "",
                ]
            )
        header = [t["county"], t["stage"], w["stage_change"], w["cv_change"]]
        header += [t["plan_passes"], w["n_failing"], t["n_adding"], t["county_cost"]]
        blocks.append(_priced_table(header, rows, priced, lang, sortable=True))
        blocks.append(Para(w["county_wide"]))
        blocks += [Heading(2, w["details"]), Para(w["intro"])]
        blocks.append(Heading(2, t["plan_totals"]))
        everywhere = group_sums(plan.totals, ["resource"], ["quantity", "cost"])
        rows = _totals_rows(everywhere, lang)
        blocks.append(_priced_table([t["resource"], t["quantity"], t["cost"]], rows, priced, lang))
        note = _totals_note(everywhere, lang)
        blocks += [] if note is None else [note]
    if plan.budget_per_year is not None:
        blocks.append(Heading(2, t["plan_years"]))
        blocks.append(Para(t["plan_budget"].format(budget=_money(plan.budget_per_year, lang))))

        def year(value: int | None) -> str:
            if value is None:
                return t["year_never"]
            return t["year_zero"] if value == 0 else str(value)

        names = dict(
            zip(
                counties.column("county_code").to_pylist(),
                counties.column("county_name").to_pylist()
                if "county_name" in counties.column_names
                else [None] * n,
                strict=True,
            )
        )
        rows = [
            [
                _county(r["county_code"], names.get(r["county_code"]), lang),
                _stage_name(r["stage"], lang),
                year(r["year_passes"]),
            ]
            for r in plan.years.to_pylist()
        ]
        blocks.append(Table([t["county"], t["stage"], t["year_passes"]], rows, sortable=True))
    blocks.append(Heading(2, t["plan_not_in"]))
    not_in = plan.not_in_plan
    if len(codes) > DETAIL_COUNTIES:
        not_in = group_sums(not_in, ["rule", "stage", "status", "why"], ["n"])
    rows = _not_in_rows(not_in, lang)
    header = [t["rule"], t["stage"], t["status"], t["n"], t["why"]]
    blocks.append(Table(header, rows) if rows else Para(t["none"]))
    blocks.append(footer(lang))
    return blocks


def render_plan(
    plan: PlanView,
    format: str = "md",
    lang: str | None = None,
    *,
    charts: bool = True,
) -> str:
    """The report of ``plan`` as ``"text"``, ``"md"``, ``"html"`` (charts inline) or
    ``"json"`` (the counties, totals, each school's additions in words with its subtotal, the
    schools failing today and the not-in-plan table; the additions are a table).

    ``lang`` ("en" or "zh") is by default the ``lang`` option
    (:func:`eduequity.set_options`), as for :func:`eduequity.report.render`.

    Examples
    --------
    >>> import eduequity as ee
    >>> text = render_plan(ee.plan(ee.datasets.sample_county(), "cn-quality-2017"), "text", "zh")
    >>> text.splitlines()[0]
    '达标规划：县域义务教育优质均衡发展督导评估办法'
    """
    lang = lang or get_option("lang")
    check_lang(lang)
    if format not in FORMATS:
        raise ArgumentError(f"render_plan: format must be one of {FORMATS}. Got {format!r}.")
    if format == "json":
        doc = {
            "standard": plan.standard.id,
            "lang": lang,
            "passes": plan.passes,
            "counties": plan.counties.to_pylist(),
            "totals": plan.totals.to_pylist(),
            "schools": [
                {
                    "school_id": line.school_id,
                    "school_name": line.school_name,
                    "add": line.words,
                    "cost": line.cost,
                    "rows_unpriced": line.unpriced,
                }
                for line in school_lines(
                    plan.additions, lang, _min_area(plan), plan.costs is not None
                )
            ],
            "failing": plan.failing.to_pylist(),
            "not_in_plan": [
                {**r, "why_text": WHY[r["why"]][0 if lang == "zh" else 1]}
                for r in plan.not_in_plan.to_pylist()
            ],
        }
        return json.dumps(doc, ensure_ascii=False, indent=1, default=_nan_none)
    blocks = plan_blocks(plan, lang, charts and format == "html")
    return render_blocks(blocks, format, lang)


def _nan_none(value: Any) -> Any:
    return None
