"""The report of a monitoring: the slides first, the early warnings, the national and
provincial summary, and each county's coefficients across years (line charts in HTML)."""

from __future__ import annotations

import json
import math
from typing import Any

from eduequity._errors import ArgumentError
from eduequity._indicators import get_indicator
from eduequity._models import Stage
from eduequity._monitoring import MISSING, Monitoring
from eduequity._monitoring.decompose import school_contributions
from eduequity._monitoring.figures import bound_of
from eduequity._monitoring.schools import county_moves, leading_zero_pairs, openings
from eduequity._options import get_option
from eduequity._provinces import province_name
from eduequity._text import format_cv, format_number
from eduequity.metrics import round_half_up
from eduequity.report._charts import trend_chart
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

__all__ = ["CHART_COUNTIES", "monitor_blocks", "render_monitor"]

#: Counties drawn one by one at most; beyond, the report keeps the tables.
CHART_COUNTIES = 30


def _stage(value: str, lang: str) -> str:
    stage = Stage(value)
    return stage.name_zh if lang == "zh" else stage.name_en


def _coefficient(name: str | None, lang: str) -> str:
    if name is None:
        return ""
    if name == "composite_cv":
        return LABELS[lang]["composite_short"]
    ind = get_indicator(name.removeprefix("cv_"))
    return ind.name_zh if lang == "zh" else ind.name_en


def _mean_growth(mean: float | None, growth: float | None) -> str:
    """A mean (2 decimals, 4 below 1: teachers per student) and, in brackets, its growth in %
    (e.g. ``2613.45 (+8.83%)``)."""
    if mean is None:
        return ""
    digits = 2 if abs(mean) >= 1 else 4
    text = f"{round_half_up(mean, digits):.{digits}f}"
    return text if growth is None else f"{text} ({100 * growth:+.2f}%)"


def _status(value: str, lang: str) -> str:
    return LABELS[lang]["missing_year"] if value == MISSING else status_label(value, lang)


def _cv(value: float | None) -> str:
    return "" if value is None or value != value else format_cv(value)


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+.3f}"


#: The most counties for which a report finds the schools behind each slide (each year it
#: needs is evaluated again: a province, not the nation).
_CARRIERS_COUNTIES = 300
#: The most warnings a report explains (the indicator and the schools behind each).
_CARRIERS_WARNINGS = 200


def _carriers(
    m: Monitoring, items: list[tuple[str, str, int, str]], n_counties: int
) -> dict[tuple[str, str, int, str], list[str]]:
    """For each (county, stage, year, indicator), the schools whose change raised that CV
    from the year before most, largest part first (up to three), with their part."""
    years = set(m.years)
    wanted = sorted({i for i in items if i[2] - 1 in years})
    if not wanted or n_counties > _CARRIERS_COUNTIES:
        return {}
    needed = sorted({y for _, _, year, _ in wanted for y in (year - 1, year)})
    schools = {y: m.result(y).schools for y in needed}
    out = {}
    for code, stage, year, indicator in wanted:
        parts = school_contributions(schools, code, stage, indicator, year - 1, year).to_pylist()
        parts = sorted((p for p in parts if p["change_cv"] > 0), key=lambda p: -p["change_cv"])
        out[code, stage, year, indicator] = [
            f"{p['school_id']} ({p['change_cv']:+.3f})" for p in parts[:3]
        ]
    return out


def _rose_most(m: Monitoring, row: dict[str, Any], coefficient: str) -> str | None:
    """The indicator behind a warning on ``row`` of the panel: the CV itself, or under a
    composite the indicator whose CV rose most that year."""
    if coefficient != "composite_cv":
        return coefficient.removeprefix("cv_")
    rises = [
        (row[f"change_cv_{i}"], i)
        for i in m.standard.balance.indicators
        if row.get(f"change_cv_{i}") is not None
    ]
    return max(rises)[1] if rises else None


#: Schools named in a cell of the table of schools that opened or closed (the rest counted),
#: and the rows (county-years) of that table (the rest in the school_changes table).
_IDS_SHOWN = 5
_ROWS_SHOWN = 100


