"""Unit costs of what a plan adds: yuan per m², computer, book, room, teacher per year, class.

eduequity has no built-in prices: a plan is priced only with the costs a user gives, each with
its source, as a mapping or a TOML file::

    [room_area]
    yuan = 3500
    source = "县财政局 2026 年校舍建设单价"

    [teachers_backbone]
    yuan = 150000          # per teacher per year
    source = "县人社局 2026 年教师人均年薪"

The keys are the resources of :data:`eduequity.schema.RESOURCE_NAMES` (a teacher sub-count is
the cost of one teacher of that kind a year), ``classes`` (one class more) and, for plans with
``upgrade=True``, ``teachers_above_qualification_upgrade``, ``teachers_intermediate_title_upgrade``
and ``teachers_backbone_upgrade`` (one existing teacher gaining it). The equipment value is in
yuan already: its unit cost is 1 unless given.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from eduequity.errors import DataError
from eduequity.schema import RESOURCE_NAMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["COST_KEYS", "COST_NAMES", "FREE", "TRANSFERS", "Costs", "load_costs", "unit_cost"]

_UPGRADES = {
    "teachers_above_qualification_upgrade": "学历提升",
    "teachers_intermediate_title_upgrade": "职称评定",
    "teachers_backbone_upgrade": "骨干评定",
}

#: The Chinese name of each key a costs file may have.
COST_NAMES: dict[str, str] = {
    **{k: zh for k, (zh, _) in RESOURCE_NAMES.items()},
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
        """The unit cost of ``resource``: the one given, 1 for the equipment value (yuan),
        else None."""
        if resource in self.yuan:
            return self.yuan[resource]
        return 1.0 if resource == "equipment_value" else None


#: The reasons of the rows of a teacher transfer: it moves what a county has, adds nothing.
TRANSFERS = ("transfer_in", "transfer_out")

#: Reasons whose rows cost nothing: a hired teacher is priced in the sub-count's row, and a
#: transfer moves a teacher the county already pays.
FREE = ("hire", *TRANSFERS)


def unit_cost(costs: Costs | None, resource: str, reason: str) -> float | None:
    """The unit cost of a plan's row: 0 for :data:`FREE` reasons, the upgrade's price for an
    upgrade, else the resource's; None without costs."""
    if costs is None:
        return None
    if reason in FREE:
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
            raise DataError(f"costs: {where} is not valid TOML: {error}.") from None
    else:
        data = source
    yuan, sources = {}, {}
    for key, value in data.items():
        if key not in COST_KEYS:
            raise DataError(
                f"costs: {where} has an unknown resource {key!r}; known: {', '.join(COST_KEYS)}."
            )
        yuan[key], sources[key] = _entry(key, value, where)
    return Costs(yuan, sources)
