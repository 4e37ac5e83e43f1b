"""Findings: every verdict of an evaluation as one row, and its message on demand.

:func:`findings_table` lays the verdicts of an :class:`~eduequity.rules.Evaluation` out as a
long table of codes, values and citations, and adds the Chinese and English messages on demand
to any subset of it (one county, the failed rows, ...).
"""

from __future__ import annotations

from eduequity._findings.frames import FindingFrame, finding_frames
from eduequity._findings.messages import frame_messages
from eduequity._findings.record import Finding, finding_objects
from eduequity._findings.table import FINDINGS_SCHEMA, findings_table, select_frames

__all__ = [
    "FINDINGS_SCHEMA",
    "Finding",
    "FindingFrame",
    "finding_frames",
    "finding_objects",
    "findings_table",
    "frame_messages",
    "select_frames",
]
