"""The columnar door: evaluate whole provinces or the nation from one table of schools.

::

    from eduequity import batch
    out = batch.evaluate_table("schools-2024.parquet", standard="cn-quality-2017")
    out.counties   # one row per county x stage: every CV, the composite, the verdicts
    out.schools    # one row per input school and stage part: indicators, checks, shortfalls
    out.findings   # long format, one row per finding, with its citation

Input: a :class:`pyarrow.Table`, a :class:`pyarrow.RecordBatchReader`, any object with
``__arrow_c_stream__`` (polars, pandas >= 2.2, DuckDB results), or a path to a Parquet or CSV
file. One row per school, with the columns of :mod:`eduequity.schema`.

The table is validated once, at entry, with vectorised checks; every problem is reported in one
:class:`~eduequity.errors.DataError` that counts the bad rows and names the first school ids.
The rules then run on arrays grouped by county and stage, through the same functions as
:func:`eduequity.evaluate`, so both doors give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, Future
from functools import cached_property
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._lanes import lanes, run_here
from eduequity.county_inputs import COUNTY_INPUTS, INPUT_RANGES, InputKind
from eduequity.errors import DataError, UnknownNameError
from eduequity.models import PHYSICAL_RESOURCES, STAGE_PEOPLE, County, SchoolKind
from eduequity.rules.columns import STAGES, Ragged, SchoolColumns
from eduequity.schema import COLUMNS, KIND_ALIASES, stage_column
from eduequity.split import KIND_CODES
from eduequity.standards import get_standard
from eduequity.standards.model import Standard

__all__ = [
    "NULL_POLICIES",
    "BatchResult",
    "check_consistency",
    "evaluate_table",
    "read_table",
    "table_from_counties",
]

FloatArray = NDArray[np.float64]

#: County inputs of the columnar door: one array over the counties per input id (NaN where
#: not supplied; a flag is 1.0 or 0.0).
CountyInputArrays = Mapping[str, FloatArray]

#: How nulls in optional columns are treated: ``"error"`` (the default) reports them as bad
#: input; ``"not_reported"`` treats them like an absent value, so the items that need them are
#: "not evaluated" (as ``None`` in a :class:`~eduequity.School`).
NULL_POLICIES = ("error", "not_reported")

_MAX_IDS = 3


def _read_only(buffer: Any, dtype: Any, count: int = -1) -> NDArray[Any]:
    """A numpy view of an Arrow buffer that cannot be written: Arrow buffers are often
    mutable, and the caller's table must never change."""
    view: NDArray[Any] = np.frombuffer(buffer, dtype=dtype, count=count)
    view.flags.writeable = False
    return view


def read_table(source: Any) -> tuple[pa.Table, str]:
    """Read ``source`` into a :class:`pyarrow.Table`; return it and a name for messages.

    Parameters
    ----------
    source : pyarrow.Table, pyarrow.RecordBatchReader, object with ``__arrow_c_stream__``,
        or str / Path of a ``.parquet`` or ``.csv`` file.

    Notes
    -----
    In CSV files a class-size column holds the sizes separated by ``;`` (e.g. ``45;44;46``).
    """
    if isinstance(source, pa.Table):
        return source, "table"
    if isinstance(source, pa.RecordBatchReader):
        return source.read_all(), "record batch stream"
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise DataError(f"read_table: file {str(path)!r} does not exist.")
        suffix = path.suffix.lower()
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            return pq.read_table(path), path.name
        if suffix == ".csv":
            import pyarrow.csv as pacsv

            return pacsv.read_csv(path), path.name
        raise DataError(
            f"read_table: {path.name!r} must be a .parquet or .csv file. Got suffix {suffix!r}."
        )
    if hasattr(source, "__arrow_c_stream__"):
        return pa.RecordBatchReader.from_stream(source).read_all(), type(source).__name__
    raise DataError(
        "read_table: source must be a pyarrow Table or RecordBatchReader, an object with "
        f"__arrow_c_stream__ (polars, pandas >= 2.2, DuckDB), or a Parquet or CSV path. "
        f"Got {type(source).__name__}."
    )


