"""The balance rule: weighted CVs per county and stage, and their verdicts, for all groups at once.

For each indicator of the rule and each group (county x stage), the CV is computed over the
group's stage parts with :func:`eduequity.metrics.grouped_weighted_moments`' core. A group in which
some part lacks the indicator's numerator gets no CV ("not evaluated", with the parts named); a
group whose mean is 0 has an undefined CV and fails the rule with that reason.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from eduequity._errors import DataError
from eduequity._indicators import get_indicator
from eduequity._status import FAILED, NOT_APPLICABLE, NOT_EVALUATED, PASSED
from eduequity.metrics import WeightedMoments, _weighted_moments, grouped_composite_cv
from eduequity.rules._columns import STAGES, MadeWhenAsked
from eduequity.rules._results import CVBoundCheck
from eduequity.rules._stage_parts import StageParts
from eduequity.standards._model import BalanceMethod, BalanceRule

__all__ = ["BalanceArrays", "balance_arrays", "check_cv_bound", "part_values"]

FloatArray = NDArray[np.float64]


def check_cv_bound(
    cvs: ArrayLike,
    maximum: ArrayLike,
    *,
    method: str = "each",
    cv_status: ArrayLike | None = None,
) -> CVBoundCheck:
    r"""The CV rule of each group (county x stage): each CV, or their mean, at most the maximum.

    Parameters
    ----------
    cvs : array of float, shape (n_groups, k)
        The enrollment-weighted CV of each of the ``k`` indicators in each group
        (:func:`eduequity.weighted_cv`), unrounded; NaN where not computed.
    maximum : float or array of float, shape (n_groups,)
        The bound of each group; NaN where the standard sets none (the rule does not apply).
    method : {"each", "composite"}
        ``"each"``: every CV must be at most the maximum (2017 quality balance);
        ``"composite"``: the mean of the CVs must be (2012 basic balance).
    cv_status : array of int, shape (n_groups, k), optional
        The status code (:data:`eduequity.rules.STATUS_CODES`) of each CV: passed where it
        was computed, failed where it is undefined (the mean is 0), not evaluated where a school
        lacks the input, not applicable where the group has no school. Default: passed where
        the CV is finite, not evaluated elsewhere.

    Returns
    -------
    CVBoundCheck
        A named tuple of arrays of shape ``(n_groups,)``: ``status``, the status code of the
        rule in each group, and ``composite``, the mean of the CVs (NaN where one is missing),
        whatever the method.

    Notes
    -----
    With :math:`c_j` the CVs and :math:`m` the maximum, ``"each"`` passes when
    :math:`\max_j c_j \le m` and ``"composite"`` when :math:`\frac{1}{k}\sum_j c_j \le m`. An
    undefined CV fails the rule; a missing one leaves it not evaluated, unless (``"each"``)
    another CV already exceeds the maximum. A group with no school is not applicable.

    References
    ----------
    - 教育部 教督〔2012〕3号 县域义务教育均衡发展督导评估暂行办法 (2012): 综合差异系数,
       primary <= 0.65, junior <= 0.55.
    - 教育部 教督〔2017〕6号 县域义务教育优质均衡发展督导评估办法 (2017), 第六条: each
       of the 7 CVs, primary <= 0.50, junior <= 0.45.

    Examples
    --------
    Two counties' primary stages under 2017 (maximum 0.50): the second has one CV above it.

    >>> status, _ = check_cv_bound([[0.31, 0.42], [0.28, 0.55]], 0.50)
    >>> status.tolist()
    [0, 1]
    >>> check = check_cv_bound([[0.31, 0.42], [0.28, 0.55]], 0.50, method="composite")
    >>> check.status.tolist(), check.composite.round(3).tolist()
    ([0, 0], [0.365, 0.415])
    """
    table = np.asarray(cvs, dtype=np.float64)
    if table.ndim != 2:
        raise DataError(
            f"check_cv_bound: cvs must be 2-D (groups x indicators). Got {table.shape}."
        )
    if method not in ("each", "composite"):
        raise DataError(f"check_cv_bound: method must be 'each' or 'composite'. Got {method!r}.")
    limit = np.broadcast_to(np.asarray(maximum, dtype=np.float64), table.shape[:1])
    if cv_status is None:
        statuses = np.where(np.isfinite(table), PASSED, NOT_EVALUATED)
    else:
        statuses = np.asarray(cv_status)
    composite = grouped_composite_cv(np.where(statuses == PASSED, table, np.nan))
    with np.errstate(invalid="ignore"):
        if method == "composite":
            ok = composite <= limit
        else:
            ok = np.all(table <= limit[:, np.newaxis], axis=1)
        status = np.where(ok, PASSED, FAILED)
        status[(statuses == NOT_EVALUATED).any(axis=1)] = NOT_EVALUATED
        if method == "each":
            # Each CV is judged on its own: one over the maximum fails whatever is missing.
            status[(table > limit[:, np.newaxis]).any(axis=1)] = FAILED
    status[(statuses == FAILED).any(axis=1)] = FAILED
    status[(statuses == NOT_APPLICABLE).all(axis=1) | np.isnan(limit)] = NOT_APPLICABLE
    return CVBoundCheck(status.astype(np.intp), composite)


@attrs.frozen(eq=False)
class BalanceArrays:
    """Per-group results of a balance rule (arrays over ``2 * n_counties`` groups).

    Attributes
    ----------
    values : mapping of str to array of float
        Indicator value of each stage part (NaN where the numerator is not reported), computed
        from the parts' amounts when asked for and not kept (:func:`part_values`; ask once per
        use, or ask :func:`part_values` for the rows wanted).
    moments : mapping of str to WeightedMoments
        Per indicator; the CV is NaN where a part lacks the input or the mean is 0.
    missing : mapping of str to array of int
        Per indicator, parts of each group that lack the numerator.
    indicator_status : mapping of str to array of int
        Per indicator, the status code of its CV: passed (computed), failed (undefined, mean 0),
        not evaluated (missing input), not applicable (no schools).
    composite : array of float
        Mean of the CVs; NaN where any CV is missing or undefined.
    threshold : array of float
        The stage's maximum for each group; NaN where the rule sets none.
    judged : mapping of str to array of int
        What the rule judges, each with its status code in every group: ``"composite_cv"``
        (2012), or each indicator's CV (2017). Passed or failed against the maximum; failed
        where a CV it needs is undefined, not evaluated where one is missing.
    status : array of int
        Status code of the rule for each group.
    """

    values: Mapping[str, FloatArray]
    moments: Mapping[str, WeightedMoments]
    missing: Mapping[str, NDArray[np.intp]]
    indicator_status: Mapping[str, NDArray[np.intp]]
    composite: FloatArray
    threshold: FloatArray
    judged: Mapping[str, NDArray[np.intp]]
    status: NDArray[np.intp]


def part_values(
    parts: StageParts,
    rule: BalanceRule,
    indicator: str,
    rows: slice | NDArray[np.intp] | None = None,
) -> FloatArray:
    """The value of ``indicator`` for the stage parts at ``rows`` (all by default): the
    part's amount of the rule's numerator times the indicator's scale, over its enrollment
    (``Indicator.compute``); NaN where the amount is not reported."""
    at = slice(None) if rows is None else rows
    return get_indicator(indicator).compute(
        parts.amounts[rule.numerator(indicator)][at], parts.enrollment[at]
    )


def balance_arrays(parts: StageParts, rule: BalanceRule) -> BalanceArrays:
    """Apply ``rule`` to every group of ``parts``."""
    g = parts.groups
    empty = g.counts == 0
    # All indicators in one (parts x indicators) matrix, column by column (Fortran order), so
    # their moments are computed together; the matrix is let go after.
    matrix = np.empty((parts.enrollment.size, len(rule.indicators)), order="F")
    for j, ind_id in enumerate(rule.indicators):
        get_indicator(ind_id).compute(
            parts.amounts[rule.numerator(ind_id)], parts.enrollment, out=matrix[:, j]
        )
    lacking = np.isnan(matrix)
    filled = np.where(lacking, 0.0, matrix) if lacking.any() else matrix
    together = _weighted_moments(filled, parts.enrollment, g)
    moments, missing, ind_status = {}, {}, {}
    for j, ind_id in enumerate(rule.indicators):
        n_missing = g.count_where(lacking[:, j])
        # Where a part lacks the input, the group's mean, standard deviation and CV are not
        # known (the lacking value was summed as 0 with its enrollment): NaN, all three.
        unknown = n_missing > 0
        m = WeightedMoments(
            count=together.count,
            weight=together.weight,
            mean=np.where(unknown, np.nan, together.mean[:, j]),
            std=np.where(unknown, np.nan, together.std[:, j]),
            cv=np.where(unknown, np.nan, together.cv[:, j]),
        )
        status = np.full(g.n_groups, PASSED, dtype=np.intp)
        status[~(m.mean > 0)] = FAILED  # undefined CV: every value 0
        status[n_missing > 0] = NOT_EVALUATED
        status[empty] = NOT_APPLICABLE
        moments[ind_id], missing[ind_id], ind_status[ind_id] = m, n_missing, status
    maxima = np.array([rule.maximum.get(s, np.nan) for s in STAGES])
    threshold = maxima[parts.group_stage]
    cv_table = np.stack([moments[i].cv for i in rule.indicators], axis=1)
    statuses = np.stack([ind_status[i] for i in rule.indicators], axis=1)
    status, composite = check_cv_bound(
        cv_table, threshold, method=rule.method.value, cv_status=statuses
    )
    if rule.method is BalanceMethod.COMPOSITE:
        judged = {"composite_cv": _judged(composite, threshold, statuses)}
    else:
        judged = {
            i: _judged(cv_table[:, j], threshold, statuses[:, j : j + 1])
            for j, i in enumerate(rule.indicators)
        }
    values = {i: functools.partial(part_values, parts, rule, i) for i in rule.indicators}
    return BalanceArrays(
        values=MadeWhenAsked(values),
        moments=moments,
        missing=missing,
        indicator_status=ind_status,
        composite=composite,
        threshold=threshold,
        judged=judged,
        status=status,
    )


def _judged(
    value: FloatArray, threshold: FloatArray, statuses: NDArray[np.intp]
) -> NDArray[np.intp]:
    """The status of one judged value (a CV, or the composite of the CVs whose statuses are
    the columns of ``statuses``) in every group."""
    with np.errstate(invalid="ignore"):
        status = np.where(value <= threshold, PASSED, FAILED)
    status[(statuses == NOT_EVALUATED).any(axis=1)] = NOT_EVALUATED
    status[(statuses == FAILED).any(axis=1)] = FAILED
    return status.astype(np.intp)
