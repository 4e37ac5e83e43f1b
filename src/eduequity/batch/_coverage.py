"""Which of a standard's indicators and school checks a validated table cannot give: the
indicators of a stage whose column is missing (no value for any school of the stage), and the
checks (class sizes, rooms, staffing) that no school they concern has the columns for, so the
evaluation will say not evaluated for them. Only the schools within the standard's scope
count, as in the evaluation: a teaching point under the pupils the scope asks for, or a
private school, makes no indicator or check evaluable. ``eduequity validate`` counts them as
problems, naming the header to write or the column map entry to add (or saying that only
schools outside the scope have the column)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._errors import DataError
from eduequity._indicators import get_indicator
from eduequity._models import Stage
from eduequity.batch._headers import header_to_write
from eduequity.rules._columns import STAGES, SchoolColumns
from eduequity.rules._scope import scope_given, scope_reasons
from eduequity.standards._model import Standard

__all__ = [
    "MissingCheck",
    "MissingIndicator",
    "coverage_lines",
    "missing_checks",
    "missing_indicators",
]


@attrs.frozen
class MissingIndicator:
    """An indicator of a stage that will not be evaluated: no school of the stage has a
    value in its column."""

    stage: str
    indicator: str
    column: str
    #: Some school outside the standard's scope has a value in the column (it is not absent).
    outside: bool = False

    def line(self, lang: str) -> str:
        """What to do about it, in ``lang`` ("en" or "zh")."""
        ind = get_indicator(self.indicator)
        return _missing_line(self.stage, ind.name_zh, ind.id, self.column, lang, self.outside)


def missing_indicators(
    columns: SchoolColumns, standard: Standard
) -> tuple[list[MissingIndicator], int]:
    """The indicators of ``standard``'s CV rule that no school of a stage can give, and the
    number of indicators of the stages with schools (what the first is counted out of); the
    schools within the standard's scope only."""
    rule = standard.balance
    missing: list[MissingIndicator] = []
    total = 0
    included = _included(columns, standard)
    for stage in STAGES:
        has = included & (columns.enrollment[stage] > 0)
        if not has.any():
            continue
        people = columns.people[stage]
        for ind in rule.indicators:
            total += 1
            numerator = rule.numerator(ind)
            if numerator in people:
                values = people[numerator]
                column = f"{numerator}_{stage.value}"
            else:
                values = columns.resources.get(numerator, np.full(columns.n_schools, np.nan))
                column = numerator
            if np.isnan(values[has]).all():
                # The stage's schools outside the scope that give the column.
                outside = bool(
                    (~included & (columns.enrollment[stage] > 0) & ~np.isnan(values)).any()
                )
                missing.append(MissingIndicator(stage.value, ind, column, outside))
    return missing, total


#: The school checks :func:`missing_checks` knows, by rule id (as the schools table names their
#: columns, ``check_`` + the id with ``_`` for ``.``), in Chinese and English.
CHECK_NAMES: Mapping[str, tuple[str, str]] = {
    "class_size": ("班额", "class sizes against the cap"),
    "rooms.music_rooms": ("音乐专用教室间数", "music rooms"),
    "rooms.music_room_area": ("音乐专用教室面积", "music room area"),
    "rooms.art_rooms": ("美术专用教室间数", "art rooms"),
    "rooms.art_room_area": ("美术专用教室面积", "art room area"),
    "staffing": ("教职工编制标准", "staffing standard"),
}


@attrs.frozen
class MissingCheck:
    """A school check that will not be evaluated for any school it concerns (of ``stage``, or
    every school with a compulsory stage where ``stage`` is None): none has a value in
    ``column``, which the check needs."""

    stage: str | None
    check: str
    column: str
    #: Some school outside the standard's scope has a value in the column (it is not absent).
    outside: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        """(stage, column) as :class:`MissingIndicator` names them: a column of one stage's
        (the class sizes a room count needs) is named with that stage."""
        for stage in STAGES:
            if self.column.endswith(f"_{stage.value}"):
                return stage.value, self.column
        return self.stage, self.column

    def line(self, lang: str) -> str:
        """What to do about it, in ``lang`` ("en" or "zh")."""
        zh, en = CHECK_NAMES[self.check]
        return _missing_line(self.stage, zh, en, self.column, lang, self.outside)


def _missing_title(stage: str | None, name_zh: str, name_en: str, lang: str) -> str:
    """What cannot be evaluated, as :func:`_missing_line` begins (各校 音乐专用教室间数)."""
    if lang == "zh":
        return f"{'各校' if stage is None else Stage(stage).name_zh} {name_zh}"
    return f"{'every school' if stage is None else stage} {name_zh} ({name_en})"