def table_from_counties(counties: Sequence[County]) -> pa.Table:
    """The schools of ``counties`` as a table with the canonical columns (one row per school).

    ``None`` (not reported) becomes null. Useful to move object-door data to the columnar door,
    or to write it to Parquet.

    Examples
    --------
    >>> import eduequity as ee
    >>> t = table_from_counties([ee.datasets.sample_county()])
    >>> t.num_rows, t.column("kind")[0].as_py()
    (38, 'primary')
    """
    columns: dict[str, list[Any]] = {c.name: [] for c in COLUMNS}
    for county in counties:
        for school in county.schools:
            columns["school_id"].append(school.id)
            columns["county_code"].append(county.code)
            columns["county_name"].append(county.name or None)
            columns["kind"].append(school.kind.value)
            columns["school_name"].append(school.name)
            columns["public"].append(school.public)
            columns["county_run"].append(school.county_run)
            columns["enrollment_senior"].append(school.senior_enrollment)
            for stage in STAGES:
                data = school.stage(stage)
                for field in (*STAGE_PEOPLE, "class_sizes"):
                    value = None if data is None else getattr(data, field)
                    if field == "class_sizes" and value is not None:
                        value = list(value)
                    columns[stage_column(field, stage.value)].append(value)
            for r in PHYSICAL_RESOURCES:
                columns[r].append(getattr(school, r))
    types = {
        "string": pa.string(),
        "bool": pa.bool_(),
        "int": pa.int64(),
        "float": pa.float64(),
        "list<int>": pa.list_(pa.int64()),
    }
    return pa.table({c.name: pa.array(columns[c.name], types[c.type]) for c in COLUMNS})


def _canonical_names(table: pa.Table, where: str) -> pa.Table:
    """Rename alias headers to canonical names; refuse a column given twice."""
    alias = {a: c.name for c in COLUMNS for a in c.aliases}
    names = []
    for name in table.column_names:
        canonical = alias.get(name, name)
        if canonical in names:
            raise DataError(
                f"evaluate_table: {where} has column {canonical!r} twice (as {name!r} and "
                "another header); keep one."
            )
        names.append(canonical)
    return table.rename_columns(names)


class _Problems:
    """Bad rows found by the checks, reported together."""

    def __init__(self, ids: pa.Array, where: str) -> None:
        self.ids, self.where = ids, where
        self.items: list[tuple[str, int, list[str]]] = []

    def add(self, mask: NDArray[np.bool_], message: str) -> None:
        n = int(np.count_nonzero(mask))
        if n:
            first = np.flatnonzero(mask)[:_MAX_IDS]
            ids = [str(self.ids[int(i)].as_py()) for i in first]
            self.items.append((message, n, ids))

    def lines(self) -> list[str]:
        """One line per problem: what, how many rows, the first school ids."""
        return [
            f"{msg}: {n} row{'s' if n > 1 else ''} (school ids "
            + ", ".join(repr(i) for i in ids)
            + (", ..." if n > len(ids) else "")
            + ")"
            for msg, n, ids in self.items
        ]

    def raise_any(self) -> None:
        if not self.items:
            return
        lines = [f"  - {line}" for line in self.lines()]
        raise DataError(
            f"evaluate_table: {len(self.items)} problem{'s' if len(self.items) > 1 else ''} in "
            f"{self.where}:\n" + "\n".join(lines)
        )


def _fill(values: FloatArray, mask: NDArray[np.bool_], fill: float) -> FloatArray:
    """``values`` with ``fill`` where ``mask``: in place, or in a copy if ``values`` is
    read-only (a view of an Arrow buffer). An index is faster than a mask for sparse masks."""
    at = np.flatnonzero(mask)
    if at.size:
        if not values.flags.writeable:
            values = values.copy()
        values[at] = fill
    return values


def _null_mask(col: pa.Array | pa.ChunkedArray) -> NDArray[np.bool_]:
    """True where ``col`` is null, unpacked from the validity bitmaps (no Arrow kernel)."""
    out = np.zeros(len(col), dtype=np.bool_)
    start = 0
    for chunk in col.chunks if isinstance(col, pa.ChunkedArray) else [col]:
        n = len(chunk)
        if chunk.null_count:
            if pa.types.is_null(chunk.type):
                out[start : start + n] = True
            else:
                bits = _read_only(chunk.buffers()[0], dtype=np.uint8)
                valid = np.unpackbits(bits, count=chunk.offset + n, bitorder="little")
                out[start : start + n] = valid[chunk.offset :] == 0
        start += n
    return out


