"""The report of a plan: what each school adds, the totals, the CVs before and after, and what
the plan cannot cover, in Chinese or English; one county in full, or a summary of many."""

from __future__ import annotations

import json
import math
from typing import Any

import pyarrow as pa

from eduequity.indicators import get_indicator
from eduequity.models import Stage
from eduequity.planning.additions import REASONS
from eduequity.planning.result import PlanView
from eduequity.planning.tables import WHY
from eduequity.report.charts import change_chart
from eduequity.report.document import Block, Chart, Heading, Para, Table
from eduequity.report.formats import FORMATS, render_blocks
from eduequity.report.labels import LABELS, check_lang, status_label
from eduequity.rules.shortfalls import RESOURCE_UNITS, unit_en
from eduequity.schema import RESOURCE_NAMES
from eduequity.text import format_cv, format_number

__all__ = ["plan_blocks", "render_plan"]

#: At most this many counties are shown one by one; more are summarised.
DETAIL_COUNTIES = 1

_CLASSES = ("班级", "classes", "个", "classes")

#: The rules of a plan's "not in the plan" table, in Chinese and English.
RULE_NAMES = {
    "balance": ("差异系数", "CV bound"),
    "school_standard": ("学校指标", "school minimums and rule"),
    "class_size": ("班额", "class size"),
    "school_size": ("学校规模", "school size"),
    "rooms.music_rooms": ("音乐专用教室", "music rooms"),
    "rooms.art_rooms": ("美术专用教室", "art rooms"),
    "rooms.music_room_area": ("音乐专用教室面积", "music room area"),
    "rooms.art_room_area": ("美术专用教室面积", "art room area"),
    "county_items": ("县级指标（{n}项）", "county items ({n})"),
}


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
    return (
        f"{format_number(quantity)}{unit}" if lang == "zh" else f"{format_number(quantity)} {unit}"
    )


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
    if plan.standard.balance.method.value == "composite":
        names.append(t["composite"])
        for values, key in ((before, "composite_cv_before"), (after, "composite_cv_after")):
            values.append(math.nan if row[key] is None else row[key])
    maximum = plan.standard.balance.maximum.get(Stage(row["stage"]))
    stage = _stage_name(row["stage"], lang)

    def cv(value: float) -> str:
        return t["not_reported"] if math.isnan(value) else format_cv(value)

    rows = [
        [name, cv(b), cv(a), "" if maximum is None else format_number(maximum)]
        for name, b, a in zip(names, before, after, strict=True)
    ]
    colon = "：" if lang == "zh" else ": "
    blocks: list[Block] = [
        Heading(
            3,
            f"{stage}{colon}{status_label(row['balance_before'], lang)} → "
            f"{status_label(row['balance_after'], lang)}",
        ),
        Table([t["indicator"], t["before"], t["after"], t["max"]], rows),
    ]
    if charts:
        blocks.append(
            Chart(f"{stage} · {t['plan_chart']}", change_chart(names, before, after, maximum, lang))
        )
    return blocks


def _totals_rows(totals: pa.Table, lang: str) -> list[list[str]]:
    rows = []
    for r in totals.to_pylist():
        if r["resource"] == "total":
            continue
        rows.append(
            [
                _resource_name(r["resource"], lang),
                _quantity(r["resource"], r["quantity"], lang),
                _money(r["cost"], lang),
            ]
        )
    return rows


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


def _priced_table(
    header: list[str], rows: list[list[str]], priced: bool, lang: str, sortable: bool = False
) -> Block:
    """A table whose last column is the cost: without costs, the column is left out."""
    if not rows:
        return Para(LABELS[lang]["none"])
    if not priced:
        header, rows = header[:-1], [r[:-1] for r in rows]
    return Table(header, rows, sortable=sortable)