def _openings(m: Monitoring, county: Any, lang: str) -> list[Block]:
    """Per year and county, the schools that first appear and those no longer there (a school
    closed or merged, or not reported): the figures of the years compare different schools,
    and a reader must know before reading a change as the schools'."""
    zh = lang == "zh"
    t = LABELS[lang]
    found: dict[tuple[int, str], dict[str, list[str]]] = {}
    for r in openings(m.school_changes).to_pylist():
        code = r["after"] if r["change"] == "opened" else r["before"]
        found.setdefault((r["year"], code), {"opened": [], "closed": []})[r["change"]].append(
            r["school_id"]
        )
    if not found:
        return []

    def cell(ids: list[str]) -> str:
        if not ids:
            return ""
        shown = ("、" if zh else ", ").join(ids[:_IDS_SHOWN])
        more = ("……" if zh else ", ...") if len(ids) > _IDS_SHOWN else ""
        return f"{len(ids)}（{shown}{more}）" if zh else f"{len(ids)} ({shown}{more})"

    rows = [
        [str(year), county(code), cell(said["opened"]), cell(said["closed"])]
        for (year, code), said in sorted(found.items())
    ]
    more = len(rows) - _ROWS_SHOWN
    rows = rows[:_ROWS_SHOWN]
    header = [t["year"], t["county"]]
    header += ["新出现的学校" if zh else "Schools new", "不再出现的学校" if zh else "Schools gone"]
    return [
        Heading(2, "各年度学校的增减" if zh else "Schools that appear or are gone"),
        Para(
            "与上一年度相比新出现、不再出现的学校（新设、撤并或未填报）：其所在县（区）的逐年变化"
            "包含学校的增减，不仅是各校条件的变化。"
            if zh
            else "Against the year before, the schools that appear and those no longer there "
            "(opened, closed or merged, or not reported): their county's change from year to "
            "year is also that of its schools, not only of their conditions."
        ),
        Table(header, rows),
        *(
            [
                Para(
                    f"另有 {more} 个县（区）年度见 school_changes 表。"
                    if zh
                    else f"{more} more county-years are in the school_changes table."
                )
            ]
            if more > 0
            else []
        ),
    ]


def _school_notes(
    m: Monitoring, panel: list[dict[str, Any]], county: Any, lang: str
) -> list[Block]:
    """Where the years' schools do not line up: schools that changed county (a county whose
    code changed is two counties in the panel) and ids written two ways (leading zeros lost),
    each said, never joined by a guess."""
    zh = lang == "zh"
    t = LABELS[lang]
    changes = m.school_changes
    present = {(r["county_code"], r["year"]) for r in panel if r["status"] != MISSING}
    moves = county_moves(changes, present, list(m.years))
    pairs = leading_zero_pairs(changes)
    if not moves and not pairs:
        return []
    blocks: list[Block] = [
        Heading(
            2, "学校的县（区）代码和标识码的变化" if zh else "Schools whose county or id changed"
        )
    ]
    if moves:
        renamed = (
            "原代码当年已无学校、新代码上年无学校：可能是县（区）代码变更。本报告按两个县（区）分列，"
            "其逐年比较在此中断。"
            if zh
            else "the old code has no school that year and the new one had none the year "
            "before: a change of the county's code? This report keeps the two apart, and "
            "compares no year across the change."
        )
        rows = [
            [
                str(r["year"]),
                county(r["before"]),
                county(r["after"]),
                str(r["n"]),
                renamed if r["renamed"] else "",
            ]
            for r in moves
        ]
        header = [t["year"], "原县（区）" if zh else "From", "现县（区）" if zh else "To"]
        header += ["学校数" if zh else "Schools", "说明" if zh else "Note"]
        blocks.append(Table(header, rows))
    if pairs:
        blocks.append(
            Para(
                "以下标识码仅相差开头的 0，按两所学校比较（一所撤销、一所新设）：可能是同一所"
                "学校的标识码被存为数字（如在 Excel 中）而丢失了开头的 0。请将标识码按文本填写"
                "完整的 10 位。"
                if zh
                else "These ids differ only in leading zeros and are compared as two schools (one "
                "closed, one opened): the same school whose id was stored as a number (e.g. in "
                "Excel), losing its leading zeros? Write the ids as text, all 10 digits."
            )
        )
        rows = [
            [str(r["year"]), county(r["county_code"]), str(r["closed"]), str(r["opened"])]
            for r in pairs
        ]
        header = [t["year"], t["county"], "撤销的标识码" if zh else "Id closed"]
        header += ["新设的标识码" if zh else "Id opened"]
        blocks.append(Table(header, rows))
    return blocks


