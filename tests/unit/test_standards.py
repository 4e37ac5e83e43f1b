"""The built-in standards match their sources, and bad rulesets get precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import eduequity as ee
from eduequity import Confidence, RulesetError, UnknownNameError
from eduequity.standards import BalanceMethod, Op, parse_school_standard, parse_standard, read_toml
from eduequity.standards._loader import tomllib


def test_basic_2012_thresholds_match_the_2012_measures() -> None:
    """教督〔2012〕3号: composite CV primary <= 0.65, junior <= 0.55; work score >= 85."""
    s = ee.get_standard("cn-basic-2012")
    assert (s.document, s.year) == ("教督〔2012〕3号", 2012)
    assert s.balance.method is BalanceMethod.COMPOSITE
    assert dict(s.balance.maximum) == {ee.Stage.PRIMARY: 0.65, ee.Stage.JUNIOR: 0.55}
    assert s.balance.citation.confidence is Confidence.PRIMARY
    items = {i.input: i for i in s.county_items}
    assert (items["government_work_score"].op, items["government_work_score"].value) == (Op.GE, 85)
    assert (items["satisfaction_rate"].op, items["satisfaction_rate"].value) == (Op.GE, 0.85)
    assert items["satisfaction_rate"].citation.confidence is Confidence.SECONDARY


def test_basic_2012_indicators_in_table_order() -> None:
    """The 8 indicators, in the order of the national tables."""
    s = ee.get_standard("cn-basic-2012")
    assert (
        s.balance.indicators
        == ee.BASIC_2012
        == (
            "room_area_per_student",
            "sports_area_per_student",
            "equipment_value_per_student",
            "computers_per_100_students",
            "books_per_student",
            "teachers_per_student",
            "teachers_above_qualification_per_student",
            "teachers_intermediate_title_per_student",
        )
    )


def test_unconfirmed_values_are_labelled_and_changeable() -> None:
    """The split weights and the 师生比 numerator are unconfirmed, and a user can change them."""
    s = ee.get_standard("cn-basic-2012")
    assert s.split_citation.confidence is Confidence.UNCONFIRMED
    assert (
        s.split_weights.junior,
        s.split_weights.senior,
        s.split_weights.complete_secondary_senior,
    ) == (1.1, 1.32, 1.2)
    choice = s.balance.numerators["teachers_per_student"]
    assert (choice.resource, choice.citation.confidence) == ("teachers", Confidence.UNCONFIRMED)
    own = ee.Citation(issuer="某省", title="实施细则", confidence=Confidence.SECONDARY)
    staff = s.with_numerators({"teachers_per_student": "staff"}, own)
    assert staff.balance.numerator("teachers_per_student") == "staff"
    assert s.balance.numerator("teachers_per_student") == "teachers"  # the original is unchanged


def test_basic_2012_scope() -> None:
    """2012 scope: public, county-run; teaching points, special-education, vocational excluded."""
    scope = ee.get_standard("cn-basic-2012").scope
    assert scope.public_only
    assert scope.county_run_only
    assert scope.excluded_kinds == {
        ee.SchoolKind.TEACHING_POINT,
        ee.SchoolKind.SPECIAL_EDUCATION,
        ee.SchoolKind.VOCATIONAL,
    }


def test_2017_indicator_catalogue() -> None:
    """The 7 ids of 2017, with per-100 scale on the teacher and multimedia indicators."""
    assert ee.QUALITY_2017 == (
        "teachers_above_qualification_per_100_students",
        "teachers_backbone_per_100_students",
        "teachers_pe_arts_per_100_students",
        "room_area_per_student",
        "sports_area_per_student",
        "equipment_value_per_student",
        "multimedia_rooms_per_100_students",
    )
    assert [ee.INDICATORS[i].scale for i in ee.QUALITY_2017] == [100, 100, 100, 1, 1, 1, 100]


def test_unknown_standard_lists_known_ids() -> None:
    """An unknown id raises UnknownNameError (a LookupError) listing the known ids."""
    with pytest.raises(UnknownNameError, match="'cn-basic-2013' is not a known standard"):
        ee.get_standard("cn-basic-2013")
    with pytest.raises(LookupError):
        ee.get_indicator("books")


def test_list_standards() -> None:
    """list_standards gives id, document number and year."""
    rows = [(s.id, s.document, s.year) for s in ee.list_standards()]
    assert rows == [
        ("cn-basic-2012", "教督〔2012〕3号", 2012),
        ("cn-quality-2017", "教督〔2017〕6号", 2017),
        ("jiangsu-quality", "苏政办发〔2012〕36号", 2012),
    ]


SCHOOL_STANDARD = """
[sources.p]
issuer = "某省教育厅"
title = "某省义务教育学校基本办学标准"
year = 2011

