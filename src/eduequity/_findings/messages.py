"""The Chinese and English messages of findings: templates kept as data, rendered on demand.

A national evaluation has millions of findings, so the findings table carries codes and values
only; a message is made from the templates below, and the evaluation's arrays for its details,
when someone asks for it (one county, the failed rows, a report).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from eduequity._class_bands import band_label
from eduequity._county_inputs import COUNTY_INPUTS, InputKind
from eduequity._errors import ArgumentError
from eduequity._findings.frames import FindingFrame, judged_values
from eduequity._indicators import get_indicator
from eduequity._schema import RESOURCE_NAMES
from eduequity._status import FAILED, NOT_EVALUATED, PASSED
from eduequity._text import format_cv, format_ids, format_number
from eduequity.rules._balance import part_values
from eduequity.rules._columns import STAGES
from eduequity.rules._pipeline import Evaluation
from eduequity.rules._shortfalls import RESOURCE_UNITS, unit_en

__all__ = ["TEMPLATES", "frame_messages"]

#: The message templates of each language, by template id (``str.format`` fields).
TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "met": "达到要求",
        "not_met": "未达到要求",
        "not_evaluated": "未评估",
        "minimum": "{name}{value}{unit}，要求{op}{threshold}，{verdict}{add}",
        "minimum.add": "，需增加{quantity}{resource_unit}（{resource}）",
        "minimum.gap": "{name}未评估：未报告{resource}",
        "minimum.school": "{school}（{stage}）{text}。",
        "school_rule": "{school}（{stage}）{n_rules}项指标达到{n_met}项，"
        "要求至少{min_met}项达到要求，"
        "余项不低于要求的{floor}%，{verdict}{details}。",
        "school_rule.details": "：{details}",
        "school_rule.join": "；",
        "rooms": "{school} {room}{count}间，按{classes}个班需{required}间，{verdict}。",
        "rooms.gap": "{school} {room}未评估：未报告{what}。",
        "room_area": "{school} {room}平均每间{mean}平方米，要求不低于{minimum}平方米，{verdict}。",
        "room_area.gap": "{school} {room}面积未评估：未报告{what}。",
        "music": "音乐专用教室",
        "art": "美术专用教室",
        "music.one": "音乐专用教室",
        "art.one": "美术专用教室",
        "school_size": "{school} 义务教育阶段在校生{size}人，要求不超过{maximum}人，{verdict}。",
        "class_size": "{school}（{stage}）{n_classes}个班，最大班额{largest}人，"
        "{n_over}个班超过{cap}人，"
        "{verdict}。",
        "class_size.gap": "{school}（{stage}）班额未评估：未报告班额。",
        "class_size.banded": "{school}（{stage}）{n_classes}个班（按班额段报告），"
        "最大班额在{band}段，{n_over}个班超过{cap}人，{verdict}。",
        "county_item": "{name}：{value}，要求{op}{threshold}，{verdict}要求。",
        "county_item.gap": "{name}未提供（输入 {input}），未评估。",
        "county_item.met": "达到",
        "county_item.not_met": "未达到",
        "yes": "是",
        "no": "否",
        "balance_stage": "本县无纳入评估的{stage}学校（或标准未设{stage}阈值）。",
        "balance": "{stage}{name}{cv}，要求不高于{maximum}，{verdict}。",
        "balance.undefined": "{stage}{name}无法计算：{indicators}的均值为0，"
        "差异系数无定义，未达到要求。",
        "balance.undefined.join": "、",
        "balance.lacking": "{stage}{name}未评估：{details}。",
        "balance.lacking.item": "{resource}缺{n}所（{ids}）",
        "balance.lacking.join": "；",
        "composite_cv": "综合差异系数",
        "cv_of": "{indicator}差异系数",
        "slot": "未提供省定义务教育学校基本办学标准（命令行用 --school-standard 提供），无法评估。",
        "class_target": "{min_size}人及以上班级占比{share}，要求不超过{limit}，{verdict}要求。",
    },
    "en": {
        "met": "met",
        "not_met": "not met",
        "not_evaluated": "not evaluated",
        "minimum": "{name} {value} {unit}, required {op} {threshold}: {verdict}{add}",
        "minimum.add": "; add {quantity} {resource_unit} ({resource})",
        "minimum.gap": "{name} not evaluated: {resource} not reported",
        "minimum.school": "School {school} ({stage}) {text}.",
        "school_rule": "School {school} ({stage}) meets {n_met} of {n_rules} indicators, required "
        "at least {min_met} met, the rest at least {floor}% of the requirement: "
        "{verdict}{details}.",
        "school_rule.details": ": {details}",
        "school_rule.join": "; ",
        "rooms": "School {school} has {count} {room}; {classes} classes need {required}: "
        "{verdict}.",
        "rooms.gap": "School {school} {room} not evaluated: {what} not reported.",
        "room_area": "School {school} {room} average {mean} m² each, required at least "
        "{minimum} m²: {verdict}.",
        "room_area.gap": "School {school} {room} area not evaluated: {what} not reported.",
        "music": "music rooms",
        "art": "art rooms",
        "music.one": "music room",
        "art.one": "art room",
        "school_size": "School {school} has {size} students in compulsory stages, required at "
        "most {maximum}: {verdict}.",
        "class_size": "School {school} ({stage}) {n_classes} classes, largest {largest}, "
        "{n_over} over {cap}: {verdict}.",
        "class_size.gap": "School {school} ({stage}) class sizes not evaluated: {what} not "
        "reported.",
        "class_size.banded": "School {school} ({stage}) {n_classes} classes (reported by band), "
        "largest in the band {band}, {n_over} over {cap}: {verdict}.",
        "county_item": "{name}: {value}, required {op} {threshold}: {verdict}.",
        "county_item.gap": "{name} not supplied (input '{input}'): not evaluated.",
        "county_item.met": "met",
        "county_item.not_met": "not met",
        "yes": "yes",
        "no": "no",
        "balance_stage": "No {stage} school in scope (or no {stage} threshold).",
        "balance": "{stage} {name} {cv}, required at most {maximum}: {verdict}.",
        "balance.undefined": "{stage} {name} is undefined: the mean of {indicators} is 0, so its "
        "CV is undefined; not met.",
        "balance.undefined.join": "; ",
        "balance.lacking": "{stage} {name} not evaluated: {details}.",
        "balance.lacking.item": "{resource} missing for {n} school(s): {ids}",
        "balance.lacking.join": "; ",
        "composite_cv": "composite CV",
        "cv_of": "CV of {indicator}",
        "slot": "The province's basic school-running standard was not supplied "
        "(--school-standard FILE on the command line, Standard.with_school_standard in "
        "Python), so this could not be evaluated.",
        "class_target": "Classes of {min_size} or more students: {share} of classes, required "
        "at most {limit}: {verdict}.",
    },
}


def _verdict(t: Mapping[str, str], status: int) -> str:
    return t["met"] if status == PASSED else t["not_met"]


class _Context:
    """What the templates of one language read from an evaluation."""

    def __init__(self, ev: Evaluation, lang: str) -> None:
        if lang not in TEMPLATES:
            raise ArgumentError(f"lang must be 'en' or 'zh'. Got {lang!r}.")
        self.ev, self.lang, self.t = ev, lang, TEMPLATES[lang]
        self._ids: dict[int, str] = {}

    def school(self, row: int) -> str:
        """A school as messages name it: by its id and, where the table names it, its name
        (3361124001 城关第一小学), as the schools table lists them."""
        if row not in self._ids:
            cols = self.ev.columns
            school_id = str(cols.school_id[row].as_py())
            name = None if cols.school_name is None else cols.school_name[row].as_py()
            name = "" if name is None else " ".join(str(name).split())
            self._ids[row] = school_id if name in ("", school_id) else f"{school_id} {name}"
        return self._ids[row]

    def stage(self, code: int, capital: bool = False) -> str:
        s = STAGES[code]
        if self.lang == "zh":
            return s.name_zh
        return s.name_en.capitalize() if capital else s.name_en

    def resource(self, field: str) -> str:
        """A resource as messages name it: in Chinese, by name; in English, by its column."""
        return RESOURCE_NAMES[field][0] if self.lang == "zh" else field

    def unit(self, field: str, quantity: float) -> str:
        """The unit of ``quantity`` of a resource (singular for one in English)."""
        return RESOURCE_UNITS[field][0] if self.lang == "zh" else unit_en(field, quantity)

    def indicator(self, indicator_id: str) -> str:
        ind = get_indicator(indicator_id)
        return ind.name_zh if self.lang == "zh" else ind.name_en

    def minimum_text(self, k: int, ref: int) -> str:
        """One minimum of one stage part (without the school), as the minimum and the school
        rule messages show it."""
        t, arr = self.t, self.ev.school_rule.minimums[k]  # type: ignore[union-attr]
        at = ref - arr.part.start
        m, ind, resource = arr.minimum, get_indicator(arr.minimum.indicator), arr.resource
        name = ind.name_zh if self.lang == "zh" else ind.name_en
        value = arr.value_at(at)
        if np.isnan(value):
            return t["minimum.gap"].format(name=name, resource=self.resource(resource))
        quantity = float(arr.quantity[at])
        add = ""
        if not arr.met[at] and not np.isnan(quantity):
            add = t["minimum.add"].format(
                quantity=format_number(quantity),
                resource_unit=self.unit(resource, quantity),
                resource=self.resource(resource),
            )
        return t["minimum"].format(
            name=name,
            value=format_number(value, (m.op.value, m.value)),
            unit=ind.unit_zh if self.lang == "zh" else ind.unit_en,
            op=m.op.text_zh if self.lang == "zh" else m.op.text_en,
            threshold=format_number(m.value),
            verdict=t["met"] if arr.met[at] else t["not_met"],
            add=add,
        )


def frame_messages(ev: Evaluation, frame: FindingFrame, lang: str) -> list[str]:
    """The message of each finding of ``frame`` in ``lang`` (``"zh"`` or ``"en"``)."""
    c = _Context(ev, lang)
    render = _RENDERERS[frame.kind]
    return [render(c, frame, i) for i in range(len(frame))]


def _slot(c: _Context, f: FindingFrame, i: int) -> str:
    return c.t["slot"]


def _minimum(c: _Context, f: FindingFrame, i: int) -> str:
    return c.t["minimum.school"].format(
        school=c.school(int(f.school[i])),
        stage=c.stage(int(f.stage[i])),
        text=c.minimum_text(f.source, int(f.ref[i])),
    )


def _school_rule(c: _Context, f: FindingFrame, i: int) -> str:
    t, ref = c.t, int(f.ref[i])
    school = c.ev.standard.school_standard
    rules = c.ev.school_rule
    assert school is not None
    assert rules is not None
    stage = STAGES[int(f.stage[i])]
    details = [
        c.minimum_text(k, ref)
        for k, arr in enumerate(rules.minimums)
        if arr.minimum.stage is stage and not arr.met[ref - arr.part.start]
    ]
    status = int(f.status[i])
    verdict = t["not_evaluated"] if status == NOT_EVALUATED else _verdict(t, status)
    return t["school_rule"].format(
        school=c.school(int(f.school[i])),
        stage=c.stage(int(f.stage[i])),
        n_rules=int(rules.n_rules[ref]),
        n_met=int(rules.n_met[ref]),
        min_met=school.min_met,
        floor=format_number(100 * (school.floor_fraction or 0)),
        verdict=verdict,
        details=t["school_rule.details"].format(details=t["school_rule.join"].join(details))
        if details
        else "",
    )


def _rooms(c: _Context, f: FindingFrame, i: int) -> str:
    t, row = c.t, int(f.ref[i])
    ra = c.ev.facilities.rooms
    assert ra is not None
    kind = "music" if f.rule_id.startswith("rooms.music") else "art"
    school = c.school(row)
    if int(f.status[i]) == NOT_EVALUATED:
        # What is missing: the rooms, the classes they are counted against, or both.
        rooms = ra.music_rooms if kind == "music" else ra.art_rooms
        what = [
            c.resource(field)
            for field, lacking in (
                (f"{kind}_rooms", np.isnan(rooms[row])),
                ("class_sizes", np.isnan(ra.required[row])),
            )
            if lacking
        ] or [c.resource(f"{kind}_rooms")]
        joined = t["balance.undefined.join"].join(what)
        return t["rooms.gap"].format(school=school, room=t[kind], what=joined)
    count = float(f.measured[i])
    return t["rooms"].format(
        school=school,
        room=t[f"{kind}.one" if count == 1 else kind],  # 1 music room, 2 music rooms
        count=format_number(count),
        classes=format_number(float(ra.classes[row])),
        required=format_number(float(ra.required[row])),
        verdict=_verdict(t, int(f.status[i])),
    )


def _room_area(c: _Context, f: FindingFrame, i: int) -> str:
    t = c.t
    kind = "music" if f.rule_id.startswith("rooms.music") else "art"
    school = c.school(int(f.ref[i]))
    if int(f.status[i]) == NOT_EVALUATED:
        what = c.resource(f"{kind}_room_area")
        return t["room_area.gap"].format(school=school, room=t[kind], what=what)
    return t["room_area"].format(
        school=school,
        room=t[kind],
        mean=format_number(float(f.measured[i]), (">=", float(f.threshold[i]))),
        minimum=format_number(float(f.threshold[i])),
        verdict=_verdict(t, int(f.status[i])),
    )


def _school_size(c: _Context, f: FindingFrame, i: int) -> str:
    return c.t["school_size"].format(
        school=c.school(int(f.ref[i])),
        size=format_number(float(f.measured[i]), ("<=", float(f.threshold[i]))),
        maximum=format_number(float(f.threshold[i])),
        verdict=_verdict(c.t, int(f.status[i])),
    )


def _class_size(c: _Context, f: FindingFrame, i: int) -> str:
    t, row = c.t, int(f.ref[i])
    school, stage = c.school(row), c.stage(int(f.stage[i]))
    if int(f.status[i]) == NOT_EVALUATED:
        return t["class_size.gap"].format(
            school=school, stage=stage, what=c.resource("class_sizes")
        )
    ca = c.ev.facilities.classes[STAGES[int(f.stage[i])]]
    band = int(ca.largest_band[row])  # reported by band: the largest class's band, not its size
    return t["class_size" if band < 0 else "class_size.banded"].format(
        school=school,
        stage=stage,
        n_classes=format_number(float(ca.n_classes[row])),
        largest=format_number(float(ca.largest[row])),
        band=band_label(band, c.lang) if band >= 0 else "",
        n_over=format_number(float(ca.n_over[row])),
        cap=ca.cap,
        verdict=_verdict(t, int(f.status[i])),
    )


def _show_input(value: float, kind: InputKind, t: Mapping[str, str]) -> str:
    """A county input as messages show it: yes / no, a percentage, or a number."""
    if kind is InputKind.FLAG:
        return t["yes"] if value == 1.0 else t["no"]
    return f"{format_number(value * 100)}%" if kind is InputKind.RATE else format_number(value)


def _county_item(c: _Context, f: FindingFrame, i: int) -> str:
    t = c.t
    item = c.ev.standard.county_items[f.source]
    spec = COUNTY_INPUTS[item.input]
    name = spec.name_zh if c.lang == "zh" else spec.name_en.capitalize()
    value = float(f.measured[i])
    if np.isnan(value):
        return t["county_item.gap"].format(name=name, input=item.input)
    return t["county_item"].format(
        name=name,
        value=_show_input(value, spec.kind, t),
        op=item.op.text_zh if c.lang == "zh" else item.op.text_en,
        threshold=_show_input(item.value, spec.kind, t),
        verdict=t["county_item.met"] if f.status[i] == PASSED else t["county_item.not_met"],
    )


def _balance_stage(c: _Context, f: FindingFrame, i: int) -> str:
    return c.t["balance_stage"].format(stage=c.stage(int(f.stage[i])))


def _balance(c: _Context, f: FindingFrame, i: int) -> str:
    t, ev, group = c.t, c.ev, int(f.ref[i])
    rule = ev.standard.balance
    target = judged_values(ev)[f.source]
    indicators = rule.indicators if target == "composite_cv" else (target,)
    name = (
        t["composite_cv"]
        if target == "composite_cv"
        else t["cv_of"].format(indicator=c.indicator(target))
    )
    stage = c.stage(int(f.stage[i]), capital=True)
    statuses = {i: int(ev.balance.indicator_status[i][group]) for i in indicators}
    undefined = [i for i, s in statuses.items() if s == FAILED]
    if undefined:
        return t["balance.undefined"].format(
            stage=stage,
            name=name,
            indicators=t["balance.undefined.join"].join(c.indicator(i) for i in undefined),
        )
    lacking = [i for i, s in statuses.items() if s == NOT_EVALUATED]
    if lacking:
        parts = ev.parts
        # The parts of a group are one contiguous block (ordered by stage, then county).
        assert parts.groups.order is None
        start = int(parts.groups.starts[group])
        block = slice(start, start + int(parts.groups.counts[group]))
        details = []
        for ind in lacking:
            rows = parts.school_row[block][np.isnan(part_values(parts, rule, ind, block))]
            ids = [c.school(int(r)) for r in rows]
            details.append(
                t["balance.lacking.item"].format(
                    resource=c.resource(rule.numerator(ind)),
                    n=len(ids),
                    ids=format_ids(ids, c.lang),
                )
            )
        return t["balance.lacking"].format(
            stage=stage, name=name, details=t["balance.lacking.join"].join(details)
        )
    return t["balance"].format(
        stage=stage,
        name=name,
        cv=format_cv(float(f.measured[i]), float(f.threshold[i])),
        maximum=format_number(float(f.threshold[i])),
        verdict=_verdict(t, int(f.status[i])),
    )


_RENDERERS = {
    "slot": _slot,
    "minimum": _minimum,
    "school_rule": _school_rule,
    "rooms": _rooms,
    "room_area": _room_area,
    "school_size": _school_size,
    "class_size": _class_size,
    "county_item": _county_item,
    "balance_stage": _balance_stage,
    "balance": _balance,
}
