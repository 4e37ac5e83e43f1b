"""Reports for people: one county in full, or a summary of many, as text, Markdown, HTML or JSON.

Both doors feed the same report, built from the one evaluation behind a result
(``eduequity.report._model``). A county's report puts the verdict first, then each component,
each CV against its threshold, the schools that must add resources with what they lack, the
schools left out of scope with the reason, and every item not met or not evaluated with its
citation. A report of many counties is a summary, one row per county and stage (sortable in
HTML); :func:`write_reports` also writes each county's own report beside it. HTML reports are
self-contained pages with inline SVG charts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eduequity._errors import ArgumentError
from eduequity._options import get_option
from eduequity._read_record import ReadRecord
from eduequity._status import STATUS_CODES, Status
from eduequity.report._compact import compact_html
from eduequity.report._county_page import one_county_blocks
from eduequity.report._document import (
    Block,
    data_line,
    footer,
    summary_blocks,
)
from eduequity.report._formats import (
    FORMATS,
    SUFFIXES,
    render_blocks,
)
from eduequity.report._labels import check_lang
from eduequity.report._model import (
    CountyReport,
    Evaluated,
    StageReport,
    county_reports,
    evaluation_of,
    summary_rows,
)
from eduequity.report._reading import read_blocks
from eduequity.rules._pipeline import Evaluation

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "CountyReport",
    "StageReport",
    "compact_html",
    "county_reports",
    "format_result",
    "render",
    "render_monitor",
    "render_plan",
    "write_reports",
]


def __getattr__(name: str) -> Any:
    """The plan and monitoring pages, imported on first use (they need the planner and the
    monitoring, which import this package)."""
    if name == "render_plan":
        from eduequity.report._plan import render_plan

        return render_plan
    if name == "render_monitor":
        from eduequity.report._monitor import render_monitor

        return render_monitor
    raise AttributeError(f"module 'eduequity.report' has no attribute {name!r}")


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def _stage_json(s: StageReport) -> dict[str, Any]:
    return {
        "stage": s.stage.value,
        "status": s.status.value,
        "component": s.component,
        "cv_status": s.cv_status.value,
        "school_rule_status": s.school_rule_status.value,
        "joins": list(s.joined),
        "n_schools": s.n_schools,
        "n_schools_failing": s.n_failing,
        "enrollment": s.enrollment,
        "threshold": s.threshold,
        "method": s.method,
        "cvs": {k: _num(v) for k, v in s.cvs.items()},
        "composite_cv": _num(s.composite_cv),
        **_reported_json(s.reported),
    }


def _reported_json(reported: Mapping[str, Any]) -> dict[str, Any]:
    """The figures reported beside the verdicts, statuses by their value."""
    return {k: v.value if isinstance(v, Status) else v for k, v in reported.items()}


def _county_json(r: CountyReport, lang: str) -> dict[str, Any]:
    return {
        "county_code": r.code,
        "county_name": r.name,
        "status": r.status.value,
        "components": {k: v.value for k, v in r.components.items()},
        "stages": [_stage_json(s) for s in r.stages],
        "shortfalls": [
            {
                "school_id": f.school_id,
                "school_name": f.name,
                "stage": None if f.stage is None else f.stage.value,
                "school_rule": None if f.status is None else f.status.value,
                "add": dict(f.add),
            }
            for f in r.failing
        ],
        "excluded": [
            {"school_id": sid, "school_name": name, "reason_zh": zh, "reason_en": en}
            for sid, name, zh, en in r.excluded
        ],
        "problems": [{**p, "message": p[f"message_{lang}"]} for p in r.problems],
        "data_warnings": [
            {"school_id": sid, "school_name": name, "warning": text}
            for sid, name, text in r.data_warnings
        ],
    }


def _summary_json(ev: Evaluation) -> list[dict[str, Any]]:
    """Each county with its statuses and each stage's CVs, without the details."""
    counties: dict[str, dict[str, Any]] = {}
    for row in summary_rows(ev):
        c = counties.setdefault(
            row.code,
            {
                "county_code": row.code,
                "county_name": row.name,
                "status": row.status.value,
                "stages": [],
            },
        )
        c["stages"].append(
            {
                "stage": row.stage.value,
                "status": row.stage_status.value,
                "cv_status": row.cv_status.value,
                "school_rule_status": row.school_rule_status.value,
                "n_schools": row.n_schools,
                "n_schools_failing": row.n_failing,
                "cvs": {k: _num(v) for k, v in row.cvs.items()},
                "composite_cv": _num(row.composite_cv),
                **_reported_json(row.reported),
            }
        )
    return list(counties.values())


