"""The one pipeline: a standard applied to the columns of schools, every verdict decided once.

Both doors call :func:`run`: :func:`eduequity.evaluate` with the columns of one county,
:func:`eduequity.batch.evaluate_table` with those of a whole table. The :class:`Evaluation` it
returns holds every verdict as arrays; the tables, findings, result objects and reports are
views of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity import _display
from eduequity._status import (
    FAILED,
    NOT_APPLICABLE,
    NOT_EVALUATED,
    PASSED,
    combine_by_county,
    status_of_seen,
    statuses_seen,
)
from eduequity.rules._balance import BalanceArrays, balance_arrays
from eduequity.rules._columns import SchoolColumns
from eduequity.rules._county_items import CountyInputArrays, CountyItemArrays, county_item_arrays
from eduequity.rules._facilities import (
    ClassTargetArrays,
    Facilities,
    class_size_targets,
    facility_checks,
)
from eduequity.rules._minimums import SchoolRuleArrays, numerators_of, school_rule_arrays
from eduequity.rules._scope import scope_given, scope_reasons
from eduequity.rules._staffing import (
    ClassBandArrays,
    StaffingArrays,
    class_band_arrays,
    staffing_arrays,
)
from eduequity.rules._stage_parts import StageParts, stage_parts
from eduequity.standards._model import Standard

__all__ = ["STAGE_RULES", "Evaluation", "balance_steps", "join_statuses", "run"]

#: The rules judged stage by stage, in the order reports show them.
STAGE_RULES = ("cv", "school_rule")


@attrs.frozen(eq=False)
class Evaluation:
    """Every verdict of one standard on a set of counties, as arrays.

    Attributes
    ----------
    standard : Standard
    columns : SchoolColumns
        The schools evaluated, one row each, in input order.
    scope : array of int, one per school
        The :class:`~eduequity.rules.ScopeReason` code of each school (0: included).
    parts : StageParts
        The stage parts of the included schools.
    balance : BalanceArrays
        Per county and stage: each indicator's CV and status, the composite, the verdict.
    school_rule : SchoolRuleArrays or None
        Per stage part: each minimum met or not, the quantities to add, the school rule.
    facilities : Facilities
        Per school: the room, school-size and class-size checks.
    county_items : CountyItemArrays
        Per county: each county item.
    class_targets : ClassTargetArrays or None
        Per county: the class-size targets, where the standard has a class-size rule.
    components : mapping of str to array of int
        Per component of the standard, the status code of each county.
    status : array of int
        The status code of each county: passed only if every component passed.
    n_failing : array of float
        Per group (county x stage), the stage parts failing the school rule; NaN where the
        standard has no school rule.
    stage_rules : mapping of str to array of int
        Per group, the status code of each rule judged stage by stage, by name (see
        ``STAGE_RULES``): ``"cv"``, the balance rule (every CV, or their composite, within
        the stage's maximum); ``"school_rule"``, where the standard has a school rule or a slot
        for one, every stage part of the group meeting it (not evaluated where the slot is
        empty; not applicable in a group without schools).
    stage_joined : tuple of str
        The stage rules the stage's verdict joins: those of the balance rule's component. Under
        2017 both (资源配置: every CV within its bound *and* every school meeting the rule);
        under 2012 ``"cv"`` alone, the province's school standard being a component of its own.
    stage_status : array of int
        Per group, the stage's verdict: the rules of ``stage_joined`` combined (failed if one
        failed, else not evaluated if one was not evaluated, else passed; not applicable where
        none applies). Every table, result and report shows this as the stage's status.
    staffing : StaffingArrays or None
        Per stage part and per group, staff against the staffing standard, where the standard
        has one: reported under its own name, part of no verdict.
    class_bands : ClassBandArrays or None
        Per stage part and per group, the classes by band (within the cap, 偏大, 大班额,
        超大班额), where the standard has a class-size rule: reported, part of no verdict.
    """

    standard: Standard
    columns: SchoolColumns
    scope: NDArray[np.intp]
    parts: StageParts
    balance: BalanceArrays
    school_rule: SchoolRuleArrays | None
    facilities: Facilities
    county_items: CountyItemArrays
    class_targets: ClassTargetArrays | None
    components: Mapping[str, NDArray[np.intp]]
    status: NDArray[np.intp]
    n_failing: NDArray[np.float64]
    stage_rules: Mapping[str, NDArray[np.intp]]
    stage_joined: tuple[str, ...]
    stage_status: NDArray[np.intp]
    staffing: StaffingArrays | None = None
    class_bands: ClassBandArrays | None = None

    @property
    def included(self) -> NDArray[np.bool_]:
        """Whether each school is in the standard's scope."""
        included: NDArray[np.bool_] = self.scope == 0
        return included

    @property
    def n_counties(self) -> int:
        """Number of counties."""
        return self.columns.n_counties

    __repr__ = _display.evaluation_repr


