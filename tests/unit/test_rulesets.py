"""User rulesets that extend a standard, the 江苏 profile, and precise errors for bad rulesets."""

from __future__ import annotations

from pathlib import Path

import pytest

import eduequity as ee
from eduequity import Confidence, RulesetError, UnknownNameError
from eduequity.standards import Op

HEAD = """
schema = 1
id = "my-province-quality"
extends = "cn-quality-2017"
title_zh = "某省优质均衡评估细则"
title_en = "Quality balance, my province"
issuer = "某省教育厅"
document = "某教督〔2019〕1号"
year = 2019
source = "province"

[sources.province]
issuer = "某省教育厅"
title = "某省县域义务教育优质均衡发展督导评估实施细则"
document = "某教督〔2019〕1号"
year = 2019
"""


def load(tmp_path: Path, body: str) -> ee.Standard:
    path = tmp_path / "my-province.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    return ee.load_ruleset(path)


def test_ruleset_overrides_and_inherits(tmp_path: Path) -> None:
    """Overridden values carry the province's citation; everything else is inherited."""
    std = load(
        tmp_path,
        """
[class_size]
maximum = { primary = 40, junior = 45 }
source = "province"

[[county_items]]
id = "junior_retention_rate"
value = 0.97
source = "province"
clause = "第五条"

[[school_standard.rules]]
indicator = "equipment_value_per_student"
stage = "primary"
value = 2200
source = "province"
""",
    )
    assert std.id == "my-province-quality"
    assert std.class_size is not None
    assert dict(std.class_size.maximum) == {ee.Stage.PRIMARY: 40, ee.Stage.JUNIOR: 45}
    assert std.class_size.citation.document == "某教督〔2019〕1号"
    assert std.class_size.targets == ee.get_standard("cn-quality-2017").class_size.targets  # type: ignore[union-attr]
    item = next(i for i in std.county_items if i.id == "junior_retention_rate")
    assert (item.value, item.citation.clause, item.citation.issuer) == (
        0.97,
        "第五条",
        "某省教育厅",
    )
    rules = {(m.indicator, m.stage): m for m in std.school_standard.minimums}  # type: ignore[union-attr]
    eq = rules[("equipment_value_per_student", ee.Stage.PRIMARY)]
    assert (eq.op, eq.value, eq.citation.issuer) == (Op.GE, 2200, "某省教育厅")
    assert rules[("equipment_value_per_student", ee.Stage.JUNIOR)].value == 2500
    assert dict(std.balance.maximum) == {ee.Stage.PRIMARY: 0.50, ee.Stage.JUNIOR: 0.45}


def test_ruleset_adds_a_county_item(tmp_path: Path) -> None:
    """A new county item is added to the inherited ones."""
    std = load(
        tmp_path,
        """
[[county_items]]
id = "school_choice_intake_rate"
component = "government_guarantee"
input = "school_choice_intake_rate"
op = "<"
value = 0.05
source = "province"
""",
    )
    assert len(std.county_items) == len(ee.get_standard("cn-quality-2017").county_items) + 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "[class_size]\nmaximum = { primary = 40, junior = 45 }\n",
            r"my-province\.toml: \[class_size\] field 'source' is required: the ruleset changes "
            r"'maximum'",
        ),
        (
            '[[county_items]]\nid = "junior_retention_rate"\nvalue = 0.97\n',
            r"\[county_items\[0\]\] field 'source' is required",
        ),
        (
            '[[school_standard.rules]]\nindicator = "books_per_pupil"\nstage = "primary"\n'
            'op = ">="\nvalue = 3\nsource = "province"\n',
            r"\[school_standard.rules\[14\]\] field 'indicator' must be a known indicator",
        ),
        (
            '[[county_items]]\nid = "new"\ncomponent = "veto"\ninput = "veto_exam_admission"\n'
            'op = ">="\nvalue = true\nsource = "province"\n',
            r"field 'op' must be '==' for the yes/no input",
        ),
        (
            '[[county_items]]\nid = "new"\ncomponent = "nope"\ninput = "satisfaction_rate"\n'
            'op = ">="\nvalue = 0.9\nsource = "province"\n',
            r"field 'component' must name a",
        ),
        (
            '[[county_items]]\nid = "new"\ncomponent = "veto"\ninput = "satisfaction_rate"\n'
            'op = "~"\nvalue = 0.9\nsource = "province"\n',
            r"field 'op' must be one of",
        ),
        (
            '[balance]\nmaximum = { primary = 0.4, junior = 0.4 }\nsource = "nowhere"\n',
            r"\[balance\] field 'source' must name a table of \[sources\]",
        ),
        (
            '[balance]\nmaxima = { primary = 0.4 }\nsource = "province"\n',
            r"\[balance\] field 'maxima' is not a known field here",
        ),
        (
            '[school_standard]\nmin_met = 0\nsource = "province"\n',
            r"\[school_standard\] field 'min_met' must be an integer >= 1",
        ),
    ],
)
def test_bad_ruleset_names_file_rule_and_field(tmp_path: Path, body: str, message: str) -> None:
    """Each defect raises RulesetError naming the file, the table or rule, and the field."""
    with pytest.raises(RulesetError, match=message):
        load(tmp_path, body)


