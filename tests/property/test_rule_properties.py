"""Invariants of the school rules and shortfalls, checked with hypothesis."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import eduequity as ee

Q = ee.get_standard("cn-quality-2017")
PEOPLE = ("teachers_above_qualification", "teachers_backbone", "teachers_pe_arts")
SPLIT = ("room_area", "sports_area", "equipment_value", "multimedia_rooms")


@st.composite
def stage_data(draw: st.DrawFn) -> ee.StageData:
    n = draw(st.integers(50, 2500))
    people: dict[str, Any] = {k: float(draw(st.integers(0, max(1, n // 10)))) for k in PEOPLE}
    return ee.StageData(enrollment=n, **people)


@st.composite
def schools(draw: st.DrawFn, sid: str = "S") -> ee.School:
    kind = draw(st.sampled_from(["primary", "junior", "nine_year"]))
    stages: dict[str, Any] = {}
    if kind in ("primary", "nine_year"):
        stages["primary"] = draw(stage_data())
    if kind in ("junior", "nine_year"):
        stages["junior"] = draw(stage_data())
    n = sum(s.enrollment for s in stages.values())
    physical = {
        "room_area": draw(st.floats(0, 8)) * n,
        "sports_area": draw(st.floats(0, 14)) * n,
        "equipment_value": float(draw(st.integers(0, 4000))) * n,
        "multimedia_rooms": float(draw(st.integers(0, max(1, n // 25)))),
    }
    return ee.School(id=sid, kind=kind, **stages, **physical)


def short_keys(result: ee.EvaluationResult) -> set[tuple[Any, str | None]]:
    return {(s.stage, s.indicator) for s in result.shortfalls}


def add(school: ee.School, shortfall: ee.Shortfall, extra: float) -> ee.School:
    """The school with ``extra`` more of the shortfall's resource."""
    if shortfall.resource in PEOPLE:
        assert shortfall.stage is not None
        data = school.stage(shortfall.stage)
        assert data is not None
        more = attrs.evolve(data, **{shortfall.resource: getattr(data, shortfall.resource) + extra})
        changes: dict[str, Any] = {shortfall.stage.value: more}
        return attrs.evolve(school, **changes)
    return attrs.evolve(school, **{shortfall.resource: getattr(school, shortfall.resource) + extra})


def county(*s: ee.School) -> ee.County:
    return ee.County(code="990103", schools=list(s))


@settings(max_examples=100)
@given(schools())
def test_adding_the_shortfall_meets_the_minimum(school: ee.School) -> None:
    """Adding exactly the reported quantity makes that stage meet that minimum."""
    result = ee.evaluate(county(school), Q)
    for sf in result.shortfalls:
        assert sf.quantity > 0
        fixed = ee.evaluate(county(add(school, sf, sf.quantity)), Q)
        assert (sf.stage, sf.indicator) not in short_keys(fixed)


@settings(max_examples=100)
@given(schools(), st.sampled_from(PEOPLE + SPLIT), st.floats(0.5, 1e4))
def test_more_resource_never_loses_a_met_minimum(
    school: ee.School, resource: str, extra: float
) -> None:
    """A school that meets a minimum keeps meeting it when a resource grows."""
    before = ee.evaluate(county(school), Q)
    if resource in PEOPLE:
        grown = school
        for stage in school.stages:
            data = school.stage(stage)
            assert data is not None
            value = getattr(data, resource) + round(extra)
            changes: dict[str, Any] = {stage.value: attrs.evolve(data, **{resource: value})}
            grown = attrs.evolve(grown, **changes)
    else:
        grown = attrs.evolve(school, **{resource: getattr(school, resource) + extra})
    after = ee.evaluate(county(grown), Q)
    met_before = {(r.stage, r.n_met) for r in before.school_rules}
    for r_before, r_after in zip(before.school_rules, after.school_rules, strict=True):
        assert r_after.n_met >= r_before.n_met
    assert short_keys(after) <= short_keys(before)
    assert met_before  # every school has a part under the rule


@settings(max_examples=50)
@given(st.lists(schools(), min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_rules_do_not_depend_on_school_order(items: list[ee.School], rnd: Any) -> None:
    """The CV rule and the school rule give the same verdicts in any school order."""
    schools_ = [attrs.evolve(s, id=f"S{i}") for i, s in enumerate(items)]
    shuffled = list(schools_)
    rnd.shuffle(shuffled)
    a, b = ee.evaluate(county(*schools_), Q), ee.evaluate(county(*shuffled), Q)
    for stage in ee.Stage:
        assert a.stages[stage].status is b.stages[stage].status
    assert sorted((r.school_id, r.stage, r.status) for r in a.school_rules) == sorted(
        (r.school_id, r.stage, r.status) for r in b.school_rules
    )
    assert a.components["resource_allocation"].status is b.components["resource_allocation"].status


@settings(max_examples=100)
@given(st.integers(1, 6), st.floats(0, 200, allow_nan=False), st.integers(12, 200))
def test_room_area_shortfall_meets_the_minimum(rooms: int, area_each: float, classes: int) -> None:
    """Adding the reported m² to the music rooms brings their mean area to the minimum."""
    music = ee.School(
        id="M",
        kind="primary",
        primary=ee.StageData(enrollment=classes * 40, class_sizes=[40] * classes),
        music_rooms=float(rooms),
        music_room_area=rooms * area_each,
    )
    result = ee.evaluate(county(music), Q)
    for sf in result.shortfalls:
        if sf.resource == "music_room_area":
            fixed = attrs.evolve(music, music_room_area=rooms * area_each + sf.quantity)
            after = ee.evaluate(county(fixed), Q)
            assert "music_room_area" not in {s.resource for s in after.shortfalls}


@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(list(ee.Status))), max_size=30))
def test_combining_statuses_follows_the_rule(pairs: list[tuple[int, ee.Status]]) -> None:
    """Per county: failed if any part failed, else not evaluated if any was or none applies."""
    from eduequity._status import combine
    from eduequity.rules import combine_by_county

    codes = list(ee.Status)
    got = combine_by_county(
        [
            (
                np.array([c for c, _ in pairs], dtype=np.intp),
                np.array([codes.index(s) for _, s in pairs], dtype=np.intp),
            )
        ],
        4,
    )
    for county in range(4):
        own = {s for c, s in pairs if c == county}
        if ee.Status.FAILED in own:
            expected = ee.Status.FAILED
        elif ee.Status.NOT_EVALUATED in own or ee.Status.PASSED not in own:
            expected = ee.Status.NOT_EVALUATED
        else:
            expected = ee.Status.PASSED
        assert codes[got[county]] is expected
        assert combine(s for c, s in pairs if c == county) is expected
