"""Applying a standard: scope, stage parts, CVs, per-school rules and county items -> findings.

The functions here work on arrays grouped by county and stage, shared by the object door
(:func:`evaluate`) and the columnar door.
"""

from __future__ import annotations

from eduequity.rules.evaluate import evaluate, format_cv, format_number
from eduequity.rules.results import (
    ComponentResult,
    EvaluationResult,
    Finding,
    IndicatorCV,
    Level,
    SchoolStatus,
    StageResult,
    Status,
    combine,
)
from eduequity.rules.scope import ScopeReason

__all__ = [
    "ComponentResult",
    "EvaluationResult",
    "Finding",
    "IndicatorCV",
    "Level",
    "SchoolStatus",
    "ScopeReason",
    "StageResult",
    "Status",
    "combine",
    "evaluate",
    "format_cv",
    "format_number",
]
