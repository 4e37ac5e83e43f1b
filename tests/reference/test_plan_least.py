"""A plan for the 2017 school rule is the least, checked against an exhaustive independent search.

On small random counties (2 to 6 schools: primary, junior, nine-year, twelve-year and complete
secondary schools and teaching points, each indicator met, between 85 % and 100 % or below 85 %,
random unit prices), the independent model (``_rule_oracle``: exact fractions, no import of the
library) finds the least cost of meeting every minimum and the school rule, trying every choice
of the indicator each part leaves at 85 % in every school, in the plan's documented units. Where
that least plan also meets every CV bound (so it is the least for the whole standard), the
library's plan costs exactly as much; every library plan passes the independent evaluation.
"""

from __future__ import annotations

import random
import warnings
from fractions import Fraction
from typing import Any

import pytest

import eduequity as ee
from eduequity import County, School, StageData

from ._rule_oracle import KINDS, PHYS, TEACH, Adds, Case, cost_of, make_case, make_price, passes
from ._rule_oracle import school_rule_optimum as least_for_the_rule

STD = "cn-quality-2017"


def _county(case: list[Case]) -> County:
    schools = []
    for s in case:
        teachers: dict[str, dict[str, Any]] = {
            st: {r: float(s[st][r]) for r in TEACH} for st in ("primary", "junior") if st in s
        }
        stages: dict[str, Any] = {
            st: StageData(enrollment=s[key], **teachers[st])
            for st, key in (("primary", "P"), ("junior", "J"))
            if s.get(key) is not None
        }
        resources: dict[str, Any] = {r: float(Fraction(s[r])) for r in PHYS}
        schools.append(
            School(
                id=s["id"],
                kind=s["kind"],
                senior_enrollment=s.get("C", 0),
                **resources,
                **stages,
            )
        )
    return County(code="999999", name="t", schools=schools)


def _plan(case: list[Case], price: dict[str, int]) -> tuple[Adds, ee.Plan]:
    """The library's plan with ``price`` as its costs, as additions by (school, column)."""
    costs = {k: {"yuan": float(v), "source": "test"} for k, v in price.items()}
    for other in ("music_rooms", "music_room_area", "art_rooms", "art_room_area", "classes"):
        costs[other] = {"yuan": 1.0, "source": "test"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = ee.plan(_county(case), STD, costs=costs)
    adds: Adds = {}
    for row in plan.additions.to_pylist():
        if row["reason"] != "hire":
            key = (row["school_id"], row["column"])
            adds[key] = adds.get(key, Fraction(0)) + Fraction(repr(row["quantity"]))
    return adds, plan


@pytest.mark.parametrize(
    ("seeds", "kinds"),
    [(range(30), KINDS), (range(1000, 1015), ["primary", "junior"])],
    ids=["multi-stage schools", "one-stage schools"],
)
def test_the_plan_is_the_least_for_the_school_rule(seeds: range, kinds: list[str]) -> None:
    compared = 0
    for seed in seeds:
        rng = random.Random(seed)
        case, price = make_case(rng, kinds=kinds), make_price(rng)
        adds, plan = _plan(case, price)
        assert passes(case, adds), seed  # the independent evaluation
        # Each stage's verdict after the plan (the class sizes and rooms, not in the cases, are
        # not evaluated, so the county's is not).
        assert {r["status_after"] for r in plan.counties.to_pylist()} == {"passed"}, seed
        least, least_adds = least_for_the_rule(case, price)
        if not passes(case, least_adds):  # a CV binds: the least for the rule is not enough
            continue
        compared += 1
        assert cost_of(adds, price) == least, (seed, float(cost_of(adds, price)), float(least))
    assert compared >= len(seeds) * 3 // 4
