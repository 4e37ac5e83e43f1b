"""eduequity: exact, fast evaluation of county-level balance in compulsory education.

The public API::

    import eduequity as ee
    ee.weighted_cv(values, enrollments)            # the official 差异系数
    county = ee.County(code=..., name=..., schools=[ee.School(...), ...])
    result = ee.evaluate(county, standard="cn-basic-2012")
    plan = ee.plan(county, standard="cn-quality-2017")   # what it takes to pass

The public API is this top level and the documented submodules :mod:`eduequity.batch`,
:mod:`eduequity.rules`, :mod:`eduequity.metrics`, :mod:`eduequity.equity`,
:mod:`eduequity.standards`, :mod:`eduequity.report`, :mod:`eduequity.testing` and
:mod:`eduequity.datasets`. Every other module has an underscore in its name: it may change in
any release.

``import eduequity`` loads only the errors and the options; each name below is imported from
its module the first time it is used (``ee.evaluate``, ``ee.batch``...), so that the command
line and a script that needs one part start quickly.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from eduequity._errors import (
    ArgumentError,
    DataError,
    EduEquityError,
    MissingExtraError,
    RulesetError,
    UnknownNameError,
)
from eduequity._options import get_option, set_options
from eduequity._version import __version__

if TYPE_CHECKING:
    from eduequity import batch, datasets, equity, metrics, report, rules, standards
    from eduequity import testing as testing
    from eduequity._doors import evaluate, plan
    from eduequity._indicators import (
        BASIC_2012,
        INDICATORS,
        QUALITY_2017,
        Indicator,
        get_indicator,
    )
    from eduequity._models import County, School, SchoolKind, Stage, StageData
    from eduequity._monitoring import Monitoring, monitor
    from eduequity._planning import Plan, cv_of_level, level_cost, water_level
    from eduequity._planning.composite import composite_levels
    from eduequity._planning.costs import Costs, load_costs
    from eduequity._results import (
        ComponentResult,
        EvaluationResult,
        Finding,
        IndicatorCV,
        SchoolRuleResult,
        SchoolStatus,
        Shortfall,
        StageResult,
    )
    from eduequity._split import SplitWeights, split_school
    from eduequity._status import Level, Status
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
    from eduequity.report import format_result
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

#: The module each public name is imported from on first use.
_HOMES: dict[str, str] = {
    **dict.fromkeys(
        ("batch", "datasets", "equity", "metrics", "report", "rules", "standards", "testing"), ""
    ),
    **dict.fromkeys(("cv_of_level", "level_cost", "water_level"), "eduequity._planning"),
    "composite_levels": "eduequity._planning.composite",
    **dict.fromkeys(("Costs", "load_costs"), "eduequity._planning.costs"),
    "evaluate": "eduequity._doors",
    **dict.fromkeys(
        ("BASIC_2012", "INDICATORS", "QUALITY_2017", "Indicator", "get_indicator"),
        "eduequity._indicators",
    ),
    **dict.fromkeys(
        (
            "GroupIndex",
            "WeightedMoments",
            "composite_cv",
            "grouped_composite_cv",
            "grouped_weighted_cv",
            "grouped_weighted_moments",
            "round_half_up",
            "weighted_cv",
        ),
        "eduequity.metrics",
    ),
    **dict.fromkeys(("County", "School", "SchoolKind", "Stage", "StageData"), "eduequity._models"),
    **dict.fromkeys(("Monitoring", "monitor"), "eduequity._monitoring"),
    "Plan": "eduequity._planning",
    "plan": "eduequity._doors",
    "format_result": "eduequity.report",
    **dict.fromkeys(
        (
            "ComponentResult",
            "EvaluationResult",
            "Finding",
            "IndicatorCV",
            "SchoolRuleResult",
            "SchoolStatus",
            "Shortfall",
            "StageResult",
        ),
        "eduequity._results",
    ),
    **dict.fromkeys(("SplitWeights", "split_school"), "eduequity._split"),
    **dict.fromkeys(
        (
            "Citation",
            "Confidence",
            "SchoolMinimum",
            "SchoolStandard",
            "Standard",
            "get_standard",
            "list_standards",
            "load_ruleset",
            "load_school_standard",
        ),
        "eduequity.standards",
    ),
    **dict.fromkeys(("Level", "Status"), "eduequity._status"),
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (and keep it here)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'eduequity' has no attribute {name!r}")
    value = import_module(f"eduequity.{name}") if home == "" else getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (and ``testing``, which needs hypothesis and is left out of ``*``)."""
    return sorted({*__all__, "testing"})


__all__ = [
    "BASIC_2012",
    "INDICATORS",
    "QUALITY_2017",
    "ArgumentError",
    "Citation",
    "ComponentResult",
    "Confidence",
    "Costs",
    "County",
    "DataError",
    "EduEquityError",
    "EvaluationResult",
    "Finding",
    "GroupIndex",
    "Indicator",
    "IndicatorCV",
    "Level",
    "MissingExtraError",
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
    "composite_levels",
    "cv_of_level",
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
    "level_cost",
    "list_standards",
    "load_costs",
    "load_ruleset",
    "load_school_standard",
    "metrics",
    "monitor",
    "plan",
    "report",
    "round_half_up",
    "rules",
    "set_options",
    "split_school",
    "standards",
    "water_level",
    "weighted_cv",
]
