"""Rulesets that extend a standard: the parent's raw data merged with the child's.

A changed value must name its own source, so that no changed value keeps the parent's
citation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eduequity._errors import RulesetError

__all__ = ["merge_ruleset"]


#: Arrays of tables merged entry by entry when a ruleset extends a standard, by these keys.
_KEYED: Mapping[str, tuple[str, ...]] = {
    "components": ("id",),
    "county_items": ("id",),
    "rules": ("indicator", "stage"),
    "targets": ("min_size",),
}
#: A ruleset's own id and titles: they name it, and change no value of a rule.
_NAMES = frozenset({"id", "title_zh", "title_en"})
#: What a citation of a rule says of its source's value (a ruleset's own source drops the
#: parent's: they describe the parent's value).
_CITED = ("clause", "clause_zh", "confidence", "reading", "reading_zh")
_CITATION_KEYS = frozenset(
    f"{prefix}{key}" for prefix in ("", "area_", "band_") for key in ("source", *_CITED)
)


def _merge_table(
    parent: Mapping[str, Any], child: Mapping[str, Any], where: str, path: str
) -> dict[str, Any]:
    """``parent`` overridden by ``child``; a changed rule must name its own source, other
    than the parent's."""
    changed = sorted(
        k
        for k in child
        if k not in _CITATION_KEYS
        and k not in _KEYED
        and not _holds_rules(child[k])
        and child[k] != parent.get(k)
        and not (path == "" and k in _NAMES)
    )
    if changed and "source" in parent and child.get("source") == parent["source"]:
        raise RulesetError(
            f"{where}: [{path or 'top level'}] field 'source' names the source of the value "
            f"this ruleset changes ({changed[0]!r}); cite the document that sets the new value."
        )
    if "source" in parent and "source" not in child and changed:
        raise RulesetError(
            f"{where}: [{path or 'top level'}] field 'source' is required: the ruleset "
            f"changes {changed[0]!r}, so it must name its own source for the new value."
        )
    out = dict(parent)
    # A table that names its own source cites that source alone: the parent's clause,
    # confidence or note would describe the parent's value, not the child's.
    for prefix in ("", "area_", "band_"):
        if f"{prefix}source" in child:
            for key in (*_CITED, "note"):
                out.pop(f"{prefix}{key}", None)
    for key, value in child.items():
        sub = f"{path}.{key}" if path else key
        old = out.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            if key == "sources" or path == "sources":
                out[key] = {**old, **value}
            else:
                out[key] = _merge_table(old, value, where, sub)
        elif key in _KEYED and isinstance(old, list) and isinstance(value, list):
            out[key] = _merge_keyed(old, value, _KEYED[key], where, sub)
        else:
            out[key] = value
    return out


def _holds_rules(value: Any) -> bool:
    """Whether ``value`` is a rule table (with its own source) or a table of rule tables.

    Those are checked where they are; any other changed value (a number, a map of values such
    as ``maximum``) changes the enclosing rule, which must then name its own source.
    """
    if not isinstance(value, Mapping):
        return False
    return "source" in value or (
        bool(value) and all(isinstance(v, Mapping) for v in value.values())
    )


def _merge_keyed(
    parent: list[Any], child: list[Any], keys: tuple[str, ...], where: str, path: str
) -> list[Any]:
    def key_of(entry: Any, i: int) -> tuple[Any, ...]:
        if not isinstance(entry, Mapping) or any(k not in entry for k in keys):
            raise RulesetError(
                f"{where}: [{path}[{i}]] must be a table with {', '.join(map(repr, keys))}."
            )
        return tuple(entry[k] for k in keys)

    merged = list(parent)
    index = {key_of(e, i): i for i, e in enumerate(parent)}
    for i, entry in enumerate(child):
        k = key_of(entry, i)
        if k in index:
            merged[index[k]] = _merge_table(parent[index[k]], entry, where, f"{path}[{i}]")
        else:
            index[k] = len(merged)
            merged.append(entry)
    return merged


def merge_ruleset(
    parent: Mapping[str, Any], child: Mapping[str, Any], where: str
) -> dict[str, Any]:
    """The raw data of ``child`` extending ``parent``.

    Tables merge key by key; the arrays ``components`` and ``county_items`` merge by ``id``,
    ``rules`` by ``indicator`` and ``stage``, ``targets`` by ``min_size`` (an entry with a new
    key is added); anything else is replaced. A table or entry whose values the child changes
    must name its own ``source``, so that no changed value keeps the parent's citation.
    """
    body = {k: v for k, v in child.items() if k != "extends"}
    for key in ("id", "title_zh", "title_en"):
        if key not in body:
            raise RulesetError(f"{where}: [top level] field {key!r} is required in a ruleset.")
    return _merge_table(parent, body, where, "")
