"""Short reprs, notebook HTML and Arrow streams of every public object built from the samples."""

from __future__ import annotations

import enum
import html.parser
import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pyarrow as pa
import pytest

import eduequity as ee
from eduequity import batch
from eduequity._display_html import MAX_ROWS
from eduequity._moved import PUBLIC_MODULES
from eduequity._planning.result import PlanTables
from eduequity.batch import read_schools
from eduequity.batch._columnmap import column_map

#: Public classes that are not results or records: enums, errors and protocols.
NOT_RECORDS = {"PlanView"}


def public_classes() -> dict[str, type]:
    """Every class named in the ``__all__`` of the public modules (enums and errors aside)."""
    found: dict[str, type] = {}
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            value = getattr(module, attr)
            if not inspect.isclass(value) or issubclass(value, enum.Enum | Exception):
                continue
            if value.__name__ in NOT_RECORDS:
                continue
            found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


@pytest.fixture(scope="module")
def samples() -> dict[str, Any]:
    """Every public result and record, built from the sample county and the sample panel."""
    county = ee.datasets.sample_county()
    panel = ee.datasets.sample_panel()
    year = panel.filter(pa.compute.equal(panel.column("year"), 2023)).drop_columns(["year"])
    q17 = ee.get_standard("cn-quality-2017")
    result = ee.evaluate(county, q17)
    result12 = ee.evaluate(county, "cn-basic-2012")
    from eduequity._planning.costs import COST_NAMES

    # Invented unit costs: a yuan for every resource a plan may add.
    costs = ee.Costs(
        yuan=dict.fromkeys(COST_NAMES, 1.0), source=dict.fromkeys(COST_NAMES, "invented")
    )
    plan = ee.plan(county, q17, costs=costs)
    batch_plan = batch.plan_table(year, q17)
    monitoring = ee.monitor(panel, "cn-basic-2012")
    read = read_schools(year)
    evaluation = result.evaluation
    assert evaluation is not None
    stage = result.stages["primary"]
    report = ee.report.county_reports(evaluation)[0]
    school_standard = ee.datasets.sample_school_standard()
    built: dict[str, Any] = {
        "EvaluationResult": result,
        "EvaluationResult 2012": result12,
        "StageResult": stage,
        "StageMapping": result.stages,
        "IndicatorCV": next(iter(stage.cvs.values())),
        "ComponentResult": next(iter(result.components.values())),
        "SchoolRuleResult": result.school_rules[0],
        "SchoolStatus": result.schools[0],
        "Shortfall": result.shortfalls[0],
        "Finding": result.findings[0],
        "ClassSizeReport": result.class_sizes,
        "StaffingReport": result.staffing,
        "StaffingCheck": ee.rules.check_staffing([380, 381], [20, 20], 19),
        "Plan": plan,
        "PlanTables": PlanTables(plan.arrays),
        "PlanArrays": plan.arrays,
        "Addition": plan.arrays.additions[0],
        "Costs": costs,
        "BatchResult": batch.evaluate_table(year, "cn-basic-2012"),
        "BatchPlan": batch_plan,
        "Reading": batch.Reading(),
        "SchoolsRead": read,
        "ReadRecord": read.record,
        "ValidTable": batch.validate_table(year),
        "ColumnMap": column_map("census"),
        "Monitoring": monitoring,
        "Year": monitoring.by_year[2023],
        "Evaluation": evaluation,
        "SchoolColumns": evaluation.columns,
        "ClassSizes": evaluation.columns.class_sizes[ee.Stage.PRIMARY],
        "CountyReport": report,
        "StageReport": report.stages[0],
        "Standard": q17,
        "Standard 2012": ee.get_standard("cn-basic-2012"),
        "SchoolStandard": school_standard,
        "SchoolMinimum": school_standard.minimums[0],
        "Citation": q17.citation,
        "Component": q17.components[0],
        "Scope": q17.scope,
        "BalanceRule": q17.balance,
        "NumeratorChoice": ee.standards.NumeratorChoice("staff", q17.citation),
        "CountyItem": q17.county_items[0],
        "SchoolStandardSlot": ee.get_standard("cn-basic-2012").school_standard_slot,
        "StandardInfo": ee.list_standards()[0],
        "County": county,
        "School": county.schools[0],
        "StageData": county.schools[0].primary,
        "Indicator": ee.INDICATORS["room_area_per_student"],
        "SplitWeights": q17.split_weights,
        "GroupIndex": ee.GroupIndex.single(3),
        "CVBoundCheck": ee.rules.check_cv_bound([[0.2, 0.3]], 0.5),
        "SchoolRuleCheck": ee.rules.check_school_rule([[5.0, 1.0]], [4.0, 4.0], min_met=1),
        "RoomsCheck": ee.rules.check_rooms([2, 1], [24, 13]),
        "RoomAreaCheck": ee.rules.check_room_area([200.0], [2], 96.0),
        "ClassSizeCheck": ee.rules.check_class_sizes(
            evaluation.columns.class_sizes[ee.Stage.PRIMARY], 45
        ),
        "ColumnLabel": batch.column_label("school_id"),
        "CountyInputsRead": batch.read_county_inputs(
            pa.table({"county_code": ["320102"], "satisfaction_rate": [0.92]})
        ),
        "WeightedMoments": ee.grouped_weighted_moments(
            [1.0, 2.0, 3.0], [1.0, 1.0, 2.0], ee.GroupIndex.single(3)
        ),
    }
    return built


