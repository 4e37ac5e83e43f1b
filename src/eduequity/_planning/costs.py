"""Unit costs of what a plan adds: yuan per m², computer, book, room, teacher per year, class.

eduequity has no built-in prices: a plan is priced only with the costs a user gives, each with
its source, as a mapping or a TOML file::

    [room_area]
    yuan = 3500
    source = "县财政局 2026 年校舍建设单价"

    [teachers_backbone]
    yuan = 150000          # per teacher per year
    source = "县人社局 2026 年教师人均年薪"

The keys are the resources of :data:`eduequity.batch.RESOURCE_NAMES` (a teacher sub-count is
the cost of one teacher of that kind a year), ``teacher`` (one new teacher a year: the price of
every teacher a plan hires whose kind has no price of its own), ``classes`` (one class more)
and, for plans with ``upgrade=True``, ``teachers_above_qualification_upgrade``,
``teachers_intermediate_title_upgrade`` and ``teachers_backbone_upgrade`` (one existing teacher
gaining it). A key may be written under its Chinese name (:data:`COST_NAMES`:
``[教学及辅助用房面积]``, ``[新聘教师]``). The equipment value is in yuan already: its unit cost
is 1 unless given.

Teachers may be left without a price: the rows that hire them then have no cost (the reports
say "not priced", never 0) and the totals are those of what is priced.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from eduequity import _display
from eduequity._errors import DataError
from eduequity._schema import COLUMNS, RESOURCE_NAMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "COST_KEYS",
    "COST_NAMES",
    "FREE",
    "TEACHER",
    "TEACHERS",
    "TRANSFERS",
    "Costs",
    "load_costs",
    "unit_cost",
]

_UPGRADES = {
    "teachers_above_qualification_upgrade": "学历提升",
    "teachers_intermediate_title_upgrade": "职称评定",
    "teachers_backbone_upgrade": "骨干评定",
}

#: The key of the price of one new teacher a year, whatever the kind.
TEACHER = "teacher"

#: The resources a plan adds by hiring teachers: priced by their own key, else by
#: :data:`TEACHER`.
TEACHERS: tuple[str, ...] = (
    "teachers",
    "teachers_above_qualification",
    "teachers_intermediate_title",
    "teachers_backbone",
    "teachers_pe_arts",
)

#: The Chinese name of each key a costs file may have (a key may be written under it).
COST_NAMES: dict[str, str] = {
    **{k: zh for k, (zh, _) in RESOURCE_NAMES.items()},
    TEACHER: "新聘教师",
    "classes": "班级",
    **_UPGRADES,
}

#: The keys a costs file may have: every resource, ``classes`` (one class more), and the
#: upgrades of a teacher sub-count (one existing teacher gaining it, with ``upgrade=True``).
COST_KEYS: tuple[str, ...] = tuple(COST_NAMES)


@attrs.frozen
class Costs:
    """Unit costs in yuan, each with its source.

    Attributes
    ----------
    yuan : mapping of str to float
        Yuan per unit of each resource (per m², per computer, per book, per room, per teacher
        a year, per class).
    source : mapping of str to str
        Where each unit cost comes from.
    """

    yuan: Mapping[str, float]
    source: Mapping[str, str]

    def of(self, resource: str) -> float | None:
        """The unit cost of ``resource``: the one given; for teachers, the price of a new
        teacher (``teacher``) where their kind has none; 1 for the equipment value (yuan);
        else None."""
        if resource in self.yuan:
            return self.yuan[resource]
        if resource in TEACHERS and TEACHER in self.yuan:
            return self.yuan[TEACHER]
        return 1.0 if resource == "equipment_value" else None

    __repr__ = _display.record_repr


#: The reasons of the rows of a teacher transfer: it moves what a county has, adds nothing.
TRANSFERS = ("transfer_in", "transfer_out")

#: Reasons whose rows cost nothing of their own: a hired teacher is priced once, in the row of
#: what they are hired for (the rows ``hire`` count them in the teachers and staff), and a
#: transfer moves a teacher the county already pays.
FREE = ("hire", *TRANSFERS)


def unit_cost(costs: Costs | None, resource: str, reason: str) -> float | None:
    """The unit cost of a plan's row: None for a ``hire`` row (its teacher is priced in the
    row they are hired for), 0 for a transfer, the upgrade's price for an upgrade, else the
    resource's (None where not priced); None without costs."""
    if costs is None or reason == "hire":
        return None
    if reason in TRANSFERS:
        return 0.0
    return costs.of(f"{resource}_upgrade" if reason == "upgrade" else resource)


