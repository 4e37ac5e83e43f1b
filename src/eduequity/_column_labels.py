"""The columns of the result tables in Chinese and English, and how each is shown.

One catalogue for every column of the tables the doors return (counties, schools, findings,
warnings), of a plan (additions, counties, totals, not_in_plan, years, transfers) and of a
monitoring (panel, slides, warnings, summary, school_changes). A label is built from the names
that already exist elsewhere, never written twice: the words of the reports
(``LABELS``), the indicator catalogue
(:data:`eduequity.INDICATORS`), the Chinese headers of the school table
(:data:`~eduequity.batch.COLUMNS`), the built-in standards' components and the statuses
(:class:`eduequity.Status`).

Each column also has a *display*: how a table for people shows its values
(:func:`eduequity.batch.display_table`, which
:func:`eduequity.batch.write_tables` applies):

====================  ==========================================================================
``cv``                a coefficient of variation: 3 decimals, as the national application form
                      prints them
``per_pupil``         a per-school or county value of an indicator: 2 decimals, as the form
                      prints them
``ratio``             a value of an indicator of teachers per pupil (师生比 and the other
                      生均…教师数, e.g. 0.0552): 4 decimals, so that two schools' figures
                      stay apart and a CV can be checked from them; the label says it is
                      teachers per pupil
``growth``            a growth from one year to the next, a fraction: 4 decimals (a percentage
                      to 2 decimals)
``finding``           ``measured`` and ``threshold`` of the findings: 3 decimals on the rows of a
                      CV (level ``stage``), 2 on the rows of a school's indicator value (level
                      ``school`` with an indicator; 4 for teachers per pupil), unrounded on
                      the other rows (counts, areas, county rates)
``status``            a status: 达标 / 未达标 / 未评估 / 不适用 in Chinese, as the reports say
``stage``, ``kind``   the stage (小学 / 初中) or the school kind in Chinese
``level``             what a finding is about: 县 / 学段 / 学校 / 班级 in Chinese
``component``         a component of a built-in standard, by its Chinese name
``indicator``         an indicator, by its Chinese name
``confidence``,       a source's confidence, a standard's way of judging the CVs, a resource,
``method``,           a plan's reason for an addition or why a rule is not in the plan, an
``resource``,         input column (by the forms' header), a monitoring warning's kind and
``plan_reason``,      coefficient, a rule a plan leaves: in Chinese, in the words the reports,
``plan_rule``,        the standards and the plans use
``why``, ``column``,
``warning_kind``,
``coefficient``
``amount``            an amount to add (a shortfall, a plan's quantity or cost): rounded to 2
                      decimals and written as a number (12719.11, 2), without the noise of
                      binary fractions (1696.3700000000001)
``scope_reason``      why a school is not evaluated: 民办学校不纳入评估, … in Chinese
``yes_no``            a true/false column: 是 / 否 in Chinese
``citation``          a source as the findings table writes it: in Chinese, its Chinese clause
                      and confidence, where it is a source of a built-in standard
``plain``             shown as it is
====================  ==========================================================================

Rounding is half up on the decimal value (:func:`eduequity.round_half_up`), for display only:
the verdicts were made on the unrounded values, which Parquet files keep.

Examples
--------
>>> from eduequity._column_labels import column_label
>>> column_label("cv_room_area_per_student").zh
'生均教学及辅助用房面积差异系数'
>>> column_label("county_code").zh, column_label("status", "counties").zh
('行政区划代码', '学段结论')
>>> column_label("composite_cv_after").zh, column_label("composite_cv_after").display
('综合差异系数（规划后）', 'cv')
>>> column_label("no_such_column") is None
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import attrs

from eduequity._errors import ArgumentError
from eduequity._indicators import INDICATORS
from eduequity._not_in_plan import RULE_NAMES
from eduequity._schema import _PEOPLE_ZH, COLUMNS, RESOURCE_NAMES
from eduequity._status import Status
from eduequity.report._labels import LABELS, status_label
from eduequity.standards import get_standard, list_standards

__all__ = [
    "DISPLAYS",
    "LEVEL_NAMES",
    "PER_PUPIL_RATIOS",
    "ColumnLabel",
    "column_label",
    "column_labels",
    "components",
]

#: The displays a column can have (see the module docstring), with the decimals of the
#: rounded ones.
DISPLAYS: Mapping[str, int | None] = {
    "cv": 3,
    "per_pupil": 2,
    "ratio": 4,
    "growth": 4,
    "finding": None,
    "status": None,
    "stage": None,
    "kind": None,
    "level": None,
    "component": None,
    "indicator": None,
    "confidence": None,
    "method": None,
    "resource": None,
    "plan_reason": None,
    "plan_rule": None,
    "why": None,
    "column": None,
    "warning_kind": None,
    "coefficient": None,
    "citation": None,
    "yes_no": None,
    "scope_reason": None,
    "area": None,
    "amount": 2,
    "plain": None,
}


#: The indicators of teachers per pupil (a fraction like 0.0552, shown to 4 decimals), with
#: what their Chinese label adds to say what the figure is.
PER_PUPIL_RATIOS: Mapping[str, str] = {
    "teachers_per_student": "（专任教师数÷在校生数）",
    "teachers_above_qualification_per_student": "（教师数÷在校生数）",
    "teachers_intermediate_title_per_student": "（教师数÷在校生数）",
}


#: What a finding is about (:class:`eduequity.Level`), in Chinese and English.
LEVEL_NAMES: Mapping[str, tuple[str, str]] = {
    "county": ("县", "county"),
    "stage": (LABELS["zh"]["stage"], "stage"),
    "school": (LABELS["zh"]["school"], "school"),
    "class": ("班级", "class"),
}


@attrs.frozen
class ColumnLabel:
    """A column of a result table: its canonical name, its labels and its display."""

    name: str
    zh: str
    en: str
    display: str = attrs.field(default="plain")

    @display.validator
    def _check_display(self, attribute: object, value: str) -> None:
        if value not in DISPLAYS:
            raise ArgumentError(f"ColumnLabel {self.name!r}: unknown display {value!r}.")

    def text(self, lang: str) -> str:
        """The label in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.zh if lang == "zh" else self.en


