"""A school standard applied to every stage part: each minimum, the school rule, shortfalls.

Two rules (:class:`~eduequity.standards.model.SchoolRule`): ``all``, every minimum of the part's
stage met (a province's basic school-running standard); ``at_least``, at least ``min_met`` met
and each remaining one at least ``floor_fraction`` of its threshold (2017: 6 of 7, 85 %).
A part with a missing input is "not evaluated" unless the known values already decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity._lanes import lane_map
from eduequity.indicators import get_indicator
from eduequity.models import Stage
from eduequity.rules.balance import STATUS_CODES
from eduequity.rules.columns import STAGES, SchoolColumns
from eduequity.rules.minimums import MinimumArrays, compare, minimum_arrays, numerator_for
from eduequity.rules.parts import Parts
from eduequity.rules.results import Status
from eduequity.rules.shortfalls import quantity_to_meet
from eduequity.standards.model import SchoolRule, Standard

__all__ = ["SchoolRuleArrays", "school_rule_arrays"]

_P, _F, _NE, _NA = (STATUS_CODES.index(s) for s in Status)


@attrs.frozen(eq=False)
class SchoolRuleArrays:
    """The school standard applied to the parts.

    Attributes
    ----------
    minimums : tuple of MinimumArrays
        Each minimum on the parts of its stage.
    quantity : tuple of arrays of float
        For each minimum, the quantity of its numerator each part must add (0 if met; NaN if
        not reported).
    n_rules, n_met, n_missing : arrays of uint16, one per part
        Minimums of the part's stage, met, and not measurable.
    status : array of int, one per part
        Status code of the school rule (not applicable where the stage has no minimum).
    """

    minimums: tuple[MinimumArrays, ...]
    quantity: tuple[NDArray[np.float64], ...]
    n_rules: NDArray[np.uint16]
    n_met: NDArray[np.uint16]
    n_missing: NDArray[np.uint16]
    status: NDArray[np.int8]


def school_rule_arrays(
    standard: Standard,
    parts: Parts,
    columns: SchoolColumns,
    shortfalls: bool = True,
    known: Mapping[str, NDArray[np.float64]] | None = None,
    pool: Executor | None = None,
) -> SchoolRuleArrays | None:
    """Apply ``standard.school_standard`` to every part; ``None`` if the standard has none.

    With ``shortfalls=False`` the quantities are not computed (all NaN): the verdicts alone.
    ``known``: indicator values of every part already computed by the balance rule.
    ``pool``: an executor whose threads compute the shortfalls (to the same numbers).
    """
    school = standard.school_standard
    if school is None:
        return None
    n = parts.school_row.size
    arrays = minimum_arrays(parts, school.minimums, standard.balance, known)
    # Counts of minimums per part (a school standard has at most a few dozen) in two bytes.
    n_rules = np.zeros(n, dtype=np.uint16)
    n_met = np.zeros(n, dtype=np.uint16)
    n_missing = np.zeros(n, dtype=np.uint16)
    below_floor = np.zeros(n, dtype=np.bool_)
    # The minimums of a stage all apply to that stage's parts: count on those rows, write once.
    per_stage: dict[Stage, list[MinimumArrays]] = {}
    for arr in arrays:
        per_stage.setdefault(arr.minimum.stage, []).append(arr)
    for group in per_stage.values():
        rows = group[0].part
        size = group[0].value.size
        # Counts in the narrowest type that holds them, added as same-type views of the masks.
        counter = np.uint8 if len(group) < 256 else np.uint16
        met = np.zeros(size, dtype=counter)
        missing_count = np.zeros(size, dtype=counter)
        floor_fail = np.zeros(size, dtype=np.bool_)
        for arr in group:
            missing = np.isnan(arr.value)
            met += arr.met.view(np.uint8)
            missing_count += missing.view(np.uint8)
            if school.rule is SchoolRule.AT_LEAST:
                assert school.floor_fraction is not None
                floor_ok = compare(
                    arr.minimum.op, arr.value, arr.minimum.value * school.floor_fraction
                )
                floor_fail |= ~(floor_ok | missing)
        n_rules[rows] = len(group)
        n_met[rows] = met
        n_missing[rows] = missing_count
        below_floor[rows] = floor_fail

    def quantity(arr: MinimumArrays) -> NDArray[np.float64]:
        m = arr.minimum
        numerator = numerator_for(m.indicator, standard.balance)
        if not shortfalls:
            return np.full(arr.value.size, np.nan)
        # arr.part is a slice (a stage's contiguous parts): these are views, not copies.
        return quantity_to_meet(
            get_indicator(m.indicator),
            numerator,
            m.op,
            m.value,
            columns,
            parts.school_row[arr.part],
            STAGES.index(m.stage),
            parts.amounts[numerator][arr.part],
            parts.enrollment[arr.part],
            standard.split_weights,
            arr.met,
            parts.split[arr.part],
            parts.share[arr.part],
        )

    # Each minimum's quantities on their own (on the pool's threads if given).
    quantities = lane_map(pool, quantity, arrays)
    unmet = n_rules.astype(np.intp) - n_met - n_missing
    if school.rule is SchoolRule.ALL:
        allowed = np.zeros(n, dtype=np.intp)
        floor_fail = np.zeros(n, dtype=np.bool_)
    else:
        assert school.min_met is not None
        allowed = np.maximum(n_rules.astype(np.intp) - school.min_met, 0)
        floor_fail = below_floor
    status = np.full(n, _P, dtype=np.int8)
    status[n_missing > 0] = _NE
    status[(unmet > allowed) | floor_fail] = _F
    status[n_rules == 0] = _NA
    return SchoolRuleArrays(
        minimums=arrays,
        quantity=tuple(quantities),
        n_rules=n_rules,
        n_met=n_met,
        n_missing=n_missing,
        status=status,
    )
