"""eduequity: exact, fast evaluation of county-level balance in compulsory education.

The public API::

    import eduequity as ee
    ee.weighted_cv(values, enrollments)            # the official 差异系数
    county = ee.County(code=..., name=..., schools=[ee.School(...), ...])
    result = ee.evaluate(county, standard="cn-basic-2012")
    plan = ee.plan(county, standard="cn-quality-2017")   # what it takes to pass
"""

from __future__ import annotations

from eduequity import batch, datasets, equity, planning, rules
from eduequity._version import __version__
from eduequity.errors import DataError, EduEquityError, RulesetError, UnknownNameError
from eduequity.evaluate import evaluate
from eduequity.indicators import BASIC_2012, INDICATORS, QUALITY_2017, Indicator, get_indicator
from eduequity.metrics import (
    GroupIndex,
    WeightedMoments,
    composite_cv,
    grouped_composite_cv,
    grouped_weighted_cv,
    grouped_weighted_moments,
    round_half_up,
    weighted_cv,
)
from eduequity.models import County, School, SchoolKind, Stage, StageData
from eduequity.monitoring import Monitoring, monitor
from eduequity.options import get_option, set_options
from eduequity.planning import Plan, plan
from eduequity.report import format_result
from eduequity.results import (
    ComponentResult,
    EvaluationResult,
    Finding,
    IndicatorCV,
    SchoolRuleResult,
    SchoolStatus,
    Shortfall,
    StageResult,
)
from eduequity.split import SplitWeights, split_school
from eduequity.standards import (
    Citation,
    Confidence,
    SchoolMinimum,
    SchoolStandard,
    Standard,
    get_standard,
    list_standards,
    load_ruleset,
    load_school_standard,
)
from eduequity.status import Level, Status

__all__ = [
    "BASIC_2012",
    "INDICATORS",
    "QUALITY_2017",
    "Citation",
    "ComponentResult",
    "Confidence",
    "County",
    "DataError",
    "EduEquityError",
    "EvaluationResult",
    "Finding",
    "GroupIndex",
    "Indicator",
    "IndicatorCV",
    "Level",
    "Monitoring",
    "Plan",
    "RulesetError",
    "School",
    "SchoolKind",
    "SchoolMinimum",
    "SchoolRuleResult",
    "SchoolStandard",
    "SchoolStatus",
    "Shortfall",
    "SplitWeights",
    "Stage",
    "StageData",
    "StageResult",
    "Standard",
    "Status",
    "UnknownNameError",
    "WeightedMoments",
    "__version__",
    "batch",
    "composite_cv",
    "datasets",
    "equity",
    "evaluate",
    "format_result",
    "get_indicator",
    "get_option",
    "get_standard",
    "grouped_composite_cv",
    "grouped_weighted_cv",
    "grouped_weighted_moments",
    "list_standards",
    "load_ruleset",
    "load_school_standard",
    "monitor",
    "plan",
    "planning",
    "round_half_up",
    "rules",
    "set_options",
    "split_school",
    "weighted_cv",
]
