"""The balance rule: weighted CVs per county and stage, and their verdicts, for all groups at once.

For each indicator of the rule and each group (county x stage), the CV is computed over the
group's stage parts with :func:`eduequity.metrics.grouped_weighted_moments`' core. A group in which
some part lacks the indicator's numerator gets no CV ("not evaluated", with the parts named); a
group whose mean is 0 has an undefined CV and fails the rule with that reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._lanes import lane_map
from eduequity.indicators import get_indicator
from eduequity.metrics import WeightedMoments, _weighted_moments, grouped_composite_cv
from eduequity.rules.columns import STAGES
from eduequity.rules.parts import Parts
from eduequity.rules.results import STATUS_CODES, Status
from eduequity.standards.model import BalanceMethod, BalanceRule

__all__ = ["STATUS_CODES", "BalanceArrays", "balance_arrays"]

FloatArray = NDArray[np.float64]

#: Status of each code in the integer status arrays.
_P, _F, _NE, _NA = (STATUS_CODES.index(s) for s in Status)


@attrs.frozen(eq=False)
class BalanceArrays:
    """Per-group results of a balance rule (arrays over ``2 * n_counties`` groups).

    Attributes
    ----------
    values : mapping of str to array of float
        Indicator value of each stage part (NaN where the numerator is not reported).
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
    status : array of int
        Status code of the rule for each group.
    """

    values: Mapping[str, FloatArray]
    moments: Mapping[str, WeightedMoments]
    missing: Mapping[str, NDArray[np.intp]]
    indicator_status: Mapping[str, NDArray[np.intp]]
    composite: FloatArray
    threshold: FloatArray
    status: NDArray[np.intp]


def balance_arrays(parts: Parts, rule: BalanceRule, pool: Executor | None = None) -> BalanceArrays:
    """Apply ``rule`` to every group of ``parts`` (with a ``pool``, the indicators are spread
    over its threads: the same numbers)."""
    g = parts.groups
    moments, missing, ind_status = {}, {}, {}
    empty = g.counts == 0
    # All indicators in one (parts x indicators) matrix, column by column (Fortran order), so
    # their moments are computed together; each indicator's values are a view of its column.
    matrix = np.empty((parts.enrollment.size, len(rule.indicators)), order="F")

    def compute(j: int, ind_id: str) -> FloatArray:
        # Each indicator writes its own column.
        return get_indicator(ind_id).compute(
            parts.amounts[rule.numerator(ind_id)], parts.enrollment, out=matrix[:, j]
        )

    computed = lane_map(pool, compute, range(len(rule.indicators)), rule.indicators)
    values = dict(zip(rule.indicators, computed, strict=True))
    lacking = np.isnan(matrix)
    any_lacking = bool(lacking.any())
    together = _weighted_moments(
        np.where(lacking, 0.0, matrix) if any_lacking else matrix, parts.enrollment, g, pool
    )
    for j, ind_id in enumerate(rule.indicators):
        if any_lacking:
            n_missing = np.bincount(g.codes, weights=lacking[:, j], minlength=g.n_groups)
            n_missing = n_missing.astype(np.intp)
        else:
            n_missing = np.zeros(g.n_groups, dtype=np.intp)
        cv = np.where(n_missing > 0, np.nan, together.cv[:, j])
        m = WeightedMoments(
            count=together.count,
            weight=together.weight,
            mean=together.mean[:, j],
            std=together.std[:, j],
            cv=cv,
        )
        status = np.full(g.n_groups, _P, dtype=np.intp)
        status[~(m.mean > 0)] = _F  # undefined CV: every value 0
        status[n_missing > 0] = _NE
        status[empty] = _NA
        moments[ind_id], missing[ind_id] = m, n_missing
        ind_status[ind_id] = status

    stage_of_group = parts.group_stage
    maxima = np.array([rule.maximum.get(s, np.nan) for s in STAGES])
    threshold = maxima[stage_of_group]
    statuses = np.stack([ind_status[i] for i in rule.indicators], axis=1)
    cv_table = np.stack([moments[i].cv for i in rule.indicators], axis=1)
    composite = grouped_composite_cv(cv_table)
    if rule.method is BalanceMethod.COMPOSITE:
        ok = composite <= threshold
    else:
        ok = np.all(cv_table <= threshold[:, np.newaxis], axis=1)
    status = np.where(ok, _P, _F)
    status[(statuses == _NE).any(axis=1)] = _NE
    if rule.method is BalanceMethod.EACH:
        # Each CV is judged on its own: one over the threshold fails whatever is missing.
        over = (cv_table > threshold[:, np.newaxis]).any(axis=1)
        status[over] = _F
    status[(statuses == _F).any(axis=1)] = _F
    status[empty | np.isnan(threshold)] = _NA
    return BalanceArrays(
        values=values,
        moments=moments,
        missing=missing,
        indicator_status=ind_status,
        composite=composite,
        threshold=threshold,
        status=status.astype(np.intp),
    )
