"""County-level inputs: what inspectors assess outside the school census.

Some components of an evaluation are not computed from school data: the inspectors' score of the
government's work, the public satisfaction rate from surveys. A :class:`~eduequity.County` carries
them in ``inputs``, keyed by the ids below. Rates are fractions (``0.91`` for 91 %), scores are
points out of 100.

A county-inputs file (:func:`eduequity.batch.read_county_inputs`) may name each input by its id
or by its Chinese name (``公众满意度``), and write a rate as a fraction, a percentage or a bare
percentage (``0.92``, ``92%``, ``92``; see :func:`read_rates`) and a yes/no as ``是`` / ``否``
(:data:`YES_NO`).

Examples
--------
>>> from eduequity._county_inputs import input_named, near_name
>>> input_named("公众满意度").id, input_named("satisfaction_rate").id
('satisfaction_rate', 'satisfaction_rate')
>>> print(input_named("公众满意"))
None
>>> near_name("公众满意")
'公众满意度'
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import Enum

import attrs

from eduequity._errors import DataError, UnknownNameError
from eduequity._options import get_option

__all__ = [
    "COUNTY_INPUTS",
    "INPUT_RANGES",
    "YES_NO",
    "CountyInput",
    "InputKind",
    "Rates",
    "check_county_inputs",
    "input_named",
    "near_name",
    "read_rates",
    "read_yes_no",
    "unknown_input_message",
]


class InputKind(str, Enum):
    """How a county input is expressed."""

    SCORE = "score"  # points, 0 to 100
    RATE = "rate"  # a fraction, 0 to 1
    FLAG = "flag"  # True or False (a judgement: met or not met)
    NUMBER = "number"  # any finite number >= 0


@attrs.frozen
class CountyInput:
    """One county-level input: its id, names and kind."""

    id: str
    name_zh: str
    name_en: str
    kind: InputKind


_S, _R, _F, _N = InputKind.SCORE, InputKind.RATE, InputKind.FLAG, InputKind.NUMBER

#: The known county inputs, by id. Flags are True when the county meets the item, except the
#: ``veto_*`` flags, which are True when the vetoing event happened.
COUNTY_INPUTS: Mapping[str, CountyInput] = {
    i.id: i
    for i in (
        # 2012 basic balance
        CountyInput("government_work_score", "县级人民政府推进义务教育均衡发展工作评估得分",
                    "score of the county government's work for balanced development", _S),
        CountyInput("satisfaction_rate", "公众满意度", "public satisfaction rate", _R),
        # 2017 quality balance: precondition
        CountyInput("years_since_basic_balance", "通过基本均衡国家认定的年数",
                    "years since recognition as basic-balance", _N),
        CountyInput("basic_balance_monitoring_high", "基本均衡监测保持较高水平",
                    "basic-balance monitoring kept at a high level", _F),
        # 2017 government guarantee (items other than those computed from school data)
        CountyInput("layout_planned", "学校规划布局合理，符合国家规定要求",
                    "school layout planned and compliant", _F),
        CountyInput("unified_standards", "县域内城乡学校建设、编制、生均公用经费、装备配置标准统一",
                    "unified urban and rural standards for building, staffing, funding and "
                    "equipment", _F),
        CountyInput("small_schools_funded_as_100", "不足100名学生的村小学和教学点按100名学生核定公用经费",
                    "village schools and teaching points under 100 students funded as 100", _F),
        CountyInput("special_education_funding_per_student", "特殊教育学校生均公用经费（元）",
                    "special-education schools' operating funding per student (yuan)", _N),
        CountyInput("teacher_pay_ratio", "教师平均工资收入水平与当地公务员平均工资收入水平之比",
                    "teachers' average pay over local civil servants' average pay", _N),
        CountyInput("teacher_training_completion_rate", "教师5年360学时培训完成率",
                    "teachers' five-year 360-hour training completion rate", _R),
        CountyInput("staffing_allocated_within_totals", "县级教育行政部门在核定的教职工编制总额和岗位总量内统筹分配",
                    "staffing and posts allocated across schools within the approved totals", _F),
        CountyInput("teacher_rotation_rate", "交流轮岗教师占符合交流条件教师总数的比例",
                    "share of eligible teachers rotated in the year", _R),
        CountyInput("backbone_share_of_rotation", "交流轮岗教师中骨干教师的比例",
                    "share of backbone teachers among those rotated", _R),
        CountyInput("teacher_certificate_rate", "专任教师持有教师资格证上岗率",
                    "share of full-time teachers holding a teaching certificate", _R),
        CountyInput("nearby_enrollment_rate_primary", "城区和镇区公办小学就近划片入学比例",
                    "share of primary pupils in urban and town public schools enrolled nearby", _R),
        CountyInput("nearby_enrollment_rate_junior", "城区和镇区公办初中就近划片入学比例",
                    "share of junior students in urban and town public schools enrolled nearby", _R),
        CountyInput("quota_allocation_rate", "优质高中招生名额分配到区域内初中的比例",
                    "share of quality senior-high admission quotas allocated to junior schools", _R),
        CountyInput("left_behind_care_system", "留守儿童关爱体系健全",
                    "care system for left-behind children in place", _F),
        CountyInput("migrant_children_public_rate", "符合条件的随迁子女在公办学校和政府购买服务的民办学校就读的比例",
                    "share of eligible migrant children in public or government-funded places", _R),
        # 2017 education quality
        CountyInput("junior_retention_rate", "初中三年巩固率", "junior three-year retention rate",
                    _R),
        CountyInput("disabled_enrollment_rate", "残疾儿童少年入学率",
                    "enrollment rate of children with disabilities", _R),
        CountyInput("school_charters_and_digital_management", "所有学校制定章程，实现学校管理与教学信息化",
                    "every school has a charter; management and teaching digitised", _F),
        CountyInput("min_training_budget_share", "各校教师培训经费占年度公用经费预算的最低比例",
                    "smallest share of a school's operating budget spent on teacher training", _R),
        CountyInput("ict_proficiency", "教师能熟练运用信息化手段组织教学，设施设备利用率高",
                    "teachers use ICT proficiently; equipment well used", _F),
        CountyInput("moral_education_good", "德育工作、校园文化建设水平达到良好以上",
                    "moral education and school culture rated good or better", _F),
        CountyInput("full_curriculum", "课程开齐开足，教学秩序规范，综合实践活动有效开展",
                    "all courses offered in full; orderly teaching; practical activities", _F),
        CountyInput("homework_burden_reasonable", "无过重课业负担", "no excessive homework burden",
                    _F),
        CountyInput("monitoring_level_iii", "国家义务教育质量监测相关科目学生学业水平达到Ⅲ级以上",
                    "students reach level III or above in national quality monitoring", _F),
        CountyInput("between_school_difference_rate", "国家义务教育质量监测校际差异率",
                    "between-school difference rate in national quality monitoring", _N),
        # 2017 social recognition and veto
        CountyInput("social_recognition_rate", "社会认可度", "social recognition rate", _R),
        CountyInput("veto_exam_admission", "存在以考试方式招生", "admission by examination", _F),
        CountyInput("veto_illegal_school_choice", "存在违规择校行为", "illegal school choice", _F),
        CountyInput("veto_key_schools_or_classes", "存在重点学校或重点班", "key schools or key classes",
                    _F),
        CountyInput("veto_major_safety_accident", "发生重大安全责任事故", "a major safety accident",
                    _F),
        CountyInput("veto_serious_violation", "存在严重违反教育法律法规问题",
                    "a serious violation of education law", _F),
        # provincial targets
        CountyInput("school_choice_intake_rate", "择校生比例", "share of students admitted by school choice",
                    _R),
    )
}  # fmt: skip


#: The range of a value of each numeric kind: lowest, highest, and how it reads in messages.
INPUT_RANGES: Mapping[InputKind, tuple[float, float, str]] = {
    InputKind.SCORE: (0.0, 100.0, "a score from 0 to 100"),
    InputKind.RATE: (0.0, 1.0, "a fraction from 0 to 1 (0.91 for 91%)"),
    InputKind.NUMBER: (0.0, math.inf, "a finite number >= 0"),
}


#: Each input by its id and by its Chinese name.
_BY_NAME: Mapping[str, CountyInput] = {i.id: i for i in COUNTY_INPUTS.values()} | {
    i.name_zh: i for i in COUNTY_INPUTS.values()
}

#: How a yes/no is written (case and surrounding spaces aside), with what it means.
YES_NO: Mapping[str, bool] = {
    "是": True,
    "否": False,
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
}


def _say(en: str, zh: str) -> str:
    """A message in the language of the ``lang`` option (:func:`eduequity.set_options`)."""
    return zh if get_option("lang") == "zh" else en


def input_named(name: str) -> CountyInput | None:
    """The county input named ``name`` (its id or its Chinese name, spaces around it aside),
    or None."""
    return _BY_NAME.get(name.strip())


def near_name(name: str, extra: Sequence[str] = ()) -> str | None:
    """The id or Chinese name of an input (or one of ``extra``) nearest to ``name``, if one is
    near enough to be a slip (:func:`difflib.get_close_matches`, cutoff 0.6); else None."""
    found = difflib.get_close_matches(name.strip(), [*_BY_NAME, *extra], n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_input_message(where: str, name: str, extra: Sequence[str] = ()) -> str:
    """The message for a name that is no county input, with the nearest name if one is
    near, in the language of the ``lang`` option."""
    near = near_name(name, extra)
    known = ", ".join(sorted(COUNTY_INPUTS))
    if near is None:
        return _say(
            f"{where} {name!r} is not a known county input (its id or its Chinese name; "
            f"ids: {known}).",
            f"{where} “{name}”不是可识别的县级指标（请用指标代码或中文名称；代码：{known}）。",
        )
    return _say(
        f"{where} {name!r} is not a known county input; did you mean {near!r}?",
        f"{where} “{name}”不是可识别的县级指标；是否应为“{near}”？",
    )


def read_yes_no(value: object) -> bool | None:
    """A yes/no as written: a boolean, or text in :data:`YES_NO` (是 / 否, true / false, yes /
    no, y / n); None for anything else.

    Examples
    --------
    >>> from eduequity._county_inputs import read_yes_no
    >>> read_yes_no("是"), read_yes_no(" No "), read_yes_no(1)
    (True, False, None)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return YES_NO.get(value.strip().lower())
    return None


