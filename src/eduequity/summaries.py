"""Summaries of one county: class sizes by band and staff against the staffing standard.

Neither decides a component (the class-size *cap* of the 2017 standard is a rule of its
government-guarantee component), but both are what a supervision office tabulates: how many
classes fall in each band, the county against the national class-size targets (decided by the
pipeline, :attr:`eduequity.rules.Evaluation.class_targets`), and how many staff each school
lacks against the staffing standard.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity import _display
from eduequity.findings.messages import TEMPLATES
from eduequity.findings.record import Finding
from eduequity.models import Stage
from eduequity.rules.columns import SchoolColumns
from eduequity.rules.facilities import ClassTargetArrays, class_arrays
from eduequity.standards.model import ClassSizeRule, Op, StaffingRule
from eduequity.status import STATUS_CODES, Level, Status
from eduequity.text import format_number

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


def class_size_report(
    columns: SchoolColumns,
    included: NDArray[np.bool_],
    rule: ClassSizeRule,
    targets: ClassTargetArrays,
) -> ClassSizeReport:
    """Classify every class of the ``included`` schools of one county, with the targets of
    ``targets`` (county 0) as findings."""
    rows_out = []
    stages: dict[Stage, ClassSizeCounts] = {}
    missing: list[str] = []
    ids = columns.school_id.to_pylist()
    for stage, cap in rule.maximum.items():
        sizes_of = columns.class_sizes[stage]
        has = columns.enrollment[stage] > 0
        # The pipeline's per-school counts: exact from class sizes and from bands alike.
        _, arrays = class_arrays(sizes_of, stage, cap, rule, has)
        total = ClassSizeCounts()
        rows = np.flatnonzero(included & has)
        reported = rows[sizes_of.reported[rows]]
        missing.extend(ids[r] for r in rows[~sizes_of.reported[rows]].tolist())
        for r, band in zip(reported.tolist(), arrays.band_counts(reported).tolist(), strict=True):
            counts = ClassSizeCounts(*band)
            rows_out.append((ids[r], stage, counts))
            total = total + counts
        stages[stage] = total
    county = sum(stages.values(), ClassSizeCounts())
    found = []
    for k, t in enumerate(rule.targets):
        share = float(targets.share[k, 0])
        status = STATUS_CODES[int(targets.status[k, 0])]
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
    return ClassSizeReport(tuple(rows_out), stages, county, tuple(found), tuple(missing))


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


def staffing_report(
    columns: SchoolColumns, included: NDArray[np.bool_], rule: StaffingRule
) -> StaffingReport:
    """Required staff and shortfall of every in-scope school stage."""
    rows = []
    required: dict[Stage, int] = {}
    shortfall: dict[Stage, float] = {}
    ids = columns.school_id.to_pylist()
    for stage, ratio in rule.students_per_staff.items():
        required[stage], shortfall[stage] = 0, 0.0
        for r in np.flatnonzero(included & (columns.enrollment[stage] > 0)).tolist():
            enrollment = int(columns.enrollment[stage][r])
            staff = float(columns.people[stage]["staff"][r])
            teachers = float(columns.people[stage]["teachers"][r])
            need = math.ceil(round(enrollment / ratio, 6))
            lack = math.nan if math.isnan(staff) else float(max(0, math.ceil(need - staff)))
            rows.append(
                StaffingRow(
                    school_id=ids[r],
                    stage=stage,
                    enrollment=enrollment,
                    staff=staff,
                    teachers=teachers,
                    required_staff=need,
                    staff_shortfall=lack,
                    students_per_teacher=enrollment / teachers if teachers > 0 else math.nan,
                )
            )
            required[stage] += need
            shortfall[stage] += lack
    return StaffingReport(tuple(rows), required, shortfall, rule)
