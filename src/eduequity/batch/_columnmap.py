"""Column maps: how the headers of a user's table become eduequity's columns.

A column map is data, like a standard: a TOML file (or a dict in Python) that names, for a source
header or header path, the column it fills, with its unit or scale, and simple derived columns (a
sum or difference of source columns). The headers the reader already knows (the national forms'
names, :data:`~eduequity.batch.COLUMNS`) still apply; a map adds to them and wins where both match.

.. code-block:: toml

    [map]
    name = "my office's workbook"
    county_digits = 6            # 行政区划代码 printed with 9 or 12 digits: keep the first 6

    [columns]
    "学校（机构）标识码" = "school_id"
    "教学仪器设备资产值" = { column = "equipment_value", unit = "万元" }
    "在校生数>合计" = "enrollment_{stage}"      # the stage of a one-stage school

    [derived]
    room_area = { add = ["教学及辅助用房>计"], subtract = ["室内体育用房"] }

    [ignore]
    "是否计校数" = "a site counted within its parent school; evaluated as its 办学类型 says"

A header path joins the cells of a multi-row header with ``>`` (``在校生数>合计``). Headers are
compared after ``normalise`` (full-width forms and spaces do
not matter). ``{stage}`` in a column (``enrollment_{stage}``) is the stage of the sheet (a sheet
named 小学 or 初中) or else of the school's kind; a school of two stages with such a column is
refused, since one number cannot be divided between stages.

The built-in map ``"census"`` (:data:`CENSUS`) reads the per-school export of the education
statistics census as far as it is known; each entry says its confidence.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from eduequity._errors import DataError
from eduequity._schema import COLUMNS
from eduequity.batch._headers import UNITS, normalise, split_unit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["BUILT_IN_MAPS", "ColumnMap", "Derived", "MapEntry", "column_map", "map_template"]

#: The column maps that come with eduequity, by name.
BUILT_IN_MAPS = ("census", "census-indoor-sports")

_CANONICAL = {c.name for c in COLUMNS}


def _known_column(column: str, where: str) -> str:
    if column in _CANONICAL or column.replace("{stage}", "primary") in _CANONICAL:
        return column
    raise DataError(
        f"{where}: {column!r} is not a column of eduequity (see eduequity._schema.COLUMNS; "
        "per-stage columns may say {stage}, e.g. 'enrollment_{stage}')."
    )


@attrs.frozen
class MapEntry:
    """One source header (or header path) and the column it fills.

    Attributes
    ----------
    source : str
        The header as the map writes it.
    column : str
        A canonical column (:data:`eduequity.batch.COLUMNS`), or a per-stage one with
        ``{stage}``.
    scale : float
        The factor to the column's unit (10,000 for 万元 to yuan).
    unit : str or None
        The unit the map states, if any.
    note : str
        Why this entry (its source and confidence), shown in what was read.
    """

    source: str
    column: str
    scale: float = 1.0
    unit: str | None = None
    note: str = ""


@attrs.frozen
class Derived:
    """A column computed from source columns: the sum of ``add`` minus the sum of
    ``subtract`` (a null in any part leaves the result null)."""

    column: str
    add: tuple[str, ...]
    subtract: tuple[str, ...] = ()
    note: str = ""


@attrs.frozen
class ColumnMap:
    """How the headers of a table become eduequity's columns (see the module docs).

    Attributes
    ----------
    name : str
    entries : tuple of MapEntry
    derived : tuple of Derived
    ignore : mapping of str to str
        Headers deliberately left unused, each with the reason shown in what was read.
    county_digits : int or None
        Keep this many leading digits of the county code (6: a township's 9- or 12-digit
        code becomes its county's), said in what was read.
    """

    name: str
    entries: tuple[MapEntry, ...] = ()
    derived: tuple[Derived, ...] = ()
    ignore: Mapping[str, str] = attrs.field(factory=dict)
    county_digits: int | None = None

    def __repr__(self) -> str:
        return (
            f"ColumnMap({self.name!r}: {len(self.entries)} headers, {len(self.derived)} "
            f"derived, {len(self.ignore)} ignored)"
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], name: str = "columns") -> ColumnMap:
        """A map from a dict: either ``{header: column}`` or the TOML file's tables
        (``{"columns": {...}, "derived": {...}, "ignore": {...}, "map": {...}}``)."""
        if not isinstance(data, Mapping):
            raise DataError(f"{name}: a column map must be a table. Got {type(data).__name__}.")
        sections = {"map", "columns", "derived", "ignore"}
        if not set(data) & sections:
            data = {"columns": data}
        unknown = sorted(set(data) - sections)
        if unknown:
            raise DataError(
                f"{name}: unknown section(s) {unknown}; a column map has [map], [columns], "
                "[derived] and [ignore]."
            )
        head = dict(data.get("map", {}))
        title = str(head.pop("name", name))
        digits = head.pop("county_digits", None)
        if head:
            raise DataError(f"{name}: [map] has unknown key(s) {sorted(head)}.")
        if digits is not None and (not isinstance(digits, int) or not 2 <= digits <= 12):
            raise DataError(f"{name}: county_digits must be a whole number. Got {digits!r}.")
        entries = [_entry(source, spec, name) for source, spec in data.get("columns", {}).items()]
        derived = [_derived(column, spec, name) for column, spec in data.get("derived", {}).items()]
        ignore = {str(k): str(v) for k, v in data.get("ignore", {}).items()}
        return cls(title, tuple(entries), tuple(derived), ignore, digits)

    @classmethod
    def load(cls, path: str | Path) -> ColumnMap:
        """Read a column map from a TOML file (UTF-8)."""
        p = Path(path)
        try:
            text = p.read_bytes().decode("utf-8").removeprefix("\ufeff")
        except OSError as error:
            raise DataError(f"column map {str(p)!r} cannot be read: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise DataError(f"column map {p.name!r} must be UTF-8 text.") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise DataError(f"column map {p.name!r} is not valid TOML: {error}.") from None
        return cls.from_mapping(data, p.name)

    def lookup(self) -> dict[str, MapEntry]:
        """The entries by normalised header (without its unit)."""
        return {split_unit(normalise(e.source))[0]: e for e in self.entries}


def _entry(source: str, spec: Any, where: str) -> MapEntry:
    header_unit = split_unit(normalise(source))[1]
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, Mapping) or "column" not in spec:
        raise DataError(
            f'{where}: [columns] {source!r} must name a column, e.g. "school_id" or '
            '{ column = "equipment_value", unit = "万元" }.'
        )
    spec = dict(spec)
    column = _known_column(str(spec.pop("column")), f"{where}: [columns] {source!r}")
    unit = spec.pop("unit", header_unit)
    scale = spec.pop("scale", None)
    note = str(spec.pop("note", ""))
    if spec:
        raise DataError(f"{where}: [columns] {source!r} has unknown key(s) {sorted(spec)}.")
    if unit is not None and unit not in UNITS:
        raise DataError(
            f"{where}: [columns] {source!r}: unknown unit {unit!r}; known: {', '.join(UNITS)}."
        )
    if scale is None:
        scale = UNITS[unit].scale if unit is not None else 1.0
    if not isinstance(scale, (int, float)) or not scale > 0:
        raise DataError(f"{where}: [columns] {source!r}: scale must be a positive number.")
    return MapEntry(source, column, float(scale), unit, note)


def _derived(column: str, spec: Any, where: str) -> Derived:
    column = _known_column(column, f"{where}: [derived] {column!r}")
    if not isinstance(spec, Mapping) or "add" not in spec:
        raise DataError(
            f"{where}: [derived] {column!r} must be {{ add = [...], subtract = [...] }}."
        )
    spec = dict(spec)
    add, subtract = spec.pop("add"), spec.pop("subtract", [])
    note = str(spec.pop("note", ""))
    if spec:
        raise DataError(f"{where}: [derived] {column!r} has unknown key(s) {sorted(spec)}.")
    for part in (add, subtract):
        if not isinstance(part, list) or not all(isinstance(h, str) for h in part):
            raise DataError(
                f"{where}: [derived] {column!r}: add and subtract are lists of headers."
            )
    return Derived(column, tuple(add), tuple(subtract), note)


def column_map(spec: Any) -> ColumnMap | None:
    """A :class:`ColumnMap` from what a user passes as ``columns=``: None, a map, the name of
    a built-in map (:data:`BUILT_IN_MAPS`), a path to a TOML file, or a dict."""
    if spec is None or isinstance(spec, ColumnMap):
        return spec
    if isinstance(spec, str) and spec in BUILT_IN_MAPS:
        text = resources.files("eduequity.batch").joinpath(f"maps/{spec}.toml").read_text("utf-8")
        return ColumnMap.from_mapping(tomllib.loads(text), spec)
    if isinstance(spec, (str, Path)):
        if not Path(spec).exists():
            raise DataError(
                f"columns: {str(spec)!r} is neither a column map file nor a built-in map "
                f"({', '.join(BUILT_IN_MAPS)})."
            )
        return ColumnMap.load(spec)
    if isinstance(spec, Mapping):
        return ColumnMap.from_mapping(spec)
    raise DataError(
        "columns must be a column map: a TOML path, a dict of header to column, or one of "
        f"{BUILT_IN_MAPS}. Got {type(spec).__name__}."
    )


def map_template() -> str:
    """A column map to edit: every column with the header eduequity already knows for it,
    commented out (uncomment a line and put your header on its left)."""
    lines = [
        "# eduequity column map: how the headers of your table become eduequity's columns.",
        "# Uncomment a line and write your header (or a header path such as 在校生数>合计)",
        "# on its left. Headers eduequity already knows (on the left below) need no line.",
        '# A unit: { column = "equipment_value", unit = "万元" }. Per-stage columns may',
        "# say {stage}: the stage of the sheet (小学, 初中) or of a one-stage school.",
        "",
        "[map]",
        'name = "my table"',
        "# county_digits = 6   # keep the county's 6 digits of 9- or 12-digit township codes",
        "",
        "[columns]",
    ]
    for c in COLUMNS:
        known = c.aliases[0] if c.aliases else c.name
        lines.append(f'# "{known}" = "{c.name}"    # {c.description}')
    lines += [
        "",
        "[derived]",
        '# room_area = { add = ["教学及辅助用房"], subtract = ["室内体育用房"] }',
        "",
        "[ignore]",
        '# "备注" = "remarks, not a figure"',
        "",
    ]
    return "\n".join(lines)
