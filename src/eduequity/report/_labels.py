"""The words of reports in Chinese and English."""

from __future__ import annotations

from collections.abc import Mapping

from eduequity._errors import ArgumentError
from eduequity._status import Status

__all__ = ["LABELS", "check_lang", "status_label"]

LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "title": "County balance evaluation",
        "summary": "Summary",
        "county_one": "county",
        "county_many": "counties",
        "county": "County",
        "verdict": "Verdict",
        "standard": "Standard",
        "data": "Data",
        "scope": "Schools that count",
        "component": "Component",
        "status": "Status",
        "stage": "Stage",
        "stage_status": "Stage verdict",
        "cv_rule": "CVs",
        "cv_rule_composite": "Composite CV",
        "verdict_of": "{name}: verdict",
        "school_rule": "Schools meeting the rule",
        "school_rule_2012": "Schools meeting the province's standard",
        "n_failing_schools": "{n} failing",
        "and_unjudged": ", {n} not evaluated",
        "n_unjudged_schools": "{n} not evaluated",
        "no_school_standard": "not evaluated: no province standard supplied",
        "apart": "judged in «{component}»",
        "explain": "What it rests on",
        "n_students": "Students",
        "county_total": "The schools' shortfalls in all (rooms included)",
        "county_total_shared": (
            "A school of two stages adds a resource its stages share (room area, equipment, "
            "books …) once: the larger of its two stages' figures counts in the total, which "
            "is therefore less than the sum of the rows below."
        ),
        "stages_verdict": "Each stage",
        "stage_absent": "{stages}: no school of the county counts in this stage; not applicable.",
        "one_school": (
            "One school counts in this stage: each CV is 0 by its formula, as no school is "
            "compared with another."
        ),
        "stage_cvs": "{stage}: each CV against its maximum",
        "school_adds": "Each school's shortfall against the minimums it does not meet",
        "adds_not_least": (
            "A school meets the rule with {n} of its minimums not met (each at least {floor} of "
            "its value): these are its shortfalls against every minimum it does not meet, not "
            "the least it must add to pass; `eduequity plan` gives a verified plan."
        ),
        "adds_unknown": (
            "The school rule could not be evaluated for {n} school stage(s), an input missing: "
            "their shortfalls against the minimums not computed are unknown."
        ),
        "room_adds": "Schools that must add rooms ({component})",
        "school_values": "{stage}: each school's values against the minimums (✗ below)",
        "n_not_met": "{n} not met",
        "n_not_evaluated": "{n} not evaluated",
        "n_inputs_missing": "{n} not supplied",
        "inputs_missing": (
            "{n} county items were not supplied, so they are not evaluated ({components}): "
            "they are judged once the county's figures for them are given."
        ),
        "inputs_row": "{n} county items not supplied (see above).",
        "sources": "Sources",
        "minimum": "minimum",
        "indicator": "Indicator",
        "cv": "CV",
        "not_reported": "input missing",
        "max": "Maximum",
        "composite": "Composite CV (mean of the CVs)",
        "composite_short": "Composite",
        "each": "each CV",
        "schools_in_scope": "schools in scope",
        "students": "students",
        "n_schools": "Schools",
        "n_failing": "Failing school rule",
        "failing": "Schools that must add resources, and what they lack",
        "n_short": "Schools that must add resources",
        "school": "School",
        "name": "Name",
        "met": "Minimums met",
        "add": "To add",
        "excluded": "Schools not evaluated, and why",
        "reason": "Reason",
        "problems": "Items not met or not evaluated",
        "warnings": "Figures to check (they cannot all be right; not used by the verdicts)",
        "warning": "What to check",
        "message": "Finding",
        "source": "Source",
        "none": "None.",
        "staffing": "Staffing standard",
        "staffing_heading": "Staff against the staffing standard (reported: part of no verdict)",
        "staffing_ratio": "Standard (staff : students)",
        "staff_required": "Staff required",
        "staff_shortfall": "Staff lacking",
        "classes_heading": "Classes by size band (reported: the bands are part of no verdict)",
        "classes_within_cap": "Classes within the cap",
        "classes_over_cap": "Classes over the cap (偏大)",
        "classes_large": "Large classes (大班额)",
        "classes_super_large": "Super-large classes (超大班额)",
        "classes_not_reported": "Schools not reporting their classes",
        "charts": "Charts",
        "cv_chart": "Each CV against its maximum",
        "school_chart": "Schools' values as a share of each minimum (1 = the minimum)",
        "details": "Each county in full",
        "sort": "Click a column's heading to sort by it.",
        "generated": "Made by eduequity {version}.",
        "plan_title": "What it takes to pass",
        "plan_before": "before",
        "plan_after": "after the plan",
        "plan_after_alone": "after (a CV not judged alone)",
        "plan_chart": "Each CV before and after the plan, against its maximum",
        "plan_passes": "Every rule the plan covers passes after it",
        "plan_intro": (
            "What each school must add for the county to pass the per-school minimums, the "
            "school rule, every CV bound, the music and art rooms and the class sizes. The plan "
            "was applied to the county and evaluated again: the verdicts after it are the "
            "pipeline's. For the minimums and the school rule it is the least (each school's "
            "cheapest choice of the indicator left short); for each CV, the lowest schools are "
            "raised to a common level, the least addition that meets the bound where no school "
            "spans two stages; quantities are rounded up to whole teachers, computers, books "
            "and rooms, 0.01 m² and 1 yuan."
        ),
        "plan_summary": "{ok} of {n} county stages pass every rule the plan covers afterwards.",
        "plan_cost": "Cost of the plan: {cost} yuan.",
        "plan_no_cost": "No costs were given: quantities only.",
        "plan_totals": "Totals by resource",
        "plan_additions": "What each school adds",
        "plan_not_in": "Not in the plan, and why",
        "plan_cvs": "CVs before and after",
        "resource": "Resource",
        "quantity": "Quantity",
        "cost": "Cost (yuan)",
        "rule": "Rule",
        "why": "Why",
        "n": "Schools or stages",
        "before": "Before",
        "after": "After",
        "n_adding": "Schools adding (whole county)",
        "county_cost": "Cost, whole county (yuan)",
        "trend_chart": "Each coefficient across years, against the bound",
        "monitor_title": "Monitoring across years",
        "monitor_intro": (
            "Each year's school table evaluated against the same standard, and the years "
            "compared. A slide: a recognised county stage whose balance rule fails in a later "
            "year (the recognition given, or the first year of the panel it passed)."
        ),
        "monitor_years": "Years {first}–{last}, {n} county stages.",
        "slides": "Slides",
        "monitor_warnings": "Early warnings and first passes",
        "monitor_summary": "National and provincial summary",
        "monitor_growth": "Each indicator's mean across the nation, and its growth",
        "monitor_growth_intro": (
            "The mean over counties of each county's enrollment-weighted mean, and in brackets "
            "its growth from the previous year, in the form of the national monitoring report."
        ),
        "monitor_counties": "Counties across years",
        "recognised": "Recognised",
        "value": "Value",
        "rose_most": "CVs that rose most",
        "kind": "Kind",
        "coefficient": "Coefficient",
        "change": "Change",
        "year": "Year",
        "area": "Area",
        "n_passed": "Passing",
        "county_many_title": "Counties",
        "missing_year": "not in that year's table",
        "mean_composite": "Mean composite",
        "weighted_composite": "Weighted mean composite",
        "national": "nation",
        "warning_rising": "rising",
        "warning_jump": "jump",
        "warning_first_pass": "first pass",
        "plan_years": "Year by year",
        "plan_budget": (
            "With {budget} yuan a year per county, schools furthest below first (most minimums "
            "missed, then the larger package): the year after which each stage first passes."
        ),
        "year_passes": "Passes after year",
        "year_zero": "already",
        "year_never": "not within the plan",
        "status_before": "Stage before",
        "status_after": "Stage after",
        "balance_before": "CV rule before",
        "balance_after": "CV rule after",
        "unpriced": "not priced",
    },
    "zh": {
        "title": "县域义务教育均衡发展督导评估报告",
        "summary": "汇总",
        "county_one": "个县（区）",
        "county_many": "个县（区）",
        "county": "县（区）",
        "verdict": "结论",
        "standard": "标准",
        "data": "数据",
        "scope": "纳入评估的学校",
        "component": "评估内容",
        "status": "结果",
        "stage": "学段",
        "stage_status": "学段结论",
        "cv_rule": "差异系数",
        "cv_rule_composite": "综合差异系数",
        "verdict_of": "{name}（结果）",
        "school_rule": "学校达标",
        "school_rule_2012": "学校达到省定办学基本标准",
        "n_failing_schools": "{n} 所未达标",
        "and_unjudged": "，{n} 所未评估",
        "n_unjudged_schools": "{n} 所未评估",
        "no_school_standard": "未评估：未提供省定办学基本标准",
        "apart": "计入「{component}」",
        "explain": "说明",
        "n_students": "学生数",
        "county_total": "各校差额合计（含专用教室）",
        "county_total_shared": (
            "一贯制学校两个学段共用的资源（校舍面积、仪器设备、图书等）按学校只补一次，合计中取两个学段"
            "差额中的较大者，故合计小于下表各行之和。"
        ),
        "stages_verdict": "各学段结论",
        "stage_absent": "{stages}：本县（区）无纳入评估的学校，不适用。",
        "one_school": "本学段仅 1 所学校纳入评估：按公式各项差异系数为 0，并无校际比较。",
        "stage_cvs": "{stage}各项差异系数与上限",
        "school_adds": "各校未达到的各项最低标准及差额",
        "adds_not_least": (
            "学校达标规则允许 {n} 项指标未达到要求（但不低于要求的 {floor}）：此处为每项未达到"
            "的最低标准的差额，并非学校达标所需的最少增加量；经验证的增加方案见 eduequity plan"
            "（达标规划）。"
        ),
        "adds_unknown": "{n} 个学校学段因缺数据未能评估学校达标，其未能计算的各项差额不详。",
        "room_adds": "需补足专用教室的学校（{component}）",
        "school_values": "{stage}各校指标值与要求（✗ 为低于要求）",
        "n_not_met": "{n} 项未达标",
        "n_not_evaluated": "{n} 项未评估",
        "n_inputs_missing": "{n} 项未提供",
        "inputs_missing": (
            "{n} 项县级指标未提供，未评估（{components}）：须提供本县相应数据后方可评估。"
        ),
        "inputs_row": "{n} 项县级指标未提供（见上）。",
        "sources": "依据",
        "minimum": "要求",
        "indicator": "指标",
        "cv": "差异系数",
        "not_reported": "缺数据",
        "max": "上限",
        "composite": "综合差异系数（各项差异系数的平均）",
        "composite_short": "综合差异系数",
        "each": "各项差异系数",
        "schools_in_scope": "所学校纳入评估",
        "students": "名学生",
        "n_schools": "学校数",
        "n_failing": "未达到学校标准的学校数",
        "failing": "需补足资源的学校及数量",
        "n_short": "需补足资源的学校",
        "school": "学校",
        "name": "学校名称",
        "met": "达到项数",
        "add": "需增加",
        "excluded": "未纳入评估的学校及原因",
        "reason": "原因",
        "problems": "未达标或未评估的事项",
        "warnings": "需核实的数据（相互矛盾，不影响评估结论）",
        "warning": "核实内容",
        "message": "结果说明",
        "source": "依据",
        "none": "无。",
        "staffing": "教职工编制标准",
        "staffing_heading": "教职工配备对照编制标准（仅作报告，不计入结论）",
        "staffing_ratio": "编制标准（教职工:学生）",
        "staff_required": "按标准应有教职工数",
        "staff_shortfall": "教职工缺额",
        "classes_heading": "班额分布（仅作报告，班额段不计入结论）",
        "classes_within_cap": "标准班额班数",
        "classes_over_cap": "偏大班额班数",
        "classes_large": "大班额班数",
        "classes_super_large": "超大班额班数",
        "classes_not_reported": "未填报班额的学校数",
        "charts": "图表",
        "cv_chart": "各项差异系数与上限",
        "school_chart": "各校指标值相对于要求的倍数（1 = 要求）",
        "details": "各县（区）详细报告",
        "sort": "点击列标题可按该列排序。",
        "generated": "本报告由 eduequity {version} 生成。",
        "plan_title": "达标规划",
        "plan_before": "规划前",
        "plan_after": "规划后",
        "plan_after_alone": "规划后（单项不单独判定）",
        "plan_chart": "规划前后各项差异系数与上限",
        "plan_passes": "规划所涵盖各项均达标（规划后）",
        "plan_intro": (
            "为使本县达到学校基本指标、学校达标规则、各项差异系数上限、音乐美术专用教室和班额要求，"
            "各校需增加的资源。规划已代入本县重新评估，规划后的结论由同一评估流程给出。"
            "学校基本指标和学校达标规则部分为最少增加量（每校选择费用最低的未达标项）；"
            "每项差异系数均采用将最低的学校提高到同一水平的方式，在无跨学段学校时为达到上限所需的"
            "最小增量；数量向上取整：教师、计算机、图书、教室取整数，面积取0.01平方米，金额取1元。"
        ),
        "plan_summary": "共 {n} 个县（区）学段，规划后 {ok} 个达到规划所涵盖的全部要求。",
        "plan_cost": "规划总费用：{cost} 元。",
        "plan_no_cost": "未提供单价：仅列数量。",
        "plan_totals": "按资源汇总",
        "plan_additions": "各校需增加的资源",
        "plan_not_in": "规划未涵盖的事项及原因",
        "plan_cvs": "规划前后的差异系数",
        "resource": "资源",
        "quantity": "数量",
        "cost": "费用（元）",
        "rule": "要求",
        "why": "原因",
        "n": "学校或学段数",
        "before": "规划前",
        "after": "规划后",
        "n_adding": "全县需增加资源的学校",
        "county_cost": "全县费用（元）",
        "trend_chart": "各年度差异系数与上限",
        "monitor_title": "义务教育均衡发展监测复查",
        "monitor_intro": (
            "按同一标准逐年评估各年度学校数据并进行比较。滑坡：已认定（给定认定年份，或本面板中首次达标之年）"
            "的县（区）学段在其后年度未达到差异系数要求。"
        ),
        "monitor_years": "{first}—{last}年，共 {n} 个县（区）学段。",
        "slides": "滑坡县（区）",
        "monitor_warnings": "预警与首次达标",
        "monitor_summary": "全国及分省汇总",
        "monitor_growth": "全国各项指标均值及增幅",
        "monitor_growth_intro": (
            "各县（区）按在校生加权的均值的县际平均，括号内为较上一年的增幅，"
            "按全国监测复查报告的形式列出。"
        ),
        "monitor_counties": "各县（区）逐年变化",
        "recognised": "认定年份",
        "value": "数值",
        "rose_most": "上升最多的差异系数",
        "kind": "类型",
        "coefficient": "系数",
        "change": "变化",
        "year": "年份",
        "area": "范围",
        "n_passed": "达标数",
        "county_many_title": "县（区）数",
        "missing_year": "当年无数据",
        "mean_composite": "综合差异系数均值",
        "weighted_composite": "按在校生加权的综合差异系数均值",
        "national": "全国",
        "warning_rising": "连续上升",
        "warning_jump": "大幅上升",
        "warning_first_pass": "首次达标",
        "plan_years": "分年度推进",
        "plan_budget": (
            "每县每年投入{budget}元，按差距最大的学校优先（未达标指标最多者优先，其次投入较大者），"
            "各学段首次达标的年份如下。"
        ),
        "year_passes": "达标年份（第几年后）",
        "year_zero": "已达标",
        "year_never": "规划内无法达标",
        "status_before": "学段结论（规划前）",
        "status_after": "学段结论（规划后）",
        "balance_before": "差异系数（规划前）",
        "balance_after": "差异系数（规划后）",
        "unpriced": "未定价",
    },
}


def check_lang(lang: str) -> None:
    """Refuse a language reports do not have."""
    if lang not in LABELS:
        raise ArgumentError(f"lang must be 'en' or 'zh'. Got {lang!r}.")


def status_label(status: Status | str, lang: str) -> str:
    """A status in ``lang``, as reports show it."""
    s = Status(status)
    return s.name_zh if lang == "zh" else s.name_en
