"""The findings of an evaluation as frames: one per rule, each a set of columns without prose.

A frame holds, for every subject the rule was applied to (a county, a county's stage, a school
or a stage part), the county, school and stage, the status code, the measured value and the
threshold, and ``ref``, the subject's row in the rule's own arrays of the
:class:`~eduequity.rules.Evaluation` (what the message templates read their details from).
"""

from __future__ import annotations

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._status import NOT_APPLICABLE, NOT_EVALUATED, Level
from eduequity.rules._columns import STAGES
from eduequity.rules._pipeline import Evaluation
from eduequity.standards._model import Citation, Op, SchoolRule

__all__ = ["FindingFrame", "finding_frames"]

IntArray = NDArray[np.intp]


@attrs.frozen(eq=False)
class FindingFrame:
    """The findings of one rule on many subjects, as columns.

    Attributes
    ----------
    kind : str
        The message template family (``"minimum"``, ``"school_rule"``, ``"balance"``, ...).
    rule_id, component : str
    level : Level
    indicator : str or None
    op : Op or None
    citation : Citation
    source : int
        Which minimum, check, county item or judged value of the standard the frame is (-1
        where there is one of its kind).
    county, school, stage : arrays of int
        County index; school row (-1 for a county or stage finding); stage code (-1 for none).
    status : array of int
        Status codes.
    measured, threshold : arrays of float
        NaN where there is none.
    ref : array of int
        The subject's row in the rule's arrays: a stage part, a school, a group or a county.
    """

    kind: str
    rule_id: str
    component: str
    level: Level
    indicator: str | None
    op: Op | None
    citation: Citation
    source: int
    county: IntArray
    school: IntArray
    stage: IntArray
    status: IntArray
    measured: NDArray[np.float64]
    threshold: NDArray[np.float64]
    ref: IntArray

    def __len__(self) -> int:
        return int(self.status.size)

    def take(self, rows: IntArray) -> FindingFrame:
        """The frame's findings at ``rows``."""
        return attrs.evolve(
            self,
            county=self.county[rows],
            school=self.school[rows],
            stage=self.stage[rows],
            status=self.status[rows],
            measured=self.measured[rows],
            threshold=self.threshold[rows],
            ref=self.ref[rows],
        )


def _none(n: int) -> IntArray:
    return np.full(n, -1, dtype=np.intp)


def finding_frames(ev: Evaluation) -> list[FindingFrame]:
    """Every finding of ``ev``: the county findings (school standard not supplied), the school
    standard, the balance rule, the school-level checks and the county items, in that order."""
    return [
        *_slot(ev),
        *_school_standard(ev),
        *_balance(ev),
        *_facilities(ev),
        *_county_items(ev),
    ]


def _slot(ev: Evaluation) -> list[FindingFrame]:
    std, n = ev.standard, ev.n_counties
    slot = std.school_standard_slot
    if std.school_standard is not None or slot is None:
        return []
    return [
        FindingFrame(
            kind="slot",
            rule_id="school_standard.supplied",
            component=slot.component,
            level=Level.COUNTY,
            indicator=None,
            op=None,
            citation=slot.citation,
            source=-1,
            county=np.arange(n),
            school=_none(n),
            stage=_none(n),
            status=np.full(n, NOT_EVALUATED, dtype=np.intp),
            measured=np.full(n, np.nan),
            threshold=np.full(n, np.nan),
            ref=np.arange(n),
        )
    ]


def _school_standard(ev: Evaluation) -> list[FindingFrame]:
    school, rules = ev.standard.school_standard, ev.school_rule
    if school is None or rules is None:
        return []
    parts, county = ev.parts, ev.columns.county
    if school.rule is SchoolRule.AT_LEAST:
        keep = np.flatnonzero(rules.status != NOT_APPLICABLE)
        rows = parts.school_row[keep]
        return [
            FindingFrame(
                kind="school_rule",
                rule_id="school_standard.school_rule",
                component=school.component,
                level=Level.SCHOOL,
                indicator=None,
                op=Op.GE,
                citation=school.citation,
                source=-1,
                county=county[rows],
                school=rows,
                stage=parts.stage[keep],
                status=rules.status[keep].astype(np.intp),
                measured=rules.n_met[keep].astype(np.float64),
                threshold=np.full(keep.size, float(school.min_met or 0)),
                ref=keep,
            )
        ]
    frames = []
    for k, arr in enumerate(rules.minimums):
        m = arr.minimum
        refs = arr.part_rows()
        rows = parts.school_row[refs]
        frames.append(
            FindingFrame(
                kind="minimum",
                rule_id=f"school_standard.{m.indicator}",
                component=school.component,
                level=Level.SCHOOL,
                indicator=m.indicator,
                op=m.op,
                citation=m.citation,
                source=k,
                county=county[rows],
                school=rows,
                stage=parts.stage[refs],
                status=arr.status,
                measured=arr.value,
                threshold=np.full(refs.size, m.value),
                ref=refs,
            )
        )
    return frames


