"""A report as a list of blocks (headings, paragraphs, tables, charts), whatever the format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from eduequity._indicators import get_indicator
from eduequity._read_record import ReadRecord
from eduequity._schema import RESOURCE_NAMES
from eduequity._status import Status
from eduequity._text import format_amount, format_cv, format_number
from eduequity._version import __version__
from eduequity.report._charts import cv_chart, school_chart
from eduequity.report._labels import LABELS, status_label
from eduequity.report._model import CountyReport, StageReport, SummaryRow
from eduequity.rules._shortfalls import RESOURCE_UNITS, unit_en
from eduequity.standards._model import Standard

__all__ = ["Block", "Chart", "Heading", "Para", "Table", "stage_blocks", "summary_blocks"]


@attrs.frozen
class Heading:
    level: int
    text: str


@attrs.frozen
class Para:
    text: str
    status: str | None = None


@attrs.frozen
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    status_cols: tuple[int, ...] = ()  # columns holding a status, for colouring
    sortable: bool = False
    links: Mapping[int, str] = attrs.field(factory=dict)  # row -> file of its county
    flagged: frozenset[tuple[int, int]] = frozenset()  # (row, column) of cells below a minimum
    wrap_header: bool = False  # many columns: headings wrap (HTML)


@attrs.frozen
class Chart:
    title: str
    svg: str


Block = Heading | Para | Table | Chart


def counties_text(n: int, lang: str) -> str:
    """ "3 counties", "1 county", "3 个县（区）"."""
    t = LABELS[lang]
    return f"{n} {t['county_one'] if n == 1 else t['county_many']}"


def tally(statuses: Sequence[Status], lang: str) -> str:
    """How many counties have each status."""
    counts = {s: sum(x is s for x in statuses) for s in Status}
    return ("，" if lang == "zh" else ", ").join(
        f"{status_label(s, lang)} {n}"
        for s, n in counts.items()
        if n or s is not Status.NOT_APPLICABLE
    )


def head_blocks(standard: Standard, lang: str, data: str | None = None) -> list[Block]:
    """The report's title, the standard it applies and the schools that standard counts (the
    scope's clause: where the standard chose without a confirmed source, it says so); then
    ``data``, the line that names the data (:func:`data_line`), where given."""
    t = LABELS[lang]
    zh = lang == "zh"
    title = standard.title_zh if zh else standard.title_en
    sep = "：" if zh else ": "
    source = (
        f"（{standard.document}，{standard.id}）"
        if zh
        else f" ({standard.document}, {standard.id})"
    )
    blocks: list[Block] = [
        Heading(1, t["title"]),
        Para(f"{t['standard']}{sep}{title}{source}"),
    ]
    scope = standard.scope.citation
    clause = scope.clause_zh if zh else scope.clause
    if clause:
        label = t["scope"]
        line = clause if clause.startswith(label) else f"{label}{sep}{clause}"
        blocks.append(Para(line + scope.reading_text(lang)))
    if data is not None:
        blocks.append(Para(data))
    return blocks


def data_line(record: ReadRecord | None, lang: str) -> str | None:
    """The data's file and title (数据：汤阴县.xlsx（汤阴县2024年义务教育学校办学条件统计表）),
    where the file gives a title above its headers: the county and the year a superior reads
    first; None without one."""
    if record is None or record.title is None:
        return None
    if lang == "zh":
        return f"{LABELS[lang]['data']}：{record.source}（{record.title}）"
    return f"{LABELS[lang]['data']}: {record.source} ({record.title})"


def county_name(code: str, name: str) -> str:
    """A county as reports name it: its name and code, or its code."""
    return f"{name} ({code})" if name else code


def quantity_text(resource: str, quantity: float, lang: str) -> str:
    """A quantity to add, with its resource and unit."""
    if lang == "zh":
        return (
            f"{RESOURCE_NAMES[resource][0]}{format_amount(quantity)}{RESOURCE_UNITS[resource][0]}"
        )
    name = RESOURCE_NAMES[resource][1]
    return f"{name} {format_amount(quantity)} {unit_en(resource, quantity)}"


def components_table(r: CountyReport, standard: Standard, lang: str) -> Table:
    t = LABELS[lang]
    return Table(
        [t["component"], t["status"]],
        [
            [c.name_zh if lang == "zh" else c.name_en, status_label(r.components[c.id], lang)]
            for c in standard.components
        ],
        status_cols=(1,),
    )


def component_name(standard: Standard, component: str, lang: str) -> str:
    """A component's name in ``lang``."""
    c = standard.component(component)
    return c.name_zh if lang == "zh" else c.name_en


