"""One round of a plan: from an evaluation, what each school adds to which column, and why.

The steps, on the stage parts of the included schools (see :doc:`/planning`):

1. **Minimums.** Each part gets a floor on each indicator of its stage's minimums: the
   threshold (a province's basic standard: every minimum); under the 2017 school rule (at
   least 6 of 7, the rest at least 85 %) each part leaves short the indicator whose choice
   costs the least in all: the whole units it adds, a shared resource of a multi-stage
   school counted once for both parts, chosen together (``_left_short``; by unit costs when
   given, else relative to the county's current total of each resource); ties go to the
   indicator listed first.
2. **CV bounds.** Per county, stage and indicator, the values after the floors are raised to
   the lowest common level that brings the CV within the bound (:func:`water_level`); the
   2012 composite bound spreads the reduction over the 8 indicators
   (:func:`~eduequity.composite_levels`).
3. **Quantities.** Target values become quantities of the input columns, rounded up to whole
   teachers, computers, books and rooms, 0.01 m² and 1 yuan. A physical resource of a
   multi-stage school is added to the school's total, enough for each stage part's share. A
   teacher sub-count (qualified, intermediate title, backbone, PE and arts) grows by hiring:
   the same teachers are added to the stage's full-time teachers and staff (reason
   ``hire``), each sub-count separately (an upper bound: one new teacher may count in two).
4. **Classes and rooms.** Each class over the cap is split into the fewest classes within it
   (an upper bound on the classes needed); then the music and art rooms the classes need, and
   the room area for each room to reach its minimum mean area.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from eduequity import _display
from eduequity._errors import DataError
from eduequity._indicators import get_indicator
from eduequity._models import Stage
from eduequity._planning._grid import QUANTUM, on_grid
from eduequity._planning._left_short import minimum_floors
from eduequity._planning._quantities import inside_quantities, quantities, weights
from eduequity._planning._targets import composite_bound, indicator_targets
from eduequity._planning.composite import composite_levels
from eduequity._planning.costs import COST_NAMES, TEACHERS, Costs
from eduequity._schema import SPLIT_RESOURCES, stage_column
from eduequity._status import NOT_EVALUATED
from eduequity.rules._columns import STAGES, ClassSizes, SchoolColumns
from eduequity.rules._facilities import check_room_area, check_rooms
from eduequity.rules._minimums import numerator_for
from eduequity.rules._pipeline import Evaluation
from eduequity.standards._model import BalanceMethod, Standard

__all__ = [
    "REASONS",
    "SUBCOUNTS",
    "Addition",
    "Round",
    "apply_round",
    "check_costs",
    "plan_round",
    "planned_resources",
    "split_classes",
]

FloatArray = NDArray[np.float64]

#: Why a quantity is added, with its meaning.
REASONS: Mapping[str, tuple[str, str]] = {
    "school_minimum": ("达到学校基本办学标准", "to meet a school minimum"),
    "school_rule": (
        "达到学校指标要求（至少6项达标，余项不低于85%）",
        "to meet the school rule",
    ),
    "balance_cv": ("使差异系数达标", "to bring a CV within its bound"),
    "composite_cv": ("使综合差异系数达标", "to bring the composite CV within its bound"),
    "hire": ("新聘教师计入专任教师和教职工", "new teachers counted in teachers and staff"),
    "class_size": ("拆分大班额", "to split classes over the cap"),
    "room": ("按班级数配齐音乐、美术专用教室", "music and art rooms for the classes"),
    "room_area": ("专用教室面积达标", "the rooms' minimum mean area"),
    "transfer_in": ("交流轮岗调入教师", "teachers moved in from another school"),
    "transfer_out": ("交流轮岗调出教师", "teachers moved out to another school"),
    "upgrade": (
        "现有教师学历提升、职称或骨干评定",
        "existing teachers gain the qualification, title or backbone status",
    ),
}

#: Teacher sub-counts: each one added is a teacher hired, counted in teachers and staff too.
SUBCOUNTS: tuple[str, ...] = (
    "teachers_above_qualification",
    "teachers_intermediate_title",
    "teachers_backbone",
    "teachers_pe_arts",
)

#: Teacher sub-counts existing teachers can gain (学历提升, 职称评定, 骨干评定); PE and arts
#: teachers teach their subject and are hired.
UPGRADABLE: tuple[str, ...] = (
    "teachers_above_qualification",
    "teachers_intermediate_title",
    "teachers_backbone",
)

#: Relative margin below a CV bound that a plan aims at, so that rounding in another order of
#: arithmetic cannot leave the CV a hair above the bound.
MARGIN = 1e-9


@attrs.frozen(eq=False)
class Addition:
    """What each school adds to one input column for one reason.

    Attributes
    ----------
    column : str
        The input column (:data:`~eduequity.batch.COLUMNS`), e.g. ``teachers_backbone_primary``.
    resource : str
        The field, e.g. ``teachers_backbone`` (for class sizes, ``classes``).
    stage : Stage or None
        The stage of a per-stage column; None for a school-level resource.
    reason : str
        One of :data:`REASONS`.
    quantity : array of float, one per school
        What to add (0 for none).
    """

    column: str
    resource: str
    stage: Stage | None
    reason: str
    quantity: FloatArray

    __repr__ = _display.record_repr


@attrs.frozen(eq=False)
class Round:
    """The additions of one round, and the class sizes after splitting (by stage changed)."""

    additions: tuple[Addition, ...]
    class_sizes: Mapping[Stage, ClassSizes]

    @property
    def empty(self) -> bool:
        """Whether the round adds nothing."""
        return not self.class_sizes and not any(np.any(a.quantity > 0) for a in self.additions)


def planned_resources(standard: Standard, upgrade: bool = False) -> list[str]:
    """The resources a plan under ``standard`` may add to (hired teachers and staff aside:
    they are priced in their sub-count), ``classes`` where class sizes are capped, and with
    ``upgrade`` the upgrades of the sub-counts it may add (``teachers_backbone_upgrade``)."""
    found = [standard.balance.numerator(i) for i in standard.balance.indicators]
    if standard.school_standard is not None:
        found += [
            numerator_for(m.indicator, standard.balance) for m in standard.school_standard.minimums
        ]
    if standard.rooms is not None:
        found += ["music_rooms", "music_room_area", "art_rooms", "art_room_area"]
    if standard.class_size is not None and standard.class_size.component is not None:
        found.append("classes")
    if upgrade:
        found += [f"{r}_upgrade" for r in found if r in UPGRADABLE]
    return list(dict.fromkeys(found))


def check_costs(costs: Costs, standard: Standard, upgrade: bool = False) -> None:
    """Raise a :class:`~eduequity.DataError` naming every resource the plan may add that ``costs``
    does
    not price (teachers may be left unpriced: their rows then have no cost)."""
    missing = [
        r for r in planned_resources(standard, upgrade) if costs.of(r) is None and r not in TEACHERS
    ]
    if missing:
        names = ", ".join(f"{r} ({COST_NAMES[r]})" for r in missing)
        raise DataError(
            f"costs: a plan under {standard.id} may add {names}, which the costs do not price; "
            f'add e.g. [{missing[0]}] yuan = ..., source = "...".'
        )


def weighing_costs(costs: Costs | None, standard: Standard) -> Costs | None:
    """The costs that weigh one indicator against another: ``costs`` where they price every
    resource the plan may add, else None (then each resource weighs relative to the county's
    current total of it, as without costs)."""
    if costs is None:
        return None
    if any(costs.of(r) is None for r in planned_resources(standard)):
        return None
    return costs


def _cv_targets(
    ev: Evaluation, lifted: Mapping[str, FloatArray], costs: Costs | None
) -> dict[str, FloatArray]:
    """Per balance indicator, each part's value after the CV bound is met (from ``lifted``,
    the values after the floors)."""
    parts, bal, rule = ev.parts, ev.balance, ev.standard.balance
    g, n_g = parts.groups.codes, parts.groups.n_groups
    p = parts.enrollment
    bound = bal.threshold * (1 - MARGIN)
    ok = np.isfinite(bound) & (parts.groups.counts > 0)
    for ind in rule.indicators:  # a group lacking an input has no plan for its CVs
        ok &= np.bincount(g, weights=np.isnan(lifted[ind]), minlength=n_g) == 0
    rows = ok[g]
    sub = np.searchsorted(np.flatnonzero(ok), g[rows])
    out = {ind: lifted[ind].copy() for ind in rule.indicators}
    if not rows.any():
        return out
    if rule.method is BalanceMethod.COMPOSITE:
        levels = composite_levels(
            [lifted[ind][rows] for ind in rule.indicators],
            p[rows],
            composite_bound(ev, lifted)[ok],
            sub,
            [
                weights(ev, rule.numerator(ind), costs, rows) / get_indicator(ind).scale
                for ind in rule.indicators
            ],
        )
    else:
        return indicator_targets(ev, lifted, ok)
    for ind, level in zip(rule.indicators, levels, strict=True):
        out[ind][rows] = np.fmax(lifted[ind][rows], level[sub])
    return out


def split_classes(sizes: ClassSizes, cap: int, rows: NDArray[np.bool_]) -> ClassSizes:
    """Each class over ``cap`` of the schools ``rows`` marks split into the fewest classes
    within it, as equal as can be (a class of 98 under a cap of 45: 33, 33, 32).

    Examples
    --------
    >>> import numpy as np
    >>> s = ClassSizes(np.array([98, 40, 51]), np.array([0, 2, 3]), np.array([True, True]))
    >>> after = split_classes(s, 45, np.array([True, True]))
    >>> after.values.tolist(), after.offsets.tolist()
    ([33, 33, 32, 40, 26, 25], [0, 4, 6])
    """
    v = sizes.values
    over = np.flatnonzero(v > cap)  # usually few of the classes
    school = np.searchsorted(sizes.offsets, over, side="right") - 1
    keep = rows[school]
    over, school = over[keep], school[keep]
    if over.size == 0:
        return sizes
    m = -(-v[over] // cap)  # classes each oversized class becomes
    n_new = np.ones(v.size, dtype=np.intp)
    n_new[over] = m
    values = np.repeat(v, n_new)
    start = (np.cumsum(n_new) - n_new)[over]
    k = np.arange(int(m.sum())) - np.repeat(np.cumsum(m) - m, m)
    whole = np.repeat(v[over], m)
    count = np.repeat(m, m)
    values[np.repeat(start, m) + k] = whole // count + (k < whole % count)
    extra = np.bincount(school, weights=m - 1, minlength=sizes.reported.size).astype(np.intp)
    offsets = sizes.offsets + np.concatenate([[0], np.cumsum(extra)])
    return ClassSizes(values, offsets.astype(np.intp), sizes.reported, sizes.bands)


def plan_round(ev: Evaluation, costs: Costs | None = None) -> Round:
    """What the schools of ``ev`` add so that the rules the plan covers pass (one round; see
    the module)."""
    std, parts, cols = ev.standard, ev.parts, ev.columns
    rule = std.balance
    n = cols.n_schools
    additions: list[Addition] = []
    costs = weighing_costs(costs, std)
    floors, floor_reason = minimum_floors(ev, costs)
    values = dict(ev.balance.values)
    for ind in floors:
        if ind not in values:
            resource = numerator_for(ind, rule)
            values[ind] = get_indicator(ind).compute(parts.amounts[resource], parts.enrollment)
    lifted = {ind: np.fmax(v, floors[ind]) if ind in floors else v for ind, v in values.items()}
    lifted = {ind: np.where(np.isnan(values[ind]), np.nan, v) for ind, v in lifted.items()}
    final = _cv_targets(ev, lifted, costs)
    cv_reason = "composite_cv" if rule.method is BalanceMethod.COMPOSITE else "balance_cv"
    # Per resource, what the floors need and what floors and CV levels need together (the
    # most any of its indicators needs).
    by_resource: dict[str, list[tuple[FloatArray, FloatArray]]] = {}
    for ind in values:
        resource = numerator_for(ind, rule)
        first = inside_quantities(ev, resource, ind, floors[ind]) if ind in floors else None
        if first is not None and ind not in final:  # no CV level: the floors are all
            both = first
        else:
            both = quantities(ev, resource, ind, final.get(ind, lifted[ind]))
        by_resource.setdefault(resource, []).append(
            (np.zeros_like(both) if first is None else first, both)
        )
    hired: dict[Stage, FloatArray] = {s: np.zeros(n) for s in STAGES}
    for resource, entries in by_resource.items():
        first = np.fmax.reduce(np.stack([e[0] for e in entries]), axis=0)
        both = np.fmax.reduce(np.stack([e[1] for e in entries]), axis=0)
        step = np.maximum(np.nan_to_num(both) - np.nan_to_num(first), 0.0)
        for reason, q in ((floor_reason, np.nan_to_num(first)), (cv_reason, step)):
            if reason is None or not np.any(q > 0):
                continue
            if resource in SPLIT_RESOURCES:
                additions.append(Addition(resource, resource, None, reason, q))
                continue
            for code, stage in enumerate(STAGES):
                rows = parts.rows_of_stage(code)
                per_school = np.zeros(n)
                per_school[parts.school_row[rows]] = q[rows]
                if not np.any(per_school > 0):
                    continue
                column = stage_column(resource, stage.value)
                additions.append(Addition(column, resource, stage, reason, per_school))
                if resource in SUBCOUNTS:
                    hired[stage] += per_school
                elif resource == "teachers":
                    _hire(additions, cols, stage, per_school, ("staff",))
    for stage in STAGES:
        if np.any(hired[stage] > 0):
            _hire(additions, cols, stage, hired[stage], ("teachers", "staff"))
    class_sizes = _class_additions(ev, additions)
    _room_additions(ev, class_sizes, additions)
    snapped = (attrs.evolve(a, quantity=on_grid(a.quantity, a.resource)) for a in additions)
    return Round(tuple(snapped), class_sizes)


def _hire(
    additions: list[Addition],
    cols: SchoolColumns,
    stage: Stage,
    quantity: FloatArray,
    fields: tuple[str, ...],
) -> None:
    """Add hired teachers to ``fields`` of the stage, where the school reports them."""
    for field in fields:
        known = np.isfinite(cols.people[stage][field])
        q = np.where(known, quantity, 0.0)
        if np.any(q > 0):
            additions.append(Addition(stage_column(field, stage.value), field, stage, "hire", q))


def _class_additions(ev: Evaluation, additions: list[Addition]) -> dict[Stage, ClassSizes]:
    rule, cols = ev.standard.class_size, ev.columns
    out: dict[Stage, ClassSizes] = {}
    if rule is None or rule.component is None:
        return out
    for stage, cap in rule.maximum.items():
        sizes = cols.class_sizes[stage]
        rows = ev.included & (cols.enrollment[stage] > 0) & sizes.reported
        after = split_classes(sizes, cap, rows)
        extra = (after.counts() - sizes.counts()).astype(np.float64)
        if np.any(extra > 0):
            out[stage] = after
            column = f"class_sizes_{stage.value}"
            additions.append(Addition(column, "classes", stage, "class_size", extra))
    return out


def rooms_to_build(
    rooms: FloatArray, area: FloatArray, required: FloatArray, min_area: float
) -> tuple[FloatArray, FloatArray]:
    r"""The music (or art) rooms a school builds, whole, and their area.

    Parameters
    ----------
    rooms, area : array of float
        The school's rooms [rooms] and their total area [m²]; NaN where not reported.
    required : array of float
        The rooms its classes need (:func:`~eduequity.rules.check_rooms`).
    min_area : float
        The least mean area of a room [m²] (a ruleset value).

    Returns
    -------
    build : array of float
        New rooms: the rooms missing, or one where the rooms are enough but their mean area
        is below ``min_area`` (a room is built, not enlarged by a sliver).
    build_area : array of float
        Their area [m², to 0.01]: at least ``min_area`` each, and enough for the mean area
        of all the school's rooms to be at least 0.01 m² inside ``min_area``:

        .. math::

            A = \max\big(k\,m,\; (n + k)\,m + 0.01 - a\big)

        for :math:`k` new rooms, :math:`n` rooms of total area :math:`a` and the minimum
        :math:`m`; NaN where the area is not reported (the rooms are still built).

    References
    ----------
    - 教育部 教督〔2017〕6号 (2017), 第六条 (二) 3: 每12个班级配备音乐、美术专用教室1间以上，
      其中每间音乐专用教室面积不小于96平方米，每间美术专用教室面积不小于90平方米.

    Examples
    --------
    >>> import numpy as np
    >>> build, a = rooms_to_build(
    ...     np.array([1.0, 1.0, 0.0]), np.array([94.5, 120.0, 0.0]), np.array([1.0, 2.0, 1.0]), 96.0
    ... )
    >>> build.tolist(), a.tolist()
    ([1.0, 1.0, 1.0], [97.51, 96.0, 96.01])
    """
    with np.errstate(invalid="ignore"):
        build = np.where(rooms < required, required - rooms, 0.0)
        _, mean_ok = check_room_area(area, rooms, min_area)
        small = (build == 0) & (rooms > 0) & (mean_ok < min_area)
    build[small] = 1.0
    with np.errstate(invalid="ignore"):
        lift = (rooms + build) * min_area + QUANTUM["music_room_area"] - area
    need = np.maximum(build * min_area, lift) / QUANTUM["music_room_area"]
    steps = np.ceil(need - 1e-6)
    build_area = np.where(build > 0, on_grid(steps * QUANTUM["music_room_area"], "room_area"), 0.0)
    return build, build_area


def _room_additions(
    ev: Evaluation, class_sizes: Mapping[Stage, ClassSizes], additions: list[Addition]
) -> None:
    rooms, cols = ev.standard.rooms, ev.columns
    if rooms is None:
        return
    classes = np.zeros(cols.n_schools)
    for stage in STAGES:
        sizes = class_sizes.get(stage, cols.class_sizes[stage])
        has = cols.enrollment[stage] > 0
        classes += np.where(has, np.where(sizes.reported, sizes.counts(), np.nan), 0.0)
    for kind, min_area in (("music", rooms.music_min_area), ("art", rooms.art_min_area)):
        have = cols.resources[f"{kind}_rooms"]
        status, required = check_rooms(have, classes, rooms.classes_per_room)
        # A school whose room count is not evaluated builds nothing; one short of rooms
        # builds them (reason room); one with enough rooms, too small, builds one (room_area).
        required = np.where(ev.included & (status != NOT_EVALUATED), required, 0.0)
        area = cols.resources[f"{kind}_room_area"]
        build, build_area = rooms_to_build(have, area, np.nan_to_num(required), min_area)
        build = np.where(ev.included & ~np.isnan(have), build, 0.0)
        for_count = np.where(have < required, build, 0.0)
        for reason, mine in (
            ("room", for_count > 0),
            ("room_area", (build > 0) & ~(for_count > 0)),
        ):
            if not mine.any():
                continue
            additions.append(
                Addition(f"{kind}_rooms", f"{kind}_rooms", None, reason, np.where(mine, build, 0.0))
            )
            area_add = np.nan_to_num(np.where(mine, build_area, 0.0))
            if np.any(area_add > 0):
                column = f"{kind}_room_area"
                additions.append(Addition(column, column, None, reason, area_add))


def apply_round(columns: SchoolColumns, step: Round) -> SchoolColumns:
    """``columns`` with the round's additions (new arrays; ``columns`` is left as it was)."""
    resources = dict(columns.resources)
    people = {s: dict(columns.people[s]) for s in STAGES}
    for a in step.additions:
        if a.resource == "classes":
            continue
        if a.stage is None:
            resources[a.resource] = resources[a.resource] + a.quantity
        else:
            people[a.stage][a.resource] = people[a.stage][a.resource] + a.quantity
    class_sizes = {s: step.class_sizes.get(s, columns.class_sizes[s]) for s in STAGES}
    return attrs.evolve(columns, resources=resources, people=people, class_sizes=class_sizes)
