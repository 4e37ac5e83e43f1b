"""Notebook HTML (``_repr_html_``) of plans, monitorings and standards.

The verdict or summary comes first, then tables of at most :data:`MAX_ROWS` rows (and how many
rows are left out), in the language of ``set_options(lang=...)``. Like ``eduequity._display``,
this module imports the rest of eduequity only when it renders.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from eduequity._display import _county, _number, _table_column
from eduequity._errors import ArgumentError
from eduequity._not_in_plan import short_reasons

# The classes rendered here, typed loosely: importing them, even for the type checker, would
# make these leaf modules depend on the classes that depend on them (an import circle).
BatchPlan = Any
Monitoring = Any
Plan = Any
Standard = Any
Status = Any

__all__ = ["MAX_ROWS", "batch_plan_html", "monitoring_html", "plan_html", "standard_html"]

#: The most rows a table of a notebook view shows.
MAX_ROWS = 12

_CSS = (
    ".eduequity .passed{color:#2e7d32;font-weight:600}"
    ".eduequity .failed{color:#c0392b;font-weight:600}"
    ".eduequity .not_evaluated{color:#8a6d00;font-weight:600}"
    ".eduequity p.verdict{font-size:1.15em}"
    ".eduequity td.num{text-align:right}"
    ".eduequity table{border-collapse:collapse;margin:0.4em 0}"
    ".eduequity th,.eduequity td{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}"
)

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "plan": "Plan for {county} under {standard}",
        "plan_verdict": "{verdict} every rule the plan covers once the additions are made",
        "passes": "passes",
        "not_passes": "does not pass",
        "why_not": "Why not: ",
        "additions": "{n} additions{cost}",
        "yuan": ", {cost} yuan",
        "batch_plan": "Plan of {counties} under {standard}",
        "pass_after": "{n} of {m} county stages pass every rule the plan covers afterwards",
        "monitoring": "Monitoring of {counties}, {span}, under {standard}",
        "slides_warnings": "{slides} slide{s}, {warnings} early warning{w}",
        "standard": "Standard {id}",
        "county": "County",
        "stage": "Stage",
        "resource": "Resource",
        "quantity": "Quantity",
        "cost": "Cost (yuan)",
        "before": "Before",
        "after": "After",
        "failing": "Schools failing (before → after)",
        "year": "Year",
        "county_stages": "County stages",
        "value": "Value",
        "bound": "Bound",
        "rose_most": "Rose most",
        "indicator": "Indicator",
        "component": "Component",
        "more": "… {n} more rows",
        "colon": ": ",
        "counties": "{n} counties",
        "composite": "composite of the CVs",
    },
    "zh": {
        "plan": "{county}（{standard}）的补齐方案",
        "plan_verdict": "补齐后{verdict}方案所涵盖的各项规则",
        "passes": "达到",
        "not_passes": "仍未全部达到",
        "why_not": "未达到的原因：",
        "additions": "共 {n} 项补充{cost}",
        "yuan": "，{cost} 元",
        "batch_plan": "{counties}（{standard}）的补齐方案",
        "pass_after": "{m} 个学段（按县区分学段计）中，规划后 {n} 个达到规划所涵盖的全部要求",
        "monitoring": "{counties}监测（{span}，{standard}）",
        "slides_warnings": "滑坡 {slides} 个，预警 {warnings} 个",
        "standard": "标准 {id}",
        "county": "县（区）",
        "stage": "学段",
        "resource": "资源",
        "quantity": "数量",
        "cost": "费用（元）",
        "before": "补齐前",
        "after": "补齐后",
        "failing": "未达标学校（前 → 后）",
        "year": "年份",
        "county_stages": "县（区）学段",
        "value": "数值",
        "bound": "标准",
        "rose_most": "上升最多",
        "indicator": "指标",
        "component": "内容",
        "more": "… 另有 {n} 行",
        "colon": "：",
        "counties": "{n} 个县（区）",
        "composite": "综合差异系数",
    },
}


def _lang(lang: str | None) -> str:
    from eduequity._options import get_option

    lang = lang or get_option("lang")
    if lang not in _TEXT:
        raise ArgumentError(f"lang must be 'en' or 'zh'. Got {lang!r}.")
    return lang


def _stage(stage: str, lang: str) -> str:
    from eduequity._models import Stage

    s = Stage(stage)
    return s.name_zh if lang == "zh" else s.name_en


def _resource(resource: str, lang: str) -> str:
    from eduequity._schema import RESOURCE_NAMES

    names = RESOURCE_NAMES.get(resource)
    return resource if names is None else names[0 if lang == "zh" else 1]


def _indicator(indicator: str, lang: str) -> str:
    from eduequity._indicators import INDICATORS

    ind = INDICATORS.get(indicator)
    return indicator if ind is None else (ind.name_zh if lang == "zh" else ind.name_en)


def _status_html(status: Any, lang: str) -> str:
    from eduequity._status import Status

    if status is None:
        return "—"
    s = Status(status)
    label = s.name_zh if lang == "zh" else s.name_en
    return f'<span class="{s.value}">{html.escape(label)}</span>'


def _cell(value: Any) -> str:
    if value is None:
        return "<td>—</td>"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f'<td class="num">{_number(value)}</td>'
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return f"<td>{value if isinstance(value, _Html) else html.escape(str(value))}</td>"


class _Html(str):
    """Text already escaped."""


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], lang: str, total: int | None = None
) -> str:
    """The first :data:`MAX_ROWS` of ``rows`` (of ``total``), and how many more there are."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows[:MAX_ROWS])
    more = (len(rows) if total is None else total) - MAX_ROWS
    note = f"<p>{html.escape(_TEXT[lang]['more'].format(n=more))}</p>" if more > 0 else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def _view(verdict: str, status: str, *parts: str) -> str:
    cls = f"verdict {status}".strip()
    first = f'<p class="{cls}">{html.escape(verdict)}</p>'
    return f'<div class="eduequity"><style>{_CSS}</style>{first}{"".join(parts)}</div>'


