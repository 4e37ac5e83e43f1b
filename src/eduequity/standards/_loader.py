"""Reading standards and school standards from TOML (data only: nothing is executed).

Every error names the file, the table or rule, and the field, e.g.
``my-province.toml: [school_standard.rules[2]] field 'indicator': 'book_per_student' is not a
known indicator (...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eduequity._county_inputs import COUNTY_INPUTS, INPUT_RANGES, InputKind
from eduequity._indicators import INDICATORS
from eduequity._models import SchoolKind, Stage
from eduequity._split import SplitWeights
from eduequity.standards._model import (
    BalanceMethod,
    BalanceRule,
    Citation,
    ClassSizeRule,
    ClassSizeTarget,
    Component,
    CountyItem,
    NumeratorChoice,
    Op,
    RoomRule,
    SchoolMinimum,
    SchoolRule,
    SchoolSizeRule,
    SchoolStandard,
    SchoolStandardSlot,
    Scope,
    StaffingRule,
    Standard,
    check_numerators,
)
from eduequity.standards._toml_table import TomlTable, cite, parse_sources, read_toml, tomllib

__all__ = [
    "SCHEMA_VERSION",
    "load_school_standard",
    "parse_school_standard",
    "parse_standard",
    "read_toml",
    "tomllib",
]

#: The version of the TOML layout this library reads.
SCHEMA_VERSION = 1


def _stage_map(
    t: TomlTable, key: str, integer: bool = False, bounds: tuple[float, float] | None = None
) -> dict[Stage, float]:
    """A value per stage; ``bounds`` (low, high): each value must be above ``low`` and at
    most ``high``."""
    sub = t.table(key)
    read = sub.integer if integer else sub.number
    out = {Stage(s): read(s) for s in ("primary", "junior") if s in sub.data}
    sub.done()
    if not out:
        raise t.error(key, "must give a value for 'primary' and/or 'junior'", dict(sub.data))
    if bounds is not None:
        low, high = bounds
        for stage, v in out.items():
            if not low < v <= high:
                raise sub.error(stage.value, f"must be above {low:g} and at most {high:g}", v)
    return out


def _parse_balance(t: TomlTable, sources: Mapping[str, Citation]) -> BalanceRule:
    indicators = t.raw("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise t.error("indicators", "must be a non-empty list of indicator ids", indicators)
    for ind in indicators:
        if ind not in INDICATORS:
            raise t.error(
                "indicators", f"must hold known indicator ids ({', '.join(INDICATORS)})", ind
            )
    if len(set(indicators)) != len(indicators):
        raise t.error("indicators", "must not repeat an indicator", indicators)
    numerators: dict[str, NumeratorChoice] = {}
    nt = t.table("numerators", None)
    if nt is not None:
        for ind in nt.data:
            sub = nt.table(ind)
            numerators[ind] = NumeratorChoice(sub.text("resource"), cite(sub, sources))
            sub.done()
        nt.done()
    rule = BalanceRule(
        component=t.text("component"),
        indicators=tuple(indicators),
        method=t.choice("method", BalanceMethod),
        maximum=_stage_map(t, "maximum", bounds=(0.0, 2.0)),  # a CV's maximum
        numerators=numerators,
        citation=cite(t, sources),
    )
    check_numerators(numerators, rule.indicators, f"{t.where}: [{t.path}.numerators]")
    t.done()
    return rule


def _parse_minimums(root: TomlTable, sources: Mapping[str, Citation]) -> tuple[SchoolMinimum, ...]:
    minimums = []
    for r in root.tables("rules"):
        ind = r.text("indicator")
        if ind not in INDICATORS:
            raise r.error("indicator", f"must be a known indicator ({', '.join(INDICATORS)})", ind)
        value = r.number("value")
        if value < 0:
            raise r.error("value", "must be >= 0 (an indicator is never negative)", value)
        minimums.append(
            SchoolMinimum(
                indicator=ind,
                stage=r.choice("stage", Stage),
                op=r.choice("op", Op),
                value=value,
                citation=cite(r, sources),
            )
        )
        r.done()
    return tuple(minimums)


def _parse_school_standard_table(
    t: TomlTable, sources: Mapping[str, Citation], component: str
) -> SchoolStandard:
    rule = t.choice("rule", SchoolRule, SchoolRule.ALL)
    min_met = t.integer("min_met", None)
    floor = t.number("floor_fraction", None)
    standard = SchoolStandard(
        component=t.text("component", component),
        name_zh=t.text("name_zh"),
        name_en=t.text("name_en"),
        minimums=_parse_minimums(t, sources),
        citation=cite(t, sources),
        rule=rule,
        min_met=min_met,
        floor_fraction=floor,
    )
    if not standard.minimums:
        raise t.error("rules", f"must hold at least one rule ([[{t.path}.rules]])", [])
    seen = set()
    for m in standard.minimums:
        if (m.indicator, m.stage) in seen:
            raise t.error(
                "rules",
                "must not set one indicator twice for a stage",
                f"{m.indicator} ({m.stage.value})",
            )
        seen.add((m.indicator, m.stage))
    if rule is SchoolRule.AT_LEAST:
        if min_met is None or min_met < 1:
            raise t.error("min_met", "must be an integer >= 1 for rule 'at_least'", min_met)
        if floor is None or not 0 < floor <= 1:
            raise t.error("floor_fraction", "must be in (0, 1] for rule 'at_least'", floor)
        for m in standard.minimums:
            if not m.op.is_minimum:
                raise t.error(
                    "rules",
                    "must all be minimums ('>=' or '>') for rule 'at_least'",
                    f"{m.indicator} {m.op.value}",
                )
    elif min_met is not None or floor is not None:
        raise t.error("min_met", "and 'floor_fraction' go with rule 'at_least' only", min_met)
    t.done()
    return standard


def parse_school_standard(
    data: Mapping[str, Any], where: str, component: str = "school_standard"
) -> SchoolStandard:
    """Build a :class:`~eduequity.SchoolStandard` from parsed TOML (see
    :func:`~eduequity.load_school_standard`)."""
    root = TomlTable(data, where, "")
    sources = parse_sources(root)
    standard = _parse_school_standard_table(root.table("school_standard"), sources, component)
    root.done()
    return standard


def load_school_standard(path: str | Path, component: str = "school_standard") -> SchoolStandard:
    """Read a province's basic school-running standard from a TOML file.

    The file has a ``[sources]`` table and a ``[school_standard]`` table with one
    ``[[school_standard.rules]]`` entry per indicator and stage::

        [sources.province]
        issuer = "某省教育厅"
        title = "某省义务教育学校基本办学标准"
        document = "…〔2011〕…号"
        year = 2011

        [school_standard]
        name_zh = "某省义务教育学校基本办学标准"
        name_en = "Basic school-running standard of the province"
        source = "province"

        [[school_standard.rules]]
        indicator = "books_per_student"
        stage = "primary"
        op = ">="
        value = 15
        source = "province"
        clause = "第十二条"

    Plug it into a standard with :meth:`~eduequity.Standard.with_school_standard`.

    Raises
    ------
    RulesetError
        Naming the file, the rule and the field, for an unknown indicator, a bad operator or
        value, a missing source, or an unknown field.
    """
    data, where = read_toml(path)
    return parse_school_standard(data, where, component)


def parse_standard(data: Mapping[str, Any], where: str) -> Standard:
    """Build a :class:`~eduequity.Standard` from parsed TOML, checking every field."""
    root = TomlTable(data, where, "")
    schema = root.integer("schema")
    if schema != SCHEMA_VERSION:
        raise root.error("schema", f"must be {SCHEMA_VERSION}", schema)
    sources = parse_sources(root)
    components = []
    for c in root.tables("components"):
        components.append(Component(c.text("id"), c.text("name_zh"), c.text("name_en")))
        c.done()
    component_ids = {c.id for c in components}

    def check_component(t: TomlTable, key: str, value: str) -> str:
        if value not in component_ids:
            raise t.error(key, f"must name a component ({', '.join(sorted(component_ids))})", value)
        return value

    st = root.table("scope")
    min_enrollment: dict[SchoolKind, int] = {}
    me = st.table("min_enrollment", None)
    if me is not None:
        for kind in list(me.data):
            try:
                k = SchoolKind(kind)
            except ValueError:
                raise me.error(kind, "must be a school kind", kind) from None
            min_enrollment[k] = me.integer(kind)
            if min_enrollment[k] < 0:
                raise me.error(kind, "must be a number of students >= 0", min_enrollment[k])
        me.done()
    excluded = st.raw("excluded_kinds", [])
    if not isinstance(excluded, list):
        raise st.error("excluded_kinds", "must be a list of school kinds", excluded)
    kinds = set()
    for k in excluded:
        try:
            kinds.add(SchoolKind(k))
        except ValueError:
            raise st.error("excluded_kinds", "must hold school kinds", k) from None
    scope = Scope(
        public_only=st.flag("public_only"),
        county_run_only=st.flag("county_run_only"),
        excluded_kinds=frozenset(kinds),
        min_enrollment=min_enrollment,
        citation=cite(st, sources),
    )
    st.done()

    sp = root.table("split")
    weights = SplitWeights(
        junior=sp.number("junior", positive=True),
        senior=sp.number("senior", positive=True),
        complete_secondary_senior=sp.number("complete_secondary_senior", positive=True),
    )
    split_citation = cite(sp, sources)
    sp.done()

    bt = root.table("balance")
    balance = _parse_balance(bt, sources)
    check_component(bt, "component", balance.component)

    slot = None
    ss = root.table("school_standard_slot", None)
    if ss is not None:
        slot = SchoolStandardSlot(
            component=check_component(ss, "component", ss.text("component")),
            max_indicators=ss.integer("max_indicators", None),
            citation=cite(ss, sources),
        )
        ss.done()

    school_standard = None
    sst = root.table("school_standard", None)
    if sst is not None:
        school_standard = _parse_school_standard_table(sst, sources, "")
        check_component(sst, "component", school_standard.component)

    items = [_parse_county_item(it, sources, check_component) for it in root.tables("county_items")]
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise root.error("county_items", "must not repeat an id", dup)

    rooms = None
    rt = root.table("rooms", None)
    if rt is not None:
        rooms = RoomRule(
            component=check_component(rt, "component", rt.text("component")),
            classes_per_room=_positive_int(rt, "classes_per_room"),
            music_min_area=rt.number("music_min_area", positive=True),
            art_min_area=rt.number("art_min_area", positive=True),
            citation=cite(rt, sources),
            area_citation=cite(rt, sources, "area_"),
        )
        rt.done()

    school_size = None
    zt = root.table("school_size", None)
    if zt is not None:
        mt = zt.table("maximum")
        maximum = {}
        for kind in list(mt.data):
            try:
                k = SchoolKind(kind)
            except ValueError:
                raise mt.error(kind, "must be a school kind", kind) from None
            maximum[k] = _positive_int(mt, kind)
        mt.done()
        school_size = SchoolSizeRule(
            component=check_component(zt, "component", zt.text("component")),
            maximum=maximum,
            citation=cite(zt, sources),
        )
        zt.done()

    class_size = None
    ct = root.table("class_size", None)
    if ct is not None:
        comp = ct.text("component", None)
        targets = []
        for tt in ct.tables("targets"):
            share = tt.number("max_share")
            if not 0 <= share <= 1:
                raise tt.error("max_share", "must be a fraction from 0 to 1", share)
            by_year = tt.integer("by_year", None)
            if by_year is not None and not 1990 <= by_year <= 2100:
                raise tt.error("by_year", "must be a year from 1990 to 2100", by_year)
            targets.append(
                ClassSizeTarget(_positive_int(tt, "min_size"), share, cite(tt, sources), by_year)
            )
            tt.done()
        class_size = ClassSizeRule(
            component=None if comp is None else check_component(ct, "component", comp),
            maximum={
                k: int(v)
                for k, v in _stage_map(ct, "maximum", integer=True, bounds=(0, 1000)).items()
            },
            large_from=_positive_int(ct, "large_from"),
            super_large_from=_positive_int(ct, "super_large_from"),
            targets=tuple(targets),
            citation=cite(ct, sources),
            band_citation=cite(ct, sources, "band_"),
        )
        if (
            not max(class_size.maximum.values())
            < class_size.large_from
            < (class_size.super_large_from)
        ):
            raise ct.error(
                "large_from",
                "must lie between the largest cap and super_large_from",
                class_size.large_from,
            )
        ct.done()

    staffing = None
    sft = root.table("staffing", None)
    if sft is not None:
        ratios = _stage_map(sft, "students_per_staff", bounds=(0.0, 1000.0))
        staffing = StaffingRule(students_per_staff=ratios, citation=cite(sft, sources))
        sft.done()

    standard = Standard(
        id=root.text("id"),
        title_zh=root.text("title_zh"),
        title_en=root.text("title_en"),
        issuer=root.text("issuer"),
        document=root.text("document"),
        year=root.integer("year"),
        citation=cite(root, sources),
        components=tuple(components),
        scope=scope,
        split_weights=weights,
        split_citation=split_citation,
        balance=balance,
        school_standard=school_standard,
        school_standard_slot=slot,
        county_items=tuple(items),
        rooms=rooms,
        school_size=school_size,
        class_size=class_size,
        staffing=staffing,
    )
    if school_standard is not None and slot is not None:
        raise root.error(
            "school_standard",
            "and [school_standard_slot] cannot both be given",
            school_standard.name_en,
        )
    root.done()
    return standard


def _positive_int(t: TomlTable, key: str) -> int:
    v: int = t.integer(key)
    if v <= 0:
        raise t.error(key, "must be an integer > 0", v)
    return v


def _parse_county_item(
    it: TomlTable, sources: Mapping[str, Citation], check_component: Any
) -> CountyItem:
    inp = it.text("input")
    if inp not in COUNTY_INPUTS:
        raise it.error("input", f"must be a county input ({', '.join(COUNTY_INPUTS)})", inp)
    op = it.choice("op", Op)
    if COUNTY_INPUTS[inp].kind is InputKind.FLAG:
        flag = it.flag("value")
        if op is not Op.EQ:
            raise it.error("op", f"must be '==' for the yes/no input {inp!r}", op.value)
        value = 1.0 if flag else 0.0
    else:
        if op is Op.EQ:
            raise it.error("op", f"'==' is for yes/no inputs; {inp!r} is a number", op.value)
        value = it.number("value")
        low, high, expectation = INPUT_RANGES[COUNTY_INPUTS[inp].kind]
        if not low <= value <= high:
            raise it.error("value", f"must be {expectation} for the input {inp!r}", value)
    item = CountyItem(
        id=it.text("id"),
        component=check_component(it, "component", it.text("component")),
        input=inp,
        op=op,
        value=value,
        citation=cite(it, sources),
    )
    it.done()
    return item