def every_record(samples: dict[str, Any]) -> Iterator[Any]:
    """The samples, and every finding, school, shortfall and stage part of the evaluations."""
    yield from samples.values()
    for key in ("EvaluationResult", "EvaluationResult 2012"):
        r = samples[key]
        yield from r.findings
        yield from r.schools
        yield from r.shortfalls
        yield from r.school_rules
        yield from r.components.values()
        yield from r.stages.values()
        for s in r.stages.values():
            yield from s.cvs.values()
    for school in samples["County"].schools:
        yield school
        yield school.primary
        yield school.junior
    for info in ee.list_standards():
        yield ee.get_standard(info.id)


def test_every_public_class_has_a_sample(samples: dict[str, Any]) -> None:
    """The samples cover every public class of the API (a new class needs its sample here)."""
    built = {type(v) for v in samples.values()}
    missing = sorted(name for name, cls in public_classes().items() if cls not in built)
    assert missing == []


def test_every_repr_is_short(samples: dict[str, Any]) -> None:
    """No public object's repr exceeds 1,000 characters or a few lines."""
    too_long = []
    for obj in every_record(samples):
        text = repr(obj)
        if len(text) > 1000 or text.count("\n") > 5:
            too_long.append((type(obj).__name__, len(text), text[:80]))
    assert too_long == []


def test_county_of_forty_schools_does_not_print_them() -> None:
    """A County's repr counts its schools and names none of them."""
    county = ee.datasets.sample_county()
    extra = [attrs.evolve(county.schools[0], id=f"990101-X{i:02d}") for i in range(2)]
    forty = attrs.evolve(county, schools=(*county.schools, *extra))
    text = repr(forty)
    assert "40 schools" in text
    assert not any(s.id in text for s in forty.schools)
    assert "990101" in text


def test_results_say_what_county_and_verdict(samples: dict[str, Any]) -> None:
    """The first line of a result names it, its county or size and its verdict."""
    first = {k: repr(samples[k]).splitlines()[0] for k in samples}
    assert first["EvaluationResult"] == (
        "EvaluationResult: county 990101 样例县 (synthetic sample county), "
        "standard cn-quality-2017: failed"
    )
    assert first["Plan"].startswith("Plan: county 990101 ")
    assert first["Plan"].endswith("passes every rule the plan covers once the additions are made")
    assert first["BatchResult"] == (
        "BatchResult under cn-basic-2012: 8 counties, 322 schools (282 in scope)"
    )
    assert first["Monitoring"].startswith("Monitoring under cn-basic-2012: 5 years (2019–2023)")
    assert "2 slides" in first["Monitoring"]
    assert first["Standard"].startswith("Standard cn-quality-2017: 教督〔2017〕6号 (2017)")
    assert repr(samples["StageMapping"]) == "StageMapping(primary: failed, junior: failed)"