def monitor_blocks(m: Monitoring, lang: str = "en", charts: bool = True) -> list[Block]:
    """The report of ``m`` as blocks (see the module)."""
    check_lang(lang)
    t = LABELS[lang]
    zh = lang == "zh"
    std = m.standard
    panel = m.panel.to_pylist()
    stages = {(r["county_code"], r["stage"]) for r in panel}
    by_county: dict[str, list[dict[str, Any]]] = {}
    for r in panel:
        by_county.setdefault(r["county_code"], []).append(r)

    def county(code: str) -> str:
        """The county code, with its name where the tables give one."""
        name = by_county[code][0]["county_name"] if code in by_county else None
        return f"{code} {name}" if name else code

    blocks: list[Block] = [
        Heading(
            1, f"{t['monitor_title']}{'：' if zh else ': '}{std.title_zh if zh else std.title_en}"
        ),
        Para(t["monitor_intro"]),
        Para(t["monitor_years"].format(first=m.years[0], last=m.years[-1], n=len(stages))),
        Heading(2, t["slides"]),
    ]
    slide_rows = m.slides.to_pylist()
    warning_rows = m.early_warnings.to_pylist()
    at = {(r["county_code"], r["stage"], r["year"]): r for r in panel}
    behind = {
        (r["county_code"], r["stage"], r["year"], r["coefficient"]): _rose_most(
            m, at[r["county_code"], r["stage"], r["year"]], r["coefficient"]
        )
        for r in warning_rows[:_CARRIERS_WARNINGS]
        if r["coefficient"] and len(by_county) <= _CARRIERS_COUNTIES
    }
    items = [
        (r["county_code"], r["stage"], r["year"], r["rose_most"][0])
        for r in slide_rows
        if r["rose_most"]
    ]
    items += [(k[0], k[1], k[2], i) for k, i in behind.items() if i is not None]
    carried = _carriers(m, items, len(by_county))

    def carriers(code: str, stage: str, year: int, indicator: str | None) -> str:
        found = carried.get((code, stage, year, indicator or ""), [])
        return ("、" if zh else ", ").join(found)

    slides = [
        [
            county(r["county_code"]),
            _stage(r["stage"], lang),
            str(r["year"]),
            str(r["recognised"]),
            _cv(r["value"]),
            "" if r["bound"] is None else format_number(r["bound"]),
            "、".join(_coefficient(f"cv_{c}", lang) for c in r["rose_most"])
            if zh
            else "; ".join(_coefficient(f"cv_{c}", lang) for c in r["rose_most"]),
            carriers(r["county_code"], r["stage"], r["year"], (r["rose_most"] or [None])[0]),
        ]
        for r in slide_rows
    ]
    header = [t["county"], t["stage"], t["year"], t["recognised"], t["value"], t["max"]]
    header += [t["rose_most"], "带动上升的学校" if zh else "Schools that moved it most"]
    blocks.append(Table(header, slides) if slides else Para(t["none"]))
    if slides and not carried and len(by_county) > _CARRIERS_COUNTIES:
        blocks.append(
            Para(
                "哪些学校带动了上升：见 Monitoring.contributions（县、学段、指标、两年）。"
                if zh
                else "Which schools moved a CV: Monitoring.contributions (county, stage, "
                "indicator, two years)."
            )
        )
    blocks.append(Heading(2, t["monitor_warnings"]))
    warnings = []
    for r in warning_rows:
        key = (r["county_code"], r["stage"], r["year"], r["coefficient"])
        indicator = behind.get(key)
        warnings.append(
            [
                county(r["county_code"]),
                _stage(r["stage"], lang),
                str(r["year"]),
                t[f"warning_{r['kind']}"],
                _coefficient(r["coefficient"], lang),
                _cv(r["value"]),
                _signed(r["change"]),
                _coefficient(f"cv_{indicator}", lang) if indicator else "",
                carriers(r["county_code"], r["stage"], r["year"], indicator),
            ]
        )
    header = [t["county"], t["stage"], t["year"], t["kind"], t["coefficient"], t["value"]]
    header += [
        t["change"],
        t["rose_most"],
        "带动上升的学校" if zh else "Schools that moved it most",
    ]
    blocks.append(Table(header, warnings, sortable=True) if warnings else Para(t["none"]))
    blocks += _openings(m, county, lang)
    blocks += _school_notes(m, panel, county, lang)
    blocks.append(Heading(2, t["monitor_summary"]))
    by_area = m.summary().to_pylist()
    provinces = {r["area"] for r in by_area if r["area"] != "national"}
    if len(provinces) == 1:  # one province: its rows are the whole input's, named by it
        only = next(iter(provinces))
        by_area = [r | {"area": only} for r in by_area if r["area"] == "national"]
    summary = [
        [
            str(r["year"]),
            _stage(r["stage"], lang),
            t["national"] if r["area"] == "national" else province_name(r["area"], lang),
            str(r["n_counties"]),
            str(r["n_passed"]),
            _cv(r["mean_composite_cv"]),
            _cv(r["weighted_mean_composite_cv"]),
        ]
        for r in by_area
    ]
    header = [t["year"], t["stage"], t["area"], t["county_many_title"], t["n_passed"]]
    header += [t["mean_composite"], t["weighted_composite"]]
    if std.balance.method.value != "composite":  # no composite under 2017
        header, summary = header[:-2], [row[:-2] for row in summary]
    blocks.append(Table(header, summary, sortable=True) if summary else Para(t["none"]))
    indicators = std.balance.indicators
    growth = [
        [str(r["year"]), _stage(r["stage"], lang)]
        + [_mean_growth(r[f"mean_{i}"], r[f"growth_{i}"]) for i in indicators]
        for r in by_area
        if r["area"] == "national" or len(provinces) == 1
    ]
    if growth:
        title = t["monitor_growth"]
        if len(provinces) == 1:  # not the nation: the one province the input covers
            name = province_name(next(iter(provinces)), lang)
            title = title.replace("全国", name).replace("the nation", name)
        blocks.append(Heading(3, title))
        blocks.append(Para(t["monitor_growth_intro"]))
        names = [_coefficient(f"cv_{i}", lang) for i in indicators]
        blocks.append(Table([t["year"], t["stage"], *names], growth))
    blocks.append(Heading(2, t["monitor_counties"]))
    codes = sorted(by_county)
    judged = m.judged
    for code in codes:
        mine = by_county[code]
        for stage in ("primary", "junior"):
            rows = [r for r in mine if r["stage"] == stage]
            if not rows or all(r["n_schools"] in (None, 0) for r in rows):
                continue
            title = f"{county(code)} · {_stage(stage, lang)}"
            blocks.append(Heading(3, title))
            table = [
                [str(r["year"]), _status(r["status"], lang)] + [_cv(r[c]) for c in judged]
                for r in rows
            ]
            names = [_coefficient(c, lang) for c in judged]
            # The stage's verdict, named for what it covers (the balance rule's component:
            # the composite CV under 2012, not the county's verdict).
            verdict = component_name(std, std.balance.component, lang)
            blocks.append(Table([t["year"], verdict, *names], table))
            if charts and len(codes) <= CHART_COUNTIES:
                series = [
                    (
                        _coefficient(c, lang),
                        [math.nan if r[c] is None else float(r[c]) for r in rows],
                    )
                    for c in judged
                ]
                bound = bound_of(std, stage)
                svg = trend_chart([r["year"] for r in rows], series, bound, lang)
                blocks.append(Chart(f"{title} · {t['trend_chart']}", svg))
    blocks.append(footer(lang))
    return blocks