def _floats(
    table: pa.Table, name: str, where: str, fill_nulls: bool = True
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """A numeric column as float64 (NaN for null) and its null mask. With ``fill_nulls=False``
    the values at the nulls may be anything (one pass fewer; the caller masks them)."""
    col = table.column(name)
    if not (
        pa.types.is_integer(col.type)
        or pa.types.is_floating(col.type)
        or pa.types.is_decimal(col.type)
        or pa.types.is_null(col.type)
    ):
        raise DataError(
            f"evaluate_table: {where} column {name!r} must be numeric. Got type {col.type}."
        )
    isnull = _null_mask(col)
    cast = col.cast(pa.float64())
    one_view = cast.num_chunks == 1 and cast.chunk(0).buffers()[1] is not None
    if one_view and not (fill_nulls and isnull.any()):
        # The Arrow buffer itself, read-only (_fill copies it before any change).
        chunk = cast.chunk(0)
        raw = _read_only(chunk.buffers()[1], dtype=np.float64, count=chunk.offset + len(chunk))
        return raw[chunk.offset :], isnull
    if one_view:
        # One chunk: NaN at the nulls in one pass (the mask tells them from NaN values).
        chunk = cast.chunk(0)
        raw = _read_only(chunk.buffers()[1], dtype=np.float64, count=chunk.offset + len(chunk))
        return _fill(raw[chunk.offset :], isnull, math.nan), isnull
    # A writable copy of the data buffers, NaN at the nulls (the mask tells them from NaN values).
    values = np.empty(len(col), dtype=np.float64)
    start = 0
    for chunk in cast.chunks:
        n = len(chunk)
        data = chunk.buffers()[1]
        if data is None:  # an all-null chunk of the null type
            values[start : start + n] = math.nan
        else:
            raw = _read_only(data, dtype=np.float64, count=chunk.offset + n)
            values[start : start + n] = raw[chunk.offset :]
        start += n
    _fill(values, isnull, math.nan)
    return values, isnull


def _strings(table: pa.Table, name: str) -> pa.Array:
    col = table.column(name)
    if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
        col = col.cast(pa.string())
    return col.combine_chunks()


def _class_sizes(table: pa.Table, name: str, where: str) -> Ragged | None:
    if name not in table.column_names:
        return None
    chunked = table.column(name)
    col = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        # CSV: "45;44;46"; an empty cell is not reported.
        text = pc.utf8_trim_whitespace(col)
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        parts = pc.split_pattern(text, ";")
        try:
            values = pc.cast(pc.utf8_trim_whitespace(parts.values), pa.int64())
        except pa.ArrowInvalid:
            raise DataError(
                f"evaluate_table: {where} column {name!r} must hold whole numbers separated by "
                "';' (e.g. 45;44;46)."
            ) from None
        col = pa.ListArray.from_arrays(parts.offsets, values, mask=parts.is_null())
    if not (pa.types.is_list(col.type) or pa.types.is_large_list(col.type)):
        raise DataError(
            f"evaluate_table: {where} column {name!r} must be a list of integers (or, in CSV, "
            f"sizes separated by ';'). Got type {col.type}."
        )
    # The lengths from the list offsets; flatten() skips the values behind null lists (which
    # count as empty) and honours slicing.
    offset_type = np.int64 if pa.types.is_large_list(col.type) else np.int32
    bounds = _read_only(col.buffers()[1], dtype=offset_type, count=col.offset + len(col) + 1)
    lengths = np.diff(bounds[col.offset :]).astype(np.intp)
    valid = ~_null_mask(col)
    if col.null_count:
        lengths[~valid] = 0
    offsets = np.zeros(lengths.size + 1, dtype=np.intp)
    np.cumsum(lengths, out=offsets[1:])
    flat = col.flatten()
    if not pa.types.is_int64(flat.type):
        flat = flat.cast(pa.int64())
    if flat.null_count:  # a null inside a list: 0, which the checks refuse
        flat = pc.fill_null(flat, 0)
    values = np.asarray(flat.to_numpy(), dtype=np.int64)
    return Ragged(values=values, offsets=offsets, valid=valid)


def _sizes(table: pa.Table, name: str, where: str) -> tuple[Ragged | None, bool]:
    """:func:`_class_sizes`, and whether some size is below 1 (one reduction, on a worker)."""
    ragged = _class_sizes(table, name, where)
    return ragged, ragged is not None and bool(ragged.values.size and ragged.values.min() < 1)


def _county_names(
    names: pa.Array, county_idx: NDArray[np.intp], n_counties: int
) -> tuple[pa.Array, NDArray[np.bool_]]:
    """Each county's name (its first row's non-null name; null if none) and the rows whose
    name differs from it."""
    given = np.flatnonzero(~_null_mask(names))
    counties, first = np.unique(county_idx[given], return_index=True)
    row_of = np.full(n_counties, -1, dtype=np.intp)
    row_of[counties] = given[first]
    by_county = names.take(pa.array(row_of, mask=row_of < 0))
    differs = pc.not_equal(names, by_county.take(pa.array(county_idx)))
    return by_county, np.asarray(pc.fill_null(differs, False).to_numpy(zero_copy_only=False))


#: Masks keeping the first k bytes of a little-endian 64-bit word, k = 0..8.
_KEEP_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def _string_spans(strings: pa.Array) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Where each string of a one-chunk string array starts in its data buffer, and its
    length in bytes (0 for a null), from the offsets buffer."""
    n = len(strings)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    offset_type = np.int64 if pa.types.is_large_string(strings.type) else np.int32
    offsets = _read_only(strings.buffers()[1], dtype=offset_type, count=strings.offset + n + 1)
    offsets = offsets[strings.offset :].astype(np.int64)
    lengths = offsets[1:] - offsets[:-1]
    if strings.null_count:
        lengths[_null_mask(strings)] = 0
    return offsets[:-1], lengths


def _string_hashes(
    strings: pa.Array, starts: NDArray[np.int64], lengths: NDArray[np.int64]
) -> NDArray[np.uint64]:
    """A 64-bit hash of each string (a null hashes as ``""``), read from the data buffer eight
    bytes at a time; ``starts`` and ``lengths`` as from :func:`_string_spans`.

    Equal strings have equal hashes; different strings almost never do, which
    :func:`_may_repeat` uses only to prove that no string repeats.
    """
    data = strings.buffers()[2] if len(strings) else None
    size = 0 if data is None else data.size
    padded = np.zeros(size + 8, dtype=np.uint8)  # so a word may start at any byte
    if data is not None and size:
        padded[:size] = _read_only(data, dtype=np.uint8)
    words = np.ndarray((size + 1,), dtype="<u8", buffer=padded, strides=(1,))
    h: NDArray[np.uint64] = lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for at in range(0, int(lengths.max(initial=0)), 8):
        word = words[np.minimum(starts + at, size)] & _KEEP_BYTES[np.clip(lengths - at, 0, 8)]
        h ^= word
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
    return h


def _may_repeat(h: NDArray[np.uint64]) -> bool:
    """False if the hashes ``h`` all differ, so the strings do; True if some two are equal,
    to be settled by an exact comparison.

    Equal hashes fall in the same bucket (their top bits). Each bucket is owned by its last
    row; a row that does not own its bucket is compared with the owner, and those rows are
    sorted among themselves, which finds any two equal hashes.
    """
    n = h.size
    if n < 2:
        return False
    bits = n.bit_length() + 1  # about 2 to 4 buckets per row
    bucket = (h >> np.uint64(64 - bits)).astype(np.intp)
    index_type = np.int32 if n < 2**31 else np.int64
    rows = np.arange(n, dtype=index_type)
    owner = np.empty(1 << bits, dtype=index_type)  # only the buckets in use are read
    owner[bucket] = rows
    owner_of = owner[bucket]
    shared = np.flatnonzero(owner_of != rows)
    if shared.size == 0:
        return False
    if (h[shared] == h[owner_of[shared]]).any():
        return True
    others = np.sort(h[shared])
    return bool((others[1:] == others[:-1]).any())


def _repeats(ids: pa.Array, county_idx: NDArray[np.intp]) -> NDArray[np.bool_]:
    """True where a row repeats the (county, school id) of an earlier row."""
    id_codes = np.asarray(
        pc.dictionary_encode(pc.fill_null(ids, "")).indices.to_numpy(zero_copy_only=False),
        dtype=np.int64,
    )
    key = county_idx.astype(np.int64) * (int(id_codes.max(initial=0)) + 1) + id_codes
    order = np.argsort(key, kind="stable")
    dup_sorted = np.zeros(key.size, dtype=np.bool_)
    if key.size > 1:
        dup_sorted[1:] = key[order][1:] == key[order][:-1]
    dup = np.zeros(key.size, dtype=np.bool_)
    dup[order] = dup_sorted
    return dup


@attrs.frozen(eq=False)
class _Input:
    """A validated school table: the columns for the rules, and the ids for the output."""

    columns: SchoolColumns
    school_ids: pa.Array
    county_codes: pa.Array  # one per county, in county-code order
    county_names: pa.Array | None  # one per county (null where not given), if given at all
    kinds: pa.Array
    not_reported: Mapping[str, NDArray[np.bool_]]  # column -> rows whose null was accepted


def _validate(table: pa.Table, where: str, nulls: str) -> _Input:
    # The workers (see eduequity._lanes) read and check the columns while this thread
    # combines their results, in the order of the checks.
    with lanes() as pool:
        return _validate_with(pool, table, where, nulls)


@attrs.frozen(eq=False)
class _Numbers:
    """A numeric column read by :func:`_numbers`."""

    values: FloatArray  # anything at the nulls; may be a read-only view of the Arrow buffer
    isnull: NDArray[np.bool_]
    any_null: bool
    negative: NDArray[np.bool_] | None  # rows with a value not finite or < 0; None if none

    def filled(self) -> FloatArray:
        """The values with NaN at the nulls."""
        return _fill(self.values, self.isnull, math.nan) if self.any_null else self.values


def _numbers(table: pa.Table, name: str, where: str) -> _Numbers | None:
    """Column ``name`` as floats, with its nulls and bad values (None if the table lacks it).

    The passes over the floats are made here, on a worker; what depends on where the column
    applies is left to cheap passes over the masks.
    """
    if name not in table.column_names:
        return None
    values, isnull = _floats(table, name, where, fill_nulls=False)
    any_null = table.column(name).null_count > 0
    negative: NDArray[np.bool_] | None = None
    with np.errstate(invalid="ignore"):
        # Two reductions first: NaN makes the minimum NaN. Values behind nulls may fail the
        # test too; the mask below leaves them out.
        if values.size and not (values.min() >= 0 and values.max() < math.inf):
            bad = ~((values >= 0) & (values < math.inf))
            if any_null:
                bad &= ~isnull
            if bad.any():
                negative = bad
    return _Numbers(values, isnull, any_null, negative)


def _id_checks(ids: pa.Array) -> tuple[NDArray[np.bool_], bool]:
    """The rows whose school id is null or empty, and whether some id may repeat."""
    starts, lengths = _string_spans(ids)
    return lengths == 0, _may_repeat(_string_hashes(ids, starts, lengths))


def _county_index(table: pa.Table) -> tuple[NDArray[np.bool_], NDArray[np.intp], pa.Array]:
    """The rows whose county code is null, each row's county index, and the county codes in
    code order (so the output order does not depend on the row order)."""
    counties = _strings(table, "county_code")
    null = np.asarray(counties.is_null().to_numpy(zero_copy_only=False))
    encoded = pc.dictionary_encode(pc.fill_null(counties, ""))
    county_idx = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.intp)
    county_dict = encoded.dictionary
    order = np.argsort(np.asarray(county_dict.to_pylist(), dtype=object), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return null, rank[county_idx].astype(np.intp), county_dict.take(pa.array(order))


#: Every name a kind may have (its value or an alias), and the kind code of each.
_KIND_NAMES = {k.value: k for k in SchoolKind} | dict(KIND_ALIASES)
_KIND_NAME_SET = pa.array(list(_KIND_NAMES))
_KIND_NAME_CODES = np.array([KIND_CODES[k] for k in _KIND_NAMES.values()] + [-1], dtype=np.intp)


def _kind_codes(table: pa.Table) -> NDArray[np.intp]:
    """The kind code of each row (:data:`~eduequity.split.KIND_CODES`); -1 if unknown."""
    at = pc.index_in(_strings(table, "kind"), value_set=_KIND_NAME_SET)
    # A name not in the set (or a null) has no index: it takes the last entry, -1.
    found = np.asarray(pc.fill_null(at, -1).to_numpy(zero_copy_only=False), dtype=np.intp)
    codes: NDArray[np.intp] = _KIND_NAME_CODES[found]
    return codes


def _validate_with(pool: Executor, table: pa.Table, where: str, nulls: str) -> _Input:
    missing = [c.name for c in COLUMNS if c.required and c.name not in table.column_names]
    if missing:
        raise DataError(
            f"evaluate_table: {where} lacks the required column(s) "
            + ", ".join(repr(m) for m in missing)
            + "."
        )
    n = table.num_rows
    ids = _strings(table, "school_id")
    # Every column is read and checked on its own by the pool; the results are combined below
    # in a fixed order, so the problems (and the first error raised) do not depend on timing.
    # What is needed first is queued first; the id checks, needed last, run beside the rest.
    county_task = pool.submit(_county_index, table)
    numeric = [stage_column("enrollment", s.value) for s in STAGES] + ["enrollment_senior"]
    numbers = {name: pool.submit(_numbers, table, name, where) for name in numeric}
    id_checks = pool.submit(_id_checks, ids)
    optional_numeric = [stage_column(f, s.value) for s in STAGES for f in STAGE_PEOPLE[1:]]
    optional_numeric += list(PHYSICAL_RESOURCES)
    numbers |= {name: pool.submit(_numbers, table, name, where) for name in optional_numeric}
    sizes_read = {
        stage: pool.submit(_sizes, table, stage_column("class_sizes", stage.value), where)
        for stage in STAGES
    }
    # Meanwhile this thread reads the kinds (an error is kept, to be raised in turn).
    kind_task = run_here(_kind_codes, table)

    problems = _Problems(ids, where)
    county_null, county_idx, county_codes = county_task.result()
    problems.add(county_null, "column 'county_code' must not be null")
    kind_code = kind_task.result()
    problems.add(
        kind_code < 0,
        "column 'kind' must be one of "
        + ", ".join(k.value for k in SchoolKind)
        + " (or the Chinese name)",
    )
    kind_names = pa.array([k.value for k in SchoolKind])
    code_to_kind = list(SchoolKind)

    def kinds_where(pred: Any) -> NDArray[np.bool_]:
        # A lookup by kind code (an unknown kind, -1, takes the last entry: False).
        lookup = np.zeros(max(KIND_CODES.values()) + 2, dtype=np.bool_)
        for k in code_to_kind:
            lookup[KIND_CODES[k]] = bool(pred(k))
        found: NDArray[np.bool_] = lookup[kind_code]
        return found

    def read(name: str) -> tuple[FloatArray, NDArray[np.bool_]]:
        got = numbers[name].result()
        if got is None:
            return np.full(n, np.nan), np.ones(n, dtype=np.bool_)
        return got.filled(), got.isnull

    not_reported: dict[str, NDArray[np.bool_]] = {}

    def null_policy(name: str, null_here: NDArray[np.bool_]) -> None:
        """Nulls of column ``name`` where it applies: problems, or "not reported"."""
        if nulls == "error":
            problems.add(
                null_here,
                f"column {name!r} is null (pass nulls='not_reported' to "
                "treat nulls as not reported)",
            )
        elif null_here.any():
            not_reported[name] = null_here

    def optional(name: str, applies: NDArray[np.bool_]) -> Future[FloatArray]:
        """Check column ``name`` where it ``applies``; its values there, NaN elsewhere."""
        got = numbers[name].result()
        if got is None:
            return pool.submit(np.full, n, np.nan)
        values, isnull = got.values, got.isnull
        if got.negative is not None:
            problems.add(applies & got.negative, f"column {name!r} must be finite and >= 0")
        if got.any_null:
            null_policy(name, applies & isnull)
            applies = applies & ~isnull
        # NaN where it does not apply (a read-only view is copied first).
        return pool.submit(_fill, values, ~applies, math.nan)

    enrollment: dict[Any, FloatArray] = {}
    has_stage: dict[Any, NDArray[np.bool_]] = {}
    for stage in STAGES:
        name = stage_column("enrollment", stage.value)
        required = kinds_where(lambda k, s=stage: s in k.required_stages)
        allowed = kinds_where(lambda k, s=stage: s in k.allowed_stages)
        values, isnull = read(name)
        if name not in table.column_names and required.any():
            problems.add(required, f"column {name!r} is missing, but the kind has the stage")
            required = np.zeros(n, dtype=np.bool_)
        ok_int = np.isfinite(values) & (values == np.floor(values))
        problems.add(
            required & ~(ok_int & (values > 0)),
            f"column {name!r} must be an integer > 0 for a kind that has the stage",
        )
        optional_stage = allowed & ~required
        problems.add(
            optional_stage & ~isnull & ~(ok_int & (values >= 0)),
            f"column {name!r} must be an integer >= 0",
        )
        problems.add(
            ~allowed & (kind_code >= 0) & ~isnull & (np.abs(values) > 0),
            f"column {name!r} must be 0 or null for a kind without the stage",
        )
        values = _fill(values, ~(allowed & np.isfinite(values)), 0.0)
        enrollment[stage] = values
        has_stage[stage] = values > 0
    special = kind_code == KIND_CODES[SchoolKind.SPECIAL_EDUCATION]
    problems.add(
        special & ~(has_stage[STAGES[0]] | has_stage[STAGES[1]]),
        "a special_education school must have enrollment_primary or enrollment_junior",
    )

    with_senior = kinds_where(lambda k: k.has_senior)
    senior, snull = read("enrollment_senior")
    sok = np.isfinite(senior) & (senior == np.floor(senior))
    problems.add(
        with_senior & ~(sok & (senior > 0)),
        "column 'enrollment_senior' must be an integer > 0 for twelve_year and "
        "complete_secondary schools",
    )
    vocational = kind_code == KIND_CODES[SchoolKind.VOCATIONAL]
    problems.add(
        ~with_senior & ~vocational & (kind_code >= 0) & ~snull & (np.abs(senior) > 0),
        "column 'enrollment_senior' must be 0 or null for a kind without a senior stage",
    )
    senior = np.where((with_senior | vocational) & np.isfinite(senior), senior, 0.0)

    people_read = {
        stage: {
            f: optional(stage_column(f, stage.value), has_stage[stage]) for f in STAGE_PEOPLE[1:]
        }
        for stage in STAGES
    }
    everywhere = kind_code >= 0
    resources_read = {r: optional(r, everywhere) for r in PHYSICAL_RESOURCES}

    class_sizes = {}
    for stage in STAGES:
        name = stage_column("class_sizes", stage.value)
        ragged, below_one = sizes_read[stage].result()
        if ragged is None:
            ragged = Ragged(
                np.zeros(0, dtype=np.int64),
                np.zeros(n + 1, dtype=np.intp),
                np.zeros(n, dtype=np.bool_),
            )
        else:
            if below_one:
                small = ragged.values < 1
                bad_value = np.zeros(n, dtype=np.bool_)
                bad_value[ragged.row_of_value()[small]] = True
                problems.add(
                    bad_value & has_stage[stage], f"column {name!r} must hold integers >= 1"
                )
            null_policy(name, has_stage[stage] & ~ragged.valid)
            keep = ragged.valid & has_stage[stage]
            lengths = ragged.lengths()
            if ((lengths > 0) & ~keep).any():  # drop the classes of a stage the school lacks
                offsets = np.zeros(n + 1, dtype=np.intp)
                np.cumsum(np.where(keep, lengths, 0), out=offsets[1:])
                ragged = Ragged(ragged.values[np.repeat(keep, lengths)], offsets, keep)
            else:
                ragged = Ragged(ragged.values, ragged.offsets, keep)
        class_sizes[stage] = ragged

    flags = {}
    for name in ("public", "county_run"):
        if name not in table.column_names:
            flags[name] = np.ones(n, dtype=np.bool_)
            continue
        col = table.column(name)
        if not pa.types.is_boolean(col.type):
            raise DataError(
                f"evaluate_table: {where} column {name!r} must be boolean. Got type {col.type}."
            )
        if col.null_count:
            problems.add(
                _null_mask(col),
                f"column {name!r} must not be null (it decides which schools count)",
            )
            col = pc.fill_null(col, True)
        flags[name] = np.asarray(col.to_numpy(zero_copy_only=False))

    # The id checks come last (they take longest) but are reported first.
    id_empty, may_repeat = id_checks.result()
    first = _Problems(ids, where)
    first.add(id_empty, "column 'school_id' must be a non-empty string")
    problems.items[:0] = first.items
    # Duplicate ids within a county (none at all if every id is distinct: the common case).
    if may_repeat:
        problems.add(
            _repeats(ids, county_idx),
            "column 'school_id' must be unique within a county (repeats an earlier row)",
        )
    county_names = None
    if "county_name" in table.column_names:
        names = _strings(table, "county_name")
        county_names, differs = _county_names(names, county_idx, len(county_codes))
        problems.add(differs, "column 'county_name' must be the same on every row of a county")
    problems.raise_any()

    people = {
        stage: {f: done.result() for f, done in of_stage.items()}
        for stage, of_stage in people_read.items()
    }
    resources = {r: done.result() for r, done in resources_read.items()}
    columns = SchoolColumns(
        school_id=ids,
        county=county_idx,
        n_counties=len(county_codes),
        kind=kind_code,
        public=flags["public"],
        county_run=flags["county_run"],
        enrollment=enrollment,
        senior_enrollment=senior,
        people=people,
        resources=resources,
        class_sizes=class_sizes,
    )
    return _Input(columns, ids, county_codes, county_names, kind_names, not_reported)


def _county_inputs(county_inputs: Any, county_codes: pa.Array, where: str) -> CountyInputArrays:
    """County-level inputs as one array per input over the counties (NaN: not supplied), from
    a table with ``county_code`` and one column per input (flags as booleans, 1.0 / 0.0)."""
    if county_inputs is None:
        return {}
    table, name = read_table(county_inputs)
    if "county_code" not in table.column_names:
        raise DataError(f"evaluate_table: county_inputs {name} lacks column 'county_code'.")
    codes = _strings(table, "county_code")
    position = pc.index_in(codes, value_set=county_codes)
    unknown = np.asarray(position.is_null().to_numpy(zero_copy_only=False))
    if unknown.any():
        first = codes[int(np.flatnonzero(unknown)[0])].as_py()
        raise DataError(
            f"evaluate_table: county_inputs {name} has county {first!r}, which has no school "
            f"in {where} ({int(unknown.sum())} such row(s))."
        )
    at = np.asarray(position.to_numpy(zero_copy_only=False), dtype=np.intp)
    seen = np.bincount(at, minlength=len(county_codes))
    if (seen > 1).any():
        twice = county_codes[int(np.flatnonzero(seen > 1)[0])].as_py()
        raise DataError(
            f"evaluate_table: county_inputs {name} has county {twice!r} more than once."
        )
    out: dict[str, FloatArray] = {}
    for column in table.column_names:
        if column == "county_code":
            continue
        spec = COUNTY_INPUTS.get(column)
        if spec is None:
            known = ", ".join(sorted(COUNTY_INPUTS))
            raise UnknownNameError(
                f"evaluate_table: county_inputs {name} column {column!r} is not a known county "
                f"input ({known})."
            )
        source = table
        if spec.kind is InputKind.FLAG:
            col = table.column(column)
            if not (pa.types.is_boolean(col.type) or pa.types.is_null(col.type)):
                raise DataError(
                    f"evaluate_table: county_inputs {name} column {column!r} must be boolean "
                    f"(True or False). Got type {col.type}."
                )
            source = pa.table({column: col.cast(pa.uint8())})
        values, isnull = _floats(source, column, f"county_inputs {name}")
        if spec.kind is not InputKind.FLAG:
            low, high, expectation = INPUT_RANGES[spec.kind]
            bad = ~isnull & ~((values >= low) & (values <= high) & np.isfinite(values))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise DataError(
                    f"evaluate_table: county_inputs {name} column {column!r} must be "
                    f"{expectation}. Got {float(values[i])!r} for county {codes[i].as_py()!r} "
                    f"({int(bad.sum())} such row(s))."
                )
        by_county = np.full(len(county_codes), np.nan)
        by_county[at] = values
        out[column] = by_county
    return out


@attrs.frozen(eq=False)
class BatchResult:
    """The evaluation of every county of a school table (see :func:`evaluate_table`).

    Attributes
    ----------
    counties : pyarrow.Table
        One row per county and stage.
    schools : pyarrow.Table
        One row per stage part of each in-scope school and one per excluded school: every input
        school appears.
    findings : pyarrow.Table
        One row per finding (built on first access).
    standard : Standard
        The standard the counties were evaluated against.
    """

    counties: pa.Table
    schools: pa.Table
    _findings_builder: Any
    standard: Standard

    def _repr_html_(self) -> str:
        """Compact notebook display: the tally of verdicts and the first counties."""
        from eduequity.reporting import compact_html

        return compact_html(self)

    @cached_property
    def findings(self) -> pa.Table:
        """Every finding, long format, with its citation and messages."""
        table: pa.Table = self._findings_builder()
        return table


def evaluate_table(
    source: Any,
    standard: str | Standard = "cn-basic-2012",
    *,
    county_inputs: Any = None,
    nulls: str = "error",
) -> BatchResult:
    """Evaluate every county of a table of schools against ``standard``.

    Parameters
    ----------
    source : table-like or path
        See :func:`read_table`; columns as in :mod:`eduequity.schema`.
    standard : str or Standard
    county_inputs : table-like or path, optional
        One row per county: ``county_code`` and a column per county input
        (:data:`eduequity.county_inputs.COUNTY_INPUTS`); nulls mean "not supplied".
    nulls : {"error", "not_reported"}
        Policy for nulls in optional columns where they apply; see :data:`NULL_POLICIES`.
        Rows whose nulls were accepted are marked in ``out.schools`` (``not_reported``).

    Returns
    -------
    BatchResult

    Raises
    ------
    DataError
        Listing every problem of the table with its count of rows and first school ids.
    """
    from eduequity.batch_core import evaluate_columns

    if nulls not in NULL_POLICIES:
        raise DataError(f"evaluate_table: nulls must be one of {NULL_POLICIES}. Got {nulls!r}.")
    std = get_standard(standard) if isinstance(standard, str) else standard
    table, where = read_table(source)
    table = _canonical_names(table, where)
    data = _validate(table, where, nulls)
    inputs = _county_inputs(county_inputs, data.county_codes, where)
    return evaluate_columns(std, data, inputs)


def check_consistency(source: Any, *, nulls: str = "error") -> list[str]:
    """Figures of a school table that cannot all be right, for the data owner to look at.

    The table is first validated as by :func:`evaluate_table` (a :class:`DataError` lists the
    bad rows). Then, per stage, rows are flagged where the reported figures contradict each
    other, though each is valid on its own:

    - a subset of the full-time teachers (above the qualification, intermediate title,
      backbone, PE and arts) is larger than the full-time teachers;
    - the full-time teachers (专任教师) outnumber the staff (教职工), who include them;
    - the class sizes do not add up to the stage's enrollment.

    Nothing is changed and the evaluation does not use these checks: they are warnings.

    Parameters
    ----------
    source : table-like or path
        As for :func:`evaluate_table`.
    nulls : {"error", "not_reported"}
        As for :func:`evaluate_table`; a value not reported is not compared.

    Returns
    -------
    list of str
        One line per kind of contradiction: what, how many rows, the first school ids. Empty
        when the figures agree.

    Examples
    --------
    >>> import eduequity as ee
    >>> check_consistency(table_from_counties([ee.datasets.sample_county()]))
    []
    """
    if nulls not in NULL_POLICIES:
        raise DataError(f"check_consistency: nulls must be one of {NULL_POLICIES}. Got {nulls!r}.")
    table, where = read_table(source)
    return _contradictions(_validate(_canonical_names(table, where), where, nulls), where)


#: The counts of full-time teachers with a property (each at most the full-time teachers).
_TEACHER_SUBSETS = tuple(f for f in STAGE_PEOPLE if f.startswith("teachers_"))


def _contradictions(data: _Input, where: str) -> list[str]:
    """The lines of :func:`check_consistency` for a validated table."""
    cols = data.columns
    found = _Problems(data.school_ids, where)
    for stage in STAGES:
        has = cols.enrollment[stage] > 0
        people = cols.people[stage]
        teachers = people["teachers"]
        with np.errstate(invalid="ignore"):
            for part in _TEACHER_SUBSETS:
                found.add(
                    has & (people[part] > teachers),
                    f"column {stage_column(part, stage.value)!r} is larger than "
                    f"{stage_column('teachers', stage.value)!r}",
                )
            found.add(
                has & (teachers > people["staff"]),
                f"column {stage_column('teachers', stage.value)!r} is larger than "
                f"{stage_column('staff', stage.value)!r} (the staff include the teachers)",
            )
        sizes = cols.class_sizes[stage]
        totals = np.zeros(cols.n_schools)
        some = np.flatnonzero(sizes.lengths() > 0)
        if some.size:
            totals[some] = np.add.reduceat(sizes.values, sizes.offsets[some])
        found.add(
            has & sizes.valid & (totals != cols.enrollment[stage]),
            f"the sizes in {stage_column('class_sizes', stage.value)!r} do not add up to "
            f"{stage_column('enrollment', stage.value)!r}",
        )
    return found.lines()