def _missing_line(
    stage: str | None, name_zh: str, name_en: str, column: str, lang: str, outside: bool = False
) -> str:
    """A missing column as validate names it: the stage (None: every school), what cannot be
    evaluated (its Chinese name, and in English its name or id), the column, the header to
    write and the column map entry; class sizes may be given by band instead. With
    ``outside``, the column has values, but only for schools outside the standard's scope."""
    title = _missing_title(stage, name_zh, name_en, lang)
    zh = lang == "zh"
    if outside:
        if zh:
            return (
                f"{title}：列 {column!r} 只有评估范围以外的学校填了数"
                "（如不足规定人数的教学点、民办学校）；纳入评估的学校都未填"
            )
        return (
            f"{title}: column {column!r} has values only for schools outside the standard's "
            "scope (a small teaching point, a private school); no school it evaluates has one"
        )
    header = header_to_write(column)
    by_band = column.startswith("class_sizes_")
    if zh:
        return (
            f"{title}：缺少列 {column!r}"
            + ("（或按班额段的班级数）" if by_band else "")
            + f"；请写表头 {header!r}，或用列映射 columns={{'原表头': {column!r}}}（--columns）"
        )
    return (
        f"{title}: no column {column!r}"
        + (" (nor the classes counted by band)" if by_band else "")
        + f"; write the header {header!r}, or map yours: "
        f"columns={{'your header': {column!r}}} (--columns)"
    )


#: A column a check needs: (column, the schools that need it, the schools that have it).
_Need = tuple[str, NDArray[np.bool_], NDArray[np.bool_]]


def missing_checks(columns: SchoolColumns, standard: Standard) -> tuple[list[MissingCheck], int]:
    """The school checks of ``standard`` (class sizes, rooms, staffing) that no school they
    apply to can be evaluated on, with the columns that no school needing them has; and the
    number of checks that concern some school (what the first is counted out of).

    A check concerns the schools of its stage (rooms: every school with a compulsory stage).
    It is evaluated on a school with a value in every column it needs there: the room counts
    also need the class sizes of each of the school's stages (to count its classes); the area
    of the rooms applies, as the evaluation applies it, wherever the school does not report
    zero rooms of the kind (then the room count fails instead), and needs the rooms counted
    and their area. Only the schools within the standard's scope are concerned (the others'
    checks are not applicable).
    """
    included = _included(columns, standard)
    with_stage = {stage: columns.enrollment[stage] > 0 for stage in STAGES}
    has = {stage: included & with_stage[stage] for stage in STAGES}
    any_stage = has[STAGES[0]] | has[STAGES[1]]
    any_all = with_stage[STAGES[0]] | with_stage[STAGES[1]]
    classes: list[_Need] = [
        (f"class_sizes_{stage.value}", has[stage], columns.class_sizes[stage].reported)
        for stage in STAGES
    ]
    # (check, stage, the schools it concerns, those it applies to, what it needs)
    checks: list[tuple[str, Stage | None, NDArray[np.bool_], NDArray[np.bool_], list[_Need]]]
    checks = []
    if standard.class_size is not None:
        for stage in standard.class_size.maximum:
            listed = classes[STAGES.index(stage)]
            checks.append(("class_size", stage, has[stage], has[stage], [listed]))
    if standard.rooms is not None:
        res = columns.resources
        for kind in ("music", "art"):
            rooms = res[f"{kind}_rooms"]
            counted: list[_Need] = [(f"{kind}_rooms", any_stage, ~np.isnan(rooms)), *classes]
            checks.append((f"rooms.{kind}_rooms", None, any_stage, any_stage, counted))
            # Not where the school has no room of the kind (the count fails instead); its
            # rooms' mean area needs them counted and their area, not its classes.
            applies = any_stage & ~(rooms == 0)
            area = res[f"{kind}_room_area"]
            measured: list[_Need] = [
                (f"{kind}_rooms", applies, ~np.isnan(rooms)),
                (f"{kind}_room_area", applies, ~np.isnan(area)),
            ]
            checks.append((f"rooms.{kind}_room_area", None, any_stage, applies, measured))
    if standard.staffing is not None:
        for stage in standard.staffing.students_per_staff:
            staff = columns.people[stage]["staff"]
            counted_staff: _Need = (f"staff_{stage.value}", has[stage], ~np.isnan(staff))
            checks.append(("staffing", stage, has[stage], has[stage], [counted_staff]))
    missing: list[MissingCheck] = []
    total = 0
    for check, of_stage, concerned, applies, needs in checks:
        if not concerned.any():
            continue
        total += 1
        if not applies.any() or _evaluable(applies, needs).any():
            continue
        # The columns some school needs and none of those has (a stage no school has needs
        # nothing).
        absent = [
            c
            for c, needed, known in needs
            if (applies & needed).any() and not (applies & needed & known).any()
        ]
        if not absent:  # each column is somewhere, but no school has them all
            absent = [c for c, needed, known in needs if (applies & needed & ~known).any()]
        name = None if of_stage is None else of_stage.value
        # The schools the check would concern but for the scope, that give the column.
        outside = ~included & (any_all if of_stage is None else with_stage[of_stage])
        elsewhere = {c for c, _, known in needs if (outside & known).any()}
        missing += [MissingCheck(name, check, c, c in elsewhere) for c in absent]
    return missing, total


