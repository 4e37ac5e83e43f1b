"""What a report shows, built from an :class:`~eduequity.rules.Evaluation`.

A :class:`CountyReport` holds one county in full: the verdict, each component, each stage's CVs
against the maximum, the failing schools with what they lack, the schools left out of scope with
the reason, and every item not met or not evaluated with its message and citation. A
:class:`SummaryRow` holds one county and stage of a many-county summary.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity import _display
from eduequity._errors import ArgumentError
from eduequity._findings.frames import FindingFrame, finding_frames
from eduequity._findings.messages import frame_messages
from eduequity._models import SchoolKind, Stage
from eduequity._status import FAILED, NOT_APPLICABLE, NOT_EVALUATED, STATUS_CODES, Status
from eduequity.rules._balance import part_values
from eduequity.rules._columns import STAGES
from eduequity.rules._consistency import consistency_checks
from eduequity.rules._facilities import room_additions
from eduequity.rules._pipeline import Evaluation
from eduequity.rules._scope import ScopeReason
from eduequity.rules._staffing import BAND_FIELDS

_PROBLEMS = [FAILED, NOT_EVALUATED]

__all__ = [
    "CountyReport",
    "Evaluated",
    "StageReport",
    "SummaryRow",
    "county_reports",
    "evaluation_of",
    "reported_figures",
    "summary_rows",
]


class Evaluated(Protocol):
    """Anything that carries an evaluation: an ``EvaluationResult`` or a ``BatchResult``."""

    @property
    def evaluation(self) -> Evaluation | None: ...


def evaluation_of(result: Evaluated | Evaluation) -> Evaluation:
    """The :class:`Evaluation` behind ``result``."""
    if isinstance(result, Evaluation):
        return result
    ev = getattr(result, "evaluation", None)
    if not isinstance(ev, Evaluation):
        raise ArgumentError(
            "expected an EvaluationResult, a BatchResult or an Evaluation. "
            f"Got {type(result).__name__}."
        )
    return ev


@attrs.frozen(kw_only=True)
class StageReport:
    """One stage of one county: its verdict, the two rules it joins, its CVs against the
    threshold.

    ``status`` is the stage's verdict in ``component`` (the rules named in ``joined``);
    ``cv_status`` is the CV rule alone, ``school_rule_status`` the school rule alone
    (``n_failing`` stage parts fail it). ``judged_status`` gives each judged CV (2017) or the
    composite (2012) against the maximum.
    """

    stage: Stage
    status: Status
    component: str
    cv_status: Status
    school_rule_status: Status
    joined: tuple[str, ...]
    n_schools: int
    n_failing: int | None
    enrollment: float
    threshold: float | None
    method: str
    cvs: Mapping[str, float | None]
    judged_status: Mapping[str, Status]
    composite_cv: float | None
    cv_missing: frozenset[str] = frozenset()
    """Indicators whose CV was not computed because a school lacks the input."""
    n_unjudged: int = 0
    """Stage parts the school rule could not judge (a minimum's input missing)."""
    school_values: Mapping[str, Sequence[float]] = attrs.field(factory=dict, repr=False)
    minimums: Mapping[str, float] = attrs.field(factory=dict, repr=False)
    """The stage's minimum of each indicator the school rule judges."""
    schools: Sequence[SchoolRow] = attrs.field(default=(), repr=False)
    """Each stage part in scope with its value of each indicator of ``minimums``."""
    reported: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
    """The figures reported beside the verdicts, part of none (:func:`reported_figures`)."""

    __repr__ = _display.record_repr


@attrs.frozen(kw_only=True)
class SchoolRow:
    """One stage part: its values of the minimums' indicators and the school rule."""

    school_id: str
    name: str
    status: Status
    met: str
    values: Mapping[str, float]

    __repr__ = _display.record_repr


@attrs.frozen(kw_only=True)
class FailingSchool:
    """A stage part (or a school, for a school-wide check) that must add resources."""

    school_id: str
    name: str
    stage: Stage | None
    status: Status | None
    met: str
    add: Mapping[str, float]


@attrs.frozen(kw_only=True)
class CountyReport:
    """What a report shows of one county (built by :func:`county_reports`)."""

    code: str
    name: str
    status: Status
    components: Mapping[str, Status]
    stages: Sequence[StageReport]
    failing: Sequence[FailingSchool]
    excluded: Sequence[tuple[str, str, str, str]]
    """(school id, school name, reason in Chinese, reason in English)."""
    problems: Sequence[Mapping[str, Any]]
    """Findings not met or not evaluated: rule_id, status, stage, school_id, messages, citation."""
    data_warnings: Sequence[tuple[str, str, str]] = ()
    """Figures in the data to check: (school id, school name, what contradicts what)."""

    @property
    def warnings(self) -> Sequence[tuple[str, str, str]]:
        """The former name of :attr:`data_warnings` (deprecated; removed in 0.3)."""
        warnings.warn(
            "CountyReport.warnings is renamed CountyReport.data_warnings. The old name is "
            "removed in 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.data_warnings

    __repr__ = _display.record_repr


@attrs.frozen(kw_only=True)
class SummaryRow:
    """One county and stage of a many-county summary."""

    code: str
    name: str
    status: Status
    stage: Stage
    stage_status: Status
    cv_status: Status
    school_rule_status: Status
    joined: tuple[str, ...]
    n_schools: int
    n_failing: int | None
    cvs: Mapping[str, float | None]
    composite_cv: float | None
    reported: Mapping[str, Any] = attrs.field(factory=dict)
    """The figures reported beside the verdicts, part of none (:func:`reported_figures`)."""
    n_unjudged: int = 0
    """Stage parts the school rule could not judge (a minimum's input missing)."""


def reported_figures(ev: Evaluation, g: int) -> dict[str, Any]:
    """The figures of group ``g`` (a county's stage) reported beside the verdicts, by the
    counties table's column names: staff against the staffing standard (``staffing_status``,
    a :class:`Status`; ``staff_required``, ``staff_shortfall``: None where not known) and the
    classes by band (``classes_within_cap`` ... ``classes_super_large``,
    ``n_schools_classes_not_reported``), each where the standard has the rule."""
    out: dict[str, Any] = {}
    if ev.parts.groups.counts[g] == 0:
        return out
    staffing = ev.staffing
    if staffing is not None:
        lacking = float(staffing.group_shortfall[g])
        out["staffing_status"] = STATUS_CODES[int(staffing.group_status[g])]
        out["staff_required"] = int(staffing.group_required[g])
        out["staff_shortfall"] = None if math.isnan(lacking) else int(lacking)
    bands = ev.class_bands
    if bands is not None:
        for k, band in enumerate(BAND_FIELDS):  # None where no school reported its classes
            out[f"classes_{band}"] = _whole(bands.group_counts[g, k])
        out["n_schools_classes_not_reported"] = int(bands.group_not_reported[g])
    return out


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _whole(x: float) -> int | None:
    return None if math.isnan(x) else int(x)


def _school_rule(ev: Evaluation) -> NDArray[np.intp]:
    """Per group, the status of the school rule (not applicable where the standard has none)."""
    none = np.full(ev.balance.status.size, NOT_APPLICABLE, dtype=np.intp)
    return ev.stage_rules.get("school_rule", none)


def summary_rows(ev: Evaluation) -> list[SummaryRow]:
    """One row per county and stage with schools in scope, county by county."""
    parts, bal, std = ev.parts, ev.balance, ev.standard
    codes = ev.columns.county_code.to_pylist()
    names = ev.columns.county_name.to_pylist() if ev.columns.county_name is not None else None
    composite = std.balance.method.value == "composite"
    group = parts.county_major()
    group = group[parts.groups.counts[group] > 0]
    county = parts.group_county[group].tolist()
    indicators = std.balance.indicators
    cvs = np.stack([bal.moments[i].cv[group] for i in indicators], axis=1).tolist()
    unjudged = np.zeros(parts.groups.n_groups, dtype=np.int64)
    if ev.school_rule is not None:
        unknown = ev.school_rule.status == NOT_EVALUATED
        unjudged = np.bincount(parts.groups.codes[unknown], minlength=parts.groups.n_groups)
    columns = zip(
        county,
        parts.group_stage[group].tolist(),
        ev.stage_status[group].tolist(),
        bal.status[group].tolist(),
        _school_rule(ev)[group].tolist(),
        parts.groups.counts[group].tolist(),
        ev.n_failing[group].tolist(),
        cvs,
        bal.composite[group].tolist(),
        unjudged[group].tolist(),
        strict=True,
    )
    return [
        SummaryRow(
            code=codes[c],
            name=(names[c] if names else None) or "",
            status=STATUS_CODES[int(ev.status[c])],
            stage=STAGES[s],
            stage_status=STATUS_CODES[status],
            cv_status=STATUS_CODES[cv],
            school_rule_status=STATUS_CODES[rule],
            joined=ev.stage_joined,
            n_schools=n,
            n_failing=None if math.isnan(failing) else int(failing),
            cvs={i: None if math.isnan(v) else v for i, v in zip(indicators, row, strict=True)},
            composite_cv=None if not composite or math.isnan(mean) else mean,
            reported=reported_figures(ev, int(parts.group(c, s))),
            n_unjudged=unknown_parts,
        )
        for c, s, status, cv, rule, n, failing, row, mean, unknown_parts in columns
    ]


def _by_county(county: NDArray[np.intp], n: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Rows sorted by county (stable) and where each county starts: county ``c`` has
    ``order[starts[c]:starts[c + 1]]``."""
    order = np.argsort(county, kind="stable")
    starts = np.searchsorted(county[order], np.arange(n + 1))
    return order, starts


class _Index:
    """The rows of each county in the evaluation's arrays, found once for many reports."""

    def __init__(self, ev: Evaluation) -> None:
        n = ev.n_counties
        problem = [
            fr.take(np.flatnonzero(np.isin(fr.status, _PROBLEMS))) for fr in finding_frames(ev)
        ]
        self.frames = [fr for fr in problem if len(fr)]
        self.frame_rows = [_by_county(fr.county, n) for fr in self.frames]
        self.schools = _by_county(ev.columns.county, n)
        self.parts = _by_county(ev.columns.county[ev.parts.school_row], n)

    @staticmethod
    def rows(index: tuple[NDArray[np.intp], NDArray[np.intp]], c: int) -> NDArray[np.intp]:
        order, starts = index
        return order[starts[c] : starts[c + 1]]


def _stage_reports(
    ev: Evaluation,
    c: int,
    part_rows: NDArray[np.intp],
    ids: Sequence[str],
    names: Sequence[str],
) -> list[StageReport]:
    parts, bal, std, rules = ev.parts, ev.balance, ev.standard, ev.school_rule
    na = Status.NOT_APPLICABLE
    school_rule = _school_rule(ev)
    out = []
    for s, stage in enumerate(STAGES):
        g = int(parts.group(c, s))
        mine = part_rows[parts.stage[part_rows] == s]
        shares: dict[str, list[float]] = {}
        minimums: dict[str, float] = {}
        values: dict[str, list[float]] = {}  # the county's parts of the stage, in order
        if std.school_standard is not None:
            for m in std.school_standard.minimums:
                if m.stage is stage and m.indicator in bal.values and m.value > 0:
                    minimums[m.indicator] = m.value
                    mine_values = part_values(parts, std.balance, m.indicator, mine)
                    values[m.indicator] = mine_values.tolist()
                    finite = mine_values[~np.isnan(mine_values)]
                    if finite.size:
                        shares[m.indicator] = (finite / m.value).tolist()
        rows = []
        if rules is not None and minimums:
            for k, row in enumerate(mine.tolist()):
                school = int(parts.school_row[row])
                rows.append(
                    SchoolRow(
                        school_id=ids[school],
                        name=names[school],
                        status=STATUS_CODES[int(rules.status[row])],
                        met=f"{int(rules.n_met[row])}/{int(rules.n_rules[row])}",
                        values={i: values[i][k] for i in minimums},
                    )
                )
        out.append(
            StageReport(
                stage=stage,
                status=STATUS_CODES[int(ev.stage_status[g])],
                component=std.balance.component,
                cv_status=STATUS_CODES[int(bal.status[g])],
                school_rule_status=STATUS_CODES[int(school_rule[g])],
                joined=ev.stage_joined,
                n_schools=int(parts.groups.counts[g]),
                n_failing=None if math.isnan(ev.n_failing[g]) else int(ev.n_failing[g]),
                n_unjudged=0
                if rules is None
                else int(np.count_nonzero(rules.status[mine] == NOT_EVALUATED)),
                enrollment=float(parts.enrollment[mine].sum()),
                threshold=_num(bal.threshold[g]),
                method=std.balance.method.value,
                cvs={i: _num(bal.moments[i].cv[g]) for i in std.balance.indicators},
                judged_status={
                    i: STATUS_CODES[int(judged[g])] if bal.status[g] != NOT_APPLICABLE else na
                    for i, judged in bal.judged.items()
                },
                composite_cv=_num(bal.composite[g])
                if std.balance.method.value == "composite"
                else None,
                cv_missing=frozenset(
                    i for i, st in bal.indicator_status.items() if st[g] == NOT_EVALUATED
                ),
                school_values=shares,
                minimums=minimums,
                schools=rows,
                reported=reported_figures(ev, g),
            )
        )
    return out


def _failing(
    ev: Evaluation,
    part_rows: NDArray[np.intp],
    school_rows: NDArray[np.intp],
    rooms: Mapping[str, tuple[str, Any, Any, NDArray[np.float64]]],
    ids: Sequence[str],
    names: Sequence[str],
) -> list[FailingSchool]:
    """The stage parts of one county that must add resources for a minimum, then its schools
    that must add rooms, with the quantity per resource."""
    out = []
    rules = ev.school_rule
    for row in part_rows.tolist() if rules is not None else []:
        add: dict[str, float] = {}
        for arr in rules.minimums:  # type: ignore[union-attr]
            if arr.part.start <= row < arr.part.stop:
                q = float(arr.quantity[row - arr.part.start])
                if q > 0:
                    add[arr.resource] = max(add.get(arr.resource, 0.0), q)
        if add:
            school = int(ev.parts.school_row[row])
            out.append(
                FailingSchool(
                    school_id=ids[school],
                    name=names[school],
                    stage=STAGES[int(ev.parts.stage[row])],
                    status=STATUS_CODES[int(rules.status[row])],  # type: ignore[union-attr]
                    met=f"{int(rules.n_met[row])}/{int(rules.n_rules[row])}",  # type: ignore[union-attr]
                    add=add,
                )
            )
    for school in school_rows.tolist():
        add = {res: float(q[school]) for res, _, _, q in rooms.values() if q[school] > 0}
        if add:
            out.append(
                FailingSchool(
                    school_id=ids[school],
                    name=names[school],
                    stage=None,
                    status=None,
                    met="",
                    add=add,
                )
            )
    return out


def _problems(ev: Evaluation, frames: Iterable[FindingFrame], ids: Any) -> list[dict[str, Any]]:
    out = []
    for fr in frames:
        zh, en = frame_messages(ev, fr, "zh"), frame_messages(ev, fr, "en")
        for i in range(len(fr)):
            out.append(
                {
                    "rule_id": fr.rule_id,
                    "kind": fr.kind,
                    "component": fr.component,
                    "level": fr.level.value,
                    "stage": None if fr.stage[i] < 0 else STAGES[int(fr.stage[i])].value,
                    "school_id": None if fr.school[i] < 0 else ids[int(fr.school[i])],
                    "status": STATUS_CODES[int(fr.status[i])].value,
                    "measured": _num(float(fr.measured[i])),
                    "threshold": _num(float(fr.threshold[i])),
                    "op": None if fr.op is None else fr.op.value,
                    "message_zh": zh[i],
                    "message_en": en[i],
                    "citation": str(fr.citation),
                    "citation_zh": fr.citation.text("zh"),
                }
            )
    return out


def county_reports(
    result: Evaluated | Evaluation, counties: Iterable[str] | None = None
) -> list[CountyReport]:
    """The full report of each county of ``result`` (or of the codes in ``counties``).

    The findings are indexed by county once, so a report per county of a large table costs
    about the messages of that county.
    """
    ev = evaluation_of(result)
    std = ev.standard
    codes = ev.columns.county_code.to_pylist()
    names = ev.columns.county_name.to_pylist() if ev.columns.county_name is not None else None
    ids = ev.columns.school_id.to_pylist()
    school_names = (
        ev.columns.school_name.to_pylist()
        if ev.columns.school_name is not None
        else [""] * len(ids)
    )
    school_names = [n or "" for n in school_names]
    wanted = range(ev.n_counties) if counties is None else [codes.index(c) for c in counties]
    index = _Index(ev)
    rooms = room_additions(ev.facilities, ev.columns, std)
    checks = consistency_checks(ev.columns)
    names_of = school_names
    reasons = list(ScopeReason)
    kinds = list(SchoolKind)
    out = []
    for c in wanted:
        excluded = []
        for r in _Index.rows(index.schools, c).tolist():
            reason = reasons[int(ev.scope[r])]
            if reason is ScopeReason.INCLUDED:
                continue
            zh, en = reason.describe(kinds[int(ev.columns.kind[r])], std.scope)
            excluded.append((ids[r], school_names[r], zh, en))
        part_rows = _Index.rows(index.parts, c)
        frames = [
            fr.take(_Index.rows(rows, c))
            for fr, rows in zip(index.frames, index.frame_rows, strict=True)
        ]
        out.append(
            CountyReport(
                code=codes[c],
                name=(names[c] if names else None) or "",
                status=STATUS_CODES[int(ev.status[c])],
                components={cid: STATUS_CODES[int(s[c])] for cid, s in ev.components.items()},
                stages=_stage_reports(ev, c, part_rows, ids, school_names),
                failing=_failing(
                    ev, part_rows, _Index.rows(index.schools, c), rooms, ids, names_of
                ),
                excluded=excluded,
                problems=_problems(ev, [fr for fr in frames if len(fr)], ids),
                data_warnings=[
                    (ids[r], school_names[r], text)
                    for r in _Index.rows(index.schools, c).tolist()
                    for _, text, mask in checks
                    if mask[r]
                ],
            )
        )
    return out
