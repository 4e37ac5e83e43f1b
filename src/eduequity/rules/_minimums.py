"""Per-school rules: every stage part against each minimum of its stage, and the school rule.

Two school rules (``SchoolRule``): ``all``, every minimum of the
part's stage met (a province's basic school-running standard); ``at_least``, at least ``min_met``
met and each remaining one at least ``floor_fraction`` of its threshold (2017: 6 of 7, 85 %).
A part with a missing input is "not evaluated" unless the known values already decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import DataError
from eduequity._indicators import get_indicator
from eduequity._split import SPLIT_RESOURCES
from eduequity._status import FAILED, NOT_APPLICABLE, NOT_EVALUATED, PASSED
from eduequity.rules._columns import STAGES, SchoolColumns
from eduequity.rules._results import SchoolRuleCheck
from eduequity.rules._shortfalls import quantity_to_meet
from eduequity.rules._stage_parts import StageParts
from eduequity.standards._model import BalanceRule, Op, SchoolMinimum, SchoolRule, Standard

__all__ = [
    "MinimumArrays",
    "SchoolRuleArrays",
    "check_minimum",
    "check_school_rule",
    "compare",
    "numerator_for",
    "numerators_of",
    "school_rule_arrays",
]

FloatArray = NDArray[np.float64]


def compare(op: Op, measured: ArrayLike, threshold: ArrayLike) -> NDArray[np.bool_]:
    """``measured <op> threshold`` elementwise; False where ``measured`` is NaN."""
    return op.compare(measured, threshold)


def check_minimum(values: ArrayLike, minimum: float, op: Op | str = Op.GE) -> NDArray[np.intp]:
    """The status of each school against one minimum: passed, failed, or not evaluated.

    Parameters
    ----------
    values : array of float, shape (n,)
        The indicator value of each school (stage part), e.g. books per student
        [indicator units]; NaN where the school did not report the input.
    minimum : float
        The threshold [indicator units].
    op : {">=", ">", "<=", "<", "=="}, default ">="
        The comparison that passes: ``value <op> minimum``.

    Returns
    -------
    array of int, shape (n,)
        Status codes (:data:`eduequity.rules.STATUS_CODES`): 0 passed, 1 failed, 2 not
        evaluated (NaN).

    References
    ----------
    - 教育部 教督〔2017〕6号 县域义务教育优质均衡发展督导评估办法 (2017), 第五条: the
       seven per-school minimums, e.g. 生均教学及辅助用房面积 primary 4.5 m², junior 5.8 m².

    Examples
    --------
    >>> check_minimum([4.6, 4.5, 3.9, float("nan")], 4.5).tolist()
    [0, 0, 1, 2]
    """
    x = np.asarray(values, dtype=np.float64)
    status = np.where(compare(Op(op), x, minimum), PASSED, FAILED)
    status[np.isnan(x)] = NOT_EVALUATED
    return status.astype(np.intp)


def check_school_rule(
    values: ArrayLike,
    minimums: ArrayLike,
    *,
    ops: Sequence[Op | str] | None = None,
    min_met: int | None = None,
    floor_fraction: float | None = None,
) -> SchoolRuleCheck:
    r"""The school rule: each school meets at least ``min_met`` of its minimums, the rest at
    least ``floor_fraction`` of theirs.

    Parameters
    ----------
    values : array of float, shape (n_schools, k)
        Each school's value of each of the ``k`` indicators [indicator units]; NaN where not
        reported.
    minimums : array of float, shape (k,)
        The minimum of each indicator [indicator units].
    ops : sequence of {">=", ">", "<=", "<", "=="}, optional
        The comparison of each indicator that passes (default ``>=`` for every one).
    min_met : int, optional
        How many minimums must be met; default all ``k`` (a province's basic standard).
    floor_fraction : float, optional
        Each minimum not met must still reach this fraction of its threshold
        (``value <op> floor_fraction * minimum``); default none.

    Returns
    -------
    SchoolRuleCheck
        A named tuple of arrays of shape ``(n_schools,)``: ``status``, the status codes
        (passed, failed, or not evaluated where a value is missing and the known values do not
        already fail the school; not applicable where ``k == 0``), and ``n_met``, the minimums
        met.

    Notes
    -----
    A school fails when more than :math:`k - \text{min\_met}` minimums are not met, or when one
    not met is below :math:`\text{floor\_fraction} \times t_j`.

    References
    ----------
    - 教育部 教督〔2017〕6号 县域义务教育优质均衡发展督导评估办法 (2017), 第五条:
       每所学校至少6项指标达到要求，余项不能低于要求的85%.

    Examples
    --------
    The 2017 rule for one primary school with four of the seven indicators (the others met):
    backbone teachers per 100 students 0.88 against 1.0 is short but above 85 %.

    >>> status, n_met = check_school_rule(
    ...     [[4.3, 0.88, 0.95, 4.6], [4.3, 0.80, 0.95, 4.6]],
    ...     [4.2, 1.0, 0.9, 4.5],
    ...     min_met=3,
    ...     floor_fraction=0.85,
    ... )
    >>> status.tolist(), n_met.tolist()
    ([0, 1], [3, 3])
    """
    x = np.asarray(values, dtype=np.float64)
    t = np.asarray(minimums, dtype=np.float64)
    if x.ndim != 2 or t.shape != (x.shape[1],):
        raise DataError(
            "check_school_rule: values must be (schools x indicators) and minimums one per "
            f"indicator. Got shapes {x.shape} and {t.shape}."
        )
    k = t.size
    comparisons = [Op(o) for o in ops] if ops is not None else [Op.GE] * k
    columns = [x[:, j] for j in range(k)]
    return _school_rule(columns, t, comparisons, min_met, floor_fraction, x.shape[0])


def _school_rule(
    columns: Sequence[FloatArray],
    t: FloatArray,
    comparisons: Sequence[Op],
    min_met: int | None,
    floor_fraction: float | None,
    n: int,
) -> SchoolRuleCheck:
    """:func:`check_school_rule` for ``n`` schools, the values of each indicator given as its
    own array (the pipeline's, not stacked into one matrix first)."""
    k = len(columns)
    n_met = np.zeros(n, dtype=np.intp)
    n_missing = np.zeros(n, dtype=np.intp)
    below_floor = np.zeros(n, dtype=np.bool_)
    for j, op in enumerate(comparisons):
        x = columns[j]
        missing = np.isnan(x)
        n_met += compare(op, x, t[j])
        n_missing += missing
        if floor_fraction is not None:
            below_floor |= ~(compare(op, x, t[j] * floor_fraction) | missing)
    allowed = max(k - (k if min_met is None else min_met), 0)
    status = np.full(n, PASSED, dtype=np.intp)
    # By index rather than by boolean mask: much faster where the rows are scattered.
    status[np.flatnonzero(n_missing > 0)] = NOT_EVALUATED
    status[np.flatnonzero((k - n_met - n_missing > allowed) | below_floor)] = FAILED
    if k == 0:
        status[:] = NOT_APPLICABLE
    return SchoolRuleCheck(status, n_met)


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


@attrs.frozen(eq=False)
class MinimumArrays:
    """One minimum applied to the parts of its stage.

    Attributes
    ----------
    minimum : SchoolMinimum
    resource : str
        The resource the indicator is computed from (:func:`numerator_for`).
    part : slice
        Rows of the ``StageParts`` the minimum applies to:
        the parts of its stage, a contiguous block.
    amount, enrollment : arrays of float
        Each of those parts' amount of ``resource`` and enrollment (views of the stage parts'
        arrays), which :attr:`value` is computed from.
    met : array of bool
    quantity : array of float
        What each part must add of ``resource`` to meet the minimum (0 if met; NaN if not
        reported or not a minimum); see ``quantity_to_meet``.
    """

    minimum: SchoolMinimum
    resource: str
    part: slice
    amount: FloatArray
    enrollment: FloatArray
    met: NDArray[np.bool_]
    quantity: FloatArray

    @property
    def value(self) -> FloatArray:
        """The indicator value of each part (NaN where the input is not reported), computed
        from :attr:`amount` and :attr:`enrollment` when asked for and not kept: ask once per
        use, or :meth:`value_at` for one part."""
        return get_indicator(self.minimum.indicator).compute(self.amount, self.enrollment)

    def value_at(self, at: int) -> float:
        """:attr:`value` of the part ``at`` (counted from the start of :attr:`part`)."""
        one = slice(at, at + 1)
        return float(
            get_indicator(self.minimum.indicator).compute(self.amount[one], self.enrollment[one])[0]
        )

    @property
    def status(self) -> NDArray[np.intp]:
        """Status code of each part against the minimum."""
        status = np.where(self.met, PASSED, FAILED)
        status[np.isnan(self.value)] = NOT_EVALUATED
        return status.astype(np.intp)

    def part_rows(self) -> NDArray[np.intp]:
        """The rows of :attr:`part` as an index array."""
        return np.arange(self.part.start, self.part.stop, dtype=np.intp)


@attrs.frozen(eq=False)
class SchoolRuleArrays:
    """The school standard applied to the parts.

    Attributes
    ----------
    minimums : tuple of MinimumArrays
        Each minimum on the parts of its stage, in the standard's order.
    n_rules, n_met : arrays of int, one per part
        Minimums of the part's stage, and met: one byte each where the standard has at most
        127 minimums (the published ones have 7 a stage), wider where it has more.
    status : array of int8, one per part
        Status code of the school rule (not applicable where the stage has no minimum).
    """

    minimums: tuple[MinimumArrays, ...]
    n_rules: NDArray[np.signedinteger[Any]]
    n_met: NDArray[np.signedinteger[Any]]
    status: NDArray[np.int8]


def school_rule_arrays(
    standard: Standard, parts: StageParts, columns: SchoolColumns
) -> SchoolRuleArrays | None:
    """Apply ``standard.school_standard`` to every part; ``None`` if the standard has none."""
    school = standard.school_standard
    if school is None:
        return None
    n = parts.school_row.size
    balance = standard.balance
    arrays, values = [], []  # the values only while the rule reads them
    wholes: dict[str, FloatArray] = {}  # each split resource asked for once
    for m in school.minimums:
        resource = numerator_for(m.indicator, balance)
        if resource in SPLIT_RESOURCES and resource not in wholes:
            wholes[resource] = columns.resources[resource]
        code = STAGES.index(m.stage)
        rows = parts.rows_of_stage(code)
        indicator = get_indicator(m.indicator)
        amount, enrollment = parts.amounts[resource][rows], parts.enrollment[rows]
        value = indicator.compute(amount, enrollment)
        met = compare(m.op, value, m.value)
        quantity = quantity_to_meet(
            indicator,
            resource,
            m.op,
            m.value,
            wholes.get(resource),
            parts.school_row[rows],
            code,
            amount,
            enrollment,
            parts.multi,
            met,
            parts.split[rows],
            parts.share[rows],
        )
        arrays.append(MinimumArrays(m, resource, rows, amount, enrollment, met, quantity))
        values.append(value)
    # One byte each (a part's counts are at most the standard's minimums).
    counts = np.int8 if len(school.minimums) <= np.iinfo(np.int8).max else np.intp
    n_rules = np.zeros(n, dtype=counts)
    n_met = np.zeros(n, dtype=counts)
    status = np.full(n, NOT_APPLICABLE, dtype=np.int8)
    for code, stage in enumerate(STAGES):
        mine = [k for k, a in enumerate(arrays) if a.minimum.stage is stage]
        if not mine:
            continue
        rows = parts.rows_of_stage(code)
        at_least = school.rule is SchoolRule.AT_LEAST
        # Each minimum's values as they are: the rule reads them one by one.
        status[rows], n_met[rows] = _school_rule(
            [values[k] for k in mine],
            np.array([arrays[k].minimum.value for k in mine], dtype=np.float64),
            [arrays[k].minimum.op for k in mine],
            school.min_met if at_least else None,
            school.floor_fraction if at_least else None,
            rows.stop - rows.start,
        )
        n_rules[rows] = len(mine)
    return SchoolRuleArrays(minimums=tuple(arrays), n_rules=n_rules, n_met=n_met, status=status)
