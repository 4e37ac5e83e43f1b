"""Standards as data: every threshold with its source.

The national standards ship as TOML files in this package; :func:`~eduequity.get_standard`
returns one by id and :func:`~eduequity.list_standards` lists them. A user ruleset that extends or
overrides a standard is read with :func:`~eduequity.load_ruleset`. A province's basic
school-running standard is read with :func:`~eduequity.load_school_standard` and plugged in with
:meth:`~eduequity.Standard.with_school_standard`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from eduequity._errors import RulesetError, UnknownNameError
from eduequity.standards._loader import (
    load_school_standard,
    parse_school_standard,
    parse_standard,
    read_toml,
)
from eduequity.standards._merge import merge_ruleset
from eduequity.standards._model import (
    BalanceMethod,
    BalanceRule,
    Citation,
    Component,
    Confidence,
    CountyItem,
    NumeratorChoice,
    Op,
    SchoolMinimum,
    SchoolStandard,
    SchoolStandardSlot,
    Scope,
    Standard,
)

__all__ = [
    "BalanceMethod",
    "BalanceRule",
    "Citation",
    "Component",
    "Confidence",
    "CountyItem",
    "NumeratorChoice",
    "Op",
    "SchoolMinimum",
    "SchoolStandard",
    "SchoolStandardSlot",
    "Scope",
    "Standard",
    "StandardInfo",
    "get_standard",
    "list_standards",
    "load_ruleset",
    "load_school_standard",
    "parse_school_standard",
    "parse_standard",
    "read_toml",
]


@attrs.frozen
class StandardInfo:
    """A line of :func:`~eduequity.list_standards`: id, titles, document number and year."""

    id: str
    title_zh: str
    title_en: str
    document: str
    year: int


@cache
def _builtin_raw() -> dict[str, tuple[dict[str, Any], str]]:
    """The built-in standards' TOML data by id, with ``extends`` resolved."""
    raw: dict[str, tuple[dict[str, Any], str]] = {}
    folder = resources.files("eduequity.standards") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            with resources.as_file(entry) as path:
                data, where = read_toml(path)
            raw[data["id"]] = (data, where)
    resolved: dict[str, tuple[dict[str, Any], str]] = {}

    def resolve(standard_id: str, chain: tuple[str, ...]) -> dict[str, Any]:
        if standard_id in resolved:
            return resolved[standard_id][0]
        data, where = raw[standard_id]
        parent = data.get("extends")
        if parent is not None:
            if parent in chain or parent not in raw:
                raise RulesetError(
                    f"{where}: [top level] field 'extends' names {parent!r}, "
                    "which is not a built-in standard it can extend."
                )
            data = merge_ruleset(resolve(parent, (*chain, standard_id)), data, where)
        resolved[standard_id] = (data, where)
        return data

    for standard_id in raw:
        resolve(standard_id, ())
    return resolved


@cache
def _builtin() -> dict[str, Standard]:
    return {k: parse_standard(data, where) for k, (data, where) in _builtin_raw().items()}


def load_ruleset(path: str | Path) -> Standard:
    """Read a standard from a TOML file, usually one that extends a built-in standard.

    A ruleset names the standard it extends and overrides or adds what differs::

        schema = 1
        id = "my-province-quality"
        extends = "cn-quality-2017"
        title_zh = "某省县域义务教育优质均衡发展督导评估实施细则"
        title_en = "Quality balance, my province"
        issuer = "某省教育厅"
        document = "…〔2019〕…号"
        year = 2019
        source = "province"

        [sources.province]
        issuer = "某省教育厅"
        title = "某省县域义务教育优质均衡发展督导评估实施细则"
        year = 2019

        [class_size]
        maximum = { primary = 40, junior = 45 }
        source = "province"

    Tables merge key by key; ``components`` and ``county_items`` merge by ``id``, the school
    standard's ``rules`` by ``indicator`` and ``stage``, class-size ``targets`` by ``min_size``;
    other values are replaced. Every table or entry whose values change must name its own
    ``source``. A file without ``extends`` must be a complete standard. Parsing reads data only.

    Raises
    ------
    RulesetError
        Naming the file, the table or rule and the field: an unknown indicator, a bad operator
        or value, a missing citation, an unknown field.
    UnknownNameError
        If ``extends`` names no built-in standard.
    """
    data, where = read_toml(path)
    parent = data.get("extends")
    if parent is not None:
        if not isinstance(parent, str) or parent not in _builtin_raw():
            known = ", ".join(_builtin_raw())
            raise UnknownNameError(
                f"{where}: [top level] field 'extends' must name a built-in standard ({known}). "
                f"Got {parent!r}."
            )
        data = merge_ruleset(_builtin_raw()[parent][0], data, where)
    return parse_standard(data, where)


def get_standard(standard_id: str) -> Standard:
    """The built-in standard with id ``standard_id`` (see :func:`~eduequity.list_standards`).

    Raises
    ------
    UnknownNameError
        If there is no such standard; the message lists the known ids.

    Examples
    --------
    >>> s = get_standard("cn-basic-2012")
    >>> s.document, dict(s.balance.maximum)
    ('教督〔2012〕3号', {<Stage.PRIMARY: 'primary'>: 0.65, <Stage.JUNIOR: 'junior'>: 0.55})
    """
    known = _builtin()
    if standard_id not in known:
        raise UnknownNameError(
            f"get_standard: {standard_id!r} is not a known standard ({', '.join(known)})."
        )
    return known[standard_id]


def list_standards() -> tuple[StandardInfo, ...]:
    """The built-in standards: ids, titles, document numbers and years.

    Examples
    --------
    >>> [s.id for s in list_standards()]
    ['cn-basic-2012', 'cn-quality-2017', 'jiangsu-quality']
    """
    return tuple(
        StandardInfo(s.id, s.title_zh, s.title_en, s.document, s.year) for s in _builtin().values()
    )


def __dir__() -> list[str]:
    """The public names, for completion in a console or a notebook."""
    return sorted(__all__)
