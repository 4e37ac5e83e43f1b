"""Stage parts: one row per (in-scope school, compulsory stage), the unit every CV is over."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from concurrent.futures import Executor
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._lanes import lane_map
from eduequity.metrics import GroupIndex
from eduequity.models import STAGE_PEOPLE, Stage
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.split import SPLIT_RESOURCES, MultiStageWeights, SplitWeights

__all__ = ["PartRows", "Parts", "build_parts", "part_rows"]

FloatArray = NDArray[np.float64]


@attrs.frozen(eq=False)
class Parts:
    """Stage parts of the in-scope schools, ordered and grouped by stage, then county.

    Each stage's parts are one contiguous block (:meth:`rows_of_stage`), so what applies to a
    stage reads a slice, not a gather; each group (one county's stage) is a contiguous block
    within it.

    Attributes
    ----------
    school_row : array of int
        Row of the part's school in the :class:`SchoolColumns`.
    stage : array of int
        Stage code (index into :data:`~eduequity.rules.columns.STAGES`).
    groups : GroupIndex
        Group ``stage * n_counties + county`` (:meth:`group`), ``2 * n_counties`` groups.
    n_counties : int
    enrollment : array of float
        The stage's enrollment (the CV weight).
    amounts : mapping of str to array of float
        The indicator numerators of the part (every one, or those :func:`build_parts` was
        asked for): the stage's people, and its share of the split physical resources. NaN
        where not reported.
    split : array of bool
        The part's school is a multi-stage school whose resources are split.
    share : array of float
        The part's share of one unit of its school's split resources (1 where not split).
    """

    school_row: NDArray[np.intp]
    stage: NDArray[np.intp]
    groups: GroupIndex
    n_counties: int
    enrollment: FloatArray
    amounts: Mapping[str, FloatArray]
    split: NDArray[np.bool_]
    share: FloatArray

    def group(self, county: Any, stage: Any) -> Any:
        """Group code of a county's stage (ints or arrays of ints)."""
        return stage * self.n_counties + county

    @property
    def group_county(self) -> NDArray[np.intp]:
        """County of each group code."""
        return np.arange(self.groups.n_groups) % max(self.n_counties, 1)

    @property
    def group_stage(self) -> NDArray[np.intp]:
        """Stage code of each group code."""
        return np.arange(self.groups.n_groups) // max(self.n_counties, 1)

    def county_major(self) -> NDArray[np.intp]:
        """Group codes in the order county, then stage (the order of the counties table)."""
        counties = np.repeat(np.arange(self.n_counties), len(STAGES))
        stages = np.tile(np.arange(len(STAGES)), self.n_counties)
        order: NDArray[np.intp] = self.group(counties, stages)
        return order

    def rows_of_stage(self, code: int) -> slice:
        """The contiguous rows of the parts of stage ``code``."""
        lo = int(self.groups.starts[code * self.n_counties]) if self.n_counties else 0
        counts = self.groups.counts[code * self.n_counties : (code + 1) * self.n_counties]
        return slice(lo, lo + int(counts.sum()))


@attrs.frozen(eq=False)
class PartRows:
    """Which school each stage part is, in the order of :class:`Parts` (see
    :func:`part_rows`): what can be known before any amount is read."""

    of_stage: tuple[NDArray[np.intp], ...]  # the schools with each stage, in part order
    school_row: NDArray[np.intp]
    stage: NDArray[np.intp]
    groups: GroupIndex
    n_counties: int
    enrollment: FloatArray  # the stage's enrollment of each part

    def per_stage(self, by_stage: Mapping[Stage, FloatArray]) -> FloatArray:
        """A column over the parts from one column over the schools per stage."""
        return _per_stage(by_stage, self.of_stage)


def _per_stage(
    by_stage: Mapping[Stage, FloatArray], of_stage: tuple[NDArray[np.intp], ...]
) -> FloatArray:
    return np.concatenate([by_stage[st][r] for st, r in zip(STAGES, of_stage, strict=True)])


def part_rows(columns: SchoolColumns, included: NDArray[np.bool_]) -> PartRows:
    """The stage parts of the ``included`` schools: one per stage with enrollment, ordered by
    stage, then county, keeping the schools' order within a county (so every grouped sum runs
    over contiguous rows)."""
    n_stages, n_c = len(STAGES), columns.n_counties
    rows = [np.flatnonzero(included & (columns.enrollment[st] > 0)) for st in STAGES]
    for code, r in enumerate(rows):
        rows[code] = r[np.argsort(_small_int(columns.county[r], n_c), kind="stable")]
    school_row = np.concatenate(rows)
    stage = np.repeat(np.arange(n_stages, dtype=np.intp), [r.size for r in rows])
    codes = stage * n_c + columns.county[school_row]
    groups = GroupIndex.from_codes(codes, n_groups=n_c * n_stages)
    of_stage = tuple(rows)
    enrollment = _per_stage(columns.enrollment, of_stage)
    return PartRows(of_stage, school_row, stage, groups, n_c, enrollment)


def build_parts(
    columns: SchoolColumns,
    included: NDArray[np.bool_],
    weights: SplitWeights,
    pool: Executor | None = None,
    rows: PartRows | None = None,
    numerators: Collection[str] | None = None,
) -> Parts:
    """Split the ``included`` schools into stage parts (see :mod:`eduequity.split`).

    A part's resource is the school's amount where the school has one stage, and its share
    from :func:`~eduequity.split.split_amounts` where it has several: only those schools are
    split, which gives the same numbers as splitting every school. With a ``pool``, the
    columns are built on its threads (:func:`~eduequity._lanes.lane_map`), to the same numbers.
    ``rows``: the :func:`part_rows` of the same schools, if already known. ``numerators``:
    the resources to compute (by default every one), e.g. what a standard's rules read
    (:func:`~eduequity.rules.minimums.numerators_of`).
    """
    found = part_rows(columns, included) if rows is None else rows
    school_row, stage, per_stage = found.school_row, found.stage, found.per_stage

    wanted = set(STAGE_PEOPLE[1:]) | set(SPLIT_RESOURCES) if numerators is None else set(numerators)
    people = [f for f in STAGE_PEOPLE[1:] if f in wanted]
    resources = [r for r in SPLIT_RESOURCES if r in wanted]
    stage_people = lane_map(
        pool, per_stage, [{st: columns.people[st][f] for st in STAGES} for f in people]
    )
    amounts = dict(zip(people, stage_people, strict=True))
    # Physical resources: whole, then the shares of the multi-stage schools patched in.
    multi, stage_weights = MultiStageWeights.among(
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
    # The split parts of each stage: where they go among the parts, and their school's slot.
    firsts = patch_stage == 0
    into = (patch[firsts], patch[~firsts])
    slots = (patch_slot[firsts], patch_slot[~firsts])

    def patched(whole: FloatArray | None) -> FloatArray:
        """The parts' amounts of a school resource: whole where the school has one stage, its
        share where it is split (``None``: one unit, for each part's share of a unit)."""
        of_multi = np.ones(multi.size) if whole is None else whole[multi]
        by_stage = stage_weights.split(of_multi)
        part = np.ones(school_row.size) if whole is None else whole[school_row]
        for code in range(len(STAGES)):
            part[into[code]] = by_stage[code][slots[code]]
        return part

    # The split is elementwise: each resource is split on its own lane.
    split_columns = lane_map(pool, patched, [*(columns.resources[r] for r in resources), None])
    amounts.update(zip(resources, split_columns[:-1], strict=True))
    split = np.zeros(school_row.size, dtype=np.bool_)
    split[patch] = True
    share = split_columns[-1]
    return Parts(
        school_row=school_row,
        stage=stage,
        groups=found.groups,
        n_counties=found.n_counties,
        enrollment=found.enrollment,
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
