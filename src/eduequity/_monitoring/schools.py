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

__all__ = ["CHANGES", "county_moves", "leading_zero_pairs", "openings", "school_changes"]

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
    # One number per school id, the same for the same id in every year: ids of digits only
    # (census ids) as numbers, faster than as text; else the codes of one dictionary of ids.
    found = [digit_keys(c.school_id) if c.id_keys is None else c.id_keys for c in columns]
    keys = [k for k in found if k is not None]
    if len(keys) < len(columns):
        encoded = pc.dictionary_encode(pa.chunked_array([c.school_id for c in columns]))
        keys = [numbers(c.indices).astype(np.int64) for c in encoded.chunks]
    ids = [_Ids(k) for k in keys]
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
        at = ids[last].first_row(keys[j])  # each school of ``year``: its row before, or -1
        opened = np.flatnonzero(at < 0)
        closed = np.flatnonzero(~ids[last].among(at[at >= 0]))
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
        for change, codes, names in (("kind", kind, kinds), ("county", county, county_names)):
            moved = codes[last][before] != codes[j][stayed]
            if change == "county":
                # An id its former county holds this year too has not moved (ids need be
                # unique only within a county: 0001 in several counties is several schools).
                held = ids[j].held(keys[j][stayed[moved]], county[last][before[moved]], county[j])
                moved[moved] = ~held
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


class _Ids:
    """A year's school ids as numbers, sorted once to be looked up: each id of another year
    is found by a binary search (no hash table of every year's ids)."""

    def __init__(self, keys: NDArray[np.int64]) -> None:
        # Stable: of the rows of one id (in two counties), the first comes first. A census
        # table is usually in id order already: then nothing is sorted.
        if keys.size < 2 or bool(np.all(keys[1:] >= keys[:-1])):
            self.order = np.arange(keys.size)
        else:
            self.order = np.argsort(keys, kind="stable")
        self.sorted = keys[self.order]

    def first_row(self, keys: NDArray[np.int64]) -> NDArray[np.intp]:
        """The first row holding each of ``keys`` (-1 where no row does)."""
        if not self.sorted.size:
            return np.full(keys.size, -1, dtype=np.intp)
        at = np.minimum(np.searchsorted(self.sorted, keys), self.sorted.size - 1)
        found: NDArray[np.intp] = np.where(self.sorted[at] == keys, self.order[at], -1)
        return found

    def among(self, rows: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Per row, whether its id is the id of one of ``rows`` (where another year's ids were
        found: every row of an id the other year holds)."""
        marked = np.zeros(self.sorted.size, dtype=np.bool_)
        marked[rows] = True
        starts = np.concatenate([[True], self.sorted[1:] != self.sorted[:-1]])
        if not starts.all():  # an id on several rows: found at its first, marked on each
            run = np.cumsum(starts) - 1
            marked[self.order] = (np.bincount(run, weights=marked[self.order]) > 0)[run]
        return marked

    def held(
        self, keys: NDArray[np.int64], counties: NDArray[np.intp], county: NDArray[np.intp]
    ) -> NDArray[np.bool_]:
        """Whether a row holds each id of ``keys`` in the county beside it in ``counties``
        (``county``: each row's county). Every id of ``keys`` has a row (they are the few
        schools of this year whose county differs from the year before)."""
        if not keys.size:
            return np.zeros(0, dtype=np.bool_)
        lo = np.searchsorted(self.sorted, keys, side="left")
        n = np.searchsorted(self.sorted, keys, side="right") - lo
        # Every row of each id (usually one) in one array, and whether it is in the county.
        first = np.cumsum(n) - n
        rows = self.order[np.repeat(lo - first, n) + np.arange(int(n.sum()))]
        same = county[rows] == np.repeat(counties, n)
        found: NDArray[np.bool_] = np.add.reduceat(same, first) > 0
        return found


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


def openings(changes: pa.Table) -> pa.Table:
    """The rows of ``changes`` (:data:`CHANGES`) of schools opened or closed."""
    return changes.filter(pc.is_in(changes.column("change"), strings(("opened", "closed"))))


def leading_zero_pairs(changes: pa.Table) -> list[dict[str, object]]:
    """Ids closed and opened in one year and one county that are the same digits but for
    leading zeros (0311240007 and 311240007: an id stored as a number, e.g. by Excel, loses
    them): each pair with its year and county."""
    rows = openings(changes)
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