def _entry(key: str, value: Any, where: str) -> tuple[float, str]:
    if not isinstance(value, Mapping):
        raise DataError(
            f"costs: {where} [{key}] must be a table with yuan and source, e.g. "
            f'[{key}] yuan = 3500, source = "...". Got {value!r}.'
        )
    unknown = set(value) - {"yuan", "source", "note"}
    if unknown:
        raise DataError(f"costs: {where} [{key}] has unknown fields {sorted(unknown)}.")
    yuan, source = value.get("yuan"), value.get("source")
    if isinstance(yuan, bool) or not isinstance(yuan, int | float) or not math.isfinite(yuan):
        raise DataError(f"costs: {where} [{key}] yuan must be a number. Got {yuan!r}.")
    if yuan < 0:
        raise DataError(f"costs: {where} [{key}] yuan must be >= 0. Got {yuan!r}.")
    if not isinstance(source, str) or not source.strip():
        raise DataError(
            f"costs: {where} [{key}] needs a source (where the price comes from). Got {source!r}."
        )
    return float(yuan), source


def load_costs(source: Costs | Mapping[str, Any] | str | Path) -> Costs:
    """Read unit costs from a mapping or a TOML file (UTF-8, with or without BOM).

    Examples
    --------
    >>> costs = load_costs({"books": {"yuan": 30, "source": "采购目录 2026"}})
    >>> costs.of("books"), costs.of("equipment_value"), costs.of("computers")
    (30.0, 1.0, None)
    """
    if isinstance(source, Costs):
        return source
    where = "the mapping"
    if isinstance(source, str | Path):
        path = Path(source)
        where = repr(path.name)
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        except OSError as error:
            raise DataError(f"costs: cannot read {where}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise DataError(f"costs: {where} is not UTF-8; save it as UTF-8.") from None
        try:
            data: Mapping[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            bare = _BARE_CHINESE.search(text)
            hint = f' A Chinese key is written in quotes: ["{bare.group(1)}"].' if bare else ""
            raise DataError(f"costs: {where} is not valid TOML: {error}.{hint}") from None
    else:
        data = source
    yuan: dict[str, float] = {}
    sources: dict[str, str] = {}
    written: dict[str, str] = {}
    for key, value in data.items():
        name = _key(str(key), where)
        if name in written:
            raise DataError(
                f"costs: {where} prices {name} twice, as [{written[name]}] and [{key}]; keep one."
            )
        written[name] = str(key)
        yuan[name], sources[name] = _entry(str(key), value, where)
    return Costs(yuan, sources)


#: A table header with a key outside ASCII and without quotes (TOML refuses it).
_BARE_CHINESE = re.compile(r"^\s*\[\s*([^\]\"'\s]*[^\x00-\x7f][^\]\"'\s]*)\s*\]", re.MULTILINE)

_ROOMS = ("multimedia_rooms", "music_rooms", "art_rooms")

#: Each key by its Chinese name, and by that name as a count (专任教师数, 网络多媒体教室数) and
#: the school table's headers of the column (计算机台数, 图书册数), as offices write them.
_BY_NAME = {
    **{f"{COST_NAMES[key]}数": key for key in (*TEACHERS, TEACHER, "staff", *_ROOMS, "classes")},
    **{alias: c.name for c in COLUMNS if c.name in COST_NAMES for alias in c.aliases},
    **{zh: key for key, zh in COST_NAMES.items()},
}


def _key(key: str, where: str) -> str:
    """The cost key ``key`` stands for (itself or its Chinese name), or a
    :class:`~eduequity.DataError`
    naming the nearest keys."""
    stripped = key.strip()
    if stripped in COST_NAMES:
        return stripped
    if stripped in _BY_NAME:
        return _BY_NAME[stripped]
    near = difflib.get_close_matches(stripped, [*COST_NAMES, *_BY_NAME], n=2, cutoff=0.6)
    hint = f" Did you mean {' or '.join(f'[{n}]' for n in near)}?" if near else ""
    hint_zh = f"是否指 {' 或 '.join(f'[{n}]' for n in near)}？" if near else ""
    known = ", ".join(f"{k} ({zh})" for k, zh in COST_NAMES.items())
    known_zh = "、".join(COST_NAMES.values())
    raise DataError(
        f"costs: {where} has an unknown resource {key!r}.{hint} Known: {known}.",
        zh=("单价" if where == "the mapping" else f"单价文件 {where} ")
        + f"中的资源 {key!r} 无法识别。{hint_zh}可用的资源：{known_zh}。",
    )
