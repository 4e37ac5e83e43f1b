"""A plan in words for the one-page report: what each school adds, its subtotal, and the rules
each school fails today, in Chinese or English."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import pyarrow as pa

from eduequity._models import Stage
from eduequity._schema import RESOURCE_NAMES
from eduequity.rules._shortfalls import RESOURCE_UNITS, unit_en

__all__ = [
    "SchoolLine",
    "amount",
    "failing_lines",
    "money",
    "school_lines",
    "summary_words",
    "wan",
]

#: The words of the one-page plan, in Chinese and English.
WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "sep": "；",
        "hire": "新聘",
        "upgrade": "现有教师{what}",
        "transfer_in": "调入",
        "transfer_out": "调出",
        "build": "新建{name}{n}间（共{area}平方米）",
        "build_no_area": "新建{name}{n}间（每间不小于{min}平方米）",
        "classes": "{stage}拆分大班额，增加{n}个班",
        "school_standard": "{stage}学校指标",
        "class_size": "{stage}班额",
        "school_size": "学校规模",
        "rooms.music_rooms": "音乐专用教室间数",
        "rooms.art_rooms": "美术专用教室间数",
        "rooms.music_room_area": "音乐专用教室面积",
        "rooms.art_room_area": "美术专用教室面积",
    },
    "en": {
        "sep": "; ",
        "hire": "hire ",
        "upgrade": "existing teachers gain {what}: ",
        "transfer_in": "move in ",
        "transfer_out": "move out ",
        "build": "build {n} {name} ({area} m²)",
        "build_no_area": "build {n} {name} (each at least {min} m²)",
        "classes": "{stage} classes over the cap split: {n} more class{s}",
        "school_standard": "{stage} school minimums",
        "class_size": "{stage} class sizes",
        "school_size": "school size",
        "rooms.music_rooms": "music rooms",
        "rooms.art_rooms": "art rooms",
        "rooms.music_room_area": "music room area",
        "rooms.art_room_area": "art room area",
    },
}

_UPGRADE_WHAT = {
    "teachers_above_qualification": ("学历提升", "the qualification"),
    "teachers_intermediate_title": ("职称评定", "an intermediate title"),
    "teachers_backbone": ("骨干评定", "backbone status"),
}


def money(value: float | None, lang: str, unpriced: str) -> str:
    """Yuan with thousands separators, or ``unpriced`` where there is no cost."""
    if value is None or math.isnan(value):
        return unpriced
    return f"{value:,.0f}"


def wan(value: float) -> str:
    """Yuan in 万元 to 0.1, as a Chinese office writes a budget."""
    return f"{value / 1e4:,.1f}"


def amount(resource: str, quantity: float, lang: str) -> str:
    """A quantity with its unit: ``2人``, ``97.51平方米``, ``100,001 yuan``."""
    text = f"{quantity:,.0f}" if quantity == round(quantity) else f"{quantity:,.2f}".rstrip("0")
    if lang == "zh":
        return f"{text}{RESOURCE_UNITS[resource][0]}"
    return f"{text} {unit_en(resource, quantity)}"


def _stage(value: str | None, lang: str) -> str:
    if value is None:
        return ""
    stage = Stage(value)
    return stage.name_zh if lang == "zh" else stage.name_en


def _name(resource: str, lang: str) -> str:
    zh, en = RESOURCE_NAMES[resource]
    return zh if lang == "zh" else en


@attrs.frozen
class SchoolLine:
    """One school of the one-page plan: what it adds in words and what it costs."""

    school_id: str
    school_name: str
    words: str
    cost: float | None
    unpriced: int


def _phrase(rows: Sequence[Mapping[str, Any]], lang: str, min_area: Mapping[str, float]) -> str:
    """One school's rows in words (the rows ``hire`` only count a teacher named elsewhere)."""
    w = WORDS[lang]
    parts: list[str] = []
    built: dict[str, dict[str, float]] = {}
    for r in rows:
        resource, q, reason = r["resource"], r["quantity"], r["reason"]
        if reason == "hire":
            continue
        for kind in ("music", "art"):
            if resource in (f"{kind}_rooms", f"{kind}_room_area"):
                entry = built.setdefault(kind, {"rooms": 0.0, "area": 0.0})
                entry["rooms" if resource.endswith("_rooms") else "area"] += q
                break
        else:
            if resource == "classes":
                stage_name = _stage(r["stage"], lang)
                text = w["classes"].format(
                    stage=stage_name, n=f"{q:,.0f}", s="" if q == 1 else "es"
                )
                parts.append(text.strip())
                continue
            person = RESOURCE_UNITS[resource][0] == "人"
            stage = _stage(r["stage"], lang)
            name = _name(resource, lang)
            if lang == "en" and abs(q) == 1:
                name = name.replace("teachers", "teacher")
            what = f"{stage}{name}" if lang == "zh" else f"{stage} {name}".strip()
            if reason == "upgrade":
                gain = _UPGRADE_WHAT.get(resource, ("", ""))[0 if lang == "zh" else 1]
                prefix = w["upgrade"].format(what=gain)
            elif reason in ("transfer_in", "transfer_out"):
                prefix = w[reason]
            elif person:
                prefix = w["hire"]
            else:
                prefix = ""
            if lang == "en" and person:
                parts.append(f"{prefix}{abs(q):,.0f} {what}")
            elif lang == "en":
                parts.append(f"{what} +{amount(resource, abs(q), lang)}")
            elif prefix:
                parts.append(f"{prefix}{what}{amount(resource, abs(q), lang)}")
            else:
                parts.append(f"{what}增加{amount(resource, abs(q), lang)}")
    for kind, entry in built.items():
        name = _name(f"{kind}_rooms", lang)
        if lang == "en":
            name = name[:-1] if entry["rooms"] == 1 else name
        n = f"{entry['rooms']:,.0f}"
        if entry["area"] > 0:
            area = amount(f"{kind}_room_area", entry["area"], "zh")[: -len("平方米")]
            parts.append(w["build"].format(name=name, n=n, area=area))
        elif entry["rooms"] > 0:
            minimum = f"{min_area.get(kind, 0):g}"
            parts.append(w["build_no_area"].format(name=name, n=n, min=minimum))
    return w["sep"].join(parts)