def run(
    standard: Standard,
    columns: SchoolColumns,
    county_inputs: CountyInputArrays | None = None,
) -> Evaluation:
    """Apply ``standard`` to every county of ``columns``.

    Parameters
    ----------
    standard : Standard
    columns : SchoolColumns
        Validated columns of the schools (:func:`~eduequity.rules.columns_from_counties`
        or the columnar door's validation).
    county_inputs : mapping of str to array of float, optional
        One array over the counties per county input id (NaN: not supplied; a flag is 1.0 or
        0.0).

    Returns
    -------
    Evaluation

    Notes
    -----
    Steps: (1) the scope rule marks each school included or excluded with a reason; (2) the
    included schools are split into stage parts; (3) per county and stage, each indicator's
    enrollment-weighted CV and the balance rule; (4) each part against the school standard's
    minimums and the school rule; (5) the room, school-size and class-size checks; (6) the
    county items; (7) each stage's verdict, the stage rules its component joins (under 2017 the
    CV bounds and the school rule); (8) each component's status per county, combined by
    :func:`~eduequity.rules.combine_by_county`, and the county's status; (9) the figures
    reported beside the verdicts, part of none: staff against the staffing standard
    (:func:`~eduequity.rules.check_staffing`) and the classes by band.
    """
    n_c = columns.n_counties
    scope, parts, balance = balance_steps(standard, columns)
    included = scope == 0
    rules = school_rule_arrays(standard, parts, columns)
    facilities = facility_checks(columns, included, standard)
    items = county_item_arrays(standard, county_inputs or {}, n_c)
    every = np.arange(n_c)
    g = parts.groups
    n_failing = np.full(g.n_groups, np.nan)
    stage_rules = {"cv": balance.status}
    rule_component = None
    if rules is not None and standard.school_standard is not None:
        rule_component = standard.school_standard.component
        stage_rules["school_rule"] = join_statuses([(g.codes, rules.status)], g.n_groups)
        n_failing = g.count_where(rules.status == FAILED).astype(np.float64)
    elif standard.school_standard_slot is not None:
        rule_component = standard.school_standard_slot.component
        empty = np.where(g.counts > 0, NOT_EVALUATED, NOT_APPLICABLE).astype(np.intp)
        stage_rules["school_rule"] = empty
    joined: tuple[str, ...] = ("cv",)
    if rule_component == standard.balance.component:
        joined = ("cv", "school_rule")
    joined = tuple(k for k in joined if k in stage_rules)
    stage_status = join_statuses(
        [(np.arange(g.n_groups), stage_rules[k]) for k in joined], g.n_groups
    )
    pairs: dict[str, list[tuple[NDArray[np.intp], NDArray[np.integer[Any]]]]] = {
        c.id: [] for c in standard.components
    }
    # Each stage's verdict counts once in its component; a stage rule it does not join counts
    # in its own component.
    pairs[standard.balance.component].append((parts.group_county, stage_status))
    if "school_rule" in stage_rules and "school_rule" not in joined:
        assert rule_component is not None
        pairs[rule_component].append((parts.group_county, stage_rules["school_rule"]))
    for check in facilities.checks:
        pairs[check.component].append((columns.county, check.status))
    for k, item in enumerate(standard.county_items):
        pairs[item.component].append((every, items.status[k]))
    components = {cid: status_of_seen(statuses_seen(p, n_c)) for cid, p in pairs.items()}
    status = combine_by_county([(every, s) for s in components.values()], n_c)
    class_rule = standard.class_size
    return Evaluation(
        standard=standard,
        columns=columns,
        scope=scope,
        parts=parts,
        balance=balance,
        school_rule=rules,
        facilities=facilities,
        county_items=items,
        class_targets=None
        if class_rule is None
        else class_size_targets(columns, included, class_rule, facilities.classes),
        components=components,
        status=status,
        n_failing=n_failing,
        stage_rules=stage_rules,
        stage_joined=joined,
        stage_status=stage_status,
        staffing=None
        if standard.staffing is None
        else staffing_arrays(parts, columns, standard.staffing),
        class_bands=None if class_rule is None else class_band_arrays(parts, facilities.classes),
    )


def balance_steps(
    standard: Standard, columns: SchoolColumns
) -> tuple[NDArray[np.intp], StageParts, BalanceArrays]:
    """Steps (1) to (3) of :func:`run`: the scope, the stage parts and the balance rule (each
    indicator's value per part, and the CVs), for what reads only these (the equity table)."""
    scope_given(standard, columns)
    scope = scope_reasons(columns, standard.scope)
    parts = stage_parts(columns, scope == 0, standard.split_weights, numerators_of(standard))
    return scope, parts, balance_arrays(parts, standard.balance)


def join_statuses(
    pairs: Sequence[tuple[NDArray[np.intp], NDArray[np.integer[Any]]]], n_groups: int
) -> NDArray[np.intp]:
    """The status of each group from (group, status code) pairs, as
    :func:`~eduequity.rules.combine_by_county` combines them, except that a group in which no
    part applies is not applicable (a stage the county has no school of).

    Examples
    --------
    >>> from eduequity._status import PASSED, FAILED, NOT_APPLICABLE
    >>> group = np.array([0, 0, 1, 2])
    >>> join_statuses([(group, np.array([PASSED, FAILED, PASSED, NOT_APPLICABLE]))], 4).tolist()
    [1, 0, 3, 3]
    """
    seen = statuses_seen(pairs, n_groups)
    out = status_of_seen(seen)
    out[~seen[:, [PASSED, FAILED, NOT_EVALUATED]].any(axis=1)] = NOT_APPLICABLE
    return out
