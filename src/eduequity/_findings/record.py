"""Findings as objects: one :class:`Finding` per verdict, for one county's evaluation."""

from __future__ import annotations

import attrs
import numpy as np

from eduequity import _display
from eduequity._arrow import array
from eduequity._findings.frames import FindingFrame
from eduequity._findings.messages import frame_messages
from eduequity._models import Stage
from eduequity._status import STATUS_CODES, Level, Status
from eduequity.rules._columns import STAGES
from eduequity.rules._pipeline import Evaluation
from eduequity.standards._model import Citation, Op

__all__ = ["Finding", "finding_objects"]


@attrs.frozen(kw_only=True)
class Finding:
    """The outcome of one rule on one subject.

    Attributes
    ----------
    rule_id : str
        Rule identifier, e.g. ``"balance.composite_cv"`` or ``"school_standard.books_per_student"``.
    component : str
        Component of the standard the rule belongs to.
    level : Level
        County, stage, school or class.
    status : Status
    measured : float or None
        The measured value (unrounded); ``None`` when it could not be measured.
    threshold : float or None
    op : Op or None
        The comparison ``measured <op> threshold`` that passes.
    citation : Citation
    message_zh, message_en : str
    stage : Stage or None
    school_id : str or None
    indicator : str or None
    county_code : str or None
        The county the finding is about.
    """

    rule_id: str
    component: str
    level: Level
    status: Status
    measured: float | None
    threshold: float | None
    op: Op | None
    citation: Citation
    message_zh: str
    message_en: str
    stage: Stage | None = None
    school_id: str | None = None
    indicator: str | None = None
    county_code: str | None = None

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.message_zh if lang == "zh" else self.message_en

    __repr__ = _display.record_repr


def finding_objects(ev: Evaluation, frames: list[FindingFrame]) -> list[Finding]:
    """The findings of ``frames`` as objects, with their messages in both languages."""
    codes = ev.columns.county_code.to_pylist()
    out: list[Finding] = []
    for fr in frames:
        zh, en = frame_messages(ev, fr, "zh"), frame_messages(ev, fr, "en")
        schools = ev.columns.school_id.take(array(np.maximum(fr.school, 0))).to_pylist()
        for i in range(len(fr)):
            stage, measured, threshold = int(fr.stage[i]), fr.measured[i], fr.threshold[i]
            out.append(
                Finding(
                    rule_id=fr.rule_id,
                    component=fr.component,
                    level=fr.level,
                    status=STATUS_CODES[int(fr.status[i])],
                    measured=None if np.isnan(measured) else float(measured),
                    threshold=None if np.isnan(threshold) else float(threshold),
                    op=fr.op,
                    citation=fr.citation,
                    message_zh=zh[i],
                    message_en=en[i],
                    stage=None if stage < 0 else STAGES[stage],
                    school_id=None if fr.school[i] < 0 else schools[i],
                    indicator=fr.indicator,
                    county_code=codes[int(fr.county[i])],
                )
            )
    return out