def school_lines(
    additions: pa.Table, lang: str, min_area: Mapping[str, float], priced: bool
) -> list[SchoolLine]:
    """One line per school that adds something, dearest first where priced (else in the
    table's order): its additions in words, its subtotal, and its rows left unpriced."""
    by_school: dict[str, list[dict[str, Any]]] = {}
    for r in additions.to_pylist():
        by_school.setdefault(r["school_id"], []).append(r)
    lines = []
    for school_id, rows in by_school.items():
        costs = [r["cost"] for r in rows if r["reason"] != "hire"]
        unpriced = sum(1 for c in costs if c is None) if priced else 0
        cost = sum(c for c in costs if c is not None) if priced else None
        lines.append(
            SchoolLine(
                school_id,
                rows[0]["school_name"] or "",
                _phrase(rows, lang, min_area),
                cost,
                unpriced,
            )
        )
    if priced:
        order = sorted(range(len(lines)), key=lambda i: -(lines[i].cost or 0.0))
        lines = [lines[i] for i in order]
    return lines


def failing_lines(failing: pa.Table, lang: str) -> list[tuple[str, str, str]]:
    """One line per school failing today: id, name and the rules it fails, in words."""
    w = WORDS[lang]
    out: dict[str, tuple[str, list[str]]] = {}
    for r in failing.to_pylist():
        _, rules = out.setdefault(r["school_id"], (r["school_name"] or "", []))
        template = w.get(r["rule"], r["rule"])
        text = template.format(stage=_stage(r["stage"], lang)).strip()
        if text not in rules:
            rules.append(text)
    sep = "、" if lang == "zh" else ", "
    return [(school, name, sep.join(rules)) for school, (name, rules) in out.items()]


def summary_words(additions: pa.Table, lang: str, min_area: Mapping[str, float]) -> str:
    """What the whole plan adds, in words: each resource summed over the schools and stages
    (the rows ``hire`` aside), rooms with their area."""
    summed: dict[tuple[str, str], float] = {}
    for r in additions.to_pylist():
        if r["reason"] == "hire":
            continue
        reason = r["reason"] if r["reason"] in ("upgrade", "transfer_in", "transfer_out") else ""
        key = (r["resource"], reason)
        summed[key] = summed.get(key, 0.0) + r["quantity"]
    order = {r: i for i, r in enumerate(RESOURCE_NAMES)}
    keys = sorted(summed, key=lambda k: order.get(k[0], len(order)))
    rows: list[dict[str, Any]] = [
        {"resource": resource, "reason": reason, "stage": None, "quantity": round(summed[k], 2)}
        for k in keys
        for resource, reason in [k]
        if reason not in ("transfer_in", "transfer_out")
    ]
    return _phrase(rows, lang, min_area)