def _json(ev: Evaluation, reports: Sequence[CountyReport] | None, lang: str) -> str:
    std = ev.standard
    doc = {
        "lang": lang,
        "standard": {
            "id": std.id,
            "title": std.title_zh if lang == "zh" else std.title_en,
            "document": std.document,
            "year": std.year,
        },
        "summary": {s.value: int((ev.status == STATUS_CODES.index(s)).sum()) for s in Status},
        "counties": [_county_json(r, lang) for r in reports]
        if reports is not None
        else _summary_json(ev),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def _read_section(record: ReadRecord | None, lang: str) -> list[Block]:
    """What was read, where the result read a table (at the end of the report)."""
    return [] if record is None else read_blocks(record, lang)


def _summary(
    ev: Evaluation,
    format: str,
    lang: str,
    links: dict[str, str] | None,
    record: ReadRecord | None = None,
) -> str:
    if format == "json":
        return _json(ev, None, lang)
    statuses = [STATUS_CODES[int(s)] for s in ev.status]
    rows = summary_rows(ev)
    data = data_line(record, lang)
    blocks = summary_blocks(rows, ev.n_counties, statuses, ev.standard, lang, links, data)
    return render_blocks([*blocks, *_read_section(record, lang), footer(lang)], format, lang)


def _county(
    ev: Evaluation,
    report: CountyReport,
    format: str,
    lang: str,
    charts: bool,
    record: ReadRecord | None = None,
    *,
    read_section: bool = True,
) -> str:
    """One county's page; with ``record``, the data's title under the standard and (unless
    not ``read_section``: a county's own page beside the summary) what was read at the end."""
    if format == "json":
        return _json(ev, [report], lang)
    drawn = charts and format == "html"
    blocks = one_county_blocks(report, ev.standard, lang, drawn, data_line(record, lang))
    read = _read_section(record, lang) if read_section else []
    return render_blocks([*blocks, *read, footer(lang)], format, lang)


def _check(format: str, lang: str) -> None:
    check_lang(lang)
    if format not in FORMATS:
        raise ArgumentError(f"render: format must be one of {FORMATS}. Got {format!r}.")


def render(
    result: Evaluated | Evaluation,
    format: str = "md",
    lang: str | None = None,
    *,
    charts: bool = True,
) -> str:
    """A report of ``result``: the county in full, or a summary of many counties.

    Parameters
    ----------
    result : EvaluationResult, BatchResult or Evaluation
    format : {"text", "md", "html", "json"}
        Plain text, Markdown, one self-contained HTML page (with SVG charts unless
        ``charts=False``), or JSON with the same content as data.
    lang : {"en", "zh"}, optional
        Default: the ``lang`` option (:func:`eduequity.set_options`).
    charts : bool
        Draw the charts in HTML.

    Notes
    -----
    A result of one county gives its full report. A result of many counties gives a summary,
    one row per county and stage with the verdicts, the CVs and the number of schools failing
    the school rule; each county's own report is :func:`write_reports`' business (or
    ``render`` of one county's evaluation).

    Examples
    --------
    >>> import eduequity as ee
    >>> result = ee.evaluate(ee.datasets.sample_county(), "cn-basic-2012")
    >>> print(render(result, "md").splitlines()[0])
    # County balance evaluation
    """
    lang = lang or get_option("lang")
    _check(format, lang)
    ev = evaluation_of(result)
    record = getattr(result, "read", None)
    if ev.n_counties != 1:
        return _summary(ev, format, lang, None, record)
    return _county(ev, county_reports(ev)[0], format, lang, charts, record)


def format_result(result: Evaluated | Evaluation, lang: str = "en") -> str:
    """The result as plain text: :func:`~eduequity.report.render` with ``format="text"``."""
    return render(result, "text", lang)


def write_reports(
    result: Evaluated | Evaluation,
    out: str | Path,
    format: str = "html",
    lang: str | None = None,
    *,
    per_county: bool = False,
    charts: bool = True,
) -> list[Path]:
    """Write the report of ``result`` into the folder ``out``: ``report.<suffix>``, and with
    ``per_county`` one file per county in ``out/counties/``, linked from the summary.

    Returns the files written.
    """
    lang = lang or get_option("lang")
    _check(format, lang)
    ev = evaluation_of(result)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = SUFFIXES[format]
    written = []
    record = getattr(result, "read", None)
    if ev.n_counties == 1:
        main = _county(ev, county_reports(ev)[0], format, lang, charts, record)
    else:
        links = None
        if per_county:
            (folder / "counties").mkdir(exist_ok=True)
            links = {}
            for report in county_reports(ev):
                name = f"counties/{report.code}.{suffix}"
                path = folder / name
                page = _county(ev, report, format, lang, charts, record, read_section=False)
                path.write_text(page, encoding="utf-8")
                written.append(path)
                links[report.code] = name
        main = _summary(ev, format, lang, links, record)
    path = folder / f"report.{suffix}"
    path.write_text(main, encoding="utf-8")
    return [path, *written]


def __dir__() -> list[str]:
    """The public names, for completion in a console or a notebook."""
    return sorted(__all__)
