"""The data model of a standard: thresholds with their sources, as plain immutable data.

A :class:`Standard` says which schools count (:class:`Scope`), how multi-stage schools are split,
which CVs must stay under which thresholds (:class:`BalanceRule`), which minimums every school
must meet (:class:`SchoolStandard`) and which county-level inputs must reach which values
(:class:`CountyItem`). Every value carries a :class:`Citation`. The rules in
:mod:`eduequity.rules` apply a Standard; nothing here computes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import Enum

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity import _display, _display_html
from eduequity._errors import RulesetError, UnknownNameError
from eduequity._indicators import NUMERATORS, get_indicator
from eduequity._models import SchoolKind, Stage
from eduequity._split import SplitWeights

__all__ = [
    "BalanceMethod",
    "BalanceRule",
    "Citation",
    "ClassSizeRule",
    "ClassSizeTarget",
    "Component",
    "Confidence",
    "CountyItem",
    "NumeratorChoice",
    "Op",
    "RoomRule",
    "SchoolMinimum",
    "SchoolRule",
    "SchoolSizeRule",
    "SchoolStandard",
    "SchoolStandardSlot",
    "Scope",
    "StaffingRule",
    "Standard",
    "check_numerators",
    "check_school_standard",
]


class Confidence(str, Enum):
    """How well a value is established.

    - ``primary``: read in an official text, or a provincial text restating it word for word;
    - ``recomputed``: proven by recomputing a published number from its published inputs;
    - ``secondary``: from a news report, an aggregator copy or a local implementation guide;
    - ``unconfirmed``: widely repeated, not checked against the official text.
    """

    PRIMARY = "primary"
    RECOMPUTED = "recomputed"
    SECONDARY = "secondary"
    UNCONFIRMED = "unconfirmed"


#: Each confidence label in Chinese, as Chinese reports show it.
CONFIDENCE_ZH: Mapping[Confidence, str] = {
    Confidence.PRIMARY: "原文",
    Confidence.RECOMPUTED: "复算核实",
    Confidence.SECONDARY: "转述",
    Confidence.UNCONFIRMED: "未证实",
}


@attrs.frozen
class Citation:
    """Where a value comes from.

    Attributes
    ----------
    issuer : str
        Issuing body, e.g. ``"教育部"``.
    title : str
        Title of the document.
    document : str
        Document number (文号), e.g. ``"教督〔2012〕3号"``; empty if it has none.
    year : int or None
        Year of issue.
    clause : str
        Clause or part of the document the value is in; empty where not recorded.
    confidence : Confidence
        How well the value is established.
    note : str
        Anything a reader should know about the value.
    clause_zh : str
        The clause in Chinese, where ``clause`` is written in English; empty otherwise.
    reading, reading_zh : str
        How this library reads or completes the clause where the source does not say (its own
        words, not the source's, shown after the confidence label, which is the clause's);
        empty where it adds nothing.
    """

    issuer: str
    title: str
    document: str = ""
    year: int | None = None
    clause: str = ""
    confidence: Confidence = Confidence.PRIMARY
    note: str = ""
    clause_zh: str = ""
    reading: str = ""
    reading_zh: str = ""

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The citation as a reader sees it, in Chinese (``"zh"``: the Chinese clause and
        confidence) or English.

        Examples
        --------
        >>> c = Citation("教育部", "县域义务教育优质均衡发展督导评估办法", "教督〔2017〕6号", 2017,
        ...              "Item 3", Confidence.SECONDARY, clause_zh="第3项")
        >>> c.text("zh")
        '教育部《县域义务教育优质均衡发展督导评估办法》 教督〔2017〕6号 第3项 [转述]'
        >>> str(c)
        '教育部《县域义务教育优质均衡发展督导评估办法》 教督〔2017〕6号 Item 3 [secondary]'
        """
        parts = [f"{self.issuer}《{self.title}》"]
        if self.document:
            parts.append(self.document)
        if self.year is not None and str(self.year) not in self.document:
            parts.append(f"({self.year})")
        clause = (self.clause_zh or self.clause) if lang == "zh" else self.clause
        if clause:
            parts.append(clause)
        label = CONFIDENCE_ZH[self.confidence] if lang == "zh" else self.confidence.value
        return " ".join(parts) + f" [{label}]" + self.reading_text(lang)

    def reading_text(self, lang: str = "en") -> str:
        """:attr:`reading` as the citation's text ends with it (empty without one).

        Examples
        --------
        >>> Citation("教育部", "办法", reading="each CV", reading_zh="逐项").reading_text("zh")
        '（本工具的理解：逐项）'
        """
        reading = (self.reading_zh or self.reading) if lang == "zh" else self.reading
        if not reading:
            return ""
        return f"（本工具的理解：{reading}）" if lang == "zh" else f" (as read here: {reading})"

    def with_clause(
        self,
        clause: str,
        confidence: Confidence | None = None,
        clause_zh: str = "",
        reading: str = "",
        reading_zh: str = "",
    ) -> Citation:
        """The same source, pointing at ``clause`` (and, if given, another confidence), with
        this library's ``reading`` of it, if any (never the source's)."""
        return attrs.evolve(
            self,
            clause=clause,
            clause_zh=clause_zh,
            confidence=self.confidence if confidence is None else confidence,
            reading=reading,
            reading_zh=reading_zh,
        )


