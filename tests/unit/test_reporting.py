"""Reports (text, Markdown, HTML, JSON), notebook display and Arrow export of results."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import batch
from eduequity._schema import RESOURCE_NAMES
from eduequity.report import render, write_reports
from eduequity.rules import format_cv


@pytest.fixture(scope="module")
def county() -> ee.County:
    return ee.datasets.sample_county()


@pytest.fixture(scope="module")
def result(county: ee.County) -> ee.EvaluationResult:
    return ee.evaluate(county, "cn-quality-2017")


@pytest.fixture(scope="module")
def batch_result(county: ee.County) -> batch.BatchResult:
    return batch.evaluate_table(batch.table_from_counties([county]), "cn-quality-2017")


class _Outline(HTMLParser):
    """Tags in document order, with the class and the text of each element."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((tag, dict(attrs).get("class") or ""))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


def test_html_report_is_one_self_contained_page_verdict_first(
    result: ee.EvaluationResult,
) -> None:
    """The HTML report is one self-contained page with the verdict before the details."""
    page = render(result, "html", "en")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert 'src="http' not in page
    assert "href=" not in page
    o = outline(page)
    tags = [t for t, _ in o.events]
    verdict = tags.index("p", tags.index("h2"))
    assert o.events[verdict] == ("p", "verdict failed")
    first_stage_table = tags.index("table", verdict)
    assert tags.index("h3") > first_stage_table  # components come before the stages
    assert tags.count("svg") == 2  # per stage, the CVs (the schools' values are a table)
    text = "".join(o.text)
    for stage in result.stages.values():
        for cv in stage.cvs.values():
            assert format_cv(cv.cv) in text


def test_html_without_charts_has_tables_only(result: ee.EvaluationResult) -> None:
    """Without charts the HTML report has tables and no SVG."""
    page = render(result, "html", "zh", charts=False)
    assert "<svg" not in page
    assert 'lang="zh-CN"' in page
    assert "结论" in page


def test_cv_status_cells_follow_the_evaluations_findings(result: ee.EvaluationResult) -> None:
    """A failed CV is shown failed; its row carries the official finding's verdict."""
    failing = [
        f for f in result.findings if f.rule_id.startswith("balance.cv.") and f.status != "passed"
    ]
    assert failing  # the sample county fails a junior CV
    md = render(result, "md", "en")
    for f in failing:
        assert f.indicator is not None
        name = ee.get_indicator(f.indicator).name_en
        line = next(
            ln for ln in md.splitlines() if ln.startswith(f"| {name} | {format_cv(f.measured)}")
        )
        assert line.endswith(f"| {f.status.name_en} |")


def test_markdown_lists_shortfalls_in_units(result: ee.EvaluationResult) -> None:
    """The Markdown report lists each school's shortfall with its resource (by name) and
    unit."""
    md = render(result, "md", "en")
    sf = result.shortfalls[0]
    row = next(ln for ln in md.splitlines() if ln.startswith(f"| {sf.school_id} |"))
    assert f"{RESOURCE_NAMES[sf.resource][1]} {sf.quantity:g} {sf.unit_en}" in row
    assert sf.unit_en in row


def test_both_doors_give_the_same_report_data(
    result: ee.EvaluationResult, batch_result: batch.BatchResult
) -> None:
    """A report from either door carries the same summary, statuses and problems."""
    a = json.loads(render(result, "json"))
    b = json.loads(render(batch_result, "json"))
    assert a["summary"] == b["summary"]
    for key in ("county_name", "status", "components", "stages"):
        assert a["counties"][0][key] == b["counties"][0][key]
    assert b["counties"][0]["county_name"] == result.county_name
    problems_a = sorted(p["message_en"] for p in a["counties"][0]["problems"])
    problems_b = sorted(p["message_en"] for p in b["counties"][0]["problems"])
    assert problems_a == problems_b


def test_json_carries_unrounded_cvs(result: ee.EvaluationResult) -> None:
    """The JSON report keeps the unrounded CVs."""
    doc = json.loads(render(result, "json"))
    stage = doc["counties"][0]["stages"][0]
    expected = result.stages[stage["stage"]]
    assert stage["cvs"] == {k: v.cv for k, v in expected.cvs.items()}


def test_text_report_and_bad_arguments(result: ee.EvaluationResult) -> None:
    """The text report renders; an unknown format or language is refused."""
    lines = [ln for ln in render(result, "text", "en").splitlines() if ln.strip()]
    heading = lines.index(f"County {result.county_name} ({result.county_code})")
    assert lines[heading + 2] == "Verdict: failed"  # after the heading's underline
    with pytest.raises(ValueError, match="format must be one of"):
        render(result, "pdf")
    with pytest.raises(ValueError, match="lang must be"):
        render(result, "md", "fr")


