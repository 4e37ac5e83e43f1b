"""Standards as data: every threshold with its source.

The national standards ship as TOML files in this package; :func:`get_standard` returns one by id
and :func:`list_standards` lists them. A province's basic school-running standard is read with
:func:`load_school_standard` and plugged in with :meth:`Standard.with_school_standard`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import attrs

from eduequity.errors import UnknownNameError
from eduequity.standards.loader import (
    load_school_standard,
    parse_school_standard,
    parse_standard,
    read_toml,
)
from eduequity.standards.model import (
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
    "load_school_standard",
    "parse_school_standard",
    "parse_standard",
    "read_toml",
]


@attrs.frozen
class StandardInfo:
    """A line of :func:`list_standards`: id, titles, document number and year."""

    id: str
    title_zh: str
    title_en: str
    document: str
    year: int


@cache
def _builtin() -> dict[str, Standard]:
    out: dict[str, Standard] = {}
    folder = resources.files("eduequity.standards") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            with resources.as_file(entry) as path:
                data, where = read_toml(path)
            standard = parse_standard(data, where)
            out[standard.id] = standard
    return out


def get_standard(standard_id: str) -> Standard:
    """The built-in standard with id ``standard_id`` (see :func:`list_standards`).

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
    ['cn-basic-2012']
    """
    return tuple(
        StandardInfo(s.id, s.title_zh, s.title_en, s.document, s.year) for s in _builtin().values()
    )
