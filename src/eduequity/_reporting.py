"""Former name of :mod:`eduequity.report`, kept so that existing code keeps working."""

from __future__ import annotations

from eduequity.report import (
    FORMATS,
    CountyReport,
    StageReport,
    compact_html,
    county_reports,
    format_result,
    render,
    write_reports,
)

__all__ = [
    "FORMATS",
    "CountyReport",
    "StageReport",
    "compact_html",
    "county_reports",
    "format_result",
    "render",
    "write_reports",
]