def render_monitor(
    m: Monitoring,
    format: str = "md",
    lang: str | None = None,
    *,
    charts: bool = True,
) -> str:
    """The report of ``m`` as ``"text"``, ``"md"``, ``"html"`` (line charts inline) or
    ``"json"`` (the slides, early warnings and summary tables).

    ``lang`` ("en" or "zh") is by default the ``lang`` option
    (:func:`eduequity.set_options`), as for :func:`eduequity.report.render`.

    Examples
    --------
    >>> import eduequity as ee
    >>> from eduequity import batch
    >>> table = batch.table_from_counties([ee.datasets.sample_county()])
    >>> text = render_monitor(ee.monitor({2022: table, 2023: table}, "cn-basic-2012"), "text", "zh")
    >>> text.splitlines()[0]
    '义务教育均衡发展监测复查：县域义务教育均衡发展督导评估暂行办法（基本均衡）'
    """
    lang = lang or get_option("lang")
    check_lang(lang)
    if format not in FORMATS:
        raise ArgumentError(f"render_monitor: format must be one of {FORMATS}. Got {format!r}.")
    if format == "json":
        doc: dict[str, Any] = {
            "standard": m.standard.id,
            "lang": lang,
            "years": m.years,
            "slides": m.slides.to_pylist(),
            "early_warnings": m.early_warnings.to_pylist(),
            "summary": m.summary().to_pylist(),
        }
        return json.dumps(doc, ensure_ascii=False, indent=1)
    blocks = monitor_blocks(m, lang, charts and format == "html")
    return render_blocks(blocks, format, lang)