_ZH, _EN = LABELS["zh"], LABELS["en"]
_HEADER_ZH = {c.name: c.aliases[0] for c in COLUMNS if c.aliases}


def _l(key: str, display: str = "plain") -> tuple[str, str, str]:
    """A label of the reports."""
    return _ZH[key], _EN[key], display


def _passed() -> tuple[str, str]:
    return status_label(Status.PASSED, "zh"), status_label(Status.PASSED, "en")


#: Columns named the same in every table.
_FIXED: Mapping[str, tuple[str, str, str]] = {
    "county_code": (_HEADER_ZH["county_code"], "county code", "plain"),
    "county_name": (_HEADER_ZH["county_name"], "county name", "plain"),
    "school_id": (_HEADER_ZH["school_id"], "school id", "plain"),
    "school_name": _l("name"),
    "kind": (_HEADER_ZH["kind"], "school kind", "kind"),
    "stage": _l("stage", "stage"),
    "status": _l("status", "status"),
    "county_status": (_ZH["county"] + _ZH["verdict"], "county verdict", "status"),
    "cv_status": (_ZH["cv_rule"] + "（" + _ZH["status"] + "）", "CV rule", "status"),
    "school_rule_status": (
        _ZH["school_rule"] + "（" + _ZH["status"] + "）",
        _EN["school_rule"].lower(),
        "status",
    ),
    "n_schools": _l("n_schools"),
    "n_schools_failing": _l("n_failing"),
    "enrollment": (_PEOPLE_ZH["enrollment"][0], "students", "plain"),
    "threshold": ("标准值", "threshold", "finding"),
    "measured": (_ZH["value"], "measured", "finding"),
    "method": ("计算方法", "method", "method"),
    "composite_cv": _l("composite_short", "cv"),
    "component": _l("component", "component"),
    "rule_id": _l("rule"),
    "rule": _l("rule"),
    "level": ("层级", "level", "level"),
    "indicator": _l("indicator", "indicator"),
    "op": ("比较", "comparison", "plain"),
    "citation": _l("source", "citation"),
    "confidence": ("可信度", "confidence", "confidence"),
    "warning": _l("warning"),
    "included": ("纳入评估", "included", "yes_no"),
    "reason": _l("reason", "scope_reason"),
    "not_reported": _l("not_reported"),
    "school_rule": ("学校达标规则（" + _ZH["status"] + "）", "school rule", "status"),
    "n_met": _l("met"),
    "n_rules": ("指标项数", "minimums", "plain"),
    "check_school_size": (
        RULE_NAMES["school_size"][0] + "（" + _ZH["status"] + "）",
        "school size",
        "status",
    ),
    "check_class_size": (
        RESOURCE_NAMES["class_sizes"][0] + "（" + _ZH["status"] + "）",
        "class sizes",
        "status",
    ),
    "staffing": _l("staffing", "status"),
    "staffing_status": _l("staffing", "status"),
    "staff_required": _l("staff_required"),
    "staff_shortfall": _l("staff_shortfall"),
    "classes_within_cap": _l("classes_within_cap"),
    "classes_over_cap": _l("classes_over_cap"),
    "classes_large": _l("classes_large"),
    "classes_super_large": _l("classes_super_large"),
    "n_schools_classes_not_reported": _l("classes_not_reported"),
    # plans
    "column": ("数据列", "column", "column"),
    "resource": _l("resource", "resource"),
    "quantity": _l("quantity", "amount"),
    "cost": _l("cost", "amount"),
    "year": _l("year"),
    "status_before": _l("status_before", "status"),
    "status_after": _l("status_after", "status"),
    "balance_before": _l("balance_before", "status"),
    "balance_after": _l("balance_after", "status"),
    "passes_before": (
        _passed()[0] + "（" + _ZH["before"] + "）",
        _passed()[1] + " (" + _EN["before"].lower() + ")",
        "yes_no",
    ),
    "passes_after": _l("plan_passes", "yes_no"),
    "teachers_moved": ("交流教师数", "teachers moved", "plain"),
    "rotation_share": ("交流教师占比", "share of teachers moved", "plain"),
    "n": _l("n"),
    "why": _l("why", "why"),
    "year_passes": _l("year_passes"),
    "county_cost": _l("county_cost"),
    "budget_per_year": ("每年预算（元）", "budget per year (yuan)", "plain"),
    "from_school_id": ("调出学校", "from school", "plain"),
    "to_school_id": ("调入学校", "to school", "plain"),
    # monitoring
    "recognised": _l("recognised"),
    "recognised_from": ("认定年份来源", "recognition from", "plain"),
    "value": _l("value"),
    "bound": _l("max", "cv"),
    "rose_most": _l("rose_most"),
    "coefficient": _l("coefficient", "coefficient"),
    "change": _l("change"),
    "area": _l("area", "area"),
    "n_counties": _l("county_many_title"),
    "n_passed": _l("n_passed"),
    "mean_composite_cv": _l("mean_composite", "cv"),
    "weighted_mean_composite_cv": _l("weighted_composite", "cv"),
    "before": ("变化前", "before", "plain"),
    "after": ("变化后", "after", "plain"),
}

