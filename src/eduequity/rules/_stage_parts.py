"""Stage parts: one row per (in-scope school, compulsory stage), the unit every CV is over.

A school with one compulsory stage is one part; a nine-year or twelve-year school is two, a
primary part and a junior part. People are reported by stage; the physical resources of a
multi-stage school are split between its parts by weighted enrollment (``eduequity._split``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._models import STAGE_PEOPLE
from eduequity._split import SPLIT_RESOURCES, MultiStageWeights, SplitSchools, SplitWeights
from eduequity.metrics import GroupIndex, _stable_order
from eduequity.rules._columns import STAGES, SchoolColumns

__all__ = ["StageParts", "stage_parts"]

FloatArray = NDArray[np.float64]


@attrs.frozen(eq=False)
class StageParts:
    """Stage parts of the in-scope schools, ordered by stage, then county.

    Each stage's parts are one contiguous block (:meth:`rows_of_stage`), and each group (one
    county's stage) is a contiguous block within it, in the schools' input order.

    Attributes
    ----------
    school_row : array of int
        Row of the part's school in the :class:`~eduequity.rules.SchoolColumns`.
    stage : array of int
        Stage code (index into ``STAGES``).
    groups : GroupIndex
        Group ``stage * n_counties + county`` (:meth:`group`), ``2 * n_counties`` groups.
    n_counties : int
    enrollment : array of float
        The stage's enrollment (the CV weight).
    amounts : mapping of str to array of float
        The indicator numerators of the part (those :func:`stage_parts` was asked for): the
        stage's people, and its share of the split physical resources. NaN where not reported.
    split : array of bool
        The part's school is a multi-stage school whose resources are split.
    share : array of float
        The part's share of one unit of its school's split resources (1 where not split).
    multi : SplitSchools
        The schools whose resources are split (the rows of the parts with ``split``), and the
        weights they are split with.
    """

    school_row: NDArray[np.intp]
    stage: NDArray[np.intp]
    groups: GroupIndex
    n_counties: int
    enrollment: FloatArray
    amounts: Mapping[str, FloatArray]
    split: NDArray[np.bool_]
    share: FloatArray
    multi: SplitSchools

    def group(self, county: Any, stage: Any) -> Any:
        """Group code of a county's stage (ints or arrays of ints)."""
        return stage * self.n_counties + county

    @property
    def county(self) -> NDArray[np.intp]:
        """County of each part."""
        return self.groups.codes % max(self.n_counties, 1)

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


def stage_parts(
    columns: SchoolColumns,
    included: NDArray[np.bool_],
    weights: SplitWeights,
    numerators: Collection[str] | None = None,
) -> StageParts:
    """Split the ``included`` schools into stage parts.

    One part per stage with enrollment, ordered by stage, then county, keeping the schools'
    order within a county. A part's physical resource is the school's amount where the school
    has one stage, and its share (``MultiStageWeights``) where it has
    several. ``numerators``: the resources to compute (by default every one).
    """
    n_c = columns.n_counties
    of_stage = []
    for st in STAGES:
        rows = np.flatnonzero(included & (columns.enrollment[st] > 0))
        of_stage.append(rows[_stable_order(columns.county[rows], n_c)])
    school_row = np.concatenate(of_stage).astype(np.intp)
    stage = np.repeat(np.arange(len(STAGES), dtype=np.intp), [r.size for r in of_stage])
    groups = GroupIndex.from_codes(
        stage * n_c + columns.county[school_row], n_groups=n_c * len(STAGES)
    )

    def per_stage(by_stage: Mapping[Any, FloatArray]) -> FloatArray:
        return np.concatenate([by_stage[st][r] for st, r in zip(STAGES, of_stage, strict=True)])

    wanted = set(STAGE_PEOPLE[1:]) | set(SPLIT_RESOURCES) if numerators is None else set(numerators)
    amounts = {
        f: per_stage({st: columns.people[st][f] for st in STAGES})
        for f in STAGE_PEOPLE[1:]
        if f in wanted
    }
    # Physical resources: whole, then the shares of the multi-stage schools put in their place.
    multi, stage_weights = MultiStageWeights.among(
        columns.kind,
        columns.enrollment[STAGES[0]],
        columns.enrollment[STAGES[1]],
        columns.senior_enrollment,
        weights,
    )
    slot = np.full(columns.n_schools, -1, dtype=np.intp)
    slot[multi] = np.arange(multi.size)
    patch = np.flatnonzero(slot[school_row] >= 0)
    at = slot[school_row[patch]]
    in_primary = stage[patch] == 0
    # The multi-stage schools' resources and one unit (the share) split together, one column
    # each: the same arithmetic element by element as one at a time, the shares found once.
    names = [r for r in SPLIT_RESOURCES if r in wanted]
    together = np.ones((multi.size, len(names) + 1))
    for k, r in enumerate(names):
        whole = columns.resources[r]  # asked for once (it may be made when asked)
        together[:, k] = whole[multi]
        amounts[r] = whole[school_row]
    primary, junior, _ = stage_weights.split(together)

    def parts_of(part: FloatArray, k: int) -> FloatArray:
        part[patch] = np.where(in_primary, primary[at, k], junior[at, k])
        return part

    for k, r in enumerate(names):
        parts_of(amounts[r], k)
    split = np.zeros(school_row.size, dtype=np.bool_)
    split[patch] = True
    return StageParts(
        school_row=school_row,
        stage=stage,
        groups=groups,
        n_counties=n_c,
        enrollment=per_stage(columns.enrollment),
        amounts=amounts,
        split=split,
        share=parts_of(np.ones(school_row.size), len(names)),
        multi=SplitSchools(multi, stage_weights),
    )
