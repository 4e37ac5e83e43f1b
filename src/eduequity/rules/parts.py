"""Stage parts: one row per (in-scope school, compulsory stage), the unit every CV is over."""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity.metrics import GroupIndex
from eduequity.models import STAGE_PEOPLE, Stage
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.split import SPLIT_RESOURCES, SplitWeights, split_amounts, split_schools

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
    split : array of bool
        The part's school is a multi-stage school whose resources are split.
    share : array of float
        The part's share of one unit of its school's split resources (1 where not split).
    """

    school_row: NDArray[np.intp]
    stage: NDArray[np.intp]
    groups: GroupIndex
    enrollment: FloatArray
    amounts: Mapping[str, FloatArray]
    split: NDArray[np.bool_]
    share: FloatArray


def build_parts(
    columns: SchoolColumns, included: NDArray[np.bool_], weights: SplitWeights
) -> Parts:
    """Split the ``included`` schools into stage parts (see :mod:`eduequity.split`).

    A part's resource is the school's amount where the school has one stage, and its share
    from :func:`~eduequity.split.split_amounts` where it has several: only those schools are
    split, which gives the same numbers as splitting every school.
    """
    n_stages = len(STAGES)
    rows = [np.flatnonzero(included & (columns.enrollment[st] > 0)) for st in STAGES]
    school_row = np.concatenate(rows)
    stage = np.repeat(np.arange(n_stages, dtype=np.intp), [r.size for r in rows])
    # Order the parts by group (county, then stage), keeping school order within a group, so
    # every grouped sum runs over contiguous rows.
    codes = columns.county[school_row] * n_stages + stage
    n_groups = columns.n_counties * n_stages
    order = np.argsort(_small_int(codes, n_groups), kind="stable")
    school_row, stage, codes = school_row[order], stage[order], codes[order]
    groups = GroupIndex.from_codes(codes, n_groups=n_groups)
    at_stage = [np.flatnonzero(stage == code) for code in range(n_stages)]

    def per_stage(by_stage: Mapping[Stage, FloatArray]) -> FloatArray:
        out = np.empty(school_row.size)
        for code, st in enumerate(STAGES):
            out[at_stage[code]] = by_stage[st][school_row[at_stage[code]]]
        return out

    amounts = {f: per_stage({st: columns.people[st][f] for st in STAGES}) for f in STAGE_PEOPLE[1:]}
    # Physical resources: whole, then the shares of the multi-stage schools patched in.
    multi = split_schools(
        columns.kind,
        columns.enrollment[STAGES[0]],
        columns.enrollment[STAGES[1]],
        columns.senior_enrollment,
        weights,
    )
    slot = np.full(columns.kind.size, -1, dtype=np.intp)
    slot[multi] = np.arange(multi.size)
    patch = np.flatnonzero(slot[school_row] >= 0)
    patch_slot, patch_stage = slot[school_row[patch]], stage[patch]
    # One more column of ones gives each part's share of a unit of resource.
    stacked = np.stack(
        [*(columns.resources[r][multi] for r in SPLIT_RESOURCES), np.ones(multi.size)], axis=1
    )
    by_stage = split_amounts(
        stacked,
        columns.kind[multi],
        columns.enrollment[STAGES[0]][multi],
        columns.enrollment[STAGES[1]][multi],
        columns.senior_enrollment[multi],
        weights,
    )
    shares = np.where(
        (patch_stage == 0)[:, np.newaxis], by_stage[0][patch_slot], by_stage[1][patch_slot]
    )
    for i, res in enumerate(SPLIT_RESOURCES):
        part = columns.resources[res][school_row]
        part[patch] = shares[:, i]
        amounts[res] = part
    split = np.zeros(school_row.size, dtype=np.bool_)
    split[patch] = True
    share = np.ones(school_row.size)
    share[patch] = shares[:, -1]
    return Parts(
        school_row=school_row,
        stage=stage,
        groups=groups,
        enrollment=per_stage(columns.enrollment),
        amounts=amounts,
        split=split,
        share=share,
    )


def _small_int(codes: NDArray[np.intp], n: int) -> NDArray[np.integer]:
    """``codes`` (all in ``[0, n)``) in the narrowest unsigned type, for numpy's radix sort."""
    if n <= 1 << 8:
        return codes.astype(np.uint8)
    if n <= 1 << 16:
        return codes.astype(np.uint16)
    return codes