def _included(columns: SchoolColumns, standard: Standard) -> NDArray[np.bool_]:
    """The schools within ``standard``'s scope, as the evaluation finds them
    (``eduequity.rules._scope.scope_reasons``)."""
    included: NDArray[np.bool_] = scope_reasons(columns, standard.scope) == 0
    return included


def _evaluable(schools: NDArray[np.bool_], needs: list[_Need]) -> NDArray[np.bool_]:
    """Of ``schools``, those with every column they need."""
    ok: NDArray[np.bool_] = schools.copy()
    for _, needed, known in needs:
        ok &= ~needed | known
    return ok


def coverage_lines(
    columns: SchoolColumns, standards: Sequence[Standard], lang: str
) -> tuple[list[str], list[str]]:
    """What ``eduequity validate`` says of the indicators and school checks each of
    ``standards`` cannot evaluate (:func:`missing_indicators`, :func:`missing_checks`), in
    ``lang``: the lines to print, each column named once (a check whose columns were all
    named above is counted, not repeated), and one count per standard for the last line
    (none: nothing is missing)."""
    zh = lang == "zh"
    out: list[str] = []
    counts: list[str] = []
    listed: set[tuple[str | None, str]] = set()

    def named(items: list[tuple[str, list[tuple[str | None, str, str]]]]) -> None:
        # Each item: what cannot be evaluated, and its missing columns' lines.
        again = []
        for title, lines in items:
            new = [m for m in lines if (m[0], m[1]) not in listed]
            if not new:
                again.append(title)
            for stage, column, line in new:
                out.append(f"  - {line}")
                listed.add((stage, column))
        if again:
            out.append(
                f"  - {'、'.join(again)}：所缺的列见上"
                if zh
                else f"  - {'; '.join(again)}: their columns are listed above"
            )

    for std in standards:
        try:  # the evaluation refuses a scope the table does not say (举办者 in words)
            scope_given(std, columns)
        except DataError as refused:
            out.append(f"  - {refused.in_language(lang)}")
            counts.append(f"{std.id} 评估范围" if zh else f"the scope under {std.id}")
        missing, total = missing_indicators(columns, std)
        gaps, checks = missing_checks(columns, std)
        k, n_gaps = len(missing), len({(m.check, m.stage) for m in gaps})
        parts = []
        if missing:
            parts.append(f"指标 {k}/{total}" if zh else f"{k} of {total} indicators")
        if gaps:
            parts.append(
                f"学校检查 {n_gaps}/{checks}" if zh else f"{n_gaps} of {checks} school checks"
            )
        if parts:
            counts.append(
                f"{std.id} {'、'.join(parts)}" if zh else f"{' and '.join(parts)} under {std.id}"
            )
        if missing:
            out.append(
                f"{std.id} 的 {total} 项指标（按学段计）中有 {k} 项无法评估（缺少所需的列）："
                if zh
                else f"{k} of the {total} indicators of {std.id} (by stage) will not be "
                "evaluated: their columns are missing:"
            )
            named(
                [
                    (
                        _missing_title(
                            m.stage, get_indicator(m.indicator).name_zh, m.indicator, lang
                        ),
                        [(m.stage, m.column, m.line(lang))],
                    )
                    for m in missing
                ]
            )
        if gaps:
            out.append(
                f"{std.id} 的 {checks} 项学校检查（按学段计）中有 {n_gaps} 项"
                "无法评估（缺少所需的列）："
                if zh
                else f"{n_gaps} of the {checks} school checks of {std.id} (by stage) will not be "
                "evaluated for any school: their columns are missing:"
            )
            by_check: dict[tuple[str, str | None], list[tuple[str | None, str, str]]] = {}
            for m in gaps:
                by_check.setdefault((m.check, m.stage), []).append((*m.key, m.line(lang)))
            named(
                [
                    (_missing_title(stage, *CHECK_NAMES[check], lang), lines)
                    for (check, stage), lines in by_check.items()
                ]
            )
    return out, counts


def not_reported_lines(columns: SchoolColumns, lang: str) -> list[str]:
    """What ``eduequity validate`` says of the empty cells accepted as not reported
    (``nulls="not_reported"``): per column, as its header was written, how many schools and
    the first of them; none where no cell was accepted so."""
    zh = lang == "zh"
    ids = columns.school_id
    out = []
    for name, mask in columns.not_reported.items():
        rows = np.flatnonzero(mask)
        if not rows.size:
            continue
        header = columns.headers.get(name, name)
        shown = ", ".join(repr(ids[int(i)].as_py()) for i in rows[:3])
        more = " …" if rows.size > 3 else ""
        if zh:
            out.append(f"  - 列 {header!r}：{rows.size} 所学校（{shown}{more}）")
        else:
            school = "school" if rows.size == 1 else "schools"
            out.append(f"  - column {header!r}: {rows.size} {school} ({shown}{more})")
    if out:
        out.insert(
            0,
            "以下空单元格（或无数据符号）按 --nulls not_reported 视为未填报，不计入相应指标："
            if zh
            else "Empty cells (or cells saying no data) accepted as not reported "
            "(--nulls not_reported), left out of what they measure:",
        )
    return out
