"""Plain-text reports of an evaluation, verdict first, in Chinese or English."""

from __future__ import annotations

from eduequity.indicators import get_indicator
from eduequity.rules.results import EvaluationResult, Status
from eduequity.rules.text import format_cv, format_number

__all__ = ["format_result"]

_LABELS = {
    "en": {
        "county": "County",
        "standard": "Standard",
        "verdict": "Verdict",
        "components": "Components",
        "stage": "Stage",
        "schools": "schools in scope",
        "students": "students",
        "composite": "composite CV",
        "max": "max",
        "excluded": "Schools not evaluated",
        "findings": "Findings not met or not evaluated",
        "cv": "CV",
        "each": "each CV",
        "none": "none",
    },
    "zh": {
        "county": "县（区）",
        "standard": "标准",
        "verdict": "结论",
        "components": "评估内容",
        "stage": "学段",
        "schools": "所学校纳入评估",
        "students": "名学生",
        "composite": "综合差异系数",
        "max": "上限",
        "excluded": "未纳入评估的学校",
        "findings": "未达标或未评估的事项",
        "cv": "差异系数",
        "each": "各项差异系数",
        "none": "无",
    },
}


def _status(status: Status, lang: str) -> str:
    return status.name_zh if lang == "zh" else status.name_en.upper()


def format_result(result: EvaluationResult, lang: str = "en") -> str:
    """The result as plain text: the verdict, the components, each stage's CVs, the problems.

    Parameters
    ----------
    result : EvaluationResult
    lang : {"en", "zh"}
        Language of labels and messages.
    """
    if lang not in _LABELS:
        raise ValueError(f"format_result: lang must be 'en' or 'zh'. Got {lang!r}.")
    t = _LABELS[lang]
    zh = lang == "zh"
    lines = [
        f"{t['county']}: {result.county_name} ({result.county_code})",
        f"{t['standard']}: {result.standard_id}",
        f"{t['verdict']}: {_status(result.status, lang)}",
        "",
        f"{t['components']}:",
    ]
    for c in result.components.values():
        lines.append(f"  [{_status(c.status, lang)}] {c.name_zh if zh else c.name_en}")
    for stage, s in result.stages.items():
        lines.append("")
        name = stage.name_zh if zh else stage.name_en
        lines.append(
            f"{t['stage']} {name}: {s.n_schools} {t['schools']}, "
            f"{format_number(s.enrollment)} {t['students']} — {_status(s.status, lang)}"
        )
        for ind_id, cv in s.cvs.items():
            ind = get_indicator(ind_id)
            lines.append(f"  {format_cv(cv.cv):>9}  {ind.name_zh if zh else ind.name_en}")
        limit = "" if s.threshold is None else f" ({t['max']} {format_number(s.threshold)})"
        if s.method == "composite":
            lines.append(f"  {format_cv(s.composite_cv):>9}  {t['composite']}{limit}")
        elif s.threshold is not None:
            lines.append(f"  {'':>9}  {t['each']}{limit}")
    lines += ["", f"{t['excluded']}:"]
    excluded = result.excluded_schools
    for x in excluded:
        lines.append(
            f"  {x.school_id} {x.name}".rstrip() + f": {x.reason_zh if zh else x.reason_en}"
        )
    if not excluded:
        lines.append(f"  {t['none']}")
    lines += ["", f"{t['findings']}:"]
    problems = [f for f in result.findings if f.status in (Status.FAILED, Status.NOT_EVALUATED)]
    for f in problems:
        lines.append(f"  [{_status(f.status, lang)}] {f.message(lang)}")
        lines.append(f"      {f.citation}")
    if not problems:
        lines.append(f"  {t['none']}")
    return "\n".join(lines)