[school_standard]
name_zh = "基本办学标准"
name_en = "Basic standard"
source = "p"

[[school_standard.rules]]
indicator = "books_per_student"
stage = "primary"
op = ">="
value = 15
source = "p"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my-province.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_school_standard_loads_and_plugs_in(tmp_path: Path) -> None:
    """A province's standard loads from TOML and plugs into the 2012 standard."""
    school = ee.load_school_standard(write(tmp_path, SCHOOL_STANDARD))
    (m,) = school.minimums
    assert (m.indicator, m.stage, m.op, m.value) == (
        "books_per_student",
        ee.Stage.PRIMARY,
        Op.GE,
        15.0,
    )
    s = ee.get_standard("cn-basic-2012").with_school_standard(school)
    assert s.school_standard == school


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'indicator = "books_per_student"',
            'indicator = "book_per_student"',
            r"my-province.toml: \[school_standard.rules\[0\]\] field 'indicator' must be a known "
            r"indicator .* Got 'book_per_student'",
        ),
        ('op = ">="', 'op = "=>"', r"\[school_standard.rules\[0\]\] field 'op' must be one of"),
        ("value = 15", 'value = "15"', r"field 'value' must be a finite number"),
        (
            'value = 15\nsource = "p"',
            'value = 15\nsource = "q"',
            r"field 'source' must name a table of \[sources\]",
        ),
        ('stage = "primary"', 'stage = "senior"', r"field 'stage' must be one of"),
        ("value = 15", "value = 15\nminimum = 3", r"field 'minimum' is not a known field here"),
        ('source = "p"\n\n[[', 'source = "p"\n\n[[', ""),  # unchanged: loads
    ],
)
def test_bad_school_standard_names_file_rule_and_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """Each defect raises RulesetError naming the file, the rule and the field."""
    text = SCHOOL_STANDARD.replace(old, new, 1)
    if not message:
        ee.load_school_standard(write(tmp_path, text))
        return
    with pytest.raises(RulesetError, match=message):
        ee.load_school_standard(write(tmp_path, text))


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    """Unparseable TOML and a missing file raise RulesetError naming the file."""
    with pytest.raises(RulesetError, match=r"my-province\.toml: not valid TOML"):
        ee.load_school_standard(write(tmp_path, "[school_standard\n"))
    with pytest.raises(RulesetError, match="cannot read the file"):
        ee.load_school_standard(tmp_path / "absent.toml")


def test_school_standard_limited_to_ten_indicators() -> None:
    """The 2012 measures allow a province at most 10 indicators in its basic standard."""
    ids = list(ee.INDICATORS)[:11]
    rules = "\n".join(
        f'[[school_standard.rules]]\nindicator = "{i}"\nstage = "primary"\nop = ">="\n'
        f'value = 1\nsource = "p"\n'
        for i in ids
    )
    base = SCHOOL_STANDARD.split("[[school_standard.rules]]")[0]
    data = tomllib.loads(base + rules)
    school = parse_school_standard(data, "eleven.toml")
    with pytest.raises(RulesetError, match="at most 10 indicators"):
        ee.get_standard("cn-basic-2012").with_school_standard(school)


def test_builtin_standard_file_is_strict() -> None:
    """The loader refuses an unknown field in a standard, naming the table."""
    import eduequity.standards as st

    path = Path(st.__file__).parent / "data" / "cn-basic-2012.toml"
    data, _ = read_toml(path)
    data["balance"]["maximun"] = {"primary": 0.6}
    with pytest.raises(RulesetError, match=r"x.toml: \[balance\] field 'maximun' is not a known"):
        parse_standard(data, "x.toml")
    data, _ = read_toml(path)
    data["balance"]["indicators"].append("books_per_pupil")
    with pytest.raises(RulesetError, match=r"\[balance\] field 'indicators' must hold known"):
        parse_standard(data, "x.toml")


def test_basic_2012_reports_class_sizes_and_staffing_without_deciding() -> None:
    """The 2012 standard reports class sizes (caps 45 / 50) and staffing (1:19, 1:13.5) only."""
    s = ee.get_standard("cn-basic-2012")
    assert s.class_size is not None
    assert s.class_size.component is None  # reported, not part of the verdict
    assert dict(s.class_size.maximum) == {ee.Stage.PRIMARY: 45, ee.Stage.JUNIOR: 50}
    assert (s.class_size.large_from, s.class_size.super_large_from) == (56, 66)
    assert [(t.min_size, t.max_share) for t in s.class_size.targets] == [(66, 0.02), (56, 0.05)]
    assert s.staffing is not None
    assert dict(s.staffing.students_per_staff) == {ee.Stage.PRIMARY: 19, ee.Stage.JUNIOR: 13.5}
    assert s.staffing.citation.confidence is Confidence.UNCONFIRMED
    assert s.rooms is None
    assert s.school_size is None
