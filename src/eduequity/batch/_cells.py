"""How one column's cells are read: text of any string type, yes/no flags, numbers (with
the integers a float cannot hold exactly), amounts decided by reductions, class sizes.

Each function reads one column of a table of schools and leaves the judging to the
validation (``eduequity.batch._validate``), except where a cell cannot be read at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from eduequity._arrow import array, bools, floats, numbers, one, scalar
from eduequity._errors import DataError
from eduequity._schema import AMOUNT, Constraint
from eduequity.batch._rows import is_text, may_hold
from eduequity.rules._columns import ClassSizes

__all__ = [
    "FLAG_WORDS",
    "NO_DATA",
    "PUBLIC_WORDS",
    "amounts",
    "beyond_floats",
    "flag",
    "float_column",
    "null_mask",
    "plain_column",
    "plain_text",
    "read_class_sizes",
    "text_column",
    "textual",
    "within",
]

FloatArray = NDArray[np.float64]


#: How a yes/no column may say yes and no (compared in lower case, trimmed).
FLAG_WORDS: Mapping[str, bool] = {
    **dict.fromkeys(("true", "t", "yes", "y", "1", "是", "√"), True),
    **dict.fromkeys(("false", "f", "no", "n", "0", "否", "×"), False),
}


#: How the ``public`` column may say it, beside yes and no (办学性质).
PUBLIC_WORDS: Mapping[str, bool] = {"公办": True, "民办": False}


def flag(
    col: pa.ChunkedArray, where: str, label: str, more: Mapping[str, bool]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """A yes/no column: booleans, 1 / 0, or the words of :data:`FLAG_WORDS`. Return the
    values (True where unknown) and the rows that are empty or say neither."""
    if pa.types.is_boolean(col.type):
        unknown = null_mask(col)
        return bools(col, null=True), unknown
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
        x = floats(col)
        return x != 0, ~np.isin(x, [0.0, 1.0])
    if textual(col.type):
        words = [
            None if v is None else {**FLAG_WORDS, **more}.get(v.strip().lower())
            for v in plain_text(col).to_pylist()
        ]
        unknown = np.array([w is None for w in words], dtype=np.bool_)
        return np.array([w is not False for w in words], dtype=np.bool_), unknown
    raise DataError(
        f"evaluate_table: {where} column {label} must be yes or no. Got type {col.type}."
    )


def _empty_as_null(text: pa.Array) -> pa.Array:
    """``text`` with its empty strings made null."""
    return pc.if_else(pc.equal(text, scalar("", pa.string())), pa.nulls(1, pa.string())[0], text)


def null_mask(col: pa.Array | pa.ChunkedArray) -> NDArray[np.bool_]:
    """True where ``col`` is null."""
    return bools(col.is_null())


#: What an office writes in a cell for "no data" (REFERENCE: '—' or '/'), read as an empty
#: cell: dashes and slashes, half- and full-width, alone in the cell.
NO_DATA = ("—", "——", "-", "--", "－", "－－", "–", "―", "/", "／")


def _cells_of(
    col: pa.Array | pa.ChunkedArray,
) -> tuple[pa.Array, NDArray[np.bool_], list[Any]]:
    """A text column of figures as its cells: trimmed, null where empty or saying no data
    (:data:`NO_DATA`); the rows that say no data, and the cells as written where some do
    (else empty)."""
    text = _empty_as_null(pc.utf8_trim_whitespace(plain_text(col)))
    marks = pc.is_in(text, value_set=pa.array(NO_DATA, text.type))
    no_data = bools(marks)
    if not no_data.any():
        return text, no_data, []
    return pc.if_else(marks, pa.nulls(1, text.type)[0], text), no_data, text.to_pylist()


def float_column(
    table: pa.Table, name: str, where: str
) -> tuple[FloatArray, NDArray[np.bool_], NDArray[np.bool_], list[Any], NDArray[np.bool_]]:
    """A numeric column as float64 (NaN for null or bad text; read-only if it shares the
    table's buffer), its null mask, the rows whose text is not a number, the values as given
    (for messages; empty unless some text is bad or says no data), and the rows whose cell
    says no data.

    A cell of text that says "no data" (:data:`NO_DATA`: ``—``, ``/`` …) is an empty cell, as
    the office means it: what the evaluation makes of an empty cell (refused, or not reported
    with ``nulls="not_reported"``) it makes of it, and the messages show it as written."""
    col = table.column(name)
    n = len(col)
    no_text: NDArray[np.bool_] = np.zeros(n, dtype=np.bool_)
    if textual(col.type):
        text, no_data, written = _cells_of(col)
        try:
            col = text.cast(pa.float64())
        except pa.ArrowInvalid:  # some text is not a number: find it row by row
            given = text.to_pylist()
            parsed = [_number(v) for v in given]
            bad = np.array(
                [v is not None and p is None for v, p in zip(given, parsed, strict=True)]
            )
            values = np.array([math.nan if p is None else p for p in parsed])
            return values, np.array([v is None for v in given]), bad, written or given, no_data
        if written:
            return floats(col), null_mask(col), no_text, written, no_data
    elif not (
        pa.types.is_integer(col.type)
        or pa.types.is_floating(col.type)
        or pa.types.is_decimal(col.type)
        or pa.types.is_null(col.type)
    ):
        raise DataError(
            f"evaluate_table: {where} column {name!r} must be numeric. Got type {col.type}."
        )
    # Arrow gives NaN at the nulls of a float column; the array is read-only where it shares
    # the caller's buffer, and every change below makes a new one.
    values = floats(col)
    if col.null_count == 0:
        return values, np.zeros(n, dtype=np.bool_), no_text, [], no_text
    return values, null_mask(col), no_text, [], no_text


def beyond_floats(col: pa.Array | pa.ChunkedArray) -> NDArray[np.bool_]:
    """Where an integer column holds a value a float cannot hold exactly (beyond 2**53 either
    way), read from the integers themselves: the figures are read as floats, and a code or an
    amount that large is a mistake to name as written, not to round."""
    kind = col.type
    limit = 2**53
    if not (pa.types.is_integer(kind) and kind.bit_width == 64):
        return np.zeros(len(col), dtype=np.bool_)
    low, high = pc.min_max(col).values()  # one pass decides in the usual case
    if (high.as_py() or 0) <= limit and (low.as_py() or 0) >= -limit:
        return np.zeros(len(col), dtype=np.bool_)
    above = pc.greater(col, scalar(limit, kind))
    if pa.types.is_signed_integer(kind):
        above = pc.or_(above, pc.less(col, scalar(-limit, kind)))
    return bools(above)


def _number(text: str | None) -> float | None:
    """``text`` as a number, or None where it is not one."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def textual(kind: pa.DataType) -> bool:
    """Whether ``kind`` holds text: any string type, or a dictionary of one (a category)."""
    return is_text(kind) or (pa.types.is_dictionary(kind) and is_text(kind.value_type))


def plain_text(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A text column of any string type as one plain string array."""
    col = one(col)
    if pa.types.is_dictionary(col.type):
        # Categoricals: polars hands their values over as string_view, which Arrow cannot
        # take from, so decode through a plain string dictionary.
        col = col.dictionary.cast(pa.string()).take(col.indices)
    return col if col.type == pa.string() else col.cast(pa.string())


def plain_column(table: pa.Table, name: str, applies: NDArray[np.bool_]) -> pa.ChunkedArray | None:
    """Column ``name`` where reductions over it show that nothing in it needs explaining: a
    numeric column whose values, nulls aside, are all within :data:`~eduequity.schema.AMOUNT`,
    with no NaN and no null where it ``applies``. None otherwise. The values the reductions
    went over are not kept (:func:`amounts` reads them again)."""
    if name not in table.column_names:
        return None
    col = table.column(name)
    if not (pa.types.is_floating(col.type) or pa.types.is_integer(col.type)):
        return None
    # NaN at the nulls; a view where the column is one chunk of floats without null, else a
    # new array of ours (NumPy's reductions over it are several times faster than Arrow's).
    values = floats(col)
    if not values.size:
        return None
    if col.null_count == 0:  # NaN and infinities fail the bounds
        return col if within(AMOUNT, values.min(), values.max()) else None
    unknown = np.isnan(values)  # the nulls, and any NaN
    if np.count_nonzero(unknown) != col.null_count or (applies & unknown).any():
        return None
    if not within(AMOUNT, np.fmin.reduce(values), np.fmax.reduce(values)):  # skip the NaN
        return None
    return col


def amounts(col: pa.ChunkedArray, applies: NDArray[np.bool_]) -> FloatArray:
    """A column :func:`plain_column` passed as float64, NaN at its nulls and where it does not
    ``applies``: what the full checks of :func:`validate` give for it."""
    return _applying(floats(col), applies, col.null_count)


def _applying(values: FloatArray, applies: NDArray[np.bool_], nulls: int) -> FloatArray:
    """``values`` (NaN at the column's ``nulls``) with NaN where they do not apply, written
    into the array where it is ours."""
    if not nulls:
        return values if applies.all() else _not_applying(values, applies)
    if applies.all() or np.array_equal(np.isnan(values), ~applies):
        return values
    return _not_applying(values, applies)


def _not_applying(values: FloatArray, applies: NDArray[np.bool_]) -> FloatArray:
    """``values`` with NaN where they do not apply: written in place where the array is ours
    (writable), else a new one (a view of the caller's buffer is never written)."""
    if not values.flags.writeable:
        return np.where(applies, values, math.nan)
    values[~applies] = math.nan
    return values


def within(constraint: Constraint, low: float, high: float) -> bool:
    """Whether values from ``low`` to ``high`` all hold to ``constraint`` (bounds only)."""
    above = low > constraint.minimum if constraint.strict else low >= constraint.minimum
    return bool(above and high <= constraint.maximum)


def text_column(table: pa.Table, name: str) -> pa.Array:
    """Column ``name`` as one plain string array (whatever string type it came as)."""
    return plain_text(table.column(name))


#: The separators of class sizes in a cell that offices write beside ``;`` (full-width ；
#: and ，, and 、), read as ``;``. A plain comma is not one: ``1,045`` may be a number.
_SEPARATORS = ("；", "、", "，")

#: A class size as text in a cell of sizes (``45;44;46``): what Arrow reads as an integer.
_SIZE_TEXT = "^-?[0-9]{1,18}$"


def read_class_sizes(
    table: pa.Table, name: str, where: str
) -> tuple[ClassSizes | None, NDArray[np.bool_], list[Any], NDArray[np.bool_]]:
    """Column ``name`` of class sizes (a list of integers per school, or text of sizes
    separated by ``;``; None without the column), the rows whose text is not such sizes
    (read as not reported), the cells as written (for messages; empty unless some cell is
    not read or says no data), and the rows whose cell says no data (:data:`NO_DATA`), which
    are not reported, as an empty cell is."""
    n = table.num_rows
    bad = np.zeros(n, dtype=np.bool_)
    no_data = np.zeros(n, dtype=np.bool_)
    given: list[Any] = []
    if name not in table.column_names:
        return None, bad, given, no_data
    col = table.column(name)
    if textual(col.type):
        # CSV: "45;44;46"; an empty cell, or one that says no data, is not reported.
        text, no_data, written = _cells_of(col)
        if may_hold(text, *_SEPARATORS):  # 45；44、46，43: the offices' separators are ';'
            text = pc.replace_substring_regex(text, "[" + "".join(_SEPARATORS) + "]", ";")
        null = pa.nulls(1, text.type)[0]
        parts = pc.split_pattern(text, ";")
        sizes = pc.utf8_trim_whitespace(parts.values)
        read = bools(pc.match_substring_regex(sizes, _SIZE_TEXT))
        given = written
        if not read.all():  # the cells with a part that is no size: named by the validation
            given = written or text.to_pylist()
            bad[numbers(pc.list_parent_indices(parts))[~read]] = True
            parts = pc.split_pattern(pc.if_else(array(bad), null, text), ";")
            sizes = pc.utf8_trim_whitespace(parts.values)
        values = pc.cast(sizes, pa.int64())
        col = pa.chunked_array(
            [pa.ListArray.from_arrays(parts.offsets, values, mask=parts.is_null())]
        )
    if not (pa.types.is_list(col.type) or pa.types.is_large_list(col.type)):
        raise DataError(
            f"evaluate_table: {where} column {name!r} must be a list of integers (or, in CSV, "
            f"sizes separated by ';'). Got type {col.type}."
        )
    # Each chunk read in place; several are joined once, in NumPy (no copy in Arrow first),
    # as 16-bit integers where every size fits (a quarter of the memory; the checks refuse
    # any size beyond 1,000 whichever the width), else 32-bit where they fit.
    listed = [_listed(chunk) for chunk in col.chunks or [pa.nulls(0, col.type)]]
    if len(listed) == 1:
        return listed[0], bad, given, no_data
    ends = np.cumsum([c.values.size for c in listed])
    some = [(int(c.values.min()), int(c.values.max())) for c in listed if c.values.size]
    width = next(
        (t for t in (np.int16, np.int32) if all(_fits(t, *bounds) for bounds in some)), None
    )
    joined = ClassSizes(
        values=np.concatenate([c.values for c in listed], dtype=width),
        offsets=np.concatenate(
            [listed[0].offsets[:-1]]
            + [c.offsets[:-1] + end for c, end in zip(listed[1:], ends[:-1], strict=True)]
            + [ends[-1:]]
        ).astype(np.intp),
        reported=np.concatenate([c.reported for c in listed]),
    )
    return joined, bad, given, no_data


def _fits(kind: type[np.signedinteger[Any]], low: int, high: int) -> bool:
    """Whether every integer from ``low`` to ``high`` fits in ``kind``."""
    info = np.iinfo(kind)
    return bool(info.min <= low and high <= info.max)


def _listed(col: pa.Array) -> ClassSizes:
    """One chunk of a list column of class sizes, its values read in place where they can be."""
    reported = ~null_mask(col)
    # The list's own offsets, where no null list covers values (else counted again).
    given = numbers(col.offsets)
    if not np.diff(given)[np.flatnonzero(~reported)].any():
        offsets = (given - given[0]).astype(np.intp)
    else:
        length = pc.list_value_length(col)
        lengths = np.asarray(numbers(pc.fill_null(length, scalar(0, length.type))), dtype=np.intp)
        offsets = np.zeros(lengths.size + 1, dtype=np.intp)
        np.cumsum(lengths, out=offsets[1:])
    flat = col.flatten()  # skips the values behind null lists, honours slicing
    if not pa.types.is_integer(flat.type):
        flat = flat.cast(pa.int64())
    if flat.null_count:  # a null inside a list: 0, which the checks refuse
        flat = pc.fill_null(flat, scalar(0, flat.type))
    values = numbers(flat)  # the table's own buffer
    return ClassSizes(values=values, offsets=offsets, reported=reported)