def school_rule_text(
    status: Status, n_failing: int | None, standard: Standard, lang: str, n_unjudged: int = 0
) -> str:
    """The school rule of a stage in words: "4 所未达标", "4 所未达标，1 所未评估", "达标",
    "未评估：未提供…" (``n_unjudged``: the stage parts it could not judge, for lack of data)."""
    t = LABELS[lang]
    if status is Status.FAILED and n_failing:
        text = t["n_failing_schools"].format(n=n_failing)
        return text + t["and_unjudged"].format(n=n_unjudged) if n_unjudged else text
    if status is Status.NOT_EVALUATED and standard.school_standard is None:
        return t["no_school_standard"]
    if status is Status.NOT_EVALUATED and n_unjudged:
        return t["n_unjudged_schools"].format(n=n_unjudged)
    return status_label(status, lang)


def verdict_parts(
    cv_status: Status,
    school_rule_status: Status,
    n_failing: int | None,
    joined: Sequence[str],
    standard: Standard,
    lang: str,
    n_unjudged: int = 0,
) -> list[tuple[str, str]]:
    """Each part of a stage's verdict, named: the CV rule, and the school rule where the
    standard has one (saying where it counts when the stage's verdict does not join it;
    ``n_unjudged``: the stage parts the school rule could not judge)."""
    t = LABELS[lang]
    composite = standard.balance.method.value == "composite"
    parts = [(t["cv_rule_composite"] if composite else t["cv_rule"], status_label(cv_status, lang))]
    if school_rule_status is not Status.NOT_APPLICABLE:
        text = school_rule_text(school_rule_status, n_failing, standard, lang, n_unjudged)
        name = t["school_rule"]
        if "school_rule" not in joined:
            name = t["school_rule_2012"]
            slot = standard.school_standard or standard.school_standard_slot
            if slot is not None:
                where = t["apart"].format(component=component_name(standard, slot.component, lang))
                text = f"{text} ({where})" if lang == "en" else f"{text}（{where}）"
        parts.append((name, text))
    return parts


def stage_parts_of(
    s: StageReport | SummaryRow, standard: Standard, lang: str
) -> list[tuple[str, str]]:
    """:func:`verdict_parts` of one stage of a county's report or of a summary's row."""
    return verdict_parts(
        s.cv_status, s.school_rule_status, s.n_failing, s.joined, standard, lang, s.n_unjudged
    )


def parts_text(parts: Sequence[tuple[str, str]], lang: str, *, inner: bool = False) -> str:
    """Named parts on one line: "差异系数：达标；学校达标：4 所未达标" (``inner``: joined by
    commas, to sit inside a longer sentence)."""
    if lang == "zh":
        return ("，" if inner else "；").join(f"{name}：{text}" for name, text in parts)
    return (", " if inner else "; ").join(f"{name}: {text}" for name, text in parts)


def stage_verdict(s: StageReport, standard: Standard, lang: str) -> str:
    """A stage's verdict named for what it covers: "小学 · 资源配置：未达标"."""
    stage_name = s.stage.name_zh if lang == "zh" else s.stage.name_en
    sep = "：" if lang == "zh" else ": "
    what = component_name(standard, s.component, lang)
    return f"{stage_name} · {what}{sep}{status_label(s.status, lang)}"


def cv_table(s: StageReport, lang: str) -> Table:
    """A stage's CVs: each against the maximum where each is judged (2017), else the composite
    against it (2012), each figure printed on its side of the maximum (``format_cv``)."""
    t = LABELS[lang]
    each = s.method == "each" and s.threshold is not None
    limit = s.threshold if each else None  # each CV judged against the maximum
    rows = []
    for ind_id, cv in s.cvs.items():
        ind = get_indicator(ind_id)
        shown = t["not_reported"] if ind_id in s.cv_missing else format_cv(cv, limit)
        row = [ind.name_zh if lang == "zh" else ind.name_en, shown, "", ""]
        if each:
            assert s.threshold is not None
            row[2:] = [format_number(s.threshold), status_label(s.judged_status[ind_id], lang)]
        rows.append(row)
    if s.method == "composite":
        rows.append(
            [
                t["composite"],
                t["not_reported"] if s.cv_missing else format_cv(s.composite_cv, s.threshold),
                "" if s.threshold is None else format_number(s.threshold),
                status_label(s.cv_status, lang),
            ]
        )
    return Table([t["indicator"], t["cv"], t["max"], t["status"]], rows, status_cols=(3,))