def _para(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _why_not(not_in_plan: Any, short: bool, lang: str) -> str:
    """Where a plan leaves county stages short, why (the words of its report)."""
    said = short_reasons(not_in_plan, lang) if short else []
    sep = "；" if lang == "zh" else "; "
    return _para(_TEXT[lang]["why_not"] + sep.join(said)) if said else ""


def _cost_text(additions: Any, lang: str) -> str:
    costs = [c for c in _table_column(additions, "cost") if c is not None]
    return _TEXT[lang]["yuan"].format(cost=f"{math.fsum(costs):,.0f}") if costs else ""


def _stages_rows(counties: Any, lang: str, with_county: bool) -> list[list[Any]]:
    rows = []
    for r in counties.slice(0, MAX_ROWS).to_pylist():
        failing = (
            f"{_number(r['n_schools_failing_before'])} → {_number(r['n_schools_failing_after'])}"
        )
        row = [
            _stage(r["stage"], lang),
            _Html(_status_html(r["balance_before"], lang)),
            _Html(_status_html(r["balance_after"], lang)),
            failing,
        ]
        rows.append(
            ([_county(r["county_code"], r["county_name"] or "")] if with_county else []) + row
        )
    return rows


def plan_html(p: Plan, lang: str | None = None) -> str:
    """The verdict after the plan, what it adds (by resource), and each stage before and after."""
    lang = _lang(lang)
    t = _TEXT[lang]
    verdict = t["plan_verdict"].format(verdict=t["passes"] if p.passes else t["not_passes"])
    title = t["plan"].format(county=_county(p.county.code, p.county.name), standard=p.standard.id)
    totals = [
        [_resource(r["resource"], lang), r["quantity"], r["cost"]]
        for r in p.totals.to_pylist()
        if r["resource"] != "total"
    ]
    return _view(
        title + t["colon"] + verdict,
        "passed" if p.passes else "failed",
        _why_not(p.not_in_plan, not p.passes, lang),
        _para(
            t["additions"].format(n=f"{p.additions.num_rows:,}", cost=_cost_text(p.additions, lang))
        ),
        _table([t["resource"], t["quantity"], t["cost"]], totals, lang),
        _table(
            [t["stage"], t["before"], t["after"], t["failing"]],
            _stages_rows(p.counties, lang, with_county=False),
            lang,
        ),
    )


def batch_plan_html(p: BatchPlan, lang: str | None = None) -> str:
    """How many county stages pass after the plan, its additions, the first county stages."""
    lang = _lang(lang)
    t = _TEXT[lang]
    after = _table_column(p.counties, "passes_after")
    n_counties = len(set(_table_column(p.counties, "county_code")))
    title = t["batch_plan"].format(
        counties=t["counties"].format(n=f"{n_counties:,}"), standard=p.standard.id
    )
    ok = sum(bool(v) for v in after)
    return _view(
        title + t["colon"] + t["pass_after"].format(n=f"{ok:,}", m=f"{len(after):,}"),
        "passed" if ok == len(after) else "failed",
        _why_not(p.not_in_plan, ok < len(after), lang),
        _para(
            t["additions"].format(n=f"{p.additions.num_rows:,}", cost=_cost_text(p.additions, lang))
        ),
        _table(
            [t["county"], t["stage"], t["before"], t["after"], t["failing"]],
            _stages_rows(p.counties, lang, with_county=True),
            lang,
            p.counties.num_rows,
        ),
    )


def monitoring_html(m: Monitoring, lang: str | None = None) -> str:
    """The slides and warnings first, then each year's county stages by status, the slides."""
    lang = _lang(lang)
    t = _TEXT[lang]
    years = m.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    counties = {c for y in m.by_year.values() for c in y.figures.column("county_code").to_pylist()}
    title = t["monitoring"].format(
        counties=t["counties"].format(n=f"{len(counties):,}"), span=span, standard=m.standard.id
    )
    n_slides = m.slides.num_rows
    n_warnings = m.early_warnings.num_rows
    summary = t["slides_warnings"].format(
        slides=n_slides,
        warnings=n_warnings,
        s="s" * (n_slides != 1),  # English plurals: one slide, one early warning
        w="s" * (n_warnings != 1),
    )
    from eduequity._status import Status

    by_year = []
    for year in years[-MAX_ROWS:]:
        statuses = m.by_year[year].figures.column("status").to_pylist()
        by_year.append(
            [str(year), len(statuses)] + [sum(s == x.value for s in statuses) for x in Status]
        )

    def label(s: Status) -> str:
        return s.name_zh if lang == "zh" else s.name_en

    slides = [
        [
            r["county_code"],
            _stage(r["stage"], lang),
            str(r["year"]),
            r["value"],
            r["bound"],
            [_indicator(i, lang) for i in r["rose_most"] or ()],
        ]
        for r in m.slides.slice(0, MAX_ROWS).to_pylist()
    ]
    return _view(
        title + t["colon"] + summary,
        "failed" if n_slides else "passed",
        _table([t["year"], t["county_stages"], *(label(s) for s in Status)], by_year, lang),
        _table(
            [t["county"], t["stage"], t["year"], t["value"], t["bound"], t["rose_most"]],
            slides,
            lang,
            n_slides,
        )
        if n_slides
        else "",
    )


def standard_html(s: Standard, lang: str | None = None) -> str:
    """The standard's title and document, then its balance rule indicator by indicator and its
    components."""
    lang = _lang(lang)
    t = _TEXT[lang]
    title = s.title_zh if lang == "zh" else s.title_en
    b = s.balance
    stages = list(b.maximum)
    header = [t["indicator"], *(_stage(stage.value, lang) for stage in stages)]
    composite = b.method.value == "composite"

    rows: list[list[Any]] = [
        [_indicator(i, lang), *("" if composite else b.maximum[st] for st in stages)]
        for i in b.indicators
    ]
    if composite:
        rows.append([t["composite"], *(b.maximum[st] for st in stages)])
    components = [[c.id, c.name_zh if lang == "zh" else c.name_en] for c in s.components]
    return _view(
        t["standard"].format(id=s.id) + t["colon"] + f"{title} ({s.document}, {s.year})",
        "",
        _table(header, rows, lang),
        _table([t["component"], ""], components, lang),
    )