def test_report_of_many_counties_is_a_summary_row_per_county_and_stage(tmp_path: Path) -> None:
    """A report of many counties is a summary, one row per county and stage; with per_county
    each county's own report is written beside it and linked from its rows."""
    base = ee.datasets.sample_county()
    counties = [base, ee.County(code="990102", name="b", schools=base.schools)]
    out = batch.evaluate_table(batch.table_from_counties(counties), "cn-basic-2012")
    md = render(out, "md", "en")
    assert "2 counties" in md
    assert "## County " not in md
    assert md.count(f"| {base.name} (990101) |") == 2
    assert md.count("| b (990102) |") == 2
    written = write_reports(out, tmp_path, "md", "en", per_county=True)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "report.md",
        "counties/990101.md",
        "counties/990102.md",
    ]
    summary = written[0].read_text(encoding="utf-8")
    assert summary.count("](counties/990102.md) |") == 2
    one = written[2].read_text(encoding="utf-8")
    assert "## County b (990102)" in one
    assert one == render(ee.evaluate(counties[1], "cn-basic-2012"), "md", "en")


def test_the_summary_does_not_count_classes_no_school_reported() -> None:
    """Large classes are counted over the schools that reported their classes: where none of a
    stage's did, the summary says the figure is missing (not 0), and a column says how many
    schools did not report, as the counties table does."""
    base = ee.datasets.sample_county()
    counties = [base, ee.County(code="990102", name="b", schools=base.schools)]
    table = batch.table_from_counties(counties)
    listed = table.column("class_sizes_junior").to_pylist()
    b_rows = [i for i, c in enumerate(table.column("county_code").to_pylist()) if c == "990102"]
    for i in b_rows:
        listed[i] = None
    table = table.set_column(
        table.column_names.index("class_sizes_junior"),
        "class_sizes_junior",
        pa.array(listed, table.schema.field("class_sizes_junior").type),
    )
    out = batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported")
    by_stage = {
        (r["county_code"], r["stage"]): r["n_schools_classes_not_reported"]
        for r in out.counties.to_pylist()
    }
    md = render(out, "md", "zh")
    header = next(line for line in md.splitlines() if line.startswith("| 县（区） |"))
    assert header.rstrip(" |").endswith("大班额班数 | 超大班额班数 | 未填报班额的学校数")
    rows = {
        line.split("|")[3].strip(): [c.strip() for c in line.strip("|").split("|")]
        for line in md.splitlines()
        if line.startswith("| b (990102) |")
    }
    assert rows["初中"][-3:] == ["缺数据", "缺数据", str(by_stage[("990102", "junior")])]
    assert rows["小学"][-1] == "0"
    assert rows["小学"][-3] == str(
        next(
            r["classes_large"]
            for r in out.counties.to_pylist()
            if (r["county_code"], r["stage"]) == ("990102", "primary")
        )
    )


def test_a_wide_text_table_names_its_columns_and_sorting_is_for_html_only() -> None:
    """Too wide for columns, a text table becomes items; its first item is the headers, so
    a reader knows what each place holds (an empty cell is a dash). Only HTML tables sort,
    so only HTML says how."""
    base = ee.datasets.sample_county()
    counties = [base, ee.County(code="990102", name="b", schools=base.schools)]
    out = batch.evaluate_table(batch.table_from_counties(counties), "cn-quality-2017")
    lines = render(out, "text", "zh").splitlines()
    key = next(k for k, line in enumerate(lines) if line.startswith("  [县（区）] 结论 · 学段"))
    rule = next(k for k in range(key, len(lines)) if set(lines[k].strip()) == {"-"})
    first_row = lines[rule + 1]
    assert first_row.startswith(f"  [{base.name} (990101)] ")
    # Each place of a row holds the column the key names at that place.
    headers = " · ".join(line.strip() for line in lines[key:rule]).split(" · ")
    cells = " · ".join(line.strip() for line in lines[rule + 1 : rule + 3]).split(" · ")
    assert headers[2:5] == ["资源配置", "差异系数（结果）", "学校达标（结果）"]
    assert cells[1:5] == ["小学", "未达标", "达标", "27 所未达标"]
    assert "点击列标题" not in "\n".join(lines)
    assert "点击列标题可按该列排序。" in render(out, "html", "zh")


def test_repr_html_is_compact_and_follows_the_lang_option(result: ee.EvaluationResult) -> None:
    """The notebook display is compact, verdict first, in the language of the lang option."""
    page = result._repr_html_()
    assert "<svg" not in page
    assert "<h2" not in page
    assert page.index("Verdict failed") < page.index("Resource allocation")
    previous = ee.set_options(lang="zh")
    try:
        assert "未达标" in result._repr_html_()
    finally:
        ee.set_options(**previous)
    assert ee.get_option("lang") == "en"


