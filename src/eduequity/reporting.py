"""Reports for people: per county and a summary over many counties, as text, Markdown, HTML or JSON.

Both doors feed the same report: :func:`county_reports` turns an
:class:`~eduequity.rules.results.EvaluationResult` or a
:class:`~eduequity.batch.BatchResult` into :class:`CountyReport` records, and
:func:`render` writes them. Each county section puts the verdict first, then each component,
each CV against its threshold, the failing schools with their shortfalls in units to buy or
hire, and every item not met or not evaluated with its citation. HTML reports are one
self-contained file with inline SVG charts (each CV against its threshold; the schools'
indicator values against the minimum), drawn without any plotting library.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from eduequity._version import __version__
from eduequity.indicators import get_indicator
from eduequity.models import Stage
from eduequity.options import get_option
from eduequity.rules.results import EvaluationResult, Status
from eduequity.rules.shortfalls import RESOURCE_UNITS
from eduequity.rules.text import format_cv, format_number
from eduequity.standards.model import Standard

__all__ = [
    "FORMATS",
    "CountyReport",
    "StageReport",
    "compact_html",
    "county_reports",
    "render",
]

#: Report formats of :func:`render`.
FORMATS = ("text", "md", "html", "json")

LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "title": "County balance evaluation",
        "summary": "Summary",
        "counties": "counties",
        "county": "County",
        "verdict": "Verdict",
        "standard": "Standard",
        "component": "Component",
        "status": "Status",
        "stage": "Stage",
        "indicator": "Indicator",
        "cv": "CV",
        "max": "Maximum",
        "composite": "Composite CV (mean of the CVs)",
        "schools_in_scope": "schools in scope",
        "students": "students",
        "failing": "Schools that must add resources, and what they lack",
        "n_short": "Schools that must add resources",
        "school": "School",
        "met": "Minimums met",
        "add": "To add",
        "problems": "Items not met or not evaluated",
        "message": "Finding",
        "source": "Source",
        "none": "None.",
        "charts": "Charts",
        "cv_chart": "Each CV against its maximum",
        "school_chart": "Schools' values as a share of each minimum (1 = the minimum)",
        "generated": "Made by eduequity",
    },
    "zh": {
        "title": "县域义务教育均衡发展督导评估报告",
        "summary": "汇总",
        "counties": "个县（区）",
        "county": "县（区）",
        "verdict": "结论",
        "standard": "标准",
        "component": "评估内容",
        "status": "结果",
        "stage": "学段",
        "indicator": "指标",
        "cv": "差异系数",
        "max": "上限",
        "composite": "综合差异系数（各项差异系数的平均）",
        "schools_in_scope": "所学校纳入评估",
        "students": "名学生",
        "failing": "需补足资源的学校及数量",
        "n_short": "需补足资源的学校",
        "school": "学校",
        "met": "达到项数",
        "add": "需增加",
        "problems": "未达标或未评估的事项",
        "message": "结果说明",
        "source": "依据",
        "none": "无。",
        "charts": "图表",
        "cv_chart": "各项差异系数与上限",
        "school_chart": "各校指标值相对于要求的倍数（1 = 要求）",
        "generated": "由 eduequity 生成",
    },
}


def _check_lang(lang: str) -> None:
    if lang not in LABELS:
        raise ValueError(f"lang must be 'en' or 'zh'. Got {lang!r}.")


def status_label(status: Status | str, lang: str) -> str:
    """A status in ``lang``, as reports show it."""
    s = Status(status)
    return s.name_zh if lang == "zh" else s.name_en


@attrs.frozen(kw_only=True)
class StageReport:
    """One stage of one county: its CVs against the threshold."""

    stage: Stage
    status: Status
    n_schools: int
    enrollment: float
    threshold: float | None
    method: str
    cvs: Mapping[str, float | None]
    composite_cv: float | None
    school_values: Mapping[str, Sequence[float]] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class CountyReport:
    """What a report shows of one county (built by :func:`county_reports`)."""

    code: str
    name: str
    status: Status
    components: Mapping[str, Status]
    stages: Sequence[StageReport]
    problems: Sequence[Mapping[str, Any]]
    shortfalls: Sequence[tuple[str, str | None, str, str, Mapping[str, float]]]
    """(school id, stage, school-rule status, "met/rules", {resource: quantity})."""


def county_reports(result: Any) -> list[CountyReport]:
    """The counties of an :class:`EvaluationResult` or a :class:`~eduequity.batch.BatchResult`."""
    if isinstance(result, EvaluationResult):
        return [_from_object(result)]
    from eduequity.batch import BatchResult

    if isinstance(result, BatchResult):
        return _from_tables(result)
    raise TypeError(
        f"county_reports: expected an EvaluationResult or a BatchResult. Got {type(result)}."
    )


def _finding_row(f: Any) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "component": f.component,
        "level": f.level.value,
        "stage": None if f.stage is None else f.stage.value,
        "school_id": f.school_id,
        "status": f.status.value,
        "measured": f.measured,
        "threshold": f.threshold,
        "op": None if f.op is None else f.op.value,
        "message_zh": f.message_zh,
        "message_en": f.message_en,
        "citation": str(f.citation),
    }


def _from_object(result: EvaluationResult) -> CountyReport:
    stages = []
    standard = _standard_of(result)
    for stage, s in result.stages.items():
        shares: dict[str, list[float]] = {}
        if standard.school_standard is not None:
            for m in standard.school_standard.minimums:
                if m.stage is stage and m.indicator in s.cvs and m.value > 0:
                    finite = [v for v in s.cvs[m.indicator].values if not math.isnan(v)]
                    if finite:
                        shares[m.indicator] = [v / m.value for v in finite]
        stages.append(
            StageReport(
                stage=stage,
                status=s.status,
                n_schools=s.n_schools,
                enrollment=s.enrollment,
                threshold=s.threshold,
                method=s.method,
                cvs={k: v.cv for k, v in s.cvs.items()},
                composite_cv=s.composite_cv,
                school_values=shares,
            )
        )
    shortfalls: dict[tuple[str, str | None], dict[str, float]] = {}
    for sf in result.shortfalls:
        key = (sf.school_id, None if sf.stage is None else sf.stage.value)
        need = shortfalls.setdefault(key, {})
        need[sf.resource] = max(need.get(sf.resource, 0.0), sf.quantity)
    rules = {(r.school_id, r.stage.value): r for r in result.school_rules}
    rows = []
    for (sid, stage_id), need in shortfalls.items():
        r = rules.get((sid, stage_id or ""))
        rows.append(
            (
                sid,
                stage_id,
                "" if r is None else r.status.value,
                "" if r is None else f"{r.n_met}/{r.n_rules}",
                need,
            )
        )
    return CountyReport(
        code=result.county_code,
        name=result.county_name,
        status=result.status,
        components={c.id: c.status for c in result.components.values()},
        stages=stages,
        problems=[
            _finding_row(f)
            for f in result.findings
            if f.status in (Status.FAILED, Status.NOT_EVALUATED)
        ],
        shortfalls=rows,
    )


def _from_tables(result: Any) -> list[CountyReport]:
    standard: Standard = result.standard
    counties = result.counties.to_pylist()
    findings = result.findings
    problem = pc.is_in(
        findings.column("status").cast(pa.string()), pa.array(["failed", "not_evaluated"])
    )
    problems: dict[str, list[dict[str, Any]]] = {}
    for row in findings.filter(problem).to_pylist():
        problems.setdefault(row["county_code"], []).append(row)
    schools = result.schools
    short_cols = [c for c in schools.column_names if c.startswith("shortfall_")]
    shortfalls: dict[str, list[Any]] = {}
    if short_cols:
        need = np.zeros(schools.num_rows, dtype=np.bool_)
        for c in short_cols:
            need |= np.nan_to_num(schools.column(c).to_numpy(zero_copy_only=False)) > 0
        picked = schools.filter(pa.array(need)).to_pylist()
        for row in picked:
            amounts = {
                c.removeprefix("shortfall_"): row[c]
                for c in short_cols
                if row[c] is not None and row[c] > 0
            }
            shortfalls.setdefault(row["county_code"], []).append(
                (
                    row["school_id"],
                    row["stage"],
                    row.get("school_rule") or "",
                    f"{row.get('n_met')}/{row.get('n_rules')}",
                    amounts,
                )
            )
    values = _school_values(result)
    out: dict[str, CountyReport] = {}
    for row in counties:
        code = row["county_code"]
        stage = Stage(row["stage"])
        stage_report = StageReport(
            stage=stage,
            status=Status(row["status"]),
            n_schools=row["n_schools"],
            enrollment=row["enrollment"],
            threshold=row["threshold"],
            method=row["method"],
            cvs={ind: row[f"cv_{ind}"] for ind in standard.balance.indicators},
            composite_cv=row["composite_cv"],
            school_values=values.get((code, stage.value), {}),
        )
        if code in out:
            out[code] = attrs.evolve(out[code], stages=[*out[code].stages, stage_report])
            continue
        out[code] = CountyReport(
            code=code,
            name=row.get("county_name") or "",
            status=Status(row["county_status"]),
            components={c.id: Status(row[f"component_{c.id}"]) for c in standard.components},
            stages=[stage_report],
            problems=problems.get(code, []),
            shortfalls=shortfalls.get(code, []),
        )
    return list(out.values())


def _school_values(result: Any) -> dict[tuple[str, str], dict[str, list[float]]]:
    """Each county x stage: the in-scope parts' values of each indicator with a minimum, as a
    share of the minimum (for the chart)."""
    standard: Standard = result.standard
    school = standard.school_standard
    if school is None:
        return {}
    schools = result.schools.filter(pc.field("included"))
    if schools.num_rows == 0:
        return {}
    codes = schools.column("county_code").to_pylist()
    stages = schools.column("stage").cast(pa.string()).to_pylist()
    out: dict[tuple[str, str], dict[str, list[float]]] = {}
    for m in school.minimums:
        column = f"value_{m.indicator}"
        if column not in schools.column_names or m.value <= 0:
            continue
        vals = schools.column(column).to_numpy(zero_copy_only=False)
        for code, stage, v in zip(codes, stages, vals, strict=True):
            if stage == m.stage.value and v is not None and not math.isnan(v):
                out.setdefault((code, stage), {}).setdefault(m.indicator, []).append(v / m.value)
    return out


# ---------------------------------------------------------------------------- document model


@attrs.frozen
class _Heading:
    level: int
    text: str


@attrs.frozen
class _Para:
    text: str
    status: str | None = None


@attrs.frozen
class _Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    status_cols: tuple[int, ...] = ()  # columns holding a status, for colouring


@attrs.frozen
class _Chart:
    title: str
    svg: str


_Block = _Heading | _Para | _Table | _Chart


def _document(
    reports: Sequence[CountyReport], standard: Standard, lang: str, charts: bool
) -> list[_Block]:
    t = LABELS[lang]
    zh = lang == "zh"
    title = standard.title_zh if zh else standard.title_en
    blocks: list[_Block] = [
        _Heading(1, t["title"]),
        _Para(f"{t['standard']}: {title} ({standard.document}, {standard.id})"),
    ]
    counts = {s: sum(r.status is s for r in reports) for s in Status}
    tally = ", ".join(
        f"{status_label(s, lang)} {n}"
        for s, n in counts.items()
        if n or s is not Status.NOT_APPLICABLE
    )
    blocks += [
        _Heading(2, t["summary"]),
        _Para(f"{len(reports)} {t['counties']}: {tally}"),
        _Table(
            [t["county"], t["verdict"]]
            + [(c.name_zh if zh else c.name_en) for c in standard.components],
            [
                [_county_name(r), status_label(r.status, lang)]
                + [status_label(r.components[c.id], lang) for c in standard.components]
                for r in reports
            ],
            status_cols=tuple(range(1, 2 + len(standard.components))),
        ),
    ]
    for r in reports:
        blocks += _county_blocks(r, standard, lang, charts)
    blocks.append(_Para(f"{t['generated']} {__version__}."))
    return blocks


def _county_name(r: CountyReport) -> str:
    return f"{r.name} ({r.code})" if r.name else r.code


def _components_table(r: CountyReport, standard: Standard, lang: str) -> _Table:
    t = LABELS[lang]
    return _Table(
        [t["component"], t["status"]],
        [
            [c.name_zh if lang == "zh" else c.name_en, status_label(r.components[c.id], lang)]
            for c in standard.components
        ],
        status_cols=(1,),
    )


def _stage_blocks(
    r: CountyReport, s: StageReport, standard: Standard, lang: str, charts: bool
) -> list[_Block]:
    """A stage: its heading, each CV against the maximum, and the charts."""
    t = LABELS[lang]
    zh = lang == "zh"
    stage_name = s.stage.name_zh if zh else s.stage.name_en
    blocks: list[_Block] = [
        _Heading(
            3,
            f"{stage_name}: {s.n_schools} {t['schools_in_scope']}, "
            f"{format_number(s.enrollment)} {t['students']} — {status_label(s.status, lang)}",
        )
    ]
    each = s.method == "each" and s.threshold is not None
    # Each CV's verdict is the evaluation's own finding (only problems are kept).
    verdicts = {
        p["rule_id"]: Status(p["status"])
        for p in r.problems
        if p["stage"] == s.stage.value and p["rule_id"].startswith("balance.")
    }
    rows = []
    for ind_id, cv in s.cvs.items():
        ind = get_indicator(ind_id)
        row = [ind.name_zh if zh else ind.name_en, format_cv(cv)]
        if each:
            assert s.threshold is not None
            verdict = verdicts.get(f"balance.cv.{ind_id}", _computed(cv, s.status))
            row += [format_number(s.threshold), status_label(verdict, lang)]
        else:
            row += ["", ""]
        rows.append(row)
    if s.method == "composite":
        limit = "" if s.threshold is None else format_number(s.threshold)
        rows.append(
            [t["composite"], format_cv(s.composite_cv), limit, status_label(s.status, lang)]
        )
    blocks.append(_Table([t["indicator"], t["cv"], t["max"], t["status"]], rows, status_cols=(3,)))
    if charts:
        blocks.append(_Chart(f"{stage_name} · {t['cv_chart']}", _cv_chart(s, lang)))
        if s.school_values:
            blocks.append(
                _Chart(f"{stage_name} · {t['school_chart']}", _school_chart(s, standard, lang))
            )
    return blocks


def _county_blocks(r: CountyReport, standard: Standard, lang: str, charts: bool) -> list[_Block]:
    """A county: the verdict first, the components, each stage, failing schools, problems."""
    t = LABELS[lang]
    zh = lang == "zh"
    blocks: list[_Block] = [
        _Heading(2, f"{t['county']} {_county_name(r)}"),
        _Para(f"{t['verdict']}: {status_label(r.status, lang)}", status=r.status.value),
        _components_table(r, standard, lang),
    ]
    for s in r.stages:
        blocks += _stage_blocks(r, s, standard, lang, charts)
    blocks.append(_Heading(3, t["failing"]))
    if r.shortfalls:
        rows = []
        for sid, stage, status, met, need in r.shortfalls:
            stage_name = (
                "" if stage is None else (Stage(stage).name_zh if zh else Stage(stage).name_en)
            )
            rows.append(
                [
                    sid,
                    stage_name,
                    status_label(status, lang) if status else "",
                    met,
                    "; ".join(_quantity(res, q, lang) for res, q in need.items()),
                ]
            )
        blocks.append(
            _Table(
                [t["school"], t["stage"], t["status"], t["met"], t["add"]], rows, status_cols=(2,)
            )
        )
    else:
        blocks.append(_Para(t["none"]))
    blocks.append(_Heading(3, t["problems"]))
    if r.problems:
        blocks.append(
            _Table(
                [t["status"], t["message"], t["source"]],
                [
                    [status_label(p["status"], lang), p[f"message_{lang}"], p["citation"]]
                    for p in r.problems
                ],
                status_cols=(0,),
            )
        )
    else:
        blocks.append(_Para(t["none"]))
    return blocks


def _computed(cv: float | None, stage_status: Status) -> Status:
    """The verdict of a CV with no problem finding: passed if it was computed."""
    return stage_status if cv is None or math.isnan(cv) else Status.PASSED


def _quantity(resource: str, quantity: float, lang: str) -> str:
    unit_zh, unit_en, _ = RESOURCE_UNITS[resource]
    if lang == "zh":
        return f"{resource} {format_number(quantity)}{unit_zh}"
    return f"{resource} {format_number(quantity)} {unit_en}"


# ---------------------------------------------------------------------------- charts (SVG)

_RED, _GREEN, _GREY, _INK = "#c0392b", "#2e7d32", "#9e9e9e", "#222"


def _svg(width: int, height: int, body: Iterable[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(label)}" '
        'font-family="sans-serif" font-size="12">' + "".join(body) + "</svg>"
    )


def _cv_chart(s: StageReport, lang: str) -> str:
    """Horizontal bars: each CV, with the maximum as a vertical line (red bars exceed it)."""
    names = [
        (get_indicator(i).name_zh if lang == "zh" else get_indicator(i).name_en) for i in s.cvs
    ]
    values = [np.nan if v is None else v for v in s.cvs.values()]
    if s.method == "composite":
        names.append(LABELS[lang]["composite"])
        values.append(np.nan if s.composite_cv is None else s.composite_cv)
    finite = [v for v in values if not math.isnan(v)]
    top = max([*finite, s.threshold or 0.0, 0.1]) * 1.1
    left, width, bar, gap = 330, 300, 16, 6
    height = 20 + len(values) * (bar + gap) + 20
    scale = width / top
    body = []
    for k, (name, v) in enumerate(zip(names, values, strict=True)):
        y = 10 + k * (bar + gap)
        judged = s.threshold is not None and (s.method == "each" or k == len(values) - 1)
        colour = _GREY
        if not math.isnan(v) and judged:
            assert s.threshold is not None
            colour = _RED if v > s.threshold else _GREEN
        body.append(
            f'<text x="{left - 6}" y="{y + bar - 4}" text-anchor="end" fill="{_INK}">'
            f"{html.escape(name)}</text>"
        )
        if not math.isnan(v):
            body.append(
                f'<rect x="{left}" y="{y}" width="{v * scale:.1f}" height="{bar}" '
                f'fill="{colour}"><title>{format_cv(v)}</title></rect>'
                f'<text x="{left + v * scale + 4:.1f}" y="{y + bar - 4}" fill="{_INK}">'
                f"{format_cv(v)}</text>"
            )
    if s.threshold is not None:
        x = left + s.threshold * scale
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{height - 16}" stroke="{_INK}" '
            f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="{height - 4}" text-anchor="middle" '
            f'fill="{_INK}">{format_number(s.threshold)}</text>'
        )
    return _svg(left + width + 60, height, body, LABELS[lang]["cv_chart"])


def _school_chart(s: StageReport, standard: Standard, lang: str) -> str:
    """One row per minimum: each school's value divided by the minimum, as a dot; the line at
    1 is the minimum (and, for a floor rule, a dotted line at the floor)."""
    rows = list(s.school_values.items())
    left, width, row_h = 330, 300, 22
    top = 3.0
    height = 10 + len(rows) * row_h + 24
    scale = width / top
    school = standard.school_standard
    floor = None if school is None else school.floor_fraction
    body = []
    for k, (ind_id, shares) in enumerate(rows):
        ind = get_indicator(ind_id)
        y = 10 + k * row_h + row_h / 2
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{_INK}">'
            f"{html.escape(ind.name_zh if lang == 'zh' else ind.name_en)}</text>"
        )
        for v in shares:
            colour = _GREEN if v >= 1 else _RED
            body.append(
                f'<circle cx="{left + min(v, top) * scale:.1f}" cy="{y:.1f}" r="3" '
                f'fill="{colour}" fill-opacity="0.6"/>'
            )
    for x_value, dash, anchor in ((1.0, "", "start"), (floor, ' stroke-dasharray="2 3"', "end")):
        if x_value is None:
            continue
        x = left + x_value * scale
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="6" y2="{height - 18}" stroke="{_INK}"{dash}/>'
            f'<text x="{x + (2 if anchor == "start" else -2):.1f}" y="{height - 6}" '
            f'text-anchor="{anchor}" fill="{_INK}">{format_number(x_value)}</text>'
        )
    return _svg(left + width + 40, height, body, LABELS[lang]["school_chart"])


# ---------------------------------------------------------------------------- renderers


def render(
    result: Any,
    format: str = "md",
    lang: str | None = None,
    *,
    charts: bool = True,
) -> str:
    """A report of ``result`` (an :class:`EvaluationResult` or a :class:`BatchResult`).

    Parameters
    ----------
    result : EvaluationResult or BatchResult
    format : {"text", "md", "html", "json"}
        Plain text, Markdown, one self-contained HTML page (with SVG charts unless
        ``charts=False``), or JSON with the same content as data.
    lang : {"en", "zh"}, optional
        Default: the ``lang`` option (:func:`eduequity.set_options`).
    charts : bool
        Draw the charts in HTML.

    Examples
    --------
    >>> import eduequity as ee
    >>> result = ee.evaluate(ee.datasets.sample_county(), "cn-basic-2012")
    >>> print(render(result, "md").splitlines()[0])
    # County balance evaluation
    """
    lang = lang or get_option("lang")
    _check_lang(lang)
    if format not in FORMATS:
        raise ValueError(f"render: format must be one of {FORMATS}. Got {format!r}.")
    reports = county_reports(result)
    standard = _standard_of(result)
    if format == "json":
        return _json(reports, standard)
    blocks = _document(reports, standard, lang, charts and format == "html")
    if format == "md":
        return _markdown(blocks)
    if format == "html":
        return _html(blocks, lang)
    return _text(blocks)


def _standard_of(result: Any) -> Standard:
    if isinstance(result, EvaluationResult):
        from eduequity.standards import get_standard

        if result.standard is not None:
            return result.standard
        return get_standard(result.standard_id)
    standard: Standard = result.standard
    return standard


def _json(reports: Sequence[CountyReport], standard: Standard) -> str:
    def num(x: float | None) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

    doc = {
        "standard": {"id": standard.id, "document": standard.document, "year": standard.year},
        "summary": {s.value: sum(r.status is s for r in reports) for s in Status},
        "counties": [
            {
                "county_code": r.code,
                "county_name": r.name,
                "status": r.status.value,
                "components": {k: v.value for k, v in r.components.items()},
                "stages": [
                    {
                        "stage": s.stage.value,
                        "status": s.status.value,
                        "n_schools": s.n_schools,
                        "enrollment": s.enrollment,
                        "threshold": s.threshold,
                        "method": s.method,
                        "cvs": {k: num(v) for k, v in s.cvs.items()},
                        "composite_cv": num(s.composite_cv),
                    }
                    for s in r.stages
                ],
                "shortfalls": [
                    {"school_id": sid, "stage": stage, "school_rule": status, "add": need}
                    for sid, stage, status, _, need in r.shortfalls
                ],
                "problems": [
                    {k: num(v) if k in ("measured", "threshold") else v for k, v in p.items()}
                    for p in r.problems
                ],
            }
            for r in reports
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(blocks: Sequence[_Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, _Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, _Para):
            out += [f"**{b.text}**" if b.status else b.text, ""]
        elif isinstance(b, _Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
            out.append("|" + "---|" * len(b.header))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
    return "\n".join(out)


def _text(blocks: Sequence[_Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, _Heading):
            out += [b.text, ("=" if b.level == 1 else "-") * min(len(b.text) * 2, 72), ""]
        elif isinstance(b, _Para):
            out += [b.text, ""]
        elif isinstance(b, _Table):
            out.append("  " + " · ".join(b.header))
            out += ["  " + " · ".join(c for c in row if c) for row in b.rows]
            out.append("")
    return "\n".join(out)


_CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.passed{color:#2e7d32;font-weight:600}.failed{color:#c0392b;font-weight:600}
.not_evaluated{color:#8a6d00;font-weight:600}.not_applicable{color:#777}
p.verdict{font-size:1.3em}
figure{margin:.5em 0 1.2em}figcaption{font-size:.9em;color:#555}
h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
"""


