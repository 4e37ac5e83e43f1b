"""Applying a standard: scope, stage parts, CVs, per-school rules and county items -> findings.

The functions here work on arrays grouped by county and stage, shared by the object door
(:func:`evaluate`) and the columnar door.
"""

from __future__ import annotations

from eduequity.rules.evaluate import evaluate
from eduequity.rules.results import (
    ComponentResult,
    EvaluationResult,
    Finding,
    IndicatorCV,
    Level,
    SchoolRuleResult,
    SchoolStatus,
    Shortfall,
    StageResult,
    Status,
    combine,
)
from eduequity.rules.scope import ScopeReason
from eduequity.rules.text import format_cv, format_number

__all__ = [
    "ComponentResult",
    "EvaluationResult",
    "Finding",
    "IndicatorCV",
    "Level",
    "SchoolRuleResult",
    "SchoolStatus",
    "ScopeReason",
    "Shortfall",
    "StageResult",
    "Status",
    "combine",
    "evaluate",
    "format_cv",
    "format_number",
]