@attrs.frozen
class Rates:
    """The rates of one column of a county-inputs file, as read by :func:`read_rates`.

    Attributes
    ----------
    values : list of float or None
        Each rate as a fraction (None where not given).
    percentages : bool
        Whether the column's bare numbers were read as percentages.
    either : list of int
        The rows whose value could be read either way (a bare ``1``: 100 % as a fraction,
        1 % as a percentage), read by the rule; echoed in what was read.
    bad : int or None
        The first row that is no rate, or None.
    mixed : tuple of int or None
        A row with a bare number above 1 and a row with one between 0 and 1 (the column mixes
        percentages and fractions), or None.
    """

    values: list[float | None]
    percentages: bool
    either: list[int]
    bad: int | None = None
    mixed: tuple[int, int] | None = None


def read_rates(given: Sequence[object]) -> Rates:
    """Read a column of rates written as fractions (``0.92``), percentages with their sign
    (``92%``, ``92％``) or bare percentages (``92``).

    The rule: a value with its % sign is a percentage. The bare numbers of a column are read
    one way for the whole column: as percentages if one of them is above 1, else as
    fractions. A column with both a bare number above 1 and one strictly between 0 and 1 is
    refused (``mixed``): one of them would be misread; write the sign (``0.5%``). A bare ``1``
    is 100 % as a fraction and 1 % as a percentage: it is read by the rule (a fraction, unless
    another bare number of the column is above 1) and listed in ``either``, to be echoed with
    what was read. A bare ``0`` is 0 % either way.

    Examples
    --------
    >>> from eduequity._county_inputs import read_rates
    >>> read_rates(["92%", "0.91", None]).values
    [0.92, 0.91, None]
    >>> r = read_rates([92, 85.5, 1])
    >>> r.values, r.percentages, r.either
    ([0.92, 0.855, 0.01], True, [2])
    >>> read_rates([0.9, 91]).mixed
    (1, 0)
    """
    numbers_: list[float | None] = []
    signed: list[bool] = []
    bad = None
    for i, v in enumerate(given):
        x: float | None = None
        sign = False
        if isinstance(v, str):
            text = v.strip()
            if text.endswith(("%", "％")):
                text, sign = text[:-1].strip(), True
            if text:
                try:
                    x = float(text)
                except ValueError:
                    bad = i if bad is None else bad
        elif isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            x = float(v)
        elif v is not None:
            bad = i if bad is None else bad
        numbers_.append(x)
        signed.append(sign)
    bare = [(i, x) for i, (x, s) in enumerate(zip(numbers_, signed, strict=True)) if not s]
    above = [i for i, x in bare if x is not None and x > 1]
    between = [i for i, x in bare if x is not None and 0 < x < 1]
    percentages = bool(above)
    mixed = (above[0], between[0]) if above and between else None
    values = [
        None if x is None else (x / 100 if s or percentages else x)
        for x, s in zip(numbers_, signed, strict=True)
    ]
    either = [i for i, x in bare if x == 1]
    return Rates(values, percentages, either, bad, mixed)


def check_county_inputs(where: str, inputs: Mapping[str, object]) -> None:
    """Check that every input id is known and its value fits its kind.

    Raises
    ------
    UnknownNameError
        For an id not in :data:`COUNTY_INPUTS`.
    DataError
        For a value outside its kind's range, naming the input and the value.
    """
    for key, value in inputs.items():
        spec = COUNTY_INPUTS.get(key)
        if spec is None:
            raise UnknownNameError(unknown_input_message(f"{where} input", key))
        if spec.kind is InputKind.FLAG:
            if not isinstance(value, bool):
                raise DataError(f"{where} input {key!r} must be True or False. Got {value!r}.")
            continue
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
        x = float(value) if ok else math.nan  # type: ignore[arg-type]
        low, high, expectation = INPUT_RANGES[spec.kind]
        if not (ok and low <= x <= high and math.isfinite(x)):
            raise DataError(f"{where} input {key!r} must be {expectation}. Got {value!r}.")