#: Columns that mean something else in one table, by table name and column.
_IN_TABLE: Mapping[tuple[str, str], tuple[str, str, str]] = {
    ("counties", "status"): _l("stage_status", "status"),
    ("panel", "status"): _l("stage_status", "status"),
    ("counties", "threshold"): _l("max", "cv"),
    ("slides", "value"): _l("value", "cv"),
    ("early_warnings", "value"): _l("value", "cv"),
    ("early_warnings", "change"): _l("change", "cv"),
    ("totals", "resource"): _l("resource", "resource"),
    ("additions", "reason"): _l("reason", "plan_reason"),
    ("not_in_plan", "rule"): _l("rule", "plan_rule"),
    ("early_warnings", "kind"): _l("kind", "warning_kind"),
}


@functools.cache
def components() -> Mapping[str, tuple[str, str]]:
    """The components of the built-in standards, by id: their Chinese and English names."""
    found: dict[str, tuple[str, str]] = {}
    for info in list_standards():
        for c in get_standard(info.id).components:
            found.setdefault(c.id, (c.name_zh, c.name_en))
    return found


def _pattern(name: str) -> tuple[str, str, str] | None:
    """The label of a column whose name is built from an indicator, resource or component."""
    for prefix, zh_suffix, en_prefix, display in (
        ("cv_", _ZH["cv"], "CV of ", "cv"),
        ("value_", "", "", "per_pupil"),
        ("mean_", "均值", "mean ", "per_pupil"),
        ("growth_", "增幅", "growth of ", "growth"),
    ):
        if name.startswith(prefix) and name[len(prefix) :] in INDICATORS:
            ind = INDICATORS[name[len(prefix) :]]
            if display == "per_pupil" and ind.id in PER_PUPIL_RATIOS:
                return (
                    ind.name_zh + zh_suffix + PER_PUPIL_RATIOS[ind.id],
                    en_prefix + ind.name_en,
                    "ratio",
                )
            return ind.name_zh + zh_suffix, en_prefix + ind.name_en, display
    if name.startswith("shortfall_") and name[10:] in RESOURCE_NAMES:
        zh, en = RESOURCE_NAMES[name[10:]]
        return _ZH["add"] + zh, f"{_EN['add'].lower()}: {en}", "amount"
    if name.startswith("check_rooms_") and name[12:] in RESOURCE_NAMES:
        zh, en = RESOURCE_NAMES[name[12:]]
        return f"{zh}（{_ZH['status']}）", en, "status"
    if name.startswith("component_") and name[10:] in components():
        zh, en = components()[name[10:]]
        return zh, en, "status"
    m = re.fullmatch(r"share_classes_(\d+)_plus", name)
    if m:
        return f"{m[1]}人及以上班额占比", f"share of classes of {m[1]} or more", "growth"
    m = re.fullmatch(r"target_classes_(\d+)_plus_met", name)
    if m:
        return f"{m[1]}人及以上班额目标（{_passed()[0]}）", f"{m[1]}+ classes target met", "yes_no"
    return None


