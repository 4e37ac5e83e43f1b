"""What the object door returns: findings, and results per stage, component and county.

A failing school or county is a result, not an exception. Every rule that was applied, or could
not be applied, leaves a :class:`Finding` with the measured value, the threshold, the citation
and a message in Chinese and English. These records are views of the one
:class:`~eduequity.rules.Evaluation` that :func:`eduequity.evaluate` computes (kept as
:attr:`EvaluationResult.evaluation`): nothing here decides a verdict.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pyarrow as pa

from eduequity import _display
from eduequity._errors import ArgumentError
from eduequity._findings import Finding
from eduequity._models import SchoolKind, Stage
from eduequity._split import SPLIT_RESOURCES
from eduequity._status import STATUS_CODES, Level, Status, combine, combine_by_county
from eduequity._summaries import ClassSizeReport, StaffingReport
from eduequity._tables import evaluation_table
from eduequity.report._compact import compact_html
from eduequity.rules._pipeline import Evaluation
from eduequity.rules._shortfalls import RESOURCE_UNITS
from eduequity.standards._model import Standard

__all__ = [
    "STATUS_CODES",
    "ComponentResult",
    "EvaluationResult",
    "Finding",
    "IndicatorCV",
    "Level",
    "SchoolRuleResult",
    "SchoolStatus",
    "Shortfall",
    "StageMapping",
    "StageResult",
    "Status",
    "combine",
    "combine_by_county",
]


@attrs.frozen(kw_only=True)
class IndicatorCV:
    """The weighted CV of one indicator over the schools of one stage.

    Attributes
    ----------
    indicator : str
    status : Status
        ``passed`` here means only "computed"; ``not_evaluated`` when a school lacks the input
        (``missing_school_ids``); ``failed`` when the CV is undefined because the mean is 0.
    n_schools : int
    enrollment : float
    mean, std, cv : float or None
        Weighted mean, standard deviation and CV (unrounded); ``None`` where not computed.
    missing_school_ids : tuple of str
    values : tuple of float
        The indicator value of each school (stage part) in scope, NaN where not reported
        (not compared by ``==``).
    """

    indicator: str
    status: Status
    n_schools: int
    enrollment: float
    mean: float | None
    std: float | None
    cv: float | None
    missing_school_ids: tuple[str, ...] = ()
    values: tuple[float, ...] = attrs.field(default=(), eq=False, repr=False)

    __repr__ = _display.record_repr


@attrs.frozen(kw_only=True)
class StageResult:
    """One stage of the county: its verdict, the rules the verdict joins, and its CVs.

    Attributes
    ----------
    stage : Stage
    status : Status
        The stage's verdict in the balance rule's component (``component``): the rules named in
        ``joined``, combined. Under 2017 (资源配置) the CV bounds *and* the school rule, so a
        stage whose CVs all pass but whose schools do not is ``failed``; under 2012 the
        composite CV (the province's school standard is a component of its own).
    component : str
        The component the verdict belongs to (``resource_allocation``, ``school_balance``).
    cv_status : Status
        The CV rule alone: every CV (2017), or their composite (2012), within the maximum.
    school_rule_status : Status
        The school rule alone: every stage part meeting it (``n_schools_failing`` do not);
        ``not_evaluated`` where the standard leaves it to a province that supplied none,
        ``not_applicable`` where the standard has none.
    n_schools_failing : int or None
        Stage parts failing the school rule; ``None`` where the standard has no school rule.
    joined : tuple of str
        The rules ``status`` joins: ``("cv", "school_rule")`` or ``("cv",)``.
    n_schools : int
        Stage parts in scope (a nine-year school counts once in each stage).
    enrollment : float
    cvs : mapping of str to IndicatorCV
        By indicator id, in the standard's order.
    composite_cv : float or None
        Mean of the unrounded CVs, for standards judged on the composite; ``None`` otherwise or
        where a CV is missing.
    threshold : float or None
        The maximum for the composite (2012) or for each CV (2017).
    method : str
        ``"composite"``: the mean of the CVs is judged (2012); ``"each"``: every CV (2017).
    """

    stage: Stage
    status: Status
    component: str = ""
    cv_status: Status = Status.NOT_APPLICABLE
    school_rule_status: Status = Status.NOT_APPLICABLE
    n_schools_failing: int | None = None
    joined: tuple[str, ...] = ("cv",)
    n_schools: int
    enrollment: float
    cvs: Mapping[str, IndicatorCV]
    composite_cv: float | None
    threshold: float | None
    method: str = "composite"

    __repr__ = _display.stage_result_repr


class Records(tuple[Any, ...]):
    """A tuple of result records (findings, schools, shortfalls) whose ``repr`` is a count by
    kind and status and the first record, not every record (a county has hundreds)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return _display.records_repr(self)


class StageMapping(Mapping[Stage, StageResult]):
    """Results by stage, indexable by :class:`~eduequity.Stage` or by ``"primary"``/``"junior"``."""

    def __init__(self, results: Mapping[Stage, StageResult]) -> None:
        self._results = dict(results)

    def __getitem__(self, key: Stage | str) -> StageResult:
        return self._results[Stage(key)]

    def __iter__(self) -> Iterator[Stage]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        return _display.stage_mapping_repr(self)


def _stage_mapping(value: Mapping[Stage, StageResult]) -> StageMapping:
    return value if isinstance(value, StageMapping) else StageMapping(value)


@attrs.frozen(kw_only=True)
class ComponentResult:
    """One component of the evaluation, with the findings that decided it."""

    id: str
    name_zh: str
    name_en: str
    status: Status
    findings: tuple[Finding, ...] = attrs.field(converter=Records)

    __repr__ = _display.component_result_repr


@attrs.frozen(kw_only=True)
class Shortfall:
    """What one school lacks to meet one minimum, in the resource's natural unit.

    Attributes
    ----------
    school_id : str
    stage : Stage or None
        The stage part the minimum applies to; ``None`` for a school-wide requirement (rooms).
    rule_id : str
    indicator : str or None
        The indicator of the minimum, if it is one.
    resource : str
        The reported field to add to (a :class:`~eduequity.StageData` field for people, a
        :class:`~eduequity.School` field otherwise).
    unit_zh, unit_en : str
    measured, threshold : float
        The value now and the minimum.
    quantity : float
        How much to add to the reported ``resource``: whole teachers, computers, books, rooms;
        m² to 0.01; yuan. For a resource split between stages, the amount the school must add
        to its total for this stage's share to meet the minimum.
    """

    school_id: str
    stage: Stage | None
    rule_id: str
    indicator: str | None
    resource: str
    unit_zh: str
    unit_en: str
    measured: float
    threshold: float
    quantity: float

    __repr__ = _display.record_repr


@attrs.frozen(kw_only=True)
class SchoolRuleResult:
    """One stage part of a school under the standard's school rule (e.g. 6 of 7 met)."""

    school_id: str
    stage: Stage
    status: Status
    n_rules: int
    n_met: int
    shortfalls: tuple[Shortfall, ...] = attrs.field(converter=Records)

    __repr__ = _display.school_rule_repr


@attrs.frozen(kw_only=True)
class SchoolStatus:
    """What happened to one input school: included (with its stage parts) or excluded, and why."""

    school_id: str
    name: str
    kind: SchoolKind
    included: bool
    stages: tuple[Stage, ...]
    reason: str | None = None
    reason_zh: str = ""
    reason_en: str = ""

    __repr__ = _display.record_repr


@attrs.frozen(kw_only=True)
class EvaluationResult:
    """The evaluation of one county against one standard.

    Attributes
    ----------
    standard_id : str
    county_code, county_name : str
    status : Status
        ``passed`` only if every component was evaluated and passed.
    components : mapping of str to ComponentResult
        In the standard's order.
    stages : mapping of Stage to StageResult
        Indexable by ``"primary"`` and ``"junior"`` too.
    schools : tuple of SchoolStatus
        Every input school, in input order.
    school_rules : tuple of SchoolRuleResult
        Each in-scope stage part under the standard's school rule.
    shortfalls : tuple of Shortfall
        What each school lacks for each minimum it misses, in units to buy or hire.
    class_sizes : ClassSizeReport or None
        Classes by band and the national targets, where the standard has class-size rules.
    staffing : StaffingReport or None
        Staff against the staffing standard, where the standard has one.
    standard : Standard or None
        The standard applied (not compared by ``==``).
    evaluation : Evaluation or None
        The pipeline's evaluation this result is a view of (not compared by ``==``).
    """

    standard_id: str
    county_code: str
    county_name: str
    status: Status
    components: Mapping[str, ComponentResult]
    stages: StageMapping = attrs.field(converter=_stage_mapping)
    schools: tuple[SchoolStatus, ...] = attrs.field(converter=Records)
    school_rules: tuple[SchoolRuleResult, ...] = attrs.field(default=(), converter=Records)
    shortfalls: tuple[Shortfall, ...] = attrs.field(default=(), converter=Records)
    class_sizes: ClassSizeReport | None = None
    staffing: StaffingReport | None = None
    standard: Standard | None = attrs.field(default=None, eq=False, repr=False)
    evaluation: Evaluation | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def schools_failing(self) -> tuple[SchoolRuleResult, ...]:
        """The stage parts that fail the school rule, with what they lack."""
        return Records(r for r in self.school_rules if r.status is Status.FAILED)

    def shortfall_totals(self, by: str = "stage") -> dict[tuple[Stage | None, str], float]:
        """Total quantity to add per resource: ``by="stage"`` per (stage, resource);
        ``by="county"`` per (None, resource), counting a school's split resource once (the
        largest of its stages' needs, since adding to the school serves every stage).
        """
        if by not in ("stage", "county"):
            raise ArgumentError(f"shortfall_totals: by must be 'stage' or 'county'. Got {by!r}.")
        parts: dict[tuple[Stage | None, str], list[float]] = {}
        if by == "stage":
            for sf in self.shortfalls:
                parts.setdefault((sf.stage, sf.resource), []).append(sf.quantity)
        else:
            per_school: dict[tuple[str, str, Stage | None], float] = {}
            for sf in self.shortfalls:
                # A split resource: one need per school (the largest); people: one per stage.
                stage_key = None if sf.resource in SPLIT_RESOURCES else sf.stage
                school_key = (sf.school_id, sf.resource, stage_key)
                per_school[school_key] = max(per_school.get(school_key, 0.0), sf.quantity)
            for (_, resource, _), q in per_school.items():
                parts.setdefault((None, resource), []).append(q)
        totals: dict[tuple[Stage | None, str], float] = {}
        for key, quantities in parts.items():
            # Exact sum, shown to the resource's unit (0.01 m², whole items).
            decimals = max(0, -math.floor(math.log10(RESOURCE_UNITS[key[1]][2])))
            totals[key] = round(math.fsum(quantities), decimals)
        return totals

    def to_arrow(self, table: str = "findings") -> pa.Table:
        """The result as an Arrow table: the columnar door's table of the same name.

        ``table``: ``"counties"`` (one row per stage: its verdict ``status``, its parts
        ``cv_status`` and ``school_rule_status``, every CV, the county's verdict and each
        component's), ``"schools"`` (one row per stage part of each included school and one
        per excluded school, with its reason), ``"findings"`` (one row per finding, with its
        messages in Chinese and English) or ``"data_warnings"`` (figures that cannot all be right;
        ``"warnings"``, its former name, is deprecated).

        Each is, column for column and row for row, the table
        :func:`eduequity.batch.evaluate_table` gives for a table of this county alone
        (``batch.table_from_counties([county])``): ``counties``, ``schools`` and ``data_warnings``
        as its attributes of those names, ``findings`` as its
        :meth:`~eduequity.batch.BatchResult.findings_for` (the findings with their messages).
        See :class:`~eduequity.batch.BatchResult` for the columns.

        ``"stages"``, the former name of ``"counties"``, still gives the counties table, with
        a :class:`FutureWarning`; the former one-row-per-school table is ``"schools"``.
        """
        if table == "stages":
            warnings.warn(
                "to_arrow('stages') is now to_arrow('counties'), the columnar door's counties "
                "table; 'stages' will be removed in the next release.",
                FutureWarning,
                stacklevel=2,
            )
            table = "counties"
        if self.evaluation is None:
            raise ArgumentError(
                "to_arrow: this result carries no evaluation (a result of ee.evaluate does)."
            )
        return evaluation_table(self.evaluation, table, messages=True)

    def _repr_html_(self) -> str:
        """Compact notebook display, verdict first, in the language of ``set_options(lang=)``."""
        return compact_html(self)

    @property
    def passed(self) -> bool:
        """True only if every component was evaluated and passed."""
        return self.status is Status.PASSED

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding, component by component."""
        return Records(f for c in self.components.values() for f in c.findings)

    @property
    def evaluated_components(self) -> tuple[str, ...]:
        """Ids of the components that were evaluated (passed or failed)."""
        done = (Status.PASSED, Status.FAILED)
        return tuple(c.id for c in self.components.values() if c.status in done)

    @property
    def not_evaluated_components(self) -> tuple[str, ...]:
        """Ids of the components that could not be evaluated (an input was missing)."""
        return tuple(c.id for c in self.components.values() if c.status is Status.NOT_EVALUATED)

    @property
    def excluded_schools(self) -> tuple[SchoolStatus, ...]:
        """The input schools the standard's scope left out, each with its reason."""
        return tuple(s for s in self.schools if not s.included)

    __repr__ = _display.evaluation_result_repr

    __arrow_c_stream__ = _display.stream_of("to_arrow")
