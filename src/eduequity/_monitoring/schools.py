"""Schools across years: which open, close, or change kind or county (撤并 shows as closures).

A school is followed from year to year by its ``school_id``. Ids need only be unique within a
county in a year's table; an id that a year's table holds in two counties is matched, in the
neighbouring year, to its first row there.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, digit_keys, empty_table, named, numbers, strings
from eduequity._monitoring.figures import KIND_NAMES as _KIND_NAMES
from eduequity._monitoring.figures import Year

__all__ = ["CHANGES", "county_moves", "leading_zero_pairs", "school_changes"]

#: The columns of ``Monitoring.school_changes``.
CHANGES = pa.schema(
    [
        ("school_id", pa.string()),
        ("year", pa.int64()),
        ("change", pa.string()),
        ("before", pa.string()),
        ("after", pa.string()),
    ]
)


def school_changes(years: Mapping[int, Year]) -> pa.Table:
    """Per pair of consecutive years: the schools opened (``after``: the county), closed
    (``before``: the county), and those whose kind or county changed (``before`` and
    ``after``), sorted by year and school id."""
    columns = list(years.values())
    if len(columns) < 2:
        return empty_table(CHANGES)
    # One code per school id and one per county code over every year, then plain arrays. Ids
    # of digits only (census ids) are coded as numbers, faster than as text.
    keys = [digit_keys(c.school_id) for c in columns]
    numeric = [array(k) for k in keys if k is not None]
    encoded = pc.dictionary_encode(
        pa.chunked_array(numeric)
        if len(numeric) == len(columns)
        else pa.chunked_array([c.school_id for c in columns])
    )
    n_ids = len(encoded.chunk(encoded.num_chunks - 1).dictionary)  # every id, in code order
    ids = [numbers(c.indices).astype(np.intp) for c in encoded.chunks]
    county_names = pc.unique(pa.chunked_array([c.county_code for c in columns]))
    county = [
        numbers(pc.index_in(c.county_code, value_set=county_names)).astype(np.intp)[c.county]
        for c in columns
    ]
    kind = [c.kind for c in columns]
    parts: list[tuple[int, str, pa.Array, pa.Array, pa.Array]] = []
    year_list = list(years)
    for j in range(1, len(columns)):
        year, last = year_list[j], j - 1
        first_row = np.full(n_ids, -1, dtype=np.intp)
        if np.bincount(ids[last], minlength=n_ids).max(initial=0) > 1:
            unique, first = np.unique(ids[last], return_index=True)  # an id in two counties
            first_row[unique] = first
        else:
            first_row[ids[last]] = np.arange(ids[last].size)
        at = first_row[ids[j]]  # each school of ``year``: its row the year before, or -1
        present = np.zeros(n_ids, dtype=np.bool_)
        present[ids[j]] = True
        opened = np.flatnonzero(at < 0)
        closed = np.flatnonzero(~present[ids[last]])
        parts.append(
            (year, "opened", _id(columns[j], opened), _NONE, _name(county_names, county[j][opened]))
        )
        parts.append(
            (
                year,
                "closed",
                _id(columns[last], closed),
                _name(county_names, county[last][closed]),
                _NONE,
            )
        )
        stayed = np.flatnonzero(at >= 0)
        before = at[stayed]
        kinds = strings(_KIND_NAMES)
        # An id in a county that also holds it this year has not moved (ids need be unique
        # only within a county: 0001 in several counties is several schools).
        n_codes = len(county_names)
        held = ids[j].astype(np.int64) * n_codes + county[j]
        for change, codes, names in (("kind", kind, kinds), ("county", county, county_names)):
            moved = codes[last][before] != codes[j][stayed]
            if change == "county":
                was = ids[j][stayed].astype(np.int64) * n_codes + county[last][before]
                moved &= ~np.isin(was, held)
            parts.append(
                (
                    year,
                    change,
                    _id(columns[j], stayed[moved]),
                    _name(names, codes[last][before[moved]]),
                    _name(names, codes[j][stayed[moved]]),
                )
            )
    table = pa.concat_tables(
        [
            pa.table(
                [
                    school,
                    array(np.full(len(school), year, dtype=np.int64)),
                    named((change,), len(school)),
                    pa.nulls(len(school), pa.string()) if before is _NONE else before,
                    pa.nulls(len(school), pa.string()) if after is _NONE else after,
                ],
                schema=CHANGES,
            )
            for year, change, school, before, after in parts
        ]
    )
    return table.sort_by([("year", "ascending"), ("school_id", "ascending")])


#: Marks a side of a change that has no value (an opened school's county before).
_NONE = pa.nulls(0, pa.string())


def _id(year: Year, rows: NDArray[np.intp]) -> pa.Array:
    """The school ids of ``rows`` of a year's table."""
    return year.school_id.take(array(rows.astype(np.int64)))


def _name(names: pa.Array, codes: NDArray[np.intp]) -> pa.Array:
    return names.take(array(codes.astype(np.int64)))


def county_moves(
    changes: pa.Table, present: set[tuple[str, int]], years: list[int]
) -> list[dict[str, object]]:
    """The schools that changed county, per year and pair of county codes: ``n`` schools, and
    ``renamed`` where the old code has no school that year and the new one had none the year
    before it in ``years`` (a change of the county's code, which the panel keeps as two
    counties). ``present``: the (county code, year) pairs with schools."""
    before_year = dict(zip(years[1:], years[:-1], strict=True))
    moved = changes.filter(pc.is_in(changes.column("change"), strings(("county",)))).to_pylist()
    counts: dict[tuple[int, str, str], int] = {}
    for row in moved:
        key = (row["year"], row["before"], row["after"])
        counts[key] = counts.get(key, 0) + 1
    return [
        {
            "year": year,
            "before": before,
            "after": after,
            "n": n,
            "renamed": (before, year) not in present and (after, before_year[year]) not in present,
        }
        for (year, before, after), n in sorted(counts.items())
    ]


def leading_zero_pairs(changes: pa.Table) -> list[dict[str, object]]:
    """Ids closed and opened in one year and one county that are the same digits but for
    leading zeros (0311240007 and 311240007: an id stored as a number, e.g. by Excel, loses
    them): each pair with its year and county."""
    rows = changes.filter(pc.is_in(changes.column("change"), strings(("opened", "closed"))))
    opened: dict[tuple[int, str, str], str] = {}
    closed: list[tuple[int, str, str, str]] = []
    for row in rows.to_pylist():
        sid = row["school_id"]
        if not sid.isdigit():
            continue
        if row["change"] == "opened":
            opened[(row["year"], row["after"], sid.lstrip("0"))] = sid
        else:
            closed.append((row["year"], row["before"], sid.lstrip("0"), sid))
    return [
        {"year": year, "county_code": county, "closed": sid, "opened": opened[key]}
        for year, county, digits, sid in closed
        if (key := (year, county, digits)) in opened
    ]
