"""The school standard and the school checks as objects, for one county's evaluation.

The findings themselves are columns (:mod:`eduequity.rules.finding_frames`), shared by both
doors; this module builds the per-part :class:`~eduequity.rules.results.SchoolRuleResult` and
the :class:`~eduequity.rules.results.Shortfall` lists of :func:`eduequity.evaluate`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from eduequity.rules.balance import STATUS_CODES
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.rules.facilities import Facilities
from eduequity.rules.minimums import numerator_for
from eduequity.rules.parts import Parts
from eduequity.rules.results import SchoolRuleResult, Shortfall, Status
from eduequity.rules.school_rules import SchoolRuleArrays
from eduequity.rules.shortfalls import RESOURCE_UNITS, round_up
from eduequity.standards.model import Standard

__all__ = ["facility_shortfalls", "school_rule_results"]


def _mean_area_after(add: float, area: float, rooms: float) -> float:
    """Mean room area once ``add`` m² are added to ``area`` over ``rooms`` rooms."""
    return (area + add) / rooms


def school_rule_results(
    standard: Standard,
    parts: Parts,
    cols: SchoolColumns,
    arrays: SchoolRuleArrays | None,
) -> tuple[list[SchoolRuleResult], list[Shortfall]]:
    """Per-part results of the school standard and the shortfalls, as objects (one county)."""
    if standard.school_standard is None or arrays is None:
        return [], []
    shortfalls_by_part: dict[int, list[Shortfall]] = {}
    for arr, qty in zip(arrays.minimums, arrays.quantity, strict=True):
        m = arr.minimum
        field = numerator_for(m.indicator, standard.balance)
        unit_zh, unit_en, _ = RESOURCE_UNITS[field]
        short = ~arr.met & ~np.isnan(arr.value) & ~np.isnan(qty)
        for row, value, q in zip(arr.part_rows()[short], arr.value[short], qty[short], strict=True):
            shortfalls_by_part.setdefault(int(row), []).append(
                Shortfall(
                    school_id=str(cols.school_id[parts.school_row[row]]),
                    stage=m.stage,
                    rule_id=f"school_standard.{m.indicator}",
                    indicator=m.indicator,
                    resource=field,
                    unit_zh=unit_zh,
                    unit_en=unit_en,
                    measured=float(value),
                    threshold=m.value,
                    quantity=float(q),
                )
            )
    results = []
    for row in range(parts.school_row.size):
        status = STATUS_CODES[arrays.status[row]]
        if status is Status.NOT_APPLICABLE:
            continue
        results.append(
            SchoolRuleResult(
                school_id=str(cols.school_id[parts.school_row[row]]),
                stage=STAGES[int(parts.stage[row])],
                status=status,
                n_rules=int(arrays.n_rules[row]),
                n_met=int(arrays.n_met[row]),
                shortfalls=tuple(shortfalls_by_part.get(row, ())),
            )
        )
    shortfalls = [sf for row in sorted(shortfalls_by_part) for sf in shortfalls_by_part[row]]
    return results, shortfalls


def facility_shortfalls(
    standard: Standard, cols: SchoolColumns, facilities: Facilities
) -> list[Shortfall]:
    """What each school failing a room check must add: rooms, or room area (0.01 m²).

    ``facilities`` comes from :func:`~eduequity.rules.facilities.facility_checks`. An area is
    verified by recomputing the mean room area with the quantity added.
    """
    rooms, ra = standard.rooms, facilities.rooms
    if rooms is None or ra is None:
        return []
    shortfalls: list[Shortfall] = []
    failed = STATUS_CODES.index(Status.FAILED)
    for check in facilities.checks:
        if not check.rule_id.startswith("rooms."):
            continue
        kind = check.rule_id.split(".")[1].split("_")[0]
        count = ra.music_rooms if kind == "music" else ra.art_rooms
        for r in np.flatnonzero(check.status == failed).tolist():
            after: Callable[[float], float] | None
            if check.rule_id.endswith("_rooms"):
                resource = f"{kind}_rooms"
                measured, threshold = float(count[r]), float(ra.required[r])
                need, after = threshold - measured, None
            else:
                resource = f"{kind}_room_area"
                mean = ra.music_mean_area if kind == "music" else ra.art_mean_area
                threshold = rooms.music_min_area if kind == "music" else rooms.art_min_area
                measured = float(mean[r])
                area, n_rooms = float(cols.resources[resource][r]), float(count[r])
                need = threshold * n_rooms - area
                after = functools.partial(_mean_area_after, area=area, rooms=n_rooms)
            unit_zh, unit_en, quantum = RESOURCE_UNITS[resource]
            q = float(round_up(np.array([need]), quantum)[0])
            while after is not None and after(q) < threshold:  # rounding can leave it short
                q += quantum
            shortfalls.append(
                Shortfall(
                    school_id=str(cols.school_id[r]),
                    stage=None,
                    rule_id=check.rule_id,
                    indicator=None,
                    resource=resource,
                    unit_zh=unit_zh,
                    unit_en=unit_en,
                    measured=measured,
                    threshold=threshold,
                    quantity=q,
                )
            )
    return shortfalls
