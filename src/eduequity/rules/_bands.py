"""Whether a standard's class-size thresholds can be decided from classes counted by band.

A count of classes by band (``eduequity._class_bands``) decides "more than ``c`` students"
exactly only where ``c`` is the top of a band (25, 30, ..., 65). :func:`check_band_edges`
refuses a standard with a threshold inside a band when a school it evaluates reported by band,
naming the threshold as the ruleset writes it, the standard, the band and the schools.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from eduequity._class_bands import band_above, band_columns, band_of
from eduequity._class_bands import band_label as _label
from eduequity._class_bands import edges_text as _edges
from eduequity._errors import DataError
from eduequity._models import Stage
from eduequity.rules._columns import SchoolColumns
from eduequity.standards._model import ClassSizeRule, Standard

__all__ = ["band_thresholds", "check_band_edges"]

_MAX_IDS = 3


def band_thresholds(rule: ClassSizeRule, stage: Stage) -> Iterator[tuple[str, str, str, int]]:
    """Each threshold of ``rule`` that counts classes of ``stage``: the ruleset key as written,
    what it does (in English and in Chinese), and the size ``c`` such that the classes it
    counts have more than ``c`` students."""
    if stage not in rule.maximum:
        return
    cap = rule.maximum[stage]
    yield (
        f"class_size.maximum.{stage.value} = {cap}",
        f"caps {stage.value} classes at {cap} students",
        f"规定{stage.name_zh}每班不超过 {cap} 人",
        cap,
    )
    yield (
        f"class_size.large_from = {rule.large_from}",
        f"counts large classes (大班额) from {rule.large_from} students",
        f"大班额从 {rule.large_from} 人起算",
        rule.large_from - 1,
    )
    yield (
        f"class_size.super_large_from = {rule.super_large_from}",
        f"counts super-large classes (超大班额) from {rule.super_large_from} students",
        f"超大班额从 {rule.super_large_from} 人起算",
        rule.super_large_from - 1,
    )
    for k, target in enumerate(rule.targets):
        yield (
            f"class_size.targets[{k}].min_size = {target.min_size}",
            f"sets a target on the classes of {target.min_size} students or more",
            f"对 {target.min_size} 人及以上班级的占比设有目标",
            target.min_size - 1,
        )


def check_band_edges(
    columns: SchoolColumns, included: NDArray[np.bool_], standard: Standard
) -> None:
    """Refuse ``standard`` where a class-size threshold falls inside a band and an included
    school reported that stage's classes by band.

    Raises
    ------
    DataError
        Naming the standard, the threshold as its ruleset writes it, the band it falls in, the
        band columns and the first schools reported by band.

    Examples
    --------
    >>> import attrs
    >>> import eduequity as ee
    >>> from eduequity.rules._columns import columns_from_counties
    >>> std = ee.get_standard("cn-quality-2017")
    >>> odd = attrs.evolve(std, class_size=attrs.evolve(
    ...     std.class_size, maximum={ee.Stage.PRIMARY: 42, ee.Stage.JUNIOR: 50}))
    >>> school = ee.School(id="A", kind="primary", primary=ee.StageData(
    ...     enrollment=80, class_bands=[0, 0, 0, 0, 2, 0, 0, 0, 0, 0]))
    >>> cols = columns_from_counties([ee.County(code="990101", schools=[school])])
    >>> check_band_edges(cols, np.array([True]), odd)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    eduequity.DataError: evaluate: standard 'cn-quality-2017' ... at 42 ... 41-45人 ...
    """
    rule = standard.class_size
    if rule is None:
        return
    for stage, sizes in columns.class_sizes.items():
        if sizes.bands is None:
            continue
        rows = np.flatnonzero(sizes.banded & included & (columns.enrollment[stage] > 0))
        if rows.size == 0:
            continue
        for written, what, what_zh, size in band_thresholds(rule, stage):
            if band_above(size) is not None:
                continue
            band = band_of(size)
            ids = [str(columns.school_id[int(r)].as_py()) for r in rows[:_MAX_IDS]]
            more = ", ..." if rows.size > _MAX_IDS else ""
            # Each band as the input names it: its header as written in a table, or the
            # field of the object door.
            names = [
                columns.headers.get(column, f"{stage.value}.class_bands[{k}]")
                for k, column in enumerate(band_columns(stage.value))
            ]
            schools = ", ".join(repr(i) for i in ids) + more
            raise DataError(
                f"evaluate: standard {standard.id!r} ({standard.title_zh}) {what} "
                f"({written}), which falls inside the band {_label(band)} "
                f"({_label(band, 'en')}; {names[band]!r}): from the count of classes by band, "
                f"which classes of {_label(band)} have more than {size} students cannot be "
                f"known. {rows.size} school(s) report their {stage.value} classes by band "
                f"(school ids {schools}; {names[0]!r} ... {names[-1]!r}). Give those schools' "
                f"class sizes one by one ({stage.name_zh}班额, class_sizes_{stage.value}), "
                "or use a ruleset whose class-size thresholds are band edges (more than "
                f"{_edges()} students).",
                zh=f"评估：标准 {standard.id!r}（{standard.title_zh}）{what_zh}（{written}），"
                f"落在班额段 {_label(band)} 之内（{names[band]!r}）：按班额段的班数无法得知该段"
                f"哪些班超过 {size} 人。有 {rows.size} 所学校按班额段填报{stage.name_zh}班级"
                f"（学校 {schools}；{names[0]!r} … {names[-1]!r}）。请逐班填写这些学校的班额"
                f"（{stage.name_zh}班额，class_sizes_{stage.value}），或使用班额阈值都落在"
                f"班额段边界上的规则（超过 {_edges()} 人）。",
            )
