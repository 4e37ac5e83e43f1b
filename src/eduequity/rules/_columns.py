"""The columnar form of schools that every rule works on.

Both doors end here: :func:`columns_from_counties` turns validated :class:`~eduequity.County`
objects into :class:`SchoolColumns`, and the columnar door builds the same columns from an Arrow
table (:mod:`eduequity.batch`). The pipeline (:func:`eduequity.rules.run`) then works on arrays
with integer county codes, whatever the door.

Conventions: a stage a school does not have has enrollment ``0``; a value not reported is NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from eduequity import _display
from eduequity._arrow import array, of_type
from eduequity._class_bands import N_BANDS, band_above, edges_text
from eduequity._errors import DataError
from eduequity._models import PHYSICAL_RESOURCES, STAGE_PEOPLE, County, Stage
from eduequity._split import KIND_CODES

__all__ = [
    "STAGES",
    "ClassSizes",
    "MadeWhenAsked",
    "SchoolColumns",
    "columns_from_counties",
    "county_chunks",
]

FloatArray = NDArray[np.float64]

#: The compulsory stages in array order: stage code 0 is primary, 1 is junior.
STAGES: tuple[Stage, ...] = (Stage.PRIMARY, Stage.JUNIOR)


@attrs.frozen(eq=False)
class ClassSizes:
    """The size of each class of each school, flattened as in Arrow: school ``i`` has
    ``values[offsets[i]:offsets[i + 1]]``; ``reported[i]`` is False where nothing was reported.

    A school may report its classes by band instead (``eduequity._class_bands``): then
    ``bands[i]`` holds its count of classes in each of the ten bands and it has no values.
    ``bands`` is None where no school reported by band.
    """

    values: NDArray[np.signedinteger[Any]]
    offsets: NDArray[np.intp]
    reported: NDArray[np.bool_]
    bands: NDArray[np.int64] | None = None

    def counts(self) -> NDArray[np.intp]:
        """Number of classes of each school (0 where not reported)."""
        listed: NDArray[np.intp] = np.diff(self.offsets)
        if self.bands is None:
            return listed
        total: NDArray[np.intp] = listed + self.bands.sum(axis=1).astype(np.intp)
        return total

    def count_where(self, mask: NDArray[np.bool_]) -> NDArray[np.intp]:
        """Per school, how many of its listed classes ``mask`` (one entry per value) marks
        (the classes counted by band are not values: see :meth:`count_above`)."""
        marked = np.flatnonzero(mask)  # usually few: large classes, bad sizes
        school = np.searchsorted(self.offsets, marked, side="right") - 1
        counted: NDArray[np.intp] = np.bincount(school, minlength=self.reported.size)
        return counted

    @property
    def banded(self) -> NDArray[np.bool_]:
        """Whether each school reported its classes by band."""
        if self.bands is None:
            return np.zeros(self.reported.size, dtype=np.bool_)
        banded: NDArray[np.bool_] = self.reported & (self.bands.sum(axis=1) > 0)
        return banded

    def count_above(self, size: int) -> NDArray[np.intp]:
        """Per school, its classes of more than ``size`` students, listed or by band.

        Raises
        ------
        DataError
            Where ``size`` falls inside a band and some school reported by band (the pipeline
            checks this first, naming the standard: :func:`eduequity.rules.run`).
        """
        return self.counts_above((size,))[size]

    def counts_above(self, sizes: Iterable[int]) -> dict[int, NDArray[np.intp]]:
        """:meth:`count_above` for each of ``sizes``, from one pass over the listed classes
        (the classes above the smallest size are found once, then counted for each size).

        Raises
        ------
        DataError
            As :meth:`count_above`.
        """
        wanted = sorted(set(sizes))
        if not wanted:
            return {}
        marked = np.flatnonzero(self.values > wanted[0])  # usually few: the large classes
        school = np.searchsorted(self.offsets, marked, side="right") - 1
        values = self.values[marked]
        n = self.reported.size
        return {
            size: self._with_bands(
                np.bincount(school[values > size] if k else school, minlength=n), size
            )
            for k, size in enumerate(wanted)
        }

    def _with_bands(self, counted: NDArray[np.intp], size: int) -> NDArray[np.intp]:
        """``counted`` (the listed classes of more than ``size`` students) plus those counted
        by band."""
        if self.bands is None:
            return counted
        first = band_above(size)
        if first is None:
            if self.banded.any():
                raise DataError(
                    f"ClassSizes: classes of more than {size} students cannot be counted from "
                    f"the bands: {size} falls inside a band (edges: {edges_text()})."
                )
            return counted
        total: NDArray[np.intp] = counted + self.bands[:, first:].sum(axis=1).astype(np.intp)
        return total

    def largest_band(self) -> NDArray[np.intp]:
        """Per school reported by band, the band of its largest class; -1 for other schools
        and for a school with no class."""
        top = np.full(self.reported.size, -1, dtype=np.intp)
        if self.bands is not None:
            some = self.bands > 0
            last = N_BANDS - 1 - np.argmax(some[:, ::-1], axis=1)
            top = np.where(some.any(axis=1) & self.reported, last, -1).astype(np.intp)
        return top

    def of(self, row: int) -> NDArray[np.signedinteger[Any]]:
        """The class sizes of school ``row`` (none for a school reported by band)."""
        return self.values[self.offsets[row] : self.offsets[row + 1]]

    def take(self, rows: NDArray[np.intp]) -> ClassSizes:
        """The class sizes of the schools ``rows``, in that order."""
        counts = np.diff(self.offsets)[rows]
        offsets = np.zeros(rows.size + 1, dtype=np.intp)
        np.cumsum(counts, out=offsets[1:])
        starts = np.repeat(self.offsets[rows] - offsets[:-1], counts)
        return ClassSizes(
            values=self.values[starts + np.arange(offsets[-1])],
            offsets=offsets,
            reported=self.reported[rows],
            bands=None if self.bands is None else self.bands[rows],
        )

    __repr__ = _display.class_sizes_repr


class MadeWhenAsked(Mapping[str, NDArray[np.float64]]):
    """Columns of amounts, each made when it is asked for and not kept: a new array (or a
    read-only view of the table's buffer) at each ``[name]``.

    The columns as read stay in the caller's table; what a standard does not use is never
    made, and what it uses lives only while it is used (the stage parts keep their own).
    Ask once per use, not once per school.

    Parameters
    ----------
    makers : mapping of str to callable
        Per column, what makes it.
    """

    __slots__ = ("_makers",)

    def __init__(self, makers: Mapping[str, Callable[[], NDArray[np.float64]]]) -> None:
        self._makers = dict(makers)

    def __getitem__(self, name: str) -> NDArray[np.float64]:
        return self._makers[name]()

    def __contains__(self, name: object) -> bool:  # without making the column
        return name in self._makers

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __repr__(self) -> str:
        return f"MadeWhenAsked({', '.join(self._makers)})"


@attrs.frozen(eq=False)
class SchoolColumns:
    """One row per input school, as arrays: what both doors hand to the pipeline.

    Attributes
    ----------
    school_id : pyarrow.StringArray
        The id of each school, as written.
    school_name : pyarrow.StringArray or None
        The name of each school, where the input has names.
    county : array of int
        County index of each school, ``0 <= county < n_counties``.
    county_code : pyarrow.StringArray
        The code of each county, by county index.
    county_name : pyarrow.StringArray or None
        The name of each county (null where not given), where the input has names.
    kind : array of int
        Kind code (``KIND_CODES``).
    public, county_run : array of bool
    enrollment : mapping of Stage to array of float
        0 where the school does not have the stage.
    senior_enrollment : array of float
    people : mapping of Stage to mapping of str to array of float
        The ``STAGE_PEOPLE`` fields but enrollment; NaN where not reported. Read from a
        table, each stage's columns are made anew each time one is asked for: ask
        once per use.
    resources : mapping of str to array of float
        The ``PHYSICAL_RESOURCES``; NaN where not reported. Read from a table, each column
        is made anew each time it is asked for, as the people are: ask once per use.
    class_sizes : mapping of Stage to ClassSizes
    not_reported : mapping of str to array of bool
        Per input column, the schools whose null was accepted as "not reported".
    headers : mapping of str to str
        Per column, the header as the user wrote it (empty where the columns were not read
        from a user's table), for messages.
    id_keys : array of int or None
        Each school id as a number (the same number for the same id) where every id is
        digits, as the validation found them; None otherwise or where not computed.
    unread_scope : tuple of str
        The headers of the user's table, as written, that say who runs each school in words
        not read (举办者): a scope that needs ``public`` or ``county_run`` refuses the table
        without those columns (:func:`~eduequity.rules.run`).
    """

    school_id: pa.Array
    county: NDArray[np.intp]
    county_code: pa.Array
    kind: NDArray[np.intp]
    public: NDArray[np.bool_]
    county_run: NDArray[np.bool_]
    enrollment: Mapping[Stage, FloatArray]
    senior_enrollment: FloatArray
    people: Mapping[Stage, Mapping[str, FloatArray]]
    resources: Mapping[str, FloatArray]
    class_sizes: Mapping[Stage, ClassSizes]
    school_name: pa.Array | None = None
    county_name: pa.Array | None = None
    not_reported: Mapping[str, NDArray[np.bool_]] = attrs.field(factory=dict)
    headers: Mapping[str, str] = attrs.field(factory=dict)
    id_keys: NDArray[np.int64] | None = None
    unread_scope: tuple[str, ...] = ()

    @property
    def n_schools(self) -> int:
        """Number of rows."""
        return int(self.county.size)

    @property
    def n_counties(self) -> int:
        """Number of counties."""
        return len(self.county_code)

    def of_counties(self, first: int, stop: int) -> SchoolColumns:
        """The schools of the counties ``first`` to ``stop - 1`` (county indexes), in input
        order, with those counties renumbered from 0: the columns the pipeline would get from
        a table of these schools alone. Every rule works within a county, so each county's
        verdicts are the same either way."""
        rows = np.flatnonzero((self.county >= first) & (self.county < stop))
        at = array(rows.astype(np.int64))

        def floats(values: FloatArray) -> FloatArray:
            taken: FloatArray = values[rows]
            return taken

        return SchoolColumns(
            school_id=self.school_id.take(at),
            county=self.county[rows] - first,
            county_code=self.county_code.slice(first, stop - first),
            kind=self.kind[rows],
            public=self.public[rows],
            county_run=self.county_run[rows],
            enrollment={s: floats(v) for s, v in self.enrollment.items()},
            senior_enrollment=floats(self.senior_enrollment),
            people={s: {f: floats(v) for f, v in p.items()} for s, p in self.people.items()},
            resources={r: floats(v) for r, v in self.resources.items()},
            class_sizes={s: c.take(rows) for s, c in self.class_sizes.items()},
            school_name=None if self.school_name is None else self.school_name.take(at),
            county_name=(
                None if self.county_name is None else self.county_name.slice(first, stop - first)
            ),
            not_reported={c: m[rows] for c, m in self.not_reported.items()},
            headers=self.headers,
            id_keys=None if self.id_keys is None else self.id_keys[rows],
            unread_scope=self.unread_scope,
        )

    def made(self) -> SchoolColumns:
        """These columns with every people and resource column made once and kept (a plan
        asks for them many times; read from a table, each is otherwise made anew at each
        ask)."""
        return attrs.evolve(
            self,
            people={s: dict(p) for s, p in self.people.items()},
            resources=dict(self.resources),
        )

    def compulsory_enrollment(self) -> FloatArray:
        """Each school's students in the compulsory stages."""
        total: FloatArray = self.enrollment[STAGES[0]] + self.enrollment[STAGES[1]]
        return total

    __repr__ = _display.school_columns_repr


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)


def columns_from_counties(counties: Sequence[County]) -> SchoolColumns:
    """Arrays of the schools of ``counties``, in order; county ``i`` gets county index ``i``."""
    schools = [(i, s) for i, c in enumerate(counties) for s in c.schools]
    n = len(schools)
    people: dict[Stage, dict[str, FloatArray]] = {}
    enrollment: dict[Stage, FloatArray] = {}
    class_sizes: dict[Stage, ClassSizes] = {}
    for stage in STAGES:
        data = [s.stage(stage) for _, s in schools]
        lists = [() if d is None or d.class_sizes is None else d.class_sizes for d in data]
        banded = [d is not None and d.class_bands is not None for d in data]
        bands = None
        if any(banded):
            bands = np.array(
                [(d and d.class_bands) or (0,) * N_BANDS for d in data],
                dtype=np.int64,
            ).reshape(n, N_BANDS)
        class_sizes[stage] = ClassSizes(
            values=np.array([v for sizes in lists for v in sizes], dtype=np.int64),
            offsets=np.concatenate([[0], np.cumsum([len(x) for x in lists])]).astype(np.intp),
            reported=np.array(
                [
                    d is not None and (d.class_sizes is not None or d.class_bands is not None)
                    for d in data
                ],
                dtype=np.bool_,
            ),
            bands=bands,
        )
        enrollment[stage] = np.array([0.0 if d is None else d.enrollment for d in data])
        people[stage] = {
            f: np.array([math.nan if d is None else _num(getattr(d, f)) for d in data])
            for f in STAGE_PEOPLE[1:]
        }
    names = [c.name or None for c in counties]
    return SchoolColumns(
        school_id=of_type([s.id for _, s in schools], pa.string()),
        school_name=of_type([s.name for _, s in schools], pa.string()),
        county=np.array([i for i, _ in schools], dtype=np.intp),
        county_code=of_type([c.code for c in counties], pa.string()),
        county_name=of_type(names, pa.string()) if any(names) else None,
        kind=np.array([KIND_CODES[s.kind] for _, s in schools], dtype=np.intp),
        public=np.array([s.public for _, s in schools], dtype=np.bool_),
        county_run=np.array([s.county_run for _, s in schools], dtype=np.bool_),
        enrollment=enrollment,
        senior_enrollment=np.array([float(s.senior_enrollment) for _, s in schools]),
        people=people,
        resources={
            r: np.array([_num(getattr(s, r)) for _, s in schools], dtype=np.float64).reshape(n)
            for r in PHYSICAL_RESOURCES
        },
        class_sizes=class_sizes,
    )


def county_chunks(county: NDArray[np.intp], n_counties: int, schools: int) -> list[tuple[int, int]]:
    """Cut counties ``0 .. n_counties - 1`` into consecutive ranges ``(first, stop)`` of about
    ``schools`` schools each (whole counties: a larger county is a range of its own), given
    each school's county index."""
    size = np.bincount(county, minlength=n_counties)
    ends = np.cumsum(size)
    chunks, first = [], 0
    while first < n_counties:
        # The first county at which the range holds ``schools`` schools, or the last county.
        start = ends[first - 1] if first else 0
        stop = int(np.searchsorted(ends, start + schools, side="left")) + 1
        stop = min(max(stop, first + 1), n_counties)
        chunks.append((first, stop))
        first = stop
    return chunks
