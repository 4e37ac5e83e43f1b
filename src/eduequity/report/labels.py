"""The words of reports in Chinese and English."""

from __future__ import annotations

from collections.abc import Mapping

from eduequity.status import Status

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
        "component": "Component",
        "status": "Status",
        "stage": "Stage",
        "stage_status": "Stage balance",
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
        "charts": "Charts",
        "cv_chart": "Each CV against its maximum",
        "school_chart": "Schools' values as a share of each minimum (1 = the minimum)",
        "details": "Each county in full",
        "sort": "Click a column's heading to sort by it.",
        "generated": "Made by eduequity",
    },
    "zh": {
        "title": "县域义务教育均衡发展督导评估报告",
        "summary": "汇总",
        "county_one": "个县（区）",
        "county_many": "个县（区）",
        "county": "县（区）",
        "verdict": "结论",
        "standard": "标准",
        "component": "评估内容",
        "status": "结果",
        "stage": "学段",
        "stage_status": "学段均衡",
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
        "charts": "图表",
        "cv_chart": "各项差异系数与上限",
        "school_chart": "各校指标值相对于要求的倍数（1 = 要求）",
        "details": "各县（区）详细报告",
        "sort": "点击列标题可按该列排序。",
        "generated": "由 eduequity 生成",
    },
}


def check_lang(lang: str) -> None:
    """Refuse a language reports do not have."""
    if lang not in LABELS:
        raise ValueError(f"lang must be 'en' or 'zh'. Got {lang!r}.")


def status_label(status: Status | str, lang: str) -> str:
    """A status in ``lang``, as reports show it."""
    s = Status(status)
    return s.name_zh if lang == "zh" else s.name_en
