"""Class-size classification and staffing: reported per school, stage and county.

Neither decides a verdict by itself (the class-size *cap* of the 2017 standard is a rule of its
government-guarantee component; see :mod:`eduequity.rules.school_findings`), but both are what a
supervision office tabulates: how many classes fall in each band against the national targets,
and how many staff each school lacks against the staffing standard.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity.models import Stage
from eduequity.rules.columns import SchoolColumns
from eduequity.rules.facilities import class_bands
from eduequity.rules.results import Finding, Level, Status
from eduequity.rules.text import format_number
from eduequity.standards.model import ClassSizeRule, Op, StaffingRule

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


def class_size_report(
    columns: SchoolColumns, included: NDArray[np.bool_], rule: ClassSizeRule
) -> ClassSizeReport:
    """Classify every class of the ``included`` schools and check the targets."""
    rows_out = []
    stages: dict[Stage, ClassSizeCounts] = {}
    missing: list[str] = []
    all_sizes = []
    for stage, cap in rule.maximum.items():
        ragged = columns.class_sizes[stage]
        total = ClassSizeCounts()
        for r in np.flatnonzero(included & (columns.enrollment[stage] > 0)).tolist():
            sid = str(columns.school_id[r])
            if not ragged.valid[r]:
                missing.append(sid)
                continue
            sizes = ragged.values[ragged.offsets[r] : ragged.offsets[r + 1]]
            counts = ClassSizeCounts(
                *np.bincount(class_bands(sizes, cap, rule), minlength=4).tolist()
            )
            rows_out.append((sid, stage, counts))
            total = total + counts
            all_sizes.append(sizes)
        stages[stage] = total
    county = sum(stages.values(), ClassSizeCounts())
    sizes = np.concatenate(all_sizes) if all_sizes else np.zeros(0, dtype=np.int64)
    targets = []
    for t in rule.targets:
        share = float(np.mean(sizes >= t.min_size)) if sizes.size else math.nan
        if math.isnan(share):
            status = Status.NOT_EVALUATED
        else:
            status = Status.PASSED if share <= t.max_share else Status.FAILED
        pct = "—" if math.isnan(share) else f"{format_number(100 * share)}%"
        limit = f"{format_number(100 * t.max_share)}%"
        ok = status is Status.PASSED
        targets.append(
            Finding(
                rule_id=f"class_size.target_{t.min_size}",
                component="class_size_targets",
                level=Level.COUNTY,
                status=status,
                measured=None if math.isnan(share) else share,
                threshold=t.max_share,
                op=Op.LE,
                citation=t.citation,
                message_zh=(
                    f"{t.min_size}人及以上班级占比{pct}，要求不超过{limit}，"
                    f"{'达到' if ok else '未达到'}要求。"
                ),
                message_en=(
                    f"Classes of {t.min_size} or more students: {pct} of classes, required at "
                    f"most {limit}: {'met' if ok else 'not met'}."
                ),
            )
        )
    return ClassSizeReport(tuple(rows_out), stages, county, tuple(targets), tuple(missing))


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


def staffing_report(
    columns: SchoolColumns, included: NDArray[np.bool_], rule: StaffingRule
) -> StaffingReport:
    """Required staff and shortfall of every in-scope school stage."""
    rows = []
    required: dict[Stage, int] = {}
    shortfall: dict[Stage, float] = {}
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
                    school_id=str(columns.school_id[r]),
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
