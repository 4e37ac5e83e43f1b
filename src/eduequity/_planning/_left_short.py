"""Which minimums each school leaves short under an "at least n of k" school rule: the cheapest
choice, school by school, with the two stages of a multi-stage school chosen together.

Under the 2017 school rule (at least 6 of the 7 minimums met, the rest at least 85 %), each
stage part may leave one minimum between 85 % and 100 %. What a choice costs is what the part
must add: the whole units that bring each other indicator inside its minimum and the chosen
one inside 85 % of it. A person counts in his stage; a physical resource of a multi-stage
school is one total shared by its parts (``eduequity._split``), so the school adds the most
that either part needs, and the two parts' choices are made together. With the costs of each
choice (computed by the planner from the quantities it adds), the cheapest is exact: the
choices of two schools do not interact, so the least over each school's choices (one part:
``k``, two parts: ``k²`` for one left short) is the least over all.

:func:`minimum_floors` gives the floor the plan sets on each part's indicators: the thresholds,
with the cheapest choice of those left at the rule's fraction (:func:`cheapest_left_short`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._planning._quantities import stage_inside_quantities, weights
from eduequity._planning.costs import Costs
from eduequity._schema import SPLIT_RESOURCES
from eduequity._status import PASSED
from eduequity.rules._columns import STAGES
from eduequity.rules._minimums import MinimumArrays
from eduequity.rules._pipeline import Evaluation
from eduequity.standards._model import SchoolRule

__all__ = ["StageChoices", "cheapest_left_short", "minimum_floors"]

FloatArray = NDArray[np.float64]


@attrs.frozen(eq=False)
class StageChoices:
    """What each part of one stage would add, indicator by indicator, at each target.

    Attributes
    ----------
    school : array of int, shape (n,)
        The school of each part.
    full, low : array of float, shape (n, k)
        The cost of what the part adds for indicator ``j`` to meet its minimum (``full``) or
        the floor it may be left at (``low``); NaN where the indicator is not reported.
    resource : sequence of str, length k
        The resource each indicator is computed from (indicators of one resource share it).
    shared : sequence of bool, length k
        Whether the resource is one total of a multi-stage school, shared by its parts.
    n_short : int
        How many of the k minimums a part may leave short (2017: 1 of 7).
    """

    school: NDArray[np.intp]
    full: FloatArray
    low: FloatArray
    resource: Sequence[str]
    shared: Sequence[bool]
    n_short: int


def _costs_by_combo(
    stage: StageChoices, combos: list[tuple[int, ...]]
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """Per part and combination (the indicators left short): the cost of the part's own
    resources, and of each shared resource (the most its indicators need), shape (n, c)."""
    n = stage.school.size
    is_shared = dict(zip(stage.resource, stage.shared, strict=True))
    own = np.zeros((n, len(combos)))
    shared = {r: np.zeros((n, len(combos))) for r, s in is_shared.items() if s}
    unknown = np.isnan(stage.full)
    full, low = np.nan_to_num(stage.full), np.nan_to_num(stage.low)
    for c, combo in enumerate(combos):
        chosen = full.copy()
        chosen[:, list(combo)] = low[:, list(combo)]
        by_resource: dict[str, FloatArray] = {}
        for j, r in enumerate(stage.resource):  # one quantity serves the indicators of r
            by_resource[r] = np.fmax(by_resource.get(r, chosen[:, j]), chosen[:, j])
        for r, need in by_resource.items():
            if is_shared[r]:
                shared[r][:, c] = need
            else:
                own[:, c] += need
        # An indicator not reported is never the one left short, unless every one is not.
        own[unknown[:, list(combo)].any(axis=1), c] = np.inf
    return own, shared


#: Costs within this fraction of the least are a tie (their sums differ in the last bits only,
#: with the order their terms were added in).
_TIE = 1e-12


def _first_least(cost: FloatArray) -> NDArray[np.intp]:
    """Per row, the first column whose cost is the least, to :data:`_TIE` (a tie between two
    choices of equal cost goes to the one listed first, whatever the rounding of the sums)."""
    least = cost.min(axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):  # inf - inf: all choices cost inf, the first is taken
        close = cost - least <= _TIE * np.abs(least)
    first: NDArray[np.intp] = np.argmax(close, axis=1).astype(np.intp)
    return first


def cheapest_left_short(stages: Sequence[StageChoices]) -> list[NDArray[np.intp]]:
    """The indicators each part leaves short, the cheapest choice per school.

    Parameters
    ----------
    stages : sequence of StageChoices
        One per stage with the rule (a school has at most one part in each).

    Returns
    -------
    list of array of int, shape (n, n_short)
        Per stage, the indicators each part leaves short (none where ``n_short`` is 0); ties
        (costs equal to 12 significant digits) go to the combination listed first (the
        indicators listed first), and shared resources are added in the order listed, so the
        choice does not depend on the last bits of a sum or on the process.

    Notes
    -----
    A school with one part takes the combination of least cost. A school with two parts takes
    the pair of combinations of least total: each part's own resources, plus, per shared
    resource, the most either part's choice needs of it. The search is exhaustive per school
    (``k`` choose ``n_short`` combinations per part, their square for two parts), and schools do
    not interact, so the choice is the least over all the schools' choices.

    Examples
    --------
    Two indicators, a teacher (own) and a room area (shared), in one school with two parts:
    leaving the area short in the junior part is worthless while the primary part needs the
    area in full, so the junior part leaves its teacher short instead.

    >>> p = StageChoices(np.array([0]), np.array([[9.0, 10.0]]), np.array([[0.0, 8.0]]),
    ...                  ("teachers", "area"), (False, True), 1)
    >>> j = StageChoices(np.array([0]), np.array([[5.0, 10.0]]), np.array([[0.0, 1.0]]),
    ...                  ("teachers", "area"), (False, True), 1)
    >>> [c.tolist() for c in cheapest_left_short([p, j])]
    [[[0]], [[0]]]
    """
    picked: list[NDArray[np.intp]] = []
    tables = []
    for stage in stages:
        combos = list(itertools.combinations(range(stage.full.shape[1]), stage.n_short))
        own, shared = _costs_by_combo(stage, combos)
        tables.append((combos, own, shared))
        single = own + sum(shared.values(), start=np.zeros_like(own))
        picked.append(_first_least(single))
    # The schools with a part in two stages: their pair of choices, together.
    for (a, first), (b, second) in itertools.combinations(enumerate(stages), 2):
        common, at_a, at_b = np.intersect1d(first.school, second.school, return_indices=True)
        if common.size == 0:
            continue
        (_, own_a, shared_a), (_, own_b, shared_b) = tables[a], tables[b]
        total = own_a[at_a][:, :, None] + own_b[at_b][:, None, :]
        for r in dict.fromkeys([*shared_a, *shared_b]):  # one order, whatever the hash seed
            need_a = shared_a[r][at_a][:, :, None] if r in shared_a else 0.0
            need_b = shared_b[r][at_b][:, None, :] if r in shared_b else 0.0
            total = total + np.fmax(need_a, need_b)
        best = _first_least(total.reshape(common.size, -1))
        picked[a][at_a], picked[b][at_b] = np.divmod(best, total.shape[2])
    out = []
    for stage, (combos, _, _), choice in zip(stages, tables, picked, strict=True):
        chosen = np.array(combos, dtype=np.intp).reshape(len(combos), stage.n_short)
        out.append(chosen[choice])
    return out


def minimum_floors(ev: Evaluation, costs: Costs | None) -> tuple[dict[str, FloatArray], str | None]:
    """Per indicator, each part's floor (NaN: none), and the reason (``school_rule`` under an
    at-least rule, else ``school_minimum``).

    Only the schools with a part that does not pass the rule are given floors: a school whose
    parts all pass has a choice that adds nothing (each part leaves short what it already
    leaves short), so floors would add nothing to it and are left out (NaN)."""
    parts, rules, school = ev.parts, ev.school_rule, ev.standard.school_standard
    floors: dict[str, FloatArray] = {}
    if rules is None or school is None:
        return floors, None
    at_least = school.rule is SchoolRule.AT_LEAST
    reason = "school_rule" if at_least else "school_minimum"
    n = parts.school_row.size
    needy = np.zeros(ev.columns.n_schools, dtype=np.bool_)
    needy[parts.school_row[rules.status != PASSED]] = True
    stages = []
    for code, stage in enumerate(STAGES):
        mine = [a for a in rules.minimums if a.minimum.stage is stage and a.minimum.op.is_minimum]
        block = parts.rows_of_stage(code)
        rows = block.start + np.flatnonzero(needy[parts.school_row[block]])
        if mine and rows.size:
            t = np.array([a.minimum.value for a in mine])
            stages.append((code, rows, mine, np.tile(t, (rows.size, 1))))
    if not stages:
        return floors, reason
    fraction = school.floor_fraction
    if at_least and fraction is not None:
        choices = [
            _choices(
                ev, costs, code, rows, mine, fraction, len(mine) - (school.min_met or len(mine))
            )
            for code, rows, mine, _ in stages
        ]
        for (_, _, _, target), left in zip(stages, cheapest_left_short(choices), strict=True):
            low = fraction * target
            np.put_along_axis(target, left, np.take_along_axis(low, left, axis=1), axis=1)
    for _, rows, mine, target in stages:
        for j, a in enumerate(mine):
            ind = a.minimum.indicator
            floor = floors.setdefault(ind, np.full(n, np.nan))
            floor[rows] = np.fmax(floor[rows], target[:, j])
    return floors, reason


def _choices(
    ev: Evaluation,
    costs: Costs | None,
    code: int,
    rows: NDArray[np.intp],
    mine: list[MinimumArrays],
    fraction: float,
    n_short: int,
) -> StageChoices:
    """What each part ``rows`` of stage ``code`` adds for each minimum, in full or to
    ``fraction`` of it, in whole units landing inside (:func:`stage_inside_quantities`), weighed
    by :func:`weights`."""
    school = ev.parts.school_row[rows]
    full, low = np.empty((school.size, len(mine))), np.empty((school.size, len(mine)))
    weighed: dict[str, FloatArray] = {}
    for j, a in enumerate(mine):
        if a.resource not in weighed:
            weighed[a.resource] = weights(ev, a.resource, costs, rows)
        weight = weighed[a.resource]
        for out, level in ((full, 1.0), (low, fraction)):
            added = stage_inside_quantities(
                ev, a.resource, a.minimum.indicator, level * a.minimum.value, rows, code
            )
            with np.errstate(over="ignore"):  # a weight may be the largest float
                out[:, j] = np.where(added == 0, 0.0, added * weight)
    return StageChoices(
        school=school,
        full=full,
        low=low,
        resource=[a.resource for a in mine],
        shared=[a.resource in SPLIT_RESOURCES for a in mine],
        n_short=max(n_short, 0),
    )
