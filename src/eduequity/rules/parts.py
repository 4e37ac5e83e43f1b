"""Stage parts: one row per (in-scope school, compulsory stage), the unit every CV is over."""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity.metrics import GroupIndex
from eduequity.models import STAGE_PEOPLE
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.split import SPLIT_RESOURCES, SplitWeights, split_amounts

__all__ = ["Parts", "build_parts"]

FloatArray = NDArray[np.float64]


@attrs.frozen(eq=False)
class Parts:
    """Stage parts of the in-scope schools, ordered and grouped by county and stage.

    Attributes
    ----------
    school_row : array of int
        Row of the part's school in the :class:`SchoolColumns`.
    stage : array of int
        Stage code (index into :data:`~eduequity.rules.columns.STAGES`).
    groups : GroupIndex
        Group ``county * 2 + stage``, ``2 * n_counties`` groups.
    enrollment : array of float
        The stage's enrollment (the CV weight).
    amounts : mapping of str to array of float
        Every indicator numerator for the part: the stage's people, and its share of the split
        physical resources. NaN where not reported.
    """

    school_row: NDArray[np.intp]
    stage: NDArray[np.intp]
    groups: GroupIndex
    enrollment: FloatArray
    amounts: Mapping[str, FloatArray]


def build_parts(
    columns: SchoolColumns, included: NDArray[np.bool_], weights: SplitWeights
) -> Parts:
    """Split the ``included`` schools into stage parts (see :mod:`eduequity.split`)."""
    stacked = np.stack([columns.resources[r] for r in SPLIT_RESOURCES], axis=1)
    by_stage = split_amounts(
        stacked,
        columns.kind,
        columns.enrollment[STAGES[0]],
        columns.enrollment[STAGES[1]],
        columns.senior_enrollment,
        weights,
    )
    split = {r: tuple(part[:, i] for part in by_stage) for i, r in enumerate(SPLIT_RESOURCES)}
    rows, stage_codes = [], []
    amounts: dict[str, list[FloatArray]] = {f: [] for f in STAGE_PEOPLE[1:] + SPLIT_RESOURCES}
    for code, st in enumerate(STAGES):
        r = np.flatnonzero(included & (columns.enrollment[st] > 0))
        rows.append(r)
        stage_codes.append(np.full(r.size, code, dtype=np.intp))
        for f in STAGE_PEOPLE[1:]:
            amounts[f].append(columns.people[st][f][r])
        for res in SPLIT_RESOURCES:
            amounts[res].append(split[res][code][r])
    school_row = np.concatenate(rows)
    stage = np.concatenate(stage_codes)
    enrollment = np.concatenate(
        [columns.enrollment[s][r] for s, r in zip(STAGES, rows, strict=True)]
    )
    codes = columns.county[school_row] * len(STAGES) + stage
    # Order the parts by group (county, then stage), keeping school order within a group, so
    # every grouped sum runs over contiguous rows.
    order = np.argsort(codes, kind="stable")
    groups = GroupIndex.from_codes(codes[order], n_groups=columns.n_counties * len(STAGES))
    return Parts(
        school_row=school_row[order],
        stage=stage[order],
        groups=groups,
        enrollment=enrollment[order],
        amounts={k: np.concatenate(v)[order] for k, v in amounts.items()},
    )
