"""Write the standards as reStructuredText tables, from the standards' data (used by conf.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from eduequity import Citation, Standard, get_indicator
from eduequity.rules import format_number
from eduequity.standards import get_standard, list_standards


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "/")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        out.append("   * - " + _cell(row[0]))
        out += ["     - " + _cell(c) for c in row[1:]]
    return [*out, ""]


def _source(c: Citation) -> str:
    where = " ".join(p for p in (c.document, c.clause) if p)
    return where or c.title


def _heading(text: str, mark: str) -> list[str]:
    return [text, mark * max(len(text) * 2, 4), ""]


def standard_section(std: Standard) -> list[str]:
    """The rules of one standard, each with its source and confidence."""
    out = _heading(f"{std.id}: {std.title_en}", "-")
    out += [f"{std.title_zh} ({std.document}, {std.year}).", ""]
    out += ["**Components**", ""]
    out += _table(["id", "名称", "name"], [[c.id, c.name_zh, c.name_en] for c in std.components])
    b = std.balance
    out += ["**Balance between schools**", ""]
    judged = "the composite (mean of the CVs)" if b.method.value == "composite" else "each CV"
    maxima = ", ".join(f"{s.value} ≤ {format_number(v)}" for s, v in b.maximum.items())
    out += [
        f"Judged on {judged}: {maxima}. Source: {_source(b.citation)} "
        f"[{b.citation.confidence.value}].",
        "",
    ]
    out += _table(
        ["indicator", "指标", "numerator", "scale"],
        [
            [i, get_indicator(i).name_zh, b.numerator(i), format_number(get_indicator(i).scale)]
            for i in b.indicators
        ],
    )
    school = std.school_standard
    if school is not None:
        out += ["**Per-school minimums**", ""]
        if school.rule.value == "at_least":
            out += [
                f"At least {school.min_met} met; each other at least "
                f"{format_number(100 * (school.floor_fraction or 0))}% of its value.",
                "",
            ]
        out += _table(
            ["indicator", "stage", "rule", "source", "confidence"],
            [
                [
                    m.indicator,
                    m.stage.value,
                    f"{m.op.value} {format_number(m.value)}",
                    _source(m.citation),
                    m.citation.confidence.value,
                ]
                for m in school.minimums
            ],
        )
    elif std.school_standard_slot is not None:
        out += [
            "**Per-school minimums**: the province's basic school-running standard, supplied "
            "by the user (``Standard.with_school_standard``).",
            "",
        ]
    rules = []
    if std.rooms is not None:
        r = std.rooms
        rules.append(
            [
                "music and art rooms",
                f"1 of each per {r.classes_per_room} classes",
                _source(r.citation),
                r.citation.confidence.value,
            ]
        )
        rules.append(
            [
                "room area",
                f"music ≥ {format_number(r.music_min_area)} m², art ≥ "
                f"{format_number(r.art_min_area)} m²",
                _source(r.area_citation),
                r.area_citation.confidence.value,
            ]
        )
    if std.school_size is not None:
        s = std.school_size
        caps = ", ".join(f"{k.value} ≤ {v}" for k, v in s.maximum.items())
        rules.append(["school size", caps, _source(s.citation), s.citation.confidence.value])
    if std.class_size is not None:
        c = std.class_size
        caps = ", ".join(f"{k.value} ≤ {v}" for k, v in c.maximum.items())
        rules.append(
            [
                "class size",
                f"{caps}; large from {c.large_from}, super-large from {c.super_large_from}",
                _source(c.citation),
                c.citation.confidence.value,
            ]
        )
        for t in c.targets:
            when = "" if t.by_year is None else f" by the end of {t.by_year}"
            rules.append(
                [
                    "class-size target",
                    f"classes of {t.min_size}+ at most {format_number(t.max_share * 100)} %{when}",
                    _source(t.citation),
                    t.citation.confidence.value,
                ]
            )
    if std.staffing is not None:
        st = std.staffing
        ratio = ", ".join(
            f"{k.value} 1:{format_number(v)}" for k, v in st.students_per_staff.items()
        )
        rules.append(
            ["staff to students", ratio, _source(st.citation), st.citation.confidence.value]
        )
    if rules:
        out += ["**School checks**", ""]
        out += _table(["rule", "value", "source", "confidence"], rules)
    if std.county_items:
        out += ["**County items** (county inputs)", ""]
        out += _table(
            ["id", "component", "input", "rule", "source", "confidence"],
            [
                [
                    i.id,
                    i.component,
                    i.input,
                    f"{i.op.value} {format_number(i.value)}",
                    _source(i.citation),
                    i.citation.confidence.value,
                ]
                for i in std.county_items
            ],
        )
    w = std.split_weights
    out += [
        f"**Split of multi-stage schools**: a junior student weighs {format_number(w.junior)}, "
        f"a senior student {format_number(w.senior)} (complete secondary: "
        f"{format_number(w.complete_secondary_senior)} against a junior student). Source: "
        f"{_source(std.split_citation)} [{std.split_citation.confidence.value}].",
        "",
    ]
    return out


def write_standards_page(path: Path) -> None:
    lines = []
    for info in list_standards():
        lines += standard_section(get_standard(info.id))
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
