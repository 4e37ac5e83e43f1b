"""Classes counted by band give every class-size verdict and count that the classes listed one
by one give, under every built-in standard, through both doors.

Random schools get random class lists (many sizes on the band edges: 45/46, 50/51, 55/56,
65/66); the same county is then built again with some or all of its lists replaced by the
counts a form would print (computed here from the literal band table, not by the library).
"""

from __future__ import annotations

from typing import Any

import attrs
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

import eduequity as ee
from eduequity import batch
from eduequity.standards import list_standards
from eduequity.testing import counties

#: The bands of the forms, written out: (smallest, largest) class size.
BANDS = [(1, 25), (26, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 60)]
BANDS += [(61, 65), (66, 10_000)]
LABELS_EN = ["25 or fewer", *[f"{lo}-{hi}" for lo, hi in BANDS[1:-1]], "66 or more"]
EDGES = [25, 26, 30, 31, 35, 36, 40, 41, 45, 46, 50, 51, 55, 56, 60, 61, 65, 66]
STANDARDS = [s.id for s in list_standards()]


def by_band(sizes: tuple[int, ...]) -> tuple[int, ...]:
    """The count of classes in each band, as the form reports them."""
    return tuple(sum(1 for s in sizes if lo <= s <= hi) for lo, hi in BANDS)


def band_of(size: int) -> int:
    """The band a class of ``size`` students falls in."""
    return next(k for k, (lo, hi) in enumerate(BANDS) if lo <= size <= hi)


@st.composite
def twin_counties(draw: st.DrawFn) -> tuple[ee.County, ee.County, set[tuple[str, str]]]:
    """A county with class lists, the same county with some stages' lists given by band, and
    the (school, stage) pairs given by band."""
    county = draw(counties(max_schools=8))
    size = st.one_of(st.sampled_from(EDGES), st.integers(1, 120))
    listed, banded, converted = [], [], set()
    for school in county.schools:
        changes: dict[str, Any] = {}
        band_changes: dict[str, Any] = {}
        for stage in school.stages:
            data = school.stage(stage)
            assert data is not None
            if data.class_sizes is not None:
                sizes = tuple(draw(st.lists(size, min_size=0, max_size=25)))
                data = attrs.evolve(data, class_sizes=sizes)
                changes[stage.value] = data
            band_changes[stage.value] = data
            if data.class_sizes is not None and draw(st.integers(0, 3)) > 0:
                band_changes[stage.value] = attrs.evolve(
                    data, class_sizes=None, class_bands=by_band(data.class_sizes)
                )
                converted.add((school.id, stage.value))
        listed.append(attrs.evolve(school, **changes))
        banded.append(attrs.evolve(school, **band_changes))
    return (
        attrs.evolve(county, schools=listed),
        attrs.evolve(county, schools=banded),
        converted,
    )


def _classes_named(columns: str | None) -> list[str]:
    """The inputs a not_reported cell names, with a stage's band columns named as its list."""
    named = []
    for c in (columns or "").split(","):
        if c.startswith("classes_"):
            c = "class_sizes_" + c.rsplit("_", 1)[1]
        if c and c not in named:
            named.append(c)
    return named


def _findings(result: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (
            f.rule_id,
            f.school_id or "",
            "" if f.stage is None else f.stage.value,
            f.status.value,
            f.measured,
            f.threshold,
            f.message_en,
        )
        for c in result.components.values()
        for f in c.findings
    )


@settings(max_examples=60)
@given(twin_counties(), st.sampled_from(STANDARDS))
def test_bands_give_the_verdicts_and_counts_of_the_lists(
    twins: tuple[ee.County, ee.County, set[tuple[str, str]]], standard: str
) -> None:
    """Every verdict, count, share and message equals the per-class path's; where a school
    reported by band, the largest class is given as its band, the band of the largest listed
    class."""
    listed, banded, converted = twins
    a, b = ee.evaluate(listed, standard), ee.evaluate(banded, standard)
    assert a.status == b.status
    assert {k: c.status for k, c in a.components.items()} == {
        k: c.status for k, c in b.components.items()
    }
    fa, fb = _findings(a), _findings(b)
    assert len(fa) == len(fb)
    for x, y in zip(fa, fb, strict=True):
        if x[0] == "class_size" and (x[1], x[2]) in converted and x[4] is not None and x[4] > 0:
            # The largest class is known by its band only.
            assert x[:4] == y[:4]
            assert y[4] is None
            assert x[5] == y[5]
            band = LABELS_EN[band_of(int(x[4]))]
            assert f"largest in the band {band}," in y[6]
            assert x[6].split(", largest")[0] in y[6]
            assert x[6].split("largest ")[1].split(", ", 1)[1] == y[6].split(f"{band}, ")[1]
        else:
            assert x == y
    if a.class_sizes is None:
        assert b.class_sizes is None
        return
    assert b.class_sizes is not None
    assert a.class_sizes.schools == b.class_sizes.schools
    assert a.class_sizes.stages == b.class_sizes.stages
    assert a.class_sizes.county == b.class_sizes.county
    assert a.class_sizes.not_reported == b.class_sizes.not_reported
    assert [(t.status, t.measured) for t in a.class_sizes.targets] == [
        (t.status, t.measured) for t in b.class_sizes.targets
    ]


@settings(max_examples=30)
@given(twin_counties(), st.sampled_from(STANDARDS))
def test_the_columnar_door_agrees_on_bands(
    twins: tuple[ee.County, ee.County, set[tuple[str, str]]], standard: str
) -> None:
    """The columnar door gives the same counties and schools tables from bands as from
    lists, and the same findings but the largest class of a school reported by band."""
    listed, banded, _ = twins
    a = batch.evaluate_table(batch.table_from_counties([listed]), standard)
    b = batch.evaluate_table(batch.table_from_counties([banded]), standard)
    assert a.counties.equals(b.counties)
    shown = [c for c in a.schools.column_names if c != "not_reported"]
    assert a.schools.select(shown).equals(b.schools.select(shown))
    if "not_reported" in a.schools.column_names:
        # A school that reported no class: its list, or its ten band columns, not reported.
        for x, y in zip(
            a.schools.column("not_reported").to_pylist(),
            b.schools.column("not_reported").to_pylist(),
            strict=True,
        ):
            assert _classes_named(x) == _classes_named(y)
    keep = ["county_code", "rule_id", "stage", "school_id", "status", "threshold"]
    assert a.findings.select(keep).equals(b.findings.select(keep))
    is_class = pc.equal(a.findings.column("rule_id"), "class_size")
    other = pc.invert(is_class)
    assert a.findings.filter(other).equals(b.findings.filter(other))