def stage_blocks(s: StageReport, standard: Standard, lang: str, charts: bool) -> list[Block]:
    """A stage: its verdict with each of its parts, each CV against the maximum, the charts."""
    t = LABELS[lang]
    zh = lang == "zh"
    stage_name = s.stage.name_zh if zh else s.stage.name_en
    parts = stage_parts_of(s, standard, lang)
    blocks: list[Block] = [
        Heading(3, stage_verdict(s, standard, lang)),
        Para(
            f"{parts_text(parts, lang)} · {s.n_schools} {t['schools_in_scope']}, "
            f"{format_number(s.enrollment)} {t['students']}"
        ),
        cv_table(s, lang),
    ]
    if charts:
        blocks.append(Chart(f"{stage_name} · {t['cv_chart']}", cv_chart(s, lang)))
        if s.school_values:
            floor = (
                None
                if standard.school_standard is None
                else standard.school_standard.floor_fraction
            )
            blocks.append(
                Chart(f"{stage_name} · {t['school_chart']}", school_chart(s, floor, lang))
            )
    return blocks


def summary_blocks(
    rows: Sequence[SummaryRow],
    n_counties: int,
    county_statuses: Sequence[Status],
    standard: Standard,
    lang: str,
    links: Mapping[str, str] | None = None,
    data: str | None = None,
) -> list[Block]:
    """A summary of many counties: one row per county and stage, sortable; ``links`` gives the
    file of each county's own report, by county code; ``data`` names the data under the head."""
    t = LABELS[lang]
    zh = lang == "zh"
    composite = standard.balance.method.value == "composite"
    indicators = list(standard.balance.indicators)
    # The stage's verdict, named for what it covers: the balance rule's component.
    header = [t["county"], t["verdict"], t["stage"]]
    header.append(component_name(standard, standard.balance.component, lang))
    # Each rule's column holds its verdict, not its figure (the composite's figure has a
    # column of its own): named so.
    rule_names = [
        t["verdict_of"].format(name=name)
        for name, _ in verdict_parts(*_parts_of(rows, standard), standard, lang)
    ]
    header += [*rule_names, t["n_schools"], t["n_failing"]]
    header += [get_indicator(i).name_zh if zh else get_indicator(i).name_en for i in indicators]
    if composite:
        header.append(t["composite_short"])
    # The figures reported beside the verdicts (part of none): staff lacking, large classes.
    reported = [
        key
        for key, has in (
            ("staff_shortfall", standard.staffing is not None),
            ("classes_large", standard.class_size is not None),
            ("classes_super_large", standard.class_size is not None),
        )
        if has
    ]
    # Classes counted only over the schools that reported them: where some did not, how many
    # (a count over part of the schools is not the stage's), and none where none did.
    unlisted = "classes_large" in reported and any(
        r.reported.get("n_schools_classes_not_reported") for r in rows
    )
    header += [t[key] for key in reported]
    if unlisted:
        header.append(t["classes_not_reported"])
    table_rows, row_links = [], {}
    for k, r in enumerate(rows):
        row = [
            county_name(r.code, r.name),
            status_label(r.status, lang),
            r.stage.name_zh if zh else r.stage.name_en,
            status_label(r.stage_status, lang),
            *(text for _, text in stage_parts_of(r, standard, lang)),
            str(r.n_schools),
            "" if r.n_failing is None else str(r.n_failing),
            *(_cv_cell(r.cvs[i], t["not_reported"]) for i in indicators),
        ]
        if composite:  # a composite of missing CVs is not evaluated
            row.append(_cv_cell(r.composite_cv, status_label(Status.NOT_EVALUATED, lang)))
        not_listed = r.reported.get("n_schools_classes_not_reported")
        for key in reported:
            value = r.reported.get(key)
            if value is None:  # not known (staff, or classes no school reported), or no school
                row.append(t["not_reported"] if r.n_schools else "")
            else:
                row.append(format_number(value))
        if unlisted:
            row.append("" if not_listed is None else format_number(not_listed))
        table_rows.append(row)
        if links and r.code in links:
            row_links[k] = links[r.code]
    return [
        *head_blocks(standard, lang, data),
        Heading(2, t["summary"]),
        Para(
            f"{counties_text(n_counties, lang)}{'：' if zh else ': '}{tally(county_statuses, lang)}"
        ),
        Table(
            header,
            table_rows,
            status_cols=tuple(range(1, 4 + len(rule_names))),
            sortable=True,
            links=row_links,
        ),
    ]


def footer(lang: str) -> Para:
    """The last line of every report: what made it, and its version."""
    return Para(LABELS[lang]["generated"].format(version=__version__))


def _parts_of(
    rows: Sequence[SummaryRow], standard: Standard
) -> tuple[Status, Status, int | None, tuple[str, ...]]:
    """Statuses that give the summary's header every part the standard has."""
    has_rule = standard.school_standard is not None or standard.school_standard_slot is not None
    rule = Status.PASSED if has_rule else Status.NOT_APPLICABLE
    return Status.PASSED, rule, None, rows[0].joined if rows else ("cv", "school_rule")


def _cv_cell(value: float | None, missing: str) -> str:
    """A CV of the summary table; ``missing`` where it is undefined (None or NaN)."""
    return missing if value is None or value != value else format_cv(value)
