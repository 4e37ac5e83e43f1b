"""eduequity: exact, fast evaluation of county-level balance in compulsory education.

The public API::

    import eduequity as ee
    ee.weighted_cv(values, enrollments)            # the official 差异系数
    county = ee.County(code=..., name=..., schools=[ee.School(...), ...])
    result = ee.evaluate(county, standard="cn-basic-2012")
    plan = ee.plan(county, standard="cn-quality-2017")   # what it takes to pass

``import eduequity`` loads only the errors and the options; each name below is imported from
its module the first time it is used (``ee.evaluate``, ``ee.batch``...), so that the command
line and a script that needs one part start quickly.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

from eduequity._version import __version__
from eduequity.errors import (
    ArgumentError,
    DataError,
    EduEquityError,
    MissingExtraError,
    RulesetError,
    UnknownNameError,
)
from eduequity.options import get_option, set_options

if TYPE_CHECKING:
    from eduequity import batch, datasets, equity, planning, rules
    from eduequity.doors import plan
    from eduequity.evaluate import evaluate
    from eduequity.indicators import (
        BASIC_2012,
        INDICATORS,
        QUALITY_2017,
        Indicator,
        get_indicator,
    )
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
    from eduequity.planning import Plan
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

#: The module each public name is imported from on first use.
_HOMES: dict[str, str] = {
    **dict.fromkeys(("batch", "datasets", "equity", "planning", "rules"), ""),
    "evaluate": "eduequity.evaluate",
    **dict.fromkeys(
        ("BASIC_2012", "INDICATORS", "QUALITY_2017", "Indicator", "get_indicator"),
        "eduequity.indicators",
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
    **dict.fromkeys(("County", "School", "SchoolKind", "Stage", "StageData"), "eduequity.models"),
    **dict.fromkeys(("Monitoring", "monitor"), "eduequity.monitoring"),
    "Plan": "eduequity.planning",
    "plan": "eduequity.doors",
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
        "eduequity.results",
    ),
    **dict.fromkeys(("SplitWeights", "split_school"), "eduequity.split"),
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
    **dict.fromkeys(("Level", "Status"), "eduequity.status"),
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
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package, whose ``evaluate`` stays the function.

    Loading a submodule sets it as an attribute of its package; the submodule
    ``eduequity.evaluate`` would then hide the function of that name, whichever other import
    loaded it first. The module stays reachable as ``sys.modules["eduequity.evaluate"]``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "evaluate" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "BASIC_2012",
    "INDICATORS",
    "QUALITY_2017",
    "ArgumentError",
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
