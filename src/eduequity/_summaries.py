"""Summaries of one county: class sizes by band and staff against the staffing standard.

Neither decides a component (the class-size *cap* of the 2017 standard is a rule of its
government-guarantee component), but both are what a supervision office tabulates: how many
classes fall in each band, the county against the national class-size targets, and how many
staff each school lacks against the staffing standard. Both are views of the pipeline
(:attr:`eduequity.rules.Evaluation.class_bands`, ``class_targets`` and ``staffing``): the
figures are those of the columnar door's tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import numpy as np

from eduequity import _display
from eduequity._findings.messages import TEMPLATES
from eduequity._findings.record import Finding
from eduequity._models import Stage
from eduequity._status import STATUS_CODES, Level, Status
from eduequity._text import format_number
from eduequity.rules._columns import STAGES
from eduequity.rules._pipeline import Evaluation
from eduequity.standards._model import Op, StaffingRule

__all__ = [
    "ClassSizeCounts",
    "ClassSizeReport",
    "StaffingReport",
    "StaffingRow",
    "class_size_report",
    "staffing_report",
]


@attrs.frozen
class ClassSizeCounts:
    """Classes by band: within the cap, over it (偏大), large (大班额), super-large (超大班额)."""

    within: int = 0
    over: int = 0
    large: int = 0
    super_large: int = 0

    @property
    def classes(self) -> int:
        """All classes."""
        return self.within + self.over + self.large + self.super_large

    def share(self, band: str) -> float:
        """Share of classes in ``band`` (NaN with no class)."""
        n = self.classes
        return getattr(self, band) / n if n else math.nan

    def __add__(self, other: ClassSizeCounts) -> ClassSizeCounts:
        return ClassSizeCounts(
            self.within + other.within,
            self.over + other.over,
            self.large + other.large,
            self.super_large + other.super_large,
        )


@attrs.frozen
class ClassSizeReport:
    """Class sizes of the in-scope schools by band, and the county against the targets.

    Attributes
    ----------
    schools : tuple of (school id, Stage, ClassSizeCounts)
    stages : mapping of Stage to ClassSizeCounts
    county : ClassSizeCounts
    targets : tuple of Finding
        Each national target (classes of ``min_size`` or more at most ``max_share`` of all
        classes) against the county's classes.
    not_reported : tuple of str
        Schools that have a stage but did not report its class sizes (not counted).
    """

    schools: tuple[tuple[str, Stage, ClassSizeCounts], ...]
    stages: Mapping[Stage, ClassSizeCounts]
    county: ClassSizeCounts
    targets: tuple[Finding, ...]
    not_reported: tuple[str, ...]

    __repr__ = _display.class_size_report_repr


def class_size_report(ev: Evaluation, county: int = 0) -> ClassSizeReport:
    """The classes of the in-scope schools of ``county`` by band, with the class-size targets
    as findings: a view of the pipeline's :attr:`~eduequity.rules.Evaluation.class_bands` and
    :attr:`~eduequity.rules.Evaluation.class_targets` (the standard must have a class-size
    rule)."""
    rule, bands, targets = ev.standard.class_size, ev.class_bands, ev.class_targets
    assert rule is not None
    assert bands is not None
    assert targets is not None
    parts = ev.parts
    ids = ev.columns.school_id.to_pylist()
    rows_out = []
    stages: dict[Stage, ClassSizeCounts] = {}
    missing: list[str] = []
    for stage in rule.maximum:
        code = STAGES.index(stage)
        g = int(parts.group(county, code))
        mine = np.flatnonzero(parts.groups.codes == g)
        for row in mine[bands.reported[mine]].tolist():
            counts = ClassSizeCounts(*(int(x) for x in bands.counts[row]))
            rows_out.append((ids[int(parts.school_row[row])], stage, counts))
        missing.extend(ids[int(r)] for r in parts.school_row[mine[~bands.reported[mine]]])
        # No class counted where no school reported (the schools are in ``missing``).
        stages[stage] = ClassSizeCounts(*(int(np.nan_to_num(x)) for x in bands.group_counts[g]))
    total = sum(stages.values(), ClassSizeCounts())
    found = []
    for k, t in enumerate(rule.targets):
        share = float(targets.share[k, county])
        status = STATUS_CODES[int(targets.status[k, county])]
        text = {
            lang: TEMPLATES[lang]["class_target"].format(
                min_size=t.min_size,
                share="—" if math.isnan(share) else f"{format_number(100 * share)}%",
                limit=f"{format_number(100 * t.max_share)}%",
                verdict=TEMPLATES[lang][
                    "county_item.met" if status is Status.PASSED else "county_item.not_met"
                ],
            )
            for lang in ("zh", "en")
        }
        found.append(
            Finding(
                rule_id=f"class_size.target_{t.min_size}",
                component="class_size_targets",
                level=Level.COUNTY,
                status=status,
                measured=None if math.isnan(share) else share,
                threshold=t.max_share,
                op=Op.LE,
                citation=t.citation,
                message_zh=text["zh"],
                message_en=text["en"],
            )
        )
    return ClassSizeReport(tuple(rows_out), stages, total, tuple(found), tuple(missing))


@attrs.frozen
class StaffingRow:
    """One school stage against the staffing standard.

    ``required_staff`` is ``ceil(enrollment / students_per_staff)``; ``staff_shortfall`` is how
    many staff the stage lacks (0 if none; NaN where staff were not reported).
    """

    school_id: str
    stage: Stage
    enrollment: int
    staff: float
    teachers: float
    required_staff: int
    staff_shortfall: float
    students_per_teacher: float


@attrs.frozen
class StaffingReport:
    """Staff against the staffing standard, per school stage and in total per stage.

    ``shortfall`` totals add each stage's own shortfall: a surplus in one school does not fill
    another's gap.
    """

    rows: tuple[StaffingRow, ...]
    required: Mapping[Stage, int]
    shortfall: Mapping[Stage, float]
    rule: StaffingRule

    __repr__ = _display.staffing_report_repr


def staffing_report(ev: Evaluation, county: int = 0) -> StaffingReport:
    """Required staff and shortfall of every in-scope school stage of ``county``: a view of
    the pipeline's :attr:`~eduequity.rules.Evaluation.staffing` (the standard must have a
    staffing rule)."""
    rule, staffing = ev.standard.staffing, ev.staffing
    assert rule is not None
    assert staffing is not None
    parts, cols = ev.parts, ev.columns
    ids = cols.school_id.to_pylist()
    rows = []
    required: dict[Stage, int] = {}
    shortfall: dict[Stage, float] = {}
    for stage in rule.students_per_staff:
        code = STAGES.index(stage)
        g = int(parts.group(county, code))
        people = cols.people[stage]
        all_teachers, all_staff = people["teachers"], people["staff"]  # once per stage
        for row in np.flatnonzero(parts.groups.codes == g).tolist():
            school = int(parts.school_row[row])
            teachers = float(all_teachers[school])
            enrollment = float(parts.enrollment[row])
            rows.append(
                StaffingRow(
                    school_id=ids[school],
                    stage=stage,
                    enrollment=int(enrollment),
                    staff=float(all_staff[school]),
                    teachers=teachers,
                    required_staff=int(staffing.required[row]),
                    staff_shortfall=float(staffing.shortfall[row]),
                    students_per_teacher=enrollment / teachers if teachers > 0 else math.nan,
                )
            )
        required[stage] = int(staffing.group_required[g])
        shortfall[stage] = float(staffing.group_shortfall[g])
    return StaffingReport(tuple(rows), required, shortfall, rule)