def _suffixed(name: str, table: str | None) -> tuple[str, str, str] | None:
    """A column of a plan's before/after pair or of a monitoring's change from last year."""
    for suffix, key in (("_before", "before"), ("_after", "after")):
        if name.endswith(suffix):
            base = column_label(name[: -len(suffix)], table)
            if base is not None:
                return (
                    f"{base.zh}（{_ZH[key]}）",
                    f"{base.en} ({_EN[key].lower()})",
                    base.display,
                )
    if name.startswith("change_"):
        base = column_label(name[7:], table)
        if base is not None:
            return base.zh + _ZH["change"], f"change of {base.en}", base.display
    return None


def column_label(name: str, table: str | None = None) -> ColumnLabel | None:
    """The label of column ``name`` of the result table ``table`` (as the CLI names the
    tables: ``"counties"``, ``"schools"``, ``"additions"``, ``"panel"``...); None for a column
    the catalogue does not know (e.g. a component of a user's own standard)."""
    found = _IN_TABLE.get((table or "", name)) or _FIXED.get(name) or _pattern(name)
    if found is None:
        found = _suffixed(name, table)
    if found is None:
        return None
    zh, en, display = found
    return ColumnLabel(name, zh, en, display)


def column_labels(names: list[str], table: str | None = None) -> list[ColumnLabel | None]:
    """The labels of several columns of one table (see :func:`column_label`)."""
    return [column_label(n, table) for n in names]
