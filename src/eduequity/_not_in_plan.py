"""Why a rule is not in a plan: the words of a plan's ``not_in_plan`` table (the reason of each
row, the name of each rule), and the reasons a plan leaves county stages short, which every
door shows beside the plan (its report, its notebook display)."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

__all__ = ["RULE_NAMES", "WHY", "short_reasons"]


#: Why a rule is not in a plan (the ``why`` column of ``not_in_plan``), in Chinese and English.
WHY: Mapping[str, tuple[str, str]] = {
    "input_missing": ("缺少数据，无法规划", "input missing: no plan can be computed"),
    "undefined_cv": (
        "该项资源各校均为0，差异系数无定义，不存在最小增量",
        "a resource is 0 in every school of the stage: its CV is undefined and no least "
        "addition defines it",
    ),
    "school_size": (
        "学校规模超标，无法靠增加资源解决",
        "students over the school-size cap: not something to buy",
    ),
    "county_input": (
        "县级指标（政策、经费、调查），不属于学校资源配置",
        "a county input (policy, funding or surveys), not school resources",
    ),
    "county_input_not_supplied": (
        "县级指标（政策、经费、调查），未提供数据",
        "a county input (policy, funding or surveys), not supplied",
    ),
    "not_met": ("规划后仍未达标", "not met after the plan"),
    "school_standard_not_given": (
        "未提供省定办学基本标准，无法规划（--school-standard，或 Standard.with_school_standard）",
        "the province's school standard was not given: no plan can be computed for it "
        "(--school-standard, or Standard.with_school_standard)",
    ),
    "classes_by_band": (
        "按班额段报告，各班人数不详，无法规划分班",
        "classes reported by band: their sizes, and so the split, are not known",
    ),
}


#: The rules of a plan's not-in-plan table, in Chinese and English.
RULE_NAMES = {
    "balance": ("差异系数", "CV bound"),
    "school_standard": ("学校指标", "school minimums and rule"),
    "class_size": ("班额", "class size"),
    "school_size": ("学校规模", "school size"),
    "rooms.music_rooms": ("音乐专用教室", "music rooms"),
    "rooms.art_rooms": ("美术专用教室", "art rooms"),
    "rooms.music_room_area": ("音乐专用教室面积", "music room area"),
    "rooms.art_room_area": ("美术专用教室面积", "art room area"),
    "county_items": ("县级指标（{n}项）", "county items ({n})"),
}


def short_reasons(not_in_plan: pa.Table, lang: str) -> list[str]:
    """The rules of a plan's ``not_in_plan`` table that a county stage's ``passes_after``
    counts (not the county inputs, not school size), each reason once with the rules it
    concerns: ``班额、美术专用教室（缺少数据，无法规划）``; the words every door shows beside a plan
    that leaves stages short."""
    k, zh = (0, True) if lang == "zh" else (1, False)
    names: dict[str, list[str]] = {}
    for r in not_in_plan.select(["rule", "why"]).to_pylist():
        if r["rule"].startswith("county_items.") or r["rule"] == "school_size":
            continue
        name = RULE_NAMES.get(r["rule"], (r["rule"], r["rule"]))[k]
        if name not in names.setdefault(r["why"], []):
            names[r["why"]].append(name)
    sep, left, right = ("、", "（", "）") if zh else (", ", " (", ")")
    return [sep.join(v) + f"{left}{WHY[why][k]}{right}" for why, v in names.items()]
