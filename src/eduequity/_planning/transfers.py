"""Teacher transfers (交流轮岗): meeting teacher needs by moving teachers before hiring.

A plan's teacher additions (a sub-count such as backbone teachers, or the full-time teachers
of 师生比) are first met by moving whole teachers between the schools of the same county and
stage, then by hiring what remains. A school may send a teacher only while it keeps what its
own minimum needs and stays at or above the level the plan raised the county's lowest schools
to; one transfer moves one teacher of the sub-count, who leaves the sender's full-time teachers
and staff and joins the receiver's.

For one county, stage and column, with supplies :math:`s_j` (what sender :math:`j` may give)
and demands :math:`d_i` (what the plan adds to receiver :math:`i`), the moves :math:`m_{ji}`
solve the transportation problem

.. math::

    \\max \\sum_{j,i} m_{ji} \\quad\\text{s.t.}\\quad \\sum_i m_{ji} \\le s_j,\\;
    \\sum_j m_{ji} \\le d_i,\\; m_{ji} \\ge 0,

a transportation problem whose constraint matrix is totally unimodular: its vertices are
integral (whole teachers) and have at most :math:`|S| + |R| - 1` moves that are not 0 (few pairs
of schools). With every move weighing the same, the north-west corner rule reaches such a vertex
and is optimal (it moves :math:`\\min(\\sum s_j, \\sum d_i)`); the tests check it against
:func:`scipy.optimize.linprog`. Every teacher moved is one fewer hired. The plan with its
transfers is applied and evaluated again like any plan.

The seeds ask counties to rotate at least 10 % of eligible teachers a year; the counties table
reports the share a plan implies (``rotation_share``: teachers moved over the stage's
full-time teachers).
"""

from __future__ import annotations

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._indicators import get_indicator
from eduequity._planning.additions import SUBCOUNTS, Addition
from eduequity._schema import stage_column
from eduequity.rules._columns import STAGES
from eduequity.rules._minimums import numerator_for
from eduequity.rules._pipeline import Evaluation

__all__ = ["Moves", "plan_moves", "with_moves"]

FloatArray = NDArray[np.float64]

#: The resources a transfer can meet: the teacher sub-counts and the full-time teachers.
MOVABLE: tuple[str, ...] = (*SUBCOUNTS, "teachers")


@attrs.frozen(eq=False)
class Moves:
    """Teachers moved: one entry per (column, sender, receiver).

    Attributes
    ----------
    column : list of str
        The input column of the sub-count moved (e.g. ``teachers_backbone_junior``).
    resource : list of str
    stage : list of int
        Stage code of each move.
    sender, receiver : array of int
        School rows.
    quantity : array of float
        Whole teachers.
    """

    column: list[str]
    resource: list[str]
    stage: list[int]
    sender: NDArray[np.intp]
    receiver: NDArray[np.intp]
    quantity: FloatArray

    @property
    def n(self) -> int:
        """Number of (sender, receiver, column) moves."""
        return int(self.quantity.size)


def _keep(
    before: Evaluation, after: Evaluation, resource: str, code: int
) -> tuple[FloatArray, FloatArray]:
    """Per part of stage ``code``: its current amount of ``resource`` and what it must keep
    (its minimums of indicators on that resource, and the lowest value the plan left in its
    county and stage on each balance indicator on it)."""
    parts = before.parts
    rows = parts.rows_of_stage(code)
    current = parts.amounts[resource][rows]
    p = parts.enrollment[rows]
    keep = np.zeros(p.size)
    std = before.standard
    if before.school_rule is not None:
        for arr in before.school_rule.minimums:
            m = arr.minimum
            if arr.resource == resource and STAGES.index(m.stage) == code and m.op.is_minimum:
                keep = np.maximum(keep, m.value * p / get_indicator(m.indicator).scale)
    for ind in std.balance.indicators:
        if std.balance.numerator(ind) != resource:
            continue
        values = after.balance.values[ind]
        g = after.parts.groups.codes
        lowest = np.full(after.parts.groups.n_groups, np.inf)
        np.minimum.at(lowest, g, np.where(np.isnan(values), np.inf, values))
        level = lowest[parts.groups.codes[rows]]
        keep = np.maximum(
            keep, np.where(np.isfinite(level), level, 0.0) * p / get_indicator(ind).scale
        )
    return current, keep


def _solve(supply: FloatArray, demand: FloatArray) -> FloatArray:
    """The moves (senders x receivers) of the transportation problem (see the module), by the
    north-west corner rule: senders and receivers in order, each move as large as both allow.

    With every move weighing the same, any allocation that exhausts the smaller side is
    optimal, and this one is a vertex of the transportation polytope: whole teachers, at most
    ``len(supply) + len(demand) - 1`` moves. The tests check it against
    :func:`scipy.optimize.linprog`.
    """
    moves = np.zeros((supply.size, demand.size))
    s, d = supply.astype(np.float64).copy(), demand.astype(np.float64).copy()
    j = i = 0
    while j < s.size and i < d.size:
        q = min(s[j], d[i])
        if q > 0:
            moves[j, i] = q
            s[j] -= q
            d[i] -= q
        if s[j] <= 0:
            j += 1
        else:
            i += 1
    return moves


