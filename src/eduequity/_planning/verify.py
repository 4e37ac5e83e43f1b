"""A verified plan: the additions of every round, applied and re-evaluated through the pipeline.

:func:`plan_evaluation` runs ``plan_round`` on an
evaluation, applies the additions, evaluates again with the same standard, and repeats until
a round adds nothing (rounding and the split of a multi-stage school's resources can leave a
rule a hair short after the first round). The result keeps the evaluation before and after:
what a plan claims is what the pipeline says of the county with the additions.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity import _display
from eduequity._planning._grid import on_grid
from eduequity._planning.additions import Addition, Round, apply_round, check_costs, plan_round
from eduequity._planning.costs import Costs
from eduequity._planning.transfers import Moves, plan_moves, with_moves
from eduequity._planning.upgrades import with_upgrades
from eduequity._status import NOT_APPLICABLE, PASSED
from eduequity.rules._columns import STAGES
from eduequity.rules._pipeline import Evaluation, run

__all__ = ["MAX_ROUNDS", "PlanArrays", "covered_ok", "plan_evaluation"]

FloatArray = NDArray[np.float64]

#: Rounds after which a plan stops adding (each round after the first only tops up what
#: rounding left a hair short; a plan that needs more is reported as not passing).
MAX_ROUNDS = 6


@attrs.frozen(eq=False)
class PlanArrays:
    """A plan for every county of an evaluation.

    Attributes
    ----------
    before, after : Evaluation
        The evaluation of the counties as they are, and with every addition.
    additions : tuple of Addition
        What each school adds, one entry per input column and reason (summed over rounds).
    costs : Costs or None
    rounds : int
        Rounds the plan took.
    county_inputs : mapping of str to array of float, optional
        The county inputs the evaluations were run with.
    moves : Moves or None
        The teacher transfers, when the plan was asked for them.
    """

    before: Evaluation
    after: Evaluation
    additions: tuple[Addition, ...]
    costs: Costs | None
    rounds: int
    county_inputs: Mapping[str, FloatArray] | None = None
    moves: Moves | None = None

    __repr__ = _display.plan_arrays_repr


Merged = dict[tuple[str, str], Addition]


def _rounds(
    current: Evaluation,
    merged: Merged,
    costs: Costs | None,
    county_inputs: Mapping[str, FloatArray] | None,
) -> tuple[Evaluation, int]:
    """Plan rounds from ``current`` until one adds nothing; the additions go into ``merged``."""
    rounds = 0
    for _ in range(MAX_ROUNDS):
        step = plan_round(current, costs)
        if step.empty:
            break
        rounds += 1
        for a in step.additions:
            key = (a.column, a.reason)
            if key in merged:
                old = merged[key]
                total = on_grid(old.quantity + a.quantity, a.resource)
                merged[key] = attrs.evolve(old, quantity=total)
            else:
                merged[key] = a
        current = run(current.standard, apply_round(current.columns, step), county_inputs)
    return current, rounds


def plan_evaluation(
    ev: Evaluation,
    costs: Costs | None = None,
    county_inputs: Mapping[str, FloatArray] | None = None,
    *,
    transfers: bool = False,
    upgrade: bool = False,
) -> PlanArrays:
    """Plan, apply and verify (see the module); with ``transfers``, meet teacher needs by
    moving teachers first (``eduequity._planning.transfers``), with ``upgrade`` by existing
    teachers gaining a sub-count (``eduequity._planning.upgrades``), then verify again."""
    if costs is not None:
        check_costs(costs, ev.standard, upgrade)
    merged: Merged = {}
    after, rounds = _rounds(ev, merged, costs, county_inputs)
    moves = None
    adds = tuple(merged.values())
    if transfers:
        moves = plan_moves(ev, after, adds)
        adds = with_moves(adds, moves, ev.columns.n_schools)
    if upgrade:
        adds = with_upgrades(adds, ev.columns)
    if transfers or upgrade:
        merged = {(a.column, a.reason): a for a in adds}
        step = Round(adds, {s: after.columns.class_sizes[s] for s in STAGES})
        changed = run(ev.standard, apply_round(ev.columns, step), county_inputs)
        after, more = _rounds(changed, merged, costs, county_inputs)
        rounds += 1 + more
    return PlanArrays(ev, after, tuple(merged.values()), costs, rounds, county_inputs, moves)


def _fine(status: NDArray[np.integer]) -> NDArray[np.bool_]:
    ok: NDArray[np.bool_] = (status == PASSED) | (status == NOT_APPLICABLE)
    return ok


def covered_ok(ev: Evaluation) -> NDArray[np.bool_]:
    """Per group (county x stage), whether every rule a plan covers passes: the balance rule,
    the school rule of every part (not passed where the school standard it needs was not
    given), and the class sizes and rooms of the schools with the stage."""
    parts, cols = ev.parts, ev.columns
    n_g = parts.groups.n_groups
    ok: NDArray[np.bool_] = _fine(ev.balance.status).copy()
    if ev.school_rule is not None:
        bad = np.bincount(parts.groups.codes, weights=~_fine(ev.school_rule.status), minlength=n_g)
        ok &= bad == 0
    elif "school_rule" in ev.stage_rules:
        # A school standard the standard needs and was not given (a province's, under 2012):
        # not evaluated, so not passed.
        ok &= _fine(ev.stage_rules["school_rule"])
    for check in ev.facilities.checks:
        if check.rule_id == "school_size":
            continue
        for code, stage in enumerate(STAGES):
            if check.stage is not None and check.stage is not stage:
                continue
            has = cols.enrollment[stage] > 0
            bad_school = has & ~_fine(check.status)
            county_bad = np.bincount(cols.county, weights=bad_school, minlength=cols.n_counties)
            ok[code * parts.n_counties : (code + 1) * parts.n_counties] &= county_bad == 0
    return ok