def plan_blocks(plan: PlanView, lang: str = "en", charts: bool = True) -> list[Block]:
    """The report of ``plan`` as blocks (see the module)."""
    check_lang(lang)
    t = LABELS[lang]
    zh = lang == "zh"
    std = plan.standard
    counties = plan.counties
    n = counties.num_rows
    ok = sum(bool(v) for v in counties.column("passes_after").to_pylist())
    blocks: list[Block] = [
        Heading(
            1, f"{t['plan_title']}{'：' if zh else ': '}{std.title_zh if zh else std.title_en}"
        ),
        Para(t["plan_intro"]),
        Para(t["plan_summary"].format(ok=ok, n=n)),
    ]
    total = [r["cost"] for r in plan.totals.to_pylist() if r["resource"] == "total"]
    priced = plan.costs is not None
    if not priced:
        blocks.append(Para(t["plan_no_cost"]))
    else:
        blocks.append(Para(t["plan_cost"].format(cost=_money(sum(total), lang))))
    codes = list(dict.fromkeys(counties.column("county_code").to_pylist()))
    if len(codes) <= DETAIL_COUNTIES:
        blocks.append(Heading(2, t["plan_cvs"]))
        for row in counties.to_pylist():
            blocks += _cv_blocks(row, plan, lang, charts)
        blocks.append(Heading(2, t["plan_totals"]))
        rows = _totals_rows(plan.totals, lang)
        blocks.append(_priced_table([t["resource"], t["quantity"], t["cost"]], rows, priced, lang))
        blocks.append(Heading(2, t["plan_additions"]))
        adds = [
            [
                r["school_id"],
                r["school_name"] or "",
                _stage_name(r["stage"], lang),
                _resource_name(r["resource"], lang),
                _quantity(r["resource"], r["quantity"], lang),
                REASONS[r["reason"]][0 if zh else 1],
                _money(r["cost"], lang),
            ]
            for r in plan.additions.to_pylist()
        ]
        header = [t["school"], t["name"], t["stage"], t["resource"], t["quantity"], t["reason"]]
        blocks.append(_priced_table([*header, t["cost"]], adds, priced, lang, sortable=True))
    else:
        blocks.append(Heading(2, t["summary"]))
        adding = plan.additions.group_by("county_code", use_threads=False).aggregate(
            [("school_id", "count_distinct")]
        )
        n_adding = dict(
            zip(*(adding.column(c).to_pylist() for c in adding.column_names), strict=True)
        )
        cost_of = {
            r["county_code"]: r["cost"] for r in plan.totals.to_pylist() if r["resource"] == "total"
        }
        rows = [
            [
                r["county_code"],
                _stage_name(r["stage"], lang),
                status_label(r["balance_before"], lang),
                status_label(r["balance_after"], lang),
                "✓" if r["passes_after"] else "✗",
                str(n_adding.get(r["county_code"], 0)),
                _money(cost_of.get(r["county_code"]), lang),
            ]
            for r in counties.to_pylist()
        ]
        header = [t["county"], t["stage"], t["balance_before"], t["balance_after"]]
        header.append(t["plan_passes"])
        header += [t["n_adding"], t["county_cost"]]
        blocks.append(_priced_table(header, rows, priced, lang, sortable=True))
        blocks.append(Heading(2, t["plan_totals"]))
        everywhere = plan.totals.group_by("resource", use_threads=False).aggregate(
            [("quantity", "sum"), ("cost", "sum")]
        )
        rows = _totals_rows(everywhere.rename_columns(["resource", "quantity", "cost"]), lang)
        blocks.append(_priced_table([t["resource"], t["quantity"], t["cost"]], rows, priced, lang))
    if plan.budget_per_year is not None:
        blocks.append(Heading(2, t["plan_years"]))
        blocks.append(Para(t["plan_budget"].format(budget=_money(plan.budget_per_year, lang))))

        def year(value: int | None) -> str:
            if value is None:
                return t["year_never"]
            return t["year_zero"] if value == 0 else str(value)

        rows = [
            [r["county_code"], _stage_name(r["stage"], lang), year(r["year_passes"])]
            for r in plan.years.to_pylist()
        ]
        blocks.append(Table([t["county"], t["stage"], t["year_passes"]], rows, sortable=True))
    blocks.append(Heading(2, t["plan_not_in"]))
    not_in = plan.not_in_plan
    if len(codes) > DETAIL_COUNTIES:
        not_in = (
            not_in.group_by(["rule", "stage", "status", "why"], use_threads=False)
            .aggregate([("n", "sum")])
            .rename_columns(["rule", "stage", "status", "why", "n"])
        )
    rows = _not_in_rows(not_in, lang)
    header = [t["rule"], t["stage"], t["status"], t["n"], t["why"]]
    blocks.append(Table(header, rows) if rows else Para(t["none"]))
    blocks.append(Para(t["generated"]))
    return blocks


def render_plan(
    plan: PlanView, format: str = "md", lang: str = "en", *, charts: bool = True
) -> str:
    """The report of ``plan`` as ``"text"``, ``"md"``, ``"html"`` (charts inline) or
    ``"json"`` (the counties, totals and not-in-plan tables; the additions are a table).

    Examples
    --------
    >>> import eduequity as ee
    >>> text = render_plan(ee.plan(ee.datasets.sample_county()), "text", "zh")
    >>> text.splitlines()[0]
    '达标规划：县域义务教育优质均衡发展督导评估办法'
    """
    check_lang(lang)
    if format not in FORMATS:
        raise ValueError(f"render_plan: format must be one of {FORMATS}. Got {format!r}.")
    if format == "json":
        doc = {
            "standard": plan.standard.id,
            "lang": lang,
            "passes": plan.passes,
            "counties": plan.counties.to_pylist(),
            "totals": plan.totals.to_pylist(),
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