class _Tags(html.parser.HTMLParser):
    """Checks that tags nest and close; counts table rows and notes the first paragraph."""

    VOID = frozenset({"br", "hr", "img", "meta"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.rows: list[int] = []
        self.first_p: tuple[str, str] | None = None
        self._in_p: str | None = None

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "tbody":
            self.rows.append(0)
        if tag == "tr" and "tbody" in self.stack:
            self.rows[-1] += 1
        if tag == "p" and self.first_p is None:
            self._in_p = dict(attrs_).get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1:] == [tag], (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_p is not None:
            self.first_p = (self._in_p, data)
            self._in_p = None


@pytest.mark.parametrize("key", ["Plan", "BatchPlan", "Monitoring", "Standard", "Standard 2012"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_views_render(samples: dict[str, Any], key: str, lang: str) -> None:
    """The HTML is well formed, starts with the verdict and shows at most MAX_ROWS rows."""
    with ee.set_options(lang=lang):
        text = samples[key]._repr_html_()
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert parser.stack == []
    assert parser.rows
    assert all(0 < n <= MAX_ROWS for n in parser.rows)
    assert parser.first_p is not None
    assert "verdict" in parser.first_p[0]
    assert len(text) < 10_000


def test_html_verdicts(samples: dict[str, Any]) -> None:
    """Each view's first line says the verdict, in the language asked for."""
    assert "passes every rule the plan covers" in samples["Plan"]._repr_html_()
    assert (
        "16 of 16 county stages pass every rule the plan covers afterwards"
        in samples["BatchPlan"]._repr_html_()
    )
    assert "2 slides, 7 early warnings" in samples["Monitoring"]._repr_html_()
    with ee.set_options(lang="zh"):
        assert "滑坡 2 个，预警 7 个" in samples["Monitoring"]._repr_html_()
        assert (
            "16 个学段（按县区分学段计）中，规划后 16 个达到规划所涵盖的全部要求"
            in samples["BatchPlan"]._repr_html_()
        )
    # The batch plan has 16 county stages: 12 are shown, and the rest counted.
    assert "… 4 more rows" in samples["BatchPlan"]._repr_html_()


#: Each result with one main table, and that table.
STREAMS: dict[str, Callable[[Any], pa.Table]] = {
    "EvaluationResult": lambda r: r.to_arrow(),
    "BatchResult": lambda r: r.counties,
    "Plan": lambda p: p.additions,
    "PlanTables": lambda p: p.additions,
    "BatchPlan": lambda p: p.additions,
    "Monitoring": lambda m: m.panel,
}


@pytest.mark.parametrize("key", sorted(STREAMS))
def test_arrow_stream_is_the_main_table(samples: dict[str, Any], key: str) -> None:
    """pyarrow, polars and pandas read a result as its main table, in one step."""
    pd = pytest.importorskip("pandas")  # both in the test extra
    pl = pytest.importorskip("polars")
    obj = samples[key]
    table = STREAMS[key](obj)
    assert pa.table(obj).equals(table)
    assert pl.DataFrame(obj).equals(pl.from_arrow(table))
    assert pa.table(obj).to_pandas().equals(table.to_pandas())
    if hasattr(pd.DataFrame, "from_arrow"):  # pandas >= 3.0
        assert pd.DataFrame.from_arrow(obj).equals(table.to_pandas())


def test_stage_repr_counts_the_cvs_computed_apart_from_those_not() -> None:
    """A stage whose backbone teachers are not reported says its CVs above the bound out of
    those computed, and how many were not: "0 of 7 above" would read as a clean pass."""
    table = batch.table_from_counties([ee.datasets.sample_county()])
    at = table.schema.get_field_index("teachers_backbone_primary")
    table = table.set_column(
        at, "teachers_backbone_primary", pa.nulls(table.num_rows, pa.float64())
    )
    result = batch.evaluate_table(table, "cn-quality-2017", nulls="not_reported").result("990101")
    primary, junior = repr(result.stages["primary"]), repr(result.stages["junior"])
    assert "CVs not evaluated" in primary
    assert primary.endswith("0 of 6 computed above, 1 not computed")
    assert junior.endswith("1 of 7 computed above")