def test_no_school_judged_is_not_no_school_failing(county: ee.County) -> None:
    """cn-basic-2012 without the province's school standard judges no school: the repr, the
    notebook display and the plan's report say the school rule was not evaluated, where they
    said "0 stage parts failing the school rule; 0 shortfalls", "Schools that must add
    resources: 0" and "Schools failing today: none" (read as nothing to fix)."""
    result = ee.evaluate(county, "cn-basic-2012")
    assert "the school rule not evaluated: no failing school or shortfall known" in repr(result)
    assert "0 shortfalls" not in repr(result)
    assert "Schools that must add resources: not evaluated" in result._repr_html_()
    previous = ee.set_options(lang="zh")
    try:
        assert "需补足资源的学校：未评估" in result._repr_html_()
    finally:
        ee.set_options(**previous)
    plan = ee.plan(county, "cn-basic-2012")
    text = ee.report.render_plan(plan, "text")
    failing = text[text.index("Schools failing today") :].split("\n\n")[1]
    assert failing.startswith("Not evaluated: the province's school standard was not given")
    # The 2012 maximum bounds the composite only: beside it, and beside no single CV.
    table = text[text.index("CVs before and after") :].split("\n\n")[3].splitlines()
    assert [line.rstrip().endswith("0.65") for line in table[2:]] == [False] * 8 + [True]
    assert table[-1].lstrip().startswith("Composite CV")
    # With the 2017 standard, which judges every school, the counts are given.
    judged = ee.evaluate(county, "cn-quality-2017")
    assert "failing the school rule;" in repr(judged)


def test_batch_repr_html(batch_result: batch.BatchResult) -> None:
    """A batch result's notebook display names the standard and the counties."""
    page = batch_result._repr_html_()
    assert "cn-quality-2017" in page
    assert "990101" in page


def test_options_reject_unknown_values() -> None:
    """set_options refuses unknown options and values."""
    with pytest.raises(ValueError, match="lang must be one of"):
        ee.set_options(lang="fr")
    with pytest.raises(KeyError, match="unknown option"):
        ee.set_options(colour="red")


def test_to_arrow_tables(result: ee.EvaluationResult, batch_result: batch.BatchResult) -> None:
    """to_arrow gives the findings, counties, schools and warnings tables of a result: one
    row per stage in the counties table, one per stage part of an included school and per
    excluded school in the schools table."""
    findings = result.to_arrow()
    assert findings.num_rows == len(result.findings)
    assert findings.schema == batch_result.findings_for().schema
    stages = result.to_arrow("counties")
    assert stages.column("stage").to_pylist() == ["primary", "junior"]
    schools = result.to_arrow("schools")
    assert schools.num_rows == sum(len(s.stages) if s.included else 1 for s in result.schools)
    assert isinstance(schools, pa.Table)
    assert result.to_arrow("data_warnings").column_names == batch_result.data_warnings.column_names
    with pytest.raises(ValueError, match="to_arrow: table must be"):
        result.to_arrow("classes")


def test_json_speaks_the_language_asked_for(result: ee.EvaluationResult) -> None:
    """The JSON report names its language, the standard's title and each problem's message in
    it (both messages stay, by their own keys)."""
    zh, en = (json.loads(render(result, "json", lang)) for lang in ("zh", "en"))
    assert (zh["lang"], en["lang"]) == ("zh", "en")
    assert zh["standard"]["title"] == "县域义务教育优质均衡发展督导评估办法"
    first_zh, first_en = zh["counties"][0]["problems"][0], en["counties"][0]["problems"][0]
    assert first_zh["message"] == first_zh["message_zh"]
    assert first_en["message"] == first_en["message_en"]


def test_county_report_data_warnings() -> None:
    """CountyReport.data_warnings holds the figures to check; .warnings is deprecated."""
    result = ee.evaluate(ee.datasets.sample_county(), "cn-basic-2012")
    report = ee.report.county_reports(result)[0]
    with pytest.warns(DeprecationWarning, match="CountyReport.data_warnings"):
        old = report.warnings
    assert old == report.data_warnings


