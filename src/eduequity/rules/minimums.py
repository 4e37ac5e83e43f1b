"""Per-school rules: every stage part measured against each minimum of its stage."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity.indicators import get_indicator
from eduequity.rules.columns import STAGES
from eduequity.rules.parts import Parts
from eduequity.standards.model import BalanceRule, Op, SchoolMinimum, Standard

__all__ = ["MinimumArrays", "compare", "minimum_arrays", "numerator_for", "numerators_of"]

FloatArray = NDArray[np.float64]

_OPS: dict[Op, Callable[[FloatArray, float], NDArray[np.bool_]]] = {
    Op.GE: operator.ge,
    Op.GT: operator.gt,
    Op.LE: operator.le,
    Op.LT: operator.lt,
    Op.EQ: operator.eq,
}


def compare(op: Op, measured: FloatArray, threshold: float) -> NDArray[np.bool_]:
    """``measured <op> threshold`` elementwise; False where ``measured`` is NaN."""
    with np.errstate(invalid="ignore"):
        return np.asarray(_OPS[op](measured, threshold), dtype=np.bool_)


@attrs.frozen(eq=False)
class MinimumArrays:
    """One minimum applied to the parts of its stage.

    Attributes
    ----------
    minimum : SchoolMinimum
    part : slice
        Rows of :class:`~eduequity.rules.parts.Parts` the minimum applies to: the parts of its
        stage, a contiguous block.
    value : array of float
        The indicator value of each of those parts (NaN where the input is not reported).
    met : array of bool
    """

    minimum: SchoolMinimum
    part: slice
    value: FloatArray
    met: NDArray[np.bool_]

    def part_rows(self) -> NDArray[np.intp]:
        """The rows of :attr:`part` as an index array."""
        return np.arange(self.part.start, self.part.stop, dtype=np.intp)


def numerator_for(indicator_id: str, balance: BalanceRule) -> str:
    """The resource a school rule on ``indicator_id`` is computed from.

    An indicator the balance rule computes from another numerator (e.g. 师生比 from staff) is
    computed the same way for the school rules, so one indicator has one meaning per standard.
    """
    if indicator_id in balance.indicators:
        return balance.numerator(indicator_id)
    return get_indicator(indicator_id).numerator


def numerators_of(standard: Standard) -> frozenset[str]:
    """Every resource the balance rule and the school standard of ``standard`` read."""
    balance = standard.balance
    found = {balance.numerator(i) for i in balance.indicators}
    if standard.school_standard is not None:
        found |= {numerator_for(m.indicator, balance) for m in standard.school_standard.minimums}
    return frozenset(found)


def minimum_arrays(
    parts: Parts,
    minimums: tuple[SchoolMinimum, ...],
    balance: BalanceRule,
    known: Mapping[str, FloatArray] | None = None,
) -> tuple[MinimumArrays, ...]:
    """Apply each minimum to the parts of its stage (numerators as :func:`numerator_for`).

    ``known`` holds indicator values already computed for every part by the balance rule
    (the same numerators), which are then reused rather than computed again.
    """
    out = []
    stage_rows: dict[int, slice] = {}
    for m in minimums:
        indicator = get_indicator(m.indicator)
        numerator = numerator_for(m.indicator, balance)
        code = STAGES.index(m.stage)
        if code not in stage_rows:
            stage_rows[code] = parts.rows_of_stage(code)
        rows = stage_rows[code]
        if known is not None and m.indicator in known and m.indicator in balance.indicators:
            value = known[m.indicator][rows]
        else:
            value = indicator.compute(parts.amounts[numerator][rows], parts.enrollment[rows])
        out.append(MinimumArrays(m, rows, value, compare(m.op, value, m.value)))
    return tuple(out)