def plan_moves(before: Evaluation, after: Evaluation, additions: tuple[Addition, ...]) -> Moves:
    """The transfers that meet the plan's teacher additions (see the module)."""
    cols = before.columns
    parts = before.parts
    rule = before.standard.balance
    movable = {numerator_for(i, rule) for i in rule.indicators} & set(MOVABLE)
    if before.school_rule is not None:
        movable |= {a.resource for a in before.school_rule.minimums} & set(MOVABLE)
    column, resource, stage, sender, receiver, quantity = [], [], [], [], [], []
    for code, st in enumerate(STAGES):
        rows = parts.rows_of_stage(code)
        school = parts.school_row[rows]
        county = cols.county[school]
        # Teachers each school can still let go, over every column (a teacher who leaves
        # leaves the full-time teachers and the staff too).
        room = np.full(school.size, np.inf)
        for field in ("teachers", "staff"):
            have = cols.people[st][field][school]
            room = np.where(np.isnan(have), room, np.minimum(room, np.floor(have + 1e-9)))
        for res_name in sorted(movable):
            col = stage_column(res_name, st.value)
            demand_school = np.zeros(cols.n_schools)
            for a in additions:
                if a.column == col and a.reason != "hire":
                    demand_school += a.quantity
            demand = np.floor(demand_school[school] + 1e-9)
            if not np.any(demand > 0):
                continue
            current, keep = _keep(before, after, res_name, code)
            supply = np.minimum(np.floor(np.nan_to_num(current - keep) + 1e-9), room)
            supply = np.where((demand > 0) | np.isnan(current), 0.0, np.maximum(supply, 0.0))
            # The parts that send or receive, county by county.
            active = np.flatnonzero((supply > 0) | (demand > 0))
            active = active[np.argsort(county[active], kind="stable")]
            bounds = np.flatnonzero(np.diff(county[active])) + 1
            for at in np.split(active, bounds):
                s_at = at[supply[at] > 0]
                r_at = at[demand[at] > 0]
                if s_at.size == 0 or r_at.size == 0:
                    continue
                moves = _solve(supply[s_at], demand[r_at])
                room[s_at] -= moves.sum(axis=1)
                for j, i in zip(*np.nonzero(moves), strict=True):
                    column.append(col)
                    resource.append(res_name)
                    stage.append(code)
                    sender.append(int(school[s_at[j]]))
                    receiver.append(int(school[r_at[i]]))
                    quantity.append(float(moves[j, i]))
    return Moves(
        column,
        resource,
        stage,
        np.array(sender, dtype=np.intp),
        np.array(receiver, dtype=np.intp),
        np.array(quantity),
    )


def reduce_rows(rows: list[Addition], amount: FloatArray) -> None:
    """Take ``amount`` (per school) off the quantities of ``rows``, in order, none below 0."""
    left = amount.copy()
    for a in rows:
        take = np.minimum(left, np.maximum(a.quantity, 0.0))
        np.subtract(a.quantity, take, out=a.quantity)  # the copy with_moves made
        left -= take


def with_moves(
    additions: tuple[Addition, ...], moves: Moves, n_schools: int
) -> tuple[Addition, ...]:
    """The additions with the moves: each receiver hires as many fewer teachers as it
    receives (its rows of the sub-count and its hire rows shrink), and the moves appear as rows
    of reason ``transfer_in`` (+) and ``transfer_out`` (−) on the sub-count, the full-time
    teachers and the staff of the stage."""
    out = [attrs.evolve(a, quantity=a.quantity.copy()) for a in additions]
    moved: dict[tuple[str, str, int], FloatArray] = {}
    keys = list(zip(moves.column, moves.resource, moves.stage, strict=True))
    columns = sorted(set(keys))
    which = np.array([f"{c}|{g}" for c, _, g in keys])
    for column, resource, code in columns:
        mine = which == f"{column}|{code}"
        st = STAGES[code]
        received = np.zeros(n_schools)
        np.add.at(received, moves.receiver[mine], moves.quantity[mine])
        sent = np.zeros(n_schools)
        np.add.at(sent, moves.sender[mine], moves.quantity[mine])
        for field in dict.fromkeys((resource, "teachers", "staff")):
            for reason, amount in (("transfer_in", received), ("transfer_out", -sent)):
                key = (field, reason, code)
                moved[key] = moved.get(key, np.zeros(n_schools)) + amount
        # The receivers hire as many fewer: their rows of the column, then the hire rows.
        reduce_rows([a for a in out if a.column == column and a.reason != "hire"], received)
        hired = ("teachers", "staff") if resource in SUBCOUNTS else ("staff",)
        for field in hired:
            col = stage_column(field, st.value)
            reduce_rows([a for a in out if a.column == col and a.reason == "hire"], received)
    for (field, reason, code), quantity in moved.items():
        st = STAGES[code]
        out.append(Addition(stage_column(field, st.value), field, st, reason, quantity))
    return tuple(out)