@pytest.mark.parametrize(
    ("standard", "lang", "said"),
    [
        (
            "cn-quality-2017",
            "zh",
            "纳入评估的学校：除特殊教育学校、职业学校和学生数不足50人的教学点外",
        ),
        (
            "cn-quality-2017",
            "zh",
            "均纳入。（本工具的理解：民办学校是否纳入未经证实，此处纳入）",
        ),
        (
            "cn-quality-2017",
            "en",
            "(as read here: whether private schools count is unconfirmed: they are included here)",
        ),
        ("cn-basic-2012", "zh", "纳入评估的学校：县级人民政府举办的公办学校"),
    ],
)
def test_every_report_says_which_schools_count(standard: str, lang: str, said: str) -> None:
    """Under the title, the schools the standard counts, as its scope's clause says (under 2017
    that private schools are counted, which no source confirms), in a county's page and in a
    summary of many counties."""
    one = ee.evaluate(ee.datasets.sample_county(), standard)
    base = ee.datasets.sample_county()
    many = batch.evaluate_table(
        batch.table_from_counties([base, ee.County(code="990102", name="b", schools=base.schools)]),
        standard,
    )
    for page in (render(one, "text", lang), render(many, "md", lang)):
        assert said in page
        assert page.index(said) < page.index("990101")


def test_a_verbatim_clause_holds_only_the_sources_words() -> None:
    """A citation labelled verbatim ([原文], primary) holds the source's words; the library's
    reading of it (unconfirmed choices) follows the label, marked as its own."""
    from eduequity.standards import get_standard

    std = get_standard("cn-quality-2017")
    cited = std.balance.citation
    assert cited.clause_zh == "校际差异系数：小学均小于或等于0.50，初中均小于或等于0.45"
    text = cited.text("zh")
    assert text.index("[原文]") < text.index("本工具的理解：逐项判断")
    from collections.abc import Mapping

    import attrs

    from eduequity.standards import Citation

    def citations(obj: object) -> list[Citation]:
        """Every citation of a standard, through its attrs classes, mappings and sequences."""
        if isinstance(obj, Citation):
            return [obj]
        if attrs.has(type(obj)):
            kind: Any = type(obj)
            return [c for f in attrs.fields(kind) for c in citations(getattr(obj, f.name))]
        if isinstance(obj, Mapping):
            return [c for v in obj.values() for c in citations(v)]
        if isinstance(obj, list | tuple):
            return [c for v in obj for c in citations(v)]
        return []

    for name in ("cn-basic-2012", "cn-quality-2017", "jiangsu-quality"):
        found = citations(get_standard(name))
        assert len(found) > 10
        for citation in found:
            if citation.confidence.value == "primary":
                assert "未经证实" not in citation.clause_zh, citation.clause_zh
                assert "unconfirmed" not in citation.clause, citation.clause


def test_a_stage_says_the_schools_the_rule_could_not_judge(county: ee.County) -> None:
    """Every school well above the 2017 minimums but two primary schools: one lacks its
    equipment value (the rule cannot judge it), one is short of rooms and books (fails). The
    stage says both, where it said only "1 所未达标"; without the failing school, "1 所未评估"."""

    def rich(school: ee.School) -> ee.School:
        def stage(d: Any) -> Any:
            if d is None:
                return None
            n = d.enrollment
            return attrs.evolve(
                d,
                teachers=n,
                staff=n,
                teachers_above_qualification=n,
                teachers_intermediate_title=n,
                teachers_backbone=n,
                teachers_pe_arts=n,
            )

        return attrs.evolve(
            school,
            primary=stage(school.primary),
            junior=stage(school.junior),
            room_area=1e6,
            sports_area=1e6,
            equipment_value=1e7,
            computers=1e5,
            books=1e7,
            multimedia_rooms=1e3,
        )

    schools = [rich(s) for s in county.schools]
    primary = [i for i, s in enumerate(schools) if s.primary is not None and s.junior is None]
    unknown, short = primary[:2]
    schools[unknown] = attrs.evolve(schools[unknown], equipment_value=None)
    failing = list(schools)
    failing[short] = attrs.evolve(schools[short], room_area=1.0, books=1.0)
    text = ee.report.render(ee.evaluate(attrs.evolve(county, schools=failing), "cn-quality-2017"))
    assert "primary: CVs: failed, Schools meeting the rule: 1 failing, 1 not evaluated;" in text
    zh = ee.report.render(
        ee.evaluate(attrs.evolve(county, schools=failing), "cn-quality-2017"), lang="zh"
    )
    assert "学校达标：1 所未达标，1 所未评估" in zh
    alone = ee.evaluate(attrs.evolve(county, schools=schools), "cn-quality-2017")
    assert "Schools meeting the rule: 1 not evaluated" in ee.report.render(alone)
    # The summary of several counties says the same of each.
    two = [attrs.evolve(county, schools=failing), attrs.evolve(county, code="990102")]
    summary = ee.report.render(
        batch.evaluate_table(batch.table_from_counties(two), "cn-quality-2017"), lang="zh"
    )
    assert "1 所未达标，1 所未评估" in summary
