"""Upgrades (学历提升, 职称评定, 骨干评定): existing teachers gaining a sub-count instead of hires.

With ``upgrade=True``, what a plan adds to the teachers above the qualification, with an
intermediate title or of backbone status is met first by existing teachers of the school's
stage who do not have it yet (the stage's full-time teachers, after any transfer, less those
already counted), then by hiring. An upgraded teacher is not a new teacher: the school's
full-time teachers and staff do not grow (the rows of reason ``hire`` shrink), and the row of
the sub-count says ``upgrade``. PE and arts teachers teach their subject and are hired.
"""

from __future__ import annotations

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._planning.additions import UPGRADABLE, Addition
from eduequity._planning.costs import FREE, TRANSFERS
from eduequity._planning.transfers import reduce_rows
from eduequity._schema import stage_column
from eduequity.rules._columns import STAGES, SchoolColumns

__all__ = ["with_upgrades"]

FloatArray = NDArray[np.float64]


def _moved(additions: list[Addition], column: str, n: int) -> FloatArray:
    """Per school, the teachers of ``column`` moved in (+) and out (-) by transfers."""
    total: FloatArray = np.zeros(n)
    for a in additions:
        if a.column == column and a.reason in TRANSFERS:
            total += a.quantity
    return total


def with_upgrades(additions: tuple[Addition, ...], columns: SchoolColumns) -> tuple[Addition, ...]:
    """The additions with each upgradable sub-count met by existing teachers first (see the
    module)."""
    out = [attrs.evolve(a, quantity=a.quantity.copy()) for a in additions]
    for stage in STAGES:
        teachers = columns.people[stage]["teachers"]
        moved_teachers = _moved(out, stage_column("teachers", stage.value), columns.n_schools)
        for sub in UPGRADABLE:
            column = stage_column(sub, stage.value)
            rows = [a for a in out if a.column == column and a.reason not in FREE]
            if not rows:
                continue
            need = np.sum([a.quantity for a in rows], axis=0)
            moved = _moved(out, column, columns.n_schools)
            have = columns.people[stage][sub]
            eligible = np.floor(np.nan_to_num(teachers + moved_teachers - have - moved) + 1e-9)
            upgraded = np.minimum(need, np.maximum(eligible, 0.0))
            if not np.any(upgraded > 0):
                continue
            reduce_rows(rows, upgraded)
            out.append(Addition(column, sub, stage, "upgrade", upgraded))
            for field in ("teachers", "staff"):
                hire = stage_column(field, stage.value)
                reduce_rows([a for a in out if a.column == hire and a.reason == "hire"], upgraded)
    return tuple(out)