def _status_class(text: str, lang: str) -> str:
    for s in Status:
        if status_label(s, lang) == text:
            return s.value
    return ""


def _html(blocks: Sequence[_Block], lang: str) -> str:
    title = next((b.text for b in blocks if isinstance(b, _Heading)), "eduequity")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
    ]
    for b in blocks:
        if isinstance(b, _Heading):
            out.append(f"<h{b.level}>{html.escape(b.text)}</h{b.level}>")
        elif isinstance(b, _Para):
            if b.status:
                out.append(f'<p class="verdict {b.status}">{html.escape(b.text)}</p>')
            else:
                out.append(f"<p>{html.escape(b.text)}</p>")
        elif isinstance(b, _Table):
            out.append("<table><thead><tr>")
            out += [f"<th>{html.escape(h)}</th>" for h in b.header]
            out.append("</tr></thead><tbody>")
            for row in b.rows:
                cells = []
                for k, c in enumerate(row):
                    cls = _status_class(c, lang) if k in b.status_cols else ""
                    attr = f' class="{cls}"' if cls else ""
                    cells.append(f"<td{attr}>{html.escape(c)}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")
        else:
            out.append(f"<figure>{b.svg}<figcaption>{html.escape(b.title)}</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out)


_COMPACT_COUNTIES = 20


def compact_html(result: Any, lang: str | None = None) -> str:
    """A compact HTML view for notebooks: the verdict first, the components, each stage's CVs;
    for many counties, the tally and the first counties."""
    lang = lang or get_option("lang")
    _check_lang(lang)
    t = LABELS[lang]
    zh = lang == "zh"
    reports = county_reports(result)
    standard = _standard_of(result)
    blocks: list[_Block]
    if len(reports) == 1:
        r = reports[0]
        blocks = [
            _Para(
                f"{t['county']} {_county_name(r)} · {standard.id}: "
                f"{t['verdict']} {status_label(r.status, lang)}",
                status=r.status.value,
            ),
        ]
        blocks.append(_components_table(r, standard, lang))
        for s in r.stages:
            blocks += _stage_blocks(r, s, standard, lang, charts=False)
        n_short = len({row[0] for row in r.shortfalls})
        blocks.append(_Para(f"{t['n_short']}: {n_short} · {t['problems']}: {len(r.problems)}"))
    else:
        counts = {s: sum(r.status is s for r in reports) for s in Status}
        shown = reports[:_COMPACT_COUNTIES]
        blocks = [
            _Para(
                f"{standard.id}: {len(reports)} {t['counties']} — "
                + ", ".join(f"{status_label(s, lang)} {n}" for s, n in counts.items() if n),
                status=Status.FAILED.value if counts[Status.FAILED] else "",
            ),
            _Table(
                [t["county"], t["verdict"]]
                + [(c.name_zh if zh else c.name_en) for c in standard.components],
                [
                    [_county_name(r), status_label(r.status, lang)]
                    + [status_label(r.components[c.id], lang) for c in standard.components]
                    for r in shown
                ],
                status_cols=tuple(range(1, 2 + len(standard.components))),
            ),
        ]
        if len(reports) > len(shown):
            blocks.append(_Para(f"… +{len(reports) - len(shown)}"))
    body = _html(blocks, lang)
    start, end = body.index("<body>") + len("<body>"), body.index("</body>")
    return f'<div class="eduequity"><style>{_SCOPED_CSS}</style>{body[start:end]}</div>'


_SCOPED_CSS = (
    ".eduequity .passed{color:#2e7d32;font-weight:600}"
    ".eduequity .failed{color:#c0392b;font-weight:600}"
    ".eduequity .not_evaluated{color:#8a6d00;font-weight:600}"
    ".eduequity p.verdict{font-size:1.15em}"
)