def judged_values(ev: Evaluation) -> list[str]:
    """What the balance rule judges: ``["composite_cv"]``, or each indicator."""
    return list(ev.balance.judged)


def _balance(ev: Evaluation) -> list[FindingFrame]:
    """One frame for the stages with nothing to evaluate, then one per judged value, over the
    groups in county order."""
    rule, bal, parts = ev.standard.balance, ev.balance, ev.parts
    order = parts.county_major()
    status = bal.status[order]
    none, keep = order[status == NOT_APPLICABLE], order[status != NOT_APPLICABLE]

    def frame(groups: IntArray, **fields: object) -> FindingFrame:
        return FindingFrame(
            component=rule.component,
            level=Level.STAGE,
            op=Op.LE,
            citation=rule.citation,
            county=parts.group_county[groups],
            school=_none(groups.size),
            stage=parts.group_stage[groups],
            threshold=bal.threshold[groups],
            ref=groups,
            **fields,  # type: ignore[arg-type]
        )

    frames = [
        frame(
            none,
            kind="balance_stage",
            rule_id="balance.stage",
            indicator=None,
            source=-1,
            status=bal.status[none],
            measured=np.full(none.size, np.nan),
        )
    ]
    for k, target in enumerate(judged_values(ev)):
        composite = target == "composite_cv"
        value = bal.composite if composite else bal.moments[target].cv
        frames.append(
            frame(
                keep,
                kind="balance",
                rule_id=f"balance.{target}" if composite else f"balance.cv.{target}",
                indicator=None if composite else target,
                source=k,
                status=bal.judged[target][keep],
                measured=value[keep],
            )
        )
    return frames


def _facilities(ev: Evaluation) -> list[FindingFrame]:
    std, fac, county = ev.standard, ev.facilities, ev.columns.county
    frames = []
    for k, check in enumerate(fac.checks):
        rows = np.flatnonzero(check.status != NOT_APPLICABLE)
        status = check.status[rows].astype(np.intp)
        unknown = status == NOT_EVALUATED
        citation: Citation
        if check.rule_id.startswith("rooms."):
            rooms, ra = std.rooms, fac.rooms
            assert rooms is not None
            assert ra is not None
            music = check.rule_id.startswith("rooms.music")
            if check.rule_id.endswith("_rooms"):
                kind, citation = "rooms", rooms.citation
                measured = (ra.music_rooms if music else ra.art_rooms)[rows]
                threshold = ra.required[rows]
            else:
                kind, citation = "room_area", rooms.area_citation
                measured = (ra.music_mean_area if music else ra.art_mean_area)[rows]
                threshold = np.full(
                    rows.size, rooms.music_min_area if music else rooms.art_min_area
                )
            op = Op.GE
            stage = _none(rows.size)
        elif check.rule_id == "school_size":
            assert std.school_size is not None
            assert fac.size is not None
            assert fac.size_maximum is not None
            kind, citation, op = "school_size", std.school_size.citation, Op.LE
            measured, threshold = fac.size[rows], fac.size_maximum[rows]
            stage = _none(rows.size)
        else:
            assert std.class_size is not None
            assert check.stage is not None
            ca = fac.classes[check.stage]
            kind, citation, op = "class_size", std.class_size.citation, Op.LE
            measured, threshold = ca.largest[rows], np.full(rows.size, float(ca.cap))
            stage = np.full(rows.size, STAGES.index(check.stage), dtype=np.intp)
        frames.append(
            FindingFrame(
                kind=kind,
                rule_id=check.rule_id,
                component=check.component,
                level=Level.SCHOOL,
                indicator=None,
                op=op,
                citation=citation,
                source=k,
                county=county[rows],
                school=rows,
                stage=stage,
                status=status,
                measured=np.where(unknown, np.nan, measured),
                threshold=threshold,
                ref=rows,
            )
        )
    return frames


def _county_items(ev: Evaluation) -> list[FindingFrame]:
    n = ev.n_counties
    return [
        FindingFrame(
            kind="county_item",
            rule_id=f"county.{item.id}",
            component=item.component,
            level=Level.COUNTY,
            indicator=None,
            op=item.op,
            citation=item.citation,
            source=k,
            county=np.arange(n),
            school=_none(n),
            stage=_none(n),
            status=ev.county_items.status[k],
            measured=ev.county_items.value[k],
            threshold=np.full(n, float(item.value)),
            ref=np.arange(n),
        )
        for k, item in enumerate(ev.standard.county_items)
    ]