class Op(str, Enum):
    """A comparison of a measured value with a threshold (``==`` is for yes/no inputs)."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="

    def holds(self, measured: float, threshold: float) -> bool:
        """Whether ``measured <op> threshold``; False for NaN."""
        if math.isnan(measured):
            return False
        if self is Op.GE:
            return measured >= threshold
        if self is Op.GT:
            return measured > threshold
        if self is Op.LE:
            return measured <= threshold
        if self is Op.LT:
            return measured < threshold
        return measured == threshold

    def compare(self, measured: ArrayLike, threshold: ArrayLike) -> NDArray[np.bool_]:
        """``measured <op> threshold`` elementwise; False where ``measured`` is NaN."""
        m = np.asarray(measured, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            if self is Op.GE:
                return np.greater_equal(m, threshold)
            if self is Op.GT:
                return np.greater(m, threshold)
            if self is Op.LE:
                return np.less_equal(m, threshold)
            if self is Op.LT:
                return np.less(m, threshold)
            return np.equal(m, threshold)

    @property
    def is_minimum(self) -> bool:
        """Whether the rule sets a floor (``>=`` or ``>``): more of the resource helps."""
        return self in (Op.GE, Op.GT)

    @property
    def text_zh(self) -> str:
        """The comparison in Chinese words."""
        return {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "==": "为"}[self.value]

    @property
    def text_en(self) -> str:
        """The comparison in English words."""
        return {">=": "at least", ">": "above", "<=": "at most", "<": "below", "==": "equal to"}[
            self.value
        ]


@attrs.frozen
class Component:
    """One component of an evaluation, e.g. the school-balance component of the 2012 standard."""

    id: str
    name_zh: str
    name_en: str


@attrs.frozen
class Scope:
    """Which schools count for a standard; every school left out is reported with its reason.

    Attributes
    ----------
    public_only : bool
        Exclude private (民办) schools.
    county_run_only : bool
        Exclude schools run by a province, city, university or enterprise.
    excluded_kinds : frozenset of SchoolKind
        Kinds excluded whatever their size.
    min_enrollment : mapping of SchoolKind to int
        Kinds excluded when their compulsory enrollment is below the value (e.g. teaching points
        under 50 students).
    citation : Citation
    """

    public_only: bool
    county_run_only: bool
    excluded_kinds: frozenset[SchoolKind]
    min_enrollment: Mapping[SchoolKind, int]
    citation: Citation

    __repr__ = _display.record_repr


class BalanceMethod(str, Enum):
    """How a standard judges the CVs of a stage."""

    COMPOSITE = "composite"  # the mean of the CVs against one threshold (2012)
    EACH = "each"  # every CV against the threshold (2017)


@attrs.frozen
class BalanceRule:
    """The CV rule: which indicators, how they are judged, and the maximum per stage.

    Attributes
    ----------
    component : str
        Component the rule belongs to.
    indicators : tuple of str
        Indicator ids, in the order of the standard's tables.
    method : BalanceMethod
    maximum : mapping of Stage to float
        The threshold (the CV or composite must be ``<=`` it).
    numerators : mapping of str to NumeratorChoice
        The resource each indicator is computed from, where the standard states it (by id);
        other indicators use their catalogue numerator.
    citation : Citation
        Source of the thresholds.
    """

    component: str
    indicators: tuple[str, ...]
    method: BalanceMethod
    maximum: Mapping[Stage, float]
    numerators: Mapping[str, NumeratorChoice]
    citation: Citation

    def numerator(self, indicator_id: str) -> str:
        """The resource ``indicator_id`` is computed from under this rule."""
        choice = self.numerators.get(indicator_id)
        return get_indicator(indicator_id).numerator if choice is None else choice.resource

    __repr__ = _display.record_repr


@attrs.frozen
class NumeratorChoice:
    """The resource an indicator is computed from, with the source of that choice."""

    resource: str
    citation: Citation

    __repr__ = _display.record_repr


@attrs.frozen
class SchoolMinimum:
    """A minimum (or maximum) every school of a stage must meet on one indicator."""

    indicator: str
    stage: Stage
    op: Op
    value: float
    citation: Citation

    __repr__ = _display.record_repr


class SchoolRule(str, Enum):
    """How many of its minimums a school must meet."""

    ALL = "all"  # every minimum (a province's basic standard)
    AT_LEAST = "at_least"  # at least min_met, each other one at least floor_fraction of it (2017)


@attrs.frozen
class SchoolStandard:
    """A set of per-school indicator rules, e.g. a province's basic school-running standard.

    Attributes
    ----------
    component : str
        Component the rules belong to.
    name_zh, name_en : str
    minimums : tuple of SchoolMinimum
    citation : Citation
        Source of the standard as a whole, and of its rule.
    rule : SchoolRule
        ``all``: every minimum of the school's stage must be met. ``at_least``: at least
        ``min_met`` must be met, and each remaining one must reach ``floor_fraction`` of its
        threshold (2017: 6 of 7, the remaining one at least 85 %).
    min_met : int or None
    floor_fraction : float or None
    """

    component: str
    name_zh: str
    name_en: str
    minimums: tuple[SchoolMinimum, ...]
    citation: Citation
    rule: SchoolRule = SchoolRule.ALL
    min_met: int | None = None
    floor_fraction: float | None = None

    __repr__ = _display.school_standard_repr


@attrs.frozen
class RoomRule:
    """Music and art rooms (音乐、美术专用教室): how many, and how large.

    Each school needs at least ``ceil(classes / classes_per_room)`` music rooms and as many art
    rooms; the mean area of its music rooms must be at least ``music_min_area`` and of its art
    rooms at least ``art_min_area`` (the census gives the total area, so each room's own area
    is not checked).
    """

    component: str
    classes_per_room: int
    music_min_area: float
    art_min_area: float
    citation: Citation
    area_citation: Citation

    __repr__ = _display.record_repr


@attrs.frozen
class SchoolSizeRule:
    """Most students (compulsory stages together) a school of each kind may have."""

    component: str
    maximum: Mapping[SchoolKind, int]
    citation: Citation

    __repr__ = _display.record_repr


@attrs.frozen
class ClassSizeTarget:
    """Classes of ``min_size`` students or more may be at most ``max_share`` of all classes,
    from the end of ``by_year`` (None: no date)."""

    min_size: int
    max_share: float
    citation: Citation
    by_year: int | None = None

    __repr__ = _display.record_repr


@attrs.frozen
class ClassSizeRule:
    """Class sizes: the cap per stage, the bands above it, and the national targets.

    Bands: within the cap; 偏大 (over the cap, below ``large_from``); 大班额 large
    (``large_from`` to ``super_large_from - 1``); 超大班额 super-large (``super_large_from`` or
    more). With a ``component``, every class over its stage's cap fails that component.
    """

    component: str | None
    maximum: Mapping[Stage, int]
    large_from: int
    super_large_from: int
    targets: tuple[ClassSizeTarget, ...]
    citation: Citation
    band_citation: Citation

    __repr__ = _display.record_repr


@attrs.frozen
class StaffingRule:
    """Staffing standard (编制标准): students per staff member, per stage."""

    students_per_staff: Mapping[Stage, float]
    citation: Citation

    __repr__ = _display.record_repr


@attrs.frozen
class SchoolStandardSlot:
    """Where a standard takes a school standard supplied by someone else (e.g. a province).

    Attributes
    ----------
    component : str
        Component the school standard's rules belong to.
    max_indicators : int or None
        Most distinct indicators the school standard may have.
    citation : Citation
    """

    component: str
    max_indicators: int | None
    citation: Citation

    __repr__ = _display.record_repr


@attrs.frozen
class CountyItem:
    """A county-level requirement on one input, e.g. the government-work score ``>= 85``."""

    id: str
    component: str
    input: str
    op: Op
    value: float
    citation: Citation

    __repr__ = _display.record_repr


@attrs.frozen
class Standard:
    """A complete standard: metadata, components, and the rules with their sources.

    Build one with :func:`eduequity.get_standard` or :func:`~eduequity.load_ruleset`;
    change one with :meth:`~eduequity.Standard.with_school_standard`,
    :meth:`~eduequity.Standard.with_split_weights` or
    :meth:`~eduequity.Standard.with_numerators`, each returning a new Standard.
    """

    id: str
    title_zh: str
    title_en: str
    issuer: str
    document: str
    year: int
    citation: Citation
    components: tuple[Component, ...]
    scope: Scope
    split_weights: SplitWeights
    split_citation: Citation
    balance: BalanceRule
    school_standard: SchoolStandard | None
    school_standard_slot: SchoolStandardSlot | None
    county_items: tuple[CountyItem, ...]
    rooms: RoomRule | None = None
    school_size: SchoolSizeRule | None = None
    class_size: ClassSizeRule | None = None
    staffing: StaffingRule | None = None

    def component(self, component_id: str) -> Component:
        """The component with id ``component_id``."""
        for c in self.components:
            if c.id == component_id:
                return c
        known = ", ".join(c.id for c in self.components)
        raise UnknownNameError(
            f"Standard {self.id!r} has no component {component_id!r}; its components are {known}."
        )

    def with_school_standard(self, school_standard: SchoolStandard) -> Standard:
        """This standard with a province's basic school standard plugged in.

        Raises
        ------
        RulesetError
            If the standard has no component for a school standard, or ``school_standard``
            names another component.
        """
        check_school_standard(self, school_standard, where=f"Standard {self.id!r}")
        return attrs.evolve(self, school_standard=school_standard)

    def with_split_weights(self, weights: SplitWeights, citation: Citation) -> Standard:
        """This standard with other weights for splitting multi-stage schools."""
        return attrs.evolve(self, split_weights=weights, split_citation=citation)

    def with_numerators(self, numerators: Mapping[str, str], citation: Citation) -> Standard:
        """This standard computing some indicators from other resources.

        Example: ``standard.with_numerators({"teachers_per_student": "staff"}, citation)`` makes
        师生比 use all staff (教职工) instead of full-time teachers.
        """
        choices = {k: NumeratorChoice(v, citation) for k, v in numerators.items()}
        check_numerators(choices, self.balance.indicators, where=f"Standard {self.id!r}")
        balance = attrs.evolve(self.balance, numerators={**self.balance.numerators, **choices})
        return attrs.evolve(self, balance=balance)

    __repr__ = _display.standard_repr
    _repr_html_ = _display_html.standard_html


def check_numerators(
    choices: Mapping[str, NumeratorChoice], indicators: tuple[str, ...], where: str
) -> None:
    """Check that each numerator choice names an indicator of the rule and a known resource."""
    for ind, choice in choices.items():
        if ind not in indicators:
            raise RulesetError(f"{where}: numerator set for {ind!r}, which the rule does not use.")
        if choice.resource not in NUMERATORS:
            raise RulesetError(
                f"{where}: numerator of {ind!r} must be one of {', '.join(NUMERATORS)}. "
                f"Got {choice.resource!r}."
            )


def check_school_standard(standard: Standard, school: SchoolStandard, where: str) -> None:
    """Check that ``school`` fits the slot ``standard`` has for it."""
    slot = standard.school_standard_slot
    if slot is None:
        raise RulesetError(f"{where}: this standard takes no school standard.")
    if school.component != slot.component:
        raise RulesetError(
            f"{where}: the school standard must belong to component {slot.component!r}. "
            f"Got {school.component!r}."
        )
    n = len({m.indicator for m in school.minimums})
    if slot.max_indicators is not None and n > slot.max_indicators:
        raise RulesetError(
            f"{where}: the school standard may have at most {slot.max_indicators} indicators "
            f"({slot.citation}). Got {n}."
        )