def test_ruleset_must_extend_a_known_standard(tmp_path: Path) -> None:
    """extends must name a built-in standard."""
    path = tmp_path / "x.toml"
    path.write_text(
        HEAD.replace('extends = "cn-quality-2017"', 'extends = "cn-quality-2018"'), encoding="utf-8"
    )
    with pytest.raises(UnknownNameError, match=r"x\.toml: .* 'extends' must name a built-in"):
        ee.load_ruleset(path)


def test_ruleset_is_data_only(tmp_path: Path) -> None:
    """A string that looks like code is only ever a string (no evaluation)."""
    with pytest.raises(RulesetError, match="field 'value' must be a finite number"):
        load(
            tmp_path,
            '[[county_items]]\nid = "junior_retention_rate"\n'
            "value = \"__import__('os').system('true')\"\nsource = \"province\"\n",
        )


def test_jiangsu_profile() -> None:
    """江苏: class caps 40 / 45 and its own targets, citing its 2012 document; the rest national."""
    js = ee.get_standard("jiangsu-quality")
    assert js.class_size is not None
    assert dict(js.class_size.maximum) == {ee.Stage.PRIMARY: 40, ee.Stage.JUNIOR: 45}
    assert js.class_size.citation.document == "苏政办发〔2012〕36号"
    assert js.class_size.citation.confidence is Confidence.SECONDARY
    items = {i.id: (i.op, i.value, i.citation.document) for i in js.county_items}
    doc = "苏政办发〔2012〕36号"
    assert items["junior_retention_rate"] == (Op.GE, 0.99, doc)
    assert items["disabled_enrollment_rate"] == (Op.GE, 0.98, doc)
    assert items["migrant_children_public_rate"] == (Op.GE, 0.90, doc)
    assert items["quota_allocation_rate"] == (Op.GE, 0.70, doc)
    assert items["school_choice_intake_rate"] == (Op.LT, 0.10, doc)
    national = ee.get_standard("cn-quality-2017")
    assert js.balance == national.balance
    assert js.school_standard == national.school_standard
    assert items["years_since_basic_balance"] == (Op.GE, 3, "教督〔2017〕6号")


def _ruleset(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "province.toml"
    path.write_text(
        'schema = 1\nid = "p"\nextends = "cn-quality-2017"\ntitle_zh = "某省"\n'
        'title_en = "A province"\n\n[sources.province]\nissuer = "某省教育厅"\n'
        'title = "某省实施办法"\nyear = 2020\n\n' + body,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[balance]\nmaximum = { primary = -0.4, junior = 0.45 }\nsource = "province"\n',
            r"province\.toml: \[balance\.maximum\] field 'primary' must be above 0 and at most 2",
        ),
        (
            '[balance]\nmaximum = { primary = 0.5, junior = 7 }\nsource = "province"\n',
            r"\[balance\.maximum\] field 'junior' must be above 0 and at most 2\. Got 7",
        ),
        (
            '[balance]\nmaximum = { primary = 0.40, junior = 0.45 }\nsource = "measures"\n',
            r"\[balance\] field 'source' names the source of the value this ruleset changes",
        ),
        (
            '[[county_items]]\nid = "teacher_rotation_rate"\nvalue = 1.5\nsource = "province"\n',
            r"field 'value' must be a fraction from 0 to 1",
        ),
    ],
)
def test_thresholds_out_of_range_or_miscited_are_refused(
    tmp_path: Path, body: str, message: str
) -> None:
    """A CV maximum outside (0, 2], a rate above 1, or a changed value citing the parent's
    own source: an error naming the file, the table and the field."""
    with pytest.raises(RulesetError, match=message):
        ee.load_ruleset(_ruleset(tmp_path, body))


def test_a_changed_value_cites_its_own_source_only(tmp_path: Path) -> None:
    """A maximum changed to 0.40 with its own source no longer carries the parent's clause
    ("小学均小于或等于0.50")."""
    body = '[balance]\nmaximum = { primary = 0.40, junior = 0.45 }\nsource = "province"\n'
    standard = ee.load_ruleset(_ruleset(tmp_path, body))
    citation = standard.balance.citation
    assert citation.issuer == "某省教育厅"
    assert "0.50" not in str(citation)
    assert ee.get_standard("cn-quality-2017").balance.citation.clause.count("0.50") == 1
    # Nor the parent's reading of its own clause (2017's 逐项判断…), which is not the province's.
    assert ee.get_standard("cn-quality-2017").balance.citation.reading_zh
    assert not citation.reading
    assert not citation.reading_zh
    assert "本工具的理解" not in citation.text("zh")
