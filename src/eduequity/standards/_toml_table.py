"""Reading TOML data files: UTF-8 text (with or without a byte-order mark), tables read
field by field with their types checked, and an error for any field left unread, each error
naming the file, the table and the field; and the ``[sources]`` that rules cite.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from eduequity._errors import RulesetError
from eduequity.standards._model import Citation, Confidence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["TomlTable", "cite", "parse_sources", "read_toml", "tomllib"]

T = TypeVar("T")
_MISSING: Any = object()


def read_toml(path: str | Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file (UTF-8, with or without a byte-order mark); return its data and the
    name to use in error messages."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise RulesetError(f"{p}: cannot read the file ({e.strerror or e}).") from e
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise RulesetError(
            f"{p.name}: a ruleset must be UTF-8 text (with or without a byte-order mark); "
            "this file is not (GBK? save it as UTF-8)."
        ) from None
    try:
        return tomllib.loads(text), p.name
    except tomllib.TOMLDecodeError as e:
        raise RulesetError(f"{p.name}: not valid TOML ({e}).") from e


class TomlTable:
    """A TOML table being read: typed access, and an error for any key left unread."""

    def __init__(self, data: object, where: str, path: str) -> None:
        self.where, self.path = where, path
        if not isinstance(data, Mapping):
            raise self.error(None, "must be a table", data)
        self.data: Mapping[str, Any] = data
        self.used: set[str] = set()

    def error(self, key: str | None, expectation: str, got: object) -> RulesetError:
        field = f" field {key!r}" if key is not None else ""
        return RulesetError(f"{self.where}: [{self.path}]{field} {expectation}. Got {got!r}.")

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is _MISSING:
                raise self.error(key, "is required", None)
            return default
        return self.data[key]

    def text(self, key: str, default: Any = _MISSING) -> Any:
        v = self.raw(key, default)
        if v is not default and (not isinstance(v, str) or not v.strip()):
            raise self.error(key, "must be a non-empty string", v)
        return v

    def integer(self, key: str, default: Any = _MISSING) -> Any:
        v = self.raw(key, default)
        if v is not default and (not isinstance(v, int) or isinstance(v, bool)):
            raise self.error(key, "must be an integer", v)
        return v

    def number(self, key: str, default: Any = _MISSING, positive: bool = False) -> Any:
        v = self.raw(key, default)
        if v is default:
            return v
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        if not ok or (positive and v <= 0):
            raise self.error(key, "must be a finite number" + (" > 0" if positive else ""), v)
        return float(v)

    def flag(self, key: str, default: Any = _MISSING) -> Any:
        v = self.raw(key, default)
        if v is not default and not isinstance(v, bool):
            raise self.error(key, "must be true or false", v)
        return v

    def choice(self, key: str, enum: type[T], default: Any = _MISSING) -> T:
        v = self.raw(key, default)
        if v is default:
            return v  # type: ignore[no-any-return]
        try:
            return enum(v)  # type: ignore[call-arg]
        except ValueError:
            allowed = ", ".join(repr(e.value) for e in enum)  # type: ignore[attr-defined]
            raise self.error(key, f"must be one of {allowed}", v) from None

    def table(self, key: str, default: Any = _MISSING) -> Any:
        v = self.raw(key, default)
        return v if v is default else TomlTable(v, self.where, self._sub(key))

    def tables(self, key: str, default: Any = _MISSING) -> Iterator[TomlTable]:
        v = self.raw(key, default)
        if v is default:
            return iter(())
        if not isinstance(v, list):
            raise self.error(key, "must be an array of tables ([[...]])", v)
        return (TomlTable(t, self.where, f"{self._sub(key)}[{i}]") for i, t in enumerate(v))

    def _sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def done(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise self.error(extra[0], "is not a known field here", self.data[extra[0]])


def _parse_source(t: TomlTable, default_confidence: Confidence = Confidence.PRIMARY) -> Citation:
    return Citation(
        issuer=t.text("issuer"),
        title=t.text("title"),
        document=t.text("document", ""),
        year=t.integer("year", None),
        clause=t.text("clause", ""),
        confidence=t.choice("confidence", Confidence, default_confidence),
        note=t.text("note", ""),
        clause_zh=t.text("clause_zh", ""),
    )


def cite(t: TomlTable, sources: Mapping[str, Citation], prefix: str = "") -> Citation:
    """The citation of a rule: its ``source`` key, with its own ``clause`` and ``confidence``.

    ``prefix`` reads a second citation of the same table (``area_source``, ``area_clause``...).
    """
    key = t.text(f"{prefix}source")
    if key not in sources:
        known = ", ".join(sorted(sources)) or "none defined"
        raise t.error(f"{prefix}source", f"must name a table of [sources] ({known})", key)
    base = sources[key]
    own = f"{prefix}clause" in t.data
    return base.with_clause(
        t.text(f"{prefix}clause", base.clause),
        t.choice(f"{prefix}confidence", Confidence, None),
        t.text(f"{prefix}clause_zh", "" if own else base.clause_zh),
        t.text(f"{prefix}reading", ""),
        t.text(f"{prefix}reading_zh", ""),
    )


def parse_sources(root: TomlTable) -> dict[str, Citation]:
    table = root.table("sources", None)
    if table is None:
        return {}
    sources = {}
    for key in table.data:
        sub = table.table(key)
        sources[key] = _parse_source(sub)
        sub.done()
    table.done()
    return sources
